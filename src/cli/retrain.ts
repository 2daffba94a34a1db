/**
 * `lathe retrain <model> <data>`: fits a model's recipe again on newer labelled data and compares
 * the new model (the challenger) with the old one (the champion) on the same held-out rows; the
 * challenger is written as a model package, recorded as a run, registered as the next version of
 * the champion's registered name, and — with `--promote` — moved to the champion's alias when it
 * wins.
 *
 *   lathe retrain churn@production data/march.csv --promote
 *   lathe retrain models/customers-gbdt data/march.csv --target churned --register churn
 *
 * @module
 */

import { basename, extname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { LearningTask } from '../automl/families.ts';
import { loadModel } from '../automl/load.ts';
import { modelDigest, packageInputFor } from '../automl/package.ts';
import {
  championRecipe,
  type RetrainResult,
  retrainMetrics,
  retrainModel,
  supervisedTask,
} from '../automl/retrain.ts';
import { metricsFor } from '../automl/scores.ts';
import { readLabelledInput } from '../automl/scoring-input.ts';
import { trainStages } from '../automl/train.ts';
import { ValidationError } from '../core/errors.ts';
import type { PlainObject } from '../core/plain.ts';
import { createProgress } from '../core/progress.ts';
import { fingerprint } from '../data/fingerprint.ts';
import type { BadRowPolicy } from '../data/read-types.ts';
import { checkAliasName, checkModelName } from '../track/names.ts';
import { openStore } from '../track/open.ts';
import { modelPackageArchive } from '../track/package/read.ts';
import { writeModelPackage } from '../track/package/write.ts';
import { type LoadedModel, promoteModel, registerModel } from '../track/registry.ts';
import type { Store } from '../track/store.ts';
import { type TrackedRun, withRun } from '../track/tracker.ts';
import {
  action,
  type CommonOptions,
  choiceFlag,
  formatScore,
  modelRunParams,
  note,
  numberFlag,
  output,
  withCommonOptions,
} from './common.ts';
import { parseResamples } from './evaluate.ts';
import { checkPackageOut } from './model-out.ts';
import { modelInput } from './paths.ts';
import { noteTrainingRejects } from './rejects.ts';

interface RetrainFlags extends CommonOptions {
  target?: string;
  holdout: number;
  metric?: string;
  minImprovement: number;
  resamples: number;
  level: number;
  out?: string;
  force?: boolean;
  register?: string;
  alias?: string;
  promote?: string | true;
  experiment: string;
  onBadRows?: BadRowPolicy;
  track: boolean;
}

/** Registers `lathe retrain`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command('retrain')
      .description(
        "fit a model's recipe on new labelled data and compare the new model with the old on the same held-out rows",
      )
      .argument('<model>', 'the model in service: a package path, NAME/VERSION or NAME@ALIAS')
      .argument('<data>', 'the new labelled rows (CSV, TSV, Parquet, JSON, NDJSON or Arrow)')
      .option('--target <column>', "the column holding the truth (default: the model's target)")
      .option(
        '--holdout <fraction>',
        'fraction of the new rows held out to compare the two models on',
        numberFlag('--holdout', 0.01, 0.95),
        0.2,
      )
      .option('--metric <key>', "the metric that decides (default: the task's: rocAuc, logLoss, rmse)")
      .option(
        '--min-improvement <x>',
        'how much the new model must improve the metric by to win (in its units)',
        numberFlag('--min-improvement', 0),
        0,
      )
      .option(
        '--resamples <n>',
        'bootstrap resamples for the improvement intervals (0: none)',
        parseResamples,
        1000,
      )
      .option('--level <p>', 'confidence level of the intervals', numberFlag('--level', 0.5, 0.999), 0.95)
      .option('--out <dir>', 'where to write the new model package (default: models/<data>-<family>)')
      .option('--force', 'replace an existing model package at --out')
      // Names are checked as the flags are read: a bad one must not cost a fit and a replaced --out.
      .option(
        '--register <name>',
        "register the new model under this name (default: the old model's registered name)",
        checkModelName,
      )
      .option(
        '--alias <alias>',
        'point this alias (e.g. challenger) at the new version, win or lose',
        checkAliasName,
      )
      .option(
        '--promote [alias]',
        "when the new model wins, move this alias to it (default: the alias the old model was named by, else 'champion')",
        checkAliasName,
      )
      .option('--experiment <name>', 'experiment to record the run under', 'default')
      .option(
        '--on-bad-rows <policy>',
        'error (default) or quarantine',
        choiceFlag('--on-bad-rows', ['error', 'quarantine'] as const),
      )
      .option('--no-track', 'do not record the run (nor register or promote)'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  lathe retrain churn@production data/march.csv --promote\n  lathe retrain models/customers-gbdt data/march.csv --register churn --alias challenger',
    )
    .action(action(retrainCommand));
}

/** The registered name the new version goes under, and the alias `--promote` moves. */
interface Registration {
  name: string | null;
  promoteTo: string | null;
}

function registrationFor(flags: RetrainFlags, champion: LoadedModel): Registration {
  const name = flags.register ?? (champion.ref.kind === 'registry' ? (champion.ref.name ?? null) : null);
  const promoteTo =
    flags.promote === undefined
      ? null
      : flags.promote === true
        ? (champion.ref.alias ?? 'champion')
        : flags.promote;
  if (!flags.track && (flags.register || flags.alias || flags.promote !== undefined)) {
    throw new ValidationError('--register, --alias and --promote need the tracking store; drop --no-track.', {
      field: 'track',
    });
  }
  if (!name && (flags.alias || promoteTo)) {
    throw new ValidationError(
      `${flags.alias ? '--alias' : '--promote'} needs the new model registered, and the old model is a package path, not a registered version.`,
      { field: 'register', fix: 'pass --register NAME (e.g. the name the old model is registered under)' },
    );
  }
  return { name: flags.track ? name : null, promoteTo };
}

async function retrainCommand(modelRef: string, data: string, flags: RetrainFlags): Promise<void> {
  const store = flags.track ? await openStore(flags.store) : undefined;
  try {
    const champion = await loadModel(modelRef, { store: store ?? flags.store });
    const registration = registrationFor(flags, champion);
    const { family } = championRecipe(champion.model);
    const out = flags.out ?? join('models', `${basename(data, extname(data))}-${family}`);
    // Where the package goes is checked before any work: never replace an input, never fit in vain.
    const replacing = await checkPackageOut(out, data, flags, flags.out === undefined);
    for (const input of modelInput(modelRef)) {
      if (resolve(input.path) === resolve(out)) {
        throw new ValidationError(`--out ${out} is the model being retrained.`, {
          field: 'out',
          fix: 'write the new model somewhere else',
        });
      }
    }
    await retrainAndSave({ modelRef, champion, data, out, replacing, registration, flags, store });
  } finally {
    await store?.close();
  }
}

/** What a retraining works with, once the command's flags and the champion are checked. */
interface RetrainJob {
  modelRef: string;
  champion: LoadedModel;
  data: string;
  out: string;
  replacing: boolean;
  registration: Registration;
  flags: RetrainFlags;
  store: Store | undefined;
}

async function retrainAndSave(job: RetrainJob): Promise<void> {
  const { modelRef, champion, data, flags, store } = job;
  const task = supervisedTask(champion.pkg.task);
  const target = flags.target ?? champion.pkg.target;
  if (!target) {
    throw new ValidationError(`${modelRef} has no target column recorded; name the truth column.`, {
      field: 'target',
      fix: 'pass --target COL',
    });
  }
  // The new rows are read as lathe evaluate reads them: the model's columns with the model's types.
  const { read, input } = await readLabelledInput(data, champion, target, { onBadRows: flags.onBadRows });
  const seed = flags.seed ?? 0;
  const championRef = describeChampion(modelRef, champion);
  const championSha256 = modelDigest(champion.model);
  // Recorded from here, once the new rows are read (as lathe train): a retraining that fails or
  // is interrupted leaves a `failed` or `interrupted` run with what it was asked to do.
  const retrain = (run?: TrackedRun) =>
    retrainAndRecord(job, run, { read, input, task, target, championRef, championSha256 });
  if (!store) return retrain();
  const { family } = championRecipe(champion.model);
  await withRun(
    {
      store,
      experiment: flags.experiment,
      name: `retrain ${family}`,
      seed,
      params: {
        data,
        champion: resolve(champion.ref.path),
        championRef,
        championSha256,
        target,
        holdout: flags.holdout,
        seed,
        minImprovement: flags.minImprovement,
        resamples: flags.resamples,
        level: flags.level,
        onBadRows: flags.onBadRows ?? 'error',
      },
      tags: { command: 'retrain', family, champion: championRef },
    },
    retrain,
  );
}

async function retrainAndRecord(
  job: RetrainJob,
  run: TrackedRun | undefined,
  given: {
    read: Awaited<ReturnType<typeof readLabelledInput>>['read'];
    input: Awaited<ReturnType<typeof readLabelledInput>>['input'];
    task: ReturnType<typeof supervisedTask>;
    target: string;
    championRef: string;
    championSha256: string;
  },
): Promise<void> {
  const { modelRef, champion, data, out, replacing, registration, flags, store } = job;
  const { read, input, task, target, championRef, championSha256 } = given;
  const seed = flags.seed ?? 0;
  const progress = createProgress({
    total: trainStages(),
    quiet: flags.quiet || flags.json,
    eta: false,
  });
  let result: RetrainResult;
  try {
    result = retrainModel(
      {
        model: champion.model,
        inputSchema: champion.pkg.inputSchema,
        task,
        target: champion.pkg.target,
      },
      input,
      {
        target,
        holdout: flags.holdout,
        seed: flags.seed ?? 0,
        metric: flags.metric,
        minImprovement: flags.minImprovement,
        nResamples: flags.resamples,
        confidenceLevel: flags.level,
        source: data,
        rowLines: read.rowLines,
        onBadRows: flags.onBadRows,
        progress,
      },
    );
  } finally {
    progress.finish();
  }
  const train = result.train;
  const rejected = noteTrainingRejects(data, read, train.rejected, flags);
  if (replacing) note(flags, `replacing the model package at ${out}`);

  const digest = modelDigest(train.model);
  const dataFingerprint = fingerprint(read.table);
  // The comparison is fair only on rows the champion never saw: the very file it was trained on
  // puts some of its training rows among the held-out ones (all of them under another --seed).
  if (champion.pkg.lineage?.dataFingerprint === dataFingerprint) {
    note(
      flags,
      `note: ${data} holds the very rows ${championRef} was trained on, so the held-out rows may include rows it was fitted on, which favours it; retrain on rows it has not seen.`,
    );
  }
  if (run) {
    await run.logParams({
      data,
      champion: resolve(champion.ref.path),
      championRef,
      championSha256,
      family: result.family,
      task: train.task,
      requestedTask: train.task,
      target,
      holdout: flags.holdout,
      seed,
      metric: result.decision.metric,
      minImprovement: flags.minImprovement,
      resamples: flags.resamples,
      level: flags.level,
      onBadRows: flags.onBadRows ?? 'error',
      userParams: JSON.stringify(result.params),
      ...modelRunParams(train.params),
    });
    await run.setTags({
      family: result.family,
      task: train.task,
      modelSha256: digest,
      winner: result.decision.winner,
    });
  }
  const lineage: PlainObject = {
    runId: run?.id ?? null,
    dataPath: data,
    dataFingerprint,
    seed,
    modelSha256: digest,
    retrainedFrom: { ref: championRef, modelSha256: championSha256 },
  };
  const written = await writeModelPackage(out, packageInputFor(train, lineage, registration.name), {
    overwrite: true,
  });
  let registered: { name: string; version: number; alias?: string } | null = null;
  let promoted: { alias: string; version: number } | null = null;
  if (run && store) {
    await run.logDataset({
      name: basename(data),
      fingerprint: dataFingerprint,
      schema: train.tableSchema,
      nRows: read.table.nRows,
    });
    for (const [k, v] of Object.entries(retrainMetrics(result))) await run.logMetric(k, v);
    await run.logArtifact('model.lathe', (await modelPackageArchive(written.path)).bytes);
    if (registration.name) {
      const v = await registerModel(store, registration.name, written.path, {
        alias: flags.alias,
        via: 'lathe retrain',
        reason: flags.alias ? `retrained from ${championRef}` : null,
      });
      registered = {
        name: registration.name,
        version: v.version,
        ...(flags.alias ? { alias: flags.alias } : {}),
      };
      if (registration.promoteTo && result.decision.winner === 'challenger') {
        await promoteModel(
          store,
          { name: registration.name, version: v.version },
          {
            to: registration.promoteTo,
            via: 'lathe retrain',
            reason: `retrained from ${championRef}: ${result.decision.reason}`,
          },
        );
        promoted = { alias: registration.promoteTo, version: v.version };
      }
    }
    await run.end('finished');
  }
  report(flags, {
    modelRef,
    championRef,
    data,
    result,
    path: written.path,
    runId: run?.id ?? null,
    digest,
    rejected,
    registered,
    promoted,
    promoteTo: registration.promoteTo,
  });
}

/** The old model as a stable reference: `name/version` for a registered one (an alias moves), else its path. */
function describeChampion(modelRef: string, champion: LoadedModel): string {
  const r = champion.ref;
  return r.kind === 'registry' && r.name && r.version ? `${r.name}/${r.version}` : modelRef;
}

interface Outcome {
  modelRef: string;
  championRef: string;
  data: string;
  result: RetrainResult;
  path: string;
  runId: string | null;
  digest: string;
  rejected: number;
  registered: { name: string; version: number; alias?: string } | null;
  promoted: { alias: string; version: number } | null;
  promoteTo: string | null;
}

function fmt(v: number | null, signed = false): string {
  if (v === null) return 'n/a';
  const s = formatScore(v);
  return signed && v >= 0 ? `+${s}` : s;
}

function report(flags: RetrainFlags, o: Outcome): void {
  const r = o.result;
  const t = r.train;
  const json = {
    runId: o.runId,
    champion: { ref: o.championRef, given: o.modelRef },
    model: {
      path: o.path,
      family: r.family,
      task: t.task,
      target: t.target,
      classes: t.classes,
      sha256: o.digest,
    },
    params: r.params,
    rows: { ...t.rows, rejected: o.rejected },
    notes: t.notes,
    fitSeconds: t.fitSeconds,
    comparison: {
      rows: r.comparedRows,
      confidenceLevel: r.confidenceLevel,
      nResamples: r.nResamples,
      metrics: r.metrics,
    },
    decision: r.decision,
    registered: o.registered,
    promoted: o.promoted,
  };
  output(flags, json, () => {
    const lines = [
      `Retrained ${r.family} (${t.task} of '${t.target}') on ${t.rows.train} rows of ${o.data} in ${t.fitSeconds.toFixed(2)} s, with the hyperparameters of ${o.championRef}.`,
    ];
    if (t.rows.missingTarget) lines.push(`Left out ${t.rows.missingTarget} rows whose target is missing.`);
    for (const n of t.notes)
      lines.push(`  note: ${n.column}: ${n.action}${n.reason ? ` (${n.reason})` : ''}`);
    lines.push(
      '',
      `The champion (${o.championRef}) and the challenger on the same ${r.comparedRows} held-out rows of ${o.data}:`,
      ...comparisonTable(r),
      '  (* decides; improvement is challenger − champion, or champion − challenger where lower is better)',
      '',
      `${r.decision.winner === 'challenger' ? 'The challenger wins' : 'The champion stays'}: ${r.decision.reason}`,
      '',
      `Model package: ${relative(process.cwd(), o.path) || o.path}`,
    );
    if (o.runId) lines.push(`Run: ${o.runId}`);
    if (o.registered) {
      lines.push(
        `Registered: ${o.registered.name}/${o.registered.version}${o.registered.alias ? ` (@${o.registered.alias})` : ''}`,
      );
    }
    if (o.promoted)
      lines.push(`Promoted: ${o.registered?.name}@${o.promoted.alias} → version ${o.promoted.version}`);
    else if (o.promoteTo)
      lines.push(`Not promoted: ${o.registered?.name}@${o.promoteTo} stays where it was.`);
    return lines.join('\n');
  });
}

/** The metrics side by side, columns as wide as their widest cell. */
function comparisonTable(r: RetrainResult): string[] {
  const titles = new Map(metricsFor(r.train.task as LearningTask).map((m) => [m.key, m.title] as const));
  const pct = Math.round(r.confidenceLevel * 100);
  const rows = r.metrics.map((m) => [
    `${titles.get(m.key) ?? m.key}${m.key === r.decision.metric ? ' *' : ''}`,
    fmt(m.champion),
    fmt(m.challenger),
    `${fmt(m.improvement, true)}${m.lower !== null && m.upper !== null ? ` [${fmt(m.lower, true)}, ${fmt(m.upper, true)}]` : ''}`,
  ]);
  const head = [
    'metric',
    'champion',
    'challenger',
    `improvement${r.nResamples ? ` [${pct}% interval]` : ''}`,
  ];
  const width = head.map((h, k) => Math.max(h.length, ...rows.map((row) => row[k].length)));
  return [head, ...rows].map(
    (row) =>
      `  ${row[0].padEnd(width[0])}  ${row[1].padStart(width[1])}  ${row[2].padStart(width[2])}  ${row[3]}`,
  );
}
