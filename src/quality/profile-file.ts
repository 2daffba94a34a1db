/**
 * `profileFile`: read a data file and profile it in one call — what `lathe profile` does.
 *
 * @module
 */

import { readTable } from '../data/read/index.ts';
import type { ReadOptions, ReadResult } from '../data/read-types.ts';
import { unknownColumn } from '../data/table.ts';
import { type ProfileOptions, profileTableAsync } from './profile.ts';
import type { ProfileSource, QualityReport } from './report.ts';

/** Options of {@link profileFile}: how to read the file, and how to profile it. */
export interface ProfileFileOptions extends Omit<ProfileOptions, 'source' | 'rowLines' | 'schema'> {
  /** Passed to `readTable` (format, `onBadRows`, `rejectsPath`, `schema`, CSV dialect). */
  read?: ReadOptions;
}

/** What {@link profileFile} returns: the report and the read it was made from. */
export interface ProfiledFile {
  report: QualityReport;
  read: ReadResult;
}

/**
 * Reads `path` with `readTable` and profiles the table (on every core: `profileTableAsync`,
 * `threads` to limit it), recording the source (with rejected-row
 * accounting under `onBadRows: 'quarantine'`) and the file lines of duplicate rows. An unknown
 * target is a `DataError` naming the file and suggesting the closest column, raised before any
 * profiling work.
 *
 * @example
 * const { report } = await profileFile('examples/customers.csv', { target: 'churned' });
 */
export async function profileFile(path: string, options: ProfileFileOptions = {}): Promise<ProfiledFile> {
  const { read: readOptions, ...profileOptions } = options;
  const read = await readTable(path, readOptions);
  const { table } = read;
  if (profileOptions.target !== undefined && !table.has(profileOptions.target)) {
    throw unknownColumn(profileOptions.target, table.columnNames, path);
  }
  const report = await profileTableAsync(table, {
    ...profileOptions,
    schema: read.schema,
    rowLines: read.rowLines,
    source: profileSourceOf(read),
  });
  return { report, read };
}

/** What a profile says of the file a table was read from (its format, size and row accounting). */
export function profileSourceOf(read: ReadResult): ProfileSource {
  const { source, summary } = read;
  return {
    path: source.path,
    format: source.format,
    bytes: source.bytes,
    rowsRead: summary.rowsRead,
    accepted: summary.accepted,
    rejected: summary.rejected,
    rejectsPath: summary.rejectsPath ?? null,
  };
}
