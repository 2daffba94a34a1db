/**
 * From scores to predictions for `LogisticRegression`: class probabilities (the logistic and softmax
 * links) and the predicted class. These are the TypeScript twins of `probaBlock` and `argmaxBlock`
 * in `assembly/linear.ts` (same operations in the same order, so the same bits); the exponentials
 * are `expNonPositive` (see `lean-math.ts`), whose argument here is never positive.
 *
 * @module
 */

import { expNonPositive } from './lean-math.ts';

/** How scores become probabilities (the numbers are the WebAssembly kernel's). */
export type ProbaLink = typeof LINK_LOGISTIC | typeof LINK_SOFTMAX;
/** One-vs-rest: the logistic function of each score (normalised to sum to 1 over 3+ classes). */
export const LINK_LOGISTIC = 0;
/** Multinomial: softmax over the classes (for a binary model, of (−d, d)). */
export const LINK_SOFTMAX = 1;

/**
 * σ(d) = 1/(1 + e^−d), as 1/(1 + e) for d > 0 and e/(1 + e) otherwise, with e = e^−|d| (no
 * exponential of a positive number, so no overflow, and full relative precision on both sides).
 */
export function logistic(d: number): number {
  const e = expNonPositive(-Math.abs(d));
  const inv = 1 / (1 + e);
  return d > 0 ? inv : e * inv;
}

/**
 * Probabilities of `rows` rows into out[oo ..] (rows × C, C = 2 when K = 1, else K) from their
 * scores z[zo ..] (rows × K). A binary model (K = 1) has one score d per row, the second class's:
 * logistic → (1 − σ(d), σ(d)) as scikit-learn writes it; softmax → softmax(−d, d). With K ≥ 2:
 * softmax of the row, or the logistic of each score divided by their sum (one-vs-rest). `out` may
 * be `z` itself (same offset) when K ≥ 2. Returns the sum of the scores: not finite when any score
 * is NaN or ±∞ (whose probabilities would not show it).
 */
export function probaFromScores(
  z: Float64Array,
  zo: number,
  rows: number,
  K: number,
  link: ProbaLink,
  out: Float64Array,
  oo: number,
): number {
  let check = 0;
  for (let i = 0; i < rows * K; i++) check += z[zo + i];
  if (K === 1) {
    for (let i = 0; i < rows; i++) {
      const d = z[zo + i];
      let p0: number;
      let p1: number;
      if (link === LINK_SOFTMAX) {
        const a = Math.abs(d); // the larger of −d and d
        const e0 = expNonPositive(-d - a);
        const e1 = expNonPositive(d - a);
        const s = e0 + e1;
        p0 = e0 / s;
        p1 = e1 / s;
      } else {
        p1 = logistic(d);
        p0 = 1 - p1;
      }
      out[oo + 2 * i] = p0;
      out[oo + 2 * i + 1] = p1;
    }
    return check;
  }
  for (let i = 0; i < rows; i++) {
    const zi = zo + i * K;
    const oi = oo + i * K;
    let sum = 0;
    if (link === LINK_SOFTMAX) {
      let top = z[zi];
      for (let k = 1; k < K; k++) if (z[zi + k] > top) top = z[zi + k];
      for (let k = 0; k < K; k++) {
        const e = expNonPositive(z[zi + k] - top);
        out[oi + k] = e;
        sum += e;
      }
    } else {
      for (let k = 0; k < K; k++) {
        const v = logistic(z[zi + k]);
        out[oi + k] = v;
        sum += v;
      }
    }
    for (let k = 0; k < K; k++) out[oi + k] /= sum;
  }
  return check;
}

/**
 * The predicted class code of `rows` rows into codes[co ..] from their scores z[zo ..] (rows × K):
 * for K = 1, 1 when the score is > 0, else 0; otherwise the first index of the largest score (ties
 * go to the first class, as NumPy's argmax in scikit-learn's `predict`). Returns the sum of the
 * scores: not finite when any score is NaN or ±∞.
 */
export function argmaxCodes(
  z: Float64Array,
  zo: number,
  rows: number,
  K: number,
  codes: Int32Array,
  co: number,
): number {
  let check = 0;
  if (K === 1) {
    for (let i = 0; i < rows; i++) {
      const v = z[zo + i];
      check += v;
      codes[co + i] = v > 0 ? 1 : 0;
    }
    return check;
  }
  for (let i = 0; i < rows; i++) {
    const zi = zo + i * K;
    let best = 0;
    let bestV = z[zi];
    check += bestV;
    for (let k = 1; k < K; k++) {
      const v = z[zi + k];
      check += v;
      if (v > bestV) {
        bestV = v;
        best = k;
      }
    }
    codes[co + i] = best;
  }
  return check;
}
