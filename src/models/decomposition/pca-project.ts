/**
 * The row loop of `PCA.transform`: centre each row and project it on the components, in blocks
 * through this thread's {@link PcaWorkspace}. The same function runs on the calling thread and, as
 * a pool task, on the workers (one contiguous part of the rows each, see `row-rounds.ts`); every
 * row is computed on its own, so the output is the same bits either way.
 *
 * @module
 */

import { registerTask } from '../../core/pool.ts';
import { PcaWorkspace, pcaChunkRows } from './pca-kernels.ts';

/** What a projection needs (small; copied to each task). */
export interface Projection {
  d: number;
  /** Components kept. */
  k: number;
  mean: Float64Array;
  /** The components as columns, d × kp (kp = k rounded up to even, the padding column zero). */
  V: Float64Array;
  /** Per component (kp): 1, or 1/√(explained variance) when whitening. */
  scale: Float64Array;
}

/**
 * Writes the projections of rows [srcRow, srcRow + rows) of `src` (… × d) into rows
 * [outRow, outRow + rows) of `out` (… × k). Returns false, leaving the rest undone, at the first
 * block holding a NaN or an infinity.
 */
export function projectRows(
  src: Float64Array,
  srcRow: number,
  rows: number,
  p: Projection,
  out: Float64Array,
  outRow: number,
): boolean {
  const { d, k } = p;
  const kp = k + (k & 1);
  const CH = pcaChunkRows(d);
  const { ws, at } = PcaWorkspace.layout({ x: CH * d, mean: d, V: d * kp, scale: kp, out: CH * k });
  const F = ws.F;
  F.set(p.mean, at.mean / 8);
  F.set(p.V, at.V / 8);
  F.set(p.scale, at.scale / 8);
  const K = ws.kernels;
  const block = new Float64Array(ws.memory.buffer, at.out, CH * k);
  for (let s = 0; s < rows; s += CH) {
    const r = Math.min(CH, rows - s);
    const from = (srcRow + s) * d;
    F.set(src.subarray(from, from + r * d), at.x / 8);
    if (!K.allFinite(at.x, r * d)) return false;
    K.centerRows(at.x, r, d, at.mean);
    K.project(at.x, r, d, at.V, kp, k, at.scale, at.out);
    out.set(r === CH ? block : block.subarray(0, r * k), (outRow + s) * k);
  }
  return true;
}

/** {@link projectRows} as a pool task. */
export const projectRowsTask = registerTask(import.meta.url, 'projectRows', projectRows);
