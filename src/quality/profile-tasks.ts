/**
 * The profile's work as shares for the threads of `profileTableAsync` (and for the one thread of
 * `profileTable`): a thread's share is at most one long job — the correlation matrices (the row
 * sample, its values, their ranks, Spearman's and Pearson's matrices) or the duplicate-row search
 * — then its own column summaries, then column summaries taken from a queue shared by every
 * thread until none is left, so the threads finish together whatever their speed. Each runs the
 * very function the single-threaded profile calls, on the same values (shared memory, or a copy),
 * so the report is identical whatever the number of threads.
 *
 * All the work of a share uses one work space ({@link ProfileArena}), allocated once: the sorts
 * of the column summaries, the duplicate search's hashes and the correlations' sampled values
 * and ranks take turns in the same memory (fresh memory costs a page fault per 4 KB on first
 * touch, more than the sorting of it).
 *
 * @module
 */

import { registerTask } from '../core/pool.ts';
import type { Column } from '../data/column.ts';
import type { ColumnSchema } from '../data/schema.ts';
import { Table } from '../data/table.ts';
import {
  correlationMatrix,
  type DenseRanking,
  denseRank,
  type RankScratch,
  spearmanMatrix,
} from '../stats/correlation.ts';
import { type ColumnWork, type ProfileScratch, profileColumn } from './column-profile.ts';
import { type DuplicateRows, type DuplicateScratch, findDuplicateRows } from './duplicates.ts';
import { gatherNumericInto, sampleRows } from './sample.ts';
import type { QualityThresholds } from './thresholds.ts';

/** One block of memory that a thread's jobs use in turn, as typed views. */
export class ProfileArena {
  readonly buffer: ArrayBuffer;
  /** At least `bytes` bytes. */
  constructor(bytes: number) {
    this.buffer = new ArrayBuffer(8 * Math.ceil(bytes / 8));
  }
  /** Bytes needed by {@link ProfileArena.scratch} for `rows` rows. */
  static scratchBytes(rows: number): number {
    return 16 * rows;
  }
  /** Bytes needed by {@link ProfileArena.duplicates} for `rows` rows. */
  static duplicateBytes(rows: number): number {
    return 12 * rows + 8;
  }
  /** Bytes needed by {@link ProfileArena.ranks} (at `byteOffset` 0) for `rows` rows. */
  static rankBytes(rows: number): number {
    return 24 * rows;
  }
  get bytes(): number {
    return this.buffer.byteLength;
  }
  /** A Float64Array of `length` elements at `byteOffset` (a multiple of 8). */
  f64(byteOffset: number, length: number): Float64Array {
    return new Float64Array(this.buffer, byteOffset, length);
  }
  /** An Int32Array of `length` elements at `byteOffset` (a multiple of 4). */
  i32(byteOffset: number, length: number): Int32Array {
    return new Int32Array(this.buffer, byteOffset, length);
  }
  /** The column summaries' sort buffers, for columns of `rows` rows. */
  scratch(rows: number): ProfileScratch {
    return { values: this.f64(0, rows), tmp: this.f64(8 * rows, rows) };
  }
  /** The duplicate search's arrays, for a table of `rows` rows. */
  duplicates(rows: number): DuplicateScratch {
    return { hashes: this.i32(0, rows), pairs: this.i32(4 * rows + (rows % 2) * 4, 2 * rows) };
  }
  /** {@link denseRank}'s work space for `rows` values, from `byteOffset` (a multiple of 8). */
  ranks(rows: number, byteOffset = 0): RankScratch {
    return {
      values: this.f64(byteOffset, rows),
      tmp: this.f64(byteOffset + 8 * rows, rows),
      rows: this.i32(byteOffset + 16 * rows, rows),
      tmpRows: this.i32(byteOffset + 20 * rows, rows),
    };
  }
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

/** Column summaries a thread does itself before it turns to the queue (columns not in shared memory). */
export interface OwnColumns {
  columns: Column[];
  indices: number[];
  schemas: (ColumnSchema | undefined)[];
}

/**
 * The correlation matrices over some numeric and boolean columns at the sampled rows. Either
 * `columns` (in shared memory: the sample is drawn and gathered here) or `data` (their values at
 * the sampled rows, gathered by the caller) is given.
 */
export interface CorrelationJob {
  columns: Column[] | null;
  data: Float64Array[] | null;
  /** The table's row count, the sample size limit (`null`: every row) and its seed. */
  tableRows: number;
  sample: number | null;
  seed: number;
  /** Return the sampled values and their rankings as well (in shared memory), for the target section. */
  keep: boolean;
}

/** What a {@link CorrelationJob} yields. */
export interface CorrelationPart {
  /** The sampled rows, when the sample was drawn here (null: every row, or drawn by the caller). */
  rows: Int32Array | null;
  pearson: Float64Array;
  spearman: Float64Array;
  /** With `keep`: the values at the sampled rows and their rankings, per column. */
  values: Float64Array[] | null;
  rankings: DenseRanking[] | null;
}

/** What a share of the profile yields. */
export interface ProfileShare {
  /** The work of each of the share's own columns, in order. */
  own: ColumnWork[];
  /** Columns taken from the queue: their position in it, and their work. */
  taken: { k: number; work: ColumnWork }[];
  /** The duplicate rows, when the share included the search. */
  dups: DuplicateRows | null;
  /** The correlation matrices, when the share included them. */
  corr: CorrelationPart | null;
}

const rowsOf = (c: Column) => (c.type === 'categorical' ? c.codes.length : c.values.length);
const sharedF64 = (n: number) => new Float64Array(new SharedArrayBuffer(8 * n));
const sharedI32 = (n: number) => new Int32Array(new SharedArrayBuffer(4 * n));

/** The sample a correlation job works on: its size and whether every row is used. */
function sampleSize(job: CorrelationJob): { size: number; everyRow: boolean } {
  if (job.data !== null) return { size: job.data.length > 0 ? job.data[0].length : 0, everyRow: false };
  const everyRow = job.sample === null || job.tableRows <= job.sample;
  return { size: everyRow ? job.tableRows : (job.sample as number), everyRow };
}

/** Bytes of work space a correlation job needs (see {@link runCorrelations} for the layout). */
function correlationBytes(job: CorrelationJob): number {
  const { size, everyRow } = sampleSize(job);
  const p = job.columns?.length ?? job.data?.length ?? 0;
  const ranks = ProfileArena.rankBytes(size);
  if (job.data !== null) return (job.keep ? 0 : 8 * Math.ceil((4 * p * size) / 8)) + ranks;
  if (everyRow) return ranks;
  const draw = 4 * job.tableRows;
  return Math.max(draw, (job.keep ? 0 : 8 * p * size) + ranks);
}

/**
 * Runs a correlation job in `arena`. Layout: the sample is drawn in the arena's first
 * `4·tableRows` bytes; then (unless kept) the sampled values of column q at `8·size·q`, which its
 * codes replace once Pearson's matrix is done (a ranking reads the values before writing codes),
 * followed by the ranking work space.
 */
export function runCorrelations(job: CorrelationJob, arena: ProfileArena): CorrelationPart {
  const { size, everyRow } = sampleSize(job);
  let rows: Int32Array | null = null;
  let data: Float64Array[];
  let codes: (q: number) => Int32Array | undefined;
  let rankAt: number;
  if (job.data !== null) {
    data = job.data;
    const p = data.length;
    codes = (q) => (job.keep ? sharedI32(size) : arena.i32(4 * size * q, size));
    rankAt = job.keep ? 0 : 8 * Math.ceil((4 * p * size) / 8);
  } else {
    const columns = job.columns as Column[];
    if (everyRow) {
      data = columns.map((c) =>
        c.type === 'numeric' || c.type === 'datetime'
          ? c.values
          : gatherNumericInto(c, null, job.keep ? sharedF64(size) : new Float64Array(size)),
      );
      codes = () => (job.keep ? sharedI32(size) : undefined);
      rankAt = 0;
    } else {
      rows = sampleRows(job.tableRows, job.sample, job.seed, arena.i32(0, job.tableRows));
      const r = rows as Int32Array;
      data = columns.map((c, q) =>
        gatherNumericInto(c, r, job.keep ? sharedF64(size) : arena.f64(8 * size * q, size)),
      );
      // Unless kept, a column's codes take the place of its values.
      codes = (q) => (job.keep ? sharedI32(size) : new Int32Array(data[q].buffer, data[q].byteOffset, size));
      rankAt = job.keep ? 0 : 8 * size * columns.length;
    }
  }
  const pearson = correlationMatrix(data, { method: 'pearson' });
  const values = job.keep ? data : null;
  const scratch = arena.ranks(size, rankAt);
  // Unless kept, a ranking's distinct values stay in the scratch (Spearman needs their number only).
  const rankings = data.map((d, q) => denseRank(d, scratch, codes(q), !job.keep));
  // Spearman's counts in the free half of each column's place (when it has one), its pair work
  // space where the ranking work space was.
  const halves = !job.keep && job.data === null && !everyRow;
  const space = {
    counts: data.map((d) => (halves ? new Int32Array(d.buffer, d.byteOffset + 4 * size, size) : undefined)),
    pair: arena.i32(rankAt, 6 * size),
  };
  const spearman = spearmanMatrix(rankings, space);
  return { rows, pearson, spearman, values, rankings: job.keep ? rankings : null };
}

/**
 * One thread's share: the correlation job and the duplicate search when given, then its own
 * columns, then columns from `queue` until none is left — all in one arena (or `arena`, when
 * given and large enough).
 */
export function runProfileShare(
  th: QualityThresholds,
  own: OwnColumns | null,
  queue: ColumnQueue | null,
  dups: { columns: Column[]; textCodes: (Int32Array | null)[] } | null,
  corr: CorrelationJob | null,
  arena: ProfileArena | null = null,
): ProfileShare {
  let rows = 0;
  for (const c of [...(own?.columns ?? []), ...(queue?.columns ?? [])]) rows = Math.max(rows, rowsOf(c));
  const tableRows = dups && dups.columns.length > 0 ? rowsOf(dups.columns[0]) : 0;
  const bytes = Math.max(
    ProfileArena.scratchBytes(rows),
    dups ? ProfileArena.duplicateBytes(tableRows) : 0,
    corr ? correlationBytes(corr) : 0,
  );
  const space = arena && arena.bytes >= bytes ? arena : new ProfileArena(bytes);
  const corrPart = corr ? runCorrelations(corr, space) : null;
  const dupsPart = dups
    ? findDuplicateRows(new Table(dups.columns), dups.textCodes, space.duplicates(tableRows))
    : null;
  const scratch = space.scratch(rows);
  const ownWorks = own
    ? own.columns.map((c, k) => profileColumn(c, own.indices[k], th, scratch, own.schemas[k]))
    : [];
  const taken: ProfileShare['taken'] = [];
  if (queue) {
    for (;;) {
      const k = Atomics.add(queue.next, 0, 1);
      if (k >= queue.columns.length) break;
      taken.push({
        k,
        work: profileColumn(queue.columns[k], queue.indices[k], th, scratch, queue.schemas[k]),
      });
    }
  }
  return { own: ownWorks, taken, dups: dupsPart, corr: corrPart };
}

/** Task builder for {@link runProfileShare} (a worker thread passes no arena: it makes its own). */
export const profileShareJob = registerTask(import.meta.url, 'runProfileShare', runProfileShare);
