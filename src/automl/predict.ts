/**
 * Batch scoring with a loaded model: what `lathe predict` and `lathe evaluate` run.
 *
 * The input is matched to the model's input schema by column name: missing columns are an error
 * that names them; extra columns (the target, ids) are ignored and reported. Rows are scored in
 * batches (bounded working memory) and come back in input order.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import type { Estimator } from '../core/estimator.ts';
import type { Label } from '../core/labels.ts';
import type { Matrix } from '../core/matrix.ts';
import { booleanColumn, type Column, categoricalColumn, numericColumn } from '../data/column.ts';
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
  /**
   * How a classifier's `prediction` column is stored — the package's output schema says, so that
   * labels keep the target's type. Default: numeric when every class is a number, else categorical.
   */
  predictionStorage?: 'boolean' | 'numeric' | 'categorical';
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
}

type Predictor = Estimator & {
  predict(X: Table): Label[] | Float64Array | Int32Array;
  predictProba?(X: Table): Matrix;
  transform?(X: Table): Matrix;
  classes_?: Label[];
};

/** The input columns the model needs, in schema order; missing ones are an error naming them. */
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

/** Scores `table` with `model` (a fitted pipeline or estimator) whose input is `inputSchema`. */
export function predictTable(
  model: Estimator,
  inputSchema: Schema,
  table: Table,
  options: PredictOptions = {},
): PredictResult {
  const m = model as Predictor;
  const { X, ignored } = selectModelInput(table, inputSchema);
  const batch = options.batchSize ?? 65536;
  const n = X.nRows;
  const classifier = m.kind === 'classifier';
  const wantProba = Boolean(options.proba) && classifier && typeof m.predictProba === 'function';
  const parts: (Label[] | Float64Array | Int32Array)[] = [];
  const probaParts: Matrix[] = [];
  for (let s = 0; s < Math.max(n, 1); s += batch) {
    if (n === 0) break;
    const rows = n <= batch ? X : X.slice(s, Math.min(n, s + batch));
    if (m.kind === 'transformer' && typeof m.transform === 'function') {
      probaParts.push(m.transform(rows));
      continue;
    }
    parts.push(m.predict(rows));
    if (wantProba) probaParts.push(m.predictProba!(rows));
  }
  const classes = classifier ? (m.classes_ ?? null) : null;
  const cols: Column[] = (options.keep ?? []).map((k) => table.column(k));
  let predictions: Label[] | Float64Array | Int32Array;
  let proba: Matrix | null = null;
  if (m.kind === 'transformer') {
    const Z = concatRows(probaParts, n);
    predictions = new Float64Array(0);
    for (let j = 0; j < Z.cols; j++) {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = Z.data[i * Z.cols + j];
      cols.push(numericColumn(Z.columns[j] ?? `c${j}`, v));
    }
  } else {
    predictions = concatPredictions(parts, n);
    if (classifier) {
      cols.push(labelColumn(predictions as Label[], classes, options.predictionStorage));
    } else if (predictions instanceof Int32Array) {
      cols.push(numericColumn('prediction', Float64Array.from(predictions)));
    } else {
      cols.push(numericColumn('prediction', predictions as Float64Array));
    }
    if (wantProba) {
      proba = concatRows(probaParts, n);
      const P = proba;
      (classes ?? []).forEach((c, j) => {
        const v = new Float64Array(n);
        for (let i = 0; i < n; i++) v[i] = P.data[i * P.cols + j];
        cols.push(numericColumn(`proba_${c}`, v));
      });
    }
  }
  return { table: new Table(cols), ignoredColumns: ignored, predictions, proba, classes };
}

/** A classifier's predictions as a column of the target's type (see {@link predictionStorage}). */
function labelColumn(
  predictions: readonly Label[],
  classes: Label[] | null,
  storage = predictionStorage(classes),
): Column {
  if (storage === 'boolean') {
    return booleanColumn(
      'prediction',
      predictions.map((p) => String(p) === 'true' || p === 1),
    );
  }
  if (storage === 'numeric' && predictions.every((p) => typeof p === 'number' || !Number.isNaN(Number(p)))) {
    return numericColumn('prediction', Float64Array.from(predictions, Number));
  }
  return categoricalColumn('prediction', predictions.map(String), (classes ?? []).map(String));
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
