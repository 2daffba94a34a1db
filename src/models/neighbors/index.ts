/** models/neighbors: k-nearest-neighbour classification and regression (brute force and KD-tree). */
export { KNeighborsClassifier } from './k-neighbors-classifier.ts';
export { KNeighborsRegressor } from './k-neighbors-regressor.ts';
export type { NeighborsParams } from './params.ts';
export type { KNeighborsResult, NeighborAlgorithm } from './search.ts';
