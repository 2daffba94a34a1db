/**
 * `ExtraTreesClassifier` and `ExtraTreesRegressor`: extremely randomised trees — one random
 * threshold per candidate feature, the best of those kept — on all rows by default (no bootstrap),
 * grown in parallel (scikit-learn 1.2 defaults).
 *
 * @module
 */

import { registerEstimator } from '../../../core/estimator.ts';
import { type ParamsOf, p } from '../../../core/params.ts';
import type { TreeSplitter } from '../../tree/grower.ts';
import { growthParams, maxFeaturesParam } from '../../tree/tree-params.ts';
import { BaseForestClassifier, BaseForestRegressor, forestParams } from './forest.ts';
import { forestClassWeightParam } from './random-forest.ts';

const classifierSchema = {
  nEstimators: forestParams.nEstimators,
  criterion: p.oneOf(['gini', 'entropy', 'log_loss'] as const, {
    default: 'gini',
    doc: 'split quality: gini impurity, or entropy (log_loss is the same)',
  }),
  ...growthParams,
  maxFeatures: maxFeaturesParam('sqrt'),
  bootstrap: p.bool({ default: false, doc: 'draw rows with replacement for each tree (default: every row)' }),
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

/** Parameters of {@link ExtraTreesClassifier}. */
export type ExtraTreesClassifierParams = ParamsOf<typeof classifierSchema>;
/** Parameters of {@link ExtraTreesRegressor}. */
export type ExtraTreesRegressorParams = ParamsOf<typeof regressorSchema>;

/**
 * An extra-trees classifier (scikit-learn's `ExtraTreesClassifier`): each split draws one
 * uniform random threshold per candidate feature and keeps the best; trees see every row unless
 * `bootstrap` is set. Faster to grow than a random forest (no sorting), often as accurate.
 */
export class ExtraTreesClassifier extends BaseForestClassifier<ExtraTreesClassifierParams> {
  static readonly typeName = 'ExtraTreesClassifier';
  static readonly schema = classifierSchema;
  protected readonly splitter: TreeSplitter = 'random';

  constructor(params: Partial<ExtraTreesClassifierParams> = {}) {
    super(params);
  }
}

/** An extra-trees regressor (scikit-learn's `ExtraTreesRegressor`); every feature per split by default. */
export class ExtraTreesRegressor extends BaseForestRegressor<ExtraTreesRegressorParams> {
  static readonly typeName = 'ExtraTreesRegressor';
  static readonly schema = regressorSchema;
  protected readonly splitter: TreeSplitter = 'random';

  constructor(params: Partial<ExtraTreesRegressorParams> = {}) {
    super(params);
  }
}

registerEstimator(ExtraTreesClassifier);
registerEstimator(ExtraTreesRegressor);
