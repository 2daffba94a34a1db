/**
 * The distribution functions behind every p-value and confidence interval in `src/stats`: mostly
 * thin wrappers over `@stdlib` (Boost/Cephes-quality implementations of the incomplete gamma and
 * beta functions, the error function and the quantile functions). Where @stdlib loses a tail —
 * the incomplete gamma function's large-x series, the F distribution's incomplete beta in the
 * far tail, Student's t where ν/(ν + t²) underflows — the function is evaluated here, checked
 * against mpmath.
 *
 * **Tails.** A p-value is a tail probability, often tiny; computing it as `1 − cdf` would lose
 * every digit below 1e-16. Each survival function here therefore evaluates the upper tail
 * directly where it is small (an upper tail above ½ is 1 − the lower one, exact to rounding):
 * the normal through `erfc`, chi-square through the upper regularized incomplete gamma function,
 * Student's t and F through the regularized incomplete beta function (F's tail in logs, down to
 * the smallest normal double) on
 * whichever side keeps its argument exact (for Student's t with t² < ν the argument
 * t²/(ν+t²) is exact where ν/(ν+t²) would round towards 1).
 *
 * **Loading.** The `@stdlib` packages are CommonJS and load slowly (the whole
 * `@stdlib/stats-base-dists` namespace takes seconds), so each function is required from its
 * own package, on first use.
 *
 * @module
 */

import { createRequire } from 'node:module';

const req = createRequire(import.meta.url);

type F1 = (x: number) => number;
type F2 = (x: number, a: number) => number;
type F3 = (x: number, a: number, b: number) => number;
type F4 = (x: number, a: number, b: number, c: number) => number;
type IncGamma = (x: number, a: number, regularized?: boolean, upper?: boolean) => number;
type IncBeta = (x: number, a: number, b: number, regularized?: boolean, upper?: boolean) => number;

let erfcFn: F1 | undefined;
let gammaincFn: IncGamma | undefined;
let betaincFn: IncBeta | undefined;
let gammalnFn: F1 | undefined;
let normalQuantileFn: F3 | undefined;
let normalLogCdfFn: F3 | undefined;
let tQuantileFn: F2 | undefined;
let hypergeomPmfFn: F4 | undefined;
let binomialCdfFn: F3 | undefined;

function erfc(x: number): number {
  erfcFn ??= req('@stdlib/math-base-special-erfc') as F1;
  return erfcFn(x);
}

/**
 * Regularized incomplete gamma P(a, x) (`upper`: Q(a, x) = 1 − P, computed directly). For
 * x > 1000 with a < x + 50 — Boost's "method 7", the asymptotic series for large x — @stdlib
 * 0.3's series starts one factor too early (a/x instead of (a − 1)/x), which puts errors of ~1/x
 * and more (2% for χ² = 2040 on 2000 df) into both tails; that region is evaluated here instead.
 */
function gammaInc(x: number, a: number, upper = false): number {
  if (x > 1000 && (a < x || Math.abs(a - 50) < x)) {
    const q = upperGammaLargeX(a, x);
    return upper ? q : 1 - q;
  }
  gammaincFn ??= req('@stdlib/math-base-special-gammainc') as IncGamma;
  return gammaincFn(x, a, true, upper);
}

/**
 * log(x^a e^{−x} / Γ(a)), the prefix of the incomplete gamma function. For large a it is written
 * as a·(log1p(d) − d) + ½ log(a/2π) − stirling(a) with d = (x − a)/a, so the rounding error stays
 * ~ε·|x − a| instead of ε·a·log x.
 */
function logGammaPrefix(a: number, x: number): number {
  if (a < 10) return a * Math.log(x) - x - logGamma(a);
  const d = (x - a) / a;
  return a * log1pmx(d) + 0.5 * Math.log(a / (2 * Math.PI)) - stirlingSeries(a);
}

/**
 * Q(a, x) for large x by the asymptotic series x^{a−1}e^{−x}/Γ(a) · Σ_k (a−1)(a−2)…(a−k)/x^k
 * (Boost's `incomplete_tgamma_large_x`), summed to double precision.
 */
function upperGammaLargeX(a: number, x: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 100000; k++) {
    term *= (a - k) / x;
    sum += term;
    if (Math.abs(term) <= Number.EPSILON * Math.abs(sum)) break;
  }
  return Math.min(1, (Math.exp(logGammaPrefix(a, x)) / x) * sum);
}

/**
 * log(1 + d) − d without the cancellation of the two for small d (the series −d²/2 + d³/3 − …,
 * summed from the smallest term): `Math.log1p(d) - d` has a relative error of ~2ε/|d|, which the
 * large factors it is multiplied by (a parameter of 1e6) carried into the result.
 */
function log1pmx(d: number): number {
  if (Math.abs(d) > 0.1) return Math.log1p(d) - d;
  const terms: number[] = [];
  let power = d * d;
  for (let k = 2; Math.abs(power) > 1e-17 * k * d * d; k++) {
    terms.push((k % 2 === 0 ? -power : power) / k);
    power *= d;
  }
  let sum = 0;
  for (let i = terms.length - 1; i >= 0; i--) sum += terms[i];
  return sum;
}

/** s(z) = log Γ(z) − ((z − ½) log z − z + ½ log 2π), Stirling's series, for z ≥ 10 (error below 1e-15). */
function stirlingSeries(z: number): number {
  const z2 = 1 / (z * z);
  return (
    (1 / 12 - z2 * (1 / 360 - z2 * (1 / 1260 - z2 * (1 / 1680 - z2 * (1 / 1188 - (z2 * 691) / 360360))))) / z
  );
}

/**
 * log(x^a y^b / B(a, b)) for x = 1/(1 + r), y = r/(1 + r), given w = b − a·r (= (a + b)(y − b/(a+b))·(1+r)
 * up to sign, which the caller can often compute without cancellation). For a, b ≥ 10 it is
 * a·(log1p(d₁) − d₁) + b·(log1p(d₂) − d₂) + ½ log(ab/(2π(a+b))) − s(a) − s(b) + s(a+b) with
 * d₁ = x(a+b)/a − 1, d₂ = y(a+b)/b − 1 (a·d₁ + b·d₂ = 0): the error stays ~ε·|log| instead of
 * ε·a·|log x| — the terms a·log x, b·log y and log B(a, b) are each ~1e6 for parameters of 1e5.
 */
function logBetaPrefix(a: number, b: number, r: number, w: number): number {
  if (a < b) return logBetaPrefix(b, a, 1 / r, -w / r);
  const lnX = -Math.log1p(r);
  const lnY = r > 1 ? -Math.log1p(1 / r) : Math.log(r) + lnX;
  const c = a + b;
  if (a < 10) return a * lnX + b * lnY - logGamma(a) - logGamma(b) + logGamma(c);
  const d1 = w / (a * (1 + r));
  const termA = d1 > -0.5 ? a * log1pmx(d1) : a * (lnX + Math.log(c / a) - d1);
  if (b < 10) {
    return (
      termA +
      a * d1 +
      b * (lnY + Math.log(c)) -
      b +
      0.5 * Math.log(a / c) -
      logGamma(b) +
      stirlingSeries(c) -
      stirlingSeries(a)
    );
  }
  const d2 = -w / (b * (1 + r));
  const termB = d2 > -0.5 ? b * log1pmx(d2) : b * (lnY + Math.log(c / b) - d2);
  return (
    termA +
    termB +
    0.5 * Math.log((a / c) * (b / (2 * Math.PI))) -
    stirlingSeries(a) -
    stirlingSeries(b) +
    stirlingSeries(c)
  );
}

/**
 * The lower tail I_x(a, b) at x = 1/(1 + r) ≤ a/(a + b) (w = b − a·r ≤ 0 there), as
 * x^a y^b/B(a, b) over Didonato and Morris's continued fraction (Boost's `ibeta_fraction2`),
 * written with y and w so that no coefficient cancels when x is near 1. The power term is
 * evaluated in logs ({@link logBetaPrefix}), so tails down to the smallest normal double come out
 * to ~1e-13 relative. NaN if the fraction has not converged (far from the tail it is slow).
 */
function betaIncTail(a: number, b: number, r: number, w: number): number {
  const f = betaFraction(a, b, 1 / (1 + r), r / (1 + r), 1 - w / (1 + r));
  return Math.exp(logBetaPrefix(a, b, r, w) - Math.log(f));
}

/**
 * Didonato and Morris's continued fraction for x^a y^b/(B(a, b)·I_x(a, b)), given x, y = 1 − x and
 * `bias` = a·y − b·x + 1 (the caller's exact form); NaN if it has not converged.
 */
function betaFraction(a: number, b: number, x: number, y: number, bias: number): number {
  const c = a + b;
  const tiny = 1e-300;
  let f = (a * bias) / (a + 1);
  if (f === 0) f = tiny;
  let C = f;
  let D = 0;
  for (let m = 1; m <= 10000; m++) {
    const den = a + 2 * m - 1;
    const aN = ((a + m - 1) * (c + m - 1) * m * (b - m) * x * x) / (den * den);
    const bN = m + (m * (b - m) * x) / den + ((a + m) * (bias + m * (1 + y))) / (a + 2 * m + 1);
    D = bN + aN * D;
    if (D === 0) D = tiny;
    C = bN + aN / C;
    if (C === 0) C = tiny;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) <= Number.EPSILON) return f;
  }
  return Number.NaN;
}

/**
 * I_{(1−r)/2}(a, a) for 0 ≤ r < 1 — the upper tail of a sample correlation r under
 * independence (Beta(a, a) on (−1, 1)) — from r itself: the power term is
 * a·(log1p(−r) + log1p(r)) − log B(a, a) less 2a·log 2, with log1p(∓r) exact, where
 * I_x(a, a) at the rounded x = (1 − r)/2 and 1 − x loses ~a·ε (4e-11 for n = 1e6).
 * Falls back to {@link betaInc} where the fraction does not converge (r near 0 for huge a).
 */
export function betaIncSymmetric(r: number, a: number): number {
  const x = (1 - r) / 2;
  if (!(r > 0 && r < 1 && a > 0)) return betaInc(x, a, a);
  const logPrefix =
    a >= 10
      ? a * (log1pmx(-r) + log1pmx(r)) +
        0.5 * Math.log(a / (4 * Math.PI)) -
        2 * stirlingSeries(a) +
        stirlingSeries(2 * a)
      : a * (Math.log1p(-r) + Math.log1p(r) - 2 * Math.LN2) - logBeta(a, a);
  const f = betaFraction(a, a, x, (1 + r) / 2, 1 + a * r);
  return Number.isNaN(f) ? betaInc(x, a, a) : Math.exp(logPrefix - Math.log(f));
}

/**
 * Regularized incomplete beta I_x(a, b) (`upper`: 1 − I_x(a, b), computed directly where it is
 * small). When the lower tail is below ½ the upper one is 1 − lower, exact to rounding: @stdlib's
 * direct upper tail is off there for a = b = ½ (by up to 5e-9, and exactly 1 for x below ~2e-17),
 * which made Student's t p-values with 1 degree of freedom (and F(1, 1)'s) wrong near 1.
 */
export function betaInc(x: number, a: number, b: number, upper = false): number {
  betaincFn ??= req('@stdlib/math-base-special-betainc') as IncBeta;
  if (upper) {
    const lower = betaincFn(x, a, b, true, false);
    if (lower < 0.5) return 1 - lower;
  }
  return betaincFn(x, a, b, true, upper);
}

/** log Γ(x). */
export function logGamma(x: number): number {
  gammalnFn ??= req('@stdlib/math-base-special-gammaln') as F1;
  return gammalnFn(x);
}

/** log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b). */
function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** log of the binomial coefficient C(n, k). */
export function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** Standard normal CDF Φ(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Standard normal survival function 1 − Φ(z), accurate in the upper tail. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** log Φ(z), accurate far into the lower tail. */
export function normalLogCdf(z: number): number {
  normalLogCdfFn ??= req('@stdlib/stats-base-dists-normal-logcdf') as F3;
  return normalLogCdfFn(z, 0, 1);
}

/**
 * Standard normal quantile Φ⁻¹(p), accurate to a few ulps over the whole range (SciPy's `ndtri`).
 * @stdlib's quantile is √2·erfinv(2p − 1): 2p − 1 rounds away the digits of a small p (a
 * relative error of 2e-9 at p = 1e-10) and is −1 below p ≈ 1e-16 (giving −∞). So the lower half
 * is polished by Newton's method on log Φ from that start (or an asymptotic one), and the upper
 * half is −Φ⁻¹(1 − p), where 1 − p is exact.
 */
export function normalPpf(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p > 0.5) return -normalPpf(1 - p);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 0.5) return 0;
  normalQuantileFn ??= req('@stdlib/stats-base-dists-normal-quantile') as F3;
  let z = normalQuantileFn(p, 0, 1);
  if (!Number.isFinite(z)) {
    const t = -2 * Math.log(p);
    z = -Math.sqrt(t - Math.log(t) - Math.log(2 * Math.PI));
  }
  if (p > 0.1) return z;
  const logP = Math.log(p);
  const logPhi0 = -0.5 * Math.log(2 * Math.PI);
  for (let i = 0; i < 8; i++) {
    // Newton on log Φ(z) = log p: (log Φ)' = φ/Φ.
    const logCdf = normalLogCdf(z);
    const step = (logCdf - logP) * Math.exp(logCdf - (logPhi0 - 0.5 * z * z));
    z -= step;
    if (Math.abs(step) <= 1e-15 * Math.abs(z)) break;
  }
  return z;
}

/** Student's t survival function P(T > t) with `df` degrees of freedom (df may be fractional). */
export function studentTSf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 0;
  if (t === Number.NEGATIVE_INFINITY) return 1;
  const t2 = t * t;
  if (!(t2 <= 1e290 * df)) {
    // x = ν/(ν + t²) below 1e-290 (t² may overflow): P(|T| > |t|) = x^{ν/2}/((ν/2)·B(ν/2, ½))·(1 + O(x)),
    // in logs with log x = log ν − 2 log|t|. @stdlib gave 0 once t² overflowed (t = 1e200 on 1 df).
    const twoTail = Math.exp(
      (df / 2) * (Math.log(df) - 2 * Math.log(Math.abs(t))) - logBeta(df / 2, 0.5) - Math.log(df / 2),
    );
    return t > 0 ? 0.5 * twoTail : 1 - 0.5 * twoTail;
  }
  // P(|T| > |t|) = I_{ν/(ν+t²)}(ν/2, 1/2) = 1 − I_{t²/(ν+t²)}(1/2, ν/2); use the form whose argument is exact.
  const twoTail = t2 < df ? betaInc(t2 / (df + t2), 0.5, df / 2, true) : betaInc(df / (df + t2), df / 2, 0.5);
  return t > 0 ? 0.5 * twoTail : 1 - 0.5 * twoTail;
}

/** Student's t CDF P(T ≤ t). */
export function studentTCdf(t: number, df: number): number {
  return studentTSf(-t, df);
}

/**
 * Student's t quantile. @stdlib's inverts the incomplete beta for x = ν/(ν + t²), which underflows
 * for tiny p (−∞ for p = 1e-300 on 1 df, where the quantile is −1/(πp) = −3.2e299). So 1 and 2
 * degrees of freedom use their closed forms, and where x is below 1e-300 (subnormal or 0 for @stdlib) the tail's leading term
 * x^{ν/2}/((ν/2)·B(ν/2, ½)) = 2p is solved for t in logs.
 */
export function studentTPpf(p: number, df: number): number {
  if (Number.isNaN(p) || Number.isNaN(df) || !(df > 0) || p < 0 || p > 1) return Number.NaN;
  if (p > 0.5) return -studentTPpf(1 - p, df);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 0.5) return 0;
  if (df === 1) return p < 0.25 ? -1 / Math.tan(Math.PI * p) : Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  // log x from x^{ν/2} = 2p·(ν/2)·B(ν/2, ½), the leading term (exact to O(x)).
  const logX = (Math.log(p * df) + logBeta(df / 2, 0.5)) / (df / 2);
  if (logX < -690) return -Math.exp(0.5 * (Math.log(df) - logX));
  tQuantileFn ??= req('@stdlib/stats-base-dists-t-quantile') as F2;
  return tQuantileFn(p, df);
}

/** Chi-square survival function P(X > x) with `df` degrees of freedom. */
export function chiSquareSf(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return Number.NaN;
  if (x <= 0) return 1;
  return gammaInc(x / 2, df / 2, true);
}

/**
 * F survival function P(F > f) with (d1, d2) degrees of freedom. For f ≥ 1 this is the lower
 * tail I_x(d2/2, d1/2) at x = d2/(d2 + d1 f), evaluated by {@link betaIncTail} from the ratio
 * r = d1 f/d2 and w = d1(1 − f)/2 (exact where f is near 1); below 1, 1 − P(F ≤ f) the same way.
 * @stdlib's incomplete beta underflowed to 0 there for tails below ~1e-280 with integer d1 < 80
 * (P(F(30, 1e5) > 48.1) = 7.8e-283) and was off by up to 2e-10 relative for large d2.
 */
export function fisherFSf(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f) || !(d1 > 0) || !(d2 > 0)) return Number.NaN;
  if (f <= 0) return 1;
  if (f === Number.POSITIVE_INFINITY) return 0;
  const r = (d1 * f) / d2;
  const w = (d1 * (1 - f)) / 2;
  if (r === Number.POSITIVE_INFINITY) {
    // d1·f/d2 overflows (f = 1e308 with d2 = 0.01): the leading term x^a/(a·B(a, b)) of the tail,
    // a = d2/2, with log x = −log r (relative corrections O(1/r)); @stdlib gave 0.
    const a = d2 / 2;
    return Math.exp(-a * (Math.log(d1) - Math.log(d2) + Math.log(f)) - logBeta(a, d1 / 2) - Math.log(a));
  }
  if (f >= 1) {
    const sf = betaIncTail(d2 / 2, d1 / 2, r, w);
    if (!Number.isNaN(sf)) return sf;
  } else if (f < 1 && r > 0) {
    const cdf = betaIncTail(d1 / 2, d2 / 2, 1 / r, -w / r);
    if (cdf <= 0.5) return 1 - cdf;
  }
  // P(F > f) = I_{d2/(d2+d1 f)}(d2/2, d1/2) = 1 − I_{d1 f/(d2+d1 f)}(d1/2, d2/2).
  const den = d2 + d1 * f;
  const x = d2 / den;
  return x > 0.5 ? betaInc((d1 * f) / den, d1 / 2, d2 / 2, true) : betaInc(x, d2 / 2, d1 / 2);
}

/** Hypergeometric pmf: P(X = x) drawing `n` from `N` items of which `K` are successes. */
export function hypergeometricPmf(x: number, N: number, K: number, n: number): number {
  hypergeomPmfFn ??= req('@stdlib/stats-base-dists-hypergeometric-pmf') as F4;
  return hypergeomPmfFn(x, N, K, n);
}

/** Binomial CDF P(X ≤ x) for `n` trials with success probability `p`. */
export function binomialCdf(x: number, n: number, p: number): number {
  binomialCdfFn ??= req('@stdlib/stats-base-dists-binomial-cdf') as F3;
  return binomialCdfFn(x, n, p);
}
