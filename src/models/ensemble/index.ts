/** Ensembles: random forests and extra trees, histogram gradient boosting. */
export * from './forest/index.ts';
export * from './hist-gradient-boosting/index.ts';
