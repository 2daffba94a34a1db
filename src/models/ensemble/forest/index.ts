/** Forests of decision trees: random forests and extra trees, grown in parallel. */
export * from './extra-trees.ts';
export {
  BaseForestClassifier,
  BaseForestRegressor,
  bootstrapSize,
  type ForestParamValues,
} from './forest.ts';
export * from './random-forest.ts';
