/**
 * Comparing two models' performance, from their cross-validation scores or their predictions
 * on a holdout (no estimators are imported here: pass the numbers).
 *
 * - {@link correctedResampledTTest} — Nadeau & Bengio (2003): the paired t-test on k resampled
 *   train/test splits with the variance inflated by (1/k + n_test/n_train), because the
 *   training sets overlap (the plain paired t-test is far too liberal there). df = k − 1.
 * - {@link pairedTTest5x2cv} — Dietterich (1998): five replications of 2-fold CV;
 *   t = d₁₁/√(Σᵢ sᵢ²/5) with sᵢ² = Σⱼ(dᵢⱼ − d̄ᵢ)², df = 5; `details.combinedF` is Alpaydın's
 *   (1999) combined 5×2cv F = Σd²/(2Σsᵢ²) with (10, 5) df.
 * - {@link mcnemarTest} — McNemar's test on a holdout: only the discordant cases count
 *   (b = A right and B wrong, c = the reverse); exact binomial p when b + c < 25 (or
 *   `exact: true`), else χ² with 1 df and a continuity correction — as
 *   `statsmodels.stats.contingency_tables.mcnemar`.
 * - {@link delongTest} — DeLong, DeLong & Clarke-Pearson (1988), in Sun & Xu's (2014) fast
 *   midrank form: the z-test of two correlated ROC AUCs on the same cases, with a confidence
 *   interval for the difference; {@link aucConfidenceInterval} gives one AUC's DeLong interval.
 * - {@link bootstrapMetricDifference} — a paired bootstrap interval for metric(A) − metric(B).
 *   (For one metric's interval, see `bootstrapMetric`.)
 *
 * @module
 */

import { show, ValidationError } from '../core/errors.ts';
import { type BootstrapOptions, type BootstrapResult, bootstrapMetric } from './bootstrap.ts';
import { binomialCdf, chiSquareSf, fisherFSf, normalCdf, normalPpf, normalSf } from './distributions.ts';
import { tConfidenceInterval, tTestPValue } from './t-test.ts';
import type { TestResult } from './test-result.ts';
import {
  type Alternative,
  checkAlternative,
  checkArrayArg,
  checkLevel,
  checkNumber,
  checkSampleValues,
} from './validate.ts';

function finiteScores(x: ArrayLike<number>, field: string, who: string): Float64Array {
  const out = Float64Array.from(x);
  out.forEach((v, i) => {
    if (!Number.isFinite(v)) {
      throw new ValidationError(`${who}: ${field}[${i}] is ${v}; scores must be finite numbers.`, {
        field,
        fix: 'drop or re-run the failed folds',
      });
    }
  });
  return out;
}

/** Options of {@link correctedResampledTTest}. */
export interface CorrectedTTestOptions {
  /** Training-set size of each split. */
  nTrain: number;
  /** Test-set size of each split. */
  nTest: number;
  alternative?: Alternative;
  confidenceLevel?: number;
}

/**
 * Nadeau–Bengio corrected resampled t-test: are the mean scores of A and B over the same k
 * train/test splits different? `scoresA[i]` and `scoresB[i]` must come from split i.
 */
export function correctedResampledTTest(
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  options: CorrectedTTestOptions,
): TestResult {
  const who = 'correctedResampledTTest';
  const alternative = checkAlternative(options?.alternative, who);
  const level = checkLevel(options?.confidenceLevel, who);
  const nTrain = checkNumber(options?.nTrain, 'nTrain', who, { min: 1, integer: true });
  const nTest = checkNumber(options?.nTest, 'nTest', who, { min: 1, integer: true });
  const a = finiteScores(scoresA, 'scoresA', who);
  const b = finiteScores(scoresB, 'scoresB', who);
  if (a.length !== b.length) {
    throw new ValidationError(
      `${who}: ${a.length} scores for A but ${b.length} for B; they must come from the same splits.`,
      {
        field: 'scoresB',
        fix: 'pass one score per split for each model',
      },
    );
  }
  const k = a.length;
  if (k < 2)
    throw new ValidationError(`${who}: needs scores from at least 2 splits; got ${k}.`, {
      field: 'scoresA',
      fix: 'use more folds or repetitions',
    });
  let mean = 0;
  for (let i = 0; i < k; i++) mean += a[i] - b[i];
  mean /= k;
  let ss = 0;
  for (let i = 0; i < k; i++) ss += (a[i] - b[i] - mean) ** 2;
  const variance = ss / (k - 1);
  const se = Math.sqrt((1 / k + nTest / nTrain) * variance);
  if (!(se > 0)) {
    throw new ValidationError(
      `${who}: the score differences are all equal (zero variance); t is undefined.`,
      {
        field: 'scoresA',
        fix: 'check the scores (identical models?)',
      },
    );
  }
  const t = mean / se;
  const df = k - 1;
  return {
    test: 'Corrected resampled t-test (Nadeau–Bengio)',
    statistic: t,
    statisticName: 't',
    pValue: tTestPValue(t, df, alternative),
    df,
    alternative,
    n: [k],
    estimate: { name: 'mean score difference (A − B)', value: mean },
    confidenceInterval: tConfidenceInterval(mean, se, df, level, alternative, 'mean score difference'),
    details: { nTrain, nTest, correction: 1 / k + nTest / nTrain },
  };
}

/** Options of {@link pairedTTest5x2cv}. */
export interface FiveByTwoOptions {
  alternative?: Alternative;
}

function fiveByTwo(
  x: readonly (readonly number[])[] | ArrayLike<number>,
  field: string,
  who: string,
): Float64Array {
  checkArrayArg(x, who, field);
  const flat =
    Array.isArray(x) && Array.isArray(x[0]) ? (x as number[][]).flat() : Array.from(x as ArrayLike<number>);
  if (flat.length !== 10) {
    throw new ValidationError(
      `${who}: ${field} must hold 5 × 2 scores (5 replications of 2-fold CV); got ${flat.length}.`,
      {
        field,
        expected: '[[r1f1, r1f2], …, [r5f1, r5f2]] or 10 numbers in that order',
        fix: 'run 5 replications of 2-fold cross-validation with the same splits for both models',
      },
    );
  }
  return finiteScores(flat, field, who);
}

/**
 * Dietterich's 5×2cv paired t-test on the scores of A and B from five replications of 2-fold
 * cross-validation (same splits for both), given as 5×2 arrays (or 10 numbers, replication-major).
 */
export function pairedTTest5x2cv(
  scoresA: readonly (readonly number[])[] | ArrayLike<number>,
  scoresB: readonly (readonly number[])[] | ArrayLike<number>,
  options: FiveByTwoOptions = {},
): TestResult {
  const who = 'pairedTTest5x2cv';
  const alternative = checkAlternative(options.alternative, who);
  const a = fiveByTwo(scoresA, 'scoresA', who);
  const b = fiveByTwo(scoresB, 'scoresB', who);
  let sumS2 = 0;
  let sumD2 = 0;
  for (let i = 0; i < 5; i++) {
    const d1 = a[2 * i] - b[2 * i];
    const d2 = a[2 * i + 1] - b[2 * i + 1];
    const m = (d1 + d2) / 2;
    sumS2 += (d1 - m) ** 2 + (d2 - m) ** 2;
    sumD2 += d1 * d1 + d2 * d2;
  }
  if (!(sumS2 > 0)) {
    throw new ValidationError(
      `${who}: the two folds of every replication give the same difference; the variance estimate is 0.`,
      {
        field: 'scoresA',
        fix: 'check the scores (identical models?)',
      },
    );
  }
  const t = (a[0] - b[0]) / Math.sqrt(sumS2 / 5);
  const f = sumD2 / (2 * sumS2);
  return {
    test: '5×2cv paired t-test (Dietterich)',
    statistic: t,
    statisticName: 't',
    pValue: tTestPValue(t, 5, alternative),
    df: 5,
    alternative,
    n: [10],
    estimate: { name: 'first-fold score difference (A − B)', value: a[0] - b[0] },
    details: { combinedF: f, combinedFPValue: fisherFSf(f, 10, 5) },
  };
}

/** Options of {@link mcnemarTest}. */
export interface McNemarOptions {
  /** Exact binomial test (true), χ² (false), or 'auto' (default: exact when b + c < 25). */
  exact?: boolean | 'auto';
  /** Continuity correction of the χ² version (default true). */
  correction?: boolean;
}

/**
 * McNemar's test of H₀: models A and B have the same error rate on these cases. Labels may be
 * numbers, strings or booleans; a prediction is right when it equals yTrue.
 */
export function mcnemarTest<T>(
  yTrue: ArrayLike<T>,
  predA: ArrayLike<T>,
  predB: ArrayLike<T>,
  options: McNemarOptions = {},
): TestResult {
  const who = 'mcnemarTest';
  checkArrayArg(yTrue, who, 'yTrue');
  checkArrayArg(predA, who, 'predA');
  checkArrayArg(predB, who, 'predB');
  const n = yTrue.length;
  if (predA.length !== n || predB.length !== n) {
    throw new ValidationError(
      `${who}: yTrue has ${n} rows, predA ${predA.length}, predB ${predB.length}; they must match.`,
      {
        field: 'predA',
        fix: 'pass one prediction per case from each model',
      },
    );
  }
  let both = 0;
  let onlyA = 0;
  let onlyB = 0;
  let neither = 0;
  for (let i = 0; i < n; i++) {
    const ra = predA[i] === yTrue[i];
    const rb = predB[i] === yTrue[i];
    if (ra && rb) both++;
    else if (ra) onlyA++;
    else if (rb) onlyB++;
    else neither++;
  }
  const discordant = onlyA + onlyB;
  const exact = options.exact === undefined || options.exact === 'auto' ? discordant < 25 : options.exact;
  let stat: number;
  let p: number;
  if (exact) {
    stat = Math.min(onlyA, onlyB);
    p = discordant === 0 ? 1 : Math.min(1, 2 * binomialCdf(stat, discordant, 0.5));
  } else {
    if (discordant === 0) {
      throw new ValidationError(`${who}: the models agree on every case, so the χ² statistic is undefined.`, {
        field: 'exact',
        fix: "use exact: true or 'auto' (p = 1)",
      });
    }
    const corr = options.correction === false ? 0 : 1;
    stat = (Math.abs(onlyA - onlyB) - corr) ** 2 / discordant;
    p = chiSquareSf(stat, 1);
  }
  return {
    test: "McNemar's test",
    statistic: stat,
    statisticName: exact ? 'min(b, c)' : 'chi2',
    pValue: p,
    ...(exact ? {} : { df: 1 }),
    alternative: 'two-sided',
    method: exact
      ? 'exact (binomial)'
      : options.correction === false
        ? 'chi-square'
        : 'chi-square, continuity-corrected',
    n: [n],
    estimate: { name: 'accuracy difference (A − B)', value: (onlyA - onlyB) / n },
    details: { bothCorrect: both, onlyACorrect: onlyA, onlyBCorrect: onlyB, bothWrong: neither },
  };
}

/** Midranks (average 1-based ranks) of x. */
function midranks(x: Float64Array): Float64Array {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const out = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j < n && x[order[j]] === x[order[i]]) j++;
    const r = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) out[order[k]] = r;
    i = j;
  }
  return out;
}

/** AUC and the DeLong structural components of one score vector. */
function delongComponents(
  pos: Float64Array,
  neg: Float64Array,
): { auc: number; v10: Float64Array; v01: Float64Array } {
  const m = pos.length;
  const n = neg.length;
  const all = new Float64Array(m + n);
  all.set(pos);
  all.set(neg, m);
  const tz = midranks(all);
  const tx = midranks(pos);
  const ty = midranks(neg);
  let s = 0;
  for (let i = 0; i < m; i++) s += tz[i];
  const auc = (s - (m * (m + 1)) / 2) / (m * n);
  const v10 = new Float64Array(m);
  for (let i = 0; i < m; i++) v10[i] = (tz[i] - tx[i]) / n;
  const v01 = new Float64Array(n);
  for (let j = 0; j < n; j++) v01[j] = 1 - (tz[m + j] - ty[j]) / m;
  return { auc, v10, v01 };
}

function covariance(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i] - ma) * (b[i] - mb);
  return s / (n - 1);
}

function splitByClass<T>(
  yTrue: ArrayLike<T>,
  scores: ArrayLike<number>,
  who: string,
  field: string,
): { pos: Float64Array; neg: Float64Array } {
  if (!Array.isArray(yTrue) && !ArrayBuffer.isView(yTrue)) {
    throw new ValidationError(`${who}: yTrue must be an array of two class labels; got ${show(yTrue)}.`, {
      field: 'yTrue',
      fix: 'pass yTrue as an array with one label per case, e.g. [0, 1, 1, 0]',
    });
  }
  checkSampleValues(scores, who, field);
  const n = yTrue.length;
  if (scores.length !== n) {
    throw new ValidationError(`${who}: yTrue has ${n} rows but ${field} has ${scores.length}.`, {
      field,
      fix: 'pass one score per case',
    });
  }
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = yTrue[i] as unknown;
    const s = scores[i];
    if (!Number.isFinite(s))
      throw new ValidationError(`${who}: ${field}[${i}] is ${s}; scores must be finite.`, {
        field,
        fix: 'replace missing scores',
      });
    if (y === 1 || y === true) pos.push(s);
    else if (y === 0 || y === false) neg.push(s);
    else {
      throw new ValidationError(
        `${who}: yTrue[${i}] is ${JSON.stringify(y)}; DeLong's test needs binary labels 0/1 (or false/true).`,
        {
          field: 'yTrue',
          fix: 'encode the positive class as 1 and the other as 0',
        },
      );
    }
  }
  if (pos.length < 2 || neg.length < 2) {
    throw new ValidationError(
      `${who}: needs at least 2 positive and 2 negative cases; got ${pos.length} and ${neg.length}.`,
      {
        field: 'yTrue',
        fix: 'use a holdout with both classes',
      },
    );
  }
  return { pos: Float64Array.from(pos), neg: Float64Array.from(neg) };
}

/** Options of {@link delongTest}. */
export interface DelongOptions {
  alternative?: Alternative;
  confidenceLevel?: number;
}

/**
 * DeLong's test of H₀: AUC(A) = AUC(B) for two scores of the same cases (labels 0/1), with a
 * confidence interval for AUC(A) − AUC(B).
 */
export function delongTest<T>(
  yTrue: ArrayLike<T>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  options: DelongOptions = {},
): TestResult {
  const who = 'delongTest';
  const alternative = checkAlternative(options.alternative, who);
  const level = checkLevel(options.confidenceLevel, who);
  const A = splitByClass(yTrue, scoresA, who, 'scoresA');
  const B = splitByClass(yTrue, scoresB, who, 'scoresB');
  const ca = delongComponents(A.pos, A.neg);
  const cb = delongComponents(B.pos, B.neg);
  const m = A.pos.length;
  const n = A.neg.length;
  const s10 = [covariance(ca.v10, ca.v10), covariance(cb.v10, cb.v10), covariance(ca.v10, cb.v10)];
  const s01 = [covariance(ca.v01, ca.v01), covariance(cb.v01, cb.v01), covariance(ca.v01, cb.v01)];
  const varA = s10[0] / m + s01[0] / n;
  const varB = s10[1] / m + s01[1] / n;
  const covAB = s10[2] / m + s01[2] / n;
  const variance = varA + varB - 2 * covAB;
  const diff = ca.auc - cb.auc;
  if (!(variance > 0)) {
    throw new ValidationError(
      `${who}: the variance of the AUC difference is ${variance}; the scores rank the cases identically.`,
      {
        field: 'scoresB',
        fix: 'the models cannot be told apart by AUC on these cases',
      },
    );
  }
  const se = Math.sqrt(variance);
  const z = diff / se;
  const p =
    alternative === 'less'
      ? normalCdf(z)
      : alternative === 'greater'
        ? normalSf(z)
        : 2 * normalSf(Math.abs(z));
  let lower: number;
  let upper: number;
  if (alternative === 'two-sided') {
    const q = normalPpf(0.5 + level / 2);
    lower = diff - q * se;
    upper = diff + q * se;
  } else if (alternative === 'less') {
    lower = Number.NEGATIVE_INFINITY;
    upper = diff + normalPpf(level) * se;
  } else {
    lower = diff - normalPpf(level) * se;
    upper = Number.POSITIVE_INFINITY;
  }
  return {
    test: "DeLong's test for two correlated ROC AUCs",
    statistic: z,
    statisticName: 'z',
    pValue: p,
    alternative,
    method: 'asymptotic',
    n: [m, n],
    estimate: { name: 'AUC difference (A − B)', value: diff },
    confidenceInterval: { level, lower, upper, of: 'AUC difference' },
    details: { aucA: ca.auc, aucB: cb.auc, varianceA: varA, varianceB: varB, covariance: covAB },
  };
}

/** One ROC AUC with its DeLong standard error and normal confidence interval (clipped to [0, 1]). */
export function aucConfidenceInterval<T>(
  yTrue: ArrayLike<T>,
  scores: ArrayLike<number>,
  options: { confidenceLevel?: number } = {},
): { auc: number; standardError: number; lower: number; upper: number; confidenceLevel: number } {
  const who = 'aucConfidenceInterval';
  const level = checkLevel(options.confidenceLevel, who);
  const { pos, neg } = splitByClass(yTrue, scores, who, 'scores');
  const c = delongComponents(pos, neg);
  const se = Math.sqrt(covariance(c.v10, c.v10) / pos.length + covariance(c.v01, c.v01) / neg.length);
  const q = normalPpf(0.5 + level / 2);
  return {
    auc: c.auc,
    standardError: se,
    lower: Math.max(0, c.auc - q * se),
    upper: Math.min(1, c.auc + q * se),
    confidenceLevel: level,
  };
}

/**
 * Paired bootstrap interval for metric(yTrue, predA) − metric(yTrue, predB): rows are resampled
 * together so both models see the same cases (see `bootstrapMetric` for the options).
 */
export function bootstrapMetricDifference<T, P>(
  yTrue: ArrayLike<T>,
  predA: ArrayLike<P>,
  predB: ArrayLike<P>,
  metric: (yTrue: ArrayLike<T>, yPred: ArrayLike<P>) => number,
  options: Omit<BootstrapOptions, 'paired'> = {},
): BootstrapResult {
  const n = yTrue.length;
  if (predA.length !== n || predB.length !== n) {
    throw new ValidationError(
      `bootstrapMetricDifference: yTrue has ${n} rows, predA ${predA.length}, predB ${predB.length}; they must match.`,
      {
        field: 'predA',
        fix: 'pass one prediction per case from each model',
      },
    );
  }
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  const pick = <V>(a: ArrayLike<V>, idx: ArrayLike<number>): V[] => Array.from(idx, (k) => a[k]);
  return bootstrapMetric(
    rows,
    rows,
    (idx) => {
      const t = pick(yTrue, idx);
      return metric(t, pick(predA, idx)) - metric(t, pick(predB, idx));
    },
    options,
  );
}
