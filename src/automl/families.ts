/**
 * Model families: the names the CLI and `run()` use (`logistic`, `gbdt`, …) mapped to the
 * estimator classes for each task, and the preprocessing each needs. One table, so that `train`,
 * `tune`, `run` and the docs agree.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import type { Estimator } from '../core/estimator.ts';
import { closest } from '../core/params.ts';
import { GaussianNB, MultinomialNB } from '../models/bayes/index.ts';
import { DBSCAN, KMeans } from '../models/cluster/index.ts';
import { PCA } from '../models/decomposition/index.ts';
import {
  ExtraTreesClassifier,
  ExtraTreesRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from '../models/ensemble/forest/index.ts';
import {
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
} from '../models/ensemble/hist-gradient-boosting/index.ts';
import { ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge } from '../models/linear/index.ts';
import { KNeighborsClassifier, KNeighborsRegressor } from '../models/neighbors/index.ts';
import { DecisionTreeClassifier, DecisionTreeRegressor } from '../models/tree/index.ts';
import { type PreprocessFor, preprocessKindForFamily } from '../preprocess/auto-preprocessor.ts';

/** What a model is asked to do. */
export type LearningTask = 'binary' | 'multiclass' | 'regression' | 'clustering';

/** The values of the commands' `--task` flag: a task, or `auto` (detected from the target). */
export const TASK_CHOICES = ['auto', 'binary', 'multiclass', 'regression', 'clustering'] as const;

/** A model family name of the CLI. */
export type FamilyName =
  | 'linear'
  | 'ridge'
  | 'lasso'
  | 'elasticnet'
  | 'logistic'
  | 'tree'
  | 'random-forest'
  | 'extra-trees'
  | 'gbdt'
  | 'knn'
  | 'gaussian-nb'
  | 'multinomial-nb'
  | 'kmeans'
  | 'dbscan'
  | 'pca';

type Ctor = new (params?: Record<string, unknown>) => Estimator;

/** One family: its estimator per task kind and its preprocessing. */
export interface Family {
  name: FamilyName;
  /** One line for `--help` and the docs. */
  description: string;
  classifier?: Ctor;
  regressor?: Ctor;
  /** Unsupervised estimator (clusterer or transformer). */
  unsupervised?: Ctor;
  /** The automatic preprocessing kind (scaling, categorical encoding). */
  preprocess: PreprocessFor;
  /** Whether the estimator takes missing values itself (no imputation needed). */
  handlesMissing: boolean;
}

const c = (x: unknown) => x as Ctor;

/** Every family, in the order the CLI lists them. */
export const FAMILIES: readonly Family[] = [
  { name: 'linear', description: 'ordinary least squares', regressor: c(LinearRegression) },
  { name: 'ridge', description: 'least squares with an L2 penalty', regressor: c(Ridge) },
  { name: 'lasso', description: 'least squares with an L1 penalty', regressor: c(Lasso) },
  { name: 'elasticnet', description: 'least squares with L1 + L2 penalties', regressor: c(ElasticNet) },
  {
    name: 'logistic',
    description: 'logistic regression (binary, multinomial)',
    classifier: c(LogisticRegression),
  },
  {
    name: 'tree',
    description: 'a CART decision tree',
    classifier: c(DecisionTreeClassifier),
    regressor: c(DecisionTreeRegressor),
  },
  {
    name: 'random-forest',
    description: 'a random forest',
    classifier: c(RandomForestClassifier),
    regressor: c(RandomForestRegressor),
  },
  {
    name: 'extra-trees',
    description: 'extremely randomised trees',
    classifier: c(ExtraTreesClassifier),
    regressor: c(ExtraTreesRegressor),
  },
  {
    name: 'gbdt',
    description: 'histogram gradient boosting (handles missing values and categoricals natively)',
    classifier: c(HistGradientBoostingClassifier),
    regressor: c(HistGradientBoostingRegressor),
  },
  {
    name: 'knn',
    description: 'k nearest neighbours',
    classifier: c(KNeighborsClassifier),
    regressor: c(KNeighborsRegressor),
  },
  { name: 'gaussian-nb', description: 'Gaussian naive Bayes', classifier: c(GaussianNB) },
  { name: 'multinomial-nb', description: 'multinomial naive Bayes (counts)', classifier: c(MultinomialNB) },
  { name: 'kmeans', description: 'k-means clustering', unsupervised: c(KMeans) },
  { name: 'dbscan', description: 'density-based clustering', unsupervised: c(DBSCAN) },
  { name: 'pca', description: 'principal component analysis', unsupervised: c(PCA) },
].map((f) => ({
  ...f,
  name: f.name as FamilyName,
  preprocess: preprocessKindForFamily(f.name),
  handlesMissing: f.name === 'gbdt',
}));

/** Family names. */
export const FAMILY_NAMES: readonly FamilyName[] = FAMILIES.map((f) => f.name);

/** The family called `name`; unknown names throw with a did-you-mean. */
export function family(name: string): Family {
  const f = FAMILIES.find((x) => x.name === name);
  if (!f) {
    const near = closest(name, FAMILY_NAMES);
    throw new ValidationError(`Unknown model family '${name}'.`, {
      field: 'model',
      fix: `${near ? `did you mean '${near}'? ` : ''}use one of ${FAMILY_NAMES.join(', ')}`,
    });
  }
  return f;
}

/** A new estimator of `familyName` for `task`, with `params` (camelCase, validated at fit). */
export function makeEstimator(
  familyName: string,
  task: LearningTask,
  params: Record<string, unknown> = {},
): Estimator {
  const f = family(familyName);
  const Cls = task === 'regression' ? f.regressor : task === 'clustering' ? f.unsupervised : f.classifier;
  if (!Cls) {
    const alternatives = FAMILIES.filter((x) =>
      task === 'regression' ? x.regressor : task === 'clustering' ? x.unsupervised : x.classifier,
    ).map((x) => x.name);
    throw new ValidationError(
      `Model family '${f.name}' does not do ${task === 'clustering' ? 'clustering' : task} ${task === 'clustering' ? '' : 'tasks'}.`.replace(
        /\s+\./,
        '.',
      ),
      {
        field: 'model',
        fix: `for ${task} use one of ${alternatives.join(', ')}`,
      },
    );
  }
  return new Cls(params);
}
