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
import { rankInArena } from './grower-wasm.ts';
import type { KernelArena } from './kernel-arena.ts';

/** Rows per block of the cache-blocked transpose in {@link columnMajor}. */
const BLOCK_ROWS = 256;

/**
 * Column-major copy of `m` (feature j at `out[j * rows .. (j + 1) * rows)`), optionally shared, or
 * in a kernel arena.
 */
export function columnMajor(m: Matrix, shared = false, arena: KernelArena | null = null): Float64Array {
  const { rows, cols, data } = m;
  const out = arena
    ? arena.f64(rows * cols)
    : shared
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
const BUCKETS = 1 << DIGIT;
const MASK = BUCKETS - 1;

/**
 * The working arrays of one feature's radix sort: keys (high and low words of the order-preserving
 * bit pattern) and row indices, ping-ponged between passes (A holds the current order), and the
 * six digits' histograms.
 */
interface RadixScratch {
  hiA: Uint32Array;
  loA: Uint32Array;
  ixA: Int32Array;
  hiB: Uint32Array;
  loB: Uint32Array;
  ixB: Int32Array;
  hist: Int32Array;
  /** A double and its two 32-bit words (low, high), for reinterpreting bits. */
  bits: Uint32Array;
  f64: Float64Array;
}

/**
 * Ranks every feature of the row-major matrix `m` (no NaN): dense ranks (equal values share a
 * rank; `-0` and `0` are one value), the distinct values and, optionally, the sort order.
 *
 * One stable LSD radix sort per feature on the IEEE-754 bit patterns made unsigned and
 * order-preserving: 11-bit digits, keys moved with their row indices (every pass reads
 * sequentially), passes whose digit is the same for every row skipped (the low bits of
 * integer-valued features). Linear in n and about 20× faster than a comparison sort on indices.
 *
 * With a kernel arena and a small matrix, the WebAssembly twin in the tree kernel does the work
 * (`rankInArena` in grower-wasm.ts: the same outputs, at speed on a first call).
 *
 * Each loop is its own small function: V8 optimises small functions within a few calls, where
 * one large function ran interpreted until its on-stack replacement compiled (~30 ms), which
 * made a first small fit (1 600 × 20) spend ~90 ms here instead of ~8.
 */
export function rankColumns(
  m: Matrix,
  options: { order: boolean; shared: boolean; arena?: KernelArena | null },
): ColumnRanks {
  const { rows: n, cols: d, data } = m;
  const { shared } = options;
  const arena = options.arena ?? null;
  if (arena) {
    const done = rankInArena(m, arena, options.order);
    if (done) return done;
  }
  const i32 = (len: number) =>
    arena ? arena.i32(len) : shared ? new Int32Array(new SharedArrayBuffer(len * 4)) : new Int32Array(len);
  const rank = i32(n * d);
  const order = options.order ? i32(n * d) : null;
  const start = new Int32Array(d + 1);
  const close = new Uint8Array(d);
  const bits = new Uint32Array(2);
  const sc: RadixScratch = {
    hiA: new Uint32Array(n),
    loA: new Uint32Array(n),
    ixA: new Int32Array(n),
    hiB: new Uint32Array(n),
    loB: new Uint32Array(n),
    ixB: new Int32Array(n),
    // Six digits: bits 0–10, 11–21, 22–31 of the low word, then the same of the high word.
    hist: new Int32Array(6 * BUCKETS),
    bits,
    f64: new Float64Array(bits.buffer),
  };
  let distinctParts: Float64Array[] = [];
  let total = 0;
  const values = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    sc.hist.fill(0);
    loadKeys(data, n, d, j, sc);
    for (let pass = 0; pass < 6; pass++) radixPass(sc, n, pass);
    const count = assignRanks(sc, n, j * n, rank, values);
    if (hasCloseValues(values, count)) close[j] = 1;
    if (order) order.set(sc.ixA, j * n);
    distinctParts.push(values.slice(0, count));
    total += count;
    start[j + 1] = total;
  }
  const distinct = arena
    ? arena.f64(total)
    : shared
      ? new Float64Array(new SharedArrayBuffer(total * 8))
      : new Float64Array(total);
  for (let j = 0; j < d; j++) distinct.set(distinctParts[j], start[j]);
  distinctParts = [];
  if (arena) return { rank, distinct, start: arena.copy(start), close: arena.copy(close), order };
  return { rank, distinct, start: shared ? toShared(start) : start, close, order };
}

/** Feature j's keys and row indices into the A arrays, and the six digits' histograms. */
function loadKeys(data: Float64Array, n: number, d: number, j: number, sc: RadixScratch): void {
  const { hiA, loA, ixA, hist, bits, f64 } = sc;
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
    hist[l & MASK]++;
    hist[BUCKETS + ((l >>> 11) & MASK)]++;
    hist[2 * BUCKETS + (l >>> 22)]++;
    hist[3 * BUCKETS + (h & MASK)]++;
    hist[4 * BUCKETS + ((h >>> 11) & MASK)]++;
    hist[5 * BUCKETS + (h >>> 22)]++;
  }
}

/** One stable pass on digit `pass` (A → B, then B becomes A); skipped when every row shares it. */
function radixPass(sc: RadixScratch, n: number, pass: number): void {
  const ho = pass * BUCKETS;
  const key = pass < 3 ? sc.loA : sc.hiA;
  const sh = (pass % 3) * DIGIT;
  // A digit shared by every row does not reorder anything.
  if (sc.hist[ho + ((key[0] >>> sh) & MASK)] === n) return;
  prefixSums(sc.hist, ho);
  scatter(sc, n, key, sh, ho);
  const { hiA, loA, ixA } = sc;
  sc.hiA = sc.hiB;
  sc.loA = sc.loB;
  sc.ixA = sc.ixB;
  sc.hiB = hiA;
  sc.loB = loA;
  sc.ixB = ixA;
}

/** Exclusive prefix sums of one digit's histogram → the first slot of each bucket. */
function prefixSums(hist: Int32Array, ho: number): void {
  let sum = 0;
  for (let b = 0; b < BUCKETS; b++) {
    const c = hist[ho + b];
    hist[ho + b] = sum;
    sum += c;
  }
}

/** Moves keys and row indices from A to their bucket slots in B. */
function scatter(sc: RadixScratch, n: number, key: Uint32Array, sh: number, ho: number): void {
  const { hiA, loA, ixA, hiB, loB, ixB, hist } = sc;
  for (let i = 0; i < n; i++) {
    const q = hist[ho + ((key[i] >>> sh) & MASK)]++;
    hiB[q] = hiA[i];
    loB[q] = loA[i];
    ixB[q] = ixA[i];
  }
}

/**
 * Walks the sorted keys: a new distinct value (into `values`) wherever the bit pattern changes,
 * each row's dense rank into `rank` from `off`. Returns the number of distinct values.
 */
function assignRanks(
  sc: RadixScratch,
  n: number,
  off: number,
  rank: Int32Array,
  values: Float64Array,
): number {
  const { hiA, loA, ixA, bits, f64 } = sc;
  let r = -1;
  let ph = 0;
  let pl = 0;
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
      values[++r] = f64[0];
    }
    rank[off + ixA[i]] = r;
  }
  return r + 1;
}

/** Whether two consecutive distinct values are too close to split apart (the grower's rule,
 * FEATURE_THRESHOLD in grower.ts). */
function hasCloseValues(values: Float64Array, count: number): boolean {
  for (let r = 1; r < count; r++) if (!(values[r] > values[r - 1] + 1e-7)) return true;
  return false;
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
  /**
   * Put the ranks, distinct values, columns and targets in this shared WebAssembly memory
   * instead, where the tree kernel reads them (see `grower-wasm.ts`); null or absent: not.
   */
  arena?: KernelArena | null;
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
  options: { columns: boolean; shared: boolean; arena?: KernelArena | null },
): GrowLayout {
  const best = splitter === 'best';
  const sortMax = best ? sortThreshold(d, maxFeatures) : 0;
  return {
    lists: best && sortMax < n,
    ranks: best,
    columns: !best || options.columns,
    shared: options.shared,
    arena: options.arena ?? null,
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
  const arena = layout.arena ?? null;
  const keepX = layout.columns || !(lists || ranks);
  const ranked = lists || ranks ? rankColumns(m, { order: lists, shared, arena }) : null;
  const share = <T extends Int32Array | Float64Array>(a: T | null): T | null =>
    a && arena ? arena.copy(a) : a && shared ? toShared(a) : a;
  return {
    Xc: keepX ? columnMajor(m, shared, arena) : new Float64Array(0),
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
    kernelMemory: arena ? arena.memory : null,
  };
}
