/**
 * Metrics: pure functions `(yTrue, yPred, options) → number or table`, with scikit-learn's
 * names (camelCase), defaults, edge cases and warnings. See docs/metrics.md.
 *
 * @module
 */
export {
  type CohenKappaOptions,
  cohenKappaScore,
  type MatthewsOptions,
  matthewsCorrcoef,
} from './agreement.ts';
export { type CalibrationCurve, type CalibrationCurveOptions, calibrationCurve } from './calibration.ts';
export {
  type AccuracyOptions,
  type AveragedScores,
  accuracyScore,
  type BalancedAccuracyOptions,
  balancedAccuracyScore,
  type ClassAverage,
  type FbetaOptions,
  f1Score,
  fbetaScore,
  type PerClassScores,
  type PrecisionRecallOptions,
  precisionRecallFscoreSupport,
  precisionScore,
  recallScore,
} from './classification.ts';
export {
  type AverageMethod,
  adjustedMutualInfoScore,
  adjustedRandScore,
  completenessScore,
  fowlkesMallowsScore,
  homogeneityScore,
  type MutualInfoOptions,
  mutualInfoScore,
  normalizedMutualInfoScore,
  randScore,
  type VMeasureOptions,
  vMeasureScore,
} from './cluster-comparison.ts';
export {
  calinskiHarabaszScore,
  daviesBouldinScore,
  type SilhouetteOptions,
  type SilhouetteScoreOptions,
  silhouetteSamples,
  silhouetteScore,
} from './clustering.ts';
export { type ConfusionMatrix, type ConfusionMatrixOptions, confusionMatrix } from './confusion.ts';
export { type BrierOptions, brierScoreLoss, type LogLossOptions, logLoss } from './probabilistic.ts';
export {
  type AveragePrecisionOptions,
  averagePrecisionScore,
  type PrecisionRecallCurve,
  type PrecisionRecallCurveOptions,
  precisionRecallCurve,
} from './ranking.ts';
export {
  explainedVarianceScore,
  type Multioutput,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  medianAbsoluteError,
  type R2Options,
  type RegressionInput,
  type RegressionOptions,
  r2Score,
  rootMeanSquaredError,
} from './regression.ts';
export {
  type ClassificationReport,
  type ClassificationReportOptions,
  type ClassificationReportRow,
  classificationReport,
} from './report.ts';
export { type RocAucOptions, type RocCurve, type RocCurveOptions, rocAucScore, rocCurve } from './roc.ts';
export type { LabelsInput, ScoreMatrixInput, ScoresInput, ZeroDivision } from './validate.ts';
