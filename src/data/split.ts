/**
 * Train/test splits driven by the seeded {@link Rng}: random, stratified (class proportions kept
 * the way scikit-learn's `StratifiedShuffleSplit` rounds them), group (every group entirely in
 * train or in test) and time-ordered (the latest rows in test). Indices come back sorted
 * ascending, so both parts keep the input's row order.
 *
 * @module
 */

import { show, ValidationError } from '../core/errors.ts';
import { Rng } from '../core/rng.ts';
import { type Column, cellValue, columnLength } from './column.ts';
import type { Table } from './table.ts';

/** How rows are assigned to the test set. */
export type SplitMethod = 'random' | 'stratified' | 'group' | 'time';

/** Options for {@link splitIndices}. */
export interface SplitIndicesOptions {
  /** A fraction in (0, 1) of the rows (rounded up, as scikit-learn does), or a row count ≥ 1. Default 0.2. */
  testSize?: number;
  /** Default `random`. */
  method?: SplitMethod;
  /** Seed for the shuffle (default 0). */
  seed?: number;
  /** `stratified`: the class of each row (null = missing, an error). */
  labels?: ArrayLike<string | number | boolean | null>;
  /** `group`: the group of each row. */
  groups?: ArrayLike<string | number | boolean | null>;
  /** `time`: the time (or any ordered number) of each row; NaN is an error. */
  times?: ArrayLike<number>;
}

/** Row indices of a split, each sorted ascending. */
export interface SplitIndices {
  train: Int32Array;
  test: Int32Array;
}

/** The number of test items for `n` items (scikit-learn's `ceil(testSize · n)` for fractions). */
function testCount(testSize: number, n: number, what = 'rows'): number {
  let k: number;
  if (testSize > 0 && testSize < 1) k = Math.ceil(testSize * n);
  else if (Number.isInteger(testSize) && testSize >= 1) k = testSize;
  else {
    throw new ValidationError(
      `testSize must be a fraction in (0, 1) or a whole number of ${what} ≥ 1; got ${show(testSize)}.`,
      {
        field: 'testSize',
        fix: 'pass e.g. testSize: 0.2',
      },
    );
  }
  if (k >= n) {
    throw new ValidationError(
      `testSize ${testSize} leaves no ${what} for training (${k} of ${n} would be in test).`,
      {
        field: 'testSize',
        fix: `use a smaller testSize (at most ${n - 1} ${what}, or a fraction below ${((n - 1) / n).toFixed(3)})`,
      },
    );
  }
  return k;
}

function sorted(a: ArrayLike<number>): Int32Array {
  return Int32Array.from(a).sort();
}

/** Codes 0..k-1 for values, in sorted order of the distinct values (like np.unique). */
function encode(
  values: ArrayLike<string | number | boolean | null>,
  field: string,
): { codes: Int32Array; k: number; levels: (string | number | boolean)[] } {
  const n = values.length;
  const set = new Map<string | number | boolean, number>();
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
      throw new ValidationError(
        `${field}: row ${i} has a missing value; every row needs one for this split.`,
        {
          field,
          fix: 'drop or fill rows with a missing value first',
        },
      );
    }
    set.set(v, 0);
  }
  const levels = [...set.keys()].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : String(a) < String(b)
        ? -1
        : String(a) > String(b)
          ? 1
          : 0,
  );
  levels.forEach((l, i) => set.set(l, i));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = set.get(values[i] as string | number | boolean) as number;
  return { codes, k: levels.length, levels };
}

/**
 * scikit-learn's `_approximate_mode`: splits `nDraws` over classes in proportion to `counts`,
 * flooring, then giving the remaining draws to the classes with the largest remainders (ties
 * broken at random).
 */
export function approximateMode(counts: ArrayLike<number>, nDraws: number, rng: Rng): Int32Array {
  const total = Array.from(counts).reduce((a, b) => a + b, 0);
  const k = counts.length;
  const out = new Int32Array(k);
  const rem = new Float64Array(k);
  let given = 0;
  for (let i = 0; i < k; i++) {
    const c = (counts[i] / total) * nDraws;
    out[i] = Math.floor(c);
    rem[i] = c - out[i];
    given += out[i];
  }
  let need = nDraws - given;
  const values = [...new Set(rem)].sort((a, b) => b - a);
  for (const v of values) {
    if (need <= 0) break;
    const inds: number[] = [];
    for (let i = 0; i < k; i++) if (rem[i] === v) inds.push(i);
    const take = Math.min(inds.length, need);
    const pick = rng.sample(inds.length, take);
    for (let t = 0; t < take; t++) out[inds[pick[t]]]++;
    need -= take;
  }
  return out;
}

/** Splits row indices 0..n-1 into train and test. See {@link SplitIndicesOptions}. */
export function splitIndices(n: number, options: SplitIndicesOptions = {}): SplitIndices {
  if (!Number.isInteger(n) || n < 2) {
    throw new ValidationError(`a split needs at least 2 rows; got ${show(n)}.`, { field: 'n' });
  }
  const method = options.method ?? 'random';
  const testSize = options.testSize ?? 0.2;
  const rng = new Rng(options.seed ?? 0);
  switch (method) {
    case 'random': {
      const k = testCount(testSize, n);
      const p = rng.permutation(n);
      return { test: sorted(p.subarray(0, k)), train: sorted(p.subarray(k)) };
    }
    case 'stratified': {
      if (!options.labels || options.labels.length !== n) {
        throw new ValidationError('a stratified split needs one label per row (the `by` column).', {
          field: 'by',
          fix: "pass by: '<target column>'",
        });
      }
      const { codes, k: nc, levels } = encode(options.labels, 'by');
      const counts = new Int32Array(nc);
      for (let i = 0; i < n; i++) counts[codes[i]]++;
      for (let c = 0; c < nc; c++) {
        if (counts[c] < 2) {
          throw new ValidationError(
            `class ${show(levels[c])} has only ${counts[c]} member; a stratified split needs at least 2 per class.`,
            {
              field: 'by',
              fix: 'merge or drop that class, or use method: random',
            },
          );
        }
      }
      const nTest = testCount(testSize, n);
      const nTrain = n - nTest;
      if (nTrain < nc || nTest < nc) {
        throw new ValidationError(
          `a stratified split of ${n} rows with ${nc} classes needs at least ${nc} rows in train and in test; got ${nTrain} and ${nTest}.`,
          {
            field: 'testSize',
            fix: 'choose a testSize that leaves at least one row per class on each side',
          },
        );
      }
      const nI = approximateMode(counts, nTrain, rng);
      const left = Int32Array.from(counts, (c, i) => c - nI[i]);
      const tI = approximateMode(left, nTest, rng);
      const byClass: number[][] = Array.from({ length: nc }, () => []);
      for (let i = 0; i < n; i++) byClass[codes[i]].push(i);
      const train: number[] = [];
      const test: number[] = [];
      for (let c = 0; c < nc; c++) {
        const rows = byClass[c];
        const p = rng.permutation(rows.length);
        for (let t = 0; t < nI[c]; t++) train.push(rows[p[t]]);
        for (let t = nI[c]; t < nI[c] + tI[c]; t++) test.push(rows[p[t]]);
      }
      return { train: sorted(train), test: sorted(test) };
    }
    case 'group': {
      if (!options.groups || options.groups.length !== n) {
        throw new ValidationError('a group split needs one group per row (the `by` column).', {
          field: 'by',
          fix: "pass by: '<group column>'",
        });
      }
      const { codes, k: ng } = encode(options.groups, 'by');
      if (ng < 2)
        throw new ValidationError('a group split needs at least 2 groups; the column has 1.', {
          field: 'by',
        });
      const kt = testCount(testSize, ng, 'groups');
      const p = rng.permutation(ng);
      const inTest = new Uint8Array(ng);
      for (let t = 0; t < kt; t++) inTest[p[t]] = 1;
      const train: number[] = [];
      const test: number[] = [];
      for (let i = 0; i < n; i++) (inTest[codes[i]] ? test : train).push(i);
      return { train: Int32Array.from(train), test: Int32Array.from(test) };
    }
    case 'time': {
      const t = options.times;
      if (!t || t.length !== n) {
        throw new ValidationError('a time split needs one time per row (the `by` column).', {
          field: 'by',
          fix: "pass by: '<date column>'",
        });
      }
      for (let i = 0; i < n; i++) {
        if (Number.isNaN(t[i])) {
          throw new ValidationError(
            `by: row ${i} has no time (missing); a time split needs a time on every row.`,
            { field: 'by', fix: 'drop or fill those rows first' },
          );
        }
      }
      const k = testCount(testSize, n);
      const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => t[a] - t[b] || a - b);
      return { train: sorted(order.subarray(0, n - k)), test: sorted(order.subarray(n - k)) };
    }
    default:
      throw new ValidationError(`method must be random, stratified, group or time; got ${show(method)}.`, {
        field: 'method',
      });
  }
}

/** Options for {@link trainTestSplitTable}. */
export interface TableSplitOptions {
  testSize?: number;
  method?: SplitMethod;
  /** The column that drives `stratified` (class), `group` (group) or `time` (time) splits. */
  by?: string;
  seed?: number;
}

/** A table split in two, with the row indices of each part. */
export interface TableSplit extends SplitIndices {
  trainTable: Table;
  testTable: Table;
}

function columnKeys(c: Column): (string | number | boolean | null)[] {
  const n = columnLength(c);
  const out = new Array<string | number | boolean | null>(n);
  for (let i = 0; i < n; i++) {
    const v = cellValue(c, i);
    out[i] = v instanceof Date ? v.getTime() : v;
  }
  return out;
}

/**
 * Splits `table` into train and test tables. `by` names the class column (stratified), the
 * group column (group) or the time column (time: datetime or numeric); unknown names are an
 * error suggesting the closest one.
 *
 * @example
 * const { trainTable, testTable } = trainTestSplitTable(table, { testSize: 0.2, method: 'stratified', by: 'churned', seed: 42 });
 */
export function trainTestSplitTable(table: Table, options: TableSplitOptions = {}): TableSplit {
  const method = options.method ?? 'random';
  const opts: SplitIndicesOptions = { testSize: options.testSize, method, seed: options.seed };
  if (method !== 'random') {
    if (!options.by) {
      throw new ValidationError(
        `a ${method} split needs \`by\`: the column to ${method === 'stratified' ? 'stratify on' : method === 'group' ? 'group by' : 'order by'}.`,
        {
          field: 'by',
          fix: `pass by: '<column>' (the columns are: ${table.columnNames.slice(0, 20).join(', ')})`,
        },
      );
    }
    const c = table.column(options.by);
    if (method === 'time') {
      if (c.type !== 'datetime' && c.type !== 'numeric') {
        throw new ValidationError(
          `a time split orders rows by '${c.name}', which is ${c.type}; it needs a datetime or numeric column.`,
          { field: 'by' },
        );
      }
      opts.times = c.values;
    } else if (method === 'stratified') opts.labels = columnKeys(c);
    else opts.groups = columnKeys(c);
  }
  const { train, test } = splitIndices(table.nRows, opts);
  return { train, test, trainTable: table.take(train), testTable: table.take(test) };
}
