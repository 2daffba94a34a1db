/**
 * Inputs of the column-aware preprocessing steps: a {@link Table} is matched to the fitted columns
 * *by name* (extra columns are ignored with a warning, missing or wrongly typed ones are an error
 * that lists them all), a {@link Matrix} (or rows of numbers) *by position*, as everywhere else.
 *
 * Columns whose type changed between fit and transform are converted when that is safe — a
 * boolean read as numbers, a categorical read as text, a numeric code read as numbers where the
 * model saw strings, a column that is entirely empty — so that data read from a different file
 * (where the reader may infer other types) still scores.
 *
 * A numeric column where fit saw text categories is matched to the fitted categories *by value*
 * ({@link NumberCategories}): 1 is the category '1' — or '1.0' when that is how fit saw it. A number
 * two categories could be ('1.0' and '1.00') is an error naming the column; numbers that are no
 * fitted category are converted to their own text (unknown categories, handled as the encoder's
 * `handleUnknown` says) with a `UserWarning` naming the column, so a wrong type never goes
 * unnoticed.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { checkColumns } from '../core/estimator.ts';
import { asMatrix, type Matrix, type MatrixInput } from '../core/matrix.ts';
import { warn } from '../core/warnings.ts';
import {
  type Column,
  type ColumnType,
  columnLength,
  missingCount,
  type NumericColumn,
  renameColumn,
} from '../data/column.ts';
import { NumberCategories } from '../data/number-categories.ts';
import { parseDateString } from '../data/read/values.ts';
import { Table } from '../data/table.ts';
import type { Category } from './categories.ts';

/** What the preprocessing steps accept as X: a {@link Table}, a {@link Matrix} or rows of numbers. */
export type DataInput = Table | MatrixInput;

/** The categories fit learned for an input column (encoders know them), or undefined. */
export type CategoriesOf = (name: string) => readonly Category[] | undefined;

/** `e.fittedCategories(name)` when `e` (a step) has that method, else undefined. */
export function fittedCategoriesOf(e: unknown, name: string): readonly Category[] | undefined {
  const f = (e as { fittedCategories?: unknown } | null)?.fittedCategories;
  return typeof f === 'function' ? (f.call(e, name) as readonly Category[] | undefined) : undefined;
}

/** True for a {@link Table}. */
export function isTable(x: unknown): x is Table {
  return x instanceof Table;
}

/** A Matrix as a Table of numeric columns (named like the matrix's columns). */
export function matrixToTable(m: Matrix): Table {
  const cols: NumericColumn[] = [];
  for (let j = 0; j < m.cols; j++) {
    const v = new Float64Array(m.rows);
    for (let i = 0, k = j; i < m.rows; i++, k += m.cols) v[i] = m.data[k];
    cols.push({ type: 'numeric', name: m.columns[j], values: v });
  }
  return new Table(cols);
}

/** X as a Table (a Table stays as it is; a Matrix or rows become numeric columns). */
export function asTable(X: DataInput, what = 'X'): Table {
  return isTable(X) ? X : matrixToTable(asMatrix(X, what));
}

/** Checks a Table for fit: at least one row and one column. */
export function checkFitTable(who: string, t: Table): void {
  if (t.nCols === 0) {
    throw new ValidationError(`${who}.fit: X has no columns.`, { fix: 'pass at least one column' });
  }
  if (t.nRows === 0) {
    throw new ValidationError(`${who}.fit: X has no rows.`, { fix: 'pass at least one row' });
  }
}

/** The columns of `names` not in `required` (undefined when there are none). */
export function unusedColumns(
  names: readonly string[],
  required: readonly string[],
): ReadonlySet<string> | undefined {
  if (required.length === names.length) return undefined;
  const need = new Set(required);
  return new Set(names.filter((n) => !need.has(n)));
}

/** The storage type of every column of `t`. */
export function columnTypes(t: Table): ColumnType[] {
  return t.columns.map((c) => c.type);
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, 10).map((n) => `'${n}'`);
  return names.length > 10 ? `${shown.join(', ')}, … (${names.length} in all)` : shown.join(', ');
}

function expectedList(names: readonly string[], types: readonly ColumnType[] | null): string {
  const parts = names.slice(0, 12).map((n, j) => (types ? `${n} (${types[j]})` : n));
  return names.length > 12 ? `${parts.join(', ')}, … (${names.length} in all)` : parts.join(', ');
}

/** What {@link compareColumns} found: columns missing, not seen in fit, or of another type. */
export interface ColumnReport {
  /** Fitted columns the data lacks. */
  missing: string[];
  /** Columns of the data that were not seen in fit (ignored). */
  extra: string[];
  /** Fitted columns present with a type that cannot be converted to the fitted one. */
  wrongType: {
    column: string;
    expected: ColumnType;
    actual: ColumnType;
    example?: string;
    /** Why it cannot be converted, when there is more to say than the types. */
    reason?: string;
  }[];
}

/**
 * Compares a table's columns to the fitted ones without throwing (for user interfaces that want
 * to list every problem, e.g. a server validating a request). Columns in `unused` were seen in
 * fit but are not read (e.g. dropped by a ColumnTransformer): they may be absent, are not checked
 * and are not reported as extra.
 */
export function compareColumns(
  names: readonly string[],
  types: readonly ColumnType[] | null,
  t: Table,
  unused?: ReadonlySet<string>,
  categoriesOf?: CategoriesOf,
): ColumnReport {
  return checkTableColumns(names, types, t, unused, categoriesOf).report;
}

/** A fitted column's conversion to its fitted type, and the categories it was matched against. */
interface ColumnConversion {
  conv: Conversion;
  categories: readonly Category[] | undefined;
}

/**
 * {@link compareColumns}, also returning each present column's conversion (by name), so that
 * `conformTable` converts every column once.
 */
function checkTableColumns(
  names: readonly string[],
  types: readonly ColumnType[] | null,
  t: Table,
  unused: ReadonlySet<string> | undefined,
  categoriesOf: CategoriesOf | undefined,
): { report: ColumnReport; conversions: Map<string, ColumnConversion> } {
  const report: ColumnReport = { missing: [], extra: [], wrongType: [] };
  const conversions = new Map<string, ColumnConversion>();
  const known = new Set(names);
  for (const c of t.columns) if (!known.has(c.name)) report.extra.push(c.name);
  names.forEach((name, j) => {
    if (unused?.has(name)) return;
    const k = t.indexOf(name);
    if (k < 0) {
      report.missing.push(name);
      return;
    }
    if (!types) return;
    const c = t.columns[k];
    const categories = numberCategories(c, types[j], name, categoriesOf);
    const conv = convertColumn(c, types[j], categories);
    conversions.set(name, { conv, categories });
    if (!conv.ok) {
      report.wrongType.push({
        column: name,
        expected: types[j],
        actual: c.type,
        example: conv.example,
        ...(conv.reason ? { reason: conv.reason } : {}),
      });
    }
  });
  return { report, conversions };
}

/**
 * Matches X to the fitted columns and returns a Table with exactly those columns, in the fitted
 * order and of the fitted types. A Table is matched by name (extra columns are ignored, with a
 * warning); a Matrix by position. Throws a {@link ValidationError} listing every missing and
 * wrongly typed column.
 *
 * `unused` names fitted columns that are never read (a ColumnTransformer's dropped columns): a
 * Table need not have them, and they are left out of the result — except when no column is read:
 * then X itself is returned, as a Table without columns has no rows. A Matrix still needs every
 * column (its columns are matched by position).
 */
export function conformTable(
  who: string,
  method: string,
  allNames: readonly string[],
  allTypes: readonly ColumnType[] | null,
  X: DataInput,
  unused?: ReadonlySet<string>,
  categoriesOf?: CategoriesOf,
): Table {
  let t: Table;
  let names = allNames;
  let types = allTypes;
  let skip: ReadonlySet<string> | undefined;
  if (isTable(X)) {
    t = X;
    if (unused?.size) {
      skip = unused;
      const keep = allNames.flatMap((n, j) => (unused.has(n) ? [] : [j]));
      names = keep.map((j) => allNames[j]);
      types = allTypes && keep.map((j) => allTypes[j]);
      // Nothing is read: X as it is, so that its row count survives (the output of a
      // ColumnTransformer whose routes all drop still has one row per row of X).
      if (!names.length) return t;
    }
  } else {
    const m = asMatrix(X);
    checkColumns(who, method, names, m.columns);
    t = matrixToTable(m);
    // Positional match: give the columns the fitted names.
    t = new Table(t.columns.map((c, j) => renameColumn(c, names[j])));
  }
  const { report, conversions } = checkTableColumns(names, types, t, undefined, categoriesOf);
  if (skip) report.extra = report.extra.filter((n) => !skip.has(n));
  if (report.missing.length || report.wrongType.length) {
    const parts: string[] = [];
    if (report.missing.length) {
      parts.push(
        `X lacks ${report.missing.length === 1 ? 'a column' : `${report.missing.length} columns`} seen in fit: ${list(report.missing)}`,
      );
    }
    for (const w of report.wrongType.slice(0, 5)) {
      parts.push(
        w.reason
          ? `column '${w.column}' is ${w.actual}, but it was ${w.expected} in fit, and ${w.reason}`
          : `column '${w.column}' is ${w.actual}${w.example !== undefined ? ` (e.g. ${JSON.stringify(w.example)})` : ''}, but it was ${w.expected} in fit`,
      );
    }
    if (report.wrongType.length > 5)
      parts.push(`and ${report.wrongType.length - 5} more wrongly typed columns`);
    const first = report.missing[0] ?? report.wrongType[0]?.column;
    throw new ValidationError(`${who}.${method}: ${parts.join('; ')}.`, {
      field: first,
      expected: expectedList(names, types),
      fix: `pass the columns seen in fit: ${expectedList(names, types)}`,
    });
  }
  if (report.extra.length && isTable(X)) {
    warn(
      'UserWarning',
      `${who}.${method}: ignoring ${report.extra.length === 1 ? 'a column' : 'columns'} not seen in fit: ${list(report.extra)}.`,
    );
  }
  // Fast path: same columns, same order, same types.
  if (
    !report.extra.length &&
    t.nCols === names.length &&
    t.columns.every((c, j) => c.name === names[j] && (!types || c.type === types[j]))
  ) {
    return t;
  }
  return new Table(
    names.map((name, j) => {
      const c = t.column(name);
      const done = conversions.get(name);
      if (!types || !done) return c;
      const { conv, categories } = done;
      if (conv.unmatched) warnUnmatched(who, method, c, types[j], conv.unmatched, categories);
      return conv.column as Column;
    }),
  );
}

/**
 * The categories fit learned for column `name`, asked of the model only where they are used: a
 * numeric column where fit saw categories or text (a pipeline may walk its steps to answer).
 */
function numberCategories(
  c: Column,
  to: ColumnType,
  name: string,
  categoriesOf: CategoriesOf | undefined,
): readonly Category[] | undefined {
  return c.type === 'numeric' && (to === 'categorical' || to === 'text') ? categoriesOf?.(name) : undefined;
}

/**
 * Numbers of a numeric column that are none of the text categories fit learned: they become
 * unknown categories — said, never silent (the usual cause is a column read with another type).
 */
function warnUnmatched(
  who: string,
  method: string,
  c: Column,
  to: ColumnType,
  unmatched: { rows: number; examples: string[] },
  categories: readonly Category[] | undefined,
): void {
  const n = columnLength(c);
  const known = (categories ?? []).filter((k) => k !== null).map((k) => JSON.stringify(k));
  warn(
    'UserWarning',
    `${who}.${method}: column '${c.name}' is numeric, but it was ${to} (text) in fit; ${unmatched.rows} of ${n} rows hold numbers that are none of the categories seen in fit (e.g. ${unmatched.examples.join(', ')}), so they are unknown categories${known.length ? ` (fit saw ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', …' : ''})` : ''}. Pass the column as text, as it was in fit (read the file with the model's schema, e.g. readTable(path, { schema })), or refit on data with these values.`,
  );
}

interface Conversion {
  ok: boolean;
  column?: Column;
  /** A value that could not be converted (for the message). */
  example?: string;
  /** Why it could not be converted, when the types do not say it all. */
  reason?: string;
  /** Numbers matched to none of the known categories (numeric to categorical/text, with categories). */
  unmatched?: { rows: number; examples: string[] };
}

/**
 * Converts `c` to storage type `to` when that loses nothing; see the module notes. `categories`
 * (what fit learned for the column) lets numbers be matched to text categories by value.
 */
export function convertColumn(c: Column, to: ColumnType, categories?: readonly Category[]): Conversion {
  if (c.type === to) return { ok: true, column: c };
  const n = columnLength(c);
  if (missingCount(c) === n) return { ok: true, column: emptyColumn(c.name, to, n) };
  const name = c.name;
  switch (to) {
    case 'numeric': {
      if (c.type === 'boolean') {
        const v = new Float64Array(n);
        for (let i = 0; i < n; i++) v[i] = c.values[i] < 0 ? Number.NaN : c.values[i];
        return { ok: true, column: { type: 'numeric', name, values: v } };
      }
      if (c.type === 'categorical' || c.type === 'text') {
        const strings = c.type === 'categorical' ? c.dictionary : c.values;
        const parsed = new Map<string, number>();
        for (const s of strings) {
          if (s === null) continue;
          const x = s.trim() === '' ? Number.NaN : Number(s);
          if (!Number.isFinite(x)) return { ok: false, example: s };
          parsed.set(s, x);
        }
        const v = new Float64Array(n);
        if (c.type === 'categorical') {
          for (let i = 0; i < n; i++) {
            const k = c.codes[i];
            v[i] = k < 0 ? Number.NaN : parsed.get(c.dictionary[k])!;
          }
        } else {
          for (let i = 0; i < n; i++) {
            const s = c.values[i];
            v[i] = s === null ? Number.NaN : parsed.get(s)!;
          }
        }
        return { ok: true, column: { type: 'numeric', name, values: v } };
      }
      return { ok: false };
    }
    case 'boolean': {
      if (c.type === 'numeric') {
        const v = new Int8Array(n);
        for (let i = 0; i < n; i++) {
          const x = c.values[i];
          if (x !== x) v[i] = -1;
          else if (x === 0 || x === 1) v[i] = x;
          else return { ok: false, example: String(x) };
        }
        return { ok: true, column: { type: 'boolean', name, values: v } };
      }
      if (c.type === 'categorical' || c.type === 'text') {
        const v = new Int8Array(n);
        for (let i = 0; i < n; i++) {
          const s =
            c.type === 'categorical' ? (c.codes[i] < 0 ? null : c.dictionary[c.codes[i]]) : c.values[i];
          if (s === null) v[i] = -1;
          else if (/^(true|1)$/i.test(s)) v[i] = 1;
          else if (/^(false|0)$/i.test(s)) v[i] = 0;
          else return { ok: false, example: s };
        }
        return { ok: true, column: { type: 'boolean', name, values: v } };
      }
      return { ok: false };
    }
    case 'categorical':
    case 'text': {
      let strings: (string | null)[];
      if (c.type === 'categorical' || c.type === 'text') {
        if (to === 'text' && c.type === 'categorical') {
          strings = Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]));
        } else if (to === 'categorical' && c.type === 'text') {
          strings = c.values as (string | null)[];
        } else {
          return { ok: true, column: c };
        }
      } else if (c.type === 'numeric') {
        const text = categories?.filter((k): k is string => typeof k === 'string');
        if (text?.length) return numbersToCategories(c, to, text);
        strings = Array.from(c.values, (x) => (x !== x ? null : String(x)));
      } else if (c.type === 'boolean') {
        strings = Array.from(c.values, (x) => (x < 0 ? null : x === 1 ? 'true' : 'false'));
      } else {
        return { ok: false };
      }
      return { ok: true, column: stringColumn(name, strings, to) };
    }
    case 'datetime': {
      if (c.type === 'categorical' || c.type === 'text') {
        const v = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const s =
            c.type === 'categorical' ? (c.codes[i] < 0 ? null : c.dictionary[c.codes[i]]) : c.values[i];
          if (s === null) {
            v[i] = Number.NaN;
            continue;
          }
          const t = parseDateString(s);
          if (!Number.isFinite(t)) return { ok: false, example: s };
          v[i] = t;
        }
        return { ok: true, column: { type: 'datetime', name, values: v } };
      }
      return { ok: false };
    }
  }
}

/** A numeric column as the text categories fit learned, matched by value ({@link NumberCategories}). */
function numbersToCategories(c: NumericColumn, to: 'categorical' | 'text', categories: string[]): Conversion {
  const m = new NumberCategories(categories).mapValues(c.values);
  if (!m.ok) {
    return {
      ok: false,
      example: String(m.value),
      reason: `its number ${m.value} (row ${m.row}) could be any of the categories ${m.candidates.map((k) => JSON.stringify(k)).join(', ')} seen in fit`,
    };
  }
  return {
    ok: true,
    column: stringColumn(c.name, m.strings, to),
    ...(m.unknownRows ? { unmatched: { rows: m.unknownRows, examples: m.unknownExamples } } : {}),
  };
}

function stringColumn(name: string, values: readonly (string | null)[], to: 'categorical' | 'text'): Column {
  if (to === 'text') return { type: 'text', name, values };
  const index = new Map<string, number>();
  const dict: string[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const s = values[i];
    if (s === null) {
      codes[i] = -1;
      continue;
    }
    let k = index.get(s);
    if (k === undefined) {
      k = dict.length;
      dict.push(s);
      index.set(s, k);
    }
    codes[i] = k;
  }
  return { type: 'categorical', name, codes, dictionary: dict };
}

/** A column of `n` missing values of storage type `type`. */
export function emptyColumn(name: string, type: ColumnType, n: number): Column {
  switch (type) {
    case 'numeric':
    case 'datetime':
      return { type, name, values: new Float64Array(n).fill(Number.NaN) };
    case 'boolean':
      return { type, name, values: new Int8Array(n).fill(-1) };
    case 'categorical':
      return { type, name, codes: new Int32Array(n).fill(-1), dictionary: [] };
    case 'text':
      return { type, name, values: new Array<string | null>(n).fill(null) };
  }
}

/** Values of a numeric-like column (numeric, datetime, boolean) as float64 with NaN for missing. */
export function numericValues(c: Column): Float64Array | null {
  if (c.type === 'numeric' || c.type === 'datetime') return c.values;
  if (c.type === 'boolean') {
    const v = new Float64Array(c.values.length);
    for (let i = 0; i < v.length; i++) v[i] = c.values[i] < 0 ? Number.NaN : c.values[i];
    return v;
  }
  return null;
}
