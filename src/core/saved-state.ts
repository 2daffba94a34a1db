/**
 * Checks for fitted state read back from a saved model: lengths, integer ranges and finiteness
 * that fitting guarantees. A state that fails them comes from a damaged or edited file, and is
 * refused on load (a {@link ValidationError} naming the estimator and the field) rather than left
 * to predict wrong values or to crash deep inside predict.
 *
 * @module
 */

import { ValidationError } from './errors.ts';

/** The error for a saved state field that no fitted model can hold. */
export function damagedState(who: string, field: string, problem: string): ValidationError {
  return new ValidationError(
    `${who}: saved state field '${field}' ${problem}; the model package is damaged or was edited.`,
    { field, fix: 're-train the model, or restore the package from an unedited copy' },
  );
}

/** Throws unless `v` is an integer in [min, max]. */
export function checkInt(who: string, field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.POSITIVE_INFINITY ? `≥ ${min}` : `in ${min}..${max}`;
    throw damagedState(who, field, `is ${describe(v)}, not an integer ${range}`);
  }
  return v;
}

/** Throws unless `v` is a number (NaN allowed when `finite` is false). */
export function checkNumber(who: string, field: string, v: unknown, finite: boolean): number {
  if (typeof v !== 'number' || (finite && !Number.isFinite(v))) {
    throw damagedState(who, field, `is ${describe(v)}, not a ${finite ? 'finite ' : ''}number`);
  }
  return v;
}

/** Throws unless `a` has `n` elements. */
export function checkLength(
  who: string,
  field: string,
  a: ArrayLike<unknown>,
  n: number,
  what: string,
): void {
  if (a.length !== n) {
    throw damagedState(who, field, `has ${a.length} values, but the model needs ${n} (${what})`);
  }
}

/** Throws unless every element of `a` is finite. */
export function checkFinite(who: string, field: string, a: ArrayLike<number>): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw damagedState(
        who,
        field,
        `holds ${describe(v)} at index ${i}, where a fitted model has a finite number`,
      );
    }
  }
}

/** Throws unless every element of `a` is a number (NaN and ±Infinity allowed). */
export function checkNumbers(who: string, field: string, a: ArrayLike<unknown>): void {
  for (let i = 0; i < a.length; i++) {
    if (typeof a[i] !== 'number')
      throw damagedState(who, field, `holds ${describe(a[i])} at index ${i}, not a number`);
  }
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
  if (typeof v === 'number') return String(v);
  if (v === null || v === undefined) return String(v);
  return Array.isArray(v) || ArrayBuffer.isView(v) ? 'an array' : typeof v;
}

/** The saved `classes` of a classifier: at least `min` labels (strings or numbers). */
export function readClasses(
  who: string,
  state: { readonly [k: string]: unknown },
  min = 2,
): (string | number)[] {
  const v = state.classes;
  if (!Array.isArray(v) || !v.every((c) => typeof c === 'string' || typeof c === 'number')) {
    throw damagedState(who, 'classes', 'is missing or not an array of labels');
  }
  if (v.length < min)
    throw damagedState(who, 'classes', `has ${v.length} labels, fewer than the ${min} a fitted model has`);
  return v as (string | number)[];
}

/** A value test for {@link readVector} and {@link readRows}, with its description ("finite"). */
export interface ValueRule {
  test: (x: number) => boolean;
  what: string;
}

/** Finite numbers. */
export const FINITE: ValueRule = { test: Number.isFinite, what: 'a finite number' };

/** A Float64Array of `n` values, each passing `rule` when given. */
export function readVector(
  who: string,
  field: string,
  v: unknown,
  n: number,
  what: string,
  rule?: ValueRule,
): Float64Array {
  if (!(v instanceof Float64Array)) throw damagedState(who, field, 'is missing or not a Float64Array');
  checkLength(who, field, v, n, what);
  if (rule) checkValues(who, field, v, rule, '');
  return v;
}

/** An array of `nRows` Float64Array rows of `nCols` values, each passing `rule` when given. */
export function readRows(
  who: string,
  field: string,
  v: unknown,
  nRows: number,
  nCols: number,
  what: string,
  rule?: ValueRule,
): Float64Array[] {
  if (!Array.isArray(v) || !v.every((r) => r instanceof Float64Array)) {
    throw damagedState(who, field, 'is missing or not an array of Float64Array rows');
  }
  checkLength(who, field, v, nRows, what);
  (v as Float64Array[]).forEach((r, k) => {
    checkLength(who, field, r, nCols, `row ${k}: one per input feature`);
    if (rule) checkValues(who, field, r, rule, ` of row ${k}`);
  });
  return v as Float64Array[];
}

function checkValues(who: string, field: string, a: Float64Array, rule: ValueRule, where: string): void {
  for (let i = 0; i < a.length; i++) {
    if (!rule.test(a[i])) {
      throw damagedState(
        who,
        field,
        `holds ${a[i]} at index ${i}${where}, where a fitted model has ${rule.what}`,
      );
    }
  }
}
