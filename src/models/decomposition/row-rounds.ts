/**
 * Row-parallel passes over a matrix on the worker pool — `PCA.transform`, `KMeans.predict`, the
 * PCA fit's projection pass — for any X, shared or not.
 *
 * Workers can only read and write memory they share with the calling thread. The rows go through
 * in rounds of at most {@link STAGE_BYTES}: the calling thread copies the round's rows into a
 * shared staging buffer (unless X already lives in a `SharedArrayBuffer`, which the workers then
 * read in place), the workers work on them — each on its own contiguous part — writing any
 * per-row output into a second shared staging buffer, which the calling thread copies into the
 * caller's (ordinary) output array; then the next round. Both staging buffers are kept for the
 * life of the thread, so a call allocates no shared memory after the first.
 *
 * Why not hand the workers the output itself (a `SharedArrayBuffer`): each worker holds its copy
 * of the handle until its next garbage collection, and an idle worker does not collect — every
 * call's output stayed alive (a loop of 100 000-row transforms grew by 16 MB a call).
 *
 * Each task sees a source array and the index of its first row there, the index of that row in X,
 * a row count, and (when there is an output) the staging array and the index of its first output
 * row there. Tasks compute every row on its own (or whole blocks of `align` rows), so the results
 * do not depend on the number of threads or on how the rows are cut.
 *
 * @module
 */

import { copyValues } from '../../core/copy-values.ts';
import type { Executor, Task } from '../../core/pool.ts';

/** Bytes of the input staging buffer (one round of rows). */
export const STAGE_BYTES = 1 << 22;

/** Typed arrays an output can be. */
export type RowOutput = Float64Array | Int32Array;

let inStage: Float64Array | null = null;
let calls = 0;

/** How many times {@link rowRounds} has run on this thread (lets tests see which path ran). */
export function rowRoundsCalls(): number {
  return calls;
}
const outStages = new Map<string, RowOutput>();

/** This thread's input staging buffer, at least `values` long. */
function inStageFor(values: number): Float64Array {
  if (!inStage || inStage.length < values) inStage = new Float64Array(new SharedArrayBuffer(values * 8));
  return inStage;
}

/** This thread's output staging buffer of the type of `like`, at least `values` long. */
function outStageFor(like: RowOutput, values: number): RowOutput {
  const Ctor = like.constructor as new (b: SharedArrayBuffer) => RowOutput;
  const name = Ctor.name;
  let s = outStages.get(name);
  if (!s || s.length < values) {
    s = new Ctor(new SharedArrayBuffer(values * like.BYTES_PER_ELEMENT));
    outStages.set(name, s);
  }
  return s;
}

/** True when `a` is backed by a `SharedArrayBuffer` (workers can read it in place). */
export function isShared(a: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

/** Options of {@link rowRounds}. */
export interface RowRoundsOptions {
  /** Every part starts at a multiple of this many rows of X (for tasks that sum fixed blocks). */
  align?: number;
  /** Per-row output (n × outWidth), filled through the output staging buffer. */
  out?: RowOutput;
  /** Values per row of `out`. */
  outWidth?: number;
}

/**
 * Runs `makeTask(src, srcRow, row, rows, dst, dstRow)` over rows [0, n) of X (n × d, row-major)
 * on `executor`, each round cut into `executor.parallelism` contiguous parts; returns every task's
 * result, in row order. `dst` is the output staging buffer (null without `out`).
 */
export function rowRounds<R>(
  X: Float64Array,
  n: number,
  d: number,
  executor: Executor,
  makeTask: (
    src: Float64Array,
    srcRow: number,
    row: number,
    rows: number,
    dst: RowOutput | null,
    dstRow: number,
  ) => Task,
  options: RowRoundsOptions = {},
): R[] {
  calls++;
  const align = options.align ?? 1;
  const width = options.outWidth ?? 0;
  const parts = executor.parallelism;
  const shared = isShared(X);
  const perRow = Math.max(d * 8, width * (options.out?.BYTES_PER_ELEMENT ?? 0), 1);
  const fit = Math.max(1, Math.floor(STAGE_BYTES / perRow));
  const roundRows = Math.min(n, Math.max(align, fit - (fit % align)));
  const src = shared ? X : inStageFor(roundRows * d);
  const dst = options.out ? outStageFor(options.out, roundRows * width) : null;
  const results: R[] = [];
  for (let s = 0; s < n; s += roundRows) {
    const rows = Math.min(roundRows, n - s);
    if (!shared) copyValues(src, 0, X, s * d, rows * d);
    const srcRow0 = shared ? s : 0;
    const tasks: Task[] = [];
    const units = Math.ceil(rows / align);
    for (let t = 0; t < parts; t++) {
      const a = Math.floor((t * units) / parts) * align;
      const b = Math.min(rows, Math.floor(((t + 1) * units) / parts) * align);
      if (b > a) tasks.push(makeTask(src, srcRow0 + a, s + a, b - a, dst, a));
    }
    for (const r of executor.mapSync<R>(tasks)) results.push(r);
    if (dst && options.out) copyValues(options.out, s * width, dst, 0, rows * width);
  }
  return results;
}
