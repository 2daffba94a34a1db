/**
 * The metrics Lathe reports for a task — one table shared by `train`, `evaluate`, `tune` and
 * `run`, so every command names and computes them the same way.
 *
 * | task | metrics (keys) |
 * |---|---|
 * | binary | accuracy, balancedAccuracy, precision, recall, f1, rocAuc, averagePrecision, logLoss, brier, mcc |
 * | multiclass | accuracy, balancedAccuracy, f1Macro, f1Weighted, precisionMacro, recallMacro, rocAucOvr, logLoss, mcc |
 * | regression | mae, mse, rmse, r2, mape, medianAe, explainedVariance |
 * | clustering | silhouette, daviesBouldin, calinskiHarabasz (and nClusters, noise) |
 *
 * The positive class of a binary task is the second class in sorted order (scikit-learn's
 * `pos_label=1` for 0/1 targets; `yes` for no/yes).
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { decodeLabels, type Label } from '../core/labels.ts';
import { type Matrix, matrix } from '../core/matrix.ts';
import { captureWarnings } from '../core/warnings.ts';
import {
  accuracyScore,
  averagePrecisionScore,
  balancedAccuracyScore,
  brierScoreLoss,
  calinskiHarabaszScore,
  daviesBouldinScore,
  explainedVarianceScore,
  f1Score,
  logLoss,
  matthewsCorrcoef,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  medianAbsoluteError,
  precisionScore,
  r2Score,
  recallScore,
  rocAucScore,
  rootMeanSquaredError,
  silhouetteScore,
} from '../metrics/index.ts';
import type { Scorer } from '../select/scoring.ts';
import type { LearningTask } from './families.ts';

/** A metric: its key, a description, whether larger is better, and how to compute it. */
export interface MetricSpec {
  key: string;
  title: string;
  greaterIsBetter: boolean;
  /** Needs probabilities (skipped when the model has none). */
  needsProba?: boolean;
}

/** Predictions of a supervised model on rows whose truth is known. */
export interface SupervisedPredictions {
  yTrue: readonly Label[] | Float64Array;
  yPred: readonly Label[] | Float64Array;
  /** Class probabilities (classification), columns in `classes` order. */
  proba?: Matrix | null;
  classes?: readonly Label[];
}

const BINARY: MetricSpec[] = [
  { key: 'accuracy', title: 'accuracy', greaterIsBetter: true },
  { key: 'balancedAccuracy', title: 'balanced accuracy', greaterIsBetter: true },
  { key: 'precision', title: 'precision', greaterIsBetter: true },
  { key: 'recall', title: 'recall', greaterIsBetter: true },
  { key: 'f1', title: 'F1', greaterIsBetter: true },
  { key: 'rocAuc', title: 'ROC AUC', greaterIsBetter: true, needsProba: true },
  { key: 'averagePrecision', title: 'average precision', greaterIsBetter: true, needsProba: true },
  { key: 'logLoss', title: 'log loss', greaterIsBetter: false, needsProba: true },
  { key: 'brier', title: 'Brier score', greaterIsBetter: false, needsProba: true },
  { key: 'mcc', title: 'Matthews correlation', greaterIsBetter: true },
];

const MULTICLASS: MetricSpec[] = [
  { key: 'accuracy', title: 'accuracy', greaterIsBetter: true },
  { key: 'balancedAccuracy', title: 'balanced accuracy', greaterIsBetter: true },
  { key: 'f1Macro', title: 'F1 (macro)', greaterIsBetter: true },
  { key: 'f1Weighted', title: 'F1 (weighted)', greaterIsBetter: true },
  { key: 'precisionMacro', title: 'precision (macro)', greaterIsBetter: true },
  { key: 'recallMacro', title: 'recall (macro)', greaterIsBetter: true },
  { key: 'rocAucOvr', title: 'ROC AUC (one-vs-rest, macro)', greaterIsBetter: true, needsProba: true },
  { key: 'logLoss', title: 'log loss', greaterIsBetter: false, needsProba: true },
  { key: 'mcc', title: 'Matthews correlation', greaterIsBetter: true },
];

const REGRESSION: MetricSpec[] = [
  { key: 'mae', title: 'mean absolute error', greaterIsBetter: false },
  { key: 'mse', title: 'mean squared error', greaterIsBetter: false },
  { key: 'rmse', title: 'root mean squared error', greaterIsBetter: false },
  { key: 'r2', title: 'R²', greaterIsBetter: true },
  { key: 'mape', title: 'mean absolute percentage error', greaterIsBetter: false },
  { key: 'medianAe', title: 'median absolute error', greaterIsBetter: false },
  { key: 'explainedVariance', title: 'explained variance', greaterIsBetter: true },
];

const CLUSTERING: MetricSpec[] = [
  { key: 'silhouette', title: 'silhouette', greaterIsBetter: true },
  { key: 'daviesBouldin', title: 'Davies–Bouldin', greaterIsBetter: false },
  { key: 'calinskiHarabasz', title: 'Calinski–Harabasz', greaterIsBetter: true },
];

/** The metrics reported for `task`, in display order. */
export function metricsFor(task: LearningTask): readonly MetricSpec[] {
  return task === 'binary'
    ? BINARY
    : task === 'multiclass'
      ? MULTICLASS
      : task === 'regression'
        ? REGRESSION
        : CLUSTERING;
}

/** The metric `key` of `task`; undefined when the task has no such metric. */
export function metricSpec(task: LearningTask, key: string): MetricSpec | undefined {
  return metricsFor(task).find((m) => m.key === key);
}

/** The metric model comparison is judged by when the user names none. */
export function defaultMetric(task: LearningTask): string {
  return task === 'binary'
    ? 'rocAuc'
    : task === 'multiclass'
      ? 'logLoss'
      : task === 'regression'
        ? 'rmse'
        : 'silhouette';
}

/**
 * Precision, recall and F1 of the positive class: scikit-learn's `labels=[pos], average='micro'`,
 * which equals `average='binary'` on two labels and stays defined when the truth holds a label the
 * model never saw (evaluating on new data): such rows are simply not positives.
 */
function positiveClass(pos: Label | undefined) {
  return pos === undefined
    ? { average: 'binary' as const, zeroDivision: 0 as const }
    : { labels: [pos], average: 'micro' as const, zeroDivision: 0 as const };
}

function column(P: Matrix, j: number): Float64Array {
  const out = new Float64Array(P.rows);
  for (let i = 0; i < P.rows; i++) out[i] = P.data[i * P.cols + j];
  return out;
}

/**
 * Computes one metric of a supervised task. Returns NaN when it is undefined for these data
 * (e.g. ROC AUC with a single class present), never throws for that reason.
 */
export function computeMetric(task: LearningTask, key: string, p: SupervisedPredictions): number {
  if (!metricSpec(task, key)) return Number.NaN;
  const { yTrue, yPred, proba, classes } = p;
  const t = yTrue as readonly Label[];
  const q = yPred as readonly Label[];
  const pos = classes?.[1];
  const labels = classes as Label[] | undefined;
  const { result } = captureWarnings(() => {
    try {
      switch (key) {
        case 'accuracy':
          return accuracyScore(t, q);
        case 'balancedAccuracy':
          return balancedAccuracyScore(t, q);
        case 'precision':
          return precisionScore(t, q, positiveClass(pos));
        case 'recall':
          return recallScore(t, q, positiveClass(pos));
        case 'f1':
          return f1Score(t, q, positiveClass(pos));
        case 'f1Macro':
          return f1Score(t, q, { average: 'macro', zeroDivision: 0 });
        case 'f1Weighted':
          return f1Score(t, q, { average: 'weighted', zeroDivision: 0 });
        case 'precisionMacro':
          return precisionScore(t, q, { average: 'macro', zeroDivision: 0 });
        case 'recallMacro':
          return recallScore(t, q, { average: 'macro', zeroDivision: 0 });
        case 'mcc':
          return matthewsCorrcoef(t, q);
        case 'rocAuc':
          return proba
            ? rocAucScore(
                t.map((v) => (String(v) === String(pos) ? 1 : 0)),
                column(proba, 1),
              )
            : Number.NaN;
        case 'averagePrecision':
          return proba
            ? averagePrecisionScore(
                t.map((v) => (String(v) === String(pos) ? 1 : 0)),
                column(proba, 1),
              )
            : Number.NaN;
        case 'brier':
          return proba
            ? brierScoreLoss(
                t.map((v) => (String(v) === String(pos) ? 1 : 0)),
                column(proba, 1),
              )
            : Number.NaN;
        case 'rocAucOvr':
          return proba ? rocAucScore(t, proba, { multiClass: 'ovr', average: 'macro', labels }) : Number.NaN;
        case 'logLoss':
          return proba ? logLoss(t, proba, { labels }) : Number.NaN;
        case 'mae':
          return meanAbsoluteError(yTrue as Float64Array, yPred as Float64Array);
        case 'mse':
          return meanSquaredError(yTrue as Float64Array, yPred as Float64Array);
        case 'rmse':
          return rootMeanSquaredError(yTrue as Float64Array, yPred as Float64Array);
        case 'r2':
          return r2Score(yTrue as Float64Array, yPred as Float64Array);
        case 'mape':
          return meanAbsolutePercentageError(yTrue as Float64Array, yPred as Float64Array);
        case 'medianAe':
          return medianAbsoluteError(yTrue as Float64Array, yPred as Float64Array);
        case 'explainedVariance':
          return explainedVarianceScore(yTrue as Float64Array, yPred as Float64Array);
        default:
          return Number.NaN;
      }
    } catch {
      // Undefined for these rows (e.g. one class present in a small holdout): reported as NaN.
      return Number.NaN;
    }
  });
  return result as number;
}

/** Every metric of a supervised task (those needing probabilities only when `proba` is given). */
export function supervisedMetrics(
  task: Exclude<LearningTask, 'clustering'>,
  p: SupervisedPredictions,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of metricsFor(task)) {
    if (m.needsProba && !p.proba) continue;
    out[m.key] = computeMetric(task, m.key, p);
  }
  return out;
}

/** Clustering metrics on the preprocessed data `X` and cluster `labels` (-1 = noise, excluded). */
export function clusteringMetrics(X: Matrix, labels: Int32Array): Record<string, number> {
  const keep: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) keep.push(i);
  const clusters = new Set(keep.map((i) => labels[i])).size;
  const out: Record<string, number> = { nClusters: clusters, noise: labels.length - keep.length };
  if (clusters < 2 || clusters >= keep.length) {
    out.silhouette = Number.NaN;
    out.daviesBouldin = Number.NaN;
    out.calinskiHarabasz = Number.NaN;
    return out;
  }
  const data = new Float64Array(keep.length * X.cols);
  keep.forEach((i, r) => data.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), r * X.cols));
  const Xk: Matrix = { data, rows: keep.length, cols: X.cols, columns: X.columns };
  const lk = keep.map((i) => labels[i]);
  out.silhouette = silhouetteScore(Xk, lk, keep.length > 5000 ? { sampleSize: 5000, seed: 0 } : {});
  out.daviesBouldin = daviesBouldinScore(Xk, lk);
  out.calinskiHarabasz = calinskiHarabaszScore(Xk, lk);
  return out;
}

/** A scorer for one of Lathe's task metrics (sign flipped for losses, so greater is better). */
export function metricScorer(task: Exclude<LearningTask, 'clustering'>, key: string): Scorer {
  const spec = metricSpec(task, key);
  if (!spec) {
    throw new ValidationError(`Metric '${key}' is not a ${task} metric.`, {
      field: 'metric',
      fix: `use one of ${metricsFor(task)
        .map((m) => m.key)
        .join(', ')}`,
    });
  }
  const sign = spec.greaterIsBetter ? 1 : -1;
  return {
    name: key,
    needs: spec.needsProba ? 'proba' : 'predict',
    sign,
    score({ yTrue, classes, predictions }) {
      if (task === 'regression') {
        return (
          sign *
          computeMetric(task, key, { yTrue: yTrue as Float64Array, yPred: predictions.pred as Float64Array })
        );
      }
      const truth = decodeLabels(yTrue, classes!);
      const n = yTrue.length;
      const proba = predictions.proba
        ? matrix(predictions.proba, n, classes!.length, classes!.map(String))
        : null;
      const yPred = predictions.pred ? decodeLabels(predictions.pred, classes!) : truth;
      return sign * computeMetric(task, key, { yTrue: truth, yPred, proba, classes: classes! });
    },
  };
}
