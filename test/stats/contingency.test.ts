import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chiSquareGoodnessOfFit, chiSquareIndependence, fisherExact } from '../../src/stats/contingency.ts';
import { assertAllClose, assertClose } from './fixture.ts';
import { tests } from './tests-fixture.ts';

describe('chiSquareGoodnessOfFit (scipy.stats.chisquare / power_divergence)', () => {
  tests.chisquare.forEach((c, i) => {
    it(`case ${i}: ${c.expected ? 'given expected' : 'uniform'}, ddof ${c.ddof}, ${c.lambda ?? 'pearson'}`, () => {
      const r = chiSquareGoodnessOfFit(c.observed, { expected: c.expected, ddof: c.ddof, lambda: c.lambda });
      assertClose(r.statistic, c.stat, 'chi2');
      assertClose(r.pValue, c.p, 'p');
    });
  });

  it('accepts probabilities and reports Cohen\u2019s w', () => {
    const a = chiSquareGoodnessOfFit([18, 25, 30, 27], { probabilities: [0.25, 0.25, 0.25, 0.25] });
    const b = chiSquareGoodnessOfFit([18, 25, 30, 27]);
    assert.equal(a.statistic, b.statistic);
    assertClose(a.effectSize!.value, Math.sqrt(a.statistic / 100), 'w', 1e-15);
  });

  it('rejects mismatched totals, negative counts and zero expectations', () => {
    assert.throws(
      () => chiSquareGoodnessOfFit([10, 10], { expected: [5, 10] }),
      /sum to 15 but the observed ones to 20/,
    );
    assert.throws(
      () => chiSquareGoodnessOfFit([10, -1]),
      /observed\[1\] is -1; counts must be finite and ≥ 0/,
    );
    assert.throws(() => chiSquareGoodnessOfFit([10, 5], { expected: [15, 0] }), /expected count 1 is 0/);
    assert.throws(() => chiSquareGoodnessOfFit([10, 5, 3], { ddof: 2 }), /leaves 0 degrees of freedom/);
  });
});

describe('chiSquareIndependence (scipy.stats.chi2_contingency, contingency.association)', () => {
  for (const c of tests.contingency) {
    it(`${c.name}, correction ${c.correction}, ${c.lambda}`, () => {
      const r = chiSquareIndependence(c.table, { correction: c.correction, lambda: c.lambda });
      assertClose(r.statistic, c.stat, 'chi2');
      assertClose(r.pValue, c.p, 'p');
      assert.equal(r.df, c.df);
      assertAllClose(r.details!.expected as number[], c.expected, 'expected', 1e-14);
      assertClose(r.effectSize!.value, c.cramer, "Cramér's V", 1e-12);
    });
  }

  it('names an empty row or column', () => {
    assert.throws(
      () =>
        chiSquareIndependence([
          [1, 0],
          [2, 0],
        ]),
      /column 1 of the table sums to 0/,
    );
    assert.throws(() => chiSquareIndependence([[1, 2], [3]]), /row 1 of the table has 1 counts; row 0 has 2/);
  });
});

describe('fisherExact (scipy.stats.fisher_exact, odds_ratio conditional)', () => {
  for (const c of tests.fisher) {
    it(`${JSON.stringify(c.table)} ${c.alternative}`, () => {
      const r = fisherExact(c.table, { alternative: c.alternative });
      assertClose(r.statistic, c.oddsRatio, 'sample odds ratio', 1e-15);
      assertClose(r.pValue, c.p, 'p');
      assertClose(r.effectSize!.value, c.conditional, 'conditional odds ratio');
      assertClose(r.confidenceInterval!.lower, c.ci[0], 'CI lower', 1e-8, 1e-12);
      assertClose(r.confidenceInterval!.upper, c.ci[1], 'CI upper');
    });
  }

  it('gives p = 1 and NaN odds for an empty margin, and rejects non-2×2 or fractional tables', () => {
    const r = fisherExact([
      [0, 0],
      [3, 4],
    ]);
    assert.equal(r.pValue, 1);
    assert.ok(Number.isNaN(r.statistic));
    assert.throws(
      () =>
        fisherExact([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      /needs a 2×2 table; got 2×3/,
    );
    assert.throws(
      () =>
        fisherExact([
          [1.5, 2],
          [3, 4],
        ]),
      /whole counts/,
    );
  });
});
