/**
 * `trainModel`: fits one pipeline — automatic preprocessing per column type, then an estimator of
 * the chosen family — on a table, and measures it on a held-out part. What `lathe train` runs.
 *
 * Rows whose target is missing cannot be learned from; they are left out and counted
 * (`rows.missingTarget`), never dropped silently.
 *
 * @module
 */

import { DataError, ValidationError } from '../core/errors.ts';
import type { Estimator } from '../core/estimator.ts';
import { asClassLabels, decodeLabels, type Label } from '../core/labels.ts';
import type { Matrix } from '../core/matrix.ts';
import { type Progress, silentProgress } from '../core/progress.ts';
import { captureWarnings, type LatheWarning, warn } from '../core/warnings.ts';
import { type Column, columnValues, isMissing, missingCount } from '../data/column.ts';
import type { Schema } from '../data/schema.ts';
import { inferSchema } from '../data/schema-infer.ts';
import { splitIndices } from '../data/split.ts';
import type { Table } from '../data/table.ts';
import { autoPreprocessor, nativeCategoricalColumns } from '../preprocess/auto-preprocessor.ts';
import type { ColumnNote, ColumnTransformer } from '../preprocess/column-transformer.ts';
import { Pipeline } from '../preprocess/pipeline.ts';
import { hasLeadingZeroDigits, valueKind } from '../quality/value-kinds.ts';
import { crossValidate } from '../select/cross-validate.ts';
import type { Scorer } from '../select/scoring.ts';
import { FAMILIES, type Family, family as getFamily, type LearningTask, makeEstimator } from './families.ts';
import {
  type BadFeatureValue,
  badFeatureError,
  badFeatureValues,
  everyRowBadError,
} from './feature-values.ts';
import { usedInputSchema } from './predict.ts';
import { type ReferenceSample, referenceSample } from './reference.ts';
import { clusteringMetrics, metricScorer, metricsFor, supervisedMetrics } from './scores.ts';
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
  /**
   * Cross-validate on the training rows with this many folds (stratified for classification) and
   * report every task metric as mean ± std over the folds. Default: no cross-validation.
   */
  cv?: number;
  /** Name of the data file, for error messages. */
  source?: string;
  /** For each row of the table, its 1-based line in the file (a `ReadResult`'s `rowLines`), for error messages. */
  rowLines?: ArrayLike<number>;
  /**
   * Told of each stage as it starts (`label`) and advanced by one unit as it ends: preparing, each
   * cross-validation fold (`cv` units, advanced together: the folds run in parallel), the fit and
   * the holdout evaluation — {@link trainStages} units in all.
   */
  progress?: Progress;
  /**
   * A row with a numeric feature value training cannot take (infinite, or beyond
   * ±{@link MAX_FEATURE_MAGNITUDE}): `error` (default) stops with a DataError naming the file, line,
   * column and value; `quarantine` leaves the row out and lists it in `rejected`.
   */
  onBadRows?: 'error' | 'quarantine';
}

/** The progress units {@link trainModel} advances: prepare, the `cv` folds, fit, evaluate. */
export function trainStages(cv?: number): number {
  return 3 + (cv ?? 0);
}

/** Cross-validation of the training rows: each task metric over the folds. */
export interface TrainCv {
  folds: number;
  metrics: Record<string, { mean: number; std: number; scores: number[] }>;
}

/**
 * Row accounting: `used + missingTarget + rejected = total`, `train + holdout = used`. `total` is the
 * rows of the table given; `rejected`, those set aside for a feature value training cannot take.
 */
export interface TrainRows {
  total: number;
  rejected: number;
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
  /** Cross-validation on the training rows, when `cv` was asked for. */
  cv: TrainCv | null;
  /** Rows left out under `onBadRows: 'quarantine'` (a feature value training cannot take), in row order. */
  rejected: BadFeatureValue[];
  /** A sample of the training rows' model inputs, kept in the package for drift monitoring. */
  reference: ReferenceSample;
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

/** A table made ready for training: the task, the rows with a target, the holdout split. */
export interface PreparedTraining {
  family: Family;
  task: LearningTask | 'transform';
  target: string | null;
  /** The schema of the whole table, and of the feature columns (without the target). */
  tableSchema: Schema;
  inputSchema: Schema;
  /** The features of the rows used (those with a target), and their targets. */
  X: Table;
  y: Label[] | Float64Array | undefined;
  /** Indices into `X` of the training and holdout rows (holdout empty when there is none). */
  trainIdx: Int32Array;
  testIdx: Int32Array;
  /** Indices into the input table of the rows used, or null when all are. */
  kept: Int32Array | null;
  rows: Omit<TrainRows, 'train' | 'holdout'>;
  /** Rows left out under `onBadRows: 'quarantine'` (indices into the input table). */
  rejected: BadFeatureValue[];
  /** Feature columns without a single value (dropped by the preprocessing, with a note). */
  emptyColumns: string[];
}

/**
 * Checks the request and prepares the data the way `trainModel` (and `tuneModel`, so that a tuned
 * model's holdout is exactly the one `lathe train` would use) does: task detection, rows without a
 * target left out, and a holdout split — stratified for classification, random otherwise.
 */
export function prepareTraining(input: Table, options: TrainOptions): PreparedTraining {
  let table = input;
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
  // Feature values the models' arithmetic cannot take are bad rows of the file, found before any
  // split: an error naming the line, or set aside under quarantine.
  const rejected = badFeatureValues(table, [target, ...(options.exclude ?? [])], options.rowLines);
  let screened: Int32Array | null = null;
  if (rejected.length) {
    if (options.onBadRows !== 'quarantine') throw badFeatureError(rejected[0], options.source);
    // Every row set aside: say so, rather than that the target has no values.
    if (rejected.length === table.nRows) throw everyRowBadError(rejected, options.source);
    const out = new Set(rejected.map((r) => r.row));
    const keep: number[] = [];
    for (let i = 0; i < table.nRows; i++) if (!out.has(i)) keep.push(i);
    screened = Int32Array.from(keep);
    table = table.take(screened);
  }
  const lineAt = (row: number) => {
    const r = screened ? screened[row] : row;
    return options.rowLines ? options.rowLines[r] : undefined;
  };
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
      throw new ValidationError(
        `--task clustering is for the unsupervised families (${unsupervisedNames('clustering')}), which take no target, but --target '${target}' was given with '${fam.name}'.`,
        {
          field: 'task',
          fix: `drop --task clustering to fit ${fam.name} on '${target}', or drop --target and choose --model ${unsupervisedNames('clustering', ' or ')}`,
        },
      );
    }
    checkForcedTask(tcol, task, detected, options.source);
    checkFamilyDoesTask(fam, tcol, task, options.task ?? 'auto', options.source);
    if (task === 'regression' && detected !== 'regression' && tcol.type !== 'numeric') {
      const asText = numbersAsText(columnValues(tcol));
      throw new ValidationError(
        `The target '${target}'${options.source ? ` in ${options.source}` : ''} is ${tcol.type}${asText ? ` (numbers written as text, such as '${asText}')` : ''}; --task regression needs a numeric target.`,
        {
          field: 'task',
          fix: asText ? CLEAN_NUMBERS_FIX : 'use --task auto (classification) or pick a numeric target',
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
    // Classes in the classifiers' form (a boolean target's true/false as 'true'/'false'), so the
    // holdout and CV metrics compare the truth with the predictions.
    y = task === 'regression' ? Float64Array.from(values as number[]) : asClassLabels(values);
    const lineOf = (i: number) => lineAt(kept ? kept[i] : i);
    if (y instanceof Float64Array) checkFiniteTarget(y, target, options.source, lineOf);
    else {
      checkFiniteLabels(y, target, options.source, lineOf);
      if (holdout > 0) checkStratifiable(y, target, options.source, lineOf);
    }
  } else {
    task = fam.unsupervised && new fam.unsupervised().kind === 'transformer' ? 'transform' : 'clustering';
    checkUnsupervisedTask(fam.name, task, options.task);
  }

  let trainIdx: Int32Array;
  let testIdx: Int32Array = new Int32Array(0);
  if (supervised && holdout > 0) {
    const classification = task === 'binary' || task === 'multiclass';
    let s: ReturnType<typeof splitIndices>;
    try {
      s = splitIndices(rows.nRows, {
        testSize: holdout,
        method: classification ? 'stratified' : 'random',
        labels: classification ? (y as Label[]) : undefined,
        seed,
      });
    } catch (e) {
      // The split names its own parameter (testSize); the command line's is --holdout.
      if (!(e instanceof ValidationError) || e.field !== 'testSize') throw e;
      throw new ValidationError(`--holdout ${holdout}: ${e.message.split(' Fix: ')[0]}`, {
        field: 'holdout',
        fix: 'choose a --holdout that leaves at least one row of every class in the training rows and in the held-out rows (e.g. 0.2)',
      });
    }
    trainIdx = s.train;
    testIdx = s.test;
  } else {
    trainIdx = Int32Array.from({ length: rows.nRows }, (_, i) => i);
  }
  const X = target ? rows.drop([target]) : rows;
  if (X.columns.length === 0) {
    // Without this, a one-column file failed deep in the split with "Table.take: row index 0 is
    // outside 0..-1" (a table of no columns has no rows).
    throw new DataError(
      target
        ? `the data has no feature columns: its only column is the target '${target}'.`
        : 'the data has no columns to learn from.',
      { file: options.source, fix: 'add the columns the model should learn from to the file' },
    );
  }
  // Rows used, as indices into the table given (through the quarantine and the missing targets).
  if (screened) kept = kept ? kept.map((i) => screened[i]) : screened;
  return {
    family: fam,
    task,
    target,
    tableSchema,
    inputSchema: { version: 1, columns: tableSchema.columns.filter((c) => c.name !== target) },
    X,
    y,
    trainIdx,
    testIdx,
    kept,
    rows: { total: input.nRows, rejected: rejected.length, missingTarget: missing, used: rows.nRows },
    rejected,
    emptyColumns: X.nRows > 0 ? X.columns.filter((c) => missingCount(c) === X.nRows).map((c) => c.name) : [],
  };
}

/** Distinct non-missing values of a target column, as strings. */
function distinctLabels(target: Column): Set<string> {
  const out = new Set<string>();
  const n = target.type === 'categorical' ? target.codes.length : target.values.length;
  for (let i = 0; i < n; i++) {
    if (isMissing(target, i)) continue;
    switch (target.type) {
      case 'categorical':
        out.add(target.dictionary[target.codes[i]]);
        break;
      case 'boolean':
        out.add(String(target.values[i] === 1));
        break;
      default:
        out.add(String(target.values[i]));
    }
  }
  return out;
}

/** A task forced with `--task` must fit the target: two classes for binary, classes at all for classification. */
function checkForcedTask(
  tcol: Column,
  task: LearningTask,
  detected: LearningTask,
  source: string | undefined,
): void {
  if (task === detected || (task !== 'binary' && task !== 'multiclass')) return;
  const where = source ? ` in ${source}` : '';
  if (tcol.type === 'numeric' && detected === 'regression') {
    let example = Number.NaN;
    for (const v of tcol.values) {
      if (Number.isFinite(v) && !Number.isInteger(v)) {
        example = v;
        break;
      }
    }
    if (example === example) {
      throw new ValidationError(
        `The target '${tcol.name}'${where} holds numbers that are not whole (e.g. ${example}): they are not classes, so --task ${task} cannot learn them.`,
        { field: 'task', fix: 'use --task regression (or --task auto)' },
      );
    }
  }
  if (task === 'binary') {
    const labels = [...distinctLabels(tcol)];
    if (labels.length !== 2) {
      const shown = labels.slice(0, 5).map((l) => `'${l}'`);
      throw new ValidationError(
        `The target '${tcol.name}'${where} has ${labels.length} classes (${shown.join(', ')}${labels.length > 5 ? ', …' : ''}); --task binary needs exactly 2.`,
        { field: 'task', fix: 'use --task multiclass (or --task auto)' },
      );
    }
  }
}

/**
 * A family that cannot do the (detected or forced) classification task, on a numeric target: say
 * why it is classification and that `--task regression` learns it as a number (a target of a few
 * whole numbers, such as bedrooms, is detected as classes). Other cases are left to
 * `makeEstimator`'s error, which lists the families that do the task.
 */
function checkFamilyDoesTask(
  fam: Family,
  tcol: Column,
  task: LearningTask,
  requested: LearningTask | 'auto',
  source: string | undefined,
): void {
  if (task === 'regression' || task === 'clustering' || fam.classifier || !fam.regressor) return;
  if (tcol.type !== 'numeric') return;
  const classifiers = FAMILIES.filter((f) => f.classifier).map((f) => f.name);
  const why =
    requested === 'auto'
      ? `its values are ${distinctLabels(tcol).size} distinct whole numbers, so the task was detected as ${task}`
      : `--task ${task} was asked for`;
  throw new ValidationError(
    `Model family '${fam.name}' does not do ${task} tasks: the target '${tcol.name}'${source ? ` in ${source}` : ''} is numeric, but ${why}.`,
    {
      field: 'model',
      fix: `to predict '${tcol.name}' as a number with ${fam.name}, ${requested === 'auto' ? 'add --task regression' : `use --task regression instead of --task ${requested}`}; to predict it as classes, use --model ${classifiers.join(', ')}`,
    },
  );
}

/** A regression target must be finite: an infinite value is an error naming its line. */
function checkFiniteTarget(
  y: Float64Array,
  target: string,
  source: string | undefined,
  lineOf: (i: number) => number | undefined,
): void {
  for (let i = 0; i < y.length; i++) {
    if (Number.isFinite(y[i])) continue;
    const line = lineOf(i);
    throw new DataError(
      `${line === undefined ? `row ${i + 1}: ` : ''}the target value is ${y[i] > 0 ? 'inf' : '-inf'}; a regression target must be a finite number.`,
      {
        file: source,
        line,
        column: target,
        fix: 'correct that value, or empty the cell (rows without a target are left out and counted)',
      },
    );
  }
}

/** Numeric class labels must be finite: `inf` is not a class. */
function checkFiniteLabels(
  y: readonly Label[],
  target: string,
  source: string | undefined,
  lineOf: (i: number) => number | undefined,
): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (typeof v !== 'number' || Number.isFinite(v)) continue;
    const line = lineOf(i);
    throw new DataError(
      `${line === undefined ? `row ${i + 1}: ` : ''}the target value is ${v > 0 ? 'inf' : '-inf'}, which is not a class.`,
      {
        file: source,
        line,
        column: target,
        fix: 'correct that value, or empty the cell (rows without a target are left out and counted)',
      },
    );
  }
}

/** The fix for a target of numbers written as text. */
const CLEAN_NUMBERS_FIX =
  'write the target as plain numbers — lathe clean <data> -o <file> converts numbers written with thousands separators or a currency sign — then train on the cleaned file (its numbers are a regression target)';

/**
 * When every non-missing one of `values` is a string that reads as a number, and some are written
 * with thousands separators or a currency sign (`804,800`, `$12`) — numbers the reader did not
 * take as numbers —, the first of those; else undefined (codes with leading zeros are not numbers).
 */
function numbersAsText(values: readonly (Label | boolean | Date | null)[]): string | undefined {
  let first: string | undefined;
  for (const v of values) {
    if (v === null) continue;
    if (typeof v !== 'string' || valueKind(v) !== 'number' || hasLeadingZeroDigits(v)) return undefined;
    if (first === undefined && /[,$€£¥]/.test(v)) first = v;
  }
  return first;
}

/** A stratified holdout needs at least 2 rows of every class: a class with 1 row is an error naming its line. */
function checkStratifiable(
  y: readonly Label[],
  target: string,
  source: string | undefined,
  lineOf: (i: number) => number | undefined,
): void {
  const counts = new Map<string, { n: number; first: number }>();
  for (let i = 0; i < y.length; i++) {
    const k = String(y[i]);
    const c = counts.get(k);
    if (c) c.n++;
    else counts.set(k, { n: 1, first: i });
  }
  for (const [label, c] of counts) {
    if (c.n >= 2) continue;
    const line = lineOf(c.first);
    const singles = [...counts.values()].filter((x) => x.n < 2).length;
    // Most classes a single row, and every label a number written as text ('804,800', '$12'):
    // amounts the reader did not take as numbers; --holdout 0 would train a class per row.
    const asText = singles * 2 > counts.size ? numbersAsText(y) : undefined;
    if (asText) {
      throw new DataError(
        `${line === undefined ? `row ${c.first + 1}: ` : ''}the target '${target}' has ${counts.size} distinct values, ${singles} of them on a single row, and every one is a number written as text (e.g. '${label}'): they look like amounts, not classes.`,
        { file: source, line, column: target, fix: CLEAN_NUMBERS_FIX },
      );
    }
    // Most classes a single row, and every label a number: amounts (prices, counts), not classes.
    if (singles * 2 > counts.size && y.every((v) => typeof v === 'number')) {
      throw new DataError(
        `${line === undefined ? `row ${c.first + 1}: ` : ''}the target '${target}' has ${counts.size} distinct numbers, ${singles} of them on a single row (e.g. '${label}'): they look like amounts, not classes, and a classifier cannot learn a class from one row.`,
        {
          file: source,
          line,
          column: target,
          fix: 'use --task regression (or --task auto) to predict the number',
        },
      );
    }
    throw new DataError(
      `${line === undefined ? `row ${c.first + 1}: ` : ''}the class '${label}' has only 1 row${singles > 1 ? ` (and ${singles - 1} other class${singles > 2 ? 'es' : ''} too)` : ''}; the holdout is stratified by class and needs at least 2 rows of each.`,
      {
        file: source,
        line,
        column: target,
        fix: 'correct or drop that row, add more rows of that class, or train on every row with --holdout 0',
      },
    );
  }
}

/** A pipeline of automatic preprocessing and an estimator, before fitting. */
export interface BuiltPipeline {
  model: Pipeline;
  preprocess: ColumnTransformer;
  estimator: Estimator;
  /** The parameters given to the estimator (the seed and native categorical columns filled in). */
  params: Record<string, unknown>;
}

/**
 * The pipeline `lathe train` fits: `autoPreprocessor` for the family, then its estimator with
 * `params`, the run's seed for estimators that take one (unless given), and — for families that
 * learn categories natively — the category-coded columns as `categoricalFeatures`.
 */
export function buildPipeline(
  prep: Pick<PreparedTraining, 'family' | 'task' | 'inputSchema'> & { emptyColumns?: readonly string[] },
  params: Record<string, unknown> = {},
  seed = 0,
  exclude?: readonly string[],
): BuiltPipeline {
  const fam = prep.family;
  const kind = prep.task === 'transform' ? 'clustering' : prep.task;
  const preprocess = autoPreprocessor(prep.inputSchema, {
    forModel: fam.preprocess,
    exclude,
    empty: prep.emptyColumns,
  });
  const probe = makeEstimator(fam.name, kind, {});
  let p = withSeed(probe, params, seed);
  if (
    fam.preprocess === 'native' &&
    'categoricalFeatures' in probe.schema &&
    p.categoricalFeatures === undefined
  ) {
    // The model learns categories natively: tell it which columns carry category codes.
    const cats = nativeCategoricalColumns(preprocess);
    if (cats.length) p = { ...p, categoricalFeatures: cats };
  }
  const estimator = makeEstimator(fam.name, kind, p);
  const model = new Pipeline({
    steps: [
      ['preprocess', preprocess],
      ['model', estimator],
    ],
  });
  return { model, preprocess, estimator, params: p };
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
  const progress = options.progress ?? silentProgress;
  progress.label('train: preparing the data');
  const prep = prepareTraining(table, options);
  const { task, target, X, y, trainIdx, testIdx, kept } = prep;
  const { model, preprocess, estimator } = buildPipeline(
    prep,
    options.params,
    options.seed ?? 0,
    options.exclude,
  );

  const dropped = preprocess.notes.filter((n) => n.action === 'dropped');
  if (X.columns.length > 0 && dropped.length === X.columns.length) {
    // Without this the model's fit said only "X has no columns".
    throw new DataError(
      `every feature column is dropped by the preprocessing: ${dropped.map((n) => `'${n.column}' (${n.reason})`).join(', ')}.`,
      {
        file: options.source,
        fix: 'add columns the model can learn from, or give a column another type in the schema (--schema) if it was misread',
      },
    );
  }
  const Xtrain = testIdx.length ? X.take(trainIdx) : X;
  const ytrain = y && testIdx.length ? pickTarget(y, trainIdx) : y;
  progress.tick();
  if (options.cv && ytrain) progress.label(`train: cross-validating (${options.cv} folds)`);
  const cv =
    options.cv && ytrain
      ? crossValidateTraining(model, task as SupervisedTask, Xtrain, ytrain, options.cv, {
          used: prep.rows.used,
          holdout: testIdx.length,
        })
      : null;
  if (options.cv) progress.tick(options.cv);
  progress.label(`train: fitting ${prep.family.name} on ${Xtrain.nRows} rows`);
  const t0 = performance.now();
  if (ytrain) model.fit(Xtrain, ytrain);
  else model.fit(Xtrain);
  const fitSeconds = (performance.now() - t0) / 1000;
  progress.tick();
  progress.label(
    testIdx.length ? `train: evaluating on the ${testIdx.length}-row holdout` : 'train: measuring',
  );

  let metrics: Record<string, number>;
  const evalX = testIdx.length ? X.take(testIdx) : Xtrain;
  const evalY = testIdx.length && y ? pickTarget(y, testIdx) : ytrain;
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
    checkFinitePredictions(prep.family.name, yPred, proba, options.source);
    metrics = supervisedMetrics(task, {
      yTrue: evalY!,
      yPred,
      proba,
      classes: model.classes_,
    });
  }

  progress.tick();
  return {
    model,
    family: prep.family.name,
    task,
    target,
    classes: model.classes_ ?? null,
    inputSchema: prep.inputSchema,
    tableSchema: prep.tableSchema,
    metrics,
    metricsOn: testIdx.length ? 'holdout' : 'training',
    rows: { ...prep.rows, train: trainIdx.length, holdout: testIdx.length },
    notes: preprocess.notes,
    params: estimator.getParams() as Record<string, unknown>,
    fitSeconds,
    holdoutRows: kept ? testIdx.map((i) => kept[i]) : testIdx,
    cv,
    rejected: prep.rejected,
    reference: referenceSample(
      Xtrain,
      usedInputSchema(model, prep.inputSchema).columns.map((c) => c.name),
      options.seed ?? 0,
    ),
  };
}

/**
 * The safety net behind the feature-value check: a model whose predictions or probabilities on
 * the evaluation rows are not finite (its arithmetic overflowed) is an error, never saved.
 */
function checkFinitePredictions(
  family: string,
  yPred: Label[] | Float64Array,
  proba: Matrix | null,
  source: string | undefined,
): void {
  let bad = 0;
  if (yPred instanceof Float64Array) for (const v of yPred) if (!Number.isFinite(v)) bad++;
  let badProba = 0;
  if (proba) {
    for (let i = 0; i < proba.rows; i++) {
      for (let j = 0; j < proba.cols; j++) {
        if (!Number.isFinite(proba.data[i * proba.cols + j])) {
          badProba++;
          break;
        }
      }
    }
  }
  if (!bad && !badProba) return;
  const what = bad ? `predictions on ${bad}` : `probabilities on ${badProba}`;
  throw new DataError(
    `The fitted ${family} model gives non-finite ${what} of ${yPred.length} evaluation rows (its arithmetic overflowed on these data), so it was not saved.`,
    {
      file: source,
      fix: 'look for extreme values in the numeric columns (lathe profile lists each column’s range) and rescale or correct them, or try another family such as --model gbdt',
    },
  );
}

type SupervisedTask = Exclude<LearningTask, 'clustering'>;

/** Every metric of the task, cross-validated on the training rows (folds in parallel, identical to serial). */
function crossValidateTraining(
  model: Pipeline,
  task: SupervisedTask,
  X: Table,
  y: Label[] | Float64Array,
  folds: number,
  rows: { used: number; holdout: number } = { used: X.nRows, holdout: 0 },
): TrainCv {
  if (!Number.isInteger(folds) || folds < 2) {
    throw new ValidationError(`cv must be an integer ≥ 2; got ${folds}.`, {
      field: 'cv',
      fix: 'use e.g. --cv 5',
    });
  }
  checkFolds(folds, task, X.nRows, y, rows);
  const scoring: Record<string, Scorer> = {};
  for (const m of metricsFor(task)) {
    if (
      m.needsProba &&
      task !== 'regression' &&
      typeof (model.finalEstimator as { predictProba?: unknown }).predictProba !== 'function'
    )
      continue;
    scoring[m.key] = metricScorer(task, m.key);
  }
  // The splitter's own warning speaks of nSplits; checkFolds has said it in --cv terms.
  const { result: r, warnings } = captureWarnings(() =>
    crossValidate(model.clone(), X, y, { cv: folds, scoring, errorScore: 'raise' }),
  );
  for (const w of warnings) if (!isSplitterClassWarning(w)) warn(w.category, w.message);
  const metrics: TrainCv['metrics'] = {};
  for (const [key, scorer] of Object.entries(scoring)) {
    const scores = Array.from(r.testScores[key], (v) => scorer.sign * v);
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const std = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length);
    metrics[key] = { mean, std, scores };
  }
  return { folds, metrics };
}

/**
 * `--cv K` against the training rows, in the flag's terms: more folds than training rows, or (for
 * stratified folds) than rows of the largest class, is an error; a class rarer than K folds is a
 * warning (some folds then lack it), as scikit-learn's StratifiedKFold warns. `lathe train --cv`
 * and `lathe tune --cv` both check with it, so the splitter's own (nSplits) wording never reaches
 * the CLI: silence that with {@link isSplitterClassWarning}.
 */
export function checkFolds(
  k: number,
  task: SupervisedTask,
  n: number,
  y: Label[] | Float64Array,
  rows: { used: number; holdout: number },
): void {
  const which = rows.holdout
    ? `the ${n} training rows (${rows.used} rows with a target less the ${rows.holdout}-row holdout)`
    : `the ${n} training rows (every row with a target; no holdout)`;
  if (k > n) {
    throw new ValidationError(`--cv ${k} asks for more folds than ${which}.`, {
      field: 'cv',
      fix: `use --cv ${Math.min(5, n)}${n > 5 ? ` (at most --cv ${n})` : ''}`,
    });
  }
  if (task === 'regression' || y instanceof Float64Array) return;
  const counts = new Map<string, number>();
  for (const v of y) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => a[1] - b[1]);
  const [rarest, fewest] = sorted[0];
  const [largest, most] = sorted[sorted.length - 1];
  if (k > most) {
    throw new ValidationError(
      `--cv ${k} asks for more folds than the largest class has rows: the folds are stratified by class, and '${largest}' has ${most} of ${which}.`,
      { field: 'cv', fix: `use --cv ${Math.min(5, most)}${most > 5 ? ` (at most --cv ${most})` : ''}` },
    );
  }
  if (k > fewest) {
    warn(
      'UserWarning',
      `--cv ${k}: the class '${rarest}' has only ${fewest} of ${which}, fewer than the ${k} folds, so some folds have none of it; use --cv ${Math.max(2, fewest)} or fewer for every fold to hold every class.`,
    );
  }
}

/** The splitter's rare-class warning (in nSplits terms), which {@link checkFolds} has given in --cv terms. */
export function isSplitterClassWarning(w: LatheWarning): boolean {
  return w.category === 'UserWarning' && /least populated class/.test(w.message);
}

/** The rows `idx` of a target. */
export function pickTarget<T extends Label[] | Float64Array>(y: T, idx: Int32Array): T {
  if (y instanceof Float64Array) {
    const out = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = y[idx[i]];
    return out as T;
  }
  return decodeLabels(idx, y as Label[]) as T;
}

/** The unsupervised families that cluster rows (`kmeans`, `dbscan`), or that transform them (`pca`). */
function unsupervisedNames(kind: 'clustering' | 'transform', sep = ', '): string {
  return FAMILIES.filter(
    (f) => f.unsupervised && (new f.unsupervised().kind === 'transformer') === (kind === 'transform'),
  )
    .map((f) => f.name)
    .join(sep);
}

/**
 * An unsupervised family fits what it fits whatever `--task` says, so a forced task it does not do
 * (regression or classes without a target, clustering for a transform) is refused rather than
 * ignored.
 */
function checkUnsupervisedTask(
  familyName: string,
  task: 'clustering' | 'transform',
  requested?: string,
): void {
  if (!requested || requested === 'auto' || requested === task) return;
  if (requested === 'clustering') {
    throw new ValidationError(
      `--task clustering does not fit '${familyName}', which transforms the rows (it does not cluster them).`,
      {
        field: 'task',
        fix: `drop --task, or choose --model ${unsupervisedNames('clustering', ' or ')} to cluster the rows`,
      },
    );
  }
  throw new ValidationError(
    `--task ${requested} needs a target, but '${familyName}' is unsupervised and takes none (it ${task === 'clustering' ? 'clusters' : 'transforms'} the rows).`,
    { field: 'task', fix: `drop --task, or pass --target <column> with a supervised family (such as gbdt)` },
  );
}
