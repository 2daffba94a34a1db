/**
 * Fixed-radius neighbour search for DBSCAN over the neighbors family's KD-tree: every training
 * row within `eps` of a row (the row itself included), using the same distance arithmetic as
 * scikit-learn's KD-tree (squared differences summed in column order and compared with eps²;
 * absolute differences compared with eps for manhattan).
 *
 * @module
 */

import { buildKDTree, type KDTree } from '../neighbors/kd-tree.ts';

/** Distances DBSCAN supports. */
export type RadiusMetric = 'euclidean' | 'manhattan';

/** A radius searcher over the rows of a row-major n × p matrix. */
export class RadiusNeighbors {
  private readonly tree: KDTree;
  private readonly stack: Int32Array;
  /** The bound distances are compared with: eps² (euclidean) or eps (manhattan). */
  private readonly reduced: number;

  constructor(
    data: Float64Array,
    n: number,
    private readonly p: number,
    eps: number,
    private readonly metric: RadiusMetric,
    leafSize = 30,
  ) {
    this.tree = buildKDTree(data, n, p, leafSize);
    this.stack = new Int32Array(64 + 2 * Math.ceil(Math.log2(this.tree.nNodes + 1)));
    this.reduced = metric === 'euclidean' ? eps * eps : eps;
  }

  /** Lower bound of the reduced distance from row q to the node's bounding box. */
  private minReduced(node: number, qo: number): number {
    const { lower, upper, data } = this.tree;
    const p = this.p;
    const o = node * p;
    let r = 0;
    for (let j = 0; j < p; j++) {
      const x = data[qo + j];
      const gap = x < lower[o + j] ? lower[o + j] - x : x > upper[o + j] ? x - upper[o + j] : 0;
      r += this.metric === 'euclidean' ? gap * gap : gap;
    }
    return r;
  }

  /**
   * Calls `visit(j)` for every row j within eps of row q (q included), and returns how many.
   * Rows come in the tree's order, not by index.
   */
  forEach(q: number, visit: (j: number) => void): number {
    const t = this.tree;
    const { data, idx, start, end, isLeaf } = t;
    const p = this.p;
    const qo = q * p;
    const r = this.reduced;
    const euclid = this.metric === 'euclidean';
    const stack = this.stack;
    let top = 0;
    let found = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      if (this.minReduced(node, qo) > r) continue;
      if (isLeaf[node]) {
        for (let i = start[node]; i < end[node]; i++) {
          const row = idx[i];
          const ro = row * p;
          let d = 0;
          if (euclid) {
            for (let j = 0; j < p; j++) {
              const u = data[qo + j] - data[ro + j];
              d += u * u;
            }
          } else {
            for (let j = 0; j < p; j++) d += Math.abs(data[qo + j] - data[ro + j]);
          }
          if (d <= r) {
            found++;
            visit(row);
          }
        }
        continue;
      }
      stack[top++] = 2 * node + 2;
      stack[top++] = 2 * node + 1;
    }
    return found;
  }
}
