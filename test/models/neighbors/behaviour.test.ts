// k-NN models: bad input, exact matches with distance weights, serialisation, thread independence.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFittedError, ValidationError } from '../../../src/core/errors.ts';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { matrix } from '../../../src/core/matrix.ts';
import { decodePlain, encodePlain } from '../../../src/core/plain.ts';
import { Rng } from '../../../src/core/rng.ts';
import { KNeighborsClassifier, KNeighborsRegressor } from '../../../src/models/neighbors/index.ts';

function points(n: number, p: number, seed: number) {
  const rng = new Rng(seed);
  const X = new Float64Array(n * p);
  for (let i = 0; i < X.length; i++) X[i] = rng.normal();
  const y = Array.from({ length: n }, (_, i) => (X[i * p] + X[i * p + 1] > 0 ? 'pos' : 'neg'));
  return {
    X: matrix(
      X,
      n,
      p,
      Array.from({ length: p }, (_, j) => `c${j}`),
    ),
    y,
  };
}

describe('k-NN models reject bad input with clear errors', () => {
  const { X, y } = points(30, 3, 1);

  it('k larger than the number of rows', () => {
    assert.throws(
      () => new KNeighborsClassifier({ nNeighbors: 31 }).fit(X, y),
      (e: unknown) =>
        e instanceof ValidationError &&
        /nNeighbors=31 is larger than the number of training rows \(30\)/.test(e.message),
    );
    const model = new KNeighborsRegressor({ nNeighbors: 3 }).fit(
      X,
      y.map((v) => (v === 'pos' ? 1 : 0)),
    );
    assert.throws(() => model.kneighbors(X, 40), /nNeighbors=40 is larger/);
    const all = new KNeighborsClassifier({ nNeighbors: 3 }).fit(X, y);
    assert.throws(() => all.kneighbors(undefined, 30), /need at least 31 training rows/);
  });

  it('k raised above the training rows by setParams after the fit: an error at predict, not a silent answer', () => {
    const clf = new KNeighborsClassifier({ nNeighbors: 3 }).fit(X, y).setParams({ nNeighbors: 50 });
    const reg = new KNeighborsRegressor({ nNeighbors: 3 })
      .fit(
        X,
        y.map((v) => (v === 'pos' ? 1 : 0)),
      )
      .setParams({ nNeighbors: 50 });
    for (const call of [() => clf.predict(X), () => clf.predictProba(X), () => reg.predict(X)]) {
      assert.throws(
        call,
        (e: unknown) =>
          e instanceof ValidationError &&
          /nNeighbors=50 is larger than the number of training rows \(30\)/.test(e.message),
      );
    }
  });

  it('k in kneighbors(X, k) must be a positive integer (scikit-learn raises too)', () => {
    // Before, k = 0 returned empty results, k = 2.5 garbage (NaN distances), k = -1 a RangeError.
    const model = new KNeighborsRegressor({ nNeighbors: 3 }).fit(
      X,
      y.map((v) => (v === 'pos' ? 1 : 0)),
    );
    for (const k of [0, -1, 2.5, Number.NaN]) {
      for (const q of [X, undefined]) {
        assert.throws(
          () => model.kneighbors(q, k),
          (e: unknown) =>
            e instanceof ValidationError && /nNeighbors must be a positive integer/.test(e.message),
        );
      }
    }
  });

  it('NaN names the column and suggests an imputer', () => {
    const bad = matrix(X.data.slice(), 30, 3, X.columns);
    bad.data[4 * 3 + 1] = Number.NaN;
    assert.throws(
      () => new KNeighborsClassifier().fit(bad, y),
      /column 'c1' has a missing value \(NaN\) at row 4.*SimpleImputer/s,
    );
    const model = new KNeighborsClassifier().fit(X, y);
    assert.throws(() => model.predict(bad), /column 'c1'/);
  });

  it('predict or kneighbors before fit', () => {
    assert.throws(() => new KNeighborsClassifier().predict(X), NotFittedError);
    assert.throws(() => new KNeighborsRegressor().kneighbors(X), NotFittedError);
    assert.throws(() => new KNeighborsRegressor().kneighbors(), NotFittedError);
  });

  it('one class, length mismatch, wrong columns, non-numeric data', () => {
    assert.throws(() => new KNeighborsClassifier().fit(X, new Array(30).fill(1)), /only 1 class/);
    assert.throws(() => new KNeighborsClassifier().fit(X, y.slice(2)), /y has 28 values but X has 30 rows/);
    const model = new KNeighborsClassifier().fit(X, y);
    assert.throws(
      () => model.predict(matrix(new Float64Array(8), 2, 4)),
      /X has 4 columns, but the model was fitted on 3/,
    );
    assert.throws(
      () => new KNeighborsRegressor().fit(X, y),
      /y\[0\] is "(pos|neg)"; a numeric, finite target is required/,
    );
    assert.throws(
      () => new KNeighborsClassifier({ p: 3 as never }).fit(X, y),
      /parameter 'p' must be one of 1, 2/,
    );
  });
});

describe('k-NN behaviour', () => {
  it('distance weights: a query equal to training rows takes their class outright', () => {
    const X = matrix(Float64Array.from([0, 0, 0, 0, 1, 0, 0, 1, 1, 1]), 5, 2);
    const y = ['a', 'a', 'b', 'b', 'b'];
    const model = new KNeighborsClassifier({ nNeighbors: 5, weights: 'distance' }).fit(X, y);
    const q = matrix(Float64Array.from([0, 0]), 1, 2);
    assert.deepEqual(model.predict(q), ['a']);
    assert.deepEqual(Array.from(model.predictProba(q).data), [1, 0]);
    const uniform = new KNeighborsClassifier({ nNeighbors: 5 }).fit(X, y);
    assert.deepEqual(uniform.predict(q), ['b']);
  });

  it('distance weights: a subnormal distance (1/d overflows) counts as an exact match', () => {
    // scikit-learn's _get_weights masks every infinite 1/d, not only d = 0: |0 − 1e-310| gives
    // 1/d = ∞, so that neighbour gets weight 1 and the others 0 (before: NaN probabilities).
    const X = matrix(Float64Array.from([1e-310, 1, 2]), 3, 1);
    const q = matrix(Float64Array.from([0]), 1, 1);
    for (const algorithm of ['brute', 'kd_tree'] as const) {
      const params = { nNeighbors: 3, weights: 'distance', metric: 'manhattan', algorithm } as const;
      const clf = new KNeighborsClassifier(params).fit(X, ['a', 'b', 'b']);
      assert.deepEqual(Array.from(clf.predictProba(q).data), [1, 0]);
      assert.deepEqual(clf.predict(q), ['a']);
      const reg = new KNeighborsRegressor(params).fit(X, [5, 1, 2]);
      assert.deepEqual(Array.from(reg.predict(q)), [5]);
    }
  });

  it('brute force orders tied neighbours as scikit-learn, more queries than training rows or not', () => {
    // scikit-learn 1.2 (one thread): "parallel on Y" (a query's heap pushed again before sorting)
    // only when there are no more query rows than training rows; otherwise "parallel on X".
    const knn = new KNeighborsClassifier({ nNeighbors: 2, algorithm: 'brute', metric: 'manhattan' }).fit(
      [[1], [3]],
      ['a', 'b'],
    );
    const order = (Q: number[][]) => Array.from(knn.kneighbors(Q).indices);
    assert.deepEqual(order([[2]]), [0, 1]);
    assert.deepEqual(order([[5], [2]]), [1, 0, 0, 1]);
    assert.deepEqual(order([[0], [5], [2], [7]]), [0, 1, 1, 0, 1, 0, 1, 0]);
    assert.deepEqual(order([[2], [2], [2]]), [1, 0, 1, 0, 1, 0]);
  });

  it('kneighbors() excludes each training row itself', () => {
    const { X, y } = points(50, 2, 5);
    const model = new KNeighborsClassifier({ nNeighbors: 4 }).fit(X, y);
    const self = model.kneighbors();
    for (let i = 0; i < 50; i++) assert.ok(!Array.from(self.indices.slice(i * 4, i * 4 + 4)).includes(i));
    const direct = model.kneighbors(X, 5);
    for (let i = 0; i < 50; i++) assert.equal(direct.indices[i * 5], i);
  });

  it('brute force and KD-tree agree', () => {
    const { X, y } = points(400, 3, 6);
    const q = points(100, 3, 7).X;
    for (const metric of ['euclidean', 'manhattan'] as const) {
      const brute = new KNeighborsClassifier({ algorithm: 'brute', metric, nNeighbors: 7 }).fit(X, y);
      const tree = new KNeighborsClassifier({ algorithm: 'kd_tree', metric, nNeighbors: 7, leafSize: 8 }).fit(
        X,
        y,
      );
      assert.deepEqual(tree.kneighbors(q).indices, brute.kneighbors(q).indices);
      assert.deepEqual(tree.predict(q), brute.predict(q));
    }
  });

  it('round-trips through toJSON / plain data', () => {
    const { X, y } = points(60, 3, 8);
    const clf = new KNeighborsClassifier({ nNeighbors: 4, weights: 'distance' }).fit(X, y);
    const back = estimatorFromJSON(
      decodePlain(JSON.parse(JSON.stringify(encodePlain(clf.toJSON() as never)))) as never,
    ) as KNeighborsClassifier;
    assert.deepEqual(back.predictProba(X).data, clf.predictProba(X).data);
    const yr = Float64Array.from(y, (v, i) => (v === 'pos' ? 1 : 0) + i / 100);
    const reg = new KNeighborsRegressor({ algorithm: 'kd_tree' }).fit(X, yr);
    const back2 = estimatorFromJSON(
      decodePlain(JSON.parse(JSON.stringify(encodePlain(reg.toJSON() as never)))) as never,
    ) as KNeighborsRegressor;
    assert.deepEqual(back2.predict(X), reg.predict(X));
  });

  it('a brute-force search spread over worker threads gives the same result as one thread', () => {
    const { X, y } = points(5000, 5, 9);
    const q = points(2100, 5, 10).X; // 2100 × 5000 × 5 > 5e7: large enough to use the pool
    const one = new KNeighborsClassifier({ algorithm: 'brute', nNeighbors: 6, nThreads: 1 }).fit(X, y);
    const two = new KNeighborsClassifier({ algorithm: 'brute', nNeighbors: 6, nThreads: 2 }).fit(X, y);
    const a = one.kneighbors(q);
    const b = two.kneighbors(q);
    assert.deepEqual(b.indices, a.indices);
    assert.deepEqual(b.distances, a.distances);
  });
});
