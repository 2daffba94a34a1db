/**
 * Argument checks shared by the statistics functions: samples (missing values dropped, sizes
 * checked), alternatives, confidence levels. Every failure is a {@link ValidationError} that
 * names the argument, says what was expected and what came, and how to fix it.
 *
 * @module
 */

import { show, ValidationError } from '../core/errors.ts';

/** The alternative hypothesis of a test. */
export type Alternative = 'two-sided' | 'less' | 'greater';

const ALTERNATIVES: readonly Alternative[] = ['two-sided', 'less', 'greater'];

/** `alternative`, checked (default 'two-sided'). */
export function checkAlternative(alternative: unknown, who: string): Alternative {
  const a = alternative ?? 'two-sided';
  if (!ALTERNATIVES.includes(a as Alternative)) {
    throw new ValidationError(`${who}: unknown alternative ${JSON.stringify(a)}.`, {
      field: 'alternative',
      expected: "'two-sided', 'less' or 'greater'",
      actual: a,
      fix: "pass alternative: 'two-sided' (default), 'less' or 'greater'",
    });
  }
  return a as Alternative;
}

/** A confidence level in (0, 1), checked (default 0.95). */
export function checkLevel(level: unknown, who: string): number {
  const l = level ?? 0.95;
  if (typeof l !== 'number' || !(l > 0 && l < 1)) {
    throw new ValidationError(`${who}: the confidence level must be in (0, 1); got ${String(l)}.`, {
      field: 'confidenceLevel',
      expected: 'a number in (0, 1)',
      actual: l,
      fix: 'pass e.g. confidenceLevel: 0.95',
    });
  }
  return l;
}

/** One of `choices`, checked. */
export function checkChoice<T extends string>(
  value: unknown,
  choices: readonly T[],
  field: string,
  who: string,
  fallback: T,
): T {
  const v = value ?? fallback;
  if (!choices.includes(v as T)) {
    throw new ValidationError(`${who}: unknown ${field} ${JSON.stringify(v)}.`, {
      field,
      expected: choices.map((c) => `'${c}'`).join(', '),
      actual: v,
      fix: `pass ${field}: one of ${choices.join(', ')}`,
    });
  }
  return v as T;
}

/** Options of {@link sample}. */
export interface SampleOptions {
  /** Fewest non-missing values the computation needs (default 1). */
  min?: number;
  /** Whether ±Infinity is acceptable (rank-based tests); default false. */
  allowInfinite?: boolean;
  /** What the minimum is needed for, for the message. */
  reason?: string;
}

/**
 * The non-missing values of `x` (NaN dropped) as a new Float64Array, after checking it is an
 * array of numbers with at least `min` of them left and (unless allowed) no infinities.
 */
export function sample(
  x: ArrayLike<number>,
  field: string,
  who: string,
  options: SampleOptions = {},
): Float64Array {
  if (x === null || typeof x !== 'object' || typeof (x as ArrayLike<number>).length !== 'number') {
    throw new ValidationError(`${who}: ${field} must be an array of numbers; got ${typeof x}.`, {
      field,
      expected: 'an array of numbers (NaN for missing)',
      actual: x,
      fix: `pass ${field} as a number[] or Float64Array`,
    });
  }
  const n = x.length;
  const out = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (typeof v !== 'number') {
      throw new ValidationError(`${who}: ${field}[${i}] is ${typeof v} (${String(v)}), not a number.`, {
        field,
        expected: 'numbers (NaN for missing)',
        actual: v,
        fix: `convert ${field} to numbers first`,
      });
    }
    if (v !== v) continue;
    if (!options.allowInfinite && (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY)) {
      throw new ValidationError(`${who}: ${field}[${i}] is ${v}; this statistic needs finite values.`, {
        field,
        expected: 'finite numbers (NaN for missing)',
        actual: v,
        fix: `remove or replace the infinite values of ${field}`,
      });
    }
    out[m++] = v;
  }
  checkSize(m, options.min ?? 1, field, who, options.reason, n - m);
  return m === n ? out : out.slice(0, m);
}

/** Throws unless `n ≥ min`, naming the field and how many values were missing. */
export function checkSize(
  n: number,
  min: number,
  field: string,
  who: string,
  reason?: string,
  missing = 0,
): void {
  if (n >= min) return;
  const why = reason ? ` (${reason})` : '';
  const dropped = missing > 0 ? ` after dropping ${missing} missing value${missing === 1 ? '' : 's'}` : '';
  throw new ValidationError(
    `${who}: ${field} has ${n} value${n === 1 ? '' : 's'}${dropped}; at least ${min} ${min === 1 ? 'is' : 'are'} needed${why}.`,
    {
      field,
      expected: `at least ${min} non-missing values`,
      actual: n,
      fix: `pass more observations in ${field}`,
    },
  );
}

/**
 * Paired samples: the rows where both `x` and `y` are present (NaN in either drops the pair),
 * after checking the lengths agree.
 */
export function pairedSample(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  who: string,
  options: SampleOptions = {},
): { x: Float64Array; y: Float64Array } {
  const xs = sample(x, 'x', who, { ...options, min: 0 });
  const ys = sample(y, 'y', who, { ...options, min: 0 });
  if (x.length !== y.length) {
    throw new ValidationError(
      `${who}: x has ${x.length} values but y has ${y.length}; the samples are paired.`,
      {
        field: 'y',
        expected: `${x.length} values, one per value of x`,
        actual: y.length,
        fix: 'pass two arrays of the same length (missing values as NaN)',
      },
    );
  }
  const n = x.length;
  if (xs.length === n && ys.length === n) {
    checkSize(n, options.min ?? 1, 'x', who, options.reason);
    return { x: xs, y: ys };
  }
  const ox = new Float64Array(n);
  const oy = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const u = x[i];
    const v = y[i];
    if (u === u && v === v) {
      ox[m] = u;
      oy[m] = v;
      m++;
    }
  }
  checkSize(m, options.min ?? 1, 'the pairs (x, y)', who, options.reason, n - m);
  return { x: ox.slice(0, m), y: oy.slice(0, m) };
}

/** Throws when a finite number option is out of range. */
export function checkNumber(
  value: unknown,
  field: string,
  who: string,
  range: {
    min?: number;
    max?: number;
    minExclusive?: boolean;
    maxExclusive?: boolean;
    integer?: boolean;
  } = {},
): number {
  const v = value as number;
  const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = range;
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (range.minExclusive ? v > min : v >= min) &&
    (range.maxExclusive ? v < max : v <= max) &&
    (!range.integer || Number.isInteger(v));
  if (!ok) {
    const lo = Number.isFinite(min) ? `${range.minExclusive ? '>' : '≥'} ${min}` : '';
    const hi = Number.isFinite(max) ? `${range.maxExclusive ? '<' : '≤'} ${max}` : '';
    const expected = `${range.integer ? 'an integer' : 'a finite number'}${lo ? ` ${lo}` : ''}${lo && hi ? ' and' : ''}${hi ? ` ${hi}` : ''}`;
    throw new ValidationError(`${who}: ${field} must be ${expected}; got ${String(value)}.`, {
      field,
      expected,
      actual: value,
      fix: `pass ${field} as ${expected}`,
    });
  }
  return v;
}

/**
 * Checks that a sample is an array (or typed array) of numbers; NaN marks a missing value (null and
 * undefined are refused: the loops would read them as 0 and NaN). Runs before the numeric loops,
 * which would otherwise throw a TypeError on null or answer NaN for strings.
 */
export function checkSampleValues(x: unknown, who: string, name = 'x'): void {
  if (ArrayBuffer.isView(x)) return;
  if (!Array.isArray(x)) {
    throw new ValidationError(`${who}: ${name} must be an array of numbers; got ${show(x)}.`, {
      field: name,
      expected: 'an array or typed array of numbers',
      actual: x,
      fix: `pass ${name} as an array of numbers, e.g. [1.5, 2, 3]`,
    });
  }
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== 'number') {
      throw new ValidationError(`${who}: ${name}[${i}] is ${show(v)}, not a number.`, {
        field: name,
        expected: 'numbers (NaN for a missing value)',
        actual: v,
        fix: `convert ${name} to numbers first (NaN for a missing value), or drop the other values`,
      });
    }
  }
}

/** Checks that `x` is an array or typed array (of any values); the callers check the values. */
export function checkArrayArg(x: unknown, who: string, name: string): void {
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return;
  throw new ValidationError(`${who}: ${name} must be an array; got ${show(x)}.`, {
    field: name,
    expected: 'an array or typed array',
    actual: x,
    fix: `pass ${name} as an array with one value per case`,
  });
}
