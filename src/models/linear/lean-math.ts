/**
 * Branch-free exp and log1p on the ranges the logistic losses and link functions use — exp of a
 * non-positive argument, log1p of an argument in [0, 1] — written so that the WebAssembly kernels
 * (`assembly/linear.ts`) can run them on two values per SIMD instruction and give the same bits as
 * this code, which is their TypeScript twin.
 *
 * Why not Math.exp and Math.log1p: V8's (fdlibm's) take a different path for each range of the
 * argument. A scalar kernel pays a mispredicted branch whenever neighbouring rows fall on different
 * paths, and a SIMD kernel has to compute every path for both lanes and select — measured at about
 * 250 instructions per pair, no faster than the scalar code. These use one path for the whole range:
 * fdlibm's own reductions and polynomials (so the same accuracy: below one ulp in the core, the
 * results within a couple of ulps of the correctly rounded value — the tests measure it), with the
 * range tests replaced by arithmetic.
 *
 * @module
 */

const EXP_FLOOR = -746; // exp(−746) rounds to 0
const INV_LN2 = Math.LOG2E; // 1/ln 2
const ROUND_SHIFT = 6755399441055744; // 1.5 · 2^52: x + this rounds x to an integer
const LN2_HI = 6.931471803691238e-1; // ln 2 = LN2_HI + LN2_LO; k · LN2_HI is exact for |k| < 2^20
const LN2_LO = 1.9082149292705877e-10;
const P1 = 1.6666666666666602e-1; // fdlibm's exp polynomial
const P2 = -2.7777777777015593e-3;
const P3 = 6.613756321437934e-5;
const P4 = -1.6533902205465252e-6;
const P5 = 4.1381367970572385e-8;
const TWO_M54 = 5.551115123125783e-17; // 2^-54
const SQRT2 = Math.SQRT2;
const L1 = 6.666666666666735e-1; // fdlibm's log1p polynomial
const L2 = 3.999999999940942e-1;
const L3 = 2.857142874366239e-1;
const L4 = 2.2222198432149784e-1;
const L5 = 1.818357216161805e-1;
const L6 = 1.5313837699209373e-1;
const L7 = 1.4798198605116586e-1;

/** POW2[k + 1076] = 2^(k + 54), for the k ≤ 0 that {@link expNonPositive} meets (k ≥ −1076). */
const POW2 = (() => {
  const t = new Float64Array(1077);
  let v = 2 ** 54;
  for (let i = 1076; i >= 0; i--) {
    t[i] = v;
    v /= 2;
  }
  return t;
})();

/**
 * e^x for x ≤ 0 (a NaN or an x below −746 gives exp(−746) = 0). fdlibm's `__ieee754_exp` without
 * its branches: k = round(x / ln2) by adding and subtracting 1.5 · 2^52 (round to nearest even — one
 * instruction in both languages, where fdlibm truncates x/ln2 ± ½), r = (x − k·LN2_HI) − k·LN2_LO in
 * [−ln2/2, ln2/2], fdlibm's rational approximation of e^r there, then · 2^(k+54) · 2^−54 (two
 * exact scalings for normal results, and a single rounding for subnormal ones, as fdlibm's).
 */
export function expNonPositive(x0: number): number {
  // biome-ignore lint/complexity/useMathMinMax: a NaN must become the floor, as in the WebAssembly twin (pmax)
  const x = EXP_FLOOR < x0 ? x0 : EXP_FLOOR;
  const t = x * INV_LN2 + ROUND_SHIFT;
  const k = t - ROUND_SHIFT;
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  const rr = r * r;
  const c = r - rr * (P1 + rr * (P2 + rr * (P3 + rr * (P4 + rr * P5))));
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  return y * POW2[(k | 0) + 1076] * TWO_M54;
}

/**
 * log(1 + e) for 0 ≤ e ≤ 1, given u = 1 + e and inv = 1 / u (which the callers need anyway):
 * fdlibm's `log1p` without its branches — u (or u/2 above √2, with k = 1) is 1 + f with f in
 * [√½ − 1, √2 − 1], log(1 + f) = f − (hfsq − s·(hfsq + R(s²))) with s = f/(2 + f), and the rounding
 * error of 1 + e, (e − (u − 1))·inv, added as fdlibm adds its correction c.
 */
export function log1pUnit(e: number, u: number, inv: number): number {
  const c = (e - (u - 1)) * inv;
  const big = u > SQRT2;
  const f = (big ? u * 0.5 : u) - 1;
  const k = big ? 1 : 0;
  const hfsq = 0.5 * f * f;
  const s = f / (2 + f);
  const z = s * s;
  const R = z * (L1 + z * (L2 + z * (L3 + z * (L4 + z * (L5 + z * (L6 + z * L7))))));
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + (k * LN2_LO + c)) - f);
}

/** log(1 + e) for 0 ≤ e ≤ 1 ({@link log1pUnit} with its u and 1/u computed here). */
export function log1pOfUnit(e: number): number {
  const u = 1 + e;
  return log1pUnit(e, u, 1 / u);
}
