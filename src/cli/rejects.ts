/**
 * Rows a command sets aside after reading (a value the model cannot take) join the rows the
 * reader set aside, in one rejects file in line order.
 *
 * @module
 */

import { defaultRejectsPath, writeRejects } from '../data/read/bad-rows.ts';
import type { ReadResult, RejectedRow } from '../data/read-types.ts';
import type { Table } from '../data/table.ts';

/** Row `i` of `table` as comma-separated values (for the rejects file's `raw` column). */
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
  const rows: RejectedRow[] = [
    ...read.rejected,
    ...more.map((x) => ({ line: x.line ?? x.row + 1, reason: x.reason, raw: rowText(read.table, x.row) })),
  ].sort((a, b) => a.line - b.line);
  writeRejects(path, rows);
  return path;
}
