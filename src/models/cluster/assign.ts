/**
 * Nearest-center assignment of new rows (`KMeans.predict` and `score`) with the same kernel as the
 * fit's final assignment, so `predict(X)` on the training rows gives the fitted labels.
 *
 * The rows stay where they are: blocks of {@link ASSIGN_BLOCK} rows are copied into a small
 * buffer in this thread's kernel memory (`clusterMemory`: reused across calls, and shared with the
 * fits run on this thread, so a predict after a small fit touches no fresh page) and assigned
 * there.
 *
 * @module
 */

import { registerTask } from '../../core/pool.ts';
import { CLUSTER_HEAP_BASE, clusterMemory, defaultClusterKernel } from './kernels.ts';
import { transposeCenters } from './kmeans-core.ts';

/** Rows per block (fixed, so the inertia's sum order does not depend on anything else). */
export const ASSIGN_BLOCK = 2048;

const align = (v: number) => Math.ceil(v / 16) * 16;

/**
 * Writes the nearest center of each row of X (n × d) into `labels` (first on ties, by
 * ‖x‖² − 2x·c + ‖c‖² as scikit-learn); returns the weighted inertia Σ w·‖x − c‖² when
 * `wantInertia`, else 0. Calls `nonFinite` (which throws) if X holds a missing or infinite value.
 */
export function assignRows(
  X: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  weight: Float64Array | null,
  wantInertia: boolean,
  nonFinite: () => never,
): number {
  const kp = k + (k & 1);
  const B = Math.min(ASSIGN_BLOCK, Math.max(n, 1));
  let at = CLUSTER_HEAP_BASE;
  const take = (bytes: number) => {
    const p = at;
    at = align(at + bytes);
    return p;
  };
  const cPtr = take(8 * k * d);
  const ctPtr = take(8 * d * kp);
  const ccPtr = take(8 * kp);
  const bufPtr = take(16 * kp);
  const wPtr = weight ? take(8 * B) : 0;
  const lPtr = take(4 * B);
  const xPtr = take(8 * B * d);
  const { memory, kernels } = clusterMemory(at, defaultClusterKernel());
  const F = new Float64Array(memory.buffer);
  const L = new Int32Array(memory.buffer, lPtr, B);
  F.set(centers, cPtr / 8);
  transposeCenters(F, cPtr, ctPtr, ccPtr, k, kp, d);
  let inertia = 0;
  for (let s = 0; s < n; s += B) {
    const rows = Math.min(B, n - s);
    F.set(X.subarray(s * d, (s + rows) * d), xPtr / 8);
    if (!kernels.allFinite(xPtr, rows * d)) nonFinite();
    if (weight) F.set(weight.subarray(s, s + rows), wPtr / 8);
    inertia += kernels.labelsInertia(
      xPtr,
      rows,
      d,
      wPtr,
      cPtr,
      ctPtr,
      ccPtr,
      kp,
      lPtr,
      bufPtr,
      wantInertia ? 1 : 0,
    );
    labels.set(rows === B ? L : L.subarray(0, rows), s);
  }
  return inertia;
}

/** Thrown inside {@link assignPart} when a block holds a non-finite value. */
const NON_FINITE = new Error('non-finite');

/**
 * Labels rows [srcRow, srcRow + rows) of `src` (… × d) into `labels[outRow …]` (a part of
 * `KMeans.predict` on the pool, see `row-rounds.ts`; blocks as {@link assignRows}, so the same
 * labels). Returns false at the first block holding a NaN or an infinity.
 */
export function assignPart(
  src: Float64Array,
  srcRow: number,
  rows: number,
  d: number,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  outRow: number,
): boolean {
  try {
    assignRows(
      src.subarray(srcRow * d, (srcRow + rows) * d),
      rows,
      d,
      centers,
      k,
      labels.subarray(outRow, outRow + rows),
      null,
      false,
      () => {
        throw NON_FINITE;
      },
    );
  } catch (e) {
    if (e === NON_FINITE) return false;
    throw e;
  }
  return true;
}

/** {@link assignPart} as a pool task. */
export const assignPartTask = registerTask(import.meta.url, 'assignPart', assignPart);
