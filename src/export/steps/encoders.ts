/**
 * OneHotEncoder and OrdinalEncoder: the category lookup of `categories.ts`, then a `Gather` from a
 * small table indexed by (category + 1), whose first row is what an unknown value becomes.
 *
 * - OneHotEncoder: the table maps each category to its output column (infrequent categories to the
 *   `(infrequent)` column, the dropped one to none); `Equal` with `0 … width−1` spreads it into
 *   0/1 columns. Built from the public `categories_`, `infrequentIndices_` and
 *   `transformedCategories(j)`.
 * - OrdinalEncoder: the table holds the codes (the missing category's code is
 *   `encodedMissingValue`; unknown values get `unknownValue`).
 *
 * `handleUnknown: 'error'` cannot raise inside an ONNX graph: there, an unknown category encodes as
 * all zeros (one-hot) or NaN (ordinal).
 *
 * @module
 */

import type { Category } from '../../preprocess/categories.ts';
import type { OneHotEncoder } from '../../preprocess/one-hot-encoder.ts';
import type { OrdinalEncoder } from '../../preprocess/ordinal-encoder.ts';
import type { ConvertContext } from '../context.ts';
import { blockColumns, type Col, concatColumns } from '../frame.ts';
import { attr } from '../graph-builder.ts';
import { DataType } from '../onnx-proto.ts';
import { categoryIndexPlusOne } from './categories.ts';
import { conformFrame, type Frame } from './conform.ts';

function isInfrequent(x: unknown): x is { infrequent: true } {
  return typeof x === 'object' && x !== null && (x as { infrequent?: unknown }).infrequent === true;
}

/** Converts a fitted OneHotEncoder. */
export function convertOneHotEncoder(ctx: ConvertContext, enc: OneHotEncoder, frame: Frame): Col[] {
  const { b } = ctx;
  const cols = conformFrame(ctx, enc, frame, enc.inputTypes_!);
  const params = enc.getParams();
  const blocks: string[] = [];
  cols.forEach((c, j) => {
    const cats = enc.categories_![j];
    const infrequent = new Set(enc.infrequentIndices_![j] ?? []);
    const outputs = enc.transformedCategories(j);
    const infrequentOut = outputs.findIndex(isInfrequent);
    // Output column of each category (-1: none, i.e. the dropped one).
    const catToOut = cats.map((cat, k) =>
      infrequent.has(k) ? infrequentOut : outputs.findIndex((o) => !isInfrequent(o) && sameCategory(o, cat)),
    );
    const unknownOut =
      params.handleUnknown === 'infrequent_if_exist' && enc.infrequentIndices_![j] !== null
        ? infrequentOut
        : -1;
    const width = outputs.length;
    if (width === 0) return;
    const idx1 = categoryIndexPlusOne(ctx, enc.typeName, c, enc.inputTypes_![j], cats);
    const out = b.op('Gather', [b.int64([unknownOut, ...catToOut]), idx1], [attr.int('axis', 0)]);
    const range = b.int64(Array.from({ length: width }, (_, k) => k));
    const hot = b.op('Equal', [out, range]);
    blocks.push(b.op('Cast', [hot], [attr.int('to', DataType.DOUBLE)]));
  });
  const names = enc.getFeatureNamesOut();
  if (blocks.length === 0) return [];
  return blockColumns(concatColumns(b, blocks), names);
}

function sameCategory(a: Category, b: Category): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

/** Converts a fitted OrdinalEncoder. */
export function convertOrdinalEncoder(ctx: ConvertContext, enc: OrdinalEncoder, frame: Frame): Col[] {
  const { b } = ctx;
  const cols = conformFrame(ctx, enc, frame, enc.inputTypes_!);
  const { handleUnknown, unknownValue, encodedMissingValue } = enc.getParams();
  const unknown = handleUnknown === 'use_encoded_value' && unknownValue !== null ? unknownValue : Number.NaN;
  const parts = cols.map((c, j) => {
    const cats = enc.categories_![j];
    const missingIdx = cats.indexOf(null);
    const codes = cats.map((_, k) => (k === missingIdx ? encodedMissingValue : k));
    const idx1 = categoryIndexPlusOne(ctx, enc.typeName, c, enc.inputTypes_![j], cats);
    return b.op('Gather', [b.double([unknown, ...codes]), idx1], [attr.int('axis', 0)]);
  });
  return blockColumns(concatColumns(b, parts), enc.featureNamesIn_!);
}
