// Test oracle: a frozen copy of the CSV reader as it was before the byte-level rewrite (commit
// 4893f7f, src/data/read/), kept only so test/data/csv-equivalence.test.ts can check that the
// current reader gives the same tables, line numbers, rejected rows and errors. Not shipped.
/**
 * Growable typed-array column builders: the readers append values one row at a time into these
 * (no per-row objects) and turn them into {@link Column}s at the end.
 *
 * @module
 */

import type { Column } from '../../../src/data/column.ts';
import {
  type DatetimeFormat,
  parseBooleanLiteral,
  parseDatetime,
  parseNumber,
  sniffDatetimeFormat,
} from '../../../src/data/read/values.ts';

/** A growable Float64Array. */
export class F64Builder {
  private a: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.a = new Float64Array(Math.max(16, capacity));
  }
  /** Appends one value. */
  push(v: number): void {
    if (this.length === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = v;
  }
  /** The values, trimmed to length. */
  finish(): Float64Array {
    // Within 1/8 of capacity: a view (no copy); else a trimmed copy.
    return this.a.length - this.length <= this.a.length >> 3
      ? this.a.subarray(0, this.length)
      : this.a.slice(0, this.length);
  }
}

/** A growable Int32Array. */
export class I32Builder {
  private a: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.a = new Int32Array(Math.max(16, capacity));
  }
  /** Appends one value. */
  push(v: number): void {
    if (this.length === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = v;
  }
  /** The values, trimmed to length. */
  finish(): Int32Array {
    // Within 1/8 of capacity: a view (no copy); else a trimmed copy.
    return this.a.length - this.length <= this.a.length >> 3
      ? this.a.subarray(0, this.length)
      : this.a.slice(0, this.length);
  }
}

/** A growable Int8Array. */
export class I8Builder {
  private a: Int8Array;
  length = 0;
  constructor(capacity = 1024) {
    this.a = new Int8Array(Math.max(16, capacity));
  }
  /** Appends one value. */
  push(v: number): void {
    if (this.length === this.a.length) {
      const b = new Int8Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = v;
  }
  /** The values, trimmed to length. */
  finish(): Int8Array {
    // Within 1/8 of capacity: a view (no copy); else a trimmed copy.
    return this.a.length - this.length <= this.a.length >> 3
      ? this.a.subarray(0, this.length)
      : this.a.slice(0, this.length);
  }
}

/** Dictionary-encodes strings as they come (dictionary in order of first appearance). */
export class StringBuilder {
  readonly codes: I32Builder;
  readonly dictionary: string[] = [];
  private readonly index = new Map<string, number>();
  private chars = 0;
  constructor(capacity = 1024) {
    this.codes = new I32Builder(capacity);
  }
  /** Appends a string, or null for missing. */
  push(v: string | null): void {
    if (v === null) {
      this.codes.push(-1);
      return;
    }
    let k = this.index.get(v);
    if (k === undefined) {
      k = this.dictionary.length;
      this.dictionary.push(v);
      this.index.set(v, k);
      this.chars += v.length;
    }
    this.codes.push(k);
  }
  /** Number of values appended. */
  get length(): number {
    return this.codes.length;
  }
  /** Mean length of the distinct values. */
  meanLength(): number {
    return this.dictionary.length ? this.chars / this.dictionary.length : 0;
  }
}

/**
 * Whether a string column with `distinct` distinct values among `present` non-missing ones,
 * of mean length `meanLength`, is free text rather than a categorical: more than 50 distinct
 * values making up more than half of the values, or a mean length over 60 characters with
 * more than 20 distinct values.
 */
export function looksLikeText(distinct: number, present: number, meanLength: number): boolean {
  return (distinct > 50 && distinct > 0.5 * present) || (meanLength > 60 && distinct > 20);
}

/**
 * Finishes a string column: categorical (codes + dictionary), or text when
 * {@link looksLikeText} says so or `storage` forces it.
 */
export function finishStrings(name: string, b: StringBuilder, storage?: 'categorical' | 'text'): Column {
  const codes = b.codes.finish();
  let present = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) present++;
  const text = storage ? storage === 'text' : looksLikeText(b.dictionary.length, present, b.meanLength());
  if (!text) return { type: 'categorical', name, codes, dictionary: b.dictionary };
  const dict = b.dictionary;
  const values = new Array<string | null>(codes.length);
  for (let i = 0; i < codes.length; i++) values[i] = codes[i] < 0 ? null : dict[codes[i]];
  return { type: 'text', name, values };
}

/**
 * Re-types a string column whose type could not be sniffed (no values in the sample) from its
 * distinct values: numeric, boolean or datetime when every distinct value parses as such, else
 * a categorical/text column. Returns the column and the datetime format used, if any.
 */
export function promoteStrings(name: string, b: StringBuilder): { column: Column; format?: DatetimeFormat } {
  const dict = b.dictionary;
  const codes = b.codes.finish();
  if (dict.length > 0) {
    const nums = dict.map(parseNumber);
    if (nums.every((v) => v !== undefined) && !dict.some(hasLeadingZero)) {
      const out = new Float64Array(codes.length);
      for (let i = 0; i < codes.length; i++) out[i] = codes[i] < 0 ? Number.NaN : (nums[codes[i]] as number);
      return { column: { type: 'numeric', name, values: out } };
    }
    const bools = dict.map(parseBooleanLiteral);
    if (bools.every((v) => v >= 0)) {
      const out = new Int8Array(codes.length);
      for (let i = 0; i < codes.length; i++) out[i] = codes[i] < 0 ? -1 : bools[codes[i]];
      return { column: { type: 'boolean', name, values: out } };
    }
    const format = sniffDatetimeFormat(dict);
    if (format) {
      const ms = dict.map((s) => parseDatetime(s, format));
      const out = new Float64Array(codes.length);
      for (let i = 0; i < codes.length; i++) out[i] = codes[i] < 0 ? Number.NaN : ms[codes[i]];
      return { column: { type: 'datetime', name, values: out }, format };
    }
  }
  return { column: finishStrings(name, b) };
}

/**
 * True for number-like text with a leading zero before another digit ("007", "02134"): codes,
 * zip codes and identifiers, which the readers keep as text rather than lose the zeros.
 */
export function hasLeadingZero(s: string): boolean {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) === 32) i++;
  if (s.charCodeAt(i) === 45 || s.charCodeAt(i) === 43) i++;
  if (s.charCodeAt(i) !== 48) return false;
  const c = s.charCodeAt(i + 1);
  return c >= 48 && c <= 57;
}
