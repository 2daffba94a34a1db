/**
 * Histogram building: per node, per feature, per bin, the sums of gradients and hessians and the
 * count of rows. The smaller child of a split is built from its rows; the larger one is the
 * parent minus the smaller (the subtraction trick). Histogram blocks are recycled through a free
 * list, so a fit allocates them once.
 *
 * Threads: a large node is built by a {@link HistWorkers} group and the calling thread at once,
 * each over a fixed, contiguous range of features (never of rows), on the same shared memory. Every bin is therefore summed by
 * one thread, over the rows in the same order, and the model is bit-identical whatever the number
 * of threads.
 *
 * @module
 */

import type { Arena } from './arena.ts';
import type { HistWorkers } from './hist-workers.ts';
import type { Kernels } from './kernels.ts';

/** One node's histograms: byte offsets of the (gradient, hessian) sums and of the counts. */
export interface HistBlock {
  hist: number;
  counts: number;
}

/**
 * Below this many bin updates (rows × features, ~50 µs of work) a node is built on the calling
 * thread: handing a job to the worker group costs microseconds when the workers are polling and
 * tens of microseconds when they sleep. (2¹⁵ measured best on 1M × 20 at 2 threads: 6.1–6.4 s a
 * fit against 7.5–7.9 s at 2¹⁸; 2¹³, 2¹⁴ and 2¹⁶ in between.)
 */
export const PARALLEL_MIN_UPDATES = 1 << 15;
/** Below this many rows (~0.1 ms of work) a node is partitioned on the calling thread. */
export const PARALLEL_MIN_ROWS_PARTITION = 1 << 16;

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
    private readonly workers: HistWorkers | null,
  ) {
    workers?.useArena(arena.memory, arena.id, kernels.kind);
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
   * Builds `out` from the rows `idx[0..cnt)` (a byte offset into the partition), gathering their
   * (gradient, hessian) pairs from `grad` (byte offset of 16-byte pairs indexed by row) in row
   * order first. `root`: the rows are 0..cnt-1 in order, and `grad` is read as it is (no gather).
   */
  build(idx: number, cnt: number, grad: number, out: HistBlock, root = false): void {
    const k = this.kernels;
    const d = this.nFeatures;
    const { bins, nRows, slots } = this;
    const gh = root ? grad : this.gh;
    // The root holds every row: its counts, built with the first tree's, are copied afterwards.
    const rootCounts = root ? this.rootCounts : 0;
    const own = (f0: number, f1: number): void => {
      k.clearHist(f0, f1, slots, out.hist, out.counts);
      if (rootCounts) {
        k.buildHistRootSums(bins, nRows, cnt, gh, f0, f1, slots, out.hist, rootCounts, out.counts);
      } else if (root) k.buildHistRoot(bins, nRows, cnt, gh, f0, f1, slots, out.hist, out.counts);
      else k.buildHist(bins, nRows, idx, cnt, gh, f0, f1, slots, out.hist, out.counts);
    };
    const w = this.workers;
    if (w && cnt * d >= PARALLEL_MIN_UPDATES && d > 1) {
      w.buildHist(
        [bins, nRows, idx, cnt, gh, d, slots, out.hist, out.counts, root ? 1 : 0, grad, rootCounts],
        cnt,
        d,
        (r0, r1) => {
          if (!root) k.gather(idx + r0 * 4, r1 - r0, grad, gh + r0 * 16);
        },
        own,
      );
    } else {
      if (!root) k.gather(idx, cnt, grad, gh);
      own(0, d);
    }
    if (root && !rootCounts) {
      this.rootCounts = this.arena.alloc(this.countBytes);
      const U8 = new Uint8Array(this.arena.memory.buffer);
      U8.copyWithin(this.rootCounts, out.counts, out.counts + this.countBytes);
    }
  }

  /** Byte offset of the root's counts once built (0 before). */
  private rootCounts = 0;

  /**
   * Stable partition of the rows idx[0..cnt) by the per-bin table at `goesLeft` over the bins
   * column `col`, using `scratch` (cnt u32); returns the number of rows that go left.
   */
  partition(col: number, idx: number, cnt: number, goesLeft: number, scratch: number): number {
    const k = this.kernels;
    const w = this.workers;
    if (!w || cnt < PARALLEL_MIN_ROWS_PARTITION) return k.partition(col, idx, cnt, goesLeft, scratch);
    return w.partition([col, idx, cnt, goesLeft, scratch], this.arena.memory, (r0, r1) =>
      k.partition(col, idx + r0 * 4, r1 - r0, goesLeft, scratch + r0 * 4),
    );
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
