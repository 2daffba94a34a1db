/**
 * The row sample the table-wide statistics (correlations, target associations) are computed on
 * when a table is larger than `sample` rows: a seeded uniform sample without replacement, in
 * table order (sequential access when gathering).
 *
 * @module
 */

import { Rng } from '../core/rng.ts';
import type { Column } from '../data/column.ts';
import { type DenseRanking, denseRank } from '../stats/correlation.ts';

/** Row indices to use, ascending; `null` means every row. */
export function sampleRows(rows: number, limit: number | null, seed: number): Int32Array | null {
  if (limit === null || rows <= limit) return null;
  return new Rng(seed).derive('profile-sample').sample(rows, limit).sort();
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

  /** Supplies the dense ranking of column `j` (computed elsewhere from {@link SampleRankings.values}). */
  seed(j: number, ranking: DenseRanking): void {
    this.ranks.set(j, ranking);
  }

  /** The dense ranking of column `j` at the sampled rows. */
  get(j: number): DenseRanking {
    let r = this.ranks.get(j);
    if (!r) {
      r = denseRank(this.values(j));
      this.ranks.set(j, r);
    }
    return r;
  }
}
