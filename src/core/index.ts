/** Core: errors, RNG, parameter schemas, the estimator contract, matrices, labels, worker pool, progress. */
export * from './errors.ts';
export * from './estimator.ts';
export * from './labels.ts';
export * from './matrix.ts';
export * from './params.ts';
export * from './plain.ts';
export * from './pool.ts';
export * from './progress.ts';
export * from './rng.ts';
export * from './warnings.ts';
