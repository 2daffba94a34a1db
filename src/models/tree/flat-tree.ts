/**
 * The prediction-time tree: a fitted decision tree as flat typed arrays, one entry per node
 * (scikit-learn's `tree_` layout). Node 0 is the root; a leaf has `left[i] === right[i] === -1`
 * and `feature[i] === -2`. A row goes left when `x[feature] <= threshold`.
 *
 * The grower (see `grower.ts`) builds it; `predict`, `apply`, serialisation and the forests use
 * only this form.
 *
 * @module
 */

import { ValidationError } from '../../core/errors.ts';
import type { Matrix } from '../../core/matrix.ts';
import type { PlainObject } from '../../core/plain.ts';

/** Marks "no child" in `left`/`right` (scikit-learn's `TREE_LEAF`). */
export const TREE_LEAF = -1;
/** Marks "no feature/threshold" at a leaf (scikit-learn's `TREE_UNDEFINED`). */
export const TREE_UNDEFINED = -2;

/** A fitted tree as flat arrays. */
export interface FlatTree {
  /** Number of nodes. */
  nodeCount: number;
  /** Values per node: the number of classes (classification) or 1 (regression). */
  valueStride: number;
  /** Split feature per node (-2 at leaves). */
  feature: Int32Array;
  /** Split threshold per node: go left when `x <= threshold` (-2 at leaves). */
  threshold: Float64Array;
  /** Left child per node (-1 at leaves). */
  left: Int32Array;
  /** Right child per node (-1 at leaves). */
  right: Int32Array;
  /**
   * Node values, `valueStride` per node: weighted class counts (classification, as
   * scikit-learn 1.2) or the weighted mean target (regression).
   */
  value: Float64Array;
  /** Impurity of each node. */
  impurity: Float64Array;
  /** Number of (distinct, in-bag) training rows reaching each node. */
  nNodeSamples: Int32Array;
  /** Total sample weight reaching each node. */
  weightedNNodeSamples: Float64Array;
  /** Depth of the deepest leaf (the root alone has depth 0). */
  maxDepth: number;
}

/** Index of the leaf each row of the row-major `X` (n × d) lands in. */
export function applyTree(tree: FlatTree, X: Float64Array, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows);
  const { feature, threshold, left, right } = tree;
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let node = 0;
    // Hand-inlined descent: no calls or allocation per row.
    while (left[node] !== TREE_LEAF) {
      node = X[base + feature[node]] <= threshold[node] ? left[node] : right[node];
    }
    out[i] = node;
  }
  return out;
}

/**
 * Per-node values normalised to sum to one per node (class probabilities at each node), as
 * scikit-learn's `predict_proba` does with `tree_.value`. Nodes with zero total keep zeros.
 */
export function normalizedValues(tree: FlatTree): Float64Array {
  const k = tree.valueStride;
  const out = new Float64Array(tree.value.length);
  for (let node = 0; node < tree.nodeCount; node++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += tree.value[node * k + c];
    if (s > 0) for (let c = 0; c < k; c++) out[node * k + c] = tree.value[node * k + c] / s;
  }
  return out;
}

/**
 * Impurity-based (mean decrease in impurity) feature importances of one tree, normalised to sum
 * to one — scikit-learn's `compute_feature_importances`. A single-leaf tree gives all zeros.
 */
export function treeFeatureImportances(tree: FlatTree, nFeatures: number, normalize = true): Float64Array {
  const imp = new Float64Array(nFeatures);
  const { left, right, feature, impurity, weightedNNodeSamples: w } = tree;
  for (let node = 0; node < tree.nodeCount; node++) {
    const l = left[node];
    if (l === TREE_LEAF) continue;
    const r = right[node];
    imp[feature[node]] += w[node] * impurity[node] - w[l] * impurity[l] - w[r] * impurity[r];
  }
  const root = w[0];
  if (root > 0) for (let j = 0; j < nFeatures; j++) imp[j] /= root;
  if (normalize) {
    let s = 0;
    for (let j = 0; j < nFeatures; j++) s += imp[j];
    if (s > 0) for (let j = 0; j < nFeatures; j++) imp[j] /= s;
  }
  return imp;
}

/** Number of leaves. */
export function leafCount(tree: FlatTree): number {
  let n = 0;
  for (let i = 0; i < tree.nodeCount; i++) if (tree.left[i] === TREE_LEAF) n++;
  return n;
}

/** The tree as plain data (typed arrays kept as they are). */
export function treeToPlain(tree: FlatTree): PlainObject {
  return {
    nodeCount: tree.nodeCount,
    valueStride: tree.valueStride,
    maxDepth: tree.maxDepth,
    feature: tree.feature,
    threshold: tree.threshold,
    left: tree.left,
    right: tree.right,
    value: tree.value,
    impurity: tree.impurity,
    nNodeSamples: tree.nNodeSamples,
    weightedNNodeSamples: tree.weightedNNodeSamples,
  };
}

/**
 * Rebuilds a tree from {@link treeToPlain} output, checking every array's type and length and
 * that child and feature indices are in range, so a damaged file cannot send `predict` astray.
 */
export function treeFromPlain(o: PlainObject, nFeatures: number, who: string): FlatTree {
  const bad = (what: string): never => {
    throw new ValidationError(`${who}: saved tree is malformed (${what}).`, {
      fix: 'the model file is damaged; re-export or retrain it',
    });
  };
  const n = o.nodeCount;
  const k = o.valueStride;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) bad('nodeCount');
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) bad('valueStride');
  const nodes = n as number;
  const stride = k as number;
  const typed = <T>(name: string, Ctor: new (...a: never[]) => T, len: number): T => {
    const v = o[name];
    if (!(v instanceof Ctor) || (v as unknown as ArrayLike<number>).length !== len) bad(name);
    return v as T;
  };
  const tree: FlatTree = {
    nodeCount: nodes,
    valueStride: stride,
    maxDepth: typeof o.maxDepth === 'number' ? o.maxDepth : 0,
    feature: typed('feature', Int32Array, nodes),
    threshold: typed('threshold', Float64Array, nodes),
    left: typed('left', Int32Array, nodes),
    right: typed('right', Int32Array, nodes),
    value: typed('value', Float64Array, nodes * stride),
    impurity: typed('impurity', Float64Array, nodes),
    nNodeSamples: typed('nNodeSamples', Int32Array, nodes),
    weightedNNodeSamples: typed('weightedNNodeSamples', Float64Array, nodes),
  };
  for (let i = 0; i < nodes; i++) {
    const l = tree.left[i];
    const r = tree.right[i];
    if (l === TREE_LEAF) {
      if (r !== TREE_LEAF) bad(`node ${i} has one child`);
      continue;
    }
    // Children come after their parent in both growth orders, which also rules out cycles.
    if (!(l > i && l < nodes && r > i && r < nodes)) bad(`node ${i} has children out of range`);
    const f = tree.feature[i];
    if (!(f >= 0 && f < nFeatures)) bad(`node ${i} splits on feature ${f}`);
  }
  return tree;
}

/** Leaf index per row of a {@link Matrix}. */
export function applyMatrix(tree: FlatTree, X: Matrix): Int32Array {
  return applyTree(tree, X.data, X.rows, X.cols);
}
