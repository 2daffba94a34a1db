/**
 * Ranking helpers for the rank-based tests: average ranks with the tie term Σ(t³ − t), from one
 * radix argsort (`sortFloat64WithIndex`) — no comparator sort.
 *
 * @module
 */

import { sortFloat64WithIndex } from './quantile.ts';

/** Average ranks (1-based; ties share the mean rank) and the tie term. */
export interface Ranking {
  /** The rank of each value, in input order. */
  ranks: Float64Array;
  /** Σ over groups of tied values of t³ − t (0 when all values differ). */
  tieTerm: number;
  /** The sizes of the groups of tied values (only groups of two or more). */
  tieSizes: number[];
}

/** Average ranks of `x` (no NaN expected; ±Infinity rank at the ends) and the tie term, like `scipy.stats.rankdata`. */
export function rankWithTies(x: ArrayLike<number>): Ranking {
  const n = x.length;
  const sorted = Float64Array.from(x);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  sortFloat64WithIndex(sorted, order);
  const ranks = new Float64Array(n);
  let tieTerm = 0;
  const tieSizes: number[] = [];
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    const r = (i + 1 + j) / 2; // mean of ranks i+1 … j
    for (let k = i; k < j; k++) ranks[order[k]] = r;
    const t = j - i;
    if (t > 1) {
      tieTerm += t * t * t - t;
      tieSizes.push(t);
    }
    i = j;
  }
  return { ranks, tieTerm, tieSizes };
}
