/**
 * The truncated normal distribution as Optuna 3.1's TPE uses it (`optuna/samplers/_tpe/
 * _truncnorm.py`, itself from SciPy): the log of the normal CDF with its asymptotic series in the
 * far left tail, the log of the Gaussian mass of an interval, the quantile function by bisection
 * on the log CDF, and the log density. `erf`/`erfc` are FreeBSD's `s_erf.c` (as C's libm, which
 * Optuna's scalar paths call).
 *
 * @module
 */

// ---------------------------------------------------------------------------------------------
// erf / erfc: a transcription of FreeBSD msun's s_erf.c (Sun's fdlibm), accurate to < 1 ulp.

const erx = 0.8450629115104675;
const efx = 0.1283791670955126;
const efx8 = 1.0270333367641007;
const pp0 = 0.12837916709551256;
const pp1 = -0.3250421072470015;
const pp2 = -0.02848174957559851;
const pp3 = -0.005770270296489442;
const pp4 = -0.000023763016656650163;
const qq1 = 0.39791722395915535;
const qq2 = 0.0650222499887673;
const qq3 = 0.005081306281875766;
const qq4 = 0.00013249473800432164;
const qq5 = -0.000003960228278775368;
const pa0 = -0.0023621185607526594;
const pa1 = 0.41485611868374833;
const pa2 = -0.3722078760357013;
const pa3 = 0.31834661990116175;
const pa4 = -0.11089469428239668;
const pa5 = 0.035478304325618236;
const pa6 = -0.002166375594868791;
const qa1 = 0.10642088040084423;
const qa2 = 0.540397917702171;
const qa3 = 0.07182865441419627;
const qa4 = 0.12617121980876164;
const qa5 = 0.01363708391202905;
const qa6 = 0.011984499846799107;
const ra0 = -0.009864944034847148;
const ra1 = -0.6938585727071818;
const ra2 = -10.558626225323291;
const ra3 = -62.375332450326006;
const ra4 = -162.39666946257347;
const ra5 = -184.60509290671104;
const ra6 = -81.2874355063066;
const ra7 = -9.814329344169145;
const sa1 = 19.651271667439257;
const sa2 = 137.65775414351904;
const sa3 = 434.56587747522923;
const sa4 = 645.3872717332679;
const sa5 = 429.00814002756783;
const sa6 = 108.63500554177944;
const sa7 = 6.570249770319282;
const sa8 = -0.0604244152148581;
const rb0 = -0.0098649429247001;
const rb1 = -0.799283237680523;
const rb2 = -17.757954917754752;
const rb3 = -160.63638485582192;
const rb4 = -637.5664433683896;
const rb5 = -1025.0951316110772;
const rb6 = -483.5191916086514;
const sb1 = 30.33806074348246;
const sb2 = 325.7925129965739;
const sb3 = 1536.729586084437;
const sb4 = 3199.8582195085955;
const sb5 = 2553.0504064331644;
const sb6 = 474.52854120695537;
const sb7 = -22.44095244658582;
const tiny = 1e-300;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Little-endian: word 1 is the high word.
function highWord(x: number): number {
  f64[0] = x;
  return u32[1] | 0;
}
function withLowWordZero(x: number): number {
  f64[0] = x;
  u32[0] = 0;
  return f64[0];
}

/** The error function. */
export function erf(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x7ff00000) {
    // erf(nan) = nan, erf(±inf) = ±1
    const i = (hx >>> 31) << 1;
    return 1 - i + 1 / x;
  }
  if (ix < 0x3feb0000) {
    if (ix < 0x3e300000) {
      if (ix < 0x00800000) return 0.125 * (8.0 * x + efx8 * x);
      return x + efx * x;
    }
    const z = x * x;
    const r = pp0 + z * (pp1 + z * (pp2 + z * (pp3 + z * pp4)));
    const s = 1 + z * (qq1 + z * (qq2 + z * (qq3 + z * (qq4 + z * qq5))));
    return x + x * (r / s);
  }
  if (ix < 0x3ff40000) {
    const s = Math.abs(x) - 1;
    const P = pa0 + s * (pa1 + s * (pa2 + s * (pa3 + s * (pa4 + s * (pa5 + s * pa6)))));
    const Q = 1 + s * (qa1 + s * (qa2 + s * (qa3 + s * (qa4 + s * (qa5 + s * qa6)))));
    return hx >= 0 ? erx + P / Q : -erx - P / Q;
  }
  if (ix >= 0x40180000) return hx >= 0 ? 1 - tiny : tiny - 1;
  const ax = Math.abs(x);
  const s = 1 / (ax * ax);
  let R: number;
  let S: number;
  if (ix < 0x4006db6e) {
    R = ra0 + s * (ra1 + s * (ra2 + s * (ra3 + s * (ra4 + s * (ra5 + s * (ra6 + s * ra7))))));
    S = 1 + s * (sa1 + s * (sa2 + s * (sa3 + s * (sa4 + s * (sa5 + s * (sa6 + s * (sa7 + s * sa8)))))));
  } else {
    R = rb0 + s * (rb1 + s * (rb2 + s * (rb3 + s * (rb4 + s * (rb5 + s * rb6)))));
    S = 1 + s * (sb1 + s * (sb2 + s * (sb3 + s * (sb4 + s * (sb5 + s * (sb6 + s * sb7))))));
  }
  const z = withLowWordZero(ax);
  const r = Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + R / S);
  return hx >= 0 ? 1 - r / ax : r / ax - 1;
}

/** The complementary error function 1 − erf(x), accurate in the tails. */
export function erfc(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x7ff00000) {
    // erfc(nan) = nan, erfc(+inf) = 0, erfc(-inf) = 2
    return ((hx >>> 31) << 1) + 1 / x;
  }
  if (ix < 0x3feb0000) {
    if (ix < 0x3c700000) return 1 - x;
    const z = x * x;
    const r = pp0 + z * (pp1 + z * (pp2 + z * (pp3 + z * pp4)));
    const s = 1 + z * (qq1 + z * (qq2 + z * (qq3 + z * (qq4 + z * qq5))));
    const y = r / s;
    if (hx < 0x3fd00000) return 1 - (x + x * y);
    let rr = x * y;
    rr += x - 0.5;
    return 0.5 - rr;
  }
  if (ix < 0x3ff40000) {
    const s = Math.abs(x) - 1;
    const P = pa0 + s * (pa1 + s * (pa2 + s * (pa3 + s * (pa4 + s * (pa5 + s * pa6)))));
    const Q = 1 + s * (qa1 + s * (qa2 + s * (qa3 + s * (qa4 + s * (qa5 + s * qa6)))));
    if (hx >= 0) return 1 - erx - P / Q;
    return 1 + (erx + P / Q);
  }
  if (ix < 0x403c0000) {
    const ax = Math.abs(x);
    const s = 1 / (ax * ax);
    let R: number;
    let S: number;
    if (ix < 0x4006db6d) {
      R = ra0 + s * (ra1 + s * (ra2 + s * (ra3 + s * (ra4 + s * (ra5 + s * (ra6 + s * ra7))))));
      S = 1 + s * (sa1 + s * (sa2 + s * (sa3 + s * (sa4 + s * (sa5 + s * (sa6 + s * (sa7 + s * sa8)))))));
    } else {
      if (hx < 0 && ix >= 0x40180000) return 2 - tiny;
      R = rb0 + s * (rb1 + s * (rb2 + s * (rb3 + s * (rb4 + s * (rb5 + s * rb6)))));
      S = 1 + s * (sb1 + s * (sb2 + s * (sb3 + s * (sb4 + s * (sb5 + s * (sb6 + s * sb7))))));
    }
    const z = withLowWordZero(ax);
    const r = Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + R / S);
    return hx > 0 ? r / ax : 2 - r / ax;
  }
  return hx > 0 ? tiny * tiny : 2 - tiny;
}

// ---------------------------------------------------------------------------------------------
// Optuna's _truncnorm.py.

const SQRT2 = Math.SQRT2;
const LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));

/** The standard normal CDF (Optuna's `_ndtr_single`: erfc in the tails). */
export function ndtr(a: number): number {
  const x = a / SQRT2;
  if (x < -1 / SQRT2) return 0.5 * erfc(-x);
  if (x < 1 / SQRT2) return 0.5 + 0.5 * erf(x);
  return 1 - 0.5 * erfc(x);
}

/** log Φ(a), with the asymptotic series below −20 (Optuna's `_log_ndtr_single`). */
export function logNdtr(a: number): number {
  if (a > 6) return -ndtr(-a);
  if (a > -20) return Math.log(ndtr(a));
  const logLHS = -0.5 * a * a - Math.log(-a) - 0.5 * Math.log(2 * Math.PI);
  let lastTotal = 0;
  let rhs = 1;
  let numerator = 1;
  let denomFactor = 1;
  const denomCons = 1 / (a * a);
  let sign = 1;
  let i = 0;
  while (Math.abs(lastTotal - rhs) > Number.EPSILON) {
    i++;
    lastTotal = rhs;
    sign = -sign;
    denomFactor *= denomCons;
    numerator *= 2 * i - 1;
    rhs += sign * numerator * denomFactor;
  }
  return logLHS + Math.log(rhs);
}

function logDiff(logP: number, logQ: number): number {
  return logP + Math.log1p(-Math.exp(logQ - logP));
}

function logSum(logP: number, logQ: number): number {
  // np.logaddexp
  if (logP === logQ) return logP + Math.LN2;
  const m = Math.max(logP, logQ);
  return m + Math.log1p(Math.exp(-Math.abs(logP - logQ)));
}

/** log of the standard normal mass on [a, b] (Optuna's `_log_gauss_mass`). */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  // Central case: log1p(-Φ(a) - Φ(-b)), with Optuna's vectorised Φ (0.5 + 0.5·erf).
  return Math.log1p(-(0.5 + 0.5 * erf(a / SQRT2)) - (0.5 + 0.5 * erf(-b / SQRT2)));
}

function ndtriExp(y: number): number {
  // Optuna's _bisect(_log_ndtr_single, -100, 100, y): 100 halvings.
  let lo = -100;
  let hi = 100;
  if (logNdtr(lo) > y) {
    lo = 100;
    hi = -100;
  }
  let m = 0;
  for (let k = 0; k < 100; k++) {
    m = (lo + hi) / 2;
    if (logNdtr(m) < y) lo = m;
    else hi = m;
  }
  return m;
}

/** Quantile `q` of the standard normal truncated to [a, b] (Optuna's `ppf`). */
export function truncnormPpf(q: number, a: number, b: number): number {
  if (a === b) return Number.NaN;
  if (q === 0) return a;
  if (q === 1) return b;
  if (a < 0) return ndtriExp(logSum(logNdtr(a), Math.log(q) + logGaussMass(a, b)));
  return -ndtriExp(logSum(logNdtr(-b), Math.log1p(-q) + logGaussMass(a, b)));
}

/**
 * log density at x of N(loc, scale²) truncated to [loc + a·scale, loc + b·scale]. With
 * `normalized: false` the `− log(scale)` term is left out, as Optuna 3.1.0's `logpdf` does (its TPE
 * then weighs each kernel by its shape alone; later Optuna releases add the term back).
 */
export function truncnormLogpdf(
  x: number,
  a: number,
  b: number,
  loc: number,
  scale: number,
  normalized = true,
): number {
  const z = (x - loc) / scale;
  if (a === b) return Number.NaN;
  if (z < a || z > b) return Number.NEGATIVE_INFINITY;
  const lp = -(z * z) / 2 - LOG_SQRT_2PI - logGaussMass(a, b);
  return normalized ? lp - Math.log(scale) : lp;
}
