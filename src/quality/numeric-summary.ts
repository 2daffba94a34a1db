/**
 * Everything the report says about a numeric column, computed from its sorted non-missing values
 * in a handful of sequential passes: moments, quantiles, distinct count, most frequent values,
 * histogram, MAD and outlier counts. Sorting once (a radix sort) is cheaper than a hash set for
 * the distinct count plus selections for the quantiles, and makes the rest linear scans.
 *
 * @module
 */

import { powerOfTwoScale } from '../core/power-of-two-scale.ts';
import { quantileSorted } from '../stats/quantile.ts';
import type { NumericProfile, OutlierSummary, ProfileHistogram } from './report.ts';
import type { QualityThresholds } from './thresholds.ts';

/** The probabilities of the quantiles in every numeric summary. */
export const SUMMARY_QUANTILES: readonly number[] = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

/** How many most-frequent values a profile lists. */
export const TOP_VALUES = 10;

/** Histograms have at most this many bins. */
export const MAX_BINS = 30;

/** A numeric summary plus the distinct count, top values and histogram. */
export interface SortedSummary {
  summary: NumericProfile;
  distinct: number;
  top: { value: number; count: number }[];
  histogram: ProfileHistogram;
}

/**
 * Summarises sorted values (ascending, no `NaN`, at least one value). `s` is only read. Three
 * sequential passes: the sum (Neumaier-compensated, as accurate as NumPy's pairwise sum) with the
 * whole-number check; then one walk over the runs of equal values that yields the central
 * moments, distinct count, most frequent values and histogram together; then half a pass for the
 * MAD. Zeros and negatives come from binary searches.
 */
export function summarizeSorted(s: Float64Array, th: QualityThresholds): SortedSummary {
  const m = s.length;
  // Hot loops are in functions of one loop each (see walkRuns).
  const i0 = sumWhileWhole(s);
  const integers = i0 === m;
  let total = sumFrom(s, i0, SUM[0], SUM[1]);
  let mean = total / m;
  if (!Number.isFinite(total) && Number.isFinite(s[0]) && Number.isFinite(s[m - 1])) {
    // Finite values whose running sum left the double range: in sorted order the large negatives
    // all come first, so even a sum within range can overflow on the way. Sum them scaled down.
    const k = Math.ceil(Math.log2(m));
    const scaled = sumFrom(s, 0, 0, 0, 2 ** -k);
    total = scaled * 2 ** k; // ±Infinity (null) only when the sum itself is out of range
    mean = (scaled / m) * 2 ** k;
  }
  // One value repeated: the mean is that value (total / m can be an ulp off, and the deviations
  // of 1e300s from it, squared and summed, overflowed: the std came out null instead of 0).
  if (s[0] === s[m - 1]) mean = s[0];

  const edges = histogramEdges(s[0], s[m - 1], m, integers);
  const bins = Math.max(0, edges.length - 1);
  const counts = new Array<number>(bins).fill(0);
  const topV: number[] = [];
  const topC: number[] = [];
  const distinct = walkRuns(s, mean, edges, counts, topV, topC);
  const m2 = SUM[0];
  const m3 = SUM[1];
  let std = m > 1 ? Math.sqrt(m2 / (m - 1)) : null;
  if (std !== null && distinct > 1 && !(m2 >= 1e-280 && m2 < Number.POSITIVE_INFINITY)) {
    // Deviations whose squares underflow (values ~1e-150 and below: the std came out 0) or
    // overflow (values ~1e154 and above): take them scaled by powers of two.
    if (Number.isFinite(s[0]) && Number.isFinite(s[m - 1])) std = scaledStd(s, mean);
  }
  let skewness: number | null = null;
  if (m > 2) {
    // pandas' nanskew: adjusted Fisher–Pearson G1 = n·√(n−1)/(n−2) · Σd³/(Σd²)^1.5; 0 when
    // Σd² is zero up to rounding (pandas zeroes sums below 1e-14).
    const m3z = Math.abs(m3) < 1e-14 ? 0 : m3;
    skewness = Math.abs(m2) < 1e-14 ? 0 : ((m * Math.sqrt(m - 1)) / (m - 2)) * (m3z / m2 ** 1.5);
  }
  const zeroStart = lowerBound(s, 0);
  const zeroEnd = upperBound(s, 0);
  const quantiles = SUMMARY_QUANTILES.map((p) => ({ p, value: quantileSorted(s, p) }));
  const median = quantileSorted(s, 0.5);
  const q1 = quantileSorted(s, 0.25);
  const q3 = quantileSorted(s, 0.75);
  const mad = medianAbsoluteDeviation(s, median);
  // A positive, right-skewed column is judged for isolated values on the log scale, where a
  // long multiplicative tail is compact and a sentinel still stands apart.
  const skewed = s[0] > 0 && skewness !== null && skewness > 1;
  const outliers = outlierSummary(s, median, q1, q3, mad, th, skewed);
  return {
    summary: {
      min: s[0],
      max: s[m - 1],
      mean,
      std,
      skewness,
      sum: total,
      zeros: zeroEnd - zeroStart,
      negatives: zeroStart,
      integers,
      quantiles,
      median,
      iqr: q3 - q1,
      mad,
      outliers,
    },
    distinct,
    top: topV.map((value, k) => ({ value, count: topC[k] })),
    histogram: { edges, counts },
  };
}

/** Two numbers handed back by the loops below: (total, compensation), then (Σc·d², Σc·d³). */
const SUM = new Float64Array(2);

/**
 * The Neumaier-compensated sum of the whole numbers at the start of sorted `s` (into SUM); returns
 * where the first other value is (`s.length` when all are whole). A fraction or ±Infinity ends it.
 */
function sumWhileWhole(s: Float64Array): number {
  const m = s.length;
  let total = 0;
  let comp = 0;
  let i = 0;
  for (; i < m; i++) {
    const v = s[i];
    if (v - Math.trunc(v) !== 0) break;
    const t = total + v;
    if (Math.abs(total) >= Math.abs(v)) comp += total - t + v;
    else comp += v - t + total;
    total = t;
  }
  SUM[0] = total;
  SUM[1] = comp;
  return i;
}

/**
 * The same sum continued from position `from` (with the running `total` and `comp`) of `s[i]·f`
 * (`f` a power of two: 1, or a scale that is exact for all but values that become subnormal, which
 * are negligible next to the ones that made scaling necessary); the compensated total.
 */
function sumFrom(s: Float64Array, from: number, total: number, comp: number, f = 1): number {
  const m = s.length;
  for (let i = from; i < m; i++) {
    const v = s[i] * f;
    const t = total + v;
    if (Math.abs(total) >= Math.abs(v)) comp += total - t + v;
    else comp += v - t + total;
    total = t;
  }
  return total + comp;
}

/**
 * The standard deviation (n − 1) of sorted finite `s` about `mean`, with every deviation scaled by
 * powers of two that bring the largest magnitude near 1 (exact), so that its square neither
 * underflows nor overflows; ∞ only when the standard deviation itself is beyond the double range.
 */
function scaledStd(s: Float64Array, mean: number): number {
  const m = s.length;
  const [f1, f2] = powerOfTwoScale(Math.max(Math.abs(s[0]), Math.abs(s[m - 1])));
  const c = mean * f1 * f2;
  let m2 = 0;
  for (let i = 0; i < m; i++) {
    const d = s[i] * f1 * f2 - c;
    m2 += d * d;
  }
  return Math.sqrt(m2 / (m - 1)) / f1 / f2;
}

/**
 * One walk over the runs of equal values of sorted `s`: the central moments (Σc·d² and Σc·d³
 * into SUM), the histogram counts, the most frequent values (by count desc., an equal count
 * keeping the earlier, smaller value first); returns the distinct count. A function of its own
 * loop: V8 optimises a loop while it runs (on-stack replacement), without type feedback for the
 * code after it, so a function of several long loops is deoptimised and recompiled once per loop.
 */
function walkRuns(
  s: Float64Array,
  mean: number,
  edges: number[],
  counts: number[],
  topV: number[],
  topC: number[],
): number {
  const m = s.length;
  const bins = counts.length;
  let distinct = 0;
  let m2 = 0;
  let m3 = 0;
  let bin = 0;
  let i = 0;
  while (i < m) {
    const v = s[i];
    let j = i + 1;
    while (j < m && s[j] === v) j++;
    const c = j - i;
    distinct++;
    const d = v - mean;
    const d2 = d * d;
    m2 += c * d2;
    m3 += c * d2 * d;
    if (bins > 0) {
      while (bin < bins - 1 && v >= edges[bin + 1]) bin++;
      counts[bin] += c;
    }
    if (topC.length < TOP_VALUES || c > topC[topC.length - 1]) {
      let k = topC.length;
      while (k > 0 && topC[k - 1] < c) k--;
      topC.splice(k, 0, c);
      topV.splice(k, 0, v);
      if (topC.length > TOP_VALUES) {
        topC.pop();
        topV.pop();
      }
    }
    i = j;
  }
  SUM[0] = m2;
  SUM[1] = m3;
  return distinct;
}

/**
 * ProfileHistogram bin edges: unit bins centred on the integers when the values are whole numbers
 * spanning at most {@link MAX_BINS}; otherwise Sturges' rule (⌈log2 n⌉ + 1 bins, at most
 * {@link MAX_BINS}) of equal width from min to max, computed like `numpy.linspace`. A single
 * value gets one bin of width 1 around it (as NumPy).
 */
export function histogramEdges(min: number, max: number, count: number, integers: boolean): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min - 0.5, max + 0.5];
  if (integers && max - min + 1 <= MAX_BINS) {
    const edges: number[] = [];
    for (let v = min; v <= max + 1; v++) edges.push(v - 0.5);
    return edges;
  }
  const bins = Math.min(MAX_BINS, Math.ceil(Math.log2(count)) + 1);
  const step = (max - min) / bins;
  const edges = new Array<number>(bins + 1);
  if (Number.isFinite(step)) for (let k = 0; k < bins; k++) edges[k] = k * step + min;
  // A range wider than the largest double (−1e308 to 1e308): weigh the ends instead.
  else for (let k = 0; k < bins; k++) edges[k] = min * (1 - k / bins) + max * (k / bins);
  edges[bins] = max;
  return edges;
}

/** Index of the first element > v in sorted `s`. */
function upperBound(s: Float64Array, v: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element ≥ v in sorted `s`. */
function lowerBound(s: Float64Array, v: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The median of |x − median| (unscaled, like `scipy.stats.median_abs_deviation(scale=1)`): the
 * deviations left and right of the median are two sorted runs, and the middle of their merged
 * order is found by a binary search over how many of it come from the left run (O(log m)).
 */
export function medianAbsoluteDeviation(s: Float64Array, median: number): number {
  const m = s.length;
  if (m === 0) return Number.NaN;
  const k = lowerBound(s, median);
  const want = (m - 1) >> 1; // position of the lower middle
  const lower = kthDeviation(s, median, k, want);
  return m % 2 === 1 ? lower : (lower + kthDeviation(s, median, k, want + 1)) / 2;
}

/**
 * The `q`-th smallest (0-based) of the deviations |s[i] − median| of sorted `s`, whose values
 * below `s[k]` lie left of the median: the union of the ascending runs L(t) = median − s[k−1−t]
 * and R(t) = s[k+t] − median, searched for the number of its first q+1 elements taken from L.
 */
function kthDeviation(s: Float64Array, median: number, k: number, q: number): number {
  const nL = k;
  const nR = s.length - k;
  let lo = Math.max(0, q + 1 - nR);
  let hi = Math.min(q + 1, nL);
  while (lo < hi) {
    const i = (lo + hi) >>> 1; // i from L, q + 1 − i from R: is L(i) needed as well?
    if (median - s[k - 1 - i] < s[k + q - i] - median) lo = i + 1;
    else hi = i;
  }
  const j = q + 1 - lo;
  const a = lo > 0 ? median - s[k - lo] : Number.NEGATIVE_INFINITY;
  const b = j > 0 ? s[k + j - 1] - median : Number.NEGATIVE_INFINITY;
  return Math.max(a, b);
}

/**
 * Far-out values cut off from the rest: beyond `extremeIqrMultiplier`·IQR from the quartiles,
 * and past the first gap wider than `isolationGapIqr`·IQR when walking outwards from the last
 * value inside that fence (per side; so a sentinel cluster beyond a genuine tail still counts).
 * With `log`, all of it is measured on log values (positive data only).
 */
function isolatedFarOut(
  s: Float64Array,
  q1: number,
  q3: number,
  th: QualityThresholds,
  log: boolean,
): number {
  const f = log ? Math.log : (x: number) => x;
  const m = s.length;
  const lq1 = f(q1);
  const lq3 = f(q3);
  const iqr = lq3 - lq1;
  if (!(iqr > 0)) return 0;
  const farLower = lq1 - th.extremeIqrMultiplier * iqr;
  const farUpper = lq3 + th.extremeIqrMultiplier * iqr;
  const gap = th.isolationGapIqr * iqr;
  let below = 0;
  while (below < m && f(s[below]) < farLower) below++;
  let above = 0;
  while (above < m - below && f(s[m - 1 - above]) > farUpper) above++;
  let count = 0;
  for (let i = below; i > 0 && below < m; i--) {
    if (f(s[i]) - f(s[i - 1]) > gap) {
      count += i;
      break;
    }
  }
  for (let i = m - 1 - above; i < m - 1 && above < m; i++) {
    if (f(s[i + 1]) - f(s[i]) > gap) {
      count += m - 1 - i;
      break;
    }
  }
  return count;
}

function outlierSummary(
  s: Float64Array,
  median: number,
  q1: number,
  q3: number,
  mad: number,
  th: QualityThresholds,
  skewed: boolean,
): OutlierSummary {
  const m = s.length;
  const iqr = q3 - q1;
  const lower = q1 - th.iqrMultiplier * iqr;
  const upper = q3 + th.iqrMultiplier * iqr;
  const farLower = q1 - th.extremeIqrMultiplier * iqr;
  const farUpper = q3 + th.extremeIqrMultiplier * iqr;
  // The values are sorted, so each rule's outliers sit at the two ends: count inwards until the
  // first value that is not one (exact, and O(outliers)).
  let iqrCount = 0;
  for (let i = 0; i < m && s[i] < lower; i++) iqrCount++;
  for (let i = m - 1; i >= 0 && s[i] > upper; i--) iqrCount++;
  let below = 0;
  while (below < m && s[below] < farLower) below++;
  let above = 0;
  while (above < m - below && s[m - 1 - above] > farUpper) above++;
  const extremeCount = below + above;
  const isolatedCount = isolatedFarOut(s, q1, q3, th, skewed);

  let scale: OutlierSummary['robustZScale'] = 'mad';
  let zOf: (x: number) => number = (x) => (0.6745 * (x - median)) / mad;
  if (!(mad > 0)) {
    let meanAd = 0;
    for (let i = 0; i < m; i++) meanAd += Math.abs(s[i] - median);
    meanAd /= m;
    if (meanAd > 0) {
      scale = 'meanad';
      zOf = (x) => (x - median) / (1.253314 * meanAd);
    } else scale = 'none';
  }
  let robustZCount = 0;
  if (scale !== 'none') {
    for (let i = 0; i < m && Math.abs(zOf(s[i])) > th.robustZ; i++) robustZCount++;
    for (let i = m - 1; i >= 0 && Math.abs(zOf(s[i])) > th.robustZ; i--) robustZCount++;
  }

  // The most extreme distinct values outside the fences, furthest from the median first.
  const examples: number[] = [];
  let a = 0;
  let b = m - 1;
  while (examples.length < 5) {
    const left = a < m && s[a] < lower ? s[a] : Number.NaN;
    const right = b >= 0 && s[b] > upper ? s[b] : Number.NaN;
    if (left !== left && right !== right) break;
    const takeRight = left !== left || (right === right && right - median >= median - left);
    const v = takeRight ? right : left;
    if (!examples.includes(v)) examples.push(v);
    if (takeRight) b--;
    else a++;
    if (a > b) break;
  }
  return {
    iqrLower: lower,
    iqrUpper: upper,
    iqrCount,
    extremeCount,
    isolatedCount,
    robustZCount,
    robustZThreshold: th.robustZ,
    robustZScale: scale,
    examples,
  };
}

// The loops' trailing code gets type feedback before the first long call (see walkRuns): each
// runs on empty input when the module loads, often enough for V8 to give it a feedback vector.
// Tiny inputs that take every branch (both signs of the compensation, ties, bins, the top list).
for (let k = 0; k < 32; k++) {
  const f = Float64Array.of(-3, -1, -1, 0.5, 2, 2, 2);
  sumFrom(f, 0, 0, sumWhileWhole(f));
  walkRuns(f, 0, [-3.5, 0, 2.5], [0, 0], [], []);
}
