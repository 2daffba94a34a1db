/**
 * Quantiles, and the fast sort they (and the data-quality report) are built on.
 *
 * **Definition.** Every quantile in Lathe is the *linear interpolation* estimator — Hyndman & Fan's
 * type 7, the default of NumPy (`np.quantile(x, p)`, `method="linear"`), pandas
 * (`Series.quantile`) and R (`quantile(x, type = 7)`): for `m` sorted values `s[0] ≤ … ≤ s[m-1]`,
 *
 * ```
 * h = (m − 1)·p,   lo = ⌊h⌋,   hi = min(lo + 1, m − 1),   t = h − lo
 * Q(p) = s[lo] + t·(s[hi] − s[lo])
 * ```
 *
 * evaluated the way NumPy evaluates it (`b − (b − a)(1 − t)` when `t ≥ 0.5`), so results agree
 * with NumPy to the last bit for finite data. Missing values (`NaN`) are ignored, like
 * `np.nanquantile`; the quantile of no values is `NaN`. With infinite values, a quantile that
 * falls exactly on one is that value (NumPy gives `NaN` there, from `∞·0`).
 *
 * **Sorting.** {@link sortFloat64} is an LSD radix sort on the IEEE-754 bits (16-bit digits,
 * skipping passes whose digit is the same for every value; usually only the two high digits and
 * an insertion-sort sweep): five to ten times faster than `Float64Array.prototype.sort` on a
 * million values, which matters when a profile sorts every numeric column of a large table.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';

/** Below this size the built-in sort is as fast as the radix sort and needs no scratch memory. */
const SMALL = 2048;
const DIGITS = 4;
const RADIX = 1 << 16;

/**
 * Sorts `a` ascending, in place, and returns it. `a` must hold no `NaN` (use
 * {@link sortedNonMissing} for data with missing values); `-0` is ordered as `0`.
 *
 * @param a - the values to sort (modified).
 * @param scratch - optional work buffer of at least `a.length` elements, to avoid an allocation
 *   when sorting many arrays.
 */
export function sortFloat64(a: Float64Array, scratch?: Float64Array): Float64Array {
  const n = a.length;
  if (n < SMALL) return a.sort();
  const tmp = scratch && scratch.length >= n ? scratch.subarray(0, n) : new Float64Array(n);
  // Usually two passes on the high 32 bits leave only tiny runs of values that share them
  // (the same sign, exponent and first 20 mantissa bits), which an insertion sort finishes in
  // one sweep. Data that defeats this (many distinct values agreeing in 32 bits) exhausts the
  // insertion budget and gets the full four-pass sort.
  radixSortBits(a, tmp, 2);
  if (!insertionFinish(a, 4 * n)) radixSortBits(a, tmp, 0);
  return a;
}

/** Insertion sort of a nearly sorted array; false (array still a permutation) if it took more than `budget` moves. */
function insertionFinish(a: Float64Array, budget: number): boolean {
  const n = a.length;
  for (let i = 1; i < n; i++) {
    const v = a[i];
    if (a[i - 1] <= v) continue;
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
    budget -= i - j;
    if (budget < 0) return false;
  }
  return true;
}

/**
 * Radix sort on the raw IEEE-754 bit patterns as unsigned 64-bit integers, from 16-bit digit
 * `firstDigit` (0: all 64 bits; 2: only the high word). That order puts the non-negative values
 * first, ascending, then the negative ones by ascending magnitude; a final pair of reversals
 * turns it into numeric order. Hand-inlined hot loops: this runs once per numeric column of
 * every profiled table.
 */
function radixSortBits(a: Float64Array, tmp: Float64Array, firstDigit: number): void {
  const n = a.length;
  const hist = new Int32Array(DIGITS * RADIX);
  const words = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  let negatives = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] === 0) a[i] = 0; // -0 → +0 (both compare equal; only the bits differ)
    const hi = words[2 * i + 1];
    hist[2 * RADIX + (hi & 0xffff)]++;
    hist[3 * RADIX + (hi >>> 16)]++;
    negatives += hi >>> 31;
  }
  if (firstDigit === 0) {
    for (let i = 0; i < n; i++) {
      const lo = words[2 * i];
      hist[lo & 0xffff]++;
      hist[RADIX + (lo >>> 16)]++;
    }
  }
  let src = a;
  let dst = tmp;
  for (let d = firstDigit; d < DIGITS; d++) {
    const off = d * RADIX;
    const w = d >> 1; // word 0 (low) for digits 0–1, word 1 (high) for digits 2–3
    const shift = (d & 1) * 16;
    const srcWords = new Uint32Array(src.buffer, src.byteOffset, 2 * n);
    // Skip a pass when every value has the same digit (common: integers have zero low bits).
    if (hist[off + ((srcWords[w] >>> shift) & 0xffff)] === n) continue;
    let sum = 0;
    for (let k = 0; k < RADIX; k++) {
      const c = hist[off + k];
      hist[off + k] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = off + ((srcWords[2 * i + w] >>> shift) & 0xffff);
      dst[hist[k]++] = src[i];
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== a) a.set(src);
  if (negatives > 0) {
    // a = [non-negatives ascending][negatives by ascending magnitude]; want [negatives desc. magnitude][non-negatives]
    reverse(a, 0, n);
    reverse(a, negatives, n);
  }
}

function reverse(a: Float64Array, from: number, to: number): void {
  for (let i = from, j = to - 1; i < j; i++, j--) {
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/**
 * The non-missing values of `values` (everything but `NaN`), sorted ascending, in a new array
 * (or in `out` when it is large enough; the result is then a view of `out`).
 */
export function sortedNonMissing(
  values: ArrayLike<number>,
  out?: Float64Array,
  scratch?: Float64Array,
): Float64Array {
  const n = values.length;
  const buf = out && out.length >= n ? out : new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === v) buf[m++] = v;
  }
  return sortFloat64(buf.subarray(0, m), scratch);
}

function checkP(p: number, who: string): void {
  if (!(p >= 0 && p <= 1)) {
    throw new ValidationError(`${who}: the probability must be in [0, 1]; got ${p}.`, {
      field: 'p',
      expected: 'a number in [0, 1]',
      actual: p,
      fix: 'pass e.g. 0.5 for the median or 0.25 for the first quartile',
    });
  }
}

/**
 * The `p`-quantile of values that are already sorted ascending and hold no `NaN`, by linear
 * interpolation (NumPy's default, type 7; see the module notes). `NaN` for an empty array.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  checkP(p, 'quantileSorted');
  const m = sorted.length;
  if (m === 0) return Number.NaN;
  const h = (m - 1) * p;
  const lo = Math.floor(h);
  const hi = lo + 1 < m ? lo + 1 : m - 1;
  const t = h - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  if (t === 0 || a === b) return a;
  const diff = b - a;
  // NumPy's _lerp: the form that is exact at the nearer end point.
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * The `p`-quantile of `values` (linear interpolation, NumPy's default; `NaN`s ignored like
 * `np.nanquantile`). `NaN` when there are no non-missing values.
 *
 * @example quantile([1, 2, 3, 4], 0.25) // 1.75, as np.quantile([1, 2, 3, 4], 0.25)
 */
export function quantile(values: ArrayLike<number>, p: number): number {
  checkP(p, 'quantile');
  return quantileSorted(sortedNonMissing(values), p);
}

/**
 * Several quantiles of `values` at once (one sort). Same definition as {@link quantile}.
 *
 * @example quantiles(x, [0.25, 0.5, 0.75]) // the quartiles
 */
export function quantiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
  for (const p of ps) checkP(p, 'quantiles');
  const s = sortedNonMissing(values);
  return ps.map((p) => quantileSorted(s, p));
}
