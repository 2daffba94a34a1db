/**
 * `RandomForestClassifier` and `RandomForestRegressor`: bootstrap-aggregated CART trees with a
 * random subset of features per split (scikit-learn 1.2 defaults), grown in parallel.
 *
 * @module
 */

import { registerEstimator } from '../../../core/estimator.ts';
import { type ParamsOf, p } from '../../../core/params.ts';
import type { TreeSplitter } from '../../tree/grower.ts';
import { growthParams, maxFeaturesParam } from '../../tree/tree-params.ts';
import { BaseForestClassifier, BaseForestRegressor, forestParams } from './forest.ts';

/** Class weights for forests: those of a tree, plus 'balanced_subsample' (per bootstrap draw). */
export const forestClassWeightParam = p.nullable(
  p.union([p.oneOf(['balanced', 'balanced_subsample'] as const), p.record(p.float({ min: 0 }))]),
  {
    default: null,
    doc: "null, 'balanced', 'balanced_subsample' (balanced on each tree's bootstrap draw), or a weight per class label",
  },
);

const classifierSchema = {
  nEstimators: forestParams.nEstimators,
  criterion: p.oneOf(['gini', 'entropy', 'log_loss'] as const, {
    default: 'gini',
    doc: 'split quality: gini impurity, or entropy (log_loss is the same)',
  }),
  ...growthParams,
  maxFeatures: maxFeaturesParam('sqrt'),
  bootstrap: p.bool({ default: true, doc: 'draw rows with replacement for each tree' }),
  maxSamples: forestParams.maxSamples,
  oobScore: forestParams.oobScore,
  classWeight: forestClassWeightParam,
  nThreads: forestParams.nThreads,
  seed: forestParams.seed,
};

const regressorSchema = {
  nEstimators: forestParams.nEstimators,
  criterion: p.oneOf(['squared_error'] as const, { default: 'squared_error', doc: 'split quality' }),
  ...growthParams,
  maxFeatures: maxFeaturesParam(null),
  bootstrap: classifierSchema.bootstrap,
  maxSamples: forestParams.maxSamples,
  oobScore: forestParams.oobScore,
  nThreads: forestParams.nThreads,
  seed: forestParams.seed,
};

/** Parameters of {@link RandomForestClassifier}. */
export type RandomForestClassifierParams = ParamsOf<typeof classifierSchema>;
/** Parameters of {@link RandomForestRegressor}. */
export type RandomForestRegressorParams = ParamsOf<typeof regressorSchema>;

/**
 * A random forest classifier (scikit-learn's `RandomForestClassifier`): `nEstimators` CART trees,
 * each on a bootstrap draw with `maxFeatures` ('sqrt' by default) candidate features per split;
 * `predictProba` averages the trees' class probabilities. Trees grow on `nThreads` worker
 * threads; tree t draws from `rng.derive(t)`, so the forest is identical for any thread count.
 *
 * ```ts
 * const rf = new RandomForestClassifier({ nEstimators: 200, oobScore: true }).fit(X, y);
 * rf.oobScore_; rf.featureImportances_; rf.predict(Xtest);
 * ```
 */
export class RandomForestClassifier extends BaseForestClassifier<RandomForestClassifierParams> {
  static readonly typeName = 'RandomForestClassifier';
  static readonly schema = classifierSchema;
  protected readonly splitter: TreeSplitter = 'best';

  constructor(params: Partial<RandomForestClassifierParams> = {}) {
    super(params);
  }
}

/**
 * A random forest regressor (scikit-learn's `RandomForestRegressor`): bootstrap-aggregated
 * squared-error trees considering every feature per split by default (scikit-learn's
 * `max_features=1.0`, written `null` here); `predict` averages the trees.
 */
export class RandomForestRegressor extends BaseForestRegressor<RandomForestRegressorParams> {
  static readonly typeName = 'RandomForestRegressor';
  static readonly schema = regressorSchema;
  protected readonly splitter: TreeSplitter = 'best';

  constructor(params: Partial<RandomForestRegressorParams> = {}) {
    super(params);
  }
}

registerEstimator(RandomForestClassifier);
registerEstimator(RandomForestRegressor);
