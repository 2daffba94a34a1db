/**
 * `DecisionTreeClassifier` and `DecisionTreeRegressor`: CART trees as scikit-learn 1.2 grows
 * them (see `grower.ts` for the conventions kept), predicting from the flat-array tree.
 *
 * @module
 */

import { NotFittedError, ValidationError } from '../../core/errors.ts';
import { type FitOptions, registerEstimator } from '../../core/estimator.ts';
import { asNumericTarget, type Label, type TargetInput } from '../../core/labels.ts';
import { assertFinite, type Matrix, type MatrixInput, matrix } from '../../core/matrix.ts';
import { type ParamsOf, p } from '../../core/params.ts';
import type { PlainObject } from '../../core/plain.ts';
import { Rng } from '../../core/rng.ts';
import { BaseClassifier, BaseRegressor, checkSampleWeight, classWeightVector } from '../base.ts';
import {
  applyTree,
  type FlatTree,
  leafCount,
  normalizedValues,
  treeFeatureImportances,
  treeFromPlain,
  treeToPlain,
} from './flat-tree.ts';
import { type GrowOptions, growTree, kernelArenaFor } from './grower.ts';
import { growLayout, prepareGrowData } from './presort.ts';
import { classWeightParam, growthParams, maxFeaturesParam, resolveGrowOptions } from './tree-params.ts';

const classifierSchema = {
  criterion: p.oneOf(['gini', 'entropy', 'log_loss'] as const, {
    default: 'gini',
    doc: 'split quality: gini impurity, or entropy (log_loss is the same)',
  }),
  splitter: p.oneOf(['best', 'random'] as const, {
    default: 'best',
    doc: 'best: the best threshold of each candidate feature; random: one random threshold per feature',
  }),
  ...growthParams,
  maxFeatures: maxFeaturesParam(null),
  classWeight: classWeightParam,
  seed: p.int({ min: 0, default: 0, doc: 'random seed (feature order, random thresholds)' }),
};

const regressorSchema = {
  criterion: p.oneOf(['squared_error'] as const, {
    default: 'squared_error',
    doc: 'split quality: squared error (variance reduction)',
  }),
  splitter: classifierSchema.splitter,
  ...growthParams,
  maxFeatures: maxFeaturesParam(null),
  seed: classifierSchema.seed,
};

/** Parameters of {@link DecisionTreeClassifier}. */
export type DecisionTreeClassifierParams = ParamsOf<typeof classifierSchema>;
/** Parameters of {@link DecisionTreeRegressor}. */
export type DecisionTreeRegressorParams = ParamsOf<typeof regressorSchema>;

/**
 * The data layout a single tree needs: where the WebAssembly grower will grow it, straight into a
 * kernel arena (it then reads the data in place, with no copy of its own).
 */
function treeLayout(opts: GrowOptions, m: Matrix, classification: boolean) {
  const arena = kernelArenaFor(opts, classification, m.rows, m.cols);
  return growLayout(opts.splitter, m.rows, m.cols, opts.maxFeatures, {
    columns: false,
    shared: false,
    arena,
  });
}

/** Checks X for a tree fit: finite values (no NaN), as a Matrix. */
function treeInput(X: Matrix, who: string): Matrix {
  assertFinite(X, who);
  return X;
}

/** Leaf-row values for each row of X (normalised class distributions, or regression values). */
function rowsFromLeaves(tree: FlatTree, leaves: Int32Array, values: Float64Array): Float64Array {
  const k = tree.valueStride;
  const out = new Float64Array(leaves.length * k);
  for (let i = 0; i < leaves.length; i++) {
    const src = leaves[i] * k;
    for (let c = 0; c < k; c++) out[i * k + c] = values[src + c];
  }
  return out;
}

/** Per node, the index of the largest of its `valueStride` values (the first on ties, `np.argmax`). */
function argmaxPerNode(tree: FlatTree): Int32Array {
  const k = tree.valueStride;
  const out = new Int32Array(tree.nodeCount);
  for (let node = 0; node < tree.nodeCount; node++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (tree.value[node * k + c] > tree.value[node * k + best]) best = c;
    out[node] = best;
  }
  return out;
}

/**
 * A CART classification tree (scikit-learn's `DecisionTreeClassifier`): gini or entropy splits,
 * thresholds at midpoints between distinct values, depth-first growth (best-first with
 * `maxLeafNodes`), sample and class weights.
 *
 * ```ts
 * const tree = new DecisionTreeClassifier({ maxDepth: 3 }).fit(X, y);
 * tree.predict(X); tree.predictProba(X); tree.featureImportances_;
 * ```
 */
export class DecisionTreeClassifier extends BaseClassifier<DecisionTreeClassifierParams> {
  static readonly typeName = 'DecisionTreeClassifier';
  static readonly schema = classifierSchema;

  /** The fitted tree as flat arrays. */
  tree_: FlatTree | undefined = undefined;
  /** Impurity-based feature importances (sum to 1 unless the tree is a single leaf). */
  featureImportances_: Float64Array | undefined = undefined;
  private proba: Float64Array | undefined = undefined;
  /** Per node: the index of its class with the largest weighted count (the first on ties). */
  private nodeClass: Int32Array | undefined = undefined;

  constructor(params: Partial<DecisionTreeClassifierParams> = {}) {
    super(params);
  }

  /** Grows the tree on (X, y), with optional per-row `sampleWeight`. */
  fit(X: MatrixInput, y: TargetInput, options: FitOptions = {}): this {
    const m = treeInput(this.startFit(X), this.typeName);
    const codes = this.encodeTarget(y, m.rows);
    const sw = checkSampleWeight(options.sampleWeight, m.rows, this.typeName);
    const cw =
      this.params.classWeight === null
        ? null
        : classWeightVector(this.params.classWeight, codes, this.classes_!, this.typeName);
    let weight: Float64Array | null = null;
    if (sw || cw) {
      weight = new Float64Array(m.rows);
      for (let i = 0; i < m.rows; i++) weight[i] = (sw ? sw[i] : 1) * (cw ? cw[codes[i]] : 1);
    }
    const opts = resolveGrowOptions(this.params, this.params.splitter, m.rows, m.cols, this.typeName);
    const target = { yCode: codes, yValue: null, nClasses: this.classes_!.length };
    const data = prepareGrowData(m, target, treeLayout(opts, m, true));
    const tree = growTree(data, weight, opts, new Rng(this.params.seed));
    this.setTree(tree, m.cols);
    return this.finishFit(m);
  }

  private setTree(tree: FlatTree, d: number): void {
    this.tree_ = tree;
    this.proba = normalizedValues(tree);
    this.nodeClass = argmaxPerNode(tree);
    this.featureImportances_ = treeFeatureImportances(tree, d);
  }

  /**
   * The class of each row's leaf: the argmax of the leaf's weighted class counts, as scikit-learn's
   * `predict` takes it from `tree_.predict` (no probability matrix is made).
   */
  protected override codesOf(checked: Matrix): Int32Array {
    const m = treeInput(checked, this.typeName);
    const codes = applyTree(this.tree_!, m.data, m.rows, m.cols);
    const nodeClass = this.nodeClass!;
    for (let i = 0; i < codes.length; i++) codes[i] = nodeClass[codes[i]];
    return codes;
  }

  /** Class probabilities: the class shares of the training rows in each row's leaf. */
  predictProba(X: MatrixInput): Matrix {
    const m = treeInput(this.checkInput(X, 'predictProba'), this.typeName);
    const leaves = applyTree(this.tree_!, m.data, m.rows, m.cols);
    return matrix(
      rowsFromLeaves(this.tree_!, leaves, this.proba!),
      m.rows,
      this.classes_!.length,
      this.probaColumns(),
    );
  }

  /** Index of the leaf each row lands in. */
  apply(X: MatrixInput): Int32Array {
    const m = treeInput(this.checkInput(X, 'apply'), this.typeName);
    return applyTree(this.tree_!, m.data, m.rows, m.cols);
  }

  /** Depth of the fitted tree. */
  getDepth(): number {
    if (!this.tree_) throw new NotFittedError(this.typeName, 'getDepth');
    return this.tree_.maxDepth;
  }

  /** Number of leaves of the fitted tree. */
  getNLeaves(): number {
    if (!this.tree_) throw new NotFittedError(this.typeName, 'getNLeaves');
    return leafCount(this.tree_);
  }

  protected getState(): PlainObject {
    return { classes: this.classes_!, tree: treeToPlain(this.tree_!) };
  }

  protected setState(state: PlainObject): void {
    const names = state.featureNamesIn as string[];
    this.classes_ = state.classes as Label[];
    const tree = treeFromPlain(state.tree as PlainObject, names.length, this.typeName);
    if (tree.valueStride !== this.classes_.length) {
      throw new ValidationError(
        `${this.typeName}: saved tree has ${tree.valueStride} classes, expected ${this.classes_.length}.`,
      );
    }
    this.setTree(tree, names.length);
  }
}

/**
 * A CART regression tree (scikit-learn's `DecisionTreeRegressor`) minimising squared error;
 * each leaf predicts the weighted mean of its training targets.
 */
export class DecisionTreeRegressor extends BaseRegressor<DecisionTreeRegressorParams> {
  static readonly typeName = 'DecisionTreeRegressor';
  static readonly schema = regressorSchema;

  /** The fitted tree as flat arrays. */
  tree_: FlatTree | undefined = undefined;
  /** Impurity-based feature importances (sum to 1 unless the tree is a single leaf). */
  featureImportances_: Float64Array | undefined = undefined;

  constructor(params: Partial<DecisionTreeRegressorParams> = {}) {
    super(params);
  }

  /** Grows the tree on (X, y), with optional per-row `sampleWeight`. */
  fit(X: MatrixInput, y: TargetInput, options: FitOptions = {}): this {
    const m = treeInput(this.startFit(X), this.typeName);
    const yv = asNumericTarget(y, m.rows, this.typeName);
    const sw = checkSampleWeight(options.sampleWeight, m.rows, this.typeName) ?? null;
    const opts = resolveGrowOptions(this.params, this.params.splitter, m.rows, m.cols, this.typeName);
    const target = { yCode: null, yValue: yv, nClasses: 1 };
    const data = prepareGrowData(m, target, treeLayout(opts, m, false));
    this.tree_ = growTree(data, sw, opts, new Rng(this.params.seed));
    this.featureImportances_ = treeFeatureImportances(this.tree_, m.cols);
    return this.finishFit(m);
  }

  /** The mean training target of each row's leaf. */
  predict(X: MatrixInput): Float64Array {
    const m = treeInput(this.checkInput(X, 'predict'), this.typeName);
    const leaves = applyTree(this.tree_!, m.data, m.rows, m.cols);
    const out = new Float64Array(m.rows);
    const v = this.tree_!.value;
    for (let i = 0; i < m.rows; i++) out[i] = v[leaves[i]];
    return out;
  }

  /** Index of the leaf each row lands in. */
  apply(X: MatrixInput): Int32Array {
    const m = treeInput(this.checkInput(X, 'apply'), this.typeName);
    return applyTree(this.tree_!, m.data, m.rows, m.cols);
  }

  /** Depth of the fitted tree. */
  getDepth(): number {
    if (!this.tree_) throw new NotFittedError(this.typeName, 'getDepth');
    return this.tree_.maxDepth;
  }

  /** Number of leaves of the fitted tree. */
  getNLeaves(): number {
    if (!this.tree_) throw new NotFittedError(this.typeName, 'getNLeaves');
    return leafCount(this.tree_);
  }

  protected getState(): PlainObject {
    return { tree: treeToPlain(this.tree_!) };
  }

  protected setState(state: PlainObject): void {
    const names = state.featureNamesIn as string[];
    this.tree_ = treeFromPlain(state.tree as PlainObject, names.length, this.typeName);
    this.featureImportances_ = treeFeatureImportances(this.tree_, names.length);
  }
}

registerEstimator(DecisionTreeClassifier);
registerEstimator(DecisionTreeRegressor);
