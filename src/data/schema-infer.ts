/**
 * `inferSchema`: the semantic type of every column of a {@link Table} — numeric, categorical,
 * boolean, datetime, text or id-like — with the facts later stages need (levels, ranges,
 * whether values are missing). The rules are in docs/data.md.
 *
 * @module
 */

import type { Column } from './column.ts';
import { looksLikeText } from './read/builders.ts';
import type { ColumnSchema, Schema, SemanticType } from './schema.ts';
import type { Table } from './table.ts';

/** Options for {@link inferSchema}. */
export interface InferSchemaOptions {
  /** Datetime formats by column name (the readers pass the ones they parsed with). */
  formats?: Readonly<Record<string, string>>;
  /** Semantic types to use instead of the inferred ones, by column name. */
  types?: Readonly<Record<string, SemanticType>>;
}

/** Distinct spellings beyond which a text column is not checked for being a boolean pair. */
const MAX_BOOLEAN_SPELLINGS = 64;

const BOOLEAN_PAIRS = [
  ['true', 'false'],
  ['yes', 'no'],
  ['y', 'n'],
  ['t', 'f'],
  ['1', '0'],
];

/**
 * True for column names that read as identifiers: `id`, `ID`, `customer_id`, `order-key`,
 * `CustomerID`, `userId`, `uuid`, `guid` (but not `paid` or `valid`).
 */
export function isIdName(name: string): boolean {
  return (
    /(^|[_\s.-])(id|key|uuid|guid)$/i.test(name) ||
    /^(id|uuid|guid)([_\s.-]|$)/i.test(name) ||
    /[a-z0-9](Id|ID|Key|Uuid|UUID)$/.test(name)
  );
}

/**
 * Infers the schema of `table`. Per column (storage → semantic type):
 * - numeric → `id` when named like an id ({@link isIdName}), all integers, unique and never
 *   missing; `boolean` when its values are exactly {0, 1}; else `numeric`.
 * - categorical/text → `boolean` when its two levels are true/false, yes/no, y/n, t/f or 1/0
 *   (any case); `id` when every value is unique and the name reads as an id, or every value is
 *   unique, has a digit and no spaces, and there are at least 20 rows; `text` when high-cardinality (more
 *   than 50 distinct values making up over half of the values) or long (mean length over 60);
 *   else `categorical`.
 * - boolean → `boolean`; datetime → `datetime`.
 */
export function inferSchema(table: Table, options: InferSchemaOptions = {}): Schema {
  return { version: 1, columns: table.columns.map((c) => inferColumn(c, table.nRows, options)) };
}

function inferColumn(c: Column, n: number, options: InferSchemaOptions): ColumnSchema {
  const out: ColumnSchema = { name: c.name, type: 'numeric', storage: c.type, nullable: false };
  switch (c.type) {
    case 'numeric':
    case 'datetime': {
      const v = c.values;
      const { min, max, missing, integers, zeroOne } = numericFacts(v);
      out.nullable = missing > 0;
      // A bound is a finite number (a model package refuses others): an infinite one is left out.
      if (missing < n) {
        if (Number.isFinite(min)) out.min = min;
        if (Number.isFinite(max)) out.max = max;
      }
      if (c.type === 'datetime') {
        out.type = 'datetime';
        const f = options.formats?.[c.name];
        if (f) out.format = f;
        break;
      }
      if (isIdName(c.name) && integers && missing === 0 && n >= 2 && allUnique(v)) out.type = 'id';
      else if (zeroOne && missing < n && min === 0 && max === 1) out.type = 'boolean';
      else out.type = 'numeric';
      break;
    }
    case 'boolean': {
      out.type = 'boolean';
      for (let i = 0; i < c.values.length; i++) if (c.values[i] < 0) out.nullable = true;
      break;
    }
    case 'categorical':
    case 'text': {
      // The distinct values (how often each occurs does not matter here), and facts of each,
      // learnt once per distinct value: one Set insertion per row of a text column.
      const distinctValues = new Set<string>();
      let missing = 0;
      let spaces = false;
      let allDigits = true;
      let chars = 0;
      const see = (s: string) => {
        const before = distinctValues.size;
        distinctValues.add(s);
        if (distinctValues.size === before) return;
        chars += s.length;
        if (!spaces && /\s/.test(s)) spaces = true;
        if (allDigits && !/\d/.test(s)) allDigits = false;
      };
      if (c.type === 'categorical') {
        // Count codes first: one pass over an Int32Array, then one string per level in use.
        const perCode = new Int32Array(c.dictionary.length);
        for (let i = 0; i < n; i++) {
          const k = c.codes[i];
          if (k < 0) missing++;
          else perCode[k]++;
        }
        perCode.forEach((times, k) => {
          if (times > 0) see(c.dictionary[k]);
        });
      } else {
        for (let i = 0; i < n; i++) {
          const s = c.values[i];
          if (s === null) missing++;
          else see(s);
        }
      }
      out.nullable = missing > 0;
      const present = n - missing;
      const distinct = distinctValues.size;
      const unique = distinct === present && present > 0;
      // Two levels once trimmed and lower-cased ("Yes", "yes ", "NO"): only a handful of spellings
      // can make two; a column of thousands of distinct values is not looked at value by value.
      const levels =
        distinct <= MAX_BOOLEAN_SPELLINGS
          ? [...new Set([...distinctValues].map((s) => s.trim().toLowerCase()))]
          : [];
      if (levels.length === 2 && BOOLEAN_PAIRS.some((p) => levels.includes(p[0]) && levels.includes(p[1]))) {
        out.type = 'boolean';
      } else if (
        unique &&
        missing === 0 &&
        ((isIdName(c.name) && n >= 2) || (!spaces && allDigits && n >= 20))
      ) {
        out.type = 'id';
      } else if (looksLikeText(distinct, present, distinct ? chars / distinct : 0)) {
        out.type = 'text';
      } else {
        out.type = 'categorical';
      }
      if (c.type === 'categorical' && out.type !== 'id' && out.type !== 'text')
        out.categories = [...c.dictionary];
      break;
    }
  }
  const forced = options.types?.[c.name];
  if (forced) out.type = forced;
  return out;
}

/**
 * Range, missing count, and whether every present value is an integer / is 0 or 1. Its own
 * function (one array type, one loop shape) so that the JIT compiles it once for every column;
 * once both flags are false — after a few values, in most columns — a lighter loop finishes.
 */
function numericFacts(v: Float64Array): {
  min: number;
  max: number;
  missing: number;
  integers: boolean;
  zeroOne: boolean;
} {
  const n = v.length;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let missing = 0;
  let integers = true;
  let zeroOne = true;
  let i = 0;
  for (; i < n && (integers || zeroOne); i++) {
    const x = v[i];
    if (x !== x) {
      missing++;
      continue;
    }
    if (x < min) min = x;
    if (x > max) max = x;
    if (integers && !Number.isInteger(x)) integers = false;
    if (zeroOne && x !== 0 && x !== 1) zeroOne = false;
  }
  // The common case first: x >= min (false for NaN, which lands in the last branch). Branches
  // in this order run about twice as fast as testing NaN first.
  for (; i < n; i++) {
    const x = v[i];
    if (x >= min) {
      if (x > max) max = x;
    } else if (x < min) {
      min = x;
      if (x > max) max = x;
    } else missing++;
  }
  return { min, max, missing, integers, zeroOne };
}

function allUnique(v: Float64Array): boolean {
  const s = Float64Array.from(v).sort();
  for (let i = 1; i < s.length; i++) if (s[i] === s[i - 1]) return false;
  return true;
}
