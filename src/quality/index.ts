/** quality: data-quality checks and the `QualityReport` (see DESIGN.md, docs/profile.md). */
export * from './clean.ts';
export * from './profile.ts';
export * from './profile-file.ts';
export * from './render-text.ts';
export * from './report.ts';
export * from './thresholds.ts';
