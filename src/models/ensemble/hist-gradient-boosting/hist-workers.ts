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
import type { KernelKind } from './kernels.ts';
import type { WasmMemory } from './wasm.ts';

/** Control block slots (Int32). */
export const CTRL = {
  GEN: 0,
  DONE: 1,
  TYPE: 2,
  THREADS: 3,
  /** Job arguments start here. */
  ARGS: 4,
} as const;

/** Job types. */
export const JOB = { ARENA: 1, HIST: 2, RELEASE: 3 } as const;

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

/** Splits features [0, d) into `threads` contiguous ranges; returns range `t`. */
export function featureRange(d: number, threads: number, t: number): [number, number] {
  return [Math.floor((t * d) / threads), Math.floor(((t + 1) * d) / threads)];
}

/** The worker group. */
export class HistWorkers {
  /** Threads including the calling one. */
  readonly threads: number;
  readonly ctrl = new Int32Array(new SharedArrayBuffer(64 * 4));
  private readonly ports: MessagePort[] = [];
  private arenaId = -1;

  private constructor(threads: number) {
    this.threads = threads;
    for (let w = 1; w < threads; w++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(bootstrapCode(), {
        eval: true,
        workerData: { ctrl: this.ctrl, port: port2, index: w },
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
    Atomics.store(c, CTRL.TYPE, type);
    Atomics.store(c, CTRL.THREADS, this.threads);
    Atomics.add(c, CTRL.GEN, 1);
    Atomics.notify(c, CTRL.GEN);
  }

  private wait(): void {
    const c = this.ctrl;
    const want = this.threads - 1;
    for (;;) {
      const done = Atomics.load(c, CTRL.DONE);
      if (done >= want) return;
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
   * Builds one node's histograms: the workers take feature ranges 1..T-1 and `own` (the calling
   * thread's build of a range) takes range 0; returns when all are done.
   */
  buildHist(args: readonly number[], d: number, own: (f0: number, f1: number) => void): void {
    const c = this.ctrl;
    for (let i = 0; i < args.length; i++) c[CTRL.ARGS + i] = args[i];
    this.dispatch(JOB.HIST);
    const [f0, f1] = featureRange(d, this.threads, 0);
    own(f0, f1);
    this.wait();
  }
}
