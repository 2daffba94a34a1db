/**
 * `predictedActualSpec`: a regression model's predictions against the true values, one point per
 * row, with the line where they would be equal.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { type ChartOptions, frame, PLOT_COLORS, type VegaLiteSpec } from './spec.ts';

/** Options of {@link predictedActualSpec}. */
export interface PredictedActualSpecOptions extends ChartOptions {
  /** At most this many points are drawn (every ⌈n / maxPoints⌉-th row; default 2000). */
  maxPoints?: number;
}

/**
 * Points (yTrue[i], yPred[i]) and the identity line over their common range.
 *
 * @example predictedActualSpec([1, 2, 3], [1.1, 1.9, 3.2])
 */
export function predictedActualSpec(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: PredictedActualSpecOptions = {},
): VegaLiteSpec {
  const n = yTrue.length;
  if (n === 0 || yPred.length !== n) {
    throw new ValidationError(
      `predictedActualSpec: expected as many predictions as true values (at least 1); got ${n} true values and ${yPred.length} predictions.`,
      { field: 'yPred', fix: 'pass one prediction per true value' },
    );
  }
  const step = Math.max(1, Math.ceil(n / (options.maxPoints ?? 2000)));
  const values: { actual: number; predicted: number }[] = [];
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i += step) {
    const a = yTrue[i];
    const p = yPred[i];
    if (!Number.isFinite(a) || !Number.isFinite(p)) continue;
    values.push({ actual: a, predicted: p });
    lo = Math.min(lo, a, p);
    hi = Math.max(hi, a, p);
  }
  if (values.length === 0) lo = hi = 0;
  return {
    ...frame(options, { width: 280, height: 280 }),
    layer: [
      {
        data: {
          values: [
            { actual: lo, predicted: lo },
            { actual: hi, predicted: hi },
          ],
        },
        mark: { type: 'line', color: PLOT_COLORS.muted, strokeDash: [4, 4] },
        encoding: {
          x: { field: 'actual', type: 'quantitative', title: 'true value', scale: { zero: false } },
          y: { field: 'predicted', type: 'quantitative', title: 'prediction', scale: { zero: false } },
        },
      },
      {
        data: { values },
        mark: { type: 'circle', size: 14, opacity: 0.5, color: PLOT_COLORS.main, tooltip: true },
        encoding: {
          x: { field: 'actual', type: 'quantitative', scale: { zero: false } },
          y: { field: 'predicted', type: 'quantitative', scale: { zero: false } },
        },
      },
    ],
  } as unknown as VegaLiteSpec;
}
