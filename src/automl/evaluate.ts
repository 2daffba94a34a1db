/**
 * `evaluateModel`: a fitted model judged on labelled data — every metric of its task with a
 * bootstrap confidence interval (rows resampled with replacement, seeded), plus the confusion
 * matrix and per-class report for classifiers. What `lathe evaluate` prints.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import type { Estimator } from '../core/estimator.ts';
import type { Label } from '../core/labels.ts';
import { takeRows } from '../core/matrix.ts';
import { isMissing } from '../data/column.ts';
import type { Schema } from '../data/schema.ts';
import type { Table } from '../data/table.ts';
import { confusionMatrix } from '../metrics/confusion.ts';
import { type ClassificationReport, classificationReport } from '../metrics/report.ts';
import { type BootstrapMethod, bootstrapMetric } from '../stats/bootstrap.ts';
import type { LearningTask } from './families.ts';
import { predictTable } from './predict.ts';
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
}

/** One metric with its interval. */
export interface MetricEstimate {
  key: string;
  title: string;
  value: number | null;
  lower: number | null;
  upper: number | null;
  greaterIsBetter: boolean;
}

/** What {@link evaluateModel} returns. */
export interface Evaluation {
  task: LearningTask;
  rows: { total: number; evaluated: number; missingTarget: number };
  metrics: MetricEstimate[];
  confidenceLevel: number;
  nResamples: number;
  method: BootstrapMethod;
  /** Classifiers: counts, rows = true class, columns = predicted class, in `labels` order. */
  confusion: { labels: string[]; matrix: number[][] } | null;
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
  const tcol = table.column(target);
  const keep: number[] = [];
  for (let i = 0; i < table.nRows; i++) if (!isMissing(tcol, i)) keep.push(i);
  if (keep.length < 2) {
    throw new ValidationError(
      `The target '${target}' has ${keep.length} non-missing values; at least 2 are needed.`,
      {
        field: 'target',
      },
    );
  }
  const rows = keep.length === table.nRows ? table : table.take(keep);
  const classifier = task !== 'regression';
  const p = predictTable(model, inputSchema, rows, { proba: classifier });
  const truth = rows.values(target);
  const yTrue: Label[] | Float64Array = classifier
    ? truth.map((v) => (typeof v === 'boolean' ? String(v) : v) as Label)
    : Float64Array.from(truth as number[]);
  const yPred = p.predictions as Label[] | Float64Array;
  const classes = p.classes ?? undefined;
  const nResamples = options.nResamples ?? 1000;
  const method = options.method ?? 'percentile';
  const level = options.confidenceLevel ?? 0.95;
  const n = rows.nRows;
  const index = Int32Array.from({ length: n }, (_, i) => i);

  const metrics: MetricEstimate[] = [];
  for (const spec of metricsFor(task)) {
    if (spec.needsProba && !p.proba) continue;
    const on = (idx: ArrayLike<number>) =>
      computeMetric(task, spec.key, {
        yTrue: pick(yTrue, idx),
        yPred: pick(yPred, idx),
        proba: p.proba ? takeRows(p.proba, idx) : null,
        classes,
      });
    const value = computeMetric(task, spec.key, { yTrue, yPred, proba: p.proba, classes });
    let lower: number | null = null;
    let upper: number | null = null;
    if (nResamples > 0 && Number.isFinite(value)) {
      const b = bootstrapMetric(index, index, (t) => on(t), {
        nResamples,
        confidenceLevel: level,
        method,
        seed: options.seed ?? 0,
      });
      lower = finite(b.lower);
      upper = finite(b.upper);
    }
    metrics.push({
      key: spec.key,
      title: spec.title,
      value: finite(value),
      lower,
      upper,
      greaterIsBetter: spec.greaterIsBetter,
    });
  }

  let confusion: Evaluation['confusion'] = null;
  let report: ClassificationReport | null = null;
  if (classifier && classes) {
    const labels = classes.map(String);
    const t = (yTrue as Label[]).map(String);
    const q = (yPred as Label[]).map(String);
    const cm = confusionMatrix(t, q, { labels });
    confusion = { labels, matrix: matrixRows(cm.data, labels.length) };
    report = classificationReport(t, q, { labels, zeroDivision: 0 });
  }
  return {
    task,
    rows: { total: table.nRows, evaluated: n, missingTarget: table.nRows - n },
    metrics,
    confidenceLevel: level,
    nResamples,
    method,
    confusion,
    report,
  };
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function pick<T extends Label[] | Float64Array>(a: T, idx: ArrayLike<number>): T {
  if (a instanceof Float64Array) {
    const out = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]];
    return out as T;
  }
  const out = new Array<Label>(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = (a as Label[])[idx[i]];
  return out as T;
}

function matrixRows(data: Float64Array, k: number): number[][] {
  return Array.from({ length: k }, (_, i) => Array.from(data.subarray(i * k, (i + 1) * k)));
}
