import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { InlineExecutor, ThreadExecutor, toShared } from '../../src/core/pool.ts';
import { captureWarnings } from '../../src/core/warnings.ts';
import { moduleUrl } from '../helpers/module-url.ts';
import { sumSlice, sumSliceTask } from '../helpers/pool-tasks.ts';

describe('worker pool', () => {
  const pool = new ThreadExecutor(2);
  after(() => pool.close());

  const data = toShared(Float64Array.from({ length: 10_000 }, (_, i) => i * 0.5));
  const tasks = Array.from({ length: 7 }, (_, k) => sumSliceTask(data, k * 1000, k * 1000 + 1500, k));

  it('mapSync returns results in task order, identical to inline execution', () => {
    const inline = new InlineExecutor().mapSync<number>(tasks);
    const threaded = pool.mapSync<number>(tasks);
    assert.deepEqual(threaded, inline);
    assert.equal(inline[0], sumSlice(data, 0, 1500, 0));
  });

  it('an async batch still running when its pool is closed rejects, instead of waiting forever', async () => {
    const own = new ThreadExecutor(1);
    const url = moduleUrl('../helpers/pool-tasks', import.meta.url);
    const pending = own.map([{ module: url, fn: 'spin', args: [3000] }]);
    await new Promise((r) => setTimeout(r, 300));
    await own.close();
    await assert.rejects(pending, /closed while a batch was running/);
  });

  it('map (async) gives the same results', async () => {
    assert.deepEqual(await pool.map<number>(tasks), new InlineExecutor().mapSync<number>(tasks));
  });

  it('shares SharedArrayBuffer memory with workers', () => {
    const out = toShared(new Float64Array(4));
    const url = moduleUrl('../helpers/pool-tasks', import.meta.url);
    pool.mapSync([0, 1, 2, 3].map((i) => ({ module: url, fn: 'writeAt', args: [out, i, i * 10] })));
    assert.deepEqual([...out], [0, 10, 20, 30]);
  });

  it('rethrows a task error, keeping ValidationError as such, and stays usable', () => {
    const url = moduleUrl('../helpers/pool-tasks', import.meta.url);
    assert.throws(() => pool.mapSync([{ module: url, fn: 'fail', args: ['bad value'] }]), {
      name: 'ValidationError',
      message: /bad value/,
    });
    assert.deepEqual(
      pool.mapSync<number>(tasks.slice(0, 2)),
      new InlineExecutor().mapSync<number>(tasks.slice(0, 2)),
    );
  });

  it("re-emits the workers' warnings on the calling thread (one handler: printed once, capturable)", () => {
    const url = moduleUrl('../helpers/pool-tasks', import.meta.url);
    const { result, warnings } = captureWarnings(() =>
      pool.mapSync<number>(
        [1, 2, 3, 4].map((v) => ({ module: url, fn: 'warnAndReturn', args: ['did not converge', v] })),
      ),
    );
    assert.deepEqual(result, [1, 2, 3, 4]);
    assert.deepEqual(
      warnings,
      [1, 2, 3, 4].map(() => ({ category: 'ConvergenceWarning', message: 'did not converge' })),
    );
  });

  it('recovers when a task kills its worker thread', () => {
    const url = moduleUrl('../helpers/pool-tasks', import.meta.url);
    assert.throws(() => pool.mapSync([{ module: url, fn: 'exitThread', args: [] }]), /exited/);
    assert.equal(pool.mapSync<number>(tasks).length, 7);
  });
});
