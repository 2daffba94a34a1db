/**
 * Student's t-tests: one-sample, two-sample (Student's pooled-variance and Welch's), and paired —
 * the statistics, p-values and confidence intervals of `scipy.stats.ttest_1samp`, `ttest_ind`
 * and `ttest_rel` (SciPy 1.10), with an effect size.
 *
 * - One-sample: `t = (x̄ − μ₀)/(s/√n)`, df = n − 1; CI for the mean; Cohen's d = (x̄ − μ₀)/s.
 * - Student: pooled variance `s_p² = ((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2)`,
 *   `t = (x̄₁ − x̄₂)/(s_p√(1/n₁ + 1/n₂))`, df = n₁ + n₂ − 2; Cohen's d = (x̄₁ − x̄₂)/s_p.
 * - Welch: `t = (x̄₁ − x̄₂)/√(s₁²/n₁ + s₂²/n₂)`, Welch–Satterthwaite df; Cohen's d with the
 *   root mean of the two variances, `(x̄₁ − x̄₂)/√((s₁² + s₂²)/2)`.
 * - Paired: the one-sample test of the differences x − y against 0; Cohen's d_z = d̄/s_d.
 *
 * The confidence interval is for the mean (one-sample), the mean difference x̄₁ − x̄₂ or the
 * mean of the differences, at `confidenceLevel` (0.95), one-sided for one-sided alternatives
 * (as SciPy's `confidence_interval()`). Missing values are dropped (pairwise for paired data).
 * Zero variance — where t is undefined — is an error naming the sample.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { meanOf, meanResidual } from './descriptive.ts';
import { studentTCdf, studentTPpf, studentTSf } from './distributions.ts';
import type { ConfidenceInterval, TestResult } from './test-result.ts';
import {
  type Alternative,
  checkAlternative,
  checkLevel,
  checkNumber,
  pairedSample,
  sample,
} from './validate.ts';

/** Options shared by the t-tests. */
export interface TTestOptions {
  /** The alternative hypothesis (default 'two-sided'). */
  alternative?: Alternative;
  /** Confidence level of the interval (default 0.95). */
  confidenceLevel?: number;
}

/** Options of {@link tTestOneSample}. */
export interface TTestOneSampleOptions extends TTestOptions {
  /** The hypothesised mean μ₀ (default 0). */
  mu?: number;
}

/** Options of {@link tTestIndependent}. */
export interface TTestIndependentOptions extends TTestOptions {
  /** `true` (default): Student's pooled-variance test; `false`: Welch's test. */
  equalVariance?: boolean;
}

/**
 * The mean, the residual δ = (Σx − n·mean)/n it leaves (`meanResidual`: the computed mean is only the nearest
 * double to x̄, up to ½ ulp of x̄ away) and the variance Σ(x − mean)²/(n − 1) − nδ²/(n − 1). For
 * data with a large mean and a tiny spread (3e5 ± 1e-3) that ½ ulp is 3e-11 — 1e-7 of a mean
 * difference of 3e-4 — so the statistics use `mean + δ` in their mean differences, as the central
 * moments do (`shiftedMoments`).
 */
function meanVar(x: Float64Array): { mean: number; residual: number; variance: number } {
  const n = x.length;
  const m = meanOf(x);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - m;
    ss += d * d;
  }
  const residual = meanResidual(x, m);
  return { mean: m, residual, variance: (ss - n * residual * residual) / (n - 1) };
}

/**
 * Welch–Satterthwaite degrees of freedom (v₁ + v₂)²/(v₁²/(n₁−1) + v₂²/(n₂−1)) for the variances
 * of the means v₁ = s₁²/n₁, v₂ = s₂²/n₂, computed on v/max(v₁, v₂) so that it is scale-free: the
 * squares overflow for data around 1e77 and up (and underflow around 1e-77 and down), where the
 * plain formula gives NaN (SciPy then falls back to df = 1).
 */
function welchDf(vn1: number, vn2: number, n1: number, n2: number): number {
  const m = Math.max(vn1, vn2);
  const r1 = vn1 / m;
  const r2 = vn2 / m;
  return (r1 + r2) ** 2 / ((r1 * r1) / (n1 - 1) + (r2 * r2) / (n2 - 1));
}

/** The p-value of t with df degrees of freedom (SciPy's `_ttest_finish`). */
export function tTestPValue(t: number, df: number, alternative: Alternative): number {
  if (alternative === 'less') return studentTCdf(t, df);
  if (alternative === 'greater') return studentTSf(t, df);
  return 2 * studentTCdf(-Math.abs(t), df);
}

/** estimate ± t-quantile × se, two- or one-sided (SciPy's `_t_confidence_interval`). */
export function tConfidenceInterval(
  estimate: number,
  se: number,
  df: number,
  level: number,
  alternative: Alternative,
  of: string,
): ConfidenceInterval {
  let lower: number;
  let upper: number;
  if (alternative === 'less') {
    lower = Number.NEGATIVE_INFINITY;
    upper = estimate + studentTPpf(level, df) * se;
  } else if (alternative === 'greater') {
    lower = estimate + studentTPpf(1 - level, df) * se;
    upper = Number.POSITIVE_INFINITY;
  } else {
    const tail = (1 - level) / 2;
    lower = estimate + studentTPpf(tail, df) * se;
    upper = estimate + studentTPpf(1 - tail, df) * se;
  }
  return { level, lower, upper, of };
}

function zeroVariance(who: string, what: string): ValidationError {
  return new ValidationError(`${who}: ${what} has zero variance, so the t statistic is undefined.`, {
    field: what,
    expected: 'values that are not all equal',
    fix: 'check the column (a constant needs no test), or use a test that allows it',
  });
}

/**
 * One-sample t-test of H₀: mean = `mu` (default 0), as `scipy.stats.ttest_1samp`.
 *
 * @example tTestOneSample([5.1, 4.9, 5.6, 5.8, 6.0], { mu: 5 }).pValue
 */
export function tTestOneSample(x: ArrayLike<number>, options: TTestOneSampleOptions = {}): TestResult {
  const who = 'tTestOneSample';
  const alternative = checkAlternative(options.alternative, who);
  const level = checkLevel(options.confidenceLevel, who);
  const mu = checkNumber(options.mu ?? 0, 'mu', who);
  const v = sample(x, 'x', who, { min: 2, reason: 'the sample variance needs two' });
  const n = v.length;
  const { mean, residual, variance } = meanVar(v);
  const se = Math.sqrt(variance / n);
  if (!(se > 0)) throw zeroVariance(who, 'x');
  const shift = mean - mu + residual;
  const t = shift / se;
  const df = n - 1;
  return {
    test: 'One-sample t-test',
    statistic: t,
    statisticName: 't',
    pValue: tTestPValue(t, df, alternative),
    df,
    alternative,
    n: [n],
    estimate: { name: 'mean', value: mean },
    effectSize: { name: "Cohen's d", value: shift / Math.sqrt(variance) },
    confidenceInterval: tConfidenceInterval(mean, se, df, level, alternative, 'mean'),
    details: { mu, standardError: se },
  };
}

/**
 * Two-sample t-test of H₀: equal means — Student's (pooled variance, default) or, with
 * `equalVariance: false`, Welch's — as `scipy.stats.ttest_ind`.
 */
export function tTestIndependent(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: TTestIndependentOptions = {},
): TestResult {
  const welch = options.equalVariance === false;
  const who = welch ? 'tTestIndependent (Welch)' : 'tTestIndependent';
  const alternative = checkAlternative(options.alternative, who);
  const level = checkLevel(options.confidenceLevel, who);
  const a = sample(x, 'x', who, {
    min: welch ? 2 : 1,
    reason: welch ? 'each variance needs two' : undefined,
  });
  const b = sample(y, 'y', who, {
    min: welch ? 2 : 1,
    reason: welch ? 'each variance needs two' : undefined,
  });
  const n1 = a.length;
  const n2 = b.length;
  if (!welch && n1 + n2 < 3) {
    throw new ValidationError(`${who}: x and y have ${n1 + n2} values together; at least 3 are needed.`, {
      field: 'y',
      expected: 'n1 + n2 ≥ 3',
      actual: n1 + n2,
      fix: 'pass more observations',
    });
  }
  const ma = meanVar(a);
  const mb = meanVar(b);
  const va = n1 > 1 ? ma.variance : 0;
  const vb = n2 > 1 ? mb.variance : 0;
  const diff = ma.mean - mb.mean + (ma.residual - mb.residual);
  let df: number;
  let se: number;
  let sd: number;
  if (welch) {
    const vn1 = va / n1;
    const vn2 = vb / n2;
    df = welchDf(vn1, vn2, n1, n2);
    se = Math.sqrt(vn1 + vn2);
    sd = Math.sqrt((va + vb) / 2);
  } else {
    df = n1 + n2 - 2;
    const pooled = ((n1 - 1) * va + (n2 - 1) * vb) / df;
    se = Math.sqrt(pooled * (1 / n1 + 1 / n2));
    sd = Math.sqrt(pooled);
  }
  if (!(se > 0)) throw zeroVariance(who, 'x and y');
  const t = diff / se;
  return {
    test: welch ? 'Welch two-sample t-test' : 'Two-sample t-test (equal variances)',
    statistic: t,
    statisticName: 't',
    pValue: tTestPValue(t, df, alternative),
    df,
    alternative,
    n: [n1, n2],
    estimate: { name: 'mean difference', value: diff },
    effectSize: { name: "Cohen's d", value: diff / sd },
    confidenceInterval: tConfidenceInterval(diff, se, df, level, alternative, 'mean difference'),
    details: { meanX: ma.mean, meanY: mb.mean, standardError: se },
  };
}

/**
 * Paired t-test of H₀: the mean of x − y is 0, as `scipy.stats.ttest_rel`. Pairs with a
 * missing value on either side are dropped.
 */
export function tTestPaired(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: TTestOptions = {},
): TestResult {
  const who = 'tTestPaired';
  const alternative = checkAlternative(options.alternative, who);
  const level = checkLevel(options.confidenceLevel, who);
  const p = pairedSample(x, y, who, { min: 2, reason: 'the variance of the differences needs two' });
  const n = p.x.length;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = p.x[i] - p.y[i];
  const { mean: m, residual, variance } = meanVar(d);
  const mean = m + residual;
  const se = Math.sqrt(variance / n);
  if (!(se > 0)) throw zeroVariance(who, 'x − y');
  const t = mean / se;
  const df = n - 1;
  return {
    test: 'Paired t-test',
    statistic: t,
    statisticName: 't',
    pValue: tTestPValue(t, df, alternative),
    df,
    alternative,
    n: [n],
    estimate: { name: 'mean difference', value: mean },
    effectSize: { name: "Cohen's d_z", value: mean / Math.sqrt(variance) },
    confidenceInterval: tConfidenceInterval(mean, se, df, level, alternative, 'mean difference'),
    details: { standardError: se },
  };
}
