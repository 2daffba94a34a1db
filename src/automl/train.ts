/**
 * `trainModel`: fits one pipeline — automatic preprocessing per column type, then an estimator of
 * the chosen family — on a table, and measures it on a held-out part. What `lathe train` runs.
 *
 * Rows whose target is missing cannot be learned from; they are left out and counted
 * (`rows.missingTarget`), never dropped silently.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import type { Estimator } from '../core/estimator.ts';
import { decodeLabels, type Label } from '../core/labels.ts';
import type { Matrix } from '../core/matrix.ts';
import { type Column, isMissing } from '../data/column.ts';
import type { Schema } from '../data/schema.ts';
import { inferSchema } from '../data/schema-infer.ts';
import { splitIndices } from '../data/split.ts';
import type { Table } from '../data/table.ts';
import { autoPreprocessor, nativeCategoricalColumns } from '../preprocess/auto-preprocessor.ts';
import type { ColumnNote } from '../preprocess/column-transformer.ts';
import { Pipeline } from '../preprocess/pipeline.ts';
import { family as getFamily, type LearningTask, makeEstimator } from './families.ts';
import { clusteringMetrics, supervisedMetrics } from './scores.ts';
import { detectTask } from './task.ts';

/** Options of {@link trainModel}. */
export interface TrainOptions {
  /** The model family (`logistic`, `gbdt`, `random-forest`, …). */
  family: string;
  /** The target column; required for supervised families. */
  target?: string | null;
  /** `auto` (default) detects it from the target column. */
  task?: LearningTask | 'auto';
  /** Estimator parameters (camelCase), e.g. `{ maxIter: 200 }`. */
  params?: Record<string, unknown>;
  /** Fraction (or row count) held out to measure the model; 0 trains on every row. Default 0.2. */
  holdout?: number;
  /** Seed for the split and for estimators that have a `seed` parameter (unless set in `params`). Default 0. */
  seed?: number;
  /** A schema for the table (default: inferred from it). */
  schema?: Schema;
  /** Columns to leave out of the features. */
  exclude?: readonly string[];
}

/** Row accounting: `used + missingTarget = total`, `train + holdout = used`. */
export interface TrainRows {
  total: number;
  missingTarget: number;
  used: number;
  train: number;
  holdout: number;
}

/** What {@link trainModel} returns. */
export interface TrainResult {
  /** The fitted pipeline (`preprocess` → `model`). */
  model: Pipeline;
  family: string;
  task: LearningTask | 'transform';
  target: string | null;
  /** Classes of a classifier, sorted. */
  classes: Label[] | null;
  /** The schema of the feature columns the model takes (without the target). */
  inputSchema: Schema;
  /** The schema of the whole table as read (with the target). */
  tableSchema: Schema;
  /** Metrics on the holdout rows (or on the training rows when `holdout` is 0 — see `metricsOn`). */
  metrics: Record<string, number>;
  metricsOn: 'holdout' | 'training';
  rows: TrainRows;
  /** What preprocessing did with particular columns (dropped id/text columns, …). */
  notes: ColumnNote[];
  /** The estimator's parameters after defaults were applied. */
  params: Record<string, unknown>;
  /** Wall time of the fit, in seconds. */
  fitSeconds: number;
  /** The holdout rows' indices in the input table (empty when holdout is 0). */
  holdoutRows: Int32Array;
}

function targetRows(target: Column): { keep: Int32Array; missing: number } {
  const n = target.type === 'categorical' ? target.codes.length : target.values.length;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (!isMissing(target, i)) keep.push(i);
  return { keep: Int32Array.from(keep), missing: n - keep.length };
}

/** Parameters with the run's seed filled in for estimators that take one. */
function withSeed(est: Estimator, params: Record<string, unknown>, seed: number): Record<string, unknown> {
  return 'seed' in est.schema && params.seed === undefined ? { ...params, seed } : params;
}

/**
 * Fits `family` on `table` with automatic preprocessing and returns the pipeline with its
 * holdout metrics.
 *
 * @example
 * ```ts
 * const { table } = await readTable('examples/customers.csv');
 * const r = trainModel(table, { family: 'gbdt', target: 'churned' });
 * r.metrics.rocAuc; // on the 20 % holdout
 * r.model.predict(table.drop(['churned']));
 * ```
 */
export function trainModel(table: Table, options: TrainOptions): TrainResult {
  const fam = getFamily(options.family);
  const seed = options.seed ?? 0;
  const holdout = options.holdout ?? 0.2;
  if (!(holdout >= 0 && holdout < 1) && !(Number.isInteger(holdout) && holdout >= 1)) {
    throw new ValidationError(`holdout must be a fraction in [0, 1) or a row count; got ${holdout}.`, {
      field: 'holdout',
      fix: 'use e.g. --holdout 0.2, or 0 to train on every row',
    });
  }
  const supervised = Boolean(fam.classifier || fam.regressor);
  const target = options.target ?? null;
  if (supervised && !target) {
    throw new ValidationError(`Model family '${fam.name}' learns a target: name it.`, {
      field: 'target',
      fix: `pass --target <column> (the columns are: ${table.columnNames.join(', ')})`,
    });
  }
  if (!supervised && target) {
    throw new ValidationError(`Model family '${fam.name}' is unsupervised and takes no target.`, {
      field: 'target',
      fix: `drop --target, or choose a supervised family`,
    });
  }
  const tableSchema = options.schema ?? inferSchema(table);

  let task: LearningTask | 'transform';
  let rows: Table = table;
  let missing = 0;
  let kept: Int32Array | null = null as Int32Array | null;
  let y: Label[] | Float64Array | undefined;
  if (target) {
    const tcol = table.column(target);
    const detected = detectTask(tcol);
    task = options.task && options.task !== 'auto' ? options.task : detected;
    if (task === 'clustering') {
      throw new ValidationError(`--task clustering takes no target.`, { field: 'task' });
    }
    if (task === 'regression' && detected !== 'regression' && tcol.type !== 'numeric') {
      throw new ValidationError(
        `The target '${target}' is ${tcol.type}; regression needs a numeric target.`,
        {
          field: 'task',
          fix: 'use --task auto (classification) or pick a numeric target',
        },
      );
    }
    const { keep, missing: m } = targetRows(tcol);
    missing = m;
    if (m > 0) {
      rows = table.take(keep);
      kept = keep;
    }
    const values = rows.values(target);
    y = task === 'regression' ? Float64Array.from(values as number[]) : (values as Label[]);
  } else {
    task = fam.unsupervised && new fam.unsupervised().kind === 'transformer' ? 'transform' : 'clustering';
  }

  const X = target ? rows.drop([target]) : rows;
  const inputSchema: Schema = { version: 1, columns: tableSchema.columns.filter((c) => c.name !== target) };

  // Holdout split: stratified for classification, random otherwise.
  let trainIdx: Int32Array;
  let testIdx: Int32Array = new Int32Array(0);
  if (supervised && holdout > 0) {
    const s = splitIndices(rows.nRows, {
      testSize: holdout,
      method: task === 'binary' || task === 'multiclass' ? 'stratified' : 'random',
      labels: task === 'binary' || task === 'multiclass' ? (y as Label[]) : undefined,
      seed,
    });
    trainIdx = s.train;
    testIdx = s.test;
  } else {
    trainIdx = Int32Array.from({ length: rows.nRows }, (_, i) => i);
  }

  const preprocess = autoPreprocessor(inputSchema, { forModel: fam.preprocess, exclude: options.exclude });
  const probe = makeEstimator(fam.name, task === 'transform' ? 'clustering' : task, {});
  let params = withSeed(probe, options.params ?? {}, seed);
  if (
    fam.preprocess === 'native' &&
    'categoricalFeatures' in probe.schema &&
    params.categoricalFeatures === undefined
  ) {
    // The model learns categories natively: tell it which columns carry category codes.
    const cats = nativeCategoricalColumns(preprocess);
    if (cats.length) params = { ...params, categoricalFeatures: cats };
  }
  const estimator = makeEstimator(fam.name, task === 'transform' ? 'clustering' : task, params);
  const model = new Pipeline({
    steps: [
      ['preprocess', preprocess],
      ['model', estimator],
    ],
  });

  const Xtrain = testIdx.length ? X.take(trainIdx) : X;
  const ytrain = y && testIdx.length ? pick(y, trainIdx) : y;
  const t0 = performance.now();
  if (ytrain) model.fit(Xtrain, ytrain);
  else model.fit(Xtrain);
  const fitSeconds = (performance.now() - t0) / 1000;

  let metrics: Record<string, number>;
  const evalX = testIdx.length ? X.take(testIdx) : Xtrain;
  const evalY = testIdx.length && y ? pick(y, testIdx) : ytrain;
  if (task === 'clustering') {
    const pre = (model.namedSteps.preprocess as unknown as { transform(X: Table): Matrix }).transform(Xtrain);
    metrics = clusteringMetrics(pre, model.labels_!);
  } else if (task === 'transform') {
    const ratio = (estimator as unknown as { explainedVarianceRatio_?: Float64Array })
      .explainedVarianceRatio_;
    metrics = ratio
      ? { explainedVarianceRatio: ratio.reduce((a, b) => a + b, 0), nComponents: ratio.length }
      : {};
  } else {
    const yPred = model.predict(evalX) as Label[] | Float64Array;
    const proba =
      task !== 'regression' && typeof (estimator as { predictProba?: unknown }).predictProba === 'function'
        ? model.predictProba(evalX)
        : null;
    metrics = supervisedMetrics(task, {
      yTrue: evalY!,
      yPred,
      proba,
      classes: model.classes_,
    });
  }

  return {
    model,
    family: fam.name,
    task,
    target,
    classes: model.classes_ ?? null,
    inputSchema,
    tableSchema,
    metrics,
    metricsOn: testIdx.length ? 'holdout' : 'training',
    rows: {
      total: table.nRows,
      missingTarget: missing,
      used: rows.nRows,
      train: trainIdx.length,
      holdout: testIdx.length,
    },
    notes: preprocess.notes,
    params: estimator.getParams() as Record<string, unknown>,
    fitSeconds,
    holdoutRows: kept ? testIdx.map((i) => kept[i]) : testIdx,
  };
}

function pick<T extends Label[] | Float64Array>(y: T, idx: Int32Array): T {
  if (y instanceof Float64Array) {
    const out = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = y[idx[i]];
    return out as T;
  }
  return decodeLabels(idx, y as Label[]) as T;
}
