/**
 * Bad-row bookkeeping shared by the readers: under `onBadRows: 'error'` the first bad row stops
 * the read with a {@link DataError} naming the file, line and problem; under `'quarantine'` it is
 * kept (line, reason, raw text) and later written to the rejects file. Nothing is dropped silently.
 *
 * @module
 */

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataError, show } from '../../core/errors.ts';
import { makeDirsSync } from '../../core/make-dirs.ts';
import { keepMode, writeTarget } from '../../core/temp-files.ts';
import type { BadRowPolicy, RejectedRow } from '../read-types.ts';

/** Raw text of a rejected row is cut to this many characters (the reason keeps the full story). */
export const MAX_RAW_CHARS = 10_000;

/** The fix every bad-row error suggests. */
export const QUARANTINE_FIX =
  "correct or remove that row, or read with --on-bad-rows quarantine (onBadRows: 'quarantine') to set bad rows aside in a rejects file and load the rest";

/** Collects bad rows, or throws on the first under the `error` policy. */
export class BadRows {
  /** The rows set aside so far, in file order. */
  readonly rows: RejectedRow[] = [];

  /** @param file the file being read (for messages) @param policy what to do with a bad row */
  constructor(
    readonly file: string,
    readonly policy: BadRowPolicy,
  ) {}

  /**
   * Records a bad row at `line` (1-based) with `reason`; `column` names the column whose value
   * failed, when one did. Throws a {@link DataError} under the `error` policy.
   */
  add(line: number, reason: string, raw: string, column?: string): void {
    if (this.policy === 'error') {
      throw new DataError(`${reason}, in the row ${show(raw)}.`, {
        file: this.file,
        line,
        column,
        fix: QUARANTINE_FIX,
      });
    }
    const full = column === undefined ? reason : `column '${column}': ${reason}`;
    const cut =
      raw.length > MAX_RAW_CHARS ? `${raw.slice(0, MAX_RAW_CHARS)}… (${raw.length} characters in all)` : raw;
    this.rows.push({ line, reason: full, raw: cut });
  }

  /** Number of rows set aside. */
  get count(): number {
    return this.rows.length;
  }
}

/** Quotes one CSV field per RFC 4180 when it needs it. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The default rejects path for `file`: `<file>.rejects.csv` beside it. */
export function defaultRejectsPath(file: string): string {
  return join(dirname(file), `${basename(file)}.rejects.csv`);
}

/**
 * Writes rejected rows as CSV with columns `line,reason,raw` (written to a temporary name in the
 * same directory, then renamed, so a half-written file is never visible).
 */
export function writeRejects(path: string, rows: readonly RejectedRow[]): void {
  const lines = ['line,reason,raw'];
  for (const r of rows) lines.push(`${r.line},${csvField(r.reason)},${csvField(r.raw)}`);
  makeDirsSync(dirname(path));
  const target = writeTarget(path); // a symbolic link stays: its target is written
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, `${lines.join('\n')}\n`);
    keepMode(tmp, target);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new DataError(`cannot write the rejects file: ${(e as Error).message}`, {
      file: path,
      fix: 'choose a writable rejectsPath',
      cause: e,
    });
  }
}
