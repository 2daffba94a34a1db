/**
 * Exact rescaling of data of huge or tiny magnitude, whose sums of squares would overflow or
 * underflow: multiplying by powers of two changes only exponents.
 *
 * @module
 */

/**
 * Two powers of two whose product brings `a` (> 0, finite) into [1, 2); each factor is finite
 * (one power alone can overflow: 2¹⁰⁷⁴ brings the smallest subnormal to 1). Multiply by both,
 * one after the other.
 */
export function powerOfTwoScale(a: number): [number, number] {
  const e = -Math.floor(Math.log2(a));
  const h = Math.trunc(e / 2);
  return [2 ** h, 2 ** (e - h)];
}
