/**
 * Small helpers shared by the linear models: input checks, the linear scores X·Wᵀ + b, and the
 * centring/weighting of data that scikit-learn's `_preprocess_data` + `_rescale_data` do.
 *
 * @module
 */

import type { Matrix, MatrixInput } from '../../core/matrix.ts';
import { assertFinite } from '../../core/matrix.ts';

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

/**
 * Weighted (or plain) column means of a row-major matrix, as `np.average(X, axis=0, weights=sw)`
 * — except that a column whose values are all the same gets that value, not a sum's rounding of
 * it (0.1 eight times sums to 0.7999999999999999): centred, it is then exactly zero, where
 * rounding noise of 1e-17 would be a column of its own scale and, if every column were constant,
 * the largest singular value the rank cutoff is relative to (LinearRegression fitted a
 * coefficient of ±2 to such noise).
 */
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
  if (n > 0) {
    for (let j = 0; j < p; j++) if (isConstantColumn(data, n, p, j)) mean[j] = data[j];
  }
  return mean;
}

/** Whether column j of a row-major n × p matrix holds one value throughout. */
function isConstantColumn(data: Float64Array, n: number, p: number, j: number): boolean {
  const first = data[j];
  for (let i = 1; i < n; i++) if (data[i * p + j] !== first) return false;
  return true;
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
 * X[xo .. xo+p) · w[wo .. wo+p), summed as the WebAssembly kernels sum it: the even features in one
 * sum and the odd ones in another (each in increasing order; an odd p's last feature goes to the
 * even sum), then added — the two lanes of a SIMD register.
 */
export function dotSplit(X: Float64Array, xo: number, w: Float64Array, wo: number, p: number): number {
  let e = 0;
  let d = 0;
  let j = 0;
  for (; j + 1 < p; j += 2) {
    e += w[wo + j] * X[xo + j];
    d += w[wo + j + 1] * X[xo + j + 1];
  }
  if (j < p) e += w[wo + j] * X[xo + j];
  return e + d;
}

/**
 * Scores X·Wₖ + bₖ for K coefficient rows (`W` is K × p row-major), into `out` (n × K): each dot
 * product summed as {@link dotSplit} sums it (the WebAssembly twin's order), then the intercept
 * added. Hand-blocked: four rows at a time share each weight load (the prediction hot loop).
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
      // Even features in e*, odd ones in d*.
      let e0 = 0;
      let e1 = 0;
      let e2 = 0;
      let e3 = 0;
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      let j = 0;
      for (; j + 1 < p; j += 2) {
        const u = W[wk + j];
        const v = W[wk + j + 1];
        e0 += u * data[b0 + j];
        e1 += u * data[b1 + j];
        e2 += u * data[b2 + j];
        e3 += u * data[b3 + j];
        d0 += v * data[b0 + j + 1];
        d1 += v * data[b1 + j + 1];
        d2 += v * data[b2 + j + 1];
        d3 += v * data[b3 + j + 1];
      }
      if (j < p) {
        const u = W[wk + j];
        e0 += u * data[b0 + j];
        e1 += u * data[b1 + j];
        e2 += u * data[b2 + j];
        e3 += u * data[b3 + j];
      }
      const bk = b[k];
      out[i * K + k] = e0 + d0 + bk;
      out[(i + 1) * K + k] = e1 + d1 + bk;
      out[(i + 2) * K + k] = e2 + d2 + bk;
      out[(i + 3) * K + k] = e3 + d3 + bk;
    }
  }
  for (; i < n; i++) {
    const base = i * p;
    for (let k = 0; k < K; k++) out[i * K + k] = dotSplit(data, base, W, k * p, p) + b[k];
  }
}
