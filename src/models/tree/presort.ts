/**
 * Training data in the form the tree grower wants: features column-major (one contiguous
 * `Float64Array` slice per feature) and, for the exhaustive ("best") splitter, every feature's
 * rows sorted once by value, so that no node ever sorts again.
 *
 * @module
 */

import type { Matrix } from '../../core/matrix.ts';
import { toShared } from '../../core/pool.ts';
import { type GrowData, sortThreshold } from './grower.ts';

/** Column-major copy of `m` (feature j at `out[j * rows .. (j + 1) * rows)`), optionally shared. */
export function columnMajor(m: Matrix, shared = false): Float64Array {
  const { rows, cols, data } = m;
  const out = shared
    ? new Float64Array(new SharedArrayBuffer(rows * cols * 8))
    : new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = data[base + j];
  }
  return out;
}

/**
 * For each feature, the row indices sorted by value (stable: equal values keep row order).
 * `Xc` is column-major (n × d). Returns a `d × n` Int32Array, optionally in shared memory.
 *
 * A stable LSD radix sort on the IEEE-754 bit patterns (turned into unsigned, order-preserving
 * keys), 16 bits per pass (8 for small n): linear in n, and much faster than a comparator sort on indices.
 */
export function argsortColumns(Xc: Float64Array, n: number, d: number, shared = false): Int32Array {
  const out = shared ? new Int32Array(new SharedArrayBuffer(n * d * 4)) : new Int32Array(n * d);
  const bits = new Uint32Array(2);
  const f64 = new Float64Array(bits.buffer);
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  const idxA = new Int32Array(n);
  const idxB = new Int32Array(n);
  // 16-bit digits (4 passes) for large n; 8-bit digits (8 passes, small count table) otherwise.
  const bitsPerPass = n >= 1 << 15 ? 16 : 8;
  const passes = 64 / bitsPerPass;
  const buckets = 1 << bitsPerPass;
  const mask = buckets - 1;
  const count = new Int32Array(buckets + 1);
  for (let j = 0; j < d; j++) {
    const off = j * n;
    for (let i = 0; i < n; i++) {
      f64[0] = Xc[off + i];
      let h = bits[1];
      let l = bits[0];
      if (h & 0x80000000) {
        h = ~h >>> 0;
        l = ~l >>> 0;
      } else {
        h = (h | 0x80000000) >>> 0;
      }
      hi[i] = h;
      lo[i] = l;
      idxA[i] = i;
    }
    let src = idxA;
    let dst = idxB;
    for (let pass = 0; pass < passes; pass++) {
      const key = pass < passes / 2 ? lo : hi;
      const shift = (pass % (passes / 2)) * bitsPerPass;
      // Skip a pass whose digit is the same for every row (common for the low bits of integers).
      const first = (key[src[0]] >>> shift) & mask;
      let same = true;
      for (let i = 1; i < n; i++) {
        if (((key[src[i]] >>> shift) & mask) !== first) {
          same = false;
          break;
        }
      }
      if (same) continue;
      count.fill(0);
      for (let i = 0; i < n; i++) count[((key[src[i]] >>> shift) & mask) + 1]++;
      for (let b = 1; b <= buckets; b++) count[b] += count[b - 1];
      for (let i = 0; i < n; i++) {
        const r = src[i];
        dst[count[(key[r] >>> shift) & mask]++] = r;
      }
      const t = src;
      src = dst;
      dst = t;
    }
    out.set(src, off);
  }
  return out;
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
  const Xc = columnMajor(m, shared && keepX);
  const order = lists || ranks ? argsortColumns(Xc, n, d, shared && lists) : null;
  const share = <T extends Int32Array | Float64Array>(a: T | null): T | null =>
    a && shared ? toShared(a) : a;
  const dense = ranks && order ? denseRanks(Xc, order, n, d, shared) : null;
  return {
    Xc: keepX ? Xc : new Float64Array(0),
    n,
    d,
    yCode: share(target.yCode),
    yValue: share(target.yValue),
    nClasses: target.nClasses,
    order: lists ? order : null,
    rank: dense ? dense.rank : null,
    distinct: dense ? dense.distinct : null,
    distinctStart: dense ? dense.start : null,
    closeValues: dense ? dense.close : null,
  };
}

/** Dense ranks of every feature (see {@link denseRanks}). */
export interface DenseRanks {
  /** d × n: row i's value of feature j is the `rank[j·n + i]`-th smallest distinct one. */
  rank: Int32Array;
  /** Each feature's distinct values, ascending, concatenated. */
  distinct: Float64Array;
  /** Start of each feature's values in `distinct` (d + 1 entries). */
  start: Int32Array;
  /** Per feature, 1 when two of its distinct values are within 1e-7 of each other, else 0. */
  close: Uint8Array;
}

/**
 * Dense ranks from each feature's sort order ({@link argsortColumns}): equal values share a rank,
 * and ranks count distinct values from 0. `-0` and `0` are one value.
 */
export function denseRanks(
  Xc: Float64Array,
  order: Int32Array,
  n: number,
  d: number,
  shared = false,
): DenseRanks {
  const rank = shared ? new Int32Array(new SharedArrayBuffer(n * d * 4)) : new Int32Array(n * d);
  const start = new Int32Array(d + 1);
  let total = 0;
  for (let j = 0; j < d; j++) {
    const off = j * n;
    let r = -1;
    let prev = Number.NaN;
    for (let i = 0; i < n; i++) {
      const s = order[off + i];
      const v = Xc[off + s];
      if (v !== prev) {
        r++;
        prev = v;
      }
      rank[off + s] = r;
    }
    total += r + 1;
    start[j + 1] = total;
  }
  const distinct = shared ? new Float64Array(new SharedArrayBuffer(total * 8)) : new Float64Array(total);
  const close = new Uint8Array(d);
  for (let j = 0; j < d; j++) {
    const off = j * n;
    let at = start[j] - 1;
    let prev = Number.NaN;
    for (let i = 0; i < n; i++) {
      const v = Xc[off + order[off + i]];
      if (v !== prev) {
        // The grower's rule for values too close to split apart (FEATURE_THRESHOLD in grower.ts).
        if (at >= start[j] && !(v > prev + 1e-7)) close[j] = 1;
        distinct[++at] = v;
        prev = v;
      }
    }
  }
  return { rank, distinct, start: shared ? toShared(start) : start, close };
}
