/**
 * `MultinomialNB`: naive Bayes for counts or frequencies (word counts, tf-idf), scikit-learn's
 * estimator with additive (Laplace/Lidstone) smoothing `alpha`.
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
import { readClasses, readRows, readVector, type ValueRule } from '../../core/saved-state.ts';
import { warn } from '../../core/warnings.ts';
import { BaseClassifier, checkSampleWeight } from '../base.ts';
import type { NaiveBayesFitOptions } from './gaussian-nb.ts';
import { argmaxCodes, logProbaFromJll } from './joint-log-likelihood.ts';

/** scikit-learn's smallest usable alpha; smaller values are raised to it unless forceAlpha. */
const ALPHA_MIN = 1e-10;

const schema = {
  alpha: p.float({ min: 0, default: 1, doc: 'additive smoothing (1 = Laplace)' }),
  fitPrior: p.bool({ default: true, doc: 'learn class priors from the data (false = uniform)' }),
  classPrior: p.nullable(p.array(p.float({ min: 0 }), { minLength: 1 }), {
    default: null,
    doc: 'prior of each class, in class order (overrides fitPrior)',
  }),
  forceAlpha: p.bool({ default: false, doc: `keep alpha even below ${ALPHA_MIN} (may give log(0))` }),
};

/** Parameters of {@link MultinomialNB}. */
export type MultinomialNBParams = ParamsOf<typeof schema>;

/**
 * Multinomial naive Bayes for non-negative features.
 *
 * ```ts
 * const nb = new MultinomialNB({ alpha: 0.5 }).fit(counts, labels);
 * nb.predict(counts); nb.featureLogProb_;
 * ```
 */
export class MultinomialNB extends BaseClassifier<MultinomialNBParams> {
  static readonly typeName = 'MultinomialNB';
  static readonly schema = schema;

  /** (Weighted) sum of each feature per class: one row per class. */
  featureCount_: Float64Array[] | undefined = undefined;
  /** (Weighted) number of training rows per class. */
  classCount_: Float64Array | undefined = undefined;
  /** log P(feature | class), smoothed: one row per class. */
  featureLogProb_: Float64Array[] | undefined = undefined;
  /** log P(class). */
  classLogPrior_: Float64Array | undefined = undefined;

  constructor(params: Partial<MultinomialNBParams> = {}) {
    super(params);
  }

  /** Counts features per class and smooths them; returns `this`. */
  fit(X: MatrixInput, y: TargetInput, options: NaiveBayesFitOptions = {}): this {
    const m = this.startFit(X);
    assertFinite(m, this.typeName);
    checkNonNegative(m, this.typeName);
    const codes = this.encodeTarget(y, m.rows);
    const K = this.classes_!.length;
    const sw = checkSampleWeight(options.sampleWeight, m.rows, this.typeName);
    const { data, rows: n, cols: d } = m;
    const P = this.params;
    if (P.classPrior !== null && P.classPrior.length !== K) {
      throw new ValidationError(
        `${this.typeName}: classPrior has ${P.classPrior.length} values but y has ${K} classes.`,
        { field: 'classPrior', fix: 'give one prior per class, in sorted class order' },
      );
    }

    const fc = Array.from({ length: K }, () => new Float64Array(d));
    const cc = new Float64Array(K);
    for (let i = 0; i < n; i++) {
      const c = codes[i];
      const w = sw === undefined ? 1 : sw[i];
      const row = fc[c];
      const base = i * d;
      for (let j = 0; j < d; j++) row[j] += w * data[base + j];
      cc[c] += w;
    }

    let alpha = P.alpha;
    if (alpha < ALPHA_MIN && !P.forceAlpha) {
      warn(
        'UserWarning',
        `${this.typeName}: alpha=${alpha} is too small and would give log(0); using alpha=${ALPHA_MIN}. Pass forceAlpha: true to keep it.`,
      );
      alpha = ALPHA_MIN;
    }
    const flp = fc.map((row) => {
      const smoothed = row.map((v) => v + alpha);
      const logTotal = Math.log(pairwiseSum(smoothed, 0, d));
      return smoothed.map((v) => Math.log(v) - logTotal);
    });
    let clp: Float64Array;
    if (P.classPrior !== null) clp = Float64Array.from(P.classPrior, (v) => Math.log(v));
    else if (P.fitPrior) {
      const logTotal = Math.log(pairwiseSum(cc, 0, K));
      clp = cc.map((v) => Math.log(v) - logTotal);
    } else clp = new Float64Array(K).fill(-Math.log(K));

    this.featureCount_ = fc;
    this.classCount_ = cc;
    this.featureLogProb_ = flp;
    this.classLogPrior_ = clp;
    return this.finishFit(m);
  }

  /** Joint log-likelihood X · featureLogProbᵀ + classLogPrior (n × K, row-major). */
  jointLogLikelihood(X: MatrixInput): Float64Array {
    const m = this.checkInput(X, 'predict');
    assertFinite(m, this.typeName);
    const { data, rows: n, cols: d } = m;
    const K = this.classes_!.length;
    const out = new Float64Array(n * K);
    for (let i = 0; i < n; i++) {
      const base = i * d;
      for (let c = 0; c < K; c++) {
        const f = this.featureLogProb_![c];
        let s = 0;
        for (let j = 0; j < d; j++) s += data[base + j] * f[j];
        out[i * K + c] = s + this.classLogPrior_![c];
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
      featureCount: this.featureCount_!,
      classCount: this.classCount_!,
      featureLogProb: this.featureLogProb_!,
      classLogPrior: this.classLogPrior_!,
    };
  }

  /**
   * Checks the saved shapes (classes × features for the feature counts and log-probabilities, one
   * value per class for the class counts and log-priors) and values a fit from non-negative finite
   * counts gives (counts ≥ 0, log-probabilities ≤ 0 or −∞, NaN only with forceAlpha and alpha 0), so that a damaged or edited
   * package is refused rather than predicting NaN.
   */
  protected setState(s: PlainObject): void {
    const who = this.typeName;
    const classes = readClasses(who, s);
    const K = classes.length;
    const d = (s.featureNamesIn as string[]).length;
    const perClass = `one per class; ${K} classes`;
    this.featureCount_ = readRows(who, 'featureCount', s.featureCount, K, d, perClass, NON_NEGATIVE);
    this.classCount_ = readVector(who, 'classCount', s.classCount, K, perClass, NON_NEGATIVE);
    const zeroAlpha = this.params.alpha === 0 && this.params.forceAlpha;
    const flpRule = zeroAlpha ? LOG_PROBABILITY_OR_NAN : LOG_PROBABILITY;
    this.featureLogProb_ = readRows(who, 'featureLogProb', s.featureLogProb, K, d, perClass, flpRule);
    this.classLogPrior_ = readVector(who, 'classLogPrior', s.classLogPrior, K, perClass, LOG_PRIOR);
    this.classes_ = classes;
  }
}

/** Throws a ValidationError naming the first negative value's column and row. */
function checkNonNegative(m: Matrix, who: string): void {
  const { data, cols } = m;
  for (let k = 0; k < data.length; k++) {
    if (data[k] < 0) {
      const j = k % cols;
      throw new ValidationError(
        `${who} needs non-negative counts or frequencies: column '${m.columns[j]}' has ${data[k]} at row ${Math.floor(k / cols)}.`,
        {
          field: m.columns[j],
          fix: 'use GaussianNB for real-valued features, or rescale them to be ≥ 0 (e.g. MinMaxScaler)',
        },
      );
    }
  }
}

const NON_NEGATIVE: ValueRule = { test: (x) => x >= 0, what: 'a number ≥ 0' };
// Logs of probabilities: ≤ 0 up to rounding, −∞ for a zero probability, never NaN (but 0/0 with
// alpha = 0, which only forceAlpha keeps).
const LOG_PROBABILITY: ValueRule = { test: (x) => x <= 1e-9, what: 'the logarithm of a probability' };
const LOG_PROBABILITY_OR_NAN: ValueRule = {
  test: (x) => !(x > 1e-9),
  what: 'the logarithm of a probability',
};
// Logs of priors: given priors need not sum to 1, so any number but NaN and +∞.
const LOG_PRIOR: ValueRule = {
  test: (x) => x === x && x !== Number.POSITIVE_INFINITY,
  what: 'the logarithm of a prior',
};

registerEstimator(MultinomialNB);
