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

/** Per-block sums of squared projections and the largest projection of a run of rows. */
export interface BlockStats {
  /** blocks × k: Σ u² per component over each block of rows (rows in order). */
  sq: Float64Array;
  /** Per component, the largest |u| (0 when none is larger) and that u (the first on ties). */
  maxAbs: Float64Array;
  signAt: Float64Array;
}

/**
 * For rows [srcRow, srcRow + rows) of `src`, centred and projected (`p.scale` all ones): the sums
 * of squared projections per block of `block` rows (counted from srcRow) and the projection of
 * largest magnitude per component. Null at the first chunk holding a NaN or an infinity.
 */
export function projectionBlockStats(
  src: Float64Array,
  srcRow: number,
  rows: number,
  p: Projection,
  block: number,
): BlockStats | null {
  const { d, k } = p;
  const kp = k + (k & 1);
  const CH = pcaChunkRows(d);
  const { ws, at } = PcaWorkspace.layout({
    x: CH * d,
    mean: d,
    V: d * kp,
    scale: kp,
    u: CH * k,
    sq: k,
    maxAbs: k,
    signAt: k,
  });
  const F = ws.F;
  F.set(p.mean, at.mean / 8);
  F.set(p.V, at.V / 8);
  F.set(p.scale, at.scale / 8);
  F.fill(0, at.maxAbs / 8, at.maxAbs / 8 + k);
  F.fill(0, at.signAt / 8, at.signAt / 8 + k);
  const K = ws.kernels;
  const sq = new Float64Array(ws.memory.buffer, at.sq, k);
  const blocks = Math.ceil(rows / block);
  const out = new Float64Array(blocks * k);
  for (let b = 0; b < blocks; b++) {
    sq.fill(0);
    const e = Math.min(rows, (b + 1) * block);
    for (let s = b * block; s < e; s += CH) {
      const r = Math.min(CH, e - s);
      const from = (srcRow + s) * d;
      F.set(src.subarray(from, from + r * d), at.x / 8);
      if (!K.allFinite(at.x, r * d)) return null;
      K.centerRows(at.x, r, d, at.mean);
      K.project(at.x, r, d, at.V, kp, k, at.scale, at.u);
      K.projectionStats(at.u, r, k, at.sq, at.maxAbs, at.signAt);
    }
    out.set(sq, b * k);
  }
  return {
    sq: out,
    maxAbs: F.slice(at.maxAbs / 8, at.maxAbs / 8 + k),
    signAt: F.slice(at.signAt / 8, at.signAt / 8 + k),
  };
}

/** {@link projectionBlockStats} as a pool task. */
export const projectionBlockStatsTask = registerTask(
  import.meta.url,
  'projectionBlockStats',
  projectionBlockStats,
);
