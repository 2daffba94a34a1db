/**
 * NumPy's pairwise summation (`pairwise_sum_DOUBLE`), which `np.sum` uses along a contiguous axis:
 * plain loop below 8 values, eight interleaved partial sums up to 128, halves above. Lathe uses it
 * where scikit-learn sums with NumPy and a decision (an argmax between nearly equal scores) could
 * depend on the last bit.
 *
 * @module
 */

/** Σ a[o + i·stride] for i < n, in NumPy's pairwise order. */
export function pairwiseSum(a: ArrayLike<number>, o: number, n: number, stride = 1): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[o + i * stride];
    return res;
  }
  if (n <= 128) {
    let r0 = a[o];
    let r1 = a[o + stride];
    let r2 = a[o + 2 * stride];
    let r3 = a[o + 3 * stride];
    let r4 = a[o + 4 * stride];
    let r5 = a[o + 5 * stride];
    let r6 = a[o + 6 * stride];
    let r7 = a[o + 7 * stride];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const b = o + i * stride;
      r0 += a[b];
      r1 += a[b + stride];
      r2 += a[b + 2 * stride];
      r3 += a[b + 3 * stride];
      r4 += a[b + 4 * stride];
      r5 += a[b + 5 * stride];
      r6 += a[b + 6 * stride];
      r7 += a[b + 7 * stride];
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[o + i * stride];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, o, n2, stride) + pairwiseSum(a, o + n2 * stride, n - n2, stride);
}

/** Values NumPy's reductions take per inner-loop call (`np.setbufsize` default): each block is summed pairwise. */
const REDUCE_BLOCK = 8192;

/**
 * `np.add.reduce` (`np.sum`, the numerator of `np.mean` / `np.average`) of `n` contiguous values
 * from `o`: {@link pairwiseSum} of each block of 8192 values, the blocks added left to right
 * onto 0. Above 8192 values this differs from one pairwise sum over all of them.
 */
export function reduceSum(a: ArrayLike<number>, o = 0, n = a.length - o): number {
  let s = 0;
  for (let b = 0; b < n; b += REDUCE_BLOCK) s += pairwiseSum(a, o + b, Math.min(REDUCE_BLOCK, n - b));
  return s;
}
