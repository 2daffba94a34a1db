/**
 * `confusionMatrixSpec`: a confusion matrix as a heatmap of counts (rows: true class, columns:
 * predicted class), each cell labelled with its count.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { type ChartOptions, frame, type VegaLiteSpec } from './spec.ts';

/**
 * The counts `matrix[i][j]` of rows of true class `labels[i]` predicted as `labels[j]`.
 *
 * @example confusionMatrixSpec(['no', 'yes'], [[50, 3], [7, 40]])
 */
export function confusionMatrixSpec(
  labels: readonly (string | number | boolean)[],
  matrix: readonly (readonly number[])[],
  options: ChartOptions = {},
): VegaLiteSpec {
  const k = labels.length;
  if (k === 0 || matrix.length !== k || matrix.some((row) => row.length !== k)) {
    throw new ValidationError(`confusionMatrixSpec: expected a ${k}×${k} matrix of counts for ${k} labels.`, {
      field: 'matrix',
      fix: 'pass one row per true label, each with one count per predicted label',
    });
  }
  const names = labels.map(String);
  const values: { truth: string; predicted: string; count: number }[] = [];
  let max = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      values.push({ truth: names[i], predicted: names[j], count: matrix[i][j] });
      max = Math.max(max, matrix[i][j]);
    }
  }
  const cell = Math.max(24, Math.min(60, Math.floor(360 / k)));
  const x = {
    field: 'predicted',
    type: 'nominal',
    sort: names,
    title: 'predicted',
    axis: { labelAngle: -45, grid: false },
  };
  const y = { field: 'truth', type: 'nominal', sort: names, title: 'true', axis: { grid: false } };
  return {
    ...frame(options, { width: cell * k, height: cell * k }),
    data: { values },
    layer: [
      {
        mark: { type: 'rect', tooltip: true },
        encoding: {
          x,
          y,
          color: { field: 'count', type: 'quantitative', title: 'rows', scale: { scheme: 'blues' } },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          x,
          y,
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  } as unknown as VegaLiteSpec;
}
