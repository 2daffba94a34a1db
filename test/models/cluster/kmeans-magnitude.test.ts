// k-means on values whose squared distances overflow (|x| beyond ~1e154) or underflow: the fit
// clusters a copy scaled by a power of two (exact) and scales the centers and inertia back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { type Matrix, matrix } from '../../../src/core/matrix.ts';
import { Rng } from '../../../src/core/rng.ts';
import { KMeans } from '../../../src/models/cluster/index.ts';

const rng = new Rng(8);
const centers = [
  [0, 0],
  [6, 6],
  [-6, 6],
];
const rows: number[] = [];
for (const [cx, cy] of centers) for (let i = 0; i < 30; i++) rows.push(cx + rng.normal(), cy + rng.normal());
const X = matrix(Float64Array.from(rows), 90, 2);
const times = (m: Matrix, f: number) =>
  matrix(
    m.data.map((v) => v * f),
    m.rows,
    m.cols,
  );

describe('KMeans on extreme magnitudes', () => {
  const ref = new KMeans({ nClusters: 3, nInit: 3 }).fit(X);

  for (const [name, e] of [
    ['huge (× 2^500)', 500],
    ['tiny (× 2^-500)', -500],
  ] as const) {
    it(`${name}: the same labels, the centers and inertia scaled exactly`, () => {
      const f = 2 ** e;
      const k = new KMeans({ nClusters: 3, nInit: 3 }).fit(times(X, f));
      assert.deepEqual(k.labels_, ref.labels_);
      assert.deepEqual(
        k.clusterCenters_!.data,
        ref.clusterCenters_!.data.map((v) => v * f),
      );
      assert.equal(k.inertia_!, ref.inertia_! * f * f);
      assert.deepEqual(k.predict(times(X, f)), ref.predict(X));
    });
  }

  it('values near 1e300: finite centers and labels (the inertia is +Infinity) that save and load', () => {
    const f = 2 ** 994; // ≈ 1.8e299
    const k = new KMeans({ nClusters: 3, nInit: 3 }).fit(times(X, f));
    assert.deepEqual(k.labels_, ref.labels_);
    assert.ok(k.clusterCenters_!.data.every(Number.isFinite));
    assert.equal(k.inertia_!, Number.POSITIVE_INFINITY);
    const back = estimatorFromJSON(k.toJSON()) as KMeans;
    assert.deepEqual(back.predict(times(X, f)), k.predict(times(X, f)));
  });
});
