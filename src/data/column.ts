/**
 * Columns: one typed array per column, missing values marked in-band.
 *
 * | type          | storage                                   | missing      |
 * |---------------|-------------------------------------------|--------------|
 * | `numeric`     | `Float64Array`                            | `NaN`        |
 * | `categorical` | `Int32Array` codes into `dictionary`      | code `-1`    |
 * | `boolean`     | `Int8Array` (1 true, 0 false)             | `-1`         |
 * | `datetime`    | `Float64Array` of milliseconds since epoch (UTC) | `NaN` |
 * | `text`        | `(string \| null)[]`                      | `null`       |
 *
 * @module
 */

import { parseDateString } from './read/values.ts';

/** The physical kinds of column. */
export type ColumnType = 'numeric' | 'categorical' | 'boolean' | 'datetime' | 'text';

/** Numbers; NaN is missing. */
export interface NumericColumn {
  readonly type: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
}

/** Dictionary-encoded strings; code -1 is missing. */
export interface CategoricalColumn {
  readonly type: 'categorical';
  readonly name: string;
  readonly codes: Int32Array;
  readonly dictionary: readonly string[];
}

/** Booleans as 1/0; -1 is missing. */
export interface BooleanColumn {
  readonly type: 'boolean';
  readonly name: string;
  readonly values: Int8Array;
}

/** Instants as epoch milliseconds (UTC); NaN is missing. */
export interface DatetimeColumn {
  readonly type: 'datetime';
  readonly name: string;
  readonly values: Float64Array;
}

/** Free text; null is missing. */
export interface TextColumn {
  readonly type: 'text';
  readonly name: string;
  readonly values: readonly (string | null)[];
}

/** Any column. */
export type Column = NumericColumn | CategoricalColumn | BooleanColumn | DatetimeColumn | TextColumn;

/** A cell value as a plain JS value (datetimes as `Date`), null when missing. */
export type CellValue = number | string | boolean | Date | null;

/** Number of rows in a column. */
export function columnLength(c: Column): number {
  return c.type === 'categorical' ? c.codes.length : c.values.length;
}

/** True when row `i` of `c` is missing. */
export function isMissing(c: Column, i: number): boolean {
  switch (c.type) {
    case 'numeric':
    case 'datetime':
      return Number.isNaN(c.values[i]);
    case 'categorical':
      return c.codes[i] < 0;
    case 'boolean':
      return c.values[i] < 0;
    case 'text':
      return c.values[i] === null;
  }
}

/** Number of missing values in `c`. */
export function missingCount(c: Column): number {
  let n = 0;
  switch (c.type) {
    case 'numeric':
    case 'datetime': {
      const v = c.values;
      for (let i = 0; i < v.length; i++) if (v[i] !== v[i]) n++;
      return n;
    }
    case 'categorical': {
      const v = c.codes;
      for (let i = 0; i < v.length; i++) if (v[i] < 0) n++;
      return n;
    }
    case 'boolean': {
      const v = c.values;
      for (let i = 0; i < v.length; i++) if (v[i] < 0) n++;
      return n;
    }
    case 'text': {
      for (const s of c.values) if (s === null) n++;
      return n;
    }
  }
}

/** The value at row `i` as a plain JS value. */
export function cellValue(c: Column, i: number): CellValue {
  switch (c.type) {
    case 'numeric': {
      const v = c.values[i];
      return v !== v ? null : v;
    }
    case 'datetime': {
      const v = c.values[i];
      return v !== v ? null : new Date(v);
    }
    case 'categorical': {
      const k = c.codes[i];
      return k < 0 ? null : c.dictionary[k];
    }
    case 'boolean': {
      const v = c.values[i];
      return v < 0 ? null : v === 1;
    }
    case 'text':
      return c.values[i];
  }
}

/**
 * The column's values as a plain array (numbers, strings, booleans; datetimes as ISO strings;
 * null for missing). Suitable as `y` for estimators and metrics.
 */
export function columnValues(c: Column): (number | string | boolean | null)[] {
  const n = columnLength(c);
  const out = new Array<number | string | boolean | null>(n);
  for (let i = 0; i < n; i++) {
    const v = cellValue(c, i);
    out[i] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

/** A column holding rows `idx` of `c` (categoricals keep their dictionary). */
export function takeColumn(c: Column, idx: ArrayLike<number>): Column {
  const n = idx.length;
  switch (c.type) {
    case 'numeric':
    case 'datetime': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = c.values[idx[i]];
      return { type: c.type, name: c.name, values: out } as Column;
    }
    case 'categorical': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = c.codes[idx[i]];
      return { type: 'categorical', name: c.name, codes: out, dictionary: c.dictionary };
    }
    case 'boolean': {
      const out = new Int8Array(n);
      for (let i = 0; i < n; i++) out[i] = c.values[idx[i]];
      return { type: 'boolean', name: c.name, values: out };
    }
    case 'text': {
      const out = new Array<string | null>(n);
      for (let i = 0; i < n; i++) out[i] = c.values[idx[i]];
      return { type: 'text', name: c.name, values: out };
    }
  }
}

/** The same column under another name. */
export function renameColumn(c: Column, name: string): Column {
  return { ...c, name } as Column;
}

/** Builds a numeric column. */
export function numericColumn(name: string, values: ArrayLike<number | null>): NumericColumn {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v === null || v === undefined ? Number.NaN : v;
  }
  return { type: 'numeric', name, values: out };
}

/**
 * Builds a categorical column from strings (null/undefined = missing). The dictionary is in
 * order of first appearance unless `dictionary` is given (then unknown values are an error).
 */
export function categoricalColumn(
  name: string,
  values: ArrayLike<string | null | undefined>,
  dictionary?: readonly string[],
): CategoricalColumn {
  const index = new Map<string, number>();
  const dict: string[] = dictionary ? [...dictionary] : [];
  dict.forEach((d, i) => index.set(d, i));
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    let k = index.get(v);
    if (k === undefined) {
      if (dictionary)
        throw new RangeError(`categoricalColumn '${name}': '${v}' is not in the given dictionary`);
      k = dict.length;
      dict.push(v);
      index.set(v, k);
    }
    codes[i] = k;
  }
  return { type: 'categorical', name, codes, dictionary: dict };
}

/** Builds a boolean column (null/undefined = missing). */
export function booleanColumn(name: string, values: ArrayLike<boolean | null | undefined>): BooleanColumn {
  const out = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v === null || v === undefined ? -1 : v ? 1 : 0;
  }
  return { type: 'boolean', name, values: out };
}

/**
 * Builds a datetime column from `Date`s, epoch milliseconds or ISO strings (null = missing); a
 * string's time without a zone is UTC, as the file readers take it.
 */
export function datetimeColumn(
  name: string,
  values: ArrayLike<Date | number | string | null | undefined>,
): DatetimeColumn {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] =
      v === null || v === undefined
        ? Number.NaN
        : v instanceof Date
          ? v.getTime()
          : typeof v === 'number'
            ? v
            : parseDateString(v);
  }
  return { type: 'datetime', name, values: out };
}

/** Builds a text column. */
export function textColumn(name: string, values: ArrayLike<string | null | undefined>): TextColumn {
  return { type: 'text', name, values: Array.from(values, (v) => (v === undefined ? null : v)) };
}
