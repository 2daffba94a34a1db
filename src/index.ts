/**
 * Lathe's public API. Every folder's public names are re-exported from here.
 *
 * @module
 */
export * from './automl/index.ts';
export * from './core/index.ts';
export * from './data/index.ts';
export * from './export/index.ts';
export * from './metrics/index.ts';
export * from './models/index.ts';
export * from './plots/index.ts';
export * from './preprocess/index.ts';
export * from './quality/index.ts';
export * from './select/index.ts';
export * from './serve/index.ts';
export * from './stats/index.ts';
export * from './track/index.ts';
