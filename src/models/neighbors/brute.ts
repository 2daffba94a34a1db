/**
 * Brute-force k-nearest-neighbour search, blocked: a block of query rows is compared with a block
 * of training rows at a time so that the training block stays in cache across the queries. For
 * each query the training rows are still met in increasing index order and pushed into
 * scikit-learn's max-heap (see `heap.ts`), so among equal distances the lower index wins, as in
 * scikit-learn's brute-force search.
 *
 * Large searches are split by query rows over the worker pool (`kneighborsBruteTask`); each query
 * row's result depends only on that row, so the output is identical whatever the thread count.
 *
 * @module
 */

import { registerTask } from '../../core/pool.ts';
import type { NeighborMetric } from './distance.ts';
import { heapPush } from './heap.ts';

const QUERY_BLOCK = 32;
const TRAIN_BLOCK = 1024;

/**
 * For query rows [q0, q1) of `Q`, fills unsorted heaps of the k smallest reduced distances to the
 * rows of `T` into `dist` / `ind` at offset (q − q0) · k. `dist` must be pre-filled with +∞.
 */
export function bruteHeaps(
  T: Float64Array,
  nT: number,
  Q: Float64Array,
  q0: number,
  q1: number,
  p: number,
  k: number,
  metric: NeighborMetric,
  dist: Float64Array,
  ind: Int32Array,
): void {
  const euclid = metric === 'euclidean';
  for (let qb = q0; qb < q1; qb += QUERY_BLOCK) {
    const qe = Math.min(q1, qb + QUERY_BLOCK);
    for (let tb = 0; tb < nT; tb += TRAIN_BLOCK) {
      const te = Math.min(nT, tb + TRAIN_BLOCK);
      for (let q = qb; q < qe; q++) {
        const qo = q * p;
        const o = (q - q0) * k;
        // Hand-inlined distance: this is the search's hot loop.
        for (let t = tb; t < te; t++) {
          const to = t * p;
          let d = 0;
          if (euclid) {
            for (let j = 0; j < p; j++) {
              const u = Q[qo + j] - T[to + j];
              d += u * u;
            }
          } else {
            for (let j = 0; j < p; j++) d += Math.abs(Q[qo + j] - T[to + j]);
          }
          if (d < dist[o]) heapPush(dist, ind, o, k, d, t);
        }
      }
    }
  }
}

/** Task form of {@link bruteHeaps} for the pool: returns the heaps of query rows [q0, q1). */
export function kneighborsBrute(
  T: Float64Array,
  nT: number,
  Q: Float64Array,
  q0: number,
  q1: number,
  p: number,
  k: number,
  metric: NeighborMetric,
): { dist: Float64Array; ind: Int32Array } {
  const dist = new Float64Array((q1 - q0) * k).fill(Number.POSITIVE_INFINITY);
  const ind = new Int32Array((q1 - q0) * k);
  bruteHeaps(T, nT, Q, q0, q1, p, k, metric, dist, ind);
  return { dist, ind };
}

/** Builds pool tasks for {@link kneighborsBrute}. */
export const kneighborsBruteTask = registerTask(import.meta.url, 'kneighborsBrute', kneighborsBrute);
