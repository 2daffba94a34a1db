/**
 * Correlation with significance: Pearson's r, Spearman's ρ and Kendall's τ-b, each with its
 * p-value under H₀: no association (SciPy 1.10's `pearsonr`, `spearmanr`, `kendalltau`) and a
 * confidence interval.
 *
 * - Pearson: r's null distribution is Beta(n/2 − 1, n/2 − 1) on (−1, 1) (exact for normal
 *   data; the same as the t-test of r with n − 2 df). CI by Fisher's z, `tanh(atanh(r) ± z·/√(n−3))`
 *   (`PearsonRResult.confidence_interval()`); (−1, 1) when n ≤ 3.
 * - Spearman: ρ = Pearson's r of the average ranks; p from t = ρ√((n−2)/((1+ρ)(1−ρ))) with n − 2
 *   df (SciPy). CI by Fisher's z with Fieller, Hartley & Pearson's (1957) standard error
 *   √(1.06/(n−3)) — not in SciPy, documented here.
 * - Kendall τ-b = (C − D)/√((n₀ − n₁)(n₀ − n₂)) with tie corrections; p exact (the permutation
 *   distribution of C − D) for n ≤ 33 without ties (or with at most one discordant or
 *   concordant pair), else the normal approximation with the tie-corrected variance. CI by
 *   Fisher's z with Fieller et al.'s √(0.437/(n−4)) (not in SciPy).
 *
 * Missing values drop the pair. A constant variable makes the coefficient undefined: an error
 * naming it.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { betaIncSymmetric, normalCdf, normalPpf, normalSf } from './distributions.ts';
import { sortFloat64WithIndex } from './quantile.ts';
import { rankWithTies } from './ranks.ts';
import { tTestPValue } from './t-test.ts';
import type { ConfidenceInterval, TestResult } from './test-result.ts';
import { type Alternative, checkAlternative, checkChoice, checkLevel, pairedSample } from './validate.ts';

/** Options of the correlation tests. */
export interface CorrelationTestOptions {
  alternative?: Alternative;
  /** Confidence level of the interval (default 0.95). */
  confidenceLevel?: number;
}

function isConstant(v: Float64Array): boolean {
  for (let i = 1; i < v.length; i++) if (v[i] !== v[0]) return false;
  return true;
}

function constantError(who: string, field: string): ValidationError {
  return new ValidationError(`${who}: ${field} is constant, so the correlation is undefined.`, {
    field,
    expected: 'values that are not all equal',
    fix: `check ${field}; a constant has no correlation with anything`,
  });
}

function pearsonR(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  // One square root of the product (√(a²) is exactly |a|), so a perfect correlation is exactly ±1
  // (two divisions gave 0.9999999999999999 for ranks 1, 2, 3, and a spurious p-value); the
  // product only when it neither overflows nor underflows.
  const d = sxx * syy;
  const r = Number.isFinite(d) && d > 0 ? sxy / Math.sqrt(d) : sxy / Math.sqrt(sxx) / Math.sqrt(syy);
  return Math.max(-1, Math.min(1, r));
}

/** Fisher-z interval for a correlation with standard error `se` on the z scale. */
function fisherInterval(
  r: number,
  se: number,
  level: number,
  alternative: Alternative,
  of: string,
): ConfidenceInterval {
  const zr = r === 1 ? Number.POSITIVE_INFINITY : r === -1 ? Number.NEGATIVE_INFINITY : Math.atanh(r);
  if (!Number.isFinite(se)) return { level, lower: -1, upper: 1, of };
  if (alternative === 'two-sided') {
    const h = normalPpf(0.5 + level / 2);
    return { level, lower: Math.tanh(zr - h * se), upper: Math.tanh(zr + h * se), of };
  }
  const h = normalPpf(level);
  if (alternative === 'less') return { level, lower: -1, upper: Math.tanh(zr + h * se), of };
  return { level, lower: Math.tanh(zr - h * se), upper: 1, of };
}

/** Pearson's correlation with its exact p-value under bivariate normality, as `scipy.stats.pearsonr`. */
export function pearsonTest(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: CorrelationTestOptions = {},
): TestResult {
  const who = 'pearsonTest';
  const alternative = checkAlternative(options.alternative, who);
  const level = checkLevel(options.confidenceLevel, who);
  const p = pairedSample(x, y, who, { min: 2, reason: 'a correlation needs two points' });
  const n = p.x.length;
  if (isConstant(p.x)) throw constantError(who, 'x');
  if (isConstant(p.y)) throw constantError(who, 'y');
  let r: number;
  let pValue: number;
  if (n === 2) {
    r = Math.sign(p.x[1] - p.x[0]) * Math.sign(p.y[1] - p.y[0]);
    pValue = 1;
  } else {
    r = pearsonR(p.x, p.y);
    const ab = n / 2 - 1;
    // Beta(ab, ab) on (−1, 1) is symmetric: P(R ≤ r) = I_{(1+r)/2}(ab, ab), P(R ≥ r) = I_{(1−r)/2}(ab, ab);
    // the tail beyond |r| from r itself (betaIncSymmetric), the other side as 1 − it.
    const tail = betaIncSymmetric(Math.abs(r), ab);
    if (alternative === 'two-sided') pValue = 2 * tail;
    else if (alternative === 'less') pValue = r < 0 ? tail : 1 - tail;
    else pValue = r > 0 ? tail : 1 - tail;
    pValue = Math.min(1, pValue);
  }
  return {
    test: 'Pearson correlation test',
    statistic: r,
    statisticName: 'r',
    pValue,
    df: n - 2,
    alternative,
    method: 'exact (beta distribution)',
    n: [n],
    confidenceInterval: fisherInterval(
      r,
      n > 3 ? Math.sqrt(1 / (n - 3)) : Number.POSITIVE_INFINITY,
      level,
      alternative,
      'r',
    ),
  };
}

/** Spearman's rank correlation with the t-approximation p-value, as `scipy.stats.spearmanr`. */
export function spearmanTest(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: CorrelationTestOptions = {},
): TestResult {
  const who = 'spearmanTest';
  const alternative = checkAlternative(options.alternative, who);
  const level = checkLevel(options.confidenceLevel, who);
  const p = pairedSample(x, y, who, {
    min: 3,
    reason: 'the t approximation needs n − 2 ≥ 1',
    allowInfinite: true,
  });
  const n = p.x.length;
  if (isConstant(p.x)) throw constantError(who, 'x');
  if (isConstant(p.y)) throw constantError(who, 'y');
  const rho = pearsonR(rankWithTies(p.x).ranks, rankWithTies(p.y).ranks);
  const dof = n - 2;
  const t = rho * Math.sqrt(Math.max(0, dof / ((rho + 1) * (1 - rho))));
  return {
    test: 'Spearman rank correlation test',
    statistic: rho,
    statisticName: 'rho',
    pValue: tTestPValue(t, dof, alternative),
    df: dof,
    alternative,
    method: 't approximation',
    n: [n],
    confidenceInterval: fisherInterval(
      rho,
      n > 3 ? Math.sqrt(1.06 / (n - 3)) : Number.POSITIVE_INFINITY,
      level,
      alternative,
      'rho',
    ),
    details: { t },
  };
}

/** Options of {@link kendallTau}. */
export interface KendallOptions extends CorrelationTestOptions {
  /** 'auto' (default), 'exact' or 'asymptotic'. */
  method?: 'auto' | 'exact' | 'asymptotic';
}

/** Dense 0-based ranks of `v` (equal values share a code), by a radix argsort; also the number of codes. */
function denseCodes(v: Float64Array): { codes: Int32Array; count: number } {
  const n = v.length;
  const sorted = v.slice();
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  sortFloat64WithIndex(sorted, order);
  const codes = new Int32Array(n);
  let c = 0;
  for (let k = 0; k < n; k++) {
    if (k > 0 && sorted[k] !== sorted[k - 1]) c++;
    codes[order[k]] = c;
  }
  return { codes, count: n ? c + 1 : 0 };
}

/** Rows ordered by (primary, secondary) codes: two stable counting-sort passes (LSD). */
function orderByCodes(
  primary: Int32Array,
  primaryCount: number,
  secondary: Int32Array,
  secondaryCount: number,
): Int32Array {
  const n = primary.length;
  const byKey = (keys: Int32Array, count: number, input: Int32Array): Int32Array => {
    const start = new Int32Array(count + 1);
    for (let k = 0; k < n; k++) start[keys[input[k]] + 1]++;
    for (let c = 0; c < count; c++) start[c + 1] += start[c];
    const out = new Int32Array(n);
    for (let k = 0; k < n; k++) out[start[keys[input[k]]]++] = input[k];
    return out;
  };
  const identity = new Int32Array(n);
  for (let i = 0; i < n; i++) identity[i] = i;
  return byKey(primary, primaryCount, byKey(secondary, secondaryCount, identity));
}

/** Σ over tie groups of t(t−1)/2, t(t−1)(t−2) and t(t−1)(2t+5). */
function tieStats(codes: Int32Array): [number, number, number] {
  const cnt = new Float64Array(codes.length + 1);
  for (const c of codes) cnt[c]++;
  let a = 0;
  let b = 0;
  let c = 0;
  for (const t of cnt) {
    if (t > 1) {
      a += (t * (t - 1)) / 2;
      b += t * (t - 1) * (t - 2);
      c += t * (t - 1) * (2 * t + 5);
    }
  }
  return [a, b, c];
}

/** SciPy's `_kendall_p_exact`: the exact p-value of n(n−1)/2 pairs with `c` concordant. */
function kendallExactP(n: number, c: number, alternative: Alternative): number {
  const total = (n * (n - 1)) / 2;
  const inRightTail = c >= total - c;
  c = Math.min(c, total - c);
  let prob: number;
  let pMass: number;
  const factorial = (k: number) => {
    let f = 1;
    for (let i = 2; i <= k; i++) f *= i;
    return f;
  };
  if (n === 1) {
    prob = 1;
    pMass = 1;
  } else if (n === 2) {
    prob = 1;
    pMass = 0.5;
  } else if (c === 0) {
    prob = n < 171 ? 2 / factorial(n) : 0;
    pMass = prob / 2;
  } else if (c === 1) {
    prob = n < 172 ? 2 / factorial(n - 1) : 0;
    pMass = (n - 1) / factorial(n);
  } else if (4 * c === n * (n - 1) && alternative === 'two-sided') {
    prob = 1;
    pMass = 0;
  } else {
    let cur = new Float64Array(c + 1);
    cur[0] = 1;
    cur[1] = 1;
    const big = n >= 171;
    for (let j = 3; j <= n; j++) {
      const next = new Float64Array(c + 1);
      let s = 0;
      for (let i = 0; i <= c; i++) {
        s += cur[i];
        next[i] = big ? s / j : s;
      }
      if (j <= c) for (let i = c; i >= j; i--) next[i] -= next[i - j];
      cur = next;
    }
    let sum = 0;
    for (let i = 0; i <= c; i++) sum += cur[i];
    if (big) {
      prob = sum;
      pMass = cur[c] / 2;
    } else {
      const f = factorial(n);
      prob = (2 * sum) / f;
      pMass = cur[c] / f;
    }
  }
  if (alternative !== 'two-sided') {
    if (inRightTail === (alternative === 'greater')) prob /= 2;
    else prob = 1 - prob / 2 + pMass;
  }
  return Math.min(1, Math.max(0, prob));
}

/**
 * Kendall's τ-b with its p-value, as `scipy.stats.kendalltau` (variant 'b'). `method: 'exact'`
 * with ties is an error (the exact distribution assumes none).
 */
export function kendallTau(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: KendallOptions = {},
): TestResult {
  const who = 'kendallTau';
  const alternative = checkAlternative(options.alternative, who);
  const level = checkLevel(options.confidenceLevel, who);
  let method = checkChoice(options.method, ['auto', 'exact', 'asymptotic'] as const, 'method', who, 'auto');
  const p = pairedSample(x, y, who, {
    min: 2,
    reason: 'a correlation needs two points',
    allowInfinite: true,
  });
  const n = p.x.length;
  if (isConstant(p.x)) throw constantError(who, 'x');
  if (isConstant(p.y)) throw constantError(who, 'y');
  const dx = denseCodes(p.x);
  const dy = denseCodes(p.y);
  const xr = dx.codes;
  const yr = dy.codes;
  // Order by (x, y); discordant pairs are then the strict inversions of y (Fenwick tree).
  const order = orderByCodes(xr, dx.count, yr, dy.count);
  const maxY = dy.count + 1;
  const tree = new Float64Array(maxY + 1);
  let dis = 0;
  for (let k = 0; k < n; k++) {
    const yv = yr[order[k]] + 1;
    // previous values with y > yv = k − (count of previous ≤ yv)
    let le = 0;
    for (let i = yv; i > 0; i -= i & -i) le += tree[i];
    dis += k - le;
    for (let i = yv; i <= maxY; i += i & -i) tree[i]++;
  }
  let ntie = 0;
  let run = 1;
  for (let k = 1; k <= n; k++) {
    if (k < n && xr[order[k]] === xr[order[k - 1]] && yr[order[k]] === yr[order[k - 1]]) run++;
    else {
      ntie += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  const [xtie, x0, x1] = tieStats(xr);
  const [ytie, y0, y1] = tieStats(yr);
  const tot = (n * (n - 1)) / 2;
  const conMinusDis = tot - xtie - ytie + ntie - 2 * dis;
  let tau = conMinusDis / Math.sqrt(tot - xtie) / Math.sqrt(tot - ytie);
  tau = Math.min(1, Math.max(-1, tau));
  if (method === 'exact' && (xtie !== 0 || ytie !== 0)) {
    throw new ValidationError(`${who}: the exact distribution assumes no ties, and the data have ties.`, {
      field: 'method',
      fix: "use method: 'asymptotic' or 'auto'",
    });
  }
  if (method === 'auto')
    method = xtie === 0 && ytie === 0 && (n <= 33 || Math.min(dis, tot - dis) <= 1) ? 'exact' : 'asymptotic';
  let pValue: number;
  let z: number | null = null;
  if (method === 'exact') pValue = kendallExactP(n, tot - dis, alternative);
  else {
    const m = n * (n - 1);
    const v = (m * (2 * n + 5) - x1 - y1) / 18 + (2 * xtie * ytie) / m + (x0 * y0) / (9 * m * (n - 2));
    z = conMinusDis / Math.sqrt(v);
    pValue =
      alternative === 'less'
        ? normalCdf(z)
        : alternative === 'greater'
          ? normalSf(z)
          : 2 * normalSf(Math.abs(z));
  }
  return {
    test: "Kendall's tau-b test",
    statistic: tau,
    statisticName: 'tau',
    pValue,
    alternative,
    method,
    n: [n],
    confidenceInterval: fisherInterval(
      tau,
      n > 4 ? Math.sqrt(0.437 / (n - 4)) : Number.POSITIVE_INFINITY,
      level,
      alternative,
      'tau',
    ),
    details: { concordantMinusDiscordant: conMinusDis, z },
  };
}
