/**
 * Argument checks and conversions shared by the metrics: class labels to integer codes over the
 * sorted union of classes, scores and probability matrices to typed arrays, sample weights,
 * option values. Every failure is a {@link ValidationError} that names the argument and
 * suggests a fix. Internal to `src/metrics` (not re-exported).
 *
 * @module
 */

import { compareCodePoints } from '../core/code-points.ts';
import { show, ValidationError } from '../core/errors.ts';
import { type Label, type TargetInput, targetValues } from '../core/labels.ts';
import { asMatrix, isMatrix, type Matrix, type MatrixSource } from '../core/matrix.ts';
import { warn } from '../core/warnings.ts';

/** Class labels as metrics take them: strings or numbers (an array, typed array or column). */
export type LabelsInput = TargetInput | readonly boolean[];

/** A probability or score matrix: one row per sample, one column per class. */
export type ScoreMatrixInput = Matrix | MatrixSource | readonly (readonly number[])[];

/** Scores of the positive class (binary) or a score matrix (multiclass). */
export type ScoresInput = ArrayLike<number> | ScoreMatrixInput;

/** scikit-learn's `zero_division`: `'warn'` (0 and an `UndefinedMetricWarning`), `0` or `1`. */
export type ZeroDivision = 'warn' | 0 | 1;

/** Throws a {@link ValidationError} for argument `field` of metric `who`. */
export function fail(who: string, field: string, message: string, fix?: string, expected?: string): never {
  throw new ValidationError(`${who}: ${message}`, { field, fix, expected });
}

/** Checks that `value` is one of `allowed` (compared with `===`). */
export function checkOption<T>(who: string, field: string, value: unknown, allowed: readonly T[]): T {
  if (allowed.includes(value as T)) return value as T;
  const list = allowed.map((a) => (a === null ? 'null' : typeof a === 'string' ? `'${a}'` : String(a)));
  return fail(
    who,
    field,
    `${field} must be one of ${list.join(', ')}; got ${show(value)}.`,
    `pass ${field}: ${list[0]}`,
  );
}

/** Checks scikit-learn's `zero_division` values. */
export function checkZeroDivision(who: string, z: unknown): ZeroDivision {
  return checkOption<ZeroDivision>(who, 'zeroDivision', z, ['warn', 0, 1]);
}

/** Checks that two arrays have the same length. */
export function checkSameLength(who: string, n: number, m: number, fieldA: string, fieldB: string): void {
  if (n !== m) {
    fail(
      who,
      fieldB,
      `${fieldA} has ${n} values but ${fieldB} has ${m}.`,
      `pass one ${fieldB} value per ${fieldA} value`,
    );
  }
}

/** Throws when an input has no rows. */
export function checkNotEmpty(who: string, n: number, field: string): void {
  if (n === 0) {
    fail(who, field, `${field} is empty; the metric needs at least one sample.`, 'pass at least one sample');
  }
}

// ---------------------------------------------------------------------------------------------
// Class labels

interface RawLabels {
  field: string;
  n: number;
  kind: 'number' | 'string' | 'empty';
  /** Numeric labels (booleans as 0/1). */
  nums: Float64Array | null;
  /** String labels. */
  strs: ArrayLike<string> | null;
  /** Some numeric label is not an integer (scikit-learn's "continuous" target). */
  continuous: boolean;
}

/**
 * Reads one label array: every value a finite number, a boolean (as 0/1) or a string; never
 * missing, never a mix of numbers and strings.
 */
function readLabels(y: LabelsInput, who: string, field: string): RawLabels {
  if (y === null || y === undefined || typeof y !== 'object') {
    fail(who, field, `${field} must be an array of labels; got ${show(y)}.`, 'pass an array or typed array');
  }
  const v = targetValues(y as TargetInput); // booleans pass through as values
  const n = v.length;
  if (typeof n !== 'number') {
    fail(who, field, `${field} must be an array of labels; got ${show(y)}.`, 'pass an array or typed array');
  }
  if (n === 0) return { field, n, kind: 'empty', nums: null, strs: null, continuous: false };
  if (ArrayBuffer.isView(v)) {
    const nums = v instanceof Float64Array ? v : Float64Array.from(v as ArrayLike<number>);
    let continuous = false;
    for (let i = 0; i < n; i++) {
      const x = nums[i];
      if (x - x !== 0) badLabel(who, field, i, x);
      if (x !== Math.floor(x)) continuous = true;
    }
    return { field, n, kind: 'number', nums, strs: null, continuous };
  }
  const first = v[0];
  if (typeof first === 'string') {
    for (let i = 0; i < n; i++) {
      if (typeof v[i] !== 'string') badLabel(who, field, i, v[i], 'string');
    }
    return { field, n, kind: 'string', nums: null, strs: v as ArrayLike<string>, continuous: false };
  }
  const nums = new Float64Array(n);
  let continuous = false;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    let num: number;
    if (typeof x === 'number') num = x;
    else if (typeof x === 'boolean') num = x ? 1 : 0;
    else badLabel(who, field, i, x, 'number');
    if (num - num !== 0) badLabel(who, field, i, num);
    if (num !== Math.floor(num)) continuous = true;
    nums[i] = num;
  }
  return { field, n, kind: 'number', nums, strs: null, continuous };
}

function badLabel(who: string, field: string, i: number, x: unknown, expectedKind?: string): never {
  if (x === null || x === undefined || (typeof x === 'number' && Number.isNaN(x))) {
    fail(
      who,
      field,
      `${field}[${i}] is missing; every sample needs a label.`,
      'drop the rows with a missing label first',
    );
  }
  if (expectedKind && (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) {
    fail(
      who,
      field,
      `${field} mixes numbers and strings (${field}[0] is a ${expectedKind}, ${field}[${i}] = ${show(x)}).`,
      'convert every label to the same type, e.g. with String(label)',
    );
  }
  if (typeof x === 'number') {
    fail(who, field, `${field}[${i}] is ${x}; labels must be finite.`, 'drop or fix the infinite label');
  }
  if (Array.isArray(x) || ArrayBuffer.isView(x)) {
    fail(
      who,
      field,
      `${field}[${i}] is an array; ${field} must hold one label per sample (multilabel indicator matrices and column-shaped label arrays are not supported).`,
      'pass a flat array of labels (for one column, y.map((row) => row[0])); score a multilabel target one column at a time',
    );
  }
  const kind = x === null || typeof x !== 'object' ? `a ${typeof x}` : 'an object';
  fail(
    who,
    field,
    `${field}[${i}] is ${kind}; labels must be strings or numbers.`,
    'convert every label to a string or a number',
  );
}

/** Labels of one or more arrays encoded over the sorted union of their classes. */
export interface EncodedLabels {
  /** Sorted union of the classes (numbers numerically, strings by code point), as `np.unique`. */
  classes: Label[];
  /** Whether the labels are numbers or strings (`'number'` when every input is empty). */
  kind: 'number' | 'string';
  /** One code array per input: `classes[codes[i]]` is the label of sample i. */
  codes: Int32Array[];
  /** Some numeric label is not an integer. */
  continuous: boolean;
}

/**
 * Encodes several label arrays over the sorted union of their classes. Numbers and strings may
 * not be mixed (scikit-learn raises too). `continuous` decides what happens to non-integer
 * numbers: `'error'` (classification metrics) or `'warn'` (clustering metrics, as scikit-learn).
 */
export function encodeLabelArrays(
  inputs: readonly { y: LabelsInput; field: string }[],
  who: string,
  continuous: 'error' | 'warn' | 'allow' = 'error',
): EncodedLabels {
  const raws = inputs.map(({ y, field }) => readLabels(y, who, field));
  let kind: 'number' | 'string' | 'empty' = 'empty';
  let kindField = '';
  for (const r of raws) {
    if (r.kind === 'empty') continue;
    if (kind === 'empty') {
      kind = r.kind;
      kindField = r.field;
    } else if (kind !== r.kind) {
      fail(
        who,
        r.field,
        `${kindField} holds ${kind}s but ${r.field} holds ${r.kind}s; labels must be of the same type.`,
        'convert both to the same type, e.g. String(label) for every label',
      );
    }
  }
  const isContinuous = raws.some((r) => r.continuous);
  if (isContinuous && continuous === 'error') {
    const r = raws.find((x) => x.continuous)!;
    const i = r.nums!.findIndex((x) => x !== Math.floor(x));
    fail(
      who,
      r.field,
      `${r.field}[${i}] = ${r.nums![i]} is not a class label: classification metrics can't handle continuous targets.`,
      'pass class labels (integers or strings); for continuous targets use a regression metric',
    );
  }
  if (kind === 'string') return encodeStrings(raws, isContinuous);
  return encodeNumbers(raws, isContinuous);
}

function encodeStrings(raws: RawLabels[], continuous: boolean): EncodedLabels {
  const index = new Map<string, number>();
  for (const r of raws) {
    const s = r.strs;
    if (!s) continue;
    for (let i = 0; i < r.n; i++) if (!index.has(s[i])) index.set(s[i], index.size);
  }
  const classes = [...index.keys()].sort(compareCodePoints);
  const remap = new Int32Array(classes.length);
  classes.forEach((c, k) => {
    remap[index.get(c)!] = k;
  });
  const codes = raws.map((r) => {
    const out = new Int32Array(r.n);
    const s = r.strs;
    for (let i = 0; i < r.n; i++) out[i] = remap[index.get(s![i])!];
    return out;
  });
  return { classes, kind: 'string', codes, continuous };
}

function encodeNumbers(raws: RawLabels[], continuous: boolean): EncodedLabels {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let total = 0;
  for (const r of raws) {
    const x = r.nums;
    if (!x) continue;
    total += r.n;
    for (let i = 0; i < r.n; i++) {
      const v = x[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (total === 0)
    return { classes: [], kind: 'number', codes: raws.map(() => new Int32Array(0)), continuous };
  const range = max - min;
  if (!continuous && range <= 8 * total + 1024) {
    // Small integer range: a lookup table instead of a hash map (the common 0..k-1 labels).
    const table = new Int32Array(range + 1);
    for (const r of raws) {
      const x = r.nums;
      if (!x) continue;
      for (let i = 0; i < r.n; i++) table[x[i] - min] = 1;
    }
    const classes: number[] = [];
    for (let k = 0; k <= range; k++) {
      if (table[k]) {
        table[k] = classes.length;
        classes.push(k + min === 0 ? 0 : k + min);
      }
    }
    const codes = raws.map((r) => {
      const out = new Int32Array(r.n);
      const x = r.nums;
      for (let i = 0; i < r.n; i++) out[i] = table[x![i] - min];
      return out;
    });
    return { classes, kind: 'number', codes, continuous };
  }
  const index = new Map<number, number>();
  for (const r of raws) {
    const x = r.nums;
    if (!x) continue;
    for (let i = 0; i < r.n; i++) if (!index.has(x[i])) index.set(x[i], index.size);
  }
  const classes = [...index.keys()].sort((a, b) => a - b).map((c) => (c === 0 ? 0 : c));
  const remap = new Int32Array(classes.length);
  classes.forEach((c, k) => {
    remap[index.get(c)!] = k;
  });
  const codes = raws.map((r) => {
    const out = new Int32Array(r.n);
    const x = r.nums;
    for (let i = 0; i < r.n; i++) out[i] = remap[index.get(x![i])!];
    return out;
  });
  return { classes, kind: 'number', codes, continuous };
}

/** `yTrue` and `yPred` of a classification metric, encoded over the union of their classes. */
export interface ClassificationTargets {
  classes: Label[];
  kind: 'number' | 'string';
  yTrue: Int32Array;
  yPred: Int32Array;
  n: number;
  /** scikit-learn's target type: `'binary'` when the union has at most two classes. */
  type: 'binary' | 'multiclass';
}

/** Checks and encodes the `(yTrue, yPred)` pair of a classification metric. */
export function classificationTargets(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  who: string,
  allowEmpty = false,
  fields: readonly [string, string] = ['yTrue', 'yPred'],
): ClassificationTargets {
  const enc = encodeLabelArrays(
    [
      { y: yTrue, field: fields[0] },
      { y: yPred, field: fields[1] },
    ],
    who,
  );
  const [t, p] = enc.codes;
  checkSameLength(who, t.length, p.length, fields[0], fields[1]);
  if (!allowEmpty) checkNotEmpty(who, t.length, fields[0]);
  return {
    classes: enc.classes,
    kind: enc.kind,
    yTrue: t,
    yPred: p,
    n: t.length,
    type: enc.classes.length <= 2 ? 'binary' : 'multiclass',
  };
}

/** A label as the labelings hold it: a boolean is 0 or 1 (booleans in yTrue/yPred are 0/1). */
export function asLabel(l: Label | boolean): Label {
  return typeof l === 'boolean' ? Number(l) : l;
}

/** {@link asLabel} for an optional label option such as `posLabel`. */
export function asLabelOption(l: Label | boolean | null | undefined): Label | null | undefined {
  return typeof l === 'boolean' ? Number(l) : l;
}

/** {@link asLabel} over a `labels` option (anything but an array is left for its own check). */
export function asLabelsOption(
  ls: readonly (Label | boolean)[] | null | undefined,
  who: string,
): readonly Label[] | null | undefined {
  if (ls !== null && ls !== undefined && !Array.isArray(ls)) {
    fail(
      who,
      'labels',
      `labels must be an array of class labels; got ${show(ls)}.`,
      'pass e.g. labels: [0, 1]',
    );
  }
  return Array.isArray(ls) ? ls.map(asLabel) : (ls as readonly Label[] | null | undefined);
}

/**
 * The code of `label` among `classes` (−1 when absent). A boolean is 0 or 1, as booleans in the
 * labelings are. A label of the other type (a number for string labels or the reverse) is an
 * error unless `lenient`: it can never match, and is almost always a mistake such as
 * `posLabel: 1` for labels read as strings.
 */
export function codeOf(
  classes: readonly Label[],
  kind: 'number' | 'string',
  given: Label | boolean,
  who: string,
  field: string,
  lenient = false,
): number {
  const label: Label = typeof given === 'boolean' ? Number(given) : given;
  const t = typeof label;
  if (t !== 'number' && t !== 'string') {
    fail(who, field, `${field} must be a string or a number; got ${show(label)}.`);
  }
  if (t !== kind && classes.length > 0) {
    if (lenient) return -1;
    fail(
      who,
      field,
      `${field} = ${show(label)} is a ${t} but the labels are ${kind}s (${previewLabels(classes)}).`,
      `pass ${field} as a ${kind}, e.g. ${show(classes[classes.length - 1])}`,
    );
  }
  // Classes are sorted: binary search keeps label lookups cheap for many classes.
  let lo = 0;
  let hi = classes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = classes[mid];
    if (c === label) return mid;
    // The classes' own order: numbers numerically, strings by code point.
    if (kind === 'number' ? c < label : compareCodePoints(c as string, label as string) < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** A short rendering of a list of labels for messages. */
export function previewLabels(classes: readonly Label[], max = 8): string {
  const shown = classes.slice(0, max).map((c) => show(c));
  return `${shown.join(', ')}${classes.length > max ? `, … (${classes.length} in all)` : ''}`;
}

/**
 * The codes of a user-given `labels` option among `classes` (−1 for labels absent from the
 * data). Duplicates and a type different from the data's are errors.
 */
export function labelsOption(
  labels: readonly (Label | boolean)[],
  classes: readonly Label[],
  kind: 'number' | 'string',
  who: string,
): Int32Array {
  if (!Array.isArray(labels)) fail(who, 'labels', `labels must be an array; got ${show(labels)}.`);
  const out = new Int32Array(labels.length);
  const seen = new Set<Label>();
  for (let i = 0; i < labels.length; i++) {
    const l = typeof labels[i] === 'boolean' ? Number(labels[i]) : (labels[i] as Label);
    if (seen.has(l)) {
      fail(who, 'labels', `labels lists ${show(l)} twice.`, 'pass each label once');
    }
    seen.add(l);
    out[i] = codeOf(classes, kind, l, who, `labels[${i}]`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scores, probabilities, weights

/** True for a matrix-shaped score input (a Matrix, a Table, or an array of rows). */
export function isScoreMatrix(x: unknown): x is ScoreMatrixInput {
  if (isMatrix(x)) return true;
  if (Array.isArray(x)) return x.length > 0 && Array.isArray(x[0]);
  return typeof x === 'object' && x !== null && typeof (x as MatrixSource).toMatrix === 'function';
}

/** A 1-D score array of `n` finite numbers as a Float64Array (not copied when it is one). */
export function asScores(y: unknown, n: number, who: string, field: string): Float64Array {
  if (isScoreMatrix(y)) {
    const m = asScoreMatrix(y, n, who, field);
    if (m.cols !== 1) {
      fail(
        who,
        field,
        `${field} has ${m.cols} columns; this metric takes one score per sample.`,
        'pass the scores of the positive class (e.g. the last column of predictProba)',
      );
    }
    return m.data;
  }
  if (y === null || y === undefined || typeof (y as ArrayLike<number>).length !== 'number') {
    fail(who, field, `${field} must be an array of numbers; got ${show(y)}.`);
  }
  const a = y as ArrayLike<number>;
  checkSameLength(who, n, a.length, 'yTrue', field);
  const out = a instanceof Float64Array ? a : new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'number' || v - v !== 0) {
      fail(
        who,
        field,
        `${field}[${i}] is ${show(v)}; scores must be finite numbers.`,
        'drop or impute the rows with missing scores',
      );
    }
    if (out !== a) out[i] = v;
  }
  return out;
}

/** A score/probability matrix with `n` rows of finite numbers. */
export function asScoreMatrix(x: unknown, n: number, who: string, field: string): Matrix {
  const m = asFiniteMatrix(x, who, field);
  checkSameLength(who, n, m.rows, 'yTrue', `${field} (rows)`);
  return m;
}

/** Any matrix input (Matrix, Table, array of rows) as a {@link Matrix} of finite numbers. */
export function asFiniteMatrix(x: unknown, who: string, field: string): Matrix {
  let m: Matrix;
  try {
    m = asMatrix(x as ScoreMatrixInput, field);
  } catch (e) {
    if (e instanceof ValidationError) fail(who, field, e.message);
    throw e;
  }
  const d = m.data;
  for (let k = 0; k < d.length; k++) {
    const v = d[k];
    if (v - v !== 0) {
      fail(
        who,
        field,
        `${field} row ${Math.floor(k / m.cols)}, column ${k % m.cols} is ${v}; scores must be finite.`,
        'drop or impute the rows with missing scores',
      );
    }
  }
  return m;
}

/**
 * Sample weights: `n` finite, non-negative numbers, or `null` when not given. (scikit-learn lets
 * negative weights through; they have no meaning for a metric, so Lathe rejects them.)
 */
export function asSampleWeight(
  w: ArrayLike<number> | null | undefined,
  n: number,
  who: string,
): Float64Array | null {
  if (w === undefined || w === null) return null;
  if (typeof w.length !== 'number') fail(who, 'sampleWeight', `sampleWeight must be an array of numbers.`);
  checkSameLength(who, n, w.length, 'yTrue', 'sampleWeight');
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = w[i];
    if (typeof v !== 'number' || !(v >= 0) || v === Number.POSITIVE_INFINITY) {
      fail(
        who,
        'sampleWeight',
        `sampleWeight[${i}] is ${show(v)}; weights must be finite and ≥ 0.`,
        'pass one finite, non-negative weight per sample',
      );
    }
    out[i] = v;
  }
  return out;
}

/**
 * Sample weights for a curve metric: as {@link asSampleWeight}, and not all zero (every sample
 * would be dropped; scikit-learn then fails on the empty curve).
 */
export function asCurveWeight(
  w: ArrayLike<number> | null | undefined,
  n: number,
  who: string,
): Float64Array | null {
  const out = asSampleWeight(w, n, who);
  if (out && !out.some((v) => v > 0)) {
    fail(
      who,
      'sampleWeight',
      'every sample weight is 0, so no sample is left to score.',
      'give some sample a positive weight',
    );
  }
  return out;
}

/** Throws when weights sum to zero (scikit-learn: "Weights sum to zero, can't be normalized"). */
export function checkWeightSum(who: string, total: number, field = 'sampleWeight'): void {
  if (total === 0) {
    fail(
      who,
      field,
      `${field} sums to zero, so the weighted average is undefined.`,
      'give some sample a positive weight',
    );
  }
}

/**
 * scikit-learn's `_check_pos_label_consistency`: without `posLabel`, numeric labels must be a
 * subset-shape of {0, 1} or {-1, 1} ({0, 1}, {-1, 1}, {0}, {-1}, {1}); anything else needs an
 * explicit `posLabel`. Returns the positive label.
 */
export function resolvePosLabel(
  posLabel: Label | null | undefined,
  present: readonly Label[],
  kind: 'number' | 'string',
  who: string,
): Label {
  if (posLabel !== null && posLabel !== undefined) return posLabel;
  const key = present.join(',');
  const ok =
    kind === 'number' && (key === '0,1' || key === '-1,1' || key === '0' || key === '-1' || key === '1');
  if (!ok) {
    const shown = present.map((c) => (typeof c === 'string' ? `'${c}'` : String(c))).join(', ');
    fail(
      who,
      'posLabel',
      `yTrue takes values in {${shown}} and posLabel is not given.`,
      'make yTrue take values in {0, 1} or {-1, 1}, or pass posLabel explicitly',
    );
  }
  return 1;
}

/**
 * A label or option value as Python's `repr` prints it (strings in single quotes, booleans as
 * `True` / `False`), for scikit-learn's messages.
 */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

/** Emits scikit-learn's `UndefinedMetricWarning`. */
export function undefinedMetric(message: string): void {
  warn('UndefinedMetricWarning', message);
}
