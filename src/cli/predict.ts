/**
 * `lathe predict <model> <data> [--proba] [-o FILE]`: batch scoring. Writes CSV (or Parquet/JSON by
 * the output's extension) with a `prediction` column and, with `--proba`, one `proba_<class>`
 * column per class — rows in input order. Without `-o`, CSV goes to stdout.
 *
 *   lathe predict models/customers-gbdt examples/customers.csv -o predictions.csv
 *   lathe predict churn@champion new.csv --proba --keep customer_id -o scored.parquet
 *
 * @module
 */

import { basename, extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadModel } from '../automl/load.ts';
import {
  predictionStorageOf,
  predictTable,
  type UnseenCategories,
  unseenCategories,
} from '../automl/predict.ts';
import { readScoringInput } from '../automl/scoring-input.ts';
import { ValidationError } from '../core/errors.ts';
import type { Estimator } from '../core/estimator.ts';
import { createProgress } from '../core/progress.ts';
import type { BadRowPolicy, ReadResult } from '../data/read-types.ts';
import {
  formatTable,
  WRITE_EXTENSIONS,
  type WriteFormat,
  writeFormatFor,
  writeTable,
} from '../data/write.ts';
import type { LoadedModel } from '../track/registry.ts';
import {
  action,
  type CommonOptions,
  choiceFlag,
  intFlag,
  note,
  UsageError,
  withCommonOptions,
} from './common.ts';
import { checkOutputs, modelInput, rejectsOutput, storedModelInput, storeInputs } from './paths.ts';
import { writeMoreRejects } from './rejects.ts';

interface PredictFlags extends CommonOptions {
  proba?: boolean;
  output?: string;
  keep?: string[];
  onBadRows?: BadRowPolicy;
  batchSize?: number;
}

/** Registers `lathe predict`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command('predict')
      .description('score a data file with a model (a package path, name@alias or name/version)')
      .argument(
        '<model>',
        'model package directory or archive, or a registry reference name@alias / name/version',
      )
      .argument('<data>', 'CSV, TSV, Parquet, JSON, NDJSON or Arrow file')
      .option('--proba', 'add one proba_<class> column per class (classifiers)')
      .option(
        '-o, --output <file>',
        'write here (.csv, .tsv, .parquet, .json, .ndjson or .jsonl); default: CSV on stdout',
      )
      .option('--keep <columns...>', 'input columns to copy into the output (e.g. an id)')
      .option(
        '--on-bad-rows <policy>',
        'error (default) or quarantine',
        choiceFlag('--on-bad-rows', ['error', 'quarantine'] as const),
      )
      .option('--batch-size <rows>', 'rows scored at a time (default 65536)', intFlag('--batch-size')),
  ).action(action(predictCommand));
}

/** The format `-o FILE` is written in, by its extension; an unknown one is exit 2 listing them. */
function outputFormat(path: string): WriteFormat {
  try {
    return writeFormatFor(path);
  } catch {
    throw new UsageError(
      `-o ${path}: ${extname(path) ? `Lathe cannot write ${extname(path)} files` : 'the file name has no extension to tell the format by'}. Use one of ${WRITE_EXTENSIONS.join(', ')} (e.g. -o ${basename(path, extname(path)) || 'predictions'}.csv), or leave out -o for CSV on stdout.`,
    );
  }
}

/**
 * A model whose estimator cannot label new rows (DBSCAN, like scikit-learn's, has no predict) is a
 * usage error in CLI terms, before any data is read (or, for `lathe serve`, before listening).
 */
export function checkCanPredict(modelRef: string, loaded: LoadedModel): void {
  const m = loaded.model as Estimator & { finalEstimator?: Estimator; predict?: unknown };
  const final = (m.finalEstimator ?? m) as Estimator & { predict?: unknown };
  if (final.kind === 'transformer' || typeof final.predict === 'function') return;
  const dataPath = loaded.pkg.lineage?.dataPath;
  const trainedOn = typeof dataPath === 'string' ? ` (${dataPath})` : '';
  if (final.typeName === 'DBSCAN') {
    throw new ValidationError(
      `model ${modelRef} is a DBSCAN clustering: DBSCAN labels only the rows it was trained on${trainedOn} — clusters are grown from those rows and there is no rule for assigning a new row, so it cannot score new data.`,
      {
        field: 'model',
        fix: 'to label new rows, train a model that can: lathe train <data> --model kmeans',
      },
    );
  }
  throw new ValidationError(`model ${modelRef} (${final.typeName}) cannot score rows.`, {
    field: 'model',
    fix: 'train a model with --model of a family that predicts (see lathe train --help)',
  });
}

/**
 * `--keep` names that the output already has (`prediction`, `proba_<class>` with `--proba`) would
 * make two columns of one name: refused before the data is read. An input column of such a name
 * that is not kept is simply not copied.
 */
function checkKeep(keep: readonly string[], loaded: LoadedModel, proba: boolean): void {
  const m = loaded.model as { kind?: string; classes_?: unknown[] };
  if (m.kind === 'transformer') return; // its output columns are the components' names
  const outputs = ['prediction', ...(proba ? (m.classes_ ?? []).map((c) => `proba_${String(c)}`) : [])];
  const clash = keep.filter((k) => outputs.includes(k));
  if (!clash.length) return;
  throw new UsageError(
    `--keep ${clash.join(' ')}: the output already has ${clash.length === 1 ? 'a column' : 'columns'} of ${clash.length === 1 ? 'that name' : 'those names'} (${clash.map((c) => (c === 'prediction' ? "'prediction', the model's prediction" : `'${c}', a class probability`)).join('; ')}), and a table cannot hold two columns of one name. Leave ${clash.length === 1 ? 'it' : 'them'} out of --keep, or rename the column in the data file and keep it under the new name.`,
  );
}

/** The stderr notes of {@link unseenCategories}. */
export function noteUnseenCategories(
  flags: CommonOptions,
  unseen: readonly UnseenCategories[],
  n: number,
): void {
  for (const u of unseen) {
    const same = u.sameNumber.length
      ? ` ${u.sameNumber.map(([v, c]) => `'${v}' is the same number as the category '${c}'`).join(', ')} the model learned, written differently: write the column as the training file did for the model to recognise ${u.sameNumber.length === 1 ? 'it' : 'them'}.`
      : '';
    note(
      flags,
      `column '${u.column}': ${u.rows} of ${n} rows hold values the training data did not have (${u.examples.map((e) => `'${e}'`).join(', ')}${u.rows > u.examples.length ? ', …' : ''}); the model treats them as unknown categories.${same}`,
    );
  }
}

/**
 * Rows the model refused (a value it cannot take, under `--on-bad-rows quarantine`) join the rows
 * the reader set aside, in one rejects file in line order; says how many on stderr. `rows` of the
 * refused ones index `read.table`.
 */
export function writeScoringRejects(
  data: string,
  read: ReadResult,
  refused: readonly { row: number; line: number | undefined; reason: string }[],
  flags: CommonOptions,
  verb: 'scored' | 'evaluated' | 'compared',
): { rejected: number; rejectsPath: string | undefined } {
  const rejected = read.summary.rejected + refused.length;
  const rejectsPath = refused.length ? writeMoreRejects(data, read, refused) : read.summary.rejectsPath;
  if (rejected) {
    note(
      flags,
      `${rejected} of ${read.summary.rowsRead} rows were rejected and not ${verb} (see ${rejectsPath})`,
    );
  }
  return { rejected, rejectsPath };
}

async function predictCommand(modelRef: string, data: string, flags: PredictFlags): Promise<void> {
  if (flags.output) {
    // Before any work: the format (by extension), and that no input is overwritten.
    outputFormat(flags.output);
    checkOutputs(
      [{ path: flags.output, what: '-o' }, ...rejectsOutput(data, flags.onBadRows)],
      [{ path: data, what: 'the data file' }, ...modelInput(modelRef), ...storeInputs(flags.store)],
    );
  }
  const loaded = await loadModel(modelRef, { store: flags.store });
  if (flags.output) {
    checkOutputs([{ path: flags.output, what: '-o' }], storedModelInput(modelRef, loaded.ref));
  }
  checkCanPredict(modelRef, loaded);
  if (flags.proba) {
    const m = loaded.model as { kind?: string; predictProba?: unknown };
    if (m.kind !== 'classifier' || typeof m.predictProba !== 'function') {
      throw new UsageError(
        `--proba: ${modelRef} is a ${loaded.pkg.task} model, which has no class probabilities (only classifiers do). Drop --proba to write its ${loaded.pkg.task === 'regression' ? 'predicted values' : loaded.pkg.task === 'clustering' ? 'cluster indices' : 'output'}.`,
      );
    }
  }
  checkKeep(flags.keep ?? [], loaded, Boolean(flags.proba));
  const { read, input, ignored, unseen } = await readScoringInput(
    data,
    loaded,
    { onBadRows: flags.onBadRows },
    flags.keep ?? [],
  );
  // Batches on stderr (a terminal only; not with --quiet or --json, nor once CSV goes to stdout).
  const progress = createProgress({
    total: input.nRows,
    label: `predict: scoring ${input.nRows} rows`,
    quiet: flags.quiet || flags.json,
  });
  let r: ReturnType<typeof predictTable>;
  try {
    r = predictTable(loaded.model, loaded.pkg.inputSchema, input, {
      progress,
      proba: flags.proba,
      keep: flags.keep,
      batchSize: flags.batchSize,
      source: data,
      rowLines: read.rowLines,
      onBadRows: flags.onBadRows,
      predictionStorage: predictionStorageOf(loaded.pkg.outputSchema),
    });
  } finally {
    progress.finish();
  }
  if (ignored.length) note(flags, `ignoring columns the model does not use: ${ignored.join(', ')}`);
  noteUnseenCategories(flags, unseen, input.nRows);
  const { rejected } = writeScoringRejects(data, read, r.rejected, flags, 'scored');
  if (flags.output) {
    const w = await writeTable(r.table, flags.output);
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify(
          {
            output: resolve(w.path),
            format: w.format,
            rows: w.rows,
            columns: r.table.columnNames,
            rowsRead: read.summary.rowsRead,
            rejected,
            ignoredColumns: ignored,
          },
          null,
          2,
        )}\n`,
      );
    } else note(flags, `wrote ${w.rows} predictions to ${w.path}`);
    return;
  }
  let pending = '';
  formatTable(r.table, flags.json ? 'json' : 'csv', (s) => {
    pending += s;
    if (pending.length > 1 << 20) {
      process.stdout.write(pending);
      pending = '';
    }
  });
  process.stdout.write(pending);
}
