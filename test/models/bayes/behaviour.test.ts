// Naive Bayes: bad input and serialisation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFittedError, ValidationError } from '../../../src/core/errors.ts';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { matrix } from '../../../src/core/matrix.ts';
import { decodePlain, encodePlain } from '../../../src/core/plain.ts';
import { GaussianNB, MultinomialNB } from '../../../src/models/bayes/index.ts';

const X = matrix(Float64Array.from([1, 0, 2, 3, 0, 1, 4, 1, 0, 2, 2, 2, 5, 0, 1, 0, 3, 3]), 6, 3, [
  'a',
  'b',
  'c',
]);
const y = ['x', 'y', 'x', 'y', 'x', 'y'];

describe('naive Bayes rejects bad input with clear errors', () => {
  it('MultinomialNB: negative values name the column and suggest a fix', () => {
    const neg = matrix(X.data.slice(), 6, 3, X.columns);
    neg.data[2 * 3 + 1] = -1;
    assert.throws(
      () => new MultinomialNB().fit(neg, y),
      (e: unknown) =>
        e instanceof ValidationError &&
        /column 'b' has -1 at row 2/.test(e.message) &&
        /GaussianNB/.test(e.message) &&
        e.field === 'b',
    );
  });

  it('NaN, one class, length mismatch, predict before fit, wrong columns', () => {
    const nan = matrix(X.data.slice(), 6, 3, X.columns);
    nan.data[5] = Number.NaN;
    assert.throws(() => new GaussianNB().fit(nan, y), /column 'c' has a missing value \(NaN\) at row 1/);
    assert.throws(() => new GaussianNB().fit(X, new Array(6).fill('x')), /only 1 class/);
    assert.throws(() => new MultinomialNB().fit(X, y.slice(1)), /y has 5 values but X has 6 rows/);
    assert.throws(() => new GaussianNB().predict(X), NotFittedError);
    const m = new GaussianNB().fit(X, y);
    assert.throws(() => m.predict(matrix(X.data, 6, 3, ['a', 'c', 'b'])), /column 1 is 'c', expected 'b'/);
  });

  it('priors of the wrong length or sum', () => {
    assert.throws(
      () => new GaussianNB({ priors: [0.2, 0.3, 0.5] }).fit(X, y),
      /priors has 3 values but y has 2 classes/,
    );
    assert.throws(() => new GaussianNB({ priors: [0.2, 0.3] }).fit(X, y), /priors sum to 0.5/);
    assert.throws(
      () => new MultinomialNB({ classPrior: [1] }).fit(X, y),
      /classPrior has 1 values but y has 2 classes/,
    );
    assert.throws(() => new GaussianNB({ varSmoothing: -1 }).fit(X, y), /parameter 'varSmoothing'/);
  });
});

describe('naive Bayes state', () => {
  it('round-trips through toJSON / plain data', () => {
    for (const model of [new GaussianNB().fit(X, y), new MultinomialNB({ alpha: 0.5 }).fit(X, y)]) {
      const back = estimatorFromJSON(
        decodePlain(JSON.parse(JSON.stringify(encodePlain(model.toJSON() as never)))) as never,
      ) as GaussianNB;
      assert.deepEqual(back.predictProba(X).data, model.predictProba(X).data);
      assert.deepEqual(back.predict(X), model.predict(X));
    }
  });

  it('probabilities sum to one and match the log-probabilities', () => {
    const model = new GaussianNB().fit(X, y);
    const P = model.predictProba(X);
    const L = model.predictLogProba(X);
    for (let i = 0; i < 6; i++) {
      assert.ok(Math.abs(P.data[2 * i] + P.data[2 * i + 1] - 1) < 1e-12);
      assert.ok(Math.abs(Math.log(P.data[2 * i]) - L.data[2 * i]) < 1e-9);
    }
    assert.deepEqual(P.columns, ['x', 'y']);
  });
});

describe('naive Bayes degenerate fits predict as scikit-learn 1.2', () => {
  it('a NaN joint log-likelihood wins the argmax (np.argmax), as scikit-learn predicts', () => {
    // GaussianNB(var_smoothing=0): class 1 has a constant feature, so its log-likelihood is NaN
    // everywhere; scikit-learn predicts [1, 1, 1].
    const Xg = [
      [0, 0],
      [1, 1],
      [3, 5],
      [3, 6],
    ];
    const T = [
      [3, 5],
      [0, 0],
      [0.5, 0.5],
    ];
    const g = new GaussianNB({ varSmoothing: 0 }).fit(Xg, [0, 0, 1, 1]);
    assert.deepEqual([...g.predict(T)], [1, 1, 1]);
    // MultinomialNB(alpha=0, force_alpha=True): 0 · log 0 is NaN; jll rows [-inf, NaN],
    // [NaN, -inf], [-inf, -inf] give [1, 0, 0].
    const m = new MultinomialNB({ alpha: 0, forceAlpha: true }).fit(
      [
        [1, 0],
        [0, 1],
        [2, 0],
      ],
      [0, 1, 0],
    );
    assert.deepEqual(
      [
        ...m.predict([
          [0, 1],
          [1, 0],
          [1, 1],
        ]),
      ],
      [1, 0, 0],
    );
  });

  it('GaussianNB: a class whose weights sum to ~0 keeps mean 0 and variance epsilon', () => {
    const Xg = [
      [0, 0],
      [1, 1],
      [3, 5],
      [3, 6],
    ];
    const g = new GaussianNB().fit(Xg, [0, 0, 1, 1], { sampleWeight: [1e-9, 1e-9, 1, 2] });
    // scikit-learn 1.2: theta_ [[0, 0], [3, 5.666…]], var_ [[6.5e-9, 6.5e-9], …], class_count_ [2e-9, 3].
    assert.deepEqual([...g.theta_![0]], [0, 0]);
    assert.ok(Math.abs(g.var_![0][0] - 6.5e-9) < 1e-20 && Math.abs(g.var_![0][1] - 6.5e-9) < 1e-20);
    assert.ok(Math.abs(g.classCount_![0] - 2e-9) < 1e-20);
    assert.ok(Math.abs(g.classPrior_![0] - 6.666666662222222e-10) < 1e-20);
    assert.deepEqual(
      [
        ...g.predict([
          [3, 5],
          [0, 0],
        ]),
      ],
      [1, 0],
    );
  });
});
