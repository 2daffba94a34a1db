/**
 * `SimpleImputer`: fill missing values with a per-column statistic, as scikit-learn's
 * `SimpleImputer`:
 *
 * - `strategy`: `'mean'`, `'median'` (numeric columns), `'most_frequent'` (ties → the smallest
 *   value), `'constant'` (`fillValue`; default 0 for numbers, `"missing_value"` for strings);
 * - `addIndicator`: append a 0/1 column `name.missing` for every column that had missing values
 *   in fit (scikit-learn's `MissingIndicator(features='missing-only')`);
 * - a column with no observed value in fit is dropped from the output (a warning names it), unless
 *   the strategy is `'constant'` or `keepEmptyFeatures` is set (then it is filled with 0).
 *
 * Numeric input (a Matrix, or a Table of numeric/boolean/datetime columns) gives a Matrix from
 * `transform`. Categorical and text columns can be imputed with `'most_frequent'` or `'constant'`
 * through {@link SimpleImputer.transformTable}, which returns a Table — a {@link Pipeline} uses it
 * when the next step is an encoder.
 *
 * @module
 */

import { compareCodePoints } from '../core/code-points.ts';
import { ValidationError } from '../core/errors.ts';
import { registerEstimator } from '../core/estimator.ts';
import type { TargetInput } from '../core/labels.ts';
import { assertNoInfinity, type Matrix, type MatrixInput, matrix } from '../core/matrix.ts';
import { pairwiseSum } from '../core/pairwise-sum.ts';
import { type ParamsOf, p } from '../core/params.ts';
import type { PlainObject } from '../core/plain.ts';
import { checkLength } from '../core/saved-state.ts';
import { warn } from '../core/warnings.ts';
import type { Column, ColumnType } from '../data/column.ts';
import { Table } from '../data/table.ts';
import { sortedNonMissing } from '../stats/quantile.ts';
import { TableTransformer } from './base.ts';
import { medianSorted, modeSorted } from './column-stats.ts';
import { columnTypes, type DataInput, isTable, numericValues } from './input.ts';
import { checkInputWidth, readArray, readIndices } from './state.ts';

const schema = {
  strategy: p.oneOf(['mean', 'median', 'most_frequent', 'constant'] as const, {
    default: 'mean',
    doc: 'the statistic that replaces missing values',
  }),
  fillValue: p.nullable(p.union([p.float(), p.string()]), {
    doc: 'the value used by strategy \'constant\' (null: 0 for numbers, "missing_value" for strings)',
  }),
  addIndicator: p.bool({
    default: false,
    doc: "append a 0/1 'name.missing' column per column with missing values in fit",
  }),
  keepEmptyFeatures: p.bool({ default: false, doc: 'keep columns with no observed value (filled with 0)' }),
};

/** Parameters of {@link SimpleImputer}. */
export type SimpleImputerParams = ParamsOf<typeof schema>;

const STRING_FILL = 'missing_value';

function isStringType(t: ColumnType): boolean {
  return t === 'categorical' || t === 'text';
}

/**
 * Fills missing values column by column.
 *
 * @example
 * ```ts
 * const imp = new SimpleImputer({ strategy: 'median', addIndicator: true });
 * imp.fitTransform([[1, NaN], [3, 4], [NaN, 6]]); // columns x0, x1, x0.missing, x1.missing
 * ```
 */
export class SimpleImputer extends TableTransformer<SimpleImputerParams> {
  static readonly typeName = 'SimpleImputer';
  static readonly schema = schema;

  /**
   * The fill value of each column: a number for numeric-like columns, a string for categorical
   * and text columns; NaN for a column that had no observed value and is dropped.
   */
  statistics_: (number | string)[] | undefined = undefined;
  /** Indices of the columns that get a missing indicator (those with missing values in fit). */
  indicatorFeatures_: number[] | undefined = undefined;

  constructor(params: Partial<SimpleImputerParams> = {}) {
    super(params);
  }

  /** Learns the fill value of each column. */
  fit(X: DataInput, _y?: TargetInput): this {
    if (!isTable(X)) return this.fitMatrix(X);
    const t = this.fitTable(X);
    const { strategy, fillValue, keepEmptyFeatures, addIndicator } = this.params;
    const stats: (number | string)[] = [];
    const indicator: number[] = [];
    t.columns.forEach((c, j) => {
      const values = numericValues(c);
      let missing = 0;
      if (values) {
        assertNoInfinity(values, [c.name], 'SimpleImputer.fit');
        for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) missing++;
        stats.push(
          numericStatistic(
            c.name,
            c.type,
            values,
            strategy,
            fillValue,
            keepEmptyFeatures,
            missing,
            true, // a DataFrame's columns reach scikit-learn F-ordered: each is summed pairwise
          ),
        );
      } else {
        const strings = stringValues(c);
        for (const s of strings) if (s === null) missing++;
        stats.push(stringStatistic(c, strings, strategy, fillValue, keepEmptyFeatures));
      }
      if (addIndicator && missing > 0) indicator.push(j);
    });
    return this.finishImputer(stats, indicator, t.columnNames, columnTypes(t));
  }

  /** fit on a numeric Matrix, column by column without building a Table. */
  private fitMatrix(X: MatrixInput): this {
    const m = this.startFit(X);
    assertNoInfinity(m.data, m.columns, 'SimpleImputer.fit');
    const { strategy, fillValue, keepEmptyFeatures, addIndicator } = this.params;
    const stats: number[] = [];
    const indicator: number[] = [];
    const buf = new Float64Array(m.rows);
    for (let j = 0; j < m.cols; j++) {
      let missing = 0;
      for (let i = 0, k = j; i < m.rows; i++, k += m.cols) {
        const x = m.data[k];
        if (x !== x) missing++;
        buf[i] = x;
      }
      stats.push(
        numericStatistic(
          m.columns[j],
          'numeric',
          buf,
          strategy,
          fillValue,
          keepEmptyFeatures,
          missing,
          m.cols === 1,
        ),
      );
      if (addIndicator && missing > 0) indicator.push(j);
    }
    return this.finishImputer(
      stats,
      indicator,
      [...m.columns],
      m.columns.map(() => 'numeric'),
    );
  }

  private finishImputer(
    stats: (number | string)[],
    indicator: number[],
    names: string[],
    types: ColumnType[],
  ): this {
    const { strategy } = this.params;
    this.statistics_ = stats;
    this.indicatorFeatures_ = indicator;
    this.inputTypes_ = types;
    this.featureNamesIn_ = names;
    const dropped = this.droppedColumns();
    if (dropped.length) {
      warn(
        'UserWarning',
        `SimpleImputer: skipping ${dropped.map((n) => `'${n}'`).join(', ')}, which had no observed value in fit (strategy '${strategy}'); set keepEmptyFeatures to keep them.`,
      );
    }
    return this;
  }

  /** Imputes X and returns a numeric Matrix (categorical/text columns: use {@link transformTable}). */
  transform(X: DataInput): Matrix {
    this.assertFitted('transform');
    const keep = this.keptColumns();
    for (const j of keep) {
      if (isStringType(this.inputTypes_![j])) {
        throw new ValidationError(
          `SimpleImputer.transform returns numbers, but column '${this.featureNamesIn_![j]}' is ${this.inputTypes_![j]}.`,
          {
            field: this.featureNamesIn_![j],
            fix: 'use transformTable() to keep a Table, or put an encoder after the imputer in a Pipeline (which does this for you)',
          },
        );
      }
    }
    const ind = this.indicatorFeatures_!;
    if (!isTable(X) && this.inputTypes_!.every((t) => t === 'numeric'))
      return this.transformMatrix(X, keep, ind);
    const t = this.transformTableInput(X);
    noInfinity(t, 'SimpleImputer.transform');
    const n = t.nRows;
    const width = keep.length + ind.length;
    const out = new Float64Array(n * width);
    keep.forEach((j, o) => {
      const v = numericValues(t.columns[j])!;
      const fill = this.statistics_![j] as number;
      for (let i = 0, k = o; i < n; i++, k += width) {
        const x = v[i];
        out[k] = x !== x ? fill : x;
      }
    });
    ind.forEach((j, o) => {
      const c = t.columns[j];
      const col = keep.length + o;
      for (let i = 0, k = col; i < n; i++, k += width) out[k] = isMissingAt(c, i) ? 1 : 0;
    });
    return matrix(out, n, width, this.getFeatureNamesOut());
  }

  /** transform of a numeric Matrix: one row-major pass, no Table. */
  private transformMatrix(X: MatrixInput, keep: number[], ind: number[]): Matrix {
    const m = this.checkInput(X, 'transform');
    assertNoInfinity(m.data, m.columns, 'SimpleImputer.transform');
    const { data, rows, cols } = m;
    const width = keep.length + ind.length;
    const out = new Float64Array(rows * width);
    const fill = Float64Array.from(keep, (j) => this.statistics_![j] as number);
    const keepIdx = Int32Array.from(keep);
    const indIdx = Int32Array.from(ind);
    const nk = keepIdx.length;
    for (let i = 0; i < rows; i++) {
      const src = i * cols;
      const dst = i * width;
      for (let o = 0; o < nk; o++) {
        const x = data[src + keepIdx[o]];
        out[dst + o] = x !== x ? fill[o] : x;
      }
      for (let o = 0; o < indIdx.length; o++) {
        const x = data[src + indIdx[o]];
        out[dst + nk + o] = x !== x ? 1 : 0;
      }
    }
    return matrix(out, rows, width, this.getFeatureNamesOut());
  }

  /**
   * Imputes X and returns a Table: the kept columns with their types (booleans filled with a
   * non-0/1 mean become numeric; categoricals gain the fill value as a category), then the 0/1
   * indicator columns.
   */
  transformTable(X: DataInput): Table {
    const t = this.transformTableInput(X, 'transformTable');
    noInfinity(t, 'SimpleImputer.transformTable');
    const cols: Column[] = [];
    for (const j of this.keptColumns()) cols.push(fillColumn(t.columns[j], this.statistics_![j]));
    for (const j of this.indicatorFeatures_!) {
      const c = t.columns[j];
      const v = new Float64Array(t.nRows);
      for (let i = 0; i < v.length; i++) v[i] = isMissingAt(c, i) ? 1 : 0;
      cols.push({ type: 'numeric', name: `${c.name}.missing`, values: v });
    }
    return new Table(cols);
  }

  /** Imputes the training data as a Table (see {@link transformTable}). */
  fitTransformTable(X: DataInput, y?: TargetInput): Table {
    return this.fit(X, y).transformTable(X);
  }

  /** Kept input names, then `name.missing` for each indicator. */
  getFeatureNamesOut(): string[] {
    this.assertFitted('getFeatureNamesOut');
    const names = this.featureNamesIn_!;
    return [
      ...this.keptColumns().map((j) => names[j]),
      ...this.indicatorFeatures_!.map((j) => `${names[j]}.missing`),
    ];
  }

  /** Columns dropped because they had no observed value in fit. */
  droppedColumns(): string[] {
    this.assertFitted('droppedColumns');
    const keep = new Set(this.keptColumns());
    return this.featureNamesIn_!.filter((_, j) => !keep.has(j));
  }

  private keptColumns(): number[] {
    const all = this.params.strategy === 'constant' || this.params.keepEmptyFeatures;
    const out: number[] = [];
    this.statistics_!.forEach((s, j) => {
      if (all || !(typeof s === 'number' && Number.isNaN(s))) out.push(j);
    });
    return out;
  }

  protected getState(): PlainObject {
    return {
      ...this.tableState(),
      statistics: [...this.statistics_!],
      indicatorFeatures: [...this.indicatorFeatures_!],
    };
  }

  /**
   * Checks one statistic and one input type per input column, and indicator indices inside the
   * input width (a statistic itself may be NaN: an all-missing column without keepEmptyFeatures).
   */
  protected setState(s: PlainObject): void {
    const width = (s.featureNamesIn as string[]).length;
    checkInputWidth(this, s, width);
    this.restoreTableState(s);
    const stats = readArray<number | string>(
      this,
      s,
      'statistics',
      (x) => typeof x === 'number' || typeof x === 'string',
      'a list of numbers and strings',
    );
    checkLength(this.typeName, 'statistics', stats, width, 'one per input column');
    this.statistics_ = stats;
    this.indicatorFeatures_ = readIndices(this, s, 'indicatorFeatures', width);
  }
}

function isMissingAt(c: Column, i: number): boolean {
  switch (c.type) {
    case 'numeric':
    case 'datetime':
      return c.values[i] !== c.values[i];
    case 'boolean':
      return c.values[i] < 0;
    case 'categorical':
      return c.codes[i] < 0;
    case 'text':
      return c.values[i] === null;
  }
}

function stringValues(c: Column): (string | null)[] {
  if (c.type === 'categorical') return Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]));
  if (c.type === 'text') return c.values as (string | null)[];
  throw new Error(`unreachable: ${c.type}`);
}

function numericStatistic(
  name: string,
  type: ColumnType,
  values: Float64Array,
  strategy: SimpleImputerParams['strategy'],
  fillValue: number | string | null,
  keepEmpty: boolean,
  missing: number,
  pairwise: boolean,
): number {
  if (strategy === 'constant') {
    if (typeof fillValue === 'string') {
      throw new ValidationError(
        `SimpleImputer: fillValue ${JSON.stringify(fillValue)} is a string, but column '${name}' is ${type}.`,
        {
          field: 'fillValue',
          fix: 'use a number as fillValue for numeric columns (or impute the string columns separately)',
        },
      );
    }
    return fillValue ?? 0;
  }
  if (missing === values.length) return keepEmpty ? 0 : Number.NaN;
  if (strategy === 'mean') {
    const count = values.length - missing;
    const s = nanSum(values, pairwise);
    if (Number.isFinite(s)) return s / count;
    // The sum overflowed (values near ±1.8e308; infinities were refused before): sum the values
    // divided by their count instead, which cannot overflow, so the mean of [1e308, 1e308] is 1e308.
    let scaled = 0;
    for (let i = 0; i < values.length; i++) if (values[i] === values[i]) scaled += values[i] / count;
    return scaled;
  }
  const sorted = sortedNonMissing(values);
  return strategy === 'median' ? medianSorted(sorted) : modeSorted(sorted);
}

/**
 * The sum of the non-missing values of a column, in NumPy's order for `np.ma.mean(X, axis=0)`
 * (missing values filled with 0): `pairwise` where the column is contiguous in scikit-learn's array
 * — a Table's columns (a DataFrame reaches it F-ordered) and a one-column Matrix (n × 1) — else one
 * value after another, as NumPy reduces axis 0 of a C-ordered array row by row. The order matters
 * when large values cancel: the mean of a column holding 1e16, −1e16 and small values can differ by
 * whole units between the two.
 */
function nanSum(values: Float64Array, pairwise: boolean): number {
  if (pairwise) {
    const filled = Float64Array.from(values, (x) => (x === x ? x : 0));
    return pairwiseSum(filled, 0, filled.length);
  }
  let s = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) s += values[i];
  return s;
}

function stringStatistic(
  c: Column,
  strings: readonly (string | null)[],
  strategy: SimpleImputerParams['strategy'],
  fillValue: number | string | null,
  keepEmpty: boolean,
): string | number {
  if (strategy === 'mean' || strategy === 'median') {
    throw new ValidationError(
      `SimpleImputer: strategy '${strategy}' needs numbers, but column '${c.name}' is ${c.type}.`,
      {
        field: c.name,
        fix: "use strategy 'most_frequent' or 'constant' for categorical columns (a ColumnTransformer can route them to their own imputer)",
      },
    );
  }
  if (strategy === 'constant') return fillValue === null ? STRING_FILL : String(fillValue);
  const counts = new Map<string, number>();
  for (const s of strings) if (s !== null) counts.set(s, (counts.get(s) ?? 0) + 1);
  // Ties → the smallest string by code point (scikit-learn's `min` over Python strings).
  // No observed value: dropped (NaN), as scikit-learn does, unless keepEmptyFeatures.
  if (counts.size === 0) return keepEmpty ? STRING_FILL : Number.NaN;
  let best: string | null = null;
  let bestCount = 0;
  for (const [s, n] of counts) {
    if (n > bestCount || (n === bestCount && best !== null && compareCodePoints(s, best) < 0)) {
      best = s;
      bestCount = n;
    }
  }
  return best!;
}

function fillColumn(c: Column, fill: number | string): Column {
  switch (c.type) {
    case 'numeric':
    case 'datetime': {
      const v = Float64Array.from(c.values);
      const f = fill as number;
      for (let i = 0; i < v.length; i++) if (v[i] !== v[i]) v[i] = f;
      return { type: c.type, name: c.name, values: v };
    }
    case 'boolean': {
      const f = fill as number;
      if (f === 0 || f === 1) {
        const v = Int8Array.from(c.values);
        for (let i = 0; i < v.length; i++) if (v[i] < 0) v[i] = f;
        return { type: 'boolean', name: c.name, values: v };
      }
      const v = new Float64Array(c.values.length);
      for (let i = 0; i < v.length; i++) v[i] = c.values[i] < 0 ? f : c.values[i];
      return { type: 'numeric', name: c.name, values: v };
    }
    case 'categorical': {
      const s = fill as string;
      let k = c.dictionary.indexOf(s);
      const dict = k < 0 ? [...c.dictionary, s] : c.dictionary;
      if (k < 0) k = c.dictionary.length;
      const codes = Int32Array.from(c.codes);
      for (let i = 0; i < codes.length; i++) if (codes[i] < 0) codes[i] = k;
      return { type: 'categorical', name: c.name, codes, dictionary: dict };
    }
    case 'text':
      return { type: 'text', name: c.name, values: c.values.map((s) => (s === null ? (fill as string) : s)) };
  }
}

registerEstimator(SimpleImputer);

/** Throws naming the column and row if a numeric column of `t` holds ±Infinity (NaN is missing). */
function noInfinity(t: Table, who: string): void {
  for (const c of t.columns) {
    const values = numericValues(c);
    if (values) assertNoInfinity(values, [c.name], who);
  }
}
