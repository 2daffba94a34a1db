/** Matrix decompositions: principal component analysis. */
export * from './pca.ts';
