/**
 * A fitted forest packed for prediction: every tree's nodes concatenated into one set of flat
 * arrays (child indices made absolute), leaf values already normalised, in shared memory so that
 * pool workers can score row blocks without copying the forest.
 *
 * @module
 */

import { type Executor, registerTask, toShared } from '../../../core/pool.ts';
import { type FlatTree, normalizedValues, TREE_LEAF } from '../../tree/flat-tree.ts';

/** All trees of a forest in one set of arrays. */
export interface PackedForest {
  nTrees: number;
  /** Values per node (classes, or 1). */
  stride: number;
  /** Root node index of each tree. */
  roots: Int32Array;
  /**
   * One 32-byte record per node, so a step down the tree touches one cache line (scikit-learn's
   * node struct, rather than one array per field). Through the Float64Array view: the threshold
   * at `[4i]`. Through the Int32Array view of the same memory: the feature at `[8i + 2]`
   * (negative at leaves), the left and right children (absolute indices) at `[8i + 3]` and
   * `[8i + 4]`.
   */
  nodesF: Float64Array;
  nodesI: Int32Array;
  /** Node values: class probabilities (classification) or predicted value (regression). */
  value: Float64Array;
}

/** Packs `trees` (normalising class counts to probabilities when `classification`). */
export function packForest(trees: readonly FlatTree[], classification: boolean): PackedForest {
  let total = 0;
  for (const t of trees) total += t.nodeCount;
  const stride = trees[0].valueStride;
  const roots = toShared(new Int32Array(trees.length));
  const buffer = new SharedArrayBuffer(32 * total);
  const nodesF = new Float64Array(buffer);
  const nodesI = new Int32Array(buffer);
  const value = toShared(new Float64Array(total * stride));
  let off = 0;
  for (let t = 0; t < trees.length; t++) {
    const tree = trees[t];
    roots[t] = off;
    for (let i = 0; i < tree.nodeCount; i++) {
      const g = off + i;
      const l = tree.left[i];
      nodesF[4 * g] = tree.threshold[i];
      nodesI[8 * g + 2] = l === TREE_LEAF ? -1 : tree.feature[i];
      nodesI[8 * g + 3] = l === TREE_LEAF ? TREE_LEAF : l + off;
      nodesI[8 * g + 4] = l === TREE_LEAF ? TREE_LEAF : tree.right[i] + off;
    }
    value.set(classification ? normalizedValues(tree) : tree.value, off * stride);
    off += tree.nodeCount;
  }
  return { nTrees: trees.length, stride, roots, nodesF, nodesI, value };
}

/**
 * Mean of the trees' leaf values for rows [start, end) of the row-major X (n × cols): class
 * probabilities (stride = classes) or regression predictions (stride 1).
 */
export function predictForestRows(
  f: PackedForest,
  X: Float64Array,
  cols: number,
  start: number,
  end: number,
): Float64Array {
  const k = f.stride;
  const out = new Float64Array((end - start) * k);
  const { roots, nodesF, nodesI, value } = f;
  // Tree-major: one tree's nodes stay in cache while every row of the block walks it. The child
  // is picked by index (left slot + [x > threshold]) rather than by a branch, which would be
  // mispredicted about half the time.
  for (let t = 0; t < f.nTrees; t++) {
    const root = roots[t];
    for (let i = start; i < end; i++) {
      const base = i * cols;
      let node = root;
      let feat = nodesI[8 * node + 2];
      while (feat >= 0) {
        node = nodesI[8 * node + 3 + +(X[base + feat] > nodesF[4 * node])];
        feat = nodesI[8 * node + 2];
      }
      const o = (i - start) * k;
      const v = node * k;
      for (let c = 0; c < k; c++) out[o + c] += value[v + c];
    }
  }
  const inv = 1 / f.nTrees;
  for (let i = 0; i < out.length; i++) out[i] *= inv;
  return out;
}

/** Pool task: {@link predictForestRows}. */
export const predictForestRowsTask = registerTask(import.meta.url, 'predictForestRows', predictForestRows);

/** Rows per block when scoring on several threads. */
const BLOCK = 4096;

/**
 * Mean leaf values for every row of X, on the executor's threads when there is enough work
 * (row blocks in task order, so the result does not depend on the thread count).
 */
export function predictForest(
  f: PackedForest,
  X: Float64Array,
  rows: number,
  cols: number,
  executor: Executor,
): Float64Array {
  if (executor.parallelism <= 1 || rows * f.nTrees < 200_000) {
    return predictForestRows(f, X, cols, 0, rows);
  }
  const shared = toShared(X);
  const nBlocks = Math.max(executor.parallelism, Math.ceil(rows / BLOCK));
  const size = Math.ceil(rows / nBlocks);
  const tasks = [];
  for (let s = 0; s < rows; s += size)
    tasks.push(predictForestRowsTask(f, shared, cols, s, Math.min(rows, s + size)));
  const parts = executor.mapSync<Float64Array>(tasks);
  const out = new Float64Array(rows * f.stride);
  let off = 0;
  for (const part of parts) {
    out.set(part, off);
    off += part.length;
  }
  return out;
}
