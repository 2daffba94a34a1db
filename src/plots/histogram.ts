/**
 * `histogramSpec`: bars over pre-computed bins (the report computes the bins; the chart only
 * draws them, so the picture and the numbers always agree).
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { type ChartOptions, frame, PLOT_COLORS, type VegaLiteSpec } from './spec.ts';

/** Bins: `edges` (k + 1 ascending numbers) and `counts` (k). */
export interface BinnedCounts {
  edges: readonly number[];
  counts: readonly number[];
}

/** Options of {@link histogramSpec}. */
export interface HistogramSpecOptions extends ChartOptions {
  /** Title of the x axis (e.g. the column name). */
  xTitle?: string;
  /** Title of the y axis (default "rows"). */
  yTitle?: string;
  /** The edges are epoch milliseconds: draw a time axis. */
  temporal?: boolean;
}

/**
 * A histogram of pre-binned counts: one bar per bin from `edges[k]` to `edges[k+1]`.
 *
 * @example histogramSpec({ edges: [0, 1, 2], counts: [3, 5] }, { xTitle: 'age' })
 */
export function histogramSpec(bins: BinnedCounts, options: HistogramSpecOptions = {}): VegaLiteSpec {
  const { edges, counts } = bins;
  if (counts.length === 0 || edges.length !== counts.length + 1) {
    throw new ValidationError(
      `histogramSpec: expected one more edge than counts; got ${edges.length} edges and ${counts.length} counts.`,
      { field: 'edges', fix: "pass the edges and counts of a histogram (e.g. a column profile's histogram)" },
    );
  }
  const values = counts.map((count, k) => ({ start: edges[k], end: edges[k + 1], count }));
  const type = options.temporal ? 'temporal' : 'quantitative';
  return {
    ...frame(options, { width: 320, height: 140 }),
    data: { values },
    mark: { type: 'bar', color: PLOT_COLORS.main, binSpacing: 1, tooltip: true },
    encoding: {
      x: {
        field: 'start',
        type,
        bin: { binned: true },
        title: options.xTitle ?? null,
        axis: { labelOverlap: true, ...(options.temporal ? {} : { format: '~s' }) },
      },
      x2: { field: 'end' },
      y: {
        field: 'count',
        type: 'quantitative',
        title: options.yTitle ?? 'rows',
        axis: { format: '~s', tickCount: 4 },
      },
    },
  } as VegaLiteSpec;
}
