/**
 * `tuneModel`: hyperparameter search for one model family on a table — what `lathe tune` runs.
 *
 * 1. The rows with a target are split into a training part and a holdout exactly as
 *    {@link trainModel} splits them (stratified for classification, same seed).
 * 2. The pipeline `lathe train` would fit (automatic preprocessing → the family's estimator) is
 *    tuned by k-fold cross-validation on the training part with `searchCV` (sampler, pruner,
 *    budget), over the family's default space (or a given one) — the parameters of the `model`
 *    step.
 * 3. The best parameters are refitted on the whole training part with {@link trainModel}, which
 *    also measures the model on the holdout. The report gives the best CV score, the holdout score
 *    and the gap between them (how optimistic the selection made the CV score).
 * 4. Optionally, nested cross-validation repeats the whole search inside outer folds for an
 *    unbiased estimate of the tuned model's score.
 *
 * Metrics are those of `scores.ts` (`rocAuc`, `logLoss`, `rmse`, …), in their natural units:
 * the search maximises the metric, or minimises it for losses.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import type { Estimator } from '../core/estimator.ts';
import type { Executor } from '../core/pool.ts';
import { suppressWarnings } from '../core/warnings.ts';
import type { Schema } from '../data/schema.ts';
import type { Table } from '../data/table.ts';
import { defaultSpace, prefixSpace } from '../select/default-spaces.ts';
import {
  type NestedCVResult,
  nestedCrossValidate,
  type SearchCVOptions,
  type SearchResult,
  type SearchTrial,
  searchCV,
} from '../select/search.ts';
import { describeDistribution, type Params, type SearchSpace } from '../select/space.ts';
import { family as getFamily, type LearningTask } from './families.ts';
import { defaultMetric, metricScorer } from './scores.ts';
import {
  buildPipeline,
  checkFolds,
  isSplitterClassWarning,
  pickTarget,
  prepareTraining,
  type TrainResult,
  trainModel,
} from './train.ts';

/** Options of {@link tuneModel}. */
export interface TuneOptions {
  /** The model family (`gbdt`, `logistic`, `random-forest`, …). */
  family: string;
  /** The target column. */
  target: string;
  /** `auto` (default) detects it from the target column. */
  task?: Exclude<LearningTask, 'clustering'> | 'auto';
  /** Fixed estimator parameters (not tuned), e.g. `{ earlyStopping: false }`. */
  params?: Record<string, unknown>;
  /** The space over the estimator's parameters (default: the family's default space). */
  space?: SearchSpace;
  /** `tpe` (default), `random` or `grid`. */
  sampler?: 'tpe' | 'random' | 'grid';
  /** Trials to run (default 50 unless `timeout` is given). */
  nTrials?: number;
  /** Wall-time budget of the search, in seconds. */
  timeout?: number;
  /** Cross-validation folds (default 5; stratified for classification). */
  cv?: number;
  /** `none` (default), `median` or `asha`. */
  pruner?: 'none' | 'median' | 'asha';
  /** What the pruner steps over: `folds`, or `iterations` (boosting budget; default for gbdt with a pruner). */
  pruneOn?: 'folds' | 'iterations';
  /** The metric to optimise (default: `rocAuc` binary, `logLoss` multiclass, `rmse` regression). */
  metric?: string;
  /** Holdout fraction (or row count) for the final check, 0 for none (default 0.2). */
  holdout?: number;
  /** Outer folds of nested cross-validation (0 or undefined: off). */
  nested?: number;
  /** Seed of the split, the folds, the sampler and the estimators (default 0). */
  seed?: number;
  /** Trials per batch (default 4). */
  batchSize?: number;
  nThreads?: number | null;
  executor?: Executor;
  /** A schema for the table (default: inferred). */
  schema?: Schema;
  /**
   * What to do with a row whose feature value training cannot take (infinite, or beyond ±1e150):
   * `error` (default) names its line; `quarantine` leaves it out of the search and the refit, as
   * `lathe train` does, and lists it in `train.rejected`.
   */
  onBadRows?: 'error' | 'quarantine';
  /** The data file's name, for error messages. */
  source?: string;
  /** For each row of the table, its 1-based line in the file, for error messages. */
  rowLines?: ArrayLike<number>;
  /**
   * Called after each trial, in trial order. Trial values are the search's (greater is better):
   * multiply by `sign` for the metric's own units.
   */
  onTrial?: (trial: SearchTrial, metric: { key: string; sign: 1 | -1 }) => void | Promise<void>;
}

/** What {@link tuneModel} returns. */
export interface TuneResult {
  /** The refitted best model and its holdout metrics (as `lathe train` reports them). */
  train: TrainResult;
  search: SearchResult;
  /** The metric optimised, and whether larger is better. */
  metric: string;
  greaterIsBetter: boolean;
  task: Exclude<LearningTask, 'clustering'>;
  /** The tuned parameters (estimator names) of the best trial. */
  bestParams: Params;
  /** Best mean CV score (metric units) and its std over the folds. */
  bestCvScore: number;
  bestCvStd: number;
  /** The refitted model's score on the holdout (null without a holdout). */
  holdoutScore: number | null;
  /**
   * How much better the CV score looked than the holdout score (in metric units; positive = CV
   * was optimistic). Null without a holdout.
   */
  gap: number | null;
  /** Nested cross-validation (metric units), when asked for. */
  nested:
    | (Omit<NestedCVResult, 'outerScores' | 'innerBestScores' | 'mean' | 'std'> & {
        outerScores: number[];
        innerBestScores: number[];
        mean: number;
        std: number;
      })
    | null;
  /** The space searched (estimator parameter names → description). */
  space: Record<string, string>;
  /** Rows: total, without target, used for the search (training part), holdout, set aside under quarantine (a feature value training cannot take). */
  rows: { total: number; missingTarget: number; search: number; holdout: number; rejected: number };
  /** Fixed parameters applied to every trial (with the seed filled in). */
  fixedParams: Record<string, unknown>;
}

function unprefix(params: Params, prefix: string): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) out[k.startsWith(prefix) ? k.slice(prefix.length) : k] = v;
  return out;
}

/**
 * Tunes `family` on `table` and refits the best parameters.
 *
 * @example
 * ```ts
 * const { table } = await readTable('examples/customers.csv');
 * const r = await tuneModel(table, { family: 'gbdt', target: 'churned', nTrials: 30, pruner: 'median' });
 * r.bestParams; r.bestCvScore; r.holdoutScore; r.gap;
 * ```
 */
export async function tuneModel(table: Table, options: TuneOptions): Promise<TuneResult> {
  const fam = getFamily(options.family);
  if (!fam.classifier && !fam.regressor) {
    throw new ValidationError(
      `Model family '${fam.name}' is unsupervised; tuning by cross-validation needs a target.`,
      {
        field: 'model',
        fix: 'tune a supervised family (gbdt, random-forest, logistic, ridge, knn, …)',
      },
    );
  }
  if (!options.target) {
    throw new ValidationError('tune needs a target column.', {
      field: 'target',
      fix: `pass --target <column> (the columns are: ${table.columnNames.join(', ')})`,
    });
  }
  const seed = options.seed ?? 0;
  const holdout = options.holdout ?? 0.2;
  // The same rows, task and holdout split as trainModel: searched rows never include the holdout.
  const prep = prepareTraining(table, {
    family: fam.name,
    target: options.target,
    task: options.task,
    holdout,
    seed,
    schema: options.schema,
    onBadRows: options.onBadRows,
    source: options.source,
    rowLines: options.rowLines,
  });
  const task = prep.task as Exclude<LearningTask, 'clustering'>;
  const classification = task !== 'regression';
  const { trainIdx, testIdx } = prep;
  const Xtrain = testIdx.length ? prep.X.take(trainIdx) : prep.X;
  const ytrain = testIdx.length ? pickTarget(prep.y!, trainIdx) : prep.y!;

  const space = options.space ?? defaultSpace(fam.name, classification ? 'classification' : 'regression');
  for (const k of Object.keys(space)) {
    if (Object.hasOwn(options.params ?? {}, k)) {
      throw new ValidationError(`'${k}' is both fixed (--params) and tuned (in the space).`, {
        field: 'params',
        fix: `drop ${k} from --params, or from the space`,
      });
    }
  }
  const built = buildPipeline(prep, options.params, seed);
  const fixed = built.params;
  const pipeline = built.model as Estimator;

  const metric = options.metric ?? defaultMetric(task);
  const scorer = metricScorer(task, metric);
  const greaterIsBetter = scorer.sign === 1;
  const pruner = options.pruner ?? 'none';
  const pruneOn = options.pruneOn ?? (fam.name === 'gbdt' && pruner !== 'none' ? 'iterations' : 'folds');
  if (pruneOn === 'iterations' && fam.name !== 'gbdt') {
    throw new ValidationError(`Pruning on iterations is for gbdt; '${fam.name}' prunes on folds.`, {
      field: 'pruneOn',
      fix: 'use --prune-on folds',
    });
  }
  const nTrials = options.nTrials ?? (options.timeout === undefined ? 50 : undefined);
  const searchOptions: SearchCVOptions = {
    space: prefixSpace(space, 'model__'),
    scoring: scorer,
    sampler: options.sampler ?? 'tpe',
    pruner,
    nTrials,
    timeout: options.timeout,
    cv: options.cv ?? 5,
    seed,
    batchSize: options.batchSize,
    nThreads: options.nThreads,
    executor: options.executor,
    refit: false,
    resource: pruneOn === 'iterations' ? { param: 'model__maxIter', levels: 3, factor: 3 } : undefined,
    onTrial: options.onTrial ? (t) => options.onTrial!(t, { key: metric, sign: scorer.sign }) : undefined,
  };
  // --cv in the flag's terms (as lathe train --cv says it), not the splitter's nSplits.
  checkFolds(searchOptions.cv as number, task, Xtrain.nRows, ytrain, {
    used: prep.rows.used,
    holdout: testIdx.length,
  });
  const restore = suppressWarnings(isSplitterClassWarning);
  let search: SearchResult;
  try {
    search = await searchCV(pipeline, Xtrain, ytrain, searchOptions);
  } finally {
    restore();
  }
  if (!search.best) {
    const errors = [...new Set(search.trials.map((t) => t.error).filter(Boolean))].slice(0, 3);
    throw new ValidationError(
      `No trial completed (${search.trials.length} ran: ${search.trials.filter((t) => t.state === 'failed').length} failed, ${search.trials.filter((t) => t.state === 'pruned').length} pruned).${errors.length ? ` First errors: ${errors.join(' | ')}` : ''}`,
      { fix: 'check the data and the space; try more trials or no pruner' },
    );
  }
  const bestParams = unprefix(search.best.params, 'model__');
  const train = trainModel(table, {
    family: fam.name,
    target: options.target,
    task,
    params: { ...fixed, ...bestParams },
    holdout,
    seed,
    schema: prep.tableSchema,
    // The same rows as the search: set aside again under quarantine (so the holdout matches).
    onBadRows: options.onBadRows,
    source: options.source,
    rowLines: options.rowLines,
  });
  const expected = prep.kept ? testIdx.map((i) => prep.kept![i]) : testIdx;
  if (train.holdoutRows.length !== expected.length || train.holdoutRows.some((v, i) => v !== expected[i])) {
    throw new Error('tune: the refit used a different holdout than the search; please report this.');
  }
  const bestCvScore = scorer.sign * search.best.value!;
  const holdoutScore = testIdx.length ? (train.metrics[metric] ?? Number.NaN) : null;
  const gap =
    holdoutScore === null || !Number.isFinite(holdoutScore)
      ? null
      : greaterIsBetter
        ? bestCvScore - holdoutScore
        : holdoutScore - bestCvScore;

  let nested: TuneResult['nested'] = null;
  if (options.nested) {
    const r = await nestedCrossValidate(pipeline, Xtrain, ytrain, {
      ...searchOptions,
      outerCv: options.nested,
      onTrial: undefined,
    });
    nested = {
      outerScores: Array.from(r.outerScores, (v) => scorer.sign * v),
      innerBestScores: Array.from(r.innerBestScores, (v) => scorer.sign * v),
      bestParams: r.bestParams.map((p) => unprefix(p, 'model__')),
      mean: scorer.sign * r.mean,
      std: r.std,
      scorer: r.scorer,
    };
  }
  return {
    train,
    search,
    metric,
    greaterIsBetter,
    task,
    bestParams,
    bestCvScore,
    bestCvStd: search.best.std ?? Number.NaN,
    holdoutScore,
    gap,
    nested,
    space: Object.fromEntries(Object.entries(space).map(([k, d]) => [k, describeDistribution(d)])),
    rows: {
      total: table.nRows,
      missingTarget: prep.rows.missingTarget,
      search: trainIdx.length,
      holdout: testIdx.length,
      rejected: prep.rows.rejected,
    },
    fixedParams: fixed,
  };
}
