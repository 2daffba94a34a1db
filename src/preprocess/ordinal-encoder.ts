/**
 * `OrdinalEncoder`: each category becomes its index among the column's sorted categories (0, 1, …),
 * with scikit-learn 1.2's semantics: a missing value is a category in `categories_` but encodes as
 * `encodedMissingValue` (default NaN); an unknown category is an error, or with
 * `handleUnknown: 'use_encoded_value'` encodes as `unknownValue` (e.g. -1, or NaN).
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { registerEstimator } from '../core/estimator.ts';
import type { TargetInput } from '../core/labels.ts';
import { type Matrix, matrix } from '../core/matrix.ts';
import { type ParamSpec, type ParamsOf, p } from '../core/params.ts';
import type { PlainObject, PlainValue } from '../core/plain.ts';
import { TableTransformer } from './base.ts';
import {
  assertFiniteCategories,
  type Category,
  categoriesSpec,
  fitCategories,
  indexCategories,
  readCategoryLists,
  unknownCategoryError,
} from './categories.ts';
import type { DataInput } from './input.ts';

function isIntOrNaN(v: unknown): v is number {
  return Number.isInteger(v) || (typeof v === 'number' && Number.isNaN(v));
}

const schema = {
  categories: categoriesSpec,
  handleUnknown: p.oneOf(['error', 'use_encoded_value'] as const, {
    default: 'error',
    doc: "what a category not seen in fit becomes: an error, or 'unknownValue'",
  }),
  unknownValue: {
    expected: 'an integer, NaN, or null',
    default: null,
    doc: "the code of unknown categories when handleUnknown is 'use_encoded_value' (e.g. -1 or NaN)",
    check: (v: unknown): v is number | null => v === null || isIntOrNaN(v),
  } as ParamSpec<number | null>,
  encodedMissingValue: {
    expected: 'an integer or NaN',
    default: Number.NaN,
    doc: 'the code of missing values (default NaN)',
    check: isIntOrNaN,
  } as ParamSpec<number>,
};

/** Parameters of {@link OrdinalEncoder}. */
export type OrdinalEncoderParams = ParamsOf<typeof schema>;

/**
 * Encodes categories as integers (as float64; NaN for missing by default).
 *
 * @example
 * ```ts
 * const enc = new OrdinalEncoder({ handleUnknown: 'use_encoded_value', unknownValue: -1 });
 * enc.fit(table).transform(newTable);
 * ```
 */
export class OrdinalEncoder extends TableTransformer<OrdinalEncoderParams> {
  static readonly typeName = 'OrdinalEncoder';
  static readonly schema = schema;

  /** The categories of each column (sorted; null = missing, last). */
  categories_: Category[][] | undefined = undefined;

  constructor(params: Partial<OrdinalEncoderParams> = {}) {
    super(params);
  }

  /** Learns the categories of each column. */
  fit(X: DataInput, _y?: TargetInput): this {
    const t = this.fitTable(X);
    const { handleUnknown, unknownValue, encodedMissingValue } = this.params;
    if (handleUnknown === 'use_encoded_value' && unknownValue === null) {
      throw new ValidationError(
        "OrdinalEncoder: handleUnknown is 'use_encoded_value' but unknownValue is null.",
        { field: 'unknownValue', fix: 'set unknownValue to an integer such as -1, or NaN' },
      );
    }
    if (handleUnknown === 'error' && unknownValue !== null) {
      throw new ValidationError(
        "OrdinalEncoder: unknownValue is only used with handleUnknown 'use_encoded_value'.",
        {
          field: 'unknownValue',
          fix: "set handleUnknown to 'use_encoded_value', or unknownValue to null",
        },
      );
    }
    const found = fitCategories(this.typeName, t.columns, this.params.categories, handleUnknown === 'error');
    const cats = found.map((f) => f.categories);
    if (handleUnknown === 'use_encoded_value' && unknownValue !== null && !Number.isNaN(unknownValue)) {
      const clash = cats.findIndex((c) => unknownValue >= 0 && unknownValue < c.length);
      if (clash >= 0) {
        throw new ValidationError(
          `OrdinalEncoder: unknownValue ${unknownValue} is also the code of a category of column '${t.columns[clash].name}'.`,
          { field: 'unknownValue', fix: 'use a negative value such as -1, or NaN' },
        );
      }
    }
    if (!Number.isNaN(encodedMissingValue)) {
      const clash = cats.findIndex(
        (c) => c.includes(null) && encodedMissingValue >= 0 && encodedMissingValue < c.length,
      );
      if (clash >= 0) {
        throw new ValidationError(
          `OrdinalEncoder: encodedMissingValue ${encodedMissingValue} is also the code of a category of column '${t.columns[clash].name}'.`,
          { field: 'encodedMissingValue', fix: 'use a negative value such as -1, or NaN' },
        );
      }
    }
    this.categories_ = cats;
    return this.finishTable(t);
  }

  /** Encodes X: one column per input column, holding the category's index. */
  transform(X: DataInput): Matrix {
    const t = this.transformTableInput(X);
    assertFiniteCategories(t.columns, `${this.typeName}.transform`);
    const n = t.nRows;
    const d = t.nCols;
    const out = new Float64Array(n * d);
    const { handleUnknown, unknownValue, encodedMissingValue } = this.params;
    t.columns.forEach((c, j) => {
      const cats = this.categories_![j];
      const idx = indexCategories(c, cats);
      const missingIdx = cats.indexOf(null);
      for (let i = 0; i < n; i++) {
        const k = idx[i];
        let v: number;
        if (k < 0) {
          if (handleUnknown === 'error') {
            throw unknownCategoryError(
              this.typeName,
              c,
              i,
              "set handleUnknown: 'use_encoded_value' with unknownValue: -1, or refit on data that includes it",
            );
          }
          v = unknownValue as number;
        } else {
          v = k === missingIdx ? encodedMissingValue : k;
        }
        out[i * d + j] = v;
      }
    });
    return matrix(out, n, d, this.featureNamesIn_);
  }

  /** The input column names (one code per column). */
  getFeatureNamesOut(): string[] {
    this.assertFitted('getFeatureNamesOut');
    return [...this.featureNamesIn_!];
  }

  protected getState(): PlainObject {
    return { ...this.tableState(), categories: this.categories_! as PlainValue[] };
  }

  /** Checks one input type and one category list per input column (see `readCategoryLists`). */
  protected setState(s: PlainObject): void {
    this.restoreTableState(s);
    this.categories_ = readCategoryLists(this.typeName, s.categories, (s.featureNamesIn as string[]).length);
  }
}

registerEstimator(OrdinalEncoder);
