// Task functions for test/core/pool-begin.test.ts (loaded by worker threads through their module
// URL): tasks that take a while and leave a mark in shared memory, so a test can see which ran.
import { ValidationError } from '../../src/core/errors.ts';
import { registerTask } from '../../src/core/pool.ts';

/** Sleeps `ms` (blocking the worker), then writes `v` at out[i]; returns v. */
export function sleepThenWrite(out: Int32Array, i: number, v: number, ms: number): number {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  Atomics.store(out, i, v);
  return v;
}

export const sleepThenWriteTask = registerTask(import.meta.url, 'sleepThenWrite', sleepThenWrite);

/** Waits until out[i] is no longer 0 (set by the calling thread), then returns it. */
export function waitFor(out: Int32Array, i: number): number {
  while (Atomics.load(out, i) === 0) Atomics.wait(out, i, 0, 50);
  return Atomics.load(out, i);
}

export const waitForTask = registerTask(import.meta.url, 'waitFor', waitFor);

/** Throws a ValidationError (registered, so inline executors can run it too). */
export function failWith(message: string): never {
  throw new ValidationError(message);
}

export const failWithTask = registerTask(import.meta.url, 'failWith', failWith);
