/**
 * Fitting data whose values are so large (or so small) that their squares overflow (or underflow)
 * — |x| beyond ~1e154 (or below ~1e-154) — on a copy scaled by a power of two, which is exact:
 * a model whose arithmetic sums squares (PCA's cross-product, k-means' distances) then works on
 * values near 1 and its results are scaled back, instead of coming out NaN.
 *
 * @module
 */

import { powerOfTwoScale } from './power-of-two-scale.ts';

/** Largest magnitude left as it is: squares of 2^400 summed over 2^100 rows still fit a double. */
const TOO_LARGE = 2 ** 400;
/** Smallest magnitude left as it is (squares of 2^-400 are far from subnormal). */
const TOO_SMALL = 2 ** -400;

/**
 * The power-of-two factors (two, whose product may not be representable) that bring the largest
 * finite |value| of `data` into [1, 2), when it lies outside [2^-400, 2^400]; null otherwise (and for
 * data of zeros). Non-finite values are ignored: the fit reports them itself.
 */
export function extremeMagnitudeScale(data: ArrayLike<number>): [number, number] | null {
  let max = 0;
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]);
    if (a > max && a !== Number.POSITIVE_INFINITY) max = a;
  }
  if (max === 0 || (max <= TOO_LARGE && max >= TOO_SMALL)) return null;
  return powerOfTwoScale(max);
}

/** `data` times both factors (exact, apart from values the scaling takes below the subnormal range). */
export function scaledCopy(data: ArrayLike<number>, [f1, f2]: [number, number]): Float64Array {
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] * f1 * f2;
  return out;
}

/** `v` divided by both factors (undoing {@link scaledCopy}); `power` 2 for squares (variances). */
export function unscale(v: number, [f1, f2]: [number, number], power: 1 | 2 = 1): number {
  return power === 1 ? v / f1 / f2 : v / f1 / f1 / f2 / f2;
}
