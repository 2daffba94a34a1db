// The streaming protocol of row-stream.ts with a toy computation: every row lands in the right
// place whoever computes it (odd counts, one row, more threads than rows), non-finite blocks are
// reported, errors on either side propagate and leave the pool usable, and a task from an earlier
// call touches nothing.
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { ThreadExecutor } from '../../src/core/pool.ts';
import {
  consumeSlots,
  rowStreamCalls,
  type StreamTicket,
  streamLayout,
  streamRows,
  streamTuning,
} from '../../src/core/row-stream.ts';
import { Wasm } from '../../src/core/wasm.ts';
import { rowSums, rowSumsConsumerTask } from './row-stream-tasks.ts';

const memory = new Wasm.Memory({ initial: 64, maximum: 64, shared: true });

function data(n: number, d: number): Float64Array {
  return Float64Array.from({ length: n * d }, (_, i) => ((i * 7919) % 1000) / 7 - 50);
}

function expected(X: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += X[r * d + j];
    out[r] = 2 * s;
  }
  return out;
}

function layoutFor(d: number, threads: number, rows?: number) {
  const layout = streamLayout({
    base: 1024,
    consumers: threads,
    d,
    outWidth: 1,
    outBytes: 8,
    constBytes: 0,
    scratchBytes: 0,
    rows,
  });
  assert.ok(layout.end <= memory.buffer.byteLength);
  return layout;
}

/**
 * Streams X through `threads` threads (the calling thread and `threads − 1` workers of `pool`);
 * returns whether it was finite, the result, and the slots each thread computed.
 */
function run(pool: ThreadExecutor, X: Float64Array, n: number, d: number, threads: number, rows?: number) {
  const who = new Int32Array(new SharedArrayBuffer(4 * threads));
  let ticket: StreamTicket | undefined;
  const out = new Float64Array(n);
  const ok = streamRows({
    X,
    n,
    memory,
    layout: layoutFor(d, threads, rows),
    out,
    compute: (s, k) => rowSums(ticket!, who, 0)(s, k),
    pool,
    tasks: (t) => {
      ticket = t;
      return Array.from({ length: threads - 1 }, (_, w) => rowSumsConsumerTask(t, who, w + 1));
    },
  });
  return { ok, out, who: [...who] };
}

describe('streamRows', () => {
  const pool = new ThreadExecutor(3);
  after(() => pool.close());
  afterEach(() => {
    streamTuning.callerComputes = true;
  });

  it('puts every row in place, whoever computes it (odd counts, one row, more threads than rows)', () => {
    for (const [n, d, threads, rows] of [
      [1, 3, 2, 16],
      [2, 5, 3, 16],
      [17, 4, 2, 16],
      [1001, 7, 3, 32],
      [5000, 2, 2, undefined],
      [0, 2, 2, 16],
    ] as const) {
      const X = data(n, d);
      const before = rowStreamCalls();
      const r = run(pool, X, n, d, threads, rows);
      assert.equal(rowStreamCalls(), before + 1);
      assert.equal(r.ok, true);
      assert.deepEqual(r.out, expected(X, n, d), `${n} × ${d} on ${threads} threads`);
    }
  });

  it('with the calling thread only copying, the workers compute every slot, the same results', () => {
    streamTuning.callerComputes = false;
    const n = 3333;
    const d = 6;
    const X = data(n, d);
    pool.mapSync([]); // the previous call's tasks have ended
    const r = run(pool, X, n, d, 3, 64);
    assert.equal(r.who[0], 0, 'the calling thread computed nothing');
    assert.equal(r.who[1] + r.who[2], Math.ceil(n / 64));
    assert.deepEqual(r.out, expected(X, n, d));
  });

  it('takes over the rows of a worker that does not finish, and leaves the arena usable', () => {
    const n = 3_000;
    const d = 3;
    const X = data(n, d);
    const layout = layoutFor(d, 2, 16);
    const who = new Int32Array(new SharedArrayBuffer(8));
    const slow = new Int32Array(new SharedArrayBuffer(8)); // [worker took a slot, worker finished one]
    const out = new Float64Array(n);
    let ticket: StreamTicket | undefined;
    let first = true;
    pool.mapSync([]);
    // The worker sleeps 800 ms in the first slot it takes; the calling thread waits in its first
    // slot until the worker has taken one, then does everything else, and computes the rows the
    // worker holds instead of waiting for it.
    const ok = streamRows({
      X,
      n,
      memory,
      layout,
      out,
      compute: (s, r) => {
        if (first) {
          first = false;
          for (let t = 0; t < 100 && Atomics.load(slow, 0) === 0; t++) Atomics.wait(slow, 0, 0, 50);
        }
        return rowSums(ticket!, who, 0)(s, r);
      },
      pool,
      tasks: (t) => {
        ticket = t;
        return [rowSumsConsumerTask(t, who, 1, 800, slow)];
      },
    });
    assert.equal(ok, true);
    assert.equal(Atomics.load(slow, 0), 1, 'the worker took a slot');
    assert.equal(Atomics.load(slow, 1), 0, 'the call returned while the worker was still on it');
    assert.deepEqual(out, expected(X, n, d));
    assert.equal(pool.idle(), false, 'the worker is still busy in the background');
    pool.mapSync([]); // waits for it
    assert.equal(Atomics.load(slow, 1), 1);
    assert.deepEqual(run(pool, data(700, d), 700, d, 2, 16).out, expected(data(700, d), 700, d));
  });

  it('reports a NaN in the first or the last block', () => {
    for (const at of [0, 4999 * 3 + 2]) {
      for (const callerComputes of [true, false]) {
        streamTuning.callerComputes = callerComputes;
        const X = data(5000, 3);
        X[at] = Number.NaN;
        pool.mapSync([]);
        assert.equal(run(pool, X, 5000, 3, 2, 64).ok, false);
      }
    }
    streamTuning.callerComputes = true;
    assert.deepEqual(run(pool, data(50, 3), 50, 3, 2, 16).out, expected(data(50, 3), 50, 3));
  });

  it("rethrows a worker's error, and the pool stays usable", () => {
    streamTuning.callerComputes = false;
    const X = data(400, 2);
    X[399 * 2] = -999;
    pool.mapSync([]);
    assert.throws(() => run(pool, X, 400, 2, 2, 16), { name: 'RangeError', message: /bad row/ });
    streamTuning.callerComputes = true;
    assert.equal(pool.idle(), true);
    assert.deepEqual(run(pool, data(400, 2), 400, 2, 2, 16).out, expected(data(400, 2), 400, 2));
  });

  it("rethrows the calling thread's error after the workers have stopped, and the pool stays usable", () => {
    const X = data(2000, 2);
    X[0] = -999; // in the first block: the calling thread computes it if no worker is faster
    let threw = 0;
    for (let i = 0; i < 5; i++) {
      try {
        run(pool, X, 2000, 2, 2, 16);
      } catch (e) {
        assert.match(String(e), /bad row/);
        threw++;
      }
    }
    assert.equal(threw, 5, 'whoever computed the bad block, the error came out');
    assert.equal(pool.idle(), true);
    assert.deepEqual(run(pool, data(64, 2), 64, 2, 2, 16).out, expected(data(64, 2), 64, 2));
  });

  it('a task from an earlier call returns at once and touches nothing', () => {
    const X = data(100, 2);
    const layout = layoutFor(2, 2, 16);
    const who = new Int32Array(new SharedArrayBuffer(8));
    let old: StreamTicket | undefined;
    streamRows({
      X,
      n: 100,
      memory,
      layout,
      out: new Float64Array(100),
      compute: (s, r) => rowSums(old!, who, 0)(s, r),
      pool,
      tasks: (t) => {
        old = t;
        return [];
      },
    });
    // Its call is over; then another call runs on the same arena: the old ticket's task must not
    // take a slot either time.
    const stale = () => assert.fail('a stale task computed a slot');
    assert.equal(consumeSlots(old!, stale), 0);
    run(pool, X, 100, 2, 2, 16);
    assert.equal(consumeSlots(old!, stale), 0);
    // And on a worker, beside a call in progress (the workers computing everything).
    streamTuning.callerComputes = false;
    pool.mapSync([]);
    const staleWho = new Int32Array(new SharedArrayBuffer(8));
    const now = new Int32Array(new SharedArrayBuffer(8));
    let current: StreamTicket | undefined;
    const out = new Float64Array(3000);
    streamRows({
      X: data(3000, 2),
      n: 3000,
      memory,
      layout,
      out,
      compute: (s, k) => rowSums(current!, now, 0)(s, k),
      pool,
      tasks: (t) => {
        current = t;
        return [rowSumsConsumerTask(old!, staleWho, 1), rowSumsConsumerTask(t, now, 1)];
      },
    });
    assert.deepEqual([...staleWho], [0, 0], 'the stale task computed nothing');
    assert.equal(now[1], Math.ceil(3000 / 16));
    assert.deepEqual(out, expected(data(3000, 2), 3000, 2));
  });
});
