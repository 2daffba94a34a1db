/**
 * The row sample the table-wide statistics (correlations, target associations) are computed on
 * when a table is larger than `sample` rows: a seeded uniform sample without replacement, in
 * table order (sequential access when gathering).
 *
 * @module
 */

import { Rng } from '../core/rng.ts';
import type { Column } from '../data/column.ts';
import { type DenseRanking, denseRank, type RankScratch } from '../stats/correlation.ts';

/**
 * Row indices to use, ascending; `null` means every row. `scratch` (at least `rows` elements)
 * saves allocating the permutation the draw works in; the rows are the same either way.
 */
export function sampleRows(
  rows: number,
  limit: number | null,
  seed: number,
  scratch?: Int32Array,
): Int32Array | null {
  if (limit === null || rows <= limit) return null;
  const rng = new Rng(seed).derive('profile-sample');
  if (!scratch || scratch.length < rows) return rng.sample(rows, limit).sort();
  // Rng.sample's partial Fisher–Yates shuffle, in the scratch array: the same draws, the same rows.
  const p = scratch.subarray(0, rows);
  identity(p);
  shuffleFront(p, limit, rng);
  return p.slice(0, limit).sort();
}

function identity(p: Int32Array): void {
  for (let i = 0; i < p.length; i++) p[i] = i;
}

/** The first `k` steps of a Fisher–Yates shuffle of `p`, as `Rng.sample` takes them. */
function shuffleFront(p: Int32Array, k: number, rng: Rng): void {
  const n = p.length;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
}

/**
 * A numeric view of a column at the sampled rows: numbers, datetimes (epoch ms), booleans as 0/1;
 * NaN missing. New arrays are in shared memory when `shared` (to hand to worker threads).
 */
export function gatherNumeric(c: Column, rows: Int32Array | null, shared = false): Float64Array {
  const alloc = (n: number) =>
    new Float64Array(shared ? new SharedArrayBuffer(8 * n) : new ArrayBuffer(8 * n));
  if (c.type === 'numeric' || c.type === 'datetime') {
    if (rows === null) return c.values;
    const out = alloc(rows.length);
    for (let k = 0; k < rows.length; k++) out[k] = c.values[rows[k]];
    return out;
  }
  if (c.type === 'boolean') {
    const n = rows === null ? c.values.length : rows.length;
    const out = alloc(n);
    for (let k = 0; k < n; k++) {
      const v = c.values[rows === null ? k : rows[k]];
      out[k] = v < 0 ? Number.NaN : v;
    }
    return out;
  }
  throw new Error(`gatherNumeric: column '${c.name}' is ${c.type}`);
}

/**
 * {@link gatherNumeric} into `out` (at least as long as the sample; the result is a view of it).
 * Numeric and datetime columns are copied even when every row is used.
 */
export function gatherNumericInto(c: Column, rows: Int32Array | null, out: Float64Array): Float64Array {
  if (c.type !== 'numeric' && c.type !== 'datetime' && c.type !== 'boolean') {
    throw new Error(`gatherNumericInto: column '${c.name}' is ${c.type}`);
  }
  const n = rows === null ? c.values.length : rows.length;
  const o = out.subarray(0, n);
  if (c.type === 'boolean') {
    const v = c.values;
    for (let k = 0; k < n; k++) {
      const b = v[rows === null ? k : rows[k]];
      o[k] = b < 0 ? Number.NaN : b;
    }
  } else if (rows === null) o.set(c.values);
  else {
    const v = c.values;
    for (let k = 0; k < n; k++) o[k] = v[rows[k]];
  }
  return o;
}

/** Integer codes of a coded column at the sampled rows (-1 missing). */
export function gatherCodes(codes: Int32Array, rows: Int32Array | null): Int32Array {
  if (rows === null) return codes;
  const out = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = codes[rows[k]];
  return out;
}

/**
 * Numeric-like columns at the sampled rows and their dense rankings, each computed once and
 * shared by the correlation section and the target associations.
 */
export class SampleRankings {
  private readonly ranks = new Map<number, DenseRanking>();
  private readonly gathered = new Map<number, Float64Array>();
  private scratch: RankScratch | undefined;
  /** Over `rows` of `columns` (null: every row); with `shared`, gathered values are in shared memory. */
  constructor(
    private readonly columns: readonly Column[],
    readonly rows: Int32Array | null,
    private readonly shared = false,
  ) {}

  /** The values of column `j` (numeric, datetime or boolean) at the sampled rows, as numbers. */
  values(j: number): Float64Array {
    let v = this.gathered.get(j);
    if (!v) {
      v = gatherNumeric(this.columns[j], this.rows, this.shared);
      this.gathered.set(j, v);
    }
    return v;
  }

  /** Work space for the rankings computed here (see `denseRank`). */
  useScratch(scratch: RankScratch): void {
    this.scratch = scratch;
  }

  /** Supplies the dense ranking of column `j` (computed elsewhere from {@link SampleRankings.values}). */
  seed(j: number, ranking: DenseRanking): void {
    this.ranks.set(j, ranking);
  }

  /** Supplies the values of column `j` at the sampled rows (gathered elsewhere, as {@link gatherNumeric}). */
  seedValues(j: number, values: Float64Array): void {
    this.gathered.set(j, values);
  }

  /** The dense ranking of column `j` at the sampled rows. */
  get(j: number): DenseRanking {
    let r = this.ranks.get(j);
    if (!r) {
      r = denseRank(this.values(j), this.scratch);
      this.ranks.set(j, r);
    }
    return r;
  }
}
