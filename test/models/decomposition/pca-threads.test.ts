// PCA on the worker pool: the fit's projection pass (rows staged through shared memory, or read in
// place when X is shared, see row-rounds.ts) and transform (the calling thread projecting rows
// beside the workers in a shared arena, see row-stream.ts) give the same bits as on the calling
// thread alone.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { ValidationError } from '../../../src/core/errors.ts';
import { type Matrix, matrix } from '../../../src/core/matrix.ts';
import { sharedPool } from '../../../src/core/pool.ts';
import { Rng } from '../../../src/core/rng.ts';
import { rowStreamCalls, streamSlotRows, streamTuning } from '../../../src/core/row-stream.ts';
import { PCA, pcaTuning } from '../../../src/models/decomposition/pca.ts';
import { rowRoundsCalls } from '../../../src/models/decomposition/row-rounds.ts';

/** Waits until the 2-thread pool has no task left from an earlier call (its workers started). */
function settle(): void {
  sharedPool(2).mapSync([]);
}

function data(n: number, d: number, seed: number, shared = false): Matrix {
  const rng = new Rng(seed);
  const buf = shared ? new SharedArrayBuffer(n * d * 8) : new ArrayBuffer(n * d * 8);
  const X = new Float64Array(buf);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) X[i * d + j] = rng.normal() * (j + 1) + (j % 3) * rng.normal();
  return matrix(X, n, d);
}

function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

describe('PCA.transform on threads', () => {
  const saved = { ...pcaTuning };
  before(() => {
    pcaTuning.threadedTransformWork = 0;
    pcaTuning.coldPoolWork = 0;
    pcaTuning.threadedFitWork = 0;
    pcaTuning.threadedMinRowWork = 0;
    streamTuning.checkLoad = false; // stream even when other test files keep the cores busy
  });
  after(() => {
    Object.assign(pcaTuning, saved);
    streamTuning.checkLoad = true;
  });
  afterEach(() => {
    streamTuning.callerComputes = true;
  });

  it('fits the same model on threads, bit for bit (blocks cut across rounds and parts)', () => {
    for (const X of [data(26_000, 21, 5), data(4_100, 9, 6, true)]) {
      for (const opts of [{}, { nComponents: 4, whiten: true }]) {
        const a = new PCA({ ...opts, nThreads: 1 }).fit(X);
        const before = rowRoundsCalls();
        const b = new PCA({ ...opts, nThreads: 2 }).fit(X);
        assert.equal(rowRoundsCalls(), before + 1, 'the threaded path ran');
        assert.deepEqual(b.toJSON(), { ...a.toJSON(), params: b.toJSON().params });
        sameBits(b.components_!.data, a.components_!.data, 'components');
        sameBits(b.singularValues_!, a.singularValues_!, 'singular values');
      }
    }
  });

  it('transform equals the calling thread bit for bit (odd row counts, shared X, whitening, k odd, workers computing every block)', () => {
    const big = data(26_000, 21, 1);
    const odd = data(2 * streamSlotRows(56, 40) + 3, 7, 2);
    const oddShared = data(2 * streamSlotRows(56, 40) + 3, 7, 2, true);
    for (const [X, opts] of [
      [odd, { nComponents: 5 }],
      [oddShared, { nComponents: 5, whiten: true }],
      [big, {}],
      [big, { nComponents: 3, whiten: true }],
    ] as const) {
      const one = new PCA({ ...opts, nThreads: 1 }).fit(X);
      const two = new PCA({ ...opts, nThreads: 2 }).fit(X);
      for (const callerComputes of [true, false]) {
        streamTuning.callerComputes = callerComputes;
        const calls = rowStreamCalls();
        const a = one.transform(X);
        assert.equal(rowStreamCalls(), calls, 'one thread: no pool');
        settle();
        const b = two.transform(X);
        assert.equal(rowStreamCalls(), calls + 1, 'the threaded path ran');
        assert.deepEqual(b.columns, a.columns);
        sameBits(
          b.data,
          a.data,
          `${X.rows}×${X.cols} ${JSON.stringify(opts)} caller computes: ${callerComputes}`,
        );
      }
    }
  });

  it('finds a NaN in any round and names its column', () => {
    const X = data(26_000, 21, 3);
    const pca = new PCA({ nThreads: 2 }).fit(X);
    X.data[25_990 * 21 + 4] = Number.NaN;
    settle();
    assert.throws(
      () => pca.transform(X),
      (e: unknown) => e instanceof ValidationError && /x4/.test(e.message),
    );
    X.data[25_990 * 21 + 4] = 0;
    X.data[7] = Number.POSITIVE_INFINITY;
    settle();
    assert.throws(() => pca.transform(X), ValidationError);
    X.data[7] = 0;
    settle();
    assert.equal(pca.transform(X).rows, 26_000, 'the pool is usable after');
  });

  it('a small input stays on the calling thread at the default thresholds', () => {
    Object.assign(pcaTuning, saved);
    const X = data(500, 8, 4);
    const before = rowRoundsCalls();
    const streamed = rowStreamCalls();
    new PCA({ nThreads: 2 }).fit(X).transform(X);
    assert.equal(rowRoundsCalls(), before);
    assert.equal(rowStreamCalls(), streamed);
    pcaTuning.threadedTransformWork = 0;
    pcaTuning.coldPoolWork = 0;
    pcaTuning.threadedFitWork = 0;
    pcaTuning.threadedMinRowWork = 0;
  });

  it('a mid-sized input starts workers at the second transform, not in the fit or the first', () => {
    Object.assign(pcaTuning, saved);
    // 2 000 × 64 × 64 components: above threadedTransformWork, below coldPoolWork. Three threads:
    // a pool of its own, which nothing in this file has started.
    const X = data(2_000, 64, 8);
    const pool = sharedPool(3);
    assert.equal(pool.workers(), 0);
    const streamed = rowStreamCalls();
    const pca = new PCA({ nThreads: 3 }).fit(X);
    const alone = pca.transform(X);
    assert.equal(pool.workers(), 0, 'neither the fit nor the first transform started a worker');
    assert.equal(rowStreamCalls(), streamed, 'the first transform stayed on the calling thread');
    sameBits(pca.transform(X).data, alone.data, 'second transform');
    assert.equal(pool.workers(), 2, 'the second transform started the workers');
    const shared = pca.transform(X);
    assert.equal(rowStreamCalls(), streamed + 1, 'the third streamed on the workers');
    sameBits(shared.data, alone.data, 'projections');
    pcaTuning.threadedTransformWork = 0;
    pcaTuning.coldPoolWork = 0;
    pcaTuning.threadedFitWork = 0;
    pcaTuning.threadedMinRowWork = 0;
  });
});
