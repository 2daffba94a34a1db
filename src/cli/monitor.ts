/**
 * `lathe monitor <model> <data>`: has what the model scores drifted from what it was trained on?
 * `<data>` is a prediction log of `lathe serve --log` (its answered requests) or a data file; the
 * reference is the sample of training rows the package carries (or `--reference FILE`). Prints
 * one line per input column and one for the predictions (test, statistic, p-value, verdict) and
 * the data set's verdict.
 *
 *   lathe monitor churn@champion predictions.ndjson --since 2026-11-01
 *   lathe monitor runs/customers/model new-customers.csv --json
 *
 * @module
 */

import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { evaluateModel } from '../automl/evaluate.ts';
import { loadModel } from '../automl/load.ts';
import {
  type ColumnDriftReport,
  type DriftReport,
  metricsBaseline,
  monitorDrift,
  type PerformanceReport,
  performanceDecay,
} from '../automl/monitor.ts';
import { renderDriftReport } from '../automl/monitor-report.ts';
import { type PredictResult, predictTable, scoringSchema, usedInputSchema } from '../automl/predict.ts';
import { packageReference, type ReferenceSample, referenceSample } from '../automl/reference.ts';
import { readLabelledInput, readScoringInput } from '../automl/scoring-input.ts';
import { ValidationError } from '../core/errors.ts';
import { numericColumn } from '../data/column.ts';
import type { BadRowPolicy, ReadResult } from '../data/read-types.ts';
import { applySchema } from '../data/schema-apply.ts';
import type { Table } from '../data/table.ts';
import { looksLikePredictionLog, readPredictionLog } from '../serve/prediction-log.ts';
import type { LoadedModel } from '../track/registry.ts';
import {
  action,
  type CommonOptions,
  choiceFlag,
  formatScore,
  note,
  numberFlag,
  output,
  UsageError,
  withCommonOptions,
} from './common.ts';
import { MIN_RESAMPLES, parseResamples } from './evaluate.ts';
import { checkOutputExtension, checkOutputs, modelInput, rejectsOutput, storeInputs } from './paths.ts';
import { writeScoringRejects } from './predict.ts';

import { writeFileAtomic } from './profile.ts';

interface MonitorFlags extends CommonOptions {
  reference?: string;
  report?: string;
  target?: string;
  resamples?: number;
  since?: string;
  until?: string;
  servedAs?: string;
  driftShare?: number;
  onBadRows?: BadRowPolicy;
}

/** Registers `lathe monitor`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command('monitor')
      .description('data drift: what a model scores against what it was trained on')
      .argument(
        '<model>',
        'model package directory or archive, or a registry reference name@alias / name/version',
      )
      .argument(
        '<data>',
        'a prediction log of lathe serve --log, or a CSV, TSV, Parquet, JSON, NDJSON or Arrow file',
      )
      .option(
        '--reference <file>',
        "the training data to compare with (default: the package's sample of its training rows)",
      )
      .option(
        '--since <time>',
        'a log: only requests at or after this time (ISO 8601, e.g. 2026-11-01)',
        timeFlag('--since'),
      )
      .option('--until <time>', 'a log: only requests before this time (ISO 8601)', timeFlag('--until'))
      .option('--served-as <name>', 'a log of several models: the name this model was served under')
      .option(
        '--target <column>',
        "a data file holding the true outcomes: also judge the model's performance against its training holdout (decay)",
      )
      .option(
        '--resamples <n>',
        `with --target: bootstrap resamples for the intervals (default 1000, at least ${MIN_RESAMPLES})`,
        parseResamples,
      )
      .option('--report <file>', 'also write an HTML report (verdicts, tests, each column’s distributions)')
      .option(
        '--drift-share <share>',
        'share of tested input columns that must drift for the data set to drift (default 0.5)',
        numberFlag('--drift-share', 0, 1),
      )
      .option(
        '--on-bad-rows <policy>',
        'a data file: error (default) or quarantine',
        choiceFlag('--on-bad-rows', ['error', 'quarantine'] as const),
      ),
  ).action(action(monitorCommand));
}

function timeFlag(flag: string): (v: string) => string {
  return (v: string) => {
    if (Number.isNaN(Date.parse(v))) {
      throw new UsageError(`${flag} must be a time such as 2026-11-01 or 2026-11-01T12:00:00Z; got '${v}'.`);
    }
    return new Date(Date.parse(v)).toISOString();
  };
}

/**
 * The start of a file (up to 64 KB), to tell a prediction log from a data file by its first line
 * that is not blank (see `looksLikePredictionLog`).
 */
function fileStart(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return ''; // the reader says what is wrong with the path
  }
  try {
    const buf = Buffer.alloc(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Where the current rows came from, for the report. */
interface CurrentSource {
  kind: 'log' | 'file';
  path: string;
  rows: number;
  /** A log: requests taken, the model name and versions, the time span. */
  requests?: number;
  servedAs?: string;
  versions?: string[];
  first?: string | null;
  last?: string | null;
}

/**
 * The log's inputs typed as the model reads them. Dates are logged in ISO form whatever the
 * training file's format was: they are read back as such.
 */
function typeLogInputs(t: Table, loaded: LoadedModel, path: string): Table {
  const used = usedInputSchema(loaded.model, loaded.pkg.inputSchema);
  let table = t;
  for (const cs of used.columns) {
    if (cs.storage !== 'datetime' || !table.has(cs.name)) continue;
    const c = table.column(cs.name);
    if (c.type !== 'text') continue;
    table = table.withColumn(
      numericColumn(
        cs.name,
        c.values.map((v) => (v === null ? null : Date.parse(v))),
      ),
    );
  }
  const missing = used.columns.filter((c) => !table.has(c.name)).map((c) => c.name);
  if (missing.length) {
    throw new ValidationError(
      `${path}: the logged requests lack inputs the model reads: ${missing.join(', ')} — the log is of another model.`,
      {
        field: 'data',
        fix: 'monitor the log with the model that was served, or pick it with --served-as',
      },
    );
  }
  return applySchema(
    table.select(used.columns.map((c) => c.name).filter((n) => table.has(n))),
    scoringSchema(used),
    {
      source: path,
    },
  );
}

async function currentRows(
  data: string,
  loaded: LoadedModel,
  flags: MonitorFlags,
): Promise<{ table: Table; source: CurrentSource; rowLines?: ArrayLike<number>; read?: ReadResult }> {
  if (looksLikePredictionLog(fileStart(data))) {
    if (flags.target) {
      throw new UsageError(
        `--target: ${data} is a prediction log, which holds no outcomes. Fix: pass a data file of scored rows with their outcomes (the log's inputs joined with what happened).`,
      );
    }
    const log = readPredictionLog(data, { model: flags.servedAs, since: flags.since, until: flags.until });
    if (log.table.nRows === 0) {
      throw new ValidationError(
        `${data}: no answered request${flags.since || flags.until ? ' in that time span' : ''}${log.model ? ` of ${log.model}` : ''} to compare with the reference.`,
        { field: 'data', fix: 'widen --since/--until, or check --served-as' },
      );
    }
    return {
      table: typeLogInputs(log.table, loaded, data),
      source: {
        kind: 'log',
        path: data,
        rows: log.table.nRows,
        requests: log.requests,
        servedAs: log.model,
        versions: log.versions,
        first: log.first,
        last: log.last,
      },
    };
  }
  if (flags.since || flags.until || flags.servedAs) {
    throw new UsageError(
      `--since, --until and --served-as select requests of a prediction log; ${data} is a data file.`,
    );
  }
  const target = flags.target;
  const reading = { onBadRows: flags.onBadRows };
  const { input, read } = target
    ? await readLabelledInput(data, loaded, target, reading)
    : await readScoringInput(data, loaded, reading);
  return {
    table: input,
    source: { kind: 'file', path: data, rows: input.nRows },
    rowLines: read.rowLines,
    read,
  };
}

async function referenceOf(loaded: LoadedModel, flags: MonitorFlags): Promise<ReferenceSample> {
  if (flags.reference) {
    const { input } = await readScoringInput(flags.reference, loaded, { onBadRows: flags.onBadRows });
    const used = usedInputSchema(loaded.model, loaded.pkg.inputSchema);
    return referenceSample(
      input,
      used.columns.map((c) => c.name),
      flags.seed ?? 0,
    );
  }
  const r = packageReference(loaded.pkg.extra);
  if (!r) {
    throw new ValidationError(
      'the model package carries no sample of its training rows to compare with (it was written by a Lathe that did not keep one).',
      { field: 'model', fix: 'pass --reference with the training data file, or retrain the model' },
    );
  }
  return r;
}

async function monitorCommand(modelRef: string, data: string, flags: MonitorFlags): Promise<void> {
  const outputs = [
    ...(flags.report ? [{ path: flags.report, what: '--report' }] : []),
    ...rejectsOutput(data, flags.onBadRows),
  ];
  if (outputs.length) {
    // Before any work: the report (and the rejects file under quarantine) can be written and replace no input.
    checkOutputs(outputs, [
      { path: data, what: 'the data file' },
      ...(flags.reference ? [{ path: flags.reference, what: '--reference' }] : []),
      ...modelInput(modelRef),
      ...storeInputs(flags.store),
    ]);
  }
  if (flags.report) {
    checkOutputExtension('--report', flags.report, 'the report is an HTML page and', '.html', 'drift', [
      '.htm',
    ]);
  }
  const loaded = await loadModel(modelRef, { store: flags.store });
  const reference = await referenceOf(loaded, flags);
  const current = await currentRows(data, loaded, flags);
  const { source } = current;
  let { table, rowLines } = current;
  const predicted = predictOnce(loaded, table, Boolean(flags.target), data, rowLines, flags.onBadRows);
  if (predicted?.rejected.length) {
    // Rows holding a value the model cannot take (under --on-bad-rows quarantine) are left out of
    // drift and decay alike, and listed in the rejects file with the rows the reader set aside.
    const refused = new Set(predicted.rejected.map((r) => r.row));
    const keep = Array.from({ length: table.nRows }, (_, i) => i).filter((i) => !refused.has(i));
    const lines = rowLines;
    table = table.take(keep);
    rowLines = lines ? keep.map((i) => lines[i]) : undefined;
    if (current.read) writeScoringRejects(data, current.read, predicted.rejected, flags, 'compared');
    else note(flags, `${refused.size} of the log's rows hold a value the model cannot take: left out`);
  }
  const report = monitorDrift(loaded.model, loaded.pkg.inputSchema, reference, table, {
    driftShare: flags.driftShare,
    currentPredictions: predicted?.predictions,
  });
  const performance = flags.target
    ? judgePerformance(modelRef, loaded, table, flags.target, data, rowLines, flags, predicted)
    : null;
  output(
    flags,
    {
      model: modelRef,
      task: loaded.pkg.task,
      current: { ...source, path: resolve(source.path) },
      reference: flags.reference ? resolve(flags.reference) : 'package',
      ...report,
      performance,
    },
    () =>
      text(modelRef, loaded, source, report, flags.reference) +
      (performance ? `\n\n${performanceText(performance, flags.target!)}` : ''),
  );
  if (flags.report) {
    const html = await renderDriftReport(report, performance, flags.target ?? null, {
      model: modelRef,
      task: loaded.pkg.task,
      data,
      span: source.kind === 'log' ? { first: source.first ?? null, last: source.last ?? null } : null,
      reference: flags.reference ?? 'the package',
    });
    await writeFileAtomic(flags.report, html);
    note(flags, `wrote the report to ${flags.report}`);
  }
  for (const n of report.notes) note(flags, n);
  if (performance?.baseline === 'training') {
    note(
      flags,
      "the package's metrics were measured on its training rows (it was trained without a holdout), so they are optimistic: a decay verdict against them overstates it.",
    );
  }
  if (performance?.decayed) {
    const m = performance.metrics.find((x) => x.key === performance.primary)!;
    note(
      flags,
      `the model's ${m.title} has decayed (${formatScore(m.trained)} at training, ${formatScore(m.current)} now): consider retraining on recent labelled data (lathe retrain ${modelRef} <new-data.csv>).`,
    );
  }
  if (report.datasetDrift)
    note(
      flags,
      `the data have drifted: check the columns marked DRIFT, and consider retraining on recent labelled data (lathe retrain ${modelRef} <new-data.csv>).`,
    );
}

/**
 * The model's predictions on the current rows, made once for both the predictions' drift and (with
 * --target) the performance, with the probabilities a classifier's metrics need. A value the model
 * cannot take is named by file, line and column — or, under --on-bad-rows quarantine, its row is
 * set aside (`rejected`). Undefined for a transformer (PCA), which predicts nothing.
 */
function predictOnce(
  loaded: LoadedModel,
  table: Table,
  proba: boolean,
  source: string,
  rowLines: ArrayLike<number> | undefined,
  onBadRows: BadRowPolicy | undefined,
): PredictResult | undefined {
  if (loaded.pkg.task === 'transform') return undefined;
  const names = usedInputSchema(loaded.model, loaded.pkg.inputSchema).columns.map((c) => c.name);
  // A column missing: monitorDrift says so, before predicting anything.
  if (!names.every((n) => table.has(n))) return undefined;
  return predictTable(loaded.model, loaded.pkg.inputSchema, table.select(names), {
    batchSize: Math.max(1, table.nRows),
    proba: proba && loaded.pkg.task !== 'regression',
    source,
    rowLines,
    onBadRows,
  });
}

/** The model's performance on the current rows with outcomes, against its training metrics. */
function judgePerformance(
  modelRef: string,
  loaded: LoadedModel,
  table: Table,
  target: string,
  data: string,
  rowLines: ArrayLike<number> | undefined,
  flags: MonitorFlags,
  predicted: PredictResult | undefined,
): PerformanceReport {
  const task = loaded.pkg.task;
  if (task !== 'binary' && task !== 'multiclass' && task !== 'regression') {
    throw new UsageError(
      `--target: ${modelRef} is a ${task} model, which predicts no outcome to compare with. Drop --target to check its inputs for drift.`,
    );
  }
  const evaluation = evaluateModel(loaded.model, loaded.pkg.inputSchema, task, table, target, {
    nResamples: flags.resamples ?? 1000,
    seed: flags.seed ?? 0,
    source: data,
    rowLines,
    onBadRows: flags.onBadRows,
    predicted,
  });
  return performanceDecay(evaluation, loaded.pkg.metrics, metricsBaseline(loaded.pkg.extra));
}

const VERDICTS = { worse: 'WORSE', better: 'better', same: 'same' } as const;
const NO_DECAY = {
  same: "lies within today's interval",
  better: "lies outside today's interval on the worse side (the model does better now)",
  worse: '',
  none: 'cannot be compared (no value or no interval)',
} as const;

function performanceText(p: PerformanceReport, target: string): string {
  const level = `${Math.round(p.confidenceLevel * 100)} %`;
  const baseline = {
    holdout: 'the training holdout',
    training: 'the training rows (no holdout)',
    unknown: 'training',
  }[p.baseline];
  const rows = p.metrics.map((m) => {
    const interval =
      m.lower === null || m.upper === null ? '' : `[${formatScore(m.lower)}, ${formatScore(m.upper)}]`;
    return `${m.title.padEnd(30)} ${formatScore(m.trained).padStart(9)}  ${formatScore(m.current).padStart(9)}  ${interval.padEnd(21)} ${m.verdict ? VERDICTS[m.verdict] : 'n/a'}${m.key === p.primary ? '  ← the verdict' : ''}`;
  });
  const primary = p.metrics.find((m) => m.key === p.primary);
  return [
    `performance on the ${p.rows} rows with an outcome ('${target}'), ${level} intervals, against ${baseline}:`,
    '',
    `${'metric'.padEnd(30)} ${'training'.padStart(9)}  ${'now'.padStart(9)}  ${`[${level} interval]`.padEnd(21)} verdict`,
    ...rows,
    '',
    p.decayed
      ? `the model has DECAYED: its ${primary?.title} at training lies outside today's interval, on the better side.`
      : `no decay: ${primary ? `the ${primary.title} at training ${NO_DECAY[primary.verdict ?? 'none']}` : 'the primary metric is not available'}.`,
  ].join('\n');
}

const TESTS: Record<string, string> = {
  ks: 'KS',
  wasserstein: 'Wasserstein',
  chisquare: 'chi-square',
  jensenshannon: 'Jensen-Shannon',
};

function row(c: ColumnDriftReport): string {
  if (c.drifted === null) return `${c.column.padEnd(22)} ${'—'.padEnd(15)} ${c.reason}`;
  const p = c.pValue === null ? '—' : c.pValue < 1e-4 ? c.pValue.toExponential(1) : c.pValue.toFixed(4);
  const rule = c.pValue === null ? `≥ ${c.threshold}` : `p < ${c.threshold}`;
  // A category the reference never had makes chi-square infinite (as the report shows it: ∞).
  const statistic = c.statistic === Number.POSITIVE_INFINITY ? '∞' : formatScore(c.statistic);
  return `${c.column.padEnd(22)} ${TESTS[c.test!].padEnd(15)} ${statistic.padStart(9)}  ${p.padStart(8)}  ${rule.padEnd(9)} ${c.drifted ? 'DRIFT' : 'ok'}`;
}

function text(
  modelRef: string,
  loaded: LoadedModel,
  source: CurrentSource,
  r: DriftReport,
  referencePath: string | undefined,
): string {
  const span =
    source.kind === 'log'
      ? ` (${source.requests} request${source.requests === 1 ? '' : 's'}, ${source.first} … ${source.last})`
      : '';
  const ref = referencePath ? `${referencePath}` : 'its training rows';
  const sampled =
    r.rows.referenceSampled < r.rows.reference ? ` (a sample of ${r.rows.referenceSampled})` : '';
  const lines = [
    `drift of ${modelRef} (${loaded.pkg.task}): ${r.rows.current} rows of ${source.path}${span} against ${r.rows.reference} rows of ${ref}${sampled}`,
    '',
    `${'column'.padEnd(22)} ${'test'.padEnd(15)} ${'statistic'.padStart(9)}  ${'p-value'.padStart(8)}  ${'rule'.padEnd(9)} verdict`,
    ...r.columns.map(row),
    ...(r.prediction ? [row(r.prediction)] : []),
    '',
    `${r.drifted} of ${r.tested} input columns drifted (${(r.share * 100).toFixed(0)} %): ${r.datasetDrift ? 'the data set has DRIFTED' : 'no data drift'} (the threshold is ${(r.driftShare * 100).toFixed(0)} %).`,
  ];
  return lines.join('\n');
}
