/**
 * Lathe's public API. Every folder's public names are re-exported from here.
 *
 * @module
 */
export * from './core/index.ts';
export * from './data/index.ts';
