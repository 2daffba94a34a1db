/**
 * Shared input handling of the splitters: the number of rows of whatever X is, class codes of a
 * classification target, and group codes.
 *
 * @module
 */

import { compareCodePoints } from '../core/code-points.ts';
import { show, ValidationError } from '../core/errors.ts';
import { type Label, type TargetInput, targetValues } from '../core/labels.ts';
import { isMatrix } from '../core/matrix.ts';

/** What a splitter accepts as X: a row count, a Matrix, a Table or an array of rows. */
export type SplitX = number | { readonly rows: number } | { readonly nRows: number } | ArrayLike<unknown>;

/** The number of rows of `X`. */
export function rowCount(X: SplitX, who: string): number {
  let n: number;
  if (typeof X === 'number') n = X;
  else if (isMatrix(X)) n = X.rows;
  else if (typeof X === 'object' && X !== null && typeof (X as { nRows?: unknown }).nRows === 'number') {
    n = (X as { nRows: number }).nRows;
  } else if (typeof X === 'object' && X !== null && typeof (X as ArrayLike<unknown>).length === 'number') {
    n = (X as ArrayLike<unknown>).length;
  } else {
    throw new ValidationError(
      `${who}: X must be a row count, a Matrix, a Table or an array; got ${show(X)}.`,
      {
        field: 'X',
      },
    );
  }
  if (!Number.isInteger(n) || n < 0) {
    throw new ValidationError(`${who}: the number of rows must be a non-negative integer; got ${show(n)}.`, {
      field: 'X',
    });
  }
  return n;
}

/** Distinct values sorted as `np.unique` sorts them, and the code of each entry. */
export interface Codes {
  codes: Int32Array;
  levels: Label[];
}

/**
 * Codes of labels (or groups) in sorted order of the distinct values. Missing values are an error
 * that names `field`; numbers and strings sort as scikit-learn does (numbers numerically).
 */
export function encodeValues(values: ArrayLike<unknown>, field: string, who: string): Codes {
  const n = values.length;
  let allNumbers = true;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
      throw new ValidationError(`${who}: ${field}[${i}] is missing; every row needs a value.`, {
        field,
        fix: `drop or fill rows whose ${field} is missing`,
      });
    }
    if (typeof v !== 'number') allNumbers = false;
  }
  // Mixed numbers and strings sort as strings (as np.unique on an object array of str would).
  const keyOf = (v: unknown): Label => (allNumbers ? (v as number) : String(v));
  const index = new Map<Label, number>();
  for (let i = 0; i < n; i++) {
    const k = keyOf(values[i]);
    if (!index.has(k)) index.set(k, 0);
  }
  const levels = [...index.keys()];
  if (allNumbers) (levels as number[]).sort((a, b) => a - b);
  else (levels as string[]).sort(compareCodePoints);
  levels.forEach((l, i) => index.set(l, i));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = index.get(keyOf(values[i]))!;
  return { codes, levels };
}

/**
 * Class codes of a classification target for stratification; a continuous numeric target is an
 * error (as scikit-learn's "Supported target types are: ('binary', 'multiclass')").
 */
export function classCodes(y: TargetInput | undefined, n: number, who: string): Codes {
  if (y === undefined || y === null) {
    throw new ValidationError(`${who}: y is required to stratify the folds.`, {
      field: 'y',
      fix: 'pass the class labels as y, or use KFold',
    });
  }
  const v = targetValues(y);
  if (v.length !== n) {
    throw new ValidationError(`${who}: y has ${v.length} values but X has ${n} rows.`, {
      field: 'y',
      fix: 'pass one label per row',
    });
  }
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x === 'number' && Number.isFinite(x) && !Number.isInteger(x)) {
      throw new ValidationError(
        `${who}: y looks continuous (y[${i}] = ${x}); stratification needs class labels (binary or multiclass).`,
        { field: 'y', fix: 'use KFold for regression targets' },
      );
    }
  }
  return encodeValues(v, 'y', who);
}

/** Group codes (one per row), checked for length. */
export function groupCodes(groups: ArrayLike<unknown> | undefined, n: number, who: string): Codes {
  if (groups === undefined || groups === null) {
    throw new ValidationError(`${who}: groups are required.`, {
      field: 'groups',
      fix: 'pass one group id per row (e.g. the customer id)',
    });
  }
  if (groups.length !== n) {
    throw new ValidationError(`${who}: groups has ${groups.length} values but X has ${n} rows.`, {
      field: 'groups',
      fix: 'pass one group per row',
    });
  }
  return encodeValues(groups, 'groups', who);
}
