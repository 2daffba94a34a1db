/**
 * Nearest-center assignment of new rows (`KMeans.predict` and `score`) with the same kernel as the
 * fit's final assignment, so `predict(X)` on the training rows gives the fitted labels.
 *
 * The rows stay where they are: blocks of {@link ASSIGN_BLOCK} rows are copied into a small
 * buffer in this thread's kernel memory (`clusterMemory`: reused across calls, and shared with the
 * fits run on this thread, so a predict after a small fit touches no fresh page) and assigned
 * there.
 *
 * {@link distanceRows} does the same for `KMeans.transform` (the distance of each row to each
 * center). On the pool ({@link assignStream}), the calling thread and the workers share one arena
 * (a shared memory kept per thread) and compute blocks of rows in it with the same kernels (see
 * `row-stream.ts`): the same bits, with the calling thread working beside the workers.
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
import { alignUp, MemoryLayout, type WasmMemory } from '../../core/wasm.ts';
import {
  CLUSTER_HEAP_BASE,
  type ClusterKernelKind,
  type ClusterKernels,
  clusterKernels,
  clusterMemory,
  defaultClusterKernel,
} from './kernels.ts';
import { transposeCenters } from './kmeans-core.ts';

/** Rows per block (fixed, so the inertia's sum order does not depend on anything else). */
export const ASSIGN_BLOCK = 2048;

/**
 * Writes the nearest center of each row of X (n × d) into `labels` (first on ties, by the score
 * −2x·c + ‖c‖², as scikit-learn labels rows: see `nearestLabels` in assembly/cluster.ts); returns
 * the weighted inertia Σ w·‖x − c‖² when `wantInertia`, else 0. Calls `nonFinite` (which throws)
 * if X holds a missing or infinite value: checked before the inertia, and for labels alone only
 * when a block's scores are not all finite (a NaN or an infinity makes every score of its row so).
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
  const mem = new MemoryLayout(CLUSTER_HEAP_BASE, 16);
  const cPtr = mem.take(8 * k * d);
  const ctPtr = mem.take(8 * d * kp);
  const ccPtr = mem.take(8 * kp);
  const bufPtr = mem.take(16 * kp);
  const wPtr = weight ? mem.take(8 * B) : 0;
  const lPtr = mem.take(4 * B);
  const xPtr = mem.take(8 * B * d);
  const { memory, kernels } = clusterMemory(mem.end, defaultClusterKernel());
  const F = new Float64Array(memory.buffer);
  const L = new Int32Array(memory.buffer, lPtr, B);
  F.set(centers, cPtr / 8);
  transposeCenters(F, cPtr, ctPtr, ccPtr, k, kp, d);
  let inertia = 0;
  for (let s = 0; s < n; s += B) {
    const rows = Math.min(B, n - s);
    copyValues(F, xPtr / 8, X, s * d, rows * d);
    if (wantInertia) {
      if (!kernels.allFinite(xPtr, rows * d)) nonFinite();
      if (weight) F.set(weight.subarray(s, s + rows), wPtr / 8);
      inertia += kernels.labelsInertia(xPtr, rows, d, wPtr, cPtr, ctPtr, ccPtr, kp, lPtr, bufPtr, 1);
    } else if (kernels.nearestLabels(xPtr, rows, d, ctPtr, ccPtr, kp, lPtr, bufPtr) > 0) {
      // A score that is not finite: a NaN or an infinity in the rows, or values that overflow.
      if (!kernels.allFinite(xPtr, rows * d)) nonFinite();
    }
    copyValues(labels, s, L, 0, rows);
  }
  return inertia;
}

/**
 * The distance of each row of X (n × d) to each center into `out` (n × k): √Σ (x − c)², each sum
 * over the features in order (`KMeans.transform`). Blocks of {@link ASSIGN_BLOCK} rows go through
 * this thread's kernel memory, as in {@link assignRows}; calls `nonFinite` (which throws) if X
 * holds a missing or infinite value.
 */
export function distanceRows(
  X: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  k: number,
  out: Float64Array,
  nonFinite: () => never,
): void {
  const kp = k + (k & 1);
  const B = Math.min(ASSIGN_BLOCK, Math.max(n, 1));
  const mem = new MemoryLayout(CLUSTER_HEAP_BASE, 16);
  const cPtr = mem.take(8 * k * d);
  const ctPtr = mem.take(8 * d * kp);
  const ccPtr = mem.take(8 * kp);
  const oPtr = mem.take(8 * B * k);
  const xPtr = mem.take(8 * B * d);
  const { memory, kernels } = clusterMemory(mem.end, defaultClusterKernel());
  const F = new Float64Array(memory.buffer);
  F.set(centers, cPtr / 8);
  transposeCenters(F, cPtr, ctPtr, ccPtr, k, kp, d);
  for (let s = 0; s < n; s += B) {
    const rows = Math.min(B, n - s);
    copyValues(F, xPtr / 8, X, s * d, rows * d);
    if (!kernels.allFinite(xPtr, rows * d)) nonFinite();
    kernels.distances(xPtr, rows, d, ctPtr, kp, k, oPtr);
    copyValues(out, s * k, F, oPtr / 8, rows * k);
  }
}

/** The model in the arena: sizes and the byte offsets of its arrays. */
interface ArenaCenters {
  d: number;
  k: number;
  kp: number;
  /** The centers (k × d), their transpose (d × kp) and squared norms (kp). */
  centers: number;
  ct: number;
  cc: number;
}

/** Where a model of k centers over d columns lies in an arena whose constants start at `consts`. */
function arenaCenters(consts: number, d: number, k: number): ArenaCenters {
  const kp = k + (k & 1);
  const ct = alignUp(consts + 8 * k * d, 64);
  return { d, k, kp, centers: consts, ct, cc: alignUp(ct + 8 * d * kp, 64) };
}

/** What the rows stream computes: each row's nearest center, or its distance to every center. */
export type CenterOp = 'labels' | 'distances';

/** What a worker needs to compute slots of the arena. */
export interface AssignStreamJob {
  ticket: StreamTicket;
  /** Identifies the arena, so a worker binds its kernels to it once. */
  id: string;
  kind: ClusterKernelKind;
  op: CenterOp;
  model: ArenaCenters;
}

/** A worker's kernels, bound to the last arena it worked on. */
let bound: { id: string; kernels: ClusterKernels } | null = null;

/**
 * Computes one slot in place — labels (see {@link assignRows} for the kernel) or distances (see
 * {@link distanceRows}) — with consumer c's scratch.
 */
function centerSlot(
  L: StreamLayout,
  op: CenterOp,
  m: ArenaCenters,
  K: ClusterKernels,
  c: number,
): SlotCompute {
  const buf = L.scratch + c * L.scratchStride;
  return (s, rows) => {
    const x = L.x + s * L.xStride;
    const out = L.out + s * L.outStride;
    if (op === 'labels') {
      // The rows are checked only when a score is not finite (see nearestLabels).
      return (
        K.nearestLabels(x, rows, m.d, m.ct, m.cc, m.kp, out, buf) === 0 || K.allFinite(x, rows * m.d) !== 0
      );
    }
    if (!K.allFinite(x, rows * m.d)) return false;
    K.distances(x, rows, m.d, m.ct, m.kp, m.k, out);
    return true;
  };
}

/** A worker's share of {@link assignStream}: computes slots until the rows run out. */
export function assignConsumer(job: AssignStreamJob, consumer: number): number {
  if (!bound || bound.id !== job.id) {
    bound = { id: job.id, kernels: clusterKernels(job.ticket.memory, job.kind) };
  }
  const compute = centerSlot(job.ticket.layout, job.op, job.model, bound.kernels, consumer);
  return consumeSlots(job.ticket, compute);
}

/**
 * On a worker, ahead of the streams of a model with k centers over d columns on `threads` threads
 * (see `prepareStream`): loads this module, touches the pages of the calling thread's arena, binds
 * the kernels to it and runs each kernel the streams use over a few blocks of zero rows in it.
 */
export function assignPrepare(
  kind: ClusterKernelKind,
  arena: WasmMemory,
  id: string,
  d: number,
  k: number,
  threads: number,
): number {
  touchPages(arena);
  const K = clusterKernels(arena, kind);
  bound = { id, kernels: K };
  // The larger of the two layouts (distances); its first slot, consumer 1's scratch.
  const L = centerLayout('distances', d, k, threads);
  const { ct, cc, kp } = arenaCenters(L.consts, d, k);
  const buf = L.scratch + L.scratchStride;
  for (let r = 0; r < 16; r++) {
    K.allFinite(L.x, L.rows * d);
    K.nearestLabels(L.x, L.rows, d, ct, cc, kp, L.out, buf);
    K.distances(L.x, L.rows, d, ct, kp, k, L.out);
  }
  return 0;
}

/** {@link assignPrepare} as a pool task. */
export const assignPrepareTask = registerTask(import.meta.url, 'assignPrepare', assignPrepare);

/** {@link assignConsumer} as a pool task. */
export const assignConsumerTask = registerTask(import.meta.url, 'assignConsumer', assignConsumer);

/** The arena's layout for a stream of `op` over rows of d values, with k centers and `threads` threads. */
function centerLayout(op: CenterOp, d: number, k: number, threads: number): StreamLayout {
  // The constants' bytes: the model laid out from offset 0 (the arena's constants are 64-aligned).
  const m = arenaCenters(0, d, k);
  const kp = m.kp;
  return streamLayout({
    base: CLUSTER_HEAP_BASE,
    consumers: threads,
    d,
    outWidth: op === 'labels' ? 1 : k,
    outBytes: op === 'labels' ? 4 : 8,
    constBytes: m.cc + 8 * kp,
    scratchBytes: 16 * kp,
  });
}

/** This thread's arena for k-means streams of at least `bytes`. */
function centerArena(bytes: number, kind: ClusterKernelKind) {
  return streamArena('cluster', bytes, kind, (m) => clusterKernels(m, kind));
}

/**
 * Gets the pool ready for predict and transform streams of a model with k centers over d columns
 * on `threads` threads (called by `KMeans.fit`; see `prepareStream`).
 */
export function prepareCenterStreams(d: number, k: number, threads: number): void {
  const kind = defaultClusterKernel();
  const bytes = Math.max(
    centerLayout('labels', d, k, threads).end,
    centerLayout('distances', d, k, threads).end,
  );
  prepareStream(
    threads,
    (arena) => assignPrepareTask(kind, arena.memory, arena.id, d, k, threads),
    () => centerArena(bytes, kind),
  );
}

/**
 * The nearest center of each row of X (n × d) into `out` (n labels, `op` 'labels', as
 * {@link assignRows}) or its distance to every center (n × k, 'distances', as
 * {@link distanceRows}), computed by the calling thread together with `threads − 1` workers of
 * `pool` (see `row-stream.ts`). Returns false when X holds a NaN or an infinity (the caller
 * locates it).
 */
export function assignStream(
  op: CenterOp,
  X: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  k: number,
  out: Int32Array | Float64Array,
  threads: number,
  pool: StreamRowsOptions['pool'],
): boolean {
  const L = centerLayout(op, d, k, threads);
  const model = arenaCenters(L.consts, d, k);
  const { kp } = model;
  const kind = defaultClusterKernel();
  const { memory, kernels, id } = centerArena(L.end, kind);
  const F = new Float64Array(memory.buffer);
  F.set(centers, model.centers / 8);
  transposeCenters(F, model.centers, model.ct, model.cc, k, kp, d);
  return streamRows({
    X,
    n,
    memory,
    layout: L,
    out,
    compute: centerSlot(L, op, model, kernels, 0),
    pool,
    tasks: (ticket) =>
      Array.from({ length: threads - 1 }, (_, w) =>
        assignConsumerTask({ ticket, id, kind, op, model }, w + 1),
      ),
  });
}
