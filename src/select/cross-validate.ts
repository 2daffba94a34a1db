/**
 * Cross-validation: `crossValidate` (scores, times and optionally the fitted estimators of every
 * fold), `crossValScore` (one score per fold) and `crossValPredict` (out-of-fold predictions) —
 * scikit-learn's functions of the same names.
 *
 * Folds run in parallel on worker threads through the {@link Executor} (the estimator travels as
 * its unfitted JSON, X and y once in shared memory, see `shared-data.ts`); the results are
 * identical to a serial run (`nThreads: 1`): each fold is fitted from the same data and
 * parameters whichever thread runs it, and scoring happens on the calling thread in fold order.
 *
 * @module
 */

import { show, ValidationError } from '../core/errors.ts';
import { type Estimator, estimatorFromJSON } from '../core/estimator.ts';
import { type PredictedLabels, predictedLabels, type TargetInput } from '../core/labels.ts';
import { type Matrix, matrix } from '../core/matrix.ts';
import type { Executor } from '../core/pool.ts';
import { warn } from '../core/warnings.ts';
import {
  type CvDataOptions,
  type CvX,
  foldError,
  foldTask,
  needsOf,
  prepareCv,
  resolveExecutor,
  type ScoreFailure,
  scoreRowsCaught,
  settleScoreFailures,
} from './cv-core.ts';
import type { FoldOutcome, PredictNeeds } from './fold-task.ts';
import { resolveScoring, type ScoringInput } from './scoring.ts';
import type { Fold } from './splitters.ts';

/** Options of {@link crossValidate}. */
export interface CrossValidateOptions extends CvDataOptions {
  /** Scorer name(s), scorer(s) or function(s); default: the estimator's `score` (accuracy / R²). */
  scoring?: ScoringInput;
  /** Also score each fold's training rows (default false). */
  returnTrainScore?: boolean;
  /** Return the fitted estimator of each fold (default false). */
  returnEstimator?: boolean;
  /** Worker threads (default `LATHE_THREADS` or all cores; 1 = on the calling thread). */
  nThreads?: number | null;
  /** An executor to run the folds on (overrides `nThreads`). */
  executor?: Executor;
  /**
   * What a fold whose fit fails scores: `'raise'` rethrows the error; a number (default NaN, as
   * scikit-learn) is recorded with a warning. If every fold fails, the error is raised. A scorer
   * that fails on some folds' rows (e.g. ROC AUC on a test fold missing a class) scores the same
   * there; one that fails on every fold raises its error.
   */
  errorScore?: 'raise' | number;
  /** Extra module URLs that register custom estimator classes in worker threads. */
  modules?: readonly string[];
}

/** What {@link crossValidate} returns: one entry per fold, in fold order. */
export interface CrossValidateResult {
  /** The folds (row indices). */
  folds: Fold[];
  /** Seconds fitting each fold. */
  fitTime: Float64Array;
  /** Seconds predicting and scoring each fold's test rows. */
  scoreTime: Float64Array;
  /** Test score of each fold, per scorer name (`'score'` for the default). */
  testScores: Record<string, Float64Array>;
  /** Training score of each fold, per scorer (with `returnTrainScore`). */
  trainScores?: Record<string, Float64Array>;
  /** The fitted estimators (with `returnEstimator`). */
  estimators?: Estimator[];
  /** The error message of each failed fold (null for folds that succeeded). */
  errors: (string | null)[];
}

/**
 * Cross-validates `estimator` on (X, y).
 *
 * @example
 * const r = crossValidate(new LogisticRegression(), X, y, { cv: 5, scoring: ['accuracy', 'roc_auc'] });
 * r.testScores.roc_auc; // Float64Array(5)
 */
export function crossValidate(
  estimator: Estimator,
  X: CvX,
  y?: TargetInput | null,
  options: CrossValidateOptions = {},
): CrossValidateResult {
  const who = 'crossValidate';
  const data = prepareCv(estimator, X, y, options, who);
  const scorers = resolveScoring(options.scoring, data.kind);
  const needs = needsOf(scorers);
  const executor = resolveExecutor(options);
  const json = estimator.clone().toJSON();
  const tasks = data.folds.map((_, f) =>
    foldTask(data, json, f, {
      testNeeds: needs,
      trainNeeds: options.returnTrainScore ? needs : null,
      returnEstimator: options.returnEstimator,
      modules: options.modules,
    }),
  );
  const outcomes = executor.mapSync<FoldOutcome>(tasks);
  const k = data.folds.length;
  const errorScore = options.errorScore ?? Number.NaN;
  checkFailures(outcomes, errorScore, who);
  const result: CrossValidateResult = {
    folds: data.folds,
    fitTime: new Float64Array(k),
    scoreTime: new Float64Array(k),
    testScores: Object.fromEntries(scorers.map((s) => [s.name, new Float64Array(k)])),
    errors: outcomes.map((o) => (o.ok ? null : (o.error?.message ?? 'failed'))),
  };
  if (options.returnTrainScore) {
    result.trainScores = Object.fromEntries(scorers.map((s) => [s.name, new Float64Array(k)]));
  }
  if (options.returnEstimator) result.estimators = [];
  const failures: ScoreFailure[] = [];
  outcomes.forEach((o, f) => {
    result.fitTime[f] = o.fitTime;
    if (!o.ok) {
      for (const s of scorers) {
        result.testScores[s.name][f] = errorScore as number;
        if (result.trainScores) result.trainScores[s.name][f] = errorScore as number;
      }
      result.estimators?.push(estimator.clone());
      return;
    }
    const t0 = performance.now();
    const { testScores, trainScores } = result;
    scoreRowsCaught(
      data,
      scorers,
      data.folds[f].test,
      o.test!,
      `the test rows of fold ${f}`,
      'test',
      failures,
      (s, v) => {
        testScores[s][f] = v;
      },
    );
    result.scoreTime[f] = o.predictTime + (performance.now() - t0) / 1000;
    if (trainScores) {
      scoreRowsCaught(
        data,
        scorers,
        data.folds[f].train,
        o.train!,
        `the training rows of fold ${f}`,
        'train',
        failures,
        (s, v) => {
          trainScores[s][f] = v;
        },
      );
    }
    if (result.estimators) result.estimators.push(estimatorFromJSON(o.estimator!));
  });
  settleScoreFailures(failures, outcomes.filter((o) => o.ok).length, errorScore, who);
  return result;
}

/**
 * Checks `errorScore`, then raises for `'raise'` or when every fold failed; otherwise warns once per
 * failed fold.
 */
export function checkFailures(
  outcomes: readonly FoldOutcome[],
  errorScore: 'raise' | number,
  who: string,
): void {
  if (errorScore !== 'raise' && typeof errorScore !== 'number') {
    throw new ValidationError(`${who}: errorScore must be 'raise' or a number; got ${show(errorScore)}.`, {
      field: 'errorScore',
      fix: "use a number such as NaN or 0, or 'raise'",
    });
  }
  const failed = outcomes.map((o, f) => [o, f] as const).filter(([o]) => !o.ok);
  if (failed.length === 0) return;
  if (errorScore === 'raise' || failed.length === outcomes.length) {
    const [o, f] = failed[0];
    const e = foldError(
      o,
      `${who}: ${failed.length === outcomes.length ? `all ${outcomes.length} fits` : `the fit of fold ${f}`}`,
    );
    throw e;
  }
  for (const [o, f] of failed) {
    warn(
      'FitFailedWarning',
      `${who}: the fit of fold ${f} failed and scores ${errorScore}: ${o.error?.message}`,
    );
  }
}

/** Options of {@link crossValScore}: as {@link crossValidate}, with a single scorer. */
export type CrossValScoreOptions = Omit<CrossValidateOptions, 'returnTrainScore' | 'returnEstimator'> & {
  scoring?: ScoringInput;
};

/** The test score of each fold with one scorer (scikit-learn's `cross_val_score`). */
export function crossValScore(
  estimator: Estimator,
  X: CvX,
  y?: TargetInput | null,
  options: CrossValScoreOptions = {},
): Float64Array {
  if (!estimator || typeof (estimator as { toJSON?: unknown }).toJSON !== 'function') {
    throw new ValidationError(
      `crossValScore: the first argument must be an estimator; got ${show(estimator)}.`,
      {
        field: 'estimator',
        fix: 'pass an unfitted estimator, e.g. new LogisticRegression()',
      },
    );
  }
  if (resolveScoring(options.scoring, estimator.kind).length !== 1) {
    throw new ValidationError('crossValScore takes one scorer; use crossValidate for several.', {
      field: 'scoring',
    });
  }
  const r = crossValidate(estimator, X, y, { ...options, returnTrainScore: false, returnEstimator: false });
  return Object.values(r.testScores)[0];
}

/** Options of {@link crossValPredict}. */
export interface CrossValPredictOptions extends CvDataOptions {
  /**
   * `'predict'` (default), `'predictProba'` (one column per class of y) or `'decisionFunction'`
   * (classifiers with a `decisionFunction`: a `Float64Array` of scores for a binary target, a Matrix
   * with one column per class of y otherwise).
   */
  method?: 'predict' | 'predictProba' | 'decisionFunction';
  nThreads?: number | null;
  executor?: Executor;
  modules?: readonly string[];
}

/**
 * Out-of-fold predictions: each row predicted by the model fitted on the folds that did not hold
 * it (scikit-learn's `cross_val_predict`). The test folds must be a partition of the rows.
 * Returns labels (classifiers: as their `predict` gives them, a `Float64Array` for numeric classes,
 * strings otherwise), values (regressors) or, with `predictProba`, a Matrix with one column per
 * class of y (a class absent from a fold's training rows gets probability 0 there, with a warning,
 * as scikit-learn). With `decisionFunction`, the scores of a binary classifier (positive: the second
 * class) or a Matrix with one column per class of y; a class absent from a fold's training rows
 * scores `-Number.MAX_VALUE` there (scikit-learn's `np.finfo(float).min`), and a fold that trains on
 * two classes of a multiclass y is an error, as in scikit-learn.
 *
 * @example
 * const scores = crossValPredict(new LogisticRegression(), X, y, { cv: 5, method: 'decisionFunction' });
 */
export function crossValPredict(
  estimator: Estimator,
  X: CvX,
  y?: TargetInput | null,
  options: CrossValPredictOptions = {},
): PredictedLabels | Float64Array | Int32Array | Matrix {
  const who = 'crossValPredict';
  const data = prepareCv(estimator, X, y, options, who);
  const seen = new Int32Array(data.n);
  for (const f of data.folds) for (const i of f.test) seen[i]++;
  for (let i = 0; i < data.n; i++) {
    if (seen[i] !== 1) {
      throw new ValidationError(
        `${who}: row ${i} is in ${seen[i]} test folds; out-of-fold predictions need every row in exactly one.`,
        {
          field: 'cv',
          fix: 'use a partitioning splitter such as KFold or StratifiedKFold (not repeated or time-series splits)',
        },
      );
    }
  }
  const method = options.method ?? 'predict';
  if (method !== 'predict' && method !== 'predictProba' && method !== 'decisionFunction') {
    throw new ValidationError(
      `${who}: method must be 'predict', 'predictProba' or 'decisionFunction'; got ${show(method)}.`,
      {
        field: 'method',
        fix: "use 'predictProba' for class probabilities ('predict_proba' in scikit-learn)",
      },
    );
  }
  if (method !== 'predict' && !data.classes) {
    throw new ValidationError(`${who}: method '${method}' needs a classifier; this is a ${data.kind}.`, {
      field: 'method',
      fix: "use method 'predict'",
    });
  }
  const has = (estimator as unknown as Record<string, unknown>)[method];
  if (typeof has !== 'function') {
    throw new ValidationError(`${who}: ${estimator.typeName} has no ${method}().`, {
      field: 'method',
      fix: "use method 'predict', or an estimator that has this method",
    });
  }
  const needs: PredictNeeds = {
    predict: method === 'predict',
    proba: method === 'predictProba',
    thresholdFallback: false,
    decision: method === 'decisionFunction',
  };
  const json = estimator.clone().toJSON();
  const outcomes = resolveExecutor(options).mapSync<FoldOutcome>(
    data.folds.map((_, f) => foldTask(data, json, f, { testNeeds: needs, modules: options.modules })),
  );
  outcomes.forEach((o, f) => {
    if (!o.ok) throw foldError(o, `${who}: the fit of fold ${f}`);
  });
  if (method === 'predictProba') {
    const k = data.classes!.length;
    const out = new Float64Array(data.n * k);
    outcomes.forEach((o, f) => {
      warnMissingClasses(o.test!.classCodes, k, f, who);
      const rows = data.folds[f].test;
      for (let r = 0; r < rows.length; r++) out.set(o.test!.proba!.subarray(r * k, (r + 1) * k), rows[r] * k);
    });
    return matrix(out, data.n, k, data.classes!.map(String));
  }
  if (method === 'decisionFunction')
    return assembleDecision(data.folds, outcomes, data.classes!, data.n, who);
  if (data.classes) {
    const codes = new Int32Array(data.n);
    outcomes.forEach((o, f) => {
      const rows = data.folds[f].test;
      for (let r = 0; r < rows.length; r++) codes[rows[r]] = o.test!.pred![r];
    });
    return predictedLabels(codes, data.classes);
  }
  const first = outcomes[0].test!.pred!;
  const out = first instanceof Int32Array ? new Int32Array(data.n) : new Float64Array(data.n);
  outcomes.forEach((o, f) => {
    const rows = data.folds[f].test;
    for (let r = 0; r < rows.length; r++) out[rows[r]] = o.test!.pred![r];
  });
  return out;
}

/** scikit-learn's warning when a fold's model knows fewer classes than y has. */
function warnMissingClasses(codes: Int32Array | undefined, k: number, f: number, who: string): void {
  if (!codes || codes.length === k) return;
  warn(
    'UserWarning',
    `${who}: the training rows of fold ${f} hold ${codes.length} of the ${k} classes; the missing classes' columns are filled in. Use stratified folds (StratifiedKFold) to keep every class in training.`,
  );
}

/** Out-of-fold decision scores in the order of the classes of y (`_enforce_prediction_order`). */
function assembleDecision(
  folds: readonly Fold[],
  outcomes: readonly FoldOutcome[],
  classes: readonly unknown[],
  n: number,
  who: string,
): Float64Array | Matrix {
  const k = classes.length;
  if (k === 2) {
    const out = new Float64Array(n);
    outcomes.forEach((o, f) => {
      const rows = folds[f].test;
      const c = o.test!.decisionCols!;
      for (let r = 0; r < rows.length; r++) out[rows[r]] = o.test!.decision![r * c + c - 1];
    });
    return out;
  }
  const out = new Float64Array(n * k).fill(-Number.MAX_VALUE);
  outcomes.forEach((o, f) => {
    const t = o.test!;
    const codes = t.classCodes!;
    warnMissingClasses(codes, k, f, who);
    if (codes.length !== k && codes.length <= 2) {
      throw new ValidationError(
        `${who}: the training rows of fold ${f} hold only ${codes.length} of the ${k} classes; decision scores of such a fold cannot be put in the columns of every class.`,
        {
          field: 'cv',
          fix: 'use stratified folds (StratifiedKFold) so every class is in training, or method predictProba',
        },
      );
    }
    const c = t.decisionCols!;
    if (c !== codes.length) {
      throw new ValidationError(
        `${who}: decisionFunction of fold ${f} has ${c} columns for ${codes.length} classes.`,
        { field: 'method', fix: "use method 'predictProba'" },
      );
    }
    const rows = folds[f].test;
    for (let r = 0; r < rows.length; r++) {
      for (let j = 0; j < c; j++) out[rows[r] * k + codes[j]] = t.decision![r * c + j];
    }
  });
  return matrix(out, n, k, classes.map(String));
}
