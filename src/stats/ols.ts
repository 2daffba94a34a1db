/**
 * Ordinary least squares with a formula, and the inference a statsmodels user expects
 * (`smf.ols(formula, data).fit()`, statsmodels 0.13):
 *
 * - coefficients by pivoted Householder QR (never the normal equations), standard errors from
 *   σ̂²(XᵀX)⁻¹ = σ̂² R⁻¹R⁻ᵀ, or heteroscedasticity-robust ones (`covType` 'HC0' … 'HC3',
 *   MacKinnon & White's with leverages hᵢ from Q); t (or z) statistics, p-values and
 *   confidence intervals. As statsmodels, robust covariances use the normal distribution
 *   (z) unless `useT: true`, and the F-test becomes the Wald test of the non-constant
 *   coefficients with the robust covariance.
 * - R², adjusted R², the F-statistic and its p-value, log-likelihood, AIC, BIC — centred when
 *   the model has a constant (explicit, or implicit as with `C(g) - 1`), uncentred otherwise,
 *   exactly as statsmodels decides.
 * - residual diagnostics: Durbin–Watson, the omnibus (D'Agostino–Pearson) and Jarque–Bera
 *   normality tests with the residuals' skewness and kurtosis, Breusch–Pagan (Koenker's
 *   studentised LM form, `het_breuschpagan(robust=True)`), variance inflation factors, and the
 *   condition number σ_max/σ_min of the design (with statsmodels' notes when it is large).
 *
 * A singular design (collinear columns) is a {@link ValidationError} naming the columns and the
 * combination that makes them dependent. Rows with missing values are dropped.
 * `formatOlsSummary` (in `ols-format.ts`) renders the statsmodels-style summary table.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { buildDesign, type Design, type FormulaFrame } from './design.ts';
import { chiSquareSf, fisherFSf, normalPpf, normalSf, studentTPpf, studentTSf } from './distributions.ts';
import { hasConstant, type LeastSquaresFit, leastSquares, xtxInverse } from './least-squares.ts';
import { applyQt, thinQ } from './linalg.ts';
import { dagostinoPearson } from './normality.ts';
import { pyG } from './ols-format.ts';
import { checkChoice, checkLevel } from './validate.ts';

/** Covariance estimators for the coefficients. */
export type OlsCovType = 'nonrobust' | 'HC0' | 'HC1' | 'HC2' | 'HC3';

/** Options of {@link olsFit}. */
export interface OlsOptions {
  /** 'nonrobust' (default) or a heteroscedasticity-consistent estimator 'HC0' … 'HC3'. */
  covType?: OlsCovType;
  /** t (true) or normal (false) reference distribution; default: t for 'nonrobust', normal for HC (statsmodels). */
  useT?: boolean;
  /** Confidence level of the coefficient intervals (default 0.95). */
  confidenceLevel?: number;
}

/** One row of the coefficient table. */
export interface OlsCoefficient {
  /** Column name, patsy style (`Intercept`, `x1`, `C(g)[T.b]`, `x1:x2`). */
  name: string;
  coef: number;
  stdErr: number;
  /** t or z statistic. */
  statistic: number;
  pValue: number;
  ciLower: number;
  ciUpper: number;
}

/** Residual diagnostics of an OLS fit. */
export interface OlsDiagnostics {
  durbinWatson: number;
  /** D'Agostino–Pearson K² of the residuals (null for n < 8). */
  omnibus: number | null;
  omnibusPValue: number | null;
  jarqueBera: number;
  jarqueBeraPValue: number;
  /** Skewness of the residuals (biased). */
  skew: number;
  /** Kurtosis of the residuals (Pearson's, normal = 3). */
  kurtosis: number;
  /** Breusch–Pagan (Koenker) LM statistic, its χ² p-value, and the F form (null without a constant or other columns). */
  breuschPagan: { lm: number; lmPValue: number; f: number; fPValue: number } | null;
  /** Variance inflation factor per column (the intercept's is null). */
  vif: Record<string, number | null>;
  /** σ_max/σ_min of the design matrix. */
  conditionNumber: number;
  /** The smallest eigenvalue of XᵀX (σ_min²). */
  smallestEigenvalue: number;
}

/** What {@link olsFit} returns: plain, JSON-serialisable data. */
export interface OlsResult {
  model: 'OLS';
  formula: string;
  dependent: string;
  nobs: number;
  /** Rank − k_constant. */
  dfModel: number;
  /** n − rank. */
  dfResid: number;
  /** 1 when the design has a constant (explicit or implicit), else 0 (R² is then uncentred). */
  kConstant: 0 | 1;
  covType: OlsCovType;
  useT: boolean;
  confidenceLevel: number;
  coefficients: OlsCoefficient[];
  /** Coefficient covariance, row-major p×p, in coefficient order. */
  covariance: number[][];
  rSquared: number;
  adjRSquared: number;
  fStatistic: number;
  fPValue: number;
  logLikelihood: number;
  aic: number;
  bic: number;
  /** Residual sum of squares. */
  ssr: number;
  /** Explained sum of squares. */
  ess: number;
  /** σ̂² = SSR/df_resid. */
  scale: number;
  diagnostics: OlsDiagnostics;
  /** The notes a statsmodels summary prints (uncentred R², the covariance type, a large condition number), worded as statsmodels words them. */
  notes: string[];
  /** Fitted values, one per row used. */
  fitted: number[];
  /** Residuals, one per row used. */
  residuals: number[];
  /** Indices of the input rows used (rows with missing values are dropped). */
  rows: number[];
}

/**
 * Fits `formula` (see `formula.ts`) to `frame` by OLS and computes the full statsmodels-style
 * inference (see the module notes).
 *
 * @example olsFit({ y: [1, 3, 2, 5], x: [1, 2, 3, 4] }, 'y ~ x').coefficients[1].coef // 1.1
 */
export function olsFit(frame: FormulaFrame, formula: string, options: OlsOptions = {}): OlsResult {
  const design = buildDesign(formula, frame);
  return olsFromDesign(design, options);
}

/** OLS on an already built {@link Design}. */
export function olsFromDesign(design: Design, options: OlsOptions = {}): OlsResult {
  const who = 'ols';
  const covType = checkChoice(
    options.covType,
    ['nonrobust', 'HC0', 'HC1', 'HC2', 'HC3'] as const,
    'covType',
    who,
    'nonrobust',
  );
  const level = checkLevel(options.confidenceLevel, who);
  const useT = options.useT ?? covType === 'nonrobust';
  const { X, n, p, y, columns } = design;
  const fit = leastSquares(X, n, p, y, columns, who);
  const dfResid = n - p;
  if (dfResid < 1) {
    throw new ValidationError(
      `${who}: ${n} rows for ${p} coefficients leave no residual degrees of freedom.`,
      {
        field: 'formula',
        expected: `more than ${p} complete rows`,
        actual: n,
        fix: 'use fewer terms or more data',
      },
    );
  }
  const { k: kConstant, index: constIndex } = hasConstant(X, n, p, fit);
  const dfModel = p - kConstant;
  const { ssr } = fit;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean /= n;
  let tss = 0;
  for (let i = 0; i < n; i++) tss += kConstant ? (y[i] - mean) ** 2 : y[i] * y[i];
  const rSquared = 1 - ssr / tss;
  const adjRSquared = 1 - ((n - kConstant) / dfResid) * (1 - rSquared);
  const ess = tss - ssr;
  const scale = ssr / dfResid;
  const llf = -(n / 2) * Math.log(2 * Math.PI) - (n / 2) * Math.log(ssr / n) - n / 2;
  const k = dfModel + kConstant;
  const { cov, leverageOne } = covariance(fit, covType, scale);
  const se = Array.from({ length: p }, (_, j) => Math.sqrt(cov[j * p + j]));
  const alpha = 1 - level;
  const q = useT ? studentTPpf(1 - alpha / 2, dfResid) : normalPpf(1 - alpha / 2);
  const coefficients: OlsCoefficient[] = columns.map((name, j) => {
    const b = fit.beta[j];
    const stat = b / se[j];
    const pValue = useT ? 2 * studentTSf(Math.abs(stat), dfResid) : 2 * normalSf(Math.abs(stat));
    return {
      name,
      coef: b,
      stdErr: se[j],
      statistic: stat,
      pValue,
      ciLower: b - q * se[j],
      ciUpper: b + q * se[j],
    };
  });
  let fStatistic: number;
  let fPValue: number;
  if (covType === 'nonrobust') {
    fStatistic = ess / dfModel / scale;
    fPValue = dfModel > 0 ? fisherFSf(fStatistic, dfModel, dfResid) : Number.NaN;
  } else {
    const wald = robustWald(fit.beta, cov, p, kConstant, constIndex, dfResid);
    fStatistic = wald.f;
    fPValue = wald.p;
  }
  if (dfModel === 0) {
    fStatistic = Number.NaN;
    fPValue = Number.NaN;
  }
  const diagnostics = diagnose(design, fit, kConstant, constIndex);
  const notes: string[] = [];
  if (!kConstant)
    notes.push('R² is computed without centering (uncentered) since the model does not contain a constant.');
  notes.push(
    covType === 'nonrobust'
      ? 'Standard Errors assume that the covariance matrix of the errors is correctly specified.'
      : `Standard Errors are heteroscedasticity robust (${covType})`,
  );
  if (leverageOne.length > 0) {
    const rows = leverageOne.map((i) => design.rows[i]);
    const one = rows.length === 1;
    notes.push(
      `${one ? 'Row' : 'Rows'} ${rows.join(', ')} ${one ? 'has' : 'have'} leverage 1: ${one ? 'it alone determines' : 'each alone determines'} ` +
        `a coefficient, so ${one ? 'its residual is' : 'their residuals are'} 0 by construction and ${covType}'s ` +
        `e²/(1 − h)${covType === 'HC3' ? '²' : ''} is 0/0; ${one ? 'it adds' : 'they add'} nothing to the covariance (as with HC0/HC1), ` +
        'so the standard errors do not reflect the variance of those rows.',
    );
  }
  if (diagnostics.smallestEigenvalue < 1e-10) {
    notes.push(
      `The smallest eigenvalue is ${pyG(diagnostics.smallestEigenvalue, 3, 6)}. This might indicate that there are\nstrong multicollinearity problems or that the design matrix is singular.`,
    );
  } else if (diagnostics.conditionNumber > 1000) {
    notes.push(
      `The condition number is large, ${pyG(diagnostics.conditionNumber, 3, 6)}. This might indicate that there are\nstrong multicollinearity or other numerical problems.`,
    );
  }
  return {
    model: 'OLS',
    formula: design.formula.formula,
    dependent: design.responseName,
    nobs: n,
    dfModel,
    dfResid,
    kConstant,
    covType,
    useT,
    confidenceLevel: level,
    coefficients,
    covariance: Array.from({ length: p }, (_, a) => Array.from(cov.subarray(a * p, a * p + p))),
    rSquared,
    adjRSquared,
    fStatistic,
    fPValue,
    logLikelihood: llf,
    aic: -2 * llf + 2 * k,
    bic: -2 * llf + Math.log(n) * k,
    ssr,
    ess,
    scale,
    diagnostics,
    notes,
    fitted: Array.from(fit.fitted),
    residuals: Array.from(fit.residuals),
    rows: Array.from(design.rows),
  };
}

/**
 * A leverage within this of 1 is taken as exactly 1: such a row alone determines a coefficient
 * (e.g. the only row of a factor level), its residual is 0 by construction, and HC2/HC3's
 * eᵢ²/(1 − hᵢ)ᵏ is 0/0 evaluated on rounding noise — NaN, ±Infinity or an arbitrary number.
 */
const LEVERAGE_ONE_TOL = 1e-10;

/**
 * The coefficient covariance (row-major p×p, original order), and the rows (design indices)
 * whose leverage is 1. For HC2/HC3 those rows add nothing to the middle of the sandwich — as in
 * HC0/HC1, where their residual is 0, and as statsmodels when that residual rounds to exactly 0.
 */
function covariance(
  fit: LeastSquaresFit,
  covType: OlsCovType,
  scale: number,
): { cov: Float64Array; leverageOne: number[] } {
  const { n, p, qr, rInv, residuals } = fit;
  const leverageOne: number[] = [];
  if (covType === 'nonrobust') {
    const inv = xtxInverse(fit);
    for (let i = 0; i < inv.length; i++) inv[i] *= scale;
    return { cov: inv, leverageOne };
  }
  // cov = P R⁻¹ (Qᵀ W Q) R⁻ᵀ Pᵀ with W = diag(wᵢ), wᵢ from the residuals and leverages.
  const Q = thinQ(qr, p);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let j = 0; j < p; j++) h += Q[j * n + i] * Q[j * n + i];
    const e2 = residuals[i] * residuals[i];
    if ((covType === 'HC2' || covType === 'HC3') && 1 - h <= LEVERAGE_ONE_TOL) {
      leverageOne.push(i);
      w[i] = 0;
      continue;
    }
    w[i] = covType === 'HC2' ? e2 / (1 - h) : covType === 'HC3' ? e2 / (1 - h) ** 2 : e2;
  }
  const M = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      let s = 0;
      const oa = a * n;
      const ob = b * n;
      for (let i = 0; i < n; i++) s += Q[oa + i] * w[i] * Q[ob + i];
      M[a * p + b] = s;
      M[b * p + a] = s;
    }
  }
  // C = R⁻¹ M R⁻ᵀ (permuted order); rInv is column-major upper triangular.
  const T = new Float64Array(p * p); // T = R⁻¹ M, row-major
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      let s = 0;
      for (let k = a; k < p; k++) s += rInv[k * p + a] * M[k * p + b];
      T[a * p + b] = s;
    }
  }
  const out = new Float64Array(p * p);
  const factor = covType === 'HC1' ? n / (n - p) : 1;
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      let s = 0;
      for (let k = b; k < p; k++) s += T[a * p + k] * rInv[k * p + b];
      const ia = qr.perm[a];
      const ib = qr.perm[b];
      out[ia * p + ib] = s * factor;
      out[ib * p + ia] = s * factor;
    }
  }
  return { cov: out, leverageOne };
}

/** statsmodels' robust F: the Wald test that every non-constant coefficient is 0. */
function robustWald(
  beta: Float64Array,
  cov: Float64Array,
  p: number,
  kConstant: number,
  constIndex: number,
  dfResid: number,
): { f: number; p: number } {
  if (kConstant === 1 && constIndex < 0) return { f: Number.NaN, p: Number.NaN };
  const idx = Array.from({ length: p }, (_, j) => j).filter((j) => !(kConstant === 1 && j === constIndex));
  const q = idx.length;
  if (q === 0) return { f: Number.NaN, p: Number.NaN };
  // Solve V z = b by Cholesky (V = the covariance of the tested coefficients).
  const V = new Float64Array(q * q);
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) V[a * q + b] = cov[idx[a] * p + idx[b]];
  const L = new Float64Array(q * q);
  for (let j = 0; j < q; j++) {
    let d = V[j * q + j];
    for (let k = 0; k < j; k++) d -= L[j * q + k] ** 2;
    if (!(d > 0)) return { f: Number.NaN, p: Number.NaN };
    const ljj = Math.sqrt(d);
    L[j * q + j] = ljj;
    for (let i = j + 1; i < q; i++) {
      let s = V[i * q + j];
      for (let k = 0; k < j; k++) s -= L[i * q + k] * L[j * q + k];
      L[i * q + j] = s / ljj;
    }
  }
  const z = idx.map((j) => beta[j]);
  for (let i = 0; i < q; i++) {
    let s = z[i];
    for (let k = 0; k < i; k++) s -= L[i * q + k] * z[k];
    z[i] = s / L[i * q + i];
  }
  let stat = 0;
  for (const v of z) stat += v * v;
  const f = stat / q;
  return { f, p: fisherFSf(f, q, dfResid) };
}

function diagnose(
  design: Design,
  fit: LeastSquaresFit,
  kConstant: number,
  constIndex: number,
): OlsDiagnostics {
  const { n, p, X, columns } = design;
  const e = fit.residuals;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    den += e[i] * e[i];
    if (i > 0) num += (e[i] - e[i - 1]) ** 2;
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += e[i];
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = e[i] - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const skew = m3 / m2 ** 1.5;
  const kurtosis = m4 / (m2 * m2);
  const jb = (n / 6) * (skew * skew + (kurtosis - 3) ** 2 / 4);
  let omnibus: number | null = null;
  let omnibusPValue: number | null = null;
  if (n >= 8) {
    const r = dagostinoPearson(e);
    omnibus = r.statistic;
    omnibusPValue = r.pValue;
  }
  // Breusch–Pagan (Koenker): regress e² on the design; LM = n R² with df = p − 1. The design's
  // QR is already there: the residual sum of squares is the tail of Qᵀe².
  let breuschPagan: OlsDiagnostics['breuschPagan'] = null;
  if (p > 1) {
    const e2 = e.map((v) => v * v);
    const qte = applyQt(fit.qr, e2.slice());
    let rss = 0;
    for (let i = p; i < n; i++) rss += qte[i] * qte[i];
    const r2 = auxRSquared(e2, rss, kConstant);
    const lm = n * r2;
    const dfm = p - kConstant;
    const f = r2 / dfm / ((1 - r2) / (n - p));
    breuschPagan = { lm, lmPValue: chiSquareSf(lm, p - 1), f, fPValue: fisherFSf(f, dfm, n - p) };
  }
  // VIF_j = 1/(1 − R²_j) of x_j on the other columns. With an explicit constant among them,
  // 1 − R²_j = RSS_j/TSS_j and RSS_j = 1/[(XᵀX)⁻¹]_jj, so VIF_j = TSS_j·[(XᵀX)⁻¹]_jj from the fit
  // already made; otherwise (no explicit constant) the auxiliary regression is run as statsmodels does.
  const vif: Record<string, number | null> = {};
  const inv = xtxInverse(fit);
  for (let j = 0; j < p; j++) {
    if (j === constIndex || p === 1) {
      vif[columns[j]] = null;
      continue;
    }
    const xj = X.subarray(j * n, j * n + n);
    if (constIndex >= 0) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += xj[i];
      mean /= n;
      let tss = 0;
      for (let i = 0; i < n; i++) tss += (xj[i] - mean) ** 2;
      vif[columns[j]] = tss * inv[j * p + j];
      continue;
    }
    const others: number[] = [];
    for (let c = 0; c < p; c++) if (c !== j) others.push(c);
    const Xo = new Float64Array(n * (p - 1));
    others.forEach((c, k) => {
      Xo.set(X.subarray(c * n, c * n + n), k * n);
    });
    const aux = leastSquares(
      Xo,
      n,
      p - 1,
      xj.slice(),
      others.map((c) => columns[c]),
      'ols (VIF)',
    );
    const kc = hasConstant(Xo, n, p - 1, aux).k;
    vif[columns[j]] = 1 / (1 - auxRSquared(xj, aux.ssr, kc));
  }
  const sv = fit.singularValues;
  return {
    durbinWatson: num / den,
    omnibus,
    omnibusPValue,
    jarqueBera: jb,
    jarqueBeraPValue: chiSquareSf(jb, 2),
    skew,
    kurtosis,
    breuschPagan,
    vif,
    conditionNumber: sv[0] / sv[sv.length - 1],
    smallestEigenvalue: sv[sv.length - 1] ** 2,
  };
}

function auxRSquared(y: Float64Array, ssr: number, kConstant: number): number {
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean /= n;
  let tss = 0;
  for (let i = 0; i < n; i++) tss += kConstant ? (y[i] - mean) ** 2 : y[i] * y[i];
  return 1 - ssr / tss;
}
