/**
 * The machinery shared by cross-validation, the curves and the search: put the data in shared
 * memory once, cut the folds, build one {@link FoldJob} per (parameters, fold), run the jobs on an
 * {@link Executor}, and score what comes back on the calling thread.
 *
 * @module
 */

import { DataError, show, ValidationError } from '../core/errors.ts';
import type { Estimator, EstimatorJSON } from '../core/estimator.ts';
import type { Label, TargetInput } from '../core/labels.ts';
import { asMatrix, type Matrix, type MatrixInput } from '../core/matrix.ts';
import { type Executor, executorFor, type Task } from '../core/pool.ts';
import { warn } from '../core/warnings.ts';
import { Table } from '../data/table.ts';
import { type FoldJob, type FoldOutcome, fitFoldTask, type PredictNeeds } from './fold-task.ts';
import type { Scorer } from './scoring.ts';
import { type SharedX, type SharedY, shareTyped, shareX, shareY, truthOf, xRows } from './shared-data.ts';
import { type CvInput, checkCv, type Fold } from './splitters.ts';

/** What X may be for cross-validation: a Matrix, a Table (for pipelines) or rows. */
export type CvX = MatrixInput | Table;

/** Data prepared for fold jobs. */
export interface CvData {
  X: Matrix | Table;
  shared: SharedX;
  y: SharedY;
  weights: Float64Array | null;
  folds: Fold[];
  /** Classes of y (classifiers), sorted. */
  classes: Label[] | null;
  /** The estimator's kind. */
  kind: string;
  n: number;
}

/** Options that decide the data and the folds. */
export interface CvDataOptions {
  cv?: CvInput;
  /** Group of each row, for group splitters. */
  groups?: ArrayLike<unknown>;
  /** Per-row weights passed to `fit`. */
  sampleWeight?: ArrayLike<number> | null;
}

/** Converts X, shares X/y/weights and cuts the folds. */
export function prepareCv(
  estimator: Estimator,
  X: CvX,
  y: TargetInput | undefined | null,
  options: CvDataOptions,
  who: string,
): CvData {
  if (!estimator || typeof (estimator as { toJSON?: unknown }).toJSON !== 'function') {
    throw new ValidationError(`${who}: the first argument must be an estimator; got ${show(estimator)}.`, {
      field: 'estimator',
    });
  }
  const kind = estimator.kind;
  const Xm: Matrix | Table = X instanceof Table ? X : asMatrix(X);
  const n = xRows(Xm);
  if (n < 2)
    throw new ValidationError(`${who}: X has ${n} rows; cross-validation needs at least 2.`, { field: 'X' });
  const supervised = kind === 'classifier' || kind === 'regressor';
  if (supervised && (y === undefined || y === null)) {
    throw new ValidationError(`${who}: y is required for a ${kind}.`, {
      field: 'y',
      fix: 'pass the target as y',
    });
  }
  const ys = shareY(y, n, kind === 'classifier', who);
  let weights: Float64Array | null = null;
  if (options.sampleWeight) {
    const w = options.sampleWeight;
    if (w.length !== n) {
      throw new ValidationError(`${who}: sampleWeight has ${w.length} values but X has ${n} rows.`, {
        field: 'sampleWeight',
      });
    }
    weights = shareTyped(Float64Array.from(w));
  }
  const splitter = checkCv(options.cv, kind === 'classifier');
  const yForSplit = ys.kind === 'labels' ? ys.codes : ys.kind === 'values' ? ys.values : undefined;
  const folds = splitter.split(n, yForSplit, options.groups).map((f) => ({
    train: shareTyped(f.train),
    test: shareTyped(f.test),
  }));
  for (let f = 0; f < folds.length; f++) {
    if (folds[f].train.length === 0 || folds[f].test.length === 0) {
      throw new ValidationError(
        `${who}: fold ${f} has an empty ${folds[f].train.length ? 'test' : 'training'} set.`,
        {
          field: 'cv',
        },
      );
    }
  }
  return {
    X: Xm,
    shared: shareX(Xm),
    y: ys,
    weights,
    folds,
    classes: ys.kind === 'labels' ? ys.classes : null,
    kind,
    n,
  };
}

/** What the scorers need from the model. */
export function needsOf(scorers: readonly Scorer[]): PredictNeeds {
  return {
    predict: scorers.some((s) => s.needs === 'predict'),
    proba: scorers.some((s) => s.needs !== 'predict'),
    thresholdFallback: scorers.every((s) => s.needs !== 'proba'),
  };
}

const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/**
 * Modules a worker imports to know Lathe's estimator classes: the models and the preprocessing
 * steps (for pipelines).
 */
export const DEFAULT_ESTIMATOR_MODULES: readonly string[] = [
  new URL(`../models/index${EXT}`, import.meta.url).href,
  new URL(`../preprocess/index${EXT}`, import.meta.url).href,
];

/** Options of a fold job. */
export interface JobOptions {
  params?: Record<string, unknown> | null;
  testNeeds: PredictNeeds;
  trainNeeds?: PredictNeeds | null;
  returnEstimator?: boolean;
  modules?: readonly string[];
  /** Training rows to use instead of the fold's (learning curves). */
  train?: Int32Array;
}

/** The task that fits `estimator` on fold `f` of `data`. */
export function foldTask(data: CvData, estimator: EstimatorJSON, f: number, o: JobOptions): Task {
  const job: FoldJob = {
    estimator,
    params: o.params ?? null,
    X: data.shared,
    y: data.y,
    weights: data.weights,
    train: o.train ?? data.folds[f].train,
    test: data.folds[f].test,
    testNeeds: o.testNeeds,
    trainNeeds: o.trainNeeds ?? null,
    returnEstimator: o.returnEstimator ?? false,
    modules: [...DEFAULT_ESTIMATOR_MODULES, ...(o.modules ?? [])],
  };
  return fitFoldTask(job);
}

/** The executor for an `nThreads`/`executor` pair of options. */
export function resolveExecutor(options: { nThreads?: number | null; executor?: Executor }): Executor {
  if (options.executor) return options.executor;
  const t = options.nThreads;
  if (t !== undefined && t !== null && (!Number.isInteger(t) || t < 1)) {
    throw new ValidationError(`nThreads must be a positive integer or null; got ${show(t)}.`, {
      field: 'nThreads',
    });
  }
  return executorFor(t);
}

/** Scores one set of predictions of a fold with every scorer. */
export function scoreRows(
  data: CvData,
  scorers: readonly Scorer[],
  rows: Int32Array,
  predictions: NonNullable<FoldOutcome['test']>,
): Record<string, number> {
  const yTrue = truthOf(data.y, rows);
  const out: Record<string, number> = {};
  for (const s of scorers) out[s.name] = s.score({ yTrue, classes: data.classes, predictions });
  return out;
}

/** A scorer that threw on one set of predictions (see {@link scoreRowsCaught}). */
export interface ScoreFailure {
  /** The scorer's name. */
  scorer: string;
  /** What was scored, for messages, e.g. "the test rows of fold 2". */
  where: string;
  /** Whether the test rows (counted for the every-fold rule) or the training rows failed. */
  part: 'test' | 'train';
  error: unknown;
  /** Stores the score the failure gets. */
  set: (score: number) => void;
}

/**
 * {@link scoreRows}, but a scorer that throws (e.g. ROC AUC on a test fold holding one class)
 * scores NaN and is recorded in `failures` instead of aborting every other fold; the caller
 * settles the failures with {@link settleScoreFailures}.
 */
export function scoreRowsCaught(
  data: CvData,
  scorers: readonly Scorer[],
  rows: Int32Array,
  predictions: NonNullable<FoldOutcome['test']>,
  where: string,
  part: 'test' | 'train',
  failures: ScoreFailure[],
  store: (scorer: string, score: number) => void,
): void {
  const yTrue = truthOf(data.y, rows);
  for (const s of scorers) {
    try {
      store(s.name, s.score({ yTrue, classes: data.classes, predictions }));
    } catch (error) {
      store(s.name, Number.NaN);
      failures.push({ scorer: s.name, where, part, error, set: (v) => store(s.name, v) });
    }
  }
}

/**
 * What failed scorings do, as scikit-learn's `_score` (and {@link checkFailures} for fits):
 * with `errorScore: 'raise'` the first error is rethrown; a scorer that failed on the test rows
 * of every fold it scored (`attempts`) rethrows its first error (the scorer does not suit the
 * problem, e.g. a binary scorer on a multiclass target); otherwise each failure warns and scores
 * `errorScore`.
 */
export function settleScoreFailures(
  failures: readonly ScoreFailure[],
  attempts: number,
  errorScore: 'raise' | number,
  who: string,
): void {
  if (failures.length === 0) return;
  if (errorScore === 'raise') throw failures[0].error;
  const testFailures = new Map<string, number>();
  for (const f of failures) {
    if (f.part === 'test') testFailures.set(f.scorer, (testFailures.get(f.scorer) ?? 0) + 1);
  }
  for (const f of failures) {
    if (f.part === 'test' && testFailures.get(f.scorer) === attempts) throw f.error;
  }
  for (const f of failures) {
    f.set(errorScore);
    const message = f.error instanceof Error ? f.error.message : String(f.error);
    warn(
      'UserWarning',
      `${who}: scoring ${f.where} with '${f.scorer}' failed and scores ${errorScore}: ${message}`,
    );
  }
}

/** The error a failed fold raises (user errors keep their class, so the CLI exits with 2). */
export function foldError(outcome: FoldOutcome, what: string): Error {
  const e = outcome.error ?? { name: 'Error', message: 'unknown failure' };
  const message = `${what} failed: ${e.message}`;
  if (e.name === 'ValidationError') return new ValidationError(message);
  if (e.name === 'DataError') return new DataError(message);
  const err = new Error(message);
  err.name = e.name;
  return err;
}

/** Mean and (population) standard deviation, ignoring nothing: NaN in, NaN out. */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN };
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  const mean = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(v / n) };
}
