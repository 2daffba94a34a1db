/**
 * `KNeighborsClassifier`: k-nearest-neighbour voting (scikit-learn's estimator). Neighbours are
 * found by brute force or a KD-tree with scikit-learn's tie-breaking (see `search.ts`), votes are
 * counted as scikit-learn's `mode` / `weighted_mode` count them, and ties between classes go to
 * the first class — so predictions are the same as scikit-learn's.
 *
 * @module
 */

import { NotFittedError } from '../../core/errors.ts';
import { registerEstimator } from '../../core/estimator.ts';
import type { TargetInput } from '../../core/labels.ts';
import { type Matrix, type MatrixInput, matrix } from '../../core/matrix.ts';
import { pairwiseSum } from '../../core/pairwise-sum.ts';
import type { PlainObject } from '../../core/plain.ts';
import { checkLength, damagedState, readClasses } from '../../core/saved-state.ts';
import { BaseClassifier } from '../base.ts';
import { finiteInput } from './input.ts';
import { checkK, FittedNeighbors, type NeighborsParams, neighborsSchema, neighborWeights } from './params.ts';
import type { KNeighborsResult } from './search.ts';

/**
 * Classifier voting among the k nearest training rows.
 *
 * ```ts
 * const knn = new KNeighborsClassifier({ nNeighbors: 5, weights: 'distance' }).fit(X, y);
 * knn.predict(Xnew);
 * knn.kneighbors(Xnew); // { distances, indices, rows, k }
 * ```
 */
export class KNeighborsClassifier extends BaseClassifier<NeighborsParams> {
  static readonly typeName = 'KNeighborsClassifier';
  static readonly schema = neighborsSchema;

  /** Class code of each training row. */
  private codes: Int32Array | undefined = undefined;
  private fitted: FittedNeighbors | undefined = undefined;

  constructor(params: Partial<NeighborsParams> = {}) {
    super(params);
  }

  /** The search method used: 'brute' or 'kd_tree' (scikit-learn's `_fit_method`). */
  get fitMethod_(): string | undefined {
    return this.fitted?.algorithm;
  }

  /** Stores the training rows and builds the search structure; returns `this`. */
  fit(X: MatrixInput, y: TargetInput): this {
    const m = finiteInput(this.startFit(X), this.typeName);
    this.codes = this.encodeTarget(y, m.rows);
    checkK(this.typeName, this.params.nNeighbors, m.rows);
    this.fitted = FittedNeighbors.fit(m, this.params);
    return this.finishFit(m);
  }

  /**
   * The k nearest training rows of each row of X (default k = nNeighbors), nearest first. Without
   * X, the neighbours of each training row other than itself.
   */
  kneighbors(X?: MatrixInput, nNeighbors?: number): KNeighborsResult {
    const k = nNeighbors ?? this.params.nNeighbors;
    if (!this.isFitted()) throw new NotFittedError(this.typeName, 'kneighbors');
    checkK(this.typeName, k, this.fitted!.n, 'nNeighbors');
    if (X === undefined) return this.fitted!.kneighbors(undefined, k, this.params.nThreads);
    const m = finiteInput(this.checkInput(X, 'kneighbors'), this.typeName);
    return this.fitted!.kneighbors(m, k, this.params.nThreads);
  }

  /** Class probabilities: the (weighted) share of each class among the neighbours. */
  predictProba(X: MatrixInput): Matrix {
    const m = finiteInput(this.checkInput(X, 'predictProba'), this.typeName);
    const nb = this.fitted!.predictionNeighbors(
      this.typeName,
      m,
      this.params.nNeighbors,
      this.params.nThreads,
    );
    const K = this.classes_!.length;
    const { rows, k } = nb;
    const out = new Float64Array(rows * K);
    const w = new Float64Array(k);
    for (let i = 0; i < rows; i++) {
      neighborWeights(this.params.weights, nb.distances, i * k, k, w);
      const o = i * K;
      for (let c = 0; c < k; c++) out[o + this.codes![nb.indices[i * k + c]]] += w[c];
      let norm = pairwiseSum(out, o, K);
      if (norm === 0) norm = 1;
      for (let c = 0; c < K; c++) out[o + c] /= norm;
    }
    return matrix(out, rows, K, this.probaColumns());
  }

  /**
   * The class with the most (weighted) votes among the neighbours; ties go to the first class
   * (scikit-learn's `mode` / `weighted_mode`).
   */
  protected override codesOf(checked: Matrix): Int32Array {
    const m = finiteInput(checked, this.typeName);
    const nb = this.fitted!.predictionNeighbors(
      this.typeName,
      m,
      this.params.nNeighbors,
      this.params.nThreads,
    );
    const K = this.classes_!.length;
    const { rows, k } = nb;
    const w = new Float64Array(k);
    const template = new Float64Array(k);
    const out = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      neighborWeights(this.params.weights, nb.distances, i * k, k, w);
      // As weighted_mode: start from class 0 with score 0 and take a class only when its score
      // is strictly larger, summing a row of weights with zeros for the other classes (np.sum).
      let best = 0;
      let bestScore = 0;
      for (let cls = 0; cls < K; cls++) {
        let present = false;
        for (let c = 0; c < k; c++) {
          const hit = this.codes![nb.indices[i * k + c]] === cls;
          template[c] = hit ? w[c] : 0;
          if (hit) present = true;
        }
        if (!present) continue;
        const score = pairwiseSum(template, 0, k);
        if (score > bestScore) {
          bestScore = score;
          best = cls;
        }
      }
      out[i] = best;
    }
    return out;
  }

  protected getState(): PlainObject {
    return { classes: this.classes_!, codes: this.codes!, neighbors: this.fitted!.toPlain() };
  }

  /**
   * Checks the saved training rows (see {@link FittedNeighbors.fromPlain}), at least two classes,
   * and one class code per training row naming one of them: a damaged or edited package is refused
   * rather than voting for a class that is not there.
   */
  protected setState(state: PlainObject): void {
    const who = this.typeName;
    const d = (state.featureNamesIn as string[]).length;
    const classes = readClasses(who, state);
    const fitted = FittedNeighbors.fromPlain(who, state.neighbors, d);
    const codes = state.codes;
    if (!(codes instanceof Int32Array)) throw damagedState(who, 'codes', 'is missing or not an Int32Array');
    checkLength(who, 'codes', codes, fitted.n, 'one per training row');
    for (let i = 0; i < codes.length; i++) {
      if (codes[i] < 0 || codes[i] >= classes.length) {
        throw damagedState(
          who,
          'codes',
          `holds ${codes[i]} at index ${i}, not a class in 0..${classes.length - 1}`,
        );
      }
    }
    this.classes_ = classes;
    this.codes = codes;
    this.fitted = fitted;
  }
}

registerEstimator(KNeighborsClassifier);
