/**
 * SimpleImputer → `Where(IsNaN(x), fill, x)` on the numeric columns (one node for all of them),
 * a recorded fill for the string columns (applied by the encoder that reads them), and 0/1
 * missing indicators (`IsNaN`, or a LabelEncoder mapping '' to 1 for strings).
 *
 * Reads the public fitted fields `statistics_`, `indicatorFeatures_`, `inputTypes_` and
 * `droppedColumns()`.
 *
 * @module
 */

import { ValidationError } from '../../core/errors.ts';
import type { SimpleImputer } from '../../preprocess/simple-imputer.ts';
import { type ConvertContext, describeStep } from '../context.ts';
import { blockColumns, type Col, matrixTensor, type NumCol, type NumericType } from '../frame.ts';
import { attr, ML_DOMAIN } from '../graph-builder.ts';
import { DataType } from '../onnx-proto.ts';
import { conformFrame, type Frame } from './conform.ts';

/**
 * Converts a fitted SimpleImputer. With `tableOut` (Lathe's `transformTable`, used inside a
 * Pipeline on a Table) the columns keep their types and string columns pass on with their fill;
 * otherwise (`transform`) the output is all numbers and a kept string column is an error.
 */
export function convertSimpleImputer(
  ctx: ConvertContext,
  imp: SimpleImputer,
  frame: Frame,
  tableOut: boolean,
): Col[] {
  const { b } = ctx;
  const cols = conformFrame(ctx, imp, frame, imp.inputTypes_!);
  const stats = imp.statistics_!;
  const dropped = new Set(imp.droppedColumns());
  const kept: number[] = [];
  cols.forEach((c, j) => {
    if (!dropped.has(c.name)) kept.push(j);
  });
  if (!tableOut) {
    for (const j of kept) {
      const c = cols[j];
      if (c.kind === 'str') {
        throw new ValidationError(
          `exportOnnx: ${describeStep(ctx, imp)} returns numbers, but column '${c.name}' is ${c.type}.`,
          { field: c.name, fix: 'put an encoder after the imputer in a Pipeline' },
        );
      }
    }
  }

  // Numeric kept columns: one Where over their block.
  const numKept = kept.filter((j) => cols[j].kind === 'num');
  const filled = new Map<number, NumCol>();
  if (numKept.length) {
    const X = matrixTensor(
      b,
      numKept.map((j) => cols[j]),
      describeStep(ctx, imp),
    );
    const fill = b.double(numKept.map((j) => stats[j] as number));
    const out = b.op('Where', [b.op('IsNaN', [X]), fill, X]);
    const block = blockColumns(
      out,
      numKept.map((j) => cols[j].name),
    );
    numKept.forEach((j, o) => {
      const c = cols[j] as NumCol;
      const f = stats[j] as number;
      // Lathe's fillColumn: a boolean filled with something other than 0/1 becomes numeric.
      const type: NumericType = !tableOut
        ? 'numeric'
        : c.type === 'boolean' && f !== 0 && f !== 1
          ? 'numeric'
          : c.type;
      filled.set(j, { ...block[o], type });
    });
  }
  const out: Col[] = kept.map((j) => {
    const c = cols[j];
    if (c.kind === 'num') return filled.get(j)!;
    return { ...c, fill: c.fill ?? String(stats[j]) };
  });

  // Indicators, after the kept columns.
  const ind = imp.indicatorFeatures_!;
  const numInd = ind.filter((j) => cols[j].kind === 'num');
  const indicator = new Map<number, NumCol>();
  if (numInd.length) {
    const X = matrixTensor(
      b,
      numInd.map((j) => cols[j]),
      describeStep(ctx, imp),
    );
    const flags = b.op('Cast', [b.op('IsNaN', [X])], [attr.int('to', DataType.DOUBLE)]);
    const block = blockColumns(
      flags,
      numInd.map((j) => `${cols[j].name}.missing`),
    );
    numInd.forEach((j, o) => indicator.set(j, block[o]));
  }
  for (const j of ind) {
    const c = cols[j];
    if (c.kind === 'num') {
      out.push(indicator.get(j)!);
      continue;
    }
    // '' is missing, unless an earlier imputer already replaced it.
    const flag = b.op(
      'LabelEncoder',
      [c.tensor],
      [
        attr.strings('keys_strings', ['']),
        attr.floats('values_floats', [c.fill === null ? 1 : 0]),
        attr.float('default_float', 0),
      ],
      ML_DOMAIN,
    );
    const t = b.op('Cast', [flag], [attr.int('to', DataType.DOUBLE)]);
    out.push(blockColumns(t, [`${c.name}.missing`])[0]);
  }
  return out;
}
