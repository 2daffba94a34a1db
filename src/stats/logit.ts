/**
 * Logistic regression *inference* with a formula, as statsmodels' `smf.logit(formula, data).fit()`
 * (0.13): maximum likelihood by Newton's method (each step a weighted least-squares solve by
 * pivoted QR of √W·X, so ill-conditioned designs keep their digits), Wald standard errors from
 * the inverse observed information (XᵀWX)⁻¹, z statistics, normal p-values and confidence
 * intervals, odds ratios exp(β) with exp-transformed intervals, log-likelihood, the null
 * (intercept-only) log-likelihood, McFadden's pseudo-R², the likelihood-ratio test, AIC and BIC.
 *
 * The response must be 0/1 numbers, booleans, or a column with exactly two levels (the second
 * sorted level is 1). Perfect separation — the predictors classify every row, so no finite MLE
 * exists — is a {@link ValidationError} (statsmodels raises `PerfectSeparationError`).
 * Quasi-complete separation (a subset classified perfectly) shows, as in statsmodels, as a
 * `ConvergenceWarning` and very large standard errors. For prediction-oriented logistic
 * regression with regularisation, use the `LogisticRegression` estimator.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { warn } from '../core/warnings.ts';
import { buildDesign, type Design, type FormulaFrame } from './design.ts';
import { chiSquareSf, normalPpf, normalSf } from './distributions.ts';
import { leastSquares, xtxInverse } from './least-squares.ts';
import { checkLevel, checkNumber } from './validate.ts';

/** Options of {@link logitFit}. */
export interface LogitOptions {
  /** Confidence level of the intervals (default 0.95). */
  confidenceLevel?: number;
  /** Newton iterations at most (default 35, as statsmodels). */
  maxIter?: number;
  /** Convergence: the largest coefficient change (default 1e-10). */
  tol?: number;
}

/** One row of the logit coefficient table. */
export interface LogitCoefficient {
  name: string;
  coef: number;
  stdErr: number;
  /** The z statistic coef/stdErr. */
  statistic: number;
  pValue: number;
  ciLower: number;
  ciUpper: number;
  /** exp(coef). */
  oddsRatio: number;
  oddsRatioLower: number;
  oddsRatioUpper: number;
}

/** What {@link logitFit} returns: plain, JSON-serialisable data. */
export interface LogitResult {
  model: 'Logit';
  formula: string;
  dependent: string;
  /** For a categorical response: the level coded 1. */
  positiveLevel: string | null;
  nobs: number;
  /** rank − 1 (statsmodels assumes a constant). */
  dfModel: number;
  dfResid: number;
  confidenceLevel: number;
  converged: boolean;
  iterations: number;
  coefficients: LogitCoefficient[];
  /** Coefficient covariance (inverse information), row-major p×p. */
  covariance: number[][];
  logLikelihood: number;
  /** Log-likelihood of the intercept-only model. */
  llNull: number;
  /** Likelihood-ratio statistic 2(ℓ − ℓ₀) and its χ²(dfModel) p-value. */
  llr: number;
  llrPValue: number;
  /** McFadden's pseudo-R², 1 − ℓ/ℓ₀. */
  pseudoRSquared: number;
  aic: number;
  bic: number;
  /** Fitted probabilities, one per row used. */
  fitted: number[];
  rows: number[];
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^z) without overflow. */
function log1pExp(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** Fits a logistic regression by formula and returns statsmodels-style inference (see the module notes). */
export function logitFit(frame: FormulaFrame, formula: string, options: LogitOptions = {}): LogitResult {
  const design = buildDesign(formula, frame, { categoricalResponse: true });
  return logitFromDesign(design, options);
}

/** Logistic regression on an already built {@link Design}. */
export function logitFromDesign(design: Design, options: LogitOptions = {}): LogitResult {
  const who = 'logit';
  const level = checkLevel(options.confidenceLevel, who);
  const maxIter = checkNumber(options.maxIter ?? 35, 'maxIter', who, { min: 1, integer: true });
  const tol = checkNumber(options.tol ?? 1e-10, 'tol', who, { min: 0, minExclusive: true });
  const { X, n, p, columns } = design;
  let positiveLevel: string | null = null;
  const y = design.y.slice();
  if (design.responseLevels) {
    if (design.responseLevels.length !== 2) {
      throw new ValidationError(
        `${who}: the response ${design.responseName} has ${design.responseLevels.length} levels (${design.responseLevels.slice(0, 5).join(', ')}); logistic regression needs exactly two.`,
        { field: 'formula', fix: 'use a binary response (0/1, true/false or two levels)' },
      );
    }
    positiveLevel = design.responseLevels[1];
  } else {
    for (let i = 0; i < n; i++) {
      if (y[i] !== 0 && y[i] !== 1) {
        throw new ValidationError(
          `${who}: the response ${design.responseName} is ${y[i]} in row ${design.rows[i] + 1}; it must be 0 or 1.`,
          {
            field: 'formula',
            fix: 'code the response as 0/1 (or use a two-level column)',
          },
        );
      }
    }
  }
  let ones = 0;
  for (let i = 0; i < n; i++) ones += y[i];
  if (ones === 0 || ones === n) {
    throw new ValidationError(
      `${who}: every response value is ${ones === 0 ? 0 : 1}; there is nothing to model.`,
      {
        field: 'formula',
        fix: 'check the response column',
      },
    );
  }
  // A rank-deficient design fails the first Newton step's QR, naming the collinear columns.
  const beta = new Float64Array(p);
  const eta = new Float64Array(n);
  const sw = new Float64Array(n);
  const Xw = new Float64Array(n * p);
  const z = new Float64Array(n);
  let converged = false;
  let iterations = 0;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    // Newton step: solve (√W X) δ = (y − μ)/√W in the least-squares sense.
    for (let i = 0; i < n; i++) {
      const mu = sigmoid(eta[i]);
      const w = mu * (1 - mu);
      sw[i] = Math.sqrt(w);
      z[i] = w > 0 ? (y[i] - mu) / sw[i] : 0;
    }
    for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) Xw[j * n + i] = X[j * n + i] * sw[i];
    const fit = leastSquares(Xw, n, p, z, columns, who);
    let maxStep = 0;
    for (let j = 0; j < p; j++) {
      beta[j] += fit.beta[j];
      maxStep = Math.max(maxStep, Math.abs(fit.beta[j]) / Math.max(1, Math.abs(beta[j])));
    }
    eta.fill(0);
    for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) eta[i] += X[j * n + i] * beta[j];
    if (separated(eta, y)) throw separationError(design);
    if (maxStep < tol) {
      converged = true;
      break;
    }
  }
  if (!converged) {
    if (separated(eta, y, 1e-6)) throw separationError(design);
    warn(
      'ConvergenceWarning',
      `${who}: Newton's method did not converge in ${maxIter} iterations; results may be unreliable.`,
    );
  }
  // Information at the final estimate.
  for (let i = 0; i < n; i++) {
    const mu = sigmoid(eta[i]);
    sw[i] = Math.sqrt(mu * (1 - mu));
  }
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) Xw[j * n + i] = X[j * n + i] * sw[i];
  const info = leastSquares(Xw, n, p, new Float64Array(n), columns, who);
  const cov = xtxInverse(info);
  let llf = 0;
  for (let i = 0; i < n; i++) llf += y[i] * eta[i] - log1pExp(eta[i]);
  const pbar = ones / n;
  const llNull = ones * Math.log(pbar) + (n - ones) * Math.log(1 - pbar);
  const dfModel = p - 1;
  const llr = 2 * (llf - llNull);
  const q = normalPpf(1 - (1 - level) / 2);
  const coefficients: LogitCoefficient[] = columns.map((name, j) => {
    const b = beta[j];
    const se = Math.sqrt(cov[j * p + j]);
    const lo = b - q * se;
    const hi = b + q * se;
    return {
      name,
      coef: b,
      stdErr: se,
      statistic: b / se,
      pValue: 2 * normalSf(Math.abs(b / se)),
      ciLower: lo,
      ciUpper: hi,
      oddsRatio: Math.exp(b),
      oddsRatioLower: Math.exp(lo),
      oddsRatioUpper: Math.exp(hi),
    };
  });
  return {
    model: 'Logit',
    formula: design.formula.formula,
    dependent: design.responseName,
    positiveLevel,
    nobs: n,
    dfModel,
    dfResid: n - p,
    confidenceLevel: level,
    converged,
    iterations,
    coefficients,
    covariance: Array.from({ length: p }, (_, a) => Array.from(cov.subarray(a * p, a * p + p))),
    logLikelihood: llf,
    llNull,
    llr,
    llrPValue: dfModel > 0 ? chiSquareSf(llr, dfModel) : Number.NaN,
    pseudoRSquared: 1 - llf / llNull,
    aic: -2 * (llf - (dfModel + 1)),
    bic: -2 * llf + Math.log(n) * (dfModel + 1),
    fitted: Array.from(eta, sigmoid),
    rows: Array.from(design.rows),
  };
}

/** True when the linear predictor classifies every row perfectly with probabilities within `eps` of 0/1. */
function separated(eta: Float64Array, y: Float64Array, eps = 1e-10): boolean {
  for (let i = 0; i < eta.length; i++) {
    const mu = sigmoid(eta[i]);
    if (Math.abs(y[i] - mu) > eps) return false;
  }
  return true;
}

function separationError(design: Design): ValidationError {
  return new ValidationError(
    `logit: perfect separation — the predictors in '${design.formula.formula}' predict ${design.responseName} exactly, so the maximum-likelihood estimates do not exist (they grow without bound).`,
    {
      field: 'formula',
      fix: 'drop the predictor that separates the classes, merge sparse categories, or use a penalised LogisticRegression estimator',
    },
  );
}
