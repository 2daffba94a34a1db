/**
 * The unit of parallel work of model selection: fit a fresh estimator (rebuilt from its
 * unfitted JSON, with a trial's parameters set) on one fold's training rows and send back its
 * predictions on the fold's test rows (and, if asked, on the training rows). Scoring happens on
 * the calling thread, so results do not depend on which thread fitted a fold.
 *
 * In a worker thread, estimators that take `nThreads` are fitted with one thread (the folds are
 * the parallelism); on the calling thread they keep their own setting. Lathe's estimators give
 * the same bytes for any thread count, so this changes speed, never results.
 *
 * Worker threads learn the estimator classes by importing the modules listed in the job
 * (by default Lathe's models and preprocessing; add your own module URLs for custom estimators).
 *
 * @module
 */

import { isMainThread } from 'node:worker_threads';
import { type Estimator, type EstimatorJSON, estimatorClass, estimatorFromJSON } from '../core/estimator.ts';
import type { Label } from '../core/labels.ts';
import type { Matrix } from '../core/matrix.ts';
import { registerTask } from '../core/pool.ts';
import type { Table } from '../data/table.ts';
import type { FoldPredictions } from './scoring.ts';
import { type SharedX, type SharedY, takeWeights, takeX, takeY, unshareX } from './shared-data.ts';

/** Which predictions a fold must return for one set of rows. */
export interface PredictNeeds {
  predict: boolean;
  /** Probabilities, or decision scores when the model has no `predictProba` (threshold scorers). */
  proba: boolean;
  /** Whether decision scores may stand in for missing probabilities. */
  thresholdFallback: boolean;
  /** Decision scores (`decisionFunction`), as `crossValPredict` with `method: 'decisionFunction'`. */
  decision?: boolean;
}

/** One fold to fit. */
export interface FoldJob {
  /** The unfitted estimator (`estimator.toJSON()`). */
  estimator: EstimatorJSON;
  /** Parameters to set before fitting (e.g. a trial's), or null. */
  params: Record<string, unknown> | null;
  X: SharedX;
  y: SharedY;
  /** Per-row weights passed to `fit` as `sampleWeight`, or null. */
  weights: Float64Array | null;
  train: Int32Array;
  test: Int32Array;
  /** Predictions to return on the test rows. */
  testNeeds: PredictNeeds;
  /** Predictions to return on the training rows (null: none). */
  trainNeeds: PredictNeeds | null;
  /** Send the fitted estimator back (as JSON). */
  returnEstimator: boolean;
  /** Module URLs whose import registers the estimator classes (worker threads only). */
  modules: string[];
}

/** What a fold sends back. */
export interface FoldOutcome {
  ok: boolean;
  /** Why the fit or the prediction failed. */
  error?: { name: string; message: string };
  /** Seconds spent in `fit`. */
  fitTime: number;
  /** Seconds spent predicting. */
  predictTime: number;
  test?: FoldPredictions;
  train?: FoldPredictions;
  estimator?: EstimatorJSON;
}

const loaded = new Set<string>();

function typesIn(json: unknown, out: Set<string>, depth = 0): Set<string> {
  if (depth > 12 || json === null || typeof json !== 'object' || ArrayBuffer.isView(json)) return out;
  if (Array.isArray(json)) {
    for (const v of json) typesIn(v, out, depth + 1);
    return out;
  }
  const o = json as Record<string, unknown>;
  if (typeof o.type === 'string' && 'params' in o && 'version' in o) {
    out.add(o.type);
    typesIn(o.params, out, depth + 1);
    return out;
  }
  for (const v of Object.values(o)) typesIn(v, out, depth + 1);
  return out;
}

/**
 * Fits and predicts one fold. Returns synchronously when every estimator class in the job is
 * already registered (always so on the calling thread); otherwise imports `job.modules` first.
 */
export function fitFold(job: FoldJob): FoldOutcome | Promise<FoldOutcome> {
  const unknown = [...typesIn(job.estimator, new Set())].filter((t) => !estimatorClass(t));
  const missing = job.modules.filter((m) => !loaded.has(m));
  if (unknown.length === 0 || missing.length === 0) return runFold(job);
  return Promise.all(missing.map((m) => import(m))).then(() => {
    for (const m of missing) loaded.add(m);
    return runFold(job);
  });
}

/** The task builder for {@link fitFold}. */
export const fitFoldTask = registerTask(import.meta.url, 'fitFold', fitFold);

type Fittable = Estimator & {
  fit(X: unknown, y?: unknown, options?: unknown): unknown;
  predict?(X: unknown): unknown;
  predictProba?(X: unknown): Matrix;
  decisionFunction?(X: unknown): Matrix;
  classes_?: Label[];
};

/**
 * Sets every `nThreads` parameter (also nested `step__nThreads`) to 1; returns the previous values
 * (to restore before the estimator is sent back, so it reads as the caller configured it).
 */
export function singleThreaded(est: Estimator): Record<string, unknown> {
  const p = est.getParams() as Record<string, unknown>;
  const set: Record<string, unknown> = {};
  const before: Record<string, unknown> = {};
  for (const k of Object.keys(p)) {
    if (k === 'nThreads' || k.endsWith('__nThreads')) {
      set[k] = 1;
      before[k] = p[k];
    }
  }
  if (Object.keys(set).length) est.setParams(set as never);
  return before;
}

function runFold(job: FoldJob): FoldOutcome {
  let fitTime = 0;
  let predictTime = 0;
  try {
    const est = estimatorFromJSON(job.estimator) as Fittable;
    if (job.params) est.setParams(job.params as never);
    const threads = isMainThread ? null : singleThreaded(est);
    const X = unshareX(job.X);
    const Xtr = takeX(X, job.train);
    const ytr = takeY(job.y, job.train);
    const w = takeWeights(job.weights, job.train);
    const t0 = performance.now();
    if (w) est.fit(Xtr, ytr, { sampleWeight: w });
    else if (ytr === undefined) est.fit(Xtr);
    else est.fit(Xtr, ytr);
    fitTime = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const classes = job.y.kind === 'labels' ? job.y.classes : null;
    const test = predictions(est, takeX(X, job.test), job.testNeeds, classes);
    const train = job.trainNeeds ? predictions(est, Xtr, job.trainNeeds, classes) : undefined;
    predictTime = (performance.now() - t1) / 1000;
    if (threads && Object.keys(threads).length) est.setParams(threads as never);
    return {
      ok: true,
      fitTime,
      predictTime,
      test,
      train,
      estimator: job.returnEstimator ? est.toJSON() : undefined,
    };
  } catch (e) {
    const err = e as Error;
    return {
      ok: false,
      error: { name: err?.name ?? 'Error', message: err?.message ?? String(e) },
      fitTime,
      predictTime,
    };
  }
}

function predictions(
  est: Fittable,
  X: Matrix | Table,
  needs: PredictNeeds,
  classes: Label[] | null,
): FoldPredictions {
  const out: FoldPredictions = {};
  if (needs.predict) {
    if (typeof est.predict !== 'function') throw new Error(`${est.typeName} has no predict().`);
    const p = est.predict(X);
    if (classes) out.pred = toCodes(p as Label[], classes);
    else if (p instanceof Int32Array) out.pred = p;
    else out.pred = Float64Array.from(p as ArrayLike<number>);
  }
  if (classes && (needs.proba || needs.decision)) out.classCodes = toCodes(est.classes_ ?? [], classes);
  if (needs.decision) {
    if (typeof est.decisionFunction !== 'function')
      throw new Error(`${est.typeName} has no decisionFunction().`);
    const d = est.decisionFunction(X);
    out.decision = Float64Array.from(d.data);
    out.decisionCols = d.cols;
  }
  if (needs.proba) {
    if (typeof est.predictProba === 'function' && classes) {
      out.proba = alignProba(est.predictProba(X), est.classes_ ?? [], classes);
    } else if (needs.thresholdFallback && typeof est.decisionFunction === 'function') {
      const d = est.decisionFunction(X);
      out.decision = Float64Array.from(d.data);
      out.decisionCols = d.cols;
    } else {
      throw new Error(
        `${est.typeName} has no predictProba()${needs.thresholdFallback ? ' or decisionFunction()' : ''}, which the scorer needs.`,
      );
    }
  }
  return out;
}

function keyOf(l: Label): string {
  return typeof l === 'number' ? `n:${l}` : `s:${l}`;
}

function toCodes(labels: ArrayLike<Label>, classes: Label[]): Int32Array {
  const index = new Map<string, number>();
  classes.forEach((c, i) => index.set(keyOf(c), i));
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const c = index.get(keyOf(labels[i]));
    if (c === undefined)
      throw new Error(`the model predicted ${JSON.stringify(labels[i])}, which is not a class of y.`);
    out[i] = c;
  }
  return out;
}

/** Probabilities with one column per class of the whole y (classes missing from a fold get 0). */
function alignProba(P: Matrix, modelClasses: Label[], classes: Label[]): Float64Array {
  const k = classes.length;
  const index = new Map<string, number>();
  classes.forEach((c, i) => index.set(keyOf(c), i));
  const map = modelClasses.map((c) => index.get(keyOf(c)) ?? -1);
  const out = new Float64Array(P.rows * k);
  for (let i = 0; i < P.rows; i++) {
    for (let j = 0; j < P.cols; j++) {
      const c = map[j];
      if (c >= 0) out[i * k + c] = P.data[i * P.cols + j];
    }
  }
  return out;
}
