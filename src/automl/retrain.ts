/**
 * `retrainModel`: the champion/challenger step of the monitoring loop. A model in service (the
 * champion) is fitted again — same family, same hyperparameters, same input columns read with the
 * same types — on newer labelled data (the challenger), and both are scored on the same held-out
 * rows of that data: every metric of the task side by side, and for each the challenger's
 * improvement with a paired bootstrap interval (both models judged on the same resampled rows). The
 * challenger wins on one metric (the task's default unless asked) when it improves on the champion
 * by more than nothing and at least `minImprovement`; a tie keeps the champion.
 *
 * @module
 */

import { DataError, ValidationError } from '../core/errors.ts';
import type { Estimator } from '../core/estimator.ts';
import { asClassLabels, type Label } from '../core/labels.ts';
import type { Progress } from '../core/progress.ts';
import type { Schema } from '../data/schema.ts';
import { inferSchema } from '../data/schema-infer.ts';
import type { Table } from '../data/table.ts';
import { Pipeline } from '../preprocess/pipeline.ts';
import { bootstrapMetric } from '../stats/bootstrap.ts';
import { FAMILIES, type FamilyName, type LearningTask } from './families.ts';
import { predictTable } from './predict.ts';
import { resampledMetric } from './resampled-metrics.ts';
import {
  computeMetric,
  defaultMetric,
  metricSpec,
  metricsFor,
  type SupervisedPredictions,
} from './scores.ts';
import { type TrainResult, trainModel } from './train.ts';

/** The model being retrained: a fitted pipeline and what its package says of it. */
export interface Champion {
  model: Estimator;
  inputSchema: Schema;
  task: LearningTask | 'transform';
  target: string | null;
}

/** Options of {@link retrainModel}. */
export interface RetrainOptions {
  /** The column holding the truth in the new data (default: the champion's target). */
  target?: string;
  /** Fraction (or row count) of the new rows held out to compare the two models. Default 0.2. */
  holdout?: number;
  /** Seed of the split, of the challenger's estimator and of the bootstrap. Default 0. */
  seed?: number;
  /** The metric that decides (a key of the task's metrics). Default: the task's default metric. */
  metric?: string;
  /** How much the challenger must improve the deciding metric by to win (in its units). Default 0. */
  minImprovement?: number;
  /** Bootstrap resamples for the improvement intervals (default 1000; 0 for none). */
  nResamples?: number;
  /** Confidence level of the intervals (default 0.95). */
  confidenceLevel?: number;
  /** Name of the data file, for error messages. */
  source?: string;
  /** For each row of the table, its 1-based line in the file, for error messages. */
  rowLines?: ArrayLike<number>;
  /** Rows with a value training cannot take: `error` (default) or `quarantine` (as {@link trainModel}). */
  onBadRows?: 'error' | 'quarantine';
  /** Told of the challenger's training stages (see {@link trainModel}). */
  progress?: Progress;
}

/** One metric of both models on the held-out rows. */
export interface ComparedMetric {
  key: string;
  title: string;
  greaterIsBetter: boolean;
  champion: number | null;
  challenger: number | null;
  /** How much better the challenger is: challenger − champion, or champion − challenger when lower is better. */
  improvement: number | null;
  /** Paired bootstrap interval of `improvement` (null without resamples or when undefined). */
  lower: number | null;
  upper: number | null;
}

/** The verdict on the deciding metric. */
export interface RetrainDecision {
  winner: 'challenger' | 'champion';
  metric: string;
  improvement: number | null;
  minImprovement: number;
  /** One sentence: why the winner won. */
  reason: string;
}

/** What {@link retrainModel} returns. */
export interface RetrainResult {
  /** The challenger, trained as `lathe train` trains (on the new rows outside the holdout). */
  train: TrainResult;
  family: FamilyName;
  /** The hyperparameters carried over from the champion (its estimator's, without the seed). */
  params: Record<string, unknown>;
  /** Rows both models were scored on (the holdout of the new data). */
  comparedRows: number;
  metrics: ComparedMetric[];
  confidenceLevel: number;
  nResamples: number;
  decision: RetrainDecision;
}

/** The family whose estimator class fitted `model`'s last step, with that step's parameters. */
export function championRecipe(model: Estimator): { family: FamilyName; params: Record<string, unknown> } {
  const final = model instanceof Pipeline ? model.finalEstimator : model;
  const family = final
    ? FAMILIES.find((f) => [f.classifier, f.regressor, f.unsupervised].some((c) => c && final instanceof c))
    : undefined;
  if (!final || !family) {
    throw new ValidationError(
      `the model's estimator (${final?.typeName ?? 'none'}) is not one of Lathe's model families, so it cannot be retrained with the same recipe.`,
      { field: 'model', fix: 'retrain a model written by lathe train, lathe tune or lathe run' },
    );
  }
  // The seed is the retraining's own (a new fit); every other hyperparameter is the champion's.
  const { seed: _seed, ...params } = final.getParams() as Record<string, unknown>;
  return { family: family.name, params };
}

/** `task` when it is a classifier's or regressor's; otherwise a ValidationError (nothing to compare on). */
export function supervisedTask(task: LearningTask | 'transform'): Exclude<LearningTask, 'clustering'> {
  if (task !== 'binary' && task !== 'multiclass' && task !== 'regression') {
    throw new ValidationError(
      `retraining compares a classifier or regressor with its predecessor on labelled rows; this is a ${task} model, which has no truth to compare on.`,
      {
        field: 'model',
        fix: 'fit the new data with lathe train (e.g. lathe train new.csv --model kmeans) and compare the results yourself',
      },
    );
  }
  return task;
}

/**
 * Fits the champion's recipe on `table` (new labelled rows, holding the champion's input columns
 * and the target) and compares the two models on the same held-out rows.
 *
 * @example
 * ```ts
 * const champion = await loadModel('churn@production');
 * const { input } = await readLabelledInput('new.csv', champion, 'churned');
 * const r = retrainModel(
 *   { model: champion.model, inputSchema: champion.pkg.inputSchema, task: champion.pkg.task, target: 'churned' },
 *   input,
 * );
 * r.decision.winner; // 'challenger' or 'champion'
 * ```
 */
export function retrainModel(champion: Champion, table: Table, options: RetrainOptions = {}): RetrainResult {
  const task = supervisedTask(champion.task);
  const target = options.target ?? champion.target;
  if (!target) {
    throw new ValidationError('Name the column holding the truth in the new data.', {
      field: 'target',
      fix: 'pass --target COL',
    });
  }
  const metric = options.metric ?? defaultMetric(task);
  const spec = metricSpec(task, metric);
  if (!spec) {
    throw new ValidationError(`'${metric}' is not a metric of a ${task} model.`, {
      field: 'metric',
      fix: `use one of ${metricsFor(task)
        .map((m) => m.key)
        .join(', ')}`,
    });
  }
  const minImprovement = options.minImprovement ?? 0;
  if (!Number.isFinite(minImprovement) || minImprovement < 0) {
    throw new ValidationError(`minImprovement must be a finite number ≥ 0; got ${minImprovement}.`, {
      field: 'min-improvement',
      fix: 'pass 0 (any improvement wins) or a positive margin in the metric’s units',
    });
  }
  const seed = options.seed ?? 0;
  const { family, params } = championRecipe(champion.model);
  const holdout = options.holdout ?? 0.2;
  if (holdout === 0) {
    throw new ValidationError(
      'retraining needs held-out rows to compare the two models on; a holdout of 0 leaves none.',
      { field: 'holdout', fix: 'pass a fraction such as 0.2 (the default)' },
    );
  }
  if (task !== 'regression' && table.has(target))
    checkNewClasses(champion.model, table, target, task, options);
  const train = trainModel(table, {
    family,
    target,
    task,
    params,
    // The challenger scores files written as the champion's were: it records the same date formats.
    schema: withFormatsOf(inferSchema(table), champion.inputSchema),
    holdout,
    seed,
    source: options.source,
    rowLines: options.rowLines,
    onBadRows: options.onBadRows,
    progress: options.progress,
  });
  const rows = table.take(train.holdoutRows);
  const truth = rows.values(target);
  const yTrue: Label[] | Float64Array =
    task === 'regression' ? Float64Array.from(truth as number[]) : asClassLabels(truth);
  const scored = (model: Estimator, inputSchema: Schema): SupervisedPredictions => {
    const p = predictTable(model, inputSchema, rows, {
      proba: task !== 'regression',
      source: options.source,
    });
    return {
      yTrue,
      yPred: p.predictions as Label[] | Float64Array,
      proba: p.proba,
      classes: p.classes ?? undefined,
    };
  };
  const old = scored(champion.model, champion.inputSchema);
  const neu = scored(train.model, train.inputSchema);
  const nResamples = options.nResamples ?? 1000;
  const level = options.confidenceLevel ?? 0.95;
  const index = Int32Array.from({ length: rows.nRows }, (_, i) => i);
  const metrics: ComparedMetric[] = [];
  for (const m of metricsFor(task)) {
    if (m.needsProba && !(old.proba && neu.proba)) continue;
    const a = finite(computeMetric(task, m.key, old));
    const b = finite(computeMetric(task, m.key, neu));
    const sign = m.greaterIsBetter ? 1 : -1;
    // (+ 0: a tie on a lower-is-better metric is 0, not −0)
    const improvement = a === null || b === null ? null : sign * (b - a) + 0;
    let lower: number | null = null;
    let upper: number | null = null;
    if (improvement !== null && nResamples > 0 && rows.nRows >= 2) {
      // Paired: each resample scores both models on the same rows.
      const onOld = resampledMetric(task, m.key, old);
      const onNew = resampledMetric(task, m.key, neu);
      const r = bootstrapMetric(index, index, (t) => sign * (onNew(t) - onOld(t)), {
        nResamples,
        confidenceLevel: level,
        method: 'percentile',
        seed,
      });
      lower = finite(r.lower);
      upper = finite(r.upper);
      if (lower === null || upper === null) lower = upper = null;
    }
    metrics.push({
      key: m.key,
      title: m.title,
      greaterIsBetter: m.greaterIsBetter,
      champion: a,
      challenger: b,
      improvement,
      lower,
      upper,
    });
  }
  const deciding = metrics.find((m) => m.key === metric);
  return {
    train,
    family,
    params,
    comparedRows: rows.nRows,
    metrics,
    confidenceLevel: level,
    nResamples,
    decision: decide(deciding, spec.title, metric, minImprovement),
  };
}

/**
 * The classes of the new rows, before any fitting. A binary champion knows two classes: a row of
 * another class can be neither predicted nor scored by it (its binary metrics would count the row as
 * the negative class — a wrong answer, not a comparison), so it is refused. And the holdout is
 * stratified, so every class needs 2 rows; retraining cannot drop the holdout as training can.
 */
function checkNewClasses(
  model: Estimator,
  table: Table,
  target: string,
  task: 'binary' | 'multiclass',
  options: RetrainOptions,
): void {
  const known = (model as { classes_?: Label[] }).classes_;
  const names = known ? new Set(known.map(String)) : null;
  const counts = new Map<string, { n: number; first: number }>();
  const values = table.values(target);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === '' || (typeof v === 'number' && !Number.isFinite(v))) continue;
    const k = String(v);
    const c = counts.get(k);
    if (c) c.n++;
    else counts.set(k, { n: 1, first: i });
  }
  for (const [label, c] of counts) {
    const line = options.rowLines?.[c.first];
    const where = { file: options.source, line, column: target };
    const row = line === undefined ? `row ${c.first + 1}: ` : '';
    if (task === 'binary' && names && !names.has(label)) {
      throw new DataError(
        `${row}the class '${label}' is not one of the champion's (${known!.map((k) => `'${k}'`).join(', ')}): a binary model predicts only its own two classes, so the two models cannot be compared on rows of another.`,
        {
          ...where,
          fix: `drop the rows of classes the champion does not know (or relabel them as ${known!.map((k) => `'${k}'`).join(' or ')}); to learn the new classes, fit a new model with lathe train --task multiclass`,
        },
      );
    }
    if (c.n < 2) {
      throw new DataError(
        `${row}the class '${label}' has only 1 row; the held-out rows the two models are compared on are stratified by class and need at least 2 rows of each.`,
        { ...where, fix: 'correct or drop that row, or add more rows of that class' },
      );
    }
  }
}

/** `schema` with the datetime formats `from` records for columns of the same name. */
function withFormatsOf(schema: Schema, from: Schema): Schema {
  const formats = new Map(from.columns.filter((c) => c.format).map((c) => [c.name, c.format]));
  return {
    ...schema,
    columns: schema.columns.map((c) => (formats.has(c.name) ? { ...c, format: formats.get(c.name) } : c)),
  };
}

function decide(
  m: ComparedMetric | undefined,
  title: string,
  metric: string,
  minImprovement: number,
): RetrainDecision {
  const base = { metric, minImprovement };
  if (!m || m.improvement === null) {
    return {
      ...base,
      winner: 'champion',
      improvement: null,
      reason: `${title} is undefined for ${m && m.champion === null ? 'the champion' : 'the challenger'} on the held-out rows, so the challenger cannot be shown better.`,
    };
  }
  const by = formatImprovement(m.improvement);
  if (m.improvement > 0 && m.improvement >= minImprovement) {
    return {
      ...base,
      winner: 'challenger',
      improvement: m.improvement,
      reason: `the challenger improves ${title} by ${by}${minImprovement > 0 ? ` (at least ${minImprovement} was asked)` : ''}.`,
    };
  }
  return {
    ...base,
    winner: 'champion',
    improvement: m.improvement,
    reason:
      m.improvement > 0
        ? `the challenger improves ${title} by only ${by}; at least ${minImprovement} was asked.`
        : m.improvement === 0
          ? `the two models tie on ${title}; a tie keeps the champion.`
          : `the challenger is worse on ${title} by ${formatImprovement(-m.improvement)}.`,
  };
}

function formatImprovement(v: number): string {
  return Math.abs(v) >= 1000 ? v.toFixed(1) : Number(v.toPrecision(4)).toString();
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/**
 * The numbers a retraining records on its run: the challenger's holdout metrics under their own
 * keys (as `lathe train` records them), and `champion_<key>` and `improvement_<key>` for each
 * compared metric — what `lathe reproduce` checks again.
 */
export function retrainMetrics(r: RetrainResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(r.train.metrics)) if (Number.isFinite(v)) out[k] = v;
  for (const m of r.metrics) {
    if (m.champion !== null) out[`champion_${m.key}`] = m.champion;
    if (m.improvement !== null) out[`improvement_${m.key}`] = m.improvement;
  }
  return out;
}
