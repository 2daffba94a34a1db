/**
 * Data drift: has a column's distribution moved between a reference sample (the training data)
 * and a current one (what a served model sees)? One test per column, chosen as Evidently's data
 * drift preset chooses by default:
 *
 * | column | reference ≤ 1 000 values | larger reference |
 * |---|---|---|
 * | numeric, more than 5 distinct values | two-sample Kolmogorov–Smirnov, drift if p < 0.05 | Wasserstein distance / reference std, drift if ≥ 0.1 |
 * | categorical, or numeric with ≤ 5 distinct values | chi-square of the current counts against the reference proportions, drift if p < 0.05 | Jensen–Shannon distance of the two frequency tables, drift if ≥ 0.1 |
 *
 * One departure: Evidently tests a column of two values (reference ≤ 1 000) with a two-sample
 * Z-test of the proportions; here it gets the chi-square, which treats the reference proportion
 * as exact (docs/monitor.md says so).
 *
 * Missing values are left out of both samples (their shares are reported beside the test by the
 * caller). The distances are SciPy's (`scipy.stats.wasserstein_distance`,
 * `scipy.spatial.distance.jensenshannon`, natural logarithm), checked against it in the tests.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { chiSquareGoodnessOfFit } from './contingency.ts';
import { ksTwoSample } from './ks.ts';

/** Which test a column got. */
export type DriftTest = 'ks' | 'wasserstein' | 'chisquare' | 'jensenshannon';

/** The verdict on one column. */
export interface DriftResult {
  test: DriftTest;
  /** The test's statistic (KS D, χ²) or the distance. */
  statistic: number;
  /** The p-value of KS and chi-square (null for the distances). */
  pValue: number | null;
  /** p below it (KS, chi-square) or a distance at or above it drifts. */
  threshold: number;
  drifted: boolean;
  /** Non-missing values compared. */
  referenceCount: number;
  currentCount: number;
}

/** Options of {@link columnDrift}. */
export interface DriftOptions {
  /** p-value threshold of KS and chi-square (default 0.05). */
  pThreshold?: number;
  /** Threshold of the Wasserstein and Jensen–Shannon distances (default 0.1). */
  distanceThreshold?: number;
  /** The reference size up to which the statistical tests are used (default 1 000). */
  smallReference?: number;
}

const sortedFinite = (x: ArrayLike<number>): Float64Array => {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] === x[i]) out.push(x[i]);
  return Float64Array.from(out).sort();
};

/**
 * The first Wasserstein distance between the empirical distributions of u and v (equal weights),
 * as `scipy.stats.wasserstein_distance(u, v)`: ∫ |F_u − F_v|.
 */
export function wassersteinDistance(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const a = sortedFinite(u);
  const b = sortedFinite(v);
  if (a.length === 0 || b.length === 0) {
    throw new ValidationError('wassersteinDistance: both samples need at least one value.', {
      field: a.length === 0 ? 'u' : 'v',
    });
  }
  const all = new Float64Array(a.length + b.length);
  all.set(a);
  all.set(b, a.length);
  all.sort();
  // F_u and F_v just right of each value (searchsorted 'right'), times the gap to the next one.
  let ia = 0;
  let ib = 0;
  let sum = 0;
  for (let k = 0; k + 1 < all.length; k++) {
    const x = all[k];
    while (ia < a.length && a[ia] <= x) ia++;
    while (ib < b.length && b[ib] <= x) ib++;
    sum += Math.abs(ia / a.length - ib / b.length) * (all[k + 1] - x);
  }
  return sum;
}

/** x·log(x/y) with SciPy's `rel_entr` conventions (0 at x = 0; ∞ when y = 0 < x). */
function relEntr(x: number, y: number): number {
  if (x === 0) return 0;
  if (y === 0) return Number.POSITIVE_INFINITY;
  return x * Math.log(x / y);
}

/**
 * The Jensen–Shannon distance between two frequency vectors (normalised to sum 1 first), natural
 * logarithm, as `scipy.spatial.distance.jensenshannon(p, q)`: √(½ KL(p‖m) + ½ KL(q‖m)), m = (p+q)/2.
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length || p.length === 0) {
    throw new ValidationError(
      `jensenShannonDistance: p and q need the same, non-zero length; got ${p.length} and ${q.length}.`,
      { field: 'q' },
    );
  }
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i];
    sq += q[i];
  }
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] / sp;
    const b = q[i] / sq;
    const m = (a + b) / 2;
    js += relEntr(a, m) + relEntr(b, m);
  }
  return Math.sqrt(js / 2);
}

type Counts = Pick<DriftResult, 'referenceCount' | 'currentCount'>;

/** The verdict of a test with a p-value: drift when p < the threshold. */
function byPValue(
  test: DriftTest,
  statistic: number,
  pValue: number,
  o: Required<DriftOptions>,
  n: Counts,
): DriftResult {
  return { test, statistic, pValue, threshold: o.pThreshold, drifted: pValue < o.pThreshold, ...n };
}

/** The verdict of a distance: drift when it reaches the threshold. */
function byDistance(test: DriftTest, d: number, o: Required<DriftOptions>, n: Counts): DriftResult {
  return {
    test,
    statistic: d,
    pValue: null,
    threshold: o.distanceThreshold,
    drifted: d >= o.distanceThreshold,
    ...n,
  };
}

/** Counts of each level of the union of both samples, in sorted level order. */
function levelCounts(
  ref: readonly string[],
  cur: readonly string[],
): { r: number[]; c: number[]; levels: string[] } {
  const levels = [...new Set([...ref, ...cur])].sort();
  const at = new Map(levels.map((l, i) => [l, i]));
  const r = new Array<number>(levels.length).fill(0);
  const c = new Array<number>(levels.length).fill(0);
  for (const v of ref) r[at.get(v)!]++;
  for (const v of cur) c[at.get(v)!]++;
  return { r, c, levels };
}

/** The drift test of a categorical column (values as strings, missing ones left out). */
function categoricalDrift(
  ref: readonly string[],
  cur: readonly string[],
  o: Required<DriftOptions>,
): DriftResult {
  const base = { referenceCount: ref.length, currentCount: cur.length };
  const { r, c } = levelCounts(ref, cur);
  if (ref.length > o.smallReference) {
    const d = jensenShannonDistance(r, c);
    return byDistance('jensenshannon', d, o, base);
  }
  // The current counts against the reference proportions scaled to the current total. A level the
  // reference never had has expected count 0: χ² is infinite (SciPy gives inf and p = 0).
  const scale = cur.length / ref.length;
  if (r.some((x, i) => x === 0 && c[i] > 0)) {
    return byPValue('chisquare', Number.POSITIVE_INFINITY, 0, o, base);
  }
  const keep = r.map((_x, i) => i).filter((i) => r[i] > 0);
  if (keep.length < 2) {
    // One level in both: nothing can have moved.
    return byPValue('chisquare', 0, 1, o, base);
  }
  const t = chiSquareGoodnessOfFit(
    keep.map((i) => c[i]),
    { expected: keep.map((i) => r[i] * scale) },
  );
  return byPValue('chisquare', t.statistic, t.pValue, o, base);
}

/**
 * Whether a column drifted between `reference` and `current`, by the test Evidently's preset picks
 * (see the module docs). Numbers with NaN as missing, or strings with null as missing. Throws a
 * `ValidationError` when either sample has no value.
 */
export function columnDrift(
  reference: ArrayLike<number> | readonly (string | null)[],
  current: ArrayLike<number> | readonly (string | null)[],
  options: DriftOptions = {},
): DriftResult {
  const o: Required<DriftOptions> = {
    pThreshold: options.pThreshold ?? 0.05,
    distanceThreshold: options.distanceThreshold ?? 0.1,
    smallReference: options.smallReference ?? 1000,
  };
  const kr = sampleKind(reference);
  const kc = sampleKind(current);
  // A sample of missing values only (nulls) takes the other's type (and is refused below as empty).
  const numeric = (kr === 'empty' ? kc : kr) !== 'strings';
  if (kr !== 'empty' && kc !== 'empty' && kr !== kc) {
    throw new ValidationError('columnDrift: one sample holds numbers and the other strings.', {
      field: 'current',
      fix: 'pass both samples of a column with the same type',
    });
  }
  if (!numeric) {
    const ref = Array.from(reference as ArrayLike<string | null>).filter(
      (v): v is string => typeof v === 'string',
    );
    const cur = Array.from(current as ArrayLike<string | null>).filter(
      (v): v is string => typeof v === 'string',
    );
    checkSizes(ref.length, cur.length);
    return categoricalDrift(ref, cur, o);
  }
  const a = sortedFinite(reference as ArrayLike<number>);
  const b = sortedFinite(current as ArrayLike<number>);
  checkSizes(a.length, b.length);
  if (fewValued(a)) return categoricalDrift(Array.from(a, String), Array.from(b, String), o);
  const base = { referenceCount: a.length, currentCount: b.length };
  if (a.length > o.smallReference) {
    let mean = 0;
    for (const x of a) mean += x;
    mean /= a.length;
    let ss = 0;
    for (const x of a) ss += (x - mean) * (x - mean);
    const sd = Math.sqrt(ss / a.length);
    const d = wassersteinDistance(a, b) / sd;
    return byDistance('wasserstein', d, o, base);
  }
  const t = ksTwoSample(a, b);
  return byPValue('ks', t.statistic, t.pValue, o, base);
}

/**
 * Whether a numeric reference sample has at most 5 distinct values (NaN left out), so that drift
 * treats it as categorical — the rule of the module's table, for anything that must agree with it.
 */
export function fewValued(reference: ArrayLike<number>): boolean {
  const seen = new Set<number>();
  for (let i = 0; i < reference.length; i++) {
    const x = reference[i];
    if (x === x) seen.add(x);
    if (seen.size > 5) return false;
  }
  return true;
}

/** What a sample holds: numbers (a typed array, or numbers with nulls), strings, or only nulls. */
function sampleKind(x: ArrayLike<number> | readonly (string | null)[]): 'numbers' | 'strings' | 'empty' {
  if (ArrayBuffer.isView(x)) return 'numbers';
  const a = x as readonly unknown[];
  if (a.some((v) => typeof v === 'string')) return 'strings';
  return a.some((v) => typeof v === 'number') ? 'numbers' : 'empty';
}

function checkSizes(ref: number, cur: number): void {
  if (ref === 0 || cur === 0) {
    throw new ValidationError(
      `columnDrift: the ${ref === 0 ? 'reference' : 'current'} sample has no (non-missing) value to compare.`,
      { field: ref === 0 ? 'reference' : 'current', fix: 'compare columns that hold values in both samples' },
    );
  }
}
