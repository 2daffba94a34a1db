import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { captureWarnings } from '../../src/core/warnings.ts';
import type { FormulaFrame } from '../../src/stats/design.ts';
import { logitFit } from '../../src/stats/logit.ts';
import { formatLogitSummary } from '../../src/stats/ols-format.ts';
import { assertAllClose, assertClose, fixture } from './fixture.ts';

interface Case {
  formula: string;
  data: FormulaFrame;
  names: string[];
  params: number[];
  bse: number[];
  z: number[];
  p: number[];
  ci: number[];
  oddsCI: number[];
  llf: number;
  llnull: number;
  llr: number;
  llrp: number;
  prsq: number;
  aic: number;
  bic: number;
  dfModel: number;
  dfResid: number;
  cov: number[];
}
const fx = fixture<{ cases: Case[] }>('logit.json');

describe('logitFit (statsmodels smf.logit oracle)', () => {
  for (const c of fx.cases) {
    it(c.formula, () => {
      const r = logitFit(c.data, c.formula);
      assert.deepEqual(
        r.coefficients.map((x) => x.name),
        c.names,
      );
      assert.equal(r.converged, true);
      assertAllClose(
        r.coefficients.map((x) => x.coef),
        c.params,
        'coef',
      );
      assertAllClose(
        r.coefficients.map((x) => x.stdErr),
        c.bse,
        'se',
      );
      assertAllClose(
        r.coefficients.map((x) => x.statistic),
        c.z,
        'z',
      );
      assertAllClose(
        r.coefficients.map((x) => x.pValue),
        c.p,
        'p',
      );
      assertAllClose(
        r.coefficients.flatMap((x) => [x.ciLower, x.ciUpper]),
        c.ci,
        'CI',
      );
      assertAllClose(
        r.coefficients.flatMap((x) => [x.oddsRatioLower, x.oddsRatioUpper]),
        c.oddsCI,
        'odds-ratio CI',
      );
      assertAllClose(
        r.coefficients.map((x) => x.oddsRatio),
        c.params.map(Math.exp),
        'odds ratio',
        1e-8,
      );
      assertAllClose(r.covariance.flat(), c.cov, 'covariance');
      assertClose(r.logLikelihood, c.llf, 'llf');
      assertClose(r.llNull, c.llnull, 'llnull');
      assertClose(r.llr, c.llr, 'LLR');
      assertClose(r.llrPValue, c.llrp, 'LLR p');
      assertClose(r.pseudoRSquared, c.prsq, 'pseudo R2');
      assertClose(r.aic, c.aic, 'AIC');
      assertClose(r.bic, c.bic, 'BIC');
      assert.equal(r.dfModel, c.dfModel);
      assert.equal(r.dfResid, c.dfResid);
    });
  }

  it('accepts a two-level string response (the second sorted level is 1)', () => {
    const c = fx.cases[1];
    const { y: _numeric, ...rest } = c.data;
    const r = logitFit(rest, c.formula.replace(/^y/, 'label'));
    assert.equal(r.positiveLevel, 'yes');
    assertAllClose(
      r.coefficients.map((x) => x.coef),
      c.params,
      'coef',
    );
    assert.match(formatLogitSummary(r), /Note: label = 'yes' is coded as 1\./);
  });

  it('renders a statsmodels-style summary with odds ratios', () => {
    const text = formatLogitSummary(logitFit(fx.cases[0].data, fx.cases[0].formula));
    assert.match(text, /^ {27}Logit Regression Results\n/);
    assert.match(text, /Pseudo R-squ\.: +0\.3740/);
    assert.match(text, /LLR p-value: +0\.001502/);
    assert.match(text, /GPA +2\.8261 +1\.263 +2\.238 +0\.025 +0\.351 +5\.301/);
    assert.match(text, /odds ratio/);
  });

  it('reports perfect separation, a non-binary response and a constant response', () => {
    const sep = { y: [0, 0, 0, 1, 1, 1], x: [1, 2, 3, 4, 5, 6] };
    assert.throws(
      () => logitFit(sep, 'y ~ x'),
      (e: unknown) => e instanceof ValidationError && /perfect separation/.test(e.message),
    );
    assert.throws(
      () => logitFit({ y: [0, 1, 2, 1], x: [1, 2, 3, 4] }, 'y ~ x'),
      /is 2 in row 3; it must be 0 or 1/,
    );
    assert.throws(() => logitFit({ y: [1, 1, 1], x: [1, 2, 3] }, 'y ~ x'), /every response value is 1/);
    assert.throws(() => logitFit({ y: ['a', 'b', 'c'], x: [1, 2, 3] }, 'y ~ x'), /has 3 levels/);
  });

  it('warns (ConvergenceWarning) on quasi-complete separation, as statsmodels', () => {
    // x > 4 is always 1; at x = 4 both classes occur
    const quasi = { y: [0, 0, 0, 0, 1, 1, 1, 1], x: [1, 2, 3, 4, 4, 5, 6, 7] };
    const { result, warnings } = captureWarnings(() => logitFit(quasi, 'y ~ x'));
    assert.equal(result.converged, false);
    assert.equal(warnings[0].category, 'ConvergenceWarning');
    assert.ok(result.coefficients[1].stdErr > 100);
  });
});
