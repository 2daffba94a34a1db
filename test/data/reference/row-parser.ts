// Test oracle: a frozen copy of the CSV reader as it was before the byte-level rewrite (commit
// 4893f7f, src/data/read/), kept only so test/data/csv-equivalence.test.ts can check that the
// current reader gives the same tables, line numbers, rejected rows and errors. Not shipped.
/**
 * Turns text fields into typed column values, one row at a time, in two phases — parse every
 * field of the row into scratch space, then commit — so a row whose value fails to parse leaves
 * no trace in the columns (it is rejected whole, never half-loaded and never a silent null).
 *
 * @module
 */

import type { Column, ColumnType } from '../../../src/data/column.ts';
import {
  type DatetimeFormat,
  type MissingTokens,
  parseBooleanLiteral,
  parseBooleanWord,
  parseDatetime,
  parseNumber,
  sniffDatetimeFormat,
} from '../../../src/data/read/values.ts';
import {
  F64Builder,
  finishStrings,
  hasLeadingZero,
  I8Builder,
  promoteStrings,
  StringBuilder,
} from './builders.ts';
import type { CsvScanner } from './csv-scanner.ts';

/** How one column's text is parsed. */
export interface FieldType {
  kind: 'numeric' | 'boolean' | 'datetime' | 'string';
  /** For datetime: the format. */
  format?: DatetimeFormat;
  /** For boolean: also accept yes/no, y/n, t/f, 1/0 (when a schema asked for a boolean). */
  words?: boolean;
  /** For string: the storage a schema forces (else chosen by cardinality). */
  storage?: 'categorical' | 'text';
  /** The sample had no values for this column: re-type it from all its values at the end. */
  unsniffed?: boolean;
  /** The type comes from a schema (for messages). */
  fromSchema?: boolean;
}

/** The longest integer (in digits) kept as a number; longer ones (card numbers, ids) stay text. */
const MAX_INT_DIGITS = 15;

function tooManyDigits(s: string): boolean {
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) d++;
    else if (c === 46 || c === 101 || c === 69) return false;
  }
  return d > MAX_INT_DIGITS;
}

/**
 * How many sample values may fail a type and the column still get it (the failing rows then
 * become bad rows — reported or quarantined, never nulled): at most 1% of the non-missing sample
 * values, and only when at least 20 values parse.
 */
export function toleratedFailures(count: number): number {
  return count >= 20 ? Math.floor(count * 0.01) : 0;
}

function countFails(values: readonly string[], ok: (s: string) => boolean, limit: number): number {
  let fails = 0;
  for (let i = 0; i < values.length; i++) if (!ok(values[i]) && ++fails > limit) return fails;
  return fails;
}

/**
 * Sniffs a column's type from sample values (missing values already removed): numeric when the
 * values parse as numbers (and none has a leading zero like "007" or more than 15 integer
 * digits), boolean when they are true/false, datetime when one format parses them, else string.
 * "Parse" allows {@link toleratedFailures} stray values, which then fail as bad rows.
 */
export function sniffFieldType(values: readonly string[]): FieldType {
  if (values.length === 0) return { kind: 'string', unsniffed: true };
  const limit = toleratedFailures(values.length);
  if (values.some((s) => hasLeadingZero(s) && parseNumber(s) !== undefined)) {
    // codes like "007" stay text
  } else if (countFails(values, (s) => parseNumber(s) !== undefined && !tooManyDigits(s), limit) <= limit) {
    return { kind: 'numeric' };
  }
  if (countFails(values, (s) => parseBooleanLiteral(s) >= 0, limit) <= limit) return { kind: 'boolean' };
  const distinct = [...new Set(values)];
  const probe = distinct.filter((s) => /^\s*\d/.test(s));
  if (probe.length > 0) {
    const format = sniffDatetimeFormat(probe);
    if (format && countFails(values, (s) => !Number.isNaN(parseDatetime(s, format)), limit) <= limit) {
      return { kind: 'datetime', format };
    }
  }
  return { kind: 'string' };
}

/** The field type a schema's storage asks for. */
export function fieldTypeForStorage(storage: ColumnType, format?: string): FieldType {
  switch (storage) {
    case 'numeric':
      return { kind: 'numeric', fromSchema: true };
    case 'boolean':
      return { kind: 'boolean', words: true, fromSchema: true };
    case 'datetime':
      return {
        kind: 'datetime',
        format: (format as DatetimeFormat | undefined) ?? '%Y-%m-%d',
        fromSchema: true,
      };
    case 'categorical':
    case 'text':
      return { kind: 'string', storage, fromSchema: true };
  }
}

/** Whether `s` parses as `t` (missing values count as parsing). */
export function parsesAs(s: string, t: FieldType, missing: MissingTokens): boolean {
  if (missing.has(s)) return true;
  switch (t.kind) {
    case 'numeric':
      return parseNumber(s) !== undefined;
    case 'boolean':
      return (t.words ? parseBooleanWord(s) : parseBooleanLiteral(s)) >= 0;
    case 'datetime':
      return !Number.isNaN(parseDatetime(s, t.format ?? '%Y-%m-%d'));
    case 'string':
      return true;
  }
}

/** What a failed row reports: the column and the reason. */
export interface FieldFailure {
  column: string;
  reason: string;
}

const NUM = 0;
const BOOL = 1;
const DATE = 2;
const STR = 3;

/** Parses rows of text fields into typed column builders. */
export class RowParser {
  private readonly kinds: Int8Array;
  private readonly num: (F64Builder | null)[];
  private readonly bool: (I8Builder | null)[];
  private readonly str: (StringBuilder | null)[];
  private readonly scratch: Float64Array;
  private readonly isMissing: Uint8Array;
  private readonly strs: string[];
  /** Rows committed so far. */
  rows = 0;

  /**
   * A parser for columns `names` of types `types`, with `missing` tokens; `capacity` is the
   * expected row count (the builders grow past it if needed).
   */
  constructor(
    readonly names: readonly string[],
    readonly types: readonly FieldType[],
    private readonly missing: MissingTokens,
    capacity = 1024,
  ) {
    const n = names.length;
    this.kinds = new Int8Array(n);
    this.num = [];
    this.bool = [];
    this.str = [];
    types.forEach((t, j) => {
      const k = t.kind === 'numeric' ? NUM : t.kind === 'boolean' ? BOOL : t.kind === 'datetime' ? DATE : STR;
      this.kinds[j] = k;
      this.num.push(k === NUM || k === DATE ? new F64Builder(capacity) : null);
      this.bool.push(k === BOOL ? new I8Builder(capacity) : null);
      this.str.push(k === STR ? new StringBuilder(capacity) : null);
    });
    this.scratch = new Float64Array(n);
    this.isMissing = new Uint8Array(n);
    this.strs = new Array<string>(n).fill('');
  }

  /**
   * Parses one row (`fields[0..names.length)`) and appends it, or returns what failed (and
   * appends nothing).
   */
  add(fields: readonly string[]): FieldFailure | null {
    const n = this.kinds.length;
    const kinds = this.kinds;
    const scratch = this.scratch;
    const miss = this.isMissing;
    const missing = this.missing;
    // Phase 1: parse every field into scratch space; stop at the first failure.
    for (let j = 0; j < n; j++) {
      const s = fields[j];
      if (missing.has(s)) {
        miss[j] = 1;
        continue;
      }
      miss[j] = 0;
      switch (kinds[j]) {
        case NUM: {
          const v = parseNumber(s);
          if (v === undefined) return this.fail(j, `${quote(s)} is not a number`);
          scratch[j] = v;
          break;
        }
        case BOOL: {
          const t = this.types[j];
          const b = t.words ? parseBooleanWord(s) : parseBooleanLiteral(s);
          if (b < 0)
            return this.fail(
              j,
              `${quote(s)} is not a boolean (${t.words ? 'true/false, yes/no, 1/0' : 'true/false'})`,
            );
          scratch[j] = b;
          break;
        }
        case DATE: {
          const f = this.types[j].format ?? '%Y-%m-%d';
          const v = parseDatetime(s, f);
          if (v !== v) return this.fail(j, `${quote(s)} is not a date/time in the format ${f}`);
          scratch[j] = v;
          break;
        }
      }
    }
    // Phase 2: commit.
    for (let j = 0; j < n; j++) {
      switch (kinds[j]) {
        case NUM:
        case DATE:
          (this.num[j] as F64Builder).push(miss[j] ? Number.NaN : scratch[j]);
          break;
        case BOOL:
          (this.bool[j] as I8Builder).push(miss[j] ? -1 : scratch[j]);
          break;
        default:
          (this.str[j] as StringBuilder).push(miss[j] ? null : fields[j]);
      }
    }
    this.rows++;
    return null;
  }

  /**
   * {@link RowParser.add} for a record straight from the CSV scanner: numeric fields are parsed
   * from the buffer without creating strings (the common case: plain decimals).
   */
  addScanned(buf: string, sc: CsvScanner): FieldFailure | null {
    const n = this.kinds.length;
    const kinds = this.kinds;
    const scratch = this.scratch;
    const miss = this.isMissing;
    const strs = this.strs;
    const missing = this.missing;
    const starts = sc.starts;
    const ends = sc.ends;
    const quoted = sc.quoted;
    for (let j = 0; j < n; j++) {
      if (kinds[j] === NUM && quoted[j] === null) {
        const a = starts[j];
        const b = ends[j];
        if (a === b) {
          miss[j] = 1;
          continue;
        }
        const v = fastDecimal(buf, a, b);
        if (v === v) {
          miss[j] = 0;
          scratch[j] = v;
          continue;
        }
      }
      const s = sc.field(buf, j);
      strs[j] = s;
      if (missing.has(s)) {
        miss[j] = 1;
        continue;
      }
      miss[j] = 0;
      switch (kinds[j]) {
        case NUM: {
          const v = parseNumber(s);
          if (v === undefined) return this.fail(j, `${quote(s)} is not a number`);
          scratch[j] = v;
          break;
        }
        case BOOL: {
          const t = this.types[j];
          const b = t.words ? parseBooleanWord(s) : parseBooleanLiteral(s);
          if (b < 0) {
            return this.fail(
              j,
              `${quote(s)} is not a boolean (${t.words ? 'true/false, yes/no, 1/0' : 'true/false'})`,
            );
          }
          scratch[j] = b;
          break;
        }
        case DATE: {
          const f = this.types[j].format ?? '%Y-%m-%d';
          const v = parseDatetime(s, f);
          if (v !== v) return this.fail(j, `${quote(s)} is not a date/time in the format ${f}`);
          scratch[j] = v;
          break;
        }
      }
    }
    for (let j = 0; j < n; j++) {
      switch (kinds[j]) {
        case NUM:
        case DATE:
          (this.num[j] as F64Builder).push(miss[j] ? Number.NaN : scratch[j]);
          break;
        case BOOL:
          (this.bool[j] as I8Builder).push(miss[j] ? -1 : scratch[j]);
          break;
        default:
          (this.str[j] as StringBuilder).push(miss[j] ? null : strs[j]);
      }
    }
    this.rows++;
    return null;
  }

  private fail(j: number, reason: string): FieldFailure {
    const t = this.types[j];
    const why = t.fromSchema ? ' (as the schema says)' : ' (the type sniffed from the first rows)';
    return { column: this.names[j], reason: `${reason}, but the column is ${t.kind}${why}` };
  }

  /** The finished columns and the datetime formats used (by column name). */
  finish(): { columns: Column[]; formats: Record<string, string> } {
    const formats: Record<string, string> = {};
    const columns = this.names.map((name, j): Column => {
      const t = this.types[j];
      switch (this.kinds[j]) {
        case NUM:
          return { type: 'numeric', name, values: (this.num[j] as F64Builder).finish() };
        case DATE:
          formats[name] = t.format ?? '%Y-%m-%d';
          return { type: 'datetime', name, values: (this.num[j] as F64Builder).finish() };
        case BOOL:
          return { type: 'boolean', name, values: (this.bool[j] as I8Builder).finish() };
        default: {
          const b = this.str[j] as StringBuilder;
          if (t.unsniffed && !t.storage) {
            const p = promoteStrings(name, b);
            if (p.format) formats[name] = p.format;
            return p.column;
          }
          return finishStrings(name, b, t.storage);
        }
      }
    });
    return { columns, formats };
  }
}

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

/**
 * Parses a plain decimal (`-12.345`, `6e-3`) in `s[a, b)` without creating a string, or returns
 * NaN to send the caller to the general path. Exact: only when the digits fit in 2^53 and the
 * power of ten is at most 22 (Clinger's fast path), where one multiplication or division by an
 * exact power of ten rounds correctly — the same double as `Number(text)`.
 */
export function fastDecimal(s: string, a: number, b: number): number {
  let i = a;
  let neg = false;
  let c = s.charCodeAt(i);
  if (c === 45 || c === 43) {
    neg = c === 45;
    i++;
  }
  let m = 0;
  let digits = 0;
  let scale = 0;
  let seen = false;
  while (i < b) {
    c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    if (digits > 0 || c > 0) digits++;
    m = m * 10 + c;
    seen = true;
    i++;
  }
  if (i < b && s.charCodeAt(i) === 46) {
    i++;
    while (i < b) {
      c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (digits > 0 || c > 0) digits++;
      m = m * 10 + c;
      scale--;
      seen = true;
      i++;
    }
  }
  if (!seen || digits > 15) return Number.NaN;
  if (i < b) {
    c = s.charCodeAt(i);
    if (c !== 101 && c !== 69) return Number.NaN;
    i++;
    let eneg = false;
    c = s.charCodeAt(i);
    if (c === 45 || c === 43) {
      eneg = c === 45;
      i++;
    }
    let e = 0;
    const start = i;
    while (i < b) {
      c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return Number.NaN;
      e = e * 10 + c;
      if (e > 400) return Number.NaN;
      i++;
    }
    if (i === start) return Number.NaN;
    scale += eneg ? -e : e;
  }
  let v: number;
  if (m === 0) v = 0;
  else if (scale === 0) v = m;
  else if (scale > 0 && scale <= 22) v = m * POW10[scale];
  else if (scale < 0 && scale >= -22) v = m / POW10[-scale];
  else return Number.NaN;
  return neg ? -v : v;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}
