// The pool's dispatch-then-join API: ThreadExecutor.begin (with join, poll, cancel, detach),
// beginBatch / runBeside for any executor, warm and idle.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  beginBatch,
  type Executor,
  InlineExecutor,
  runBeside,
  type Task,
  ThreadExecutor,
  toShared,
} from '../../src/core/pool.ts';
import { moduleUrl } from '../helpers/module-url.ts';
import { sumSlice, sumSliceTask } from '../helpers/pool-tasks.ts';
import { failWithTask, sleepThenWriteTask, waitForTask } from './pool-begin-tasks.ts';

const helpers = moduleUrl('../helpers/pool-tasks', import.meta.url);
const fail = (message: string): Task => failWithTask(message);

describe('ThreadExecutor.begin', () => {
  const pool = new ThreadExecutor(2);
  after(() => pool.close());
  const data = toShared(Float64Array.from({ length: 10_000 }, (_, i) => i * 0.25));
  const tasks = Array.from({ length: 5 }, (_, k) => sumSliceTask(data, k * 1500, k * 1500 + 2500, k));
  const inline = new InlineExecutor().mapSync<number>(tasks);

  it('returns before the tasks end; the caller works meanwhile; join gives the results in task order', () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    // The task waits for a value only the calling thread writes after begin() has returned.
    const batch = pool.begin<number>([waitForTask(flag, 0), ...tasks]);
    assert.equal(batch.size, 6);
    let mine = 0;
    for (let i = 0; i < 1000; i++) mine += sumSlice(data, 0, 10, i); // the caller's own share
    Atomics.store(flag, 0, 42);
    Atomics.notify(flag, 0);
    const got = batch.join();
    assert.deepEqual(got, [42, ...inline]);
    assert.ok(mine > 0);
    // Joining again gives the same outcome.
    assert.deepEqual(batch.join(), [42, ...inline]);
  });

  it('poll() turns true once every task has ended, without blocking', () => {
    const out = toShared(new Int32Array(2));
    const batch = pool.begin<number>([sleepThenWriteTask(out, 0, 7, 30), sleepThenWriteTask(out, 1, 8, 30)]);
    assert.equal(batch.poll(), false, 'the tasks sleep 30 ms');
    const t0 = Date.now();
    while (!batch.poll()) {
      assert.ok(Date.now() - t0 < 10_000, 'poll() never turned true');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
    }
    assert.deepEqual([...out], [7, 8]);
    assert.deepEqual(batch.join(), [7, 8]);
  });

  it("rethrows a task's error at join (ValidationError kept) and the pool stays usable", () => {
    const batch = pool.begin<number>([tasks[0], fail('bad value in task'), tasks[1]]);
    assert.throws(() => batch.join(), { name: 'ValidationError', message: /bad value in task/ });
    assert.deepEqual(pool.mapSync<number>(tasks), inline);
  });

  it('guards against a second batch while one is pending (nested or concurrent), until it is joined', () => {
    const batch = pool.begin<number>(tasks.slice(0, 2));
    assert.throws(() => pool.mapSync(tasks), /already running/);
    assert.throws(() => pool.begin(tasks), /already running/);
    assert.deepEqual(batch.join(), inline.slice(0, 2));
    assert.deepEqual(pool.begin<number>(tasks).join(), inline);
  });

  it('async map waits for a pending batch instead of failing', async () => {
    const out = toShared(new Int32Array(1));
    const batch = pool.begin<number>([sleepThenWriteTask(out, 0, 3, 20)]);
    const later = pool.map<number>(tasks);
    assert.deepEqual(batch.join(), [3]);
    assert.deepEqual(await later, inline);
  });

  it('cancel() starts no further task, waits for the running ones, and join() then throws', () => {
    const out = toShared(new Int32Array(6));
    // Two workers: tasks 0 and 1 start at once, 2..5 would follow.
    const batch = pool.begin<number>(
      Array.from({ length: 6 }, (_, i) => sleepThenWriteTask(out, i, i + 1, 40)),
    );
    batch.cancel();
    assert.deepEqual([...out], [1, 2, 0, 0, 0, 0], 'the running tasks finished, no other started');
    assert.throws(() => batch.join(), /cancelled/);
    batch.cancel(); // harmless
    assert.deepEqual(pool.mapSync<number>(tasks), inline);
  });

  it('detach() returns at once; the next batch waits for the detached tasks; idle() tells when they have ended', () => {
    const out = toShared(new Int32Array(2));
    const batch = pool.begin<number>([sleepThenWriteTask(out, 0, 5, 60), sleepThenWriteTask(out, 1, 6, 60)]);
    const t0 = performance.now();
    batch.detach();
    assert.ok(performance.now() - t0 < 50, 'detach() did not wait');
    assert.equal(pool.idle(), false, 'the detached tasks are still running');
    assert.throws(() => batch.join(), /detached/);
    // A new batch starts only after them (and is not confused by their results).
    assert.deepEqual(pool.mapSync<number>(tasks), inline);
    assert.deepEqual([...out], [5, 6]);
    assert.equal(pool.idle(), true);
  });

  it('a worker that dies during a begun batch surfaces at join; the pool recovers', () => {
    const batch = pool.begin([{ module: helpers, fn: 'exitThread', args: [] }]);
    assert.throws(() => batch.join(), /exited/);
    assert.deepEqual(pool.mapSync<number>(tasks), inline);
  });

  it('warm() starts the workers once and says how many were running', () => {
    const fresh = new ThreadExecutor(2);
    try {
      assert.equal(fresh.idle(), true);
      assert.equal(fresh.warm(1), 0);
      assert.equal(fresh.warm(), 1);
      assert.equal(fresh.warm(), 2);
      assert.deepEqual(fresh.mapSync<number>(tasks), inline);
    } finally {
      void fresh.close();
    }
    assert.throws(() => fresh.warm(), /after close/);
  });
});

describe('runBeside and beginBatch', () => {
  const pool = new ThreadExecutor(2);
  after(() => pool.close());
  const data = toShared(Float64Array.from({ length: 4000 }, (_, i) => Math.sqrt(i)));
  const tasks = Array.from({ length: 3 }, (_, k) => sumSliceTask(data, k * 1000, k * 1000 + 1500, k));
  const inline = new InlineExecutor().mapSync<number>(tasks);

  it('runs the tasks and the own share, returning both (thread pool and inline give the same)', () => {
    for (const ex of [pool, new InlineExecutor()] as Executor[]) {
      const r = runBeside<number, string>(ex, tasks, () => 'mine');
      assert.deepEqual(r, { results: inline, own: 'mine' });
    }
  });

  it("the own share's error is rethrown after the running tasks were drained; the pool stays usable", () => {
    const out = toShared(new Int32Array(2));
    assert.throws(
      () =>
        runBeside(pool, [sleepThenWriteTask(out, 0, 1, 40), sleepThenWriteTask(out, 1, 2, 40)], () => {
          throw new RangeError('own share failed');
        }),
      { name: 'RangeError', message: 'own share failed' },
    );
    assert.deepEqual([...out], [1, 2], 'the workers had finished before runBeside threw');
    assert.equal(pool.idle(), true);
    assert.deepEqual(pool.mapSync<number>(tasks), inline);
  });

  it("a task's error is thrown after the own share has run", () => {
    let ran = false;
    assert.throws(
      () =>
        runBeside(pool, [fail('task failed')], () => {
          ran = true;
        }),
      { name: 'ValidationError', message: /task failed/ },
    );
    assert.equal(ran, true);
    assert.throws(
      () =>
        runBeside(new InlineExecutor(), [fail('inline task failed')], () => {
          ran = false;
        }),
      /inline task failed/,
    );
    assert.equal(ran, false, 'inline, the own share still ran');
  });

  it('beginBatch falls back to mapSync for an executor without begin', () => {
    let calls = 0;
    const minimal: Executor = {
      parallelism: 1,
      map: async (t) => new InlineExecutor().mapSync(t),
      mapSync: (t) => {
        calls++;
        return new InlineExecutor().mapSync(t);
      },
      close: async () => {},
    };
    const batch = beginBatch<number>(minimal, tasks);
    assert.equal(calls, 1);
    assert.equal(batch.poll(), true);
    assert.deepEqual(batch.join(), inline);
    const failing = beginBatch(minimal, [fail('minimal failed')]);
    assert.throws(() => failing.join(), /minimal failed/);
  });

  it('InlineExecutor.begin runs the tasks at once', () => {
    const out = new Int32Array(toShared(new Int32Array(1)));
    const batch = new InlineExecutor().begin<number>([sleepThenWriteTask(out, 0, 9, 0)]);
    assert.equal(out[0], 9);
    assert.deepEqual(batch.join(), [9]);
  });
});
