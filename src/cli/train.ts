/**
 * `lathe train <data> --target COL --model FAMILY`: fits one pipeline (automatic preprocessing per
 * column type + the model), measures it on a holdout, writes the model package, records the run
 * in the tracking store, and optionally registers the model.
 *
 *   lathe train examples/customers.csv --target churned --model gbdt
 *   lathe train examples/housing.csv --target price --model ridge --params '{"alpha":3}' --out models/house
 *   lathe train examples/customers.csv --target churned --model logistic --register churn
 *
 * @module
 */

import { basename, extname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { FAMILIES, FAMILY_NAMES, type LearningTask, TASK_CHOICES } from '../automl/families.ts';
import { modelDigest, packageInputFor } from '../automl/package.ts';
import { metricsFor } from '../automl/scores.ts';
import { type TrainResult, trainModel, trainStages } from '../automl/train.ts';
import { ValidationError } from '../core/errors.ts';
import type { PlainObject } from '../core/plain.ts';
import { createProgress, type Progress } from '../core/progress.ts';
import { fingerprint } from '../data/fingerprint.ts';
import { readTable } from '../data/read/index.ts';
import type { BadRowPolicy } from '../data/read-types.ts';
import { SUPPORTED_MODELS } from '../export/context.ts';
import { checkAliasName, checkModelName } from '../track/names.ts';
import { openStore } from '../track/open.ts';
import { modelPackageArchive } from '../track/package/read.ts';
import { writeModelPackage } from '../track/package/write.ts';
import { registerModel } from '../track/registry.ts';
import type { Store } from '../track/store.ts';
import { type TrackedRun, withRun } from '../track/tracker.ts';
import {
  action,
  type CommonOptions,
  choiceFlag,
  formatScore,
  intFlag,
  jsonFlag,
  modelRunParams,
  note,
  numberFlag,
  output,
  UsageError,
  withCommonOptions,
} from './common.ts';
import { checkPackageOut } from './model-out.ts';
import { noteTrainingRejects } from './rejects.ts';

interface TrainFlags extends CommonOptions {
  target?: string;
  model: string;
  task: (typeof TASK_CHOICES)[number];
  params?: Record<string, unknown>;
  holdout: number;
  cv?: number;
  out?: string;
  force?: boolean;
  register?: string;
  alias?: string;
  experiment: string;
  onBadRows?: BadRowPolicy;
  schema?: string;
  track: boolean;
}

/** Registers `lathe train`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command('train')
      .description('fit one pipeline (automatic preprocessing + a model) and save it as a model package')
      .argument('<data>', 'CSV, TSV, Parquet, JSON, NDJSON or Arrow file')
      .requiredOption(
        '--model <family>',
        `model family: ${FAMILY_NAMES.join(', ')}`,
        choiceFlag('--model', FAMILY_NAMES),
      )
      .option('--target <column>', 'the column to predict (not for kmeans, dbscan, pca)')
      .option('--task <task>', `task: ${TASK_CHOICES.join(', ')}`, choiceFlag('--task', TASK_CHOICES), 'auto')
      .option(
        '--params <json>',
        'estimator parameters as camelCase JSON, e.g. \'{"maxIter":200}\'',
        jsonFlag('--params'),
      )
      .option(
        '--holdout <fraction>',
        'fraction of rows held out to measure the model (0: train on all)',
        numberFlag('--holdout', 0, 0.95),
        0.2,
      )
      .option(
        '--cv <k>',
        'also cross-validate on the training rows with k folds (metrics as mean ± std)',
        intFlag('--cv', 2),
      )
      .option('--out <dir>', 'where to write the model package (default: models/<data>-<family>)')
      .option('--force', 'replace an existing model package at --out')
      // Names are checked as the flags are read: a bad one must not cost a fit and a replaced --out.
      .option('--register <name>', 'register the model under this name in the registry', checkModelName)
      .option(
        '--alias <alias>',
        'with --register: point this alias (e.g. challenger) at the new version',
        checkAliasName,
      )
      .option('--experiment <name>', 'experiment to record the run under', 'default')
      .option(
        '--on-bad-rows <policy>',
        'error (default) or quarantine',
        choiceFlag('--on-bad-rows', ['error', 'quarantine'] as const),
      )
      .option('--schema <file>', 'a schema JSON file overriding inferred column types')
      .option('--no-track', 'do not record the run in the tracking store'),
  )
    .addHelpText(
      'after',
      `\nModel families:\n${FAMILIES.map((f) => `  ${f.name.padEnd(15)} ${f.description}`).join('\n')}\n\nExamples:\n  lathe train examples/customers.csv --target churned --model gbdt\n  lathe train examples/housing.csv --target price --model ridge --params '{"alpha":3}'`,
    )
    .action(action(trainCommand));
}

async function trainCommand(data: string, flags: TrainFlags): Promise<void> {
  // An unsupervised family has no target to score folds against: --cv is refused, not ignored.
  if (flags.cv !== undefined && FAMILIES.find((f) => f.name === flags.model)?.unsupervised) {
    throw new UsageError(
      `--cv cross-validates a model against its target, but '${flags.model}' is unsupervised and takes none. Fix: drop --cv.`,
    );
  }
  // Where the package goes is checked before any work: never replace an input, never fit in vain.
  const out = flags.out ?? join('models', `${basename(data, extname(data))}-${flags.model}`);
  const replacing = await checkPackageOut(out, data, flags, flags.out === undefined);
  // Stages on stderr (a terminal only; not with --quiet or --json): read, trainModel's, write.
  const progress = createProgress({
    total: 1 + trainStages(flags.cv) + 1,
    quiet: flags.quiet || flags.json,
    eta: false,
  });
  try {
    await trainAndSave(data, out, replacing, flags, progress);
  } finally {
    progress.finish();
  }
}

async function trainAndSave(
  data: string,
  out: string,
  replacing: boolean,
  flags: TrainFlags,
  progress: Progress,
): Promise<void> {
  if (flags.register && !flags.track) {
    throw new ValidationError('--register needs the tracking store; drop --no-track.', {
      field: 'register',
    });
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
  // The store is opened before any work: a wrong --store is said at once, not after a long fit.
  const store = flags.track ? await openStore(flags.store) : undefined;
  try {
    await fitAndSave(data, out, replacing, flags, progress, store);
  } finally {
    await store?.close();
  }
}

async function fitAndSave(
  data: string,
  out: string,
  replacing: boolean,
  flags: TrainFlags,
  progress: Progress,
  store: Store | undefined,
): Promise<void> {
  progress.label(`train: reading ${data}`);
  const read = await readTable(data, { onBadRows: flags.onBadRows, schema: flags.schema });
  progress.tick();
  const seed = flags.seed ?? 0;
  // The run is recorded from here, once the data has been read: a fit that fails or is
  // interrupted (Ctrl-C) leaves a `failed` or `interrupted` run with what it was asked to do, as
  // `lathe tune` does; the model's parameters, metrics and package follow when it is made.
  const fit = (run?: TrackedRun) => fitAndRecord(data, read, out, replacing, flags, progress, store, run);
  if (!store) return fit();
  const params = requestParams(data, flags, seed);
  const tags = { command: 'train', family: flags.model };
  await withRun(
    { store, experiment: flags.experiment, name: `train ${flags.model}`, seed, params, tags },
    fit,
  );
}

async function fitAndRecord(
  data: string,
  read: Awaited<ReturnType<typeof readTable>>,
  out: string,
  replacing: boolean,
  flags: TrainFlags,
  progress: Progress,
  store: Store | undefined,
  run: TrackedRun | undefined,
): Promise<void> {
  const seed = flags.seed ?? 0;
  const result = trainModel(read.table, {
    family: flags.model,
    target: flags.target ?? null,
    task: flags.task as LearningTask | 'auto',
    params: flags.params,
    holdout: flags.holdout,
    seed,
    cv: flags.cv,
    source: data,
    rowLines: read.rowLines,
    // The reader's schema, not one re-inferred from the table: it has the file's datetime
    // formats (so the package scores a lone 05/06/2023 as training read it) and --schema's types.
    schema: read.schema,
    progress,
    onBadRows: flags.onBadRows,
  });
  // (progress.finish clears the bar's line for the note; the next stage draws it again)
  const rejected = noteTrainingRejects(data, read, result.rejected, flags, () => progress.finish());
  if (replacing) {
    progress.finish();
    note(flags, `replacing the model package at ${out}`);
  }

  const dataFingerprint = fingerprint(read.table);
  const digest = modelDigest(result.model);
  if (run) {
    await run.logParams(runParams(result, data, flags, seed));
    await run.setTags({ family: result.family, task: result.task, modelSha256: digest });
  }
  const lineage: PlainObject = {
    runId: run?.id ?? null,
    dataPath: data,
    dataFingerprint,
    seed,
    modelSha256: digest,
  };
  progress.label(`train: writing the model package to ${out}`);
  const written = await writeModelPackage(out, packageInputFor(result, lineage, flags.register ?? null), {
    overwrite: true,
  });
  let registered: { name: string; version: number; alias?: string } | undefined;
  if (run && store) {
    await run.logDataset({
      name: basename(data),
      fingerprint: dataFingerprint,
      schema: result.tableSchema,
      nRows: read.table.nRows,
    });
    for (const [k, v] of Object.entries(result.metrics)) if (Number.isFinite(v)) await run.logMetric(k, v);
    for (const [k, m] of Object.entries(result.cv?.metrics ?? {})) {
      if (Number.isFinite(m.mean)) await run.logMetric(`cv_${k}`, m.mean);
      if (Number.isFinite(m.std)) await run.logMetric(`cv_${k}_std`, m.std);
    }
    await run.logArtifact('model.lathe', (await modelPackageArchive(written.path)).bytes);
    if (flags.register) {
      const v = await registerModel(store, flags.register, written.path, {
        alias: flags.alias,
        via: 'lathe train',
      });
      registered = {
        name: flags.register,
        version: v.version,
        ...(flags.alias ? { alias: flags.alias } : {}),
      };
    }
    await run.end('finished');
  }
  progress.tick();
  progress.finish();
  report(flags, result, written.path, run?.id ?? null, registered, rejected, digest);
}

/** The run's parameters known before the fit: what the command was asked to do. */
function requestParams(
  data: string,
  flags: TrainFlags,
  seed: number,
): Record<string, string | number | boolean | null> {
  return {
    data,
    family: flags.model,
    requestedTask: flags.task,
    holdout: flags.holdout,
    cv: flags.cv ?? null,
    seed,
    onBadRows: flags.onBadRows ?? 'error',
    schemaFile: flags.schema ?? null,
    readSchema: true,
    userParams: JSON.stringify(flags.params ?? {}),
  };
}

function runParams(
  result: TrainResult,
  data: string,
  flags: TrainFlags,
  seed: number,
): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {
    ...requestParams(data, flags, seed),
    family: result.family,
    task: result.task,
    target: result.target,
    ...modelRunParams(result.params),
  };
  return out;
}

/** The commands that work on this model (DBSCAN cannot label new rows; ONNX covers some models). */
function nextSteps(r: TrainResult, ref: string): string[] {
  const final = r.model.finalEstimator as { typeName: string; predict?: unknown; kind: string } | undefined;
  const out = ['Next:'];
  if (final && (typeof final.predict === 'function' || final.kind === 'transformer'))
    out.push(`  lathe predict ${ref} <data.csv> -o predictions.csv`);
  if (r.target) out.push(`  lathe evaluate ${ref} <data.csv> --target ${r.target}`);
  if (final && (SUPPORTED_MODELS as readonly string[]).includes(final.typeName))
    out.push(`  lathe export ${ref} --format onnx -o model.onnx`);
  if (final?.typeName === 'DBSCAN') {
    out.push(
      '  (DBSCAN labels only the rows it was trained on: it cannot score new rows. To label new rows,',
      `   train a k-means model: lathe train <data.csv> --model kmeans)`,
    );
  }
  return out.length > 1 ? out : [];
}

function report(
  flags: TrainFlags,
  r: TrainResult,
  path: string,
  runId: string | null,
  registered: { name: string; version: number; alias?: string } | undefined,
  rejected: number,
  digest: string,
): void {
  const json = {
    runId,
    model: { path, family: r.family, task: r.task, target: r.target, classes: r.classes, sha256: digest },
    metrics: Object.fromEntries(
      Object.entries(r.metrics).map(([k, v]) => [k, Number.isFinite(v) ? v : null]),
    ),
    metricsOn: r.metricsOn,
    rows: { ...r.rows, rejected },
    notes: r.notes,
    params: r.params,
    fitSeconds: r.fitSeconds,
    cv: r.cv,
    registered: registered ?? null,
  };
  output(flags, json, () => {
    const lines: string[] = [];
    lines.push(
      `Trained ${r.family} (${r.task}${r.target ? ` of '${r.target}'` : ''}) on ${r.rows.train} rows in ${r.fitSeconds.toFixed(2)} s.`,
    );
    if (r.rows.missingTarget) lines.push(`Left out ${r.rows.missingTarget} rows whose target is missing.`);
    for (const n of r.notes)
      lines.push(`  note: ${n.column}: ${n.action}${n.reason ? ` (${n.reason})` : ''}`);
    lines.push('');
    lines.push(
      `Metrics on ${r.metricsOn === 'holdout' ? `the holdout (${r.rows.holdout} rows)` : 'the training rows (no holdout: optimistic)'}:`,
    );
    const titles = new Map(
      r.task === 'transform' ? [] : metricsFor(r.task).map((m) => [m.key, m.title] as const),
    );
    for (const [k, v] of Object.entries(r.metrics))
      lines.push(`  ${(titles.get(k) ?? k).padEnd(32)} ${formatScore(v)}`);
    if (r.cv) {
      lines.push('', `Cross-validation on the training rows (${r.cv.folds} folds, mean ± std):`);
      for (const [k, m] of Object.entries(r.cv.metrics)) {
        lines.push(`  ${(titles.get(k) ?? k).padEnd(32)} ${formatScore(m.mean)} ± ${formatScore(m.std)}`);
      }
    }
    lines.push('');
    lines.push(`Model package: ${relative(process.cwd(), path) || path}`);
    if (runId) lines.push(`Run: ${runId}`);
    if (registered)
      lines.push(
        `Registered: ${registered.name}/${registered.version}${registered.alias ? ` (@${registered.alias})` : ''}`,
      );
    const ref = registered
      ? `${registered.name}/${registered.version}`
      : relative(process.cwd(), path) || path;
    lines.push('');
    lines.push(...nextSteps(r, ref));
    return lines.join('\n');
  });
}
