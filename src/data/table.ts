/**
 * `Table`: a columnar table of typed arrays — what every reader produces and what pipelines
 * consume. Immutable: operations return new tables that share unchanged columns.
 *
 * @module
 */

import { DataError, ValidationError } from '../core/errors.ts';
import { type Matrix, matrix } from '../core/matrix.ts';
import { closest } from '../core/params.ts';
import {
  type CellValue,
  type Column,
  cellValue,
  columnLength,
  columnValues,
  missingCount,
  takeColumn,
} from './column.ts';

/** A columnar table. */
export class Table {
  /** The columns, in order. */
  readonly columns: readonly Column[];
  /** Number of rows. */
  readonly nRows: number;
  private readonly byName: Map<string, number>;

  /** Builds a table; every column must have the same length and a unique, non-empty name. */
  constructor(columns: readonly Column[]) {
    const n = columns.length ? columnLength(columns[0]) : 0;
    const byName = new Map<string, number>();
    columns.forEach((c, j) => {
      if (c.name === '') {
        throw new ValidationError(`Table: column ${j} has an empty name.`, {
          fix: 'give every column a name',
        });
      }
      if (byName.has(c.name)) {
        throw new ValidationError(
          `Table: two columns are named '${c.name}' (columns ${byName.get(c.name)} and ${j}).`,
          {
            fix: 'rename one of them',
          },
        );
      }
      const len = columnLength(c);
      if (len !== n) {
        throw new ValidationError(
          `Table: column '${c.name}' has ${len} rows; column '${columns[0].name}' has ${n}.`,
        );
      }
      byName.set(c.name, j);
    });
    this.columns = columns;
    this.nRows = n;
    this.byName = byName;
  }

  /** Number of columns. */
  get nCols(): number {
    return this.columns.length;
  }

  /** Column names, in order. */
  get columnNames(): string[] {
    return this.columns.map((c) => c.name);
  }

  /** True when a column is named `name`. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Index of column `name`, or -1. */
  indexOf(name: string): number {
    return this.byName.get(name) ?? -1;
  }

  /** The column named `name`; an unknown name throws, suggesting the closest one. */
  column(name: string): Column {
    const j = this.byName.get(name);
    if (j === undefined) throw unknownColumn(name, this.columnNames);
    return this.columns[j];
  }

  /** The values of column `name` as a plain array (null for missing) — e.g. as `y`. */
  values(name: string): (number | string | boolean | null)[] {
    return columnValues(this.column(name));
  }

  /** The cell at row `i`, column `name`. */
  get(i: number, name: string): CellValue {
    return cellValue(this.column(name), i);
  }

  /** A table with only the named columns, in the given order. */
  select(names: readonly string[]): Table {
    return new Table(names.map((n) => this.column(n)));
  }

  /** A table without the named columns (unknown names throw). */
  drop(names: readonly string[]): Table {
    for (const n of names) this.column(n);
    const gone = new Set(names);
    return new Table(this.columns.filter((c) => !gone.has(c.name)));
  }

  /** A table with `column` added, or replacing the column of the same name. */
  withColumn(column: Column): Table {
    const j = this.byName.get(column.name);
    if (j === undefined) return new Table([...this.columns, column]);
    const cols = this.columns.slice();
    cols[j] = column;
    return new Table(cols);
  }

  /** The rows at `indices`, in that order. */
  take(indices: ArrayLike<number>): Table {
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      if (!(i >= 0 && i < this.nRows) || !Number.isInteger(i)) {
        throw new ValidationError(`Table.take: row index ${i} is outside 0..${this.nRows - 1}.`);
      }
    }
    return new Table(this.columns.map((c) => takeColumn(c, indices)));
  }

  /** Rows `start` (inclusive) to `end` (exclusive). */
  slice(start = 0, end = this.nRows): Table {
    const s = Math.max(0, Math.min(start, this.nRows));
    const e = Math.max(s, Math.min(end, this.nRows));
    const idx = new Int32Array(e - s);
    for (let i = 0; i < idx.length; i++) idx[i] = s + i;
    return this.take(idx);
  }

  /** The first `n` rows as plain objects (for display and tests). */
  toObjects(n = this.nRows): Record<string, CellValue>[] {
    const rows: Record<string, CellValue>[] = [];
    const m = Math.min(n, this.nRows);
    for (let i = 0; i < m; i++) {
      const r: Record<string, CellValue> = {};
      for (const c of this.columns) r[c.name] = cellValue(c, i);
      rows.push(r);
    }
    return rows;
  }

  /**
   * The numeric columns as a row-major {@link Matrix} (booleans as 0/1, datetimes as epoch ms,
   * missing as NaN). Categorical and text columns are an error that names them: encode them first
   * — unless every value is missing (a column of nulls has no type of its own; built from objects
   * it is categorical): that is a column of NaN.
   */
  toMatrix(names: readonly string[] = this.columnNames): Matrix {
    const cols = names.map((n) => this.column(n));
    for (const c of cols) {
      if (
        (c.type === 'categorical' || c.type === 'text') &&
        !(this.nRows > 0 && missingCount(c) === this.nRows)
      ) {
        throw new ValidationError(`Column '${c.name}' is ${c.type}, but a numeric matrix was needed.`, {
          field: c.name,
          fix: "encode it first (OneHotEncoder or OrdinalEncoder in a Pipeline — 'lathe train' does this for you), or drop it",
        });
      }
    }
    const n = this.nRows;
    const d = cols.length;
    const data = new Float64Array(n * d);
    cols.forEach((c, j) => {
      if (c.type === 'boolean') {
        const v = c.values;
        for (let i = 0; i < n; i++) data[i * d + j] = v[i] < 0 ? Number.NaN : v[i];
      } else if (c.type === 'numeric' || c.type === 'datetime') {
        const v = c.values;
        for (let i = 0; i < n; i++) data[i * d + j] = v[i];
      } else {
        for (let i = 0; i < n; i++) data[i * d + j] = Number.NaN;
      }
    });
    return matrix(data, n, d, names);
  }
}

/** The error for an unknown column name, suggesting the closest known one. */
export function unknownColumn(name: string, known: readonly string[], file?: string): DataError {
  const near = closest(name, known);
  return new DataError(`no column named '${name}'.`, {
    file,
    column: name,
    fix: near
      ? `did you mean '${near}'${near !== name && near.trim() === name.trim() ? ' (the file writes it with spaces around it)' : ''}? The columns are: ${known.join(', ')}`
      : `the columns are: ${known.slice(0, 30).join(', ')}${known.length > 30 ? ', …' : ''}`,
  });
}
