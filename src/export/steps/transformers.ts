/**
 * The transformer dispatch and the composite steps: a Pipeline runs its steps in order (a
 * SimpleImputer on a Table keeps the column types, as `transformTable` does; every other step
 * turns the data into numbers), a ColumnTransformer sends each route its columns and puts the
 * outputs side by side.
 *
 * @module
 */

import type { Estimator } from '../../core/estimator.ts';
import { ColumnTransformer } from '../../preprocess/column-transformer.ts';
import { DatePartExtractor } from '../../preprocess/date-part-extractor.ts';
import { MinMaxScaler } from '../../preprocess/min-max-scaler.ts';
import { OneHotEncoder } from '../../preprocess/one-hot-encoder.ts';
import { OrdinalEncoder } from '../../preprocess/ordinal-encoder.ts';
import { Pipeline } from '../../preprocess/pipeline.ts';
import { RobustScaler } from '../../preprocess/robust-scaler.ts';
import { SimpleImputer } from '../../preprocess/simple-imputer.ts';
import { StandardScaler } from '../../preprocess/standard-scaler.ts';
import { type ConvertContext, describeStep, inStep, unsupported } from '../context.ts';
import { type Col, numericColumn } from '../frame.ts';
import { conformFrame, type Frame, fittedNames } from './conform.ts';
import { convertDatePartExtractor } from './date-parts.ts';
import { convertOneHotEncoder, convertOrdinalEncoder } from './encoders.ts';
import { convertScaler } from './scalers.ts';
import { convertSimpleImputer } from './simple-imputer.ts';

/**
 * Converts a fitted transformer applied to `frame`. `tableOut` asks for Lathe's `transformTable`
 * (only SimpleImputer has it); otherwise the result is what `transform` gives: numbers.
 */
export function convertTransformer(
  ctx: ConvertContext,
  est: Estimator,
  frame: Frame,
  tableOut = false,
): Frame {
  fittedNames(ctx, est);
  if (est instanceof SimpleImputer) {
    return { cols: convertSimpleImputer(ctx, est, frame, tableOut), table: tableOut };
  }
  let cols: Col[];
  if (est instanceof Pipeline) cols = convertPipelineTransform(ctx, est, frame);
  else if (est instanceof ColumnTransformer) cols = convertColumnTransformer(ctx, est, frame);
  else if (est instanceof StandardScaler || est instanceof RobustScaler || est instanceof MinMaxScaler)
    cols = convertScaler(ctx, est, frame);
  else if (est instanceof OneHotEncoder) cols = convertOneHotEncoder(ctx, est, frame);
  else if (est instanceof OrdinalEncoder) cols = convertOrdinalEncoder(ctx, est, frame);
  else if (est instanceof DatePartExtractor) cols = convertDatePartExtractor(ctx, est, frame);
  else throw unsupported(ctx, est, 'step');
  return { cols, table: false };
}

/**
 * Runs every step of a fitted pipeline but the last on `frame` (conformed to the pipeline's fitted
 * columns first). Returns the frame the last step receives, and that step with its name.
 */
export function runPipelineSteps(
  ctx: ConvertContext,
  pipe: Pipeline,
  frame: Frame,
): { frame: Frame; last: [string, Estimator] | undefined } {
  const types = pipe.inputTypes_!;
  fittedNames(ctx, pipe);
  let f: Frame = {
    cols: conformFrame(ctx, pipe, frame, types),
    table: frame.table || types.some((t) => t !== 'numeric'),
  };
  const steps = pipe.steps;
  for (let s = 0; s < steps.length - 1; s++) {
    const [name, est] = steps[s];
    f = convertTransformer(inStep(ctx, name), est, f, f.table && est instanceof SimpleImputer);
  }
  return {
    frame: f,
    last: steps.length ? [steps[steps.length - 1][0], steps[steps.length - 1][1]] : undefined,
  };
}

/** A pipeline used as a transformer (e.g. a ColumnTransformer route): numbers out. */
function convertPipelineTransform(ctx: ConvertContext, pipe: Pipeline, frame: Frame): Col[] {
  const { frame: f, last } = runPipelineSteps(ctx, pipe, frame);
  if (!last) return f.cols.map((c) => ({ ...numericColumn(c, describeStep(ctx, pipe)), type: 'numeric' }));
  const [name, est] = last;
  return convertTransformer(inStep(ctx, name), est, f, false).cols;
}

/** A fitted ColumnTransformer: each route on its columns, outputs side by side. */
function convertColumnTransformer(ctx: ConvertContext, ct: ColumnTransformer, frame: Frame): Col[] {
  const cols = conformFrame(ctx, ct, frame, ct.inputTypes_!);
  const byName = new Map(cols.map((c) => [c.name, c]));
  const pick = (names: readonly string[]): Col[] => names.map((n) => byName.get(n)!);
  const passthrough = (sub: Col[], route: string): Col[] =>
    sub.map((c) => ({
      ...numericColumn(c, describeStep(inStep(ctx, route), 'passthrough')),
      type: 'numeric',
    }));
  const out: Col[] = [];
  for (const r of ct.transformers_!) {
    if (r.transformer === 'drop' || r.columns.length === 0) continue;
    const sub = pick(r.columns);
    if (r.transformer === 'passthrough') out.push(...passthrough(sub, r.name));
    else out.push(...convertTransformer(inStep(ctx, r.name), r.transformer, { cols: sub, table: true }).cols);
  }
  if (ct.getParams().remainder === 'passthrough' && ct.remainderColumns_!.length) {
    out.push(...passthrough(pick(ct.remainderColumns_!), 'remainder'));
  }
  const names = ct.featureNamesOut_!;
  return out.map((c, j) => ({ ...c, name: names[j] ?? c.name }));
}
