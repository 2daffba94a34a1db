/**
 * Text summaries of regression results in the layout of statsmodels' `summary()`: a two-column
 * block of model statistics, the coefficient table (coef, std err, t or z, P>|t|, interval),
 * and for OLS the residual diagnostics and the notes. Numbers use statsmodels' formats (Python's
 * `%g`/`%f` rules, emulated by {@link pyG}). There is no date or time line, so the output is
 * reproducible.
 *
 * @module
 */

import type { LogitResult } from './logit.ts';
import type { OlsResult } from './ols.ts';

const WIDTH = 78;

/** Python's `%[#][w].[p]g`: `prec` significant digits, scientific below 1e-4 or from 10^prec; `alt` (`#`) keeps trailing zeros. */
export function pyG(x: number, prec: number, width = 0, alt = false): string {
  let s: string;
  if (!Number.isFinite(x)) s = Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  else if (x === 0) s = alt ? `0.${'0'.repeat(Math.max(0, prec - 1))}` : '0';
  else {
    const p = Math.max(1, prec);
    const exp = Math.floor(Math.log10(Math.abs(Number(x.toExponential(p - 1)))));
    if (exp < -4 || exp >= p) {
      const [mant, e] = x.toExponential(p - 1).split('e');
      const m = alt ? (mant.includes('.') ? mant : `${mant}.`) : mant.replace(/\.?0+$/, '');
      const en = Number(e);
      s = `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
    } else {
      const f = x.toFixed(Math.max(0, p - 1 - exp));
      s = alt ? (f.includes('.') ? f : `${f}.`) : f.includes('.') ? f.replace(/\.?0+$/, '') : f;
    }
  }
  return s.padStart(width);
}

/** Python's `%w.pf`. */
export function pyF(x: number, prec: number, width = 0): string {
  const s = Number.isFinite(x) ? x.toFixed(prec) : Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  return s.padStart(width);
}

/** statsmodels' `forg`: `prec` decimals, or `%g` when the value is below 1e-4 or from 1e4. */
export function forg(x: number, prec = 3): string {
  return Math.abs(x) >= 1e4 || Math.abs(x) < 1e-4 ? pyG(x, prec).trim() : pyF(x, prec).trim();
}

/** Two side-by-side key/value columns (statsmodels' `add_table_2cols`), 78 characters wide. */
export function twoColumnTable(left: [string, string][], right: [string, string][]): string[] {
  const rows = Math.max(left.length, right.length);
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const [lk, lv] = left[i] ?? ['', ''];
    const [rk, rv] = right[i] ?? ['', ''];
    const l = `${lk}${lv.padStart(Math.max(1, 37 - lk.length))}`;
    const r = rk || rv ? `${rk}${rv.padStart(Math.max(1, 38 - rk.length))}` : '';
    lines.push(`${l.padEnd(37)}   ${r}`);
  }
  return lines;
}

/** A table with a left-aligned stub column and right-aligned cells, spread to 78 characters. */
export function stubTable(header: string[], rows: { name: string; cells: string[] }[]): string[] {
  const stubW = Math.max(0, ...rows.map((r) => r.name.length));
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r.cells[c].length)));
  const natural = stubW + widths.reduce((a, b) => a + b, 0);
  const gap = Math.max(2, Math.floor((WIDTH - natural) / header.length));
  const line = (stub: string, cells: string[]) =>
    `${stub.padEnd(stubW)}${cells.map((c, i) => c.padStart(widths[i] + gap)).join('')}`;
  const head = line('', header);
  return [head, '-'.repeat(Math.max(WIDTH, head.length)), ...rows.map((r) => line(r.name, r.cells))];
}

/** The interval bounds' header labels for a confidence level, e.g. `[0.025`, `0.975]`. */
function intervalHeader(level: number): [string, string] {
  const a = (1 - level) / 2;
  const fmt = (q: number) => String(Number(q.toFixed(6)));
  return [`[${fmt(a)}`, `${fmt(1 - a)}]`];
}

/** The coefficient table of a summary: name, coef, std err, t/z, P>|t|, interval. */
export function coefficientTable(
  rows: readonly {
    name: string;
    coef: number;
    stdErr: number;
    statistic: number;
    pValue: number;
    ciLower: number;
    ciUpper: number;
  }[],
  useT: boolean,
  level: number,
): string[] {
  const stat = useT ? 't' : 'z';
  return stubTable(
    ['coef', 'std err', stat, `P>|${stat}|`, ...intervalHeader(level)],
    rows.map((r) => ({
      name: r.name,
      cells: [
        forg(r.coef, 4),
        forg(r.stdErr),
        forg(r.statistic),
        pyF(r.pValue, 3),
        forg(r.ciLower),
        forg(r.ciUpper),
      ],
    })),
  );
}

function titled(title: string): string {
  return title.padStart(Math.floor((WIDTH + title.length) / 2));
}

/** The statsmodels-style text summary of an OLS fit. */
export function formatOlsSummary(r: OlsResult): string {
  const unc = r.kConstant ? '' : ' (uncentered)';
  const top = twoColumnTable(
    [
      ['Dep. Variable:', r.dependent],
      ['Model:', 'OLS'],
      ['Method:', 'Least Squares'],
      ['No. Observations:', String(r.nobs)],
      ['Df Residuals:', String(r.dfResid)],
      ['Df Model:', String(r.dfModel)],
      ['Covariance Type:', r.covType],
    ],
    [
      [`R-squared${unc}:`, pyF(r.rSquared, 3)],
      [`Adj. R-squared${unc}:`, pyF(r.adjRSquared, 3)],
      ['F-statistic:', pyG(r.fStatistic, 4, 0, true)],
      ['Prob (F-statistic):', pyG(r.fPValue, 3, 0, true)],
      ['Log-Likelihood:', pyG(r.logLikelihood, 5, 0, true)],
      ['AIC:', pyG(r.aic, 4, 0, true)],
      ['BIC:', pyG(r.bic, 4, 0, true)],
    ],
  );
  const d = r.diagnostics;
  const diag = twoColumnTable(
    [
      ['Omnibus:', d.omnibus === null ? 'nan' : pyF(d.omnibus, 3)],
      ['Prob(Omnibus):', d.omnibusPValue === null ? 'nan' : pyF(d.omnibusPValue, 3)],
      ['Skew:', pyF(d.skew, 3)],
      ['Kurtosis:', pyF(d.kurtosis, 3)],
    ],
    [
      ['Durbin-Watson:', pyF(d.durbinWatson, 3)],
      ['Jarque-Bera (JB):', pyF(d.jarqueBera, 3)],
      ['Prob(JB):', pyG(d.jarqueBeraPValue, 3, 0, true)],
      ['Cond. No.', pyG(d.conditionNumber, 3, 0, true)],
    ],
  );
  const eq = '='.repeat(WIDTH);
  const lines = [
    titled('OLS Regression Results'),
    eq,
    ...top,
    eq,
    ...coefficientTable(r.coefficients, r.useT, r.confidenceLevel),
    eq,
    ...diag,
    eq,
  ];
  if (r.notes.length) {
    lines.push('', 'Notes:');
    r.notes.forEach((note, i) => lines.push(`[${i + 1}] ${note}`));
  }
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}

/** The statsmodels-style text summary of a logistic regression, followed by the odds ratios. */
export function formatLogitSummary(r: LogitResult): string {
  const top = twoColumnTable(
    [
      ['Dep. Variable:', r.dependent],
      ['Model:', 'Logit'],
      ['Method:', 'MLE'],
      ['converged:', r.converged ? 'True' : 'False'],
      ['Covariance Type:', 'nonrobust'],
    ],
    [
      ['No. Observations:', String(r.nobs)],
      ['Df Residuals:', String(r.dfResid)],
      ['Df Model:', String(r.dfModel)],
      ['Pseudo R-squ.:', pyF(r.pseudoRSquared, 4)],
      ['Log-Likelihood:', pyG(r.logLikelihood, 5, 0, true)],
      ['LL-Null:', pyG(r.llNull, 5, 0, true)],
      ['LLR p-value:', pyG(r.llrPValue, 4, 0, true)],
    ],
  );
  const eq = '='.repeat(WIDTH);
  const odds = stubTable(
    ['odds ratio', 'P>|z|', ...intervalHeader(r.confidenceLevel)],
    r.coefficients.map((c) => ({
      name: c.name,
      cells: [forg(c.oddsRatio, 4), pyF(c.pValue, 3), forg(c.oddsRatioLower), forg(c.oddsRatioUpper)],
    })),
  );
  const lines = [
    titled('Logit Regression Results'),
    eq,
    ...top,
    eq,
    ...coefficientTable(r.coefficients, false, r.confidenceLevel),
    eq,
    ...odds,
    eq,
  ];
  if (r.positiveLevel !== null) lines.push('', `Note: ${r.dependent} = '${r.positiveLevel}' is coded as 1.`);
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}
