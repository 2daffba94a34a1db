import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kendallTau, pearsonTest, spearmanTest } from '../../src/stats/correlation-test.ts';
import { assertClose } from './fixture.ts';
import { tests } from './tests-fixture.ts';

describe('pearsonTest, spearmanTest, kendallTau (SciPy pearsonr, spearmanr, kendalltau)', () => {
  for (const c of tests.correlation) {
    it(`${c.name}, ${c.alternative}`, () => {
      if (c.pearson) {
        const p = pearsonTest(c.x, c.y, { alternative: c.alternative });
        assertClose(p.statistic, c.pearson[0], 'r', 1e-13);
        assertClose(p.pValue, c.pearson[1], 'p');
        if (c.alternative === 'two-sided') {
          assertClose(p.confidenceInterval!.lower, c.pearsonCI![0], 'CI lower', 1e-12);
          assertClose(p.confidenceInterval!.upper, c.pearsonCI![1], 'CI upper', 1e-12);
        }
        const s = spearmanTest(c.x, c.y, { alternative: c.alternative });
        assertClose(s.statistic, c.spearman![0], 'rho', 1e-13);
        assertClose(s.pValue, c.spearman![1], 'rho p');
        if (c.alternative === 'two-sided') {
          assertClose(s.confidenceInterval!.lower, c.spearmanCI2![0], 'rho CI lower', 1e-12);
          assertClose(s.confidenceInterval!.upper, c.spearmanCI2![1], 'rho CI upper', 1e-12);
        }
      }
      const k = kendallTau(c.x, c.y, { alternative: c.alternative, method: c.kendallMethod });
      assertClose(k.statistic, c.kendall[0], 'tau', 1e-13);
      assertClose(k.pValue, c.kendall[1], 'tau p');
    });
  }

  it('uses the exact Kendall distribution for small samples without ties', () => {
    assert.equal(kendallTau([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]).method, 'exact');
    assert.equal(kendallTau([1, 2, 2, 4, 5], [2, 1, 4, 3, 5]).method, 'asymptotic');
    assert.throws(
      () => kendallTau([1, 2, 2, 4], [1, 2, 3, 4], { method: 'exact' }),
      /exact distribution assumes no ties/,
    );
  });

  it('gives a perfect correlation exactly ±1 and p 0 (as SciPy for ranks 1, 2, 3)', () => {
    for (const [x, y, r] of [
      [[1, 2, 3], [1, 2, 3], 1],
      [[1, 2, 3, 4, 5], [5, 4, 3, 2, 1], -1],
      [[0.1, 0.7, 0.3, 2.2, 1.9, 5], [0.1, 0.7, 0.3, 2.2, 1.9, 5], 1],
    ] as const) {
      for (const test of [spearmanTest, pearsonTest]) {
        const res = test([...x], [...y]);
        assert.equal(res.statistic, r, `${test.name} ${x}`);
        assert.equal(res.pValue, 0, `${test.name} ${x}`);
      }
    }
  });

  it('rejects a constant variable, naming it', () => {
    assert.throws(() => pearsonTest([1, 2, 3], [5, 5, 5]), /y is constant, so the correlation is undefined/);
    assert.throws(() => spearmanTest([4, 4, 4, 4], [1, 2, 3, 4]), /x is constant/);
  });

  it('drops pairs with a missing value', () => {
    const a = pearsonTest([1, 2, Number.NaN, 4, 5], [2, 1, 3, Number.NaN, 6]);
    assert.deepEqual(a.n, [3]);
  });
});
