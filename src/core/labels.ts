/**
 * Targets (`y`): regression targets as `Float64Array`, class labels encoded to integer codes with
 * the sorted list of classes (numbers numerically, strings lexicographically — as scikit-learn's
 * `np.unique`), and back.
 *
 * @module
 */

import { compareCodePoints } from './code-points.ts';
import { show, ValidationError } from './errors.ts';
import { unfilledFloat64 } from './unfilled.ts';

/** A class label. */
export type Label = string | number;

/** Anything that can give its values as an array (a Table column does). */
export interface ArraySource {
  toArray(): ArrayLike<Label | null>;
}

/** What estimators and metrics accept as `y`. */
export type TargetInput =
  | ArrayLike<number>
  | readonly Label[]
  | readonly boolean[]
  // A table column's values (`Table.values`): a missing value (null) is refused with its position.
  | readonly (Label | boolean | null)[]
  | ArraySource;

/** Integer codes (0..k-1) and the classes they stand for. */
export interface EncodedLabels {
  codes: Int32Array;
  classes: Label[];
}

function values(y: TargetInput): ArrayLike<unknown> {
  if (typeof y === 'object' && y !== null && typeof (y as ArraySource).toArray === 'function') {
    return (y as ArraySource).toArray();
  }
  return y as ArrayLike<unknown>;
}

/** Checks `y` has `n` entries, naming what mismatched. */
export function checkLength(y: ArrayLike<unknown>, n: number, who: string, what = 'y'): void {
  if (y === null || typeof y !== 'object' || typeof y.length !== 'number') {
    throw new ValidationError(
      `${who}: ${what} must be an array with one value per row of X; got ${show(y)}.`,
      {
        field: what,
        fix: `pass ${what} as an array (or typed array) of ${n} values`,
      },
    );
  }
  if (y.length !== n) {
    throw new ValidationError(`${who}: ${what} has ${y.length} values but X has ${n} rows.`, {
      field: what,
      fix: `pass one ${what} value per row of X`,
    });
  }
}

/** A target value for an error message: NaN and ±Infinity by name (JSON would write them null). */
function describeTargetValue(x: unknown): string {
  if (x === null || x === undefined) return 'missing';
  if (typeof x === 'number') return x !== x ? 'NaN (a missing value)' : String(x);
  return JSON.stringify(x);
}

/** A numeric target as Float64Array; missing or non-numeric values are errors. */
export function asNumericTarget(y: TargetInput, n: number, who: string, what = 'y'): Float64Array {
  const v = values(y);
  checkLength(v, n, who, what);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    const num = typeof x === 'number' ? x : typeof x === 'boolean' ? Number(x) : Number.NaN;
    if (!Number.isFinite(num)) {
      throw new ValidationError(
        `${who}: ${what}[${i}] is ${describeTargetValue(x)}; a numeric, finite target is required.`,
        { field: what, fix: 'drop rows whose target is missing, or pick a numeric target column' },
      );
    }
    out[i] = num;
  }
  return out;
}

/** Encodes class labels: codes in [0, k) and `classes` sorted as scikit-learn sorts them. */
export function encodeLabels(y: TargetInput, n: number, who: string, what = 'y'): EncodedLabels {
  const v = values(y);
  checkLength(v, n, who, what);
  const fast = encodeNumericLabels(y, n);
  if (fast) return fast;
  let allNumbers = true;
  const seen = new Map<Label, number>();
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x === null || x === undefined || (typeof x === 'number' && Number.isNaN(x))) {
      throw new ValidationError(`${who}: ${what}[${i}] is missing; every row needs a class label.`, {
        field: what,
        fix: 'drop rows whose target is missing before fitting',
      });
    }
    if (typeof x !== 'number' && typeof x !== 'string' && typeof x !== 'boolean') {
      throw new ValidationError(`${who}: ${what}[${i}] is a ${typeof x}; labels must be strings or numbers.`);
    }
    const key = typeof x === 'boolean' ? String(x) : x;
    if (typeof key !== 'number') allNumbers = false;
    if (!seen.has(key)) seen.set(key, seen.size);
  }
  const classes = sortLabels([...seen.keys()], allNumbers).map(compactLabel);
  const index = new Map<Label, number>();
  classes.forEach((c, i) => index.set(c, i));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i] as Label | boolean;
    codes[i] = index.get(typeof x === 'boolean' ? String(x) : x)!;
  }
  return { codes, classes };
}

/**
 * Sorts labels as scikit-learn does: numbers numerically, strings by code point (Python's order);
 * mixed numbers and strings sort as strings.
 */
export function sortLabels(
  labels: Label[],
  allNumbers = labels.every((l) => typeof l === 'number'),
): Label[] {
  if (allNumbers) return (labels as number[]).slice().sort((a, b) => a - b);
  return labels.map(String).sort(compareCodePoints);
}

/**
 * Codes of `y` against known `classes`; a label not among them is an error that names it.
 * Numbers and their string forms match (so "1" finds class 1 read from a CSV).
 */
export function encodeWithClasses(
  y: TargetInput,
  classes: readonly Label[],
  who: string,
  what = 'y',
): Int32Array {
  const v = values(y);
  const index = new Map<string, number>();
  classes.forEach((c, i) => index.set(String(c), i));
  const codes = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const code = index.get(String(v[i]));
    if (code === undefined) {
      throw new ValidationError(
        `${who}: ${what}[${i}] = ${JSON.stringify(v[i])} is not one of the classes seen in fit (${classes.map((c) => JSON.stringify(c)).join(', ')}).`,
        {
          field: what,
          fix: `keep only rows whose label is one of these, or fit on data that has every label`,
        },
      );
    }
    codes[i] = code;
  }
  return codes;
}

/** Labels for integer codes. */
export function decodeLabels(codes: ArrayLike<number>, classes: readonly Label[]): Label[] {
  const out = new Array<Label>(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = classes[codes[i]];
  return out;
}

/**
 * What a classifier's `predict` returns: the predicted classes in the classes' own type — a
 * `Float64Array` when the classes are numbers (as scikit-learn's `predict` returns a NumPy array
 * of `classes_`' dtype), strings otherwise (boolean classes as `'true'`/`'false'`).
 *
 * A typed array because it is cheap to make for many rows: a JavaScript array of more than
 * 16 384 elements is placed in fresh memory on every call (V8's large-object space), which cost
 * more than the scoring itself (see `bench/fresh-memory.ts`). Use `Array.from(pred)` where a plain
 * array is needed (`JSON.stringify` of a typed array writes an object, not a list).
 */
export type PredictedLabels = Float64Array | string[];

/** True when every class is a number (the classes are then all numbers or all strings). */
export function numericClasses(classes: readonly Label[]): boolean {
  for (let i = 0; i < classes.length; i++) if (typeof classes[i] !== 'number') return false;
  return true;
}

/**
 * The {@link PredictedLabels} for class indices `codes` into `classes`: `classes[codes[i]]` for
 * every row, as a `Float64Array` when the classes are numbers, strings otherwise.
 */
export function predictedLabels(codes: ArrayLike<number>, classes: readonly Label[]): PredictedLabels {
  const n = codes.length;
  if (numericClasses(classes)) {
    const values = Float64Array.from(classes as readonly number[]);
    const out = unfilledFloat64(n); // every element is written below
    for (let i = 0; i < n; i++) out[i] = values[codes[i]];
    return out;
  }
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = String(classes[codes[i]]);
  return out;
}

/**
 * Class labels in the form classifiers give their classes: `true`/`false` as the strings
 * `'true'`/`'false'` (as {@link encodeLabels} keeps boolean classes), other labels as they are —
 * so that a boolean truth compares with predictions.
 */
export function asClassLabels(y: ArrayLike<unknown>): Label[] {
  return Array.from(y, (v) => (typeof v === 'boolean' ? String(v) : v) as Label);
}

/** The plain values of a {@link TargetInput}. */
export function targetValues(y: TargetInput): ArrayLike<unknown> {
  return values(y);
}

/**
 * A fast path for numeric class labels (the common 0/1 or 0..k−1 target of large fits): the same
 * codes and sorted classes as {@link encodeLabels}, without a hash lookup per row. Returns null
 * whenever the input is not plain numbers with few distinct values (the general path then runs,
 * and reports bad labels).
 */
const MAX_FAST_CLASSES = 256;

/** Codes and classes of a numeric target, or null to use the general encoder. */
export function encodeNumericLabels(y: TargetInput, n: number): EncodedLabels | null {
  if (typeof (y as { toArray?: unknown }).toArray === 'function') return null;
  const v = y as ArrayLike<unknown>;
  if (v.length !== n) return null;
  const seen: number[] = [];
  const codes = new Int32Array(n);
  // Numeric typed arrays hold numbers only (not DataView or BigInt arrays).
  const typed = ArrayBuffer.isView(v) && !(v instanceof DataView) && typeof v[0] === 'number';
  let last = Number.NaN;
  let lastCode = -1;
  for (let i = 0; i < n; i++) {
    const x = v[i] as number;
    if (x === last) {
      codes[i] = lastCode; // the common case: same label as the previous row
      continue;
    }
    if ((!typed && typeof x !== 'number') || x !== x) return null;
    let code = -1;
    for (let c = 0; c < seen.length; c++) {
      if (seen[c] === x) {
        code = c;
        break;
      }
    }
    if (code < 0) {
      if (seen.length === MAX_FAST_CLASSES) return null;
      code = seen.length;
      seen.push(x);
    }
    codes[i] = code;
    last = x;
    lastCode = code;
  }
  const order = seen.map((_, i) => i).sort((a, b) => seen[a] - seen[b]);
  const remap = new Int32Array(seen.length);
  order.forEach((old, rank) => {
    remap[old] = rank;
  });
  for (let i = 0; i < n; i++) codes[i] = remap[codes[i]];
  return { codes, classes: order.map((i) => compactLabel(seen[i])) };
}

/**
 * A label as V8 stores it most compactly: an integral number in the 32-bit range becomes a small
 * integer instead of a heap double (same value: `x | 0 === x`). Classes read from a
 * `Float64Array` are doubles, and an array of predicted labels filled from double classes turns
 * into a double array part-way — a second copy of the whole array in fresh memory, which on a
 * million rows costs more than the prediction (measured: 16 MB of page faults instead of 8).
 */
function compactLabel(x: Label): Label {
  return typeof x === 'number' && (x | 0) === x && !Object.is(x, -0) ? x | 0 : x;
}
