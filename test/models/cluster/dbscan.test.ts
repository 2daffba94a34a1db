import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/core/errors.ts';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { matrix } from '../../../src/core/matrix.ts';
import { DBSCAN } from '../../../src/models/cluster/index.ts';
import { clusterData, clusterOracle } from './data.ts';

describe('DBSCAN labels are identical to scikit-learn 1.2', () => {
  for (const o of clusterOracle.dbscan) {
    it(`${o.dataset} eps=${o.eps} minSamples=${o.minSamples} ${o.metric}`, () => {
      const { X } = clusterData(o.dataset);
      const db = new DBSCAN({ eps: o.eps, minSamples: o.minSamples, metric: o.metric }).fit(X);
      assert.deepEqual(Array.from(db.labels_!), o.labels);
      assert.deepEqual(Array.from(db.coreSampleIndices_!), o.coreSampleIndices);
      assert.equal(db.nClusters_, Math.max(...o.labels) + 1);
    });
  }
});

describe('DBSCAN behaviour', () => {
  it('numbers clusters by first core row; a border row joins the first cluster reaching it', () => {
    // Two dense groups on a line; row 3 (x=2) is within eps of both group edges.
    const X = matrix(Float64Array.from([0, 0.5, 1, 2, 3, 3.5, 4, 10]), 8, 1);
    const db = new DBSCAN({ eps: 1, minSamples: 3 }).fit(X);
    // Cores: x=0.5 (0,0.5,1), x=1? neighbours 0.5,1,2 → 3 → core; x=2: 1,2,3 → core; …
    assert.deepEqual(Array.from(db.labels_!), [0, 0, 0, 0, 0, 0, 0, -1]);
    const db2 = new DBSCAN({ eps: 0.75, minSamples: 2 }).fit(X);
    assert.deepEqual(Array.from(db2.labels_!), [0, 0, 0, -1, 1, 1, 1, -1]);
  });

  it('counts sample weights towards minSamples, and fitPredict returns the labels', () => {
    const X = matrix(Float64Array.from([0, 0.1, 5, 9]), 4, 1);
    const db = new DBSCAN({ eps: 0.5, minSamples: 3 });
    assert.deepEqual(Array.from(db.fitPredict(X)), [-1, -1, -1, -1]);
    const w = new DBSCAN({ eps: 0.5, minSamples: 3 }).fit(X, undefined, { sampleWeight: [1, 2, 3, 1] });
    assert.deepEqual(Array.from(w.labels_!), [0, 0, 1, -1]);
    const back = estimatorFromJSON<DBSCAN>(w.toJSON());
    assert.deepEqual(back.labels_, w.labels_);
  });

  it('takes negative and all-zero weights, as scikit-learn (values from scikit-learn 1.2.1)', () => {
    const X = matrix(Float64Array.from([0, 0.1, 0.2, 5, 5.1, 9]), 6, 1);
    const fit = (sampleWeight: number[]) =>
      new DBSCAN({ eps: 0.15, minSamples: 2 }).fit(X, undefined, { sampleWeight });
    // A negative weight keeps its neighbours from being core.
    let db = fit([1, -1, 1, 1, 1, 1]);
    assert.deepEqual(Array.from(db.labels_!), [-1, -1, -1, 0, 0, -1]);
    assert.deepEqual(Array.from(db.coreSampleIndices_!), [3, 4]);
    db = fit([2, -0.5, 1, 2, 1, 0]);
    assert.deepEqual(Array.from(db.labels_!), [0, 0, 0, 1, 1, -1]);
    assert.deepEqual(Array.from(db.coreSampleIndices_!), [1, 3, 4]);
    assert.deepEqual(Array.from(db.components_!.data), [0.1, 5, 5.1]);
    // All-zero weights: every row is noise (Lathe refused them before 2026-11-28).
    db = fit([0, 0, 0, 0, 0, 0]);
    assert.deepEqual(Array.from(db.labels_!), [-1, -1, -1, -1, -1, -1]);
    assert.equal(db.components_!.rows, 0);
    // A row weighing minSamples is a core row by itself.
    db = fit([1, 1, 1, 1, 1, 3]);
    assert.deepEqual(Array.from(db.labels_!), [0, 0, 0, 1, 1, 2]);
    assert.throws(
      () => fit([1, 1, Number.NaN, 1, 1, 1]),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.match(e.message, /sampleWeight\[2\] is NaN/);
        return true;
      },
    );
  });

  it('at eps equal to a pairwise distance, counts neighbours as the KD-tree of scikit-learn', () => {
    // eps is √ of the squared distance between b and c (2.287694076685395), rounded; eps² rounds
    // just below it. scikit-learn's query_radius compares √(node bounds) with eps and takes a
    // whole node whose upper bound is ≤ eps without checking its rows against eps², so b and c
    // are neighbours and all 12 rows form one cluster (scikit-learn 1.2.1; with 12 rows its
    // 'auto' is the KD-tree). Before, Lathe checked every row against eps² and found two
    // clusters, {a, b, d} and {c}.
    const a = [0.9920275041812835, -0.8134333787540369];
    const b = [0.7820945957036757, -0.24436069729874668];
    const c = [1.3034504780814826, 1.1754569390882132];
    const d = [0.4310167271706086, -0.06526719197958701];
    const rows = [a, a, b, b, c, c, c, c, d, d, b, c];
    const X = matrix(Float64Array.from(rows.flat()), rows.length, 2);
    const db = new DBSCAN({ eps: 1.5125125046376955, minSamples: 3, leafSize: 2 }).fit(X);
    assert.deepEqual(Array.from(db.labels_!), new Array(12).fill(0));
    assert.equal(db.coreSampleIndices_!.length, 12);
  });

  it('sums neighbourhood weights as NumPy does (pairwise), so ten weights of 0.1 reach 1', () => {
    // scikit-learn: np.sum(sample_weight[neighbors]) = 1.0 for ten 0.1s; one by one they sum to
    // 0.9999999999999999, and Lathe called the ten rows noise (values from scikit-learn 1.2.1;
    // 12 rows: its KD-tree; the first 10 alone: its brute force).
    const rows = [...new Array(10).fill([0, 0]), [5, 5], [9, 9]];
    const w = [...new Array(10).fill(0.1), 1, 1];
    const X = matrix(Float64Array.from(rows.flat()), 12, 2);
    const db = new DBSCAN({ eps: 0.5, minSamples: 1 }).fit(X, undefined, { sampleWeight: w });
    assert.deepEqual(Array.from(db.labels_!), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2]);
    assert.equal(db.coreSampleIndices_!.length, 12);
    const ten = matrix(Float64Array.from(rows.slice(0, 10).flat()), 10, 2);
    const db10 = new DBSCAN({ eps: 0.5, minSamples: 1 }).fit(ten, undefined, {
      sampleWeight: w.slice(0, 10),
    });
    assert.deepEqual(Array.from(db10.labels_!), new Array(10).fill(0));
  });

  it('keeps the core rows as components_, through a save and load', () => {
    const X = matrix(Float64Array.from([0, 1, 0.1, 1, 0.2, 1, 5, 2, 9, 9]), 5, 2, ['a', 'b']);
    const db = new DBSCAN({ eps: 0.15, minSamples: 2 }).fit(X);
    assert.deepEqual(Array.from(db.coreSampleIndices_!), [0, 1, 2]);
    assert.deepEqual(Array.from(db.components_!.data), [0, 1, 0.1, 1, 0.2, 1]);
    assert.deepEqual(db.components_!.columns, ['a', 'b']);
    const back = estimatorFromJSON<DBSCAN>(db.toJSON());
    assert.deepEqual(Array.from(back.components_!.data), Array.from(db.components_!.data));
    assert.equal(back.components_!.cols, 2);
  });

  it('refuses bad input with clear errors', () => {
    const bad = matrix(Float64Array.from([0, Number.NaN]), 1, 2, ['x', 'y']);
    assert.throws(
      () => new DBSCAN().fit(bad),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.match(e.message, /column 'y'/);
        assert.match(e.message, /Imputer/);
        return true;
      },
    );
    assert.throws(() => new DBSCAN({ eps: 0 }).fit([[1]]), /eps/);
    assert.throws(() => new DBSCAN({ metric: 'cosine' as never }).fit([[1]]), /metric/);
    assert.throws(() => new DBSCAN().fit([[1], ['a' as unknown as number]]), /not a number/);
  });
});
