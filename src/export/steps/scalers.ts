/**
 * The scalers as float64 `Sub`/`Div`/`Mul`/`Add` on the block of their columns — the same
 * operations, in the same order, as their `transform`, so the values agree to the bit:
 *
 * - StandardScaler: `(x − mean_) / scale_` (each part only when `withMean` / `withStd`);
 * - RobustScaler: `(x − center_) / scale_` (each part only when fitted);
 * - MinMaxScaler: `x · scale_ + min_`, clipped to `featureRange` with `clip` (NaN stays NaN).
 *
 * @module
 */

import type { MinMaxScaler } from '../../preprocess/min-max-scaler.ts';
import type { RobustScaler } from '../../preprocess/robust-scaler.ts';
import type { StandardScaler } from '../../preprocess/standard-scaler.ts';
import { type ConvertContext, describeStep } from '../context.ts';
import { blockColumns, type Col, matrixTensor } from '../frame.ts';
import { conformFrame, type Frame } from './conform.ts';

type Scaler = StandardScaler | RobustScaler | MinMaxScaler;

/** Converts a fitted StandardScaler, RobustScaler or MinMaxScaler; the output is numeric. */
export function convertScaler(ctx: ConvertContext, scaler: Scaler, frame: Frame): Col[] {
  const { b } = ctx;
  const cols = conformFrame(ctx, scaler, frame, null);
  let X = matrixTensor(b, cols, describeStep(ctx, scaler));
  const params = scaler.getParams() as Record<string, unknown>;
  switch (scaler.typeName) {
    case 'StandardScaler': {
      const s = scaler as StandardScaler;
      if (params.withMean && s.mean_) X = b.op('Sub', [X, b.double(s.mean_)]);
      if (params.withStd && s.scale_) X = b.op('Div', [X, b.double(s.scale_)]);
      break;
    }
    case 'RobustScaler': {
      const s = scaler as RobustScaler;
      if (s.center_) X = b.op('Sub', [X, b.double(s.center_)]);
      if (s.scale_) X = b.op('Div', [X, b.double(s.scale_)]);
      break;
    }
    default: {
      const s = scaler as MinMaxScaler;
      X = b.op('Add', [b.op('Mul', [X, b.double(s.scale_!)]), b.double(s.min_!)]);
      if (params.clip) {
        const [lo, hi] = params.featureRange as number[];
        const clipped = b.op('Max', [b.op('Min', [X, b.scalar(hi)]), b.scalar(lo)]);
        X = b.op('Where', [b.op('IsNaN', [X]), X, clipped]);
      }
    }
  }
  return blockColumns(X, scaler.featureNamesIn_!);
}
