/**
 * Default search spaces per model family (the CLI's FAMILY names), over the estimators' own
 * parameter names — ranges that cover what usually works, log-scaled where the effect is
 * multiplicative. `lathe tune` uses them unless given a space; pipelines prefix them with the
 * model step's name (`model__learningRate`).
 *
 * | family | parameters |
 * |---|---|
 * | gbdt | learningRate log [0.01, 0.3], maxLeafNodes log [8, 128], minSamplesLeaf log [5, 100], l2Regularization log [1e-6, 10], maxIter log [50, 500] |
 * | random-forest, extra-trees | nEstimators log [50, 400], maxDepth log [3, 32], minSamplesLeaf log [1, 50], maxFeatures {sqrt, log2, 0.5, all} (+ criterion for classifiers) |
 * | tree | maxDepth log [2, 32], minSamplesLeaf log [1, 100], minSamplesSplit log [2, 64] (+ criterion) |
 * | logistic | C log [1e-4, 1e4], penalty {l2, l1, elasticnet}, l1Ratio [0.05, 0.95] when elasticnet |
 * | ridge | alpha log [1e-4, 1e4] |
 * | lasso | alpha log [1e-5, 10] |
 * | elasticnet | alpha log [1e-5, 10], l1Ratio [0.05, 1] |
 * | linear | fitIntercept {true, false} |
 * | knn | nNeighbors log [1, 50], weights {uniform, distance}, p {1, 2} |
 * | gaussian-nb | varSmoothing log [1e-12, 1e-3] |
 * | multinomial-nb | alpha log [1e-3, 10], fitPrior {true, false} |
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { closest } from '../core/params.ts';
import { categoricalDistribution, floatDistribution, intDistribution, type SearchSpace } from './space.ts';

/** The kind of target a space is for. */
export type SpaceTask = 'classification' | 'regression';

const forest = (task: SpaceTask): SearchSpace => ({
  nEstimators: intDistribution(50, 400, { log: true }),
  maxDepth: intDistribution(3, 32, { log: true }),
  minSamplesLeaf: intDistribution(1, 50, { log: true }),
  maxFeatures: categoricalDistribution(['sqrt', 'log2', 0.5, null]),
  ...(task === 'classification' ? { criterion: categoricalDistribution(['gini', 'entropy']) } : {}),
});

const SPACES: Record<string, (task: SpaceTask) => SearchSpace> = {
  gbdt: () => ({
    learningRate: floatDistribution(0.01, 0.3, { log: true }),
    maxLeafNodes: intDistribution(8, 128, { log: true }),
    minSamplesLeaf: intDistribution(5, 100, { log: true }),
    l2Regularization: floatDistribution(1e-6, 10, { log: true }),
    maxIter: intDistribution(50, 500, { log: true }),
  }),
  'random-forest': forest,
  'extra-trees': forest,
  tree: (task) => ({
    maxDepth: intDistribution(2, 32, { log: true }),
    minSamplesLeaf: intDistribution(1, 100, { log: true }),
    minSamplesSplit: intDistribution(2, 64, { log: true }),
    ...(task === 'classification' ? { criterion: categoricalDistribution(['gini', 'entropy']) } : {}),
  }),
  logistic: () => ({
    C: floatDistribution(1e-4, 1e4, { log: true }),
    penalty: categoricalDistribution(['l2', 'l1', 'elasticnet']),
    l1Ratio: floatDistribution(0.05, 0.95, { when: { penalty: ['elasticnet'] } }),
  }),
  ridge: () => ({ alpha: floatDistribution(1e-4, 1e4, { log: true }) }),
  lasso: () => ({ alpha: floatDistribution(1e-5, 10, { log: true }) }),
  elasticnet: () => ({
    alpha: floatDistribution(1e-5, 10, { log: true }),
    l1Ratio: floatDistribution(0.05, 1),
  }),
  linear: () => ({ fitIntercept: categoricalDistribution([true, false]) }),
  knn: () => ({
    nNeighbors: intDistribution(1, 50, { log: true }),
    weights: categoricalDistribution(['uniform', 'distance']),
    p: categoricalDistribution([1, 2]),
  }),
  'gaussian-nb': () => ({ varSmoothing: floatDistribution(1e-12, 1e-3, { log: true }) }),
  'multinomial-nb': () => ({
    alpha: floatDistribution(1e-3, 10, { log: true }),
    fitPrior: categoricalDistribution([true, false]),
  }),
};

/** Families that have a default space. */
export const TUNABLE_FAMILIES: readonly string[] = Object.keys(SPACES);

/**
 * The default search space of a model family for a task. Unsupervised families (kmeans, dbscan,
 * pca) have none: cross-validated tuning needs a target.
 */
export function defaultSpace(family: string, task: SpaceTask): SearchSpace {
  const f = Object.hasOwn(SPACES, family) ? SPACES[family] : undefined;
  if (!f) {
    const near = closest(family, TUNABLE_FAMILIES);
    throw new ValidationError(`Model family '${family}' has no default search space.`, {
      field: 'model',
      fix: `${near ? `did you mean '${near}'? ` : ''}tunable families: ${TUNABLE_FAMILIES.join(', ')} (unsupervised families cannot be tuned by cross-validation)`,
    });
  }
  return f(task);
}

/** The space with every name prefixed (`model__`), conditions included, for a pipeline step. */
export function prefixSpace(space: SearchSpace, prefix: string): SearchSpace {
  const out: Record<string, SearchSpace[string]> = {};
  for (const [k, d] of Object.entries(space)) {
    const when = d.when
      ? Object.fromEntries(Object.entries(d.when).map(([p, v]) => [`${prefix}${p}`, v]))
      : undefined;
    out[`${prefix}${k}`] = when ? { ...d, when } : d;
  }
  return out;
}
