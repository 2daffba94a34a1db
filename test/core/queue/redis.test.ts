// What the task queue asks of the Redis server (checkServer reads its INFO; no server needed).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/core/errors.ts';
import { checkServer } from '../../../src/core/queue/redis.ts';
import { captureWarnings } from '../../../src/core/warnings.ts';

const URL = 'redis://:secret@queue.example:6379/2';
const info = (fields: Record<string, string>) =>
  `# Server\r\n${Object.entries(fields)
    .map(([k, v]) => `${k}:${v}\r\n`)
    .join('')}\r\n`;

describe('checkServer', () => {
  it('accepts a server that never evicts keys, or has no memory limit, silently', () => {
    for (const fields of [
      { redis_version: '7.0.15', maxmemory: '104857600', maxmemory_policy: 'noeviction' },
      { redis_version: '7.0.15', maxmemory: '0', maxmemory_policy: 'allkeys-lru' },
      { redis_version: '5.0.0', maxmemory: '0', maxmemory_policy: 'noeviction' },
    ]) {
      const { warnings } = captureWarnings(() => checkServer(info(fields), URL));
      assert.deepEqual(warnings, [], JSON.stringify(fields));
    }
  });

  it('warns, with the fix, when a server with a memory limit evicts keys', () => {
    const { warnings } = captureWarnings(() =>
      checkServer(
        info({
          redis_version: '7.2.4',
          maxmemory: '52428800',
          maxmemory_human: '50.00M',
          maxmemory_policy: 'allkeys-lru',
        }),
        URL,
      ),
    );
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].category, 'UserWarning');
    assert.match(
      warnings[0].message,
      /evicts keys when it is full \(maxmemory 50\.00M, maxmemory-policy allkeys-lru\).*Fix: redis-cli CONFIG SET maxmemory-policy noeviction/,
    );
    assert.doesNotMatch(warnings[0].message, /secret/, 'the password is not shown');
  });

  it('refuses a server older than the queue needs, naming its version', () => {
    assert.throws(
      () =>
        checkServer(info({ redis_version: '4.0.9', maxmemory: '0', maxmemory_policy: 'noeviction' }), URL),
      (e: unknown) =>
        e instanceof ValidationError &&
        /version 4\.0\.9; the task queue needs 5\.0\.0 or later/.test(e.message),
    );
    // Newer majors with smaller minor numbers are fine.
    checkServer(info({ redis_version: '6.0.0' }), URL);
    checkServer(info({ redis_version: '10.1.2' }), URL);
  });
});
