import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leveneTest, oneWayAnova } from '../../src/stats/anova.ts';
import { assertClose } from './fixture.ts';
import { tests } from './tests-fixture.ts';

const g = tests.groups;

describe('oneWayAnova (scipy.stats.f_oneway)', () => {
  it('matches F, p and eta-squared', () => {
    const r = oneWayAnova(g.groups);
    assertClose(r.statistic, g.anova.F, 'F', 1e-11);
    assertClose(r.pValue, g.anova.p, 'p', 1e-10);
    assertClose(r.effectSize!.value, g.anova.eta2, 'eta2', 1e-12);
    assert.deepEqual([r.df, r.df2], [2, 33]);
  });

  it('constant groups that differ give F = Infinity and p = 0 (with a note); all-equal data is an error', () => {
    const r = oneWayAnova([
      [1, 1, 1],
      [2, 2],
    ]);
    assert.equal(r.statistic, Number.POSITIVE_INFINITY);
    assert.equal(r.pValue, 0);
    assert.match(r.notes![0], /F is infinite/);
    assert.throws(
      () =>
        oneWayAnova([
          [3, 3],
          [3, 3],
        ]),
      /every value is the same/,
    );
    assert.throws(() => oneWayAnova([[1], [2]]), /2 values in 2 groups leave no degrees of freedom/);
  });
});

describe('leveneTest (scipy.stats.levene)', () => {
  for (const center of ['median', 'mean', 'trimmed'] as const) {
    it(`center ${center}`, () => {
      const r = leveneTest(g.groups, { center });
      assertClose(r.statistic, g.levene[center].W, 'W', 1e-10);
      assertClose(r.pValue, g.levene[center].p, 'p', 1e-10);
    });
  }
  it('trimmed with proportionToCut 0.2', () => {
    const r = leveneTest(g.groups, { center: 'trimmed', proportionToCut: 0.2 });
    assertClose(r.statistic, g.leveneTrim20.W, 'W', 1e-10);
    assertClose(r.pValue, g.leveneTrim20.p, 'p', 1e-10);
  });
  it('gives W = ∞ and p = 0, with a note, when the deviations vary only between groups (as SciPy)', () => {
    // Groups of two values: |x − centre| is the same within each group but not across them.
    // scipy.stats.levene([1, 2], [3, 7], [4, 4.5]) → statistic=inf, pvalue=0.0 (every centre).
    const groups = [
      [1, 2],
      [3, 7],
      [4, 4.5],
    ];
    for (const [center, words] of [
      ['median', 'medians'],
      ['mean', 'means'],
      ['trimmed', 'trimmed means'],
    ] as const) {
      const r = leveneTest(groups, { center });
      assert.equal(r.statistic, Number.POSITIVE_INFINITY);
      assert.equal(r.pValue, 0);
      assert.ok(r.notes?.some((n) => n.includes(`from the group ${words} vary only between groups`)));
    }
  });

  it('names the centre in words when every deviation is the same (W undefined; SciPy: NaN)', () => {
    const groups = [
      [1, 1],
      [3, 3],
    ];
    assert.throws(() => leveneTest(groups), /deviations from the group medians are all the same/);
    assert.throws(() => leveneTest(groups, { center: 'mean' }), /from the group means are all the same/);
    assert.throws(() => leveneTest(groups, { center: 'trimmed' }), /group trimmed means are all the same/);
  });
});
