/**
 * Where `lathe train` and `lathe tune` write a model package: an existing path is only ever
 * replaced when it holds a model package — and, for an explicit `--out`, only with `--force`.
 *
 * @module
 */

import { stat } from 'node:fs/promises';
import { ValidationError } from '../core/errors.ts';
import { readModelPackage } from '../track/package/read.ts';
import { checkOutputs, rejectsOutput, storeInputs } from './paths.ts';

/**
 * Before any work: the package directory `out` (and the rejects file under quarantine) may not be
 * the data, the `--schema` file or anything of the store; then {@link checkModelOut}.
 */
export async function checkPackageOut(
  out: string,
  data: string,
  flags: { onBadRows?: string; schema?: string; store?: string; force?: boolean },
  defaulted: boolean,
): Promise<boolean> {
  checkOutputs(
    [{ path: out, what: '--out', replacesDirectory: true }, ...rejectsOutput(data, flags.onBadRows)],
    [
      { path: data, what: 'the data file' },
      ...(flags.schema ? [{ path: flags.schema, what: '--schema' }] : []),
      ...storeInputs(flags.store),
    ],
  );
  return checkModelOut(out, defaulted || flags.force === true);
}

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
      fix: 'choose another --out path',
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
