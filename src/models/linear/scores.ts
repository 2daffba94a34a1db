/**
 * Linear scores X·Wᵀ + b for many rows, on the worker pool when X already lives in shared memory
 * (then no copy is needed and each worker scores a contiguous range of rows; every row's score is
 * computed by the same code whatever the split, so results do not depend on the thread count).
 * The task lives in `logistic-loss.ts`, the module the workers have already loaded for the fit.
 *
 * @module
 */

import type { Executor } from '../../core/pool.ts';
import { linearScores } from './common.ts';
import { scoreRowsTask } from './logistic-loss.ts';

/** Rows × columns from which scoring is spread over threads. */
const PARALLEL_MIN_VALUES = 1 << 18;

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
