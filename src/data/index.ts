/** Data: the columnar Table, its Schema, readers, writers, splits and fingerprints. */
export * from './column.ts';
export * from './fingerprint.ts';
export * from './from-rows.ts';
export * from './number-categories.ts';
export * from './read/index.ts';
export * from './read-types.ts';
export * from './schema.ts';
export * from './schema-apply.ts';
export * from './schema-file.ts';
export * from './schema-infer.ts';
export * from './split.ts';
export * from './table.ts';
export * from './write.ts';
