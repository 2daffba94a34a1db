/**
 * A KD-tree built and searched exactly as scikit-learn 1.2's `KDTree`, so that a k-nearest-
 * neighbour query returns the same neighbours — ties included — in the same order:
 *
 * - a balanced binary tree in flat arrays (children of node i at 2i+1 and 2i+2) with
 *   n_levels = ⌊log2(max(1, (n − 1) / leafSize))⌋ + 1 levels;
 * - each internal node splits its points at the median (n/2) of the dimension with the largest
 *   spread, partitioned by libstdc++'s `nth_element` with scikit-learn's comparator (value, then
 *   index), see `heap.ts`;
 * - node bounds are the min/max of the node's points;
 * - a query walks depth-first, the child with the smaller lower bound first, skips a node whose
 *   lower bound exceeds the current k-th distance, and pushes leaf points, in the tree's index
 *   order, into scikit-learn's max-heap.
 *
 * @module
 */

import type { NeighborMetric } from './distance.ts';
import { heapPush, nthElement } from './heap.ts';

/** A built tree: flat arrays over nodes, and the permutation of the training rows. */
export interface KDTree {
  /** Training rows, row-major n × p. */
  data: Float64Array;
  n: number;
  p: number;
  /** Row indices, permuted so that each node's points are contiguous. */
  idx: Int32Array;
  nNodes: number;
  /** Per node: first and one-past-last position in `idx`. */
  start: Int32Array;
  end: Int32Array;
  isLeaf: Uint8Array;
  /** Per node: lower and upper bounds, nNodes × p. */
  lower: Float64Array;
  upper: Float64Array;
}

/** Builds the tree over the rows of a row-major n × p matrix. */
export function buildKDTree(data: Float64Array, n: number, p: number, leafSize: number): KDTree {
  const nLevels = Math.floor(Math.log2(Math.max(1, (n - 1) / leafSize))) + 1;
  const nNodes = 2 ** nLevels - 1;
  const tree: KDTree = {
    data,
    n,
    p,
    idx: Int32Array.from({ length: n }, (_, i) => i),
    nNodes,
    start: new Int32Array(nNodes),
    end: new Int32Array(nNodes),
    isLeaf: new Uint8Array(nNodes),
    lower: new Float64Array(nNodes * p),
    upper: new Float64Array(nNodes * p),
  };
  build(tree, 0, 0, n);
  return tree;
}

function build(t: KDTree, node: number, start: number, end: number): void {
  const { data, p, idx } = t;
  // Node bounds from the points themselves.
  const lo = node * p;
  for (let j = 0; j < p; j++) {
    t.lower[lo + j] = Number.POSITIVE_INFINITY;
    t.upper[lo + j] = Number.NEGATIVE_INFINITY;
  }
  for (let i = start; i < end; i++) {
    const r = idx[i] * p;
    for (let j = 0; j < p; j++) {
      const v = data[r + j];
      if (v < t.lower[lo + j]) t.lower[lo + j] = v;
      if (v > t.upper[lo + j]) t.upper[lo + j] = v;
    }
  }
  t.start[node] = start;
  t.end[node] = end;
  if (2 * node + 1 >= t.nNodes || end - start < 2) {
    t.isLeaf[node] = 1;
    return;
  }
  // Split on the dimension of largest spread (the first such one), at the median.
  const nPoints = end - start;
  let jMax = 0;
  let maxSpread = 0;
  for (let j = 0; j < p; j++) {
    let mx = data[idx[start] * p + j];
    let mn = mx;
    for (let i = start + 1; i < end; i++) {
      const v = data[idx[i] * p + j];
      mx = Math.max(mx, v);
      mn = Math.min(mn, v);
    }
    const spread = mx - mn;
    if (spread > maxSpread) {
      maxSpread = spread;
      jMax = j;
    }
  }
  const nMid = nPoints >> 1;
  const dim = jMax;
  nthElement(idx, start, start + nMid, end, (a, b) => {
    const va = data[a * p + dim];
    const vb = data[b * p + dim];
    return va === vb ? a < b : va < vb;
  });
  build(t, 2 * node + 1, start, start + nMid);
  build(t, 2 * node + 2, start + nMid, end);
}

/** Lower bound of the reduced distance from query row q of Q to node `node`. */
function minReducedDistance(
  t: KDTree,
  node: number,
  Q: Float64Array,
  qo: number,
  metric: NeighborMetric,
): number {
  const p = t.p;
  const o = node * p;
  let r = 0;
  for (let j = 0; j < p; j++) {
    const x = Q[qo + j];
    const dLo = t.lower[o + j] - x;
    const dHi = x - t.upper[o + j];
    const d = dLo + Math.abs(dLo) + (dHi + Math.abs(dHi));
    const h = 0.5 * d;
    r += metric === 'euclidean' ? h * h : h;
  }
  return r;
}

/**
 * The k nearest training rows of query row `q` of `Q` (row-major, p columns): reduced distances
 * and indices, as an unsorted max-heap in `dist[o .. o+k)` / `ind[o .. o+k)` (pre-filled with +∞).
 */
export function queryKDTree(
  t: KDTree,
  Q: Float64Array,
  q: number,
  k: number,
  metric: NeighborMetric,
  dist: Float64Array,
  ind: Int32Array,
  o: number,
): void {
  const qo = q * t.p;
  visit(t, 0, Q, qo, k, metric, dist, ind, o, minReducedDistance(t, 0, Q, qo, metric));
}

function visit(
  t: KDTree,
  node: number,
  Q: Float64Array,
  qo: number,
  k: number,
  metric: NeighborMetric,
  dist: Float64Array,
  ind: Int32Array,
  o: number,
  lowerBound: number,
): void {
  if (lowerBound > dist[o]) return; // farther than the current k-th neighbour
  const { data, p, idx } = t;
  if (t.isLeaf[node]) {
    for (let i = t.start[node]; i < t.end[node]; i++) {
      const r = idx[i];
      const ro = r * p;
      let d = 0;
      if (metric === 'euclidean') {
        for (let j = 0; j < p; j++) {
          const u = Q[qo + j] - data[ro + j];
          d += u * u;
        }
      } else {
        for (let j = 0; j < p; j++) d += Math.abs(Q[qo + j] - data[ro + j]);
      }
      heapPush(dist, ind, o, k, d, r);
    }
    return;
  }
  const c1 = 2 * node + 1;
  const c2 = c1 + 1;
  const lb1 = minReducedDistance(t, c1, Q, qo, metric);
  const lb2 = minReducedDistance(t, c2, Q, qo, metric);
  if (lb1 <= lb2) {
    visit(t, c1, Q, qo, k, metric, dist, ind, o, lb1);
    visit(t, c2, Q, qo, k, metric, dist, ind, o, lb2);
  } else {
    visit(t, c2, Q, qo, k, metric, dist, ind, o, lb2);
    visit(t, c1, Q, qo, k, metric, dist, ind, o, lb1);
  }
}
