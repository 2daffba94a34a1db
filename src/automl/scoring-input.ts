/**
 * Reading a data file for scoring with a model: the columns the model reads, with the types it was
 * trained on — what `lathe predict`, `lathe evaluate`, `lathe monitor` and `lathe retrain` share.
 *
 * @module
 */

import { readTable } from '../data/read/index.ts';
import type { BadRowPolicy, ReadResult } from '../data/read-types.ts';
import type { ColumnSchema } from '../data/schema.ts';
import { applySchema } from '../data/schema-apply.ts';
import { type Table, unknownColumn } from '../data/table.ts';
import type { LoadedModel } from '../track/registry.ts';
import {
  scoringSchema,
  selectModelInput,
  type UnseenCategories,
  unseenCategories,
  usedInputSchema,
} from './predict.ts';

/** How {@link readScoringInput} treats bad rows of the file. */
export interface ScoringRead {
  /** `error` (default) or `quarantine` (rows set aside, listed in a rejects file). */
  onBadRows?: BadRowPolicy;
  /** Where quarantined rows go (default: `<data>.rejects.csv`). */
  rejectsPath?: string;
}

/** A data file read for scoring: the model's input columns with its types, plus `extra` columns. */
export interface ScoringData {
  read: ReadResult;
  /** The columns the model reads, typed as in training, then the `extra` columns as read. */
  input: Table;
  /** Columns of the file neither the model nor `extra` uses. */
  ignored: string[];
  /** Categorical columns holding values the training file did not have (see {@link unseenCategories}). */
  unseen: UnseenCategories[];
}

/**
 * How the package says its target's classes are written, as a schema column for reading the truth
 * column `target` (`lathe evaluate`): text classes ('1.0', '2.0', 'x') are read as text — from a
 * CSV as written, JSON/Parquet numbers as the class of the same value — not sniffed as numbers
 * (which made a file holding only '1.0' and '2.0' read as 1, 2: no class of the model). None when
 * the classes are numbers or booleans, or `target` is not the model's.
 */
export function targetReadSchema(loaded: LoadedModel, target: string): ColumnSchema[] {
  if (target !== loaded.pkg.target) return [];
  const p = loaded.pkg.outputSchema.columns.find((c) => c.name === 'prediction');
  if (p?.storage !== 'categorical' || !p.categories) return [];
  return [
    { name: target, type: 'categorical', storage: 'categorical', nullable: true, categories: p.categories },
  ];
}

/**
 * Reads `data` for scoring with `loaded` — what `lathe predict` and `lathe evaluate` share. Only
 * the columns the model reads are required (not those its preprocessing dropped, e.g. an id).
 * Reading with the model's types makes a value that does not fit them (a bad date) a bad row of
 * the file — named by its line, or set aside under `--on-bad-rows quarantine`. `extra` columns
 * (`--keep`, the target) are copied as read.
 */
export async function readScoringInput(
  data: string,
  loaded: LoadedModel,
  reading: ScoringRead = {},
  extra: readonly string[] = [],
  check?: (table: Table) => void,
  extraSchema: readonly ColumnSchema[] = [],
): Promise<ScoringData> {
  const used = usedInputSchema(loaded.model, loaded.pkg.inputSchema);
  const schema = scoringSchema(used);
  const read = await readTable(data, {
    onBadRows: reading.onBadRows,
    ...(reading.rejectsPath ? { rejectsPath: reading.rejectsPath } : {}),
    schema: {
      ...schema,
      columns: [
        ...schema.columns,
        ...extraSchema.filter((c) => !used.columns.some((u) => u.name === c.name)),
      ],
    },
    schemaColumnsOptional: true,
  });
  check?.(read.table);
  // Columns first (a clear error naming what is missing), then the model's types.
  const { X } = selectModelInput(read.table, used, data);
  const typed = applySchema(X, schema, { source: data });
  const input = extra.reduce((t, k) => (t.has(k) ? t : t.withColumn(read.table.column(k))), typed);
  const ignored = read.table.columnNames.filter((c) => !X.has(c) && !extra.includes(c));
  return { read, input, ignored, unseen: unseenCategories(typed, used) };
}

/**
 * {@link readScoringInput} of a file that also holds the truth column `target` (what `lathe evaluate`,
 * `lathe monitor --target` and `lathe retrain` read): a missing `target` is named (with a
 * did-you-mean) before the model's columns, and the truth is read as the model's classes are
 * written (text classes stay text, see {@link targetReadSchema}).
 */
export function readLabelledInput(
  data: string,
  loaded: LoadedModel,
  target: string,
  reading: ScoringRead = {},
): Promise<ScoringData> {
  return readScoringInput(
    data,
    loaded,
    reading,
    [target],
    (table) => {
      if (!table.has(target)) throw unknownColumn(target, table.columnNames, data);
    },
    targetReadSchema(loaded, target),
  );
}
