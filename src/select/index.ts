/**
 * Model selection and hyperparameter search: splitters, cross-validation, learning and validation
 * curves, search spaces, samplers (grid, random, TPE), pruners (median, successive halving) and
 * the search itself. See docs/model-selection.md and docs/tuning.md.
 *
 * @module
 */
export * from './cross-validate.ts';
export * from './curves.ts';
export { type CvData, type CvX, DEFAULT_ESTIMATOR_MODULES, meanStd } from './cv-core.ts';
export * from './scoring.ts';
export * from './splitters.ts';
export * from './train-test-split.ts';
