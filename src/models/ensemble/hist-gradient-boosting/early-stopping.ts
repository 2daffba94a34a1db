/**
 * Early stopping: the validation split and the stopping rule (scikit-learn's `_should_stop`).
 *
 * @module
 */

import { Rng } from '../../../core/rng.ts';

/**
 * True when none of the last `nIterNoChange` scores beats the score before them by more than
 * `tol` (higher scores are better). `scores[0]` is the score of the baseline alone.
 */
export function shouldStop(scores: readonly number[], nIterNoChange: number, tol: number): boolean {
  const ref = nIterNoChange + 1;
  if (scores.length < ref) return false;
  const reference = scores[scores.length - ref] + tol;
  for (let i = scores.length - ref + 1; i < scores.length; i++) if (scores[i] > reference) return false;
  return true;
}

/**
 * Splits rows 0..n-1 into training and validation rows: `ceil(fraction · n)` validation rows,
 * stratified by class when `classes` is given (each class contributes in proportion, rounded so
 * that every class keeps at least one training row). Both index lists are sorted.
 */
export function validationSplit(
  n: number,
  fraction: number,
  seed: number,
  classes: Float64Array | null,
): { train: Int32Array; val: Int32Array } {
  const rng = new Rng(seed).derive('validation-split');
  const isVal = new Uint8Array(n);
  const nVal = Math.ceil(fraction * n);
  if (classes) {
    const groups = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const c = classes[i];
      let g = groups.get(c);
      if (!g) groups.set(c, (g = []));
      g.push(i);
    }
    const keys = [...groups.keys()].sort((a, b) => a - b);
    for (const key of keys) {
      const g = groups.get(key)!;
      const take = Math.min(g.length - 1, Math.round((nVal * g.length) / n));
      rng.shuffle(g);
      for (let i = 0; i < take; i++) isVal[g[i]] = 1;
    }
  } else {
    const p = rng.permutation(n);
    for (let i = 0; i < nVal; i++) isVal[p[i]] = 1;
  }
  let v = 0;
  for (let i = 0; i < n; i++) v += isVal[i];
  const train = new Int32Array(n - v);
  const val = new Int32Array(v);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (isVal[i]) val[b++] = i;
    else train[a++] = i;
  }
  return { train, val };
}
