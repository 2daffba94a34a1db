/**
 * What flows between converted steps: a *frame* — the columns of the Table (or Matrix) a step
 * would receive in Lathe, each pointing at the ONNX tensor that holds it.
 *
 * - a numeric-like column (numeric, boolean 1/0, datetime epoch ms; NaN = missing) is one column
 *   of a float64 tensor `[N, width]`;
 * - a categorical or text column is a string tensor `[N, 1]` where the empty string means
 *   missing, plus an optional `fill`: the value a SimpleImputer put in place of missing values
 *   (applied when the column is encoded, since ONNX has no string `Where` before opset 19).
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import type { ColumnType } from '../data/column.ts';
import { attr, type GraphBuilder } from './graph-builder.ts';

/** Storage types held as numbers. */
export type NumericType = 'numeric' | 'boolean' | 'datetime';
/** Storage types held as strings. */
export type StringType = 'categorical' | 'text';

/** A numeric-like column: column `index` of the float64 tensor `tensor` (`[N, width]`). */
export interface NumCol {
  kind: 'num';
  name: string;
  type: NumericType;
  tensor: string;
  index: number;
  width: number;
}

/** A categorical or text column: the string tensor `tensor` (`[N, 1]`, '' = missing). */
export interface StrCol {
  kind: 'str';
  name: string;
  type: StringType;
  tensor: string;
  /** What missing values ('') become (set by an imputer), or null. */
  fill: string | null;
}

/** One column of a frame. */
export type Col = NumCol | StrCol;

/** Whether a storage type is held as a string tensor. */
export function isStringType(t: ColumnType): t is StringType {
  return t === 'categorical' || t === 'text';
}

/** The columns of a float64 block `[N, names.length]`, all of type `type`. */
export function blockColumns(
  tensor: string,
  names: readonly string[],
  type: NumericType = 'numeric',
): NumCol[] {
  return names.map((name, index) => ({ kind: 'num', name, type, tensor, index, width: names.length }));
}

/** Column `c` as a `[N, 1]` tensor. */
export function columnTensor(b: GraphBuilder, c: NumCol): string {
  if (c.width === 1) return c.tensor;
  return slice(b, c.tensor, c.index, c.index + 1);
}

function slice(b: GraphBuilder, tensor: string, start: number, end: number): string {
  return b.op('Slice', [tensor, b.int64([start]), b.int64([end]), b.int64([1])]);
}

/**
 * The numeric columns `cols` side by side as one float64 `[N, k]` tensor: no node when they are
 * already a whole tensor in order, slices and a Concat otherwise. A string column is an error
 * naming `who` (Lathe's `Table.toMatrix` refuses it the same way).
 */
export function matrixTensor(b: GraphBuilder, cols: readonly Col[], who: string): string {
  const nums = cols.map((c) => numericColumn(c, who));
  if (nums.length === 0) {
    throw new ValidationError(`${who}: no columns reach this step.`, { fix: 'check the pipeline routes' });
  }
  const parts: string[] = [];
  let i = 0;
  while (i < nums.length) {
    const first = nums[i];
    let j = i + 1;
    while (j < nums.length && nums[j].tensor === first.tensor && nums[j].index === nums[j - 1].index + 1) j++;
    const start = first.index;
    const end = nums[j - 1].index + 1;
    parts.push(start === 0 && end === first.width ? first.tensor : slice(b, first.tensor, start, end));
    i = j;
  }
  return parts.length === 1 ? parts[0] : b.op('Concat', parts, [attr.int('axis', 1)]);
}

/** `c` as a numeric column; a string column is an error naming `who` and the column. */
export function numericColumn(c: Col, who: string): NumCol {
  if (c.kind === 'num') return c;
  throw new ValidationError(
    `${who} needs numbers, but column '${c.name}' is ${c.type} at this point of the pipeline.`,
    { field: c.name, fix: 'encode it first (OneHotEncoder or OrdinalEncoder), or drop it' },
  );
}

/** Concatenates float64 blocks `[N, k_i]` along the columns. */
export function concatColumns(b: GraphBuilder, tensors: readonly string[]): string {
  return tensors.length === 1 ? tensors[0] : b.op('Concat', tensors, [attr.int('axis', 1)]);
}
