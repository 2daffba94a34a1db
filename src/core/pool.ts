/**
 * Parallel work on `worker_threads`, behind the {@link Executor} interface.
 *
 * A task names an ES module (by URL, normally `import.meta.url` of the module that exports the
 * work) and an exported function; arguments travel by structured clone, so typed arrays backed by
 * a `SharedArrayBuffer` (see {@link toShared}) are shared, not copied.
 *
 * Two ways to run a batch:
 * - {@link Executor.map} — asynchronous, for callers that can await;
 * - {@link Executor.mapSync} — blocks the calling thread (`Atomics.wait`) until every task is
 *   done, so that synchronous APIs such as `fit()` can still use every core.
 *
 * Results come back in task order, whatever the number of threads or the order of completion;
 * tasks must take their randomness from `rng.derive(taskIndex)` so results do not depend on
 * which worker ran them. {@link InlineExecutor} runs the same tasks on the calling thread and is
 * what tests compare the pool against.
 *
 * Size: `LATHE_THREADS` if set, else `os.availableParallelism()`.
 *
 * @module
 */

import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { DataError, ValidationError } from './errors.ts';

/** One unit of work: call `fn` exported by `module` with `args`. */
export interface Task {
  /** URL of the ES module exporting `fn` (use `import.meta.url`). */
  module: string;
  /** Name of the exported function. */
  fn: string;
  /** Arguments (structured-cloned; shared memory stays shared). */
  args: unknown[];
}

/** Runs batches of tasks; the in-process and thread implementations give identical results. */
export interface Executor {
  /** How many tasks may run at once. */
  readonly parallelism: number;
  /** Runs the tasks, resolving to their results in task order; rejects with the first failure. */
  map<R = unknown>(tasks: readonly Task[]): Promise<R[]>;
  /** As {@link Executor.map}, blocking the calling thread until all are done. */
  mapSync<R = unknown>(tasks: readonly Task[]): R[];
  /** Stops the workers (the executor may not be used afterwards). */
  close(): Promise<void>;
}

/** The number of threads Lathe uses by default: `LATHE_THREADS`, else all available cores. */
export function defaultThreadCount(): number {
  const env = process.env.LATHE_THREADS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1) {
      throw new ValidationError(`LATHE_THREADS must be a positive integer; got ${JSON.stringify(env)}.`, {
        field: 'LATHE_THREADS',
      });
    }
    return n;
  }
  return availableParallelism();
}

/** A typed array of the same type and values, backed by a `SharedArrayBuffer`. */
export function toShared<
  T extends Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array | Uint16Array,
>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  (out as unknown as { set(x: T): void }).set(a);
  return out;
}

async function callInline(task: Task): Promise<unknown> {
  const mod = (await import(task.module)) as Record<string, unknown>;
  const fn = mod[task.fn];
  if (typeof fn !== 'function') throw new Error(`task: ${task.module} has no exported function '${task.fn}'`);
  return (fn as (...a: unknown[]) => unknown)(...task.args);
}

/**
 * Runs tasks one after another on the calling thread. `mapSync` needs the task modules to be
 * already loaded: register them with {@link preloadForInline} (the estimator modules do so for
 * their own task functions).
 */
export class InlineExecutor implements Executor {
  readonly parallelism = 1;

  async map<R>(tasks: readonly Task[]): Promise<R[]> {
    const out: R[] = [];
    for (const t of tasks) out.push((await callInline(t)) as R);
    return out;
  }

  mapSync<R>(tasks: readonly Task[]): R[] {
    return tasks.map((t) => {
      const fn = syncFunctions.get(`${t.module}#${t.fn}`);
      if (!fn) {
        throw new Error(
          `InlineExecutor.mapSync: ${t.fn} from ${t.module} was not registered with registerTask().`,
        );
      }
      const v = fn(...t.args);
      if (v instanceof Promise) throw new Error(`InlineExecutor.mapSync: ${t.fn} returned a promise.`);
      return v as R;
    });
  }

  async close(): Promise<void> {}
}

const syncFunctions = new Map<string, (...a: unknown[]) => unknown>();

/**
 * Declares a task function so the same code can run inline (on one thread, synchronously) or on
 * the pool. Returns a helper that builds {@link Task}s for it.
 *
 * ```ts
 * export function fitTree(...) { ... }
 * const fitTreeTask = registerTask(import.meta.url, 'fitTree', fitTree);
 * executor.mapSync(trees.map((_, i) => fitTreeTask(sharedX, y, params, i)));
 * ```
 */
export function registerTask<A extends unknown[], R>(
  moduleUrl: string,
  name: string,
  fn: (...args: A) => R,
): (...args: A) => Task {
  syncFunctions.set(`${moduleUrl}#${name}`, fn as (...a: unknown[]) => unknown);
  return (...args: A) => ({ module: moduleUrl, fn: name, args });
}

interface WorkerSlot {
  worker: Worker;
  port: MessagePort;
  busy: number; // task index being run, or -1
  dead?: boolean;
}

interface ResultMessage {
  id: number;
  ok: boolean;
  /** The worker thread is gone; its slot must be replaced. */
  fatal?: boolean;
  value?: unknown;
  error?: { name: string; message: string; stack?: string; extra?: Record<string, unknown> };
}

const WORKER_URL = new URL(`./worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)
  .href;

function bootstrapCode(): string {
  // Under tsx (tests, development) the worker must register the TypeScript loader itself.
  if (WORKER_URL.endsWith('.ts')) {
    const tsx = import.meta.resolve('tsx/esm/api');
    return `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(WORKER_URL)}); });`;
  }
  return `import(${JSON.stringify(WORKER_URL)});`;
}

/** A pool of worker threads. Workers start lazily and do not keep the process alive when idle. */
export class ThreadExecutor implements Executor {
  readonly parallelism: number;
  private slots: WorkerSlot[] = [];
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private closed = false;
  private running = false;

  constructor(threads: number = defaultThreadCount()) {
    if (!Number.isInteger(threads) || threads < 1) {
      throw new ValidationError(`ThreadExecutor: threads must be a positive integer; got ${threads}.`);
    }
    this.parallelism = threads;
  }

  private ensureWorkers(n: number): void {
    if (this.closed) throw new Error('ThreadExecutor: used after close().');
    this.slots = this.slots.filter((s) => !s.dead);
    while (this.slots.length < n) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(bootstrapCode(), {
        eval: true,
        workerData: { resultPort: port2, signal: this.signal },
        transferList: [port2],
      });
      worker.unref();
      port1.unref();
      worker.on('error', () => {
        // Surfaces as a missing result; the waiting loop reports it (see waitForSlot).
      });
      this.slots.push({ worker, port: port1, busy: -1 });
    }
  }

  mapSync<R>(tasks: readonly Task[]): R[] {
    return this.run<R>(tasks, (seen) => {
      Atomics.wait(this.signal, 0, seen, 250);
    }) as R[];
  }

  async map<R>(tasks: readonly Task[]): Promise<R[]> {
    return (await this.runAsync<R>(tasks)) as R[];
  }

  private run<R>(tasks: readonly Task[], wait: (seen: number) => void): R[] {
    if (this.running) throw new Error('ThreadExecutor: a batch is already running on this pool.');
    this.running = true;
    try {
      const state = this.begin(tasks);
      while (state.remaining > 0) {
        const seen = Atomics.load(this.signal, 0);
        if (!this.collect(state, tasks)) wait(seen);
      }
      return this.finish<R>(state);
    } finally {
      this.running = false;
    }
  }

  private async runAsync<R>(tasks: readonly Task[]): Promise<R[]> {
    while (this.running) await new Promise((r) => setTimeout(r, 1));
    this.running = true;
    // Workers are unref'd; keep the event loop alive while this batch is pending.
    const keepAlive = setInterval(() => {}, 1 << 30);
    try {
      const state = this.begin(tasks);
      while (state.remaining > 0) {
        const seen = Atomics.load(this.signal, 0);
        if (!this.collect(state, tasks)) {
          const w = Atomics.waitAsync(this.signal, 0, seen, 250);
          if (w.async) await w.value;
        }
      }
      return this.finish<R>(state);
    } finally {
      clearInterval(keepAlive);
      this.running = false;
    }
  }

  private begin(tasks: readonly Task[]): BatchState {
    const n = Math.min(this.parallelism, tasks.length);
    this.ensureWorkers(n);
    const state: BatchState = {
      results: new Array(tasks.length),
      next: 0,
      remaining: tasks.length,
      error: null,
    };
    for (let s = 0; s < n; s++) this.dispatch(this.slots[s], state, tasks);
    return state;
  }

  private dispatch(slot: WorkerSlot, state: BatchState, tasks: readonly Task[]): void {
    if (state.next >= tasks.length || state.error) return;
    const id = state.next++;
    slot.busy = id;
    const t = tasks[id];
    slot.worker.postMessage({ id, module: t.module, fn: t.fn, args: t.args });
  }

  /** Drains finished results; returns true if any arrived. */
  private collect(state: BatchState, tasks: readonly Task[]): boolean {
    let any = false;
    for (const slot of this.slots) {
      if (slot.busy < 0) continue;
      const got = receiveMessageOnPort(slot.port);
      if (!got) continue;
      any = true;
      const msg = got.message as ResultMessage;
      slot.busy = -1;
      if (msg.fatal) slot.dead = true;
      state.remaining--;
      if (msg.ok) state.results[msg.id] = msg.value;
      else if (!state.error) state.error = rebuildError(msg.error!);
      if (state.error) {
        // Let running tasks finish (their results are discarded); start no new ones.
        state.remaining = this.slots.filter((s) => s.busy >= 0).length;
        state.next = tasks.length;
      } else {
        if (slot.dead) {
          // Move the remaining work to a fresh worker.
          this.slots.splice(this.slots.indexOf(slot), 1);
          this.ensureWorkers(Math.min(this.parallelism, tasks.length));
          for (const s of this.slots) if (s.busy < 0) this.dispatch(s, state, tasks);
        } else {
          this.dispatch(slot, state, tasks);
        }
      }
    }
    return any;
  }

  private finish<R>(state: BatchState): R[] {
    if (state.error) throw state.error;
    return state.results as R[];
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
    for (const s of slots) s.port.close();
  }
}

interface BatchState {
  results: unknown[];
  next: number;
  remaining: number;
  error: Error | null;
}

function rebuildError(e: NonNullable<ResultMessage['error']>): Error {
  const Ctor =
    e.name === 'DataError' ? DataError : e.name === 'ValidationError' ? ValidationError : undefined;
  let err: Error;
  if (Ctor) {
    err = Object.create(Ctor.prototype) as Error;
    Object.defineProperty(err, 'message', { value: e.message, writable: true, configurable: true });
    Object.assign(err, { name: e.name, exitCode: 2, ...e.extra });
  } else {
    err = new Error(e.message);
    err.name = e.name;
  }
  if (e.stack) err.stack = e.stack;
  return err;
}

const pools = new Map<number, ThreadExecutor>();

/** The process-wide pool with `threads` workers (created on first use). */
export function sharedPool(threads: number = defaultThreadCount()): ThreadExecutor {
  let pool = pools.get(threads);
  if (!pool) {
    pool = new ThreadExecutor(threads);
    pools.set(threads, pool);
  }
  return pool;
}

/**
 * The executor for `threads` (null/undefined: the default count). One thread means inline — no
 * workers are started at all.
 */
export function executorFor(threads?: number | null): Executor {
  const n = threads ?? defaultThreadCount();
  return n <= 1 ? new InlineExecutor() : sharedPool(n);
}
