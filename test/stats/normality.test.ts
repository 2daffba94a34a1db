import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  andersonDarling,
  dagostinoPearson,
  jarqueBera,
  kurtosisTest,
  shapiroWilk,
  skewTest,
} from '../../src/stats/normality.ts';
import type { Alternative } from '../../src/stats/validate.ts';
import { assertAllClose, assertClose } from './fixture.ts';
import { tests } from './tests-fixture.ts';

describe('shapiroWilk (AS R94)', () => {
  for (const c of tests.shapiro) {
    it(`n = ${c.x.length}: matches the double-precision AS R94 and SciPy to SciPy's single precision`, () => {
      const r = shapiroWilk(c.x);
      assertClose(r.statistic, c.Wdouble, 'W (double)', 1e-10);
      assertClose(r.pValue, c.pdouble, 'p (double)', 1e-9);
      // SciPy runs AS R94 in float32: W to ~1e-6, and p (through log(1 − W)) to ~2e-2 relative.
      assertClose(r.statistic, c.W, 'W (SciPy, float32)', 5e-6);
      assertClose(r.pValue, c.p, 'p (SciPy, float32)', 2e-2, 1e-7);
    });
  }

  it('rejects fewer than three values and constant data', () => {
    assert.throws(
      () => shapiroWilk([1, 2]),
      /x has 2 values; at least 3 are needed \(the Shapiro–Wilk test needs three\)/,
    );
    assert.throws(() => shapiroWilk([4, 4, 4, 4]), /all 4 values of x are equal/);
  });
});

describe('andersonDarling (scipy.stats.anderson, statsmodels normal_ad)', () => {
  for (const c of tests.anderson) {
    it(`${c.dist}, n = ${c.x.length}`, () => {
      const r = andersonDarling(c.x, { distribution: c.dist });
      assertClose(r.statistic, c.A2, 'A2', 1e-11);
      assertAllClose(r.details!.criticalValues as number[], c.critical, 'critical values', 0);
      assert.deepEqual(r.details!.significanceLevels, c.sig);
      if (c.p !== undefined) assertClose(r.pValue, c.p, 'p', 1e-9);
      else assert.ok(Number.isNaN(r.pValue));
    });
  }
});

describe("D'Agostino–Pearson, skewness, kurtosis and Jarque–Bera tests (SciPy)", () => {
  for (const c of tests.normtests) {
    it(`n = ${c.x.length}`, () => {
      const k2 = dagostinoPearson(c.x);
      assertClose(k2.statistic, c.normaltest[0], 'K2', 1e-10);
      assertClose(k2.pValue, c.normaltest[1], 'K2 p', 1e-9);
      const jb = jarqueBera(c.x);
      assertClose(jb.statistic, c.jb[0], 'JB', 1e-11);
      // SciPy computes 1 − cdf: exact only to ~1e-16 absolute.
      assertClose(jb.pValue, c.jb[1], 'JB p', 1e-8, 1e-15);
      for (const alt of ['two-sided', 'less', 'greater'] as Alternative[]) {
        const s = skewTest(c.x, { alternative: alt });
        assertClose(s.statistic, c[`skew_${alt}`][0], `skew z ${alt}`, 1e-10);
        assertClose(s.pValue, c[`skew_${alt}`][1], `skew p ${alt}`, 1e-9);
        const k = kurtosisTest(c.x, { alternative: alt });
        assertClose(k.statistic, c[`kurt_${alt}`][0], `kurtosis z ${alt}`, 1e-10);
        assertClose(k.pValue, c[`kurt_${alt}`][1], `kurtosis p ${alt}`, 1e-9);
      }
    });
  }

  it('enforce the minimum sizes and note the small-sample caveat', () => {
    assert.throws(
      () => skewTest([1, 2, 3, 4, 5, 6, 7]),
      /at least 8 are needed \(the skewness test is valid from n = 8\)/,
    );
    assert.throws(() => kurtosisTest([1, 2, 3, 4]), /at least 5 are needed/);
    assert.match(kurtosisTest([1, 2, 3, 4, 7, 9]).notes![0], /only valid for n ≥ 20/);
    assert.throws(() => jarqueBera([3, 3, 3]), /x is constant/);
  });
});

describe('Jarque–Bera on data with a large mean and a small spread', () => {
  it('is exact to rounding (3e5 ± 1e-3; rational-arithmetic value, SciPy 1.10 agrees)', () => {
    const x = [
      300000.0013, 299999.9993, 300000.0021, 300000.0004, 299999.9989, 300000.0009, 300000.003, 299999.9998,
      300000.0017, 299999.9985, 300000.0001, 300000.0026,
    ];
    assertClose(jarqueBera(x).statistic, 0.694959429659828, 'JB', 1e-12);
  });
});
