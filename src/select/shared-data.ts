/**
 * How training data travels to worker threads: once, in shared memory. A Matrix becomes its
 * `Float64Array` in a `SharedArrayBuffer`; a Table becomes one shared typed array per column
 * (numeric and datetime values, categorical codes with their dictionary, booleans, and text
 * dictionary-encoded into codes + distinct strings); a target becomes shared class codes with the
 * sorted classes, or shared values. Tasks then receive these descriptors by structured clone —
 * the buffers are shared, not copied — and rebuild zero-copy views with {@link unshareX}.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { decodeLabels, encodeLabels, type Label, type TargetInput, targetValues } from '../core/labels.ts';
import { isMatrix, type Matrix, takeRows } from '../core/matrix.ts';
import type { Column } from '../data/column.ts';
import { Table } from '../data/table.ts';

type Typed = Float64Array | Int32Array | Int8Array;

/** A typed array of the same type and values in a `SharedArrayBuffer` (returned as is when it already is). */
export function shareTyped<T extends Typed>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

/** A shared column descriptor. */
export type SharedColumn =
  | { type: 'numeric' | 'datetime'; name: string; values: Float64Array }
  | { type: 'categorical'; name: string; codes: Int32Array; dictionary: string[] }
  | { type: 'boolean'; name: string; values: Int8Array }
  | { type: 'text'; name: string; codes: Int32Array; dictionary: string[] };

/** Shared X: a matrix or a table. */
export type SharedX =
  | { kind: 'matrix'; data: Float64Array; rows: number; cols: number; columns: string[] }
  | { kind: 'table'; nRows: number; columns: SharedColumn[] };

/** Shared y: class codes and classes, or values (regression), or none. */
export type SharedY =
  | { kind: 'labels'; codes: Int32Array; classes: Label[] }
  | { kind: 'values'; values: Float64Array }
  | { kind: 'none' };

function shareColumn(c: Column): SharedColumn {
  switch (c.type) {
    case 'numeric':
    case 'datetime':
      return { type: c.type, name: c.name, values: shareTyped(c.values) };
    case 'categorical':
      return { type: 'categorical', name: c.name, codes: shareTyped(c.codes), dictionary: [...c.dictionary] };
    case 'boolean':
      return { type: 'boolean', name: c.name, values: shareTyped(c.values) };
    case 'text': {
      const index = new Map<string, number>();
      const codes = new Int32Array(new SharedArrayBuffer(c.values.length * 4));
      for (let i = 0; i < c.values.length; i++) {
        const v = c.values[i];
        if (v === null) {
          codes[i] = -1;
          continue;
        }
        let k = index.get(v);
        if (k === undefined) index.set(v, (k = index.size));
        codes[i] = k;
      }
      return { type: 'text', name: c.name, codes, dictionary: [...index.keys()] };
    }
  }
}

function unshareColumn(c: SharedColumn): Column {
  if (c.type === 'text') {
    const values = new Array<string | null>(c.codes.length);
    for (let i = 0; i < values.length; i++) values[i] = c.codes[i] < 0 ? null : c.dictionary[c.codes[i]];
    return { type: 'text', name: c.name, values };
  }
  return c as Column;
}

/** X in shared memory (a Matrix or a Table); anything else is converted to a Matrix first. */
export function shareX(X: Matrix | Table): SharedX {
  if (X instanceof Table) return { kind: 'table', nRows: X.nRows, columns: X.columns.map(shareColumn) };
  if (isMatrix(X)) {
    return { kind: 'matrix', data: shareTyped(X.data), rows: X.rows, cols: X.cols, columns: [...X.columns] };
  }
  throw new ValidationError('X must be a Matrix or a Table.', { field: 'X' });
}

/** The Matrix or Table behind a {@link SharedX} (views on the shared buffers, no copy). */
export function unshareX(s: SharedX): Matrix | Table {
  if (s.kind === 'matrix') return { data: s.data, rows: s.rows, cols: s.cols, columns: s.columns };
  return new Table(s.columns.map(unshareColumn));
}

/** The rows `idx` of X (a new Matrix or Table). */
export function takeX(X: Matrix | Table, idx: Int32Array): Matrix | Table {
  return X instanceof Table ? X.take(idx) : takeRows(X, idx);
}

/** The number of rows of X. */
export function xRows(X: Matrix | Table): number {
  return X instanceof Table ? X.nRows : X.rows;
}

/**
 * y in shared memory: class codes into the sorted classes when `labels` (classifiers), values
 * otherwise (a regression target must be numeric and finite).
 */
export function shareY(y: TargetInput | undefined | null, n: number, labels: boolean, who: string): SharedY {
  if (y === undefined || y === null) return { kind: 'none' };
  if (labels) {
    const { codes, classes } = encodeLabels(y, n, who);
    return { kind: 'labels', codes: shareTyped(codes), classes };
  }
  const v = targetValues(y);
  if (v.length !== n) {
    throw new ValidationError(`${who}: y has ${v.length} values but X has ${n} rows.`, {
      field: 'y',
      fix: 'pass one y value per row of X',
    });
  }
  const out = new Float64Array(new SharedArrayBuffer(n * 8));
  for (let i = 0; i < n; i++) {
    const x = v[i];
    const num = typeof x === 'number' ? x : typeof x === 'boolean' ? Number(x) : Number.NaN;
    if (!Number.isFinite(num)) {
      throw new ValidationError(
        `${who}: y[${i}] is ${x === null ? 'missing' : JSON.stringify(x)}; a numeric, finite target is required.`,
        { field: 'y', fix: 'drop rows whose target is missing, or pick a numeric target column' },
      );
    }
    out[i] = num;
  }
  return { kind: 'values', values: out };
}

/** y of rows `idx` as the estimator takes it (original labels, or values), or undefined. */
export function takeY(s: SharedY, idx: Int32Array): Label[] | Float64Array | undefined {
  if (s.kind === 'none') return undefined;
  if (s.kind === 'labels') {
    const codes = new Int32Array(idx.length);
    for (let i = 0; i < idx.length; i++) codes[i] = s.codes[idx[i]];
    return decodeLabels(codes, s.classes);
  }
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = s.values[idx[i]];
  return out;
}

/** The truth of rows `idx` as scorers take it: codes, or values. */
export function truthOf(s: SharedY, idx: Int32Array): Int32Array | Float64Array {
  if (s.kind === 'labels') {
    const out = new Int32Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = s.codes[idx[i]];
    return out;
  }
  if (s.kind === 'values') {
    const out = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = s.values[idx[i]];
    return out;
  }
  return new Float64Array(idx.length);
}

/** Rows `idx` of a shared weight vector. */
export function takeWeights(w: Float64Array | null, idx: Int32Array): Float64Array | undefined {
  if (!w) return undefined;
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = w[idx[i]];
  return out;
}
