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
import { checkLength, checkNumber, damagedState } from '../../core/saved-state.ts';
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

  /**
   * Checks the saved coefficients against the input width (one per column of X) and the intercept
   * for a number, so that a damaged or edited package is refused rather than predicting NaN.
   */
  protected setState(state: PlainObject): void {
    const who = this.typeName;
    const coef = state.coef;
    if (!(coef instanceof Float64Array)) throw damagedState(who, 'coef', 'is missing or not a Float64Array');
    checkLength(who, 'coef', coef, (state.featureNamesIn as string[]).length, 'one per input feature');
    this.coef_ = coef;
    this.intercept_ = checkNumber(who, 'intercept', state.intercept, false);
    this.setExtraState(state);
  }
}

/** intercept = yOffset − xOffset·coef (scikit-learn's `_set_intercept`). */
export function interceptFrom(xOffset: Float64Array, yOffset: number, coef: Float64Array): number {
  let s = 0;
  for (let j = 0; j < coef.length; j++) s += xOffset[j] * coef[j];
  return yOffset - s;
}
