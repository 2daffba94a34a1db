/**
 * `lathe evaluate <model> <data> --target COL`: the model's metrics on labelled data, each with a
 * bootstrap confidence interval; the confusion matrix and per-class report for classifiers.
 *
 *   lathe evaluate models/customers-gbdt holdout.csv --target churned
 *   lathe evaluate churn@champion new.csv --target churned --json
 *
 * @module
 */

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { evaluateModel, evaluateStages, type UnseenLabel } from '../automl/evaluate.ts';
import type { LearningTask } from '../automl/families.ts';
import { loadModel } from '../automl/load.ts';
import { readLabelledInput } from '../automl/scoring-input.ts';
import { ValidationError } from '../core/errors.ts';
import { createProgress } from '../core/progress.ts';
import type { BadRowPolicy } from '../data/read-types.ts';
import {
  action,
  type CommonOptions,
  choiceFlag,
  numberFlag,
  output,
  UsageError,
  withCommonOptions,
} from './common.ts';
import { checkOutputs, modelInput, rejectsOutput, storeInputs } from './paths.ts';
import { noteUnseenCategories, writeScoringRejects } from './predict.ts';

interface EvaluateFlags extends CommonOptions {
  target?: string;
  resamples: number;
  level: number;
  ciMethod: 'percentile' | 'bca' | 'basic';
  onBadRows?: BadRowPolicy;
}

/**
 * The fewest bootstrap resamples that give an interval worth printing. Percentile and BCa bounds
 * are quantiles of the bootstrap distribution: with a handful of resamples the 2.5 % and 97.5 %
 * quantiles are the extreme values (1 resample gives an "interval" of one value, which may well
 * exclude the estimate). SciPy's bootstrap defaults to 9999 resamples; 100 is a floor, 1000 the default.
 */
export const MIN_RESAMPLES = 100;

/** Parses `--resamples`: 0 (no intervals) or at least {@link MIN_RESAMPLES}. */
export function parseResamples(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    throw new UsageError(`--resamples must be a whole number (0 for no intervals); got '${v}'.`);
  }
  if (n > 0 && n < MIN_RESAMPLES) {
    throw new UsageError(
      `--resamples ${n} is too few for a bootstrap confidence interval: its bounds are quantiles of the resampled metric, which ${n} resample${n === 1 ? ' does' : 's do'} not estimate. Use --resamples ${MIN_RESAMPLES} or more (the default is 1000), or --resamples 0 for no intervals.`,
    );
  }
  return n;
}

/** The interval column of one metric: the bounds, why there are none, or nothing. */
function intervalText(m: {
  lower: number | null;
  upper: number | null;
  intervalReason: string | null;
}): string {
  if (m.lower !== null && m.upper !== null) return `[${fmt(m.lower)}, ${fmt(m.upper)}]`;
  return m.intervalReason ? `n/a (${m.intervalReason})` : '';
}

/** Registers `lathe evaluate`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command('evaluate')
      .description('metrics of a model on labelled data, with bootstrap confidence intervals')
      .argument('<model>', 'model package directory or archive, or name@alias / name/version')
      .argument('<data>', 'a file with the input columns and the target')
      .option('--target <column>', "the column holding the truth (default: the model's target)")
      .option(
        '--resamples <n>',
        `bootstrap resamples for the intervals (at least ${MIN_RESAMPLES}; 0: none)`,
        parseResamples,
        1000,
      )
      .option('--level <p>', 'confidence level of the intervals', numberFlag('--level', 0.5, 0.999), 0.95)
      .option(
        '--ci-method <m>',
        'percentile, bca or basic',
        choiceFlag('--ci-method', ['percentile', 'bca', 'basic'] as const),
        'percentile',
      )
      .option(
        '--on-bad-rows <policy>',
        'error (default) or quarantine',
        choiceFlag('--on-bad-rows', ['error', 'quarantine'] as const),
      ),
  ).action(action(evaluateCommand));
}

/** Says which rows hold a class the model never saw, and how they are counted. */
function unseenLines(unseen: readonly UnseenLabel[], target: string): string[] {
  if (!unseen.length) return [];
  const n = unseen.reduce((a, u) => a + u.count, 0);
  const each = unseen
    .slice(0, 5)
    .map((u) => `'${u.label}' ${u.count}× (first on line ${u.firstLine})`)
    .join(', ');
  return [
    `${n} of them hold a value of '${target}' the model never saw in training, so it cannot predict it: ${each}${unseen.length > 5 ? ', …' : ''}.`,
    'They count as wrong in every metric and have their own row in the confusion matrix and the report; log loss is undefined for them (n/a).',
  ];
}

function fmt(v: number | null): string {
  if (v === null) return 'n/a';
  return Math.abs(v) >= 1000 ? v.toFixed(1) : v.toFixed(4);
}

async function evaluateCommand(modelRef: string, data: string, flags: EvaluateFlags): Promise<void> {
  // Before any work: the rejects file (under quarantine) can be written and is no input.
  checkOutputs(rejectsOutput(data, flags.onBadRows), [
    { path: data, what: 'the data file' },
    ...modelInput(modelRef),
    ...storeInputs(flags.store),
  ]);
  const loaded = await loadModel(modelRef, { store: flags.store });
  const task = loaded.pkg.task;
  if (task !== 'binary' && task !== 'multiclass' && task !== 'regression') {
    throw new ValidationError(
      `lathe evaluate judges classifiers and regressors; ${modelRef} is a ${task} model, which has no true labels to compare with.`,
      {
        field: 'model',
        fix:
          task === 'clustering'
            ? `to see its clusters, score the data with lathe predict ${modelRef} <data>; to judge a model against labels, evaluate a classifier or regressor (lathe train <data> --target COL --model gbdt)`
            : `evaluate a classifier or regressor (lathe train <data> --target COL --model gbdt)`,
      },
    );
  }
  const target = flags.target ?? loaded.pkg.target;
  if (!target)
    throw new ValidationError('Name the column holding the truth with --target.', { field: 'target' });
  // The file is read as lathe predict reads it: the model's columns with the model's types (a bad
  // date is a bad row of the file, named by its line or set aside under --on-bad-rows quarantine).
  const { read, input, unseen } = await readLabelledInput(data, loaded, target, {
    onBadRows: flags.onBadRows,
  });
  noteUnseenCategories(flags, unseen, input.nRows);
  // One bootstrap per metric, on stderr (a terminal only; not with --quiet or --json).
  const progress = createProgress({
    total: evaluateStages(task as LearningTask),
    quiet: flags.quiet || flags.json || flags.resamples === 0,
    eta: false,
  });
  let result: ReturnType<typeof evaluateModel>;
  try {
    result = evaluateModel(loaded.model, loaded.pkg.inputSchema, task as LearningTask, input, target, {
      progress,
      nResamples: flags.resamples,
      confidenceLevel: flags.level,
      method: flags.ciMethod,
      seed: flags.seed ?? 0,
      source: data,
      rowLines: read.rowLines,
      modelTarget: loaded.pkg.target,
      onBadRows: flags.onBadRows,
    });
  } finally {
    progress.finish();
  }
  const { rejected: refused, ...ev } = result;
  // Rows the reader set aside and rows the model refused: one rejects file, counted in rows.
  const { rejected, rejectsPath } = writeScoringRejects(data, read, refused, flags, 'evaluated');
  ev.rows = { ...ev.rows, total: read.summary.rowsRead, rejected };
  output(
    flags,
    {
      model: resolve(loaded.pkg.path),
      modelRef,
      data: resolve(data),
      target,
      ...ev,
      rejectsPath: rejectsPath ? resolve(rejectsPath) : null,
      report: ev.report ? { ...ev.report, text: undefined } : null,
    },
    () => {
      const pct = Math.round(ev.confidenceLevel * 100);
      const lines = [
        `${modelRef} on ${data}: ${ev.rows.evaluated} rows${ev.rows.missingTarget ? ` (${ev.rows.missingTarget} without a target left out)` : ''}${ev.rows.rejected ? `; ${ev.rows.rejected} rejected (see ${rejectsPath})` : ''}`,
        ...unseenLines(ev.unseenLabels, target),
        '',
        `${'metric'.padEnd(32)} ${'value'.padStart(10)}   ${ev.nResamples ? `${pct}% CI (bootstrap, ${ev.method}, ${ev.nResamples} resamples)` : ''}`,
      ];
      for (const m of ev.metrics) {
        lines.push(`${m.title.padEnd(32)} ${fmt(m.value).padStart(10)}   ${intervalText(m)}`);
      }
      if (ev.confusion) {
        const shown = ev.confusion.labels.map(String);
        const w = Math.max(8, ...shown.map((l) => l.length + 1));
        lines.push('', 'Confusion matrix (rows: true class, columns: predicted):');
        lines.push(`${''.padEnd(w)}${shown.map((l) => l.padStart(w)).join('')}`);
        ev.confusion.matrix.forEach((row, i) => {
          lines.push(`${shown[i].padEnd(w)}${row.map((v) => String(v).padStart(w)).join('')}`);
        });
      }
      if (ev.report) lines.push('', ev.report.text);
      return lines.join('\n');
    },
  );
}
