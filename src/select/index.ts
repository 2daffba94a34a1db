/**
 * Model selection and hyperparameter search: splitters, cross-validation, learning and validation
 * curves, search spaces, samplers (grid, random, TPE), pruners (median, successive halving), the
 * study (ask/tell), `searchCV` and nested cross-validation, and fANOVA parameter importance.
 * See docs/model-selection.md and docs/tuning.md.
 *
 * @module
 */
export * from './cross-validate.ts';
export * from './curves.ts';
export { type CvData, type CvX, DEFAULT_ESTIMATOR_MODULES, meanStd } from './cv-core.ts';
export * from './default-spaces.ts';
export {
  FanovaTree,
  type FanovaTreeArrays,
  type ImportanceOptions,
  parameterImportance,
} from './importance.ts';
export {
  defaultGamma,
  defaultWeights,
  hyperoptGamma,
  ParzenEstimator,
  type ParzenParameters,
} from './parzen.ts';
export * from './pruners.ts';
export * from './samplers.ts';
export * from './scoring.ts';
export * from './search.ts';
export * from './space.ts';
export * from './splitters.ts';
export * from './study.ts';
export * from './train-test-split.ts';
export * from './trial.ts';
