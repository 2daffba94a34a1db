/**
 * Scale-out: the task queue (Redis, BullMQ) behind `lathe worker` and `lathe tune --queue`.
 * Imported as `lathe/queue` — kept out of the main entry point, whose users need no Redis client.
 */
export * from './codec.ts';
export * from './executor.ts';
export * from './modules.ts';
export * from './names.ts';
export * from './redis.ts';
export * from './worker.ts';
