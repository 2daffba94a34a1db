/**
 * Reading fitted state back from plain data: every field is checked for its type, so a damaged or
 * hand-edited model file gives a clear {@link ValidationError} rather than a wrong prediction.
 *
 * @module
 */

import type { ValidationError } from '../core/errors.ts';
import type { PlainObject, PlainValue } from '../core/plain.ts';
import { checkLength, damagedState, readVector, type ValueRule } from '../core/saved-state.ts';
import type { ColumnType } from '../data/column.ts';

interface Named {
  readonly typeName: string;
}

function bad(owner: Named, key: string, expected: string): ValidationError {
  return damagedState(owner.typeName, key, `is not ${expected}`);
}

/** `a` unchanged, or null (for state fields that may be absent). */
export function f64OrNull(a: Float64Array | null | undefined): Float64Array | null {
  return a ?? null;
}

/** A Float64Array field of one value per input column (`width`), each passing `rule` when given. */
export function readColumnStats(
  owner: Named,
  s: PlainObject,
  key: string,
  width: number,
  rule?: ValueRule,
): Float64Array {
  return readVector(owner.typeName, key, s[key], width, 'one per input column', rule);
}

/** {@link readColumnStats}, or null when the field is null. */
export function readColumnStatsOrNull(
  owner: Named,
  s: PlainObject,
  key: string,
  width: number,
  rule?: ValueRule,
): Float64Array | null {
  return s[key] === null ? null : readColumnStats(owner, s, key, width, rule);
}

/** Not negative: ≥ 0, +∞ or NaN (the statistic of a column with no values). */
export const NOT_NEGATIVE: ValueRule = { test: (x) => !(x < 0), what: 'a number ≥ 0 (or NaN)' };

/** An Int32Array field. */
export function readI32(owner: Named, s: PlainObject, key: string): Int32Array {
  const v = s[key];
  if (!(v instanceof Int32Array)) throw bad(owner, key, 'an Int32Array');
  return v;
}

/** A finite-or-NaN number field. */
export function readNumber(owner: Named, s: PlainObject, key: string): number {
  const v = s[key];
  if (typeof v !== 'number') throw bad(owner, key, 'a number');
  return v;
}

/** A string field. */
export function readString(owner: Named, s: PlainObject, key: string): string {
  const v = s[key];
  if (typeof v !== 'string') throw bad(owner, key, 'a string');
  return v;
}

/** An array of strings. */
export function readStrings(owner: Named, s: PlainObject, key: string): string[] {
  const v = s[key];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw bad(owner, key, 'an array of strings');
  return v as string[];
}

/** An array field whose elements `check` accepts. */
export function readArray<T>(
  owner: Named,
  s: PlainObject,
  key: string,
  check: (x: PlainValue) => boolean,
  expected: string,
): T[] {
  const v = s[key];
  if (!Array.isArray(v) || !v.every(check)) throw bad(owner, key, expected);
  return v as unknown as T[];
}

/** A plain-object field. */
export function readObject(owner: Named, s: PlainObject, key: string): PlainObject {
  const v = s[key];
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) {
    throw bad(owner, key, 'an object');
  }
  return v as PlainObject;
}

/**
 * An array of column indices into the `width` input columns (integers in 0..width-1): a damaged
 * or edited index would otherwise fail deep inside transform.
 */
export function readIndices(owner: Named, s: PlainObject, key: string, width: number): number[] {
  const v = readArray<number>(owner, s, key, (x) => typeof x === 'number', 'a list of column indices');
  v.forEach((j, i) => {
    if (!Number.isInteger(j) || j < 0 || j >= width) {
      throw damagedState(
        owner.typeName,
        key,
        `holds ${j} at index ${i}, not a column index in 0..${width - 1}`,
      );
    }
  });
  return v;
}

const COLUMN_TYPES: readonly string[] = ['numeric', 'categorical', 'boolean', 'datetime', 'text'];

/** The saved `inputTypes`: one known column type per input column (`width`). */
export function readInputTypes(owner: Named, s: PlainObject, width: number): ColumnType[] {
  const t = s.inputTypes;
  if (!Array.isArray(t) || !t.every((x) => typeof x === 'string' && COLUMN_TYPES.includes(x))) {
    throw damagedState(
      owner.typeName,
      'inputTypes',
      `is missing or not a list of column types (${COLUMN_TYPES.join(', ')})`,
    );
  }
  checkLength(owner.typeName, 'inputTypes', t, width, 'one per input column');
  return t as ColumnType[];
}

/** Throws unless the saved `inputTypes` has one type per input column. */
export function checkInputWidth(owner: Named, s: PlainObject, width: number): void {
  const t = s.inputTypes;
  if (Array.isArray(t)) checkLength(owner.typeName, 'inputTypes', t, width, 'one per input column');
}
