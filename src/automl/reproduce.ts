/**
 * `reproduceRun`: re-runs a recorded `train` (or `tune`) run from its recorded inputs and checks
 * that the model bytes and the metrics come out identical.
 *
 * The recorded data path is resolved against the run's working directory; the data must still
 * have the recorded fingerprint (otherwise the run is refused, not "reproduced" on other data).
 *
 * @module
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { DataError, ValidationError } from '../core/errors.ts';
import { fingerprint } from '../data/fingerprint.ts';
import { readTable } from '../data/read/index.ts';
import type { BadRowPolicy } from '../data/read-types.ts';
import type { Schema } from '../data/schema.ts';
import type { Table } from '../data/table.ts';
import type { RunDetail } from '../track/store.ts';
import type { LearningTask } from './families.ts';
import { modelDigest } from './package.ts';
import type { ScoringRead } from './scoring-input.ts';
import { trainModel } from './train.ts';

/** One compared quantity. */
export interface ReproduceCheck {
  what: string;
  recorded: string | number | null;
  reproduced: string | number | null;
  identical: boolean;
}

/** The outcome of {@link reproduceRun}. */
export interface ReproduceResult {
  runId: string;
  command: string;
  /** True when every check is identical. */
  identical: boolean;
  checks: ReproduceCheck[];
  dataPath: string;
  dataFingerprint: string;
}

/** Re-runs one kind of recorded command; registered per command name. */
export type Reproducer = (run: RunDetail) => Promise<ReproduceResult>;

const reproducers = new Map<string, Reproducer>();

/** Adds support for re-running runs recorded by `command` (e.g. `tune`). */
export function registerReproducer(command: string, fn: Reproducer): void {
  reproducers.set(command, fn);
}

/**
 * Re-runs the recorded run and compares. Only a `finished` run is re-run: one that is still
 * running, failed or was interrupted recorded no final model or metrics to compare with (nor, for
 * an interrupted search, the number of trials it really ran).
 */
export async function reproduceRun(run: RunDetail): Promise<ReproduceResult> {
  if (run.status !== 'finished') {
    throw new ValidationError(
      run.status === 'running'
        ? `Run ${run.id} is still running: it has not recorded its model and metrics yet.`
        : `Run ${run.id} ended ${run.status}${run.failure ? ` (${run.failure})` : ''}: it recorded no final model and metrics to compare with.`,
      {
        field: 'run-id',
        fix:
          run.status === 'running'
            ? 'wait for it to finish, then reproduce it'
            : 'reproduce a finished run (lathe runs list --status finished), or run the command again for a new one',
      },
    );
  }
  // A tuning trial is tagged with its study's command but recorded no data or model of its own.
  if (run.parentId !== null && run.tags.command === 'tune') {
    throw new ValidationError(
      `Run ${run.id} is ${run.name ?? 'a trial'} of the search ${run.parentId}: a trial is re-run only with its whole search.`,
      { field: 'run-id', fix: `reproduce the search: lathe reproduce ${run.parentId}` },
    );
  }
  const command = run.tags.command;
  const fn = command ? reproducers.get(command) : undefined;
  if (!fn) {
    throw new ValidationError(
      `Run ${run.id} was recorded by ${command ? `'lathe ${command}'` : 'the library API'}, which lathe reproduce cannot re-run.`,
      { fix: `reproduce runs of: ${[...reproducers.keys()].map((c) => `lathe ${c}`).join(', ')}` },
    );
  }
  return fn(run);
}

/** The recorded data file, resolved against the run's working directory. */
export function recordedDataPath(run: RunDetail): string {
  const data = run.params.data;
  if (typeof data !== 'string') {
    throw new ValidationError(`Run ${run.id} has no recorded data path (parameter 'data').`);
  }
  return isAbsolute(data) ? data : resolve(run.lineage?.cwd ?? process.cwd(), data);
}

/** The recorded `--schema` file (null when none), resolved like the data path against the run's working directory. */
export function recordedSchemaPath(run: RunDetail): string | null {
  const schema = run.params.schemaFile;
  if (typeof schema !== 'string' || schema === '') return null;
  return isAbsolute(schema) ? schema : resolve(run.lineage?.cwd ?? process.cwd(), schema);
}

/**
 * Reads the recorded data with the run's bad-row policy (`error` unless it recorded another) and
 * checks its fingerprint against the run's dataset.
 */
export async function readRecordedData(run: RunDetail) {
  const schema = recordedSchemaPath(run) ?? undefined;
  const r = await readRecordedWith(run, (path, reading) => readTable(path, { ...reading, schema }));
  return { ...r, schema: trainingSchema(run, r.read.schema) };
}

/**
 * {@link readRecordedData} with another reader (`lathe retrain` reads with the champion's schema):
 * `reader` gets the path and the bad-row policy; the fingerprint is of the `table` it returns.
 */
async function readRecordedWith<T extends { table: Table }>(
  run: RunDetail,
  reader: (path: string, reading: ScoringRead) => Promise<T>,
): Promise<{ path: string; read: T; fingerprint: string }> {
  const onBadRows = (run.params.onBadRows as BadRowPolicy | undefined) ?? 'error';
  const path = recordedDataPath(run);
  // Quarantined rows go to a scratch file: reproducing must not rewrite the <data>.rejects.csv
  // the recorded run wrote (which also lists the rows training set aside).
  const scratch = onBadRows === 'quarantine' ? mkdtempSync(join(tmpdir(), 'lathe-reproduce-')) : null;
  let read: T;
  try {
    read = await reader(path, {
      onBadRows,
      ...(scratch ? { rejectsPath: join(scratch, 'rejects.csv') } : {}),
    });
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  const fp = fingerprint(read.table);
  const recorded = run.datasets[0]?.fingerprint ?? run.lineage?.data?.[0]?.fingerprint;
  if (recorded && recorded !== fp) {
    // The fingerprint is of the table as read: a changed --schema file changes it as much as the data.
    const schema = recordedSchemaPath(run);
    throw new DataError(
      `the data${schema ? ` (read with the --schema file ${schema})` : ''} no longer match run ${run.id}: fingerprint ${fp.slice(0, 12)}… ≠ recorded ${recorded.slice(0, 12)}….`,
      {
        file: path,
        fix: schema
          ? 'restore the data and the --schema file the run was trained with (lathe reproduce refuses to compare on other data)'
          : 'restore the data the run was trained on (lathe reproduce refuses to compare on other data)',
      },
    );
  }
  return { path, read, fingerprint: fp };
}

/**
 * The schema the run trained with: the reader's (the file's datetime formats, --schema's types)
 * when the run recorded `readSchema` — train, tune and run pass it since packages record the
 * formats — else undefined, so an older run re-infers it from the table as it did, and still
 * reproduces bit for bit (the schema is part of the model's bytes).
 */
function trainingSchema(run: RunDetail, read: Schema): Schema | undefined {
  return run.params.readSchema === true ? read : undefined;
}

function check(
  what: string,
  recorded: string | number | null | undefined,
  reproduced: string | number | null,
): ReproduceCheck {
  const r = recorded ?? null;
  const identical =
    typeof r === 'number' && typeof reproduced === 'number' ? Object.is(r, reproduced) : r === reproduced;
  return { what, recorded: r, reproduced, identical };
}

/** Adds a check per metric the run recorded against the reproduced values, and the verdict. */
function verdict(
  run: RunDetail,
  command: string,
  checks: ReproduceCheck[],
  reproduced: Record<string, number>,
  dataPath: string,
  dataFingerprint: string,
): ReproduceResult {
  for (const [k, m] of Object.entries(run.metrics)) {
    const v = reproduced[k];
    checks.push(check(`metric ${k}`, m.value, Number.isFinite(v) ? v : null));
  }
  return {
    runId: run.id,
    command,
    identical: checks.every((c) => c.identical),
    checks,
    dataPath,
    dataFingerprint,
  };
}

/** Reproduces a `lathe train` run. */
async function reproduceTrain(run: RunDetail): Promise<ReproduceResult> {
  const p = run.params;
  const { path, read, fingerprint: fp, schema } = await readRecordedData(run);
  const result = trainModel(read.table, {
    family: String(p.family),
    target: (p.target as string | null) ?? null,
    task: ((p.requestedTask as string) ?? 'auto') as LearningTask | 'auto',
    params: JSON.parse(String(p.userParams ?? '{}')) as Record<string, unknown>,
    holdout: Number(p.holdout),
    seed: Number(p.seed ?? 0),
    cv: typeof p.cv === 'number' ? p.cv : undefined,
    // As lathe train did: under quarantine, rows with a feature value training cannot take (inf)
    // are set aside again rather than refused.
    onBadRows: (p.onBadRows as BadRowPolicy) ?? 'error',
    source: path,
    rowLines: read.rowLines,
    schema,
  });
  const checks: ReproduceCheck[] = [check('model sha256', run.tags.modelSha256, modelDigest(result.model))];
  const reproduced: Record<string, number> = { ...result.metrics };
  for (const [k, m] of Object.entries(result.cv?.metrics ?? {})) {
    reproduced[`cv_${k}`] = m.mean;
    reproduced[`cv_${k}_std`] = m.std;
  }
  return verdict(run, 'train', checks, reproduced, path, fp);
}

registerReproducer('train', reproduceTrain);

/**
 * Reproduces a `lathe tune` run. A time-budgeted search is re-run with the number of trials it
 * actually recorded (its trial sequence is fixed by the seed and the batch size, so the first n
 * trials are the same whatever the time budget).
 */
async function reproduceTune(run: RunDetail): Promise<ReproduceResult> {
  const p = run.params;
  const { path, read, fingerprint: fp, schema } = await readRecordedData(run);
  const nTrials = typeof p.trials === 'number' ? p.trials : run.children;
  const { tuneModel } = await import('./tune.ts');
  const result = await tuneModel(read.table, {
    family: String(p.family),
    target: String(p.target),
    task: ((p.requestedTask as string) ?? 'auto') as Exclude<LearningTask, 'clustering'> | 'auto',
    params: JSON.parse(String(p.userParams ?? '{}')) as Record<string, unknown>,
    sampler: p.sampler as 'tpe' | 'random' | 'grid',
    nTrials,
    cv: Number(p.cv),
    pruner: p.pruner as 'none' | 'median' | 'asha',
    pruneOn: (p.pruneOn as 'folds' | 'iterations' | null) ?? undefined,
    metric: (p.metric as string | null) ?? undefined,
    holdout: Number(p.holdout),
    nested: (p.nested as number | null) ?? undefined,
    seed: Number(p.seed ?? 0),
    batchSize: Number(p.batchSize),
    onBadRows: (p.onBadRows as BadRowPolicy) ?? 'error',
    source: path,
    rowLines: read.rowLines,
    schema,
  });
  const checks: ReproduceCheck[] = [
    check('model sha256', run.tags.modelSha256, modelDigest(result.train.model)),
    check('best trial', run.tags.bestTrial, String(result.search.best?.number ?? '')),
  ];
  // Every metric lathe tune records on its parent run (the trials' own runs are not re-checked).
  const reproduced: Record<string, number> = {
    [`cv_${result.metric}`]: result.bestCvScore,
    [`cv_${result.metric}_std`]: result.bestCvStd,
    ...result.train.metrics,
  };
  if (result.holdoutScore !== null) reproduced[`holdout_${result.metric}`] = result.holdoutScore;
  if (result.gap !== null) reproduced.gap = result.gap;
  for (const [k, v] of Object.entries(result.search.importance ?? {}))
    reproduced[`importance.${k.replace(/^model__/, '')}`] = v;
  if (result.nested) reproduced[`nested_${result.metric}`] = result.nested.mean;
  return verdict(run, 'tune', checks, reproduced, path, fp);
}

registerReproducer('tune', reproduceTune);

/**
 * Reproduces a `lathe run` run: the candidates it compared and the trials it ran (both recorded,
 * since a time budget makes them depend on the machine) are run again without a budget, with the
 * same seed, split, folds and metric.
 */
async function reproduceRunJob(run: RunDetail): Promise<ReproduceResult> {
  const p = run.params;
  const { path, read, fingerprint: fp, schema } = await readRecordedData(run);
  const { runJob } = await import('./run.ts');
  const clustering = p.task === 'clustering';
  const compared = String(p.compared ?? '')
    .split(',')
    .filter(Boolean);
  const result = await runJob(read.table, {
    target: (p.target as string | null) ?? null,
    task: ((p.requestedTask as string) ?? 'auto') as LearningTask | 'auto',
    metric: clustering ? undefined : String(p.metric),
    holdout: Number(p.holdout),
    cv: Number(p.cv),
    seed: Number(p.seed ?? 0),
    ...(clustering ? { clusterCounts: compared.map(Number) } : { families: compared }),
    nTrials: Number(p.trialsRun ?? 0),
    // No budget: every recorded candidate and trial runs, however long it takes here.
    timeBudget: Number.MAX_VALUE,
    nResamples: 0,
    onBadRows: (p.onBadRows as BadRowPolicy) ?? 'error',
    source: path,
    rowLines: read.rowLines,
    schema,
  });
  const checks: ReproduceCheck[] = [
    check('model sha256', run.tags.modelSha256, modelDigest(result.final.model)),
  ];
  const reproduced: Record<string, number> = {};
  for (const m of result.evaluation?.metrics ?? []) if (m.value !== null) reproduced[m.key] = m.value;
  if (clustering) Object.assign(reproduced, result.final.metrics);
  if (!clustering) reproduced[`cv_${result.metric}`] = result.bestScore;
  return verdict(run, 'run', checks, reproduced, path, fp);
}

registerReproducer('run', reproduceRunJob);

/**
 * Reproduces a `lathe retrain` run: the champion package it recorded (by path, checked by its
 * digest) is fitted again on the recorded data, read with the champion's schema as the run read it,
 * and compared on the same held-out rows.
 */
async function reproduceRetrain(run: RunDetail): Promise<ReproduceResult> {
  const p = run.params;
  const { loadModel } = await import('./load.ts');
  const { readLabelledInput } = await import('./scoring-input.ts');
  const { retrainMetrics, retrainModel } = await import('./retrain.ts');
  const champion = await loadModel(String(p.champion));
  const championSha = modelDigest(champion.model);
  if (championSha !== p.championSha256) {
    throw new DataError(
      `the champion package of run ${run.id} has changed: model digest ${championSha.slice(0, 12)}… ≠ recorded ${String(p.championSha256).slice(0, 12)}….`,
      {
        file: String(p.champion),
        fix: 'restore the package the run retrained (its registry version, or the file)',
      },
    );
  }
  const target = String(p.target);
  const {
    path,
    read,
    fingerprint: fp,
  } = await readRecordedWith(run, async (at, reading) => {
    const scoring = await readLabelledInput(at, champion, target, reading);
    return { table: scoring.read.table, scoring };
  });
  const result = retrainModel(
    {
      model: champion.model,
      inputSchema: champion.pkg.inputSchema,
      task: champion.pkg.task as LearningTask,
      target: champion.pkg.target,
    },
    read.scoring.input,
    {
      target,
      holdout: Number(p.holdout),
      seed: Number(p.seed ?? 0),
      metric: String(p.metric),
      minImprovement: Number(p.minImprovement ?? 0),
      nResamples: Number(p.resamples ?? 1000),
      confidenceLevel: Number(p.level ?? 0.95),
      onBadRows: (p.onBadRows as BadRowPolicy) ?? 'error',
      source: path,
      rowLines: read.scoring.read.rowLines,
    },
  );
  const checks: ReproduceCheck[] = [
    check('model sha256', run.tags.modelSha256, modelDigest(result.train.model)),
    check('winner', run.tags.winner, result.decision.winner),
  ];
  return verdict(run, 'retrain', checks, retrainMetrics(result), path, fp);
}

registerReproducer('retrain', reproduceRetrain);
