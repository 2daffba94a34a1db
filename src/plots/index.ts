/** plots: Vega-Lite spec builders, offline SVG/PNG rendering, and the HTML reports (see docs/plots.md). */
export * from './bar-chart.ts';
export * from './confusion-matrix.ts';
export * from './distribution-comparison.ts';
export * from './heatmap.ts';
export * from './histogram.ts';
export * from './html.ts';
export * from './predicted-actual.ts';
export * from './quality-report.ts';
export * from './render.ts';
export * from './roc-curve.ts';
export * from './score-comparison.ts';
export * from './spec.ts';
