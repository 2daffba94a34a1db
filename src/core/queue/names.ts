/**
 * The names of the task queue: its URL (checked, and without its password in messages), the
 * queue's name, and the Redis keys Lathe keeps. No Redis client here, so the commands can check
 * their flags without loading one.
 *
 * @module
 */

import { ValidationError } from '../errors.ts';

/** The queue's name unless told otherwise (`--queue-name`). */
export const DEFAULT_QUEUE = 'lathe';

/** Key prefix of everything Lathe keeps in Redis (BullMQ's queues and the blobs). */
export const KEY_PREFIX = 'lathe';

/** The URL with its password replaced by `***`, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.href;
  } catch {
    return '(unparseable URL)';
  }
}

/** Checks a queue URL (`redis://[[user]:password@]host[:port][/db]` or `rediss://…`). */
export function checkQueueUrl(url: string, field = 'queue'): string {
  let u: URL | null = null;
  try {
    u = new URL(url);
  } catch {
    u = null;
  }
  if (!u || (u.protocol !== 'redis:' && u.protocol !== 'rediss:') || !u.hostname) {
    throw new ValidationError(
      `--${field} must be a Redis URL such as redis://127.0.0.1:6379; got ${JSON.stringify(redactUrl(url))}.`,
      {
        field,
        fix: 'write redis://HOST:PORT (rediss:// for TLS; redis://:PASSWORD@HOST:PORT/DB with a password and database)',
      },
    );
  }
  // The path is the database's number: anything else made ioredis SELECT NaN and crash with a stack.
  if (!/^\/?(\d+)?$/.test(u.pathname)) {
    throw new ValidationError(
      `--${field} names the database ${JSON.stringify(decodeURIComponent(u.pathname.slice(1)))}, which is not a number: in ${redactUrl(url)} the path after the port is the database's number.`,
      {
        field,
        fix: 'write redis://HOST:PORT/DB with DB a whole number such as 0 (or leave the path out: database 0)',
      },
    );
  }
  return url;
}

/** The database number a checked queue URL names (0 when it names none). */
export function queueDb(url: string): number {
  const m = /^\/(\d+)$/.exec(new URL(url).pathname);
  return m ? Number(m[1]) : 0;
}

/** A checked queue name (letters, digits, `.`, `_`, `-`). */
export function checkQueueName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw new ValidationError(`the queue name ${JSON.stringify(name)} is not allowed.`, {
      field: 'queue-name',
      fix: 'use letters, digits, ".", "_" and "-" (at most 64), starting with a letter or digit',
    });
  }
  return name;
}

/** The Redis key of a blob. */
export function blobKey(queue: string, id: string): string {
  return `${KEY_PREFIX}:${queue}:blob:${id}`;
}

/** The Redis key under which a worker process says it is alive, and with how many threads. */
export function workerKey(queue: string, id: string): string {
  return `${KEY_PREFIX}:${queue}:worker:${id}`;
}
