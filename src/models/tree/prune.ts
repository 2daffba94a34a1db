/**
 * Minimal cost-complexity pruning (scikit-learn's `ccp_alpha`): repeatedly collapse the internal
 * node whose subtree buys the least impurity per extra leaf — effective α = (R(t) − R(T_t)) /
 * (|leaves(T_t)| − 1), with R(t) = impurity(t) · weight(t) / total weight — while that α is at most
 * `ccpAlpha`; then copy the kept nodes into a new flat tree in depth-first order.
 *
 * @module
 */

import { type FlatTree, TREE_LEAF } from './flat-tree.ts';
import { NodeStore } from './node-store.ts';

/** The tree pruned with cost-complexity parameter `ccpAlpha` (the same tree when nothing is pruned). */
export function pruneTree(tree: FlatTree, ccpAlpha: number): FlatTree {
  const n = tree.nodeCount;
  const { left, right, impurity, weightedNNodeSamples: w } = tree;
  const total = w[0];
  const rNode = new Float64Array(n);
  const rBranch = new Float64Array(n);
  const nLeaves = new Float64Array(n);
  const parent = new Int32Array(n).fill(-1);
  const isLeaf = new Uint8Array(n);
  const inSubtree = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    rNode[i] = (w[i] * impurity[i]) / total;
    if (left[i] === TREE_LEAF) isLeaf[i] = 1;
    else {
      parent[left[i]] = i;
      parent[right[i]] = i;
    }
  }
  // Impurity and leaf count of every branch, bubbled up from the leaves.
  for (let leaf = 0; leaf < n; leaf++) {
    if (!isLeaf[leaf]) continue;
    rBranch[leaf] = rNode[leaf];
    const r = rNode[leaf];
    for (let node = leaf; node !== 0; ) {
      const p = parent[node];
      rBranch[p] += r;
      nLeaves[p] += 1;
      node = p;
    }
  }
  const candidate = new Uint8Array(n);
  for (let i = 0; i < n; i++) candidate[i] = isLeaf[i] ? 0 : 1;
  const stack: number[] = [];
  while (candidate[0]) {
    let alpha = Number.MAX_VALUE;
    let weakest = -1;
    for (let i = 0; i < n; i++) {
      if (!candidate[i]) continue;
      const a = (rNode[i] - rBranch[i]) / (nLeaves[i] - 1);
      if (a < alpha) {
        alpha = a;
        weakest = i;
      }
    }
    if (ccpAlpha < alpha) break;
    // The branch's descendants leave the tree; the branch becomes a leaf.
    stack.push(weakest);
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (!inSubtree[node]) continue;
      candidate[node] = 0;
      isLeaf[node] = 0;
      inSubtree[node] = 0;
      if (left[node] !== TREE_LEAF) stack.push(left[node], right[node]);
    }
    isLeaf[weakest] = 1;
    inSubtree[weakest] = 1;
    const pruned = nLeaves[weakest] - 1;
    nLeaves[weakest] = 0;
    const diff = rNode[weakest] - rBranch[weakest];
    rBranch[weakest] = rNode[weakest];
    for (let node = parent[weakest]; node !== -1; node = parent[node]) {
      nLeaves[node] -= pruned;
      rBranch[node] += diff;
    }
  }
  let kept = 0;
  for (let i = 0; i < n; i++) kept += inSubtree[i];
  if (kept === n) return tree;
  // Copy the kept nodes, depth-first, left child first (scikit-learn's `_build_pruned_tree`).
  const k = tree.valueStride;
  const store = new NodeStore(k, kept);
  const todo: number[] = [0, -1, 0, 0];
  while (todo.length > 0) {
    const depth = todo.pop()!;
    const isLeft = todo.pop()! === 1;
    const newParent = todo.pop()!;
    const orig = todo.pop()!;
    const leaf = isLeaf[orig] === 1;
    const id = store.add(
      newParent,
      isLeft,
      leaf,
      tree.feature[orig],
      tree.threshold[orig],
      impurity[orig],
      tree.nNodeSamples[orig],
      w[orig],
    );
    store.value.set(tree.value.subarray(orig * k, (orig + 1) * k), id * k);
    if (depth > store.maxDepth) store.maxDepth = depth;
    if (!leaf) {
      todo.push(right[orig], id, 0, depth + 1);
      todo.push(left[orig], id, 1, depth + 1);
    }
  }
  return store.finish();
}
