/**
 * What random forests and extra trees share: bootstrap and `maxSamples`, growing the trees on the
 * worker pool from shared memory, out-of-bag scores, mean feature importances, and prediction
 * by averaging the trees (probabilities for classifiers, as scikit-learn).
 *
 * @module
 */

import { ValidationError } from '../../../core/errors.ts';
import type { FitOptions } from '../../../core/estimator.ts';
import { asNumericTarget, type Label, type TargetInput } from '../../../core/labels.ts';
import { assertFinite, type Matrix, type MatrixInput, matrix } from '../../../core/matrix.ts';
import { p } from '../../../core/params.ts';
import type { PlainObject, PlainValue } from '../../../core/plain.ts';
import { executorFor, runBeside, toShared } from '../../../core/pool.ts';
import { warn } from '../../../core/warnings.ts';
import { BaseClassifier, BaseRegressor, checkSampleWeight, classWeightVector, r2Of } from '../../base.ts';
import { type FlatTree, treeFeatureImportances, treeFromPlain, treeToPlain } from '../../tree/flat-tree.ts';
import { kernelArenaFor, type TreeSplitter } from '../../tree/grower.ts';
import { growLayout, prepareGrowData } from '../../tree/presort.ts';
import { type GrowthParams, type MaxFeatures, resolveGrowOptions } from '../../tree/tree-params.ts';
import {
  type ForestData,
  type ForestTreeResult,
  type ForestTreeSpec,
  fitForestTreesTask,
  fitOwnShare,
  type IndexedTreeResult,
} from './fit-task.ts';
import { type PackedForest, packForest, predictForest, prepareForestPredict } from './packed-forest.ts';

/** Parameters every forest has, besides the tree growth ones. */
export const forestParams = {
  nEstimators: p.int({ min: 1, default: 100, doc: 'number of trees' }),
  maxSamples: p.nullable(p.union([p.int({ min: 1 }), p.float({ gt: 0, lt: 1 })]), {
    default: null,
    doc: 'rows per bootstrap draw: an integer, a fraction of the rows in (0, 1), or null for all',
  }),
  oobScore: p.bool({
    default: false,
    doc: 'score each row with the trees that did not see it (needs bootstrap)',
  }),
  nThreads: p.nullable(p.int({ min: 1 }), {
    default: null,
    doc: 'worker threads growing trees; null = all cores (results do not depend on it)',
  }),
  seed: p.int({ min: 0, default: 0, doc: 'random seed; tree t uses rng.derive(t)' }),
};

/** The parameter values every forest has. */
export interface ForestParamValues extends GrowthParams {
  criterion: string;
  maxFeatures: MaxFeatures;
  nEstimators: number;
  bootstrap: boolean;
  maxSamples: number | null;
  oobScore: boolean;
  nThreads: number | null;
  seed: number;
}

/**
 * Rows per bootstrap draw for `maxSamples` (scikit-learn's `_get_n_samples_bootstrap`): a fraction
 * rounds as Python's `round`, halves to even (0.25 of 10 rows is 2 draws, not 3); at least 1 (where
 * scikit-learn 1.2 would draw 0 rows and grow empty trees).
 */
export function bootstrapSize(maxSamples: number | null, n: number, who: string): number {
  if (maxSamples === null) return n;
  if (Number.isInteger(maxSamples)) {
    if (maxSamples > n) {
      throw new ValidationError(`${who}: maxSamples is ${maxSamples} but X has only ${n} rows.`, {
        field: 'maxSamples',
        fix: `pass maxSamples ≤ ${n}, or a fraction such as 0.5`,
      });
    }
    return maxSamples;
  }
  const x = n * maxSamples;
  let r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r--;
  return Math.max(r, 1);
}

interface FitInputs {
  m: Matrix;
  yCode: Int32Array | null;
  yValue: Float64Array | null;
  nClasses: number;
  baseWeight: Float64Array | null;
}

/**
 * Grows every tree of a forest — on the calling thread and `parallelism − 1` pool workers, each
 * claiming the next tree from a shared counter — and returns the trees and their OOB results in
 * tree order.
 */
function growForest(
  who: string,
  params: ForestParamValues,
  splitter: TreeSplitter,
  inputs: FitInputs,
  balancedSubsample: boolean,
): ForestTreeResult[] {
  const { m } = inputs;
  if (params.oobScore && !params.bootstrap) {
    throw new ValidationError(`${who}: oobScore needs bootstrap; bootstrap is false.`, {
      field: 'oobScore',
      fix: 'set bootstrap: true, or oobScore: false',
    });
  }
  if (params.maxSamples !== null && !params.bootstrap) {
    throw new ValidationError(`${who}: maxSamples applies only with bootstrap; bootstrap is false.`, {
      field: 'maxSamples',
      fix: 'set bootstrap: true, or maxSamples: null',
    });
  }
  const executor = executorFor(params.nThreads);
  // Threads in all, the calling thread included.
  const threads = Math.min(executor.parallelism, params.nEstimators);
  const grow = resolveGrowOptions(params, splitter, m.rows, m.cols, who);
  // Where the WebAssembly grower grows the trees, the ranks, sort orders, columns and targets go
  // straight into the shared memory every thread's kernel reads (see grower-wasm.ts).
  const arena = kernelArenaFor(grow, inputs.yCode !== null, m.rows, m.cols);
  const layout = growLayout(splitter, m.rows, m.cols, grow.maxFeatures, {
    columns: params.oobScore,
    shared: true,
    arena,
  });
  const data: ForestData = {
    ...prepareGrowData(m, inputs, layout),
    baseWeight: inputs.baseWeight ? toShared(inputs.baseWeight) : null,
  };
  const spec: ForestTreeSpec = {
    grow,
    bootstrap: params.bootstrap,
    nBootstrap: bootstrapSize(params.maxSamples, m.rows, who),
    balancedSubsample,
    oob: params.oobScore,
    seed: params.seed,
  };
  const total = params.nEstimators;
  const claim = new Int32Array(new SharedArrayBuffer(4));
  const tasks = Array.from({ length: threads - 1 }, () => fitForestTreesTask(data, spec, claim, total));
  // This thread grows trees from the start instead of waiting for the workers (which join as soon
  // as they have booted): on small data a fresh worker's start-up is a good part of the fit.
  const { results: theirs, own: mine } = runBeside<IndexedTreeResult[], IndexedTreeResult[]>(
    executor,
    tasks,
    () => fitOwnShare(data, spec, claim, total),
  );
  const results = new Array<ForestTreeResult>(total);
  for (const part of [mine, ...theirs]) for (const r of part) results[r.t] = r;
  // While the forest is packed, the workers load the prediction kernel.
  prepareForestPredict(executor);
  return results;
}

/** Mean of the trees' normalised importances (trees that are a single leaf left out), renormalised. */
function forestImportances(trees: readonly FlatTree[], d: number): Float64Array {
  const out = new Float64Array(d);
  let used = 0;
  for (const t of trees) {
    if (t.nodeCount <= 1) continue;
    const imp = treeFeatureImportances(t, d);
    for (let j = 0; j < d; j++) out[j] += imp[j];
    used++;
  }
  if (used === 0) return out;
  let s = 0;
  for (let j = 0; j < d; j++) s += out[j] / used;
  for (let j = 0; j < d; j++) out[j] = s > 0 ? out[j] / used / s : 0;
  return out;
}

/** A forest's feature importances, computed from its trees when first asked for. */
class LazyImportances {
  private trees: readonly FlatTree[] | null = null;
  private d = 0;
  private computed: Float64Array | undefined = undefined;

  /** Forgets the last forest's importances; the next read computes those of `trees`. */
  reset(trees: readonly FlatTree[], d: number): void {
    this.trees = trees;
    this.d = d;
    this.computed = undefined;
  }

  /** The importances (undefined before a fit). */
  value(): Float64Array | undefined {
    if (this.computed === undefined && this.trees) this.computed = forestImportances(this.trees, this.d);
    return this.computed;
  }
}

/** Sum of OOB predictions per row and how many trees predicted each row. */
function collectOob(
  results: readonly ForestTreeResult[],
  n: number,
  k: number,
): { sum: Float64Array; count: Float64Array } {
  const sum = new Float64Array(n * k);
  const count = new Float64Array(n);
  for (const r of results) {
    const rows = r.oobRows!;
    const v = r.oobValues!;
    for (let j = 0; j < rows.length; j++) {
      const i = rows[j];
      count[i]++;
      for (let c = 0; c < k; c++) sum[i * k + c] += v[j * k + c];
    }
  }
  let missing = 0;
  for (let i = 0; i < n; i++) {
    if (count[i] === 0) {
      missing++;
      count[i] = 1;
    }
  }
  if (missing > 0) {
    warn(
      'UserWarning',
      `${missing} rows were in every bootstrap draw, so they have no out-of-bag prediction and the out-of-bag score is unreliable; use more trees.`,
    );
  }
  return { sum, count };
}

function forestInput(X: Matrix, who: string): Matrix {
  assertFinite(X, who);
  return X;
}

function treesFromState(state: PlainObject, d: number, who: string): FlatTree[] {
  const trees = state.trees;
  if (!Array.isArray(trees) || trees.length === 0) {
    throw new ValidationError(`${who}: saved state has no trees.`, {
      fix: 'the model file is damaged; retrain',
    });
  }
  return trees.map((t) => treeFromPlain(t as PlainObject, d, who));
}

/** Base of forest classifiers (random forest, extra trees). */
export abstract class BaseForestClassifier<P extends ForestParamValues> extends BaseClassifier<P> {
  /** Which split search the trees use. */
  protected abstract readonly splitter: TreeSplitter;
  /** The fitted trees, as flat arrays. */
  estimators_: FlatTree[] | undefined = undefined;
  private readonly importances = new LazyImportances();
  /** Out-of-bag accuracy (with `oobScore`). */
  oobScore_: number | undefined = undefined;
  /** Out-of-bag class probabilities per training row (with `oobScore`). */
  oobDecisionFunction_: Matrix | undefined = undefined;
  private packed: PackedForest | undefined = undefined;

  /** Grows the forest on (X, y), with optional per-row `sampleWeight`. */
  fit(X: MatrixInput, y: TargetInput, options: FitOptions = {}): this {
    const m = forestInput(this.startFit(X), this.typeName);
    const codes = this.encodeTarget(y, m.rows);
    const sw = checkSampleWeight(options.sampleWeight, m.rows, this.typeName);
    const cwParam = (this.params as unknown as { classWeight: unknown }).classWeight as
      | null
      | 'balanced'
      | 'balanced_subsample'
      | Record<string, number>;
    // 'balanced_subsample' re-weights each tree's bootstrap draw; without bootstrap every tree sees
    // all rows, so it is 'balanced' (as scikit-learn's _validate_y_class_weight makes it).
    const subsample = cwParam === 'balanced_subsample' && this.params.bootstrap;
    const cw =
      cwParam === null || subsample
        ? null
        : classWeightVector(
            cwParam === 'balanced_subsample' ? 'balanced' : cwParam,
            codes,
            this.classes_!,
            this.typeName,
          );
    let baseWeight: Float64Array | null = null;
    if (sw || cw) {
      baseWeight = new Float64Array(m.rows);
      for (let i = 0; i < m.rows; i++) baseWeight[i] = (sw ? sw[i] : 1) * (cw ? cw[codes[i]] : 1);
    }
    const k = this.classes_!.length;
    const results = growForest(
      this.typeName,
      this.params,
      this.splitter,
      { m, yCode: codes, yValue: null, nClasses: k, baseWeight },
      subsample,
    );
    this.setTrees(
      results.map((r) => r.tree),
      m.cols,
    );
    this.oobScore_ = undefined;
    this.oobDecisionFunction_ = undefined;
    if (this.params.oobScore) {
      const { sum, count } = collectOob(results, m.rows, k);
      let hit = 0;
      for (let i = 0; i < m.rows; i++) {
        let best = 0;
        for (let c = 0; c < k; c++) {
          sum[i * k + c] /= count[i];
          if (sum[i * k + c] > sum[i * k + best]) best = c;
        }
        if (best === codes[i]) hit++;
      }
      this.oobScore_ = hit / m.rows;
      this.oobDecisionFunction_ = matrix(sum, m.rows, k, this.probaColumns());
    }
    return this.finishFit(m);
  }

  private setTrees(trees: FlatTree[], d: number): void {
    this.estimators_ = trees;
    this.packed = packForest(trees, true);
    this.importances.reset(trees, d);
  }

  /**
   * Mean impurity-based feature importances (sum to 1), computed on first read after a fit (as
   * scikit-learn's property is).
   */
  get featureImportances_(): Float64Array | undefined {
    return this.importances.value();
  }

  /** Mean of the trees' class probabilities. */
  predictProba(X: MatrixInput): Matrix {
    const m = forestInput(this.checkInput(X, 'predictProba'), this.typeName);
    const nThreads = this.params.nThreads;
    const proba = predictForest(this.packed!, m.data, m.rows, m.cols, executorFor(nThreads));
    return matrix(proba, m.rows, this.classes_!.length, this.probaColumns());
  }

  protected getState(): PlainObject {
    const state: PlainObject = {
      classes: this.classes_!,
      trees: this.estimators_!.map(treeToPlain),
    };
    if (this.oobScore_ !== undefined) {
      state.oobScore = this.oobScore_;
      state.oobDecisionFunction = this.oobDecisionFunction_!.data;
    }
    return state;
  }

  protected setState(state: PlainObject): void {
    const names = state.featureNamesIn as string[];
    this.classes_ = state.classes as Label[];
    const trees = treesFromState(state, names.length, this.typeName);
    for (const t of trees) {
      if (t.valueStride !== this.classes_.length) {
        throw new ValidationError(
          `${this.typeName}: a saved tree has ${t.valueStride} classes, expected ${this.classes_.length}.`,
        );
      }
    }
    this.setTrees(trees, names.length);
    if (typeof state.oobScore === 'number' && state.oobDecisionFunction instanceof Float64Array) {
      const k = this.classes_.length;
      const data = state.oobDecisionFunction;
      this.oobScore_ = state.oobScore;
      this.oobDecisionFunction_ = matrix(data, data.length / k, k, this.probaColumns());
    }
  }
}

/** Base of forest regressors (random forest, extra trees). */
export abstract class BaseForestRegressor<P extends ForestParamValues> extends BaseRegressor<P> {
  /** Which split search the trees use. */
  protected abstract readonly splitter: TreeSplitter;
  /** The fitted trees, as flat arrays. */
  estimators_: FlatTree[] | undefined = undefined;
  private readonly importances = new LazyImportances();
  /** Out-of-bag R² (with `oobScore`). */
  oobScore_: number | undefined = undefined;
  /** Out-of-bag prediction per training row (with `oobScore`). */
  oobPrediction_: Float64Array | undefined = undefined;
  private packed: PackedForest | undefined = undefined;

  /** Grows the forest on (X, y), with optional per-row `sampleWeight`. */
  fit(X: MatrixInput, y: TargetInput, options: FitOptions = {}): this {
    const m = forestInput(this.startFit(X), this.typeName);
    const yv = asNumericTarget(y, m.rows, this.typeName);
    const sw = checkSampleWeight(options.sampleWeight, m.rows, this.typeName) ?? null;
    const results = growForest(
      this.typeName,
      this.params,
      this.splitter,
      { m, yCode: null, yValue: yv, nClasses: 1, baseWeight: sw },
      false,
    );
    this.setTrees(
      results.map((r) => r.tree),
      m.cols,
    );
    this.oobScore_ = undefined;
    this.oobPrediction_ = undefined;
    if (this.params.oobScore) {
      const { sum, count } = collectOob(results, m.rows, 1);
      for (let i = 0; i < m.rows; i++) sum[i] /= count[i];
      this.oobPrediction_ = sum;
      this.oobScore_ = r2Of(sum, yv);
    }
    return this.finishFit(m);
  }

  private setTrees(trees: FlatTree[], d: number): void {
    this.estimators_ = trees;
    this.packed = packForest(trees, false);
    this.importances.reset(trees, d);
  }

  /**
   * Mean impurity-based feature importances (sum to 1), computed on first read after a fit (as
   * scikit-learn's property is).
   */
  get featureImportances_(): Float64Array | undefined {
    return this.importances.value();
  }

  /** Mean of the trees' predictions. */
  predict(X: MatrixInput): Float64Array {
    const m = forestInput(this.checkInput(X, 'predict'), this.typeName);
    return predictForest(this.packed!, m.data, m.rows, m.cols, executorFor(this.params.nThreads));
  }

  protected getState(): PlainObject {
    const state: PlainObject = { trees: this.estimators_!.map(treeToPlain) };
    if (this.oobScore_ !== undefined) {
      state.oobScore = this.oobScore_;
      state.oobPrediction = this.oobPrediction_! as PlainValue;
    }
    return state;
  }

  protected setState(state: PlainObject): void {
    const names = state.featureNamesIn as string[];
    this.setTrees(treesFromState(state, names.length, this.typeName), names.length);
    if (typeof state.oobScore === 'number' && state.oobPrediction instanceof Float64Array) {
      this.oobScore_ = state.oobScore;
      this.oobPrediction_ = state.oobPrediction;
    }
  }
}
