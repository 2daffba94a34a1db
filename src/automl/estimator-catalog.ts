/**
 * Where each estimator class of Lathe is defined, so that loading a model imports only the
 * classes its package names. Importing every model and preprocessing module (~110 modules, WASM
 * kernels' loaders, @stdlib pieces) took ~0.3 s of every `lathe predict`, `evaluate`, `serve` and
 * `monitor` — more than the rest of their start together — although a package names a handful.
 *
 * A test checks that every class the model and preprocessing indexes register has its module
 * here, and that importing that module registers it.
 *
 * @module
 */

import { estimatorClass } from '../core/estimator.ts';

/** The module defining each estimator type (registered by importing it). */
const MODULES: Readonly<Record<string, () => Promise<unknown>>> = {
  GaussianNB: () => import('../models/bayes/gaussian-nb.ts'),
  MultinomialNB: () => import('../models/bayes/multinomial-nb.ts'),
  DBSCAN: () => import('../models/cluster/dbscan.ts'),
  KMeans: () => import('../models/cluster/kmeans.ts'),
  PCA: () => import('../models/decomposition/pca.ts'),
  ExtraTreesClassifier: () => import('../models/ensemble/forest/extra-trees.ts'),
  ExtraTreesRegressor: () => import('../models/ensemble/forest/extra-trees.ts'),
  RandomForestClassifier: () => import('../models/ensemble/forest/random-forest.ts'),
  RandomForestRegressor: () => import('../models/ensemble/forest/random-forest.ts'),
  HistGradientBoostingClassifier: () => import('../models/ensemble/hist-gradient-boosting/classifier.ts'),
  HistGradientBoostingRegressor: () => import('../models/ensemble/hist-gradient-boosting/regressor.ts'),
  ElasticNet: () => import('../models/linear/elastic-net.ts'),
  Lasso: () => import('../models/linear/elastic-net.ts'),
  LinearRegression: () => import('../models/linear/linear-regression.ts'),
  LogisticRegression: () => import('../models/linear/logistic-regression.ts'),
  Ridge: () => import('../models/linear/ridge.ts'),
  KNeighborsClassifier: () => import('../models/neighbors/k-neighbors-classifier.ts'),
  KNeighborsRegressor: () => import('../models/neighbors/k-neighbors-regressor.ts'),
  DecisionTreeClassifier: () => import('../models/tree/decision-tree.ts'),
  DecisionTreeRegressor: () => import('../models/tree/decision-tree.ts'),
  ColumnTransformer: () => import('../preprocess/column-transformer.ts'),
  DatePartExtractor: () => import('../preprocess/date-part-extractor.ts'),
  MinMaxScaler: () => import('../preprocess/min-max-scaler.ts'),
  OneHotEncoder: () => import('../preprocess/one-hot-encoder.ts'),
  OrdinalEncoder: () => import('../preprocess/ordinal-encoder.ts'),
  Pipeline: () => import('../preprocess/pipeline.ts'),
  RobustScaler: () => import('../preprocess/robust-scaler.ts'),
  SimpleImputer: () => import('../preprocess/simple-imputer.ts'),
  StandardScaler: () => import('../preprocess/standard-scaler.ts'),
  TargetEncoder: () => import('../preprocess/target-encoder.ts'),
};

/** The estimator types the catalog knows, in its order. */
export function catalogedEstimators(): string[] {
  return Object.keys(MODULES);
}

/** Adds to `out` the `type` of every estimator serialised anywhere in `v` (nested in params or state). */
function collectTypes(v: unknown, out: Set<string>, depth = 0): void {
  if (v === null || typeof v !== 'object' || depth > 64) return;
  if (ArrayBuffer.isView(v)) return;
  if (Array.isArray(v)) {
    for (const x of v) collectTypes(x, out, depth + 1);
    return;
  }
  const o = v as Record<string, unknown>;
  if (typeof o.type === 'string' && Object.hasOwn(MODULES, o.type) && 'params' in o) out.add(o.type);
  for (const x of Object.values(o)) collectTypes(x, out, depth + 1);
}

/**
 * Imports the modules of the estimator classes serialised in `json` (an estimator's JSON, or
 * several in an array) that are not registered yet, so that `estimatorFromJSON` can rebuild them.
 * Types it does not know are left for `estimatorFromJSON` to refuse.
 */
export async function loadEstimatorClasses(json: unknown): Promise<void> {
  const types = new Set<string>();
  collectTypes(json, types);
  await Promise.all([...types].filter((t) => !estimatorClass(t)).map((t) => MODULES[t]()));
}
