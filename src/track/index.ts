/** Tracking: the Store (SQLite, PostgreSQL), runs, artifacts, lineage, model packages and the registry. */
export * from './actor.ts';
export * from './artifacts.ts';
export * from './lineage.ts';
export * from './names.ts';
export * from './open.ts';
export * from './package/format.ts';
export * from './package/read.ts';
export * from './package/write.ts';
export * from './registry.ts';
export * from './sql-store.ts';
export * from './store.ts';
export * from './tracker.ts';
