/**
 * Rows a command sets aside after reading (a value the model cannot take) join the rows the
 * reader set aside, in one rejects file in line order.
 *
 * @module
 */

import type { BadFeatureValue } from '../automl/feature-values.ts';
import { defaultRejectsPath, writeRejects } from '../data/read/bad-rows.ts';
import { rawRecords } from '../data/read/raw-records.ts';
import type { ReadResult, RejectedRow } from '../data/read-types.ts';
import type { Table } from '../data/table.ts';
import { type CommonOptions, note } from './common.ts';

/**
 * Row `i` of `table` as comma-separated values — the rejects file's `raw` column for a row whose
 * own text cannot be found again (a JSON array, Parquet or Arrow input).
 */
export function rowText(table: Table, i: number): string {
  return table.columnNames
    .map((c) => {
      const v = table.get(i, c);
      return v === null ? '' : v instanceof Date ? v.toISOString() : String(v);
    })
    .join(',');
}

/**
 * Writes the reader's rejected rows and `more` (rows `row` of `read.table`) to the rejects file of
 * `data` (the reader's, or the default beside the data) and returns its path.
 */
export function writeMoreRejects(
  data: string,
  read: ReadResult,
  more: readonly { row: number; line: number | undefined; reason: string }[],
): string {
  const path = read.summary.rejectsPath ?? defaultRejectsPath(data);
  const own = ownText(read, more);
  const rows: RejectedRow[] = [
    ...read.rejected,
    ...more.map((x) => ({
      line: x.line ?? x.row + 1,
      reason: x.reason,
      raw: (x.line !== undefined ? own.get(x.line) : undefined) ?? rowText(read.table, x.row),
    })),
  ].sort((a, b) => a.line - b.line);
  writeRejects(path, rows);
  return path;
}

/** The file's own text of the rows (by line) of a CSV, TSV or NDJSON input; empty for other formats. */
function ownText(read: ReadResult, more: readonly { line: number | undefined }[]): Map<number, string> {
  const lines = more.flatMap((x) => (x.line === undefined ? [] : [x.line]));
  const { format, path } = read.source;
  if (format === 'csv' || format === 'tsv') return rawRecords(path, lines, read.dialect?.quote ?? '"');
  if (format === 'ndjson') return rawRecords(path, lines, null);
  return new Map();
}

/**
 * Rows training set aside (a feature value it cannot take: inf, or beyond ±1e150) join the
 * reader's rejects; says on stderr how many rows were read, used and rejected (`beforeNote` first:
 * e.g. to clear a progress bar). Returns how many rows were rejected in all.
 */
export function noteTrainingRejects(
  data: string,
  read: ReadResult,
  setAside: readonly BadFeatureValue[],
  flags: CommonOptions,
  beforeNote: () => void = () => {},
): number {
  const rejected = read.summary.rejected + setAside.length;
  const rejectsPath = setAside.length
    ? writeMoreRejects(
        data,
        read,
        setAside.map((x) => ({ ...x, reason: `column '${x.column}': ${x.reason}` })),
      )
    : read.summary.rejectsPath;
  if (rejected > 0) {
    beforeNote();
    note(
      flags,
      `read ${read.summary.rowsRead} rows: ${read.summary.rowsRead - rejected} used + ${rejected} rejected (see ${rejectsPath})`,
    );
  }
  return rejected;
}
