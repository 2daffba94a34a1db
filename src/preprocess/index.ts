/**
 * Preprocessing: imputers, scalers, encoders, date parts, `ColumnTransformer`, `Pipeline`, and the
 * automatic per-column-type preprocessing used by `lathe train`. See docs/preprocess.md.
 *
 * @module
 */
export {
  type AutoPreprocessOptions,
  autoPreprocessor,
  formatNotes,
  nativeCategoricalColumns,
  type PreprocessFor,
  preprocessKindForFamily,
} from './auto-preprocessor.ts';
export { BaseTransformer, NumericTransformer, TableTransformer } from './base.ts';
export { type Category, categoryLabel } from './categories.ts';
export {
  type ColumnNote,
  type ColumnRoute,
  type ColumnSelector,
  ColumnTransformer,
  type ColumnTransformerParams,
  type FittedRoute,
  type RouteDescription,
  type RouteTransformer,
} from './column-transformer.ts';
export {
  DATE_PARTS,
  type DatePart,
  DatePartExtractor,
  type DatePartExtractorParams,
  datePart,
} from './date-part-extractor.ts';
export { type ColumnReport, compareColumns, type DataInput } from './input.ts';
export { MinMaxScaler, type MinMaxScalerParams } from './min-max-scaler.ts';
export { OneHotEncoder, type OneHotEncoderParams } from './one-hot-encoder.ts';
export { OrdinalEncoder, type OrdinalEncoderParams } from './ordinal-encoder.ts';
export {
  makePipeline,
  Pipeline,
  type PipelineParams,
  type PipelinePrediction,
  type PipelineStep,
} from './pipeline.ts';
export { RobustScaler, type RobustScalerParams } from './robust-scaler.ts';
export { SimpleImputer, type SimpleImputerParams } from './simple-imputer.ts';
export { StandardScaler, type StandardScalerParams } from './standard-scaler.ts';
export {
  inferTargetKind,
  TargetEncoder,
  type TargetEncoderParams,
  type TargetKind,
} from './target-encoder.ts';
