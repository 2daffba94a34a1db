/**
 * Turns text fields into typed column values, one row at a time, in two phases — parse every
 * field of the row into scratch space, then commit — so a row whose value fails to parse leaves
 * no trace in the columns (it is rejected whole, never half-loaded and never a silent null).
 *
 * @module
 */

import type { Column, ColumnType } from '../column.ts';
import {
  F64Builder,
  finishStrings,
  hasLeadingZero,
  I8Builder,
  promoteStrings,
  StringBuilder,
} from './builders.ts';
import { ValueCounts } from './value-counts.ts';
import {
  DATETIME_FORMATS,
  type DatetimeFormat,
  datetimeExpected,
  fastDecimalBytes,
  type MissingTokens,
  parseBooleanLiteral,
  parseBooleanWord,
  parseDatetime,
  parseDatetimeOrIso,
  parseNumber,
  sniffDatetimeFormat,
} from './values.ts';

export { fastDecimal, fastDecimalBytes, scaleDecimal } from './values.ts';

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

/** True for number text with more than {@link MAX_INT_DIGITS} digits before any `.`/`e` (ids, card numbers). */
export function tooManyDigits(s: string): boolean {
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

/** True for a plain decimal's bytes with more than {@link MAX_INT_DIGITS} digits before any `.`/`e`. */
function tooManyDigitsBytes(b: Uint8Array, a: number, e: number): boolean {
  let d = 0;
  for (let i = a; i < e; i++) {
    const c = b[i];
    if (c >= 48 && c <= 57) d++;
    else if (c === 46 || c === 101 || c === 69) return false;
  }
  return d > MAX_INT_DIGITS;
}

/** {@link hasLeadingZero} over bytes. */
function hasLeadingZeroBytes(b: Uint8Array, a: number, e: number): boolean {
  let i = a;
  while (i < e && b[i] === 32) i++;
  if (i < e && (b[i] === 45 || b[i] === 43)) i++;
  if (i >= e || b[i] !== 48) return false;
  return i + 1 < e && b[i + 1] >= 48 && b[i + 1] <= 57;
}

/**
 * Sniffs a column's type from sample values (missing values already removed): numeric when the
 * values parse as numbers (and none has a leading zero like "007" or more than 15 integer
 * digits), boolean when they are true/false, datetime when one format parses them, else string.
 * "Parse" allows {@link toleratedFailures} stray values, which then fail as bad rows.
 */
export function sniffFieldType(values: readonly string[]): FieldType {
  const counts = new ValueCounts();
  for (const v of values) counts.addString(v);
  return sniffCounted(counts);
}

/**
 * {@link sniffFieldType} from the distinct values and their counts (what the CSV reader collects
 * from the sample's bytes). Plain decimals are judged from their bytes; other values are decoded
 * once each.
 */
export function sniffCounted(vc: ValueCounts): FieldType {
  if (vc.total === 0) return { kind: 'string', unsniffed: true };
  const limit = toleratedFailures(vc.total);
  const u = vc.size;
  const b = vc.arena;
  let leading = false;
  let fails = 0;
  for (let k = 0; k < u; k++) {
    const a = vc.start(k);
    const e = vc.end(k);
    let number: boolean;
    let zero: boolean;
    let long: boolean;
    const v = fastDecimalBytes(b, a, e);
    if (v === v) {
      number = true;
      zero = hasLeadingZeroBytes(b, a, e);
      long = tooManyDigitsBytes(b, a, e);
    } else {
      const s = vc.value(k);
      number = parseNumber(s) !== undefined;
      zero = hasLeadingZero(s);
      long = tooManyDigits(s);
    }
    if (zero && number) leading = true; // codes like "007" stay text
    if (!number || long) fails += vc.count(k);
  }
  if (!leading && fails <= limit) return { kind: 'numeric' };
  const failing = (ok: (s: string) => boolean) => {
    let n = 0;
    for (let k = 0; k < u && n <= limit; k++) if (!ok(vc.value(k))) n += vc.count(k);
    return n;
  };
  if (failing((s) => parseBooleanLiteral(s) >= 0) <= limit) return { kind: 'boolean' };
  // Datetime: the format with the fewest failures, when they are stray (within the limit). A
  // date-shaped value that is no calendar date (2024-02-31) is stray like 'notadate', not a reason
  // to read the whole column as text. On a tie the earlier format wins (month-first before day-first).
  const probe = vc.values().filter((s) => /^\s*\d/.test(s));
  if (probe.length > 0) {
    let best: { format: DatetimeFormat; fails: number } | undefined;
    for (const format of limit > 0 ? DATETIME_FORMATS : []) {
      const fails = failing((s) => !Number.isNaN(parseDatetime(s, format)));
      if (fails <= limit && (!best || fails < best.fails)) best = { format, fails };
    }
    const format = best?.format ?? sniffDatetimeFormat(probe);
    if (format && failing((s) => !Number.isNaN(parseDatetime(s, format))) <= limit) {
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
      return !Number.isNaN(parseDatetimeOrIso(s, t.format ?? '%Y-%m-%d'));
    case 'string':
      return true;
  }
}

/** What a failed row reports: the column and the reason. */
export interface FieldFailure {
  column: string;
  reason: string;
}

/** The failure of a value of column `name` (of type `t`): `reason`, and where the type came from. */
export function fieldFailure(name: string, t: FieldType, reason: string): FieldFailure {
  const why = t.fromSchema ? ' (as the schema says)' : ' (the type sniffed from the first rows)';
  return { column: name, reason: `${reason}, but the column is ${t.kind}${why}` };
}

/** Why `s` is not a value of type `t` (numeric, boolean or datetime), in the words of a bad-row reason. */
export function notAValue(s: string, t: FieldType): string {
  switch (t.kind) {
    case 'numeric':
      return `${quote(s)} is not a number`;
    case 'boolean':
      return `${quote(s)} is not a boolean (${t.words ? 'true/false, yes/no, 1/0' : 'true/false'})`;
    default:
      return `${quote(s)} is not a date/time ${datetimeExpected(t.format ?? '%Y-%m-%d')}`;
  }
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
          const v = parseDatetimeOrIso(s, f);
          if (v !== v) return this.fail(j, `${quote(s)} is not a date/time ${datetimeExpected(f)}`);
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

  private fail(j: number, reason: string): FieldFailure {
    return fieldFailure(this.names[j], this.types[j], reason);
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

/** A value for a message: JSON-quoted, cut to 60 characters. */
export function quote(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}
