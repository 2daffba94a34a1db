import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { captureWarnings } from '../../src/core/warnings.ts';
import {
  kruskalWallis,
  mannWhitneyExactSf,
  mannWhitneyU,
  wilcoxonSignedRank,
} from '../../src/stats/rank-tests.ts';
import { assertClose } from './fixture.ts';
import { tests } from './tests-fixture.ts';

describe('mannWhitneyU (scipy.stats.mannwhitneyu)', () => {
  for (const c of tests.mannwhitney) {
    it(`${c.name}: ${c.alternative}, method ${c.method}${c.continuity ? '' : ', no continuity'}`, () => {
      const r = mannWhitneyU(c.x, c.y, {
        alternative: c.alternative,
        method: c.method,
        continuity: c.continuity,
      });
      assertClose(r.statistic, c.U, 'U', 0);
      assertClose(r.pValue, c.p, 'p');
    });
  }

  it('auto picks exact for small samples without ties, asymptotic otherwise', () => {
    assert.equal(mannWhitneyU([1, 2, 3], [4, 5, 6, 7]).method, 'exact');
    assert.equal(mannWhitneyU([1, 2, 2], [4, 5, 6, 7]).method, 'asymptotic');
  });

  it('the exact tail sums to 1 and is symmetric', () => {
    for (const [m, n] of [
      [3, 4],
      [5, 5],
      [8, 20],
    ]) {
      assert.equal(mannWhitneyExactSf(0, m, n), 1);
      for (let u = 0; u <= m * n; u++)
        assertClose(
          mannWhitneyExactSf(u, m, n),
          1 - mannWhitneyExactSf(m * n - u + 1, m, n),
          `sf(${u})`,
          1e-12,
          1e-15,
        );
    }
  });

  it('reports the rank-biserial correlation', () => {
    const r = mannWhitneyU([5, 6, 7], [1, 2, 3]);
    assert.equal(r.effectSize!.value, 1);
    assert.throws(() => mannWhitneyU([], [1, 2]), /x has 0 values; at least 1 is needed/);
  });
});

describe('wilcoxonSignedRank (scipy.stats.wilcoxon)', () => {
  for (const c of tests.wilcoxon) {
    it(`${c.name}: ${c.alternative}, ${c.zeroMethod}${c.correction ? ', corrected' : ''}`, () => {
      const opts = {
        alternative: c.alternative,
        zeroMethod: c.zeroMethod,
        correction: c.correction,
        method: c.method,
      };
      const r = c.d ? wilcoxonSignedRank(c.d, null, opts) : wilcoxonSignedRank(c.x!, c.y!, opts);
      assertClose(r.statistic, c.T, 'T', 1e-14);
      assertClose(r.pValue, c.p, 'p');
    });
  }

  it('auto uses the normal approximation for tied |differences| (documented difference from SciPy 1.10)', () => {
    const r = wilcoxonSignedRank([1, -2, 2, 3, -1, 4, 2, 5, -3, 1, 6, 2]);
    assert.equal(r.method, 'approx');
    assert.throws(
      () => wilcoxonSignedRank([1, -2, 2, 3], null, { method: 'exact' }),
      /assumes no tied \|differences\|/,
    );
  });

  it('switches from exact to the approximation with zero differences, with a warning', () => {
    const { result, warnings } = captureWarnings(() =>
      wilcoxonSignedRank([0, 1, 2, -3, 4, 5], null, { method: 'exact' }),
    );
    assert.equal(result.method, 'approx');
    assert.match(warnings[0].message, /zero differences/);
  });

  it('rejects all-zero differences unless zsplit', () => {
    assert.throws(() => wilcoxonSignedRank([0, 0, 0]), /every difference is zero/);
    assert.equal(wilcoxonSignedRank([0, 0, 0], null, { zeroMethod: 'zsplit' }).pValue, 1);
  });
});

describe('kruskalWallis (scipy.stats.kruskal)', () => {
  it('matches H and p with ties', () => {
    const r = kruskalWallis(tests.groups.groups);
    assertClose(r.statistic, tests.groups.kruskal.H, 'H');
    assertClose(r.pValue, tests.groups.kruskal.p, 'p');
    assert.equal(r.df, 2);
  });

  it('rejects one group and identical values', () => {
    assert.throws(() => kruskalWallis([[1, 2, 3]]), /needs at least two groups; got 1/);
    assert.throws(
      () =>
        kruskalWallis([
          [2, 2],
          [2, 2, 2],
        ]),
      /all 5 values are identical/,
    );
  });
});
