/**
 * The unit of parallel work of a forest: grow tree `t` (bootstrap draw, tree and out-of-bag
 * predictions) from data in shared memory. Every thread growing a forest — the calling thread and
 * the pool's workers — claims the next tree index from one shared counter until none is left
 * ({@link fitForestTrees}); a tree's randomness comes only from `new Rng(seed).derive(t)`, so a
 * forest is bit-identical whichever thread grows which tree, for any thread count.
 *
 * @module
 */

import { registerTask } from '../../../core/pool.ts';
import { Rng } from '../../../core/rng.ts';
import { type FlatTree, normalizedValues, TREE_LEAF } from '../../tree/flat-tree.ts';
import { type GrowData, type GrowOptions, growTree } from '../../tree/grower.ts';

/** Training data shared by every tree task (typed arrays in shared memory). */
export interface ForestData extends GrowData {
  /** Sample weight × class weight per row, or null for all ones. */
  baseWeight: Float64Array | null;
}

/** What each tree task is told besides the data. */
export interface ForestTreeSpec {
  grow: GrowOptions;
  /** Draw rows with replacement (else every row, once). */
  bootstrap: boolean;
  /** Rows per bootstrap draw. */
  nBootstrap: number;
  /** Re-weight classes per bootstrap sample ('balanced_subsample'). */
  balancedSubsample: boolean;
  /** Return predictions for the rows left out of the draw. */
  oob: boolean;
  /** The forest's seed; tree t uses `new Rng(seed).derive(t)`. */
  seed: number;
}

/** One grown tree and, when asked, its out-of-bag predictions. */
export interface ForestTreeResult {
  tree: FlatTree;
  /** Rows not drawn for this tree. */
  oobRows: Int32Array | null;
  /** Per out-of-bag row: class probabilities (valueStride each) or the predicted value. */
  oobValues: Float64Array | null;
}

/** Bootstrap counts per row for tree `t`: `nBootstrap` draws with replacement. */
export function bootstrapCounts(rng: Rng, n: number, nBootstrap: number): Float64Array {
  const counts = new Float64Array(n);
  for (let i = 0; i < nBootstrap; i++) counts[rng.int(n)]++;
  return counts;
}

/** Grows tree `t` of a forest. */
export function fitForestTree(data: ForestData, spec: ForestTreeSpec, t: number): ForestTreeResult {
  const rng = new Rng(spec.seed).derive(t);
  const { n } = data;
  let weight: Float64Array | null = data.baseWeight;
  let counts: Float64Array | null = null;
  if (spec.bootstrap) {
    counts = bootstrapCounts(rng, n, spec.nBootstrap);
    weight = new Float64Array(n);
    const base = data.baseWeight;
    for (let i = 0; i < n; i++) weight[i] = base ? base[i] * counts[i] : counts[i];
    if (spec.balancedSubsample && data.yCode) balanceSubsample(weight, counts, data.yCode, data.nClasses);
  }
  const tree = growTree(data, weight, spec.grow, rng);
  let oobRows: Int32Array | null = null;
  let oobValues: Float64Array | null = null;
  if (spec.oob && counts) {
    let nOob = 0;
    for (let i = 0; i < n; i++) if (counts[i] === 0) nOob++;
    oobRows = new Int32Array(nOob);
    for (let i = 0, j = 0; i < n; i++) if (counts[i] === 0) oobRows[j++] = i;
    oobValues = predictColumnMajor(tree, data.Xc, n, oobRows, data.yCode !== null);
  }
  return { tree, oobRows, oobValues };
}

/**
 * scikit-learn's 'balanced_subsample': multiplies each row's weight by n_draws / (k · draws of its
 * class), where k counts only the classes present in the draw.
 */
function balanceSubsample(weight: Float64Array, counts: Float64Array, y: Int32Array, k: number): void {
  const byClass = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    byClass[y[i]] += counts[i];
    total += counts[i];
  }
  let present = 0;
  for (let c = 0; c < k; c++) if (byClass[c] > 0) present++;
  for (let i = 0; i < weight.length; i++) {
    const c = byClass[y[i]];
    weight[i] *= c > 0 ? total / (present * c) : 0;
  }
}

/** Leaf values (normalised class shares, or the value) of `rows` of a column-major X. */
function predictColumnMajor(
  tree: FlatTree,
  Xc: Float64Array,
  n: number,
  rows: Int32Array,
  classification: boolean,
): Float64Array {
  const k = tree.valueStride;
  const vals = classification ? normalizedValues(tree) : tree.value;
  const out = new Float64Array(rows.length * k);
  const { feature, threshold, left, right } = tree;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    let node = 0;
    while (left[node] !== TREE_LEAF) {
      node = Xc[feature[node] * n + i] <= threshold[node] ? left[node] : right[node];
    }
    for (let c = 0; c < k; c++) out[r * k + c] = vals[node * k + c];
  }
  return out;
}

/** A grown tree and its index in the forest. */
export interface IndexedTreeResult extends ForestTreeResult {
  t: number;
}

/**
 * Grows trees of a forest until none is left: each time takes the next index below `total` from
 * `claim[0]` (a counter in shared memory, shared by every thread growing this forest). Setting the
 * counter to `total` stops every thread after its current tree.
 */
export function fitForestTrees(
  data: ForestData,
  spec: ForestTreeSpec,
  claim: Int32Array,
  total: number,
): IndexedTreeResult[] {
  const out: IndexedTreeResult[] = [];
  for (let t = Atomics.add(claim, 0, 1); t < total; t = Atomics.add(claim, 0, 1)) {
    out.push({ t, ...fitForestTree(data, spec, t) });
  }
  return out;
}

/**
 * The calling thread's share of a forest: {@link fitForestTrees}, except that when it throws the
 * counter is first set to `total`, so the workers stop after their current tree (the error is then
 * rethrown and the batch cancelled by the caller).
 */
export function fitOwnShare(
  data: ForestData,
  spec: ForestTreeSpec,
  claim: Int32Array,
  total: number,
): IndexedTreeResult[] {
  try {
    return fitForestTrees(data, spec, claim, total);
  } catch (e) {
    Atomics.store(claim, 0, total);
    throw e;
  }
}

/** Builds the pool task for {@link fitForestTrees}. */
export const fitForestTreesTask = registerTask(import.meta.url, 'fitForestTrees', fitForestTrees);
