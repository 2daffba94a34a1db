/**
 * The category lookup the encoders share: for each row of a column, which of the fitted categories
 * it holds — the ONNX twin of `indexCategories` in `src/preprocess/categories.ts`, with the same
 * matching rules:
 *
 * - string columns match a category by its text form (`"1"` finds the number 1, `"true"` the
 *   boolean true), through an `ai.onnx.ml` LabelEncoder; the empty string is the missing value
 *   (or the imputer's fill, when one ran before);
 * - numeric and datetime columns match numbers (and numeric strings) exactly, in float64, through
 *   `Equal`; NaN is the missing value;
 * - boolean columns (1/0/NaN) match the categories `true`/`false` (and the strings "true"/"false").
 *
 * The result is an int64 `[N, 1]` tensor holding the category index **plus one** (0 = not a
 * fitted category), ready to `Gather` from a table whose first row is what unknown values become.
 *
 * @module
 */

import { ValidationError } from '../../core/errors.ts';
import type { ColumnType } from '../../data/column.ts';
import type { Category } from '../../preprocess/categories.ts';
import { type ConvertContext, describeStep } from '../context.ts';
import type { Col } from '../frame.ts';
import { columnTensor, isStringType } from '../frame.ts';
import { attr, ML_DOMAIN } from '../graph-builder.ts';
import { DataType } from '../onnx-proto.ts';

/** The text key of a category, as Lathe's encoders compare them (see `categories.ts`). */
function textKey(c: Category): string | null {
  if (c === null) return null;
  if (typeof c === 'number') return String(c === 0 ? 0 : c);
  return String(c);
}

/** The number a category matches in a numeric column (numbers and numeric strings), or null. */
function numberKey(c: Category): number | null {
  if (typeof c === 'number') return c === 0 ? 0 : c;
  if (typeof c === 'string' && c.trim() !== '') {
    const x = Number(c);
    return Number.isNaN(x) ? null : x === 0 ? 0 : x;
  }
  return null;
}

/**
 * The int64 `[N, 1]` tensor of (category index + 1) for column `col`, which the encoder was fitted
 * on as storage type `fittedType`; 0 where the value is not a fitted category.
 */
export function categoryIndexPlusOne(
  ctx: ConvertContext,
  who: string,
  col: Col,
  fittedType: ColumnType,
  categories: readonly Category[],
): string {
  const { b } = ctx;
  const missingIdx = categories.indexOf(null);
  if (col.kind === 'str') {
    if (!isStringType(fittedType)) throw kindMismatch(ctx, who, col.name, fittedType, col.type);
    // First occurrence wins, as in indexCategories.
    const index = new Map<string, number>();
    categories.forEach((c, k) => {
      const key = textKey(c);
      if (key !== null && !index.has(key)) index.set(key, k);
    });
    // '' is the missing value: the imputer's fill when one ran, else the missing category.
    let missing = -1;
    if (col.fill !== null) missing = index.get(col.fill) ?? -1;
    else missing = missingIdx;
    index.delete('');
    const keys = [...index.keys(), ''];
    const values = [...index.values(), missing].map((k) => k + 1);
    return b.op(
      'LabelEncoder',
      [col.tensor],
      [attr.strings('keys_strings', keys), attr.ints('values_int64s', values), attr.int('default_int64', 0)],
      ML_DOMAIN,
    );
  }
  if (isStringType(fittedType)) throw kindMismatch(ctx, who, col.name, fittedType, col.type);
  // Numbers: which fitted category each category value stands for (first occurrence wins).
  const byNumber = new Map<number, number>();
  categories.forEach((c, k) => {
    let x: number | null;
    if (fittedType === 'boolean') {
      const key = textKey(c);
      x = key === 'true' ? 1 : key === 'false' ? 0 : null;
    } else {
      x = numberKey(c);
    }
    if (x !== null && !byNumber.has(x)) byNumber.set(x, k);
  });
  const x = columnTensor(b, col);
  let sum: string | null = null;
  if (byNumber.size > 0) {
    // Equal(x, values) is one-hot over the distinct values (or all false); a MatMul with the
    // codes + 1 picks the code. Values are distinct, so at most one term is non-zero: exact.
    const vals = [...byNumber.keys()];
    const codes = [...byNumber.values()].map((k) => k + 1);
    const eq = b.op('Cast', [b.op('Equal', [x, b.double(vals)])], [attr.int('to', DataType.DOUBLE)]);
    sum = b.op('MatMul', [eq, b.double(codes, [codes.length, 1])]);
  }
  if (missingIdx >= 0) {
    const nan = b.op('Cast', [b.op('IsNaN', [x])], [attr.int('to', DataType.DOUBLE)]);
    const term = b.op('Mul', [nan, b.scalar(missingIdx + 1)]);
    sum = sum ? b.op('Add', [sum, term]) : term;
  }
  // No category can match: zeros (0 × a 0/1 flag, so ±Infinity cannot turn into NaN).
  if (!sum)
    sum = b.op('Mul', [b.op('Cast', [b.op('IsNaN', [x])], [attr.int('to', DataType.DOUBLE)]), b.scalar(0)]);
  return b.op('Cast', [sum], [attr.int('to', DataType.INT64)]);
}

function kindMismatch(
  ctx: ConvertContext,
  who: string,
  column: string,
  fitted: ColumnType,
  actual: ColumnType,
): ValidationError {
  return new ValidationError(
    `exportOnnx: ${describeStep(ctx, who)} was fitted on column '${column}' as ${fitted}, but the graph holds it as ${actual} at this point.`,
    {
      field: column,
      fix: 'give the column the type it had in fit (pass inputSchema with that storage type), or refit the model',
    },
  );
}
