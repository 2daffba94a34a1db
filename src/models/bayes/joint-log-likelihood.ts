/**
 * From joint log-likelihoods (one row per sample, one column per class) to predictions and
 * probabilities, as scikit-learn's `_BaseNB` does: argmax for the class, and
 * exp(jll − logsumexp(jll)) for the probabilities.
 *
 * @module
 */

import { pairwiseSum } from '../../core/pairwise-sum.ts';

/**
 * The first class with the largest joint log-likelihood per row, as `np.argmax` picks it: a NaN
 * counts as the largest value, so a row with a NaN (a zero variance without smoothing, or
 * `0 · log 0` with `alpha` forced to 0) predicts its first NaN class, as scikit-learn does.
 */
export function argmaxCodes(jll: Float64Array, n: number, K: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * K;
    let best = 0;
    if (!Number.isNaN(jll[o])) {
      for (let c = 1; c < K; c++) {
        const v = jll[o + c];
        if (Number.isNaN(v)) {
          best = c;
          break;
        }
        if (v > jll[o + best]) best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

/** log Σ exp over each row (SciPy's `logsumexp`: shift by the maximum, NumPy's summation order). */
export function rowLogSumExp(jll: Float64Array, n: number, K: number): Float64Array {
  const out = new Float64Array(n);
  const tmp = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    const o = i * K;
    let max = jll[o];
    for (let c = 1; c < K; c++) if (jll[o + c] > max) max = jll[o + c];
    if (!Number.isFinite(max)) max = 0;
    for (let c = 0; c < K; c++) tmp[c] = Math.exp(jll[o + c] - max);
    out[i] = Math.log(pairwiseSum(tmp, 0, K)) + max;
  }
  return out;
}

/** log P(class | x) = jll − logsumexp(jll), row by row. */
export function logProbaFromJll(jll: Float64Array, n: number, K: number): Float64Array {
  const lse = rowLogSumExp(jll, n, K);
  const out = new Float64Array(n * K);
  for (let i = 0; i < n; i++) for (let c = 0; c < K; c++) out[i * K + c] = jll[i * K + c] - lse[i];
  return out;
}
