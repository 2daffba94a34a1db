/**
 * `rocCurveSpec`: a ROC curve (true-positive rate against false-positive rate) with the chance
 * diagonal, from the points of `rocCurve` in `src/metrics`.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { type ChartOptions, frame, PLOT_COLORS, type VegaLiteSpec } from './spec.ts';

/** Options of {@link rocCurveSpec}. */
export interface RocCurveSpecOptions extends ChartOptions {
  /** The area under the curve, shown in the legend's label when given. */
  auc?: number;
}

/**
 * A ROC curve through the points (fpr[i], tpr[i]), in the order given (as `rocCurve` returns them).
 *
 * @example rocCurveSpec({ fpr: [0, 0, 0.5, 1], tpr: [0, 0.5, 1, 1] }, { auc: 0.875 })
 */
export function rocCurveSpec(
  curve: { fpr: ArrayLike<number>; tpr: ArrayLike<number> },
  options: RocCurveSpecOptions = {},
): VegaLiteSpec {
  const n = curve.fpr.length;
  if (n < 2 || curve.tpr.length !== n) {
    throw new ValidationError(
      `rocCurveSpec: expected at least 2 points with as many tpr as fpr values; got ${n} fpr and ${curve.tpr.length} tpr.`,
      { field: 'curve', fix: "pass the fpr and tpr of the metrics' rocCurve" },
    );
  }
  const label = options.auc === undefined ? 'model' : `model (AUC ${options.auc.toFixed(3)})`;
  const values = Array.from({ length: n }, (_, i) => ({
    fpr: curve.fpr[i],
    tpr: curve.tpr[i],
    i,
    series: label,
  }));
  const axis = { type: 'quantitative', scale: { domain: [0, 1] } };
  return {
    ...frame(options, { width: 260, height: 260 }),
    layer: [
      {
        data: {
          values: [
            { fpr: 0, tpr: 0 },
            { fpr: 1, tpr: 1 },
          ],
        },
        mark: { type: 'line', color: PLOT_COLORS.muted, strokeDash: [4, 4] },
        encoding: {
          x: { field: 'fpr', ...axis, title: 'false-positive rate' },
          y: { field: 'tpr', ...axis, title: 'true-positive rate' },
        },
      },
      {
        data: { values },
        mark: { type: 'line', color: PLOT_COLORS.main, tooltip: true },
        encoding: {
          x: { field: 'fpr', ...axis },
          y: { field: 'tpr', ...axis },
          order: { field: 'i', type: 'quantitative' },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: { range: [PLOT_COLORS.main] },
            legend: { orient: 'bottom-right' },
          },
        },
      },
    ],
  } as unknown as VegaLiteSpec;
}
