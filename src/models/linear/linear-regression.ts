/**
 * `LinearRegression`: ordinary least squares (scikit-learn's estimator).
 *
 * Solved by QR + SVD (see `least-squares.ts`), never by the normal equations, so ill-conditioned
 * designs (Longley-like data) keep their accuracy. With exactly collinear columns the problem has
 * many solutions; like scikit-learn (LAPACK `gelsd`) the minimum-norm one is returned and `rank_`
 * is below the number of columns.
 *
 * @module
 */

import { registerEstimator } from '../../core/estimator.ts';
import type { TargetInput } from '../../core/labels.ts';
import type { MatrixInput } from '../../core/matrix.ts';
import { type ParamsOf, p } from '../../core/params.ts';
import type { PlainObject } from '../../core/plain.ts';
import { checkInt, damagedState } from '../../core/saved-state.ts';
import { centerAndWeight } from './common.ts';
import { leastSquaresFactors, minNormSolution } from './least-squares.ts';
import { interceptFrom, type LinearFitOptions, LinearRegressorBase } from './linear-model.ts';

const schema = {
  fitIntercept: p.bool({ default: true, doc: 'fit an intercept (the data are centred first)' }),
};

/** Parameters of {@link LinearRegression}. */
export type LinearRegressionParams = ParamsOf<typeof schema>;

/**
 * Ordinary least squares.
 *
 * ```ts
 * const ols = new LinearRegression().fit(X, y);
 * ols.coef_; ols.intercept_; ols.rank_;
 * ols.predict(X);
 * ```
 */
export class LinearRegression extends LinearRegressorBase<LinearRegressionParams> {
  static readonly typeName = 'LinearRegression';
  static readonly schema = schema;

  /** Numerical rank of the (centred, weighted) design. */
  rank_: number | undefined = undefined;
  /** Singular values of the (centred, weighted) design, largest first. */
  singular_: Float64Array | undefined = undefined;

  constructor(params: Partial<LinearRegressionParams> = {}) {
    super(params);
  }

  /** Fits the model; returns `this`. */
  fit(X: MatrixInput, y: TargetInput, options: LinearFitOptions = {}): this {
    const { X: m, y: target, sw } = this.prepareFit(X, y, options);
    const c = centerAndWeight(m, target, sw, this.params.fitIntercept);
    const factors = leastSquaresFactors(c.X, c.y, m.rows, m.cols);
    const { coef, rank } = minNormSolution(factors);
    this.coef_ = coef;
    this.intercept_ = this.params.fitIntercept ? interceptFrom(c.xOffset, c.yOffset, coef) : 0;
    this.rank_ = rank;
    this.singular_ = factors.s;
    return this.finishFit(m);
  }

  protected override extraState(): PlainObject {
    return { rank: this.rank_!, singular: this.singular_! };
  }

  protected override setExtraState(state: PlainObject): void {
    const who = this.typeName;
    this.rank_ = checkInt(who, 'rank', state.rank, 0, Number.MAX_SAFE_INTEGER);
    if (!(state.singular instanceof Float64Array)) {
      throw damagedState(who, 'singular', 'is missing or not a Float64Array');
    }
    this.singular_ = state.singular;
  }
}

registerEstimator(LinearRegression);
