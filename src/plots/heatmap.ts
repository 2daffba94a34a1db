/**
 * `correlationHeatmapSpec`: a square matrix of correlations coloured from −1 (blue) through 0
 * (white) to +1 (red), with the values printed in the cells when the matrix is small.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { type ChartOptions, frame, type VegaLiteSpec } from './spec.ts';

/** Options of {@link correlationHeatmapSpec}. */
export interface HeatmapSpecOptions extends ChartOptions {
  /** Print the coefficients in the cells (default: when there are at most 12 columns). */
  labels?: boolean;
  /** The legend title (default "r"). */
  legendTitle?: string;
}

/**
 * A correlation heatmap of `matrix` (p × p, `null` where undefined) over `columns`.
 *
 * @example correlationHeatmapSpec(['a', 'b'], [[1, 0.8], [0.8, 1]], { title: 'Pearson' })
 */
export function correlationHeatmapSpec(
  columns: readonly string[],
  matrix: readonly (readonly (number | null)[])[],
  options: HeatmapSpecOptions = {},
): VegaLiteSpec {
  const p = columns.length;
  if (matrix.length !== p || matrix.some((row) => row.length !== p)) {
    throw new ValidationError(`correlationHeatmapSpec: expected a ${p}×${p} matrix for ${p} columns.`, {
      field: 'matrix',
      fix: 'pass one row per column, each with one value per column',
    });
  }
  const values: { a: string; b: string; r: number | null }[] = [];
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) values.push({ a: columns[i], b: columns[j], r: matrix[i][j] });
  const cell = Math.max(12, Math.min(40, Math.floor(360 / Math.max(1, p))));
  const labels = options.labels ?? p <= 12;
  const order = [...columns];
  const x = {
    field: 'b',
    type: 'nominal',
    sort: order,
    title: null,
    axis: { labelAngle: -45, labelLimit: 100, grid: false },
  };
  const y = { field: 'a', type: 'nominal', sort: order, title: null, axis: { labelLimit: 100, grid: false } };
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'rect', tooltip: true },
      encoding: {
        x,
        y,
        color: {
          field: 'r',
          type: 'quantitative',
          title: options.legendTitle ?? 'r',
          scale: { domain: [-1, 1], scheme: 'redblue', reverse: true },
        },
      },
    },
  ];
  if (labels) {
    layers.push({
      transform: [{ filter: 'isValid(datum.r)' }],
      mark: { type: 'text', fontSize: 9 },
      encoding: {
        x,
        y,
        text: { field: 'r', type: 'quantitative', format: '.2f' },
        color: { condition: { test: 'abs(datum.r) > 0.6', value: 'white' }, value: 'black' },
      },
    });
  }
  return {
    ...frame(options, { width: cell * p, height: cell * p }),
    data: { values },
    layer: layers,
  } as unknown as VegaLiteSpec;
}
