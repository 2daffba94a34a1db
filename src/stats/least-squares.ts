/**
 * The least-squares core shared by OLS, its diagnostics and logistic regression: a pivoted
 * Householder QR of the design (never the normal equations — Longley-type designs lose half
 * their digits that way), the rank from the singular values of R, and a clear error naming the
 * collinear columns when the design is singular.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import {
  applyQt,
  invertUpper,
  numericalRank,
  type PivotedQR,
  pivotedQR,
  singularValues,
  solveUpper,
  upperR,
} from './linalg.ts';

/** A full-rank least-squares fit of y on the columns of X (column-major n×p). */
export interface LeastSquaresFit {
  n: number;
  p: number;
  /** Coefficients, in the original column order. */
  beta: Float64Array;
  /** Fitted values Xβ. */
  fitted: Float64Array;
  /** Residuals y − Xβ. */
  residuals: Float64Array;
  /** Residual sum of squares. */
  ssr: number;
  /** The QR factorisation (columns permuted). */
  qr: PivotedQR;
  /** R⁻¹ in the permuted order (upper triangular, column-major p×p). */
  rInv: Float64Array;
  /** Singular values of X, descending. */
  singularValues: Float64Array;
}

/** (XᵀX)⁻¹ in the original column order, as a row-major p×p array (from R⁻¹: P R⁻¹R⁻ᵀ Pᵀ). */
export function xtxInverse(fit: LeastSquaresFit): Float64Array {
  const { p, rInv, qr } = fit;
  const out = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      // (R⁻¹R⁻ᵀ)[a][b] = Σ_k R⁻¹[a][k] R⁻¹[b][k], k ≥ max(a, b)
      let s = 0;
      for (let k = b; k < p; k++) s += rInv[k * p + a] * rInv[k * p + b];
      const ia = qr.perm[a];
      const ib = qr.perm[b];
      out[ia * p + ib] = s;
      out[ib * p + ia] = s;
    }
  }
  return out;
}

/**
 * The singular-design error: which columns are (numerically) combinations of which, from the
 * pivoted QR — the columns pivoted past the rank, each expressed in the independent ones.
 */
function singularError(f: PivotedQR, rank: number, names: readonly string[], who: string): ValidationError {
  const { p, perm } = f;
  const R11 = upperR(f, rank);
  const parts: string[] = [];
  for (let k = rank; k < p; k++) {
    const dep = names[perm[k]];
    const rhs = new Float64Array(rank);
    for (let i = 0; i < rank; i++) rhs[i] = f.qr[k * f.n + i];
    const c = rank > 0 ? solveUpper(R11, rank, rhs) : rhs;
    let maxC = 0;
    for (const v of c) maxC = Math.max(maxC, Math.abs(v));
    const combo: string[] = [];
    for (let i = 0; i < rank; i++) {
      if (Math.abs(c[i]) > 1e-8 * Math.max(1, maxC)) combo.push(`${fmtCoef(c[i])}·${names[perm[i]]}`);
    }
    parts.push(
      combo.length ? `'${dep}' = ${combo.join(' + ').replace(/\+ -/g, '− ')}` : `'${dep}' is all zeros`,
    );
  }
  const deps = Array.from(perm.slice(rank), (j) => `'${names[j]}'`);
  return new ValidationError(
    `${who}: the design matrix is singular (rank ${rank} of ${p} columns): ${parts.join('; ')}.`,
    {
      field: 'formula',
      expected: 'linearly independent columns',
      actual: deps.join(', '),
      fix: `drop ${deps.length === 1 ? deps[0] : `one of ${deps.join(', ')}`} (or the term it comes from), or check for a level with no rows`,
    },
  );
}

function fmtCoef(v: number): string {
  const r = Number(v.toPrecision(6));
  return String(r);
}

/**
 * Least squares of y on X (column-major n×p) by pivoted QR. A rank-deficient X is an error
 * naming the collinear columns (`names`).
 */
export function leastSquares(
  X: Float64Array,
  n: number,
  p: number,
  y: Float64Array,
  names: readonly string[],
  who = 'ols',
): LeastSquaresFit {
  if (n < p) {
    throw new ValidationError(
      `${who}: ${n} rows for ${p} coefficients; a least-squares fit needs at least as many rows as coefficients.`,
      {
        field: 'formula',
        expected: `at least ${p} complete rows`,
        actual: n,
        fix: 'use fewer terms, or more data (rows with missing values are dropped)',
      },
    );
  }
  const f = pivotedQR(X, n, p);
  const R = upperR(f);
  const sv = singularValues(R, p);
  const rank = numericalRank(sv, n, p);
  if (rank < p) throw singularError(f, rank, names, who);
  const qty = applyQt(f, y.slice());
  const betaP = solveUpper(R, p, qty.slice(0, p));
  const beta = new Float64Array(p);
  for (let k = 0; k < p; k++) beta[f.perm[k]] = betaP[k];
  const fitted = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    const b = beta[j];
    const off = j * n;
    for (let i = 0; i < n; i++) fitted[i] += X[off + i] * b;
  }
  const residuals = new Float64Array(n);
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i] - fitted[i];
    residuals[i] = e;
    ssr += e * e;
  }
  return { n, p, beta, fitted, residuals, ssr, qr: f, rInv: invertUpper(R, p), singularValues: sv };
}

/**
 * Whether the column space of X contains a constant: an explicit constant column (statsmodels'
 * `k_constant`), or an implicit one (the residual of regressing a column of ones is zero).
 */
export function hasConstant(
  X: Float64Array,
  n: number,
  p: number,
  fit?: LeastSquaresFit,
): { k: 0 | 1; index: number } {
  for (let j = 0; j < p; j++) {
    const off = j * n;
    const v0 = X[off];
    if (v0 === 0) continue;
    let constant = true;
    for (let i = 1; i < n; i++) {
      if (X[off + i] !== v0) {
        constant = false;
        break;
      }
    }
    if (constant) return { k: 1, index: j };
  }
  const f = fit?.qr ?? pivotedQR(X, n, p);
  const ones = applyQt(f, new Float64Array(n).fill(1));
  let rss = 0;
  for (let i = p; i < n; i++) rss += ones[i] * ones[i];
  return { k: rss <= 1e-20 * n ? 1 : 0, index: -1 };
}
