/**
 * `applySchema`: makes a table's columns match a {@link Schema} — converting storage (text to
 * numbers, numbers to categories, …), ordering categorical levels as the schema lists them, and
 * checking `nullable`. A value that does not convert is an error naming the column, the row and
 * the value; it is never turned into a missing value.
 *
 * @module
 */

import { DataError, show } from '../core/errors.ts';
import { type Column, type ColumnType, columnLength, isMissing, missingCount } from './column.ts';
import { NumberCategories } from './number-categories.ts';
import {
  type DatetimeFormat,
  datetimeExpected,
  parseBooleanWord,
  parseDatetimeOrIso,
  parseNumber,
  sniffDatetimeFormat,
} from './read/values.ts';
import type { ColumnSchema, Schema } from './schema.ts';
import { validateSchema } from './schema-file.ts';
import { type Table, unknownColumn } from './table.ts';

/** Options for {@link applySchema}. */
export interface ApplySchemaOptions {
  /** A categorical level not listed in the schema's `categories` is an error (default: appended after them). */
  strictCategories?: boolean;
  /** Name of the data source, for error messages. */
  source?: string;
  /** The file line of each row (a `ReadResult`'s `rowLines`), for error messages. */
  rowLines?: ArrayLike<number>;
  /**
   * How a value's row is named in the error for a value that does not convert (default `row N`,
   * 1-based; the model server names the element of the request's array instead).
   */
  rowLabel?: (row: number) => string;
  /** The fix suggested for a value that does not convert (default: correct it, or change the schema). */
  valueFix?: string;
}

const rowOf = (row: number) => `row ${row + 1}`;

/**
 * Returns `table` with every column named in `schema` converted to the schema's storage type.
 * Columns the schema does not name are kept as they are; a schema column missing from the
 * table is an error (suggesting the closest name).
 */
export function applySchema(table: Table, schema: Schema, options: ApplySchemaOptions = {}): Table {
  const s = validateSchema(schema);
  let out = table;
  for (const cs of s.columns) {
    if (!table.has(cs.name)) throw unknownColumn(cs.name, table.columnNames, options.source);
    out = out.withColumn(convertColumn(table.column(cs.name), cs, options));
  }
  return out;
}

function fail(cs: ColumnSchema, row: number, value: unknown, what: string, o: ApplySchemaOptions): DataError {
  return new DataError(
    `${(o.rowLabel ?? rowOf)(row)}: ${show(value)} ${what}, but the schema says the column is ${cs.storage}.`,
    {
      file: o.source,
      column: cs.name,
      fix: o.valueFix ?? `correct the value, or change the column's type in the schema`,
    },
  );
}

/** The column's values as strings (null for missing). */
function asStrings(c: Column): (string | null)[] {
  const n = columnLength(c);
  const out = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    switch (c.type) {
      case 'numeric':
        out[i] = Number.isNaN(c.values[i]) ? null : String(c.values[i]);
        break;
      case 'datetime':
        out[i] = Number.isNaN(c.values[i]) ? null : new Date(c.values[i]).toISOString();
        break;
      case 'boolean':
        out[i] = c.values[i] < 0 ? null : c.values[i] ? 'true' : 'false';
        break;
      case 'categorical':
        out[i] = c.codes[i] < 0 ? null : c.dictionary[c.codes[i]];
        break;
      case 'text':
        out[i] = c.values[i];
        break;
    }
  }
  return out;
}

/**
 * Numbers as the schema's categories ({@link NumberCategories}): the category of the same value, or
 * the number's own writing when there is none (a level the schema does not list). Two categories
 * of the same value ('1.0' and '1.00') cannot tell which the number is: an error naming the row.
 */
function numbersAsCategories(
  values: Float64Array,
  cs: ColumnSchema,
  options: ApplySchemaOptions,
): (string | null)[] {
  const m = new NumberCategories(cs.categories ?? []).mapValues(values);
  if (m.ok) return m.strings;
  throw new DataError(
    `${(options.rowLabel ?? rowOf)(m.row)}: the number ${show(m.value)} could be any of the categories ${m.candidates.map((k) => show(k)).join(', ')} the schema lists for the column, which was text (categorical) in training.`,
    {
      file: options.source,
      column: cs.name,
      fix:
        options.valueFix ??
        'write the column as text, as in the training file (e.g. quote the values in JSON, or cast the Parquet column to VARCHAR)',
    },
  );
}

function convertColumn(c: Column, cs: ColumnSchema, options: ApplySchemaOptions): Column {
  const name = c.name;
  const to: ColumnType = cs.storage;
  const n = columnLength(c);
  let out: Column;
  if (to === 'numeric') {
    if (c.type === 'numeric') out = c;
    else if (c.type === 'datetime') out = { type: 'numeric', name, values: c.values };
    else if (c.type === 'boolean') {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = c.values[i] < 0 ? Number.NaN : c.values[i];
      out = { type: 'numeric', name, values: v };
    } else {
      const strs = asStrings(c);
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const x = strs[i];
        if (x === null) v[i] = Number.NaN;
        else {
          const p = parseNumber(x);
          if (p === undefined) throw fail(cs, i, x, 'is not a number', options);
          v[i] = p;
        }
      }
      out = { type: 'numeric', name, values: v };
    }
  } else if (to === 'boolean') {
    if (c.type === 'boolean') out = c;
    else if (c.type === 'numeric') {
      const v = new Int8Array(n);
      for (let i = 0; i < n; i++) {
        const x = c.values[i];
        if (x !== x) v[i] = -1;
        else if (x === 0 || x === 1) v[i] = x;
        else throw fail(cs, i, x, 'is not 0 or 1', options);
      }
      out = { type: 'boolean', name, values: v };
    } else if (c.type === 'datetime') {
      throw fail(cs, 0, 'a datetime', 'is not a boolean', options);
    } else {
      const strs = asStrings(c);
      const v = new Int8Array(n);
      for (let i = 0; i < n; i++) {
        const x = strs[i];
        if (x === null) v[i] = -1;
        else {
          const b = parseBooleanWord(x);
          if (b < 0) throw fail(cs, i, x, 'is not a boolean (true/false, yes/no, y/n, t/f, 1/0)', options);
          v[i] = b;
        }
      }
      out = { type: 'boolean', name, values: v };
    }
  } else if (to === 'datetime') {
    if (c.type === 'datetime') out = c;
    else if (c.type === 'numeric') out = { type: 'datetime', name, values: c.values };
    else if (c.type === 'boolean') throw fail(cs, 0, 'a boolean', 'is not a date', options);
    else {
      const strs = asStrings(c);
      const present = strs.filter((x): x is string => x !== null);
      const format =
        (cs.format as DatetimeFormat | undefined) ?? sniffDatetimeFormat([...new Set(present)]) ?? '%Y-%m-%d';
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const x = strs[i];
        if (x === null) v[i] = Number.NaN;
        else {
          const p = parseDatetimeOrIso(x, format);
          if (p !== p) throw fail(cs, i, x, `is not a date/time ${datetimeExpected(format)}`, options);
          v[i] = p;
        }
      }
      out = { type: 'datetime', name, values: v };
    }
  } else if (to === 'text') {
    out = c.type === 'text' ? c : { type: 'text', name, values: asStrings(c) };
  } else {
    // categorical, with the schema's level order first. Numbers are matched to the schema's
    // categories by value (1 → '1.0' when training wrote '1.0'), not only by JavaScript's writing.
    const strs =
      c.type === 'categorical'
        ? null
        : c.type === 'numeric' && cs.categories
          ? numbersAsCategories(c.values, cs, options)
          : asStrings(c);
    const dict: string[] = cs.categories
      ? [...cs.categories]
      : c.type === 'categorical'
        ? [...c.dictionary]
        : [];
    const index = new Map(dict.map((d, k) => [d, k]));
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const x = strs
        ? strs[i]
        : c.type === 'categorical' && c.codes[i] >= 0
          ? c.dictionary[c.codes[i]]
          : null;
      if (x === null) {
        codes[i] = -1;
        continue;
      }
      let k = index.get(x);
      if (k === undefined) {
        if (options.strictCategories && cs.categories) {
          throw new DataError(
            `row ${i + 1}: ${show(x)} is not one of the schema's categories (${cs.categories.slice(0, 10).join(', ')}).`,
            {
              file: options.source,
              column: name,
              fix: "add the level to the schema's categories, or correct the value",
            },
          );
        }
        k = dict.length;
        dict.push(x);
        index.set(x, k);
      }
      codes[i] = k;
    }
    out = { type: 'categorical', name, codes, dictionary: dict };
  }
  if (cs.nullable === false) {
    const m = missingCount(out);
    if (m > 0) {
      const first = firstMissing(out);
      const line = options.rowLines?.[first];
      throw new DataError(
        `has ${m} missing value${m === 1 ? '' : 's'}${where(m, first, line)}, but the schema says it is not nullable.`,
        {
          file: options.source,
          line,
          column: name,
          fix: 'fill or drop the missing values, or set "nullable": true in the schema',
        },
      );
    }
  }
  return out;
}

/** The index of the first missing value of `c` (or -1). */
function firstMissing(c: Column): number {
  const n = columnLength(c);
  for (let i = 0; i < n; i++) if (isMissing(c, i)) return i;
  return -1;
}

/** Where the first of `m` missing values is: its row, or (its line being in the prefix) nothing more for one. */
function where(m: number, first: number, line: number | undefined): string {
  if (line !== undefined) return m === 1 ? '' : ' (the first on this line)';
  return ` (${m === 1 ? '' : 'the first '}in row ${first + 1})`;
}
