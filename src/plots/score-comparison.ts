/**
 * `scoreComparisonSpec`: candidates' scores as horizontal bars with ± one standard deviation
 * (e.g. the cross-validated metric of each model family of `lathe run`), the best highlighted.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { type ChartOptions, frame, PLOT_COLORS, type VegaLiteSpec } from './spec.ts';

/** One bar. */
export interface ScoredItem {
  label: string;
  score: number;
  /** Standard deviation (an error bar of ± std); null for none. */
  std: number | null;
  /** Drawn in the highlight colour. */
  best?: boolean;
}

/** Options of {@link scoreComparisonSpec}. */
export interface ScoreComparisonSpecOptions extends ChartOptions {
  /** Title of the score axis (e.g. the metric's name). */
  xTitle?: string;
}

/**
 * Bars in the order given.
 *
 * @example scoreComparisonSpec([{ label: 'gbdt', score: 0.91, std: 0.02, best: true }, { label: 'logistic', score: 0.88, std: 0.03 }])
 */
export function scoreComparisonSpec(
  items: readonly ScoredItem[],
  options: ScoreComparisonSpecOptions = {},
): VegaLiteSpec {
  if (items.length === 0 || items.some((it) => !Number.isFinite(it.score))) {
    throw new ValidationError('scoreComparisonSpec: expected at least one item, each with a finite score.', {
      field: 'items',
      fix: 'pass { label, score, std } for each scored candidate',
    });
  }
  const values = items.map((it) => {
    const sd = it.std !== null && Number.isFinite(it.std) ? it.std : 0;
    return { label: it.label, score: it.score, lo: it.score - sd, hi: it.score + sd, best: it.best === true };
  });
  const order = values.map((v) => v.label);
  const y = { field: 'label', type: 'nominal', sort: order, title: null, axis: { labelLimit: 160 } };
  return {
    ...frame(options, { width: 320, height: Math.max(40, 22 * values.length) }),
    data: { values },
    layer: [
      {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          y,
          x: {
            field: 'score',
            type: 'quantitative',
            title: options.xTitle ?? 'score',
          },
          color: {
            condition: { test: 'datum.best', value: PLOT_COLORS.highlight },
            value: PLOT_COLORS.main,
          },
        },
      },
      {
        mark: { type: 'rule', color: '#1f2933' },
        encoding: { y, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } },
      },
    ],
  } as unknown as VegaLiteSpec;
}
