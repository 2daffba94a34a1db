/**
 * Histogram building: per node, per feature, per bin, the sums of gradients and hessians and the
 * count of rows. The smaller child of a split is built from its rows; the larger one is the
 * parent minus the smaller (the subtraction trick). Histogram blocks are recycled through a free
 * list, so a fit allocates them once.
 *
 * Threads: a large node is built by several worker threads at once, each over a fixed, contiguous
 * range of features (never of rows), on the same shared memory. Every bin is therefore summed by
 * one thread, over the rows in the same order, and the model is bit-identical whatever the number
 * of threads.
 *
 * @module
 */

import { type Executor, registerTask } from '../../../core/pool.ts';
import type { Arena } from './arena.ts';
import { type KernelKind, type Kernels, makeKernels } from './kernels.ts';
import type { WasmMemory } from './wasm.ts';

/** One node's histograms: byte offsets of the (gradient, hessian) sums and of the counts. */
export interface HistBlock {
  hist: number;
  counts: number;
}

/** Below this many bin updates (rows × features) a node is built on the calling thread. */
export const PARALLEL_MIN_UPDATES = 1 << 18;

/** Builds and recycles histograms for one fit. */
export class HistogramBuilder {
  private readonly free: HistBlock[] = [];
  /** Bytes of one block's sums. */
  readonly histBytes: number;
  /** Bytes of one block's counts. */
  readonly countBytes: number;

  constructor(
    private readonly arena: Arena,
    private readonly kernels: Kernels,
    /** Offset of the column-major bins. */
    readonly bins: number,
    readonly nRows: number,
    readonly nFeatures: number,
    readonly slots: number,
    /** Offset of the ordered (gradient, hessian) pairs: nRows × 16 bytes. */
    readonly gh: number,
    private readonly executor: Executor | null,
  ) {
    this.histBytes = nFeatures * slots * 16;
    this.countBytes = nFeatures * slots * 4;
  }

  /** A histogram block, recycled if possible. */
  acquire(): HistBlock {
    const b = this.free.pop();
    if (b) return b;
    return { hist: this.arena.alloc(this.histBytes), counts: this.arena.alloc(this.countBytes) };
  }

  /** Returns a block to the free list. */
  release(b: HistBlock | null): void {
    if (b) this.free.push(b);
  }

  /**
   * Builds `out` from the rows `idx[0..cnt)` (a byte offset into the partition), gathering the
   * gradients `g`, hessians `h` (byte offsets of f64 arrays indexed by row) in row order first.
   */
  build(idx: number, cnt: number, g: number, h: number, out: HistBlock): void {
    const k = this.kernels;
    k.gather(idx, cnt, g, h, this.gh);
    const d = this.nFeatures;
    const ex = this.executor;
    if (ex && ex.parallelism > 1 && cnt * d >= PARALLEL_MIN_UPDATES && d > 1) {
      const T = Math.min(ex.parallelism, d);
      const tasks = [];
      for (let t = 0; t < T; t++) {
        const f0 = Math.floor((t * d) / T);
        const f1 = Math.floor(((t + 1) * d) / T);
        tasks.push(
          histTask(
            this.arena.memory,
            this.arena.id,
            k.kind,
            this.bins,
            this.nRows,
            idx,
            cnt,
            this.gh,
            f0,
            f1,
            this.slots,
            out.hist,
            out.counts,
          ),
        );
      }
      ex.mapSync(tasks);
      return;
    }
    k.clearHist(0, d, this.slots, out.hist, out.counts);
    k.buildHist(this.bins, this.nRows, idx, cnt, this.gh, 0, d, this.slots, out.hist, out.counts);
  }

  /** out = parent − child. */
  subtract(parent: HistBlock, child: HistBlock, out: HistBlock): void {
    this.kernels.subtractHist(
      0,
      this.nFeatures,
      this.slots,
      parent.hist,
      parent.counts,
      child.hist,
      child.counts,
      out.hist,
      out.counts,
    );
  }
}

// Worker side: one kernel instance per arena, kept for the arena in use (the latest one).
let cached: { id: number; kind: KernelKind; kernels: Kernels } | null = null;

/**
 * Task run by a worker thread (or inline): clears and builds the histograms of features
 * [f0, f1) of one node, in the shared arena memory.
 */
export function buildHistRange(
  memory: WasmMemory,
  arenaId: number,
  kind: KernelKind,
  bins: number,
  nRows: number,
  idx: number,
  cnt: number,
  gh: number,
  f0: number,
  f1: number,
  slots: number,
  hist: number,
  counts: number,
): number {
  if (!cached || cached.id !== arenaId || cached.kind !== kind) {
    cached = { id: arenaId, kind, kernels: makeKernels(memory, kind) };
  }
  const k = cached.kernels;
  k.clearHist(f0, f1, slots, hist, counts);
  k.buildHist(bins, nRows, idx, cnt, gh, f0, f1, slots, hist, counts);
  return f1 - f0;
}

const histTask = registerTask(import.meta.url, 'buildHistRange', buildHistRange);

/** Forgets the worker-side cache (called on the calling thread at the end of a fit). */
export function releaseHistCache(): void {
  cached = null;
}
