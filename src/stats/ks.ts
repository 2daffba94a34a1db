/**
 * Kolmogorov–Smirnov tests, as `scipy.stats.ks_1samp` and `ks_2samp` (SciPy 1.10).
 *
 * **One sample** against a continuous CDF F (a function, or a named distribution with
 * `loc`/`scale`): D⁺ = max(i/n − F(x₍ᵢ₎)), D⁻ = max(F(x₍ᵢ₎) − (i−1)/n). Two-sided D = max(D⁺, D⁻)
 * with the exact distribution of Dₙ (`method: 'auto'` or `'exact'`), Kolmogorov's limit
 * (`'asymp'`), or twice the one-sided tail (`'approx'`); one-sided alternatives use D⁺
 * ('greater') or D⁻ ('less') with the exact one-sided distribution.
 *
 * **Two samples:** D = the largest gap between the two empirical CDFs ('greater': max of
 * F₁ − F₂, 'less': max of F₂ − F₁). `method: 'auto'` is exact when both samples have at most
 * 10 000 values (lattice-path counting), else asymptotic; an exact computation that would
 * overflow falls back to the asymptotic formula, with a note.
 *
 * The distribution parameters are taken as known: estimating them from the same data (e.g.
 * testing normality with the sample mean and SD) makes the p-value too large — use
 * {@link shapiroWilk} or {@link andersonDarling} for that. Missing values are dropped.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { normalCdf } from './distributions.ts';
import { kolmogornSf, kolmogorovSf, ks2SampleExactSf, smirnovSf } from './ks-distribution.ts';
import { sortFloat64 } from './quantile.ts';
import type { TestResult } from './test-result.ts';
import { type Alternative, checkAlternative, checkChoice, checkNumber, sample } from './validate.ts';

/** Named continuous distributions for {@link ksOneSample}. */
export interface KsDistribution {
  /** 'normal', 'uniform' (on [loc, loc + scale]) or 'exponential' (starting at loc). */
  distribution: 'normal' | 'uniform' | 'exponential';
  /** Location (default 0). */
  loc?: number;
  /** Scale (default 1): the SD, the width, or the mean of the exponential. */
  scale?: number;
}

/** Options of {@link ksOneSample}. */
export interface KsOneSampleOptions {
  alternative?: Alternative;
  /** 'auto' (default, exact), 'exact', 'asymp' or 'approx'. */
  method?: 'auto' | 'exact' | 'asymp' | 'approx';
}

/** The CDF of a named distribution (as a function). */
export function distributionCdf(spec: KsDistribution, who = 'distributionCdf'): (x: number) => number {
  const loc = checkNumber(spec.loc ?? 0, 'loc', who);
  const scale = checkNumber(spec.scale ?? 1, 'scale', who, { min: 0, minExclusive: true });
  switch (spec.distribution) {
    case 'normal':
      return (x) => normalCdf((x - loc) / scale);
    case 'uniform':
      return (x) => Math.min(1, Math.max(0, (x - loc) / scale));
    case 'exponential':
      return (x) => (x <= loc ? 0 : -Math.expm1(-(x - loc) / scale));
    default:
      throw new ValidationError(
        `${who}: unknown distribution ${JSON.stringify((spec as { distribution: unknown }).distribution)}.`,
        {
          field: 'distribution',
          expected: "'normal', 'uniform' or 'exponential'",
          fix: 'pass one of those, or a CDF function',
        },
      );
  }
}

/** One-sample Kolmogorov–Smirnov test of H₀: x comes from the continuous distribution `cdf`. */
export function ksOneSample(
  x: ArrayLike<number>,
  cdf: ((x: number) => number) | KsDistribution,
  options: KsOneSampleOptions = {},
): TestResult {
  const who = 'ksOneSample';
  const alternative = checkAlternative(options.alternative, who);
  let method = checkChoice(
    options.method,
    ['auto', 'exact', 'asymp', 'approx'] as const,
    'method',
    who,
    'auto',
  );
  const F = typeof cdf === 'function' ? cdf : distributionCdf(cdf, who);
  const v = sample(x, 'x', who, { allowInfinite: true }).sort();
  const n = v.length;
  let dPlus = Number.NEGATIVE_INFINITY;
  let dMinus = Number.NEGATIVE_INFINITY;
  let locPlus = v[0];
  let locMinus = v[0];
  for (let i = 0; i < n; i++) {
    const f = F(v[i]);
    if (!(f >= 0 && f <= 1)) {
      throw new ValidationError(
        `${who}: the CDF returned ${f} at x = ${v[i]}; a CDF must return values in [0, 1].`,
        {
          field: 'cdf',
          fix: 'pass a cumulative distribution function',
        },
      );
    }
    const p = (i + 1) / n - f;
    const m = f - i / n;
    if (p > dPlus) {
      dPlus = p;
      locPlus = v[i];
    }
    if (m > dMinus) {
      dMinus = m;
      locMinus = v[i];
    }
  }
  const named =
    typeof cdf === 'function'
      ? 'the given CDF'
      : `${cdf.distribution}(loc=${cdf.loc ?? 0}, scale=${cdf.scale ?? 1})`;
  const base = {
    test: `One-sample Kolmogorov–Smirnov test against ${named}`,
    statisticName: 'D',
    alternative,
    n: [n],
  };
  if (alternative === 'greater') {
    return {
      ...base,
      statistic: dPlus,
      pValue: smirnovSf(n, dPlus),
      method: 'exact',
      details: { location: locPlus, sign: 1 },
    };
  }
  if (alternative === 'less') {
    return {
      ...base,
      statistic: dMinus,
      pValue: smirnovSf(n, dMinus),
      method: 'exact',
      details: { location: locMinus, sign: -1 },
    };
  }
  const plusWins = dPlus > dMinus;
  const D = plusWins ? dPlus : dMinus;
  if (method === 'auto') method = 'exact';
  let p: number;
  if (method === 'exact') p = kolmogornSf(n, D);
  else if (method === 'asymp') p = kolmogorovSf(D * Math.sqrt(n));
  else p = 2 * smirnovSf(n, D);
  return {
    ...base,
    statistic: D,
    pValue: Math.min(1, Math.max(0, p)),
    method,
    details: { location: plusWins ? locPlus : locMinus, sign: plusWins ? 1 : -1 },
  };
}

/** Options of {@link ksTwoSample}. */
export interface KsTwoSampleOptions {
  alternative?: Alternative;
  /** 'auto' (default), 'exact' or 'asymp'. */
  method?: 'auto' | 'exact' | 'asymp';
}

/** Round half to even, as `np.round`. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Two-sample Kolmogorov–Smirnov test of H₀: x and y come from the same continuous distribution. */
export function ksTwoSample(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: KsTwoSampleOptions = {},
): TestResult {
  const who = 'ksTwoSample';
  const alternative = checkAlternative(options.alternative, who);
  let method = checkChoice(options.method, ['auto', 'exact', 'asymp'] as const, 'method', who, 'auto');
  const a = sortFloat64(sample(x, 'x', who, { allowInfinite: true }));
  const b = sortFloat64(sample(y, 'y', who, { allowInfinite: true }));
  const n1 = a.length;
  const n2 = b.length;
  // F₁ − F₂ at every observation, in SciPy's order (the sorted x, then the sorted y; the first
  // extreme wins). Both walks move monotone pointers instead of binary-searching each value.
  let minS = Number.POSITIVE_INFINITY;
  let maxS = Number.NEGATIVE_INFINITY;
  let locMin = 0;
  let locMax = 0;
  for (const [own, other] of [
    [a, b],
    [b, a],
  ] as const) {
    let io = 0;
    let it = 0;
    for (let k = 0; k < own.length; k++) {
      const v = own[k];
      while (io < own.length && own[io] <= v) io++;
      while (it < other.length && other[it] <= v) it++;
      const diff = own === a ? io / n1 - it / n2 : it / n1 - io / n2;
      if (diff < minS) {
        minS = diff;
        locMin = v;
      }
      if (diff > maxS) {
        maxS = diff;
        locMax = v;
      }
    }
  }
  minS = Math.min(1, Math.max(0, -minS));
  let d: number;
  let loc: number;
  let sign: number;
  if (alternative === 'less' || (alternative === 'two-sided' && minS > maxS)) {
    d = minS;
    loc = locMin;
    sign = -1;
  } else {
    d = maxS;
    loc = locMax;
    sign = 1;
  }
  const notes: string[] = [];
  let p = Number.NaN;
  if (method === 'auto') method = Math.max(n1, n2) <= 10000 ? 'exact' : 'asymp';
  if (method === 'exact') {
    const r = ks2SampleExactSf(n1, n2, d, alternative);
    if (r === null) {
      notes.push('the exact computation overflowed; used the asymptotic distribution');
      method = 'asymp';
    } else {
      p = r.p;
      d = r.d;
    }
  }
  if (method === 'asymp') {
    const m = Math.max(n1, n2);
    const n = Math.min(n1, n2);
    const en = (m * n) / (m + n);
    if (alternative === 'two-sided') p = kolmogornSf(roundHalfEven(en), d);
    else {
      const z = Math.sqrt(en) * d;
      p = Math.exp(-2 * z * z - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3);
    }
  }
  return {
    test: 'Two-sample Kolmogorov–Smirnov test',
    statistic: d,
    statisticName: 'D',
    pValue: Math.min(1, Math.max(0, p)),
    alternative,
    method,
    n: [n1, n2],
    details: { location: loc, sign },
    ...(notes.length ? { notes } : {}),
  };
}
