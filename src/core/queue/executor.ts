/**
 * `QueueExecutor`: the {@link Executor} of many machines. Each task of a batch becomes a job on a
 * Redis-backed BullMQ queue; `lathe worker` processes (any number, on any machine that reaches the
 * Redis server and has Lathe installed) take the jobs, run the task, and send back its result.
 * Results come back in task order, so a search run through the queue gives the same trials and
 * scores as one run on local threads (tasks take their randomness from their arguments).
 *
 * What travels: the task's module key and function name (only Lathe's own task functions run on a
 * worker — see modules.ts), its arguments by structured clone, and large typed arrays once per
 * content as blobs (codec.ts). A job is kept until its result is read; a worker that dies while
 * running one leaves it to be taken again by another (BullMQ's stalled-job check).
 *
 * Only asynchronous batches (`map`) are supported: the synchronous APIs (`mapSync`, a `fit()` that
 * blocks its thread) stay on local threads.
 *
 * @module
 */

import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { ValidationError } from '../errors.ts';
import type { Executor, Task } from '../pool.ts';
import { rebuildTaskError, type TaskError } from '../task-error.ts';
import { type LatheWarning, warn } from '../warnings.ts';
import { decodeValue, encodeValue } from './codec.ts';
import { moduleKeyOf } from './modules.ts';
import { blobKey, checkQueueName, DEFAULT_QUEUE, KEY_PREFIX, redactUrl } from './names.ts';
import { connectRedis, listeningThreads } from './redis.ts';

/** How often the jobs of a batch are looked up besides the completion events (ms). */
const POLL_MS = 5000;

/** How long the Redis server may stay out of reach in the middle of a batch before it fails (ms). */
const UNREACHABLE_MS = 60_000;
/** How long closing may wait for the Redis server before dropping the connections (ms). */
const CLOSE_MS = 3000;
const UNREACHABLE: unique symbol = Symbol('unreachable');

/** How long a blob stays in Redis after its last use by a batch (seconds). */
export const BLOB_TTL_SECONDS = 24 * 3600;

/** A queued task, as the worker receives it. */
export interface QueuedTask {
  module: string;
  fn: string;
  /** `encodeValue(args).payload`, base64. */
  args: string;
  /** The blobs `args` names (ids), for the worker to fetch first. */
  blobs: string[];
}

/** What a worker sends back: `encodeValue({ ok, value | error, warnings })` base64 (blobs inline). */
export interface QueuedOutcome {
  ok: boolean;
  value?: unknown;
  error?: TaskError;
  warnings?: LatheWarning[];
}

/** Options of {@link QueueExecutor.connect}. */
export interface QueueExecutorOptions {
  /** The queue's name (default `lathe`): coordinator and workers must agree. */
  queue?: string;
  /**
   * How many tasks to count on running at once (what callers size their batches by). Default: the
   * worker threads listening on the queue when connecting.
   */
  parallelism?: number;
  /** Give up connecting (and finding a worker) after this long. Default 5 000 ms. */
  timeoutMs?: number;
}

interface Waiting {
  resolve: (outcome: QueuedOutcome) => void;
  reject: (e: Error) => void;
}

/** Runs batches of tasks on `lathe worker` processes through a Redis-backed queue. */
export class QueueExecutor implements Executor {
  readonly parallelism: number;
  private readonly waiting = new Map<string, Waiting>();
  private closed = false;
  private polling = false;
  private unreachableSince: number | null = null;

  private constructor(
    readonly url: string,
    readonly queueName: string,
    parallelism: number,
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
  ) {
    this.parallelism = parallelism;
    events.on('completed', ({ jobId, returnvalue }) => this.settle(jobId, returnvalue, null));
    events.on('failed', ({ jobId, failedReason }) => this.settle(jobId, null, failedReason));
  }

  /**
   * Connects to the Redis server at `url` and the queue. Throws a ValidationError naming the server
   * when it cannot be reached, and when no worker listens on the queue (unless `parallelism` is given).
   */
  static async connect(url: string, options: QueueExecutorOptions = {}): Promise<QueueExecutor> {
    const name = checkQueueName(options.queue ?? DEFAULT_QUEUE);
    const timeoutMs = options.timeoutMs ?? 5000;
    const redis = await connectRedis(url, timeoutMs);
    // skipVersionCheck: connectRedis has checked the server (see checkServer).
    const connection = { url, maxRetriesPerRequest: null, skipVersionCheck: true };
    const queue = new Queue(name, { connection, prefix: KEY_PREFIX });
    const events = new QueueEvents(name, { connection, prefix: KEY_PREFIX });
    queue.on('error', () => {});
    events.on('error', () => {});
    try {
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      let parallelism = options.parallelism;
      if (parallelism !== undefined && (!Number.isInteger(parallelism) || parallelism < 1)) {
        throw new ValidationError(`the queue's parallelism must be a whole number ≥ 1; got ${parallelism}.`, {
          field: 'parallelism',
        });
      }
      if (parallelism === undefined) {
        parallelism = await listeningThreads(redis, name);
        if (parallelism === 0) {
          throw new ValidationError(
            `no lathe worker is listening on the queue '${name}' at ${redactUrl(url)}.`,
            {
              field: 'queue',
              fix: `start one on each machine that should work: lathe worker --queue ${redactUrl(url)}${name === DEFAULT_QUEUE ? '' : ` --queue-name ${name}`}`,
            },
          );
        }
      }
      return new QueueExecutor(url, name, parallelism, redis, queue, events);
    } catch (e) {
      await Promise.allSettled([queue.close(), events.close()]);
      redis.disconnect();
      throw e;
    }
  }

  private settle(jobId: string, returnvalue: unknown, failedReason: string | null): void {
    const w = this.waiting.get(jobId);
    if (!w) return;
    this.waiting.delete(jobId);
    if (failedReason !== null) {
      w.reject(new Error(`a queued task failed on its worker: ${failedReason}`));
      return;
    }
    try {
      const text = typeof returnvalue === 'string' ? returnvalue : String(returnvalue);
      // BullMQ keeps a processor's return value as JSON: the worker returned a base64 string.
      const b64 = text.startsWith('"') ? (JSON.parse(text) as string) : text;
      w.resolve(decodeValue(Buffer.from(b64, 'base64'), new Map()) as QueuedOutcome);
    } catch (e) {
      w.reject(new Error(`a queued task's result could not be read: ${(e as Error).message}`));
    }
  }

  /** Stores the blobs not yet in Redis and refreshes the time-to-live of the others. */
  private async putBlobs(blobs: Map<string, Buffer>): Promise<void> {
    if (blobs.size === 0) return;
    const ids = [...blobs.keys()];
    const pipe = this.redis.pipeline();
    for (const id of ids) pipe.expire(blobKey(this.queueName, id), BLOB_TTL_SECONDS);
    const refreshed = (await pipe.exec()) ?? [];
    const put = this.redis.pipeline();
    ids.forEach((id, i) => {
      if (refreshed[i]?.[1] !== 1)
        put.set(blobKey(this.queueName, id), blobs.get(id)!, 'EX', BLOB_TTL_SECONDS);
    });
    if (put.length) await put.exec();
  }

  async map<R = unknown>(tasks: readonly Task[]): Promise<R[]> {
    if (this.closed) throw new Error('QueueExecutor: used after close().');
    if (tasks.length === 0) return [];
    const blobs = new Map<string, Buffer>();
    const jobs = tasks.map((t, i) => {
      const module = moduleKeyOf(t.module);
      if (module === null) {
        throw new ValidationError(
          `the task '${t.fn}' comes from ${t.module}, outside Lathe: a queue worker runs Lathe's own task functions only.`,
          { fix: 'run this work on local threads (no --queue)' },
        );
      }
      const enc = encodeValue(t.args);
      for (const [id, bytes] of enc.blobs) blobs.set(id, bytes);
      const data: QueuedTask = {
        module,
        fn: t.fn,
        args: enc.payload.toString('base64'),
        blobs: [...enc.blobs.keys()],
      };
      return { name: t.fn, data, opts: { jobId: `${randomUUID()}-${i}` } };
    });
    await this.putBlobs(blobs);
    const settled = jobs.map(
      (j) =>
        new Promise<QueuedOutcome>((resolve, reject) => {
          this.waiting.set(j.opts.jobId, { resolve, reject });
        }),
    );
    // Kept after completion for an hour (the result is read from the completion event at once);
    // a failure is an answer, not something to retry: the task would fail the same way again.
    await this.queue.addBulk(
      jobs.map((j) => ({
        ...j,
        opts: { ...j.opts, attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } },
      })),
    );
    // A safety net under the completion events (a dropped connection can lose some): every few
    // seconds, the jobs still awaited are looked up.
    const poll = setInterval(() => this.pollJobs(jobs.map((j) => j.opts.jobId)), POLL_MS);
    poll.unref();
    const results: R[] = new Array(tasks.length);
    let firstError: Error | null = null;
    await Promise.all(
      settled.map(async (p, i) => {
        try {
          const outcome = await p;
          for (const w of outcome.warnings ?? []) warn(w.category, w.message);
          if (outcome.ok) results[i] = outcome.value as R;
          else firstError ??= rebuildTaskError(outcome.error ?? { name: 'Error', message: 'task failed' });
        } catch (e) {
          firstError ??= e as Error;
        }
        if (firstError) this.cancelWaiting(jobs.map((j) => j.opts.jobId));
      }),
    );
    clearInterval(poll);
    if (firstError) throw firstError;
    return results;
  }

  private async pollJobs(ids: readonly string[]): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const id of ids) {
        if (!this.waiting.has(id)) continue;
        // Commands wait for a lost server forever (maxRetriesPerRequest: null): a look-up is given
        // one poll's time, and a server gone for UNREACHABLE_MS fails the batch instead of hanging.
        const job = await Promise.race([
          this.queue.getJob(id).catch((): typeof UNREACHABLE => UNREACHABLE),
          new Promise<typeof UNREACHABLE>((r) => setTimeout(r, POLL_MS, UNREACHABLE).unref()),
        ]);
        if (job === UNREACHABLE) {
          this.unreachableSince ??= Date.now();
          if (Date.now() - this.unreachableSince >= UNREACHABLE_MS) {
            this.failWaiting(
              ids,
              new ValidationError(
                `lost the Redis server of the queue at ${redactUrl(this.url)} for ${UNREACHABLE_MS / 1000} s in the middle of a batch.`,
                {
                  field: 'queue',
                  fix: 'restart it or check the network, then run the search again (its results do not depend on the queue)',
                },
              ),
            );
          }
          return;
        }
        this.unreachableSince = null;
        if (!job) {
          // Added before polling began and kept an hour after finishing: a job that is not there
          // was lost with the server's data (a restart without persistence, FLUSHDB) — no worker
          // will ever answer it.
          this.failWaiting(
            ids,
            new ValidationError(
              `a queued task (job ${id}) is no longer in the Redis server at ${redactUrl(this.url)}: it restarted without its data, or was flushed, and no worker will answer it.`,
              {
                field: 'queue',
                fix: 'run the search again (its results do not depend on the queue); keep the server persistent (appendonly yes) if it may restart',
              },
            ),
          );
          return;
        }
        if (job.finishedOn && job.failedReason) this.settle(id, null, job.failedReason);
        else if (job.finishedOn) this.settle(id, job.returnvalue, null);
      }
    } finally {
      this.polling = false;
    }
  }

  /** Rejects every task of a batch still awaited with `error`. */
  private failWaiting(ids: readonly string[], error: Error): void {
    for (const id of ids) {
      const w = this.waiting.get(id);
      if (!w) continue;
      this.waiting.delete(id);
      w.reject(error);
    }
  }

  /** After a failure: the batch's jobs not yet taken are removed, and nothing waits for them. */
  private cancelWaiting(ids: readonly string[]): void {
    for (const id of ids) {
      const w = this.waiting.get(id);
      if (!w) continue;
      this.waiting.delete(id);
      w.reject(new Error('cancelled: another task of the batch failed'));
      this.queue.remove(id).catch(() => {});
    }
  }

  mapSync<R = unknown>(_tasks: readonly Task[]): R[] {
    throw new ValidationError(
      'the queue executor runs asynchronous batches only (a search, lathe tune); this work blocks its thread.',
      { fix: 'run it on local threads (no --queue)' },
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelWaiting([...this.waiting.keys()]);
    // Closing QUITs, which waits for a lost server forever (and its reconnecting kept lathe tune
    // from ever exiting): a few seconds, then the connections are dropped.
    const closing = Promise.allSettled([this.events.close(), this.queue.close()]).then(() => false);
    const late = new Promise<boolean>((r) => setTimeout(r, CLOSE_MS, true).unref());
    if (await Promise.race([closing, late])) {
      const dropped = Promise.allSettled([this.events.disconnect(), this.queue.disconnect()]);
      await Promise.race([dropped, new Promise((r) => setTimeout(r, CLOSE_MS).unref())]);
    }
    this.redis.disconnect();
  }
}
