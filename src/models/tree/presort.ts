/**
 * Training data in the form the tree grower wants. For the exhaustive ("best") splitter: every
 * feature ranked once (dense ranks, distinct values and, for nodes that keep sorted lists, the
 * sort order), shared by all the trees of a forest, so that no node ever compares floating-point
 * values to sort; for the random splitter and out-of-bag predictions: the features column-major.
 *
 * @module
 */

import type { Matrix } from '../../core/matrix.ts';
import { toShared } from '../../core/pool.ts';
import { type GrowData, sortThreshold } from './grower.ts';

/** Rows per block of the cache-blocked transpose in {@link columnMajor}. */
const BLOCK_ROWS = 256;

/** Column-major copy of `m` (feature j at `out[j * rows .. (j + 1) * rows)`), optionally shared. */
export function columnMajor(m: Matrix, shared = false): Float64Array {
  const { rows, cols, data } = m;
  const out = shared
    ? new Float64Array(new SharedArrayBuffer(rows * cols * 8))
    : new Float64Array(rows * cols);
  // Blocked: a block of rows is read once and every column's slice of it written contiguously.
  for (let i0 = 0; i0 < rows; i0 += BLOCK_ROWS) {
    const i1 = Math.min(rows, i0 + BLOCK_ROWS);
    for (let j = 0; j < cols; j++) {
      const o = j * rows;
      for (let i = i0; i < i1; i++) out[o + i] = data[i * cols + j];
    }
  }
  return out;
}

/** Each feature's rows ranked by value (see {@link rankColumns}). */
export interface ColumnRanks {
  /** d × n: row i's value of feature j is the `rank[j·n + i]`-th smallest distinct one (from 0). */
  rank: Int32Array;
  /** Each feature's distinct values, ascending, concatenated. */
  distinct: Float64Array;
  /** Start of each feature's values in `distinct` (d + 1 entries). */
  start: Int32Array;
  /** Per feature, 1 when two of its distinct values are within 1e-7 of each other, else 0. */
  close: Uint8Array;
  /** d × n: each feature's rows in ascending order of value, ties by row (when asked for). */
  order: Int32Array | null;
}

/** Bits per pass of the radix sort in {@link rankColumns} (2^11 counters stay in L1). */
const DIGIT = 11;

/**
 * Ranks every feature of the row-major matrix `m` (no NaN): dense ranks (equal values share a
 * rank; `-0` and `0` are one value), the distinct values and, optionally, the sort order.
 *
 * One stable LSD radix sort per feature on the IEEE-754 bit patterns made unsigned and
 * order-preserving: 11-bit digits, keys moved with their row indices (every pass reads
 * sequentially), passes whose digit is the same for every row skipped (the low bits of
 * integer-valued features). Linear in n and about 20× faster than a comparison sort on indices.
 */
export function rankColumns(m: Matrix, options: { order: boolean; shared: boolean }): ColumnRanks {
  const { rows: n, cols: d, data } = m;
  const { shared } = options;
  const i32 = (len: number) =>
    shared ? new Int32Array(new SharedArrayBuffer(len * 4)) : new Int32Array(len);
  const rank = i32(n * d);
  const order = options.order ? i32(n * d) : null;
  const start = new Int32Array(d + 1);
  const close = new Uint8Array(d);
  // Working arrays: keys (high and low words) and row indices, ping-ponged between passes.
  let hiA = new Uint32Array(n);
  let loA = new Uint32Array(n);
  let ixA = new Int32Array(n);
  let hiB = new Uint32Array(n);
  let loB = new Uint32Array(n);
  let ixB = new Int32Array(n);
  const bits = new Uint32Array(2);
  const f64 = new Float64Array(bits.buffer);
  const buckets = 1 << DIGIT;
  const mask = buckets - 1;
  // Six digits: bits 0–10, 11–21, 22–31 of the low word, then the same of the high word.
  const hist = new Int32Array(6 * buckets);
  let distinctParts: Float64Array[] = [];
  let total = 0;
  for (let j = 0; j < d; j++) {
    hist.fill(0);
    for (let i = 0; i < n; i++) {
      const v = data[i * d + j];
      f64[0] = v === 0 ? 0 : v; // -0 → 0
      let h = bits[1];
      let l = bits[0];
      if (h & 0x80000000) {
        h = ~h >>> 0;
        l = ~l >>> 0;
      } else {
        h = (h | 0x80000000) >>> 0;
      }
      hiA[i] = h;
      loA[i] = l;
      ixA[i] = i;
      hist[l & mask]++;
      hist[buckets + ((l >>> 11) & mask)]++;
      hist[2 * buckets + (l >>> 22)]++;
      hist[3 * buckets + (h & mask)]++;
      hist[4 * buckets + ((h >>> 11) & mask)]++;
      hist[5 * buckets + (h >>> 22)]++;
    }
    for (let pass = 0; pass < 6; pass++) {
      const ho = pass * buckets;
      // A digit shared by every row does not reorder anything.
      const first = pass < 3 ? loA[0] : hiA[0];
      const sh = (pass % 3) * DIGIT;
      if (hist[ho + ((first >>> sh) & mask)] === n) continue;
      // Exclusive prefix sums → first slot of each bucket.
      let sum = 0;
      for (let b = 0; b < buckets; b++) {
        const c = hist[ho + b];
        hist[ho + b] = sum;
        sum += c;
      }
      const key = pass < 3 ? loA : hiA;
      for (let i = 0; i < n; i++) {
        const q = hist[ho + ((key[i] >>> sh) & mask)]++;
        hiB[q] = hiA[i];
        loB[q] = loA[i];
        ixB[q] = ixA[i];
      }
      [hiA, hiB] = [hiB, hiA];
      [loA, loB] = [loB, loA];
      [ixA, ixB] = [ixB, ixA];
    }
    // Walk the sorted keys: a new distinct value wherever the bit pattern changes.
    const off = j * n;
    const values = new Float64Array(n);
    let r = -1;
    let ph = 0;
    let pl = 0;
    let prev = Number.NaN;
    for (let i = 0; i < n; i++) {
      const h = hiA[i];
      const l = loA[i];
      if (r < 0 || h !== ph || l !== pl) {
        ph = h;
        pl = l;
        if (h & 0x80000000) {
          bits[1] = h & 0x7fffffff;
          bits[0] = l;
        } else {
          bits[1] = ~h;
          bits[0] = ~l;
        }
        const v = f64[0];
        // The grower's rule for values too close to split apart (FEATURE_THRESHOLD in grower.ts).
        if (r >= 0 && !(v > prev + 1e-7)) close[j] = 1;
        values[++r] = v;
        prev = v;
      }
      rank[off + ixA[i]] = r;
    }
    if (order) order.set(ixA, off);
    distinctParts.push(values.slice(0, r + 1));
    total += r + 1;
    start[j + 1] = total;
  }
  const distinct = shared ? new Float64Array(new SharedArrayBuffer(total * 8)) : new Float64Array(total);
  for (let j = 0; j < d; j++) distinct.set(distinctParts[j], start[j]);
  distinctParts = [];
  return { rank, distinct, start: shared ? toShared(start) : start, close, order };
}

/** The target of a tree: class codes (and class count) or regression values. */
export interface GrowTarget {
  yCode: Int32Array | null;
  yValue: Float64Array | null;
  nClasses: number;
}

/** What {@link prepareGrowData} should lay out besides the targets. */
export interface GrowLayout {
  /** Each feature's sort order (for nodes too large to sort on the spot). */
  lists: boolean;
  /** Dense ranks and distinct values per feature (the exhaustive splitter). */
  ranks: boolean;
  /** Keep the column-major features (the random splitter, out-of-bag predictions). */
  columns: boolean;
  /** Put every array in shared memory (for pool workers). */
  shared: boolean;
}

/**
 * What the grower will read for a tree or forest on n × d data: the exhaustive splitter sorts
 * nodes of up to `sortThreshold(d, maxFeatures)` rows on the spot from dense ranks, and keeps
 * sorted lists for larger ones; the random splitter reads the columns.
 */
export function growLayout(
  splitter: 'best' | 'random',
  n: number,
  d: number,
  maxFeatures: number,
  options: { columns: boolean; shared: boolean },
): GrowLayout {
  const best = splitter === 'best';
  const sortMax = best ? sortThreshold(d, maxFeatures) : 0;
  return {
    lists: best && sortMax < n,
    ranks: best,
    columns: !best || options.columns,
    shared: options.shared,
  };
}

/**
 * Lays out a matrix for the grower: column-major features, plus what the exhaustive splitter
 * reads — each feature's dense ranks and distinct values, and its sort order if some nodes keep
 * sorted lists (see `sortThreshold` in grower.ts). Arrays not asked for are left empty, so a
 * large forest does not hold memory it will not read.
 */
export function prepareGrowData(m: Matrix, target: GrowTarget, layout: GrowLayout): GrowData {
  const { rows: n, cols: d } = m;
  const { lists, ranks, shared } = layout;
  const keepX = layout.columns || !(lists || ranks);
  const ranked = lists || ranks ? rankColumns(m, { order: lists, shared }) : null;
  const share = <T extends Int32Array | Float64Array>(a: T | null): T | null =>
    a && shared ? toShared(a) : a;
  return {
    Xc: keepX ? columnMajor(m, shared) : new Float64Array(0),
    n,
    d,
    yCode: share(target.yCode),
    yValue: share(target.yValue),
    nClasses: target.nClasses,
    order: ranked ? ranked.order : null,
    rank: ranked ? ranked.rank : null,
    distinct: ranked ? ranked.distinct : null,
    distinctStart: ranked ? ranked.start : null,
    closeValues: ranked ? ranked.close : null,
  };
}
