// Temporary files for the data tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'lathe-data-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;

/** Writes `content` to a fresh file named `name` (in a per-process temp dir) and returns its path. */
export function tmpFile(name: string, content: string | Uint8Array): string {
  const p = join(dir, `${seq++}-${name}`);
  writeFileSync(p, content);
  return p;
}

/** A fresh path (not created) in the temp dir. */
export function tmpPath(name: string): string {
  return join(dir, `${seq++}-${name}`);
}

/** The temp dir itself. */
export const TMP_DIR = dir;
