/**
 * Normality tests: Shapiro–Wilk (algorithm AS R94), Anderson–Darling, D'Agostino–Pearson's
 * omnibus K² (with its skewness and kurtosis z-tests) and Jarque–Bera.
 *
 * **Shapiro–Wilk** follows Royston's AS R94 (1995), the algorithm behind `scipy.stats.shapiro`
 * and R's `shapiro.test`: the coefficients come from the normal scores mᵢ = Φ⁻¹((i − 3/8)/(n + 1/4))
 * with Royston's polynomial corrections of the two outermost ones; W is the squared correlation
 * of the sorted data with them, evaluated as 1 − W to keep digits for W near 1; the p-value
 * comes from Royston's normalising transformation of log(1 − W) (n ≥ 4; exact for n = 3).
 * *Precision:* SciPy runs AS R94 in single precision (float32), so its W carries ~1e-6 and its
 * p-value up to ~1% relative error for large n (and underflows to 0 below ~1e-45). Lathe
 * computes in double precision, with @stdlib's normal quantile and tail instead of AS 111/AS 66
 * (and the exact constants 6/π, π/3 for n = 3); agreement with SciPy is to SciPy's precision.
 * Valid for 3 ≤ n ≤ 5000 (larger n gets a note, as SciPy warns).
 *
 * **Anderson–Darling** (`scipy.stats.anderson`): A² = −n − Σ (2i−1)/n [log F(wᵢ) + log(1 − F(w₍ₙ₊₁₋ᵢ₎))]
 * with the parameters estimated (normal: mean and SD with ddof 1; exponential: the mean), the
 * critical values of Stephens (1974) at SciPy's significance levels, and — for the normal — the
 * p-value of D'Agostino & Stephens' approximation on A²(1 + 0.75/n + 2.25/n²)
 * (`statsmodels.stats.diagnostic.normal_ad`). The exponential case has critical values but no
 * p-value (`NaN`, as neither SciPy nor statsmodels gives one).
 *
 * **D'Agostino–Pearson** (`scipy.stats.normaltest`): K² = Z(√b₁)² + Z(b₂)², χ² with 2 df, from
 * {@link skewTest} (n ≥ 8) and {@link kurtosisTest} (n ≥ 5; valid from n ≥ 20).
 *
 * **Jarque–Bera** (`scipy.stats.jarque_bera`): JB = n/6 (S² + (K − 3)²/4) from the biased
 * moments, χ² with 2 df. Lathe computes the upper tail directly; SciPy 1.10 computes 1 − cdf,
 * exact only to ~1e-16 absolute.
 *
 * Missing values are dropped.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { shiftedMoments } from './descriptive.ts';
import { chiSquareSf, normalCdf, normalLogCdf, normalPpf, normalSf } from './distributions.ts';
import type { TestResult } from './test-result.ts';
import { type Alternative, checkAlternative, checkChoice, sample } from './validate.ts';

function poly(c: readonly number[], x: number): number {
  let r = c[0];
  if (c.length === 1) return r;
  let p = x * c[c.length - 1];
  for (let j = c.length - 2; j > 0; j--) p = (p + c[j]) * x;
  r += p;
  return r;
}

const C1 = [0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
const C2 = [0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
const C3 = [0.544, -0.39978, 0.025054, -0.6714e-3];
const C4 = [1.3822, -0.77857, 0.062767, -0.0020322];
const C5 = [-1.5861, -0.31082, -0.083751, 0.0038915];
const C6 = [-0.4803, -0.082676, 0.0030302];
const G = [-2.273, 0.459];

/** The AS R94 coefficients a₁ … a_{⌊n/2⌋} (positive; the sign is applied by position). */
export function shapiroWilkCoefficients(n: number): Float64Array {
  const nn2 = Math.floor(n / 2);
  const a = new Float64Array(nn2);
  if (n === 3) {
    a[0] = Math.SQRT1_2;
    return a;
  }
  const an25 = n + 0.25;
  let summ2 = 0;
  for (let i = 1; i <= nn2; i++) {
    a[i - 1] = normalPpf((i - 0.375) / an25);
    summ2 += a[i - 1] * a[i - 1];
  }
  summ2 *= 2;
  const ssumm2 = Math.sqrt(summ2);
  const rsn = 1 / Math.sqrt(n);
  const a1 = poly(C1, rsn) - a[0] / ssumm2;
  let i1: number;
  let fac: number;
  if (n > 5) {
    i1 = 3;
    const a2 = -a[1] / ssumm2 + poly(C2, rsn);
    fac = Math.sqrt((summ2 - 2 * a[0] ** 2 - 2 * a[1] ** 2) / (1 - 2 * a1 ** 2 - 2 * a2 ** 2));
    a[0] = a1;
    a[1] = a2;
  } else {
    i1 = 2;
    fac = Math.sqrt((summ2 - 2 * a[0] ** 2) / (1 - 2 * a1 ** 2));
    a[0] = a1;
  }
  for (let i = i1; i <= nn2; i++) a[i - 1] = -a[i - 1] / fac;
  return a;
}

/**
 * Shapiro–Wilk test of H₀: x comes from a normal distribution (AS R94; see the module notes).
 *
 * @example shapiroWilk([2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 4.1, 3.9, 2.2]) // W ≈ 0.9525, p ≈ 0.698
 */
export function shapiroWilk(x: ArrayLike<number>): TestResult {
  const who = 'shapiroWilk';
  const v = sample(x, 'x', who, { min: 3, reason: 'the Shapiro–Wilk test needs three' });
  const n = v.length;
  const y = v.slice().sort();
  const med = n % 2 ? y[(n - 1) / 2] : (y[n / 2 - 1] + y[n / 2]) / 2;
  for (let i = 0; i < n; i++) y[i] -= med;
  const range = y[n - 1] - y[0];
  if (!(range > 0)) {
    throw new ValidationError(`${who}: all ${n} values of x are equal; W is undefined.`, {
      field: 'x',
      expected: 'values that are not all equal',
      fix: 'check the column (a constant is not normally distributed)',
    });
  }
  const a = shapiroWilkCoefficients(n);
  // The full coefficient vector, antisymmetric: position i (1-based) pairs with j = n + 1 − i.
  const coef = new Float64Array(n);
  for (let i = 1; i <= n; i++) {
    const j = n + 1 - i;
    coef[i - 1] = i === j ? 0 : Math.sign(i - j) * a[Math.min(i, j) - 1];
  }
  let sa = 0;
  let sx = 0;
  for (let i = 0; i < n; i++) {
    sa += coef[i];
    sx += y[i] / range;
  }
  sa /= n;
  sx /= n;
  let ssa = 0;
  let ssx = 0;
  let sax = 0;
  for (let i = 0; i < n; i++) {
    const asa = coef[i] - sa;
    const xsx = y[i] / range - sx;
    ssa += asa * asa;
    ssx += xsx * xsx;
    sax += asa * xsx;
  }
  const ssassx = Math.sqrt(ssa * ssx);
  const w1 = ((ssassx - sax) * (ssassx + sax)) / (ssa * ssx);
  const w = 1 - w1;
  let p: number;
  if (n === 3) {
    p = Math.max(0, (6 / Math.PI) * (Math.asin(Math.sqrt(w)) - Math.PI / 3));
  } else {
    let yy = Math.log(w1);
    const xx = Math.log(n);
    let m: number;
    let s: number;
    if (n <= 11) {
      const gamma = poly(G, n);
      if (yy >= gamma) {
        p = 1e-19;
        return shapiroResult(w, p, n);
      }
      yy = -Math.log(gamma - yy);
      m = poly(C3, n);
      s = Math.exp(poly(C4, n));
    } else {
      m = poly(C5, xx);
      s = Math.exp(poly(C6, xx));
    }
    p = normalSf((yy - m) / s);
  }
  return shapiroResult(w, p, n);
}

function shapiroResult(w: number, p: number, n: number): TestResult {
  return {
    test: 'Shapiro–Wilk normality test',
    statistic: w,
    statisticName: 'W',
    pValue: Math.min(1, p),
    alternative: 'two-sided',
    method: 'AS R94',
    n: [n],
    ...(n > 5000 ? { notes: ['the p-value may not be accurate for n > 5000'] } : {}),
  };
}

/** Options of {@link andersonDarling}. */
export interface AndersonOptions {
  /** The distribution tested: 'normal' (default) or 'exponential'. */
  distribution?: 'normal' | 'exponential';
}

const A_NORM = [0.576, 0.656, 0.787, 0.918, 1.092];
const A_EXPON = [0.922, 1.078, 1.341, 1.606, 1.957];
const SIG = [15, 10, 5, 2.5, 1];

/** Round half to even at 3 decimals, as `np.around(x, 3)`. */
function around3(x: number): number {
  const y = x * 1000;
  const r = Math.round(y);
  const even = r - y === 0.5 && r % 2 !== 0 ? r - 1 : r;
  return even / 1000;
}

/** The p-value of D'Agostino & Stephens' approximation for the normal A² (statsmodels `normal_ad`). */
export function andersonNormalPValue(a2: number, n: number): number {
  const a = a2 * (1 + 0.75 / n + 2.25 / (n * n));
  if (a >= 0 && a < 0.2) return 1 - Math.exp(-13.436 + 101.14 * a - 223.73 * a * a);
  if (a < 0.34) return 1 - Math.exp(-8.318 + 42.796 * a - 59.938 * a * a);
  if (a < 0.6) return Math.exp(0.9177 - 4.279 * a - 1.38 * a * a);
  if (a <= 13) return Math.exp(1.2937 - 5.709 * a + 0.0186 * a * a);
  return 0;
}

/**
 * Anderson–Darling test of H₀: x comes from a normal (default) or exponential distribution with
 * estimated parameters, as `scipy.stats.anderson` (critical values in `details`), with the
 * normal case's p-value from `statsmodels.stats.diagnostic.normal_ad`.
 */
export function andersonDarling(x: ArrayLike<number>, options: AndersonOptions = {}): TestResult {
  const who = 'andersonDarling';
  const dist = checkChoice(
    options.distribution,
    ['normal', 'exponential'] as const,
    'distribution',
    who,
    'normal',
  );
  const v = sample(x, 'x', who, { min: 2, reason: 'the parameters must be estimated' });
  const n = v.length;
  const y = v.slice().sort();
  let mean = 0;
  for (let i = 0; i < n; i++) mean += v[i];
  mean /= n;
  const logcdf = new Float64Array(n);
  const logsf = new Float64Array(n);
  let critical: number[];
  let params: Record<string, number>;
  if (dist === 'normal') {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (v[i] - mean) ** 2;
    const s = Math.sqrt(ss / (n - 1));
    if (!(s > 0)) {
      throw new ValidationError(`${who}: all ${n} values of x are equal; A² is undefined.`, {
        field: 'x',
        fix: 'check the column (a constant is not normally distributed)',
      });
    }
    for (let i = 0; i < n; i++) {
      const w = (y[i] - mean) / s;
      logcdf[i] = normalLogCdf(w);
      logsf[i] = normalLogCdf(-w);
    }
    critical = A_NORM.map((a) => around3(a / (1 + 4 / n - 25 / n / n)));
    params = { loc: mean, scale: s };
  } else {
    if (y[0] < 0) {
      throw new ValidationError(
        `${who}: the exponential distribution needs x ≥ 0; the smallest value is ${y[0]}.`,
        {
          field: 'x',
          fix: 'shift the data, or test another distribution',
        },
      );
    }
    if (!(mean > 0)) {
      throw new ValidationError(`${who}: every value of x is 0; the exponential fit is undefined.`, {
        field: 'x',
        fix: 'check the data',
      });
    }
    for (let i = 0; i < n; i++) {
      const w = y[i] / mean;
      logcdf[i] = Math.log(-Math.expm1(-w));
      logsf[i] = -w;
    }
    critical = A_EXPON.map((a) => around3(a / (1 + 0.6 / n)));
    params = { loc: 0, scale: mean };
  }
  let s = 0;
  for (let i = 1; i <= n; i++) s += ((2 * i - 1) / n) * (logcdf[i - 1] + logsf[n - i]);
  const a2 = -n - s;
  return {
    test: `Anderson–Darling test (${dist})`,
    statistic: a2,
    statisticName: 'A2',
    pValue: dist === 'normal' ? andersonNormalPValue(a2, n) : Number.NaN,
    alternative: 'two-sided',
    method: dist === 'normal' ? "D'Agostino–Stephens approximation" : 'critical values only',
    n: [n],
    details: { criticalValues: critical, significanceLevels: SIG, ...params },
    ...(dist === 'exponential'
      ? { notes: ['no p-value for the exponential case: compare A2 with the critical values'] }
      : {}),
  };
}

function biasedMoments(v: Float64Array): { m2: number; m3: number; m4: number; mean: number } {
  const n = v.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += v[i];
  mean /= n;
  return { ...shiftedMoments(v, mean), mean };
}

function checkVariance(m2: number, mean: number, who: string): void {
  const r = 1e-15 * mean;
  if (m2 <= r * r) {
    throw new ValidationError(`${who}: x is constant; its skewness and kurtosis are undefined.`, {
      field: 'x',
      fix: 'check the column (a constant is not normally distributed)',
    });
  }
}

function zResult(
  test: string,
  z: number,
  alternative: Alternative,
  n: number,
  extra: Partial<TestResult> = {},
): TestResult {
  const p =
    alternative === 'less'
      ? normalCdf(z)
      : alternative === 'greater'
        ? normalSf(z)
        : 2 * normalSf(Math.abs(z));
  return {
    test,
    statistic: z,
    statisticName: 'z',
    pValue: p,
    alternative,
    method: 'asymptotic',
    n: [n],
    ...extra,
  };
}

/** Options of the z-tests {@link skewTest} and {@link kurtosisTest}. */
export interface ZTestOptions {
  alternative?: Alternative;
}

/** D'Agostino's test that the skewness is that of a normal distribution (`scipy.stats.skewtest`, n ≥ 8). */
export function skewTest(x: ArrayLike<number>, options: ZTestOptions = {}): TestResult {
  const who = 'skewTest';
  const alternative = checkAlternative(options.alternative, who);
  const v = sample(x, 'x', who, { min: 8, reason: 'the skewness test is valid from n = 8' });
  return zResult('Skewness test (D\u2019Agostino)', skewZ(v, who), alternative, v.length);
}

function skewZ(v: Float64Array, who: string): number {
  const n = v.length;
  const { m2, m3, mean } = biasedMoments(v);
  checkVariance(m2, mean, who);
  const b2 = m3 / m2 ** 1.5;
  let y = b2 * Math.sqrt(((n + 1) * (n + 3)) / (6 * (n - 2)));
  const beta2 = (3 * (n * n + 27 * n - 70) * (n + 1) * (n + 3)) / ((n - 2) * (n + 5) * (n + 7) * (n + 9));
  const W2 = -1 + Math.sqrt(2 * (beta2 - 1));
  const delta = 1 / Math.sqrt(0.5 * Math.log(W2));
  const alpha = Math.sqrt(2 / (W2 - 1));
  if (y === 0) y = 1;
  return delta * Math.log(y / alpha + Math.sqrt((y / alpha) ** 2 + 1));
}

/** Anscombe & Glynn's test that the kurtosis is that of a normal distribution (`scipy.stats.kurtosistest`, n ≥ 5). */
export function kurtosisTest(x: ArrayLike<number>, options: ZTestOptions = {}): TestResult {
  const who = 'kurtosisTest';
  const alternative = checkAlternative(options.alternative, who);
  const v = sample(x, 'x', who, { min: 5, reason: 'the kurtosis test needs five' });
  const notes = v.length < 20 ? [`the kurtosis test is only valid for n ≥ 20; n = ${v.length}`] : undefined;
  return zResult(
    'Kurtosis test (Anscombe–Glynn)',
    kurtosisZ(v, who),
    alternative,
    v.length,
    notes ? { notes } : {},
  );
}

function kurtosisZ(v: Float64Array, who: string): number {
  const n = v.length;
  const { m2, m4, mean } = biasedMoments(v);
  checkVariance(m2, mean, who);
  const b2 = m4 / (m2 * m2);
  const E = (3 * (n - 1)) / (n + 1);
  const varb2 = (24 * n * (n - 2) * (n - 3)) / ((n + 1) * (n + 1) * (n + 3) * (n + 5));
  const xx = (b2 - E) / Math.sqrt(varb2);
  const sqrtbeta1 =
    ((6 * (n * n - 5 * n + 2)) / ((n + 7) * (n + 9))) *
    Math.sqrt((6 * (n + 3) * (n + 5)) / (n * (n - 2) * (n - 3)));
  const A = 6 + (8 / sqrtbeta1) * (2 / sqrtbeta1 + Math.sqrt(1 + 4 / (sqrtbeta1 * sqrtbeta1)));
  const term1 = 1 - 2 / (9 * A);
  const denom = 1 + xx * Math.sqrt(2 / (A - 4));
  const term2 = denom === 0 ? Number.NaN : Math.sign(denom) * ((1 - 2 / A) / Math.abs(denom)) ** (1 / 3);
  return (term1 - term2) / Math.sqrt(2 / (9 * A));
}

/**
 * D'Agostino–Pearson omnibus test of normality, K² = z(skewness)² + z(kurtosis)²
 * (`scipy.stats.normaltest`; n ≥ 8, valid from n ≥ 20).
 */
export function dagostinoPearson(x: ArrayLike<number>): TestResult {
  const who = 'dagostinoPearson';
  const v = sample(x, 'x', who, { min: 8, reason: 'the skewness test is valid from n = 8' });
  const zs = skewZ(v, who);
  const zk = kurtosisZ(v, who);
  const k2 = zs * zs + zk * zk;
  return {
    test: "D'Agostino–Pearson normality test",
    statistic: k2,
    statisticName: 'K2',
    pValue: chiSquareSf(k2, 2),
    df: 2,
    alternative: 'two-sided',
    method: 'asymptotic',
    n: [v.length],
    details: { zSkewness: zs, zKurtosis: zk },
    ...(v.length < 20 ? { notes: [`the kurtosis test is only valid for n ≥ 20; n = ${v.length}`] } : {}),
  };
}

/** Jarque–Bera test of normality from the sample skewness and kurtosis (`scipy.stats.jarque_bera`). */
export function jarqueBera(x: ArrayLike<number>): TestResult {
  const who = 'jarqueBera';
  const v = sample(x, 'x', who, { min: 2 });
  const n = v.length;
  const { m2, m3, m4, mean } = biasedMoments(v);
  checkVariance(m2, mean, who);
  const skew = m3 / m2 ** 1.5;
  const kurt = m4 / (m2 * m2);
  const jb = (n / 6) * (skew * skew + (kurt - 3) ** 2 / 4);
  return {
    test: 'Jarque–Bera normality test',
    statistic: jb,
    statisticName: 'JB',
    pValue: chiSquareSf(jb, 2),
    df: 2,
    alternative: 'two-sided',
    method: 'asymptotic',
    n: [n],
    details: { skewness: skew, kurtosis: kurt },
  };
}
