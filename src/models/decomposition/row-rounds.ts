/**
 * Row-parallel passes over a matrix on the worker pool — `PCA.transform`, `KMeans.predict` — for
 * any X, shared or not.
 *
 * Workers can only read memory they share with the calling thread. When X already lives in a
 * `SharedArrayBuffer`, one batch of tasks reads it in place. Otherwise the rows go through a
 * staging buffer of at most {@link STAGE_BYTES}, kept for the life of the thread (so a call pays
 * no fresh memory for it after the first): the calling thread copies the next round of rows in,
 * the workers work on them — each on its own contiguous part, writing its results straight into
 * the caller's shared output — and so on. The one copy is a memcpy at memory speed; the work and
 * the first touches of the output's pages are split over the threads.
 *
 * Each task sees a source array, the index of its first row there, the index of that row in X
 * and a row count. Tasks compute every row on its own, so the results do not depend on the
 * number of threads or on how the rows are cut.
 *
 * @module
 */

import type { Executor, Task } from '../../core/pool.ts';

/** Bytes of the staging buffer (a round of rows). */
export const STAGE_BYTES = 1 << 22;

let stage: Float64Array | null = null;

/** This thread's staging buffer, at least `values` long. */
function stagingFor(values: number): Float64Array {
  if (!stage || stage.length < values) stage = new Float64Array(new SharedArrayBuffer(values * 8));
  return stage;
}

/** True when `a` is backed by a `SharedArrayBuffer` (workers can read it in place). */
export function isShared(a: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

/**
 * Runs `makeTask(src, srcRow, row, rows)` over rows [0, n) of X (n × d, row-major) on `executor`,
 * each round cut into `executor.parallelism` contiguous parts; returns every task's result, in row
 * order.
 */
export function rowRounds<R>(
  X: Float64Array,
  n: number,
  d: number,
  executor: Executor,
  makeTask: (src: Float64Array, srcRow: number, row: number, rows: number) => Task,
): R[] {
  const parts = executor.parallelism;
  const out: R[] = [];
  const cut = (src: Float64Array, srcRow0: number, row0: number, rows: number) => {
    const tasks: Task[] = [];
    for (let t = 0; t < parts; t++) {
      const a = Math.floor((t * rows) / parts);
      const b = Math.floor(((t + 1) * rows) / parts);
      if (b > a) tasks.push(makeTask(src, srcRow0 + a, row0 + a, b - a));
    }
    for (const r of executor.mapSync<R>(tasks)) out.push(r);
  };
  if (isShared(X)) {
    cut(X, 0, 0, n);
    return out;
  }
  const roundRows = Math.max(1, Math.min(n, Math.floor(STAGE_BYTES / 8 / Math.max(d, 1))));
  const src = stagingFor(roundRows * d);
  for (let s = 0; s < n; s += roundRows) {
    const rows = Math.min(roundRows, n - s);
    src.set(X.subarray(s * d, (s + rows) * d));
    cut(src, 0, s, rows);
  }
  return out;
}
