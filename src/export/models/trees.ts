/**
 * Decision trees and forests (random forests, extra trees) through the leaf-number ensemble of
 * `leaf-ensemble.ts`:
 *
 * - a tree's prediction is its leaf's value (regression) or the leaf's normalised class counts
 *   (`normalizedValues`, as `predictProba` uses them);
 * - a forest adds its trees' leaf values in tree order and divides by nTrees (as scikit-learn), as
 *   `predictForestRows` does;
 * - a classifier's label is the first class of highest probability (`BaseClassifier.predict`).
 *
 * Reads the public fitted fields `tree_` / `estimators_` (flat trees: go left when
 * `x <= threshold`) and `classes_`. Lathe's trees refuse NaN; in the ONNX graph a NaN goes right.
 *
 * @module
 */

import type { Label } from '../../core/labels.ts';
import type { FlatTree } from '../../models/tree/flat-tree.ts';
import { normalizedValues, TREE_LEAF } from '../../models/tree/flat-tree.ts';
import type { GraphBuilder } from '../graph-builder.ts';
import { argmaxRows, type ModelHead } from './head.ts';
import { type ExportTree, leafIds, leafValuesPerTree, sumInOrder } from './leaf-ensemble.ts';

function exportTree(t: FlatTree): ExportTree {
  const leaf = new Uint8Array(t.nodeCount);
  for (let i = 0; i < t.nodeCount; i++) leaf[i] = t.left[i] === TREE_LEAF ? 1 : 0;
  return {
    nodeCount: t.nodeCount,
    leaf,
    feature: t.feature,
    threshold: t.threshold,
    left: t.left,
    right: t.right,
  };
}

/**
 * A tree or forest on the float64 matrix `X`: `classes` for a classifier, null for a regressor.
 * `mean` divides the sum of the trees by their number (forests).
 */
export function convertFlatTrees(
  b: GraphBuilder,
  trees: readonly FlatTree[],
  classes: readonly Label[] | null,
  X: string,
  mean: boolean,
  who: string,
): ModelHead {
  const ids = leafIds(b, X, trees.map(exportTree), who);
  const K = classes ? classes.length : 1;
  const table = new Float64Array(ids.nLeaves * K);
  trees.forEach((t, k) => {
    const values = classes ? normalizedValues(t) : t.value;
    const numbers = ids.leafNumber[k];
    for (let i = 0; i < t.nodeCount; i++) {
      const n = numbers[i];
      if (n >= 0) for (let c = 0; c < K; c++) table[n * K + c] = values[i * K + c];
    }
  });
  const parts = leafValuesPerTree(b, ids, trees.length, table, classes ? K : 0);
  let sum = sumInOrder(b, parts);
  if (mean && trees.length > 1) sum = b.op('Div', [sum, b.scalar(trees.length)]);
  if (!classes) return { kind: 'regressor', value: sum };
  return { kind: 'classifier', proba: sum, labelIndex: argmaxRows(b, sum), classes };
}
