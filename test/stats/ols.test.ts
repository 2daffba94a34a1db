import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import type { FormulaFrame } from '../../src/stats/design.ts';
import { type OlsCovType, olsFit } from '../../src/stats/ols.ts';
import { formatOlsSummary } from '../../src/stats/ols-format.ts';
import { assertAllClose, assertClose, fixture } from './fixture.ts';

interface CovRec {
  bse: number[];
  t: number[];
  p: number[];
  ci: number[];
  ci90: number[];
  f: number;
  fp: number;
  useT: boolean;
}
interface OlsCase extends Record<OlsCovType, CovRec> {
  formula: string;
  names: string[];
  params: number[];
  nobs: number;
  dfModel: number;
  dfResid: number;
  kConstant: number;
  r2: number;
  adjR2: number;
  llf: number;
  aic: number;
  bic: number;
  ssr: number;
  ess: number;
  scale: number;
  cond: number;
  minEig: number;
  dw: number;
  jb: number;
  jbp: number;
  skew: number;
  kurtosis: number;
  omnibus: number;
  omnibusP: number;
  bp: number[];
  vif: Record<string, number>;
  cov: number[];
  fitted: number[];
  rows: number[];
}
interface Fx {
  frame: Record<string, (number | string)[]>;
  cases: OlsCase[];
  longley: {
    data: Record<string, number[]>;
    statsmodels: OlsCase;
    certified: { coef: string[]; se: string[]; residualSD: string; rSquared: string; fStatistic: string };
    exact: {
      coef: string[];
      se: string[];
      residualSD: string;
      rSquared: string;
      fStatistic: string;
      hc: Record<string, string[]>;
    };
  };
}
const fx = fixture<Fx>('ols.json');

/** The fixture writes missing values as null, read back as NaN; string columns need null. */
const frame: FormulaFrame = Object.fromEntries(
  Object.entries(fx.frame).map(([k, v]) => [
    k,
    v.some((x) => typeof x === 'string') ? v.map((x) => (typeof x === 'number' ? null : x)) : (v as number[]),
  ]),
) as FormulaFrame;

/** patsy names a level of an integer-valued float64 column '2.0'; Lathe prints numbers as JavaScript does ('2'). */
const patsyName = (s: string) => s.replace(/\[T\.(\d+)\.0\]/g, '[T.$1]');

function checkCase(c: OlsCase, data: FormulaFrame, tol = 1e-8): void {
  const r = olsFit(data, c.formula);
  assert.deepEqual(
    r.coefficients.map((x) => x.name),
    c.names.map(patsyName),
  );
  assertAllClose(
    r.coefficients.map((x) => x.coef),
    c.params,
    'coef',
    1e-8,
    1e-12,
  );
  assert.equal(r.nobs, c.nobs);
  assert.equal(r.dfModel, c.dfModel);
  assert.equal(r.dfResid, c.dfResid);
  assert.equal(r.kConstant, c.kConstant);
  assertClose(r.rSquared, c.r2, 'R2');
  assertClose(r.adjRSquared, c.adjR2, 'adj R2');
  assertClose(r.logLikelihood, c.llf, 'llf');
  assertClose(r.aic, c.aic, 'AIC');
  assertClose(r.bic, c.bic, 'BIC');
  assertClose(r.ssr, c.ssr, 'SSR');
  assertClose(r.ess, c.ess, 'ESS');
  assertClose(r.scale, c.scale, 'scale');
  assertAllClose(r.covariance.flat(), c.cov, 'covariance', 1e-8, 1e-12 * Math.max(...c.cov.map(Math.abs)));
  assertAllClose(r.fitted, c.fitted, 'fitted', 1e-8, 1e-10);
  assert.deepEqual(r.rows, c.rows);
  const d = r.diagnostics;
  assertClose(d.durbinWatson, c.dw, 'Durbin–Watson');
  assertClose(d.jarqueBera, c.jb, 'JB');
  assertClose(d.jarqueBeraPValue, c.jbp, 'JB p');
  assertClose(d.skew, c.skew, 'skew', 1e-8, 1e-10);
  assertClose(d.kurtosis, c.kurtosis, 'kurtosis');
  assertClose(d.omnibus!, c.omnibus, 'omnibus');
  assertClose(d.omnibusPValue!, c.omnibusP, 'omnibus p');
  assertClose(d.conditionNumber, c.cond, 'condition number', tol);
  assertClose(d.smallestEigenvalue, c.minEig, 'smallest eigenvalue', 2 * tol);
  if (d.breuschPagan) {
    const bp = d.breuschPagan;
    assertAllClose([bp.lm, bp.lmPValue, bp.f, bp.fPValue], c.bp, 'Breusch–Pagan');
  }
  for (const [name, v] of Object.entries(c.vif)) assertClose(d.vif[patsyName(name)]!, v, `VIF ${name}`);
  for (const cov of ['nonrobust', 'HC0', 'HC1', 'HC2', 'HC3'] as OlsCovType[]) {
    const want = c[cov];
    const rr = cov === 'nonrobust' ? r : olsFit(data, c.formula, { covType: cov });
    const rr90 = olsFit(data, c.formula, { covType: cov, confidenceLevel: 0.9 });
    assert.equal(rr.useT, want.useT);
    assertAllClose(
      rr.coefficients.map((x) => x.stdErr),
      want.bse,
      `${cov} std err`,
      tol,
    );
    assertAllClose(
      rr.coefficients.map((x) => x.statistic),
      want.t,
      `${cov} t`,
      tol,
      1e-12,
    );
    assertAllClose(
      rr.coefficients.map((x) => x.pValue),
      want.p,
      `${cov} p`,
      tol,
    );
    assertAllClose(
      rr.coefficients.flatMap((x) => [x.ciLower, x.ciUpper]),
      want.ci,
      `${cov} 95% CI`,
      tol,
      1e-12,
    );
    assertAllClose(
      rr90.coefficients.flatMap((x) => [x.ciLower, x.ciUpper]),
      want.ci90,
      `${cov} 90% CI`,
      tol,
      1e-12,
    );
    assertClose(rr.fStatistic, want.f, `${cov} F`, tol);
    assertClose(rr.fPValue, want.fp, `${cov} F p`, tol);
  }
}

describe('olsFit (statsmodels smf.ols oracle)', () => {
  for (const c of fx.cases) it(c.formula, () => checkCase(c, frame));
});

describe('olsFit on NIST StRD Longley', () => {
  const data = fx.longley.data as FormulaFrame;
  const formula = 'TOTEMP ~ GNPDEFL + GNP + UNEMP + ARMED + POP + YEAR';
  const r = olsFit(data, formula);

  it('matches every certified coefficient and standard error to at least 11 significant digits', () => {
    const digits = (got: number, want: string) =>
      -Math.log10(Math.abs(got - Number(want)) / Math.abs(Number(want)));
    r.coefficients.forEach((c, j) => {
      assert.ok(
        digits(c.coef, fx.longley.certified.coef[j]) >= 11,
        `coef ${c.name}: ${c.coef} vs certified ${fx.longley.certified.coef[j]}`,
      );
      assert.ok(
        digits(c.stdErr, fx.longley.certified.se[j]) >= 11,
        `se ${c.name}: ${c.stdErr} vs certified ${fx.longley.certified.se[j]}`,
      );
      // and to 1e-11 against the exact rational solution (25 digits) the oracle recomputed
      assertClose(c.coef, Number(fx.longley.exact.coef[j]), `exact coef ${c.name}`, 1e-11);
      assertClose(c.stdErr, Number(fx.longley.exact.se[j]), `exact se ${c.name}`, 1e-11);
    });
    assertClose(r.rSquared, Number(fx.longley.certified.rSquared), 'R2', 1e-12);
    assertClose(r.fStatistic, Number(fx.longley.certified.fStatistic), 'F', 1e-10);
    assertClose(Math.sqrt(r.scale), Number(fx.longley.certified.residualSD), 'residual SD', 1e-11);
  });

  it('matches the exact heteroscedasticity-robust (HC0–HC3) standard errors', () => {
    for (const cov of ['HC0', 'HC1', 'HC2', 'HC3'] as OlsCovType[]) {
      const rr = olsFit(data, formula, { covType: cov });
      rr.coefficients.forEach((c, j) =>
        assertClose(c.stdErr, Number(fx.longley.exact.hc[cov][j]), `${cov} se ${c.name}`, 1e-10),
      );
    }
  });

  // Condition number 4.86e9: everything statsmodels derives from σ_min, the robust covariances or
  // their inverse (the robust Wald F) is only defined to ~κ·ε ≈ 1e-6 in any implementation; the
  // exact comparisons above are the tight ones.
  it('matches statsmodels to the precision the conditioning allows', () =>
    checkCase(fx.longley.statsmodels, data, 1e-6));

  it('renders a statsmodels-style summary with the large-condition-number note', () => {
    const text = formatOlsSummary(r);
    assert.match(text, /^ {28}OLS Regression Results\n={78}\n/);
    assert.match(text, /Dep\. Variable: {17}TOTEMP {3}R-squared: {23}0\.995/);
    assert.match(
      text,
      /\n-{78}\nIntercept +-3\.482e\+06 +8\.9e\+05 +-3\.911 +0\.004 +-5\.5e\+06 +-1\.47e\+06\n/,
    );
    assert.match(text, /GNPDEFL +15\.0619 +84\.915 +0\.177 +0\.863 +-177\.029 +207\.153/);
    assert.match(text, /Durbin-Watson: +2\.559/);
    assert.match(text, /Cond\. No\. +4\.86e\+09/);
    assert.match(
      text,
      /\[2\] The condition number is large, 4\.86e\+09\. This might indicate that there are\nstrong multicollinearity/,
    );
    const table = text.slice(0, text.indexOf('Notes:'));
    for (const line of table.split('\n')) assert.ok(line.length <= 78, `line too long: ${line}`);
  });
});

describe('olsFit errors', () => {
  const data = {
    y: [1, 2, 3, 4, 5, 7],
    a: [1, 2, 3, 4, 5, 6],
    b: [2, 1, 2, 1, 2, 1],
    g: ['u', 'v', 'u', 'v', 'u', 'v'],
  };

  it('names the collinear columns of a singular design and the combination', () => {
    assert.throws(
      () => olsFit({ ...data, c: data.a.map((v, i) => 2 * v - data.b[i]) }, 'y ~ a + b + c'),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.match(e.message, /the design matrix is singular \(rank 3 of 4 columns\)/);
        assert.match(e.message, /'(a|b|c)' = /);
        assert.match(e.message, /Fix: drop '(a|b|c)'/);
        return true;
      },
    );
    // b is exactly the dummy of g: C(g)[T.v] = 2 − b
    assert.throws(() => olsFit(data, 'y ~ b + g'), /singular.*'(b|g\[T\.v\]|Intercept)' =/s);
  });

  it('rejects too few rows for the coefficients', () => {
    assert.throws(
      () => olsFit({ y: [1, 2], a: [3, 4] }, 'y ~ a'),
      /2 rows for 2 coefficients leave no residual degrees of freedom/,
    );
  });

  it('uses uncentred R² without a constant, and detects an implicit constant (C(g) − 1)', () => {
    const nc = olsFit(data, 'y ~ a - 1');
    assert.equal(nc.kConstant, 0);
    assert.match(nc.notes[0], /uncentered/);
    assert.equal(olsFit(data, 'y ~ g - 1').kConstant, 1);
  });
});

describe('olsFit HC2/HC3 with a row of leverage 1', () => {
  // Level 'c' has a single row (row 5): it alone determines C(g)[T.c], so its leverage is 1 and
  // its residual 0, and HC2/HC3's e²/(1 − h)ᵏ is 0/0 on rounding noise (this gave NaN standard
  // errors here; other data gave ±Infinity or arbitrary finite numbers). The row now adds nothing
  // to the sandwich, as with HC0/HC1. Expected: (XᵀX)⁻¹Xᵀ diag(w)X(XᵀX)⁻¹ in NumPy with w₅ = 0.
  const data = {
    y: [1.2, 2.3, 2.9, 4.1, 5.2, 9.7],
    x: [1, 2, 3, 4, 5, 6],
    g: ['a', 'a', 'b', 'b', 'a', 'c'],
  };
  const expected: Record<string, number[]> = {
    HC2: [0.08513813657720647, 0.13444724978391479, 0.18747882968875612, 0.04228222492970001],
    HC3: [0.22027247966956737, 0.34817972845891176, 0.6820231819505721, 0.14809122863499852],
  };
  for (const cov of ['HC2', 'HC3'] as OlsCovType[]) {
    it(`${cov}: finite standard errors without that row's contribution, and a note naming it`, () => {
      const r = olsFit(data, 'y ~ C(g) + x', { covType: cov });
      r.coefficients.forEach((c, j) => assertClose(c.stdErr, expected[cov][j], `${cov} se ${c.name}`, 1e-10));
      assert.ok(Number.isFinite(r.fStatistic), `F ${r.fStatistic}`);
      assert.match(r.notes.join('\n'), /Row 5 has leverage 1/);
    });
  }
});
