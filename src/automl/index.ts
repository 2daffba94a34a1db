/** AutoML and the jobs behind the CLI: model families, training, scoring, packaging. */
export * from './evaluate.ts';
export * from './families.ts';
export * from './load.ts';
export * from './monitor.ts';
export * from './monitor-report.ts';
export * from './package.ts';
export * from './permutation-importance.ts';
export * from './predict.ts';
export * from './reference.ts';
export * from './reproduce.ts';
export * from './run.ts';
export * from './run-report.ts';
export * from './scores.ts';
export * from './task.ts';
export * from './train.ts';
export * from './tune.ts';
