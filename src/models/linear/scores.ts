/**
 * Linear scores X·Wᵀ + b for many rows, on the worker pool when X already lives in shared memory
 * (then no copy is needed and each worker scores a contiguous range of rows; every row's score is
 * computed by the same code whatever the split, so results do not depend on the thread count).
 *
 * @module
 */

import { type Executor, registerTask } from '../../core/pool.ts';
import { linearScores } from './common.ts';

/** Rows × columns from which scoring is spread over threads. */
const PARALLEL_MIN_VALUES = 1 << 21;

/** Scores rows [r0, r1) of the row-major `data` (p columns); returns (r1 − r0) × K scores. */
export function scoreRows(
  data: Float64Array,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  r0: number,
  r1: number,
): Float64Array {
  const out = new Float64Array((r1 - r0) * K);
  linearScores(data.subarray(r0 * p, r1 * p), r1 - r0, p, W, b, K, out);
  return out;
}

const scoreRowsTask = registerTask(import.meta.url, 'scoreRows', scoreRows);

/** X·Wᵀ + b for the n rows of `data` into `out` (n × K). */
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
  if (executor.parallelism > 1 && n * p >= PARALLEL_MIN_VALUES && data.buffer instanceof SharedArrayBuffer) {
    const chunks = executor.parallelism * 2;
    const bounds: [number, number][] = [];
    for (let c = 0; c < chunks; c++) {
      const r0 = Math.floor((c * n) / chunks);
      const r1 = Math.floor(((c + 1) * n) / chunks);
      if (r1 > r0) bounds.push([r0, r1]);
    }
    const parts = executor.mapSync<Float64Array>(
      bounds.map(([r0, r1]) => scoreRowsTask(data, p, W, b, K, r0, r1)),
    );
    parts.forEach((part, c) => out.set(part, bounds[c][0] * K));
    return;
  }
  linearScores(data, n, p, W, b, K, out);
}
