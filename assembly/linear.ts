// The fused loss/gradient kernels of logistic regression (binary and multinomial), compiled to
// WebAssembly (SIMD) by scripts/build-wasm.mjs. WebAssembly needs no JIT warm-up — V8 compiles it
// to machine code before the first call — so the first fit in a process runs at full speed.
//
// src/models/linear/logistic-loss.ts holds the TypeScript twin of each function, and the tests hold
// the two to the same bits: every sum is taken in the same order, the SIMD lanes split exactly the
// sums the twin splits (the even and the odd features of each dot product; the features j, j + 1 of
// each gradient update, which are independent), exp and log1p are the branch-free algorithms of
// src/models/linear/lean-math.ts (two rows per SIMD step here, one at a time there), and log is
// fdlibm's — the algorithm behind V8 11's Math.log, which the twin ports (src/core/fdlibm-log.ts).
//
// Every function works on one block of rows that the TypeScript side has copied into this
// instance's memory (see src/models/linear/loss-wasm.ts for the layout); nothing here allocates.
// Blocks: row-major x (rows × p f64), labels y (f64 per row: 0/1, or the class code), optional
// weights sw (f64 per row; pointer 0 = none), coefficients w (class k, feature j at k · dof + j,
// intercept at j = p when fitted, dof = p + 1 then), and out: the loss, then the gradient.

import { fdlibmLog } from './_fdlibm';

/** End of the module's static data: the TypeScript side lays its buffers out above it. */
export function heapBase(): usize {
  return __heap_base;
}

// fdlibm's log (as in V8's src/base/ieee754.cc; assembly/_fdlibm.ts), which the twin ports
// (src/core/fdlibm-log.ts), so that both give the same bits.

/** Exposed for the tests: fdlibm's log. */
export function logF64(x: f64): f64 {
  return fdlibmLog(x);
}

// ---------------------------------------------------------------------------------------------
// Branch-free exp and log1p, two lanes at a time (the twin: src/models/linear/lean-math.ts, which
// gives the derivations and the accuracy). Their constants are read from static memory with
// v128.load64_splat: V8 rebuilds an inline v128 constant with three instructions at every use.

const K: usize = memory.data<f64>([
  -746.0, // 0: exp's argument floor (exp(−746) rounds to 0)
  1.44269504088896338700e0, // 8: 1/ln2
  6755399441055744.0, // 16: 1.5 · 2^52 (adding it rounds to an integer)
  6.93147180369123816490e-1, // 24: ln2, high part
  1.90821492927058770002e-10, // 32: ln2, low part
  1.66666666666666019037e-1, // 40: P1 .. P5
  -2.77777777770155933842e-3, // 48
  6.61375632143793436117e-5, // 56
  -1.65339022054652515390e-6, // 64
  4.13813679705723846039e-8, // 72
  1.0, // 80
  2.0, // 88
  0.5, // 96
  5.551115123125783e-17, // 104: 2^-54
  1.4142135623730951, // 112: √2
  6.666666666666735130e-1, // 120: L1 .. L7
  3.999999999940941908e-1, // 128
  2.857142874366239149e-1, // 136
  2.222219843214978396e-1, // 144
  1.818357216161805012e-1, // 152
  1.531383769920937332e-1, // 160
  1.479819860511658591e-1, // 168
]);

// @ts-ignore: decorator
@inline
function kv(offset: usize): v128 {
  return v128.load64_splat(K + offset);
}

/**
 * exp(x) for x ≤ 0 on both lanes (`expNonPositive`): x floored at −746, k = round(x/ln2) by the
 * 1.5·2^52 trick, fdlibm's reduction r = x − k·ln2 (ln2 in two parts) and rational approximation on
 * |r| ≤ ln2/2, then · 2^(k+54) · 2^−54 (exact for normal results; one rounding for subnormal ones).
 */
// @ts-ignore: decorator
@inline
function expNeg2(x0: v128): v128 {
  const x = f64x2.pmax(kv(0), x0); // −746 < x ? x : −746 (a NaN becomes −746, as in the twin)
  const t = f64x2.add(f64x2.mul(x, kv(8)), kv(16));
  const k = f64x2.sub(t, kv(16));
  const hi = f64x2.sub(x, f64x2.mul(k, kv(24)));
  const lo = f64x2.mul(k, kv(32));
  const r = f64x2.sub(hi, lo);
  const rr = f64x2.mul(r, r);
  let q = f64x2.add(kv(64), f64x2.mul(rr, kv(72)));
  q = f64x2.add(kv(56), f64x2.mul(rr, q));
  q = f64x2.add(kv(48), f64x2.mul(rr, q));
  q = f64x2.add(kv(40), f64x2.mul(rr, q));
  const c = f64x2.sub(r, f64x2.mul(rr, q));
  const y = f64x2.sub(
    kv(80),
    f64x2.sub(f64x2.sub(lo, f64x2.div(f64x2.mul(r, c), f64x2.sub(kv(88), c))), hi),
  );
  // 2^(k+54): the low 12 bits of t's pattern are k (mod 4096), as t = 1.5·2^52 + k.
  const scale = i64x2.shl(i64x2.add(t, i64x2.splat(1077)), 52);
  return f64x2.mul(f64x2.mul(y, scale), kv(104));
}

/**
 * log1p(e) for 0 ≤ e ≤ 1 on both lanes (`log1pUnit`), given u = 1 + e and inv = 1/u: log(u) by
 * fdlibm's reduction (u or u/2 in [√½, √2], then s = f/(2 + f) and its polynomial) plus the
 * rounding error of 1 + e, (e − (u − 1))·inv.
 */
// @ts-ignore: decorator
@inline
function log1pUnit2(e: v128, u: v128, inv: v128): v128 {
  const one = kv(80);
  const c = f64x2.mul(f64x2.sub(e, f64x2.sub(u, one)), inv);
  const big = f64x2.gt(u, kv(112));
  const f = f64x2.sub(v128.bitselect(f64x2.mul(u, kv(96)), u, big), one);
  const k = v128.and(big, one); // 1 or 0
  const hfsq = f64x2.mul(f64x2.mul(kv(96), f), f);
  const s = f64x2.div(f, f64x2.add(kv(88), f));
  const z = f64x2.mul(s, s);
  let R = f64x2.add(kv(160), f64x2.mul(z, kv(168)));
  R = f64x2.add(kv(152), f64x2.mul(z, R));
  R = f64x2.add(kv(144), f64x2.mul(z, R));
  R = f64x2.add(kv(136), f64x2.mul(z, R));
  R = f64x2.add(kv(128), f64x2.mul(z, R));
  R = f64x2.add(kv(120), f64x2.mul(z, R));
  R = f64x2.mul(z, R);
  const kLo = f64x2.add(f64x2.mul(k, kv(32)), c);
  return f64x2.sub(
    f64x2.mul(k, kv(24)),
    f64x2.sub(f64x2.sub(hfsq, f64x2.add(f64x2.mul(s, f64x2.add(hfsq, R)), kLo)), f),
  );
}

/** The pointwise derivatives left by {@link binomial2}. */
let grad2: v128 = f64x2.splat(0);

/**
 * Half-binomial loss log(1 + e^z) − y·z of two rows (`halfBinomial` in the twin), with e = exp(−|z|):
 * log1p(e) + max(z, 0) − y·z, written per sign as scikit-learn writes it (l − y·z for z ≤ 0,
 * l + (1 − y)·z above), and the derivative σ(z) − y as ((1 − y)·e − y)/(1 + e) for z ≤ 0,
 * ((1 − y) − y·e)/(1 + e) above — one exp, one log1p and no branch for any z. The derivatives are
 * left in `grad2`.
 */
// @ts-ignore: decorator
@inline
function binomial2(z: v128, y: v128): v128 {
  const one = kv(80);
  const e = expNeg2(f64x2.neg(f64x2.abs(z)));
  const u = f64x2.add(one, e);
  const inv = f64x2.div(one, u);
  const l = log1pUnit2(e, u, inv);
  const pos = f64x2.gt(z, f64x2.splat(0));
  const omy = f64x2.sub(one, y);
  grad2 = f64x2.mul(
    v128.bitselect(f64x2.sub(omy, f64x2.mul(y, e)), f64x2.sub(f64x2.mul(omy, e), y), pos),
    inv,
  );
  return v128.bitselect(f64x2.add(l, f64x2.mul(omy, z)), f64x2.sub(l, f64x2.mul(y, z)), pos);
}

/** Exposed for the tests: dst[i] = exp(src[i]) (src[i] ≤ 0) for i < n, two at a time. */
export function expNegF64Array(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) {
    const o = <usize>i << 3;
    v128.store(dst + o, expNeg2(v128.load(src + o)));
  }
}

/** Exposed for the tests: dst[i] = log1p(src[i]) (0 ≤ src[i] ≤ 1) for i < n, two at a time. */
export function log1pUnitF64Array(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) {
    const o = <usize>i << 3;
    const e = v128.load(src + o);
    const u = f64x2.add(kv(80), e);
    v128.store(dst + o, log1pUnit2(e, u, f64x2.div(kv(80), u)));
  }
}

// ---------------------------------------------------------------------------------------------
// Shared pieces.

/**
 * x·w over p features, as the twin sums it: the even features in one sum and the odd ones in
 * another (each in increasing order; an odd p's last feature goes to the even sum), then added.
 */
// @ts-ignore: decorator
@inline
function dotSplit(x: usize, w: usize, p: i32): f64 {
  let acc = f64x2.splat(0);
  const p2 = p & ~1;
  for (let j = 0; j < p2; j += 2) {
    const o = <usize>j << 3;
    acc = f64x2.add(acc, f64x2.mul(v128.load(w + o), v128.load(x + o)));
  }
  let e = f64x2.extract_lane(acc, 0);
  const d = f64x2.extract_lane(acc, 1);
  if (p2 < p) {
    const o = <usize>p2 << 3;
    e += load<f64>(w + o) * load<f64>(x + o);
  }
  return e + d;
}

/**
 * out[j] += g0·x0[j] + g1·x1[j] + (g2·x2[j] + g3·x3[j]) for j < p: two features per SIMD step (the
 * features are independent, so this is the twin's scalar loop, two at a time).
 */
// @ts-ignore: decorator
@inline
function axpy4(
  out: usize,
  p: i32,
  g0: f64,
  g1: f64,
  g2: f64,
  g3: f64,
  x0: usize,
  x1: usize,
  x2: usize,
  x3: usize,
): void {
  const G0 = f64x2.splat(g0);
  const G1 = f64x2.splat(g1);
  const G2 = f64x2.splat(g2);
  const G3 = f64x2.splat(g3);
  const p2 = p & ~1;
  for (let j = 0; j < p2; j += 2) {
    const o = <usize>j << 3;
    const s = f64x2.add(
      f64x2.add(f64x2.mul(G0, v128.load(x0 + o)), f64x2.mul(G1, v128.load(x1 + o))),
      f64x2.add(f64x2.mul(G2, v128.load(x2 + o)), f64x2.mul(G3, v128.load(x3 + o))),
    );
    v128.store(out + o, f64x2.add(v128.load(out + o), s));
  }
  if (p2 < p) {
    const o = <usize>p2 << 3;
    store<f64>(
      out + o,
      load<f64>(out + o) +
        (g0 * load<f64>(x0 + o) + g1 * load<f64>(x1 + o) + (g2 * load<f64>(x2 + o) + g3 * load<f64>(x3 + o))),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Binary (half-binomial) loss.

/**
 * Loss and gradient of a binary model over the `rows` rows of the block: out[0] = Σ sᵢ·loss,
 * out[1 + j] = Σ sᵢ·gᵢ·xᵢⱼ, out[1 + p] = Σ sᵢ·gᵢ when an intercept is fitted. Four rows at a time
 * (each weight pair loaded once for four dot products, each gradient pair loaded and stored once
 * per four rows), as the twin.
 */
export function binaryBlock(
  x: usize,
  p: i32,
  y: usize,
  sw: usize,
  fitIntercept: i32,
  w: usize,
  rows: i32,
  out: usize,
): void {
  const dof = p + (fitIntercept ? 1 : 0);
  memory.fill(out, 0, <usize>(dof + 1) << 3);
  const b: f64 = fitIntercept ? load<f64>(w + (<usize>p << 3)) : 0;
  const go = out + 8;
  const rowBytes = <usize>p << 3;
  const p2 = p & ~1;
  let loss: f64 = 0;
  let gsum: f64 = 0;
  let i = 0;
  for (; i + 3 < rows; i += 4) {
    const x0 = x + <usize>i * rowBytes;
    const x1 = x0 + rowBytes;
    const x2 = x1 + rowBytes;
    const x3 = x2 + rowBytes;
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    for (let j = 0; j < p2; j += 2) {
      const o = <usize>j << 3;
      const wv = v128.load(w + o);
      a0 = f64x2.add(a0, f64x2.mul(wv, v128.load(x0 + o)));
      a1 = f64x2.add(a1, f64x2.mul(wv, v128.load(x1 + o)));
      a2 = f64x2.add(a2, f64x2.mul(wv, v128.load(x2 + o)));
      a3 = f64x2.add(a3, f64x2.mul(wv, v128.load(x3 + o)));
    }
    let e0 = f64x2.extract_lane(a0, 0);
    let e1 = f64x2.extract_lane(a1, 0);
    let e2 = f64x2.extract_lane(a2, 0);
    let e3 = f64x2.extract_lane(a3, 0);
    if (p2 < p) {
      const o = <usize>p2 << 3;
      const wj = load<f64>(w + o);
      e0 += wj * load<f64>(x0 + o);
      e1 += wj * load<f64>(x1 + o);
      e2 += wj * load<f64>(x2 + o);
      e3 += wj * load<f64>(x3 + o);
    }
    // The four rows' losses and derivatives, two rows per SIMD step.
    const yo = y + (<usize>i << 3);
    const z01 = f64x2.replace_lane(
      f64x2.splat(e0 + f64x2.extract_lane(a0, 1) + b),
      1,
      e1 + f64x2.extract_lane(a1, 1) + b,
    );
    const z23 = f64x2.replace_lane(
      f64x2.splat(e2 + f64x2.extract_lane(a2, 1) + b),
      1,
      e3 + f64x2.extract_lane(a3, 1) + b,
    );
    let L01 = binomial2(z01, v128.load(yo));
    let G01 = grad2;
    let L23 = binomial2(z23, v128.load(yo, 16));
    let G23 = grad2;
    if (sw) {
      const so = sw + (<usize>i << 3);
      const S01 = v128.load(so);
      const S23 = v128.load(so, 16);
      L01 = f64x2.mul(L01, S01);
      G01 = f64x2.mul(G01, S01);
      L23 = f64x2.mul(L23, S23);
      G23 = f64x2.mul(G23, S23);
    }
    const l0 = f64x2.extract_lane(L01, 0);
    const l1 = f64x2.extract_lane(L01, 1);
    const l2 = f64x2.extract_lane(L23, 0);
    const l3 = f64x2.extract_lane(L23, 1);
    const g0 = f64x2.extract_lane(G01, 0);
    const g1 = f64x2.extract_lane(G01, 1);
    const g2 = f64x2.extract_lane(G23, 0);
    const g3 = f64x2.extract_lane(G23, 1);
    loss += l0;
    loss += l1;
    loss += l2;
    loss += l3;
    gsum += g0 + g1 + (g2 + g3);
    axpy4(go, p, g0, g1, g2, g3, x0, x1, x2, x3);
  }
  for (; i < rows; i++) {
    const xi = x + <usize>i * rowBytes;
    // One row: both lanes the same row (the lanes are independent, so the bits are the twin's).
    let li = f64x2.extract_lane(
      binomial2(f64x2.splat(dotSplit(xi, w, p) + b), v128.load64_splat(y + (<usize>i << 3))),
      0,
    );
    let gi = f64x2.extract_lane(grad2, 0);
    if (sw) {
      const s = load<f64>(sw + (<usize>i << 3));
      li *= s;
      gi *= s;
    }
    loss += li;
    gsum += gi;
    for (let j = 0; j < p; j++) {
      const o = <usize>j << 3;
      store<f64>(go + o, load<f64>(go + o) + gi * load<f64>(xi + o));
    }
  }
  store<f64>(out, loss);
  if (fitIntercept) store<f64>(go + (<usize>p << 3), gsum);
}

// ---------------------------------------------------------------------------------------------
// Multinomial (half-multinomial) loss.

/**
 * Half-multinomial loss of one row from its K raw scores at z, turned into the pointwise
 * gradient (softmax − one-hot)·s in place; returns the loss·s. Not inlined (see binomial2).
 */
function halfMultinomial(z: usize, K: i32, yi: i32, s: f64): f64 {
  let max = load<f64>(z);
  for (let k = 1; k < K; k++) {
    const v = load<f64>(z + (<usize>k << 3));
    if (v > max) max = v;
  }
  const zy = load<f64>(z + (<usize>yi << 3));
  // e^(z − max) two classes at a time (the twin: expNonPositive class by class), summed in order.
  const M = f64x2.splat(max);
  let sumExp: f64 = 0;
  let k = 0;
  for (; k + 1 < K; k += 2) {
    const a = z + (<usize>k << 3);
    const e = expNeg2(f64x2.sub(v128.load(a), M));
    v128.store(a, e);
    sumExp += f64x2.extract_lane(e, 0);
    sumExp += f64x2.extract_lane(e, 1);
  }
  if (k < K) {
    const a = z + (<usize>k << 3);
    const e = f64x2.extract_lane(expNeg2(f64x2.splat(load<f64>(a) - max)), 0);
    store<f64>(a, e);
    sumExp += e;
  }
  for (let k = 0; k < K; k++) {
    const a = z + (<usize>k << 3);
    let g = load<f64>(a) / sumExp;
    if (k == yi) g -= 1;
    store<f64>(a, g * s);
  }
  return (fdlibmLog(sumExp) + max - zy) * s;
}

/**
 * Loss and gradient of a multinomial model with K classes over the `rows` rows of the block
 * (out[0] = loss, out[1 + k·dof + j] = gradient), with a scratch of 4·K f64 at z. Four rows and two
 * classes at a time, as the twin.
 */
export function multinomialBlock(
  x: usize,
  p: i32,
  y: usize,
  sw: usize,
  K: i32,
  fitIntercept: i32,
  w: usize,
  rows: i32,
  out: usize,
  z: usize,
): void {
  const dof = p + (fitIntercept ? 1 : 0);
  const dim = K * dof;
  memory.fill(out, 0, <usize>(dim + 1) << 3);
  const go = out + 8;
  const rowBytes = <usize>p << 3;
  const dofBytes = <usize>dof << 3;
  const kBytes = <usize>K << 3;
  const p2 = p & ~1;
  const pb = <usize>p << 3;
  let loss: f64 = 0;
  let i = 0;
  for (; i + 3 < rows; i += 4) {
    const x0 = x + <usize>i * rowBytes;
    const x1 = x0 + rowBytes;
    const x2 = x1 + rowBytes;
    const x3 = x2 + rowBytes;
    // Scores: two classes (k, k + 1) of four rows at a time.
    let k = 0;
    for (; k + 1 < K; k += 2) {
      const wk = w + <usize>k * dofBytes;
      const wl = wk + dofBytes;
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let c0 = f64x2.splat(0);
      let c1 = f64x2.splat(0);
      let c2 = f64x2.splat(0);
      let c3 = f64x2.splat(0);
      for (let j = 0; j < p2; j += 2) {
        const o = <usize>j << 3;
        const u = v128.load(wk + o);
        const v = v128.load(wl + o);
        const v0 = v128.load(x0 + o);
        const v1 = v128.load(x1 + o);
        const v2 = v128.load(x2 + o);
        const v3 = v128.load(x3 + o);
        a0 = f64x2.add(a0, f64x2.mul(u, v0));
        a1 = f64x2.add(a1, f64x2.mul(u, v1));
        a2 = f64x2.add(a2, f64x2.mul(u, v2));
        a3 = f64x2.add(a3, f64x2.mul(u, v3));
        c0 = f64x2.add(c0, f64x2.mul(v, v0));
        c1 = f64x2.add(c1, f64x2.mul(v, v1));
        c2 = f64x2.add(c2, f64x2.mul(v, v2));
        c3 = f64x2.add(c3, f64x2.mul(v, v3));
      }
      let ea0 = f64x2.extract_lane(a0, 0);
      let ea1 = f64x2.extract_lane(a1, 0);
      let ea2 = f64x2.extract_lane(a2, 0);
      let ea3 = f64x2.extract_lane(a3, 0);
      let ec0 = f64x2.extract_lane(c0, 0);
      let ec1 = f64x2.extract_lane(c1, 0);
      let ec2 = f64x2.extract_lane(c2, 0);
      let ec3 = f64x2.extract_lane(c3, 0);
      if (p2 < p) {
        const o = <usize>p2 << 3;
        const uj = load<f64>(wk + o);
        const vj = load<f64>(wl + o);
        const y0 = load<f64>(x0 + o);
        const y1 = load<f64>(x1 + o);
        const y2 = load<f64>(x2 + o);
        const y3 = load<f64>(x3 + o);
        ea0 += uj * y0;
        ea1 += uj * y1;
        ea2 += uj * y2;
        ea3 += uj * y3;
        ec0 += vj * y0;
        ec1 += vj * y1;
        ec2 += vj * y2;
        ec3 += vj * y3;
      }
      const bk: f64 = fitIntercept ? load<f64>(wk + pb) : 0;
      const bl: f64 = fitIntercept ? load<f64>(wl + pb) : 0;
      const zk = z + (<usize>k << 3);
      store<f64>(zk, ea0 + f64x2.extract_lane(a0, 1) + bk);
      store<f64>(zk + kBytes, ea1 + f64x2.extract_lane(a1, 1) + bk);
      store<f64>(zk + 2 * kBytes, ea2 + f64x2.extract_lane(a2, 1) + bk);
      store<f64>(zk + 3 * kBytes, ea3 + f64x2.extract_lane(a3, 1) + bk);
      store<f64>(zk + 8, ec0 + f64x2.extract_lane(c0, 1) + bl);
      store<f64>(zk + kBytes + 8, ec1 + f64x2.extract_lane(c1, 1) + bl);
      store<f64>(zk + 2 * kBytes + 8, ec2 + f64x2.extract_lane(c2, 1) + bl);
      store<f64>(zk + 3 * kBytes + 8, ec3 + f64x2.extract_lane(c3, 1) + bl);
    }
    if (k < K) {
      const wk = w + <usize>k * dofBytes;
      const bk: f64 = fitIntercept ? load<f64>(wk + pb) : 0;
      const zk = z + (<usize>k << 3);
      store<f64>(zk, dotSplit(x0, wk, p) + bk);
      store<f64>(zk + kBytes, dotSplit(x1, wk, p) + bk);
      store<f64>(zk + 2 * kBytes, dotSplit(x2, wk, p) + bk);
      store<f64>(zk + 3 * kBytes, dotSplit(x3, wk, p) + bk);
    }
    const yo = y + (<usize>i << 3);
    const so = sw + (<usize>i << 3);
    loss += halfMultinomial(z, K, <i32>load<f64>(yo), sw ? load<f64>(so) : 1);
    loss += halfMultinomial(z + kBytes, K, <i32>load<f64>(yo, 8), sw ? load<f64>(so, 8) : 1);
    loss += halfMultinomial(z + 2 * kBytes, K, <i32>load<f64>(yo, 16), sw ? load<f64>(so, 16) : 1);
    loss += halfMultinomial(z + 3 * kBytes, K, <i32>load<f64>(yo, 24), sw ? load<f64>(so, 24) : 1);
    // Gradient: each class's four pointwise gradients times the four rows.
    for (k = 0; k < K; k++) {
      const zk = z + (<usize>k << 3);
      const g0 = load<f64>(zk);
      const g1 = load<f64>(zk + kBytes);
      const g2 = load<f64>(zk + 2 * kBytes);
      const g3 = load<f64>(zk + 3 * kBytes);
      const gk = go + <usize>k * dofBytes;
      axpy4(gk, p, g0, g1, g2, g3, x0, x1, x2, x3);
      if (fitIntercept) store<f64>(gk + pb, load<f64>(gk + pb) + (g0 + g1 + (g2 + g3)));
    }
  }
  // The last (up to three) rows, their losses summed apart and then added (as the twin's
  // multinomialTail does).
  let tail: f64 = 0;
  for (; i < rows; i++) {
    const xi = x + <usize>i * rowBytes;
    for (let k = 0; k < K; k++) {
      const wk = w + <usize>k * dofBytes;
      store<f64>(z + (<usize>k << 3), dotSplit(xi, wk, p) + (fitIntercept ? load<f64>(wk + pb) : 0));
    }
    const so = sw + (<usize>i << 3);
    tail += halfMultinomial(z, K, <i32>load<f64>(y + (<usize>i << 3)), sw ? load<f64>(so) : 1);
    for (let k = 0; k < K; k++) {
      const gk = load<f64>(z + (<usize>k << 3));
      const gko = go + <usize>k * dofBytes;
      for (let j = 0; j < p; j++) {
        const o = <usize>j << 3;
        store<f64>(gko + o, load<f64>(gko + o) + gk * load<f64>(xi + o));
      }
      if (fitIntercept) store<f64>(gko + pb, load<f64>(gko + pb) + gk);
    }
  }
  if (rows & 3) loss += tail;
  store<f64>(out, loss);
}

// ---------------------------------------------------------------------------------------------
// Prediction: scores, class probabilities and the predicted class.

/**
 * Scores of the `rows` rows of x (row-major, p features) for K coefficient rows W (K × p,
 * row-major) plus intercepts b, into z (rows × K): the twin of `linearScores` in
 * src/models/linear/common.ts — every score a dot product summed as {@link dotSplit} sums it (even
 * and odd features in the two SIMD lanes), then the intercept added; four rows at a time sharing
 * each pair of weights.
 */
export function scoreBlock(x: usize, rows: i32, p: i32, W: usize, b: usize, K: i32, z: usize): void {
  const rowBytes = <usize>p << 3;
  const kBytes = <usize>K << 3;
  const p2 = p & ~1;
  const tail = <usize>p2 << 3;
  let i = 0;
  for (; i + 3 < rows; i += 4) {
    const x0 = x + <usize>i * rowBytes;
    const x1 = x0 + rowBytes;
    const x2 = x1 + rowBytes;
    const x3 = x2 + rowBytes;
    const o = z + <usize>i * kBytes;
    for (let k = 0; k < K; k++) {
      const wk = W + <usize>k * rowBytes;
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      for (let j = 0; j < p2; j += 2) {
        const jo = <usize>j << 3;
        const wv = v128.load(wk + jo);
        a0 = f64x2.add(a0, f64x2.mul(wv, v128.load(x0 + jo)));
        a1 = f64x2.add(a1, f64x2.mul(wv, v128.load(x1 + jo)));
        a2 = f64x2.add(a2, f64x2.mul(wv, v128.load(x2 + jo)));
        a3 = f64x2.add(a3, f64x2.mul(wv, v128.load(x3 + jo)));
      }
      let e0 = f64x2.extract_lane(a0, 0);
      let e1 = f64x2.extract_lane(a1, 0);
      let e2 = f64x2.extract_lane(a2, 0);
      let e3 = f64x2.extract_lane(a3, 0);
      if (p2 < p) {
        const wj = load<f64>(wk + tail);
        e0 += wj * load<f64>(x0 + tail);
        e1 += wj * load<f64>(x1 + tail);
        e2 += wj * load<f64>(x2 + tail);
        e3 += wj * load<f64>(x3 + tail);
      }
      const bk = load<f64>(b + (<usize>k << 3));
      const ko = o + (<usize>k << 3);
      store<f64>(ko, e0 + f64x2.extract_lane(a0, 1) + bk);
      store<f64>(ko + kBytes, e1 + f64x2.extract_lane(a1, 1) + bk);
      store<f64>(ko + 2 * kBytes, e2 + f64x2.extract_lane(a2, 1) + bk);
      store<f64>(ko + 3 * kBytes, e3 + f64x2.extract_lane(a3, 1) + bk);
    }
  }
  for (; i < rows; i++) {
    const xi = x + <usize>i * rowBytes;
    for (let k = 0; k < K; k++) {
      const v = dotSplit(xi, W + <usize>k * rowBytes, p) + load<f64>(b + (<usize>k << 3));
      store<f64>(z + <usize>i * kBytes + (<usize>k << 3), v);
    }
  }
}

/** Link functions of {@link probaBlock} (`ProbaLink` in src/models/linear/links.ts). */
const LINK_LOGISTIC: i32 = 0; // one-vs-rest: logistic scores (normalised to sum to 1 when K > 1)
const LINK_SOFTMAX: i32 = 1; // multinomial: softmax (of (−d, d) for a binary model)

/**
 * σ(d) of both lanes (`logistic` in links.ts): 1/(1 + e) for d > 0, else e/(1 + e), with
 * e = exp(−|d|).
 */
// @ts-ignore: decorator
@inline
function logistic2(d: v128): v128 {
  const e = expNeg2(f64x2.neg(f64x2.abs(d)));
  const inv = f64x2.div(kv(80), f64x2.add(kv(80), e));
  return v128.bitselect(inv, f64x2.mul(e, inv), f64x2.gt(d, f64x2.splat(0)));
}

/**
 * Class probabilities of the `rows` rows of x into out (rows × C; C = 2 for a binary model, whose
 * single score per row is the second class's, else C = K), through scores at z (rows × K) — the
 * twin of `probaFromScores` in src/models/linear/links.ts, two values per SIMD step where the
 * values are independent, sums in the twin's order. Returns the sum of the scores (not finite when
 * any score is NaN or ±∞).
 */
export function probaBlock(
  x: usize,
  rows: i32,
  p: i32,
  W: usize,
  b: usize,
  K: i32,
  link: i32,
  z: usize,
  out: usize,
): f64 {
  scoreBlock(x, rows, p, W, b, K, z);
  // The sum of the scores: not finite when any score is NaN or ±∞ (the caller then checks X).
  let check: f64 = 0;
  const nz = rows * K;
  for (let i = 0; i < nz; i++) check += load<f64>(z + (<usize>i << 3));
  if (K == 1) probaBinary(z, rows, link, out);
  else probaClasses(z, rows, K, link, out);
  return check;
}

/** probaBlock's binary case: (1 − σ(d), σ(d)), or softmax(−d, d), two rows per step. */
function probaBinary(z: usize, rows: i32, link: i32, out: usize): void {
  const one = kv(80);
  // Two rows per step (an odd last row: both lanes that row, one stored).
  for (let i = 0; i < rows; i += 2) {
    const d = v128.load(z + (<usize>i << 3));
    let p0: v128;
    let p1: v128;
    if (link == LINK_SOFTMAX) {
      // Softmax of (−d, d): the larger of the two is |d|.
      const a = f64x2.abs(d);
      const e0 = expNeg2(f64x2.sub(f64x2.neg(d), a));
      const e1 = expNeg2(f64x2.sub(d, a));
      const s = f64x2.add(e0, e1);
      p0 = f64x2.div(e0, s);
      p1 = f64x2.div(e1, s);
    } else {
      p1 = logistic2(d);
      p0 = f64x2.sub(one, p1);
    }
    const o = out + (<usize>i << 4);
    v128.store(o, v128.shuffle<f64>(p0, p1, 0, 2));
    if (i + 1 < rows) v128.store(o, v128.shuffle<f64>(p0, p1, 1, 3), 16);
  }
}

/** e^(v − top) (softmax) or σ(v) (one-vs-rest) of two values: not inlined, one compiled copy. */
function classTerm2(v: v128, top: v128, link: i32): v128 {
  return link == LINK_SOFTMAX ? expNeg2(f64x2.sub(v, top)) : logistic2(v);
}

/** probaBlock with K ≥ 2 classes: softmax of each row, or its σ values normalised to sum to 1. */
function probaClasses(z: usize, rows: i32, K: i32, link: i32, out: usize): void {
  const kBytes = <usize>K << 3;
  const K2 = K & ~1;
  for (let i = 0; i < rows; i++) {
    const zi = z + <usize>i * kBytes;
    const oi = out + <usize>i * kBytes;
    let top = load<f64>(zi);
    if (link == LINK_SOFTMAX) {
      for (let k = 1; k < K; k++) {
        const v = load<f64>(zi + (<usize>k << 3));
        if (v > top) top = v;
      }
    }
    const T = f64x2.splat(top);
    let sum: f64 = 0;
    for (let k = 0; k < K2; k += 2) {
      const e = classTerm2(v128.load(zi + (<usize>k << 3)), T, link);
      v128.store(oi + (<usize>k << 3), e);
      sum += f64x2.extract_lane(e, 0);
      sum += f64x2.extract_lane(e, 1);
    }
    if (K2 < K) {
      const e = f64x2.extract_lane(classTerm2(f64x2.splat(load<f64>(zi + (<usize>K2 << 3))), T, link), 0);
      store<f64>(oi + (<usize>K2 << 3), e);
      sum += e;
    }
    const S = f64x2.splat(sum);
    for (let k = 0; k < K2; k += 2) {
      const a = oi + (<usize>k << 3);
      v128.store(a, f64x2.div(v128.load(a), S));
    }
    if (K2 < K) {
      const a = oi + (<usize>K2 << 3);
      store<f64>(a, load<f64>(a) / sum);
    }
  }
}

/**
 * The predicted class of each of the `rows` rows of x into codes (i32 per row): for a binary model
 * (K = 1) 1 when the score is > 0, else 0; otherwise the first index of the largest of the K
 * scores (scikit-learn's argmax of `decision_function`). Scores go through z (rows × K). Returns
 * the sum of the scores, which is not finite when any score is NaN or ±∞ (the caller then checks
 * X). The twin: `argmaxCodes` in src/models/linear/links.ts.
 */
export function argmaxBlock(x: usize, rows: i32, p: i32, W: usize, b: usize, K: i32, z: usize, codes: usize): f64 {
  scoreBlock(x, rows, p, W, b, K, z);
  let check: f64 = 0;
  if (K == 1) {
    for (let i = 0; i < rows; i++) {
      const v = load<f64>(z + (<usize>i << 3));
      check += v;
      store<i32>(codes + (<usize>i << 2), v > 0 ? 1 : 0);
    }
    return check;
  }
  const kBytes = <usize>K << 3;
  for (let i = 0; i < rows; i++) {
    const zi = z + <usize>i * kBytes;
    let best = 0;
    let bestV = load<f64>(zi);
    check += bestV;
    for (let k = 1; k < K; k++) {
      const v = load<f64>(zi + (<usize>k << 3));
      check += v;
      if (v > bestV) {
        bestV = v;
        best = k;
      }
    }
    store<i32>(codes + (<usize>i << 2), best);
  }
  return check;
}

/**
 * {@link argmaxBlock}, then each row's class as a number: labels[i] = table[codes[i]] (`table`
 * holds the classes when they are numbers), so that `predict` gets its labels without a pass in
 * JavaScript. Returns argmaxBlock's check. The twin: `argmaxRows` with a mapping `take` in
 * src/models/linear/predict-rows.ts (`labelRows`).
 */
export function labelBlock(
  x: usize,
  rows: i32,
  p: i32,
  W: usize,
  b: usize,
  K: i32,
  z: usize,
  codes: usize,
  table: usize,
  labels: usize,
): f64 {
  const check = argmaxBlock(x, rows, p, W, b, K, z, codes);
  for (let i = 0; i < rows; i++) {
    const c = <usize>load<i32>(codes + (<usize>i << 2));
    store<f64>(labels + (<usize>i << 3), load<f64>(table + (c << 3)));
  }
  return check;
}

// ---------------------------------------------------------------------------------------------
// L-BFGS: the twin of src/models/linear/lbfgs.ts (minimizeLbfgs, SciPy's fmin_l_bfgs_b without
// bounds) and line-search.ts (MINPACK-2's dcsrch/dcstep), statement for statement, as a
// reverse-communication solver: lbfgsStart and lbfgsResume return LBFGS_EVALUATE when they need
// f and ∇f at x (the caller writes ∇f at g and passes f to lbfgsResume), or the status when done.
// Running the solver here rather than in JavaScript spares a fit the interpreter: V8 runs a
// function's first calls unoptimised, and a short fit is over before the solver is optimised.

const LBFGS_EVALUATE: i32 = 1;
const LBFGS_PGTOL: i32 = 2;
const LBFGS_FTOL: i32 = 3;
const LBFGS_MAXITER: i32 = 4;
const LBFGS_LINESEARCH: i32 = 5;

const EPSMCH: f64 = 2.220446049250313e-16;
const BIG: f64 = 1e10;

// Problem and memory (pointers to f64 arrays of n, or m × n for S and Y).
let lbN: i32 = 0;
let lbM: i32 = 0;
let lbMaxIter: i32 = 0;
let lbMaxls: i32 = 0;
let lbPgtol: f64 = 0;
let lbTol: f64 = 0;
let lbX: usize = 0;
let lbG: usize = 0;
let lbD: usize = 0;
let lbZ: usize = 0;
let lbT: usize = 0;
let lbR: usize = 0;
let lbS: usize = 0;
let lbY: usize = 0;
let lbSy: usize = 0;
let lbAlpha: usize = 0;
// Solver state.
let lbF: f64 = 0;
let lbFold: f64 = 0;
let lbNFev: i32 = 0;
let lbNIter: i32 = 0;
let lbIter: i32 = 0;
let lbCol: i32 = 0;
let lbHead: i32 = 0;
let lbTheta: f64 = 1;
let lbIfun: i32 = 0;
let lbIback: i32 = 0;
let lbGd: f64 = 0;
let lbGdold: f64 = 0;
// Line-search state (line-search.ts's LineSearchState).
let lsStp: f64 = 0;
let lsBrackt: bool = false;
let lsStage: i32 = 1;
let lsGinit: f64 = NaN;
let lsGtest: f64 = NaN;
let lsGx: f64 = NaN;
let lsGy: f64 = NaN;
let lsFinit: f64 = NaN;
let lsFx: f64 = NaN;
let lsFy: f64 = NaN;
let lsStx: f64 = NaN;
let lsSty: f64 = NaN;
let lsStmin: f64 = NaN;
let lsStmax: f64 = NaN;
let lsWidth: f64 = NaN;
let lsWidth1: f64 = NaN;

// @ts-ignore: decorator
@inline
function at(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline
function put(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

function vdot(a: usize, b: usize, n: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) s += at(a, i) * at(b, i);
  return s;
}

function vmaxAbs(a: usize, n: i32): f64 {
  let m: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = abs(at(a, i));
    if (v > m) m = v;
  }
  return m;
}

// @ts-ignore: decorator
@inline
function pairS(slot: i32): usize {
  return lbS + <usize>slot * (<usize>lbN << 3);
}

// @ts-ignore: decorator
@inline
function pairY(slot: i32): usize {
  return lbY + <usize>slot * (<usize>lbN << 3);
}

/** line-search.ts's dcstep, on the step state below (stx, fx, dx, sty, fy, dy, stp, brackt). */
let stStx: f64 = 0;
let stFx: f64 = 0;
let stDx: f64 = 0;
let stSty: f64 = 0;
let stFy: f64 = 0;
let stDy: f64 = 0;
let stStp: f64 = 0;
let stBrackt: bool = false;

function dcstep(fp: f64, dp: f64, stpmin: f64, stpmax: f64): void {
  const stx = stStx;
  const fx = stFx;
  const dx = stDx;
  const sty = stSty;
  const fy = stFy;
  const dy = stDy;
  const stp = stStp;
  const sgnd = dp * (dx / abs(dx));
  let stpf: f64;
  if (fp > fx) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = max(max(abs(theta), abs(dx)), abs(dp));
    let gamma = s * sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
    if (stp < stx) gamma = -gamma;
    const p = gamma - dx + theta;
    const q = gamma - dx + gamma + dp;
    const r = p / q;
    const stpc = stx + r * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
    stpf = abs(stpc - stx) < abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
    stBrackt = true;
  } else if (sgnd < 0) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = max(max(abs(theta), abs(dx)), abs(dp));
    let gamma = s * sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dx;
    const r = p / q;
    const stpc = stp + r * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    stpf = abs(stpc - stp) > abs(stpq - stp) ? stpc : stpq;
    stBrackt = true;
  } else if (abs(dp) < abs(dx)) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = max(max(abs(theta), abs(dx)), abs(dp));
    let gamma = s * sqrt(max(0, (theta / s) * (theta / s) - (dx / s) * (dp / s)));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma + (dx - dp) + gamma;
    const r = p / q;
    let stpc: f64;
    if (r < 0 && gamma != 0) stpc = stp + r * (stx - stp);
    else if (stp > stx) stpc = stpmax;
    else stpc = stpmin;
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (stBrackt) {
      stpf = abs(stpc - stp) < abs(stpq - stp) ? stpc : stpq;
      if (stp > stx) stpf = min(stp + 0.66 * (sty - stp), stpf);
      else stpf = max(stp + 0.66 * (sty - stp), stpf);
    } else {
      stpf = abs(stpc - stp) > abs(stpq - stp) ? stpc : stpq;
      stpf = min(stpmax, stpf);
      stpf = max(stpmin, stpf);
    }
  } else {
    if (stBrackt) {
      const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
      const s = max(max(abs(theta), abs(dy)), abs(dp));
      let gamma = s * sqrt((theta / s) * (theta / s) - (dy / s) * (dp / s));
      if (stp > sty) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma - dp + gamma + dy;
      const r = p / q;
      stpf = stp + r * (sty - stp);
    } else if (stp > stx) stpf = stpmax;
    else stpf = stpmin;
  }
  if (fp > fx) {
    stSty = stp;
    stFy = fp;
    stDy = dp;
  } else {
    if (sgnd < 0) {
      stSty = stx;
      stFy = fx;
      stDy = dx;
    }
    stStx = stp;
    stFx = fp;
    stDx = dp;
  }
  stStp = stpf;
}

const LS_FG: i32 = 0;
const LS_CONVERGENCE: i32 = 1;
const LS_WARNING: i32 = 2;
const LS_ERROR: i32 = 3;

/** line-search.ts's dcsrch on the line-search state above. */
function dcsrch(f: f64, g: f64, ftol: f64, gtol: f64, xtol: f64, stpmin: f64, stpmax: f64, start: bool): i32 {
  if (start) {
    if (lsStp < stpmin || lsStp > stpmax || g >= 0 || stpmax < stpmin) return LS_ERROR;
    lsBrackt = false;
    lsStage = 1;
    lsFinit = f;
    lsGinit = g;
    lsGtest = ftol * lsGinit;
    lsWidth = stpmax - stpmin;
    lsWidth1 = lsWidth / 0.5;
    lsStx = 0;
    lsFx = lsFinit;
    lsGx = lsGinit;
    lsSty = 0;
    lsFy = lsFinit;
    lsGy = lsGinit;
    lsStmin = 0;
    lsStmax = lsStp + 4.0 * lsStp;
    return LS_FG;
  }
  const ftest = lsFinit + lsStp * lsGtest;
  if (lsStage == 1 && f <= ftest && g >= 0) lsStage = 2;
  let task: i32 = -1;
  if (lsBrackt && (lsStp <= lsStmin || lsStp >= lsStmax)) task = LS_WARNING;
  if (lsBrackt && lsStmax - lsStmin <= xtol * lsStmax) task = LS_WARNING;
  if (lsStp == stpmax && f <= ftest && g <= lsGtest) task = LS_WARNING;
  if (lsStp == stpmin && (f > ftest || g >= lsGtest)) task = LS_WARNING;
  if (f <= ftest && abs(g) <= gtol * -lsGinit) task = LS_CONVERGENCE;
  if (task >= 0) return task;

  if (lsStage == 1 && f <= lsFx && f > ftest) {
    const fm = f - lsStp * lsGtest;
    stStx = lsStx;
    stFx = lsFx - lsStx * lsGtest;
    stDx = lsGx - lsGtest;
    stSty = lsSty;
    stFy = lsFy - lsSty * lsGtest;
    stDy = lsGy - lsGtest;
    stStp = lsStp;
    stBrackt = lsBrackt;
    dcstep(fm, g - lsGtest, lsStmin, lsStmax);
    lsStx = stStx;
    lsSty = stSty;
    lsStp = stStp;
    lsBrackt = stBrackt;
    lsFx = stFx + lsStx * lsGtest;
    lsFy = stFy + lsSty * lsGtest;
    lsGx = stDx + lsGtest;
    lsGy = stDy + lsGtest;
  } else {
    stStx = lsStx;
    stFx = lsFx;
    stDx = lsGx;
    stSty = lsSty;
    stFy = lsFy;
    stDy = lsGy;
    stStp = lsStp;
    stBrackt = lsBrackt;
    dcstep(f, g, lsStmin, lsStmax);
    lsStx = stStx;
    lsFx = stFx;
    lsGx = stDx;
    lsSty = stSty;
    lsFy = stFy;
    lsGy = stDy;
    lsStp = stStp;
    lsBrackt = stBrackt;
  }
  if (lsBrackt) {
    if (abs(lsSty - lsStx) >= 0.66 * lsWidth1) lsStp = lsStx + 0.5 * (lsSty - lsStx);
    lsWidth1 = lsWidth;
    lsWidth = abs(lsSty - lsStx);
  }
  if (lsBrackt) {
    lsStmin = min(lsStx, lsSty);
    lsStmax = max(lsStx, lsSty);
  } else {
    lsStmin = lsStp + 1.1 * (lsStp - lsStx);
    lsStmax = lsStp + 4.0 * (lsStp - lsStx);
  }
  lsStp = max(lsStp, stpmin);
  lsStp = min(lsStp, stpmax);
  if ((lsBrackt && (lsStp <= lsStmin || lsStp >= lsStmax)) || (lsBrackt && lsStmax - lsStmin <= xtol * lsStmax)) {
    lsStp = lsStx;
  }
  return LS_FG;
}

/**
 * Starts a minimisation of n coefficients from x (at xPtr) where the caller has evaluated f0 and
 * ∇f (at gPtr): the scratch arrays d, z, t, r (n each), S and Y (m × n each), sy and alpha (m
 * each) at the given pointers. Returns LBFGS_EVALUATE or the status.
 */
export function lbfgsStart(
  n: i32,
  m: i32,
  maxIter: i32,
  maxls: i32,
  pgtol: f64,
  tol: f64,
  f0: f64,
  xPtr: usize,
  gPtr: usize,
  dPtr: usize,
  zPtr: usize,
  tPtr: usize,
  rPtr: usize,
  SPtr: usize,
  YPtr: usize,
  syPtr: usize,
  alphaPtr: usize,
): i32 {
  lbN = n;
  lbM = m;
  lbMaxIter = maxIter;
  lbMaxls = maxls;
  lbPgtol = pgtol;
  lbTol = tol;
  lbX = xPtr;
  lbG = gPtr;
  lbD = dPtr;
  lbZ = zPtr;
  lbT = tPtr;
  lbR = rPtr;
  lbS = SPtr;
  lbY = YPtr;
  lbSy = syPtr;
  lbAlpha = alphaPtr;
  lbF = f0;
  lbNFev = 1;
  lbNIter = 0;
  if (vmaxAbs(lbG, n) <= pgtol) return LBFGS_PGTOL;
  lbCol = 0;
  lbHead = 0;
  lbTheta = 1;
  lbIter = 0;
  return beginIteration();
}

/** Continues after an evaluation: f at x, its gradient written at g. */
export function lbfgsResume(f: f64): i32 {
  lbF = f;
  lbNFev++;
  return searchLoop();
}

/** The current objective value, evaluations and iterations (SciPy's nfev, nit). */
export function lbfgsF(): f64 {
  return lbF;
}

export function lbfgsNFev(): i32 {
  return lbNFev;
}

export function lbfgsNIter(): i32 {
  return lbNIter;
}

function beginIteration(): i32 {
  const n = lbN;
  const x = lbX;
  const g = lbG;
  const d = lbD;
  const z = lbZ;
  if (lbCol == 0) {
    let f1: f64 = 0;
    for (let i = 0; i < n; i++) f1 -= at(g, i) * at(g, i);
    const f2 = -lbTheta * f1;
    const dtm = -f1 / f2;
    for (let i = 0; i < n; i++) put(z, i, at(x, i) + dtm * -at(g, i));
  } else {
    for (let i = 0; i < n; i++) put(d, i, -at(g, i));
    for (let k = lbCol - 1; k >= 0; k--) {
      const slot = (lbHead + k) % lbM;
      const a = vdot(pairS(slot), d, n) / at(lbSy, slot);
      put(lbAlpha, k, a);
      const yk = pairY(slot);
      for (let i = 0; i < n; i++) put(d, i, at(d, i) - a * at(yk, i));
    }
    const invTheta = 1 / lbTheta;
    for (let i = 0; i < n; i++) put(d, i, at(d, i) * invTheta);
    for (let k = 0; k < lbCol; k++) {
      const slot = (lbHead + k) % lbM;
      const b = vdot(pairY(slot), d, n) / at(lbSy, slot);
      const sk = pairS(slot);
      const c = at(lbAlpha, k) - b;
      for (let i = 0; i < n; i++) put(d, i, at(d, i) + c * at(sk, i));
    }
    for (let i = 0; i < n; i++) put(z, i, at(x, i) + at(d, i));
  }
  for (let i = 0; i < n; i++) put(d, i, at(z, i) - at(x, i));
  const dnorm = sqrt(vdot(d, d, n));
  lsStp = lbIter == 0 ? min(1 / dnorm, BIG) : 1;
  lsBrackt = false;
  lsStage = 1;
  lsGinit = NaN;
  lsGtest = NaN;
  lsGx = NaN;
  lsGy = NaN;
  lsFinit = NaN;
  lsFx = NaN;
  lsFy = NaN;
  lsStx = NaN;
  lsSty = NaN;
  lsStmin = NaN;
  lsStmax = NaN;
  lsWidth = NaN;
  lsWidth1 = NaN;
  memory.copy(lbT, x, <usize>n << 3);
  memory.copy(lbR, g, <usize>n << 3);
  lbFold = lbF;
  lbIfun = 0;
  lbIback = 0;
  lbGd = 0;
  lbGdold = 0;
  return searchLoop();
}

function searchLoop(): i32 {
  const n = lbN;
  lbGd = vdot(lbG, lbD, n);
  if (lbIfun == 0) {
    lbGdold = lbGd;
    if (lbGd >= 0) return afterSearch(true); // not a descent direction
  }
  const task = dcsrch(lbF, lbGd, 1e-3, 0.9, 0.1, 0, BIG, lbIfun == 0);
  if (task == LS_CONVERGENCE || task == LS_WARNING) return afterSearch(false);
  lbIfun++;
  lbIback = lbIfun - 1;
  const stp = lsStp;
  if (stp == 1) memory.copy(lbX, lbZ, <usize>n << 3);
  else for (let i = 0; i < n; i++) put(lbX, i, stp * at(lbD, i) + at(lbT, i));
  if (lbIback >= lbMaxls) return afterSearch(true);
  return LBFGS_EVALUATE;
}

function afterSearch(failed: bool): i32 {
  const n = lbN;
  if (failed) {
    memory.copy(lbX, lbT, <usize>n << 3);
    memory.copy(lbG, lbR, <usize>n << 3);
    lbF = lbFold;
    if (lbCol == 0) return LBFGS_LINESEARCH;
    lbCol = 0;
    lbHead = 0;
    lbTheta = 1;
    return beginIteration(); // restart from −g
  }
  lbIter++;
  const sbgnrm = vmaxAbs(lbG, n);
  lbNIter++;
  if (lbNIter >= lbMaxIter) return LBFGS_MAXITER;
  if (sbgnrm <= lbPgtol) return LBFGS_PGTOL;
  const ddumF = max(max(abs(lbFold), abs(lbF)), 1);
  if (lbFold - lbF <= lbTol * ddumF) return LBFGS_FTOL;
  // Update the pairs.
  const r = lbR;
  const d = lbD;
  for (let i = 0; i < n; i++) put(r, i, at(lbG, i) - at(r, i));
  const rr = vdot(r, r, n);
  const stp = lsStp;
  let dr: f64;
  let ddum: f64;
  if (stp == 1) {
    dr = lbGd - lbGdold;
    ddum = -lbGdold;
  } else {
    dr = (lbGd - lbGdold) * stp;
    for (let i = 0; i < n; i++) put(d, i, at(d, i) * stp);
    ddum = -lbGdold * stp;
  }
  if (dr <= EPSMCH * ddum) return beginIteration(); // skip the update: not enough curvature
  let slot: i32;
  if (lbCol < lbM) {
    slot = (lbHead + lbCol) % lbM;
    lbCol++;
  } else {
    slot = lbHead;
    lbHead = (lbHead + 1) % lbM;
  }
  memory.copy(pairS(slot), d, <usize>n << 3);
  memory.copy(pairY(slot), r, <usize>n << 3);
  put(lbSy, slot, dr);
  lbTheta = rr / dr;
  return beginIteration();
}
