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
import { powerOfTwoScale } from '../core/power-of-two-scale.ts';
import { sortPresentInto } from './sort-kernels.ts';
import { checkSampleValues } from './validate.ts';

/** Correlation coefficients Lathe computes. */
export type CorrelationMethod = 'pearson' | 'spearman';

function checkPair(x: ArrayLike<number>, y: ArrayLike<number>, who: string): void {
  checkSampleValues(x, who, 'x');
  checkSampleValues(y, who, 'y');
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
  checkSampleValues(x, 'rankData');
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
  if (method === 'pearson') return pearsonMatrix(columns);
  return spearmanMatrix(columns.map((c) => denseRank(c)));
}

/**
 * Pearson's matrix, four pairs per sweep over the rows: column `a` against `b`…`b+3` in one pair
 * of passes, each pair with its own sums taken in the same order as {@link pearsonPair} (so every
 * entry is the very number `pearsonPair` gives), reading `a` once for four pairs.
 */
function pearsonMatrix(columns: readonly ArrayLike<number>[]): Float64Array {
  const p = columns.length;
  const out = new Float64Array(p * p);
  const put = (a: number, b: number, r: number) => {
    out[a * p + b] = r;
    out[b * p + a] = r;
  };
  const asF64 = columns.map((c) => (c instanceof Float64Array ? c : null));
  for (let a = 0; a < p; a++) {
    let b = a;
    const x = asF64[a];
    if (x !== null) {
      for (; b + 4 <= p; b += 4) {
        const ys = [asF64[b], asF64[b + 1], asF64[b + 2], asF64[b + 3]];
        if (ys.some((y) => y === null)) break;
        const r = pearsonQuad(
          x,
          ys[0] as Float64Array,
          ys[1] as Float64Array,
          ys[2] as Float64Array,
          ys[3] as Float64Array,
        );
        for (let q = 0; q < 4; q++) put(a, b + q, r[q]);
      }
    }
    for (; b < p; b++) put(a, b, pearsonPair(columns[a], columns[b]));
  }
  return out;
}

const QUAD = new Float64Array(4);
/** Per pair of a quad: row count, Σx and Σy (pass 1), then Σdx², Σdy², Σdx·dy (pass 2). */
const QUAD_SUMS = new Float64Array(12);

/**
 * {@link pearsonPair} of x with each of y0…y3, in one pair of passes (the same sums, in the same
 * order). Each pass is a function of its own: V8 optimises a loop while it runs, without type
 * feedback for the code after it, so one function of two long loops is compiled twice.
 */
function pearsonQuad(
  x: Float64Array,
  y0: Float64Array,
  y1: Float64Array,
  y2: Float64Array,
  y3: Float64Array,
): Float64Array {
  const q = QUAD_SUMS;
  quadMeans(x, y0, y1, y2, y3, q);
  // A pair with fewer than two rows is NaN; its means are never used.
  const m = [q[0], q[3], q[6], q[9]];
  quadDeviations(
    x,
    y0,
    y1,
    y2,
    y3,
    q[1] / m[0],
    q[1 + 3] / m[1],
    q[1 + 6] / m[2],
    q[1 + 9] / m[3],
    q[2] / m[0],
    q[2 + 3] / m[1],
    q[2 + 6] / m[2],
    q[2 + 9] / m[3],
    q,
  );
  const ys = [y0, y1, y2, y3];
  for (let k = 0; k < 4; k++) {
    if (m[k] < 2) QUAD[k] = Number.NaN;
    else if (inSafeRange(q[3 * k], q[3 * k + 1]))
      QUAD[k] = clipCorrelation(q[3 * k + 2], q[3 * k], q[3 * k + 1]);
    else QUAD[k] = pearsonRescaled(x, ys[k]);
  }
  return QUAD;
}

function quadMeans(
  x: Float64Array,
  y0: Float64Array,
  y1: Float64Array,
  y2: Float64Array,
  y3: Float64Array,
  out: Float64Array,
): void {
  const n = x.length;
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  let m3 = 0;
  let sx0 = 0;
  let sx1 = 0;
  let sx2 = 0;
  let sx3 = 0;
  let sy0 = 0;
  let sy1 = 0;
  let sy2 = 0;
  let sy3 = 0;
  for (let i = 0; i < n; i++) {
    const u = x[i];
    if (u !== u) continue;
    const v0 = y0[i];
    const v1 = y1[i];
    const v2 = y2[i];
    const v3 = y3[i];
    if (v0 === v0) {
      m0++;
      sx0 += u;
      sy0 += v0;
    }
    if (v1 === v1) {
      m1++;
      sx1 += u;
      sy1 += v1;
    }
    if (v2 === v2) {
      m2++;
      sx2 += u;
      sy2 += v2;
    }
    if (v3 === v3) {
      m3++;
      sx3 += u;
      sy3 += v3;
    }
  }
  out[0] = m0;
  out[1] = sx0;
  out[2] = sy0;
  out[3] = m1;
  out[4] = sx1;
  out[5] = sy1;
  out[6] = m2;
  out[7] = sx2;
  out[8] = sy2;
  out[9] = m3;
  out[10] = sx3;
  out[11] = sy3;
}

function quadDeviations(
  x: Float64Array,
  y0: Float64Array,
  y1: Float64Array,
  y2: Float64Array,
  y3: Float64Array,
  mx0: number,
  mx1: number,
  mx2: number,
  mx3: number,
  my0: number,
  my1: number,
  my2: number,
  my3: number,
  out: Float64Array,
): void {
  const n = x.length;
  let xx0 = 0;
  let xx1 = 0;
  let xx2 = 0;
  let xx3 = 0;
  let yy0 = 0;
  let yy1 = 0;
  let yy2 = 0;
  let yy3 = 0;
  let xy0 = 0;
  let xy1 = 0;
  let xy2 = 0;
  let xy3 = 0;
  for (let i = 0; i < n; i++) {
    const u = x[i];
    if (u !== u) continue;
    const v0 = y0[i];
    const v1 = y1[i];
    const v2 = y2[i];
    const v3 = y3[i];
    if (v0 === v0) {
      const du = u - mx0;
      const dv = v0 - my0;
      xx0 += du * du;
      yy0 += dv * dv;
      xy0 += du * dv;
    }
    if (v1 === v1) {
      const du = u - mx1;
      const dv = v1 - my1;
      xx1 += du * du;
      yy1 += dv * dv;
      xy1 += du * dv;
    }
    if (v2 === v2) {
      const du = u - mx2;
      const dv = v2 - my2;
      xx2 += du * du;
      yy2 += dv * dv;
      xy2 += du * dv;
    }
    if (v3 === v3) {
      const du = u - mx3;
      const dv = v3 - my3;
      xx3 += du * du;
      yy3 += dv * dv;
      xy3 += du * dv;
    }
  }
  out[0] = xx0;
  out[1] = yy0;
  out[2] = xy0;
  out[3] = xx1;
  out[4] = yy1;
  out[5] = xy1;
  out[6] = xx2;
  out[7] = yy2;
  out[8] = xy2;
  out[9] = xx3;
  out[10] = yy3;
  out[11] = xy3;
}

/**
 * The Spearman matrix of columns already ranked by {@link denseRank} (rank each column once
 * and reuse the rankings elsewhere). Same result as `correlationMatrix(…, { method: 'spearman' })`.
 */
export function spearmanMatrix(rankings: readonly DenseRanking[], space?: SpearmanSpace): Float64Array {
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
  const rows = p > 0 ? rankings[0].codes.length : 0;
  const work =
    space && space.pair.length >= 6 * maxUnique
      ? scratchIn(space.pair, maxUnique, rows)
      : spearmanScratch(maxUnique, rows);
  const tallies = rankings.map((r, q) => tally(r, space?.counts[q]));
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      const r = spearmanTallied(rankings[a], tallies[a], rankings[b], tallies[b], work);
      out[a * p + b] = r;
      out[b * p + a] = r;
    }
  }
  return out;
}

/**
 * Optional work space for {@link spearmanMatrix}: for each ranking an array of at least its
 * number of distinct values, and one of at least 6 × the largest such number (whose buffer also
 * holds float views: its byte offset must be a multiple of 8).
 */
export interface SpearmanSpace {
  counts: (Int32Array | undefined)[];
  pair: Int32Array;
}

/** {@link spearmanScratch} carved from `pair` (see {@link SpearmanSpace}). */
function scratchIn(pair: Int32Array, maxUnique: number, rows: number): SpearmanScratch {
  const at = pair.byteOffset;
  const Ranks = rows < 2 ** 23 ? Float32Array : Float64Array;
  const size = Ranks.BYTES_PER_ELEMENT * maxUnique;
  return {
    countsA: pair.subarray(0, maxUnique),
    countsB: pair.subarray(maxUnique, 2 * maxUnique),
    ranksA: new Ranks(pair.buffer as ArrayBuffer, at + 8 * maxUnique, maxUnique),
    ranksB: new Ranks(pair.buffer as ArrayBuffer, at + 8 * maxUnique + size, maxUnique),
  };
}

/** A ranking's count of each code over all its rows, its present rows, and its missing rows. */
interface Tally {
  counts: Int32Array;
  present: number;
  missingRows: Int32Array;
}

function tally(r: DenseRanking, countsOut?: Int32Array): Tally {
  const codes = r.codes;
  const n = codes.length;
  const u = r.values.length;
  const counts = countsOut && countsOut.length >= u ? countsOut.subarray(0, u).fill(0) : new Int32Array(u);
  let missingRows = new Int32Array(r.missing);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    if (c >= 0) counts[c]++;
    else if (k < missingRows.length) missingRows[k++] = i;
    else k++;
  }
  if (k > missingRows.length) {
    // `missing` understated the missing codes: list them again.
    missingRows = new Int32Array(k);
    for (let i = 0, q = 0; i < n; i++) if (codes[i] < 0) missingRows[q++] = i;
  }
  return { counts, present: n - k, missingRows: missingRows.subarray(0, k) };
}

/** Two-pass Pearson over the pairwise-complete rows. */
function pearsonPair(x: ArrayLike<number>, y: ArrayLike<number>): number {
  pairSums(x, y);
  const m = PAIR[0];
  if (m < 2) return Number.NaN;
  pairDeviations(x, y, PAIR[1] / m, PAIR[2] / m);
  if (!inSafeRange(PAIR[0], PAIR[1])) return pearsonRescaled(x, y);
  return clipCorrelation(PAIR[2], PAIR[0], PAIR[1]);
}

/**
 * Sums of squared deviations this far from 1 (or not finite) may have overflowed or underflowed
 * — values beyond ~1e150 or below ~1e-150, whose squares and products leave the double range —
 * or their product may; such pairs are recomputed on rescaled values ({@link pearsonRescaled}).
 * NaN (an infinite value) is out of range too.
 */
function inSafeRange(sxx: number, syy: number): boolean {
  return sxx >= 1e-150 && sxx <= 1e150 && syy >= 1e-150 && syy <= 1e150;
}

/**
 * Pearson's r of the complete rows of x and y after scaling each by a power of two that brings
 * its largest magnitude near 1 (exact, and r is scale-free): for data of huge or tiny magnitude,
 * where the plain sums overflow to ∞ (r was 0 or NaN) or underflow to 0 (a varying column looked
 * constant). NaN when an infinite value is present, fewer than two rows remain, or a column is
 * constant on them. Rare, so not tuned.
 */
function pearsonRescaled(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let ax = 0;
  let ay = 0;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const u = x[i];
    const v = y[i];
    if (u === u && v === v) {
      m++;
      ax = Math.max(ax, Math.abs(u));
      ay = Math.max(ay, Math.abs(v));
    }
  }
  if (m < 2 || !(ax > 0 && ay > 0) || ax === Number.POSITIVE_INFINITY || ay === Number.POSITIVE_INFINITY) {
    return Number.NaN;
  }
  const fx = powerOfTwoScale(ax);
  const fy = powerOfTwoScale(ay);
  const sx = new Float64Array(m);
  const sy = new Float64Array(m);
  for (let i = 0, k = 0; i < n; i++) {
    const u = x[i];
    const v = y[i];
    if (u === u && v === v) {
      sx[k] = u * fx[0] * fx[1];
      sy[k] = v * fy[0] * fy[1];
      k++;
    }
  }
  pairSums(sx, sy);
  pairDeviations(sx, sy, PAIR[1] / m, PAIR[2] / m);
  return clipCorrelation(PAIR[2], PAIR[0], PAIR[1]);
}

/** What the passes of {@link pearsonPair} hand back: (rows, Σx, Σy), then (Σdx², Σdy², Σdx·dy). */
const PAIR = new Float64Array(3);

function pairSums(x: ArrayLike<number>, y: ArrayLike<number>): void {
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
  PAIR[0] = m;
  PAIR[1] = sx;
  PAIR[2] = sy;
}

function pairDeviations(x: ArrayLike<number>, y: ArrayLike<number>, mx: number, my: number): void {
  const n = x.length;
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
  PAIR[0] = sxx;
  PAIR[1] = syy;
  PAIR[2] = sxy;
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
 * @param scratch - optional work space (see {@link RankScratch}) when ranking many columns.
 * @param codesOut - optional array of at least `x.length` elements for the codes (the result's
 *   `codes` is then a view of it); it may share `x`'s memory, which is read before it is written.
 * @param valuesView - with `scratch`: the result's `values` is a view of `scratch.values` (no
 *   copy), valid only until the scratch is used again — for callers that need only its length.
 */
export function denseRank(
  x: ArrayLike<number>,
  scratch?: RankScratch,
  codesOut?: Int32Array,
  valuesView = false,
): DenseRanking {
  const n = x.length;
  const src = x instanceof Float64Array ? x : Float64Array.from(x);
  const big = scratch && scratch.values.length >= n && scratch.tmp.length >= n;
  const sorted = big ? scratch.values : new Float64Array(n);
  const tmp = big ? scratch.tmp : new Float64Array(n);
  const order = big && scratch.rows.length >= n ? scratch.rows : new Int32Array(n);
  const tmpOrder = big && scratch.tmpRows.length >= n ? scratch.tmpRows : new Int32Array(n);
  // Sort the values carrying their row numbers, then walk them in order: no search per value.
  // (`x` is not read again once sorted, so the codes may take its place.)
  const m = sortPresentInto(src, sorted, tmp, order, tmpOrder);
  const codes = codesOut && codesOut.length >= n ? codesOut.subarray(0, n) : new Int32Array(n);
  codes.fill(-1);
  const u = assignCodes(sorted, order, m, codes);
  return { codes, values: valuesView ? sorted.subarray(0, u) : sorted.slice(0, u), missing: n - m };
}

/** Codes from the sorted values and their rows; the distinct values moved to the front; their count. */
function assignCodes(sorted: Float64Array, order: Int32Array, m: number, codes: Int32Array): number {
  let u = 0;
  for (let k = 0; k < m; k++) {
    if (k === 0 || sorted[k] !== sorted[u - 1]) sorted[u++] = sorted[k];
    codes[order[k]] = u - 1;
  }
  return u;
}

/**
 * Work space for {@link denseRank}: two Float64Arrays and two Int32Arrays of at least the
 * length of the arrays ranked (smaller ones are not used), to rank many columns without
 * allocating per column.
 */
export interface RankScratch {
  values: Float64Array;
  tmp: Float64Array;
  rows: Int32Array;
  tmpRows: Int32Array;
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
  /** Float32 while every centred average rank is exact in it (fewer than 2^23 rows): half the cache footprint. */
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

/**
 * Average 1-based ranks per distinct value from the count of each (in value order), stored
 * centred (r − mean: a multiple of ½ below 2^23, exact in a Float32Array), and Σ c·(r − mean)².
 */
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
    ranks[k] = r - mean;
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
  return spearmanTallied(a, tally(a), b, tally(b), w);
}

/**
 * {@link spearmanPair} from each column's tally: the counts of each value among the rows where
 * both are present are a's counts over all its rows less those of the rows where b is missing
 * (and the same for b), so only the few missing rows are visited before the pass over the rows
 * for the cross products. The counts, ranks and sums are those of counting pair by pair.
 */
function spearmanTallied(a: DenseRanking, ta: Tally, b: DenseRanking, tb: Tally, w: SpearmanScratch): number {
  const ca = a.codes;
  const cb = b.codes;
  const n = ca.length;
  const ua = a.values.length;
  const ub = b.values.length;
  const { countsA, countsB, ranksA, ranksB } = w;
  countsA.set(ta.counts);
  countsB.set(tb.counts);
  const m = ta.present - uncount(countsA, ca, tb.missingRows);
  uncount(countsB, cb, ta.missingRows);
  if (m < 2) return Number.NaN;
  const mean = (m + 1) / 2;
  const sxx = ranksFromCounts(countsA, ua, ranksA, mean);
  const syy = ranksFromCounts(countsB, ub, ranksB, mean);
  return clipCorrelation(crossProducts(ca, cb, ranksA, ranksB, n), sxx, syy);
}

/** Takes the codes at `rows` (where present) off `counts`; returns how many were. */
function uncount(counts: Int32Array, codes: Int32Array, rows: Int32Array): number {
  let taken = 0;
  for (let k = 0; k < rows.length; k++) {
    const x = codes[rows[k]];
    if (x >= 0) {
      counts[x]--;
      taken++;
    }
  }
  return taken;
}

/** Σ over the rows where both are present of the centred ranks' products, in row order. */
function crossProducts(
  ca: Int32Array,
  cb: Int32Array,
  ranksA: Float32Array | Float64Array,
  ranksB: Float32Array | Float64Array,
  n: number,
): number {
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const x = ca[i];
    const y = cb[i];
    if (x >= 0 && y >= 0) sxy += ranksA[x] * ranksB[y];
  }
  return sxy;
}

// Each kernel above runs on empty input when the module loads (often enough for V8 to give it a
// feedback vector, which it allocates lazily), so that the code after its loop has type feedback
// before the first long call: V8 optimises a long loop while it runs (on-stack replacement), and
// code after it without feedback deoptimises at the loop's end, on every call.
for (let k = 0; k < 32; k++) {
  const f = new Float64Array(0);
  pairSums(f, f);
  pairDeviations(f, f, 0, 0);
  quadMeans(f, f, f, f, f, QUAD_SUMS);
  quadDeviations(f, f, f, f, f, 0, 0, 0, 0, 0, 0, 0, 0, QUAD_SUMS);
  tally({ codes: new Int32Array(0), values: f, missing: 0 });
}
