/**
 * Prediction for the linear classifiers over many rows: scores X·Wᵀ + b (`decisionFunction`),
 * probabilities (`predictProba`) and predicted classes (`predict`) — written to touch as little
 * memory as possible: each result is computed a chunk of rows at a time straight into the caller's
 * output (see `predict-rows.ts`), with no n × K score matrix beside it.
 *
 * Prediction reads each value of X once, so on narrow data it runs at memory speed on one thread
 * and a round trip to the worker pool costs more than it saves. Only when there is much arithmetic
 * per row (many classes × features) and X already lives in shared memory (no copy needed) are the
 * rows of scores and probabilities split over the pool, each worker writing its range of a shared
 * output. Every row is computed by the same code whatever the split, so results do not depend on
 * the thread count.
 *
 * @module
 */

import { type Executor, type Task, toShared } from '../../core/pool.ts';
import { unfilledFloat64 } from '../../core/unfilled.ts';
import type { ProbaLink } from './links.ts';
import { probaRowsTask, scoreRowsTask } from './logistic-loss.ts';
import { argmaxRows, labelRows, probaRows, scoreRows } from './predict-rows.ts';

/**
 * Multiply-adds (rows × features × score columns) from which scoring is spread over the pool:
 * 2²⁴, about 10 ms of work on one thread.
 */
const PARALLEL_MIN_WORK = 1 << 24;

function usePool(data: Float64Array, n: number, p: number, K: number, executor: Executor): boolean {
  return (
    executor.parallelism > 1 && n * p * K >= PARALLEL_MIN_WORK && data.buffer instanceof SharedArrayBuffer
  );
}

/**
 * A Float64Array of `length` for n rows' results, every element of which the caller writes: shared
 * when the pool will write it.
 */
function outputFor(
  data: Float64Array,
  n: number,
  p: number,
  K: number,
  length: number,
  executor: Executor,
): Float64Array {
  return usePool(data, n, p, K, executor)
    ? new Float64Array(new SharedArrayBuffer(length * 8))
    : unfilledFloat64(length); // every element is written
}

/** Runs `task(r0, r1)` over the n rows split in 2 × parallelism ranges on the pool; their results. */
function onPool<R>(n: number, executor: Executor, task: (r0: number, r1: number) => Task): R[] {
  const chunks = executor.parallelism * 2;
  const tasks: Task[] = [];
  for (let c = 0; c < chunks; c++) {
    const r0 = Math.floor((c * n) / chunks);
    const r1 = Math.floor(((c + 1) * n) / chunks);
    if (r1 > r0) tasks.push(task(r0, r1));
  }
  return executor.mapSync<R>(tasks);
}

/** X·Wᵀ + b for the n rows of `data`: a new n × K row-major array. */
export function scoreAll(
  data: Float64Array,
  n: number,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  executor: Executor,
): Float64Array {
  const out = outputFor(data, n, p, K, n * K, executor);
  if (out.buffer instanceof SharedArrayBuffer) {
    const Ws = toShared(W);
    const bs = toShared(b);
    onPool(n, executor, (r0, r1) => scoreRowsTask(data, p, Ws, bs, K, r0, r1, out));
  } else scoreRows(data, 0, n, p, W, b, K, out, 0);
  return out;
}

/**
 * Class probabilities of the n rows of `data`: a new n × C row-major array (C = 2 for a binary
 * model, whose single score per row is the second class's; else C = K), through `link`; `finite`
 * is false when some score was NaN or ±∞ (the caller then checks X).
 */
export function probaAll(
  data: Float64Array,
  n: number,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  link: ProbaLink,
  executor: Executor,
): { proba: Float64Array; finite: boolean } {
  const C = K === 1 ? 2 : K;
  const out = outputFor(data, n, p, K, n * C, executor);
  let check = 0;
  if (out.buffer instanceof SharedArrayBuffer) {
    const Ws = toShared(W);
    const bs = toShared(b);
    const sums = onPool<number>(n, executor, (r0, r1) =>
      probaRowsTask(data, p, Ws, bs, K, link, r0, r1, out),
    );
    for (const s of sums) check += s;
  } else check = probaRows(data, 0, n, p, W, b, K, link, out, 0);
  return { proba: out, finite: check - check === 0 };
}

/**
 * The predicted class code of each of the n rows, handed to `take` a chunk at a time (K = 1: 1
 * when the score is > 0, else 0; otherwise the first index of the largest score). Returns false
 * when some score was NaN or ±∞ (the caller then checks X).
 */
export function argmaxAll(
  data: Float64Array,
  n: number,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  take: (codes: Int32Array, first: number) => void,
): boolean {
  // A NaN or ±∞ among the scores makes this sum non-finite (so can an overflow of finite scores:
  // the caller's check of X then finds nothing and lets it pass).
  const check = argmaxRows(data, 0, n, p, W, b, K, take);
  return check - check === 0;
}

/**
 * The predicted class of each of the n rows as a number, `table[code]` (see {@link argmaxAll}):
 * a new array of n, and whether every score was finite (when not, the caller checks X).
 */
export function labelAll(
  data: Float64Array,
  n: number,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  table: Float64Array,
): { labels: Float64Array; finite: boolean } {
  const labels = unfilledFloat64(n); // labelRows writes every row
  const check = labelRows(data, 0, n, p, W, b, K, table, labels, 0);
  return { labels, finite: check - check === 0 };
}
