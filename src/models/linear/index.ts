/** models/linear: least squares, ridge, lasso/elastic net and logistic regression. */
export { ElasticNet, type ElasticNetParams, Lasso, type LassoParams } from './elastic-net.ts';
export type { LinearFitOptions } from './linear-model.ts';
export { LinearRegression, type LinearRegressionParams } from './linear-regression.ts';
export {
  type LogisticFitOptions,
  LogisticRegression,
  type LogisticRegressionParams,
} from './logistic-regression.ts';
export { Ridge, type RidgeParams } from './ridge.ts';
