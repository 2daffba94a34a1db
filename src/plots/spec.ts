/**
 * What every chart spec shares: the Vega-Lite spec type and Lathe's look (fonts, sizes, colours).
 * Specs are plain JSON built by pure functions (Observable Plot's habit); rendering is separate
 * (`render.ts`).
 *
 * @module
 */

import type { TopLevelSpec } from 'vega-lite';

/** A Vega-Lite spec (v6) as built by the functions in this folder. */
export type VegaLiteSpec = TopLevelSpec;

/** The Vega-Lite schema URL (a name for editors; nothing is fetched from it). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Lathe's colours: the main series, a highlight, and the severities. */
export const PLOT_COLORS = {
  main: '#4c78a8',
  highlight: '#e45756',
  muted: '#9ea7b3',
} as const;

/** Size and title options every spec builder accepts. */
export interface ChartOptions {
  /** Chart title (none by default). */
  title?: string;
  /** Plot width in pixels (default 320). */
  width?: number;
  /** Plot height in pixels (default 160). */
  height?: number;
}

/** The shared configuration: system sans-serif fonts (no web fonts), quiet axes, white background. */
export function baseConfig(): Record<string, unknown> {
  return {
    font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
    background: 'white',
    view: { stroke: null },
    axis: { labelFontSize: 10, titleFontSize: 11, grid: true, gridColor: '#eceff3', domainColor: '#9ea7b3' },
    title: { fontSize: 12, anchor: 'start', fontWeight: 'bold' },
    legend: { labelFontSize: 10, titleFontSize: 10 },
  };
}

/** The common top-level fields: schema, title, size, config. */
export function frame(o: ChartOptions, defaults: { width: number; height: number }): Record<string, unknown> {
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(o.title ? { title: o.title } : {}),
    width: o.width ?? defaults.width,
    height: o.height ?? defaults.height,
    config: baseConfig(),
  };
}
