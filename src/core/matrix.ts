/**
 * `Matrix`: the dense numeric input every estimator understands — a row-major `Float64Array`
 * with its shape and column names (NaN marks a missing value). Tables convert to it
 * (`table.toMatrix()`), nested arrays convert to it, and estimators remember the column names
 * they were fitted on so that a later call with other columns is caught.
 *
 * @module
 */

import { RowValueError, show, ValidationError } from './errors.ts';

/** A dense, row-major matrix of float64 with named columns. */
export interface Matrix {
  /** Row-major values: element (i, j) is `data[i * cols + j]`. */
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
  /** One name per column (`x0`, `x1`, … when the source had none). */
  readonly columns: readonly string[];
}

/** Anything that can turn itself into a {@link Matrix} (a `Table` does). */
export interface MatrixSource {
  toMatrix(): Matrix;
}

/** What estimators accept as X. */
export type MatrixInput = Matrix | MatrixSource | readonly (readonly number[])[];

/** Default names for `n` unnamed columns: x0, x1, … */
export function defaultColumnNames(n: number): string[] {
  return Array.from({ length: n }, (_, j) => `x${j}`);
}

/** Builds a {@link Matrix}, checking that the shape and names agree. */
export function matrix(data: Float64Array, rows: number, cols: number, columns?: readonly string[]): Matrix {
  if (data.length !== rows * cols) {
    throw new ValidationError(`matrix: ${rows} × ${cols} needs ${rows * cols} values; got ${data.length}.`);
  }
  const names = columns ?? defaultColumnNames(cols);
  if (names.length !== cols) {
    throw new ValidationError(`matrix: ${cols} columns but ${names.length} column names.`);
  }
  return { data, rows, cols, columns: names };
}

/** True for a {@link Matrix}. */
export function isMatrix(x: unknown): x is Matrix {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as Matrix).data instanceof Float64Array &&
    typeof (x as Matrix).rows === 'number' &&
    typeof (x as Matrix).cols === 'number'
  );
}

/** Copies nested arrays into a {@link Matrix}; every row must have the same length. */
export function fromRows(
  rows: readonly (readonly number[])[],
  columns?: readonly string[],
  what = 'X',
): Matrix {
  const n = rows.length;
  // Every row must be an array (or typed array): an object or a string would be read by its
  // `length` and indices, or give a width of undefined.
  const checkRow = (i: number): void => {
    const r: unknown = rows[i];
    if (Array.isArray(r) || ArrayBuffer.isView(r)) return;
    throw new ValidationError(`${what}: row ${i} is ${show(r)}, not an array of numbers.`, {
      field: what,
      fix: 'pass X as an array of rows, each an array of numbers (or a Table for named columns)',
    });
  };
  if (n > 0) checkRow(0);
  const d = n === 0 ? (columns?.length ?? 0) : rows[0].length;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    checkRow(i);
    const r = rows[i];
    if (r.length !== d) {
      throw new ValidationError(`${what}: row ${i} has ${r.length} values; row 0 has ${d}.`, {
        fix: 'give every row the same number of columns',
      });
    }
    for (let j = 0; j < d; j++) {
      const v = r[j];
      if (typeof v !== 'number') {
        throw new ValidationError(
          `${what}: row ${i}, column ${j} is ${typeof v} (${String(v)}), not a number.`,
          {
            fix: 'encode non-numeric columns first (e.g. with OneHotEncoder in a Pipeline)',
          },
        );
      }
      data[i * d + j] = v;
    }
  }
  return matrix(data, n, d, columns);
}

/** Converts any {@link MatrixInput} to a {@link Matrix} (no copy when it already is one). */
export function asMatrix(x: MatrixInput, what = 'X'): Matrix {
  if (isMatrix(x)) return x;
  if (Array.isArray(x)) return fromRows(x as readonly (readonly number[])[], undefined, what);
  if (typeof x === 'object' && x !== null && typeof (x as MatrixSource).toMatrix === 'function') {
    return (x as MatrixSource).toMatrix();
  }
  throw new ValidationError(`${what} must be a Matrix, a Table or an array of rows; got ${show(x)}.`, {
    field: what,
    fix: `pass ${what} as an array of rows of numbers, a Matrix or a Table`,
  });
}

/** The column j of `m` as a new Float64Array. */
export function column(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0, k = j; i < m.rows; i++, k += m.cols) out[i] = m.data[k];
  return out;
}

/** The rows `idx` of `m` as a new matrix (same columns). */
export function takeRows(m: Matrix, idx: ArrayLike<number>): Matrix {
  const c = m.cols;
  const out = new Float64Array(idx.length * c);
  for (let r = 0; r < idx.length; r++) {
    const src = idx[r] * c;
    out.set(m.data.subarray(src, src + c), r * c);
  }
  return { data: out, rows: idx.length, cols: c, columns: m.columns };
}

/** The columns `cols` of `m` as a new matrix. */
export function takeColumns(m: Matrix, cols: readonly number[]): Matrix {
  const k = cols.length;
  const out = new Float64Array(m.rows * k);
  for (let i = 0; i < m.rows; i++) {
    const base = i * m.cols;
    for (let j = 0; j < k; j++) out[i * k + j] = m.data[base + cols[j]];
  }
  return { data: out, rows: m.rows, cols: k, columns: cols.map((j) => m.columns[j]) };
}

/** The transpose of `m` as a column-major copy: element (i, j) at `out[j * rows + i]`. */
export function toColumnMajor(m: Matrix): Float64Array {
  const { rows, cols, data } = m;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = data[base + j];
  }
  return out;
}

/** Returns the index of the first column holding a NaN, or -1. */
export function firstColumnWithNaN(m: Matrix): number {
  const { data, cols } = m;
  for (let k = 0; k < data.length; k++) if (data[k] !== data[k]) return k % cols;
  return -1;
}

/** Values checked at a time by {@link assertNoInfinity}'s fast path. */
const FINITE_BLOCK = 4096;

/**
 * Throws a {@link ValidationError} naming the column and row when `values` (row-major,
 * `columns.length` per row) hold ±Infinity. NaN passes: for steps that treat it as missing
 * (scalers, imputers), as scikit-learn's `force_all_finite='allow-nan'`.
 */
export function assertNoInfinity(values: Float64Array, columns: readonly string[], who: string): void {
  const cols = columns.length;
  // Blocks without NaN or ±∞ pass the branch-free check (see allFinite); a block holding a NaN
  // (allowed) or an infinity is scanned value by value, and so are the next few without trying the
  // check first — data with missing values everywhere then pay little for it.
  let skip = 0;
  for (let b = 0; b < values.length; b += FINITE_BLOCK) {
    const e = Math.min(values.length, b + FINITE_BLOCK);
    if (skip === 0 && allFinite(values, b, e)) continue;
    infinityIn(values, b, e, columns, cols, who);
    skip = skip === 0 ? 8 : skip - 1;
  }
}

/** Throws for the first ±Infinity of values[b..e), if any. */
function infinityIn(
  values: Float64Array,
  b: number,
  e: number,
  columns: readonly string[],
  cols: number,
  who: string,
): void {
  for (let k = b; k < e; k++) {
    const v = values[k];
    if (Math.abs(v) === Number.POSITIVE_INFINITY) {
      const j = k % cols;
      const row = Math.floor(k / cols);
      throw new RowValueError(
        `${who} cannot take infinite values: column '${columns[j]}' has an infinite value (${v}) at row ${row}.`,
        {
          row,
          value: v,
          field: columns[j],
          fix: 'replace the infinite values (with NaN, which this step treats as missing, or a finite value) or drop those rows',
        },
      );
    }
  }
}

/**
 * True when every value of `a[start..end)` is finite: the sum of `x · 0` over the values is 0
 * exactly when none is NaN or ±∞ (x · 0 is ±0 for a finite x, NaN otherwise; zeros cannot
 * overflow).
 * Four independent sums with no branch in the loop: 2–3× faster than testing each value.
 */
export function allFinite(a: Float64Array, start = 0, end = a.length): boolean {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = start;
  for (; i + 3 < end; i += 4) {
    s0 += a[i] * 0;
    s1 += a[i + 1] * 0;
    s2 += a[i + 2] * 0;
    s3 += a[i + 3] * 0;
  }
  for (; i < end; i++) s0 += a[i] * 0;
  return s0 + s1 + s2 + s3 === 0;
}

/**
 * Throws a {@link ValidationError} naming the column when `m` holds NaN or ±Infinity and the
 * estimator cannot take missing values.
 */
export function assertFinite(m: Matrix, who: string): void {
  const { data, cols } = m;
  if (allFinite(data)) return; // the common case; otherwise find the first bad value
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    if (v - v !== 0) {
      const j = k % cols;
      const row = Math.floor(k / cols);
      const kind = v !== v ? 'a missing value (NaN)' : `an infinite value (${v})`;
      throw new RowValueError(
        `${who} cannot take missing or infinite values: column '${m.columns[j]}' has ${kind} at row ${row}.`,
        {
          row,
          value: v,
          field: m.columns[j],
          fix: "impute first (e.g. SimpleImputer in a Pipeline, or 'lathe train', which adds one), or use a model that handles missing values such as gbdt",
        },
      );
    }
  }
}
