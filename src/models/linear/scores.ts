/**
 * Linear scores X·Wᵀ + b for many rows — the whole of prediction for the linear models, so it is
 * written to touch as little memory as possible: the scores go straight into the caller's output
 * (the probability matrix itself, for `predictProba`), and `predict` keeps only a small reused
 * buffer of scores at a time.
 *
 * Scoring reads each value of X once, so on narrow data it runs at memory speed on one thread and
 * a round trip to the worker pool costs more than it saves. Only when there is much arithmetic per
 * row (many classes × features) and X already lives in shared memory (no copy needed) are the rows
 * split over the pool, each worker writing its range of a shared output. Every row's score is
 * computed by the same code whatever the split, so results do not depend on the thread count.
 *
 * @module
 */

import { type Executor, toShared } from '../../core/pool.ts';
import { linearScores } from './common.ts';
import { scoreRowsTask } from './logistic-loss.ts';
import { defaultLossKernel, SCORE_CHUNK, wasmScoreRows } from './loss-wasm.ts';

/**
 * Scores of rows [r0, r1) into out from `outOffset`: the WebAssembly kernel when it is built (no
 * JIT warm-up: the first prediction in a process runs at full speed), else its TypeScript twin
 * `linearScores` — the same bits either way.
 */
function scoreRange(
  data: Float64Array,
  r0: number,
  r1: number,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  out: Float64Array,
  outOffset: number,
): void {
  if (defaultLossKernel() === 'wasm') wasmScoreRows(data, r0, r1, p, W, b, K, out, outOffset);
  else linearScores(data.subarray(r0 * p, r1 * p), r1 - r0, p, W, b, K, out.subarray(outOffset));
}

/**
 * Multiply-adds (rows × features × score columns) from which scoring is spread over the pool:
 * 2²⁴, about 10 ms of work on one thread.
 */
const PARALLEL_MIN_WORK = 1 << 24;

/**
 * A zeroed Float64Array of `length` for the scores of `n` rows, in shared memory when
 * {@link scoreAll} will use the pool for this input (so the workers can write it directly).
 */
export function scoresBuffer(
  data: Float64Array,
  n: number,
  p: number,
  K: number,
  length: number,
  executor: Executor,
): Float64Array {
  return usePool(data, n, p, K, executor)
    ? new Float64Array(new SharedArrayBuffer(length * 8))
    : new Float64Array(length);
}

function usePool(data: Float64Array, n: number, p: number, K: number, executor: Executor): boolean {
  return (
    executor.parallelism > 1 && n * p * K >= PARALLEL_MIN_WORK && data.buffer instanceof SharedArrayBuffer
  );
}

/**
 * X·Wᵀ + b for the n rows of `data` into `out[0 .. n·K)` (row-major n × K). `out` may be longer
 * (callers reuse the rest in place); allocate it with {@link scoresBuffer} so that large inputs can
 * be scored on the pool.
 */
export function scoreAll(
  data: Float64Array,
  n: number,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  out: Float64Array,
  executor: Executor,
): void {
  if (usePool(data, n, p, K, executor) && out.buffer instanceof SharedArrayBuffer) {
    const chunks = executor.parallelism * 2;
    const tasks = [];
    const Ws = toShared(W);
    const bs = toShared(b);
    for (let c = 0; c < chunks; c++) {
      const r0 = Math.floor((c * n) / chunks);
      const r1 = Math.floor(((c + 1) * n) / chunks);
      if (r1 > r0) tasks.push(scoreRowsTask(data, p, Ws, bs, K, r0, r1, out));
    }
    executor.mapSync(tasks);
    return;
  }
  scoreRange(data, 0, n, p, W, b, K, out, 0);
}

/** Rows scored at a time by {@link argmaxLabels}. */
const ARGMAX_CHUNK = SCORE_CHUNK;

/**
 * For each of the n rows, the label of its largest score X·Wₖ + bₖ: `out[i] = labels[k]` with k the
 * first index of the largest of the K scores (for K = 1: 1 when the score is > 0, else 0) — the
 * scores computed exactly as {@link scoreAll} computes them, a chunk of rows at a time into a small
 * reused buffer. Returns false when some score was NaN or ±∞ (the caller then checks X).
 */
export function argmaxLabels<T>(
  data: Float64Array,
  n: number,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  labels: readonly T[],
  out: T[],
): boolean {
  const buf = new Float64Array(ARGMAX_CHUNK * K);
  // A NaN or ±∞ among the scores makes this sum non-finite (so can an overflow of finite scores:
  // the caller's check of X then finds nothing and lets it pass).
  let check = 0;
  const l0 = labels[0];
  const l1 = labels[1];
  for (let r0 = 0; r0 < n; r0 += ARGMAX_CHUNK) {
    const rows = Math.min(ARGMAX_CHUNK, n - r0);
    scoreRange(data, r0, r0 + rows, p, W, b, K, buf, 0);
    if (K === 1) {
      for (let i = 0; i < rows; i++) {
        const z = buf[i];
        check += z;
        out[r0 + i] = z > 0 ? l1 : l0;
      }
      continue;
    }
    for (let i = 0; i < rows; i++) {
      const o = i * K;
      let best = 0;
      let bestV = buf[o];
      check += bestV;
      for (let k = 1; k < K; k++) {
        const v = buf[o + k];
        check += v;
        if (v > bestV) {
          bestV = v;
          best = k;
        }
      }
      out[r0 + i] = labels[best];
    }
  }
  return check - check === 0;
}
