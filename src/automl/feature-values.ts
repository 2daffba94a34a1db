/**
 * The feature-value check `lathe train` runs after reading and before splitting: a numeric
 * feature value that is infinite, or so large that the models' arithmetic overflows, is a bad row
 * of the file — an error naming its line, or set aside under `onBadRows: 'quarantine'`.
 *
 * Why a bound and not only ±inf: scaling and variance square the values, and past about 1.34e154
 * the square of a double is infinite (then inf − inf is NaN), so one huge but finite value turns
 * a whole column into NaN inside logistic regression, k-NN or naive Bayes (scikit-learn overflows
 * the same way). {@link MAX_FEATURE_MAGNITUDE} leaves room for sums of many squares.
 *
 * @module
 */

import { DataError } from '../core/errors.ts';
import type { Table } from '../data/table.ts';

/** Largest magnitude of a numeric feature value `lathe train` accepts (every family alike). */
export const MAX_FEATURE_MAGNITUDE = 1e150;

/** {@link MAX_FEATURE_MAGNITUDE} as messages write it (`1e150`). */
const BOUND = MAX_FEATURE_MAGNITUDE.toExponential().replace('+', '');

/** A feature value training refuses. */
export interface BadFeatureValue {
  /** 0-based row of the table. */
  row: number;
  /** Its file line, when the table's `rowLines` are known. */
  line: number | undefined;
  column: string;
  value: number;
  /** Why, in the words of a bad-row reason (no column name). */
  reason: string;
}

/** `inf`, `-inf` or the number as written in a message. */
export function showNumber(v: number): string {
  return v === Number.POSITIVE_INFINITY ? 'inf' : v === Number.NEGATIVE_INFINITY ? '-inf' : String(v);
}

/**
 * Every numeric feature value of `table` (its numeric-stored columns except `skip`) that is
 * infinite or beyond ±{@link MAX_FEATURE_MAGNITUDE}, in row order (missing values, NaN, are fine:
 * they are imputed). One entry per row: the first bad column of that row.
 */
export function badFeatureValues(
  table: Table,
  skip: readonly (string | null | undefined)[] = [],
  rowLines?: ArrayLike<number>,
): BadFeatureValue[] {
  const byRow = new Map<number, BadFeatureValue>();
  for (const c of table.columns) {
    if (c.type !== 'numeric' || skip.includes(c.name)) continue;
    const v = c.values;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      // NaN fails both comparisons: a missing value passes.
      if (!(x > MAX_FEATURE_MAGNITUDE || x < -MAX_FEATURE_MAGNITUDE) || byRow.has(i)) continue;
      byRow.set(i, {
        row: i,
        line: rowLines ? rowLines[i] : undefined,
        column: c.name,
        value: x,
        reason: Number.isFinite(x)
          ? `the value ${showNumber(x)} is beyond ±${BOUND}, where the models' arithmetic overflows`
          : `the value ${showNumber(x)} is infinite; training needs finite feature values`,
      });
    }
  }
  return [...byRow.values()].sort((a, b) => a.row - b.row);
}

/** The error for a bad feature value under `onBadRows: 'error'`: file, line, column, value and a fix. */
export function badFeatureError(bad: BadFeatureValue, source: string | undefined): DataError {
  return new DataError(`${bad.line === undefined ? `row ${bad.row + 1}: ` : ''}${bad.reason}.`, {
    file: source,
    line: bad.line,
    column: bad.column,
    fix: `replace it with a number within ±${BOUND} (rescale the column if its values are that large), or empty the cell (a missing value, which training imputes), or remove that row; or pass --on-bad-rows quarantine to set such rows aside in the rejects file and train on the rest`,
  });
}

/**
 * The error when every row holds a feature value training refuses, so that setting them aside
 * (`onBadRows: 'quarantine'`) would leave no row to train on: how many, the first one (line,
 * column, value) and a fix that does not send the caller back to quarantine.
 */
export function everyRowBadError(bad: readonly BadFeatureValue[], source: string | undefined): DataError {
  const first = bad[0];
  return new DataError(
    `${first.line === undefined ? `row ${first.row + 1}: ` : ''}${first.reason}; every one of the ${bad.length} rows holds such a value, so setting them aside leaves no row to train on.`,
    {
      file: source,
      line: first.line,
      column: first.column,
      fix: `replace such values with numbers within ±${BOUND} (rescale the column if its values are that large), or empty the cells (missing values, which training imputes), or drop the column '${first.column}' from the file`,
    },
  );
}
