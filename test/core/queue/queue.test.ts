import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { DataError, ValidationError } from '../../../src/core/errors.ts';
import { matrix } from '../../../src/core/matrix.ts';
import { BLOB_MIN_BYTES, blobIdsOf, decodeValue, encodeValue } from '../../../src/core/queue/codec.ts';
import { QueueExecutor } from '../../../src/core/queue/executor.ts';
import { moduleKeyOf, moduleUrlOf } from '../../../src/core/queue/modules.ts';
import { checkQueueName, checkQueueUrl, redactUrl } from '../../../src/core/queue/names.ts';
import { connectRedis } from '../../../src/core/queue/redis.ts';
import { type QueueWorker, startQueueWorker } from '../../../src/core/queue/worker.ts';
import { Rng } from '../../../src/core/rng.ts';
import { rebuildTaskError, taskErrorOf } from '../../../src/core/task-error.ts';
import { HistGradientBoostingClassifier } from '../../../src/models/ensemble/hist-gradient-boosting/index.ts';
import { LogisticRegression } from '../../../src/models/linear/index.ts';
import { type SearchResult, searchCV } from '../../../src/select/search.ts';
import { categoricalDistribution, floatDistribution, intDistribution } from '../../../src/select/space.ts';
import { moduleUrl } from '../../helpers/module-url.ts';

const FOLD_TASK = moduleUrl('../../../src/select/fold-task', import.meta.url);

describe('queue codec: what travels through Redis', () => {
  it('round-trips nested arguments; large typed arrays become one blob per content', () => {
    const big = new Float64Array(BLOB_MIN_BYTES / 8 + 3).map((_, i) => i * 0.5);
    const shared = new Float64Array(new SharedArrayBuffer(big.byteLength));
    shared.set(big); // the same bytes in shared memory: the same blob
    const small = new Int32Array([1, -2, 3]);
    const value = [{ a: big, b: [shared, small], s: 'text', n: null, m: new Map([['k', big]]) }, 7];
    const enc = encodeValue(value);
    assert.equal(enc.blobs.size, 1);
    assert.ok(enc.payload.byteLength < 2000, `payload ${enc.payload.byteLength} bytes`);
    assert.deepEqual(blobIdsOf(enc.payload), [...enc.blobs.keys()]);
    assert.match([...enc.blobs.keys()][0], /^Float64Array:[0-9a-f]{64}$/);
    const out = decodeValue(enc.payload, enc.blobs) as [Record<string, unknown>, number];
    assert.deepEqual(out[0].a, big);
    assert.deepEqual((out[0].b as unknown[])[0], big);
    assert.deepEqual((out[0].b as unknown[])[1], small);
    assert.equal(out[0].s, 'text');
    assert.deepEqual((out[0].m as Map<string, unknown>).get('k'), big);
    assert.equal(out[1], 7);
    // Fresh arrays: writing into one does not reach another decoded from the same blob.
    (out[0].a as Float64Array)[0] = 99;
    assert.equal(((out[0].b as unknown[])[0] as Float64Array)[0], 0);
    // A blob the receiver lacks is an error, not zeros.
    assert.throws(() => decodeValue(enc.payload, new Map()), /blob Float64Array:.* is missing/);
  });

  it("turns Lathe's module URLs into keys and back, and refuses anything else", () => {
    assert.equal(moduleKeyOf(FOLD_TASK), 'select/fold-task');
    assert.equal(moduleUrlOf('select/fold-task'), FOLD_TASK);
    assert.equal(moduleKeyOf('file:///etc/passwd.js'), null);
    assert.equal(moduleKeyOf('https://example.com/x.js'), null);
    for (const bad of ['../../etc/passwd', '/abs', 'select/../x', 'a b', '']) {
      assert.throws(() => moduleUrlOf(bad), /is not a module of Lathe/);
    }
    const enc = encodeValue({ modules: [FOLD_TASK, 'file:///elsewhere/m.js'] });
    assert.deepEqual(decodeValue(enc.payload, enc.blobs), { modules: [FOLD_TASK, 'file:///elsewhere/m.js'] });
  });

  it("carries a task's error with its fields, as the same class", () => {
    const e = new DataError('bad value', { file: 'x.csv', line: 4, column: 'age', fix: 'fix it' });
    const back = rebuildTaskError(taskErrorOf(e)) as DataError;
    assert.ok(back instanceof DataError);
    assert.equal(back.message, e.message);
    assert.equal(back.line, 4);
    assert.equal(back.fix, 'fix it');
    assert.ok(rebuildTaskError(taskErrorOf(new ValidationError('v'))) instanceof ValidationError);
    assert.equal(rebuildTaskError(taskErrorOf('plain')).message, 'plain');
  });

  it('checks queue URLs and names, and keeps passwords out of messages', () => {
    assert.equal(checkQueueUrl('redis://127.0.0.1:6379'), 'redis://127.0.0.1:6379');
    assert.throws(() => checkQueueUrl('http://x:1'), /--queue must be a Redis URL/);
    assert.throws(
      () => checkQueueUrl('postgres://u:secret@h/db'),
      (e: Error) => !e.message.includes('secret'),
    );
    assert.equal(redactUrl('redis://:secret@h:1/2'), 'redis://:***@h:1/2');
    assert.equal(checkQueueName('lathe-2'), 'lathe-2');
    assert.throws(() => checkQueueName('a b'), /queue name "a b" is not allowed/);
  });

  it("says why Redis cannot be reached (the server's refusal, not ioredis's 'Connection is closed.')", async () => {
    await assert.rejects(
      connectRedis('redis://127.0.0.1:1', 1500),
      (e: Error) =>
        e instanceof ValidationError &&
        /cannot reach the Redis server at redis:\/\/127\.0\.0\.1:1: connect ECONNREFUSED/.test(e.message) &&
        !/\.\./.test(e.message),
    );
  });

  it('refuses a database that is not a number (ioredis crashed on SELECT NaN with a stack trace)', () => {
    assert.equal(checkQueueUrl('redis://h:1/7'), 'redis://h:1/7');
    assert.equal(checkQueueUrl('redis://h:1/'), 'redis://h:1/');
    for (const bad of ['redis://h:1/abc', 'redis://h:1/5/x', 'redis://:secret@h:1/-1']) {
      assert.throws(
        () => checkQueueUrl(bad),
        (e: Error) =>
          e instanceof ValidationError &&
          /names the database .*, which is not a number/.test(e.message) &&
          /redis:\/\/HOST:PORT\/DB/.test(e.fix ?? '') &&
          !e.message.includes('secret'),
        bad,
      );
    }
  });
});

const REDIS = process.env.LATHE_TEST_REDIS;

describe('QueueExecutor and lathe worker processes, through Redis', {
  skip: REDIS ? false : 'set LATHE_TEST_REDIS (redis://127.0.0.1:PORT/DB) to run',
}, () => {
  const url = REDIS ?? '';
  const queue = `test-${process.pid}-${Date.now()}`;
  let workers: QueueWorker[] = [];
  let executor: QueueExecutor;
  const rng = new Rng(8);
  const n = 300;
  const Xdata = new Float64Array(n * 30); // 70 KB: the data travel as a blob
  const y: string[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 30; j++) Xdata[i * 30 + j] = rng.normal();
    y.push(Xdata[i * 30] - 0.7 * Xdata[i * 30 + 1] + 0.8 * rng.normal() > 0 ? 'a' : 'b');
  }
  const X = matrix(Xdata, n, 30);
  const table = (r: SearchResult) =>
    r.trials.map((t) => ({
      params: t.params,
      state: t.state,
      value: t.value,
      foldScores: Array.from(t.foldScores),
      intermediate: t.intermediate,
    }));

  before(async () => {
    // Two worker "machines" of 1 thread each (in this process: the same code lathe worker runs).
    workers = [
      await startQueueWorker(url, { queue, threads: 1 }),
      await startQueueWorker(url, { queue, threads: 1 }),
    ];
    executor = await QueueExecutor.connect(url, { queue });
  });
  after(async () => {
    await executor?.close();
    for (const w of workers) await w.close();
  });

  it('sizes its batches by the worker threads listening', () => {
    assert.equal(executor.parallelism, 2);
  });

  it('gives a search the same trials and scores as local threads (TPE, median pruning on folds)', async () => {
    const opts = {
      space: {
        C: floatDistribution(1e-3, 1e2, { log: true }),
        penalty: categoricalDistribution(['l2', 'elasticnet']),
        l1Ratio: floatDistribution(0.05, 0.95, { when: { penalty: ['elasticnet'] } }),
      },
      scoring: ['roc_auc', 'accuracy'],
      nTrials: 8,
      cv: 3,
      pruner: 'median' as const,
      seed: 5,
      batchSize: 2,
    };
    const local = await searchCV(new LogisticRegression({ nThreads: 1 }), X, y, { ...opts, nThreads: 1 });
    const before = workers.reduce((a, w) => a + w.stats.tasks, 0);
    const queued = await searchCV(new LogisticRegression({ nThreads: 1 }), X, y, { ...opts, executor });
    assert.deepEqual(table(queued), table(local));
    const ran = workers.map((w) => w.stats.tasks);
    assert.ok(ran.reduce((a, b) => a + b, 0) - before >= 8, `tasks run: ${ran}`);
    assert.ok(
      ran.every((k) => k > 0),
      `both workers took tasks: ${ran}`,
    );
  });

  it('and ASHA on gradient-boosting iterations', async () => {
    const opts = {
      space: {
        learningRate: floatDistribution(0.02, 0.5, { log: true }),
        maxLeafNodes: intDistribution(4, 31),
      },
      nTrials: 4,
      cv: 2,
      pruner: 'asha' as const,
      resource: { param: 'maxIter', levels: 2, factor: 3 },
      seed: 1,
      batchSize: 2,
    };
    const est = () => new HistGradientBoostingClassifier({ maxIter: 9, earlyStopping: false, nThreads: 1 });
    const local = await searchCV(est(), X, y, { ...opts, nThreads: 1 });
    const queued = await searchCV(est(), X, y, { ...opts, executor });
    assert.deepEqual(table(queued), table(local));
  });

  it("rejects with the task's own error, and refuses work from outside Lathe", async () => {
    await assert.rejects(
      executor.map([{ module: FOLD_TASK, fn: 'noSuchFunction', args: [] }]),
      /has no exported function 'noSuchFunction'/,
    );
    await assert.rejects(
      executor.map([{ module: 'file:///tmp/evil.js', fn: 'run', args: [] }]),
      (e: Error) => e instanceof ValidationError && /outside Lathe/.test(e.message),
    );
    assert.throws(() => executor.mapSync([]), /asynchronous batches only/);
    // The executor still works after a failed batch.
    assert.deepEqual(await executor.map([]), []);
  });

  it('gives the tasks of a worker that dies to another, and the search still comes out the same', async () => {
    const lonely = `${queue}-takeover`;
    // Short locks so the test takes seconds, not a minute — but long enough that a live worker's
    // renewals are not missed on a loaded machine (its own task would then be taken twice).
    const fast = { lockMs: 4000, stalledCheckMs: 1000 };
    const first = await startQueueWorker(url, { queue: lonely, threads: 1, ...fast });
    const q = await QueueExecutor.connect(url, { queue: lonely });
    let second: QueueWorker | null = null;
    try {
      const opts = {
        space: { learningRate: floatDistribution(0.05, 0.2) },
        nTrials: 1,
        cv: 2,
        seed: 2,
        batchSize: 1,
      };
      const est = () =>
        new HistGradientBoostingClassifier({ maxIter: 150, earlyStopping: false, nThreads: 1 });
      const queued = searchCV(est(), X, y, { ...opts, executor: q });
      while (first.stats.running === 0) await new Promise((r) => setTimeout(r, 20));
      await first.close({ force: true }); // as if the machine died mid-fit
      second = await startQueueWorker(url, { queue: lonely, threads: 1, ...fast });
      const local = await searchCV(est(), X, y, { ...opts, nThreads: 1 });
      assert.deepEqual(table(await queued), table(local));
      assert.equal(second.stats.tasks, 2); // the abandoned fold and the one still waiting
    } finally {
      await q.close();
      await second?.close();
    }
  });

  it('fails a batch whose jobs the server lost (restarted without its data, flushed) instead of waiting forever', {
    timeout: 30_000,
  }, async () => {
    const lost = `${queue}-lost`;
    // No worker on this queue: the job waits in Redis until it is removed from under the search.
    const q = await QueueExecutor.connect(url, { queue: lost, parallelism: 1 });
    try {
      const pending = q.map([{ module: FOLD_TASK, fn: 'noSuchFunction', args: [] }]);
      const { Queue } = await import('bullmq');
      const admin = new Queue(lost, { connection: { url }, prefix: 'lathe' });
      while ((await admin.getWaitingCount()) === 0) await new Promise((r) => setTimeout(r, 20));
      await admin.obliterate({ force: true }); // what a restart without persistence does to it
      await admin.close();
      await assert.rejects(
        pending,
        (e: ValidationError) =>
          e instanceof ValidationError &&
          /is no longer in the Redis server at/.test(e.message) &&
          /run the search again/.test(e.fix ?? ''),
      );
    } finally {
      await q.close();
    }
  });

  it('says when no worker listens, and when Redis cannot be reached', async () => {
    await assert.rejects(
      QueueExecutor.connect(url, { queue: `${queue}-nobody` }),
      (e: ValidationError) =>
        /no lathe worker is listening on the queue/.test(e.message) &&
        /lathe worker --queue/.test(e.fix ?? ''),
    );
    await assert.rejects(
      QueueExecutor.connect('redis://127.0.0.1:1', { timeoutMs: 1500 }),
      /cannot reach the Redis server at redis:\/\/127\.0\.0\.1:1/,
    );
  });

  it('refuses a database the server does not have (the worker quietly listened in database 0)', async () => {
    const u = new URL(url);
    u.pathname = '/100000';
    await assert.rejects(
      startQueueWorker(u.href, { queue, threads: 1 }),
      (e: ValidationError) =>
        /has no database 100000/.test(e.message) && /name a database the server has/.test(e.fix ?? ''),
    );
    await assert.rejects(
      QueueExecutor.connect(u.href, { queue }),
      (e: ValidationError) => e instanceof ValidationError && /has no database 100000/.test(e.message),
    );
  });
});

const HAS_REDIS_SERVER = spawnSync('redis-server', ['--version']).status === 0;

describe('QueueExecutor when its Redis server goes away', {
  skip: HAS_REDIS_SERVER ? false : 'needs redis-server on PATH',
}, () => {
  it('still closes (quitting waited for the lost server forever, so lathe tune never exited)', {
    timeout: 30_000,
  }, async () => {
    const port = String(6397);
    spawnSync('redis-server', ['--port', port, '--save', '', '--daemonize', 'yes']);
    let up = false;
    for (let i = 0; i < 100 && !up; i++) {
      up = spawnSync('redis-cli', ['-p', port, 'ping']).stdout?.toString().trim() === 'PONG';
      if (!up) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(up, 'redis-server did not start');
    const q = await QueueExecutor.connect(`redis://127.0.0.1:${port}`, { parallelism: 1 });
    // A batch under way (no worker: it waits), then the server goes.
    const pending = q.map([{ module: FOLD_TASK, fn: 'noSuchFunction', args: [] }]).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 200));
    spawnSync('redis-cli', ['-p', port, 'shutdown', 'nosave']);
    await new Promise((r) => setTimeout(r, 200));
    await q.close();
    assert.match(String(await pending), /cancelled/);
    await assert.rejects(q.map([]), /used after close/);
  });
});
