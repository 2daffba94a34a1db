/**
 * Where `lathe train` and `lathe tune` write a model package: an existing path is only ever
 * replaced when it holds a model package — and, for an explicit `--out`, only with `--force`.
 *
 * @module
 */

import { stat } from 'node:fs/promises';
import { ValidationError } from '../core/errors.ts';
import { readModelPackage } from '../track/package/read.ts';

/**
 * Checks that `out` may be written. `mayReplace`: the default path, or `--force`. Returns true
 * when an existing package will be replaced.
 */
export async function checkModelOut(out: string, mayReplace: boolean): Promise<boolean> {
  const exists = await stat(out).then(
    () => true,
    () => false,
  );
  if (!exists) return false;
  try {
    await readModelPackage(out);
  } catch {
    throw new ValidationError(`${out} exists and is not a Lathe model package; refusing to replace it.`, {
      field: 'out',
      fix: 'choose another --out directory',
    });
  }
  if (!mayReplace) {
    throw new ValidationError(`${out} already holds a model package.`, {
      field: 'out',
      fix: 'pass --force to replace it, or choose another --out',
    });
  }
  return true;
}
