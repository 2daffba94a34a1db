/**
 * Descriptive statistics of one variable: mean, variance, standard deviation, standard error,
 * skewness, kurtosis, mode, trimmed mean, median absolute deviation, and {@link describe},
 * which gathers them with the quartiles.
 *
 * **Definitions** (those of SciPy 1.10 / NumPy, so results agree to rounding):
 * - mean `x̄ = Σx/n`; variance `Σ(x−x̄)²/(n−ddof)` — **`ddof` defaults to 1** (the sample
 *   variance, as pandas and R; NumPy's default is 0); standard deviation its square root;
 *   standard error `sd/√n`.
 * - skewness `g₁ = m₃/m₂^{3/2}` and kurtosis `g₂ = m₄/m₂² − 3` (Fisher's, excess over the
 *   normal) from the biased central moments `m_k = Σ(x−x̄)^k/n` — `scipy.stats.skew` and
 *   `kurtosis` defaults. With `bias: false`, the adjusted estimators `G₁ = g₁·√(n(n−1))/(n−2)`
 *   and `G₂ = ((n²−1)m₄/m₂² − 3(n−1)²)/((n−2)(n−3))` (pandas' `skew()`/`kurt()`). Both are
 *   `NaN` for (numerically) constant data, as SciPy.
 * - mode: the most frequent value, the smallest among ties (`scipy.stats.mode`).
 * - trimmed mean: sort, drop ⌊p·n⌋ values from each end, average the rest (`scipy.stats.trim_mean`).
 * - MAD: `median(|x − median(x)|)`, times `scale` (1 by default; `'normal'` divides by
 *   Φ⁻¹(3/4) ≈ 0.6745 so it estimates σ for normal data — `scipy.stats.median_abs_deviation`).
 * - quantiles: see `quantile.ts` (NumPy's nine Hyndman–Fan methods and four others; linear
 *   interpolation, type 7, by default).
 *
 * **Missing values.** `NaN` is skipped everywhere (NumPy's `nan…` functions); a statistic of
 * no values is `NaN`. Infinite values propagate as arithmetic says.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { normalPpf } from './distributions.ts';
import { type QuantileMethod, quantileSorted, sortedNonMissing } from './quantile.ts';
import { checkNumber, checkSampleValues } from './validate.ts';

/** Copies the non-missing values of `x`. */
function present(x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v === v) out[m++] = v;
  }
  return m === x.length ? out : out.subarray(0, m);
}

function sum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}

/**
 * sum / n — except that values all equal give that value: a running sum rounds (3.7 eight times
 * averages to 3.7 − 4.4e-16), and constant data would then have a variance of rounding noise,
 * not 0 (a t-test found two identical constant samples different, p = 0.014).
 */
export function meanOf(v: ArrayLike<number>): number {
  const first = v[0];
  let i = 1;
  while (i < v.length && v[i] === first) i++;
  return i === v.length ? first : sum(v) / v.length;
}

/**
 * The residual δ = (Σx − n·mean)/n that a rounded `mean` leaves (mean + δ is x̄ to ~ε² relative).
 * Σx is summed with Neumaier's compensation and n·mean split exactly (Dekker's product), so δ
 * carries no rounding of its own: Σ(x − mean)/n would, each x − mean rounding to ½ ulp of x —
 * noise as large as δ when the mean is small against the spread. 0 when Σ(x − mean) is exactly 0
 * (constant data among others), so a mean that is exact stays uncorrected.
 */
export function meanResidual(x: ArrayLike<number>, mean: number): number {
  const n = x.length;
  let plain = 0;
  for (let i = 0; i < n; i++) plain += x[i] - mean;
  if (plain === 0) return 0;
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  const p = n * mean;
  // n·mean = p + e exactly (Veltkamp splitting of both factors).
  const split = (a: number): [number, number] => {
    const g = 134217729 * a;
    const hi = g - (g - a);
    return [hi, a - hi];
  };
  const [nh, nl] = split(n);
  const [mh, ml] = split(mean);
  const e = nh * mh - p + nh * ml + nl * mh + nl * ml;
  const r = (s - p + (c - e)) / n;
  return Number.isFinite(r) ? r : plain / n;
}

/** Arithmetic mean of the non-missing values (`np.nanmean`); `NaN` when there are none. */
export function mean(x: ArrayLike<number>): number {
  checkSampleValues(x, 'mean');
  const v = present(x);
  return v.length === 0 ? Number.NaN : meanOf(v);
}

/**
 * Central moments m₂, m₃, m₄ (divided by n) from the deviations d = x − `centre`, corrected for
 * the residual mean δ = Σd/n (m₃ = Σd³/n − 3δ·Σd²/n + 2δ³, …). The computed mean is only the
 * nearest double to x̄ (it can't be closer than ½ ulp of x̄), and when x̄ is large against the
 * spread (3e5 ± 1e-3) that offset alone moved the skewness and Jarque–Bera by ~1e-6 relative.
 */
export function shiftedMoments(v: Float64Array, centre: number): { m2: number; m3: number; m4: number } {
  const n = v.length;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let i = 0; i < n; i++) {
    const d = v[i] - centre;
    const d2 = d * d;
    s1 += d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  const e = s1 / n;
  const a2 = s2 / n;
  const a3 = s3 / n;
  const a4 = s4 / n;
  return {
    m2: a2 - e * e,
    m3: a3 - 3 * e * a2 + 2 * e * e * e,
    m4: a4 - 4 * e * a3 + 6 * e * e * a2 - 3 * e * e * e * e,
  };
}

/** Central moments m₂, m₃, m₄ (divided by n) and the mean, in two passes. */
function moments(v: Float64Array): { n: number; mean: number; m2: number; m3: number; m4: number } {
  const mu = meanOf(v);
  return { n: v.length, mean: mu, ...shiftedMoments(v, mu) };
}

/** Options of {@link variance} and {@link standardDeviation}. */
export interface VarianceOptions {
  /** Delta degrees of freedom: the divisor is n − ddof. Default 1 (sample variance). */
  ddof?: number;
}

/** Variance of the present values `v`, divisor n − ddof (`ddof` from `options`, checked for `who`). */
function varianceOfPresent(v: Float64Array, options: VarianceOptions, who: string): number {
  const ddof = checkNumber(options.ddof ?? 1, 'ddof', who, { min: 0 });
  const n = v.length;
  if (n - ddof <= 0) return Number.NaN;
  return (moments(v).m2 * n) / (n - ddof);
}

/** Variance of the non-missing values, divisor n − ddof (ddof default 1); `NaN` when n ≤ ddof. */
export function variance(x: ArrayLike<number>, options: VarianceOptions = {}): number {
  checkSampleValues(x, 'variance');
  return varianceOfPresent(present(x), options, 'variance');
}

/** Standard deviation: the square root of {@link variance} (ddof default 1). */
export function standardDeviation(x: ArrayLike<number>, options: VarianceOptions = {}): number {
  checkSampleValues(x, 'standardDeviation');
  return Math.sqrt(varianceOfPresent(present(x), options, 'standardDeviation'));
}

/** Standard error of the mean, `sd(ddof)/√n` (ddof default 1, `scipy.stats.sem`). */
export function standardError(x: ArrayLike<number>, options: VarianceOptions = {}): number {
  checkSampleValues(x, 'standardError');
  const v = present(x);
  return Math.sqrt(varianceOfPresent(v, options, 'standardError') / v.length);
}

/** Options of {@link skewness} and {@link kurtosis}. */
export interface MomentOptions {
  /** `true` (default, SciPy's): the plain moment ratio; `false`: the adjusted estimator (pandas). */
  bias?: boolean;
}

/** True when m₂ is zero up to rounding relative to the mean (SciPy's test for constant data). */
function isConstant(m2: number, mu: number): boolean {
  const r = 1e-15 * mu; // np.finfo(float64).resolution
  return m2 <= r * r;
}

/** Sample skewness (see the module notes); `NaN` for constant data or n < 1 (n < 3 with bias: false). */
export function skewness(x: ArrayLike<number>, options: MomentOptions = {}): number {
  checkSampleValues(x, 'skewness');
  const v = present(x);
  if (v.length === 0) return Number.NaN;
  return skewFromMoments(moments(v), options);
}

function skewFromMoments(
  mom: { n: number; mean: number; m2: number; m3: number },
  options: MomentOptions,
): number {
  const { n, mean: mu, m2, m3 } = mom;
  if (isConstant(m2, mu)) return Number.NaN;
  const g1 = m3 / m2 ** 1.5;
  if (options.bias ?? true) return g1;
  if (n <= 2) return Number.NaN;
  return (Math.sqrt((n - 1) * n) / (n - 2)) * g1;
}

/** Options of {@link kurtosis}. */
export interface KurtosisOptions extends MomentOptions {
  /** `true` (default): excess kurtosis (normal = 0); `false`: Pearson's (normal = 3). */
  fisher?: boolean;
}

/** Sample kurtosis (see the module notes); `NaN` for constant data (or n < 4 with bias: false). */
export function kurtosis(x: ArrayLike<number>, options: KurtosisOptions = {}): number {
  checkSampleValues(x, 'kurtosis');
  const v = present(x);
  if (v.length === 0) return Number.NaN;
  return kurtosisFromMoments(moments(v), options);
}

function kurtosisFromMoments(
  mom: { n: number; mean: number; m2: number; m4: number },
  options: KurtosisOptions,
): number {
  const { n, mean: mu, m2, m4 } = mom;
  if (isConstant(m2, mu)) return Number.NaN;
  let k = m4 / (m2 * m2);
  if (!(options.bias ?? true)) {
    if (n <= 3) return Number.NaN;
    k = (1 / (n - 2) / (n - 3)) * ((n * n - 1) * k - 3 * (n - 1) ** 2) + 3;
  }
  return (options.fisher ?? true) ? k - 3 : k;
}

/** The result of {@link mode}. */
export interface ModeResult {
  /** The most frequent value (the smallest among equally frequent ones); `NaN` when there are no values. */
  mode: number;
  /** How many times it occurs. */
  count: number;
}

/** The most frequent non-missing value and its count, the smallest value among ties (`scipy.stats.mode`). */
export function mode(x: ArrayLike<number>): ModeResult {
  checkSampleValues(x, 'mode');
  return modeSorted(sortedNonMissing(x));
}

function modeSorted(s: Float64Array): ModeResult {
  if (s.length === 0) return { mode: Number.NaN, count: 0 };
  let best = s[0];
  let bestCount = 0;
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    run = i > 0 && s[i] === s[i - 1] ? run + 1 : 1;
    if (run > bestCount) {
      bestCount = run;
      best = s[i];
    }
  }
  return { mode: best, count: bestCount };
}

/**
 * Mean after dropping ⌊proportion·n⌋ of the sorted non-missing values from each end
 * (`scipy.stats.trim_mean`). `proportion` is in [0, 0.5).
 *
 * @example trimmedMean([1, 2, 3, 4, 100], 0.2) // 3
 */
export function trimmedMean(x: ArrayLike<number>, proportion: number): number {
  checkSampleValues(x, 'trimmedMean');
  checkNumber(proportion, 'proportion', 'trimmedMean', { min: 0, max: 0.5, maxExclusive: true });
  return trimmedMeanSorted(sortedNonMissing(x), proportion);
}

function trimmedMeanSorted(s: Float64Array, proportion: number): number {
  const n = s.length;
  if (n === 0) return Number.NaN;
  const cut = Math.floor(proportion * n);
  return sum(s.subarray(cut, n - cut)) / (n - 2 * cut);
}

/** Options of {@link medianAbsoluteDeviation}. */
export interface MadOptions {
  /** A divisor (default 1), or `'normal'` for Φ⁻¹(3/4) ≈ 0.6745 (a consistent estimate of σ). */
  scale?: number | 'normal';
}

/** Median absolute deviation from the median (`scipy.stats.median_abs_deviation`). */
export function medianAbsoluteDeviation(x: ArrayLike<number>, options: MadOptions = {}): number {
  checkSampleValues(x, 'medianAbsoluteDeviation');
  const scale = options.scale ?? 1;
  let divisor: number;
  if (scale === 'normal') divisor = normalPpf(0.75);
  else if (typeof scale === 'number' && scale > 0 && Number.isFinite(scale)) divisor = scale;
  else {
    throw new ValidationError(
      `medianAbsoluteDeviation: scale must be a positive number or 'normal'; got ${String(scale)}.`,
      {
        field: 'scale',
        expected: "a positive number or 'normal'",
        actual: scale,
        fix: "pass scale: 'normal' to estimate σ, or leave it out",
      },
    );
  }
  return madSorted(sortedNonMissing(x)) / divisor;
}

/**
 * The median absolute deviation of sorted values: the deviations below the median, read
 * backwards, and those above it are two ascending runs, merged in one pass (no second sort).
 */
function madSorted(s: Float64Array): number {
  const n = s.length;
  if (n === 0) return Number.NaN;
  const med = quantileSorted(s, 0.5);
  let hi = 0;
  while (hi < n && s[hi] < med) hi++;
  let lo = hi - 1;
  const dev = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const dl = lo >= 0 ? med - s[lo] : Number.POSITIVE_INFINITY;
    const dh = hi < n ? s[hi] - med : Number.POSITIVE_INFINITY;
    if (dl <= dh) {
      dev[k] = dl;
      lo--;
    } else {
      dev[k] = dh;
      hi++;
    }
  }
  return quantileSorted(dev, 0.5);
}

/** Options of {@link describe}. */
export interface DescribeOptions {
  /** Proportion cut from each end for `trimmedMean` (default 0.1). */
  trim?: number;
  /** Quantile method for the quartiles (default 'linear'). */
  quantileMethod?: QuantileMethod;
}

/** Everything {@link describe} reports about one variable. */
export interface Description {
  /** Non-missing values. */
  count: number;
  /** Missing (NaN) values. */
  missing: number;
  mean: number;
  /** Sample standard deviation (ddof 1). */
  std: number;
  /** Sample variance (ddof 1). */
  variance: number;
  /** Standard error of the mean. */
  sem: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  /** q3 − q1. */
  iqr: number;
  /** Biased skewness g₁ (SciPy's default). */
  skewness: number;
  /** Biased excess kurtosis g₂ (SciPy's default). */
  kurtosis: number;
  /** Most frequent value (smallest among ties) and its count. */
  mode: number;
  modeCount: number;
  /** Mean after trimming `trim` from each end. */
  trimmedMean: number;
  /** The proportion trimmed. */
  trim: number;
  /** Median absolute deviation (unscaled). */
  mad: number;
}

/**
 * All the descriptive statistics of one variable at once (one sort): count, missing, mean,
 * standard deviation, variance, standard error, min, quartiles, max, IQR, skewness, kurtosis,
 * mode, trimmed mean and MAD — each as the function of the same name defines it.
 */
export function describe(x: ArrayLike<number>, options: DescribeOptions = {}): Description {
  checkSampleValues(x, 'describe');
  const trim = checkNumber(options.trim ?? 0.1, 'trim', 'describe', { min: 0, max: 0.5, maxExclusive: true });
  const method = options.quantileMethod ?? 'linear';
  // One sort; every statistic below reads the sorted values (moments are order-independent).
  const s = sortedNonMissing(x);
  const n = s.length;
  const q = (p: number) => quantileSorted(s, p, method);
  const md = modeSorted(s);
  const mom = n > 0 ? moments(s) : { n: 0, mean: Number.NaN, m2: Number.NaN, m3: Number.NaN, m4: Number.NaN };
  const varS = n > 1 ? (mom.m2 * n) / (n - 1) : Number.NaN;
  const q1 = q(0.25);
  const q3 = q(0.75);
  return {
    count: n,
    missing: x.length - n,
    mean: mom.mean,
    std: Math.sqrt(varS),
    variance: varS,
    sem: Math.sqrt(varS / n),
    min: n ? s[0] : Number.NaN,
    q1,
    median: q(0.5),
    q3,
    max: n ? s[n - 1] : Number.NaN,
    iqr: q3 - q1,
    skewness: n ? skewFromMoments(mom, {}) : Number.NaN,
    kurtosis: n ? kurtosisFromMoments(mom, {}) : Number.NaN,
    mode: md.mode,
    modeCount: md.count,
    trimmedMean: trimmedMeanSorted(s, trim),
    trim,
    mad: madSorted(s),
  };
}
