/**
 * `distributionComparisonSpec`: a column's distribution in two samples (the training reference and
 * the current rows) as shares — overlaid bars over shared bins for numbers, side-by-side bars per
 * level for categories. The monitor's report draws one per column.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { type ChartOptions, frame, PLOT_COLORS, type VegaLiteSpec } from './spec.ts';

/** Shares of two samples per bin (`edges`: one more than the shares) or per level. */
export type DistributionComparison =
  | { kind: 'bins'; edges: readonly number[]; reference: readonly number[]; current: readonly number[] }
  | { kind: 'levels'; levels: readonly string[]; reference: readonly number[]; current: readonly number[] };

/** Options of {@link distributionComparisonSpec}. */
export interface DistributionComparisonOptions extends ChartOptions {
  /** Title of the value axis (e.g. the column name). */
  xTitle?: string;
}

const SAMPLES = ['reference', 'current'] as const;
const COLORS = [PLOT_COLORS.muted, PLOT_COLORS.main];

/**
 * The two samples' shares, reference in grey and current in blue.
 *
 * @example distributionComparisonSpec({ kind: 'levels', levels: ['a', 'b'], reference: [0.5, 0.5], current: [0.8, 0.2] })
 */
export function distributionComparisonSpec(
  d: DistributionComparison,
  options: DistributionComparisonOptions = {},
): VegaLiteSpec {
  const n = d.kind === 'bins' ? d.edges.length - 1 : d.levels.length;
  if (n < 1 || d.reference.length !== n || d.current.length !== n) {
    throw new ValidationError(
      `distributionComparisonSpec: expected ${d.kind === 'bins' ? 'one share per bin' : 'one share per level'} in both samples; got ${d.reference.length} and ${d.current.length} for ${n}.`,
      { field: 'reference', fix: "pass a monitor report's distribution" },
    );
  }
  const color = {
    field: 'sample',
    type: 'nominal',
    scale: { domain: [...SAMPLES], range: COLORS },
    legend: { orient: 'top', title: null },
  };
  const y = {
    field: 'share',
    type: 'quantitative',
    title: 'share of rows',
    axis: { format: '.0%', tickCount: 4 },
  };
  if (d.kind === 'bins') {
    const values = SAMPLES.flatMap((s) =>
      d[s].map((share, k) => ({ sample: s, start: d.edges[k], end: d.edges[k + 1], share })),
    );
    return {
      ...frame(options, { width: 320, height: 140 }),
      data: { values },
      mark: { type: 'bar', opacity: 0.6, binSpacing: 0, tooltip: true },
      encoding: {
        x: {
          field: 'start',
          type: 'quantitative',
          bin: { binned: true },
          title: options.xTitle ?? null,
          axis: { labelOverlap: true, format: '~s' },
        },
        x2: { field: 'end' },
        y: { ...y, stack: null },
        color,
      },
    } as VegaLiteSpec;
  }
  const values = SAMPLES.flatMap((s) => d[s].map((share, k) => ({ sample: s, level: d.levels[k], share })));
  return {
    ...frame(options, { width: 320, height: Math.max(60, 26 * n) }),
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: {
        field: 'level',
        type: 'nominal',
        sort: [...d.levels],
        title: options.xTitle ?? null,
        axis: { labelLimit: 140 },
      },
      yOffset: { field: 'sample', sort: [...SAMPLES] },
      x: { ...y, axis: { format: '.0%', tickCount: 4 } },
      color,
    },
  } as VegaLiteSpec;
}
