// Task functions for the pool tests (loaded by worker threads through their module URL).
import { ValidationError } from '../../src/core/errors.ts';
import { registerTask } from '../../src/core/pool.ts';
import { Rng } from '../../src/core/rng.ts';
import { warn } from '../../src/core/warnings.ts';

/** Sum of data[start:end] plus a seeded random term, so task-order bugs would show. */
export function sumSlice(data: Float64Array, start: number, end: number, key: number): number {
  let s = 0;
  for (let i = start; i < Math.min(end, data.length); i++) s += data[i];
  return s + new Rng(1).derive(key).random();
}

export const sumSliceTask = registerTask(import.meta.url, 'sumSlice', sumSlice);

export function writeAt(out: Float64Array, i: number, v: number): void {
  out[i] = v;
}

export function fail(message: string): never {
  throw new ValidationError(message);
}

export function exitThread(): void {
  process.exit(7);
}

/** Emits a warning in the worker (the pool re-emits it on the calling thread) and returns `v`. */
export function warnAndReturn(message: string, v: number): number {
  warn('ConvergenceWarning', message);
  return v;
}

/** Spins for `ms` milliseconds (a task still running when its pool is closed). */
export function spin(ms: number): number {
  const end = Date.now() + ms;
  let k = 0;
  while (Date.now() < end) k++;
  return k;
}
