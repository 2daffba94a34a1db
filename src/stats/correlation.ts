/**
 * Correlation: Pearson's r and Spearman's ρ, for a pair of variables or a whole matrix.
 *
 * **Definitions.**
 * - Pearson: `r = Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² · Σ(y−ȳ)²)`, computed in two passes (means first),
 *   clipped to [−1, 1] — as `scipy.stats.pearsonr` and `DataFrame.corr()`.
 * - Spearman: Pearson's r of the ranks, where tied values get the *average* of the ranks they
 *   span (`scipy.stats.rankdata(method="average")`) — as `scipy.stats.spearmanr` and
 *   `DataFrame.corr(method="spearman")`.
 *
 * **Missing values.** A row where either value is `NaN` is left out ("pairwise complete", like
 * pandas); Spearman ranks only the rows that remain, so each pair is ranked on its own complete
 * rows, exactly as pandas does. The result is `NaN` when fewer than two rows remain or when
 * either variable is constant on them (pandas gives `NaN`; SciPy warns and gives `NaN`).
 *
 * **Cost.** {@link correlationMatrix} ranks every column once (a radix sort and a binary search
 * per value), then each of the p(p−1)/2 pairs costs two sequential passes over the rows — no
 * re-sorting, even with missing values (ranks within a pair's complete rows come from per-value
 * counts). It is still O(p²·n): sample rows or limit columns for wide, long tables.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { sortFloat64WithIndex } from './quantile.ts';

/** Correlation coefficients Lathe computes. */
export type CorrelationMethod = 'pearson' | 'spearman';

function checkPair(x: ArrayLike<number>, y: ArrayLike<number>, who: string): void {
  if (x.length !== y.length) {
    throw new ValidationError(`${who}: x has ${x.length} values but y has ${y.length}.`, {
      field: 'y',
      expected: `${x.length} values, one per value of x`,
      actual: y.length,
      fix: 'pass two arrays of the same length (missing values as NaN)',
    });
  }
}

/**
 * Average ranks (1-based) of the non-missing values: tied values share the mean of the ranks
 * they span, as `scipy.stats.rankdata(x, method="average")`. `NaN` stays `NaN` and is not
 * counted (pandas' `Series.rank()`).
 *
 * @example rankData([10, 20, 10, NaN]) // [1.5, 3, 1.5, NaN]
 */
export function rankData(x: ArrayLike<number>): Float64Array {
  const { codes, values } = denseRank(x);
  const n = x.length;
  const counts = new Float64Array(values.length);
  for (let i = 0; i < n; i++) if (codes[i] >= 0) counts[codes[i]]++;
  const avg = averageRanks(counts);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = codes[i] >= 0 ? avg[codes[i]] : Number.NaN;
  return out;
}

/**
 * Pearson's correlation coefficient of `x` and `y`, over the rows where both are present.
 * `NaN` when fewer than two such rows exist or either variable is constant on them.
 *
 * @example pearsonCorrelation([1, 2, 3], [2, 4, 7]) // 0.9933…, as scipy.stats.pearsonr
 */
export function pearsonCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPair(x, y, 'pearsonCorrelation');
  return pearsonPair(x, y);
}

/**
 * Spearman's rank correlation of `x` and `y` (average ranks for ties), over the rows where both
 * are present, ranked among those rows. `NaN` when fewer than two remain or either is constant.
 *
 * @example spearmanCorrelation([1, 2, 3, 4], [1, 4, 9, 16]) // 1
 */
export function spearmanCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPair(x, y, 'spearmanCorrelation');
  const a = denseRank(x);
  const b = denseRank(y);
  return spearmanPair(a, b, spearmanScratch(Math.max(a.values.length, b.values.length), x.length));
}

/** Options of {@link correlationMatrix}. */
export interface CorrelationMatrixOptions {
  /** `pearson` (default) or `spearman`. */
  method?: CorrelationMethod;
}

/**
 * The correlation matrix of `columns` (each an array of the same length, `NaN` = missing): a
 * p×p row-major `Float64Array`, symmetric, pairwise complete like `DataFrame.corr()`. The
 * diagonal is 1, or `NaN` for a column with fewer than two distinct values (as pandas).
 */
export function correlationMatrix(
  columns: readonly ArrayLike<number>[],
  options: CorrelationMatrixOptions = {},
): Float64Array {
  const method = options.method ?? 'pearson';
  if (method !== 'pearson' && method !== 'spearman') {
    throw new ValidationError(`correlationMatrix: unknown method '${String(method)}'.`, {
      field: 'method',
      expected: "'pearson' or 'spearman'",
      actual: method,
      fix: "use method: 'pearson' or method: 'spearman'",
    });
  }
  const p = columns.length;
  for (let j = 1; j < p; j++) checkPair(columns[0], columns[j], `correlationMatrix (column ${j})`);
  const out = new Float64Array(p * p);
  if (method === 'pearson') {
    for (let a = 0; a < p; a++) {
      for (let b = a; b < p; b++) {
        const r = pearsonPair(columns[a], columns[b]);
        out[a * p + b] = r;
        out[b * p + a] = r;
      }
    }
    return out;
  }
  return spearmanMatrix(columns.map((c) => denseRank(c)));
}

/**
 * The Spearman matrix of columns already ranked by {@link denseRank} (rank each column once
 * and reuse the rankings elsewhere). Same result as `correlationMatrix(…, { method: 'spearman' })`.
 */
export function spearmanMatrix(rankings: readonly DenseRanking[]): Float64Array {
  const p = rankings.length;
  for (let j = 1; j < p; j++) {
    if (rankings[j].codes.length !== rankings[0].codes.length) {
      throw new ValidationError(
        `spearmanMatrix: ranking ${j} has ${rankings[j].codes.length} rows; ranking 0 has ${rankings[0].codes.length}.`,
        { field: 'rankings', fix: 'rank columns of the same length' },
      );
    }
  }
  const out = new Float64Array(p * p);
  let maxUnique = 0;
  for (const c of rankings) maxUnique = Math.max(maxUnique, c.values.length);
  const work = spearmanScratch(maxUnique, p > 0 ? rankings[0].codes.length : 0);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      const r = spearmanPair(rankings[a], rankings[b], work);
      out[a * p + b] = r;
      out[b * p + a] = r;
    }
  }
  return out;
}

/** Two-pass Pearson over the pairwise-complete rows. */
function pearsonPair(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let m = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    const u = x[i];
    const v = y[i];
    if (u === u && v === v) {
      m++;
      sx += u;
      sy += v;
    }
  }
  if (m < 2) return Number.NaN;
  const mx = sx / m;
  const my = sy / m;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const u = x[i];
    const v = y[i];
    if (u === u && v === v) {
      const du = u - mx;
      const dv = v - my;
      sxx += du * du;
      syy += dv * dv;
      sxy += du * dv;
    }
  }
  return clipCorrelation(sxy, sxx, syy);
}

function clipCorrelation(sxy: number, sxx: number, syy: number): number {
  if (!(sxx > 0 && syy > 0)) return Number.NaN;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.min(1, Math.max(-1, r));
}

/** A column's dense ranking: see {@link denseRank}. */
export interface DenseRanking {
  /** Per value: its index among the sorted distinct values (0 = smallest), or -1 for `NaN`. */
  codes: Int32Array;
  /** The distinct non-missing values, ascending. */
  values: Float64Array;
  /** How many values were `NaN`. */
  missing: number;
}

/**
 * Dense ranks, 0-based: equal values share a code, codes are consecutive, `NaN` gets -1 — as
 * `scipy.stats.rankdata(x, method="dense") − 1`. The basis of Spearman correlation here (average
 * ranks follow from the count of each code), and a cheap way to bin a numeric column.
 *
 * @example denseRank([10, 30, 10, NaN, 20]).codes // Int32Array [0, 2, 0, -1, 1]
 */
export function denseRank(x: ArrayLike<number>): DenseRanking {
  const n = x.length;
  const buf = new Float64Array(n);
  const rows = new Int32Array(n);
  const codes = new Int32Array(n).fill(-1);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v === v) {
      buf[m] = v;
      rows[m++] = i;
    }
  }
  const sorted = buf.subarray(0, m);
  const order = rows.subarray(0, m);
  // Sort the values carrying their row numbers, then walk them in order: no search per value.
  sortFloat64WithIndex(sorted, order);
  let u = 0;
  for (let k = 0; k < m; k++) {
    if (k === 0 || sorted[k] !== sorted[u - 1]) sorted[u++] = sorted[k];
    codes[order[k]] = u - 1;
  }
  return { codes, values: sorted.slice(0, u), missing: n - m };
}

/** Average 1-based ranks per distinct value, from the count of each (in value order). */
function averageRanks(
  counts: Float64Array,
  out: Float64Array = new Float64Array(counts.length),
): Float64Array {
  let below = 0;
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k];
    out[k] = below + (c + 1) / 2;
    below += c;
  }
  return out;
}

/** Work space for {@link spearmanPair}: per-value counts and ranks of both columns. */
interface SpearmanScratch {
  countsA: Int32Array;
  countsB: Int32Array;
  /** Float32 while every average rank is exact in it (fewer than 2^23 rows): half the cache footprint. */
  ranksA: Float32Array | Float64Array;
  ranksB: Float32Array | Float64Array;
}

function spearmanScratch(maxUnique: number, rows: number): SpearmanScratch {
  const Ranks = rows < 2 ** 23 ? Float32Array : Float64Array;
  return {
    countsA: new Int32Array(maxUnique),
    countsB: new Int32Array(maxUnique),
    ranksA: new Ranks(maxUnique),
    ranksB: new Ranks(maxUnique),
  };
}

/** Average 1-based ranks per distinct value from the count of each (in value order), and Σ c·(r − mean)². */
function ranksFromCounts(
  counts: Int32Array,
  u: number,
  ranks: Float32Array | Float64Array,
  mean: number,
): number {
  let below = 0;
  let ss = 0;
  for (let k = 0; k < u; k++) {
    const c = counts[k];
    const r = below + (c + 1) / 2;
    ranks[k] = r;
    ss += c * (r - mean) * (r - mean);
    below += c;
  }
  return ss;
}

/**
 * Spearman over the rows where both codes are present: count each distinct value among those
 * rows, turn counts into average ranks (their mean is (m+1)/2 and their sums of squares follow
 * from the counts), then one pass for the cross products. Hand-inlined: this runs once per
 * pair of columns of every profiled table.
 */
function spearmanPair(a: DenseRanking, b: DenseRanking, w: SpearmanScratch): number {
  const ca = a.codes;
  const cb = b.codes;
  const n = ca.length;
  const ua = a.values.length;
  const ub = b.values.length;
  const { countsA, countsB, ranksA, ranksB } = w;
  countsA.fill(0, 0, ua);
  countsB.fill(0, 0, ub);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = ca[i];
    const y = cb[i];
    if (x >= 0 && y >= 0) {
      countsA[x]++;
      countsB[y]++;
      m++;
    }
  }
  if (m < 2) return Number.NaN;
  const mean = (m + 1) / 2;
  const sxx = ranksFromCounts(countsA, ua, ranksA, mean);
  const syy = ranksFromCounts(countsB, ub, ranksB, mean);
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const x = ca[i];
    const y = cb[i];
    if (x >= 0 && y >= 0) sxy += (ranksA[x] - mean) * (ranksB[y] - mean);
  }
  return clipCorrelation(sxy, sxx, syy);
}
