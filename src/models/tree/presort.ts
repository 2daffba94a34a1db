/**
 * Training data in the form the tree grower wants: features column-major (one contiguous
 * `Float64Array` slice per feature) and, for the exhaustive ("best") splitter, every feature's
 * rows sorted once by value, so that no node ever sorts again.
 *
 * @module
 */

import type { Matrix } from '../../core/matrix.ts';
import { toShared } from '../../core/pool.ts';
import type { GrowData } from './grower.ts';

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

/** Each feature's values in `order` (from {@link argsortColumns}): d × n, optionally shared. */
export function sortedValues(
  Xc: Float64Array,
  order: Int32Array,
  n: number,
  d: number,
  shared = false,
): Float64Array {
  const out = shared ? new Float64Array(new SharedArrayBuffer(n * d * 8)) : new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const off = j * n;
    for (let i = 0; i < n; i++) out[off + i] = Xc[off + order[off + i]];
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
  /** Sort order and sorted values per feature (the exhaustive splitter). */
  presort: boolean;
  /** Each row's rank per feature (small-node sorting; see `sortThreshold` in grower.ts). */
  ranks: boolean;
  /** Keep the column-major features (the random splitter, out-of-bag predictions). */
  columns: boolean;
  /** Put every array in shared memory (for pool workers). */
  shared: boolean;
}

/**
 * Lays out a matrix for the grower: column-major features, plus each feature's sort order,
 * sorted values and ranks when the exhaustive splitter will run. Arrays not asked for are left
 * empty, so a large forest does not hold memory it will not read.
 */
export function prepareGrowData(m: Matrix, target: GrowTarget, layout: GrowLayout): GrowData {
  const { rows: n, cols: d } = m;
  const { presort, shared } = layout;
  const keepX = layout.columns || !presort;
  const Xc = columnMajor(m, shared && keepX);
  const order = presort ? argsortColumns(Xc, n, d, shared) : null;
  const share = <T extends Int32Array | Float64Array>(a: T | null): T | null =>
    a && shared ? toShared(a) : a;
  return {
    Xc: keepX ? Xc : new Float64Array(0),
    n,
    d,
    yCode: share(target.yCode),
    yValue: share(target.yValue),
    nClasses: target.nClasses,
    order,
    sorted: order ? sortedValues(Xc, order, n, d, shared) : null,
    rank: order && layout.ranks ? ranksOf(order, n, d, shared) : null,
  };
}

/** Inverse of {@link argsortColumns}: each row's position in its feature's sorted order. */
export function ranksOf(order: Int32Array, n: number, d: number, shared = false): Int32Array {
  const out = shared ? new Int32Array(new SharedArrayBuffer(n * d * 4)) : new Int32Array(n * d);
  for (let j = 0; j < d; j++) {
    const off = j * n;
    for (let i = 0; i < n; i++) out[off + order[off + i]] = i;
  }
  return out;
}
