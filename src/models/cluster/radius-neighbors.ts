/**
 * Fixed-radius neighbour search for DBSCAN over the neighbors family's KD-tree: every training
 * row within `eps` of a row (the row itself included), as scikit-learn's `KDTree.query_radius`
 * finds them. Each node's distance bounds are true distances (√ of the summed squared gaps for
 * euclidean), compared with eps: a node whose lower bound exceeds eps is skipped, a node whose
 * upper bound is at most eps contributes all its rows without checking them one by one, and a
 * leaf's rows are checked by their reduced distance (squared differences summed in column order
 * against eps², absolute differences against eps for manhattan). At exactly eps the rounding of
 * those three comparisons decides, so they are kept as scikit-learn has them.
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
  /** The bound leaf rows' reduced distances are compared with: eps² (euclidean) or eps (manhattan). */
  private readonly reduced: number;
  /** Scratch: a node's lower and upper distance bounds. */
  private readonly bounds = new Float64Array(2);

  constructor(
    data: Float64Array,
    n: number,
    private readonly p: number,
    private readonly eps: number,
    private readonly metric: RadiusMetric,
    leafSize = 30,
  ) {
    this.tree = buildKDTree(data, n, p, leafSize);
    this.stack = new Int32Array(64 + 2 * Math.ceil(Math.log2(this.tree.nNodes + 1)));
    this.reduced = metric === 'euclidean' ? eps * eps : eps;
  }

  /**
   * Lower and upper bounds of the distance from row q to the node's bounding box, into
   * `this.bounds` (scikit-learn's KD-tree `min_max_dist`: per column the gap to the box and the
   * farther of the box's two faces, summed as squares and square-rooted for euclidean).
   */
  private minMaxDist(node: number, qo: number): void {
    const { lower, upper, data } = this.tree;
    const p = this.p;
    const o = node * p;
    const euclid = this.metric === 'euclidean';
    let lo = 0;
    let hi = 0;
    for (let j = 0; j < p; j++) {
      const x = data[qo + j];
      const dLo = lower[o + j] - x;
      const dHi = x - upper[o + j];
      const gap = 0.5 * (dLo + Math.abs(dLo) + (dHi + Math.abs(dHi)));
      const far = Math.max(Math.abs(dLo), Math.abs(dHi));
      lo += euclid ? gap * gap : gap;
      hi += euclid ? far * far : far;
    }
    this.bounds[0] = euclid ? Math.sqrt(lo) : lo;
    this.bounds[1] = euclid ? Math.sqrt(hi) : hi;
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
      this.minMaxDist(node, qo);
      if (this.bounds[0] > this.eps) continue;
      if (this.bounds[1] <= this.eps) {
        // Every row of the node is within eps by its bounds, as scikit-learn counts them.
        for (let i = start[node]; i < end[node]; i++) visit(idx[i]);
        found += end[node] - start[node];
        continue;
      }
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
