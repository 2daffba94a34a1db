/**
 * `runJob`: the main job — what `lathe run` does between reading the table and writing the
 * report: profile → compare → tune → evaluate.
 *
 * 1. **Profile** the table (the data-quality report of `lathe profile`, with the target).
 * 2. **Compare** candidate model families (supervised: by k-fold cross-validation of the chosen
 *    metric on the training rows — the holdout is never looked at to choose; clustering: k-means
 *    for k = 2…8 by silhouette). Each candidate is the pipeline `lathe train` fits.
 * 3. **Tune** the best family (supervised) with `tuneModel` in the time left; the tuned
 *    parameters replace the defaults only when their cross-validated score is better.
 * 4. **Evaluate** the chosen model once on the holdout, every metric with a bootstrap confidence
 *    interval (as `lathe evaluate`), and **explain** it: the permutation importance of each input
 *    column on the holdout.
 *
 * The time budget is checked between steps, never inside one: a candidate that has started runs
 * to its end, so a run may overshoot its budget by up to one candidate's cross-validation.
 * Candidates not started in time are listed as skipped. With `nTrials`, the search runs exactly
 * that many trials (reproducible run to run); with only the budget, how many trials fit depends on
 * the machine.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { asClassLabels, type Label } from '../core/labels.ts';
import type { Matrix } from '../core/matrix.ts';
import type { Executor } from '../core/pool.ts';
import { type Progress, silentProgress } from '../core/progress.ts';
import { captureWarnings, onWarning } from '../core/warnings.ts';
import type { Schema } from '../data/schema.ts';
import type { Table } from '../data/table.ts';
import { profileTable } from '../quality/profile.ts';
import type { ProfileSource, QualityReport } from '../quality/report.ts';
import { TUNABLE_FAMILIES } from '../select/default-spaces.ts';
import { type Evaluation, evaluateModel } from './evaluate.ts';
import { family as getFamily, type LearningTask } from './families.ts';
import { type TablePermutationImportance, tablePermutationImportance } from './permutation-importance.ts';
import { defaultMetric, metricSpec, metricsFor } from './scores.ts';
import { detectTask } from './task.ts';
import { prepareTraining, type TrainResult, trainModel } from './train.ts';
import { tuneModel } from './tune.ts';

/** Candidate families of a classification run, in the order they are tried. */
export const CLASSIFICATION_CANDIDATES = ['logistic', 'gbdt', 'random-forest', 'gaussian-nb', 'knn'] as const;
/** Candidate families of a regression run, in the order they are tried. */
export const REGRESSION_CANDIDATES = ['ridge', 'gbdt', 'random-forest', 'knn'] as const;
/** The numbers of clusters a clustering run compares (k-means). */
export const CLUSTER_COUNTS = [2, 3, 4, 5, 6, 7, 8] as const;
/** Above this many training rows k-NN is left out of the default candidates (its predictions cost rows² distances). */
export const KNN_MAX_ROWS = 20_000;

/** Options of {@link runJob}. */
export interface RunJobOptions {
  /** The column to predict; none for clustering. */
  target?: string | null;
  /** `auto` (default): detected from the target (clustering without one). */
  task?: LearningTask | 'auto';
  /** Wall-time budget, in seconds, for comparing and tuning (default 60). */
  timeBudget?: number;
  /** Trials of the search (a fixed count: the same trials on every machine). Default: as many as the budget allows. */
  nTrials?: number;
  /** The metric to choose by (default: `rocAuc` binary, `logLoss` multiclass, `rmse` regression; silhouette for clustering). */
  metric?: string;
  /** Fraction (or row count) held out for the final evaluation (default 0.2). */
  holdout?: number;
  /** Cross-validation folds of the comparison and the search (default 5). */
  cv?: number;
  /** Seed of the split, the folds, the search and the estimators (default 0). */
  seed?: number;
  /** Candidate families (default: by task, {@link CLASSIFICATION_CANDIDATES} / {@link REGRESSION_CANDIDATES}). */
  families?: readonly string[];
  /** Clustering: the numbers of clusters compared (default {@link CLUSTER_COUNTS}). */
  clusterCounts?: readonly number[];
  /** Bootstrap resamples of the holdout intervals (default 1000; 0 for none). */
  nResamples?: number;
  /** A schema for the table (default: inferred). */
  schema?: Schema;
  /** A row with a feature value training cannot take: `error` (default) or `quarantine`. */
  onBadRows?: 'error' | 'quarantine';
  /** The data file's name, for error messages. */
  source?: string;
  /** For each row of the table, its 1-based line in the file, for error messages. */
  rowLines?: ArrayLike<number>;
  /** Where the table came from (for the profile's account of the file and its rejected rows). */
  profileSource?: ProfileSource;
  /** Told of each step as it starts (`label`) and advanced by one as it ends ({@link RUN_STAGES} units). */
  progress?: Progress;
  /**
   * Where the tuning's fits run (e.g. a `QueueExecutor` of `lathe/queue`: worker processes on
   * other machines; default: this machine's threads). The comparison, the refit and the
   * evaluation stay on this machine's threads. The trials are the same either way.
   */
  executor?: Executor;
}

/** The progress units of {@link runJob}: profile, compare, tune, evaluate. */
export const RUN_STAGES = 4;

/** One candidate of the comparison. */
export interface RunCandidate {
  family: string;
  /** Parameters that differ from the family's defaults (clustering: `nClusters`). */
  params: Record<string, unknown>;
  status: 'ok' | 'failed' | 'skipped';
  /** The metric's cross-validated mean and std over the folds (clustering: the silhouette on every row, std null). */
  score: number | null;
  std: number | null;
  /** Wall seconds the candidate took (cross-validation, fit and its own holdout check). */
  seconds: number;
  /** Why it failed or was skipped. */
  reason: string | null;
  /** Warnings raised while it ran (e.g. a solver that did not converge). */
  warnings: string[];
}

/** The search over the best family's parameters. */
export interface RunTuning {
  family: string;
  trials: number;
  completed: number;
  /** Best cross-validated score of the search and its std (metric units). */
  bestScore: number;
  bestStd: number;
  bestParams: Record<string, unknown>;
  /** The default parameters' cross-validated score (from the comparison). */
  defaultScore: number;
  /** Whether the tuned parameters were kept (better cross-validated score than the defaults). */
  kept: boolean;
  seconds: number;
  /** Distinct warnings raised by the trials (e.g. a solver that did not converge on some parameters). */
  warnings: string[];
}

/** Predictions of the chosen model on the holdout rows (for the report's plots). */
export interface RunHoldoutPredictions {
  yTrue: Label[] | Float64Array;
  yPred: Label[] | Float64Array;
  /** Classifiers: probabilities, one column per class (in `classes` order). */
  proba: Matrix | null;
  classes: Label[] | null;
}

/** What {@link runJob} returns. */
export interface RunJobResult {
  task: LearningTask;
  target: string | null;
  /** The metric the candidates were compared by, and its direction. */
  metric: string;
  greaterIsBetter: boolean;
  /** Cross-validation folds of the comparison and the search (supervised tasks). */
  cv: number;
  profile: QualityReport;
  candidates: RunCandidate[];
  /** The family chosen, and its candidate's index in `candidates`. */
  best: string;
  bestIndex: number;
  /** The chosen model's cross-validated score: the tuned parameters' when kept, else the candidate's. */
  bestScore: number;
  tuning: RunTuning | null;
  /** Why no search was run (null when one was, and for clustering, which is not tuned). */
  tuningSkipped: string | null;
  /** The chosen model, fitted on the training rows (as `lathe train` returns it). */
  final: TrainResult;
  /** The chosen model on the holdout, with intervals (null for clustering or without a holdout). */
  evaluation: Evaluation | null;
  holdout: RunHoldoutPredictions | null;
  /**
   * Permutation importance of each input column on the holdout, by the run's metric (5 shuffles;
   * null for clustering or without a holdout).
   */
  importance: TablePermutationImportance | null;
  /** The budget given, the wall seconds comparing and tuning took (what the budget bounds), and the whole job's. */
  timeBudget: number;
  searchSeconds: number;
  seconds: number;
}

/** The tasks in words ("binary classification"), for reports and summaries. */
export const TASK_TITLES: Record<LearningTask, string> = {
  binary: 'binary classification',
  multiclass: 'multiclass classification',
  regression: 'regression',
  clustering: 'clustering',
};

/** A candidate not run yet (or skipped, with the reason). */
function candidate(family: string, params: Record<string, unknown>, skipped: string | null): RunCandidate {
  return {
    family,
    params,
    status: skipped ? 'skipped' : 'ok',
    score: null,
    std: null,
    seconds: 0,
    reason: skipped,
    warnings: [],
  };
}

/** A candidate as reports name it: its family, and its parameters if any ("kmeans (nClusters = 3)"). */
export function candidateLabel(c: RunCandidate): string {
  const params = Object.entries(c.params).map(([k, v]) => `${k} = ${String(v)}`);
  return params.length ? `${c.family} (${params.join(', ')})` : c.family;
}

function clock(): number {
  return performance.now() / 1000;
}

/** The task the run will do, before anything is fitted (same rules as `lathe train`). */
function resolveTask(table: Table, target: string | null, task: LearningTask | 'auto'): LearningTask {
  if (!target) {
    if (task !== 'auto' && task !== 'clustering') {
      throw new ValidationError(`--task ${task} learns a target: name it with --target.`, {
        field: 'target',
        fix: `pass --target <column> (the columns are: ${table.columnNames.join(', ')}), or drop --task for clustering`,
      });
    }
    return 'clustering';
  }
  if (task === 'clustering') {
    throw new ValidationError(`--task clustering takes no target, but --target '${target}' was given.`, {
      field: 'task',
      fix: 'drop --target to cluster the rows, or drop --task clustering to predict the target',
    });
  }
  return task === 'auto' ? detectTask(table.column(target)) : task;
}

/**
 * A clustering run compares k-means for each k by the silhouette: a `metric` or `families` naming
 * anything else (a classifier's metric, a supervised family) is refused rather than ignored.
 */
function checkClusteringChoices(options: RunJobOptions): void {
  if (options.metric !== undefined && options.metric !== 'silhouette') {
    throw new ValidationError(
      `'${options.metric}' is not a clustering metric: without a target, the run clusters the rows and chooses k by the silhouette.`,
      { field: 'metric', fix: 'leave --metric out, or pass --target to predict a column' },
    );
  }
  const other = options.families?.find((name) => name !== 'kmeans');
  if (other !== undefined) {
    throw new ValidationError(
      `Model family '${other}' is not a candidate of a clustering run: without a target, the run compares k-means for k = ${CLUSTER_COUNTS[0]}…${CLUSTER_COUNTS[CLUSTER_COUNTS.length - 1]}.`,
      {
        field: 'families',
        fix: 'leave --models out, or pass --target to compare families that predict a column',
      },
    );
  }
}

function candidateFamilies(task: LearningTask, options: RunJobOptions, rows: number): RunCandidate[] {
  const names =
    options.families ?? (task === 'regression' ? REGRESSION_CANDIDATES : CLASSIFICATION_CANDIDATES);
  if (names.length === 0) {
    throw new ValidationError('No candidate families were given.', {
      field: 'families',
      fix: 'name at least one family, or leave the list out for the default candidates',
    });
  }
  const out: RunCandidate[] = [];
  for (const name of new Set(names)) {
    const f = getFamily(name);
    const does = task === 'regression' ? f.regressor : f.classifier;
    if (!does) {
      throw new ValidationError(`Model family '${name}' does not do ${task} tasks.`, {
        field: 'families',
        fix: `leave it out; for ${task} the default candidates are ${(task === 'regression' ? REGRESSION_CANDIDATES : CLASSIFICATION_CANDIDATES).join(', ')}`,
      });
    }
    const tooMany = !options.families && name === 'knn' && rows > KNN_MAX_ROWS;
    out.push(
      candidate(
        name,
        {},
        tooMany
          ? `more than ${KNN_MAX_ROWS} training rows: k-NN's predictions cost a distance to every training row`
          : null,
      ),
    );
  }
  return out;
}

/**
 * Profiles `table`, compares candidate families, tunes the best and evaluates it on the holdout.
 *
 * @example
 * ```ts
 * const { table } = await readTable('examples/customers.csv');
 * const r = await runJob(table, { target: 'churned', timeBudget: 30 });
 * r.best; r.candidates; r.evaluation?.metrics; r.final.model.predict(table);
 * ```
 */
export async function runJob(table: Table, options: RunJobOptions = {}): Promise<RunJobResult> {
  const start = clock();
  const progress = options.progress ?? silentProgress;
  const budget = options.timeBudget ?? 60;
  if (!(budget > 0) || !Number.isFinite(budget)) {
    throw new ValidationError(`timeBudget must be a positive number of seconds; got ${budget}.`, {
      field: 'timeBudget',
      fix: 'use e.g. --time 60s',
    });
  }
  const target = options.target ?? null;
  const task = resolveTask(table, target, options.task ?? 'auto');
  const seed = options.seed ?? 0;
  const holdout = task === 'clustering' ? 0 : (options.holdout ?? 0.2);
  const cv = options.cv ?? 5;
  const metric = task === 'clustering' ? 'silhouette' : (options.metric ?? defaultMetric(task));
  const spec = task === 'clustering' ? null : metricSpec(task, metric);
  if (task !== 'clustering' && !spec) {
    throw new ValidationError(`'${metric}' is not a ${task} metric.`, {
      field: 'metric',
      fix: `use one of ${metricsFor(task)
        .map((m) => m.key)
        .join(', ')}, or leave --metric out for ${defaultMetric(task)}`,
    });
  }
  if (task === 'clustering') checkClusteringChoices(options);
  const greaterIsBetter = spec ? spec.greaterIsBetter : true;
  const common = {
    target,
    holdout,
    seed,
    schema: options.schema,
    onBadRows: options.onBadRows,
    source: options.source,
    rowLines: options.rowLines,
  };

  // The candidates: families for the task, or numbers of clusters.
  const trainRows = Math.round(table.nRows * (holdout >= 1 ? 1 : 1 - holdout));
  const candidates: RunCandidate[] =
    task === 'clustering'
      ? (options.clusterCounts ?? CLUSTER_COUNTS)
          .filter((k) => k < table.nRows)
          .map((k) => candidate('kmeans', { nClusters: k }, null))
      : candidateFamilies(task, options, trainRows);
  if (candidates.length === 0) {
    throw new ValidationError(`The table has ${table.nRows} rows: too few to compare numbers of clusters.`, {
      field: 'data',
      fix: 'cluster a table with at least 3 rows',
    });
  }
  // The table's own problems (a bad target, a bad row, too few rows of a class) are said once,
  // before any candidate runs: what fails a candidate after this is that family's.
  prepareTraining(table, {
    ...common,
    family: candidates[0].family,
    task: task === 'clustering' ? 'auto' : task,
    params: candidates[0].params,
  });
  progress.label('run: profiling the data');
  const profile = profileTable(table, {
    target: target ?? undefined,
    task: task === 'clustering' ? undefined : task === 'regression' ? 'regression' : 'classification',
    schema: options.schema,
    seed,
    rowLines: options.rowLines,
    source: options.profileSource,
  });
  progress.tick();

  // Compare: each candidate is `lathe train` with cross-validation; the score is the CV mean.
  const fitted = new Map<RunCandidate, TrainResult>();
  // The budget is for comparing and tuning: it starts now, after the profile.
  const budgetStart = clock();
  const compareBudget = budget / 2;
  let firstError: unknown = null;
  for (const c of candidates) {
    if (c.status === 'skipped') continue;
    if (fitted.size > 0 && clock() - budgetStart > compareBudget) {
      c.status = 'skipped';
      c.reason = `the comparison's share of the time budget (${fmtSeconds(compareBudget)}) was spent`;
      continue;
    }
    progress.label(
      `run: comparing ${c.family}${c.params.nClusters ? ` (k = ${c.params.nClusters})` : ''}${task === 'clustering' ? '' : ` by ${cv}-fold cross-validation`}`,
    );
    const t0 = clock();
    try {
      const { result, warnings } = captureWarnings(() =>
        trainModel(table, {
          ...common,
          family: c.family,
          task: task === 'clustering' ? 'auto' : task,
          params: c.params,
          cv: task === 'clustering' ? undefined : cv,
        }),
      );
      c.warnings = [...new Set(warnings.map((w) => `${w.category}: ${w.message}`))];
      const m =
        task === 'clustering' ? { mean: result.metrics.silhouette, std: null } : result.cv?.metrics[metric];
      if (!m || !Number.isFinite(m.mean)) {
        c.status = 'failed';
        c.reason = `${metric} is undefined for its predictions`;
      } else {
        c.score = m.mean;
        c.std = m.std;
        fitted.set(c, result);
      }
    } catch (e) {
      firstError ??= e;
      c.status = 'failed';
      c.reason = (e as Error).message;
    }
    c.seconds = clock() - t0;
  }
  progress.tick();
  const ranked = [...fitted.keys()].sort((a, b) =>
    greaterIsBetter ? (b.score as number) - (a.score as number) : (a.score as number) - (b.score as number),
  );
  if (ranked.length === 0) {
    if (firstError) throw firstError;
    throw new ValidationError(`No candidate could be scored by ${metric}.`, {
      field: 'metric',
      fix: 'choose another --metric, or check the target column',
    });
  }
  const bestCandidate = ranked[0];
  let final = fitted.get(bestCandidate) as TrainResult;

  // Tune the best family in the time left (or for nTrials trials).
  let tuning: RunTuning | null = null;
  const left = budget - (clock() - budgetStart);
  const tuningSkipped =
    task === 'clustering'
      ? null
      : !(TUNABLE_FAMILIES as readonly string[]).includes(bestCandidate.family)
        ? `${bestCandidate.family} has no search space`
        : options.nTrials === 0
          ? 'no trials were asked for'
          : options.nTrials === undefined && left < 1
            ? `less than a second of the ${fmtSeconds(budget)} budget was left after the comparison`
            : null;
  if (task !== 'clustering' && tuningSkipped === null) {
    progress.label(
      `run: tuning ${bestCandidate.family} (${options.nTrials !== undefined ? `${options.nTrials} trials` : `${fmtSeconds(left)} left`})`,
    );
    const t0 = clock();
    // Trials' warnings (a solver that stops short on some parameters) are the search's, kept with it.
    const warnings = new Set<string>();
    const restore = onWarning((w) => warnings.add(`${w.category}: ${w.message}`));
    const tuned = await tuneModel(table, {
      ...common,
      target: target as string,
      family: bestCandidate.family,
      task: task as Exclude<LearningTask, 'clustering'>,
      metric,
      cv,
      nTrials: options.nTrials,
      timeout: options.nTrials !== undefined ? undefined : left,
      executor: options.executor,
    }).finally(restore);
    const better = greaterIsBetter
      ? tuned.bestCvScore > (bestCandidate.score as number)
      : tuned.bestCvScore < (bestCandidate.score as number);
    if (better) final = tuned.train;
    tuning = {
      family: bestCandidate.family,
      trials: tuned.search.trials.length,
      completed: tuned.search.trials.filter((t) => t.state === 'complete').length,
      bestScore: tuned.bestCvScore,
      bestStd: tuned.bestCvStd,
      bestParams: tuned.bestParams,
      defaultScore: bestCandidate.score as number,
      kept: better,
      seconds: clock() - t0,
      warnings: [...warnings],
    };
  }
  const searchSeconds = clock() - budgetStart;
  progress.tick();

  let evaluation: Evaluation | null = null;
  let predictions: RunHoldoutPredictions | null = null;
  let importance: TablePermutationImportance | null = null;
  if (task !== 'clustering' && final.holdoutRows.length >= 2 && target) {
    progress.label(`run: evaluating on the ${final.holdoutRows.length}-row holdout`);
    const rows = table.take(final.holdoutRows);
    const lines = options.rowLines ? Array.from(final.holdoutRows, (i) => options.rowLines![i]) : undefined;
    evaluation = evaluateModel(final.model, final.inputSchema, task, rows, target, {
      nResamples: options.nResamples ?? 1000,
      seed,
      source: options.source,
      rowLines: lines,
    });
    predictions = holdoutPredictions(final, rows, target, task);
    importance = tablePermutationImportance(final.model, rows.drop([target]), predictions.yTrue, {
      task,
      metric,
      seed,
    });
  }
  progress.tick();
  return {
    task,
    target,
    metric,
    greaterIsBetter,
    cv,
    profile,
    candidates,
    best: bestCandidate.family,
    bestIndex: candidates.indexOf(bestCandidate),
    bestScore: tuning?.kept ? tuning.bestScore : (bestCandidate.score as number),
    tuning,
    tuningSkipped,
    final,
    evaluation,
    holdout: predictions,
    importance,
    timeBudget: budget,
    searchSeconds,
    seconds: clock() - start,
  };
}

function holdoutPredictions(
  final: TrainResult,
  rows: Table,
  target: string,
  task: LearningTask,
): RunHoldoutPredictions {
  const X = rows.drop([target]);
  const truth = rows.values(target);
  const classifier = task !== 'regression';
  const yTrue = classifier ? asClassLabels(truth) : Float64Array.from(truth as number[]);
  return {
    yTrue,
    yPred: final.model.predict(X) as Label[] | Float64Array,
    proba: classifier ? final.model.predictProba(X) : null,
    classes: final.classes,
  };
}

/** Seconds as the report and the CLI say them ("42 s", "1.5 s"). */
export function fmtSeconds(s: number): string {
  return s >= 10 ? `${Math.round(s)} s` : `${s.toFixed(1)} s`;
}
