/**
 * Tests on counts: chi-square goodness of fit, chi-square independence of a contingency table,
 * and Fisher's exact test of a 2×2 table — SciPy 1.10's `chisquare`, `chi2_contingency` and
 * `fisher_exact`, plus `scipy.stats.contingency.odds_ratio` for Fisher's effect size.
 *
 * - Goodness of fit: `χ² = Σ (O − E)²/E` with k − 1 − ddof df (the G statistic
 *   `2 Σ O log(O/E)` with `lambda: 'log-likelihood'`). Expected counts default to equal;
 *   given counts must sum to the observed total (relative tolerance 1e-8, as SciPy), or give
 *   `probabilities`. Effect size: Cohen's w = √(χ²/N).
 * - Independence: expected counts from the margins, df = (r − 1)(c − 1); for df = 1 Yates'
 *   continuity correction moves each count up to ½ towards its expectation (`correction`,
 *   default true, as SciPy). Effect size: Cramér's V = √(χ²/(N(min(r, c) − 1))) from the
 *   *uncorrected* χ² (`scipy.stats.contingency.association`).
 * - Fisher: the p-value sums the hypergeometric probabilities of the tables at most as likely
 *   as the observed one (relative tolerance 1e-14, as SciPy 1.10); the statistic is the sample
 *   odds ratio ad/bc (SciPy 1.10's `fisher_exact`). The effect size is the conditional maximum
 *   likelihood odds ratio, with its exact confidence interval from the non-central
 *   hypergeometric distribution (`odds_ratio(table, kind='conditional')`).
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { chiSquareSf, hypergeometricPmf, logChoose, logGamma } from './distributions.ts';
import type { TestResult } from './test-result.ts';
import {
  type Alternative,
  checkAlternative,
  checkChoice,
  checkLevel,
  checkNumber,
  checkSampleValues,
} from './validate.ts';

/** Which power-divergence statistic: Pearson's χ² (default) or the likelihood-ratio G. */
export type ChiSquareLambda = 'pearson' | 'log-likelihood';

/** Options of {@link chiSquareGoodnessOfFit}. */
export interface ChiSquareGofOptions {
  /** Expected counts (same length as observed; must sum to the same total). */
  expected?: ArrayLike<number>;
  /** Expected proportions instead of counts (must sum to 1). */
  probabilities?: ArrayLike<number>;
  /** Extra degrees of freedom to subtract, e.g. for parameters estimated from the data (default 0). */
  ddof?: number;
  /** 'pearson' (default) or 'log-likelihood' (the G-test). */
  lambda?: ChiSquareLambda;
}

function counts(x: ArrayLike<number>, field: string, who: string): Float64Array {
  checkSampleValues(x, who, field);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
      throw new ValidationError(`${who}: ${field}[${i}] is ${String(v)}; counts must be finite and ≥ 0.`, {
        field,
        expected: 'non-negative finite counts',
        actual: v,
        fix: `check ${field} (missing counts are not allowed)`,
      });
    }
    out[i] = v;
  }
  return out;
}

function divergenceTerm(o: number, e: number, lambda: ChiSquareLambda): number {
  if (lambda === 'pearson') return ((o - e) * (o - e)) / e;
  return o === 0 ? 0 : 2 * o * Math.log(o / e);
}

/**
 * Chi-square goodness-of-fit test of observed counts against expected ones (equal by default),
 * as `scipy.stats.chisquare` (or `power_divergence(lambda_='log-likelihood')`).
 */
export function chiSquareGoodnessOfFit(
  observed: ArrayLike<number>,
  options: ChiSquareGofOptions = {},
): TestResult {
  const who = 'chiSquareGoodnessOfFit';
  const lambda = checkChoice(
    options.lambda,
    ['pearson', 'log-likelihood'] as const,
    'lambda',
    who,
    'pearson',
  );
  const o = counts(observed, 'observed', who);
  const k = o.length;
  if (k < 2) {
    throw new ValidationError(`${who}: needs at least two categories; got ${k}.`, {
      field: 'observed',
      fix: 'pass one count per category',
    });
  }
  const total = o.reduce((a, b) => a + b, 0);
  if (!(total > 0)) {
    throw new ValidationError(`${who}: the observed counts sum to 0.`, {
      field: 'observed',
      fix: 'pass the counts of at least one observation',
    });
  }
  const ddof = checkNumber(options.ddof ?? 0, 'ddof', who, { min: 0, integer: true });
  let e: Float64Array;
  if (options.expected && options.probabilities) {
    throw new ValidationError(`${who}: pass expected counts or probabilities, not both.`, {
      field: 'expected',
      fix: 'drop one of the two',
    });
  }
  if (options.expected) {
    e = counts(options.expected, 'expected', who);
    if (e.length !== k) {
      throw new ValidationError(`${who}: ${k} observed counts but ${e.length} expected ones.`, {
        field: 'expected',
        fix: 'give one expected count per category',
      });
    }
    const esum = e.reduce((a, b) => a + b, 0);
    if (Math.abs(total - esum) / Math.min(total, esum) > 1e-8) {
      throw new ValidationError(
        `${who}: the expected counts sum to ${esum} but the observed ones to ${total}; they must agree (relative tolerance 1e-8).`,
        { field: 'expected', fix: 'rescale the expected counts, or pass probabilities instead' },
      );
    }
  } else if (options.probabilities) {
    const pr = counts(options.probabilities, 'probabilities', who);
    if (pr.length !== k) {
      throw new ValidationError(`${who}: ${k} observed counts but ${pr.length} probabilities.`, {
        field: 'probabilities',
        fix: 'give one probability per category',
      });
    }
    const psum = pr.reduce((a, b) => a + b, 0);
    if (Math.abs(psum - 1) > 1e-8) {
      throw new ValidationError(`${who}: the probabilities sum to ${psum}, not 1.`, {
        field: 'probabilities',
        fix: 'normalise them',
      });
    }
    e = pr.map((p) => p * total);
  } else {
    e = new Float64Array(k).fill(total / k);
  }
  let stat = 0;
  for (let i = 0; i < k; i++) {
    if (!(e[i] > 0)) {
      throw new ValidationError(`${who}: expected count ${i} is 0; the statistic is undefined.`, {
        field: 'expected',
        fix: 'drop categories that cannot occur, or merge them with others',
      });
    }
    stat += divergenceTerm(o[i], e[i], lambda);
  }
  const df = k - 1 - ddof;
  if (df < 1) {
    throw new ValidationError(
      `${who}: ${k} categories minus 1 minus ddof ${ddof} leaves ${df} degrees of freedom.`,
      {
        field: 'ddof',
        fix: 'use fewer estimated parameters (ddof) or more categories',
      },
    );
  }
  return {
    test: lambda === 'pearson' ? 'Chi-square goodness-of-fit test' : 'G-test of goodness of fit',
    statistic: stat,
    statisticName: lambda === 'pearson' ? 'chi2' : 'G',
    pValue: chiSquareSf(stat, df),
    df,
    alternative: 'two-sided',
    method: 'asymptotic',
    n: [total],
    effectSize: { name: "Cohen's w", value: Math.sqrt(stat / total) },
    details: { expected: Array.from(e) },
  };
}

/** Options of {@link chiSquareIndependence}. */
export interface ChiSquareIndependenceOptions {
  /** Yates' continuity correction when df = 1 (default true, as SciPy). */
  correction?: boolean;
  /** 'pearson' (default) or 'log-likelihood' (the G-test). */
  lambda?: ChiSquareLambda;
}

function table2d(table: readonly (readonly number[])[], who: string): Float64Array[] {
  if (!Array.isArray(table) || table.length === 0 || !Array.isArray(table[0])) {
    throw new ValidationError(`${who}: the table must be a non-empty array of rows of counts.`, {
      field: 'table',
      expected: 'number[][]',
      fix: 'pass e.g. [[10, 20], [30, 40]]',
    });
  }
  const c = table[0].length;
  return table.map((row, i) => {
    if (!Array.isArray(row) || row.length !== c) {
      throw new ValidationError(
        `${who}: row ${i} of the table has ${Array.isArray(row) ? row.length : 0} counts; row 0 has ${c}.`,
        {
          field: 'table',
          fix: 'give every row the same number of columns',
        },
      );
    }
    return counts(row, `table[${i}]`, who);
  });
}

/**
 * Chi-square test of independence of the rows and columns of a contingency table (counts), as
 * `scipy.stats.chi2_contingency`. Rows or columns summing to zero are an error (an expected
 * count would be zero).
 */
export function chiSquareIndependence(
  table: readonly (readonly number[])[],
  options: ChiSquareIndependenceOptions = {},
): TestResult {
  const who = 'chiSquareIndependence';
  const lambda = checkChoice(
    options.lambda,
    ['pearson', 'log-likelihood'] as const,
    'lambda',
    who,
    'pearson',
  );
  const t = table2d(table, who);
  const r = t.length;
  const c = t[0].length;
  const rows = t.map((row) => row.reduce((a, b) => a + b, 0));
  const cols = new Float64Array(c);
  for (const row of t) for (let j = 0; j < c; j++) cols[j] += row[j];
  const N = rows.reduce((a, b) => a + b, 0);
  rows.forEach((s, i) => {
    if (s === 0) {
      throw new ValidationError(`${who}: row ${i} of the table sums to 0, so its expected counts are 0.`, {
        field: 'table',
        fix: 'drop empty rows and columns',
      });
    }
  });
  cols.forEach((s, j) => {
    if (s === 0) {
      throw new ValidationError(`${who}: column ${j} of the table sums to 0, so its expected counts are 0.`, {
        field: 'table',
        fix: 'drop empty rows and columns',
      });
    }
  });
  const df = (r - 1) * (c - 1);
  const expected = t.map((_, i) => Array.from(cols, (cj) => (rows[i] * cj) / N));
  const correction = options.correction ?? true;
  let stat = 0;
  let uncorrected = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const e = expected[i][j];
      let o = t[i][j];
      uncorrected += divergenceTerm(o, e, 'pearson');
      if (df === 1 && correction) {
        const diff = e - o;
        o += Math.min(0.5, Math.abs(diff)) * Math.sign(diff);
      }
      stat += divergenceTerm(o, e, lambda);
    }
  }
  const k = Math.min(r, c);
  return {
    test: lambda === 'pearson' ? 'Chi-square test of independence' : 'G-test of independence',
    statistic: df === 0 ? 0 : stat,
    statisticName: lambda === 'pearson' ? 'chi2' : 'G',
    pValue: df === 0 ? 1 : chiSquareSf(stat, df),
    df,
    alternative: 'two-sided',
    method: df === 1 && correction ? 'asymptotic, Yates-corrected' : 'asymptotic',
    n: [N],
    effectSize: { name: "Cramér's V", value: k > 1 ? Math.sqrt(uncorrected / (N * (k - 1))) : Number.NaN },
    details: { expected: expected.flat(), shape: [r, c] },
  };
}

/** Options of {@link fisherExact}. */
export interface FisherExactOptions {
  alternative?: Alternative;
  /** Confidence level of the conditional odds ratio's interval (default 0.95). */
  confidenceLevel?: number;
}

/** Fisher's non-central hypergeometric distribution of the (0,0) cell given the margins. */
class NoncentralHypergeometric {
  readonly lo: number;
  readonly hi: number;
  private readonly logBase: Float64Array;

  /** `M` total, `n` first row total, `N` first column total. */
  constructor(M: number, n: number, N: number) {
    this.lo = Math.max(0, N - (M - n));
    this.hi = Math.min(n, N);
    this.logBase = new Float64Array(this.hi - this.lo + 1);
    for (let x = this.lo; x <= this.hi; x++)
      this.logBase[x - this.lo] = logChoose(n, x) + logChoose(M - n, N - x);
  }

  /** The probabilities of lo … hi for odds ratio `nc`. */
  pmf(nc: number): Float64Array {
    const lw = this.logBase.map((b, i) => b + (this.lo + i) * Math.log(nc));
    let max = Number.NEGATIVE_INFINITY;
    for (const v of lw) if (v > max) max = v;
    let s = 0;
    const w = lw.map((v) => {
      const e = Math.exp(v - max);
      s += e;
      return e;
    });
    return w.map((v) => v / s);
  }

  mean(nc: number): number {
    const p = this.pmf(nc);
    let m = 0;
    for (let i = 0; i < p.length; i++) m += (this.lo + i) * p[i];
    return m;
  }

  cdf(x: number, nc: number): number {
    const p = this.pmf(nc);
    let s = 0;
    for (let k = this.lo; k <= Math.min(x, this.hi); k++) s += p[k - this.lo];
    return s;
  }

  /** P(X ≥ x). */
  sfFrom(x: number, nc: number): number {
    const p = this.pmf(nc);
    let s = 0;
    for (let k = Math.max(x, this.lo); k <= this.hi; k++) s += p[k - this.lo];
    return s;
  }
}

/** Brent's root finder on [a, b] (f(a), f(b) of opposite signs) to absolute tolerance `xtol`. */
export function brentRoot(
  f: (x: number) => number,
  a: number,
  b: number,
  xtol = 1e-13,
  maxIter = 200,
): number {
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 0; iter < maxIter; iter++) {
    if (fb * fc > 0) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + 0.5 * xtol;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) return b;
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      let p: number;
      let q: number;
      const s = fb / fa;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
  }
  return b;
}

/** SciPy's `_solve`: bracket the root of a decreasing-or-increasing f on (0, ∞) by doubling, then Brent. */
function solvePositive(f: (nc: number) => number): number {
  let nc = 1;
  const v = f(nc);
  if (v === 0) return nc;
  let lo: number;
  let hi: number;
  if (v > 0) {
    nc /= 2;
    while (f(nc) > 0) nc /= 2;
    lo = nc;
    hi = 2 * nc;
  } else {
    nc *= 2;
    while (f(nc) < 0) nc *= 2;
    lo = nc / 2;
    hi = nc;
  }
  return brentRoot(f, lo, hi, 1e-13);
}

/**
 * Fisher's exact test of a 2×2 table `[[a, b], [c, d]]`, as `scipy.stats.fisher_exact` (SciPy
 * 1.10): statistic = the sample odds ratio ad/(bc); effect size = the conditional MLE odds
 * ratio with its exact confidence interval (`odds_ratio(..., kind='conditional')`).
 */
export function fisherExact(
  table: readonly (readonly number[])[],
  options: FisherExactOptions = {},
): TestResult {
  const who = 'fisherExact';
  const alternative = checkAlternative(options.alternative, who);
  const level = checkLevel(options.confidenceLevel, who);
  const t = table2d(table, who);
  if (t.length !== 2 || t[0].length !== 2) {
    throw new ValidationError(`${who}: needs a 2×2 table; got ${t.length}×${t[0].length}.`, {
      field: 'table',
      fix: 'use chiSquareIndependence for larger tables',
    });
  }
  for (const row of t) {
    for (const v of row) {
      if (!Number.isInteger(v)) {
        throw new ValidationError(`${who}: the table must hold whole counts; got ${v}.`, {
          field: 'table',
          fix: 'pass integer counts',
        });
      }
    }
  }
  const [[a, b], [c, d]] = t;
  const N = a + b + c + d;
  const base = {
    test: "Fisher's exact test",
    statisticName: 'odds ratio',
    alternative,
    method: 'exact',
    n: [N],
  };
  if (a + b === 0 || c + d === 0 || a + c === 0 || b + d === 0) {
    return {
      ...base,
      statistic: Number.NaN,
      pValue: 1,
      effectSize: { name: 'conditional MLE odds ratio', value: Number.NaN },
      confidenceInterval: { level, lower: 0, upper: Number.POSITIVE_INFINITY, of: 'odds ratio' },
      notes: ['a row or column of the table is empty: the odds ratio is undefined'],
    };
  }
  const oddsRatio = c > 0 && b > 0 ? (a * d) / (c * b) : Number.POSITIVE_INFINITY;
  const n1 = a + b;
  const n2 = c + d;
  const n = a + c;
  const M = n1 + n2;
  const pmf = (x: number) => hypergeometricPmf(x, M, n1, n);
  const lo = Math.max(0, n - n2);
  const hi = Math.min(n1, n);
  const cdf = (x: number) => {
    let s = 0;
    for (let k = lo; k <= Math.min(x, hi); k++) s += pmf(k);
    return s;
  };
  const sf = (x: number) => {
    let s = 0;
    for (let k = Math.max(x + 1, lo); k <= hi; k++) s += pmf(k);
    return s;
  };
  let p: number;
  if (alternative === 'less') p = cdf(a);
  else if (alternative === 'greater') p = sf(a - 1);
  else p = fisherTwoSided(a, n, tablePmf(n1, n2, n), cdf, sf, M, n1);
  p = Math.min(p, 1);

  const dist = new NoncentralHypergeometric(M, n1, n);
  let mle: number;
  if (a === dist.lo) mle = 0;
  else if (a === dist.hi) mle = Number.POSITIVE_INFINITY;
  else mle = solvePositive((nc) => dist.mean(nc) - a);
  const sample0 = c > 0 && b > 0 ? oddsRatio : a === 0 || d === 0 ? Number.NaN : Number.POSITIVE_INFINITY;
  const ciUpper = (alpha: number) =>
    sample0 === Number.POSITIVE_INFINITY
      ? Number.POSITIVE_INFINITY
      : solvePositive((nc) => -dist.cdf(a, nc) + alpha);
  const ciLower = (alpha: number) => (sample0 === 0 ? 0 : solvePositive((nc) => dist.sfFrom(a, nc) - alpha));
  let lower: number;
  let upper: number;
  if (alternative === 'two-sided') {
    const alpha = 0.5 * (1 - level);
    lower = ciLower(alpha);
    upper = ciUpper(alpha);
  } else if (alternative === 'less') {
    lower = 0;
    upper = ciUpper(1 - level);
  } else {
    lower = ciLower(1 - level);
    upper = Number.POSITIVE_INFINITY;
  }
  return {
    ...base,
    statistic: oddsRatio,
    pValue: p,
    effectSize: { name: 'conditional MLE odds ratio', value: mle },
    confidenceInterval: { level, lower, upper, of: 'conditional odds ratio' },
  };
}

/**
 * The probability of the table with x in its first cell, for comparing tables with one another:
 * exp(ln C(n1, x) + ln C(n2, n − x) − ln C(n1 + n2, n)), each ln C(a, b) as
 * ln a! − (ln b! + ln (a − b)!). Tables that are mirror images under equal row or column totals
 * (equally likely) then get the same bits — the sums are the same terms in another order —
 * where stdlib's pmf could put the mirror image a few ulps above the observed table, past the
 * 1e-14 tolerance, and leave it out of the two-sided p-value (0.579 instead of 0.772 for
 * [[12, 12], [10, 14]]).
 */
function tablePmf(n1: number, n2: number, n: number): (x: number) => number {
  const lnC = (a: number, b: number) => logGamma(a + 1) - (logGamma(b + 1) + logGamma(a - b + 1));
  const total = lnC(n1 + n2, n);
  const lo = Math.max(0, n - n2);
  const hi = Math.min(n1, n);
  return (x) => (x < lo || x > hi ? 0 : Math.exp(lnC(n1, x) + lnC(n2, n - x) - total));
}

/**
 * SciPy 1.10's two-sided Fisher p-value: both tails up to the tables no more likely than the
 * observed one. `pmf` decides which tables are (see {@link tablePmf}); `cdf` and `sf` sum them.
 */
function fisherTwoSided(
  a: number,
  n: number,
  pmf: (x: number) => number,
  cdf: (x: number) => number,
  sf: (x: number) => number,
  M: number,
  n1: number,
): number {
  const mode = Math.floor(((n + 1) * (n1 + 1)) / (M + 2));
  const pexact = pmf(a);
  const pmode = pmf(mode);
  const epsilon = 1e-14;
  const gamma = 1 + epsilon;
  if (Math.abs(pexact - pmode) / Math.max(pexact, pmode) <= epsilon) return 1;
  if (a < mode) {
    const plower = cdf(a);
    if (pmf(n) > pexact * gamma) return plower;
    const guess = binarySearch((x) => -pmf(x), -pexact * gamma, mode, n);
    return plower + sf(guess);
  }
  const pupper = sf(a - 1);
  if (pmf(0) > pexact * gamma) return pupper;
  const guess = binarySearch(pmf, pexact * gamma, 0, mode);
  return pupper + cdf(guess);
}

/**
 * SciPy's `_binary_search_for_binom_tst` (used by `fisher_exact`): for `fn` ascending on
 * [lo, hi], the index i with fn(i) ≤ target < fn(i + 1).
 */
function binarySearch(fn: (x: number) => number, target: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const v = fn(mid);
    if (v < target) lo = mid + 1;
    else if (v > target) hi = mid - 1;
    else return mid;
  }
  return fn(lo) <= target ? lo : lo - 1;
}
