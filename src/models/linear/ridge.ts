/**
 * `Ridge`: least squares with an L2 penalty, ‖y − Xw‖² + α‖w‖² (scikit-learn's estimator).
 *
 * Solvers (as scikit-learn's): `cholesky` — (XᵀX + αI)w = Xᵀy by a Cholesky factorisation, or,
 * when there are more columns than rows, the kernel form (XXᵀ + αI)a = y, w = Xᵀa; `svd` — from
 * the singular values of X (computed by QR then SVD, see `least-squares.ts`), the more robust
 * choice for ill-conditioned data. `auto` uses cholesky and falls back to svd when the system is
 * singular (α = 0 with collinear columns) — with a `UserWarning` for the kernel form, as
 * scikit-learn warns there.
 *
 * @module
 */

import { registerEstimator } from '../../core/estimator.ts';
import type { TargetInput } from '../../core/labels.ts';
import type { MatrixInput } from '../../core/matrix.ts';
import { type ParamsOf, p } from '../../core/params.ts';
import { warn } from '../../core/warnings.ts';
import { centerAndWeight } from './common.ts';
import { leastSquaresFactors, ridgeSvdSolution } from './least-squares.ts';
import { interceptFrom, type LinearFitOptions, LinearRegressorBase } from './linear-model.ts';
import { mlMatrix } from './ml-matrix.ts';

const schema = {
  alpha: p.float({ min: 0, default: 1, doc: 'L2 penalty strength α' }),
  fitIntercept: p.bool({
    default: true,
    doc: 'fit an intercept (never penalised; the data are centred first)',
  }),
  solver: p.oneOf(['auto', 'cholesky', 'svd'] as const, {
    default: 'auto',
    doc: "'cholesky' (normal equations or kernel form), 'svd', or 'auto' (cholesky, svd if singular)",
  }),
};

/** Parameters of {@link Ridge}. */
export type RidgeParams = ParamsOf<typeof schema>;

/**
 * Ridge regression.
 *
 * ```ts
 * const ridge = new Ridge({ alpha: 0.5 }).fit(X, y, { sampleWeight });
 * ridge.coef_; ridge.predict(X);
 * ```
 */
export class Ridge extends LinearRegressorBase<RidgeParams> {
  static readonly typeName = 'Ridge';
  static readonly schema = schema;

  constructor(params: Partial<RidgeParams> = {}) {
    super(params);
  }

  /** Fits the model; returns `this`. */
  fit(X: MatrixInput, y: TargetInput, options: LinearFitOptions = {}): this {
    const { X: m, y: target, sw } = this.prepareFit(X, y, options);
    const { alpha, fitIntercept, solver } = this.params;
    const c = centerAndWeight(m, target, sw, fitIntercept);
    let coef: Float64Array | null = null;
    if (solver !== 'svd') {
      coef = solveCholesky(c.X, c.y, m.rows, m.cols, alpha);
      // scikit-learn warns when the kernel form (more columns than rows) is singular; falling
      // back from the normal equations it does not.
      if (coef === null && m.cols > m.rows) {
        warn(
          'UserWarning',
          'Ridge: singular matrix in solving the dual problem (more columns than rows, alpha too small); using the least-squares (SVD) solution instead.',
        );
      }
    }
    if (coef === null) coef = ridgeSvdSolution(leastSquaresFactors(c.X, c.y, m.rows, m.cols), alpha);
    this.coef_ = coef;
    this.intercept_ = fitIntercept ? interceptFrom(c.xOffset, c.yOffset, coef) : 0;
    return this.finishFit(m);
  }
}

/** The Cholesky solution, or null when the system is not positive definite. */
function solveCholesky(
  X: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  alpha: number,
): Float64Array | null {
  const { CholeskyDecomposition, Matrix } = mlMatrix();
  if (p <= n) {
    const A = new Float64Array(p * p);
    const b = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      const base = i * p;
      const yi = y[i];
      for (let a = 0; a < p; a++) {
        const xa = X[base + a];
        if (xa === 0) continue;
        b[a] += xa * yi;
        const row = a * p;
        for (let c = a; c < p; c++) A[row + c] += xa * X[base + c];
      }
    }
    const M = new Matrix(p, p);
    for (let a = 0; a < p; a++) {
      for (let c = a; c < p; c++) {
        const v = A[a * p + c] + (a === c ? alpha : 0);
        M.set(a, c, v);
        M.set(c, a, v);
      }
    }
    const chol = new CholeskyDecomposition(M);
    if (!chol.isPositiveDefinite()) return null;
    const sol = chol.solve(Matrix.columnVector(Array.from(b)));
    return Float64Array.from(sol.getColumn(0));
  }
  // Kernel form: (XXᵀ + αI) a = y, w = Xᵀ a.
  const K = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let k = i; k < n; k++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += X[i * p + j] * X[k * p + j];
      if (i === k) s += alpha;
      K.set(i, k, s);
      K.set(k, i, s);
    }
  }
  const chol = new CholeskyDecomposition(K);
  if (!chol.isPositiveDefinite()) return null;
  const dual = chol.solve(Matrix.columnVector(Array.from(y))).getColumn(0);
  const coef = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) coef[j] += X[i * p + j] * dual[i];
  return coef;
}

registerEstimator(Ridge);
