import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aucConfidenceInterval,
  bootstrapMetricDifference,
  correctedResampledTTest,
  delongTest,
  mcnemarTest,
  pairedTTest5x2cv,
} from '../../src/stats/model-comparison.ts';
import type { Alternative } from '../../src/stats/validate.ts';
import { assertClose, fixture } from './fixture.ts';

interface Fx {
  nadeau: {
    a: number[];
    b: number[];
    nTrain: number;
    nTest: number;
    alternative: Alternative;
    t: number;
    p: number;
    ci95: number[];
  }[];
  fiveByTwo: { a: number[][]; b: number[][]; t: number; p: number; f: number; fp: number };
  mcnemar: {
    yTrue: number[];
    predA: number[];
    predB: number[];
    cases: { exact: boolean; correction: boolean; stat: number; p: number }[];
  };
  delong: {
    yTrue: number[];
    a: number[];
    b: number[];
    aucA: number;
    aucB: number;
    varA: number;
    varB: number;
    cov: number;
    z: number;
    p: number;
    ci: number[];
  };
}
const fx = fixture<Fx>('compare.json');

describe('correctedResampledTTest (Nadeau–Bengio)', () => {
  for (const c of fx.nadeau) {
    it(c.alternative, () => {
      const r = correctedResampledTTest(c.a, c.b, {
        nTrain: c.nTrain,
        nTest: c.nTest,
        alternative: c.alternative,
      });
      assertClose(r.statistic, c.t, 't');
      assertClose(r.pValue, c.p, 'p');
      assert.equal(r.df, c.a.length - 1);
      if (c.alternative === 'two-sided') {
        assertClose(r.confidenceInterval!.lower, c.ci95[0], 'CI lower', 1e-8);
        assertClose(r.confidenceInterval!.upper, c.ci95[1], 'CI upper', 1e-8);
      }
    });
  }
  it('rejects mismatched or constant scores', () => {
    assert.throws(
      () => correctedResampledTTest([1, 2], [1], { nTrain: 9, nTest: 1 }),
      /2 scores for A but 1 for B/,
    );
    assert.throws(() => correctedResampledTTest([1, 2], [0, 1], { nTrain: 9, nTest: 1 }), /zero variance/);
    assert.throws(
      () => correctedResampledTTest([1, 2], [0, 1], {} as never),
      /nTrain must be an integer ≥ 1/,
    );
  });
});

describe('pairedTTest5x2cv (Dietterich; Alpaydın combined F)', () => {
  it('matches the formulas', () => {
    const c = fx.fiveByTwo;
    const r = pairedTTest5x2cv(c.a, c.b);
    assertClose(r.statistic, c.t, 't');
    assertClose(r.pValue, c.p, 'p');
    assertClose(r.details!.combinedF as number, c.f, 'F');
    assertClose(r.details!.combinedFPValue as number, c.fp, 'F p');
    assert.equal(pairedTTest5x2cv(c.a.flat(), c.b.flat()).statistic, r.statistic);
    assert.throws(() => pairedTTest5x2cv([1, 2, 3], [1, 2, 3]), /must hold 5 × 2 scores/);
  });
});

describe('mcnemarTest (statsmodels mcnemar)', () => {
  for (const c of fx.mcnemar.cases) {
    it(`exact ${c.exact}, correction ${c.correction}`, () => {
      const r = mcnemarTest(fx.mcnemar.yTrue, fx.mcnemar.predA, fx.mcnemar.predB, {
        exact: c.exact,
        correction: c.correction,
      });
      assertClose(r.statistic, c.stat, 'statistic');
      assertClose(r.pValue, c.p, 'p');
    });
  }
  it('works with string labels and chooses exact for few discordant pairs', () => {
    const r = mcnemarTest(['a', 'b', 'a'], ['a', 'b', 'b'], ['a', 'a', 'a']);
    assert.equal(r.method, 'exact (binomial)');
    assert.equal(r.pValue, 1);
  });
});

describe('delongTest (fast DeLong; independent NumPy implementation, sklearn AUCs)', () => {
  it('matches AUCs, variances, z, p and the interval', () => {
    const c = fx.delong;
    const r = delongTest(c.yTrue, c.a, c.b);
    const d = r.details!;
    assertClose(d.aucA as number, c.aucA, 'AUC A', 1e-14);
    assertClose(d.aucB as number, c.aucB, 'AUC B', 1e-14);
    assertClose(d.varianceA as number, c.varA, 'var A', 1e-12);
    assertClose(d.varianceB as number, c.varB, 'var B', 1e-12);
    assertClose(d.covariance as number, c.cov, 'cov', 1e-12);
    assertClose(r.statistic, c.z, 'z', 1e-12);
    assertClose(r.pValue, c.p, 'p', 1e-12);
    assertClose(r.confidenceInterval!.lower, c.ci[0], 'CI lower', 1e-12);
    assertClose(r.confidenceInterval!.upper, c.ci[1], 'CI upper', 1e-12);
    const one = aucConfidenceInterval(c.yTrue, c.a);
    assertClose(one.standardError, Math.sqrt(c.varA), 'single-AUC se', 1e-12);
  });
  it('rejects non-binary labels and identical rankings', () => {
    assert.throws(() => delongTest([0, 1, 2, 1], [1, 2, 3, 4], [1, 2, 3, 4]), /yTrue\[2\] is 2/);
    assert.throws(() => delongTest([0, 1, 0, 1], [1, 2, 3, 4], [2, 4, 6, 8]), /rank the cases identically/);
  });
});

describe('bootstrapMetricDifference', () => {
  it('is a paired interval for metric(A) − metric(B)', () => {
    const c = fx.mcnemar;
    const acc = (t: ArrayLike<number>, p: ArrayLike<number>) => {
      let k = 0;
      for (let i = 0; i < t.length; i++) if (t[i] === p[i]) k++;
      return k / t.length;
    };
    const r = bootstrapMetricDifference(c.yTrue, c.predA, c.predB, acc, {
      nResamples: 500,
      method: 'percentile',
    });
    assertClose(r.estimate, acc(c.yTrue, c.predA) - acc(c.yTrue, c.predB), 'estimate', 1e-15);
    assert.ok(r.lower < r.estimate && r.estimate < r.upper);
  });
});
