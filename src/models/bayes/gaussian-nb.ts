/**
 * `GaussianNB`: naive Bayes with a normal distribution per class and feature (scikit-learn's
 * estimator). Means and variances are computed as NumPy computes them (row by row, then divided),
 * the joint log-likelihood is summed in NumPy's pairwise order, so predictions are the same as
 * scikit-learn's even where two classes are nearly tied.
 *
 * @module
 */

import { ValidationError } from '../../core/errors.ts';
import { registerEstimator } from '../../core/estimator.ts';
import type { TargetInput } from '../../core/labels.ts';
import { assertFinite, type Matrix, type MatrixInput, matrix } from '../../core/matrix.ts';
import { pairwiseSum } from '../../core/pairwise-sum.ts';
import { type ParamsOf, p } from '../../core/params.ts';
import type { PlainObject } from '../../core/plain.ts';
import {
  checkNumber,
  damagedState,
  readClasses,
  readRows,
  readVector,
  type ValueRule,
} from '../../core/saved-state.ts';
import { BaseClassifier, checkSampleWeight } from '../base.ts';
import { argmaxCodes, logProbaFromJll } from './joint-log-likelihood.ts';

/** A class total weight at most this is "zero" (`np.isclose(total, 0)`: atol 1e-8). */
const ZERO_WEIGHT = 1e-8;

const schema = {
  priors: p.nullable(p.array(p.float({ min: 0 }), { minLength: 1 }), {
    default: null,
    doc: 'prior probability of each class, in class order (null = the class frequencies)',
  }),
  varSmoothing: p.float({
    min: 0,
    default: 1e-9,
    doc: 'share of the largest feature variance added to every variance, for stability',
  }),
};

/** Parameters of {@link GaussianNB}. */
export type GaussianNBParams = ParamsOf<typeof schema>;

/** Options of {@link GaussianNB.fit}. */
export interface NaiveBayesFitOptions {
  /** One non-negative weight per row. */
  sampleWeight?: ArrayLike<number>;
}

/**
 * Gaussian naive Bayes.
 *
 * ```ts
 * const nb = new GaussianNB().fit(X, y);
 * nb.predict(X); nb.predictProba(X);
 * nb.theta_; nb.var_; nb.classPrior_;
 * ```
 */
export class GaussianNB extends BaseClassifier<GaussianNBParams> {
  static readonly typeName = 'GaussianNB';
  static readonly schema = schema;

  /** Mean of each feature per class: one row per class. */
  theta_: Float64Array[] | undefined = undefined;
  /** Variance of each feature per class (with `epsilon_` added). */
  var_: Float64Array[] | undefined = undefined;
  /** (Weighted) number of training rows per class. */
  classCount_: Float64Array | undefined = undefined;
  /** Prior probability of each class. */
  classPrior_: Float64Array | undefined = undefined;
  /** The variance added for stability: varSmoothing × the largest feature variance. */
  epsilon_: number | undefined = undefined;

  constructor(params: Partial<GaussianNBParams> = {}) {
    super(params);
  }

  /** Estimates the per-class means and variances; returns `this`. */
  fit(X: MatrixInput, y: TargetInput, options: NaiveBayesFitOptions = {}): this {
    const m = this.startFit(X);
    assertFinite(m, this.typeName);
    const codes = this.encodeTarget(y, m.rows);
    const K = this.classes_!.length;
    const sw = checkSampleWeight(options.sampleWeight, m.rows, this.typeName);
    const { data, rows: n, cols: d } = m;

    const priors = this.params.priors;
    if (priors !== null) checkPriors(this.typeName, priors, K);

    // epsilon = varSmoothing · max over features of np.var(X, axis=0) (unweighted, as scikit-learn).
    const allRows = Int32Array.from({ length: n }, (_, i) => i);
    const { variance: totalVar } = meanVariance(data, d, allRows, undefined);
    let maxVar = totalVar[0];
    for (let j = 1; j < d; j++) if (totalVar[j] > maxVar) maxVar = totalVar[j];
    const epsilon = this.params.varSmoothing * maxVar;

    const members: number[][] = Array.from({ length: K }, () => []);
    for (let i = 0; i < n; i++) members[codes[i]].push(i);
    const theta: Float64Array[] = [];
    const variance: Float64Array[] = [];
    const count = new Float64Array(K);
    for (let c = 0; c < K; c++) {
      const rowsC = Int32Array.from(members[c]);
      count[c] =
        sw === undefined
          ? rowsC.length
          : pairwiseSum(
              Float64Array.from(rowsC, (i) => sw[i]),
              0,
              rowsC.length,
            );
      // A class whose weights sum to (nearly) 0 — np.isclose(total, 0) — keeps scikit-learn's
      // initial mean 0 and variance 0 (+ epsilon); its count (and prior) is that small total.
      const mv =
        sw !== undefined && Math.abs(count[c]) <= ZERO_WEIGHT
          ? { mean: new Float64Array(d), variance: new Float64Array(d) }
          : meanVariance(data, d, rowsC, sw);
      for (let j = 0; j < d; j++) mv.variance[j] += epsilon;
      theta.push(mv.mean);
      variance.push(mv.variance);
    }
    let prior: Float64Array;
    if (priors !== null) prior = Float64Array.from(priors);
    else {
      const total = pairwiseSum(count, 0, K);
      prior = count.map((v) => v / total);
    }
    this.theta_ = theta;
    this.var_ = variance;
    this.classCount_ = count;
    this.classPrior_ = prior;
    this.epsilon_ = epsilon;
    return this.finishFit(m);
  }

  /** Joint log-likelihood log P(x, class) per row and class (n × K, row-major). */
  jointLogLikelihood(X: MatrixInput): Float64Array {
    const m = this.checkInput(X, 'predict');
    assertFinite(m, this.typeName);
    const { data, rows: n, cols: d } = m;
    const K = this.classes_!.length;
    const out = new Float64Array(n * K);
    const terms = new Float64Array(d);
    for (let c = 0; c < K; c++) {
      const mu = this.theta_![c];
      const v = this.var_![c];
      for (let j = 0; j < d; j++) terms[j] = Math.log(2 * Math.PI * v[j]);
      const logPrior = Math.log(this.classPrior_![c]);
      const norm = -0.5 * pairwiseSum(terms, 0, d);
      for (let i = 0; i < n; i++) {
        const base = i * d;
        for (let j = 0; j < d; j++) {
          const t = data[base + j] - mu[j];
          terms[j] = (t * t) / v[j];
        }
        out[i * K + c] = logPrior + (norm - 0.5 * pairwiseSum(terms, 0, d));
      }
    }
    return out;
  }

  /** The class with the largest posterior (the first on ties). */
  protected override codesOf(m: Matrix): Int32Array {
    const jll = this.jointLogLikelihood(m);
    const K = this.classes_!.length;
    return argmaxCodes(jll, jll.length / K, K);
  }

  /** Posterior log-probabilities, one column per class. */
  predictLogProba(X: MatrixInput): Matrix {
    const jll = this.jointLogLikelihood(X);
    const K = this.classes_!.length;
    const n = jll.length / K;
    return matrix(logProbaFromJll(jll, n, K), n, K, this.probaColumns());
  }

  /** Posterior probabilities, one column per class. */
  predictProba(X: MatrixInput): Matrix {
    const L = this.predictLogProba(X);
    return matrix(
      L.data.map((v) => Math.exp(v)),
      L.rows,
      L.cols,
      L.columns,
    );
  }

  protected getState(): PlainObject {
    return {
      classes: this.classes_!,
      theta: this.theta_!,
      var: this.var_!,
      classCount: this.classCount_!,
      classPrior: this.classPrior_!,
      epsilon: this.epsilon_!,
    };
  }

  /**
   * Checks the saved shapes (classes × features for theta and var, one value per class for the
   * counts and priors) and values a fit from finite data gives (no NaN; variances, counts and
   * priors ≥ 0), so that a damaged or edited package is refused rather than predicting NaN.
   */
  protected setState(s: PlainObject): void {
    const who = this.typeName;
    const classes = readClasses(who, s);
    const K = classes.length;
    const d = (s.featureNamesIn as string[]).length;
    const perClass = `one per class; ${K} classes`;
    this.theta_ = readRows(who, 'theta', s.theta, K, d, perClass, NOT_NAN);
    this.var_ = readRows(who, 'var', s.var, K, d, perClass, NON_NEGATIVE);
    this.classCount_ = readVector(who, 'classCount', s.classCount, K, perClass, NON_NEGATIVE);
    this.classPrior_ = readVector(who, 'classPrior', s.classPrior, K, perClass, PROBABILITY);
    const epsilon = checkNumber(who, 'epsilon', s.epsilon, true);
    if (epsilon < 0) throw damagedState(who, 'epsilon', `is ${epsilon}, not ≥ 0`);
    this.epsilon_ = epsilon;
    this.classes_ = classes;
  }
}

/**
 * Per-feature mean and (biased) variance of the given rows, as NumPy computes them: without
 * weights `np.mean` / `np.var` (sums accumulated row by row, then divided by the count); with
 * weights `np.average`.
 */
function meanVariance(
  data: Float64Array,
  d: number,
  rows: Int32Array,
  sw: Float64Array | undefined,
): { mean: Float64Array; variance: Float64Array } {
  if (d === 1) return meanVariance1(data, rows, sw);
  const mean = new Float64Array(d);
  const variance = new Float64Array(d);
  if (sw === undefined) {
    const n = rows.length;
    for (const i of rows) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
    for (let j = 0; j < d; j++) mean[j] /= n;
    for (const i of rows) {
      for (let j = 0; j < d; j++) {
        const t = data[i * d + j] - mean[j];
        variance[j] += t * t;
      }
    }
    for (let j = 0; j < d; j++) variance[j] /= n;
    return { mean, variance };
  }
  const w = Float64Array.from(rows, (i) => sw[i]);
  const scl = pairwiseSum(w, 0, w.length);
  rows.forEach((i, r) => {
    for (let j = 0; j < d; j++) mean[j] += data[i * d + j] * w[r];
  });
  for (let j = 0; j < d; j++) mean[j] /= scl;
  rows.forEach((i, r) => {
    for (let j = 0; j < d; j++) {
      const t = data[i * d + j] - mean[j];
      variance[j] += t * t * w[r];
    }
  });
  for (let j = 0; j < d; j++) variance[j] /= scl;
  return { mean, variance };
}

/**
 * {@link meanVariance} of one feature. NumPy reduces an n × 1 array as a contiguous vector, by
 * pairwise summation (not row by row as over the rows of a wider array), so a constant column sums
 * exactly where a running sum drifts (3.3 twenty times) and its variance is 0, not rounding noise.
 */
function meanVariance1(
  data: Float64Array,
  rows: Int32Array,
  sw: Float64Array | undefined,
): { mean: Float64Array; variance: Float64Array } {
  const n = rows.length;
  const x = Float64Array.from(rows, (i) => data[i]);
  const t = new Float64Array(n);
  if (sw === undefined) {
    const mean = pairwiseSum(x, 0, n) / n;
    for (let r = 0; r < n; r++) t[r] = (x[r] - mean) * (x[r] - mean);
    return { mean: Float64Array.of(mean), variance: Float64Array.of(pairwiseSum(t, 0, n) / n) };
  }
  const w = Float64Array.from(rows, (i) => sw[i]);
  const scl = pairwiseSum(w, 0, n);
  for (let r = 0; r < n; r++) t[r] = x[r] * w[r];
  const mean = pairwiseSum(t, 0, n) / scl;
  for (let r = 0; r < n; r++) t[r] = (x[r] - mean) * (x[r] - mean) * w[r];
  return { mean: Float64Array.of(mean), variance: Float64Array.of(pairwiseSum(t, 0, n) / scl) };
}

function checkPriors(who: string, priors: readonly number[], K: number): void {
  if (priors.length !== K) {
    throw new ValidationError(`${who}: priors has ${priors.length} values but y has ${K} classes.`, {
      field: 'priors',
      fix: 'give one prior per class, in sorted class order',
    });
  }
  let sum = 0;
  for (const v of priors) sum += v;
  if (!(Math.abs(sum - 1) <= 1e-8 + 1e-5)) {
    throw new ValidationError(`${who}: priors sum to ${sum}; they must sum to 1.`, {
      field: 'priors',
      fix: 'normalise the priors',
    });
  }
}

const NOT_NAN: ValueRule = { test: (x) => x === x, what: 'a number (not NaN)' };
const NON_NEGATIVE: ValueRule = { test: (x) => x >= 0, what: 'a number ≥ 0' };
// Given priors sum to 1 within 1e-5 (checkPriors), so one may pass 1 by as much.
const PROBABILITY: ValueRule = { test: (x) => x >= 0 && x <= 1 + 1e-4, what: 'a probability in 0..1' };

registerEstimator(GaussianNB);
