/**
 * `lathe run <data> [--target COL]`: the main job, end to end — profile the data, compare model
 * families by cross-validation, tune the best in the time budget, evaluate it once on the holdout
 * with confidence intervals, write `report.html` (and the full data-quality report beside it) and
 * the model package, record the run and register the model.
 *
 *   lathe run examples/customers.csv --target churned
 *   lathe run examples/housing.csv --target price --time 2m --name house-prices
 *   lathe run examples/wine.csv               # no target: clustering
 *
 * @module
 */

import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { type LearningTask, TASK_CHOICES } from '../automl/families.ts';
import { modelDigest, packageInputFor } from '../automl/package.ts';
import {
  candidateLabel,
  fmtSeconds,
  RUN_STAGES,
  type RunJobResult,
  runJob,
  TASK_TITLES,
} from '../automl/run.ts';
import { renderRunReport } from '../automl/run-report.ts';
import { metricsFor } from '../automl/scores.ts';
import { ValidationError } from '../core/errors.ts';
import type { PlainObject } from '../core/plain.ts';
import { createProgress } from '../core/progress.ts';
import type { QueueExecutor } from '../core/queue/executor.ts';
import { fingerprint } from '../data/fingerprint.ts';
import { readTable } from '../data/read/index.ts';
import type { BadRowPolicy } from '../data/read-types.ts';
import { SUPPORTED_MODELS } from '../export/context.ts';
import { renderQualityHtml } from '../plots/quality-report.ts';
import { fixableFindings } from '../quality/clean.ts';
import { profileSourceOf } from '../quality/profile-file.ts';
import { checkModelName } from '../track/names.ts';
import { openStore } from '../track/open.ts';
import { modelPackageArchive } from '../track/package/read.ts';
import { writeModelPackage } from '../track/package/write.ts';
import { registerModel } from '../track/registry.ts';
import { startRun, type TrackedRun } from '../track/tracker.ts';
import {
  action,
  type CommonOptions,
  choiceFlag,
  formatScore,
  intFlag,
  modelRunParams,
  note,
  numberFlag,
  output,
  parseDuration,
  UsageError,
  withCommonOptions,
} from './common.ts';
import { MIN_RESAMPLES, parseResamples } from './evaluate.ts';
import { checkPackageOut } from './model-out.ts';
import { checkOutputs, storeInputs } from './paths.ts';
import { writeFileAtomic } from './profile.ts';
import { connectQueue, type QueueFlags, queueNote, withQueueOptions } from './queue-flags.ts';
import { noteTrainingRejects } from './rejects.ts';

interface RunFlags extends CommonOptions, QueueFlags {
  target?: string;
  task: (typeof TASK_CHOICES)[number];
  time: number;
  trials?: number;
  threads?: number;
  metric?: string;
  models?: string[];
  holdout: number;
  cv: number;
  resamples: number;
  name?: string;
  out?: string;
  force?: boolean;
  onBadRows?: BadRowPolicy;
  schema?: string;
}

/** Registers `lathe run`. */
export function register(program: Command): void {
  withCommonOptions(
    withQueueOptions(
      program
        .command('run')
        .description(
          'the main job: profile, compare models, tune the best, evaluate on a holdout, write report.html, register the model',
        )
        .argument('<data>', 'CSV, TSV, Parquet, JSON, NDJSON or Arrow file')
        .option('--target <column>', 'the column to predict (none: cluster the rows)')
        .option(
          '--task <task>',
          `task: ${TASK_CHOICES.join(', ')}`,
          choiceFlag('--task', TASK_CHOICES),
          'auto',
        )
        .addOption(
          new Option('--time <duration>', 'wall-time budget for comparing and tuning, e.g. 60s, 5m')
            .argParser((v) => parseDuration('--time', v))
            .default(60, '60s'),
        )
        .option(
          '--trials <n>',
          'run exactly n tuning trials (reproducible on any machine) instead of filling the time budget',
          intFlag('--trials', 0),
        )
        .option(
          '--threads <n>',
          'worker threads (default LATHE_THREADS or all cores; results do not depend on it)',
          intFlag('--threads'),
        ),
      "the tuning's fits",
    )
      .option('--metric <name>', 'the metric to choose by (default: rocAuc, logLoss or rmse by task)')
      .option(
        '--models <families>',
        'the candidate families, comma-separated (default: logistic,gbdt,random-forest,gaussian-nb,knn for classification; ridge,gbdt,random-forest,knn for regression)',
        (v: string) =>
          v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
      )
      .option(
        '--holdout <fraction>',
        'fraction of rows held out for the final evaluation',
        numberFlag('--holdout', 0.05, 0.5),
        0.2,
      )
      .option('--cv <k>', 'cross-validation folds for comparing and tuning', intFlag('--cv', 2), 5)
      .option(
        '--resamples <n>',
        `bootstrap resamples for the holdout intervals (at least ${MIN_RESAMPLES}; 0: none)`,
        parseResamples,
        1000,
      )
      .option(
        '--name <name>',
        'the experiment to record the run under and the registered model name (default: the data file name)',
        // Checked as the flag is read: a bad name must not cost the whole job and a replaced --out.
        checkModelName,
      )
      .option('--out <dir>', 'where to write report.html, profile.html and model/ (default: runs/<data>)')
      .option('--force', 'replace the output of an earlier lathe run at --out')
      .option(
        '--on-bad-rows <policy>',
        'error (default) or quarantine',
        choiceFlag('--on-bad-rows', ['error', 'quarantine'] as const),
      )
      .option('--schema <file>', 'a schema JSON file overriding inferred column types'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  lathe run examples/customers.csv --target churned\n  lathe run examples/housing.csv --target price --time 2m --name house-prices\n  lathe run examples/wine.csv --json          # no target: k-means, k chosen by silhouette',
    )
    .action(action(runCommand));
}

/** A registry name from the data file's name: letters, digits and '_ . -', starting with a letter or digit. */
export function defaultRunName(data: string): string {
  const stem = basename(data, extname(data))
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/\.\.+/g, '.')
    .slice(0, 100);
  return stem || 'model';
}

/**
 * Before any work: `out` is a directory that does not exist, is empty, or holds an earlier run's
 * output (its model/ a model package) — replaced only on the default path or with --force.
 * Returns true when an earlier output will be replaced.
 */
async function checkRunOut(out: string, data: string, flags: RunFlags, defaulted: boolean): Promise<boolean> {
  const info = await stat(out).catch(() => null);
  if (info && !info.isDirectory()) {
    throw new ValidationError(`--out ${out} is a file; lathe run writes a directory there.`, {
      field: 'out',
      fix: 'choose a directory path for --out (it is created)',
    });
  }
  const entries = info ? await readdir(out) : [];
  const earlier = entries.includes('model');
  if (entries.length > 0 && !earlier) {
    throw new ValidationError(
      `${out} exists and does not hold an earlier lathe run's output; refusing to write into it.`,
      {
        field: 'out',
        fix: 'choose a new or empty directory for --out',
      },
    );
  }
  // The reports: never an input, nor a folder, device or read-only file where a file goes.
  checkOutputs(
    [
      { path: join(out, 'report.html'), what: '--out report.html' },
      { path: join(out, 'profile.html'), what: '--out profile.html' },
    ],
    [
      { path: data, what: 'the data file' },
      ...(flags.schema ? [{ path: flags.schema, what: '--schema' }] : []),
      ...storeInputs(flags.store),
    ],
  );
  // model/ is checked as lathe train checks its package directory (never an input, a package).
  return checkPackageOut(join(out, 'model'), data, flags, defaulted);
}

async function runCommand(data: string, flags: RunFlags): Promise<void> {
  // Every stage (comparison, tuning, refit, bootstrap) sizes its thread pool by the default count;
  // the job's results do not depend on it (Lathe's tasks are deterministic per task, not per thread).
  if (flags.threads !== undefined) process.env.LATHE_THREADS = String(flags.threads);
  const out = flags.out ?? join('runs', defaultRunName(data));
  const name = flags.name ?? defaultRunName(data);
  const replacing = await checkRunOut(out, data, flags, flags.out === undefined);
  if (!flags.target && (flags.queue !== undefined || process.env.LATHE_QUEUE)) {
    throw new UsageError(
      `--queue${flags.queue === undefined ? ' (LATHE_QUEUE)' : ''}: without --target, lathe run clusters the rows, which has no tuning to send to workers. Fix: pass --target to compare and tune models, or drop --queue${flags.queue === undefined ? ' (unset LATHE_QUEUE)' : ''}.`,
    );
  }
  // The queue (when asked for) before any work: an unreachable server or no worker is said at once.
  const executor = await connectQueue(flags);
  try {
    await runWith(data, out, name, replacing, flags, executor);
  } finally {
    await executor?.close();
  }
}

async function runWith(
  data: string,
  out: string,
  name: string,
  replacing: boolean,
  flags: RunFlags,
  executor: QueueExecutor | undefined,
): Promise<void> {
  if (executor) note(flags, queueNote('run', "the tuning's fits", executor));
  const store = await openStore(flags.store);
  const progress = createProgress({
    total: 1 + RUN_STAGES + 1,
    quiet: flags.quiet || flags.json,
    eta: false,
  });
  let run: TrackedRun | undefined;
  try {
    progress.label(`run: reading ${data}`);
    const read = await readTable(data, { onBadRows: flags.onBadRows, schema: flags.schema });
    progress.tick();
    const seed = flags.seed ?? 0;
    // Recorded from here, once the data has been read (as lathe train): a job that fails or is
    // interrupted leaves a `failed` or `interrupted` run with what it was asked to do; what it
    // chose, its metrics and its model follow when it is done.
    run = await startRun({
      store,
      experiment: name,
      name: `run ${basename(data)}`,
      seed,
      params: requestParams(data, flags, seed),
      tags: { command: 'run', ...(executor ? { executor: `queue ${executor.queueName}` } : {}) },
    });
    const r = await runJob(read.table, {
      target: flags.target ?? null,
      task: flags.task as LearningTask | 'auto',
      timeBudget: flags.time,
      nTrials: flags.trials,
      metric: flags.metric,
      families: flags.models,
      holdout: flags.holdout,
      cv: flags.cv,
      nResamples: flags.resamples,
      seed,
      onBadRows: flags.onBadRows,
      source: data,
      rowLines: read.rowLines,
      schema: read.schema, // as lathe train: the file's datetime formats and --schema's types
      profileSource: profileSourceOf(read),
      progress,
      executor,
    });
    const final = r.final;
    progress.finish();
    const rejected = noteTrainingRejects(data, read, final.rejected, flags);
    if (replacing) note(flags, `replacing the earlier lathe run output at ${out}`);
    progress.label(`run: writing ${out}`);

    const digest = modelDigest(final.model);
    const dataFingerprint = fingerprint(read.table);
    await run.logParams(runParams(r, data, flags, seed));
    await run.setTags({ family: final.family, task: r.task, modelSha256: digest });
    const lineage: PlainObject = {
      runId: run.id,
      dataPath: data,
      dataFingerprint,
      seed,
      modelSha256: digest,
    };
    const written = await writeModelPackage(join(out, 'model'), packageInputFor(final, lineage, name), {
      overwrite: true,
    });
    await run.logDataset({
      name: basename(data),
      fingerprint: dataFingerprint,
      schema: final.tableSchema,
      nRows: read.table.nRows,
    });
    for (const m of r.evaluation?.metrics ?? []) if (m.value !== null) await run.logMetric(m.key, m.value);
    if (r.task === 'clustering') {
      for (const [k, v] of Object.entries(final.metrics)) if (Number.isFinite(v)) await run.logMetric(k, v);
    }
    if (r.task !== 'clustering') await run.logMetric(`cv_${r.metric}`, r.bestScore);
    await run.logArtifact('model.lathe', (await modelPackageArchive(written.path)).bytes);
    const version = await registerModel(store, name, written.path, { via: 'lathe run' });
    const registered = { name, version: version.version };
    const ref = `${name}/${version.version}`;
    const steps = nextSteps(r, ref, data);
    const profilePath = resolve(out, 'profile.html');
    const reportPath = resolve(out, 'report.html');
    await writeFileAtomic(profilePath, await renderQualityHtml(r.profile));
    const html = await renderRunReport(r, {
      data,
      runId: run.id,
      modelRef: ref,
      modelPath: relative(process.cwd(), written.path) || written.path,
      registered,
      seed,
      profileHref: 'profile.html',
      nextSteps: steps,
    });
    await writeFileAtomic(reportPath, html);
    await run.logArtifact('report.html', Buffer.from(html));
    await run.end('finished');
    progress.tick();
    progress.finish();
    report(flags, r, {
      runId: run.id,
      modelPath: resolve(written.path),
      reportPath,
      profilePath,
      registered,
      digest,
      rejected,
      steps,
    });
  } catch (e) {
    if (run && !run.ended) await run.end('failed', (e as Error).message).catch(() => {});
    throw e;
  } finally {
    progress.finish();
    await store.close();
  }
}

function runParams(
  r: RunJobResult,
  data: string,
  flags: RunFlags,
  seed: number,
): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {
    ...requestParams(data, flags, seed),
    target: r.target,
    task: r.task,
    metric: r.metric,
    // What was compared (families, or numbers of clusters) and how many trials ran: a time budget
    // makes both depend on the machine; lathe reproduce re-runs exactly these.
    compared: r.candidates
      .filter((c) => c.status !== 'skipped')
      .map((c) => (r.task === 'clustering' ? String(c.params.nClusters) : c.family))
      .join(','),
    trialsRun: r.tuning?.trials ?? 0,
    family: r.final.family,
    tuned: r.tuning?.kept ?? false,
    ...modelRunParams(r.final.params),
  };
  return out;
}

/** The run's parameters known before the job: what the command was asked to do. */
function requestParams(
  data: string,
  flags: RunFlags,
  seed: number,
): Record<string, string | number | boolean | null> {
  return {
    data,
    requestedTask: flags.task,
    timeBudget: flags.time,
    trials: flags.trials ?? null,
    models: flags.models ? flags.models.join(',') : null,
    holdout: flags.holdout,
    cv: flags.cv,
    seed,
    onBadRows: flags.onBadRows ?? 'error',
    schemaFile: flags.schema ?? null,
    readSchema: true,
  };
}

/** The commands that work on the registered model. */
function nextSteps(r: RunJobResult, ref: string, data: string): string[] {
  const out: string[] = [];
  // The data first: what the profile found that needs no judgement to fix (then run again).
  const fixable = fixableFindings(r.profile);
  if (fixable.length > 0) {
    out.push(
      `lathe clean ${data}${r.target ? ` --target ${r.target}` : ''} -o <clean file>   # fixes ${fixable.length === 1 ? 'a finding' : `${fixable.length} findings`} of the profile (${fixable.map((f) => f.id).join(', ')}); then run again on it`,
    );
  }
  out.push(`lathe predict ${ref} ${data} -o predictions.csv`);
  if (r.target) out.push(`lathe evaluate ${ref} <new-data.csv> --target ${r.target}`);
  const est = r.final.model.finalEstimator as { typeName: string } | undefined;
  if (est && (SUPPORTED_MODELS as readonly string[]).includes(est.typeName))
    out.push(`lathe export ${ref} --format onnx -o model.onnx`);
  out.push(`lathe serve ${ref}`);
  out.push(`lathe models alias ${ref} champion`);
  return out;
}

interface Written {
  runId: string;
  modelPath: string;
  reportPath: string;
  profilePath: string;
  registered: { name: string; version: number };
  digest: string;
  rejected: number;
  steps: string[];
}

function report(flags: RunFlags, r: RunJobResult, w: Written): void {
  const final = r.final;
  const json = {
    runId: w.runId,
    task: r.task,
    target: r.target,
    metric: { key: r.metric, greaterIsBetter: r.greaterIsBetter },
    candidates: r.candidates.map((c) => ({
      family: c.family,
      params: c.params,
      status: c.status,
      score: c.score,
      std: c.std,
      seconds: c.seconds,
      reason: c.reason,
      warnings: c.warnings,
    })),
    best: r.best,
    bestScore: r.task === 'clustering' ? null : r.bestScore,
    tuning: r.tuning,
    tuningSkipped: r.tuningSkipped,
    model: {
      path: w.modelPath,
      family: final.family,
      params: final.params,
      classes: final.classes,
      sha256: w.digest,
    },
    holdout: r.evaluation
      ? {
          rows: r.evaluation.rows.evaluated,
          confidenceLevel: r.evaluation.confidenceLevel,
          metrics: r.evaluation.metrics,
        }
      : null,
    importance: r.importance
      ? {
          metric: r.importance.metric,
          baseline: r.importance.baseline,
          columns: r.importance.columns.map((c) => ({ column: c.column, mean: c.mean, std: c.std })),
        }
      : null,
    clustering: r.task === 'clustering' ? finiteOrNull(final.metrics) : null,
    rows: { ...final.rows, rejected: w.rejected },
    profile: {
      critical: r.profile.counts.critical,
      warning: r.profile.counts.warning,
      info: r.profile.counts.info,
    },
    report: w.reportPath,
    profileReport: w.profilePath,
    registered: w.registered,
    seconds: r.seconds,
    searchSeconds: r.searchSeconds,
    timeBudget: r.timeBudget,
  };
  output(flags, json, () => {
    const lines: string[] = [];
    const titles = new Map(
      r.task === 'clustering' ? [] : metricsFor(r.task).map((m) => [m.key, m.title] as const),
    );
    const title = titles.get(r.metric) ?? r.metric;
    lines.push(
      `${capitalised(TASK_TITLES[r.task])}${r.target ? ` of '${r.target}'` : ''}: compared ${r.candidates.filter((c) => c.status === 'ok').length} candidate(s) by ${title}; comparing and tuning took ${fmtSeconds(r.searchSeconds)} of the ${fmtSeconds(r.timeBudget)} budget, the whole job ${fmtSeconds(r.seconds)}.`,
    );
    for (const c of r.candidates) {
      const label = candidateLabel(c);
      const score =
        c.score === null ? '' : `${formatScore(c.score)}${c.std === null ? '' : ` ± ${formatScore(c.std)}`}`;
      lines.push(
        `  ${label.padEnd(26)} ${c.status.padEnd(8)} ${score.padEnd(20)} ${c.reason ? c.reason.split('\n')[0] : ''}`.trimEnd(),
      );
    }
    if (r.tuning) {
      lines.push(
        `Tuned ${r.tuning.family}: ${r.tuning.trials} trials, best CV ${r.tuning.bestScore.toPrecision(6)} against ${r.tuning.defaultScore.toPrecision(6)} with defaults — ${r.tuning.kept ? 'kept the tuned parameters' : 'kept the defaults'}.`,
      );
      if (r.tuning.warnings.length)
        lines.push(`  (${r.tuning.warnings.length} distinct warning(s) from the trials: see the report)`);
    } else if (r.tuningSkipped) lines.push(`Not tuned: ${r.tuningSkipped}.`);
    lines.push('');
    if (r.evaluation) {
      const level = Math.round(r.evaluation.confidenceLevel * 100);
      lines.push(
        `${final.family} on the holdout (${r.evaluation.rows.evaluated} rows), ${level} % intervals:`,
      );
      for (const m of r.evaluation.metrics) {
        const ci =
          m.lower !== null && m.upper !== null
            ? `[${formatScore(m.lower)}, ${formatScore(m.upper)}]`
            : m.intervalReason
              ? `no interval (${m.intervalReason})`
              : '';
        lines.push(`  ${m.title.padEnd(32)} ${formatScore(m.value).padEnd(10)} ${ci}`.trimEnd());
      }
    } else if (r.task === 'clustering') {
      lines.push(
        `k-means with ${final.metrics.nClusters} clusters: silhouette ${formatScore(final.metrics.silhouette)}, Davies–Bouldin ${formatScore(final.metrics.daviesBouldin)}.`,
      );
    }
    lines.push('');
    lines.push(`Report:   ${relative(process.cwd(), w.reportPath) || w.reportPath}`);
    lines.push(`Model:    ${relative(process.cwd(), w.modelPath) || w.modelPath}`);
    lines.push(`Registered: ${w.registered.name}/${w.registered.version}   Run: ${w.runId}`);
    lines.push('', 'Next:', ...w.steps.map((s) => `  ${s}`));
    return lines.join('\n');
  });
}

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function finiteOrNull(m: Record<string, number>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Number.isFinite(v) ? v : null]));
}
