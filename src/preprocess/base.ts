/**
 * What the preprocessing steps share: the {@link Transformer} methods on top of the core
 * {@link Estimator} contract, and the input checks of numeric steps (scalers) and column-aware
 * steps (encoders, imputer, date parts).
 *
 * @module
 */

import { NotFittedError } from '../core/errors.ts';
import { Estimator, type Transformer } from '../core/estimator.ts';
import type { TargetInput } from '../core/labels.ts';
import { assertNoInfinity, type Matrix, matrix } from '../core/matrix.ts';
import { validateParams } from '../core/params.ts';
import type { PlainObject } from '../core/plain.ts';
import type { ColumnType } from '../data/column.ts';
import type { Table } from '../data/table.ts';
import type { Category } from './categories.ts';
import { asTable, checkFitTable, columnTypes, conformTable, type DataInput, isTable } from './input.ts';
import { readInputTypes } from './state.ts';

/** Base class of every preprocessing step: a transformer with `fitTransform`. */
export abstract class BaseTransformer<P extends Record<string, unknown> = Record<string, unknown>>
  extends Estimator<P>
  implements Transformer
{
  readonly kind = 'transformer' as const;

  abstract fit(X: DataInput, y?: TargetInput): this;
  abstract transform(X: DataInput): Matrix;
  abstract getFeatureNamesOut(): string[];

  /** `fit(X, y)` then `transform(X)` (some steps, such as TargetEncoder, do more). */
  fitTransform(X: DataInput, y?: TargetInput): Matrix {
    return this.fit(X, y).transform(X);
  }

  /** Throws {@link NotFittedError} unless fitted. */
  protected assertFitted(method: string): void {
    if (!this.isFitted()) throw new NotFittedError(this.typeName, method);
  }
}

/**
 * A step that works on numbers only (scalers): X is a Matrix, rows of numbers, or a Table of
 * numeric/boolean/datetime columns (matched by name at transform time).
 */
export abstract class NumericTransformer<
  P extends Record<string, unknown> = Record<string, unknown>,
> extends BaseTransformer<P> {
  /** Validates the parameters, then converts X (a categorical or text column is an error naming it). */
  protected fitInput(X: DataInput): Matrix {
    const m = this.startFit(X);
    assertNoInfinity(m.data, m.columns, `${this.typeName}.fit`);
    return m;
  }

  /**
   * Checks fitted-ness and columns (a Table by name, a Matrix by position) and that no value is
   * infinite; returns X as a Matrix.
   */
  protected transformInput(X: DataInput, method = 'transform'): Matrix {
    let m: Matrix;
    if (isTable(X)) {
      this.assertFitted(method);
      m = conformTable(this.typeName, method, this.featureNamesIn_!, null, X).toMatrix();
    } else m = this.checkInput(X, method);
    assertNoInfinity(m.data, m.columns, `${this.typeName}.${method}`);
    return m;
  }
}

/**
 * A step that works on the columns of a Table of any type (encoders, the imputer, date parts).
 * Records the storage type of each input column in `inputTypes_`.
 */
export abstract class TableTransformer<
  P extends Record<string, unknown> = Record<string, unknown>,
> extends BaseTransformer<P> {
  /** Storage type of each column seen in fit (aligned with `featureNamesIn_`). */
  inputTypes_: ColumnType[] | undefined = undefined;

  /** Validates the parameters first, then converts X to a Table and checks it is not empty. */
  protected fitTable(X: DataInput): Table {
    validateParams(this.typeName, this.schema, this.params);
    const t = asTable(X);
    checkFitTable(this.typeName, t);
    return t;
  }

  /** Records the fitted columns and their types; call at the end of fit. */
  protected finishTable(t: Table): this {
    this.inputTypes_ = columnTypes(t);
    this.featureNamesIn_ = t.columnNames;
    return this;
  }

  /** The fitted input types, for `getState`. */
  protected tableState(): { inputTypes: string[] } {
    return { inputTypes: [...this.inputTypes_!] };
  }

  /** Restores {@link TableTransformer.tableState}. */
  protected restoreTableState(state: PlainObject): void {
    this.inputTypes_ = readInputTypes(this, state, (state.featureNamesIn as string[]).length);
  }

  /**
   * The categories learned for input column `name` — an encoder's `categories_` — or undefined
   * (not fitted, not a column seen in fit, or a step that learns no categories). A numeric column
   * where fit saw text is matched to them by value (see `conformTable`).
   */
  fittedCategories(name: string): readonly Category[] | undefined {
    const cats = (this as { categories_?: Category[][] }).categories_;
    if (!cats || !this.featureNamesIn_) return undefined;
    const j = this.featureNamesIn_.indexOf(name);
    return j >= 0 ? cats[j] : undefined;
  }

  /** Checks fitted-ness and columns; returns X as a Table of the fitted columns and types. */
  protected transformTableInput(X: DataInput, method = 'transform'): Table {
    this.assertFitted(method);
    return conformTable(this.typeName, method, this.featureNamesIn_!, this.inputTypes_!, X, undefined, (n) =>
      this.fittedCategories(n),
    );
  }
}

/** A Matrix from column-major output buffers (one Float64Array per output column). */
export function matrixFromColumns(
  columns: readonly Float64Array[],
  names: readonly string[],
  rows: number,
): Matrix {
  const d = columns.length;
  const data = new Float64Array(rows * d);
  for (let j = 0; j < d; j++) {
    const c = columns[j];
    for (let i = 0, k = j; i < rows; i++, k += d) data[k] = c[i];
  }
  return matrix(data, rows, d, names);
}
