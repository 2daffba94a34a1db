/** Decision trees (CART): the estimators, the flat prediction-time tree, and the grower forests reuse. */
export * from './decision-tree.ts';
export {
  applyTree,
  type FlatTree,
  leafCount,
  normalizedValues,
  TREE_LEAF,
  TREE_UNDEFINED,
  treeFeatureImportances,
  treeFromPlain,
  treeToPlain,
} from './flat-tree.ts';
export {
  type GrowData,
  type GrowOptions,
  growTree,
  type TreeCriterion,
  type TreeSplitter,
} from './grower.ts';
export {
  type ColumnRanks,
  columnMajor,
  type GrowLayout,
  type GrowTarget,
  growLayout,
  prepareGrowData,
  rankColumns,
} from './presort.ts';
export { pruneTree } from './prune.ts';
export {
  classWeightParam,
  type GrowthParams,
  growthParams,
  type MaxFeatures,
  maxFeaturesParam,
  resolveGrowOptions,
  resolveMaxFeatures,
} from './tree-params.ts';
