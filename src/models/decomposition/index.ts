/** Matrix decompositions: principal component analysis. */
export { PCA, type PCAParams } from './pca.ts';
