/**
 * `searchCV`: hyperparameter search by cross-validation — each trial sets parameters on a fresh
 * copy of the estimator and scores them by k-fold CV; a sampler proposes the trials, a pruner
 * stops poor ones early, and the best parameters are refitted on all the data. Optuna's study
 * loop with scikit-learn's `*SearchCV` around it.
 *
 * **Parallel, and identical whatever the parallelism.** Trials run in batches of `batchSize`
 * (default 4 — a property of the search, not of the machine): the sampler proposes a batch from
 * the trials finished before it (with TPE's constant liar, also seeing the batch's earlier
 * proposals as running), and every fold fit of the batch becomes a task on the {@link Executor}
 * (worker threads by default). With a pruner, the folds of a batch advance step by step and the
 * pruner judges the trials in trial-number order, each seeing exactly what it would in a serial
 * run of the same batches. Results come back in task order, so the trial table — parameters,
 * fold scores, states — is the same on 1 thread or 16; only the timings differ. A wall-time
 * budget (`timeout`) is checked between batches: the trials that ran are the first N of the
 * sequence an unlimited run would produce.
 *
 * **Steps.** Without a `resource`, step s (1, 2, …) is "s folds done" and its value the mean of
 * the first s fold scores. With `resource: { param: 'maxIter' }` (boosting), a trial is first
 * cross-validated with a fraction `1/η^(L−1)` of its iterations, then `1/η^(L−2)`, … up to all
 * of them (step = η^k), and the pruner can stop it between budgets.
 *
 * @module
 */

import { show, ValidationError } from '../core/errors.ts';
import type { Estimator } from '../core/estimator.ts';
import type { Label, TargetInput } from '../core/labels.ts';
import type { Executor, Task } from '../core/pool.ts';
import {
  type CvData,
  type CvDataOptions,
  type CvX,
  foldTask,
  meanStd,
  needsOf,
  prepareCv,
  resolveExecutor,
  scoreRows,
} from './cv-core.ts';
import type { FoldOutcome, PredictNeeds } from './fold-task.ts';
import { parameterImportance } from './importance.ts';
import { NopPruner, type Pruner, prunerByName, SuccessiveHalvingPruner } from './pruners.ts';
import { gridValues, type Sampler, samplerByName, TPESampler } from './samplers.ts';
import { resolveScoring, type Scorer, type ScoringInput } from './scoring.ts';
import { takeX } from './shared-data.ts';
import { type Params, type SearchSpace, samplingOrder } from './space.ts';
import { Study } from './study.ts';
import type { TrialRecord, TrialState } from './trial.ts';

/** Budget levels of a resource parameter (boosting iterations, trees). */
export interface ResourceOption {
  /** The integer parameter that sets the budget, e.g. `'maxIter'` (a pipeline's `'model__maxIter'`). */
  param: string;
  /** Number of budget levels (default 3: 1/η², 1/η and all of the budget). */
  levels?: number;
  /** η between levels (default 3). */
  factor?: number;
}

/** Options of {@link searchCV}. */
export interface SearchCVOptions extends CvDataOptions {
  /** The parameters to tune and their distributions (a pipeline's as `step__param`). */
  space: SearchSpace;
  /** Scorer(s); the first is the objective (default: the estimator's score). */
  scoring?: ScoringInput;
  /** `'tpe'` (default, with the constant liar), `'random'`, `'grid'`, or a sampler. */
  sampler?: Sampler | 'tpe' | 'random' | 'grid';
  /** `'none'` (default), `'median'`, `'asha'`, or a pruner. */
  pruner?: Pruner | 'none' | 'median' | 'asha';
  /** Trials to run (failed and pruned ones count). */
  nTrials?: number;
  /** Wall-time budget in seconds, checked between batches. */
  timeout?: number;
  /** Trials proposed and evaluated together (default 4; results do not depend on threads). */
  batchSize?: number;
  /** Seed of the default samplers (default 0). */
  seed?: number;
  /** Prune on a budget parameter's levels instead of on folds. */
  resource?: ResourceOption;
  /** Parameters to evaluate first (e.g. the defaults). */
  enqueue?: readonly Params[];
  /** Refit the best parameters on all the data (default true). */
  refit?: boolean;
  /** Compute fANOVA importances of the parameters (default true; needs 2+ complete trials). */
  importance?: boolean;
  nThreads?: number | null;
  executor?: Executor;
  /** Module URLs registering custom estimators in worker threads. */
  modules?: readonly string[];
  /** Called after each trial ends, in trial-number order. */
  onTrial?: (trial: SearchTrial) => void | Promise<void>;
}

/** One trial of a search. */
export interface SearchTrial {
  number: number;
  params: Params;
  state: Exclude<TrialState, 'running'>;
  /** Mean CV score of the objective (complete trials); the last step's mean for pruned ones; else null. */
  value: number | null;
  /** Standard deviation of the objective over the folds (complete trials). */
  std: number | null;
  /** The objective's score on each fold (NaN for folds not run). */
  foldScores: Float64Array;
  /** Mean and std of every scorer over the folds run (complete trials). */
  scores: Record<string, { mean: number; std: number }>;
  /** Intermediate values: [step, value]. */
  intermediate: [number, number][];
  /** Budget of the resource parameter at each level run (with `resource`). */
  budgets: number[];
  /** Seconds fitting, summed over the folds. */
  fitTime: number;
  /** Wall seconds from the start of the trial's batch to the trial's end. */
  duration: number;
  /** Why a failed trial failed. */
  error: string | null;
}

/** What {@link searchCV} returns. */
export interface SearchResult {
  trials: SearchTrial[];
  /** The best complete trial (highest objective), or null when none completed. */
  best: SearchTrial | null;
  /** The estimator with the best parameters, fitted on all the data (with `refit`). */
  bestEstimator: Estimator | null;
  /** The objective scorer's name; scores are greater-is-better. */
  scorer: string;
  /** Why the search stopped. */
  stopped: 'trials' | 'time' | 'exhausted';
  /** fANOVA importance per parameter (null when not computed). */
  importance: Record<string, number> | null;
  /** Seconds for the whole search (without the refit). */
  elapsed: number;
  /** Seconds refitting the best parameters. */
  refitTime: number;
  /** The folds used. */
  nSplits: number;
  /** The underlying study. */
  study: Study;
}

interface Run {
  trial: TrialRecord;
  stage: number;
  stages: number;
  levels: number[] | null;
  /** Step reported after each level: η^k for the k-th of the configured levels (1, η, η², …). */
  steps: number[] | null;
  perFold: Record<string, Float64Array>;
  fitTime: number;
  done: boolean;
}

function representative(d: SearchSpace[string]): unknown {
  return gridValues(d, 1)[0];
}

/** Checks the space's parameter names on a copy of the estimator (unknown names name the estimator). */
function checkSpace(estimator: Estimator, space: SearchSpace): void {
  samplingOrder(space);
  for (const [k, d] of Object.entries(space)) {
    estimator.clone().setParams({ [k]: representative(d) } as never);
  }
}

function resolveSampler(s: SearchCVOptions['sampler'], seed: number): Sampler {
  if (s === undefined || s === 'tpe') return new TPESampler({ seed, constantLiar: true });
  if (typeof s === 'string') return samplerByName(s, seed);
  if (typeof s === 'object' && s !== null && typeof (s as Sampler).sample === 'function') return s;
  throw new ValidationError(`sampler must be 'tpe', 'random', 'grid' or a sampler; got ${show(s)}.`, {
    field: 'sampler',
  });
}

function resolvePruner(p: SearchCVOptions['pruner'], resource: ResourceOption | undefined): Pruner {
  if (p === undefined || p === 'none') return new NopPruner();
  if (p === 'asha' && resource)
    return new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: resource.factor ?? 3 });
  if (p === 'asha') return new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
  if (typeof p === 'string') return prunerByName(p);
  if (typeof p === 'object' && p !== null && typeof (p as Pruner).prune === 'function') return p;
  throw new ValidationError(`pruner must be 'none', 'median', 'asha' or a pruner; got ${show(p)}.`, {
    field: 'pruner',
  });
}

/** Budget levels for a trial whose full budget is `full`: ceil(full / η^(L−1−k)), distinct, ≥ 1. */
export function budgetLevels(full: number, levels: number, factor: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < levels; k++) {
    const r = Math.max(1, Math.ceil(full / factor ** (levels - 1 - k)));
    if (!out.includes(r)) out.push(r);
  }
  return out;
}

/**
 * Searches `space` for the parameters of `estimator` with the best cross-validated score.
 *
 * @example
 * const r = await searchCV(new HistGradientBoostingClassifier(), X, y, {
 *   space: { learningRate: floatDistribution(0.01, 0.3, { log: true }), maxLeafNodes: intDistribution(8, 128, { log: true }) },
 *   scoring: 'roc_auc', nTrials: 40, cv: 5, pruner: 'median',
 * });
 * r.best?.params; r.best?.value; r.bestEstimator?.predict(Xnew);
 */
export async function searchCV(
  estimator: Estimator,
  X: CvX,
  y: TargetInput | null | undefined,
  options: SearchCVOptions,
): Promise<SearchResult> {
  const who = 'searchCV';
  if (!options || typeof options !== 'object') {
    throw new ValidationError(`${who}: options with a space are required.`, { field: 'space' });
  }
  const { space } = options;
  checkSpace(estimator, space);
  const nTrials = options.nTrials;
  const timeout = options.timeout;
  if (nTrials !== undefined && (!Number.isInteger(nTrials) || nTrials < 1)) {
    throw new ValidationError(`${who}: nTrials must be an integer ≥ 1; got ${show(nTrials)}.`, {
      field: 'nTrials',
    });
  }
  if (timeout !== undefined && !(timeout > 0)) {
    throw new ValidationError(`${who}: timeout must be a positive number of seconds; got ${show(timeout)}.`, {
      field: 'timeout',
    });
  }
  const batchSize = options.batchSize ?? 4;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ValidationError(`${who}: batchSize must be an integer ≥ 1; got ${show(batchSize)}.`, {
      field: 'batchSize',
    });
  }
  const seed = options.seed ?? 0;
  const sampler = resolveSampler(options.sampler, seed);
  if (nTrials === undefined && timeout === undefined && sampler.name !== 'grid') {
    throw new ValidationError(`${who}: give nTrials or timeout (only a grid search ends by itself).`, {
      field: 'nTrials',
      fix: 'pass e.g. nTrials: 50',
    });
  }
  const resource = options.resource;
  if (resource) {
    estimator.clone().setParams({ [resource.param]: 1 } as never);
    const lv = resource.levels ?? 3;
    const f = resource.factor ?? 3;
    if (!Number.isInteger(lv) || lv < 1 || !Number.isInteger(f) || f < 2) {
      throw new ValidationError(`${who}: resource levels must be an integer ≥ 1 and factor an integer ≥ 2.`, {
        field: 'resource',
      });
    }
  }
  const pruner = resolvePruner(options.pruner, resource);
  const data = prepareCv(estimator, X, y, options, who);
  const scorers = resolveScoring(options.scoring, data.kind);
  const needs = needsOf(scorers);
  const executor = resolveExecutor(options);
  const json = estimator.clone().toJSON();
  const K = data.folds.length;
  const study = new Study({ direction: 'maximize', sampler, pruner });
  for (const p of options.enqueue ?? []) study.enqueueTrial(p);
  const pruning = !(pruner instanceof NopPruner);
  const defaults = estimator.getParams() as Record<string, unknown>;

  const results: SearchTrial[] = [];
  const t0 = performance.now();
  let stopped: SearchResult['stopped'] = 'trials';
  for (;;) {
    if (nTrials !== undefined && study.trials.length >= nTrials) break;
    if (timeout !== undefined && study.trials.length > 0 && (performance.now() - t0) / 1000 >= timeout) {
      stopped = 'time';
      break;
    }
    const batchStart = performance.now();
    const runs: Run[] = [];
    let exhausted = false;
    for (let b = 0; b < batchSize; b++) {
      if (nTrials !== undefined && study.trials.length >= nTrials) break;
      const t = study.ask(space);
      if (!t) {
        exhausted = true;
        break;
      }
      let levels: number[] | null = null;
      let steps: number[] | null = null;
      if (resource) {
        const full = Number(t.params[resource.param] ?? defaults[resource.param]);
        if (!Number.isInteger(full) || full < 1) {
          throw new ValidationError(
            `${who}: resource parameter '${resource.param}' is ${show(full)}, not an integer ≥ 1.`,
            {
              field: 'resource',
            },
          );
        }
        const L = resource.levels ?? 3;
        const eta = resource.factor ?? 3;
        levels = budgetLevels(full, L, eta);
        // Levels merged at small budgets are the first ones: the kept ones are the last.
        steps = levels.map((_, k) => eta ** (L - levels!.length + k));
      }
      runs.push({
        trial: t,
        stage: 0,
        stages: levels ? levels.length : pruning ? K : 1,
        levels,
        steps,
        perFold: Object.fromEntries(scorers.map((s) => [s.name, new Float64Array(K).fill(Number.NaN)])),
        fitTime: 0,
        done: false,
      });
    }
    if (runs.length === 0) {
      if (exhausted) stopped = 'exhausted';
      break;
    }
    let alive = runs;
    while (alive.length) {
      const tasks: Task[] = [];
      const counts: number[] = [];
      for (const r of alive) {
        const ts = stageTasks(r, data, json, needs, resource, pruning, options.modules);
        counts.push(ts.length);
        tasks.push(...ts);
      }
      const outcomes = await executor.map<FoldOutcome>(tasks);
      let k = 0;
      for (let i = 0; i < alive.length; i++) {
        consume(
          alive[i],
          outcomes.slice(k, k + counts[i]),
          study,
          data,
          scorers,
          pruning,
          resource !== undefined,
        );
        k += counts[i];
      }
      alive = alive.filter((r) => !r.done);
    }
    const duration = (performance.now() - batchStart) / 1000;
    for (const r of runs) {
      const st = toSearchTrial(r, scorers[0], duration);
      results.push(st);
      await options.onTrial?.(st);
    }
    if (exhausted) {
      stopped = 'exhausted';
      break;
    }
  }
  const elapsed = (performance.now() - t0) / 1000;
  const bestRecord = study.bestTrial;
  const best = bestRecord ? results[bestRecord.number] : null;
  let bestEstimator: Estimator | null = null;
  let refitTime = 0;
  if (best && options.refit !== false) {
    const r0 = performance.now();
    bestEstimator = refit(estimator, best.params, data, options.sampleWeight);
    refitTime = (performance.now() - r0) / 1000;
  }
  let importance: Record<string, number> | null = null;
  if (options.importance !== false && study.trials.filter((t) => t.state === 'complete').length >= 2) {
    try {
      importance = parameterImportance(study.trials, space, { seed });
    } catch {
      importance = null;
    }
  }
  return {
    trials: results,
    best,
    bestEstimator,
    scorer: scorers[0].name,
    stopped,
    importance,
    elapsed,
    refitTime,
    nSplits: K,
    study,
  };
}

function stageTasks(
  r: Run,
  data: CvData,
  json: ReturnType<Estimator['toJSON']>,
  needs: PredictNeeds,
  resource: ResourceOption | undefined,
  pruning: boolean,
  modules: readonly string[] | undefined,
): Task[] {
  const K = data.folds.length;
  const params = { ...r.trial.params } as Record<string, unknown>;
  if (r.levels && resource) {
    params[resource.param] = r.levels[r.stage];
    return data.folds.map((_, f) => foldTask(data, json, f, { params, testNeeds: needs, modules }));
  }
  if (pruning) return [foldTask(data, json, r.stage, { params, testNeeds: needs, modules })];
  return Array.from({ length: K }, (_, f) => foldTask(data, json, f, { params, testNeeds: needs, modules }));
}

function consume(
  r: Run,
  outcomes: FoldOutcome[],
  study: Study,
  data: CvData,
  scorers: readonly Scorer[],
  pruning: boolean,
  byResource: boolean,
): void {
  const t = r.trial;
  const failed = outcomes.find((o) => !o.ok);
  if (failed) {
    study.tell(t, { state: 'failed', error: failed.error?.message ?? 'the fit failed' });
    r.done = true;
    return;
  }
  const K = data.folds.length;
  const folds = byResource || !pruning ? Array.from({ length: K }, (_, f) => f) : [r.stage];
  outcomes.forEach((o, i) => {
    const f = folds[i];
    r.fitTime += o.fitTime;
    let s: Record<string, number>;
    try {
      s = scoreRows(data, scorers, data.folds[f].test, o.test!);
    } catch (e) {
      s = Object.fromEntries(scorers.map((sc) => [sc.name, Number.NaN]));
      t.error = (e as Error).message;
    }
    for (const sc of scorers) r.perFold[sc.name][f] = s[sc.name];
  });
  const obj = r.perFold[scorers[0].name];
  const last = r.stage === r.stages - 1;
  if (byResource) {
    study.report(t, meanStd(obj).mean, r.steps![r.stage]);
  } else if (pruning) {
    study.report(t, meanStd(obj.subarray(0, r.stage + 1)).mean, r.stage + 1);
  } else {
    for (let f = 0; f < K; f++) study.report(t, meanStd(obj.subarray(0, f + 1)).mean, f + 1);
  }
  if (last) {
    const v = meanStd(obj).mean;
    if (Number.isFinite(v)) study.tell(t, { value: v });
    else
      study.tell(t, {
        state: 'failed',
        error: t.error ?? `the ${scorers[0].name} score is ${v} on some fold`,
      });
    r.done = true;
    return;
  }
  if ((pruning || byResource) && study.shouldPrune(t)) {
    study.tell(t, { state: 'pruned' });
    r.done = true;
    return;
  }
  r.stage++;
}

function toSearchTrial(r: Run, objective: Scorer, duration: number): SearchTrial {
  const t = r.trial;
  const obj = r.perFold[objective.name];
  const ran = Array.from(obj).filter((v) => !Number.isNaN(v));
  const scores: SearchTrial['scores'] = {};
  if (t.state === 'complete') {
    for (const [name, v] of Object.entries(r.perFold)) scores[name] = meanStd(v);
  }
  const intermediate = [...t.intermediate.entries()].sort((a, b) => a[0] - b[0]);
  return {
    number: t.number,
    params: t.params,
    state: t.state as SearchTrial['state'],
    value:
      t.state === 'complete'
        ? t.value
        : t.state === 'pruned' && intermediate.length
          ? intermediate[intermediate.length - 1][1]
          : null,
    std: t.state === 'complete' ? meanStd(ran).std : null,
    foldScores: obj,
    scores,
    intermediate,
    budgets: r.levels ? r.levels.slice(0, r.stage + 1) : [],
    fitTime: r.fitTime,
    duration,
    error: t.state === 'failed' ? t.error : null,
  };
}

function refit(
  estimator: Estimator,
  params: Params,
  data: CvData,
  sampleWeight: ArrayLike<number> | null | undefined,
): Estimator {
  const est = estimator.clone().setParams(params as never) as Estimator & {
    fit(X: unknown, y?: unknown, o?: unknown): unknown;
  };
  const y = fullY(data);
  if (sampleWeight) est.fit(data.X, y, { sampleWeight });
  else if (y === undefined) est.fit(data.X);
  else est.fit(data.X, y);
  return est;
}

function fullY(data: CvData): Label[] | Float64Array | undefined {
  if (data.y.kind === 'none') return undefined;
  if (data.y.kind === 'values') return Float64Array.from(data.y.values);
  const { codes, classes } = data.y;
  return Array.from(codes, (c) => classes[c]);
}

/** Options of {@link nestedCrossValidate}: the search's, plus the outer splits. */
export interface NestedCVOptions extends SearchCVOptions {
  /** Outer folds (default 5; stratified for classifiers). The inner `cv` cuts each outer training part. */
  outerCv?: CvDataOptions['cv'];
}

/** What {@link nestedCrossValidate} returns. */
export interface NestedCVResult {
  /** Objective score of each outer fold's refitted best model on the outer test rows. */
  outerScores: Float64Array;
  /** Best inner CV score of each outer fold. */
  innerBestScores: Float64Array;
  /** Best parameters found in each outer fold. */
  bestParams: Params[];
  /** Mean and std of the outer scores: the estimate of how well the whole tuning procedure generalises. */
  mean: number;
  std: number;
  scorer: string;
}

/**
 * Nested cross-validation: the whole search is run inside each outer training part, and the
 * refitted winner is scored on the outer test part — an unbiased estimate of the tuned model's
 * score (the best inner CV score is optimistically biased by the selection).
 */
export async function nestedCrossValidate(
  estimator: Estimator,
  X: CvX,
  y: TargetInput | null | undefined,
  options: NestedCVOptions,
): Promise<NestedCVResult> {
  const outer = prepareCv(
    estimator,
    X,
    y,
    { cv: options.outerCv, groups: options.groups },
    'nestedCrossValidate',
  );
  const scorers = resolveScoring(options.scoring, outer.kind);
  const k = outer.folds.length;
  const outerScores = new Float64Array(k);
  const innerBestScores = new Float64Array(k);
  const bestParams: Params[] = [];
  const yAll = fullY(outer);
  for (let f = 0; f < k; f++) {
    const { train, test } = outer.folds[f];
    const Xtr = takeX(outer.X, train);
    const ytr = yAll === undefined ? undefined : pick(yAll, train);
    const groups = options.groups ? Array.from(train, (i) => options.groups![i]) : undefined;
    const weights = options.sampleWeight ? Array.from(train, (i) => options.sampleWeight![i]) : undefined;
    const r = await searchCV(estimator, Xtr as CvX, ytr, {
      ...options,
      groups,
      sampleWeight: weights,
      refit: true,
      importance: false,
      onTrial: undefined,
    });
    if (!r.best || !r.bestEstimator) {
      throw new ValidationError(`nestedCrossValidate: no trial completed in outer fold ${f}.`, {
        fix: 'check the failed trials of a plain searchCV on the same data',
      });
    }
    bestParams.push(r.best.params);
    innerBestScores[f] = r.best.value!;
    outerScores[f] = scoreOuter(r.bestEstimator, outer, test, scorers[0]);
  }
  const { mean, std } = meanStd(outerScores);
  return { outerScores, innerBestScores, bestParams, mean, std, scorer: scorers[0].name };
}

function pick(y: Label[] | Float64Array, idx: Int32Array): Label[] | Float64Array {
  if (y instanceof Float64Array) return Float64Array.from(idx, (i) => y[i]);
  return Array.from(idx, (i) => y[i]);
}

/** Scores a fitted estimator on rows `rows` of prepared data with one scorer. */
export function scoreOuter(est: Estimator, data: CvData, rows: Int32Array, scorer: Scorer): number {
  const m = est as Estimator & {
    predict?(X: unknown): unknown;
    predictProba?(X: unknown): { data: Float64Array; cols: number };
    decisionFunction?(X: unknown): { data: Float64Array; cols: number };
    classes_?: Label[];
  };
  const Xt = takeX(data.X, rows);
  const needs = needsOf([scorer]);
  const predictions: Parameters<Scorer['score']>[0]['predictions'] = {};
  if (needs.predict) {
    const p = m.predict!(Xt);
    if (data.classes) {
      const index = new Map(data.classes.map((c, i) => [`${typeof c}:${c}`, i]));
      predictions.pred = Int32Array.from(p as Label[], (l) => index.get(`${typeof l}:${l}`) ?? -1);
    } else predictions.pred = p instanceof Int32Array ? p : Float64Array.from(p as ArrayLike<number>);
  }
  if (needs.proba) {
    if (typeof m.predictProba === 'function' && data.classes) {
      const P = m.predictProba(Xt);
      const k = data.classes.length;
      const mc = m.classes_ ?? data.classes;
      const index = new Map(data.classes.map((c, i) => [`${typeof c}:${c}`, i]));
      const out = new Float64Array(rows.length * k);
      for (let i = 0; i < rows.length; i++) {
        for (let j = 0; j < P.cols; j++) {
          const c = index.get(`${typeof mc[j]}:${mc[j]}`);
          if (c !== undefined) out[i * k + c] = P.data[i * P.cols + j];
        }
      }
      predictions.proba = out;
    } else if (typeof m.decisionFunction === 'function') {
      const D = m.decisionFunction(Xt);
      predictions.decision = Float64Array.from(D.data);
      predictions.decisionCols = D.cols;
    }
  }
  return scoreRows(data, [scorer], rows, predictions)[scorer.name];
}
