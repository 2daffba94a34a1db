/**
 * Rank tests: Mann–Whitney U, the Wilcoxon signed-rank test and Kruskal–Wallis H, with the
 * semantics of SciPy 1.10 (`mannwhitneyu`, `wilcoxon`, `kruskal`).
 *
 * **Mann–Whitney U.** U₁ = R₁ − n₁(n₁+1)/2 from the average ranks of the pooled samples (the
 * statistic of `x`; U₂ = n₁n₂ − U₁). `method: 'auto'` uses the exact null distribution when
 * either sample has at most 8 values and there are no ties, else the normal approximation with
 * the tie-corrected variance and a continuity correction (`continuity: false` turns it off).
 * The exact distribution is the q-binomial coefficient [n₁+n₂ choose n₁]_q, built as a product
 * of n₁ factors with probabilities (no overflow, no cancellation in the lower tail). Effect
 * size: the rank-biserial correlation 2U₁/(n₁n₂) − 1 (positive when x tends to be larger).
 *
 * **Wilcoxon signed-rank.** Ranks of |d| for the differences d = x − y (or x alone). With
 * `zeroMethod` 'wilcox' (default) zero differences are dropped, 'pratt' ranks them and drops
 * their ranks, 'zsplit' splits their ranks between the two sums. The statistic is
 * min(R⁺, R⁻) for the two-sided test and R⁺ for one-sided ones (SciPy's convention).
 * `method: 'auto'` is exact for n ≤ 50 without zeros or ties, else the normal approximation
 * with the tie correction (and `correction: true` for a continuity correction, default off).
 * *Difference from SciPy 1.10:* with tied |d| SciPy 1.10's 'auto' still uses the exact
 * distribution on the truncated R⁺; Lathe uses the normal approximation there (as later SciPy
 * releases do), and `method: 'exact'` with ties is an error. Effect size: the matched-pairs
 * rank-biserial correlation (R⁺ − R⁻)/(R⁺ + R⁻).
 *
 * **Kruskal–Wallis H.** H = 12/(N(N+1)) Σ Rᵢ²/nᵢ − 3(N+1), divided by the tie correction
 * 1 − Σ(t³−t)/(N³−N), referred to χ² with k − 1 df. Effect size: η²_H = (H − k + 1)/(N − k).
 *
 * Missing values are dropped (pairwise for paired data); infinite values are allowed (they rank).
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { warn } from '../core/warnings.ts';
import { chiSquareSf, normalCdf, normalSf } from './distributions.ts';
import { rankWithTies } from './ranks.ts';
import type { TestResult } from './test-result.ts';
import {
  type Alternative,
  checkAlternative,
  checkChoice,
  checkSize,
  pairedSample,
  sample,
} from './validate.ts';

/** Options of {@link mannWhitneyU}. */
export interface MannWhitneyOptions {
  alternative?: Alternative;
  /** 'auto' (default), 'exact' or 'asymptotic'. */
  method?: 'auto' | 'exact' | 'asymptotic';
  /** Continuity correction of the normal approximation (default true). */
  continuity?: boolean;
}

/**
 * P(U ≥ u) for the Mann–Whitney U statistic with sample sizes m and n under H₀ (no ties).
 * Exact; see the module notes.
 */
export function mannWhitneyExactSf(u: number, m: number, n: number): number {
  const total = m * n;
  // P(U ≥ u) = P(U ≤ mn − u) by symmetry.
  // SciPy truncates a tied (non-integer) U before looking it up: sf(int(U)).
  const k = total - Math.trunc(u);
  if (k < 0) return 0;
  if (k >= total) return 1;
  if (2 * k <= total) return mannWhitneyCdf(k, m, n);
  return 1 - mannWhitneyCdf(total - k - 1, m, n);
}

/** P(U ≤ k) for k ≤ mn/2, from the q-binomial coefficient truncated at degree k. */
function mannWhitneyCdf(k: number, m: number, n: number): number {
  if (m > n) {
    const t = m;
    m = n;
    n = t;
  }
  const c = new Float64Array(k + 1);
  c[0] = 1;
  for (let i = 1; i <= m; i++) {
    // divide by (1 − q^i): a strided running sum (all terms non-negative)
    for (let d = i; d <= k; d++) c[d] += c[d - i];
    // multiply by (1 − q^{n+i}), top down so the old values are read
    const s = n + i;
    for (let d = k; d >= s; d--) c[d] -= c[d - s];
    // keep the coefficients as probabilities: [n+i choose i]_q sums to C(n+i, i) = C(n+i−1, i−1)(n+i)/i
    const scale = i / (n + i);
    for (let d = 0; d <= k; d++) c[d] *= scale;
  }
  let p = 0;
  for (let d = 0; d <= k; d++) p += c[d];
  return Math.min(1, p);
}

/**
 * Mann–Whitney U test of H₀: the distributions of x and y are equal, as `scipy.stats.mannwhitneyu`.
 *
 * @example mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12]) // U = 17, p = 0.1111 (exact)
 */
export function mannWhitneyU(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: MannWhitneyOptions = {},
): TestResult {
  const who = 'mannWhitneyU';
  const alternative = checkAlternative(options.alternative, who);
  let method = checkChoice(options.method, ['auto', 'exact', 'asymptotic'] as const, 'method', who, 'auto');
  const a = sample(x, 'x', who, { allowInfinite: true });
  const b = sample(y, 'y', who, { allowInfinite: true });
  const n1 = a.length;
  const n2 = b.length;
  const all = new Float64Array(n1 + n2);
  all.set(a);
  all.set(b, n1);
  const { ranks, tieTerm } = rankWithTies(all);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i];
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  if (method === 'auto') method = (n1 > 8 && n2 > 8) || tieTerm > 0 ? 'asymptotic' : 'exact';
  const notes: string[] = [];
  if (method === 'exact' && tieTerm > 0)
    notes.push('the exact distribution assumes no ties; the data have ties');
  const [u, f] =
    alternative === 'greater' ? [u1, 1] : alternative === 'less' ? [u2, 1] : [Math.max(u1, u2), 2];
  let p: number;
  let z: number | null = null;
  if (method === 'exact') p = mannWhitneyExactSf(u, n1, n2);
  else {
    const n = n1 + n2;
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    z = (u - (n1 * n2) / 2 - (options.continuity === false ? 0 : 0.5)) / s;
    p = normalSf(z);
  }
  p = Math.min(1, Math.max(0, p * f));
  return {
    test: 'Mann–Whitney U test',
    statistic: u1,
    statisticName: 'U',
    pValue: p,
    alternative,
    method,
    n: [n1, n2],
    effectSize: { name: 'rank-biserial correlation', value: (2 * u1) / (n1 * n2) - 1 },
    details: { U2: u2, z },
    ...(notes.length ? { notes } : {}),
  };
}

/** Options of {@link wilcoxonSignedRank}. */
export interface WilcoxonOptions {
  alternative?: Alternative;
  /** How zero differences are treated: 'wilcox' (default, dropped), 'pratt' or 'zsplit'. */
  zeroMethod?: 'wilcox' | 'pratt' | 'zsplit';
  /** Continuity correction of the normal approximation (default false, as SciPy). */
  correction?: boolean;
  /** 'auto' (default), 'exact' or 'approx'. */
  method?: 'auto' | 'exact' | 'approx';
}

/** The exact null distribution of R⁺ for n non-zero, untied differences (SciPy's `_get_wilcoxon_distr`). */
function wilcoxonPmf(n: number): Float64Array {
  let c = new Float64Array(1);
  c[0] = 1;
  for (let k = 1; k <= n; k++) {
    const next = new Float64Array((k * (k + 1)) / 2 + 1);
    const m = c.length;
    for (let i = 0; i < m; i++) next[i] = c[i] * 0.5;
    const off = next.length - m;
    for (let i = 0; i < m; i++) next[off + i] += c[i] * 0.5;
    c = next;
  }
  return c;
}

/**
 * Wilcoxon signed-rank test of H₀: the differences x − y (or x, when `y` is omitted) are
 * symmetric about 0, as `scipy.stats.wilcoxon` (see the module notes for the one difference).
 */
export function wilcoxonSignedRank(
  x: ArrayLike<number>,
  y?: ArrayLike<number> | null,
  options: WilcoxonOptions = {},
): TestResult {
  const who = 'wilcoxonSignedRank';
  const alternative = checkAlternative(options.alternative, who);
  const zeroMethod = checkChoice(
    options.zeroMethod,
    ['wilcox', 'pratt', 'zsplit'] as const,
    'zeroMethod',
    who,
    'wilcox',
  );
  const requested = checkChoice(options.method, ['auto', 'exact', 'approx'] as const, 'method', who, 'auto');
  let d: Float64Array;
  if (y === undefined || y === null) d = sample(x, 'x', who, { allowInfinite: true });
  else {
    const p = pairedSample(x, y, who, { allowInfinite: true });
    d = new Float64Array(p.x.length);
    for (let i = 0; i < d.length; i++) d[i] = p.x[i] - p.y[i];
  }
  checkSize(d.length, 1, y ? 'the pairs (x, y)' : 'x', who);
  const n0 = d.length;
  let nZero = 0;
  for (let i = 0; i < n0; i++) if (d[i] === 0) nZero++;
  if (nZero === n0 && zeroMethod !== 'zsplit') {
    throw new ValidationError(
      `${who}: every difference is zero; zeroMethod '${zeroMethod}' has nothing to rank.`,
      {
        field: 'zeroMethod',
        fix: "use zeroMethod: 'zsplit', or check the data (no difference at all)",
      },
    );
  }
  const abs = new Float64Array(n0);
  for (let i = 0; i < n0; i++) abs[i] = Math.abs(d[i]);
  const nonZeroRank = rankWithTies(abs.filter((v) => v !== 0));
  const hasTies = nonZeroRank.tieTerm > 0;
  let method: 'exact' | 'approx';
  if (requested === 'auto') method = n0 <= 50 && nZero === 0 && !hasTies ? 'exact' : 'approx';
  else if (requested === 'exact' && hasTies) {
    throw new ValidationError(
      `${who}: the exact distribution assumes no tied |differences|, and the data have ties.`,
      {
        field: 'method',
        fix: "use method: 'approx' (the normal approximation with the tie correction) or 'auto'",
      },
    );
  } else if (requested === 'exact' && nZero > 0) {
    warn(
      'UserWarning',
      `${who}: the exact p-value does not handle zero differences; using the normal approximation.`,
    );
    method = 'approx';
  } else method = requested;

  let dd = d;
  if (method === 'approx' && zeroMethod === 'wilcox') dd = d.filter((v) => v !== 0);
  const count = dd.length;
  const notes: string[] = [];
  if (count < 10 && method === 'approx') notes.push(`normal approximation with only ${count} differences`);
  const ddAbs = new Float64Array(count);
  for (let i = 0; i < count; i++) ddAbs[i] = Math.abs(dd[i]);
  const { ranks } = rankWithTies(ddAbs);
  let rPlus = 0;
  let rMinus = 0;
  let rZero = 0;
  for (let i = 0; i < count; i++) {
    if (dd[i] > 0) rPlus += ranks[i];
    else if (dd[i] < 0) rMinus += ranks[i];
    else rZero += ranks[i];
  }
  if (zeroMethod === 'zsplit') {
    rPlus += rZero / 2;
    rMinus += rZero / 2;
  }
  const T = alternative === 'two-sided' ? Math.min(rPlus, rMinus) : rPlus;
  let p: number;
  let z: number | null = null;
  if (method === 'approx') {
    let mn = count * (count + 1) * 0.25;
    let se = count * (count + 1) * (2 * count + 1);
    let rr = ranks;
    if (zeroMethod === 'pratt') {
      rr = ranks.filter((_, i) => dd[i] !== 0);
      mn -= nZero * (nZero + 1) * 0.25;
      se -= nZero * (nZero + 1) * (2 * nZero + 1);
    }
    se -= 0.5 * rankRepeatTerm(rr);
    se = Math.sqrt(se / 24);
    let cc = 0;
    if (options.correction)
      cc = alternative === 'two-sided' ? 0.5 * Math.sign(T - mn) : alternative === 'less' ? -0.5 : 0.5;
    z = (T - mn - cc) / se;
    p =
      alternative === 'two-sided'
        ? 2 * normalSf(Math.abs(z))
        : alternative === 'greater'
          ? normalSf(z)
          : normalCdf(z);
  } else {
    const pmf = wilcoxonPmf(count);
    const r = Math.trunc(rPlus);
    let lower = 0;
    for (let i = 0; i <= r; i++) lower += pmf[i];
    let upper = 0;
    for (let i = r; i < pmf.length; i++) upper += pmf[i];
    if (alternative === 'two-sided')
      p = r === Math.floor((pmf.length - 1) / 2) ? 1 : 2 * Math.min(lower, upper);
    else p = alternative === 'greater' ? upper : lower;
    p = Math.min(1, Math.max(0, p));
  }
  const total = rPlus + rMinus;
  return {
    test: 'Wilcoxon signed-rank test',
    statistic: T,
    statisticName: alternative === 'two-sided' ? 'T (min of R+, R-)' : 'R+',
    pValue: p,
    alternative,
    method,
    n: [n0],
    effectSize: {
      name: 'matched-pairs rank-biserial correlation',
      value: total > 0 ? (rPlus - rMinus) / total : 0,
    },
    details: { rPlus, rMinus, zeros: nZero, z },
    ...(notes.length ? { notes } : {}),
  };
}

/** Σ t(t² − 1) over groups of equal values in `r` (SciPy's `find_repeats` correction). */
function rankRepeatTerm(r: Float64Array): number {
  const s = Float64Array.from(r).sort();
  let term = 0;
  let i = 0;
  while (i < s.length) {
    let j = i + 1;
    while (j < s.length && s[j] === s[i]) j++;
    const t = j - i;
    if (t > 1) term += t * (t * t - 1);
    i = j;
  }
  return term;
}

/**
 * Kruskal–Wallis H test of H₀: all groups come from the same distribution, as
 * `scipy.stats.kruskal`. Needs at least two non-empty groups and not all values equal.
 */
export function kruskalWallis(groups: readonly ArrayLike<number>[]): TestResult {
  const who = 'kruskalWallis';
  if (!Array.isArray(groups) || groups.length < 2) {
    throw new ValidationError(
      `${who}: needs at least two groups; got ${Array.isArray(groups) ? groups.length : typeof groups}.`,
      {
        field: 'groups',
        expected: 'an array of two or more samples',
        fix: 'pass one array of values per group',
      },
    );
  }
  const gs = groups.map((g, i) => sample(g, `groups[${i}]`, who, { allowInfinite: true }));
  const sizes = gs.map((g) => g.length);
  const N = sizes.reduce((a, b) => a + b, 0);
  const all = new Float64Array(N);
  let off = 0;
  for (const g of gs) {
    all.set(g, off);
    off += g.length;
  }
  const { ranks, tieTerm } = rankWithTies(all);
  const ties = 1 - tieTerm / (N * N * N - N);
  if (!(ties > 0)) {
    throw new ValidationError(`${who}: all ${N} values are identical, so H is undefined.`, {
      field: 'groups',
      fix: 'check the data; there is no variation to test',
    });
  }
  let ssbn = 0;
  off = 0;
  for (const n of sizes) {
    let s = 0;
    for (let i = off; i < off + n; i++) s += ranks[i];
    ssbn += (s * s) / n;
    off += n;
  }
  const k = gs.length;
  const h = ((12 / (N * (N + 1))) * ssbn - 3 * (N + 1)) / ties;
  const df = k - 1;
  return {
    test: 'Kruskal–Wallis H test',
    statistic: h,
    statisticName: 'H',
    pValue: chiSquareSf(h, df),
    df,
    alternative: 'two-sided',
    method: 'asymptotic',
    n: sizes,
    effectSize: { name: 'eta-squared (H)', value: N > k ? (h - k + 1) / (N - k) : Number.NaN },
  };
}
