import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFittedError, ValidationError } from '../../../src/core/errors.ts';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { matrix } from '../../../src/core/matrix.ts';
import { decodePlain, encodePlain } from '../../../src/core/plain.ts';
import { KMeans } from '../../../src/models/cluster/index.ts';
import { kmeansTuning } from '../../../src/models/cluster/kmeans.ts';
import { clusterData, clusterOracle, purity } from './data.ts';

function rowsOf(X: { data: Float64Array; cols: number }, rows: number[]): number[][] {
  return rows.map((r) => Array.from(X.data.subarray(r * X.cols, (r + 1) * X.cols)));
}

/** Every center coordinate within 1e-9 of scikit-learn's (relative, absolute below 1). */
function assertCentersClose(c: Float64Array, expected: readonly number[]): void {
  for (let i = 0; i < c.length; i++) {
    assert.ok(
      Math.abs(c[i] - expected[i]) <= 1e-9 * Math.max(1, Math.abs(expected[i])),
      `center ${i}: ${c[i]} vs ${expected[i]}`,
    );
  }
}

describe('KMeans from given centers matches scikit-learn 1.2 exactly (1e-9)', () => {
  for (const o of clusterOracle.kmeansExact) {
    it(`${o.dataset} k=${o.k} ${o.algorithm}`, () => {
      const { X } = clusterData(o.dataset);
      const km = new KMeans({ nClusters: o.k, init: rowsOf(X, o.initRows), algorithm: o.algorithm }).fit(X);
      assert.equal(km.nIter_, o.nIter, 'iterations');
      const labels = Array.from(km.labels_!, (v) => String.fromCharCode(97 + v)).join('');
      assert.equal(labels, o.labels, 'labels');
      assertCentersClose(km.clusterCenters_!.data, o.centers);
      assert.ok(
        Math.abs(km.inertia_! - o.inertia) <= 1e-9 * o.inertia,
        `inertia ${km.inertia_} vs ${o.inertia}`,
      );
    });
  }
});

describe('KMeans from given centers on edge cases matches scikit-learn 1.2 exactly', () => {
  // Far initial centers leave clusters empty: scikit-learn re-seeds them with the rows
  // np.argpartition puts last (its order, not the farthest first); one column (NumPy sums the
  // mean pairwise); centers averaged as sum · (1/w).
  for (const o of clusterOracle.kmeansEdge) {
    it(`${o.name} ${o.algorithm}`, () => {
      const km = new KMeans({
        nClusters: o.init.length,
        init: o.init,
        nInit: 1,
        algorithm: o.algorithm,
        tol: o.tol,
        nThreads: 1,
      }).fit(o.X, undefined, o.sampleWeight ? { sampleWeight: o.sampleWeight } : {});
      assert.deepEqual(Array.from(km.labels_!), o.labels, 'labels');
      assert.equal(km.nIter_, o.nIter, 'iterations');
      assertCentersClose(km.clusterCenters_!.data, o.centers);
      assert.ok(
        Math.abs(km.inertia_! - o.inertia) <= 1e-9 * Math.max(1, o.inertia),
        `inertia ${km.inertia_} vs ${o.inertia}`,
      );
    });
  }
});

describe('KMeans (k-means++, nInit 10) clusters as well as scikit-learn', () => {
  for (const o of clusterOracle.kmeansQuality) {
    it(`${o.dataset} k=${o.k}: purity within 0.01, inertia within 1%`, () => {
      const { X, y } = clusterData(o.dataset);
      let inertia = 0;
      let pur = 0;
      const seeds = 5;
      for (let seed = 0; seed < seeds; seed++) {
        // Elkan gives Lloyd's result, faster.
        const km = new KMeans({ nClusters: o.k, seed, nThreads: 1, algorithm: 'elkan' }).fit(X);
        inertia += km.inertia_! / seeds;
        pur += purity(km.labels_!, y) / seeds;
      }
      assert.ok(
        Math.abs(pur - o.purityMean) <= 0.01,
        `purity ${pur.toFixed(4)} vs ${o.purityMean.toFixed(4)}`,
      );
      assert.ok(inertia <= o.inertiaMean * 1.01, `inertia ${inertia} vs ${o.inertiaMean}`);
      assert.ok(
        inertia >= o.inertiaMin * 0.99,
        `inertia ${inertia} below scikit-learn's best ${o.inertiaMin}`,
      );
    });
  }
});

describe('KMeans behaviour', () => {
  const { X } = clusterData('blobs');

  it('lloyd and elkan agree; predict and transform use the fitted centers', () => {
    const a = new KMeans({ nClusters: 5, algorithm: 'lloyd', nThreads: 1 }).fit(X);
    const b = new KMeans({ nClusters: 5, algorithm: 'elkan', nThreads: 1 }).fit(X);
    assert.deepEqual(a.labels_, b.labels_);
    assert.ok(Math.abs(a.inertia_! - b.inertia_!) <= 1e-9 * a.inertia_!);
    assert.deepEqual(a.predict(X), a.labels_);
    const T = a.transform(X);
    assert.deepEqual(T.columns, ['kmeans0', 'kmeans1', 'kmeans2', 'kmeans3', 'kmeans4']);
    for (let i = 0; i < 20; i++) {
      const row = Array.from(T.data.subarray(i * 5, i * 5 + 5));
      assert.equal(row.indexOf(Math.min(...row)), a.labels_![i]);
    }
    assert.ok(Math.abs(-a.score(X) - a.inertia_!) <= 1e-9 * a.inertia_!);
  });

  it('centers X first, as scikit-learn: a column offset of 1e9 or 1e12 (epoch times) changes no label', () => {
    for (const off of [1e9, 1e12]) {
      // Two groups 1 apart in a column with a large offset, and a 0/1 column that alternates.
      const rows = Array.from({ length: 10 }, (_, i) => [off + (i < 5 ? 0 : 1) + i * 1e-3, i % 2]);
      const want = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
      for (const algorithm of ['lloyd', 'elkan'] as const) {
        const given = new KMeans({ nClusters: 2, init: [rows[0], rows[9]], algorithm, nThreads: 1 }).fit(
          rows,
        );
        assert.deepEqual(Array.from(given.labels_!), want, `${algorithm} ${off}`);
        // Inertia: Σ over both groups of (spread of i·1e-3 around its mean)² + 5 · 0.24 (the 0/1
        // column), about 2.40002; the offset's rounding (ulp 2^-22 at 1e12) blurs the last digits.
        assert.ok(Math.abs(given.inertia_! - 2.40002) < 1e-5, `${algorithm} ${off}: ${given.inertia_}`);
        const c = given.clusterCenters_!.data;
        assert.ok(Math.abs(c[0] - (off + 0.002)) < 1e-3 && Math.abs(c[2] - (off + 1.007)) < 1e-3, `${c}`);
        const seeded = new KMeans({ nClusters: 2, algorithm, nThreads: 1, seed: 1 }).fit(rows);
        const l = Array.from(seeded.labels_!);
        assert.deepEqual(l[0] === 0 ? l : l.map((v) => 1 - v), want, `k-means++ ${algorithm} ${off}`);
      }
    }
  });

  it('is identical for 1 and 2 threads and for the same seed', () => {
    const one = new KMeans({ nClusters: 4, nThreads: 1, seed: 3 }).fit(X);
    // (This data is below the size from which fit uses the pool: lower the threshold.)
    const saved = kmeansTuning.threadedFitWork;
    kmeansTuning.threadedFitWork = 0;
    let two: KMeans;
    try {
      two = new KMeans({ nClusters: 4, nThreads: 2, seed: 3 }).fit(X);
    } finally {
      kmeansTuning.threadedFitWork = saved;
    }
    assert.deepEqual({ ...one.toJSON(), params: null }, { ...two.toJSON(), params: null });
    const json = JSON.parse(JSON.stringify(encodePlain(one.toJSON() as never)));
    const back = estimatorFromJSON<KMeans>(decodePlain(json) as never);
    assert.deepEqual(back.predict(X), one.labels_);
    assert.deepEqual(back.clusterCenters_!.data, one.clusterCenters_!.data);
  });

  it('handles random init, sample weights and empty clusters', () => {
    const r = new KMeans({ nClusters: 5, init: 'random', nThreads: 1 }).fit(X);
    assert.equal(new Set(r.labels_).size, 5);
    // Weight 2 on every row: same clustering as no weights, double the inertia.
    const w = new Float64Array(X.rows).fill(2);
    const a = new KMeans({ nClusters: 5, nThreads: 1 }).fit(X);
    const b = new KMeans({ nClusters: 5, nThreads: 1 }).fit(X, undefined, { sampleWeight: w });
    assert.ok(Math.abs(b.inertia_! - 2 * a.inertia_!) <= 1e-6 * a.inertia_!);
    // Two centers start on the same point: one cluster empties and is re-seeded.
    const tiny = matrix(Float64Array.from([0, 0, 0.1, 0, 10, 10, 10.1, 10]), 4, 2);
    const e = new KMeans({
      nClusters: 3,
      init: [
        [0, 0],
        [0, 0],
        [10, 10],
      ],
    }).fit(tiny);
    assert.equal(new Set(e.labels_).size, 3);
  });

  it('refuses bad input with clear errors', () => {
    const small = matrix(Float64Array.from([1, 2, 3, 4]), 2, 2, ['a', 'b']);
    assert.throws(
      () => new KMeans({ nClusters: 3 }).fit(small),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.match(e.message, /nClusters is 3 but X has only 2 rows/);
        return true;
      },
    );
    assert.throws(
      () => new KMeans({ nClusters: 1 }).fit(matrix(Float64Array.from([1, Number.NaN]), 1, 2, ['a', 'b'])),
      /column 'b'.*Imputer/s,
    );
    assert.throws(() => new KMeans().predict(small), NotFittedError);
    assert.throws(() => new KMeans({ nClusters: 2, init: [[1, 2]] }).fit(small), /init has 1 rows/);
    const km = new KMeans({ nClusters: 2 }).fit(small);
    assert.throws(() => km.predict([[1, 2, 3]]), /3 columns/);
    assert.throws(() => new KMeans({ nClusters: 0 }).fit(small), /nClusters/);
  });
});
