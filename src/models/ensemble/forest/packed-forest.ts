/**
 * A fitted forest packed for prediction: every tree's nodes in the walk layout of the tree-ensemble
 * WebAssembly kernels (`predictForest` in assembly/gbdt.ts) — 16-byte node records (threshold f64,
 * feature i32 with a leaf flag, left child i32; the right child is the left one + 1, breadth-first
 * per tree; a leaf points to itself with threshold +∞, so extra steps stay on it), the leaf values
 * (`K` per node: class probabilities, or one regression value), each tree's root and depth — in one
 * shared byte block that pool workers read without copying.
 *
 * The kernel walks eight rows at a time through each tree in branch-free steps; the TypeScript
 * walk over the same bytes is its twin and the fallback (`LATHE_FOREST_KERNEL=ts` forces it). Both
 * sum the trees' values in tree order from 0 and then divide by the tree count (as scikit-learn),
 * so they give the same bits.
 *
 * @module
 */

import { type Executor, registerTask, toShared } from '../../../core/pool.ts';
import {
  type PackedEnsemble,
  packedModelId,
  predictPacked,
} from '../../ensemble/hist-gradient-boosting/wasm-predictor.ts';
import { type FlatTree, normalizedValues, TREE_LEAF } from '../../tree/flat-tree.ts';

/** Leaf flag in a node record's feature word (as in assembly/gbdt.ts). */
const LEAF = 1 << 28;

/** All trees of a forest in one shared block (a {@link PackedEnsemble} of kind 'forest'). */
export type PackedForest = PackedEnsemble;

/** Packs `trees` (normalising class counts to probabilities when `classification`). */
export function packForest(trees: readonly FlatTree[], classification: boolean): PackedForest {
  let total = 0;
  for (const t of trees) total += t.nodeCount;
  const K = trees[0].valueStride;
  const nTrees = trees.length;
  const align = (x: number) => (x + 15) & ~15;
  const valuesOff = align(total * 16);
  const rootsOff = align(valuesOff + total * K * 8);
  const depthsOff = align(rootsOff + nTrees * 4);
  const bytes = new Uint8Array(new SharedArrayBuffer(align(depthsOff + nTrees * 4)));
  const f64 = new Float64Array(bytes.buffer);
  const i32 = new Int32Array(bytes.buffer);
  const queue = new Int32Array(total);
  const depth = new Int32Array(total);
  let next = 0;
  let maxFeature = -1;
  for (let t = 0; t < nTrees; t++) {
    const tree = trees[t];
    const values = classification ? normalizedValues(tree) : tree.value;
    // Breadth-first: queue[q] is the old index of the node given new index base + q.
    const base = next;
    i32[(rootsOff >> 2) + t] = base;
    queue[0] = 0;
    depth[0] = 0;
    let deepest = 0;
    let tail = 1;
    next++;
    for (let q = 0; q < tail; q++) {
      const old = queue[q];
      const ni = base + q;
      const v = (valuesOff >> 3) + ni * K;
      for (let c = 0; c < K; c++) f64[v + c] = values[old * K + c];
      if (tree.left[old] === TREE_LEAF) {
        f64[2 * ni] = Number.POSITIVE_INFINITY;
        i32[4 * ni + 2] = LEAF;
        i32[4 * ni + 3] = ni;
        continue;
      }
      const f = tree.feature[old];
      if (f > maxFeature) maxFeature = f;
      f64[2 * ni] = tree.threshold[old];
      i32[4 * ni + 2] = f;
      i32[4 * ni + 3] = next;
      next += 2;
      const dd = depth[q] + 1;
      if (dd > deepest) deepest = dd;
      depth[tail] = dd;
      queue[tail++] = tree.left[old];
      depth[tail] = dd;
      queue[tail++] = tree.right[old];
    }
    i32[(depthsOff >> 2) + t] = deepest;
  }
  return {
    id: packedModelId(),
    kind: 'forest',
    bytes,
    nTrees,
    K,
    hasCategorical: false,
    maxFeature,
    nodes: 0,
    values: valuesOff,
    roots: rootsOff,
    depths: depthsOff,
    cat: 0,
    feats: 0,
    nUsed: 0,
  };
}

/** Which walk {@link predictForestRows} uses: the WebAssembly kernel unless `LATHE_FOREST_KERNEL=ts`. */
function useKernel(): boolean {
  return process.env.LATHE_FOREST_KERNEL !== 'ts';
}

/**
 * The TypeScript walk: adds every tree's leaf values for rows [start, end) of the row-major X to
 * `out` (row-major, K values per row, row `start` first), tree after tree.
 */
export function addForestRowsTs(
  f: PackedForest,
  X: Float64Array,
  cols: number,
  start: number,
  end: number,
  out: Float64Array,
): void {
  const K = f.K;
  const nodesF = new Float64Array(f.bytes.buffer, f.bytes.byteOffset + f.nodes);
  const nodesI = new Int32Array(f.bytes.buffer, f.bytes.byteOffset + f.nodes);
  const value = new Float64Array(f.bytes.buffer, f.bytes.byteOffset + f.values);
  const roots = new Int32Array(f.bytes.buffer, f.bytes.byteOffset + f.roots, f.nTrees);
  // Tree-major: one tree's nodes stay in cache while every row walks it.
  for (let t = 0; t < f.nTrees; t++) {
    const root = roots[t];
    for (let i = start; i < end; i++) {
      const row = i * cols;
      let node = root;
      let fl = nodesI[4 * node + 2];
      while ((fl & LEAF) === 0) {
        node = nodesI[4 * node + 3] + +(X[row + fl] > nodesF[2 * node]);
        fl = nodesI[4 * node + 2];
      }
      const v = node * K;
      const o = (i - start) * K;
      for (let c = 0; c < K; c++) out[o + c] += value[v + c];
    }
  }
}

/**
 * Mean of the trees' leaf values for rows [start, end) of the row-major X (n × cols), row-major:
 * class probabilities (K = classes) or regression predictions (K = 1).
 */
export function predictForestRows(
  f: PackedForest,
  X: Float64Array,
  cols: number,
  start: number,
  end: number,
): Float64Array {
  const out = new Float64Array((end - start) * f.K);
  if (!(useKernel() && predictPacked(f, X, cols, start, end, out)))
    addForestRowsTs(f, X, cols, start, end, out);
  // Divided, not multiplied by 1/nTrees: scikit-learn's `proba /= len(self.estimators_)`.
  const T = f.nTrees;
  for (let i = 0; i < out.length; i++) out[i] /= T;
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
  const out = new Float64Array(rows * f.K);
  let off = 0;
  for (const part of parts) {
    out.set(part, off);
    off += part.length;
  }
  return out;
}
