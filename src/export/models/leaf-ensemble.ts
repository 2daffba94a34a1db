/**
 * Tree ensembles in float64, exactly: an `ai.onnx.ml` TreeEnsembleRegressor (opset 3) whose
 * thresholds are float64 tensors (`nodes_values_as_tensor`) finds, for every row, the leaf each
 * tree lands in — each tree writes the *number of its leaf* (exact in float32 below 2²⁴) to its own
 * output column. The leaf values then come from a float64 table (`Gather`) and are added tree by
 * tree in Lathe's order with a chain of `Add`s.
 *
 * Why not let the tree operator sum the leaf values? Its output is float32: prices near 10⁶ would
 * be off by several hundredths, and the order in which onnxruntime adds trees (in parallel) can
 * turn an exact tie between two classes into a different label. With leaf numbers and float64
 * sums, a converted forest or boosted model gives Lathe's numbers bit for bit (before the final
 * sigmoid/softmax) — branches included, since the comparisons are float64 `x <= threshold` as in
 * Lathe, with NaN sent the way the model says (`nodes_missing_value_tracks_true`).
 *
 * @module
 */

import { ValidationError } from '../../core/errors.ts';
import { attr, type GraphBuilder, ML_DOMAIN } from '../graph-builder.ts';
import { DataType } from '../onnx-proto.ts';

/** One tree, with local node indices (0 = root). */
export interface ExportTree {
  nodeCount: number;
  /** 1 at leaves. */
  leaf: Uint8Array;
  /** Column of X each split reads. */
  feature: ArrayLike<number>;
  threshold: ArrayLike<number>;
  left: ArrayLike<number>;
  right: ArrayLike<number>;
  /** 1 where a missing value (NaN) goes left; absent = NaN goes right. */
  missingLeft?: ArrayLike<number>;
  /** 1 where the split sends `x >= threshold` left (instead of `x <= threshold`). */
  greaterGoesLeft?: ArrayLike<number>;
}

/** The leaf each row reaches in every tree. */
export interface LeafIds {
  /** float32 `[N, T]`: the global leaf number per row and tree (exact integers). */
  ids: string;
  /** Per tree, node → global leaf number (-1 for splits). */
  leafNumber: Int32Array[];
  /** Number of leaves in all trees. */
  nLeaves: number;
}

/** Largest leaf number a float32 holds exactly. */
const MAX_LEAVES = 2 ** 24;

/** Adds the tree operator that numbers the leaf of each row in each tree. */
export function leafIds(b: GraphBuilder, X: string, trees: readonly ExportTree[], who: string): LeafIds {
  let total = 0;
  let leaves = 0;
  for (const tree of trees) {
    total += tree.nodeCount;
    for (let i = 0; i < tree.nodeCount; i++) leaves += tree.leaf[i];
  }
  const treeIds = new Int32Array(total);
  const nodeIds = new Int32Array(total);
  const featureIds = new Int32Array(total);
  const modes = new Array<string>(total);
  const values = new Float64Array(total);
  const trueIds = new Int32Array(total);
  const falseIds = new Int32Array(total);
  const missingTrue = new Uint8Array(total);
  const tTree = new Int32Array(leaves);
  const tNode = new Int32Array(leaves);
  const tWeights = new Float64Array(leaves);
  const leafNumber: Int32Array[] = [];
  let k = 0;
  let next = 0;
  let anyMissing = false;
  trees.forEach((tree, t) => {
    const numbers = new Int32Array(tree.nodeCount).fill(-1);
    for (let i = 0; i < tree.nodeCount; i++, k++) {
      treeIds[k] = t;
      nodeIds[k] = i;
      if (tree.leaf[i]) {
        // Leaves: feature, value and children stay 0, as the operator expects.
        modes[k] = 'LEAF';
        numbers[i] = next;
        tTree[next] = t;
        tNode[next] = i;
        tWeights[next] = next;
        next++;
      } else {
        featureIds[k] = tree.feature[i];
        modes[k] = tree.greaterGoesLeft?.[i] ? 'BRANCH_GTE' : 'BRANCH_LEQ';
        values[k] = tree.threshold[i];
        trueIds[k] = tree.left[i];
        falseIds[k] = tree.right[i];
        if (tree.missingLeft?.[i]) {
          missingTrue[k] = 1;
          anyMissing = true;
        }
      }
    }
    leafNumber.push(numbers);
  });
  if (next > MAX_LEAVES) {
    throw new ValidationError(
      `exportOnnx: ${who} has ${next} leaves; the ONNX export numbers leaves in float32 and supports at most ${MAX_LEAVES}.`,
      { fix: 'use fewer or smaller trees (nEstimators, maxDepth, maxLeafNodes)' },
    );
  }
  const attrs = [
    attr.string('aggregate_function', 'SUM'),
    attr.int('n_targets', trees.length),
    attr.ints('nodes_falsenodeids', falseIds),
    attr.ints('nodes_featureids', featureIds),
    attr.strings('nodes_modes', modes),
    attr.ints('nodes_nodeids', nodeIds),
    attr.ints('nodes_treeids', treeIds),
    attr.ints('nodes_truenodeids', trueIds),
    attr.tensor('nodes_values_as_tensor', { dims: [total], dataType: DataType.DOUBLE, values }),
    attr.string('post_transform', 'NONE'),
    // Each tree writes to its own target: target id = tree id.
    attr.ints('target_ids', tTree),
    attr.ints('target_nodeids', tNode),
    attr.ints('target_treeids', tTree),
    attr.floats('target_weights', tWeights),
  ];
  if (anyMissing) attrs.push(attr.ints('nodes_missing_value_tracks_true', missingTrue));
  const ids = b.op('TreeEnsembleRegressor', [X], attrs, ML_DOMAIN);
  return { ids, leafNumber, nLeaves: next };
}

/**
 * The per-tree values of the leaves each row reached: `table` holds `width` float64 values per
 * leaf (leaf number order). Returns one tensor per tree, in tree order: `[N, width]`, or `[N]`
 * when `width` is 0 (a scalar per leaf).
 *
 * Each tree's column of leaf numbers is taken on its own (`Gather` on axis 1, `Cast`, `Gather` of
 * the values) rather than gathering all trees at once: onnxruntime can then reuse each buffer, so
 * memory stays at the `[N, T]` leaf numbers plus a few `[N, width]` tensors, whatever the number
 * of trees.
 */
export function leafValuesPerTree(
  b: GraphBuilder,
  ids: LeafIds,
  nTrees: number,
  table: Float64Array,
  width: number,
): string[] {
  const values = b.double(table, width === 0 ? [ids.nLeaves] : [ids.nLeaves, width], 'leaf_values');
  const out: string[] = [];
  for (let t = 0; t < nTrees; t++) {
    const column = b.op('Gather', [ids.ids, b.int64([t], [])], [attr.int('axis', 1)]);
    const leaf = b.op('Cast', [column], [attr.int('to', DataType.INT64)]);
    out.push(b.op('Gather', [values, leaf], [attr.int('axis', 0)]));
  }
  return out;
}

/** Adds tensors left to right: ((t0 + t1) + t2) + … — the order Lathe adds trees in. */
export function sumInOrder(b: GraphBuilder, parts: readonly string[]): string {
  let acc = parts[0];
  for (let i = 1; i < parts.length; i++) acc = b.op('Add', [acc, parts[i]]);
  return acc;
}
