/**
 * Matching a frame to the columns a step was fitted on — the converter's side of
 * `conformTable`: a Table is matched by name, a Matrix by position, and each column takes the
 * storage type the step saw in fit (numbers stay numbers and strings stay strings; a column that
 * would need parsing or formatting between the two is refused).
 *
 * @module
 */

import { ValidationError } from '../../core/errors.ts';
import type { Estimator } from '../../core/estimator.ts';
import type { ColumnType } from '../../data/column.ts';
import { type ConvertContext, describeStep } from '../context.ts';
import { type Col, isStringType } from '../frame.ts';

/** A frame: its columns, and whether Lathe would hold them as a Table (types kept) or a Matrix. */
export interface Frame {
  cols: Col[];
  table: boolean;
}

/** The fitted columns of `est` (`featureNamesIn_`), or an error when it is not fitted. */
export function fittedNames(ctx: ConvertContext, est: Estimator): string[] {
  const names = est.featureNamesIn_;
  if (!names) {
    throw new ValidationError(`exportOnnx: ${describeStep(ctx, est)} is not fitted.`, {
      fix: 'fit the model (or load a fitted model package) before exporting it',
    });
  }
  return names;
}

/**
 * The frame's columns in the order `est` was fitted on, relabelled with the fitted storage types
 * (`types`; null for steps that take numbers only).
 */
export function conformFrame(
  ctx: ConvertContext,
  est: Estimator,
  frame: Frame,
  types: readonly ColumnType[] | null,
): Col[] {
  const names = fittedNames(ctx, est);
  let cols: Col[];
  if (frame.table) {
    const byName = new Map<string, Col>();
    for (const c of frame.cols) if (!byName.has(c.name)) byName.set(c.name, c);
    cols = names.map((n) => {
      const c = byName.get(n);
      if (!c) {
        throw new ValidationError(
          `exportOnnx: ${describeStep(ctx, est)} was fitted on a column '${n}' that does not reach it.`,
          { field: n, fix: 'the pipeline is inconsistent; refit it' },
        );
      }
      return c;
    });
  } else {
    if (frame.cols.length !== names.length) {
      throw new ValidationError(
        `exportOnnx: ${describeStep(ctx, est)} was fitted on ${names.length} columns, but ${frame.cols.length} reach it.`,
        { fix: 'the pipeline is inconsistent; refit it' },
      );
    }
    cols = frame.cols.map((c, j) => ({ ...c, name: names[j] }) as Col);
  }
  if (!types) return cols;
  return cols.map((c, j) => {
    const t = types[j];
    if (isStringType(t) !== (c.kind === 'str')) {
      throw new ValidationError(
        `exportOnnx: ${describeStep(ctx, est)} was fitted on column '${c.name}' as ${t}, but the graph holds it as ${c.type} at this point.`,
        {
          field: c.name,
          fix: 'give the column the storage type it had in fit (inputSchema), or refit the model on data of that type',
        },
      );
    }
    return c.kind === 'str' ? { ...c, type: t as 'categorical' | 'text' } : { ...c, type: t as 'numeric' };
  });
}
