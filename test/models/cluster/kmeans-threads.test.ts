// KMeans.predict on the worker pool (the calling thread labelling rows beside the workers in a
// shared arena, see row-stream.ts) gives the labels of the calling thread alone.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { ValidationError } from '../../../src/core/errors.ts';
import { type Matrix, matrix } from '../../../src/core/matrix.ts';
import { sharedPool } from '../../../src/core/pool.ts';
import { Rng } from '../../../src/core/rng.ts';
import { rowStreamCalls, streamSlotRows, streamTuning } from '../../../src/core/row-stream.ts';
import { KMeans, kmeansTuning } from '../../../src/models/cluster/kmeans.ts';

function blobs(n: number, d: number, seed: number, shared = false): Matrix {
  const rng = new Rng(seed);
  const X = new Float64Array(shared ? new SharedArrayBuffer(n * d * 8) : new ArrayBuffer(n * d * 8));
  for (let i = 0; i < n; i++) {
    const c = i % 5;
    for (let j = 0; j < d; j++) X[i * d + j] = rng.normal() + 4 * ((c * (j + 1)) % 3);
  }
  return matrix(X, n, d);
}

/** Waits until the 2-thread pool has no task left from an earlier call (its workers started). */
function settle(): void {
  sharedPool(2).mapSync([]);
}

describe('KMeans.predict on threads', () => {
  const saved = { ...kmeansTuning };
  before(() => {
    kmeansTuning.threadedPredictWork = 0;
    streamTuning.checkLoad = false; // stream even when other test files keep the cores busy
    sharedPool(2).warm();
  });
  after(() => {
    Object.assign(kmeansTuning, saved);
    streamTuning.checkLoad = true;
  });
  afterEach(() => {
    streamTuning.callerComputes = true;
  });

  it('gives the labels of the calling thread (odd row counts, shared X, workers computing every block)', () => {
    const slot = streamSlotRows(160, 4);
    const one = new KMeans({ nClusters: 5, nInit: 2, nThreads: 1 }).fit(blobs(2_000, 20, 9));
    const two = new KMeans({ nClusters: 5, nInit: 2, nThreads: 2 }).fit(blobs(2_000, 20, 9));
    assert.deepEqual(two.clusterCenters_!.data, one.clusterCenters_!.data);
    for (const X of [
      blobs(2 * slot + 1, 20, 2),
      blobs(2 * slot + 1, 20, 2, true),
      blobs(7 * slot - 3, 20, 1),
    ]) {
      for (const callerComputes of [true, false]) {
        streamTuning.callerComputes = callerComputes;
        const calls = rowStreamCalls();
        const a = one.predict(X);
        assert.equal(rowStreamCalls(), calls, 'one thread: no pool');
        settle();
        const b = two.predict(X);
        assert.equal(rowStreamCalls(), calls + 1, 'the threaded path ran');
        assert.deepEqual(b, a, `${X.rows} rows, the calling thread computing: ${callerComputes}`);
      }
    }
    // The training rows get the fitted labels.
    const train = blobs(2_000, 20, 9);
    assert.deepEqual(Array.from(two.predict(train)), Array.from(two.labels_!));
  });

  it('an odd k and an odd number of columns', () => {
    const X = blobs(2 * streamSlotRows(56, 4) + 5, 7, 21);
    const one = new KMeans({ nClusters: 3, nInit: 1, nThreads: 1 }).fit(X);
    const two = new KMeans({ nClusters: 3, nInit: 1, nThreads: 2 }).fit(X);
    streamTuning.callerComputes = false;
    settle();
    const calls = rowStreamCalls();
    assert.deepEqual(two.predict(X), one.predict(X));
    assert.equal(rowStreamCalls(), calls + 1);
  });

  it('finds a NaN in the first or the last block and names its column', () => {
    const X = blobs(30_000, 20, 3);
    const km = new KMeans({ nClusters: 3, nInit: 1, nThreads: 2 }).fit(blobs(500, 20, 4));
    for (const [row, col] of [
      [29_999, 11],
      [0, 3],
    ]) {
      X.data[row * 20 + col] = Number.NaN;
      settle();
      assert.throws(
        () => km.predict(X),
        (e: unknown) => e instanceof ValidationError && new RegExp(`x${col}`).test(e.message),
      );
      X.data[row * 20 + col] = 0;
    }
    settle();
    assert.equal(km.predict(X).length, 30_000, 'the pool is usable after');
  });

  it('finds an infinity too, and takes values whose scores overflow for the finite values they are', () => {
    // Labels alone check the rows only when a block's scores are not all finite (nearestLabels).
    const X = blobs(30_000, 20, 3);
    const one = new KMeans({ nClusters: 3, nInit: 1, nThreads: 1 }).fit(blobs(500, 20, 4));
    const two = new KMeans({ nClusters: 3, nInit: 1, nThreads: 2 }).fit(blobs(500, 20, 4));
    for (const v of [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      X.data[15_000 * 20 + 7] = v;
      for (const km of [one, two]) {
        settle();
        assert.throws(
          () => km.predict(X),
          (e: unknown) => e instanceof ValidationError && /x7/.test(e.message),
          `${v}, ${km.getParams().nThreads} thread(s)`,
        );
      }
    }
    // 1e308 × a center's value overflows: that row's scores are infinite, but its values are not.
    X.data[15_000 * 20 + 7] = 0;
    const clean = one.predict(X);
    X.data[15_000 * 20 + 7] = 1e308;
    settle();
    const calls = rowStreamCalls();
    const b = two.predict(X);
    assert.equal(rowStreamCalls(), calls + 1, 'the threaded path ran');
    const a = one.predict(X);
    assert.deepEqual(b, a);
    a[15_000] = clean[15_000];
    assert.deepEqual(a, clean, 'the other rows keep their labels');
  });

  it('transform: the distances of the plain loop, bit for bit, on one thread and streamed (odd k and d, k = 1)', () => {
    for (const [n, d, k] of [
      [2 * streamSlotRows(56, 24) + 7, 7, 3],
      [2 * streamSlotRows(160, 8) + 1, 20, 1],
      [3_001, 20, 8],
    ] as const) {
      const X = blobs(n, d, 31 + k);
      const km = new KMeans({ nClusters: k, nInit: 1, nThreads: 1 }).fit(blobs(400, d, 5));
      const C = km.clusterCenters_!.data;
      // The specification: √Σ (x − c)², the features in order.
      const want = new Float64Array(n * k);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < k; j++) {
          let s = 0;
          for (let f = 0; f < d; f++) {
            const t = X.data[i * d + f] - C[j * d + f];
            s += t * t;
          }
          want[i * k + j] = Math.sqrt(s);
        }
      }
      const one = km.transform(X);
      assert.deepEqual(one.data, want, `one thread, ${n} × ${d}, k = ${k}`);
      for (const callerComputes of [true, false]) {
        streamTuning.callerComputes = callerComputes;
        km.setParams({ nThreads: 2 });
        settle();
        const calls = rowStreamCalls();
        const two = km.transform(X);
        assert.equal(rowStreamCalls(), calls + (n >= 2 * streamSlotRows(8 * d, 8 * k) ? 1 : 0));
        assert.deepEqual(two.data, want, `two threads, ${n} × ${d}, k = ${k}`);
        assert.deepEqual(two.columns, one.columns);
        km.setParams({ nThreads: 1 });
      }
    }
  });

  it('transform names the column of a NaN or an infinity, on one thread and streamed', () => {
    const X = blobs(20_000, 20, 8);
    X.data[19_000 * 20 + 6] = Number.POSITIVE_INFINITY;
    for (const nThreads of [1, 2]) {
      const km = new KMeans({ nClusters: 4, nInit: 1, nThreads }).fit(blobs(500, 20, 4));
      settle();
      assert.throws(
        () => km.transform(X),
        (e: unknown) => e instanceof ValidationError && /x6/.test(e.message),
      );
    }
  });

  it('small inputs stay on the calling thread at the default threshold', () => {
    Object.assign(kmeansTuning, saved);
    const km = new KMeans({ nClusters: 3, nInit: 1, nThreads: 2 }).fit(blobs(500, 4, 4));
    const calls = rowStreamCalls();
    km.predict(blobs(500, 4, 5));
    km.predict(blobs(1, 4, 5));
    assert.equal(rowStreamCalls(), calls);
    kmeansTuning.threadedPredictWork = 0;
  });
});

describe('KMeans reuses its kernel memory between calls on a thread', () => {
  it('a fit after other fits and predicts (larger, smaller, weighted) gives the same model as the first', () => {
    const X = blobs(700, 6, 11);
    const first = new KMeans({ nClusters: 4, nInit: 3, nThreads: 1 }).fit(X);
    const other = new KMeans({ nClusters: 6, nInit: 2, nThreads: 1 }).fit(blobs(1500, 9, 12));
    other.predict(blobs(4000, 9, 13));
    new KMeans({ nClusters: 2, nInit: 1, nThreads: 1 }).fit(blobs(50, 6, 14), undefined, {
      sampleWeight: Array.from({ length: 50 }, (_, i) => 1 + (i % 3)),
    });
    const again = new KMeans({ nClusters: 4, nInit: 3, nThreads: 1 }).fit(X);
    assert.deepEqual(again.clusterCenters_!.data, first.clusterCenters_!.data);
    assert.deepEqual(again.labels_, first.labels_);
    assert.equal(again.inertia_, first.inertia_);
    assert.equal(again.nIter_, first.nIter_);
  });
});
