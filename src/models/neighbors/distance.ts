/**
 * Distances for the neighbour searches. Searches rank by the "reduced" distance (squared
 * Euclidean, or Manhattan itself) and convert to the true distance at the end, as scikit-learn's
 * `DistanceMetric.rdist` / `rdist_to_dist` do; the sums run over the features in order, like
 * scikit-learn's KD-tree, so tied and nearly tied distances compare the same way.
 *
 * @module
 */

/** The metrics the neighbour models support (Minkowski p = 2 and p = 1). */
export type NeighborMetric = 'euclidean' | 'manhattan';

/** Reduced distance between row `a` of `A` and row `b` of `B` (both row-major with `p` columns). */
export function reducedDistance(
  metric: NeighborMetric,
  A: Float64Array,
  a: number,
  B: Float64Array,
  b: number,
  p: number,
): number {
  const ao = a * p;
  const bo = b * p;
  let d = 0;
  if (metric === 'euclidean') {
    for (let j = 0; j < p; j++) {
      const t = A[ao + j] - B[bo + j];
      d += t * t;
    }
  } else {
    for (let j = 0; j < p; j++) d += Math.abs(A[ao + j] - B[bo + j]);
  }
  return d;
}

/** Converts reduced distances to distances in place (√ for Euclidean). */
export function toDistances(metric: NeighborMetric, d: Float64Array): void {
  if (metric === 'euclidean') for (let i = 0; i < d.length; i++) d[i] = Math.sqrt(d[i]);
}
