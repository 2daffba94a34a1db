/**
 * Regression metrics: mean absolute, squared, root-mean-squared, absolute-percentage and median
 * absolute errors, R² and explained variance — with sample weights and multi-output averaging as
 * in scikit-learn 1.2.
 *
 * @module
 */

import { show } from '../core/errors.ts';
import type { Matrix } from '../core/matrix.ts';
import { pairwiseSum } from '../core/pairwise-sum.ts';
import { argsortStable } from './sort.ts';
import {
  asFiniteMatrix,
  asSampleWeight,
  checkNotEmpty,
  checkWeightSum,
  fail,
  isScoreMatrix,
  undefinedMetric,
} from './validate.ts';

/** A regression target: one value per sample, or a matrix with one column per output. */
export type RegressionInput = ArrayLike<number> | Matrix | readonly (readonly number[])[];

/**
 * How the errors of several outputs are combined: `'uniform_average'` (default, the mean),
 * `'raw_values'` (one value per output, as a Float64Array) or an array of output weights.
 */
export type Multioutput = 'uniform_average' | 'raw_values' | ArrayLike<number>;

/** Options of the regression errors. */
export interface RegressionOptions {
  /** Per-sample weights. */
  sampleWeight?: ArrayLike<number>;
  /** How to combine several outputs (default `'uniform_average'`). */
  multioutput?: Multioutput;
}

/** Options of {@link r2Score} and {@link explainedVarianceScore}. */
export interface R2Options {
  /** Per-sample weights. */
  sampleWeight?: ArrayLike<number>;
  /**
   * How to combine several outputs: as {@link Multioutput}, or `'variance_weighted'` (weighted by
   * the variance of each output's true values).
   */
  multioutput?: Multioutput | 'variance_weighted';
  /**
   * Replace the non-finite scores of constant `yTrue` (default `true`, scikit-learn 1.2): 1 for
   * a perfect prediction, else 0. With `false`: `NaN` (perfect) or `−Infinity`.
   */
  forceFinite?: boolean;
}

/** Checked regression targets: `n` samples of `m` outputs each, row-major. */
export interface Targets {
  t: Float64Array;
  p: Float64Array;
  n: number;
  m: number;
}

function vectorOrMatrix(
  y: unknown,
  who: string,
  field: string,
): { data: Float64Array; n: number; m: number } {
  if (isScoreMatrix(y)) {
    const mat = asFiniteMatrix(y, who, field);
    return { data: mat.data, n: mat.rows, m: mat.cols };
  }
  if (y === null || y === undefined || typeof (y as ArrayLike<number>).length !== 'number') {
    fail(who, field, `${field} must be an array of numbers or a matrix; got ${show(y)}.`);
  }
  const a = y as ArrayLike<number>;
  const data = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'number' || v - v !== 0) {
      fail(
        who,
        field,
        `${field}[${i}] is ${show(v)}; regression metrics need finite numbers.`,
        'drop or impute the rows with missing values',
      );
    }
    data[i] = v;
  }
  return { data, n: a.length, m: 1 };
}

function targets(who: string, yTrue: RegressionInput, yPred: RegressionInput): Targets {
  const a = vectorOrMatrix(yTrue, who, 'yTrue');
  const b = vectorOrMatrix(yPred, who, 'yPred');
  if (a.n !== b.n) {
    fail(who, 'yPred', `yTrue has ${a.n} samples but yPred has ${b.n}.`, 'pass one prediction per sample');
  }
  checkNotEmpty(who, a.n, 'yTrue');
  if (a.m !== b.m) {
    fail(
      who,
      'yPred',
      `yTrue and yPred have different numbers of outputs (${a.m} != ${b.m}).`,
      'pass one prediction column per target column',
    );
  }
  return { t: a.data, p: b.data, n: a.n, m: a.m };
}

/** Validates `multioutput` for `m` outputs; returns output weights or a mode. */
function resolveMultioutput(
  who: string,
  multioutput: unknown,
  m: number,
  allowVariance: boolean,
): 'raw_values' | 'uniform_average' | 'variance_weighted' | Float64Array {
  if (multioutput === undefined || multioutput === null) return 'uniform_average';
  if (typeof multioutput === 'string') {
    const allowed = allowVariance
      ? ['raw_values', 'uniform_average', 'variance_weighted']
      : ['raw_values', 'uniform_average'];
    if (!allowed.includes(multioutput)) {
      fail(
        who,
        'multioutput',
        `multioutput must be ${allowed.map((x) => `'${x}'`).join(', ')} or an array of output weights; got ${show(multioutput)}.`,
        "pass 'uniform_average'",
      );
    }
    return multioutput as 'raw_values' | 'uniform_average' | 'variance_weighted';
  }
  const w = multioutput as ArrayLike<number>;
  if (typeof w.length !== 'number')
    fail(who, 'multioutput', `multioutput must be a string or an array of weights.`);
  if (m === 1) {
    fail(
      who,
      'multioutput',
      'custom output weights are useful only with several outputs.',
      "pass 'uniform_average'",
    );
  }
  if (w.length !== m) {
    fail(
      who,
      'multioutput',
      `there must be as many output weights (${w.length}) as outputs (${m}).`,
      'give one weight per output column',
    );
  }
  const out = Float64Array.from(w);
  for (let j = 0; j < m; j++) {
    if (!Number.isFinite(out[j]))
      fail(who, 'multioutput', `multioutput[${j}] is ${out[j]}; weights must be finite.`);
  }
  return out;
}

/** `np.average(values, weights)` over outputs, or the raw values. */
function combine(
  who: string,
  values: Float64Array,
  mode: 'raw_values' | 'uniform_average' | 'variance_weighted' | Float64Array,
): number | Float64Array {
  if (mode === 'raw_values') return values;
  if (mode === 'uniform_average' || mode === 'variance_weighted') {
    return pairwiseSum(values, 0, values.length) / values.length;
  }
  const sw = pairwiseSum(mode, 0, mode.length);
  checkWeightSum(who, sw, 'multioutput');
  const products = new Float64Array(values.length);
  for (let j = 0; j < values.length; j++) products[j] = values[j] * mode[j];
  return pairwiseSum(products, 0, products.length) / sw;
}

/**
 * The sum of one output's per-sample `terms`, in the order NumPy's `x.sum(axis=0)` adds an
 * (n, m) array: pairwise for a single output (one contiguous column), row by row otherwise.
 * The order decides, e.g., whether the mean of ten 0.1s is exactly 0.1 (pairwise) or
 * 0.09999999999999999 — and so whether R² of a constant yTrue is 0 or −5e31.
 */
function columnSum(terms: Float64Array, n: number, m: number): number {
  if (m === 1) return pairwiseSum(terms, 0, n);
  let s = 0;
  for (let i = 0; i < n; i++) s += terms[i];
  return s;
}

/** The total weight as `np.average` computes it (pairwise), checked to be non-zero. */
function weightTotal(who: string, w: Float64Array): number {
  const sw = pairwiseSum(w, 0, w.length);
  checkWeightSum(who, sw);
  return sw;
}

/** Per-output weighted mean of `f(t, p)`. */
function perOutputMean(
  who: string,
  tg: Targets,
  w: Float64Array | null,
  f: (t: number, p: number) => number,
): Float64Array {
  const { t, p, n, m } = tg;
  const out = new Float64Array(m);
  const sw = w ? weightTotal(who, w) : n;
  const terms = new Float64Array(n);
  for (let j = 0; j < m; j++) {
    for (let i = 0, k = j; i < n; i++, k += m) terms[i] = w ? f(t[k], p[k]) * w[i] : f(t[k], p[k]);
    out[j] = columnSum(terms, n, m) / sw;
  }
  return out;
}

type Overloaded = {
  (
    yTrue: RegressionInput,
    yPred: RegressionInput,
    options: RegressionOptions & { multioutput: 'raw_values' },
  ): Float64Array;
  (yTrue: RegressionInput, yPred: RegressionInput, options?: RegressionOptions): number;
};

function errorMetric(
  who: string,
  f: (t: number, p: number) => number,
  post?: (x: number) => number,
): (yTrue: RegressionInput, yPred: RegressionInput, options?: RegressionOptions) => number | Float64Array {
  return (yTrue, yPred, options = {}) => {
    const tg = targets(who, yTrue, yPred);
    const mode = resolveMultioutput(who, options.multioutput, tg.m, false);
    const w = asSampleWeight(options.sampleWeight, tg.n, who);
    return meanErrorOf(who, tg, w, mode, f, post);
  };
}

/**
 * A mean-error metric on checked targets: the mean of `f` per output, `post` applied, combined
 * over outputs. The arithmetic of {@link meanAbsoluteError} and its kin, shared with the
 * bootstrap of `lathe evaluate`.
 */
export function meanErrorOf(
  who: string,
  tg: Targets,
  w: Float64Array | null,
  mode: 'raw_values' | 'uniform_average' | 'variance_weighted' | Float64Array,
  f: (t: number, p: number) => number,
  post?: (x: number) => number,
): number | Float64Array {
  const errors = perOutputMean(who, tg, w, f);
  if (post) for (let j = 0; j < errors.length; j++) errors[j] = post(errors[j]);
  return combine(who, errors, mode);
}

/** The per-sample error terms and post-processing of the mean-error metrics, by metric key. */
export const ERROR_TERMS = {
  mae: { f: (t: number, p: number) => Math.abs(p - t) },
  mse: { f: (t: number, p: number) => (t - p) * (t - p) },
  rmse: { f: (t: number, p: number) => (t - p) * (t - p), post: Math.sqrt },
  mape: { f: (t: number, p: number) => Math.abs(p - t) / Math.max(Math.abs(t), Number.EPSILON) },
} as const;

/**
 * Mean absolute error `mean |yTrue − yPred|` — scikit-learn's `mean_absolute_error`.
 *
 * @example meanAbsoluteError([3, -0.5, 2, 7], [2.5, 0, 2, 8]) // 0.5
 */
export const meanAbsoluteError: Overloaded = errorMetric(
  'meanAbsoluteError',
  ERROR_TERMS.mae.f,
) as Overloaded;

/**
 * Mean squared error `mean (yTrue − yPred)²` — scikit-learn's `mean_squared_error`.
 *
 * @example meanSquaredError([3, -0.5, 2, 7], [2.5, 0, 2, 8]) // 0.375
 */
export const meanSquaredError: Overloaded = errorMetric('meanSquaredError', ERROR_TERMS.mse.f) as Overloaded;

/**
 * Root mean squared error, `√MSE` per output (then averaged over outputs) — scikit-learn 1.2's
 * `mean_squared_error(..., squared=False)`.
 *
 * @example rootMeanSquaredError([3, -0.5, 2, 7], [2.5, 0, 2, 8]) // 0.6123…
 */
export const rootMeanSquaredError: Overloaded = errorMetric(
  'rootMeanSquaredError',
  ERROR_TERMS.rmse.f,
  ERROR_TERMS.rmse.post,
) as Overloaded;

/**
 * Mean absolute percentage error `mean |yTrue − yPred| / max(|yTrue|, ε)` as a fraction (not
 * ×100), ε the float64 machine epsilon — scikit-learn's `mean_absolute_percentage_error`. A zero
 * true value gives a huge (but finite) error, as in scikit-learn.
 *
 * @example meanAbsolutePercentageError([3, -0.5, 2, 7], [2.5, 0, 2, 8]) // 0.3273…
 */
export const meanAbsolutePercentageError: Overloaded = errorMetric(
  'meanAbsolutePercentageError',
  ERROR_TERMS.mape.f,
) as Overloaded;

/**
 * Median absolute error `median |yTrue − yPred|` — scikit-learn's `median_absolute_error`
 * (robust to outliers). With weights: the weighted median as scikit-learn's
 * `_weighted_percentile` (the smallest error whose cumulative weight reaches half the total).
 *
 * @example medianAbsoluteError([3, -0.5, 2, 7], [2.5, 0, 2, 8]) // 0.5
 */
export const medianAbsoluteError: Overloaded = ((
  yTrue: RegressionInput,
  yPred: RegressionInput,
  options: RegressionOptions = {},
) => {
  const who = 'medianAbsoluteError';
  const tg = targets(who, yTrue, yPred);
  const mode = resolveMultioutput(who, options.multioutput, tg.m, false);
  const w = asSampleWeight(options.sampleWeight, tg.n, who);
  const { t, p, n, m } = tg;
  const out = new Float64Array(m);
  const err = new Float64Array(n);
  for (let j = 0; j < m; j++) {
    for (let i = 0, k = j; i < n; i++, k += m) err[i] = Math.abs(p[k] - t[k]);
    const order = argsortStable(err);
    if (!w) {
      out[j] = medianOfSorted(n, (r) => err[order[r]]);
      continue;
    }
    let total = 0;
    for (let i = 0; i < n; i++) total += w[order[i]];
    let target = 0.5 * total;
    if (target === 0) target = Number.MIN_VALUE; // np.nextafter(0, 1)
    let cdf = 0;
    let idx = n - 1;
    for (let i = 0; i < n; i++) {
      cdf += w[order[i]];
      if (cdf >= target) {
        idx = i;
        break;
      }
    }
    out[j] = err[order[idx]];
  }
  return combine(who, out, mode);
}) as Overloaded;

/**
 * The (unweighted) median of `n` values, given the value at each position of their ascending
 * order (`at(r)`): the middle one, or the mean of the two middle ones — the rule of
 * {@link medianAbsoluteError}, shared with the bootstrap of `lathe evaluate`.
 */
export function medianOfSorted(n: number, at: (r: number) => number): number {
  const h = n >> 1;
  return n % 2 === 1 ? at(h) : (at(h - 1) + at(h)) / 2;
}

/**
 * Combines one value per output as the regression metrics do (`'uniform_average'`: their
 * pairwise sum over the number of outputs); shared with the bootstrap of `lathe evaluate`.
 */
export function averageOutputs(values: Float64Array): number {
  return combine('averageOutputs', values, 'uniform_average') as number;
}

type R2Overloaded = {
  (
    yTrue: RegressionInput,
    yPred: RegressionInput,
    options: R2Options & { multioutput: 'raw_values' },
  ): Float64Array;
  (yTrue: RegressionInput, yPred: RegressionInput, options?: R2Options): number;
};

/** scikit-learn's `_assemble_r2_explained_variance`. */
function assemble(
  who: string,
  num: Float64Array,
  den: Float64Array,
  options: R2Options,
  m: number,
): number | Float64Array {
  const mode = resolveMultioutput(who, options.multioutput, m, true);
  const forceFinite = options.forceFinite ?? true;
  const scores = new Float64Array(m);
  let anyDen = false;
  for (let j = 0; j < m; j++) {
    if (den[j] !== 0) anyDen = true;
    if (!forceFinite) scores[j] = 1 - num[j] / den[j];
    else if (num[j] !== 0 && den[j] !== 0) scores[j] = 1 - num[j] / den[j];
    else scores[j] = num[j] !== 0 ? 0 : 1;
  }
  if (mode === 'variance_weighted' && anyDen) return combine(who, scores, den);
  return combine(who, scores, mode);
}

/**
 * The coefficient of determination R² = 1 − Σw(y − ŷ)² / Σw(y − ȳ)² — scikit-learn 1.2's
 * `r2_score`. With a constant `yTrue`: 1 for a perfect prediction, else 0 (`forceFinite`). With
 * fewer than two samples: `NaN` and an `UndefinedMetricWarning`.
 *
 * @example r2Score([3, -0.5, 2, 7], [2.5, 0, 2, 8]) // 0.9486…
 */
export const r2Score: R2Overloaded = ((
  yTrue: RegressionInput,
  yPred: RegressionInput,
  options: R2Options = {},
) => {
  const who = 'r2Score';
  const tg = targets(who, yTrue, yPred);
  resolveMultioutput(who, options.multioutput, tg.m, true);
  const w = asSampleWeight(options.sampleWeight, tg.n, who);
  return r2Of(who, tg, w, options);
}) as R2Overloaded;

/**
 * R² on checked targets — the arithmetic of {@link r2Score}, shared with the bootstrap of
 * `lathe evaluate`.
 */
export function r2Of(
  who: string,
  tg: Targets,
  w: Float64Array | null,
  options: R2Options,
): number | Float64Array {
  if (tg.n < 2) {
    undefinedMetric('R^2 score is not well-defined with less than two samples.');
    return Number.NaN;
  }
  const { t, p, n, m } = tg;
  const mean = weightedColumnMeans(who, t, n, m, w);
  const num = new Float64Array(m);
  const den = new Float64Array(m);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let j = 0; j < m; j++) {
    for (let i = 0, k = j; i < n; i++, k += m) {
      const wi = w ? w[i] : 1;
      const r = t[k] - p[k];
      const d = t[k] - mean[j];
      a[i] = wi * (r * r);
      b[i] = wi * (d * d);
    }
    num[j] = columnSum(a, n, m);
    den[j] = columnSum(b, n, m);
  }
  return assemble(who, num, den, options, m);
}

/**
 * Explained variance 1 − Var(y − ŷ) / Var(y) — scikit-learn 1.2's `explained_variance_score`
 * (unlike R², a constant bias in the predictions is not penalised). Constant `yTrue`: as
 * {@link r2Score}.
 *
 * @example explainedVarianceScore([3, -0.5, 2, 7], [2.5, 0, 2, 8]) // 0.9571…
 */
export const explainedVarianceScore: R2Overloaded = ((
  yTrue: RegressionInput,
  yPred: RegressionInput,
  options: R2Options = {},
) => {
  const who = 'explainedVarianceScore';
  const tg = targets(who, yTrue, yPred);
  resolveMultioutput(who, options.multioutput, tg.m, true);
  const w = asSampleWeight(options.sampleWeight, tg.n, who);
  return explainedVarianceOf(who, tg, w, options);
}) as R2Overloaded;

/**
 * Explained variance on checked targets — the arithmetic of {@link explainedVarianceScore},
 * shared with the bootstrap of `lathe evaluate`.
 */
export function explainedVarianceOf(
  who: string,
  tg: Targets,
  w: Float64Array | null,
  options: R2Options,
): number | Float64Array {
  const { t, p, n, m } = tg;
  const diff = new Float64Array(n * m);
  for (let k = 0; k < diff.length; k++) diff[k] = t[k] - p[k];
  const diffMean = weightedColumnMeans(who, diff, n, m, w);
  const tMean = weightedColumnMeans(who, t, n, m, w);
  const num = new Float64Array(m);
  const den = new Float64Array(m);
  const sw = w ? weightTotal(who, w) : n;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let j = 0; j < m; j++) {
    for (let i = 0, k = j; i < n; i++, k += m) {
      const r = diff[k] - diffMean[j];
      const d = t[k] - tMean[j];
      a[i] = w ? r * r * w[i] : r * r;
      b[i] = w ? d * d * w[i] : d * d;
    }
    num[j] = columnSum(a, n, m) / sw;
    den[j] = columnSum(b, n, m) / sw;
  }
  return assemble(who, num, den, options, m);
}

function weightedColumnMeans(
  who: string,
  x: Float64Array,
  n: number,
  m: number,
  w: Float64Array | null,
): Float64Array {
  const out = new Float64Array(m);
  const sw = w ? weightTotal(who, w) : n;
  const terms = new Float64Array(n);
  for (let j = 0; j < m; j++) {
    for (let i = 0, k = j; i < n; i++, k += m) terms[i] = w ? x[k] * w[i] : x[k];
    out[j] = columnSum(terms, n, m) / sw;
  }
  return out;
}
