import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import {
  describe as describeColumn,
  kurtosis,
  mean,
  medianAbsoluteDeviation,
  mode,
  skewness,
  standardDeviation,
  standardError,
  trimmedMean,
  variance,
} from '../../src/stats/descriptive.ts';
import { QUANTILE_METHODS, type QuantileMethod, quantile, quantiles } from '../../src/stats/quantile.ts';
import { assertClose, fixture } from './fixture.ts';

interface Case {
  x: number[];
  mean: number;
  var: number;
  var0: number;
  std: number;
  sem: number;
  skew: number;
  skewUnbiased: number;
  kurtosis: number;
  kurtosisUnbiased: number;
  kurtosisPearson: number;
  mode: number;
  modeCount: number;
  trim10: number;
  trim25: number;
  mad: number;
  madNormal: number;
  quantiles: Record<string, number[]>;
}
const fx = fixture<{ ps: number[]; methods: string[]; cases: Record<string, Case> }>('descriptive.json');

describe('descriptive statistics (SciPy/NumPy oracle)', () => {
  for (const [name, c] of Object.entries(fx.cases)) {
    it(`match on '${name}' (n = ${c.x.length})`, () => {
      assertClose(mean(c.x), c.mean, 'mean', 1e-13);
      assertClose(variance(c.x), c.var, 'variance', 1e-12);
      assertClose(variance(c.x, { ddof: 0 }), c.var0, 'variance ddof 0', 1e-12);
      assertClose(standardDeviation(c.x), c.std, 'std', 1e-12);
      assertClose(standardError(c.x), c.sem, 'sem', 1e-12);
      assertClose(skewness(c.x), c.skew, 'skew', 1e-10);
      assertClose(skewness(c.x, { bias: false }), c.skewUnbiased, 'skew unbiased', 1e-10);
      assertClose(kurtosis(c.x), c.kurtosis, 'kurtosis', 1e-10);
      assertClose(kurtosis(c.x, { bias: false }), c.kurtosisUnbiased, 'kurtosis unbiased', 1e-10);
      assertClose(kurtosis(c.x, { fisher: false }), c.kurtosisPearson, 'kurtosis Pearson', 1e-12);
      assert.deepEqual(mode(c.x), { mode: c.mode, count: c.modeCount });
      assertClose(trimmedMean(c.x, 0.1), c.trim10, 'trimmed 10%', 1e-13);
      assertClose(trimmedMean(c.x, 0.25), c.trim25, 'trimmed 25%', 1e-13);
      assertClose(medianAbsoluteDeviation(c.x), c.mad, 'MAD', 1e-13);
      assertClose(medianAbsoluteDeviation(c.x, { scale: 'normal' }), c.madNormal, 'MAD normal', 1e-13);
    });
    it(`quantiles by all 13 NumPy methods on '${name}'`, () => {
      for (const m of fx.methods) {
        const want = c.quantiles[m];
        const got = quantiles(c.x, fx.ps, m as QuantileMethod);
        fx.ps.forEach((p, k) => assertClose(got[k], want[k], `${m} p=${p}`, 1e-14, 1e-14));
      }
    });
  }

  it('covers every quantile method NumPy has', () => {
    assert.deepEqual([...QUANTILE_METHODS].sort(), [...fx.methods].sort());
  });

  it('skip missing values, and give NaN for no values', () => {
    const x = [1, Number.NaN, 3, 5];
    assert.equal(mean(x), 3);
    assert.equal(variance(x), 4);
    assert.ok(Number.isNaN(mean([Number.NaN])));
    assert.ok(Number.isNaN(variance([7])), 'the sample variance of one value is NaN');
    assert.deepEqual(mode([]), { mode: Number.NaN, count: 0 });
  });

  it('give NaN skewness and kurtosis for constant data (SciPy behaviour)', () => {
    assert.ok(Number.isNaN(skewness([2, 2, 2, 2])));
    assert.ok(Number.isNaN(kurtosis([5, 5, 5, 5, 5])));
  });

  it('give a constant its own value as mean and 0 as variance, whatever the running sum rounds to', () => {
    for (const n of [3, 8, 15, 1000]) {
      assert.equal(mean(Array(n).fill(3.7)), 3.7, `n=${n}`);
      assert.equal(variance(Array(n).fill(3.7)), 0, `n=${n}`);
    }
  });

  it('mode picks the smallest of equally frequent values', () => {
    assert.deepEqual(mode([3, 1, 3, 1, 2]), { mode: 1, count: 2 });
  });

  it('reject bad options with a ValidationError naming them', () => {
    assert.throws(
      () => trimmedMean([1, 2, 3], 0.5),
      (e: unknown) => e instanceof ValidationError && e.field === 'proportion',
    );
    assert.throws(() => variance([1, 2, 3], { ddof: -1 }), /ddof/);
    assert.throws(
      () => medianAbsoluteDeviation([1, 2], { scale: 0 }),
      /scale must be a positive number or 'normal'/,
    );
    assert.throws(() => quantile([1, 2], 0.5, 'type7' as QuantileMethod), /unknown quantile method 'type7'/);
  });

  it('describe() agrees with the individual functions', () => {
    const c = fx.cases.normal40;
    const d = describeColumn([...c.x, Number.NaN]);
    assert.equal(d.count, c.x.length);
    assert.equal(d.missing, 1);
    assertClose(d.mean, c.mean, 'mean', 1e-13);
    assertClose(d.std, c.std, 'std', 1e-12);
    assertClose(d.skewness, c.skew, 'skew', 1e-10);
    assertClose(d.kurtosis, c.kurtosis, 'kurtosis', 1e-10);
    assertClose(d.median, c.quantiles.linear[5], 'median', 1e-15);
    assertClose(d.trimmedMean, c.trim10, 'trimmed mean', 1e-13);
    assertClose(d.mad, c.mad, 'mad', 1e-13);
    assert.equal(d.iqr, d.q3 - d.q1);
    assert.equal(describeColumn([]).count, 0);
    assert.ok(Number.isNaN(describeColumn([]).mean));
  });
});

describe('moments of data with a large mean and a small spread', () => {
  // 3e5 + offsets of ~1e-3: the computed mean is ½ ulp (3e-11) from x̄, 3e-8 of the SD. Exact
  // values of these doubles from rational arithmetic; SciPy 1.10's skew is off by 2e-6 here.
  const x = [
    300000.0013, 299999.9993, 300000.0021, 300000.0004, 299999.9989, 300000.0009, 300000.003, 299999.9998,
    300000.0017, 299999.9985, 300000.0001, 300000.0026,
  ];
  it('skewness and kurtosis are exact to rounding', () => {
    assertClose(skewness(x), 0.04908679708197266, 'skewness', 1e-12);
    assertClose(kurtosis(x), -1.1748535247972782, 'kurtosis', 1e-12);
  });
});
