// The MAD's binary search against the merge it replaced, on small arrays full of ties; the sample draw with a scratch array.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/core/rng.ts';
import { medianAbsoluteDeviation, summarizeSorted } from '../../src/quality/numeric-summary.ts';
import { sampleRows } from '../../src/quality/sample.ts';
import { DEFAULT_QUALITY_THRESHOLDS } from '../../src/quality/thresholds.ts';
import { quantileSorted } from '../../src/stats/quantile.ts';

/** The merge of the deviations left and right of the median, walked to the middle. */
function madByMerge(s: Float64Array, median: number): number {
  const m = s.length;
  let k = 0;
  while (k < m && s[k] < median) k++;
  let l = k - 1;
  let r = k;
  const want = (m - 1) >> 1;
  let lower = 0;
  for (let pos = 0; pos <= want + 1 && pos < m; pos++) {
    let d: number;
    if (r < m && (l < 0 || s[r] - median <= median - s[l])) d = s[r++] - median;
    else d = median - s[l--];
    if (pos === want) {
      lower = d;
      if (m % 2 === 1) return d;
    } else if (pos === want + 1) return (lower + d) / 2;
  }
  return lower;
}

describe('medianAbsoluteDeviation (sorted values)', () => {
  it('equals the merge of the two runs, for every length and many ties', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 3000; trial++) {
      const m = 1 + rng.int(40);
      const spread = [2, 5, 1000][trial % 3];
      const s = Float64Array.from({ length: m }, () => rng.int(spread) * 0.1 - (trial % 2) * 3).sort();
      const median = quantileSorted(s, 0.5);
      const got = medianAbsoluteDeviation(s, median);
      assert.ok(Object.is(got, madByMerge(s, median)), `trial ${trial}: [${s.join(', ')}]`);
    }
  });
  it('is NaN for no values', () => {
    assert.ok(Number.isNaN(medianAbsoluteDeviation(new Float64Array(0), 0)));
  });
});

describe('sampleRows', () => {
  it('draws the same rows with a scratch array as Rng.sample does without', () => {
    for (const [rows, limit, seed] of [
      [1000, 10, 0],
      [50_000, 20_000, 3],
      [7, 6, 9],
    ]) {
      const want = sampleRows(rows, limit, seed);
      assert.deepEqual(sampleRows(rows, limit, seed, new Int32Array(rows + 5)), want);
      assert.deepEqual(want, new Rng(seed).derive('profile-sample').sample(rows, limit).sort());
    }
    assert.equal(sampleRows(10, 10, 0, new Int32Array(10)), null);
    assert.equal(sampleRows(10, null, 0), null);
  });
});

describe('summarizeSorted: sums near the top of the double range', () => {
  it('gives the mean (and the sum when it is finite) although the sorted running sum overflows', () => {
    // pandas (file order): sum −3e307, mean −7.5e306; sorted order reached −∞ after two values
    const s = Float64Array.of(-1.5e308, -1e308, 1e308, 1.2e308);
    const { summary } = summarizeSorted(s, DEFAULT_QUALITY_THRESHOLDS);
    assert.ok(Math.abs(summary.sum - -3e307) <= 1e-15 * 3e307, String(summary.sum));
    assert.ok(Math.abs(summary.mean - -7.5e306) <= 1e-15 * 7.5e306, String(summary.mean));
  });

  it('a sum beyond the double range is infinite, its mean still finite', () => {
    const { summary } = summarizeSorted(Float64Array.of(1e308, 1.5e308, 1.7e308), DEFAULT_QUALITY_THRESHOLDS);
    assert.equal(summary.sum, Number.POSITIVE_INFINITY);
    assert.ok(Math.abs(summary.mean - 1.4e308) <= 1e-15 * 1.4e308, String(summary.mean));
    const inf = summarizeSorted(Float64Array.of(1, 2, Number.POSITIVE_INFINITY), DEFAULT_QUALITY_THRESHOLDS);
    assert.ok(!Number.isFinite(inf.summary.mean), 'an infinite value: no mean (null in the JSON)');
  });
});

describe('summarizeSorted: the standard deviation at extreme magnitudes', () => {
  it('is not 0 for varying values whose squared deviations underflow', () => {
    // std of [1, 2, 3, 4]·1e-300 is 1.2909944487358056e-300 (pandas: 0, from the underflow)
    const s = Float64Array.of(1e-300, 2e-300, 3e-300, 4e-300);
    const { summary } = summarizeSorted(s, DEFAULT_QUALITY_THRESHOLDS);
    assert.ok(Math.abs((summary.std as number) / 1.2909944487358056e-300 - 1) < 1e-14, String(summary.std));
    assert.equal(summarizeSorted(Float64Array.of(5e-324, 5e-324), DEFAULT_QUALITY_THRESHOLDS).summary.std, 0);
  });

  it('is finite for values near the top of the range whose squared deviations overflow', () => {
    // NumPy on the values scaled by 1e-300: 1.3744695946679456e+308 (pandas: NaN)
    const s = Float64Array.of(-1.5e308, -1e308, 1e308, 1.2e308);
    const { summary } = summarizeSorted(s, DEFAULT_QUALITY_THRESHOLDS);
    assert.ok(Math.abs((summary.std as number) / 1.3744695946679456e308 - 1) < 1e-14, String(summary.std));
  });
});

describe('summarizeSorted: one value repeated', () => {
  it('has that value as its mean, std 0 and skewness 0, whatever its magnitude', () => {
    // 3,062 × 1e300: total/3062 is 9.999999999999999e299, one ulp off; its deviations squared
    // overflowed and the std was null
    for (const v of [1e300, 0.1, 5e-324, -7]) {
      const { summary } = summarizeSorted(new Float64Array(3062).fill(v), DEFAULT_QUALITY_THRESHOLDS);
      assert.equal(summary.mean, v, String(v));
      assert.equal(summary.std, 0, String(v));
      assert.equal(summary.skewness, 0, String(v));
    }
  });
});
