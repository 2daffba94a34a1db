/** stats: descriptive statistics, quantiles, correlation (see DESIGN.md). */
export * from './correlation.ts';
export * from './quantile.ts';
