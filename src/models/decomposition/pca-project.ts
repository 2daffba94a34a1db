/**
 * The row loops of `PCA.transform` and of the fit's projection pass: centre each row and project
 * it on the components, in blocks through this thread's {@link PcaWorkspace}.
 *
 * {@link projectRows} is `transform` on one thread; {@link projectStream} is `transform` on the
 * pool: the calling thread and the workers project blocks of rows in one shared arena (a shared
 * memory kept per thread) with the same kernels (see `row-stream.ts`). Every row is computed on its
 * own, so the output is the same bits either way. {@link projectionBlockStats} is the fit's pass
 * (on the pool, one contiguous part of the rows per task, see `row-rounds.ts`).
 *
 * @module
 */

import { copyValues } from '../../core/copy-values.ts';
import { registerTask } from '../../core/pool.ts';
import {
  consumeSlots,
  prepareStream,
  type SlotCompute,
  type StreamLayout,
  type StreamRowsOptions,
  type StreamTicket,
  streamArena,
  streamLayout,
  streamRows,
  touchPages,
} from '../../core/row-stream.ts';
import { alignUp, type WasmMemory } from '../../core/wasm.ts';
import {
  defaultPcaKernel,
  PCA_HEAP_BASE,
  type PcaKernelKind,
  type PcaKernels,
  PcaWorkspace,
  pcaChunkRows,
  pcaKernels,
} from './pca-kernels.ts';

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
    copyValues(F, at.x / 8, src, from, r * d);
    if (!K.allFinite(at.x, r * d)) return false;
    K.centerRows(at.x, r, d, at.mean);
    K.project(at.x, r, d, at.V, kp, k, at.scale, at.out);
    copyValues(out, (outRow + s) * k, block, 0, r * k);
  }
  return true;
}

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
      copyValues(F, at.x / 8, src, from, r * d);
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

/** The projection in the arena: sizes and the byte offsets of its arrays. */
interface ArenaProjection {
  d: number;
  k: number;
  kp: number;
  /** The mean (d), the components as columns (d × kp) and the scales (kp). */
  mean: number;
  V: number;
  scale: number;
}

/** What a worker needs to project slots of the arena. */
export interface ProjectStreamJob {
  ticket: StreamTicket;
  /** Identifies the arena, so a worker binds its kernels to it once. */
  id: string;
  kind: PcaKernelKind;
  model: ArenaProjection;
}

/** A worker's kernels, bound to the last arena it worked on. */
let bound: { id: string; kernels: PcaKernels } | null = null;

/** Projects one slot in place (centres its rows, then projects them into the slot's outputs). */
function projectSlot(L: StreamLayout, m: ArenaProjection, K: PcaKernels): SlotCompute {
  return (s, rows) => {
    const x = L.x + s * L.xStride;
    if (!K.allFinite(x, rows * m.d)) return false;
    K.centerRows(x, rows, m.d, m.mean);
    K.project(x, rows, m.d, m.V, m.kp, m.k, m.scale, L.out + s * L.outStride);
    return true;
  };
}

/** A worker's share of {@link projectStream}: projects slots until the rows run out. */
export function projectConsumer(job: ProjectStreamJob): number {
  if (!bound || bound.id !== job.id) {
    bound = { id: job.id, kernels: pcaKernels(job.ticket.memory, job.kind) };
  }
  return consumeSlots(job.ticket, projectSlot(job.ticket.layout, job.model, bound.kernels));
}

/**
 * On a worker, ahead of the transforms of rows of d values on up to k components on `threads`
 * threads (see `prepareStream`): loads this module, touches the pages of the calling thread's
 * arena, binds the kernels to it and runs each kernel a transform uses over a few blocks of zero
 * rows in it.
 */
export function projectPrepare(
  kind: PcaKernelKind,
  arena: WasmMemory,
  id: string,
  d: number,
  k: number,
  threads: number,
): number {
  touchPages(arena);
  const K = pcaKernels(arena, kind);
  bound = { id, kernels: K };
  const L = projectLayout(d, k, threads);
  const { kp, V, scale } = arenaProjection(L.consts, d, k);
  for (let r = 0; r < 16; r++) {
    K.allFinite(L.x, L.rows * d);
    K.centerRows(L.x, L.rows, d, L.consts);
    K.project(L.x, L.rows, d, V, kp, k, scale, L.out);
  }
  return 0;
}

/** {@link projectPrepare} as a pool task. */
export const projectPrepareTask = registerTask(import.meta.url, 'projectPrepare', projectPrepare);

/** {@link projectConsumer} as a pool task. */
export const projectConsumerTask = registerTask(import.meta.url, 'projectConsumer', projectConsumer);

/** Where a projection of d columns on k components lies in an arena whose constants start at `consts`. */
function arenaProjection(consts: number, d: number, k: number): ArenaProjection {
  const kp = k + (k & 1);
  const V = alignUp(consts + 8 * d, 64);
  return { d, k, kp, mean: consts, V, scale: alignUp(V + 8 * d * kp, 64) };
}

/** The arena's layout for projecting rows of d values on k components with `threads` threads. */
function projectLayout(d: number, k: number, threads: number): StreamLayout {
  // The constants' bytes: the model laid out from offset 0 (the arena's constants are 64-aligned).
  const m = arenaProjection(0, d, k);
  return streamLayout({
    base: PCA_HEAP_BASE,
    consumers: threads,
    d,
    outWidth: k,
    outBytes: 8,
    constBytes: m.scale + 8 * m.kp,
    scratchBytes: 0,
  });
}

/** This thread's arena for PCA streams of at least `bytes`. */
function projectArena(bytes: number, kind: PcaKernelKind) {
  return streamArena('pca', bytes, kind, (m) => pcaKernels(m, kind));
}

/**
 * Gets the pool ready for transform streams of rows of d values on up to k components on `threads`
 * threads (called by `PCA.fit`; see `prepareStream`).
 */
export function prepareProjectStreams(d: number, k: number, threads: number): void {
  const kind = defaultPcaKernel();
  const bytes = projectLayout(d, k, threads).end;
  prepareStream(
    threads,
    (arena) => projectPrepareTask(kind, arena.memory, arena.id, d, k, threads),
    () => projectArena(bytes, kind),
  );
}

/**
 * The projections of rows [0, n) of X into `out` (n × k), as {@link projectRows}, computed by the
 * calling thread together with `threads − 1` workers of `pool` (see `row-stream.ts`). Returns
 * false when X holds a NaN or an infinity (the caller locates it).
 */
export function projectStream(
  X: Float64Array,
  n: number,
  p: Projection,
  out: Float64Array,
  threads: number,
  pool: StreamRowsOptions['pool'],
): boolean {
  const { d, k } = p;
  const L = projectLayout(d, k, threads);
  const model = arenaProjection(L.consts, d, k);
  const kind = defaultPcaKernel();
  const { memory, kernels, id } = projectArena(L.end, kind);
  const F = new Float64Array(memory.buffer);
  F.set(p.mean, model.mean / 8);
  F.set(p.V, model.V / 8);
  F.set(p.scale, model.scale / 8);
  return streamRows({
    X,
    n,
    memory,
    layout: L,
    out,
    compute: projectSlot(L, model, kernels),
    pool,
    tasks: (ticket) =>
      Array.from({ length: threads - 1 }, () => projectConsumerTask({ ticket, id, kind, model })),
  });
}
