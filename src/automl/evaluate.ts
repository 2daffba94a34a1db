/**
 * `evaluateModel`: a fitted model judged on labelled data — every metric of its task with a
 * bootstrap confidence interval (rows resampled with replacement, seeded), plus the confusion
 * matrix and per-class report for classifiers. What `lathe evaluate` prints.
 *
 * @module
 */

import { DataError, ValidationError } from '../core/errors.ts';
import type { Estimator } from '../core/estimator.ts';
import { asClassLabels, type Label, sortLabels } from '../core/labels.ts';
import { takeRows } from '../core/matrix.ts';
import type { Progress } from '../core/progress.ts';
import { isMissing } from '../data/column.ts';
import type { Schema } from '../data/schema.ts';
import type { Table } from '../data/table.ts';
import { confusionMatrix } from '../metrics/confusion.ts';
import { type ClassificationReport, classificationReport } from '../metrics/report.ts';
import { type BootstrapMethod, bootstrapMetric } from '../stats/bootstrap.ts';
import type { LearningTask } from './families.ts';
import { type PredictRejectedRow, type PredictResult, predictTable } from './predict.ts';
import { resampledMetric } from './resampled-metrics.ts';
import { computeMetric, metricsFor } from './scores.ts';

/** Options of {@link evaluateModel}. */
export interface EvaluateOptions {
  /** Bootstrap resamples for the intervals (default 1000; 0 for no intervals). */
  nResamples?: number;
  /** Confidence level (default 0.95). */
  confidenceLevel?: number;
  /** Interval method (default 'percentile'; 'bca' costs one metric evaluation per row more). */
  method?: BootstrapMethod;
  /** Seed of the resampling (default 0). */
  seed?: number;
  /** Name of the data file, for error messages. */
  source?: string;
  /** For each row of the table, its 1-based line in the file (a `ReadResult`'s `rowLines`). */
  rowLines?: ArrayLike<number>;
  /** The model's own target column, named in errors when `target` looks wrong. */
  modelTarget?: string | null;
  /**
   * Told of each metric's bootstrap as it starts (`label`) and advanced by one as it ends (total:
   * the task's metrics, {@link evaluateStages}).
   */
  progress?: Progress;
  /**
   * A row holding a value the model cannot take (an infinite number): `error` (default) stops with
   * a DataError naming the file, line and column; `quarantine` leaves it out, listed in `rejected`.
   */
  onBadRows?: 'error' | 'quarantine';
  /**
   * The model's predictions on every row of `table` (`predictTable` with `proba` for a classifier),
   * when the caller has them already: those of the rows evaluated are taken instead of predicting
   * again (and none is rejected — `onBadRows` applies to predicting).
   */
  predicted?: Pick<PredictResult, 'predictions' | 'proba' | 'classes'>;
}

/** The progress units {@link evaluateModel} advances for `task`: one per metric (a bootstrap each). */
export function evaluateStages(task: LearningTask): number {
  return task === 'clustering' ? 0 : metricsFor(task).length;
}

/** A true label the classifier never saw in training (so never predicts): every such row counts as wrong. */
export interface UnseenLabel {
  label: string;
  count: number;
  /** The file line (or, without `rowLines`, the 1-based row) of its first occurrence. */
  firstLine: number;
}

/** One metric with its interval. */
export interface MetricEstimate {
  key: string;
  title: string;
  value: number | null;
  lower: number | null;
  upper: number | null;
  /**
   * Why the interval is missing (`lower`/`upper` null) although resamples were drawn and the metric
   * has a value — e.g. `constant across resamples` (BCa cannot be formed when every resample gives
   * the same value, as SciPy's bootstrap returns NaN); null when there is an interval or none was asked for.
   */
  intervalReason: string | null;
  greaterIsBetter: boolean;
}

/** What {@link evaluateModel} returns. */
export interface Evaluation {
  task: LearningTask;
  /** `total = evaluated + missingTarget + rejected`. */
  rows: { total: number; evaluated: number; missingTarget: number; rejected: number };
  /**
   * Rows the model refused under `onBadRows: 'quarantine'` (`row` indexes the table given, `line`
   * is its file line when `rowLines` was given).
   */
  rejected: PredictRejectedRow[];
  /**
   * Classifiers: true labels that are not among the model's classes. Their rows are evaluated
   * (always wrong) and appear as rows of the confusion matrix and the report, as in scikit-learn.
   */
  unseenLabels: UnseenLabel[];
  metrics: MetricEstimate[];
  confidenceLevel: number;
  nResamples: number;
  method: BootstrapMethod;
  /** Classifiers: counts, rows = true class, columns = predicted class, in `labels` order. */
  confusion: { labels: Label[]; matrix: number[][] } | null;
  report: ClassificationReport | null;
}

/**
 * Evaluates `model` (input schema `inputSchema`, task `task`) on `table`, whose `target` column
 * holds the truth. Rows with a missing target are left out and counted.
 */
export function evaluateModel(
  model: Estimator,
  inputSchema: Schema,
  task: LearningTask,
  table: Table,
  target: string,
  options: EvaluateOptions = {},
): Evaluation {
  if (task === 'clustering') {
    throw new ValidationError('lathe evaluate judges supervised models; this model is a clusterer.', {
      fix: 'use lathe stats or the clustering metrics of the library on its predictions',
    });
  }
  const where = options.source ? ` in ${options.source}` : '';
  const lineOf = (row: number) => (options.rowLines ? options.rowLines[row] : row + 1);
  const tcol = table.column(target);
  const classifier = task !== 'regression';
  const modelTarget = options.modelTarget && options.modelTarget !== target ? options.modelTarget : null;
  const keep: number[] = [];
  for (let i = 0; i < table.nRows; i++) if (!isMissing(tcol, i)) keep.push(i);
  // An empty column has no type to speak of (it reads as text): say it is empty, not mistyped.
  if (keep.length === 0 && table.nRows > 0) {
    throw new ValidationError(
      `The target column '${target}'${where} has no values: it is empty on all ${table.nRows} row${table.nRows === 1 ? '' : 's'}, so there is no truth to compare the predictions with.`,
      {
        field: 'target',
        fix: `fill in '${target}' in the file${modelTarget ? `, or pass --target ${modelTarget} (the column the model was trained to predict)` : ', or pass --target with the column that holds the truth'}`,
      },
    );
  }
  if (!classifier && tcol.type !== 'numeric' && options.modelTarget === target) {
    // The model's own target, read as text: its numbers are written in a way the reader does not
    // take ("804,800", "$12"). Another column is no help; name the first value and the fix.
    const first = keep[0];
    throw new DataError(
      `${options.rowLines ? '' : `row ${first + 1}: `}the truth of this regression model must be numbers, but '${target}' holds text such as ${JSON.stringify(String(table.get(first, target)))}, so it was read as ${tcol.type}.`,
      {
        file: options.source,
        line: options.rowLines ? options.rowLines[first] : undefined,
        column: target,
        fix: `write '${target}' as plain numbers (lathe clean converts numbers written with thousands separators or a currency sign: lathe clean <data> -o <file>), then evaluate the cleaned file`,
      },
    );
  }
  if (!classifier && tcol.type !== 'numeric') {
    throw new ValidationError(
      `The column '${target}'${where} is ${tcol.type}, but this is a regression model: its truth must be numbers.`,
      {
        field: 'target',
        fix: modelTarget
          ? `pass --target ${modelTarget} (the column the model was trained to predict), or a numeric column`
          : 'pass --target with the numeric column the model predicts',
      },
    );
  }
  if (!classifier && tcol.type === 'numeric') {
    for (const i of keep) {
      const v = tcol.values[i];
      if (!Number.isFinite(v)) {
        throw new DataError(
          `${options.rowLines ? '' : `row ${i + 1}: `}the target value is ${v > 0 ? 'inf' : '-inf'}; a regression target must be a finite number.`,
          {
            file: options.source,
            line: options.rowLines ? options.rowLines[i] : undefined,
            column: target,
            fix: 'correct that value, or empty the cell (rows without a target are left out)',
          },
        );
      }
    }
  }
  if (keep.length < 2) {
    throw new ValidationError(
      `The target '${target}'${where} has ${keep.length === 0 ? 'no' : 'only 1'} non-missing value${keep.length === 1 ? '' : 's'} (of ${table.nRows} row${table.nRows === 1 ? '' : 's'}); evaluating needs at least 2 labelled rows.`,
      {
        field: 'target',
        fix: 'evaluate on a file with more rows that have a value in the target column',
      },
    );
  }
  let rows = keep.length === table.nRows ? table : table.take(keep);
  const p = options.predicted
    ? predictedRows(options.predicted, keep, table.nRows)
    : predictTable(model, inputSchema, rows, {
        proba: classifier,
        source: options.source,
        rowLines: options.rowLines ? keep.map((i) => options.rowLines![i]) : undefined,
        onBadRows: options.onBadRows,
      });
  // Rows the model refused (quarantined) are not evaluated: back to the table's row numbers.
  const rejected = p.rejected.map((r) => ({ ...r, row: keep[r.row] }));
  if (rejected.length) {
    const out = new Set(p.rejected.map((r) => r.row));
    const scored = keep.filter((_, j) => !out.has(j));
    if (scored.length < 2) {
      throw new ValidationError(
        `Only ${scored.length} row${scored.length === 1 ? '' : 's'}${where} can be evaluated: ${rejected.length} of the ${keep.length} rows with a target hold a value the model cannot take and were set aside; evaluating needs at least 2.`,
        { field: 'data', fix: 'correct the rows listed in the rejects file, then evaluate again' },
      );
    }
    rows = table.take(scored);
    keep.splice(0, keep.length, ...scored);
  }
  const truth = rows.values(target);
  const yTrue: Label[] | Float64Array = classifier
    ? asClassLabels(truth)
    : Float64Array.from(truth as number[]);
  const yPred = p.predictions as Label[] | Float64Array;
  const classes = p.classes ?? undefined;
  const unseen = classifier && classes ? unseenLabels(yTrue as Label[], classes, keep, lineOf) : [];
  if (classifier && classes && unseen.reduce((a, u) => a + u.count, 0) === keep.length) {
    const shown = unseen.slice(0, 5).map((u) => `'${u.label}'`);
    throw new ValidationError(
      `None of the values of the column '${target}'${where} is a class this model predicts: it predicts ${classes.map((c) => `'${String(c)}'`).join(', ')}; the column holds ${shown.join(', ')}${unseen.length > 5 ? `, … (${unseen.length} distinct)` : ''}.`,
      {
        field: 'target',
        fix: modelTarget
          ? `pass --target ${modelTarget} (the column the model was trained to predict)`
          : 'pass --target with the column that holds the true classes',
      },
    );
  }
  const nResamples = options.nResamples ?? 1000;
  const method = options.method ?? 'percentile';
  const level = options.confidenceLevel ?? 0.95;
  const n = rows.nRows;
  const index = Int32Array.from({ length: n }, (_, i) => i);

  const metrics: MetricEstimate[] = [];
  for (const spec of metricsFor(task)) {
    if (spec.needsProba && !p.proba) continue;
    // The metric of a resample's rows: counted from codes encoded once where that gives the same
    // value bit for bit as recomputing it on the resampled arrays (see resampled-metrics.ts).
    const on = resampledMetric(task, spec.key, { yTrue, yPred, proba: p.proba, classes });
    const value = computeMetric(task, spec.key, { yTrue, yPred, proba: p.proba, classes });
    let lower: number | null = null;
    let upper: number | null = null;
    let intervalReason: string | null = null;
    if (nResamples > 0 && Number.isFinite(value)) {
      options.progress?.label(`evaluate: bootstrap of ${spec.title} (${nResamples} resamples)`);
      const b = bootstrapMetric(index, index, (t) => on(t), {
        nResamples,
        confidenceLevel: level,
        method,
        seed: options.seed ?? 0,
      });
      lower = finite(b.lower);
      upper = finite(b.upper);
      if (lower === null || upper === null) {
        lower = upper = null;
        intervalReason =
          b.standardError === 0
            ? 'constant across resamples'
            : Number.isNaN(b.standardError)
              ? 'undefined on some resamples'
              : 'could not be computed';
      }
    }
    options.progress?.tick();
    metrics.push({
      key: spec.key,
      title: spec.title,
      value: finite(value),
      lower,
      upper,
      intervalReason,
      greaterIsBetter: spec.greaterIsBetter,
    });
  }

  let confusion: Evaluation['confusion'] = null;
  let report: ClassificationReport | null = null;
  if (classifier && classes) {
    // As scikit-learn's confusion_matrix and classification_report with labels=None: every label of
    // the truth or the predictions, sorted — a true label the model never predicts gets its own row.
    // Counted on the labels as strings (a boolean truth meets classes 'false'/'true'); reported
    // with the classes' own values, so numeric classes stay numbers in --json.
    const classLabels = unseen.length
      ? sortLabels([...classes, ...unseen.map((u) => labelOf(u.label, yTrue as Label[]))])
      : [...classes];
    const labels = classLabels.map(String);
    const t = Array.from(yTrue, String);
    const q = Array.from(yPred, String);
    const cm = confusionMatrix(t, q, { labels });
    confusion = { labels: classLabels, matrix: matrixRows(cm.data, labels.length) };
    report = classificationReport(t, q, { labels, zeroDivision: 0 });
  }
  return {
    task,
    rows: {
      total: table.nRows,
      evaluated: n,
      missingTarget: table.nRows - n - rejected.length,
      rejected: rejected.length,
    },
    rejected,
    unseenLabels: unseen,
    metrics,
    confidenceLevel: level,
    nResamples,
    method,
    confusion,
    report,
  };
}

/** The predictions of the rows `keep` (of `n`) among those of every row. */
function predictedRows(
  p: Pick<PredictResult, 'predictions' | 'proba' | 'classes'>,
  keep: readonly number[],
  n: number,
): Pick<PredictResult, 'predictions' | 'proba' | 'classes' | 'rejected'> {
  if (p.predictions.length !== n || (p.proba && p.proba.rows !== n)) {
    throw new ValidationError(
      `The predictions given are of ${p.predictions.length} rows; the table has ${n}.`,
      { field: 'predicted', fix: 'pass the predictions of every row of the table, in order' },
    );
  }
  if (keep.length === n) return { ...p, rejected: [] };
  const x = p.predictions;
  return {
    predictions:
      x instanceof Float64Array
        ? Float64Array.from(keep, (i) => x[i])
        : x instanceof Int32Array
          ? Int32Array.from(keep, (i) => x[i])
          : keep.map((i) => x[i]),
    proba: p.proba ? takeRows(p.proba, keep) : null,
    classes: p.classes,
    rejected: [],
  };
}

/** The true labels that are not classes of the model, with counts and first lines, most frequent first. */
function unseenLabels(
  yTrue: readonly Label[],
  classes: readonly Label[],
  rowOf: readonly number[],
  lineOf: (row: number) => number,
): UnseenLabel[] {
  const known = new Set(classes.map(String));
  const found = new Map<string, UnseenLabel>();
  for (let i = 0; i < yTrue.length; i++) {
    const key = String(yTrue[i]);
    if (known.has(key)) continue;
    const u = found.get(key);
    if (u) u.count++;
    else found.set(key, { label: key, count: 1, firstLine: lineOf(rowOf[i]) });
  }
  return [...found.values()].sort((a, b) => b.count - a.count || a.firstLine - b.firstLine);
}

/** The label as it occurs in `yTrue` (a number stays a number, so labels sort as scikit-learn's). */
function labelOf(key: string, yTrue: readonly Label[]): Label {
  return yTrue.find((v) => String(v) === key) ?? key;
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function matrixRows(data: Float64Array, k: number): number[][] {
  return Array.from({ length: k }, (_, i) => Array.from(data.subarray(i * k, (i + 1) * k)));
}
