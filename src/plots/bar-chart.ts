/**
 * Bar charts of counted values: `topValuesSpec` (the most frequent values of a column,
 * horizontal) and `classBalanceSpec` (the classes of a target with their share).
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { type ChartOptions, frame, PLOT_COLORS, type VegaLiteSpec } from './spec.ts';

/** A value and how often it occurs. */
export interface CountedValue {
  value: string | number | boolean;
  count: number;
}

function rowsOf(items: readonly CountedValue[], who: string) {
  if (items.length === 0) {
    throw new ValidationError(`${who}: nothing to draw (no values).`, {
      field: 'items',
      fix: 'pass at least one { value, count }',
    });
  }
  const total = items.reduce((s, it) => s + it.count, 0);
  return items.map((it) => ({
    label: String(it.value),
    count: it.count,
    share: total > 0 ? it.count / total : 0,
  }));
}

/** Options of {@link topValuesSpec}. */
export interface TopValuesSpecOptions extends ChartOptions {
  /** Title of the count axis (default "rows"). */
  xTitle?: string;
}

/**
 * Horizontal bars of the most frequent values, in the order given (most frequent first).
 *
 * @example topValuesSpec([{ value: 'Paris', count: 50 }, { value: 'Lyon', count: 20 }])
 */
export function topValuesSpec(
  items: readonly CountedValue[],
  options: TopValuesSpecOptions = {},
): VegaLiteSpec {
  const values = rowsOf(items, 'topValuesSpec');
  return {
    ...frame(options, { width: 320, height: Math.max(40, 18 * values.length) }),
    data: { values },
    mark: { type: 'bar', color: PLOT_COLORS.main, tooltip: true },
    encoding: {
      y: {
        field: 'label',
        type: 'nominal',
        sort: values.map((v) => v.label),
        title: null,
        axis: { labelLimit: 140 },
      },
      x: {
        field: 'count',
        type: 'quantitative',
        title: options.xTitle ?? 'rows',
        axis: { format: '~s', tickCount: 4 },
      },
    },
  } as VegaLiteSpec;
}

/**
 * Vertical bars of the classes of a target, labelled with their share of the rows; the rarest
 * class (or classes) is highlighted unless all are equally frequent.
 *
 * @example classBalanceSpec([{ value: 'no', count: 800 }, { value: 'yes', count: 200 }], { title: 'churned' })
 */
export function classBalanceSpec(classes: readonly CountedValue[], options: ChartOptions = {}): VegaLiteSpec {
  const rows = rowsOf(classes, 'classBalanceSpec');
  const least = Math.min(...rows.map((r) => r.count));
  const most = Math.max(...rows.map((r) => r.count));
  // The highlight is a data field, so no value from the data ever enters a Vega expression.
  const values = rows.map((r) => ({ ...r, rarest: r.count === least && least < most }));
  const x = {
    field: 'label',
    type: 'nominal',
    sort: values.map((v) => v.label),
    title: null,
    axis: { labelAngle: 0, labelLimit: 80 },
  };
  return {
    ...frame(options, { width: Math.max(120, 48 * values.length), height: 160 }),
    data: { values },
    layer: [
      {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x,
          y: { field: 'count', type: 'quantitative', title: 'rows', axis: { format: '~s', tickCount: 4 } },
          color: {
            condition: { test: 'datum.rarest', value: PLOT_COLORS.highlight },
            value: PLOT_COLORS.main,
          },
        },
      },
      {
        mark: { type: 'text', dy: -6, fontSize: 10 },
        encoding: {
          x,
          y: { field: 'count', type: 'quantitative' },
          text: { field: 'share', type: 'quantitative', format: '.1%' },
        },
      },
    ],
  } as VegaLiteSpec;
}
