import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { oneWayAnova } from '../../src/stats/anova.ts';
import { tTestIndependent, tTestOneSample, tTestPaired } from '../../src/stats/t-test.ts';
import { assertClose } from './fixture.ts';
import { tests } from './tests-fixture.ts';

describe('t-tests (SciPy ttest_1samp / ttest_ind / ttest_rel, statsmodels tconfint_diff)', () => {
  for (const c of tests.ttest) {
    it(`${c.kind}, ${c.alternative}, ${c.level * 100}% CI`, () => {
      const opts = { alternative: c.alternative, confidenceLevel: c.level };
      const r =
        c.kind === 'one'
          ? tTestOneSample(c.x, { ...opts, mu: c.mu })
          : c.kind === 'paired'
            ? tTestPaired(c.x, c.y!, opts)
            : tTestIndependent(c.x, c.y!, { ...opts, equalVariance: c.kind === 'student' });
      assertClose(r.statistic, c.t, 't');
      assertClose(r.pValue, c.p, 'p');
      assertClose(r.df!, c.df, 'df');
      // The fixture's intervals use an exact t quantile (SciPy's stdtrit is off by up to ~3e-9; see the oracle).
      assertClose(r.confidenceInterval!.lower, c.ci[0], 'CI lower');
      assertClose(r.confidenceInterval!.upper, c.ci[1], 'CI upper');
      assertClose(r.effectSize!.value, c.d, "Cohen's d", 1e-12);
      assert.equal(r.alternative, c.alternative);
    });
  }

  it('drops missing values (pairwise for the paired test)', () => {
    const a = tTestOneSample([1, 2, Number.NaN, 4, 6], { mu: 1 });
    assert.deepEqual(a.n, [4]);
    assertClose(a.statistic, tTestOneSample([1, 2, 4, 6], { mu: 1 }).statistic, 't', 0);
    const p = tTestPaired([1, 2, 3, Number.NaN, 5], [1.5, Number.NaN, 2, 4, 4]);
    assert.deepEqual(p.n, [3]);
  });

  it('rejects too few observations, zero variance and bad options with clear errors', () => {
    assert.throws(
      () => tTestOneSample([3]),
      (e: unknown) => e instanceof ValidationError && /at least 2 are needed/.test(e.message),
    );
    assert.throws(() => tTestOneSample([2, 2, 2, 2]), /x has zero variance, so the t statistic is undefined/);
    assert.throws(() => tTestIndependent([1, 1], [1, 1, 1]), /zero variance/);
    // Constants whose running sum rounds (3.7 · n is not 3.7n in floating point): still no variance.
    for (const n of [5, 8, 10, 15, 33]) {
      assert.throws(() => tTestOneSample(Array(n).fill(3.7), { mu: 1 }), /zero variance/, `n=${n}`);
      assert.throws(
        () => tTestIndependent(Array(n).fill(3.7), Array(3).fill(3.7)),
        /zero variance/,
        `n=${n}`,
      );
      assert.throws(() => tTestPaired(Array(n).fill(3.7), Array(n).fill(1.1)), /zero variance/, `n=${n}`);
    }
    assert.throws(
      () => tTestIndependent([1], [2, 3], { equalVariance: false }),
      /x has 1 value; at least 2 are needed/,
    );
    assert.throws(() => tTestPaired([1, 2, 3], [1, 2]), /x has 3 values but y has 2/);
    assert.throws(
      () => tTestOneSample([1, 2, 3], { alternative: 'bigger' as never }),
      /unknown alternative "bigger"/,
    );
    assert.throws(
      () => tTestOneSample([1, 2, 3], { confidenceLevel: 95 }),
      /confidence level must be in \(0, 1\)/,
    );
    assert.throws(() => tTestOneSample([1, 2, Number.POSITIVE_INFINITY]), /x\[2\] is Infinity/);
  });

  it('gives one-sided intervals for one-sided alternatives', () => {
    const r = tTestOneSample([1, 2, 3, 4, 5], { alternative: 'greater' });
    assert.equal(r.confidenceInterval!.upper, Number.POSITIVE_INFINITY);
    assert.ok(r.confidenceInterval!.lower < 3);
  });
});

describe('Welch degrees of freedom at extreme magnitudes', () => {
  // SciPy 1.10: ttest_ind(x, y, equal_var=False) = (3.2646908266304964, 0.006381498469410642);
  // on x·1e100, y·1e100 its df formula overflows and it falls back to df = 1 (p = 0.189).
  const x = [5.1, 4.9, 5.6, 5.8, 6.0, 5.5, 5.3, 5.9];
  const y = [4.8, 4.6, 5.0, 5.2, 4.7, 4.9, 5.4];
  for (const scale of [1, 1e100, 1e-100]) {
    it(`is scale-free (data × ${scale})`, () => {
      const r = tTestIndependent(
        x.map((v) => v * scale),
        y.map((v) => v * scale),
        { equalVariance: false },
      );
      assertClose(r.statistic, 3.2646908266304964, 't', 1e-12);
      assertClose(r.pValue, 0.006381498469410642, 'p', 1e-10);
      assertClose(r.df!, tTestIndependent(x, y, { equalVariance: false }).df!, 'df', 1e-14);
    });
  }
});

describe('p-values near 1 with 1 degree of freedom', () => {
  // @stdlib's upper incomplete beta is off for a = b = ½ (Student's t with df 1, F(1, 1)) when
  // its argument is tiny: this p-value came out as 0.9999999905136262.
  it('matches SciPy for a t statistic near 0 (df 1)', () => {
    const r = tTestOneSample([1e-9, -1e-9 + 2e-17]);
    assertClose(r.statistic, 1.0000000144546745e-8, 't', 1e-12);
    // scipy.stats.ttest_1samp([1e-9, -1e-9 + 2e-17], 0).pvalue
    assertClose(r.pValue, 0.9999999936338022, 'p', 1e-14);
    // df 1 is the Cauchy distribution: P(|T| > t) = 1 − (2/π)·atan(t)
    assertClose(r.pValue, 1 - (2 / Math.PI) * Math.atan(r.statistic), 'p (Cauchy)', 1e-14);
  });

  it('matches the closed form for a tiny F with (1, 1) degrees of freedom', () => {
    const r = oneWayAnova([[0, 1], [0.5 + 1e-8]]);
    assert.equal(r.df, 1);
    assert.equal(r.df2, 1);
    assert.ok(r.statistic > 0 && r.statistic < 1e-15, `F ${r.statistic}`);
    // F(1, 1) = T² with T ~ t(1): P(F > f) = 1 − (2/π)·atan(√f)
    assertClose(r.pValue, 1 - (2 / Math.PI) * Math.atan(Math.sqrt(r.statistic)), 'p', 1e-14);
  });
});
