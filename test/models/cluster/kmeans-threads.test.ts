// KMeans.predict on the worker pool (rows staged through shared memory, or read in place when X is
// shared) gives the labels of the calling thread.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ValidationError } from '../../../src/core/errors.ts';
import { type Matrix, matrix } from '../../../src/core/matrix.ts';
import { Rng } from '../../../src/core/rng.ts';
import { KMeans, kmeansTuning } from '../../../src/models/cluster/kmeans.ts';
import { rowRoundsCalls, STAGE_BYTES } from '../../../src/models/decomposition/row-rounds.ts';

function blobs(n: number, d: number, seed: number, shared = false): Matrix {
  const rng = new Rng(seed);
  const X = new Float64Array(shared ? new SharedArrayBuffer(n * d * 8) : new ArrayBuffer(n * d * 8));
  for (let i = 0; i < n; i++) {
    const c = i % 5;
    for (let j = 0; j < d; j++) X[i * d + j] = rng.normal() + 4 * ((c * (j + 1)) % 3);
  }
  return matrix(X, n, d);
}

describe('KMeans.predict on threads', () => {
  const saved = { ...kmeansTuning };
  before(() => {
    kmeansTuning.threadedPredictWork = 0;
    kmeansTuning.threadedPredictMinClusters = 0;
  });
  after(() => {
    Object.assign(kmeansTuning, saved);
  });

  it('gives the labels of the calling thread (one and several staging rounds, shared X)', () => {
    const big = blobs(30_000, 20, 1);
    assert.ok(big.rows * big.cols * 8 > STAGE_BYTES);
    const one = new KMeans({ nClusters: 5, nInit: 2, nThreads: 1 }).fit(blobs(2_000, 20, 9));
    const two = new KMeans({ nClusters: 5, nInit: 2, nThreads: 2 }).fit(blobs(2_000, 20, 9));
    assert.deepEqual(two.clusterCenters_!.data, one.clusterCenters_!.data);
    for (const X of [blobs(333, 20, 2), blobs(333, 20, 2, true), big]) {
      const before = rowRoundsCalls();
      const a = one.predict(X);
      assert.equal(rowRoundsCalls(), before, 'one thread: no pool');
      const b = two.predict(X);
      assert.equal(rowRoundsCalls(), before + 1, 'the threaded path ran');
      assert.deepEqual(b, a);
    }
    // The training rows get the fitted labels.
    const train = blobs(2_000, 20, 9);
    assert.deepEqual(Array.from(two.predict(train)), Array.from(two.labels_!));
  });

  it('finds a NaN in any round and names its column', () => {
    const X = blobs(30_000, 20, 3);
    const km = new KMeans({ nClusters: 3, nInit: 1, nThreads: 2 }).fit(blobs(500, 20, 4));
    X.data[29_999 * 20 + 11] = Number.NaN;
    assert.throws(
      () => km.predict(X),
      (e: unknown) => e instanceof ValidationError && /x11/.test(e.message),
    );
  });

  it('a small input stays on the calling thread at the default threshold', () => {
    Object.assign(kmeansTuning, saved);
    const km = new KMeans({ nClusters: 3, nInit: 1, nThreads: 2 }).fit(blobs(500, 4, 4));
    const before = rowRoundsCalls();
    km.predict(blobs(500, 4, 5));
    assert.equal(rowRoundsCalls(), before);
    kmeansTuning.threadedPredictWork = 0;
    kmeansTuning.threadedPredictMinClusters = 0;
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
