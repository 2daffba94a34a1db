// A damaged or edited fitted state of KMeans and DBSCAN is refused on load, not predicted with.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { fromRows } from '../../../src/core/matrix.ts';
import { DBSCAN } from '../../../src/models/cluster/dbscan.ts';
import { KMeans } from '../../../src/models/cluster/kmeans.ts';
import { assertRefused, damage, shorter } from '../../helpers/damaged-state.ts';

const rows = Array.from({ length: 12 }, (_, i) => [(i * 7) % 13, (i * 5) % 11, (i * 3) % 7]);
const X = fromRows(rows);
const km = new KMeans({ nClusters: 3, nInit: 2 }).fit(X);
// Overflowing squared distances give an infinite inertia: it loads as fit left it.
const huge = new KMeans({ nClusters: 2, nInit: 1 }).fit(fromRows(rows.map((r) => [r[0] * 1e200, r[1]])));
const db = new DBSCAN({ eps: 3, minSamples: 2 }).fit(X);
const K = 'KMeans';
const D = 'DBSCAN';

type S = Record<string, unknown>;
const withAt = <T extends Float64Array | Int32Array>(a: T, i: number, v: number): T => {
  const b = a.slice() as T;
  b[i] = v;
  return b;
};

describe('KMeans: saved state', () => {
  it('loads an undamaged state and predicts the same (an infinite inertia included)', () => {
    const back = estimatorFromJSON<KMeans>(structuredClone(km.toJSON()));
    assert.deepEqual(back.predict(X), km.predict(X));
    assert.deepEqual(back.transform(X), km.transform(X));
    assert.deepEqual(back.labels_, km.labels_);
    assert.equal(back.inertia_, km.inertia_);
    assert.equal(huge.inertia_, Number.POSITIVE_INFINITY);
    const hugeBack = estimatorFromJSON<KMeans>(structuredClone(huge.toJSON()));
    assert.equal(hugeBack.inertia_, Number.POSITIVE_INFINITY);
    assert.deepEqual(hugeBack.clusterCenters_, huge.clusterCenters_);
    // Parameters changed after fit do not change the centers: such a package loads too.
    const changed = new KMeans({ nClusters: 3, nInit: 1 }).fit(X).setParams({ nClusters: 5, maxIter: 1 });
    assert.deepEqual(
      estimatorFromJSON<KMeans>(structuredClone(changed.toJSON())).predict(X),
      changed.predict(X),
    );
  });

  it('refuses centers of the wrong shape or not finite, and an nClusters that does not count them', () => {
    const c = (s: S) => s.clusterCenters as Float64Array;
    assertRefused(
      damage(km.toJSON(), (s) => void (s.clusterCenters = shorter(c(s)))),
      K,
      'clusterCenters',
    );
    assertRefused(
      damage(km.toJSON(), (s) => void (s.clusterCenters = Array.from(c(s)))),
      K,
      'clusterCenters',
    );
    for (const bad of [Number.NaN, Number.NEGATIVE_INFINITY]) {
      assertRefused(
        damage(km.toJSON(), (s) => void (s.clusterCenters = withAt(c(s), 0, bad))),
        K,
        'clusterCenters',
      );
    }
    // nClusters 2 with three centers saved.
    assertRefused(
      damage(km.toJSON(), (s) => void (s.nClusters = 2)),
      K,
      'clusterCenters',
    );
    for (const bad of [0, 1.5, '3', null]) {
      assertRefused(
        damage(km.toJSON(), (s) => void (s.nClusters = bad)),
        K,
        'nClusters',
      );
    }
  });

  it('refuses labels outside the clusters, a NaN or negative inertia and an nIter below 1', () => {
    const l = (s: S) => s.labels as Int32Array;
    for (const bad of [-1, 3]) {
      assertRefused(
        damage(km.toJSON(), (s) => void (s.labels = withAt(l(s), 0, bad))),
        K,
        'labels',
      );
    }
    assertRefused(
      damage(km.toJSON(), (s) => void (s.labels = [0, 1, 2])),
      K,
      'labels',
    );
    assertRefused(
      damage(km.toJSON(), (s) => void (s.labels = l(s).slice(0, 2))),
      K,
      'labels',
    );
    for (const bad of [Number.NaN, -1, 'x']) {
      assertRefused(
        damage(km.toJSON(), (s) => void (s.inertia = bad)),
        K,
        'inertia',
      );
    }
    for (const bad of [0, -1, 2.5]) {
      assertRefused(
        damage(km.toJSON(), (s) => void (s.nIter = bad)),
        K,
        'nIter',
      );
    }
  });
});

describe('DBSCAN: saved state', () => {
  it('loads an undamaged state (noise included) and keeps its labels and core rows', () => {
    assert.ok(db.labels_!.includes(-1));
    const back = estimatorFromJSON<DBSCAN>(structuredClone(db.toJSON()));
    assert.deepEqual(back.labels_, db.labels_);
    assert.deepEqual(back.coreSampleIndices_, db.coreSampleIndices_);
    assert.deepEqual(back.components_, db.components_);
    assert.equal(back.nClusters_, db.nClusters_);
  });

  it('refuses labels outside -1..nClusters-1, core indices out of order or not clustered, and bad components', () => {
    const l = (s: S) => s.labels as Int32Array;
    const ci = (s: S) => s.coreSampleIndices as Int32Array;
    for (const bad of [-2, 2]) {
      assertRefused(
        damage(db.toJSON(), (s) => void (s.labels = withAt(l(s), 0, bad))),
        D,
        'labels',
      );
    }
    for (const bad of [-1, 2.5, 13, null]) {
      assertRefused(
        damage(db.toJSON(), (s) => void (s.nClusters = bad)),
        D,
        'nClusters',
      );
    }
    // nClusters 3 while the labels name only clusters 0 and 1.
    assertRefused(
      damage(db.toJSON(), (s) => void (s.nClusters = 3)),
      D,
      'nClusters',
    );
    for (const bad of [-1, 12, 0]) {
      // Row 0 is noise, so it cannot be a core row either.
      assertRefused(
        damage(db.toJSON(), (s) => void (s.coreSampleIndices = withAt(ci(s), 0, bad))),
        D,
        'coreSampleIndices',
      );
    }
    assertRefused(
      damage(db.toJSON(), (s) => void (s.coreSampleIndices = withAt(ci(s), 1, 1))),
      D,
      'coreSampleIndices',
    );
    assertRefused(
      damage(db.toJSON(), (s) => void (s.components = shorter(s.components as Float64Array))),
      D,
      'components',
    );
    assertRefused(
      damage(db.toJSON(), (s) => void (s.components = withAt(s.components as Float64Array, 0, Number.NaN))),
      D,
      'components',
    );
  });
});
