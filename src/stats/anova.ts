/**
 * Comparing several groups: one-way ANOVA (`scipy.stats.f_oneway`) and Levene's test of equal
 * variances (`scipy.stats.levene`, Brown–Forsythe's median centring by default).
 *
 * - ANOVA: F = (SS_between/(k − 1)) / (SS_within/(N − k)). Effect sizes: η² = SS_between/SS_total
 *   and ω² = (SS_between − (k − 1)·MS_within)/(SS_total + MS_within). When every group is
 *   constant but the groups differ, F is infinite and p = 0 (a note says so); when all values
 *   are equal, F is undefined and the call is an error.
 * - Levene: the ANOVA F of the absolute deviations |xᵢⱼ − cᵢ| from each group's centre cᵢ —
 *   the median (default), the mean, or the mean after trimming `proportionToCut` from each end
 *   (SciPy trims the deviations' samples too). Deviations constant within each group but not
 *   across them give W = ∞ and p = 0 with a note (as SciPy); all equal, an error.
 *
 * Missing values are dropped; each group needs at least one value and, in total, more values
 * than groups.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { meanOf, meanResidual } from './descriptive.ts';
import { fisherFSf } from './distributions.ts';
import { quantileSorted } from './quantile.ts';
import type { TestResult } from './test-result.ts';
import { checkChoice, checkNumber, sample } from './validate.ts';

function groupsOf(groups: readonly ArrayLike<number>[], who: string): Float64Array[] {
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
  const gs = groups.map((g, i) => sample(g, `groups[${i}]`, who));
  const N = gs.reduce((s, g) => s + g.length, 0);
  if (N <= gs.length) {
    throw new ValidationError(
      `${who}: ${N} values in ${gs.length} groups leave no degrees of freedom within groups.`,
      {
        field: 'groups',
        expected: 'more values than groups',
        fix: 'pass more observations per group',
      },
    );
  }
  return gs;
}

/**
 * The mean of x and the residual δ = (Σx − n·mean)/n that the rounded mean leaves: the computed
 * mean can be ½ ulp of x̄ away, which for a large mean and a tiny spread (3e5 ± 1e-3) is 1e-7 of
 * the deviations, so sums of squares and deviations use `mean + δ` (as `shiftedMoments` does).
 */
function meanAndResidual(x: Float64Array): { mean: number; residual: number } {
  const mean = meanOf(x);
  return { mean, residual: meanResidual(x, mean) };
}

/** The one-way ANOVA table: sums of squares and degrees of freedom. */
function anovaParts(gs: Float64Array[]): { ssb: number; ssw: number; dfb: number; dfw: number; n: number[] } {
  const N = gs.reduce((s, g) => s + g.length, 0);
  const all = new Float64Array(N);
  let k = 0;
  for (const g of gs) {
    all.set(g, k);
    k += g.length;
  }
  const { mean: grand, residual: grandResidual } = meanAndResidual(all);
  let ssb = 0;
  let ssw = 0;
  for (const g of gs) {
    const { mean: m, residual } = meanAndResidual(g);
    ssb += g.length * (m - grand + (residual - grandResidual)) ** 2;
    let ss = 0;
    for (let i = 0; i < g.length; i++) ss += (g[i] - m) ** 2;
    ssw += ss - g.length * residual * residual;
  }
  return { ssb, ssw, dfb: gs.length - 1, dfw: N - gs.length, n: gs.map((g) => g.length) };
}

/** One-way analysis of variance of H₀: all group means are equal, as `scipy.stats.f_oneway`. */
export function oneWayAnova(groups: readonly ArrayLike<number>[]): TestResult {
  const who = 'oneWayAnova';
  const gs = groupsOf(groups, who);
  const { ssb, ssw, dfb, dfw, n } = anovaParts(gs);
  const msb = ssb / dfb;
  const msw = ssw / dfw;
  const sst = ssb + ssw;
  if (!(sst > 0)) {
    throw new ValidationError(`${who}: every value is the same, so F is undefined.`, {
      field: 'groups',
      fix: 'check the data; there is no variation to test',
    });
  }
  const constantGroups = ssw === 0;
  const f = constantGroups ? Number.POSITIVE_INFINITY : msb / msw;
  return {
    test: 'One-way ANOVA',
    statistic: f,
    statisticName: 'F',
    pValue: constantGroups ? 0 : fisherFSf(f, dfb, dfw),
    df: dfb,
    df2: dfw,
    alternative: 'two-sided',
    n,
    effectSize: { name: 'eta-squared', value: ssb / sst },
    details: {
      ssBetween: ssb,
      ssWithin: ssw,
      msBetween: msb,
      msWithin: msw,
      omegaSquared: (ssb - dfb * msw) / (sst + msw),
    },
    ...(constantGroups ? { notes: ['every group is constant but the groups differ: F is infinite'] } : {}),
  };
}

/** Options of {@link leveneTest}. */
export interface LeveneOptions {
  /** The centre of each group: 'median' (default, Brown–Forsythe), 'mean' (Levene's original) or 'trimmed'. */
  center?: 'median' | 'mean' | 'trimmed';
  /** For 'trimmed': the proportion cut from each end of each group (default 0.05). */
  proportionToCut?: number;
}

/** Levene's test of H₀: all groups have equal variances, as `scipy.stats.levene`. */
export function leveneTest(groups: readonly ArrayLike<number>[], options: LeveneOptions = {}): TestResult {
  const who = 'leveneTest';
  const center = checkChoice(options.center, ['median', 'mean', 'trimmed'] as const, 'center', who, 'median');
  const cut = checkNumber(options.proportionToCut ?? 0.05, 'proportionToCut', who, {
    min: 0,
    max: 0.5,
    maxExclusive: true,
  });
  let gs = groupsOf(groups, who);
  if (center === 'trimmed') {
    gs = gs.map((g) => {
      const s = g.slice().sort();
      const lo = Math.floor(cut * s.length);
      return s.slice(lo, s.length - lo);
    });
  }
  // Each centre as a double c plus the residual e it leaves (the median of an even count is the
  // midpoint (a + b)/2, which rounds): the deviations are |(v − c) − e|.
  const centres = gs.map((g) => {
    if (center !== 'median') {
      const { mean, residual } = meanAndResidual(g);
      return { c: mean, e: residual };
    }
    const s = g.slice().sort();
    const c = quantileSorted(s, 0.5);
    const h = (s.length - 1) / 2;
    const e = h === Math.floor(h) ? 0 : (s[Math.floor(h)] - c + (s[Math.ceil(h)] - c)) / 2;
    return { c, e };
  });
  const z = gs.map((g, i) => g.map((v) => Math.abs(v - centres[i].c - centres[i].e)));
  const { ssb, ssw, dfb, dfw, n } = anovaParts(z);
  const centreName = center === 'trimmed' ? 'trimmed means' : `${center}s`;
  if (!(ssw + ssb > 0)) {
    throw new ValidationError(
      `${who}: the absolute deviations from the group ${centreName} are all the same, so W is undefined.`,
      {
        field: 'groups',
        fix: 'check the data (e.g. groups of one or two values, or constant groups)',
      },
    );
  }
  // Deviations that vary between the groups but not within them: W is infinite and p = 0, as
  // SciPy gives and as oneWayAnova does for constant groups (a note says so).
  const constantDeviations = ssw === 0;
  const w = constantDeviations ? Number.POSITIVE_INFINITY : ssb / dfb / (ssw / dfw);
  return {
    test:
      center === 'median'
        ? 'Levene test (Brown–Forsythe, median-centred)'
        : `Levene test (${center}-centred)`,
    statistic: w,
    statisticName: 'W',
    pValue: constantDeviations ? 0 : fisherFSf(w, dfb, dfw),
    df: dfb,
    df2: dfw,
    alternative: 'two-sided',
    n,
    details: { center },
    ...(constantDeviations
      ? {
          notes: [
            `the absolute deviations from the group ${centreName} vary only between groups: W is infinite`,
          ],
        }
      : {}),
  };
}
