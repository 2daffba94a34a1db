/**
 * Permutation tests of any statistic, as `scipy.stats.permutation_test` (SciPy 1.10):
 *
 * - `independent` (default): the pooled observations are re-divided into groups of the original
 *   sizes — H₀: the samples come from one distribution.
 * - `samples` (paired): the values within each row are permuted across samples (for two samples,
 *   a sign flip of the difference; one sample is compared with its negation) — H₀: the pairs
 *   are exchangeable.
 * - `pairings`: the order of each sample is permuted, breaking the pairing — H₀: no association
 *   (e.g. a correlation).
 *
 * When the number of distinct rearrangements is at most `nResamples` (default 9999) the null
 * distribution is enumerated exactly and p = share of it at least as extreme as the observed
 * value; otherwise `nResamples` random rearrangements are drawn (seeded by the core {@link Rng})
 * and p = (count + 1)/(nResamples + 1), which never gives 0. Values within a relative 1e-14 of
 * the observed statistic count as ties. Two-sided p = 2·min(one-sided), capped at 1.
 *
 * @module
 */

import { show, ValidationError } from '../core/errors.ts';
import { asRng, type Rng, type Seed } from '../core/rng.ts';
import type { TestResult } from './test-result.ts';
import { type Alternative, checkAlternative, checkArrayArg, checkChoice, checkNumber } from './validate.ts';

/** How observations are rearranged under H₀. */
export type PermutationType = 'independent' | 'samples' | 'pairings';

/** Options of {@link permutationTest}. */
export interface PermutationOptions {
  permutationType?: PermutationType;
  /** Random rearrangements when exact enumeration would need more (default 9999). */
  nResamples?: number;
  alternative?: Alternative;
  seed?: Seed | Rng;
}

function binomial(n: number, k: number): number {
  k = Math.min(k, n - k);
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/** Calls `visit` with every arrangement of 0…n−1 into consecutive groups of sizes `ns` (as a permutation). */
function forEachPartition(ns: number[], visit: (perm: Int32Array) => void): void {
  const total = ns.reduce((a, b) => a + b, 0);
  const perm = new Int32Array(total);
  const used = new Uint8Array(total);
  const rec = (g: number, pos: number, start: number, filled: number) => {
    if (g === ns.length - 1) {
      let k = pos;
      for (let i = 0; i < total; i++) if (!used[i]) perm[k++] = i;
      visit(perm);
      return;
    }
    if (filled === ns[g]) {
      rec(g + 1, pos, 0, 0);
      return;
    }
    for (let i = start; i < total; i++) {
      if (used[i]) continue;
      used[i] = 1;
      perm[pos] = i;
      rec(g, pos + 1, i + 1, filled + 1);
      used[i] = 0;
    }
  };
  rec(0, 0, 0, 0);
}

/** Calls `visit` with every permutation of 0…n−1 (Heap's algorithm). */
function forEachPermutation(n: number, visit: (perm: Int32Array) => void): void {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  const c = new Int32Array(n);
  visit(a);
  let i = 0;
  while (i < n) {
    if (c[i] < i) {
      const j = i % 2 === 0 ? 0 : c[i];
      const t = a[j];
      a[j] = a[i];
      a[i] = t;
      visit(a);
      c[i]++;
      i = 0;
    } else {
      c[i] = 0;
      i++;
    }
  }
}

/**
 * Permutation test of `statistic` over `samples` (see the module notes).
 *
 * @example
 * const diff = (x: Float64Array, y: Float64Array) => mean(x) - mean(y);
 * permutationTest([x, y], diff, { alternative: 'greater' }).pValue
 */
export function permutationTest(
  samples: readonly ArrayLike<number>[],
  statistic: (...samples: Float64Array[]) => number,
  options: PermutationOptions = {},
): TestResult {
  const who = 'permutationTest';
  checkArrayArg(samples, who, 'samples');
  if (typeof statistic !== 'function') {
    throw new ValidationError(
      `${who}: statistic must be a function of the samples; got ${show(statistic)}.`,
      {
        field: 'statistic',
        fix: 'pass e.g. (a, b) => mean(a) - mean(b)',
      },
    );
  }
  const type = checkChoice(
    options.permutationType,
    ['independent', 'samples', 'pairings'] as const,
    'permutationType',
    who,
    'independent',
  );
  const alternative = checkAlternative(options.alternative, who);
  const B = checkNumber(options.nResamples ?? 9999, 'nResamples', who, { min: 1, integer: true });
  if (!Array.isArray(samples) || samples.length === 0) {
    throw new ValidationError(`${who}: pass the data as an array of samples, e.g. [x, y].`, {
      field: 'samples',
      fix: 'wrap the samples in an array',
    });
  }
  const data = samples.map((s) => Float64Array.from(s));
  if (type === 'independent' && data.length < 2) {
    throw new ValidationError(`${who}: an 'independent' test needs at least two samples.`, {
      field: 'samples',
      fix: "pass [x, y], or use permutationType: 'samples' for one sample",
    });
  }
  if (type !== 'independent' && data.some((d) => d.length !== data[0].length)) {
    throw new ValidationError(
      `${who}: '${type}' samples must have the same length; got ${data.map((d) => d.length).join(', ')}.`,
      {
        field: 'samples',
        fix: 'pass paired samples of equal length',
      },
    );
  }
  data.forEach((d, j) => {
    if (d.length < 1)
      throw new ValidationError(`${who}: sample ${j} is empty.`, {
        field: 'samples',
        fix: 'pass observations in every sample',
      });
  });
  const rng = asRng(options.seed);
  const observed = statistic(...data.map((d) => d.slice()));
  const nulls: number[] = [];
  let exact: boolean;
  if (type === 'independent') {
    const ns = data.map((d) => d.length);
    const pooled = new Float64Array(ns.reduce((a, b) => a + b, 0));
    let off = 0;
    for (const d of data) {
      pooled.set(d, off);
      off += d.length;
    }
    let nMax = 1;
    let cum = ns[0];
    for (let i = 1; i < ns.length; i++) {
      cum += ns[i];
      nMax *= binomial(cum, ns[i]);
    }
    const evaluate = (perm: ArrayLike<number>) => {
      const parts: Float64Array[] = [];
      let o = 0;
      for (const n of ns) {
        const part = new Float64Array(n);
        for (let i = 0; i < n; i++) part[i] = pooled[perm[o + i]];
        parts.push(part);
        o += n;
      }
      nulls.push(statistic(...parts));
    };
    exact = nMax <= B;
    if (exact) forEachPartition(ns, evaluate);
    else for (let b = 0; b < B; b++) evaluate(rng.permutation(pooled.length));
  } else {
    const n = data[0].length;
    const k = data.length;
    if (type === 'samples') {
      // rows of k values permuted across samples; one sample is paired with its negation
      const rows = k === 1 ? [data[0], data[0].map((v) => -v)] : data;
      const m = rows.length;
      const nMax = factorial(m) ** n;
      exact = nMax <= B;
      const perms: Int32Array[] = [];
      forEachPermutation(m, (p) => perms.push(p.slice()));
      const evaluate = (choice: (row: number) => Int32Array) => {
        const out = rows.map(() => new Float64Array(n));
        for (let i = 0; i < n; i++) {
          const p = choice(i);
          for (let s = 0; s < m; s++) out[s][i] = rows[p[s]][i];
        }
        nulls.push(statistic(...(k === 1 ? [out[0]] : out)));
      };
      if (exact) {
        const idx = new Int32Array(n);
        for (let c = 0; c < nMax; c++) {
          let r = c;
          for (let i = 0; i < n; i++) {
            idx[i] = r % perms.length;
            r = Math.floor(r / perms.length);
          }
          evaluate((i) => perms[idx[i]]);
        }
      } else {
        for (let b = 0; b < B; b++) {
          const picks = Array.from({ length: n }, () => rng.permutation(m));
          evaluate((i) => picks[i]);
        }
      }
    } else {
      const nMax = factorial(n) ** k;
      exact = nMax <= B;
      if (exact) {
        // Permuting the first sample alone visits every pairing equally often.
        forEachPermutation(n, (p) => {
          const first = new Float64Array(n);
          for (let i = 0; i < n; i++) first[i] = data[0][p[i]];
          nulls.push(statistic(first, ...data.slice(1).map((d) => d.slice())));
        });
      } else {
        for (let b = 0; b < B; b++) {
          const perm = data.map((d) => {
            const p = rng.permutation(n);
            const out = new Float64Array(n);
            for (let i = 0; i < n; i++) out[i] = d[p[i]];
            return out;
          });
          nulls.push(statistic(...perm));
        }
      }
    }
  }
  const count = nulls.length;
  const adjustment = exact ? 0 : 1;
  const gamma = Math.max(1e-14, Math.abs(1e-14 * observed));
  let le = 0;
  let ge = 0;
  for (const v of nulls) {
    if (v <= observed + gamma) le++;
    if (v >= observed - gamma) ge++;
  }
  const pLess = (le + adjustment) / (count + adjustment);
  const pGreater = (ge + adjustment) / (count + adjustment);
  const p =
    alternative === 'less' ? pLess : alternative === 'greater' ? pGreater : 2 * Math.min(pLess, pGreater);
  return {
    test: `Permutation test (${type})`,
    statistic: observed,
    statisticName: 'statistic',
    pValue: Math.min(1, Math.max(0, p)),
    alternative,
    method: exact ? 'exact' : 'Monte Carlo',
    n: data.map((d) => d.length),
    details: { permutations: count },
  };
}
