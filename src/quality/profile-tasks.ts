/**
 * The profile's work as tasks for worker threads (`profileTableAsync`): a share of the numeric
 * and datetime column summaries, with or without the duplicate-row search and the correlation
 * matrices. Each runs the very function the single-threaded profile calls, on the same values
 * (shared memory, or a copy), so the report is identical whatever the number of threads.
 *
 * @module
 */

import { registerTask } from '../core/pool.ts';
import type { Column } from '../data/column.ts';
import type { ColumnSchema } from '../data/schema.ts';
import { Table } from '../data/table.ts';
import { correlationMatrix, type DenseRanking, denseRank, spearmanMatrix } from '../stats/correlation.ts';
import { type ColumnWork, profileColumn, profileScratch } from './column-profile.ts';
import { type DuplicateRows, findDuplicateRows } from './duplicates.ts';
import type { QualityThresholds } from './thresholds.ts';

/** What a share of the profile yields. */
export interface ProfilePart {
  /** The work of each column given, in order. */
  works: ColumnWork[];
  /** The duplicate rows, when the whole table was given for them. */
  dups: DuplicateRows | null;
  /** Spearman's matrix and the dense rankings it came from, when asked for. */
  spearman: { matrix: Float64Array; rankings: DenseRanking[] } | null;
  /** Pearson's matrix, when asked for. */
  pearson: Float64Array | null;
  /** Columns taken from the shared queue: their position in it, and their work. */
  taken: { k: number; work: ColumnWork }[];
}

/**
 * Column summaries that any thread may take, one at a time: `next` (shared memory) is the
 * position of the next one in `columns`, advanced atomically by whoever takes it.
 */
export interface ColumnQueue {
  next: Int32Array;
  columns: Column[];
  indices: number[];
  schemas: (ColumnSchema | undefined)[];
}

/** Takes columns from `queue` until none is left, summarising each with `scratch`. */
export function drainQueue(
  queue: ColumnQueue,
  th: QualityThresholds,
  scratch: ReturnType<typeof profileScratch>,
  done: (k: number, work: ColumnWork) => void,
): void {
  for (;;) {
    const k = Atomics.add(queue.next, 0, 1);
    if (k >= queue.columns.length) return;
    done(k, profileColumn(queue.columns[k], queue.indices[k], th, scratch, queue.schemas[k]));
  }
}

/**
 * Profiles `columns` (positions `indices` in the table) with one scratch buffer; counts the
 * duplicate rows of `all` when given (typed-array columns only); computes Spearman's and
 * Pearson's matrices of the sampled values given for them; then takes columns from `queue`
 * while any are left.
 */
export function runProfilePart(
  columns: Column[],
  indices: number[],
  th: QualityThresholds,
  schemas: (ColumnSchema | undefined)[],
  all: Column[] | null,
  spearmanData: Float64Array[] | null,
  pearsonData: Float64Array[] | null,
  queue: ColumnQueue | null = null,
): ProfilePart {
  const dups = all ? findDuplicateRows(new Table(all)) : null;
  let spearman: ProfilePart['spearman'] = null;
  if (spearmanData) {
    const rankings = spearmanData.map((d) => denseRank(d));
    spearman = { matrix: spearmanMatrix(rankings), rankings };
  }
  const pearson = pearsonData ? correlationMatrix(pearsonData, { method: 'pearson' }) : null;
  let rows = 0;
  for (const c of [...columns, ...(queue?.columns ?? [])])
    rows = Math.max(rows, c.type === 'categorical' ? c.codes.length : c.values.length);
  const scratch = profileScratch(rows);
  const works = columns.map((c, k) => profileColumn(c, indices[k], th, scratch, schemas[k]));
  const taken: ProfilePart['taken'] = [];
  if (queue) drainQueue(queue, th, scratch, (k, work) => taken.push({ k, work }));
  return { works, dups, spearman, pearson, taken };
}

/** Task builder for {@link runProfilePart}. */
export const profilePartJob = registerTask(import.meta.url, 'runProfilePart', runProfilePart);
