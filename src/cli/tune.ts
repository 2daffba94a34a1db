/**
 * `lathe tune <data> --target COL --model FAMILY`: hyperparameter search by cross-validation on
 * the training part of the data (TPE, random or grid; optional pruning), then the best parameters
 * refitted and checked on the holdout. Records a parent run with one child run per trial, and
 * writes the refitted model as a model package (as `lathe train` does).
 *
 *   lathe tune examples/customers.csv --target churned --model gbdt --trials 40 --pruner median
 *   lathe tune examples/housing.csv --target price --model ridge --sampler grid
 *   lathe tune examples/wine.csv --target cultivar --model random-forest --time 2m --json
 *
 * @module
 */

import { basename, extname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { FAMILY_NAMES } from '../automl/families.ts';
import { modelDigest, packageInputFor } from '../automl/package.ts';
import { metricsFor } from '../automl/scores.ts';
import { type TuneResult, tuneModel } from '../automl/tune.ts';
import { ValidationError } from '../core/errors.ts';
import type { PlainObject } from '../core/plain.ts';
import { createProgress } from '../core/progress.ts';
import type { QueueExecutor } from '../core/queue/executor.ts';
import { fingerprint } from '../data/fingerprint.ts';
import { readTable } from '../data/read/index.ts';
import type { BadRowPolicy } from '../data/read-types.ts';
import { TUNABLE_FAMILIES } from '../select/default-spaces.ts';
import type { SearchTrial } from '../select/search.ts';
import { checkAliasName, checkModelName } from '../track/names.ts';
import { openStore } from '../track/open.ts';
import { writeModelPackage } from '../track/package/write.ts';
import { registerModel } from '../track/registry.ts';
import type { ParamValue, Store } from '../track/store.ts';
import { startRun, type TrackedRun } from '../track/tracker.ts';
import {
  action,
  type CommonOptions,
  choiceFlag,
  formatScore,
  intFlag,
  jsonFlag,
  note,
  numberFlag,
  output,
  parseDuration,
  withCommonOptions,
} from './common.ts';
import { checkPackageOut } from './model-out.ts';
import { connectQueue, type QueueFlags, queueNote, withQueueOptions } from './queue-flags.ts';
import { writeMoreRejects } from './rejects.ts';

const SAMPLERS = ['tpe', 'random', 'grid'] as const;
const PRUNERS = ['none', 'median', 'asha'] as const;
const TASKS = ['auto', 'binary', 'multiclass', 'regression'] as const;

interface TuneFlags extends CommonOptions, QueueFlags {
  target: string;
  model: string;
  task: (typeof TASKS)[number];
  sampler: (typeof SAMPLERS)[number];
  trials?: number;
  time?: number;
  cv: number;
  pruner: (typeof PRUNERS)[number];
  pruneOn?: 'folds' | 'iterations';
  metric?: string;
  holdout: number;
  nested?: number;
  params?: Record<string, unknown>;
  batchSize: number;
  threads?: number;
  out?: string;
  force?: boolean;
  register?: string;
  alias?: string;
  experiment: string;
  onBadRows?: BadRowPolicy;
  schema?: string;
  track: boolean;
}

/** Registers `lathe tune`. */
export function register(program: Command): void {
  withCommonOptions(
    withQueueOptions(
      program
        .command('tune')
        .description(
          'search hyperparameters by cross-validation, refit the best and save it as a model package',
        )
        .argument('<data>', 'CSV, TSV, Parquet, JSON, NDJSON or Arrow file')
        .requiredOption('--target <column>', 'the column to predict')
        .requiredOption(
          '--model <family>',
          `model family: ${TUNABLE_FAMILIES.join(', ')}`,
          choiceFlag('--model', FAMILY_NAMES),
        )
        .option('--task <task>', `task: ${TASKS.join(', ')}`, choiceFlag('--task', TASKS), 'auto')
        .option('--sampler <name>', 'grid, random or tpe', choiceFlag('--sampler', SAMPLERS), 'tpe')
        .option(
          '--trials <n>',
          'number of trials (default 50, or unlimited with --time)',
          intFlag('--trials'),
        )
        .option('--time <duration>', 'wall-time budget of the search, e.g. 90s, 5m, 1h', (v) =>
          parseDuration('--time', v),
        )
        .option('--cv <k>', 'cross-validation folds', intFlag('--cv', 2), 5)
        .option('--pruner <name>', 'none, median or asha', choiceFlag('--pruner', PRUNERS), 'none')
        .option(
          '--prune-on <what>',
          'folds, or iterations (gbdt boosting budget; the default for gbdt with a pruner)',
          choiceFlag('--prune-on', ['folds', 'iterations'] as const),
        )
        .option('--metric <name>', 'metric to optimise (default: rocAuc, logLoss or rmse by task)')
        .option(
          '--holdout <fraction>',
          'fraction of rows held out to check the tuned model (0: none)',
          numberFlag('--holdout', 0, 0.95),
          0.2,
        )
        .option(
          '--nested <k>',
          'also run nested cross-validation with k outer folds (slow: k searches)',
          intFlag('--nested', 2),
        )
        .option(
          '--params <json>',
          'fixed (untuned) estimator parameters as camelCase JSON',
          jsonFlag('--params'),
        )
        .option(
          '--batch-size <n>',
          'trials proposed and evaluated together (results do not depend on threads)',
          intFlag('--batch-size'),
          4,
        )
        .option('--threads <n>', 'worker threads (default LATHE_THREADS or all cores)', intFlag('--threads')),
      "the trials' fits",
    )
      .option('--out <dir>', 'where to write the model package (default: models/<data>-<family>-tuned)')
      .option('--force', 'replace an existing model package at --out')
      // Names are checked as the flags are read: a bad one must not cost a search and a replaced --out.
      .option('--register <name>', 'register the tuned model under this name', checkModelName)
      .option('--alias <alias>', 'with --register: point this alias at the new version', checkAliasName)
      .option('--experiment <name>', 'experiment to record the runs under', 'default')
      .option(
        '--on-bad-rows <policy>',
        'error (default) or quarantine',
        choiceFlag('--on-bad-rows', ['error', 'quarantine'] as const),
      )
      .option('--schema <file>', 'a schema JSON file overriding inferred column types')
      .option('--no-track', 'do not record runs in the tracking store'),
  )
    .addHelpText(
      'after',
      `\nTunable families: ${TUNABLE_FAMILIES.join(', ')} (their default spaces are listed in docs/tuning.md).\n\nExamples:\n  lathe tune examples/customers.csv --target churned --model gbdt --trials 40 --pruner median\n  lathe tune examples/housing.csv --target price --model ridge --sampler grid\n  lathe tune examples/wine.csv --target cultivar --model random-forest --time 2m --json`,
    )
    .action(action(tuneCommand));
}

function paramValue(v: unknown): ParamValue {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

async function tuneCommand(data: string, flags: TuneFlags): Promise<void> {
  // Where the package goes is checked before any work: never replace an input, never search in vain.
  const out = flags.out ?? join('models', `${basename(data, extname(data))}-${flags.model}-tuned`);
  const replacing = await checkPackageOut(out, data, flags, flags.out === undefined);
  // The queue (when asked for) before any work: an unreachable server or no worker is said at once.
  const executor = await connectQueue(flags);
  try {
    await tuneWith(data, out, replacing, flags, executor);
  } finally {
    await executor?.close();
  }
}

async function tuneWith(
  data: string,
  out: string,
  replacing: boolean,
  flags: TuneFlags,
  executor: QueueExecutor | undefined,
): Promise<void> {
  if (executor) note(flags, queueNote('tune', "the trials' fits", executor));
  const read = await readTable(data, { onBadRows: flags.onBadRows, schema: flags.schema });
  if (read.summary.rejected > 0) {
    note(
      flags,
      `read ${read.summary.rowsRead} rows: ${read.summary.accepted} accepted + ${read.summary.rejected} rejected (see ${read.summary.rejectsPath})`,
    );
  }
  const seed = flags.seed ?? 0;
  if (flags.register && !flags.track) {
    throw new ValidationError('--register needs the tracking store; drop --no-track.', { field: 'register' });
  }
  if (flags.alias && !flags.register) {
    throw new ValidationError(
      `--alias ${flags.alias} points an alias at the registered version: it needs --register.`,
      {
        field: 'alias',
        fix: 'pass --register NAME as well, or drop --alias',
      },
    );
  }

  let store: Store | undefined;
  let parent: TrackedRun | undefined;
  const dataFingerprint = fingerprint(read.table);
  const nTrials = flags.trials ?? (flags.time === undefined ? 50 : undefined);
  const progress = createProgress({ total: nTrials ?? 0, label: `tune ${flags.model}`, quiet: flags.quiet });
  let best = Number.NaN;
  try {
    if (flags.track) {
      store = await openStore(flags.store);
      parent = await startRun({
        store,
        experiment: flags.experiment,
        name: `tune ${flags.model}`,
        seed,
        params: {
          data,
          family: flags.model,
          target: flags.target,
          requestedTask: flags.task,
          sampler: flags.sampler,
          trials: nTrials ?? null,
          timeSeconds: flags.time ?? null,
          cv: flags.cv,
          pruner: flags.pruner,
          pruneOn: flags.pruneOn ?? null,
          metric: flags.metric ?? null,
          holdout: flags.holdout,
          nested: flags.nested ?? null,
          batchSize: flags.batchSize,
          seed,
          userParams: JSON.stringify(flags.params ?? {}),
          onBadRows: flags.onBadRows ?? 'error',
          schemaFile: flags.schema ?? null,
          readSchema: true,
        },
        tags: {
          command: 'tune',
          family: flags.model,
          ...(executor ? { executor: `queue ${executor.queueName}` } : {}),
        },
      });
    }
    const trialRuns: string[] = [];
    const result = await tuneModel(read.table, {
      family: flags.model,
      target: flags.target,
      task: flags.task,
      params: flags.params,
      sampler: flags.sampler,
      nTrials,
      timeout: flags.time,
      cv: flags.cv,
      pruner: flags.pruner,
      pruneOn: flags.pruneOn,
      metric: flags.metric,
      holdout: flags.holdout,
      nested: flags.nested,
      seed,
      batchSize: flags.batchSize,
      nThreads: flags.threads,
      executor,
      onBadRows: flags.onBadRows,
      source: data,
      rowLines: read.rowLines,
      schema: read.schema, // as lathe train: the file's datetime formats and --schema's types
      onTrial: async (t, metric) => {
        if (t.state === 'complete' && t.value !== null && !(t.value <= best)) best = t.value;
        progress.label(`tune ${flags.model} (best ${metric.key} ${formatScore(metric.sign * best)})`);
        progress.tick();
        if (parent && store) trialRuns.push(await logTrial(store, parent, t, metric, flags));
      },
    });
    progress.finish();
    // Rows with a feature value training cannot take (inf, or beyond ±1e150) join the reader's rejects.
    if (result.train.rejected.length) {
      const rejectsPath = writeMoreRejects(
        data,
        read,
        result.train.rejected.map((x) => ({ ...x, reason: `column '${x.column}': ${x.reason}` })),
      );
      note(
        flags,
        `set aside ${result.train.rejected.length} more row${result.train.rejected.length === 1 ? '' : 's'} with a feature value training cannot take (see ${rejectsPath})`,
      );
    }
    const digest = modelDigest(result.train.model);
    const lineage: PlainObject = {
      runId: parent?.id ?? null,
      dataPath: data,
      dataFingerprint,
      seed,
      modelSha256: digest,
      tunedBy: 'lathe tune',
    };
    // Said only now that a model is there to write: a search that fails replaces nothing.
    if (replacing) note(flags, `replacing the model package at ${out}`);
    const written = await writeModelPackage(
      out,
      packageInputFor(result.train, lineage, flags.register ?? null),
      {
        overwrite: true,
      },
    );
    let registered: { name: string; version: number; alias?: string } | undefined;
    if (parent && store) {
      await parent.logDataset({
        name: basename(data),
        fingerprint: dataFingerprint,
        schema: result.train.tableSchema,
        nRows: read.table.nRows,
      });
      await parent.logParams(
        Object.fromEntries(Object.entries(result.bestParams).map(([k, v]) => [`best.${k}`, paramValue(v)])),
      );
      const metrics: Record<string, number> = { [`cv_${result.metric}`]: result.bestCvScore };
      if (Number.isFinite(result.bestCvStd)) metrics[`cv_${result.metric}_std`] = result.bestCvStd;
      if (result.holdoutScore !== null && Number.isFinite(result.holdoutScore))
        metrics[`holdout_${result.metric}`] = result.holdoutScore;
      if (result.gap !== null) metrics.gap = result.gap;
      for (const [k, v] of Object.entries(result.train.metrics)) if (Number.isFinite(v)) metrics[k] = v;
      for (const [k, v] of Object.entries(result.search.importance ?? {}))
        metrics[`importance.${k.replace(/^model__/, '')}`] = v;
      if (result.nested) metrics[`nested_${result.metric}`] = result.nested.mean;
      await parent.logMetrics(metrics);
      await parent.setTags({
        task: result.task,
        modelSha256: digest,
        bestTrial: String(result.search.best!.number),
        stopped: result.search.stopped,
      });
      await parent.logArtifact('trials.json', { text: JSON.stringify(trialTable(result), null, 2) });
      await parent.logModelPackage(written.path, 'model.lathe');
      if (flags.register) {
        const v = await registerModel(store, flags.register, written.path, {
          alias: flags.alias,
          via: 'lathe tune',
        });
        registered = {
          name: flags.register,
          version: v.version,
          ...(flags.alias ? { alias: flags.alias } : {}),
        };
      }
      await parent.end('finished');
    }
    report(
      flags,
      result,
      written.path,
      parent?.id ?? null,
      registered,
      digest,
      trialRuns,
      read.summary.rejected,
    );
  } catch (e) {
    progress.finish();
    if (parent && !parent.ended) await parent.end('failed', (e as Error).message).catch(() => {});
    throw e;
  } finally {
    await store?.close();
  }
}

/** One child run per trial: its parameters, CV score (metric units), fold scores and state. */
async function logTrial(
  store: Store,
  parent: TrackedRun,
  t: SearchTrial,
  metric: { key: string; sign: 1 | -1 },
  flags: TuneFlags,
): Promise<string> {
  const params: Record<string, ParamValue> = { trial: t.number };
  for (const [k, v] of Object.entries(t.params)) params[k.replace(/^model__/, '')] = paramValue(v);
  const run = await startRun({
    store,
    experiment: flags.experiment,
    name: `trial ${t.number}`,
    parent,
    params,
    tags: { command: 'tune', state: t.state, family: flags.model },
    lineage: false,
    handleSignals: false,
  });
  try {
    const m = metric.key;
    for (const [step, v] of t.intermediate) {
      if (Number.isFinite(v)) await run.logMetric(`cv_${m}_running`, metric.sign * v, step);
    }
    const fold: Record<string, number> = {};
    t.foldScores.forEach((v, i) => {
      if (Number.isFinite(v)) fold[`fold_${i}_${m}`] = metric.sign * v;
    });
    if (Object.keys(fold).length) await run.logMetrics(fold);
    if (t.state === 'complete' && t.value !== null) {
      await run.logMetrics({
        [`cv_${m}`]: metric.sign * t.value,
        ...(t.std !== null ? { [`cv_${m}_std`]: t.std } : {}),
        fit_seconds: t.fitTime,
      });
    }
    if (t.budgets.length) await run.logParam('budgets', t.budgets.join(','));
    await run.end(t.state === 'failed' ? 'failed' : 'finished', t.state === 'failed' ? t.error : null);
  } catch (e) {
    await run.end('failed', (e as Error).message).catch(() => {});
    throw e;
  }
  return run.id;
}

function num(v: number | null): number | null {
  return v === null || !Number.isFinite(v) ? null : v;
}

/** The metric of a trial value (the search maximises; losses are negated inside it). */
function metricValue(r: TuneResult, v: number | null): number | null {
  return v === null ? null : num(r.greaterIsBetter ? v : -v);
}

function trialTable(r: TuneResult) {
  return r.search.trials.map((t) => ({
    number: t.number,
    state: t.state,
    params: Object.fromEntries(Object.entries(t.params).map(([k, v]) => [k.replace(/^model__/, ''), v])),
    value: metricValue(r, t.value),
    std: num(t.std),
    foldScores: Array.from(t.foldScores, (v) => metricValue(r, Number.isNaN(v) ? null : v)),
    budgets: t.budgets,
    fitSeconds: t.fitTime,
    seconds: t.duration,
    error: t.error,
  }));
}

/**
 * A tuned parameter's value as the text report prints it: a whole number in full (`maxIter 234`,
 * not `234.0`, which reads as a float), other numbers to 4 significant digits, anything else as
 * its text.
 */
export function formatParamValue(v: unknown): string {
  if (typeof v !== 'number') return String(v);
  return Number.isInteger(v) ? String(v) : formatScore(v);
}

function report(
  flags: TuneFlags,
  r: TuneResult,
  path: string,
  runId: string | null,
  registered: { name: string; version: number; alias?: string } | undefined,
  digest: string,
  trialRuns: string[],
  readRejected: number,
): void {
  const s = r.search;
  const count = (state: string) => s.trials.filter((t) => t.state === state).length;
  const json = {
    runId,
    trialRunIds: trialRuns,
    model: {
      path,
      family: r.train.family,
      task: r.task,
      target: r.train.target,
      classes: r.train.classes,
      sha256: digest,
    },
    metric: r.metric,
    greaterIsBetter: r.greaterIsBetter,
    sampler: flags.sampler,
    pruner: flags.pruner,
    cv: s.nSplits,
    stopped: s.stopped,
    trials: {
      run: s.trials.length,
      complete: count('complete'),
      pruned: count('pruned'),
      failed: count('failed'),
    },
    best: {
      number: s.best!.number,
      params: r.bestParams,
      cvScore: num(r.bestCvScore),
      cvStd: num(r.bestCvStd),
      foldScores: Array.from(s.best!.foldScores, (v) => metricValue(r, v)),
    },
    holdout: {
      score: num(r.holdoutScore),
      rows: r.rows.holdout,
      metrics: Object.fromEntries(Object.entries(r.train.metrics).map(([k, v]) => [k, num(v)])),
    },
    gap: num(r.gap),
    nested: r.nested,
    importance: s.importance
      ? Object.fromEntries(Object.entries(s.importance).map(([k, v]) => [k.replace(/^model__/, ''), v]))
      : null,
    space: r.space,
    fixedParams: r.fixedParams,
    // As lathe train counts them: the reader's bad rows and those set aside for a feature value.
    rows: { ...r.rows, rejected: readRejected + r.rows.rejected },
    notes: r.train.notes,
    searchSeconds: s.elapsed,
    refitSeconds: r.train.fitSeconds,
    trialTable: trialTable(r),
    registered: registered ?? null,
  };
  output(flags, json, () => {
    const title = new Map(metricsFor(r.task).map((m) => [m.key, m.title] as const));
    const lines: string[] = [];
    lines.push(
      `Tuned ${r.train.family} (${r.task} of '${r.train.target}') with ${flags.sampler}: ${s.trials.length} trials in ${s.elapsed.toFixed(1)} s (${count('complete')} complete, ${count('pruned')} pruned, ${count('failed')} failed)${s.stopped === 'time' ? ', stopped by --time' : s.stopped === 'exhausted' ? ', grid exhausted' : ''}.`,
    );
    lines.push(
      `Searched ${r.rows.search} rows with ${s.nSplits}-fold CV, optimising ${title.get(r.metric) ?? r.metric} (${r.greaterIsBetter ? 'higher' : 'lower'} is better).`,
    );
    lines.push('');
    lines.push(
      `Best trial #${s.best!.number}: CV ${r.metric} ${formatScore(r.bestCvScore)} ± ${formatScore(r.bestCvStd)}`,
    );
    for (const [k, v] of Object.entries(r.bestParams)) lines.push(`  ${k.padEnd(24)} ${formatParamValue(v)}`);
    if (r.holdoutScore !== null) {
      lines.push('');
      lines.push(
        `Holdout (${r.rows.holdout} rows): ${r.metric} ${formatScore(r.holdoutScore)}; gap to CV ${formatScore(r.gap)} (${r.gap !== null && r.gap > 0 ? 'CV was optimistic' : 'holdout as good or better'}).`,
      );
    }
    if (r.nested)
      lines.push(
        `Nested CV (${r.nested.outerScores.length} outer folds): ${r.metric} ${formatScore(r.nested.mean)} ± ${formatScore(r.nested.std)}`,
      );
    if (s.importance) {
      lines.push('');
      lines.push('Parameter importance (fANOVA):');
      for (const [k, v] of Object.entries(s.importance))
        lines.push(`  ${k.replace(/^model__/, '').padEnd(24)} ${(v * 100).toFixed(1)}%`);
    }
    lines.push('');
    lines.push(`Model package: ${relative(process.cwd(), path) || path}`);
    if (runId) lines.push(`Run: ${runId} (${trialRuns.length} trial runs)`);
    if (registered)
      lines.push(
        `Registered: ${registered.name}/${registered.version}${registered.alias ? ` (@${registered.alias})` : ''}`,
      );
    const ref = registered
      ? `${registered.name}/${registered.version}`
      : relative(process.cwd(), path) || path;
    lines.push('');
    lines.push('Next:');
    lines.push(`  lathe evaluate ${ref} <data.csv> --target ${r.train.target}`);
    lines.push(`  lathe export ${ref} --format onnx -o model.onnx`);
    return lines.join('\n');
  });
}
