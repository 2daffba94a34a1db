import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oneWayAnova } from '../../src/stats/anova.ts';
import { permutationTest } from '../../src/stats/permutation.ts';
import type { Alternative } from '../../src/stats/validate.ts';
import { assertClose, fixture } from './fixture.ts';

interface Case {
  type: 'independent' | 'samples' | 'pairings';
  stat: 'diffmeans' | 'mean' | 'pearson' | 'anovaF';
  data: number[][];
  alternative: Alternative;
  statistic: number;
  p: number;
  nResamples?: number;
}
const fx = fixture<{ permutation: Case[] }>('resampling.json');

const mean = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / x.length;
const pearson = (x: Float64Array, y: Float64Array) => {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
};
const statistics: Record<Case['stat'], (...s: Float64Array[]) => number> = {
  diffmeans: (x, y) => mean(x) - mean(y),
  mean,
  pearson,
  anovaF: (...g) => oneWayAnova(g).statistic,
};

describe('permutationTest, exact enumeration (scipy.stats.permutation_test)', () => {
  for (const c of fx.permutation) {
    it(`${c.type}, ${c.stat}, ${c.alternative}`, () => {
      const r = permutationTest(c.data, statistics[c.stat], {
        permutationType: c.type,
        alternative: c.alternative,
        nResamples: c.nResamples,
      });
      assert.equal(r.method, 'exact');
      assertClose(r.statistic, c.statistic, 'statistic', 1e-12);
      assertClose(r.pValue, c.p, 'p', 1e-12);
    });
  }
});

describe('permutationTest, Monte Carlo', () => {
  const x = Array.from({ length: 30 }, (_, i) => Math.sin(i) + 0.4);
  const y = Array.from({ length: 30 }, (_, i) => Math.cos(i * 1.3));
  const diff = statistics.diffmeans;

  it('draws random rearrangements when enumeration would be too long, reproducibly', () => {
    const a = permutationTest([x, y], diff, { nResamples: 999, seed: 5 });
    const b = permutationTest([x, y], diff, { nResamples: 999, seed: 5 });
    assert.equal(a.method, 'Monte Carlo');
    assert.equal(a.pValue, b.pValue);
    assert.ok(a.pValue > 0, 'never exactly 0: (count + 1)/(B + 1)');
  });

  it('agrees with the exact p-value when both can be computed', () => {
    const xs = x.slice(0, 7);
    const ys = y.slice(0, 7);
    const exact = permutationTest([xs, ys], diff, { nResamples: 5000 });
    assert.equal(exact.method, 'exact');
    const mc = permutationTest([xs, ys], diff, { nResamples: 3000, seed: 2 });
    assert.equal(mc.method, 'Monte Carlo');
    assert.ok(Math.abs(mc.pValue - exact.pValue) < 0.03, `${mc.pValue} vs ${exact.pValue}`);
  });

  it('rejects unequal paired samples and a single independent sample', () => {
    assert.throws(
      () => permutationTest([[1, 2], [1]], diff, { permutationType: 'samples' }),
      /must have the same length/,
    );
    assert.throws(() => permutationTest([[1, 2]], mean), /needs at least two samples/);
  });
});
