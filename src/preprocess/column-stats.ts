/**
 * Per-column statistics of a row-major matrix, ignoring NaN, computed in the order NumPy computes
 * them for `axis=0` reductions of a C-ordered array (row by row, one accumulator per column; for a
 * single column, pairwise, as NumPy sums a contiguous axis), so that scalers and imputers agree
 * with scikit-learn to the last few bits. (A DataFrame's columns reach scikit-learn F-ordered and
 * are summed pairwise too; a row-major matrix cannot tell, so several columns sum row by row.)
 *
 * @module
 */

import type { Matrix } from '../core/matrix.ts';
import { pairwiseSum } from '../core/pairwise-sum.ts';
import { quantileSorted, sortFloat64 } from '../stats/quantile.ts';

/** Mean, variance (population, ddof 0) and count of non-missing values per column. */
export interface MeanVar {
  mean: Float64Array;
  variance: Float64Array;
  count: Float64Array;
}

/**
 * Column means and variances ignoring NaN, by the two-pass algorithm with the Chan–Golub–LeVeque
 * correction term that scikit-learn's `_incremental_mean_and_var` uses:
 * `var = (Σ(x − m)² − (Σ(x − m))² / n) / n`. Columns with no values get NaN.
 */
export function nanMeanVar(m: Matrix): MeanVar {
  const { data, rows, cols } = m;
  if (cols === 1) return nanMeanVarOfColumn(data, rows);
  const sum = new Float64Array(cols);
  const count = new Float64Array(cols);
  // Pass 1: sums, row by row (NumPy's order for axis-0 reductions).
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[base + j];
      if (v === v) {
        sum[j] += v;
        count[j]++;
      }
    }
  }
  const mean = new Float64Array(cols);
  for (let j = 0; j < cols; j++) mean[j] = sum[j] / count[j];
  // Pass 2: centred sums and sums of squares.
  const corr = new Float64Array(cols);
  const sq = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[base + j];
      if (v === v) {
        const d = v - mean[j];
        corr[j] += d;
        sq[j] += d * d;
      }
    }
  }
  const variance = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    const n = count[j];
    variance[j] = (sq[j] - (corr[j] * corr[j]) / n) / n;
  }
  return { mean, variance, count };
}

/**
 * {@link nanMeanVar} of a single column, summed as NumPy sums one: an n × 1 array is contiguous
 * along axis 0, so `np.nansum` (NaN as 0) adds pairwise — scikit-learn's StandardScaler statistics
 * then agree to the last bit, which row-by-row sums do not for near-constant data.
 */
function nanMeanVarOfColumn(data: Float64Array, n: number): MeanVar {
  const t = new Float64Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (v === v) {
      t[i] = v;
      count++;
    }
  }
  const mean = pairwiseSum(t, 0, n) / count;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    t[i] = v === v ? v - mean : 0;
  }
  const corr = pairwiseSum(t, 0, n);
  for (let i = 0; i < n; i++) t[i] *= t[i];
  const sq = pairwiseSum(t, 0, n);
  return {
    mean: Float64Array.of(mean),
    variance: Float64Array.of((sq - (corr * corr) / count) / count),
    count: Float64Array.of(count),
  };
}

/** Column minima and maxima ignoring NaN (NaN for a column with no values). */
export function nanMinMax(m: Matrix): { min: Float64Array; max: Float64Array } {
  const { data, rows, cols } = m;
  const min = new Float64Array(cols).fill(Number.POSITIVE_INFINITY);
  const max = new Float64Array(cols).fill(Number.NEGATIVE_INFINITY);
  const seen = new Uint8Array(cols);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[base + j];
      if (v === v) {
        if (v < min[j]) min[j] = v;
        if (v > max[j]) max[j] = v;
        seen[j] = 1;
      }
    }
  }
  for (let j = 0; j < cols; j++) {
    if (!seen[j]) {
      min[j] = Number.NaN;
      max[j] = Number.NaN;
    }
  }
  return { min, max };
}

/**
 * The non-missing values of column `j`, sorted ascending (in `buf` when given: the result is a view
 * of it). `scratch` (at least `m.rows` long) is the sort's work buffer — pass one buffer for every
 * column rather than have each sort allocate its own.
 */
export function sortedColumn(m: Matrix, j: number, buf?: Float64Array, scratch?: Float64Array): Float64Array {
  const { data, rows, cols } = m;
  const out = buf && buf.length >= rows ? buf : new Float64Array(rows);
  let k = 0;
  for (let i = 0, p = j; i < rows; i++, p += cols) {
    const v = data[p];
    if (v === v) out[k++] = v;
  }
  return sortFloat64(out.subarray(0, k), scratch);
}

/** Median of sorted values (the mean of the two middle ones for an even count, as NumPy); NaN when empty. */
export function medianSorted(s: ArrayLike<number>): number {
  const n = s.length;
  if (n === 0) return Number.NaN;
  const h = n >> 1;
  return n % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** The `q`-th percentile (0–100) of sorted values, as `np.nanpercentile(x, q)` (linear). NaN when empty. */
export function percentileSorted(s: ArrayLike<number>, q: number): number {
  return quantileSorted(s, q / 100);
}

/** The most frequent value (ties → the smallest, as scikit-learn); NaN when there are none. */
export function modeSorted(s: ArrayLike<number>): number {
  const n = s.length;
  if (n === 0) return Number.NaN;
  let best = s[0];
  let bestCount = 0;
  let i = 0;
  while (i < n) {
    const v = s[i];
    let j = i + 1;
    while (j < n && s[j] === v) j++;
    // Strictly greater: among ties the first run, i.e. the smallest value, wins.
    if (j - i > bestCount) {
      bestCount = j - i;
      best = v;
    }
    i = j;
  }
  return best;
}

/**
 * Scales that are (nearly) zero become 1, as scikit-learn's `_handle_zeros_in_scale`: an
 * explicit mask when given, else `scale < 10·ε`.
 */
export function handleZerosInScale(scale: Float64Array, constant?: Uint8Array): Float64Array {
  const eps10 = 10 * Number.EPSILON;
  for (let j = 0; j < scale.length; j++) {
    if (constant ? constant[j] : scale[j] < eps10) scale[j] = 1;
  }
  return scale;
}

/**
 * Whether each feature is indistinguishable from a constant given the rounding error of the
 * two-pass variance: `var ≤ n·ε·var + (n·mean·ε)²` (scikit-learn's `_is_constant_feature`).
 */
export function constantFeatures(v: MeanVar): Uint8Array {
  const eps = Number.EPSILON;
  const out = new Uint8Array(v.mean.length);
  for (let j = 0; j < out.length; j++) {
    const n = v.count[j];
    const bound = n * eps * v.variance[j] + (n * v.mean[j] * eps) ** 2;
    out[j] = v.variance[j] <= bound ? 1 : 0;
  }
  return out;
}
