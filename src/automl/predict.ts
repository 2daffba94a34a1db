/**
 * Batch scoring with a loaded model: what `lathe predict` and `lathe evaluate` run.
 *
 * The input is matched to the model's input schema by column name: missing columns are an error
 * that names them; extra columns (the target, ids, columns the pipeline dropped in training) are
 * ignored and reported — only the columns the model reads ({@link usedInputSchema}) are required. Rows are scored in
 * batches (bounded working memory) and come back in input order.
 *
 * @module
 */

import { DataError, RowValueError, ValidationError } from '../core/errors.ts';
import type { Estimator } from '../core/estimator.ts';
import type { Label } from '../core/labels.ts';
import type { Matrix } from '../core/matrix.ts';
import type { Progress } from '../core/progress.ts';
import { booleanColumn, type Column, categoricalColumn, numericColumn } from '../data/column.ts';
import { NumberCategories } from '../data/number-categories.ts';
import { parseNumber } from '../data/read/values.ts';
import type { Schema } from '../data/schema.ts';
import { Table, unknownColumn } from '../data/table.ts';
import { predictionStorage } from './package.ts';

/** Options of {@link predictTable}. */
export interface PredictOptions {
  /** Add one `proba_<class>` column per class (classifiers). */
  proba?: boolean;
  /** Rows per batch (default 65536). */
  batchSize?: number;
  /** Columns of the input to copy to the output, before the predictions (e.g. an id). */
  keep?: readonly string[];
  /** The data's file, for messages about a value the model cannot take. */
  source?: string;
  /** The file line of each row (`ReadResult.rowLines`), for those messages. */
  rowLines?: ArrayLike<number>;
  /**
   * A row holding a value the model cannot take (an infinite number where the model needs finite
   * ones): `error` (default) stops with a DataError naming the file, line, column and value;
   * `quarantine` leaves the row out of the output and lists it in `rejected`.
   */
  onBadRows?: 'error' | 'quarantine';
  /**
   * How a classifier's `prediction` column is stored — the package's output schema says, so that
   * labels keep the target's type. Default: numeric when every class is a number, else categorical.
   */
  predictionStorage?: 'boolean' | 'numeric' | 'categorical';
  /** Advanced by the rows of each batch scored (its total: the table's rows). */
  progress?: Progress;
}

/** A row left unscored under `onBadRows: 'quarantine'`. */
export interface PredictRejectedRow {
  /** 0-based index of the row in the input table. */
  row: number;
  /** Its file line, when `rowLines` was given. */
  line: number | undefined;
  reason: string;
}

/** Predictions as a table, and what was ignored. */
export interface PredictResult {
  table: Table;
  /** Input columns the model does not use. */
  ignoredColumns: string[];
  /** Raw predictions (labels, numbers or cluster indices), in row order. */
  predictions: Label[] | Float64Array | Int32Array;
  /** Probabilities (classifiers), when computed. */
  proba: Matrix | null;
  classes: Label[] | null;
  /** Rows left unscored under `onBadRows: 'quarantine'` (the output has the others, in order). */
  rejected: PredictRejectedRow[];
}

type Predictor = Estimator & {
  predict(X: Table): Label[] | Float64Array | Int32Array;
  predictProba?(X: Table): Matrix;
  transform?(X: Table): Matrix;
  classes_?: Label[];
};

/**
 * The columns of `inputSchema` that `model` reads — what scoring requires. A package's input schema
 * lists every feature column of the training table, including those the pipeline's preprocessing
 * dropped (an id, free text, an excluded column); those are not needed to predict (they are
 * accepted and ignored when present). Found from the fitted model itself (its
 * `requiredColumns()`), so packages written before this existed agree. A model without
 * `requiredColumns()` reads every column of the schema.
 */
export function usedInputSchema(model: Estimator, inputSchema: Schema): Schema {
  const m = model as Estimator & { requiredColumns?: () => string[] };
  if (typeof m.requiredColumns !== 'function' || !m.isFitted()) return inputSchema;
  const used = new Set(m.requiredColumns());
  return { ...inputSchema, columns: inputSchema.columns.filter((c) => used.has(c.name)) };
}

/**
 * The input columns the model needs, in schema order; missing ones are an error naming them.
 * Pass the schema of the columns the model reads ({@link usedInputSchema}).
 */
export function selectModelInput(
  table: Table,
  inputSchema: Schema,
  source?: string,
): { X: Table; ignored: string[] } {
  const need = inputSchema.columns.map((c) => c.name);
  const missing = need.filter((n) => !table.has(n));
  if (missing.length === 1) throw unknownColumn(missing[0], table.columnNames, source);
  if (missing.length > 1) {
    throw new ValidationError(
      `${source ? `${source}: ` : ''}the model needs ${missing.length} columns the data lacks: ${missing.join(', ')}.`,
      { fix: `the model was trained on: ${need.join(', ')}` },
    );
  }
  const needed = new Set(need);
  return { X: table.select(need), ignored: table.columnNames.filter((n) => !needed.has(n)) };
}

/**
 * How a package's output schema says its `prediction` column is stored (older packages: undefined,
 * left to the classes) — {@link PredictOptions.predictionStorage}.
 */
export function predictionStorageOf(outputSchema: Schema): PredictOptions['predictionStorage'] {
  const s = outputSchema.columns.find((c) => c.name === 'prediction')?.storage;
  return s === 'boolean' || s === 'numeric' ? s : undefined;
}

/** The model's input schema with every column allowed to be missing (the model imputes). */
export function scoringSchema(schema: Schema): Schema {
  return { version: 1, columns: schema.columns.map((c) => ({ ...c, nullable: true })) };
}

/** A categorical column of the model whose data holds values the training file did not have. */
export interface UnseenCategories {
  column: string;
  /** Rows holding such a value. */
  rows: number;
  /** A few of the values, as read. */
  examples: string[];
  /** Unseen values that are the same number as a category the model learned: [value, category]. */
  sameNumber: [string, string][];
}

/**
 * The values of the model's categorical columns that are none of the categories of the training
 * file (its schema's): the model treats them as unknown categories. `lathe predict` says them on stderr, never silently —
 * above all when the text is the number of a learned category written otherwise ('1' for '1.0').
 */
export function unseenCategories(input: Table, used: Schema): UnseenCategories[] {
  const out: UnseenCategories[] = [];
  for (const cs of used.columns) {
    if (cs.storage !== 'categorical' || !cs.categories || !input.has(cs.name)) continue;
    const c = input.column(cs.name);
    if (c.type !== 'categorical') continue;
    const known = new Set(cs.categories);
    const count = new Int32Array(c.dictionary.length);
    for (let i = 0; i < c.codes.length; i++) if (c.codes[i] >= 0) count[c.codes[i]]++;
    const lookup = new NumberCategories(cs.categories);
    let rows = 0;
    const examples: string[] = [];
    const sameNumber: [string, string][] = [];
    c.dictionary.forEach((v, k) => {
      if (!count[k] || known.has(v)) return;
      rows += count[k];
      if (examples.length < 5) examples.push(v);
      const x = v.trim() === v ? parseNumber(v) : undefined;
      const m = x === undefined || x !== x ? null : lookup.match(x);
      if (m && m.kind !== 'unknown' && m.kind !== 'ambiguous' && sameNumber.length < 5) {
        sameNumber.push([v, m.category]);
      }
    });
    if (rows) out.push({ column: cs.name, rows, examples, sameNumber });
  }
  return out;
}

/** Scores `table` with `model` (a fitted pipeline or estimator) whose input is `inputSchema`. */
export function predictTable(
  model: Estimator,
  inputSchema: Schema,
  table: Table,
  options: PredictOptions = {},
): PredictResult {
  const m = model as Predictor;
  const { X, ignored } = selectModelInput(table, usedInputSchema(model, inputSchema));
  const batch = options.batchSize ?? 65536;
  const n = X.nRows;
  const classifier = m.kind === 'classifier';
  const wantProba = Boolean(options.proba) && classifier && typeof m.predictProba === 'function';
  const parts: (Label[] | Float64Array | Int32Array)[] = [];
  const probaParts: Matrix[] = [];
  const rejected: PredictRejectedRow[] = [];
  for (let s = 0; s < Math.max(n, 1); s += batch) {
    if (n === 0) break;
    let rows = n <= batch ? X : X.slice(s, Math.min(n, s + batch));
    // Input rows of this batch still in it (rows the model refused are taken out, under quarantine).
    let index: number[] | null = null;
    for (;;) {
      try {
        if (m.kind === 'transformer' && typeof m.transform === 'function') {
          probaParts.push(m.transform(rows));
          break;
        }
        const pred = m.predict(rows);
        if (wantProba) probaParts.push(m.predictProba!(rows));
        parts.push(pred);
        break;
      } catch (e) {
        if (!(e instanceof RowValueError) || e.row < 0 || e.row >= rows.nRows) throw e;
        const at = index ? index[e.row] : s + e.row;
        const bad = badValue(e, at, options);
        if (options.onBadRows !== 'quarantine') throw bad.error;
        rejected.push({ row: at, line: bad.line, reason: bad.reason });
        index ??= Array.from({ length: rows.nRows }, (_, i) => s + i);
        index.splice(e.row, 1);
        if (index.length === 0) break;
        rows = X.take(index);
      }
    }
    options.progress?.update(Math.min(n, s + batch));
  }
  // No row scored (none sent, or every one rejected): a transformer still names its outputs, which
  // only its transform knows — of zero rows, so that the table has its columns, empty.
  if (m.kind === 'transformer' && typeof m.transform === 'function' && probaParts.length === 0) {
    probaParts.push(m.transform(X.slice(0, 0)));
  }
  const scored = rejected.length ? without(X.nRows, rejected) : null;
  const n2 = scored ? scored.length : n;
  const classes = classifier ? (m.classes_ ?? null) : null;
  const cols: Column[] = (options.keep ?? []).map((k) =>
    scored ? table.select([k]).take(scored).column(k) : table.column(k),
  );
  let predictions: Label[] | Float64Array | Int32Array;
  let proba: Matrix | null = null;
  if (m.kind === 'transformer') {
    const Z = concatRows(probaParts, n2);
    predictions = new Float64Array(0);
    for (let j = 0; j < Z.cols; j++) {
      const v = new Float64Array(n2);
      for (let i = 0; i < n2; i++) v[i] = Z.data[i * Z.cols + j];
      cols.push(numericColumn(Z.columns[j] ?? `c${j}`, v));
    }
  } else {
    predictions = concatPredictions(parts, n2);
    if (classifier) {
      cols.push(labelColumn(predictions, classes, options.predictionStorage));
    } else if (predictions instanceof Int32Array) {
      cols.push(numericColumn('prediction', Float64Array.from(predictions)));
    } else {
      cols.push(numericColumn('prediction', predictions as Float64Array));
    }
    if (wantProba) {
      proba = concatRows(probaParts, n2);
      const P = proba;
      (classes ?? []).forEach((c, j) => {
        const v = new Float64Array(n2);
        for (let i = 0; i < n2; i++) v[i] = P.data[i * P.cols + j];
        cols.push(numericColumn(`proba_${c}`, v));
      });
    }
  }
  return { table: new Table(cols), ignoredColumns: ignored, predictions, proba, classes, rejected };
}

/** The rows 0…n−1 less the rejected ones. */
function without(n: number, rejected: readonly PredictRejectedRow[]): Int32Array {
  const out = new Set(rejected.map((r) => r.row));
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (!out.has(i)) keep.push(i);
  return Int32Array.from(keep);
}

/**
 * A value of input row `row` the model refused, in the data's terms: the file and line (the
 * estimator only knows the row of its batch), the column and value, and a fix that applies to a
 * trained model. Missing values are imputed by the preprocessing `lathe train` adds; infinite ones
 * are not (an imputer replaces missing values only, and a model fitted on data holding ±Infinity
 * refuses it too), so retraining does not help: the value has to be made finite or missing.
 */
function badValue(
  e: RowValueError,
  row: number,
  options: PredictOptions,
): { error: DataError; line: number | undefined; reason: string } {
  const line = options.rowLines ? options.rowLines[row] : undefined;
  const column = e.field;
  const v = e.value;
  const what =
    typeof v === 'number' && v !== v ? 'a missing value (NaN)' : `an infinite value (${String(v)})`;
  const reason = `${what}, which the model cannot take`;
  const where = line === undefined ? `row ${row + 1}: ` : '';
  return {
    line,
    reason: column ? `column '${column}': ${reason}` : reason,
    error: new DataError(`${where}${reason}.`, {
      file: options.source,
      line,
      column,
      fix: 'replace it with a finite number, or leave the field empty (a missing value, which the model imputes), or remove that row; or pass --on-bad-rows quarantine to set such rows aside in the rejects file and score the rest',
      cause: e,
    }),
  };
}

/** A classifier's predictions as a column of the target's type (see {@link predictionStorage}). */
function labelColumn(
  predictions: ArrayLike<Label>,
  classes: Label[] | null,
  storage = predictionStorage(classes),
): Column {
  if (storage === 'boolean') {
    return booleanColumn(
      'prediction',
      Array.from(predictions, (p) => String(p) === 'true' || p === 1),
    );
  }
  if (storage === 'numeric') {
    // Numeric classes: the classifier's predict already gave a Float64Array.
    if (predictions instanceof Float64Array) return numericColumn('prediction', predictions);
    if (Array.prototype.every.call(predictions, (p: Label) => !Number.isNaN(Number(p)))) {
      return numericColumn('prediction', Float64Array.from(predictions, Number));
    }
  }
  return categoricalColumn('prediction', Array.from(predictions, String), (classes ?? []).map(String));
}

function concatPredictions(
  parts: (Label[] | Float64Array | Int32Array)[],
  n: number,
): Label[] | Float64Array | Int32Array {
  if (parts.length === 1) return parts[0];
  if (parts.length === 0) return [];
  if (parts[0] instanceof Float64Array || parts[0] instanceof Int32Array) {
    const out = parts[0] instanceof Float64Array ? new Float64Array(n) : new Int32Array(n);
    let o = 0;
    for (const p of parts as (Float64Array | Int32Array)[]) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
  return (parts as Label[][]).flat();
}

function concatRows(parts: Matrix[], n: number): Matrix {
  if (parts.length === 1) return parts[0];
  const cols = parts[0]?.cols ?? 0;
  const data = new Float64Array(n * cols);
  let o = 0;
  for (const p of parts) {
    data.set(p.data, o);
    o += p.data.length;
  }
  return { data, rows: n, cols, columns: parts[0]?.columns ?? [] };
}
