/**
 * `ElasticNet` and `Lasso`: least squares with L1 (and L2) penalties, fitted by coordinate descent
 * with scikit-learn's duality-gap stopping rule (see `coordinate-descent.ts`). The objective is
 * scikit-learn's:
 *
 *     1/(2n) · ‖y − Xw − b‖² + alpha · l1Ratio · ‖w‖₁ + ½ · alpha · (1 − l1Ratio) · ‖w‖²
 *
 * With sample weights the squared errors are weighted, the weights first rescaled to sum to n
 * (as scikit-learn does, so `alpha` means the same with and without weights).
 *
 * @module
 */

import { registerEstimator } from '../../core/estimator.ts';
import type { TargetInput } from '../../core/labels.ts';
import type { MatrixInput } from '../../core/matrix.ts';
import { type ParamsOf, p } from '../../core/params.ts';
import type { PlainObject } from '../../core/plain.ts';
import { checkInt, checkNumber } from '../../core/saved-state.ts';
import { warn } from '../../core/warnings.ts';
import { centerAndWeight } from './common.ts';
import { enetCoordinateDescent, selectionRng } from './coordinate-descent.ts';
import { interceptFrom, type LinearFitOptions, LinearRegressorBase } from './linear-model.ts';

const common = {
  alpha: p.float({
    min: 0,
    default: 1,
    doc: 'penalty strength (0 = least squares, better fitted by LinearRegression)',
  }),
  fitIntercept: p.bool({ default: true, doc: 'fit an intercept (the data are centred first)' }),
  maxIter: p.int({ min: 1, default: 1000, doc: 'maximum coordinate-descent sweeps' }),
  tol: p.float({ gt: 0, default: 1e-4, doc: 'stop when the duality gap is below tol · ‖y‖²' }),
  selection: p.oneOf(['cyclic', 'random'] as const, {
    default: 'cyclic',
    doc: "update coordinates in order ('cyclic') or at random ('random', seeded by seed)",
  }),
  positive: p.bool({ default: false, doc: 'force the coefficients to be ≥ 0' }),
  seed: p.int({ min: 0, default: 0, doc: "seed for selection 'random'" }),
};

const enetSchema = {
  ...common,
  l1Ratio: p.float({ min: 0, max: 1, default: 0.5, doc: 'L1 share of the penalty: 1 = lasso, 0 = ridge' }),
};

/** Parameters of {@link ElasticNet}. */
export type ElasticNetParams = ParamsOf<typeof enetSchema>;
/** Parameters of {@link Lasso}. */
export type LassoParams = ParamsOf<typeof common>;

abstract class CoordinateDescentRegressor<P extends LassoParams> extends LinearRegressorBase<P> {
  /** Coordinate-descent sweeps done. */
  nIter_: number | undefined = undefined;
  /** The final duality gap (divided by n, as scikit-learn reports it). */
  dualGap_: number | undefined = undefined;

  protected abstract l1Ratio(): number;

  /** Fits the model; returns `this`. */
  fit(X: MatrixInput, y: TargetInput, options: LinearFitOptions = {}): this {
    const prepared = this.prepareFit(X, y, options);
    const { X: m, y: target } = prepared;
    let sw = prepared.sw;
    const P = this.params;
    const n = m.rows;
    const pCols = m.cols;
    if (P.alpha === 0) {
      warn(
        'UserWarning',
        `${this.typeName}: with alpha=0 coordinate descent converges badly; use LinearRegression for plain least squares.`,
      );
    }
    if (sw !== undefined) {
      let total = 0;
      for (let i = 0; i < n; i++) total += sw[i];
      const scale = n / total;
      sw = sw.map((v) => v * scale);
    }
    const c = centerAndWeight(m, target, sw, P.fitIntercept);
    // Column-major copy: each coordinate update walks one column.
    const Xc = new Float64Array(n * pCols);
    for (let i = 0; i < n; i++) for (let j = 0; j < pCols; j++) Xc[j * n + i] = c.X[i * pCols + j];
    const ratio = this.l1Ratio();
    const r = enetCoordinateDescent(
      Xc,
      c.y,
      n,
      pCols,
      P.alpha * ratio * n,
      P.alpha * (1 - ratio) * n,
      P.maxIter,
      P.tol,
      P.selection === 'random' ? selectionRng(P.seed) : null,
      P.positive,
    );
    if (!r.converged) {
      warn(
        'ConvergenceWarning',
        `${this.typeName}: objective did not converge after ${P.maxIter} sweeps (duality gap ${r.gap.toExponential(3)}, tolerance ${r.tolScaled.toExponential(3)}). Increase maxIter, scale the features, or increase alpha.`,
      );
    }
    this.coef_ = r.w;
    this.intercept_ = P.fitIntercept ? interceptFrom(c.xOffset, c.yOffset, r.w) : 0;
    this.nIter_ = r.nIter;
    this.dualGap_ = r.gap / n;
    return this.finishFit(m);
  }

  protected override extraState(): PlainObject {
    return { nIter: this.nIter_!, dualGap: this.dualGap_! };
  }

  protected override setExtraState(state: PlainObject): void {
    this.nIter_ = checkInt(this.typeName, 'nIter', state.nIter, 0, Number.MAX_SAFE_INTEGER);
    this.dualGap_ = checkNumber(this.typeName, 'dualGap', state.dualGap, false);
  }
}

/**
 * Linear regression with a combined L1 + L2 penalty (scikit-learn's `ElasticNet`).
 *
 * ```ts
 * const enet = new ElasticNet({ alpha: 0.1, l1Ratio: 0.7 }).fit(X, y);
 * enet.coef_; enet.nIter_; enet.dualGap_;
 * ```
 */
export class ElasticNet extends CoordinateDescentRegressor<ElasticNetParams> {
  static readonly typeName = 'ElasticNet';
  static readonly schema = enetSchema;

  constructor(params: Partial<ElasticNetParams> = {}) {
    super(params);
  }

  protected l1Ratio(): number {
    return this.params.l1Ratio;
  }
}

/**
 * Linear regression with an L1 penalty (scikit-learn's `Lasso`): ElasticNet with l1Ratio = 1.
 *
 * ```ts
 * const lasso = new Lasso({ alpha: 0.1 }).fit(X, y);
 * lasso.coef_;  // sparse: many exact zeros
 * ```
 */
export class Lasso extends CoordinateDescentRegressor<LassoParams> {
  static readonly typeName = 'Lasso';
  static readonly schema = common;

  constructor(params: Partial<LassoParams> = {}) {
    super(params);
  }

  protected l1Ratio(): number {
    return 1;
  }
}

registerEstimator(ElasticNet);
registerEstimator(Lasso);
