/**
 * `KNeighborsRegressor`: the (distance-weighted) mean target of the k nearest training rows
 * (scikit-learn's estimator; the same neighbour search as `KNeighborsClassifier`).
 *
 * @module
 */

import { NotFittedError } from '../../core/errors.ts';
import { registerEstimator } from '../../core/estimator.ts';
import { asNumericTarget, type TargetInput } from '../../core/labels.ts';
import type { MatrixInput } from '../../core/matrix.ts';
import { pairwiseSum } from '../../core/pairwise-sum.ts';
import type { PlainObject } from '../../core/plain.ts';
import { FINITE, readVector } from '../../core/saved-state.ts';
import { BaseRegressor } from '../base.ts';
import { finiteInput } from './input.ts';
import { checkK, FittedNeighbors, type NeighborsParams, neighborsSchema, neighborWeights } from './params.ts';
import type { KNeighborsResult } from './search.ts';

/**
 * Regressor averaging the targets of the k nearest training rows.
 *
 * ```ts
 * const knn = new KNeighborsRegressor({ nNeighbors: 10, weights: 'distance' }).fit(X, y);
 * knn.predict(Xnew);
 * ```
 */
export class KNeighborsRegressor extends BaseRegressor<NeighborsParams> {
  static readonly typeName = 'KNeighborsRegressor';
  static readonly schema = neighborsSchema;

  private target: Float64Array | undefined = undefined;
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
    this.target = asNumericTarget(y, m.rows, this.typeName);
    checkK(this.typeName, this.params.nNeighbors, m.rows);
    this.fitted = FittedNeighbors.fit(m, this.params);
    return this.finishFit(m);
  }

  /** See {@link KNeighborsClassifier.kneighbors}. */
  kneighbors(X?: MatrixInput, nNeighbors?: number): KNeighborsResult {
    const k = nNeighbors ?? this.params.nNeighbors;
    if (!this.isFitted()) throw new NotFittedError(this.typeName, 'kneighbors');
    checkK(this.typeName, k, this.fitted!.n, 'nNeighbors');
    if (X === undefined) return this.fitted!.kneighbors(undefined, k, this.params.nThreads);
    const m = finiteInput(this.checkInput(X, 'kneighbors'), this.typeName);
    return this.fitted!.kneighbors(m, k, this.params.nThreads);
  }

  /** Mean (uniform) or 1/distance-weighted mean of the neighbours' targets. */
  predict(X: MatrixInput): Float64Array {
    const m = finiteInput(this.checkInput(X, 'predict'), this.typeName);
    const nb = this.fitted!.predictionNeighbors(
      this.typeName,
      m,
      this.params.nNeighbors,
      this.params.nThreads,
    );
    const { rows, k } = nb;
    const out = new Float64Array(rows);
    const yk = new Float64Array(k);
    const w = new Float64Array(k);
    for (let i = 0; i < rows; i++) {
      for (let c = 0; c < k; c++) yk[c] = this.target![nb.indices[i * k + c]];
      if (this.params.weights === 'uniform') {
        out[i] = pairwiseSum(yk, 0, k) / k;
      } else {
        neighborWeights('distance', nb.distances, i * k, k, w);
        const den = pairwiseSum(w, 0, k);
        for (let c = 0; c < k; c++) yk[c] *= w[c];
        out[i] = pairwiseSum(yk, 0, k) / den;
      }
    }
    return out;
  }

  protected getState(): PlainObject {
    return { target: this.target!, neighbors: this.fitted!.toPlain() };
  }

  /**
   * Checks the saved training rows (see {@link FittedNeighbors.fromPlain}) and one finite target
   * per training row: a damaged or edited package is refused rather than predicting NaN.
   */
  protected setState(state: PlainObject): void {
    const who = this.typeName;
    const d = (state.featureNamesIn as string[]).length;
    const fitted = FittedNeighbors.fromPlain(who, state.neighbors, d);
    this.target = readVector(who, 'target', state.target, fitted.n, 'one per training row', FINITE);
    this.fitted = fitted;
  }
}

registerEstimator(KNeighborsRegressor);
