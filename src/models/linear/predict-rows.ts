/**
 * Scores, class probabilities and predicted classes of a range of rows: the WebAssembly kernels
 * when they are built (no JIT warm-up, so the first prediction in a process runs at full speed),
 * else their TypeScript twins — `linearScores` (common.ts), then `probaFromScores` or
 * `argmaxCodes` (links.ts) — the same bits either way. Rows go a chunk at a time, so no n × K score
 * matrix is made beside the result.
 *
 * @module
 */

import { linearScores } from './common.ts';
import { argmaxCodes, type ProbaLink, probaFromScores } from './links.ts';
import {
  defaultLossKernel,
  SCORE_CHUNK,
  wasmArgmaxRows,
  wasmLabelRows,
  wasmProbaRows,
  wasmScoreRows,
} from './loss-wasm.ts';

/** Scores of rows [r0, r1) of `data` (p columns; W is K × p) into `out` from `outOffset` (K per row). */
export function scoreRows(
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
 * Probabilities of rows [r0, r1) of `data` into `out` from `outOffset` (C per row: 2 for a binary
 * model, whose K = 1 score is the second class's, else K). Returns the sum of the scores, which is
 * not finite when any score is NaN or ±∞.
 */
export function probaRows(
  data: Float64Array,
  r0: number,
  r1: number,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  link: ProbaLink,
  out: Float64Array,
  outOffset: number,
): number {
  if (defaultLossKernel() === 'wasm') return wasmProbaRows(data, r0, r1, p, W, b, K, link, out, outOffset);
  const C = K === 1 ? 2 : K;
  const z = new Float64Array(Math.min(SCORE_CHUNK, r1 - r0) * K);
  let check = 0;
  for (let c0 = r0; c0 < r1; c0 += SCORE_CHUNK) {
    const rows = Math.min(SCORE_CHUNK, r1 - c0);
    linearScores(data.subarray(c0 * p, (c0 + rows) * p), rows, p, W, b, K, z);
    check += probaFromScores(z, 0, rows, K, link, out, outOffset + (c0 - r0) * C);
  }
  return check;
}

/**
 * The predicted class codes of rows [r0, r1) of `data`, handed to `take(codes, first)` a chunk at
 * a time (`codes` is valid only until `take` returns; `first` is the row of its first code).
 * Returns the sum of the scores, which is not finite when any score is NaN or ±∞.
 */
export function argmaxRows(
  data: Float64Array,
  r0: number,
  r1: number,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  take: (codes: Int32Array, first: number) => void,
): number {
  if (defaultLossKernel() === 'wasm') return wasmArgmaxRows(data, r0, r1, p, W, b, K, take);
  const chunk = Math.min(SCORE_CHUNK, r1 - r0);
  const z = new Float64Array(chunk * K);
  const codes = new Int32Array(chunk);
  let check = 0;
  for (let c0 = r0; c0 < r1; c0 += SCORE_CHUNK) {
    const rows = Math.min(SCORE_CHUNK, r1 - c0);
    linearScores(data.subarray(c0 * p, (c0 + rows) * p), rows, p, W, b, K, z);
    check += argmaxCodes(z, 0, rows, K, codes, 0);
    take(rows === chunk ? codes : codes.subarray(0, rows), c0);
  }
  return check;
}

/**
 * The predicted class of rows [r0, r1) of `data` as a number — `table[code]` for each row's class
 * code (see {@link argmaxRows}) — into `out` from `outOffset`. Returns the sum of the scores, which
 * is not finite when any score is NaN or ±∞.
 */
export function labelRows(
  data: Float64Array,
  r0: number,
  r1: number,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  table: Float64Array,
  out: Float64Array,
  outOffset: number,
): number {
  if (defaultLossKernel() === 'wasm') return wasmLabelRows(data, r0, r1, p, W, b, K, table, out, outOffset);
  return argmaxRows(data, r0, r1, p, W, b, K, (codes, first) => {
    const at = outOffset + first - r0;
    for (let i = 0; i < codes.length; i++) out[at + i] = table[codes[i]];
  });
}
