// The fused loss/gradient kernels of logistic regression (binary and multinomial), compiled to
// WebAssembly (SIMD) by scripts/build-wasm.mjs. WebAssembly needs no JIT warm-up — V8 compiles it
// to machine code before the first call — so the first fit in a process runs at full speed.
//
// src/models/linear/logistic-loss.ts holds the TypeScript twin of each function, and the tests hold
// the two to the same bits: every sum is taken in the same order, the SIMD lanes split exactly the
// sums the twin splits (the even and the odd features of each dot product; the features j, j + 1 of
// each gradient update, which are independent), exp and log1p are the branch-free algorithms of
// src/models/linear/lean-math.ts (two rows per SIMD step here, one at a time there), and log is
// fdlibm's — the algorithm behind V8's Math.log, which the twin calls.
//
// Every function works on one block of rows that the TypeScript side has copied into this
// instance's memory (see src/models/linear/loss-wasm.ts for the layout); nothing here allocates.
// Blocks: row-major x (rows × p f64), labels y (f64 per row: 0/1, or the class code), optional
// weights sw (f64 per row; pointer 0 = none), coefficients w (class k, feature j at k · dof + j,
// intercept at j = p when fitted, dof = p + 1 then), and out: the loss, then the gradient.

/** End of the module's static data: the TypeScript side lays its buffers out above it. */
export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------------
// fdlibm's log (as in V8's src/base/ieee754.cc), so that the twin's Math.log gives the same bits.

// @ts-ignore: decorator
@inline
function highWord(x: f64): i32 {
  return <i32>(reinterpret<u64>(x) >> 32);
}

// @ts-ignore: decorator
@inline
function withHighWord(x: f64, hi: i32): f64 {
  return reinterpret<f64>((reinterpret<u64>(x) & 0xffffffff) | (<u64>(<u32>hi) << 32));
}

const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const TWO54: f64 = 1.8014398509481984e16;
const L1: f64 = 6.666666666666735130e-1;
const L2: f64 = 3.999999999940941908e-1;
const L3: f64 = 2.857142874366239149e-1;
const L4: f64 = 2.222219843214978396e-1;
const L5: f64 = 1.818357216161805012e-1;
const L6: f64 = 1.531383769920937332e-1;
const L7: f64 = 1.479819860511658591e-1;

// @ts-ignore: decorator
@inline
function fdlibmLog(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  let hx = <i32>(bits >> 32);
  const lx = <u32>bits;
  let k: i32 = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) == 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000));
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f == 0) {
      if (k == 0) return 0;
      const dk = <f64>k;
      return dk * LN2_HI + dk * LN2_LO;
    }
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - R;
    const dk = <f64>k;
    return dk * LN2_HI - ((R - dk * LN2_LO) - f);
  }
  const s = f / (2.0 + f);
  const dk = <f64>k;
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (L2 + w * (L4 + w * L6));
  const t2 = z * (L1 + w * (L3 + w * (L5 + w * L7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + R));
    return dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f);
  }
  if (k == 0) return f - s * (f - R);
  return dk * LN2_HI - ((s * (f - R) - dk * LN2_LO) - f);
}

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
 * gradient (softmax − one-hot)·s in place; returns the loss·s.
 */
// @ts-ignore: decorator
@inline
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
  const one = kv(80);
  if (K == 1) {
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
    return check;
  }
  const kBytes = <usize>K << 3;
  const K2 = K & ~1;
  for (let i = 0; i < rows; i++) {
    const zi = z + <usize>i * kBytes;
    const oi = out + <usize>i * kBytes;
    let sum: f64 = 0;
    if (link == LINK_SOFTMAX) {
      let top = load<f64>(zi);
      for (let k = 1; k < K; k++) {
        const v = load<f64>(zi + (<usize>k << 3));
        if (v > top) top = v;
      }
      const M = f64x2.splat(top);
      for (let k = 0; k < K2; k += 2) {
        const e = expNeg2(f64x2.sub(v128.load(zi + (<usize>k << 3)), M));
        v128.store(oi + (<usize>k << 3), e);
        sum += f64x2.extract_lane(e, 0);
        sum += f64x2.extract_lane(e, 1);
      }
      if (K2 < K) {
        const e = f64x2.extract_lane(expNeg2(f64x2.splat(load<f64>(zi + (<usize>K2 << 3)) - top)), 0);
        store<f64>(oi + (<usize>K2 << 3), e);
        sum += e;
      }
    } else {
      for (let k = 0; k < K2; k += 2) {
        const v = logistic2(v128.load(zi + (<usize>k << 3)));
        v128.store(oi + (<usize>k << 3), v);
        sum += f64x2.extract_lane(v, 0);
        sum += f64x2.extract_lane(v, 1);
      }
      if (K2 < K) {
        const v = f64x2.extract_lane(logistic2(f64x2.splat(load<f64>(zi + (<usize>K2 << 3)))), 0);
        store<f64>(oi + (<usize>K2 << 3), v);
        sum += v;
      }
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
  return check;
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
