/** Clustering: k-means and DBSCAN. */
export * from './dbscan.ts';
export { KMeans, type KMeansFitOptions, type KMeansParams } from './kmeans.ts';
