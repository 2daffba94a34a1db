/**
 * Least squares without the normal equations: a QR factorisation of [X y] (Householder, from
 * `ml-matrix`), streamed over blocks of rows (TSQR: the R factor of the rows so far is stacked on
 * the next block and factorised again), then an SVD of the small p × p triangle (`ml-matrix`).
 * Since X = QR with orthonormal Q, R has X's singular values and X⁺y = R⁺Qᵀy, so
 *
 * - the minimum-norm least-squares solution — what LAPACK's `gelsd` (SciPy's `lstsq`, used by
 *   scikit-learn's LinearRegression) returns — comes from the SVD of R, with singular values at or
 *   below a cutoff treated as zero (rank deficiency: exactly collinear columns);
 * - the ridge solution of scikit-learn's `svd` solver, V·diag(s/(s²+α))·Uᵀ·y, comes from the same
 *   factors;
 *
 * and memory stays O(block · p) whatever the number of rows. The conditioning of X, not of XᵀX,
 * governs the accuracy.
 *
 * @module
 */

import type { Matrix as MlMatrix } from 'ml-matrix';
import { mlMatrix } from './ml-matrix.ts';

/** Rows factorised at a time. */
const QR_BLOCK = 4096;

/** The SVD of a least-squares problem: X = U·diag(s)·Vᵀ and Uᵀy. */
export interface LeastSquaresFactors {
  /** Singular values of X, largest first (length min(n, p)). */
  s: Float64Array;
  /** Right singular vectors, p × r column by column: V[j][k] = component j of vector k. */
  V: number[][];
  /** Uᵀy, length r = s.length. */
  uty: Float64Array;
  /** Number of rows. */
  n: number;
  p: number;
}

function blockToMl(
  X: Float64Array,
  y: Float64Array,
  p: number,
  start: number,
  end: number,
  prev: MlMatrix | null,
): MlMatrix {
  const top = prev ? prev.rows : 0;
  const out = new (mlMatrix().Matrix)(top + (end - start), p + 1);
  if (prev) for (let i = 0; i < top; i++) for (let j = 0; j <= p; j++) out.set(i, j, prev.get(i, j));
  for (let i = start; i < end; i++) {
    const r = top + i - start;
    const base = i * p;
    for (let j = 0; j < p; j++) out.set(r, j, X[base + j]);
    out.set(r, p, y[i]);
  }
  return out;
}

/**
 * Factors of the least-squares problem min ‖Xw − y‖ for a row-major n × p matrix `X`.
 */
export function leastSquaresFactors(
  X: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
): LeastSquaresFactors {
  const { Matrix, QrDecomposition, SingularValueDecomposition } = mlMatrix();
  if (n < p + 1) {
    // Wide (or square) problem: the SVD of X itself.
    const A = new Matrix(n, p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) A.set(i, j, X[i * p + j]);
    const svd = new SingularValueDecomposition(A, { autoTranspose: true });
    const U = svd.leftSingularVectors;
    const Vm = svd.rightSingularVectors;
    const r = Math.min(n, p);
    const s = Float64Array.from(svd.diagonal.slice(0, r));
    const uty = new Float64Array(r);
    for (let k = 0; k < r; k++) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += U.get(i, k) * y[i];
      uty[k] = acc;
    }
    const V = Array.from({ length: p }, (_, j) => Array.from({ length: r }, (_, k) => Vm.get(j, k)));
    return { s, V, uty, n, p };
  }
  // TSQR over blocks of rows.
  let R: MlMatrix | null = null;
  for (let start = 0; start < n; start += QR_BLOCK) {
    const end = Math.min(n, start + QR_BLOCK);
    const stacked = blockToMl(X, y, p, start, end, R);
    if (stacked.rows < p + 1) {
      // A short last block: pad with zero rows (they change nothing).
      const padded = Matrix.zeros(p + 1, p + 1);
      for (let i = 0; i < stacked.rows; i++) for (let j = 0; j <= p; j++) padded.set(i, j, stacked.get(i, j));
      R = new QrDecomposition(padded).upperTriangularMatrix;
    } else {
      R = new QrDecomposition(stacked).upperTriangularMatrix;
    }
  }
  // R of [X y] = [[R_x, Qᵀy], [0, ρ]].
  const Rx = new Matrix(p, p);
  const qty = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) Rx.set(i, j, R!.get(i, j));
    qty[i] = R!.get(i, p);
  }
  const svd = new SingularValueDecomposition(Rx);
  const U = svd.leftSingularVectors;
  const Vm = svd.rightSingularVectors;
  const s = Float64Array.from(svd.diagonal);
  const uty = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    let acc = 0;
    for (let i = 0; i < p; i++) acc += U.get(i, k) * qty[i];
    uty[k] = acc;
  }
  const V = Array.from({ length: p }, (_, j) => Array.from({ length: p }, (_, k) => Vm.get(j, k)));
  return { s, V, uty, n, p };
}

/**
 * The rank cutoff: singular values ≤ max(n, p) · ε · s_max count as zero (NumPy's `lstsq`
 * default). SciPy's `lstsq`, which scikit-learn calls, uses ε · s_max; the larger cutoff also
 * catches an exact collinearity that rounding has turned into a singular value of a few ε.
 */
export function rankCutoff(f: LeastSquaresFactors): number {
  const smax = f.s.length ? f.s[0] : 0;
  return Math.max(f.n, f.p) * 2.220446049250313e-16 * smax;
}

/** The minimum-norm least-squares solution and the numerical rank. */
export function minNormSolution(f: LeastSquaresFactors): { coef: Float64Array; rank: number } {
  const cutoff = rankCutoff(f);
  const coef = new Float64Array(f.p);
  let rank = 0;
  for (let k = 0; k < f.s.length; k++) {
    if (!(f.s[k] > cutoff)) continue;
    rank++;
    const c = f.uty[k] / f.s[k];
    for (let j = 0; j < f.p; j++) coef[j] += f.V[j][k] * c;
  }
  return { coef, rank };
}

/** The ridge solution V·diag(s / (s² + α))·Uᵀy (scikit-learn's `_solve_svd`, which drops s ≤ 1e-15). */
export function ridgeSvdSolution(f: LeastSquaresFactors, alpha: number): Float64Array {
  const coef = new Float64Array(f.p);
  for (let k = 0; k < f.s.length; k++) {
    const s = f.s[k];
    if (!(s > 1e-15)) continue;
    const c = (s / (s * s + alpha)) * f.uty[k];
    for (let j = 0; j < f.p; j++) coef[j] += f.V[j][k] * c;
  }
  return coef;
}
