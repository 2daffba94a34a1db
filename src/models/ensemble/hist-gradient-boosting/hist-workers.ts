/**
 * A persistent group of worker threads that build histograms with the calling thread, over one
 * shared arena memory. The pool in `core/pool.ts` dispatches a batch by message (≈ 0.1–0.5 ms),
 * too coarse for one node's histogram; this group is driven through a small shared control block
 * and `Atomics.wait`/`notify` instead (a few microseconds), and the calling thread does its own
 * share of the work rather than waiting idle.
 *
 * Each thread builds a fixed, contiguous range of features, so every bin is summed by one thread
 * over the rows in the same order: the result is bit-identical whatever the number of threads.
 *
 * @module
 */

import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { toShared } from '../../../core/pool.ts';
import type { WasmMemory } from '../../../core/wasm.ts';
import type { KernelKind } from './kernels.ts';
import { addRange, type TreeEnsemble } from './predictor.ts';
import {
  type ChunkLayout,
  canPredictPacked,
  kernelCall,
  type PackedEnsemble,
  PredictMemory,
  predictPacked,
} from './wasm-predictor.ts';

/** Control block slots (Int32). */
export const CTRL = {
  GEN: 0,
  DONE: 1,
  TYPE: 2,
  THREADS: 3,
  /** Threads past the gather phase of a HIST job, or past their own partition. */
  BARRIER: 4,
  /** PARTITION: threads whose left piece is in place (they move in thread order). */
  LEFT_MOVED: 5,
  /** PARTITION: threads past moving their left piece. */
  BARRIER2: 6,
  /** PARTITION: rows sent left by each thread (THREADS slots). */
  LEFT: 8,
  /** Job arguments start here. */
  ARGS: 24,
} as const;

/** Job types. */
export const JOB = {
  ARENA: 1,
  HIST: 2,
  RELEASE: 3,
  PARTITION: 4,
  GRAD: 5,
  PREDICT: 6,
  PREDICT_MEMORY: 7,
  PREDICT_CHUNK: 8,
} as const;

/** Slots per thread in the prediction-call block (a kernel call's length, then the call). */
export const CALL_SLOTS = 16;

/**
 * Polls of a shared flag before sleeping on it (~10–50 µs): jobs follow each other closely while a
 * tree grows, and waking a sleeping thread (a futex wake, then scheduling) costs more than most.
 */
export const SPIN = 4000;

/** Splits rows [0, n) into `threads` contiguous ranges; returns range `t`. */
export function rowRange(n: number, threads: number, t: number): [number, number] {
  return [Math.floor((t * n) / threads), Math.floor(((t + 1) * n) / threads)];
}

/** Waits until `threads` threads have arrived at the barrier slot (spinning briefly first). */
export function barrier(ctrl: Int32Array, threads: number, slot: number = CTRL.BARRIER): void {
  Atomics.add(ctrl, slot, 1);
  Atomics.notify(ctrl, slot);
  awaitCount(ctrl, slot, threads);
}

/** Waits until the counter at `slot` reaches `want` (spinning briefly first). */
function awaitCount(ctrl: Int32Array, slot: number, want: number): void {
  for (let spin = 0; ; spin++) {
    const v = Atomics.load(ctrl, slot);
    if (v >= want) return;
    if (spin > 2000) Atomics.wait(ctrl, slot, v, 5);
  }
}

/**
 * Thread `t`'s part in joining a partition split over `threads` contiguous chunks of the node's
 * rows `idx[0..cnt)` (u32 indices into `U32`). Each chunk has its left rows at its start and its
 * right rows at the same offset in `scratch`; `ctrl[LEFT + t]` holds the left counts. Every
 * thread moves its own pieces (their cache lines are its own): left pieces first, in thread
 * order (a left piece may land where the previous chunk's left piece was read from), then, once
 * all are in place, every right piece at once (they land after all left rows, from the scratch).
 * The rows end in the order one thread's stable partition gives.
 */
export function joinPartition(
  ctrl: Int32Array,
  U32: Uint32Array,
  idx: number,
  scratch: number,
  cnt: number,
  threads: number,
  t: number,
): void {
  let leftBefore = 0;
  let rightBefore = 0;
  let nLeft = 0;
  for (let u = 0; u < threads; u++) {
    const [a0, a1] = rowRange(cnt, threads, u);
    const l = ctrl[CTRL.LEFT + u];
    nLeft += l;
    if (u < t) {
      leftBefore += l;
      rightBefore += a1 - a0 - l;
    }
  }
  const [r0, r1] = rowRange(cnt, threads, t);
  const left = ctrl[CTRL.LEFT + t];
  awaitCount(ctrl, CTRL.LEFT_MOVED, t);
  if (left > 0 && leftBefore !== r0) U32.copyWithin(idx + leftBefore, idx + r0, idx + r0 + left);
  Atomics.add(ctrl, CTRL.LEFT_MOVED, 1);
  Atomics.notify(ctrl, CTRL.LEFT_MOVED);
  barrier(ctrl, threads, CTRL.BARRIER2);
  const right = r1 - r0 - left;
  if (right > 0) U32.copyWithin(idx + nLeft + rightBefore, scratch + r0, scratch + r0 + right);
}

const WORKER_URL = new URL(`./hist-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)
  .href;

function bootstrapCode(): string {
  // Under tsx (tests, development) the worker registers the TypeScript loader first.
  if (WORKER_URL.endsWith('.ts')) {
    const tsx = import.meta.resolve('tsx/esm/api');
    return `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(WORKER_URL)}); });`;
  }
  return `import(${JSON.stringify(WORKER_URL)});`;
}

/** How long a job may see no worker finish before the group is declared broken. */
const STALL_MS = 300_000;

/** Splits features [0, d) into `threads` contiguous ranges; returns range `t`. */
export function featureRange(d: number, threads: number, t: number): [number, number] {
  return [Math.floor((t * d) / threads), Math.floor(((t + 1) * d) / threads)];
}

/** The worker group. */
export class HistWorkers {
  /** Threads including the calling one. */
  readonly threads: number;
  readonly ctrl = new Int32Array(new SharedArrayBuffer(64 * 4));
  /** Per thread, the kernel call of a PREDICT_CHUNK job (f64: memory offsets may pass 2^31). */
  readonly calls: Float64Array;
  private readonly ports: MessagePort[] = [];
  private arenaId = -1;
  /** Per worker, the memory its prediction kernel runs on (filled by the calling thread). */
  private predictMemories: PredictMemory[] | null = null;

  private constructor(threads: number) {
    this.threads = threads;
    this.calls = new Float64Array(new SharedArrayBuffer(threads * CALL_SLOTS * 8));
    for (let w = 1; w < threads; w++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(bootstrapCode(), {
        eval: true,
        workerData: { ctrl: this.ctrl, calls: this.calls, port: port2, index: w },
        transferList: [port2],
      });
      worker.unref();
      port1.unref();
      this.ports.push(port1);
    }
  }

  private static groups = new Map<number, HistWorkers>();

  /** The process-wide group of `threads` threads (created on first use). */
  static get(threads: number): HistWorkers {
    let g = HistWorkers.groups.get(threads);
    if (!g) {
      g = new HistWorkers(threads);
      HistWorkers.groups.set(threads, g);
    }
    return g;
  }

  private dispatch(type: number): void {
    const c = this.ctrl;
    Atomics.store(c, CTRL.DONE, 0);
    Atomics.store(c, CTRL.BARRIER, 0);
    Atomics.store(c, CTRL.LEFT_MOVED, 0);
    Atomics.store(c, CTRL.BARRIER2, 0);
    Atomics.store(c, CTRL.TYPE, type);
    Atomics.store(c, CTRL.THREADS, this.threads);
    Atomics.add(c, CTRL.GEN, 1);
    Atomics.notify(c, CTRL.GEN);
  }

  private wait(): void {
    const c = this.ctrl;
    const want = this.threads - 1;
    for (let spin = 0; spin < SPIN; spin++) if (Atomics.load(c, CTRL.DONE) >= want) return;
    let last = Atomics.load(c, CTRL.DONE);
    let since = Date.now();
    for (;;) {
      const done = Atomics.load(c, CTRL.DONE);
      if (done >= want) return;
      if (done !== last) {
        last = done;
        since = Date.now();
      } else if (Date.now() - since > STALL_MS) {
        // A worker that never answers (it failed to start, or died): fail rather than hang.
        HistWorkers.groups.delete(this.threads);
        throw new Error(
          `gbdt: a histogram worker thread has not answered for ${STALL_MS / 1000} s; retry with nThreads: 1.`,
        );
      }
      Atomics.wait(c, CTRL.DONE, done, 1000);
    }
  }

  /** Gives the workers the arena's memory (once per fit). */
  useArena(memory: WasmMemory, arenaId: number, kind: KernelKind): void {
    if (this.arenaId === arenaId) return;
    for (const p of this.ports) p.postMessage({ memory, kind });
    this.dispatch(JOB.ARENA);
    this.wait();
    this.arenaId = arenaId;
  }

  /** Lets the workers drop their reference to the arena (end of a fit). */
  release(): void {
    this.dispatch(JOB.RELEASE);
    this.wait();
    this.arenaId = -1;
  }

  /**
   * Builds one node's histograms in two phases: every thread gathers a range of the node's rows'
   * gradients, then (after a barrier) builds a range of features. The calling thread takes range
   * 0 of both (`gather`, `build`); returns when all are done.
   */
  buildHist(
    args: readonly number[],
    cnt: number,
    d: number,
    gather: (r0: number, r1: number) => void,
    build: (f0: number, f1: number) => void,
  ): void {
    const c = this.ctrl;
    for (let i = 0; i < args.length; i++) c[CTRL.ARGS + i] = args[i];
    this.dispatch(JOB.HIST);
    const [r0, r1] = rowRange(cnt, this.threads, 0);
    gather(r0, r1);
    barrier(c, this.threads);
    const [f0, f1] = featureRange(d, this.threads, 0);
    build(f0, f1);
    this.wait();
  }

  /**
   * Stable partition of a node's rows on all threads: each partitions a contiguous chunk (left
   * rows compacted at the chunk's start, right rows to the scratch at the same offset), then
   * every thread moves its own pieces into place ({@link joinPartition}) — the same result as one
   * thread. `args` are (bins column, idx, cnt, goesLeft, scratch) as byte offsets into `memory`;
   * `own(r0, r1)` partitions the calling thread's chunk and returns its left count. Returns the
   * number of rows that go left.
   */
  partition(args: readonly number[], memory: WasmMemory, own: (r0: number, r1: number) => number): number {
    const c = this.ctrl;
    for (let i = 0; i < args.length; i++) c[CTRL.ARGS + i] = args[i];
    const [, idx, cnt, , scratch] = args;
    this.dispatch(JOB.PARTITION);
    const [r0, r1] = rowRange(cnt, this.threads, 0);
    c[CTRL.LEFT] = own(r0, r1);
    barrier(c, this.threads);
    joinPartition(c, new Uint32Array(memory.buffer), idx >> 2, scratch >> 2, cnt, this.threads, 0);
    this.wait();
    let nLeft = 0;
    for (let t = 0; t < this.threads; t++) nLeft += c[CTRL.LEFT + t];
    return nLeft;
  }

  /** Binary log-loss gradients over rows split between the threads; `own` does range 0. */
  gradients(args: readonly number[], n: number, own: (r0: number, r1: number) => void): void {
    const c = this.ctrl;
    for (let i = 0; i < args.length; i++) c[CTRL.ARGS + i] = args[i];
    this.dispatch(JOB.GRAD);
    const [r0, r1] = rowRange(n, this.threads, 0);
    own(r0, r1);
    this.wait();
  }

  /**
   * Adds the trees of `e` (class-major, n rows per class) to `out` for the row-major X, rows split
   * between the threads; every row is computed by one thread, trees in order.
   *
   * With a packed model (WebAssembly kernels), rows go in rounds: the calling thread copies each
   * worker's rows straight into that worker's kernel memory, predicts its own rows meanwhile, and
   * copies the workers' outputs back — X is never copied to shared memory, and nothing new is
   * allocated per call. Without one (TypeScript kernels), X is copied to shared memory once and the
   * ensemble is posted to the workers.
   */
  predict(
    e: TreeEnsemble,
    shared: () => TreeEnsemble,
    packed: PackedEnsemble | null,
    X: Float64Array,
    d: number,
    n: number,
    out: Float64Array,
  ): void {
    if (packed && canPredictPacked(packed, d)) this.predictRounds(packed, X, d, n, out);
    else this.predictPosted(e, shared(), X, d, n, out);
  }

  private predictRounds(p: PackedEnsemble, X: Float64Array, d: number, n: number, out: Float64Array): void {
    const T = this.threads;
    if (!this.predictMemories) {
      this.predictMemories = [];
      for (let w = 1; w < T; w++) {
        const m = new PredictMemory();
        this.predictMemories.push(m);
        this.ports[w - 1].postMessage({ memory: m.memory });
      }
      this.dispatch(JOB.PREDICT_MEMORY);
      this.wait();
    }
    const mems = this.predictMemories;
    // Rows per thread and round: ~2 MB of X per worker memory (fresh memory costs page faults).
    const R = Math.max(1024, Math.min(65536, Math.floor((2 << 20) / (8 * d))));
    const layouts: (ChunkLayout | null)[] = new Array(T).fill(null);
    const K = p.K;
    for (let b = 0; b < n; b += T * R) {
      const m = Math.min(T * R, n - b);
      for (let t = 1; t < T; t++) {
        const [a0, a1] = rowRange(m, T, t);
        const c = t * CALL_SLOTS;
        if (a1 <= a0) {
          this.calls[c] = 0;
          layouts[t] = null;
          continue;
        }
        const mem = mems[t - 1];
        const L = mem.prepare(p, d, a1 - a0);
        mem.stage(L, X, d, b + a0, a1 - a0, K, out, n, b + a0);
        const call = kernelCall(p, L, a1 - a0, d);
        this.calls[c] = call.length;
        this.calls.set(call, c + 1);
        layouts[t] = L;
      }
      this.dispatch(JOB.PREDICT_CHUNK);
      const [r0, r1] = rowRange(m, T, 0);
      predictPacked(p, X, d, b + r0, b + r1, out, n, b + r0);
      this.wait();
      for (let t = 1; t < T; t++) {
        const L = layouts[t];
        if (!L) continue;
        const [a0, a1] = rowRange(m, T, t);
        mems[t - 1].unstage(L, a1 - a0, K, out, n, b + a0);
      }
    }
  }

  private predictPosted(
    e: TreeEnsemble,
    shared: TreeEnsemble,
    X: Float64Array,
    d: number,
    n: number,
    out: Float64Array,
  ): void {
    const K = e.nTreesPerIteration;
    const Xs = toShared(X);
    const outS = new Float64Array(new SharedArrayBuffer(n * K * 8));
    for (const p of this.ports) p.postMessage({ e: shared, X: Xs, out: outS, d, n });
    this.dispatch(JOB.PREDICT);
    const [r0, r1] = rowRange(n, this.threads, 0);
    addRange(e, null, X, d, r0, r1, out, n, r0);
    this.wait();
    for (let k = 0; k < K; k++) {
      for (let t = 1; t < this.threads; t++) {
        const [a0, a1] = rowRange(n, this.threads, t);
        out.set(outS.subarray(k * n + a0, k * n + a1), k * n + a0);
      }
    }
  }
}
