/**
 * The profile's work as tasks for worker threads (`profileTableAsync`): a share of the numeric
 * and datetime column summaries, with or without the duplicate-row search, and Pearson's
 * matrix. Each runs the very function the single-threaded profile calls, on the same values
 * (shared memory, or a copy), so the report is identical whatever the number of threads.
 *
 * @module
 */

import { registerTask } from '../core/pool.ts';
import type { Column } from '../data/column.ts';
import type { ColumnSchema } from '../data/schema.ts';
import { Table } from '../data/table.ts';
import { correlationMatrix } from '../stats/correlation.ts';
import { type ColumnWork, profileColumn, profileScratch } from './column-profile.ts';
import { type DuplicateRows, findDuplicateRows } from './duplicates.ts';
import type { QualityThresholds } from './thresholds.ts';

/** What a share of the profile yields. */
export interface ProfilePart {
  /** The work of each column given, in order. */
  works: ColumnWork[];
  /** The duplicate rows, when the whole table was given for them. */
  dups: DuplicateRows | null;
}

/**
 * Profiles `columns` (positions `indices` in the table) with one scratch buffer, and counts the
 * duplicate rows of `all` when given (typed-array columns only).
 */
export function runProfilePart(
  columns: Column[],
  indices: number[],
  th: QualityThresholds,
  schemas: (ColumnSchema | undefined)[],
  all: Column[] | null,
): ProfilePart {
  const dups = all ? findDuplicateRows(new Table(all)) : null;
  let rows = 0;
  for (const c of columns) rows = Math.max(rows, c.type === 'categorical' ? c.codes.length : c.values.length);
  const scratch = profileScratch(rows);
  const works = columns.map((c, k) => profileColumn(c, indices[k], th, scratch, schemas[k]));
  return { works, dups };
}

/** Pearson's matrix of `data` (pairwise complete). */
export function runPearson(data: Float64Array[]): Float64Array {
  return correlationMatrix(data, { method: 'pearson' });
}

/** Task builders. */
export const profilePartJob = registerTask(import.meta.url, 'runProfilePart', runProfilePart);
export const pearsonJob = registerTask(import.meta.url, 'runPearson', runPearson);
