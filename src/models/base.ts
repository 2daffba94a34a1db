/**
 * What every model family shares: base classes for classifiers, regressors and clusterers on top of
 * the core {@link Estimator} contract, default `score`s (accuracy, R²), and the checks of sample
 * and class weights.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { Estimator } from '../core/estimator.ts';
import {
  asNumericTarget,
  encodeLabels,
  encodeWithClasses,
  type Label,
  type PredictedLabels,
  predictedLabels,
  type TargetInput,
} from '../core/labels.ts';
import type { Matrix, MatrixInput } from '../core/matrix.ts';
import { pairwiseSum } from '../core/pairwise-sum.ts';

/** Fraction of predictions equal to the true labels (compared as strings, so 1 matches "1"). */
export function accuracyOf(pred: ArrayLike<Label>, codesOrLabels: ArrayLike<unknown>): number {
  let hit = 0;
  for (let i = 0; i < pred.length; i++) if (String(pred[i]) === String(codesOrLabels[i])) hit++;
  return pred.length ? hit / pred.length : 0;
}

/**
 * Coefficient of determination R² (1 − SS_res / SS_tot); 1 for a perfect fit, as scikit-learn.
 * With `w`, both sums and the mean of y are weighted (scikit-learn's `r2_score(sample_weight=w)`).
 * Every sum is pairwise, the order in which NumPy reduces the single column `r2_score` makes of y
 * (as the metric `r2Score` does): with a running sum the mean of ten 0.1s is not 0.1, and R² of a
 * constant truth came out near −5e31 instead of 0.
 */
export function r2Of(pred: ArrayLike<number>, y: ArrayLike<number>, w?: ArrayLike<number> | null): number {
  const n = y.length;
  const terms = new Float64Array(n);
  for (let i = 0; i < n; i++) terms[i] = w ? w[i] * y[i] : y[i];
  const mean = pairwiseSum(terms, 0, n) / (w ? pairwiseSum(w, 0, n) : n);
  for (let i = 0; i < n; i++) terms[i] = (w ? w[i] : 1) * (y[i] - pred[i]) ** 2;
  const ssRes = pairwiseSum(terms, 0, n);
  for (let i = 0; i < n; i++) terms[i] = (w ? w[i] : 1) * (y[i] - mean) ** 2;
  const ssTot = pairwiseSum(terms, 0, n);
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

/**
 * Checks per-row weights: `n` finite, non-negative numbers, not all zero — or, with `signed`, any
 * `n` finite numbers (DBSCAN, as scikit-learn's `_check_sample_weight`: negative and all-zero
 * weights allowed). Returns a Float64Array.
 */
export function checkSampleWeight(
  w: ArrayLike<number> | undefined,
  n: number,
  who: string,
  {
    signed = false,
    name = 'sampleWeight',
    xName = 'X',
  }: { signed?: boolean; name?: string; xName?: string } = {},
): Float64Array | undefined {
  if (w === undefined) return undefined;
  if (w.length !== n) {
    throw new ValidationError(`${who}: ${name} has ${w.length} values but ${xName} has ${n} rows.`, {
      field: name,
      fix: `pass one weight per row of ${xName}`,
    });
  }
  const out = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = w[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || (!signed && !(v >= 0))) {
      throw new ValidationError(
        `${who}: ${name}[${i}] is ${v}; weights must be finite${signed ? ' numbers' : ' and ≥ 0'}.`,
        {
          field: name,
          fix: signed
            ? 'replace NaN or infinite weights (negative weights are allowed)'
            : 'use finite weights ≥ 0',
        },
      );
    }
    out[i] = v;
    total += v;
  }
  if (!signed && total <= 0) {
    throw new ValidationError(`${who}: every ${name} is 0.`, {
      field: name,
      fix: 'give at least one row a positive weight',
    });
  }
  return out;
}

/** A class-weight parameter: none, 'balanced' (n / (k · count)), or a weight per class label. */
export type ClassWeight = null | 'balanced' | Record<string, number>;

/**
 * Per-class weights (indexed by class code) for a class-weight parameter, as scikit-learn's
 * `compute_class_weight`. Unknown labels in a record are an error.
 */
export function classWeightVector(
  classWeight: ClassWeight,
  codes: Int32Array,
  classes: readonly Label[],
  who: string,
): Float64Array {
  const k = classes.length;
  const w = new Float64Array(k).fill(1);
  if (classWeight === null) return w;
  if (classWeight === 'balanced') {
    const counts = new Float64Array(k);
    for (let i = 0; i < codes.length; i++) counts[codes[i]]++;
    for (let c = 0; c < k; c++) w[c] = counts[c] > 0 ? codes.length / (k * counts[c]) : 1;
    return w;
  }
  const known = new Map(classes.map((c, i) => [String(c), i]));
  for (const [label, value] of Object.entries(classWeight)) {
    const c = known.get(label);
    if (c === undefined) {
      throw new ValidationError(`${who}: classWeight names class '${label}', which is not in y.`, {
        field: 'classWeight',
        fix: `use the class labels seen in y: ${classes.join(', ')}`,
      });
    }
    w[c] = value;
  }
  return w;
}

/** Base class of classifiers: label encoding, `predict` from `predictProba`, accuracy `score`. */
export abstract class BaseClassifier<P extends object = Record<string, unknown>> extends Estimator<P> {
  readonly kind = 'classifier' as const;
  /** The classes seen in fit, sorted as scikit-learn sorts them. */
  classes_: Label[] | undefined = undefined;

  /** Encodes `y` against the rows of X and stores `classes_`. At least two classes are required. */
  protected encodeTarget(y: TargetInput, n: number, minClasses = 2): Int32Array {
    const { codes, classes } = encodeLabels(y, n, this.typeName);
    if (classes.length < minClasses) {
      throw new ValidationError(
        `${this.typeName}: y has only ${classes.length} class (${classes.map(String).join(', ')}); at least ${minClasses} are needed to fit a classifier.`,
        {
          field: 'y',
          fix: 'check the target column, or use a different split so that every class appears in training',
        },
      );
    }
    this.classes_ = classes;
    return codes;
  }

  /** Codes of `y` against the fitted classes (unknown labels are an error). */
  protected encodeKnown(y: TargetInput, what = 'y'): Int32Array {
    return encodeWithClasses(y, this.classes_!, this.typeName, what);
  }

  /** Class probabilities, one column per class in `classes_` order. */
  abstract predictProba(X: MatrixInput): Matrix;

  /**
   * The most probable class per row (ties go to the first class, as `argmax`): a `Float64Array`
   * when the classes are numbers, strings otherwise ({@link PredictedLabels}).
   */
  predict(X: MatrixInput): PredictedLabels {
    return this.labelsOf(this.checkInput(X, 'predict'));
  }

  /**
   * The predicted labels of rows already checked by `checkInput`: `classes_` looked up by
   * {@link BaseClassifier.codesOf} (models that can write numeric labels directly override this).
   */
  protected labelsOf(m: Matrix): PredictedLabels {
    return predictedLabels(this.codesOf(m), this.classes_!);
  }

  /**
   * The index into `classes_` of each row's predicted class — {@link BaseClassifier.predict}
   * without the labels: `classes_[predictCodes(X)[i]]` is `predict(X)[i]`.
   */
  predictCodes(X: MatrixInput): Int32Array {
    return this.codesOf(this.checkInput(X, 'predictCodes'));
  }

  /**
   * The predicted class indices of rows already checked by `checkInput` (the argmax of
   * `predictProba`; models that can do without the probability matrix override this).
   */
  protected codesOf(m: Matrix): Int32Array {
    const P = this.predictProba(m);
    const k = P.cols;
    const out = new Int32Array(P.rows);
    for (let i = 0; i < P.rows; i++) {
      let best = 0;
      let bestV = P.data[i * k];
      for (let c = 1; c < k; c++) {
        const v = P.data[i * k + c];
        if (v > bestV) {
          bestV = v;
          best = c;
        }
      }
      out[i] = best;
    }
    return out;
  }

  /** Mean accuracy on (X, y). */
  score(X: MatrixInput, y: TargetInput): number {
    const pred = this.codesOf(this.checkInput(X, 'score'));
    const codes = encodeWithClasses(y, this.classes_!, this.typeName);
    let hit = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === codes[i]) hit++;
    return hit / pred.length;
  }

  /** Column names for probability matrices: the class labels as strings. */
  protected probaColumns(): string[] {
    return this.classes_!.map(String);
  }
}

/** Base class of regressors: R² `score`. */
export abstract class BaseRegressor<P extends object = Record<string, unknown>> extends Estimator<P> {
  readonly kind = 'regressor' as const;

  abstract predict(X: MatrixInput): Float64Array;

  /** R² on (X, y). */
  score(X: MatrixInput, y: ArrayLike<number>): number {
    const pred = this.predict(X);
    // A NaN, a string or a short y would otherwise give a silent NaN (or a stack overflow).
    return r2Of(pred, asNumericTarget(y, pred.length, `${this.typeName}.score`));
  }
}

/** Base class of clustering estimators. */
export abstract class BaseClusterer<P extends object = Record<string, unknown>> extends Estimator<P> {
  readonly kind = 'clusterer' as const;
  /** Cluster of each training row (-1 = noise). */
  labels_: Int32Array | undefined = undefined;

  abstract fit(X: MatrixInput): this;

  /** Fits and returns the training labels. */
  fitPredict(X: MatrixInput): Int32Array {
    return this.fit(X).labels_!;
  }
}
