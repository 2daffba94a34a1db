// The row loops of k-means (k-means++ seeding, Lloyd's iteration with Hamerly's bounds, the final
// assignment and prediction), compiled to WebAssembly (SIMD) by scripts/build-wasm.mjs. V8 compiles
// WebAssembly to machine code before the first call, so a first fit in a fresh process runs at
// full speed, and SIMD does two multiply-adds per instruction.
//
// src/models/cluster/kernels.ts holds the TypeScript twin of every exported function; the tests
// hold the two to the same bits. Every sum is taken in the same order: a dot product of a row with
// every center runs over the features in order, the lanes of a vector holding two centers (the
// centers are stored transposed, feature by feature, so the lanes are independent sums); a
// distance or dot product of two rows splits its sum into the even and the odd features (the two
// lanes), added at the end, the last feature of an odd count joining the even ones.
//
// Everything works on byte offsets into one memory that the TypeScript side lays out (see
// src/models/cluster/layout.ts); nothing here allocates. Arrays: x (n × d f64, row-major), w (n
// f64 row weights; offset 0 = all ones), labels (n i32), centers (k × d f64, row-major), ct (the
// centers transposed: d × kp f64, kp = k rounded up to even, padding zero), cc (kp f64: squared
// norms of the centers).

export { centerRows } from './_rows';

/** End of the module's static data: the TypeScript side lays its arrays out above it. */
export function heapBase(): usize {
  return __heap_base;
}

// @ts-ignore: decorator
@inline
function at(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

/** ‖a‖² over d values, even and odd features in the two lanes. */
// @ts-ignore: decorator
@inline
function sqNorm(a: usize, d: i32): f64 {
  let acc = f64x2.splat(0);
  const d2 = d & ~1;
  for (let f = 0; f < d2; f += 2) {
    const v = v128.load(at(a, f));
    acc = f64x2.add(acc, f64x2.mul(v, v));
  }
  let s0 = f64x2.extract_lane(acc, 0);
  if (d2 < d) {
    const v = load<f64>(at(a, d2));
    s0 += v * v;
  }
  return s0 + f64x2.extract_lane(acc, 1);
}

/** ‖a − b‖² over d values, even and odd features in the two lanes. */
// @ts-ignore: decorator
@inline
function sqDist(a: usize, b: usize, d: i32): f64 {
  let acc = f64x2.splat(0);
  const d2 = d & ~1;
  for (let f = 0; f < d2; f += 2) {
    const t = f64x2.sub(v128.load(at(a, f)), v128.load(at(b, f)));
    acc = f64x2.add(acc, f64x2.mul(t, t));
  }
  let s0 = f64x2.extract_lane(acc, 0);
  if (d2 < d) {
    const t = load<f64>(at(a, d2)) - load<f64>(at(b, d2));
    s0 += t * t;
  }
  return s0 + f64x2.extract_lane(acc, 1);
}

/** a · b over d values, even and odd features in the two lanes. */
// @ts-ignore: decorator
@inline
function dot(a: usize, b: usize, d: i32): f64 {
  let acc = f64x2.splat(0);
  const d2 = d & ~1;
  for (let f = 0; f < d2; f += 2) {
    acc = f64x2.add(acc, f64x2.mul(v128.load(at(a, f)), v128.load(at(b, f))));
  }
  let s0 = f64x2.extract_lane(acc, 0);
  if (d2 < d) s0 += load<f64>(at(a, d2)) * load<f64>(at(b, d2));
  return s0 + f64x2.extract_lane(acc, 1);
}

/**
 * buf[j] = ‖x‖² − 2·x·c_j + ‖c_j‖² for j < kp (xx = ‖x‖²), each dot product a sum over the features
 * in order (lanes = centers). Eight centers at a time (four vectors of two), then pairs. Padding
 * centers (j ≥ k) have cc = +∞, so their distance is +∞.
 */
// @ts-ignore: decorator
@inline
function rowDists(x: usize, d: i32, xx: f64, ct: usize, cc: usize, kp: i32, buf: usize): void {
  const stride = <usize>kp << 3;
  const XX = f64x2.splat(xx);
  const TWO = f64x2.splat(2);
  let j = 0;
  for (; j + 8 <= kp; j += 8) {
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    let c = at(ct, j);
    for (let f = 0; f < d; f++) {
      const xv = v128.load64_splat(at(x, f));
      a0 = f64x2.add(a0, f64x2.mul(xv, v128.load(c)));
      a1 = f64x2.add(a1, f64x2.mul(xv, v128.load(c, 16)));
      a2 = f64x2.add(a2, f64x2.mul(xv, v128.load(c, 32)));
      a3 = f64x2.add(a3, f64x2.mul(xv, v128.load(c, 48)));
      c += stride;
    }
    const q = at(cc, j);
    const o = at(buf, j);
    v128.store(o, f64x2.add(f64x2.sub(XX, f64x2.mul(TWO, a0)), v128.load(q)));
    v128.store(o, f64x2.add(f64x2.sub(XX, f64x2.mul(TWO, a1)), v128.load(q, 16)), 16);
    v128.store(o, f64x2.add(f64x2.sub(XX, f64x2.mul(TWO, a2)), v128.load(q, 32)), 32);
    v128.store(o, f64x2.add(f64x2.sub(XX, f64x2.mul(TWO, a3)), v128.load(q, 48)), 48);
  }
  for (; j < kp; j += 2) {
    let a0 = f64x2.splat(0);
    let c = at(ct, j);
    for (let f = 0; f < d; f++) {
      a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(at(x, f)), v128.load(c)));
      c += stride;
    }
    v128.store(at(buf, j), f64x2.add(f64x2.sub(XX, f64x2.mul(TWO, a0)), v128.load(at(cc, j))));
  }
}

/** rowDists for two rows at once (the centers are loaded once for both). */
// @ts-ignore: decorator
@inline
function rowDists2(
  x0: usize,
  x1: usize,
  d: i32,
  xx0: f64,
  xx1: f64,
  ct: usize,
  cc: usize,
  kp: i32,
  buf0: usize,
  buf1: usize,
): void {
  const stride = <usize>kp << 3;
  const XX0 = f64x2.splat(xx0);
  const XX1 = f64x2.splat(xx1);
  const TWO = f64x2.splat(2);
  let j = 0;
  for (; j + 8 <= kp; j += 8) {
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    let b0 = f64x2.splat(0);
    let b1 = f64x2.splat(0);
    let b2 = f64x2.splat(0);
    let b3 = f64x2.splat(0);
    let c = at(ct, j);
    for (let f = 0; f < d; f++) {
      const u = v128.load64_splat(at(x0, f));
      const v = v128.load64_splat(at(x1, f));
      const c0 = v128.load(c);
      const c1 = v128.load(c, 16);
      const c2 = v128.load(c, 32);
      const c3 = v128.load(c, 48);
      a0 = f64x2.add(a0, f64x2.mul(u, c0));
      a1 = f64x2.add(a1, f64x2.mul(u, c1));
      a2 = f64x2.add(a2, f64x2.mul(u, c2));
      a3 = f64x2.add(a3, f64x2.mul(u, c3));
      b0 = f64x2.add(b0, f64x2.mul(v, c0));
      b1 = f64x2.add(b1, f64x2.mul(v, c1));
      b2 = f64x2.add(b2, f64x2.mul(v, c2));
      b3 = f64x2.add(b3, f64x2.mul(v, c3));
      c += stride;
    }
    const q = at(cc, j);
    const q0 = v128.load(q);
    const q1 = v128.load(q, 16);
    const q2 = v128.load(q, 32);
    const q3 = v128.load(q, 48);
    let o = at(buf0, j);
    v128.store(o, f64x2.add(f64x2.sub(XX0, f64x2.mul(TWO, a0)), q0));
    v128.store(o, f64x2.add(f64x2.sub(XX0, f64x2.mul(TWO, a1)), q1), 16);
    v128.store(o, f64x2.add(f64x2.sub(XX0, f64x2.mul(TWO, a2)), q2), 32);
    v128.store(o, f64x2.add(f64x2.sub(XX0, f64x2.mul(TWO, a3)), q3), 48);
    o = at(buf1, j);
    v128.store(o, f64x2.add(f64x2.sub(XX1, f64x2.mul(TWO, b0)), q0));
    v128.store(o, f64x2.add(f64x2.sub(XX1, f64x2.mul(TWO, b1)), q1), 16);
    v128.store(o, f64x2.add(f64x2.sub(XX1, f64x2.mul(TWO, b2)), q2), 32);
    v128.store(o, f64x2.add(f64x2.sub(XX1, f64x2.mul(TWO, b3)), q3), 48);
  }
  for (; j < kp; j += 2) {
    let a0 = f64x2.splat(0);
    let b0 = f64x2.splat(0);
    let c = at(ct, j);
    for (let f = 0; f < d; f++) {
      const cv = v128.load(c);
      a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(at(x0, f)), cv));
      b0 = f64x2.add(b0, f64x2.mul(v128.load64_splat(at(x1, f)), cv));
      c += stride;
    }
    const q0 = v128.load(at(cc, j));
    v128.store(at(buf0, j), f64x2.add(f64x2.sub(XX0, f64x2.mul(TWO, a0)), q0));
    v128.store(at(buf1, j), f64x2.add(f64x2.sub(XX1, f64x2.mul(TWO, b0)), q0));
  }
}

// The nearest center and the two smallest squared distances found by the last argmin2 (argmin1:
// the nearest and the smallest only). Globals, so nothing is allocated.
let nearestJ: i32 = 0;
let nearestD1: f64 = 0;
let nearestD2: f64 = 0;

/**
 * The end of an argmin over lanes (even centers in lane 0, odd in lane 1): sets nearestJ to the
 * index of the smaller of the lanes' minima B1 (their indices in IDX), the earlier index when they
 * are equal; returns 1 when lane 1's was taken.
 */
// @ts-ignore: decorator
@inline
function nearestOfLanes(B1: v128, IDX: v128): i32 {
  const b10 = f64x2.extract_lane(B1, 0);
  const b11 = f64x2.extract_lane(B1, 1);
  const i0 = <i32>f64x2.extract_lane(IDX, 0);
  const i1 = <i32>f64x2.extract_lane(IDX, 1);
  const take1 = <i32>(b11 < b10) | (<i32>(b11 == b10) & <i32>(i1 < i0));
  nearestJ = select<i32>(i1, i0, take1);
  return take1;
}

/**
 * Nearest center (first on ties) and the two smallest squared distances in buf (kp values), with
 * no data-dependent branch (they would mispredict): each lane keeps its own smallest, second
 * smallest and the index of the smallest (even centers in lane 0, odd in lane 1), updated with
 * pmin/pmax (b < a ? b : a, exact); the lanes are merged at the end. The values are those of a
 * plain scan (min and max are exact), and the index is the first of the smallest.
 */
// @ts-ignore: decorator
@inline
function argmin2(buf: usize, kp: i32): void {
  let B1 = f64x2.splat(Infinity);
  let B2 = f64x2.splat(Infinity);
  let IDX = f64x2.splat(0);
  let J = f64x2.replace_lane(f64x2.splat(0), 1, 1);
  const STEP = f64x2.splat(2);
  for (let j = 0; j < kp; j += 2) {
    const v = v128.load(at(buf, j));
    IDX = v128.bitselect(J, IDX, f64x2.lt(v, B1));
    B2 = f64x2.pmin(B2, f64x2.pmax(B1, v));
    B1 = f64x2.pmin(B1, v);
    J = f64x2.add(J, STEP);
  }
  nearestOfLanes(B1, IDX);
  const S1 = f64x2.shuffle(B1, B1, 1, 0);
  const S2 = f64x2.shuffle(B2, B2, 1, 0);
  nearestD1 = f64x2.extract_lane(f64x2.pmin(B1, S1), 0);
  nearestD2 = f64x2.extract_lane(f64x2.pmin(f64x2.pmax(B1, S1), f64x2.pmin(B2, S2)), 0);
}

/**
 * Nearest center (first on ties) and the smallest value in buf (kp values) — argmin2 without the
 * second smallest, into nearestJ and nearestD1. A NaN is never taken; with no value below +∞ the
 * result is center 0 and +∞.
 */
// @ts-ignore: decorator
@inline
function argmin1(buf: usize, kp: i32): void {
  let B1 = f64x2.splat(Infinity);
  let IDX = f64x2.splat(0);
  let J = f64x2.replace_lane(f64x2.splat(0), 1, 1);
  const STEP = f64x2.splat(2);
  for (let j = 0; j < kp; j += 2) {
    const v = v128.load(at(buf, j));
    IDX = v128.bitselect(J, IDX, f64x2.lt(v, B1));
    B1 = f64x2.pmin(B1, v);
    J = f64x2.add(J, STEP);
  }
  nearestD1 = select<f64>(f64x2.extract_lane(B1, 1), f64x2.extract_lane(B1, 0), nearestOfLanes(B1, IDX));
}

/** xx[i] = ‖x_i‖² for every row. */
export function rowNorms(x: usize, n: i32, d: i32, xx: usize): void {
  const row = <usize>d << 3;
  for (let i = 0; i < n; i++) store<f64>(at(xx, i), sqNorm(x + <usize>i * row, d));
}

/** Stores the last argmin2's label and bounds of row i. */
// @ts-ignore: decorator
@inline
function storeNearest(i: i32, labels: usize, upper: usize, lower: usize): void {
  store<i32>(labels + (<usize>i << 2), nearestJ);
  store<f64>(at(upper, i), Math.sqrt(max(nearestD1, 0)));
  store<f64>(at(lower, i), Math.sqrt(max(nearestD2, 0)));
}

/**
 * Every row to its nearest center: labels, upper = distance to it, lower = distance to the
 * second nearest (Hamerly's bounds, exact at the start). buf: 2·kp f64 of scratch.
 */
export function assignAll(
  x: usize,
  n: i32,
  d: i32,
  xx: usize,
  ct: usize,
  cc: usize,
  kp: i32,
  labels: usize,
  upper: usize,
  lower: usize,
  buf: usize,
): void {
  const row = <usize>d << 3;
  const buf1 = at(buf, kp);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const xo = x + <usize>i * row;
    rowDists2(xo, xo + row, d, load<f64>(at(xx, i)), load<f64>(at(xx, i + 1)), ct, cc, kp, buf, buf1);
    argmin2(buf, kp);
    storeNearest(i, labels, upper, lower);
    argmin2(buf1, kp);
    storeNearest(i + 1, labels, upper, lower);
  }
  if (i < n) {
    rowDists(x + <usize>i * row, d, load<f64>(at(xx, i)), ct, cc, kp, buf);
    argmin2(buf, kp);
    storeNearest(i, labels, upper, lower);
  }
}

/** Row i (just assigned by argmin2) left cluster a: move its weighted values from a's sums to b's. */
// @ts-ignore: decorator
@inline
function moveRow(xo: usize, d: i32, w: usize, i: i32, a: i32, b: i32, sums: usize, wsum: usize): void {
  const row = <usize>d << 3;
  const d2 = d & ~1;
  const wi: f64 = w ? load<f64>(at(w, i)) : 1.0;
  store<f64>(at(wsum, a), load<f64>(at(wsum, a)) - wi);
  store<f64>(at(wsum, b), load<f64>(at(wsum, b)) + wi);
  const sa = sums + <usize>a * row;
  const sb = sums + <usize>b * row;
  const wv = f64x2.splat(wi);
  let f = 0;
  for (; f < d2; f += 2) {
    const v = f64x2.mul(v128.load(at(xo, f)), wv);
    v128.store(at(sa, f), f64x2.sub(v128.load(at(sa, f)), v));
    v128.store(at(sb, f), f64x2.add(v128.load(at(sb, f)), v));
  }
  if (f < d) {
    const v = load<f64>(at(xo, f)) * wi;
    store<f64>(at(sa, f), load<f64>(at(sa, f)) - v);
    store<f64>(at(sb, f), load<f64>(at(sb, f)) + v);
  }
}

/** Rows per block of {@link hamerlyPass} (the length of its `list`). */
const HAMERLY_BLOCK = 256;

/**
 * One assignment step of Lloyd's iteration with Hamerly's bounds, after the centers moved by
 * shift[j] (m1 the largest shift, at center m1At, m2 the second largest): a row whose upper bound
 * u stays at or below both its lower bound l and half the distance from its center to the nearest
 * other (nearestHalf) keeps its label without a distance; otherwise the distance to its center
 * tightens u, and if that is not enough every distance is computed. A row that changes cluster
 * moves its weighted values between the running cluster sums (sums: k × d, wsum: k), rows in
 * order. Returns the number of rows whose label changed.
 *
 * Blocks of HAMERLY_BLOCK rows, each in three passes so that no branch depends on the data (they
 * would mispredict) while the block's rows stay in cache: the bounds of every row, collecting the
 * rows in doubt in `list` (HAMERLY_BLOCK i32); the distance to their own center, keeping those
 * still in doubt; every distance for those, two rows at a time. (The TypeScript twin does the same
 * work in one pass; every value, and the order of the sums, is the same.)
 */
export function hamerlyPass(
  x: usize,
  n: i32,
  d: i32,
  w: usize,
  xx: usize,
  centers: usize,
  ct: usize,
  cc: usize,
  kp: i32,
  labels: usize,
  upper: usize,
  lower: usize,
  shift: usize,
  nearestHalf: usize,
  m1: f64,
  m1At: i32,
  m2: f64,
  sums: usize,
  wsum: usize,
  buf: usize,
  list: usize,
): i32 {
  const row = <usize>d << 3;
  const buf1 = at(buf, kp);
  let changed = 0;
  for (let s = 0; s < n; s += HAMERLY_BLOCK) {
    const e = min(n, s + HAMERLY_BLOCK);
    let cnt = 0;
    for (let i = s; i < e; i++) {
      const a = load<i32>(labels + (<usize>i << 2));
      const u = load<f64>(at(upper, i)) + load<f64>(at(shift, a));
      const l = load<f64>(at(lower, i)) - select<f64>(m2, m1, a == m1At);
      store<f64>(at(upper, i), u);
      store<f64>(at(lower, i), l);
      store<i32>(list + (<usize>cnt << 2), i);
      cnt += <i32>(u > l) & <i32>(u > load<f64>(at(nearestHalf, a)));
    }
    let cnt2 = 0;
    for (let r = 0; r < cnt; r++) {
      const i = load<i32>(list + (<usize>r << 2));
      const a = load<i32>(labels + (<usize>i << 2));
      const dd =
        load<f64>(at(xx, i)) - 2 * dot(x + <usize>i * row, centers + <usize>a * row, d) + load<f64>(at(cc, a));
      const u = Math.sqrt(max(dd, 0));
      store<f64>(at(upper, i), u);
      store<i32>(list + (<usize>cnt2 << 2), i);
      cnt2 += <i32>(u > load<f64>(at(lower, i))) & <i32>(u > load<f64>(at(nearestHalf, a)));
    }
    let r = 0;
    for (; r + 1 < cnt2; r += 2) {
      const i0 = load<i32>(list + (<usize>r << 2));
      const i1 = load<i32>(list + (<usize>(r + 1) << 2));
      const x0 = x + <usize>i0 * row;
      const x1 = x + <usize>i1 * row;
      rowDists2(x0, x1, d, load<f64>(at(xx, i0)), load<f64>(at(xx, i1)), ct, cc, kp, buf, buf1);
      const a0 = load<i32>(labels + (<usize>i0 << 2));
      argmin2(buf, kp);
      storeNearest(i0, labels, upper, lower);
      if (nearestJ != a0) {
        changed++;
        moveRow(x0, d, w, i0, a0, nearestJ, sums, wsum);
      }
      const a1 = load<i32>(labels + (<usize>i1 << 2));
      argmin2(buf1, kp);
      storeNearest(i1, labels, upper, lower);
      if (nearestJ != a1) {
        changed++;
        moveRow(x1, d, w, i1, a1, nearestJ, sums, wsum);
      }
    }
    if (r < cnt2) {
      const i = load<i32>(list + (<usize>r << 2));
      const xo = x + <usize>i * row;
      rowDists(xo, d, load<f64>(at(xx, i)), ct, cc, kp, buf);
      const a = load<i32>(labels + (<usize>i << 2));
      argmin2(buf, kp);
      storeNearest(i, labels, upper, lower);
      if (nearestJ != a) {
        changed++;
        moveRow(xo, d, w, i, a, nearestJ, sums, wsum);
      }
    }
  }
  return changed;
}

/** Weighted sums (k × d) and total weights (k) of the rows of each cluster, rows in order. */
export function clusterSums(x: usize, n: i32, d: i32, w: usize, labels: usize, k: i32, sums: usize, wsum: usize): void {
  const row = <usize>d << 3;
  const d2 = d & ~1;
  memory.fill(sums, 0, <usize>k * row);
  memory.fill(wsum, 0, <usize>k << 3);
  for (let i = 0; i < n; i++) {
    const j = load<i32>(labels + (<usize>i << 2));
    const wi: f64 = w ? load<f64>(at(w, i)) : 1.0;
    store<f64>(at(wsum, j), load<f64>(at(wsum, j)) + wi);
    const s = sums + <usize>j * row;
    const xo = x + <usize>i * row;
    const wv = f64x2.splat(wi);
    let f = 0;
    for (; f < d2; f += 2) v128.store(at(s, f), f64x2.add(v128.load(at(s, f)), f64x2.mul(v128.load(at(xo, f)), wv)));
    if (f < d) store<f64>(at(s, f), load<f64>(at(s, f)) + load<f64>(at(xo, f)) * wi);
  }
}

/**
 * Nearest center of every row, written to labels: the smallest score −2x·c + ‖c‖² (as scikit-learn
 * labels rows: ‖x‖², the same for every center, is left out; computed as (0 − 2x·c) + ‖c‖², each
 * dot product over the features in order), first on ties. Returns the number of rows whose
 * smallest score is not finite: zero unless a row holds a NaN or an infinity (then every score is
 * NaN or infinite) or values so large that the scores overflow — the caller then checks the rows
 * themselves. buf: 2·kp f64 of scratch.
 */
export function nearestLabels(
  x: usize,
  n: i32,
  d: i32,
  ct: usize,
  cc: usize,
  kp: i32,
  labels: usize,
  buf: usize,
): i32 {
  const row = <usize>d << 3;
  const buf1 = at(buf, kp);
  let bad = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const x0 = x + <usize>i * row;
    rowDists2(x0, x0 + row, d, 0, 0, ct, cc, kp, buf, buf1);
    argmin1(buf, kp);
    store<i32>(labels + (<usize>i << 2), nearestJ);
    bad += <i32>(nearestD1 - nearestD1 != 0);
    argmin1(buf1, kp);
    store<i32>(labels + (<usize>(i + 1) << 2), nearestJ);
    bad += <i32>(nearestD1 - nearestD1 != 0);
  }
  if (i < n) {
    rowDists(x + <usize>i * row, d, 0, ct, cc, kp, buf);
    argmin1(buf, kp);
    store<i32>(labels + (<usize>i << 2), nearestJ);
    bad += <i32>(nearestD1 - nearestD1 != 0);
  }
  return bad;
}

/**
 * nearestLabels, then (when wantInertia is set) the weighted inertia Σ w·‖x − c‖² of those labels,
 * computed directly from the differences, rows in order; else 0. The rows must be finite (the fit
 * checks them first).
 */
export function labelsInertia(
  x: usize,
  n: i32,
  d: i32,
  w: usize,
  centers: usize,
  ct: usize,
  cc: usize,
  kp: i32,
  labels: usize,
  buf: usize,
  wantInertia: i32,
): f64 {
  nearestLabels(x, n, d, ct, cc, kp, labels, buf);
  if (!wantInertia) return 0;
  const row = <usize>d << 3;
  let inertia: f64 = 0;
  for (let i = 0; i < n; i++) {
    const b = load<i32>(labels + (<usize>i << 2));
    inertia += sqDist(x + <usize>i * row, centers + <usize>b * row, d) * (w ? load<f64>(at(w, i)) : 1.0);
  }
  return inertia;
}

/**
 * Euclidean distance of every row to every center (KMeans.transform): out[i, j] = √Σ_f (x[i, f] −
 * c_j[f])² for j < k (out: n × k), each sum over the features in order, a difference squared and
 * added at a time — the plain loop's arithmetic, so the same bits. Lanes hold two centers, read
 * from the transposed centers (ct: d × kp, the padding column zero); eight centers at a time, then
 * pairs, then the last of an odd k alone (its padding lane is computed and dropped).
 */
export function distances(x: usize, n: i32, d: i32, ct: usize, kp: i32, k: i32, out: usize): void {
  const row = <usize>d << 3;
  const stride = <usize>kp << 3;
  const orow = <usize>k << 3;
  for (let i = 0; i < n; i++) {
    const xo = x + <usize>i * row;
    const o = out + <usize>i * orow;
    let j = 0;
    for (; j + 8 <= k; j += 8) {
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let c = at(ct, j);
      for (let f = 0; f < d; f++) {
        const xv = v128.load64_splat(at(xo, f));
        const t0 = f64x2.sub(xv, v128.load(c));
        const t1 = f64x2.sub(xv, v128.load(c, 16));
        const t2 = f64x2.sub(xv, v128.load(c, 32));
        const t3 = f64x2.sub(xv, v128.load(c, 48));
        a0 = f64x2.add(a0, f64x2.mul(t0, t0));
        a1 = f64x2.add(a1, f64x2.mul(t1, t1));
        a2 = f64x2.add(a2, f64x2.mul(t2, t2));
        a3 = f64x2.add(a3, f64x2.mul(t3, t3));
        c += stride;
      }
      const q = at(o, j);
      v128.store(q, f64x2.sqrt(a0));
      v128.store(q, f64x2.sqrt(a1), 16);
      v128.store(q, f64x2.sqrt(a2), 32);
      v128.store(q, f64x2.sqrt(a3), 48);
    }
    for (; j < k; j += 2) {
      let a0 = f64x2.splat(0);
      let c = at(ct, j);
      for (let f = 0; f < d; f++) {
        const t = f64x2.sub(v128.load64_splat(at(xo, f)), v128.load(c));
        a0 = f64x2.add(a0, f64x2.mul(t, t));
        c += stride;
      }
      const r = f64x2.sqrt(a0);
      if (j + 1 < k) v128.store(at(o, j), r);
      else store<f64>(at(o, j), f64x2.extract_lane(r, 0));
    }
  }
}

/** k-means++, first center c: closest[i] = ‖x_i − c‖²; returns the potential Σ w·closest. */
export function kppFirst(x: usize, n: i32, d: i32, w: usize, c: usize, closest: usize): f64 {
  const row = <usize>d << 3;
  let pot: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = sqDist(x + <usize>i * row, c, d);
    store<f64>(at(closest, i), v);
    pot += v * (w ? load<f64>(at(w, i)) : 1.0);
  }
  return pot;
}

/** cum[i] = Σ_{r ≤ i} w_r · closest_r (the cumulative potential k-means++ samples from). */
export function cumulative(closest: usize, w: usize, n: i32, cum: usize): void {
  let acc: f64 = 0;
  for (let i = 0; i < n; i++) {
    acc += load<f64>(at(closest, i)) * (w ? load<f64>(at(w, i)) : 1.0);
    store<f64>(at(cum, i), acc);
  }
}

/**
 * k-means++ local trials: for candidate t (row t of cands, trials × d) and every row,
 * out[t·n + i] = min(closest_i, ‖x_i − cand_t‖²) and pots[t] = Σ w·out[t·n + i] (rows in order).
 * Candidates four at a time, so that four independent sums are in flight per row.
 */
export function kppTrials(
  x: usize,
  n: i32,
  d: i32,
  w: usize,
  cands: usize,
  trials: i32,
  closest: usize,
  out: usize,
  pots: usize,
): void {
  const row = <usize>d << 3;
  const col = <usize>n << 3;
  const d2 = d & ~1;
  let t = 0;
  for (; t + 4 <= trials; t += 4) {
    const c0 = cands + <usize>t * row;
    const c1 = c0 + row;
    const c2 = c1 + row;
    const c3 = c2 + row;
    const o0 = out + <usize>t * col;
    const o1 = o0 + col;
    const o2 = o1 + col;
    const o3 = o2 + col;
    let p0: f64 = 0;
    let p1: f64 = 0;
    let p2: f64 = 0;
    let p3: f64 = 0;
    for (let i = 0; i < n; i++) {
      const xo = x + <usize>i * row;
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      for (let f = 0; f < d2; f += 2) {
        const o = <usize>f << 3;
        const xv = v128.load(xo + o);
        const t0 = f64x2.sub(xv, v128.load(c0 + o));
        const t1 = f64x2.sub(xv, v128.load(c1 + o));
        const t2 = f64x2.sub(xv, v128.load(c2 + o));
        const t3 = f64x2.sub(xv, v128.load(c3 + o));
        a0 = f64x2.add(a0, f64x2.mul(t0, t0));
        a1 = f64x2.add(a1, f64x2.mul(t1, t1));
        a2 = f64x2.add(a2, f64x2.mul(t2, t2));
        a3 = f64x2.add(a3, f64x2.mul(t3, t3));
      }
      let s0 = f64x2.extract_lane(a0, 0);
      let s1 = f64x2.extract_lane(a1, 0);
      let s2 = f64x2.extract_lane(a2, 0);
      let s3 = f64x2.extract_lane(a3, 0);
      if (d2 < d) {
        const o = <usize>d2 << 3;
        const xv = load<f64>(xo + o);
        const u0 = xv - load<f64>(c0 + o);
        const u1 = xv - load<f64>(c1 + o);
        const u2 = xv - load<f64>(c2 + o);
        const u3 = xv - load<f64>(c3 + o);
        s0 += u0 * u0;
        s1 += u1 * u1;
        s2 += u2 * u2;
        s3 += u3 * u3;
      }
      const ci = load<f64>(at(closest, i));
      const wi: f64 = w ? load<f64>(at(w, i)) : 1.0;
      const v0 = min(ci, s0 + f64x2.extract_lane(a0, 1));
      const v1 = min(ci, s1 + f64x2.extract_lane(a1, 1));
      const v2 = min(ci, s2 + f64x2.extract_lane(a2, 1));
      const v3 = min(ci, s3 + f64x2.extract_lane(a3, 1));
      store<f64>(at(o0, i), v0);
      store<f64>(at(o1, i), v1);
      store<f64>(at(o2, i), v2);
      store<f64>(at(o3, i), v3);
      p0 += v0 * wi;
      p1 += v1 * wi;
      p2 += v2 * wi;
      p3 += v3 * wi;
    }
    store<f64>(at(pots, t), p0);
    store<f64>(at(pots, t + 1), p1);
    store<f64>(at(pots, t + 2), p2);
    store<f64>(at(pots, t + 3), p3);
  }
  for (; t < trials; t++) {
    const c = cands + <usize>t * row;
    const o = out + <usize>t * col;
    let p: f64 = 0;
    for (let i = 0; i < n; i++) {
      const v = min(load<f64>(at(closest, i)), sqDist(x + <usize>i * row, c, d));
      store<f64>(at(o, i), v);
      p += v * (w ? load<f64>(at(w, i)) : 1.0);
    }
    store<f64>(at(pots, t), p);
  }
}

/**
 * 1 when every one of the `count` values at x is finite, else 0: x·0 is 0 for a finite x and NaN
 * otherwise, and a NaN, once added in, stays.
 */
export function allFinite(x: usize, count: i32): i32 {
  let acc = f64x2.splat(0);
  const zero = f64x2.splat(0);
  let i = 0;
  for (; i + 1 < count; i += 2) acc = f64x2.add(acc, f64x2.mul(v128.load(at(x, i)), zero));
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (i < count) s += load<f64>(at(x, i)) * 0;
  return <i32>(s == s);
}

/** out[j] = Σ_i x[i, j] (rows in order; lanes = columns). */
export function columnSums(x: usize, n: i32, d: i32, out: usize): void {
  const row = <usize>d << 3;
  const d2 = d & ~1;
  memory.fill(out, 0, row);
  for (let i = 0; i < n; i++) {
    const xo = x + <usize>i * row;
    let f = 0;
    for (; f < d2; f += 2) v128.store(at(out, f), f64x2.add(v128.load(at(out, f)), v128.load(at(xo, f))));
    if (f < d) store<f64>(at(out, f), load<f64>(at(out, f)) + load<f64>(at(xo, f)));
  }
}

/** out[j] = Σ_i (x[i, j] − mean[j])² (rows in order; lanes = columns). */
export function columnSqDev(x: usize, n: i32, d: i32, mean: usize, out: usize): void {
  const row = <usize>d << 3;
  const d2 = d & ~1;
  memory.fill(out, 0, row);
  for (let i = 0; i < n; i++) {
    const xo = x + <usize>i * row;
    let f = 0;
    for (; f < d2; f += 2) {
      const t = f64x2.sub(v128.load(at(xo, f)), v128.load(at(mean, f)));
      v128.store(at(out, f), f64x2.add(v128.load(at(out, f)), f64x2.mul(t, t)));
    }
    if (f < d) {
      const t = load<f64>(at(xo, f)) - load<f64>(at(mean, f));
      store<f64>(at(out, f), load<f64>(at(out, f)) + t * t);
    }
  }
}
