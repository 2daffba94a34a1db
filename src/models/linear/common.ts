/**
 * Small helpers shared by the linear models: input checks, the logistic and softmax links, and the
 * centring/weighting of data that scikit-learn's `_preprocess_data` + `_rescale_data` do.
 *
 * @module
 */

import type { Matrix, MatrixInput } from '../../core/matrix.ts';
import { assertFinite } from '../../core/matrix.ts';

/** The logistic function 1 / (1 + e^{−x}). */
export function expit(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Row-wise softmax in place on an n × k row-major array (as scikit-learn's `softmax`). */
export function softmaxRows(a: Float64Array, n: number, k: number): void {
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let max = a[o];
    for (let c = 1; c < k; c++) if (a[o + c] > max) max = a[o + c];
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(a[o + c] - max);
      a[o + c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) a[o + c] /= sum;
  }
}

/**
 * Throws the NaN/∞ error for X (naming the column, suggesting an imputer) when any of the scores
 * X·w + b computed from it is not finite. A NaN or ±∞ anywhere in a row always makes that row's
 * score non-finite (NaN·w is NaN, ∞·0 is NaN), so checking the n·k scores is equivalent to checking
 * the n·p inputs — and much cheaper on wide data.
 */
export function assertFiniteScores(scores: Float64Array, X: Matrix, who: string): void {
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i];
    if (v - v !== 0) {
      assertFinite(X, who);
      return;
    }
  }
}

/** X as a matrix without NaN or infinities (the error names the column and suggests an imputer). */
export function finiteMatrix(X: MatrixInput | Matrix, who: string): Matrix {
  const m = X as Matrix;
  assertFinite(m, who);
  return m;
}

/** Weighted (or plain) column means of a row-major matrix, as `np.average(X, axis=0, weights=sw)`. */
export function columnMeans(X: Matrix, sw: Float64Array | undefined): Float64Array {
  const { data, rows: n, cols: p } = X;
  const mean = new Float64Array(p);
  if (sw === undefined) {
    for (let i = 0; i < n; i++) {
      const base = i * p;
      for (let j = 0; j < p; j++) mean[j] += data[base + j];
    }
    for (let j = 0; j < p; j++) mean[j] /= n;
  } else {
    let total = 0;
    for (let i = 0; i < n; i++) total += sw[i];
    for (let i = 0; i < n; i++) {
      const base = i * p;
      const s = sw[i];
      for (let j = 0; j < p; j++) mean[j] += data[base + j] * s;
    }
    for (let j = 0; j < p; j++) mean[j] /= total;
  }
  return mean;
}

/** Weighted (or plain) mean of a vector. */
export function vectorMean(y: Float64Array, sw: Float64Array | undefined): number {
  let s = 0;
  if (sw === undefined) {
    for (let i = 0; i < y.length; i++) s += y[i];
    return s / y.length;
  }
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    s += y[i] * sw[i];
    total += sw[i];
  }
  return s / total;
}

/**
 * The data a least-squares model is solved on: X and y centred on their (weighted) means when an
 * intercept is fitted, then each row scaled by √(weight). Returns new arrays; the inputs are kept.
 */
export interface CenteredData {
  /** Row-major n × p. */
  X: Float64Array;
  y: Float64Array;
  xOffset: Float64Array;
  yOffset: number;
}

/** Centres (when `fitIntercept`) and weights the data as scikit-learn's linear models do. */
export function centerAndWeight(
  X: Matrix,
  y: Float64Array,
  sw: Float64Array | undefined,
  fitIntercept: boolean,
): CenteredData {
  const { rows: n, cols: p } = X;
  const xOffset = fitIntercept ? columnMeans(X, sw) : new Float64Array(p);
  const yOffset = fitIntercept ? vectorMean(y, sw) : 0;
  const Xc = new Float64Array(n * p);
  const yc = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * p;
    const s = sw === undefined ? 1 : Math.sqrt(sw[i]);
    for (let j = 0; j < p; j++) Xc[base + j] = (X.data[base + j] - xOffset[j]) * s;
    yc[i] = (y[i] - yOffset) * s;
  }
  return { X: Xc, y: yc, xOffset, yOffset };
}

/** X·coef + intercept for each row. */
export function linearPredict(X: Matrix, coef: Float64Array, intercept: number): Float64Array {
  const out = new Float64Array(X.rows);
  linearScores(X.data, X.rows, X.cols, coef, Float64Array.of(intercept), 1, out);
  return out;
}

/**
 * Scores X·Wₖ + bₖ for K coefficient rows (`W` is K × p row-major), into `out` (n × K).
 * Hand-blocked: four rows at a time share each weight load (the prediction hot loop).
 */
export function linearScores(
  data: Float64Array,
  n: number,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  out: Float64Array,
): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const b0 = i * p;
    const b1 = b0 + p;
    const b2 = b1 + p;
    const b3 = b2 + p;
    for (let k = 0; k < K; k++) {
      const wk = k * p;
      let z0 = 0;
      let z1 = 0;
      let z2 = 0;
      let z3 = 0;
      for (let j = 0; j < p; j++) {
        const w = W[wk + j];
        z0 += data[b0 + j] * w;
        z1 += data[b1 + j] * w;
        z2 += data[b2 + j] * w;
        z3 += data[b3 + j] * w;
      }
      const bk = b[k];
      out[i * K + k] = z0 + bk;
      out[(i + 1) * K + k] = z1 + bk;
      out[(i + 2) * K + k] = z2 + bk;
      out[(i + 3) * K + k] = z3 + bk;
    }
  }
  for (; i < n; i++) {
    const base = i * p;
    for (let k = 0; k < K; k++) {
      const wk = k * p;
      let z = 0;
      for (let j = 0; j < p; j++) z += data[base + j] * W[wk + j];
      out[i * K + k] = z + b[k];
    }
  }
}
