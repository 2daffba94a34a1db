/** Models: every estimator family. */
export * from './base.ts';
export * from './bayes/index.ts';
export * from './cluster/index.ts';
export * from './decomposition/index.ts';
export * from './ensemble/index.ts';
export * from './inspection/index.ts';
export * from './linear/index.ts';
export * from './neighbors/index.ts';
export * from './tree/index.ts';
