/**
 * What the linear regressors share: `coef_`/`intercept_`, `predict = X·coef + intercept`, target
 * and weight checks, and the serialised state.
 *
 * @module
 */

import type { TargetInput } from '../../core/labels.ts';
import { asNumericTarget } from '../../core/labels.ts';
import type { Matrix, MatrixInput } from '../../core/matrix.ts';
import type { PlainObject } from '../../core/plain.ts';
import { BaseRegressor, checkSampleWeight } from '../base.ts';
import { assertFiniteScores, finiteMatrix, linearPredict } from './common.ts';

/** Options of a linear regressor's `fit`. */
export interface LinearFitOptions {
  /** One non-negative weight per row. */
  sampleWeight?: ArrayLike<number>;
}

/** The checked inputs of a linear regressor's fit. */
export interface LinearFitInput {
  X: Matrix;
  y: Float64Array;
  sw: Float64Array | undefined;
}

/** Base class of LinearRegression, Ridge, Lasso and ElasticNet. */
export abstract class LinearRegressorBase<P extends object> extends BaseRegressor<P> {
  /** Coefficients, one per column of X. */
  coef_: Float64Array | undefined = undefined;
  /** The intercept (0 when `fitIntercept` is false). */
  intercept_: number | undefined = undefined;

  /** Validates parameters and inputs (finite X, numeric y of the right length, weights). */
  protected prepareFit(X: MatrixInput, y: TargetInput, options: LinearFitOptions): LinearFitInput {
    const m = finiteMatrix(this.startFit(X), this.typeName);
    const target = asNumericTarget(y, m.rows, this.typeName);
    const sw = checkSampleWeight(options.sampleWeight, m.rows, this.typeName);
    return { X: m, y: target, sw };
  }

  /** X·coef_ + intercept_. */
  predict(X: MatrixInput): Float64Array {
    const m = this.checkInput(X, 'predict');
    const out = linearPredict(m, this.coef_!, this.intercept_!);
    assertFiniteScores(out, m, this.typeName);
    return out;
  }

  /** Extra fitted state of a subclass. */
  protected extraState(): PlainObject {
    return {};
  }

  /** Restores {@link LinearRegressorBase.extraState}. */
  protected setExtraState(_state: PlainObject): void {}

  protected getState(): PlainObject {
    return { coef: this.coef_!, intercept: this.intercept_!, ...this.extraState() };
  }

  protected setState(state: PlainObject): void {
    this.coef_ = state.coef as Float64Array;
    this.intercept_ = state.intercept as number;
    this.setExtraState(state);
  }
}

/** intercept = yOffset − xOffset·coef (scikit-learn's `_set_intercept`). */
export function interceptFrom(xOffset: Float64Array, yOffset: number, coef: Float64Array): number {
  let s = 0;
  for (let j = 0; j < coef.length; j++) s += xOffset[j] * coef[j];
  return yOffset - s;
}
