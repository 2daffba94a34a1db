/**
 * Connecting to the Redis server behind the task queue: a server that cannot be reached is said at
 * once (not retried forever), and the worker threads listening on a queue are counted.
 *
 * @module
 */

import { Redis } from 'ioredis';
import { ValidationError } from '../errors.ts';
import { warn } from '../warnings.ts';
import { checkQueueUrl, queueDb, redactUrl, workerKey } from './names.ts';

/**
 * A client connected to `url`, or a ValidationError naming the server when it cannot be reached
 * within `timeoutMs`. Once connected, it reconnects by itself if the connection drops.
 */
export async function connectRedis(url: string, timeoutMs = 5000): Promise<Redis> {
  const client = new Redis(checkQueueUrl(url), {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    connectTimeout: timeoutMs,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  // Reported by connect() below, or retried once connected. The server's own refusal (WRONGPASS,
  // NOAUTH, ECONNREFUSED) comes as an error event; connect() itself only says "Connection is closed".
  let refusal: Error | null = null;
  client.on('error', (e: Error) => {
    refusal ??= e;
  });
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
    await client.ping();
  } catch (e) {
    client.disconnect();
    throw new ValidationError(
      `cannot reach the Redis server at ${redactUrl(url)}: ${((refusal ?? e) as Error).message.replace(/\.$/, '')}.`,
      {
        field: 'queue',
        fix: 'start it (redis-server), or check the host, port and password of --queue',
      },
    );
  }
  // A database the server does not have: ioredis's SELECT on connecting fails quietly and the
  // client works in database 0 — a worker listened there while the search queued elsewhere.
  const db = queueDb(url);
  if (db !== 0) {
    try {
      await client.select(db);
    } catch (e) {
      client.disconnect();
      throw new ValidationError(
        `the Redis server at ${redactUrl(url)} has no database ${db}: ${(e as Error).message}.`,
        {
          field: 'queue',
          fix: "name a database the server has (0 to 15 by default; 'databases' in redis.conf), e.g. redis://HOST:PORT/0",
        },
      );
    }
  }
  try {
    checkServer(await client.info(), url);
  } catch (e) {
    client.disconnect();
    throw e;
  }
  return client;
}

/** The oldest Redis the task queue (BullMQ) works with. */
const MIN_REDIS = [5, 0, 0];

/**
 * Checks what the queue needs of the server, from its `INFO`: a version BullMQ works with (an
 * error otherwise), and that it never evicts keys — a server with a memory limit and an eviction
 * policy drops queued tasks and their data blobs when it fills up; a warning with the fix. (The
 * queue's BullMQ connections are told to skip their own check, which printed a bare
 * "IMPORTANT! Eviction policy is …" line per connection, even for a server without a limit.)
 */
export function checkServer(info: string, url: string): void {
  const field = (name: string) => new RegExp(`^${name}:(.*?)\\r?$`, 'm').exec(info)?.[1];
  const version = field('redis_version');
  if (version) {
    const v = version.split('.').map(Number);
    const older = MIN_REDIS.findIndex((m, i) => (v[i] ?? 0) !== m);
    if (older >= 0 && (v[older] ?? 0) < MIN_REDIS[older]) {
      throw new ValidationError(
        `the Redis server at ${redactUrl(url)} is version ${version}; the task queue needs ${MIN_REDIS.join('.')} or later.`,
        { field: 'queue', fix: 'upgrade the Redis server (or point --queue at a newer one)' },
      );
    }
  }
  const policy = field('maxmemory_policy');
  const limit = Number(field('maxmemory') ?? 0);
  if (policy && policy !== 'noeviction' && limit > 0) {
    warn(
      'UserWarning',
      `the Redis server at ${redactUrl(url)} evicts keys when it is full (maxmemory ${field('maxmemory_human') ?? limit}, maxmemory-policy ${policy}): queued tasks and their data can vanish under load, and their fits fail. Fix: redis-cli CONFIG SET maxmemory-policy noeviction (and set it in redis.conf).`,
    );
  }
}

/** The worker threads of the processes listening on `queue` now (their keys live ~30 s unless renewed). */
export async function listeningThreads(redis: Redis, queue: string): Promise<number> {
  let total = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', workerKey(queue, '*'), 'COUNT', 100);
    cursor = next;
    if (keys.length) {
      for (const v of await redis.mget(...keys)) total += Math.max(0, Number(v) || 0);
    }
  } while (cursor !== '0');
  return total;
}
