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
 *   done, so that synchronous APIs such as `fit()` can still use every core;
 * - {@link ThreadExecutor.begin} (or {@link beginBatch} / {@link runBeside} for any executor) —
 *   starts the tasks and returns at once, so the calling thread can do its own share of the work
 *   beside the workers, then {@link PendingBatch.join}s them.
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
import { ValidationError } from './errors.ts';
import { rebuildTaskError, type TaskError } from './task-error.ts';
import { type LatheWarning, warn } from './warnings.ts';

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
  /**
   * Starts the tasks and returns without waiting (optional: {@link beginBatch} falls back to
   * running them at once with `mapSync`).
   */
  begin?<R = unknown>(tasks: readonly Task[]): PendingBatch<R>;
  /** Stops the workers (the executor may not be used afterwards). */
  close(): Promise<void>;
}

/**
 * A batch of tasks started by {@link ThreadExecutor.begin}: the workers run it while the calling
 * thread does something else. Until it is joined, cancelled or detached the pool runs no other
 * batch (`mapSync` and `begin` throw, `map` waits), so every batch must end with one of those —
 * {@link runBeside} does that for you.
 */
export interface PendingBatch<R = unknown> {
  /** The number of tasks. */
  readonly size: number;
  /**
   * Collects the results that have arrived, without blocking; true once no task of the batch is
   * running or waiting any more (all finished, or one failed and the others that had started have
   * finished).
   */
  poll(): boolean;
  /**
   * Blocks until every task has finished and releases the pool; returns the results in task
   * order, or throws the first task error (as `mapSync`). Calling it again gives the same outcome.
   */
  join(): R[];
  /**
   * Starts no task that has not started, waits for the running ones (their results and errors are
   * discarded) and releases the pool. A later `join()` throws. Does nothing once joined.
   */
  cancel(): void;
  /**
   * As `cancel()`, without waiting: the tasks already running finish in the background (their
   * results and errors are discarded) and the calling thread goes on at once. The pool's next
   * batch (`mapSync`, `map`, `begin`) first waits for them; {@link ThreadExecutor.idle} tells
   * whether they have ended. For tasks that end soon on their own — e.g. a worker's share of work
   * the calling thread has finished, whose worker may still be starting up. A later `join()`
   * throws. Does nothing once joined.
   */
  detach(): void;
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

/**
 * Starts `tasks` on `executor` without waiting: {@link Executor.begin} when it has one (the
 * thread pool; {@link InlineExecutor} runs them at once), else `mapSync` at once, its outcome
 * kept for `join()`.
 */
export function beginBatch<R = unknown>(executor: Executor, tasks: readonly Task[]): PendingBatch<R> {
  if (typeof executor.begin === 'function') return executor.begin<R>(tasks);
  return settledBatch<R>(tasks.length, () => executor.mapSync<R>(tasks));
}

/**
 * Runs `tasks` on `executor` while `own()` runs on the calling thread, and returns both
 * outcomes. When `own()` throws, the batch is cancelled (the tasks already running are waited
 * for, their results discarded, so the pool is usable again) and the error is rethrown; when a
 * task fails, its error is thrown after `own()` has returned.
 *
 * ```ts
 * const { results, own } = runBeside(pool, tasks, () => workOnMyShare());
 * ```
 */
export function runBeside<R, T>(
  executor: Executor,
  tasks: readonly Task[],
  own: () => T,
): { results: R[]; own: T } {
  const batch = beginBatch<R>(executor, tasks);
  let mine: T;
  try {
    mine = own();
  } catch (e) {
    batch.cancel();
    throw e;
  }
  return { results: batch.join(), own: mine };
}

/** A batch already run: `run()`'s results or error, given back by `join()`. */
function settledBatch<R>(size: number, run: () => R[]): PendingBatch<R> {
  let results: R[] = [];
  let error: unknown;
  let failed = false;
  try {
    results = run();
  } catch (e) {
    failed = true;
    error = e;
  }
  return {
    size,
    poll: () => true,
    join: () => {
      if (failed) throw error;
      return results;
    },
    cancel: () => {},
    detach: () => {},
  };
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

  /**
   * Runs the tasks at once, on the calling thread (as `mapSync`), and returns a batch that is
   * already finished: `join()` gives their results or throws their error.
   */
  begin<R>(tasks: readonly Task[]): PendingBatch<R> {
    return settledBatch<R>(tasks.length, () => this.mapSync<R>(tasks));
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
  error?: TaskError;
  /** Warnings the task emitted in the worker, re-emitted on the calling thread (see worker.ts). */
  warnings?: LatheWarning[];
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
  /** A detached batch whose running tasks have not all ended (see {@link PendingBatch.detach}). */
  private background: { state: BatchState; tasks: readonly Task[] } | null = null;

  /**
   * Where the tasks' warnings go instead of the calling thread's handler (a queue worker sends
   * them back with the task's result); null: emitted with `warn()`.
   */
  onWarning: ((w: LatheWarning) => void) | null = null;

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
      this.settleBackground(true);
      const state = this.start(tasks);
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
      while (!this.settleBackground(false)) {
        const w = Atomics.waitAsync(this.signal, 0, Atomics.load(this.signal, 0), 5);
        if (w.async) await w.value;
      }
      const state = this.start(tasks);
      while (state.remaining > 0) {
        // close() terminated the workers: their results will never come (a queue worker stopped
        // with force abandons its running task this way).
        if (this.closed) throw new Error('ThreadExecutor: closed while a batch was running.');
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

  /**
   * Starts the tasks on the workers and returns at once (see {@link PendingBatch}): the calling
   * thread works meanwhile, then calls `join()` (or `cancel()`). Tasks are handed out as in
   * `mapSync` (at most `parallelism` at a time, the next one to the first worker free), collected
   * whenever the batch is polled or joined. Throws, as `mapSync`, while another batch is running
   * on this pool — including from inside the calling thread's own share of a pending batch.
   */
  begin<R = unknown>(tasks: readonly Task[]): PendingBatch<R> {
    if (this.running) throw new Error('ThreadExecutor: a batch is already running on this pool.');
    this.running = true;
    let state: BatchState;
    try {
      this.settleBackground(true);
      state = this.start(tasks);
    } catch (e) {
      this.running = false;
      throw e;
    }
    let open = true;
    // No task not yet started will start; the batch's outcome is an error; only the tasks
    // running now are waited for (or left to finish in the background).
    const stopDispatching = (how: string) => {
      if (!state.error) state.error = new Error(`ThreadExecutor: the batch was ${how}.`);
      state.next = tasks.length;
      state.remaining = this.slots.filter((s) => s.busy >= 0).length;
    };
    const release = () => {
      if (open) {
        open = false;
        this.running = false;
      }
    };
    const waitAll = () => {
      while (state.remaining > 0) {
        const seen = Atomics.load(this.signal, 0);
        if (!this.collect(state, tasks)) Atomics.wait(this.signal, 0, seen, 250);
      }
    };
    return {
      size: tasks.length,
      poll: () => {
        if (open && state.remaining > 0) this.collect(state, tasks);
        return state.remaining === 0;
      },
      join: () => {
        if (open) {
          try {
            waitAll();
          } finally {
            release();
          }
        }
        return this.finish<R>(state);
      },
      cancel: () => {
        if (!open) return;
        stopDispatching('cancelled');
        try {
          waitAll();
        } finally {
          release();
        }
      },
      detach: () => {
        if (!open) return;
        stopDispatching('detached');
        if (state.remaining > 0) this.background = { state, tasks };
        release();
      },
    };
  }

  /**
   * True when no batch is running on this pool and the tasks of a detached batch (if any) have
   * ended — a new batch would start at once.
   */
  idle(): boolean {
    return !this.running && this.settleBackground(false);
  }

  /**
   * Collects the detached batch's results (discarding them), blocking until its tasks have ended
   * when `wait`; true when none is left.
   */
  private settleBackground(wait: boolean): boolean {
    const bg = this.background;
    if (!bg) return true;
    while (bg.state.remaining > 0) {
      const seen = Atomics.load(this.signal, 0);
      if (this.collect(bg.state, bg.tasks)) continue;
      if (!wait) break;
      Atomics.wait(this.signal, 0, seen, 250);
    }
    if (bg.state.remaining === 0) this.background = null;
    return this.background === null;
  }

  /** How many workers are running or starting (none until a batch or {@link warm} starts them). */
  workers(): number {
    return this.slots.filter((s) => !s.dead).length;
  }

  /**
   * Starts up to `count` workers now (default: `parallelism`) if fewer are running, so that they
   * boot in the background (a worker takes tens of milliseconds to start Node and load its first
   * task's modules); returns how many were already running.
   */
  warm(count: number = this.parallelism): number {
    if (this.closed) throw new Error('ThreadExecutor: used after close().');
    const before = this.workers();
    this.ensureWorkers(Math.min(count, this.parallelism));
    return before;
  }

  private start(tasks: readonly Task[]): BatchState {
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
      // Through the calling thread's handler: printed once across workers, captured by
      // captureWarnings, silenced by --quiet, worded by the CLI.
      for (const w of msg.warnings ?? []) {
        if (this.onWarning) this.onWarning(w);
        else warn(w.category, w.message);
      }
      slot.busy = -1;
      if (msg.fatal) slot.dead = true;
      state.remaining--;
      if (msg.ok) state.results[msg.id] = msg.value;
      else if (!state.error) state.error = rebuildTaskError(msg.error!);
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
    this.background = null;
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
