/** Histogram gradient boosting (CLI family `gbdt`): the estimators and their building blocks. */
export {
  type BinMapper,
  type FeatureBins,
  findBinningThresholds,
  fitBinMapper,
  transformBins,
} from './binning.ts';
export { type HGBClassifierFitOptions, HistGradientBoostingClassifier } from './classifier.ts';
export { shouldStop as hgbShouldStop } from './early-stopping.ts';
export type { HGBClassifierParams, HGBRegressorParams } from './params.ts';
export type { TreeEnsemble } from './predictor.ts';
export { type HGBRegressorFitOptions, HistGradientBoostingRegressor } from './regressor.ts';
