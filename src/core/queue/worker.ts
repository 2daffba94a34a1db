/**
 * `startQueueWorker`: what `lathe worker` runs on each machine — takes jobs from the queue a
 * {@link QueueExecutor} fills, runs each task on a thread of its own (the process's event loop
 * stays free to keep the jobs' locks alive, however long a fit takes), and sends the result back.
 *
 * The process says it is alive, and with how many threads, under a key that expires 30 s after its
 * last renewal: coordinators size their batches by it. Blobs (the data of a search) are fetched
 * once and kept in memory up to a byte budget.
 *
 * @module
 */

import { randomUUID } from 'node:crypto';
import { totalmem } from 'node:os';
import { type Job, Worker } from 'bullmq';
import { ValidationError } from '../errors.ts';
import { defaultThreadCount, ThreadExecutor } from '../pool.ts';
import { taskErrorOf } from '../task-error.ts';
import type { LatheWarning } from '../warnings.ts';
import { decodeValue, encodeValue } from './codec.ts';
import type { QueuedOutcome, QueuedTask } from './executor.ts';
import { moduleUrlOf } from './modules.ts';
import { blobKey, checkQueueName, DEFAULT_QUEUE, KEY_PREFIX, workerKey } from './names.ts';
import { connectRedis } from './redis.ts';

/** Options of {@link startQueueWorker}. */
export interface QueueWorkerOptions {
  /** The queue's name (default `lathe`). */
  queue?: string;
  /** Tasks run at once, each on its own thread (default: the machine's cores, `LATHE_THREADS`). */
  threads?: number;
  /** Bytes of blobs kept in memory between tasks (default: a quarter of the machine's memory). */
  cacheBytes?: number;
  /** Told of each task as it ends. */
  onTask?: (e: { fn: string; ok: boolean; ms: number }) => void;
  /**
   * How long a task's lock lasts without renewal (default 30 000 ms): a worker that dies loses its
   * tasks to the others this long after its last renewal, at the next stalled-job check.
   */
  lockMs?: number;
  /** How often this worker looks for tasks whose worker died (default 30 000 ms). */
  stalledCheckMs?: number;
}

/** A running worker. */
export interface QueueWorker {
  readonly threads: number;
  readonly queue: string;
  /** Tasks running now, run so far, and how many of them failed. */
  readonly stats: { running: number; tasks: number; failed: number };
  /**
   * Takes no new job, waits for the running ones to finish, and disconnects. With `force`, stops at
   * once: running tasks are abandoned, and another worker takes them once their locks expire.
   */
  close(options?: { force?: boolean }): Promise<void>;
}

const ALIVE_SECONDS = 30;

/** Blobs by id, dropped oldest-used first beyond a byte budget. */
class BlobCache {
  private readonly items = new Map<string, Buffer>();
  private bytes = 0;
  constructor(private readonly budget: number) {}

  get(id: string): Buffer | undefined {
    const b = this.items.get(id);
    if (b) {
      this.items.delete(id);
      this.items.set(id, b);
    }
    return b;
  }

  set(id: string, b: Buffer): void {
    if (this.items.has(id)) return;
    this.items.set(id, b);
    this.bytes += b.byteLength;
    for (const [k, v] of this.items) {
      if (this.bytes <= this.budget || k === id) break;
      this.items.delete(k);
      this.bytes -= v.byteLength;
    }
  }
}

/** Starts taking jobs from the queue at `url`; resolves once listening. */
export async function startQueueWorker(url: string, options: QueueWorkerOptions = {}): Promise<QueueWorker> {
  const name = checkQueueName(options.queue ?? DEFAULT_QUEUE);
  const threads = options.threads ?? defaultThreadCount();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new ValidationError(`threads must be a whole number ≥ 1; got ${threads}.`, { field: 'threads' });
  }
  const redis = await connectRedis(url);
  const cache = new BlobCache(options.cacheBytes ?? Math.floor(totalmem() / 4));
  const free = Array.from({ length: threads }, () => new ThreadExecutor(1));
  const all = [...free];
  const stats = { running: 0, tasks: 0, failed: 0 };
  let abandoned = false; // set by close({ force: true })

  const fetchBlobs = async (ids: readonly string[]): Promise<Map<string, Buffer>> => {
    const out = new Map<string, Buffer>();
    const missing = ids.filter((id) => {
      const b = cache.get(id);
      if (b) out.set(id, b);
      return !b;
    });
    if (missing.length) {
      const got = await redis.mgetBuffer(...missing.map((id) => blobKey(name, id)));
      missing.forEach((id, i) => {
        const b = got[i];
        if (!b)
          throw new Error(
            `the data blob ${id.slice(0, 24)}… is not in Redis (expired, or evicted by maxmemory)`,
          );
        cache.set(id, b);
        out.set(id, b);
      });
    }
    return out;
  };

  const run = async (job: Job<QueuedTask>): Promise<string> => {
    const t = job.data;
    const module = moduleUrlOf(t.module); // refuses anything outside Lathe's tree
    const args = decodeValue(Buffer.from(t.args, 'base64'), await fetchBlobs(t.blobs)) as unknown[];
    const executor = free.pop() ?? (all[all.push(new ThreadExecutor(1)) - 1] as ThreadExecutor);
    const t0 = performance.now();
    let outcome: QueuedOutcome;
    const warnings: LatheWarning[] = [];
    executor.onWarning = (w) => warnings.push(w); // back to the search, which prints them
    stats.running++;
    try {
      const [value] = await executor.map([{ module, fn: t.fn, args }]);
      outcome = { ok: true, value, warnings };
    } catch (e) {
      outcome = { ok: false, error: taskErrorOf(e), warnings };
      stats.failed++;
    } finally {
      executor.onWarning = null;
      stats.running--;
      free.push(executor);
    }
    // Stopped with force: the task is abandoned, not answered — another worker takes it once its
    // lock expires (an answer now would record the interruption as the task's failure).
    if (abandoned) await new Promise<never>(() => {});
    stats.tasks++;
    options.onTask?.({ fn: t.fn, ok: outcome.ok, ms: performance.now() - t0 });
    return encodeValue(outcome, Number.POSITIVE_INFINITY).payload.toString('base64');
  };

  const worker = new Worker<QueuedTask, string>(name, run, {
    connection: { url, maxRetriesPerRequest: null, skipVersionCheck: true }, // checked by connectRedis
    prefix: KEY_PREFIX,
    concurrency: threads,
    lockDuration: options.lockMs ?? 30_000,
    stalledInterval: options.stalledCheckMs ?? 30_000,
  });
  worker.on('error', () => {}); // connection trouble: ioredis reconnects; jobs wait in Redis
  const id = randomUUID();
  const alive = () => redis.set(workerKey(name, id), String(threads), 'EX', ALIVE_SECONDS).catch(() => {});
  try {
    await worker.waitUntilReady();
    await alive();
  } catch (e) {
    await worker.close(true).catch(() => {});
    redis.disconnect();
    throw e;
  }
  const heartbeat = setInterval(alive, (ALIVE_SECONDS * 1000) / 3);
  let closing: Promise<void> | null = null;
  return {
    threads,
    queue: name,
    stats,
    close: (how = {}) => {
      closing ??= (async () => {
        clearInterval(heartbeat);
        await redis.del(workerKey(name, id)).catch(() => {});
        abandoned = how.force === true;
        await worker.close(abandoned);
        await Promise.allSettled(all.map((e) => e.close()));
        redis.disconnect();
      })();
      return closing;
    },
  };
}
