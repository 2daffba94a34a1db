// Hot kernels of histogram gradient boosting, compiled to WebAssembly (SIMD) by
// scripts/build-wasm.mjs. Every function works on pointers into one imported, shared memory that
// the TypeScript side lays out (src/models/ensemble/hist-gradient-boosting/arena.ts); nothing here
// allocates. src/models/ensemble/hist-gradient-boosting/kernels.ts holds the plain-TypeScript twin
// of each function, and the tests hold the two to the same bits: every histogram bin is summed in
// the same row order, so the results are identical.
//
// Layouts:
// - bins: column-major u8, feature f of row r at bins + f * nRows + r;
// - gradients: (gradient, hessian) f64 pairs, 16 bytes per row, by row (the root reads them as
//   they are) or gathered in a node's row order (`gather`);
// - hist: (sum gradient, sum hessian) f64 pairs, feature f bin b at hist + ((f * slots + b) << 4);
// - counts: u32, feature f bin b at counts + ((f * slots + b) << 2).

import { fdlibmExp } from './_fdlibm';

/** Start of the module's static data end: the TypeScript arena allocates above it. */
export function heapBase(): usize {
  return __heap_base;
}

/** gh[i] = src[idx[i]] for i < cnt: (gradient, hessian) pairs, 16 bytes each, in node order. */
export function gather(idx: usize, cnt: i32, src: usize, gh: usize): void {
  for (let i = 0; i < cnt; i++) {
    const r = <usize>load<u32>(idx + (<usize>i << 2)) << 4;
    v128.store(gh + (<usize>i << 4), v128.load(src + r));
  }
}

/** Zeroes the histograms (sums and counts) of features [f0, f1). */
export function clearHist(f0: i32, f1: i32, slots: i32, hist: usize, counts: usize): void {
  const a = <usize>(f0 * slots);
  const b = <usize>(f1 * slots);
  memory.fill(hist + (a << 4), 0, (b - a) << 4);
  memory.fill(counts + (a << 2), 0, (b - a) << 2);
}

/**
 * Adds the rows idx[0..cnt) to the histograms of features [f0, f1) (which must be zeroed).
 * Four features per pass over the rows: each (gradient, hessian) pair is loaded once and added to
 * four histograms with one SIMD add each, four independent dependency chains.
 */
export function buildHist(
  bins: usize,
  nRows: i32,
  idx: usize,
  cnt: i32,
  gh: usize,
  f0: i32,
  f1: i32,
  slots: i32,
  hist: usize,
  counts: usize,
): void {
  const n = <usize>nRows;
  const s = <usize>slots;
  let f = f0;
  for (; f + 4 <= f1; f += 4) {
    const c0 = bins + <usize>f * n;
    const c1 = c0 + n;
    const c2 = c1 + n;
    const c3 = c2 + n;
    const h0 = hist + ((<usize>f * s) << 4);
    const h1 = h0 + (s << 4);
    const h2 = h1 + (s << 4);
    const h3 = h2 + (s << 4);
    const k0 = counts + ((<usize>f * s) << 2);
    const k1 = k0 + (s << 2);
    const k2 = k1 + (s << 2);
    const k3 = k2 + (s << 2);
    for (let i = 0; i < cnt; i++) {
      const r = <usize>load<u32>(idx + (<usize>i << 2));
      const v = v128.load(gh + (<usize>i << 4));
      const b0 = <usize>load<u8>(c0 + r);
      const b1 = <usize>load<u8>(c1 + r);
      const b2 = <usize>load<u8>(c2 + r);
      const b3 = <usize>load<u8>(c3 + r);
      const p0 = h0 + (b0 << 4);
      v128.store(p0, f64x2.add(v128.load(p0), v));
      const p1 = h1 + (b1 << 4);
      v128.store(p1, f64x2.add(v128.load(p1), v));
      const p2 = h2 + (b2 << 4);
      v128.store(p2, f64x2.add(v128.load(p2), v));
      const p3 = h3 + (b3 << 4);
      v128.store(p3, f64x2.add(v128.load(p3), v));
      const q0 = k0 + (b0 << 2);
      store<u32>(q0, load<u32>(q0) + 1);
      const q1 = k1 + (b1 << 2);
      store<u32>(q1, load<u32>(q1) + 1);
      const q2 = k2 + (b2 << 2);
      store<u32>(q2, load<u32>(q2) + 1);
      const q3 = k3 + (b3 << 2);
      store<u32>(q3, load<u32>(q3) + 1);
    }
  }
  for (; f < f1; f++) {
    const c0 = bins + <usize>f * n;
    const h0 = hist + ((<usize>f * s) << 4);
    const k0 = counts + ((<usize>f * s) << 2);
    for (let i = 0; i < cnt; i++) {
      const r = <usize>load<u32>(idx + (<usize>i << 2));
      const v = v128.load(gh + (<usize>i << 4));
      const b0 = <usize>load<u8>(c0 + r);
      const p0 = h0 + (b0 << 4);
      v128.store(p0, f64x2.add(v128.load(p0), v));
      const q0 = k0 + (b0 << 2);
      store<u32>(q0, load<u32>(q0) + 1);
    }
  }
}

/** As {@link buildHist} for the root: rows 0..cnt-1 in order, no index (sequential reads). */
export function buildHistRoot(
  bins: usize,
  nRows: i32,
  cnt: i32,
  gh: usize,
  f0: i32,
  f1: i32,
  slots: i32,
  hist: usize,
  counts: usize,
): void {
  const n = <usize>nRows;
  const s = <usize>slots;
  let f = f0;
  for (; f + 4 <= f1; f += 4) {
    const c0 = bins + <usize>f * n;
    const c1 = c0 + n;
    const c2 = c1 + n;
    const c3 = c2 + n;
    const h0 = hist + ((<usize>f * s) << 4);
    const h1 = h0 + (s << 4);
    const h2 = h1 + (s << 4);
    const h3 = h2 + (s << 4);
    const k0 = counts + ((<usize>f * s) << 2);
    const k1 = k0 + (s << 2);
    const k2 = k1 + (s << 2);
    const k3 = k2 + (s << 2);
    for (let i = 0; i < cnt; i++) {
      const r = <usize>i;
      const v = v128.load(gh + (r << 4));
      const b0 = <usize>load<u8>(c0 + r);
      const b1 = <usize>load<u8>(c1 + r);
      const b2 = <usize>load<u8>(c2 + r);
      const b3 = <usize>load<u8>(c3 + r);
      const p0 = h0 + (b0 << 4);
      v128.store(p0, f64x2.add(v128.load(p0), v));
      const p1 = h1 + (b1 << 4);
      v128.store(p1, f64x2.add(v128.load(p1), v));
      const p2 = h2 + (b2 << 4);
      v128.store(p2, f64x2.add(v128.load(p2), v));
      const p3 = h3 + (b3 << 4);
      v128.store(p3, f64x2.add(v128.load(p3), v));
      const q0 = k0 + (b0 << 2);
      store<u32>(q0, load<u32>(q0) + 1);
      const q1 = k1 + (b1 << 2);
      store<u32>(q1, load<u32>(q1) + 1);
      const q2 = k2 + (b2 << 2);
      store<u32>(q2, load<u32>(q2) + 1);
      const q3 = k3 + (b3 << 2);
      store<u32>(q3, load<u32>(q3) + 1);
    }
  }
  for (; f < f1; f++) {
    const c0 = bins + <usize>f * n;
    const h0 = hist + ((<usize>f * s) << 4);
    const k0 = counts + ((<usize>f * s) << 2);
    for (let i = 0; i < cnt; i++) {
      const r = <usize>i;
      const v = v128.load(gh + (r << 4));
      const b0 = <usize>load<u8>(c0 + r);
      const p0 = h0 + (b0 << 4);
      v128.store(p0, f64x2.add(v128.load(p0), v));
      const q0 = k0 + (b0 << 2);
      store<u32>(q0, load<u32>(q0) + 1);
    }
  }
}

/**
 * As {@link buildHistRoot} for the sums only: the root holds every row, so its counts are the same
 * for every tree and are copied from `rootCounts` (the counts of a first root build).
 */
export function buildHistRootSums(
  bins: usize,
  nRows: i32,
  cnt: i32,
  gh: usize,
  f0: i32,
  f1: i32,
  slots: i32,
  hist: usize,
  rootCounts: usize,
  counts: usize,
): void {
  const n = <usize>nRows;
  const s = <usize>slots;
  const a = <usize>f0 * s;
  memory.copy(counts + (a << 2), rootCounts + (a << 2), (<usize>(f1 - f0) * s) << 2);
  let f = f0;
  for (; f + 4 <= f1; f += 4) {
    const c0 = bins + <usize>f * n;
    const c1 = c0 + n;
    const c2 = c1 + n;
    const c3 = c2 + n;
    const h0 = hist + ((<usize>f * s) << 4);
    const h1 = h0 + (s << 4);
    const h2 = h1 + (s << 4);
    const h3 = h2 + (s << 4);
    for (let i = 0; i < cnt; i++) {
      const r = <usize>i;
      const v = v128.load(gh + (r << 4));
      const p0 = h0 + (<usize>load<u8>(c0 + r) << 4);
      v128.store(p0, f64x2.add(v128.load(p0), v));
      const p1 = h1 + (<usize>load<u8>(c1 + r) << 4);
      v128.store(p1, f64x2.add(v128.load(p1), v));
      const p2 = h2 + (<usize>load<u8>(c2 + r) << 4);
      v128.store(p2, f64x2.add(v128.load(p2), v));
      const p3 = h3 + (<usize>load<u8>(c3 + r) << 4);
      v128.store(p3, f64x2.add(v128.load(p3), v));
    }
  }
  for (; f < f1; f++) {
    const c0 = bins + <usize>f * n;
    const h0 = hist + ((<usize>f * s) << 4);
    for (let i = 0; i < cnt; i++) {
      const r = <usize>i;
      const p0 = h0 + (<usize>load<u8>(c0 + r) << 4);
      v128.store(p0, f64x2.add(v128.load(p0), v128.load(gh + (r << 4))));
    }
  }
}

/** raw[r] += value for the rows r = idx[0..cnt) of one leaf. */
export function addLeafValue(idx: usize, cnt: i32, raw: usize, value: f64): void {
  for (let i = 0; i < cnt; i++) {
    const p = raw + (<usize>load<u32>(idx + (<usize>i << 2)) << 3);
    store<f64>(p, load<f64>(p) + value);
  }
}

/**
 * Bins rows [0, nRows) of the row-major f64 matrix X (d columns) into the column-major u8 matrix
 * out (outRows rows, starting at row outRow0). thrOff[j] / thrLen[j] locate feature j's thresholds
 * in thr, padded with +inf to 2^b − 1 entries (b = the bit length of thrLen[j]); thrLen[j] < 0
 * marks a column this kernel skips (categorical). NaN goes to missingBin. Bin of x: the number of
 * thresholds below x (= the first threshold ≥ x, as a left binary search finds), by an unrolled
 * branch-free search. Blocks of rows, feature by feature (one feature's thresholds in cache).
 */
export function binRows(
  X: usize,
  nRows: i32,
  d: i32,
  thr: usize,
  thrOff: usize,
  thrLen: usize,
  missingBin: i32,
  out: usize,
  outRows: i32,
  outRow0: i32,
): void {
  const rowBytes = <usize>d << 3;
  const BLOCK = 512;
  for (let b0 = 0; b0 < nRows; b0 += BLOCK) {
    const b1 = min(nRows, b0 + BLOCK);
    for (let j = 0; j < d; j++) {
      const len = load<i32>(thrLen + (<usize>j << 2));
      if (len < 0) continue;
      const lg = 32 - clz<i32>(len);
      const t = thr + (<usize>load<i32>(thrOff + (<usize>j << 2)) << 3);
      const dst = out + <usize>j * <usize>outRows + <usize>outRow0;
      let src = X + <usize>b0 * rowBytes + (<usize>j << 3);
      for (let i = b0; i < b1; i++, src += rowBytes) {
        const x = load<f64>(src);
        store<u8>(dst + <usize>i, <u8>select<i32>(missingBin, qsSearch(t, lg, x), x != x));
      }
    }
  }
}

/** out = parent − child for the sums and counts of features [f0, f1) (the subtraction trick). */
export function subtractHist(
  f0: i32,
  f1: i32,
  slots: i32,
  parentHist: usize,
  parentCounts: usize,
  childHist: usize,
  childCounts: usize,
  outHist: usize,
  outCounts: usize,
): void {
  const a = <usize>(f0 * slots);
  const b = <usize>(f1 * slots);
  for (let k = a; k < b; k++) {
    const o = k << 4;
    v128.store(outHist + o, f64x2.sub(v128.load(parentHist + o), v128.load(childHist + o)));
  }
  for (let k = a; k < b; k++) {
    const o = k << 2;
    store<u32>(outCounts + o, load<u32>(parentCounts + o) - load<u32>(childCounts + o));
  }
}

/**
 * Stable partition of idx[0..cnt) by column `col` (u8 bins of one feature): rows whose bin b has
 * goesLeft[b] = 1 first, in order, then the others, in order. `buf` holds cnt u32 of scratch.
 * Branch-free. Returns the number of rows that went left.
 */
export function partition(col: usize, idx: usize, cnt: i32, goesLeft: usize, buf: usize): i32 {
  let nl: usize = 0;
  let nr: usize = 0;
  for (let i = 0; i < cnt; i++) {
    const r = load<u32>(idx + (<usize>i << 2));
    const gl = <usize>load<u8>(goesLeft + <usize>load<u8>(col + <usize>r));
    store<u32>(idx + (nl << 2), r);
    store<u32>(buf + (nr << 2), r);
    nl += gl;
    nr += 1 - gl;
  }
  memory.copy(idx + (nl << 2), buf, nr << 2);
  return <i32>nl;
}

// ---------------------------------------------------------------------------------------------
// Prediction. Nodes are 16-byte records: f64 threshold, i32 feature | flags, i32 left child; the
// right child is left + 1. A leaf loops to itself (threshold +inf, missing-left set), so the walk
// needs no branch per row: eight rows walk together (their loads overlap) until all eight are in
// leaves, at most the tree's depth. Leaf values are in a separate f64 array indexed by node.

const LEAF: i32 = 1 << 28;
const MISSING_LEFT: i32 = 1 << 30;
const CATEGORICAL: i32 = 1 << 29;
const FEATURE_MASK: i32 = (1 << 28) - 1;

// @ts-ignore: decorator
@inline
function step(rec: usize, row: usize, catWords: usize): i32 {
  const fl = load<i32>(rec, 8);
  const x = load<f64>(row + (<usize>(fl & FEATURE_MASK) << 3));
  const thr = load<f64>(rec);
  let right: i32;
  if (fl & CATEGORICAL) {
    // thr holds the word offset of the raw-code bitset and its word count (offset * 2^20 + words).
    const off = <usize>(<i64>thr >> 20);
    const words = <i32>(<i64>thr & 0xfffff);
    if (x != x) right = i32((fl & MISSING_LEFT) == 0);
    else if (x >= 0 && x < <f64>(words << 5)) {
      const c = <i32>x;
      right = i32(((load<u32>(catWords + ((off + <usize>(c >>> 5)) << 2)) >>> (c & 31)) & 1) == 0);
    } else right = i32((fl & MISSING_LEFT) == 0); // an unknown code goes where missing values go
  } else {
    right = i32(x > thr) | (i32(x != x) & i32((fl & MISSING_LEFT) == 0));
  }
  return load<i32>(rec, 12) + right;
}

// @ts-ignore: decorator
@inline
function stepNumeric(rec: usize, row: usize): i32 {
  const fl = load<i32>(rec, 8);
  const x = load<f64>(row + (<usize>(fl & FEATURE_MASK) << 3));
  const thr = load<f64>(rec);
  // Missing values go left: x > thr is false for NaN. Missing go right: !(x <= thr) is true.
  const right = select<i32>(i32(x > thr), i32(!(x <= thr)), fl & MISSING_LEFT);
  return load<i32>(rec, 12) + right;
}

/**
 * out[k * outStride + i] += sum over trees t (t % K == k) of the leaf value reached by row i of
 * the row-major f64 matrix X (d columns). Trees in order; each row's sum starts from out's value.
 */
export function predictRows(
  X: usize,
  nRows: i32,
  d: i32,
  nodes: usize,
  values: usize,
  treeRoot: usize,
  treeDepth: usize,
  nTrees: i32,
  K: i32,
  catWords: usize,
  out: usize,
  outStride: i32,
): void {
  const rowBytes = <usize>d << 3;
  const BLOCK = 256;
  for (let b0 = 0; b0 < nRows; b0 += BLOCK) {
    const b1 = min(nRows, b0 + BLOCK);
    for (let t = 0; t < nTrees; t++) {
      const root = load<i32>(treeRoot + (<usize>t << 2));
      const depth = load<i32>(treeDepth + (<usize>t << 2));
      const o = out + ((<usize>((t % K) * outStride)) << 3);
      let i = b0;
      for (; i + 8 <= b1; i += 8) {
        const r0 = X + <usize>i * rowBytes;
        const r1 = r0 + rowBytes;
        const r2 = r1 + rowBytes;
        const r3 = r2 + rowBytes;
        const r4 = r3 + rowBytes;
        const r5 = r4 + rowBytes;
        const r6 = r5 + rowBytes;
        const r7 = r6 + rowBytes;
        let n0 = root;
        let n1 = root;
        let n2 = root;
        let n3 = root;
        let n4 = root;
        let n5 = root;
        let n6 = root;
        let n7 = root;
        for (let s = 0; s < depth; s++) {
          n0 = step(nodes + (<usize>n0 << 4), r0, catWords);
          n1 = step(nodes + (<usize>n1 << 4), r1, catWords);
          n2 = step(nodes + (<usize>n2 << 4), r2, catWords);
          n3 = step(nodes + (<usize>n3 << 4), r3, catWords);
          n4 = step(nodes + (<usize>n4 << 4), r4, catWords);
          n5 = step(nodes + (<usize>n5 << 4), r5, catWords);
          n6 = step(nodes + (<usize>n6 << 4), r6, catWords);
          n7 = step(nodes + (<usize>n7 << 4), r7, catWords);
          // Stop early once the eight rows are all in leaves.
          const all =
            load<i32>(nodes + (<usize>n0 << 4), 8) &
            load<i32>(nodes + (<usize>n1 << 4), 8) &
            load<i32>(nodes + (<usize>n2 << 4), 8) &
            load<i32>(nodes + (<usize>n3 << 4), 8) &
            load<i32>(nodes + (<usize>n4 << 4), 8) &
            load<i32>(nodes + (<usize>n5 << 4), 8) &
            load<i32>(nodes + (<usize>n6 << 4), 8) &
            load<i32>(nodes + (<usize>n7 << 4), 8);
          if (all & LEAF) break;
        }
        const p = o + (<usize>i << 3);
        store<f64>(p, load<f64>(p) + load<f64>(values + (<usize>n0 << 3)));
        store<f64>(p, load<f64>(p, 8) + load<f64>(values + (<usize>n1 << 3)), 8);
        store<f64>(p, load<f64>(p, 16) + load<f64>(values + (<usize>n2 << 3)), 16);
        store<f64>(p, load<f64>(p, 24) + load<f64>(values + (<usize>n3 << 3)), 24);
        store<f64>(p, load<f64>(p, 32) + load<f64>(values + (<usize>n4 << 3)), 32);
        store<f64>(p, load<f64>(p, 40) + load<f64>(values + (<usize>n5 << 3)), 40);
        store<f64>(p, load<f64>(p, 48) + load<f64>(values + (<usize>n6 << 3)), 48);
        store<f64>(p, load<f64>(p, 56) + load<f64>(values + (<usize>n7 << 3)), 56);
      }
      for (; i < b1; i++) {
        const r0 = X + <usize>i * rowBytes;
        let n0 = root;
        for (let s = 0; s < depth; s++) {
          n0 = step(nodes + (<usize>n0 << 4), r0, catWords);
          if (load<i32>(nodes + (<usize>n0 << 4), 8) & LEAF) break;
        }
        const p = o + (<usize>i << 3);
        store<f64>(p, load<f64>(p) + load<f64>(values + (<usize>n0 << 3)));
      }
    }
  }
}

/**
 * As {@link predictRows} for ensembles without categorical splits: one branch less per step, and
 * the leaf check every other step.
 */
export function predictRowsNumeric(
  X: usize,
  nRows: i32,
  d: i32,
  nodes: usize,
  values: usize,
  treeRoot: usize,
  treeDepth: usize,
  nTrees: i32,
  K: i32,
  catWords: usize,
  out: usize,
  outStride: i32,
): void {
  const rowBytes = <usize>d << 3;
  const BLOCK = 256;
  for (let b0 = 0; b0 < nRows; b0 += BLOCK) {
    const b1 = min(nRows, b0 + BLOCK);
    for (let t = 0; t < nTrees; t++) {
      const root = load<i32>(treeRoot + (<usize>t << 2));
      const depth = load<i32>(treeDepth + (<usize>t << 2));
      const o = out + ((<usize>((t % K) * outStride)) << 3);
      let i = b0;
      for (; i + 8 <= b1; i += 8) {
        const r0 = X + <usize>i * rowBytes;
        const r1 = r0 + rowBytes;
        const r2 = r1 + rowBytes;
        const r3 = r2 + rowBytes;
        const r4 = r3 + rowBytes;
        const r5 = r4 + rowBytes;
        const r6 = r5 + rowBytes;
        const r7 = r6 + rowBytes;
        let n0 = root;
        let n1 = root;
        let n2 = root;
        let n3 = root;
        let n4 = root;
        let n5 = root;
        let n6 = root;
        let n7 = root;
        for (let s = 0; s < depth; s += 2) {
          // Two steps per check (a leaf loops to itself, so an extra step is harmless).
          n0 = stepNumeric(nodes + (<usize>n0 << 4), r0);
          n1 = stepNumeric(nodes + (<usize>n1 << 4), r1);
          n2 = stepNumeric(nodes + (<usize>n2 << 4), r2);
          n3 = stepNumeric(nodes + (<usize>n3 << 4), r3);
          n4 = stepNumeric(nodes + (<usize>n4 << 4), r4);
          n5 = stepNumeric(nodes + (<usize>n5 << 4), r5);
          n6 = stepNumeric(nodes + (<usize>n6 << 4), r6);
          n7 = stepNumeric(nodes + (<usize>n7 << 4), r7);
          n0 = stepNumeric(nodes + (<usize>n0 << 4), r0);
          n1 = stepNumeric(nodes + (<usize>n1 << 4), r1);
          n2 = stepNumeric(nodes + (<usize>n2 << 4), r2);
          n3 = stepNumeric(nodes + (<usize>n3 << 4), r3);
          n4 = stepNumeric(nodes + (<usize>n4 << 4), r4);
          n5 = stepNumeric(nodes + (<usize>n5 << 4), r5);
          n6 = stepNumeric(nodes + (<usize>n6 << 4), r6);
          n7 = stepNumeric(nodes + (<usize>n7 << 4), r7);
          // Stop early once the eight rows are all in leaves.
          const all =
            load<i32>(nodes + (<usize>n0 << 4), 8) &
            load<i32>(nodes + (<usize>n1 << 4), 8) &
            load<i32>(nodes + (<usize>n2 << 4), 8) &
            load<i32>(nodes + (<usize>n3 << 4), 8) &
            load<i32>(nodes + (<usize>n4 << 4), 8) &
            load<i32>(nodes + (<usize>n5 << 4), 8) &
            load<i32>(nodes + (<usize>n6 << 4), 8) &
            load<i32>(nodes + (<usize>n7 << 4), 8);
          if (all & LEAF) break;
        }
        const p = o + (<usize>i << 3);
        store<f64>(p, load<f64>(p) + load<f64>(values + (<usize>n0 << 3)));
        store<f64>(p, load<f64>(p, 8) + load<f64>(values + (<usize>n1 << 3)), 8);
        store<f64>(p, load<f64>(p, 16) + load<f64>(values + (<usize>n2 << 3)), 16);
        store<f64>(p, load<f64>(p, 24) + load<f64>(values + (<usize>n3 << 3)), 24);
        store<f64>(p, load<f64>(p, 32) + load<f64>(values + (<usize>n4 << 3)), 32);
        store<f64>(p, load<f64>(p, 40) + load<f64>(values + (<usize>n5 << 3)), 40);
        store<f64>(p, load<f64>(p, 48) + load<f64>(values + (<usize>n6 << 3)), 48);
        store<f64>(p, load<f64>(p, 56) + load<f64>(values + (<usize>n7 << 3)), 56);
      }
      for (; i < b1; i++) {
        const r0 = X + <usize>i * rowBytes;
        let n0 = root;
        for (let s = 0; s < depth; s++) {
          n0 = stepNumeric(nodes + (<usize>n0 << 4), r0);
          if (load<i32>(nodes + (<usize>n0 << 4), 8) & LEAF) break;
        }
        const p = o + (<usize>i << 3);
        store<f64>(p, load<f64>(p) + load<f64>(values + (<usize>n0 << 3)));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Gradients of the binary log loss. `exp` is fdlibm's __ieee754_exp as V8 runs it (./_fdlibm) —
// so that the TypeScript twin (which calls Math.exp) gets the same bits.


/** Exposed for the tests: fdlibm's exp. */
export function expF64(x: f64): f64 {
  return fdlibmExp(x);
}

/**
 * fdlibm's exp on both lanes of an f64x2, bit for bit the scalar {@link fdlibmExp} on each lane:
 * every path of the scalar code is computed for both lanes and the lane's own path selected
 * (lanes on the special paths — overflow, underflow, NaN, ±inf, |x| < 2^-28 — are patched at the
 * end). The k = 0 path (|x| ≤ ln2/2) runs the general formula with hi = x, lo = 0: there
 * `1 − ((0 − xc/(2 − c)) − x)` equals the scalar `1 − (xc/(c − 2) − x)` exactly, as xc/(c − 2) is
 * −(xc/(2 − c)) in IEEE arithmetic and xc ≠ 0.
 */
// @ts-ignore: decorator
@inline
function fdlibmExp2(x: v128): v128 {
  const ln2HI = f64x2.splat(6.93147180369123816490e-1);
  const ln2LO = f64x2.splat(1.90821492927058770002e-10);
  const hx = v128.and(i64x2.shr_u(x, 32), i64x2.splat(0x7fffffff));
  const neg = i64x2.lt_s(x, i64x2.splat(0)); // sign bit set (all ones)
  // |x| > ln2/2: reduce; |x| < 1.5 ln2: k = ±1 directly, else k = trunc(x / ln2 ± 0.5).
  const reduce = i64x2.gt_s(hx, i64x2.splat(0x3fd62e42));
  const near = i64x2.lt_s(hx, i64x2.splat(0x3ff0a2b2));
  const half = v128.bitselect(f64x2.splat(-0.5), f64x2.splat(0.5), neg);
  const kFar = i64x2.extend_low_i32x4_s(
    i32x4.trunc_sat_f64x2_s_zero(f64x2.add(f64x2.mul(f64x2.splat(1.44269504088896338700e0), x), half)),
  );
  const kNear = v128.bitselect(i64x2.splat(-1), i64x2.splat(1), neg);
  let k = v128.bitselect(kNear, kFar, near);
  k = v128.and(k, reduce); // k = 0 without reduction
  const t = f64x2.convert_low_i32x4_s(i32x4.shuffle(k, k, 0, 2, 0, 2));
  // Far: hi = x − t·ln2HI, lo = t·ln2LO. Near: hi = x ∓ ln2HI, lo = ±ln2LO. No reduction: hi = x, lo = 0.
  const hiFar = f64x2.sub(x, f64x2.mul(t, ln2HI));
  const loFar = f64x2.mul(t, ln2LO);
  const hiNear = v128.bitselect(f64x2.add(x, ln2HI), f64x2.sub(x, ln2HI), neg);
  const loNear = v128.bitselect(f64x2.neg(ln2LO), ln2LO, neg);
  const hi = v128.bitselect(v128.bitselect(hiNear, hiFar, near), x, reduce);
  const lo = v128.and(v128.bitselect(loNear, loFar, near), reduce);
  const r = f64x2.sub(hi, lo);
  const tt = f64x2.mul(r, r);
  let p = f64x2.mul(tt, f64x2.splat(4.13813679705723846039e-8));
  p = f64x2.mul(tt, f64x2.add(f64x2.splat(-1.65339022054652515390e-6), p));
  p = f64x2.mul(tt, f64x2.add(f64x2.splat(6.61375632143793436117e-5), p));
  p = f64x2.mul(tt, f64x2.add(f64x2.splat(-2.77777777770155933842e-3), p));
  p = f64x2.mul(tt, f64x2.add(f64x2.splat(1.66666666666666019037e-1), p));
  const c = f64x2.sub(r, p);
  const one = f64x2.splat(1.0);
  const y = f64x2.sub(
    one,
    f64x2.sub(f64x2.sub(lo, f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2.0), c))), hi),
  );
  // y · 2^k: add k to the exponent; below k = −1021, add k + 1000 and multiply by 2^−1000.
  const normal = i64x2.add(y, i64x2.shl(k, 52));
  const subnormal = f64x2.mul(
    i64x2.add(y, i64x2.shl(i64x2.add(k, i64x2.splat(1000)), 52)),
    f64x2.splat(9.33263618503218878990e-302),
  );
  let res = v128.bitselect(normal, subnormal, i64x2.ge_s(k, i64x2.splat(-1021)));
  // |x| < 2^-28 (without reduction): 1 + x.
  res = v128.bitselect(f64x2.add(one, x), res, i64x2.lt_s(hx, i64x2.splat(0x3e300000)));
  // V8 special-cases exactly 1 (the reduction gets its last bit wrong), as the scalar does.
  res = v128.bitselect(f64x2.splat(2.718281828459045), res, f64x2.eq(x, one));
  // Overflow, underflow, ±inf, NaN.
  const nan = f64x2.ne(x, x);
  const big = i64x2.ge_s(hx, i64x2.splat(0x40862e42));
  let special = f64x2.add(x, x); // NaN
  special = v128.bitselect(x, special, f64x2.eq(x, f64x2.splat(Infinity)));
  special = v128.bitselect(f64x2.splat(0), special, f64x2.eq(x, f64x2.splat(-Infinity)));
  special = v128.bitselect(f64x2.splat(Infinity), special, f64x2.gt(x, f64x2.splat(7.09782712893383973096e2)));
  special = v128.bitselect(f64x2.splat(0), special, f64x2.lt(x, f64x2.splat(-7.45133219101941108420e2)));
  const useSpecial = v128.and(
    big,
    v128.or(
      v128.or(nan, i64x2.ge_s(hx, i64x2.splat(0x7ff00000))),
      v128.or(f64x2.gt(x, f64x2.splat(7.09782712893383973096e2)), f64x2.lt(x, f64x2.splat(-7.45133219101941108420e2))),
    ),
  );
  return v128.bitselect(special, res, useSpecial);
}

/** Exposed for the tests: dst[i] = exp(src[i]) for i < n with the two-lane exp (odd n: scalar last). */
export function expF64Array(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) v128.store(dst + (<usize>i << 3), fdlibmExp2(v128.load(src + (<usize>i << 3))));
  if (i < n) store<f64>(dst + (<usize>i << 3), fdlibmExp(load<f64>(src + (<usize>i << 3))));
}

// @ts-ignore: decorator
@inline
function gradBinomialOne(y: usize, raw: usize, w: usize, gh: usize, i: i32): void {
  const o = <usize>i << 3;
  const r = load<f64>(raw + o);
  const yi = load<f64>(y + o);
  let gi: f64;
  let hi: f64;
  if (r > -37) {
    const e = fdlibmExp(-r);
    const inv = 1 / (1 + e);
    gi = (1 - yi - yi * e) * inv;
    hi = e * inv * inv;
  } else {
    const e = fdlibmExp(r);
    gi = e - yi;
    hi = e;
  }
  if (w) {
    const wi = load<f64>(w + o);
    gi = wi * gi;
    hi = wi * hi;
  }
  store<f64>(gh + (o << 1), <f64>(<f32>gi));
  store<f64>(gh + (o << 1), <f64>(<f32>hi), 8);
}

/**
 * Gradients and hessians of the half binomial loss for rows [r0, r1) (scikit-learn's
 * `cgradient_half_binomial`), weighted by w (f64 per row; 0 for no weights), written as
 * (gradient, hessian) pairs at gh + 16 · row, each rounded to f32 (scikit-learn's gradients are
 * float32: the histograms' f64 sums of them are then exact, whatever the order). Two rows at a
 * time with SIMD (the same operations, in the same order, as the scalar code of each row).
 */
export function gradBinomial(y: usize, raw: usize, w: usize, gh: usize, r0: i32, r1: i32): void {
  let i = r0;
  if (i < r1 && i & 1) gradBinomialOne(y, raw, w, gh, i++);
  const one = f64x2.splat(1);
  for (; i + 2 <= r1; i += 2) {
    const o = <usize>i << 3;
    const r = v128.load(raw + o);
    const yi = v128.load(y + o);
    const up = f64x2.gt(r, f64x2.splat(-37));
    const e = fdlibmExp2(v128.bitselect(f64x2.neg(r), r, up));
    const inv = f64x2.div(one, f64x2.add(one, e));
    let gi = v128.bitselect(
      f64x2.mul(f64x2.sub(f64x2.sub(one, yi), f64x2.mul(yi, e)), inv),
      f64x2.sub(e, yi),
      up,
    );
    let hi = v128.bitselect(f64x2.mul(f64x2.mul(e, inv), inv), e, up);
    if (w) {
      const wi = v128.load(w + o);
      gi = f64x2.mul(wi, gi);
      hi = f64x2.mul(wi, hi);
    }
    gi = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(gi));
    hi = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(hi));
    v128.store(gh + (o << 1), v128.shuffle<i64>(gi, hi, 0, 2));
    v128.store(gh + (o << 1), v128.shuffle<i64>(gi, hi, 1, 3), 16);
  }
  if (i < r1) gradBinomialOne(y, raw, w, gh, i);
}

// ---------------------------------------------------------------------------------------------
// Prediction on pre-binned rows with leaf bitvectors (QuickScorer, Lucchese et al. 2015), for
// ensembles whose trees have at most 32 leaves. The TypeScript side
// (src/models/ensemble/hist-gradient-boosting/wasm-predictor.ts, `packBitvector`) derives from the
// trees themselves, per feature, the sorted distinct thresholds (numeric) or the classes of
// category codes that every split on the feature treats alike (categorical), so that:
// - a row is binned once: numeric x → the number of the feature's thresholds below x (0..254),
//   a category code → its class (0..510, class 0 = codes no split sends left), NaN and codes
//   outside the feature's table (unknown categories) → 511 (NaN in a numeric column → 255, see
//   qsBin);
// - a numeric split `x <= threshold` (rank r of the threshold) sends the row right iff bin > r —
//   the same decision as the raw comparison for every x (bin <= r iff x <= threshold, as bins
//   count thresholds); NaN is binned twice, as 255 (for splits sending missing values right) and
//   as −1 (for splits sending them left);
// - a categorical split sends the row left iff its class's bit is set in a 512-bit set (bit 511:
//   missing values go left).
// Every internal node is then evaluated for 16 rows at once with SIMD compares, no branches: a row
// going right at a node loses the leaves of the node's left subtree from its 32-bit leaf mask, and
// the exit leaf is the lowest leaf left (QuickScorer's theorem). Each row's leaf values are added
// to out in tree order, as the walks do, so the sums have the same bits.
//
// Layouts (byte offsets from `base`, little-endian i32 unless noted):
// - trees: 16 bytes per tree: first node, numeric nodes, categorical nodes, first leaf;
// - nodes: 16 bytes: numeric [column offset in the bins block, r, 1, left-subtree leaf mask];
//   categorical [offset of the feature's second column, bitset offset, 0, mask]; per tree numeric
//   nodes come first;
// - leaves: f64 values, per tree in left-to-right order;
// - feats: 16 bytes per used feature: X column, kind (0 numeric, 1 categorical), table offset,
//   P (numeric: thresholds padded with +inf to P − 1, P a power of two, 2 ≤ P ≤ 256) or R
//   (categorical: the u16 class table covers codes 0..R−1; the class of other codes is 0);
// - the bins block: i32, column c of block row i at bins + (c * QS_BLOCK + i) * 4, two columns
//   per used feature (see qsBin).

/** Rows binned together; the trees are walked over each block (tree-outer, rows inner). */
export const QS_BLOCK: i32 = 128;

// @ts-ignore: decorator
@inline
function qsLeaves4(o: usize, vals: usize, acc: v128): void {
  // The exit leaf of each of four rows: the lowest bit left in its mask.
  const l0 = <usize>ctz<i32>(i32x4.extract_lane(acc, 0));
  const l1 = <usize>ctz<i32>(i32x4.extract_lane(acc, 1));
  const l2 = <usize>ctz<i32>(i32x4.extract_lane(acc, 2));
  const l3 = <usize>ctz<i32>(i32x4.extract_lane(acc, 3));
  store<f64>(o, load<f64>(o) + load<f64>(vals + (l0 << 3)));
  store<f64>(o, load<f64>(o, 8) + load<f64>(vals + (l1 << 3)), 8);
  store<f64>(o, load<f64>(o, 16) + load<f64>(vals + (l2 << 3)), 16);
  store<f64>(o, load<f64>(o, 24) + load<f64>(vals + (l3 << 3)), 24);
}

// @ts-ignore: decorator
@inline
function qsCatRight(col: usize, bitset: usize): v128 {
  // For 16 rows: 0xff where the row's class bit is clear in the node's 512-bit set (the row goes
  // right). The class is stored as its byte index (class >> 3) at col and its bit (class & 7) at
  // col + QS_BLOCK; four 16-byte table lookups cover the 64 bytes of the set (a lookup past its
  // 16 bytes gives 0, so stale bytes in a block's unused lanes read nothing).
  const hi = v128.load(col);
  const lo = v128.load(col + <usize>QS_BLOCK);
  const byte = v128.or(
    v128.or(i8x16.swizzle(v128.load(bitset), hi), i8x16.swizzle(v128.load(bitset, 16), i8x16.sub(hi, i8x16.splat(16)))),
    v128.or(
      i8x16.swizzle(v128.load(bitset, 32), i8x16.sub(hi, i8x16.splat(32))),
      i8x16.swizzle(v128.load(bitset, 48), i8x16.sub(hi, i8x16.splat(48))),
    ),
  );
  const bit = i8x16.swizzle(i8x16(1, 2, 4, 8, 16, 32, 64, -128, 1, 2, 4, 8, 16, 32, 64, -128), lo);
  return i8x16.eq(v128.and(byte, bit), i8x16.splat(0));
}

// @ts-ignore: decorator
@inline
function qsSearch(table: usize, lg: i32, x: f64): i32 {
  // The number of thresholds below x: a branch-free binary search over the table padded with
  // +inf to 2^lg − 1 entries, unrolled with constant offsets (NaN compares false: 0).
  let p = table;
  switch (lg) {
    case 8:
      p += 1024 & -(<usize>(load<f64>(p, 1016) < x));
    case 7:
      p += 512 & -(<usize>(load<f64>(p, 504) < x));
    case 6:
      p += 256 & -(<usize>(load<f64>(p, 248) < x));
    case 5:
      p += 128 & -(<usize>(load<f64>(p, 120) < x));
    case 4:
      p += 64 & -(<usize>(load<f64>(p, 56) < x));
    case 3:
      p += 32 & -(<usize>(load<f64>(p, 24) < x));
    case 2:
      p += 16 & -(<usize>(load<f64>(p, 8) < x));
    case 1:
      p += 8 & -(<usize>(load<f64>(p) < x));
  }
  return <i32>((p - table) >> 3);
}

/**
 * Bins rows [0, m) of the row-major X (rowBytes per row) into the bins block, feature by feature
 * (one feature's table stays in cache while the block's rows are binned). Each feature u has two
 * columns: 2u with NaN → 255 (above every bin: missing values go right at `bin > r`) and 2u + 1
 * with NaN → −1 (below every bin: missing values go left).
 */
function qsBin(X: usize, m: i32, rowBytes: usize, base: usize, feats: usize, nUsed: i32, bins: usize): void {
  for (let u = 0; u < nUsed; u++) {
    const fe = feats + (<usize>u << 4);
    const xcol = X + (<usize>load<i32>(fe) << 3);
    const table = base + <usize>load<i32>(fe, 8);
    const size = load<i32>(fe, 12);
    const dst = bins + ((<usize>(2 * u) * <usize>QS_BLOCK) << 2);
    const dst1 = dst + (<usize>QS_BLOCK << 2);
    if (load<i32>(fe, 4) == 0) {
      const lg = 31 - clz<i32>(size);
      for (let i = 0; i < m; i++) {
        const x = load<f64>(xcol + <usize>i * rowBytes);
        const b = qsSearch(table, lg, x);
        const nan = x != x;
        store<i32>(dst + (<usize>i << 2), select<i32>(255, b, nan));
        store<i32>(dst1 + (<usize>i << 2), select<i32>(-1, b, nan));
      }
    } else {
      // A categorical feature's class: byte index and bit in the splits' sets, as bytes in the
      // feature's second column (see qsCatRight).
      const R = <f64>size;
      for (let i = 0; i < m; i++) {
        const x = load<f64>(xcol + <usize>i * rowBytes);
        let b: i32;
        if (x != x) b = 511;
        else if (x >= 0 && x < R) b = <i32>load<u16>(table + (<usize>(<i32>x) << 1));
        else b = 511; // an unknown code goes where missing values go
        store<u8>(dst1 + <usize>i, <u8>(b >>> 3));
        store<u8>(dst1 + <usize>QS_BLOCK + <usize>i, <u8>(b & 7));
      }
    }
  }
}

/**
 * out[k * outStride + i] += sum over trees t (t % K == k) of the leaf value reached by row i of
 * the row-major f64 matrix X (d columns), with the bitvector model at `base` (see above). Trees in
 * order; each row's sum starts from out's value. `bins` is scratch of nUsed × QS_BLOCK i32.
 */
export function predictBitvector(
  X: usize,
  nRows: i32,
  d: i32,
  base: usize,
  trees: usize,
  nTrees: i32,
  K: i32,
  nodes: usize,
  leaves: usize,
  feats: usize,
  nUsed: i32,
  bins: usize,
  out: usize,
  outStride: i32,
): void {
  const rowBytes = <usize>d << 3;
  const ones = i32x4.splat(-1);
  for (let b0 = 0; b0 < nRows; b0 += QS_BLOCK) {
    const m = min(nRows - b0, QS_BLOCK);
    qsBin(X + <usize>b0 * rowBytes, m, rowBytes, base, feats, nUsed, bins);
    for (let t = 0; t < nTrees; t++) {
      const tr = trees + (<usize>t << 4);
      const first = nodes + (<usize>load<i32>(tr) << 4);
      const nNum = load<i32>(tr, 4);
      const nCat = load<i32>(tr, 8);
      const vals = leaves + (<usize>load<i32>(tr, 12) << 3);
      const o = out + (<usize>((t % K) * outStride + b0) << 3);
      for (let s = 0; s < m; s += 16) {
        let a0 = ones;
        let a1 = ones;
        let a2 = ones;
        let a3 = ones;
        const blk = bins + (<usize>s << 2);
        let rec = first;
        const numEnd = first + (<usize>nNum << 4);
        for (; rec < numEnd; rec += 16) {
          const col = blk + <usize>load<i32>(rec);
          const r = v128.load32_splat(rec, 4);
          const mask = v128.load32_splat(rec, 12);
          a0 = v128.andnot(a0, v128.and(i32x4.gt_s(v128.load(col), r), mask));
          a1 = v128.andnot(a1, v128.and(i32x4.gt_s(v128.load(col, 16), r), mask));
          a2 = v128.andnot(a2, v128.and(i32x4.gt_s(v128.load(col, 32), r), mask));
          a3 = v128.andnot(a3, v128.and(i32x4.gt_s(v128.load(col, 48), r), mask));
        }
        const catEnd = numEnd + (<usize>nCat << 4);
        for (; rec < catEnd; rec += 16) {
          const right = qsCatRight(bins + <usize>load<i32>(rec) + <usize>s, base + <usize>load<i32>(rec, 4));
          const mask = v128.load32_splat(rec, 12);
          const r16lo = i16x8.extend_low_i8x16_s(right);
          const r16hi = i16x8.extend_high_i8x16_s(right);
          a0 = v128.andnot(a0, v128.and(i32x4.extend_low_i16x8_s(r16lo), mask));
          a1 = v128.andnot(a1, v128.and(i32x4.extend_high_i16x8_s(r16lo), mask));
          a2 = v128.andnot(a2, v128.and(i32x4.extend_low_i16x8_s(r16hi), mask));
          a3 = v128.andnot(a3, v128.and(i32x4.extend_high_i16x8_s(r16hi), mask));
        }
        const p = o + (<usize>s << 3);
        if (s + 16 <= m) {
          qsLeaves4(p, vals, a0);
          qsLeaves4(p + 32, vals, a1);
          qsLeaves4(p + 64, vals, a2);
          qsLeaves4(p + 96, vals, a3);
        } else {
          // The block's last, partial group of rows: masks through memory, lane by lane.
          const tmp = bins + (<usize>(2 * nUsed) * <usize>QS_BLOCK << 2);
          v128.store(tmp, a0);
          v128.store(tmp, a1, 16);
          v128.store(tmp, a2, 32);
          v128.store(tmp, a3, 48);
          for (let l = 0; l < m - s; l++) {
            const q = p + (<usize>l << 3);
            const leaf = <usize>ctz<i32>(load<i32>(tmp + (<usize>l << 2)));
            store<f64>(q, load<f64>(q) + load<f64>(vals + (leaf << 3)));
          }
        }
      }
    }
  }
}
