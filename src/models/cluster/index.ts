/** Clustering: k-means and DBSCAN. */
export * from './dbscan.ts';
export * from './kmeans.ts';
