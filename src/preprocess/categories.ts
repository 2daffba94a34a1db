/**
 * Categories of a column, for the encoders: discovery (sorted as scikit-learn's `_unique` sorts
 * them — strings by code point, numbers numerically, `false` before `true` — with the missing value
 * as a category of its own, last) and the per-row lookup of a column against known categories.
 *
 * A category is a string, a number (numeric columns, and datetime columns as epoch milliseconds),
 * a boolean, or `null` for "missing".
 *
 * @module
 */

import { compareCodePoints } from '../core/code-points.ts';
import { show, ValidationError } from '../core/errors.ts';
import { assertNoInfinity } from '../core/matrix.ts';
import type { PlainValue } from '../core/plain.ts';
import { checkLength, damagedState } from '../core/saved-state.ts';
import type { Column, ColumnType } from '../data/column.ts';

/** One category: a string, a number, a boolean, or null for the missing value. */
export type Category = string | number | boolean | null;

/** Categories found in a column with their counts. */
export interface FoundCategories {
  categories: Category[];
  counts: Float64Array;
}

/** The distinct values of `c`, sorted, with the missing value (if any) last; and their counts. */
export function findCategories(c: Column): FoundCategories {
  switch (c.type) {
    case 'categorical': {
      const counts = new Float64Array(c.dictionary.length);
      let missing = 0;
      const codes = c.codes;
      for (let i = 0; i < codes.length; i++) {
        const k = codes[i];
        if (k < 0) missing++;
        else counts[k]++;
      }
      // Merge dictionary entries that are equal strings (possible after a concatenation).
      const byValue = new Map<string, number>();
      for (let k = 0; k < counts.length; k++) {
        if (counts[k] > 0) byValue.set(c.dictionary[k], (byValue.get(c.dictionary[k]) ?? 0) + counts[k]);
      }
      return finish([...byValue.keys()].sort(compareCodePoints), byValue, missing);
    }
    case 'text': {
      const byValue = new Map<string, number>();
      let missing = 0;
      for (const s of c.values) {
        if (s === null) missing++;
        else byValue.set(s, (byValue.get(s) ?? 0) + 1);
      }
      return finish([...byValue.keys()].sort(compareCodePoints), byValue, missing);
    }
    case 'numeric':
    case 'datetime': {
      const v = c.values;
      const sorted = new Float64Array(v.length);
      let m = 0;
      for (let i = 0; i < v.length; i++) if (v[i] === v[i]) sorted[m++] = v[i] === 0 ? 0 : v[i];
      const s = sorted.subarray(0, m).sort();
      const cats: Category[] = [];
      const counts: number[] = [];
      let i = 0;
      while (i < m) {
        let j = i + 1;
        while (j < m && s[j] === s[i]) j++;
        cats.push(s[i]);
        counts.push(j - i);
        i = j;
      }
      if (m < v.length) {
        cats.push(null);
        counts.push(v.length - m);
      }
      return { categories: cats, counts: Float64Array.from(counts) };
    }
    case 'boolean': {
      const n = [0, 0, 0]; // false, true, missing
      for (const x of c.values) n[x < 0 ? 2 : x]++;
      const cats: Category[] = [];
      const counts: number[] = [];
      const values: Category[] = [false, true, null];
      for (let k = 0; k < 3; k++) {
        if (n[k] === 0) continue;
        cats.push(values[k]);
        counts.push(n[k]);
      }
      return { categories: cats, counts: Float64Array.from(counts) };
    }
  }
}

function finish(sorted: string[], byValue: Map<string, number>, missing: number): FoundCategories {
  const cats: Category[] = sorted;
  const counts = sorted.map((s) => byValue.get(s)!);
  if (missing > 0) {
    cats.push(null);
    counts.push(missing);
  }
  return { categories: cats, counts: Float64Array.from(counts) };
}

/** A key that makes equal-looking categories of different types meet ("1" and 1, "true" and true). */
function key(c: Category): string {
  return c === null ? '\u0000missing' : typeof c === 'number' ? String(c === 0 ? 0 : c) : String(c);
}

/**
 * For each row of `c`, the index of its value in `categories`, or -1 when the value is not among
 * them (an unknown category — or a missing value when missing was not a category in fit).
 */
export function indexCategories(c: Column, categories: readonly Category[]): Int32Array {
  const n = c.type === 'categorical' ? c.codes.length : c.values.length;
  const out = new Int32Array(n);
  const byKey = new Map<string, number>();
  categories.forEach((cat, i) => {
    const k = key(cat);
    if (!byKey.has(k)) byKey.set(k, i);
  });
  const missingIdx = byKey.get(key(null)) ?? -1;
  switch (c.type) {
    case 'categorical': {
      // One lookup per dictionary entry, then an array index per row.
      const dictIdx = new Int32Array(c.dictionary.length);
      for (let k = 0; k < dictIdx.length; k++) dictIdx[k] = byKey.get(c.dictionary[k]) ?? -1;
      const codes = c.codes;
      for (let i = 0; i < n; i++) {
        const k = codes[i];
        out[i] = k < 0 ? missingIdx : dictIdx[k];
      }
      return out;
    }
    case 'text': {
      const v = c.values;
      for (let i = 0; i < n; i++) {
        const s = v[i];
        out[i] = s === null ? missingIdx : (byKey.get(s) ?? -1);
      }
      return out;
    }
    case 'numeric':
    case 'datetime': {
      const byNumber = new Map<number, number>();
      categories.forEach((cat, i) => {
        const x =
          typeof cat === 'number'
            ? cat
            : typeof cat === 'string' && cat.trim() !== ''
              ? Number(cat)
              : Number.NaN;
        if (x === x && !byNumber.has(x === 0 ? 0 : x)) byNumber.set(x === 0 ? 0 : x, i);
      });
      const v = c.values;
      for (let i = 0; i < n; i++) {
        const x = v[i];
        out[i] = x !== x ? missingIdx : (byNumber.get(x === 0 ? 0 : x) ?? -1);
      }
      return out;
    }
    case 'boolean': {
      const f = byKey.get('false') ?? -1;
      const t = byKey.get('true') ?? -1;
      const v = c.values;
      for (let i = 0; i < n; i++) out[i] = v[i] < 0 ? missingIdx : v[i] === 1 ? t : f;
      return out;
    }
  }
}

/** Counts of each of `categories` in `c` (values outside them are not counted). */
export function countCategories(c: Column, categories: readonly Category[]): Float64Array {
  const idx = indexCategories(c, categories);
  const counts = new Float64Array(categories.length);
  for (let i = 0; i < idx.length; i++) if (idx[i] >= 0) counts[idx[i]]++;
  return counts;
}

/** How a category is shown in a column name: the string, the number, `true`/`false`, `(missing)`, or an ISO date. */
export function categoryLabel(c: Category, type: ColumnType): string {
  if (c === null) return '(missing)';
  if (type === 'datetime' && typeof c === 'number') {
    const iso = new Date(c).toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return String(c);
}

/** The value of row `i` of `c` as a category (for error messages). */
export function cellCategory(c: Column, i: number): Category {
  switch (c.type) {
    case 'categorical':
      return c.codes[i] < 0 ? null : c.dictionary[c.codes[i]];
    case 'text':
      return c.values[i];
    case 'numeric':
    case 'datetime':
      return c.values[i] !== c.values[i] ? null : c.values[i];
    case 'boolean':
      return c.values[i] < 0 ? null : c.values[i] === 1;
  }
}

/** The error for a value not seen in fit. */
export function unknownCategoryError(who: string, column: Column, row: number, fix: string): ValidationError {
  const v = cellCategory(column, row);
  const shown = v === null ? 'a missing value' : show(v);
  return new ValidationError(
    `${who}.transform: column '${column.name}' has ${v === null ? shown : `the category ${shown}`} (row ${row}), which was not seen in fit.`,
    { field: column.name, fix },
  );
}

/** True for a valid category value in a parameter or saved state. */
export function isCategory(v: unknown): v is Category {
  return (
    v === null ||
    typeof v === 'string' ||
    typeof v === 'boolean' ||
    (typeof v === 'number' && !Number.isNaN(v))
  );
}

/** A parameter spec for `categories`: `'auto'`, or one array of categories per column. */
export const categoriesSpec = {
  expected: "'auto', or an array with one array of categories (strings, numbers, booleans, null) per column",
  default: 'auto' as 'auto' | Category[][],
  doc: "'auto' (the sorted values seen in fit) or the categories of each column, in order",
  check(v: unknown): v is 'auto' | Category[][] {
    return (
      v === 'auto' ||
      (Array.isArray(v) &&
        v.every((cats) => Array.isArray(cats) && cats.length > 0 && cats.every(isCategory)))
    );
  },
};

/** Checks the saved categories of an encoder. */
export function isCategoryLists(v: PlainValue): boolean {
  return Array.isArray(v) && v.every((cats) => Array.isArray(cats) && cats.every(isCategory));
}

/**
 * The saved `categories` of an encoder: one list of categories per input column (`width`), none
 * named twice in a list (fit never learns a duplicate, and refuses one given). A damaged or edited
 * list is refused rather than encoding columns against another column's categories or reading
 * past the end of the list.
 */
export function readCategoryLists(who: string, v: PlainValue | undefined, width: number): Category[][] {
  if (v === undefined || !isCategoryLists(v)) {
    throw damagedState(who, 'categories', 'is missing or not a list of category lists');
  }
  const lists = v as Category[][];
  checkLength(who, 'categories', lists, width, 'one list per input column');
  lists.forEach((cats, j) => {
    const seen = new Set<string>();
    for (const cat of cats) {
      const k = key(cat);
      if (seen.has(k)) {
        throw damagedState(
          who,
          'categories',
          `lists ${cat === null ? 'the missing value' : show(cat)} twice for input column ${j}`,
        );
      }
      seen.add(k);
    }
  });
  return lists;
}

/**
 * Refuses a given category list that names a category twice: its output (one column per
 * category, or a code) would be ambiguous. scikit-learn 1.2 accepts it and maps the value to the
 * last duplicate; a duplicate is a slip in the list.
 */
function checkNoDuplicates(who: string, column: string, cats: readonly Category[]): void {
  const seen = new Set<string>();
  for (const cat of cats) {
    const k = key(cat);
    if (seen.has(k)) {
      throw new ValidationError(
        `${who}: the categories given for column '${column}' list ${cat === null ? 'the missing value' : show(cat)} twice.`,
        { field: 'categories', fix: 'list each category once' },
      );
    }
    seen.add(k);
  }
}

/**
 * Throws, naming the column and row, if a numeric or datetime column holds ±Infinity: scikit-learn's
 * encoders refuse infinite values ("Input contains infinity") — NaN is the missing value, a
 * category of its own.
 */
export function assertFiniteCategories(columns: readonly Column[], who: string): void {
  for (const c of columns) {
    if (c.type === 'numeric' || c.type === 'datetime') assertNoInfinity(c.values, [c.name], who);
  }
}

/**
 * The categories of each column: found in the data (`'auto'`) or given. With given categories and
 * `unknownIsError`, a value outside them is a {@link ValidationError} at fit time. A column holding
 * ±Infinity is a {@link ValidationError} (see {@link assertFiniteCategories}).
 */
export function fitCategories(
  who: string,
  columns: readonly Column[],
  given: 'auto' | Category[][],
  unknownIsError: boolean,
): FoundCategories[] {
  if (given !== 'auto' && given.length !== columns.length) {
    throw new ValidationError(
      `${who}: 'categories' has ${given.length} lists but X has ${columns.length} columns.`,
      { field: 'categories', fix: "give one list of categories per column, or use 'auto'" },
    );
  }
  assertFiniteCategories(columns, `${who}.fit`);
  return columns.map((c, j) => {
    if (given === 'auto') return findCategories(c);
    const cats = given[j].slice();
    checkNoDuplicates(who, c.name, cats);
    if (unknownIsError) {
      const idx = indexCategories(c, cats);
      const bad = idx.indexOf(-1);
      if (bad >= 0) {
        const v = cellCategory(c, bad);
        throw new ValidationError(
          `${who}.fit: column '${c.name}' holds ${v === null ? 'a missing value' : show(v)} (row ${bad}), which is not among the given categories.`,
          { field: 'categories', fix: "add it to 'categories', or set handleUnknown to ignore it" },
        );
      }
    }
    return { categories: cats, counts: countCategories(c, cats) };
  });
}
