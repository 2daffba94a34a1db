// Linear models: bad input, warnings, serialisation and thread-count independence.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFittedError, ValidationError } from '../../../src/core/errors.ts';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { type MatrixInput, matrix } from '../../../src/core/matrix.ts';
import { decodePlain, encodePlain } from '../../../src/core/plain.ts';
import { Rng } from '../../../src/core/rng.ts';
import { captureWarnings } from '../../../src/core/warnings.ts';
import {
  ElasticNet,
  Lasso,
  LinearRegression,
  LogisticRegression,
  Ridge,
} from '../../../src/models/linear/index.ts';
import { dataset } from './helpers.ts';

function synthetic(n: number, p: number, seed: number) {
  const rng = new Rng(seed);
  const X = new Float64Array(n * p);
  for (let i = 0; i < X.length; i++) X[i] = rng.normal();
  const w = Array.from({ length: p }, () => rng.normal());
  const yCls: number[] = [];
  const yReg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0.2;
    for (let j = 0; j < p; j++) z += w[j] * X[i * p + j];
    yReg[i] = z + 0.1 * rng.normal();
    yCls.push(rng.random() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
  }
  return {
    X: matrix(
      X,
      n,
      p,
      Array.from({ length: p }, (_, j) => `f${j}`),
    ),
    yCls,
    yReg,
  };
}

const regressors = [
  () => new LinearRegression(),
  () => new Ridge(),
  () => new Lasso({ alpha: 0.01 }),
  () => new ElasticNet({ alpha: 0.01 }),
];

describe('linear models reject bad input with clear errors', () => {
  const { X, yCls, yReg } = synthetic(40, 3, 1);
  const withNaN = matrix(X.data.slice(), 40, 3, X.columns);
  withNaN.data[7 * 3 + 2] = Number.NaN;

  it('NaN in X names the column and suggests an imputer', () => {
    for (const make of regressors) {
      assert.throws(
        () => make().fit(withNaN, yReg),
        (e: unknown) => {
          assert.ok(e instanceof ValidationError);
          assert.match(e.message, /column 'f2'/);
          assert.match(e.message, /SimpleImputer/);
          return true;
        },
      );
    }
    assert.throws(() => new LogisticRegression().fit(withNaN, yCls), /column 'f2'.*row 7/s);
    // lbfgs detects it through its first gradient: also when that row has weight 0, or the value is ∞.
    const w0 = Array.from({ length: 40 }, (_, i) => (i === 7 ? 0 : 1));
    assert.throws(() => new LogisticRegression().fit(withNaN, yCls, { sampleWeight: w0 }), /column 'f2'/);
    const withInf = matrix(X.data.slice(), 40, 3, X.columns);
    withInf.data[0] = Number.NEGATIVE_INFINITY;
    assert.throws(
      () => new LogisticRegression({ multiClass: 'multinomial' }).fit(withInf, yCls),
      /column 'f0'.*-Infinity/s,
    );
    assert.throws(() => new LogisticRegression({ penalty: 'l1' }).fit(withInf, yCls), /column 'f0'/);
    const fitted = new LogisticRegression().fit(X, yCls);
    assert.throws(() => fitted.predict(withNaN), /column 'f2'/);
  });

  it('an infinite value is caught at predict even where the coefficient is exactly zero', () => {
    const lasso = new Lasso({ alpha: 10 }).fit(X, yReg); // strong enough to zero every coefficient
    assert.ok(lasso.coef_!.every((c) => c === 0));
    const inf = matrix(X.data.slice(), 40, 3, X.columns);
    inf.data[3 * 3 + 1] = Number.POSITIVE_INFINITY;
    assert.throws(() => lasso.predict(inf), /column 'f1' has an infinite value \(Infinity\) at row 3/);
    const clf = new LogisticRegression().fit(X, yCls);
    assert.throws(() => clf.predictProba(inf), /column 'f1' has an infinite value/);
  });

  it('predict before fit is a NotFittedError', () => {
    for (const make of regressors) assert.throws(() => make().predict(X), NotFittedError);
    assert.throws(() => new LogisticRegression().predictProba(X), NotFittedError);
    assert.throws(() => new LogisticRegression().decisionFunction(X), NotFittedError);
  });

  it('wrong number or names of columns', () => {
    const model = new Ridge().fit(X, yReg);
    const narrow = matrix(new Float64Array(40 * 2), 40, 2, ['f0', 'f1']);
    assert.throws(
      () => model.predict(narrow),
      /X has 2 columns, but the model was fitted on 3 \(f0, f1, f2\): X lacks 'f2'\./,
    );
    const wide = matrix(new Float64Array(40 * 4), 40, 4, ['f0', 'f9', 'f1', 'g']);
    assert.throws(
      () => model.predict(wide),
      /on 3 \(f0, f1, f2\): X lacks 'f2'; 'f9', 'g' were not seen in fit\./,
    );
    const unnamed = matrix(new Float64Array(40 * 2), 40, 2);
    assert.throws(
      () => model.predict(unnamed),
      /X has 2 columns, but the model was fitted on 3 \(f0, f1, f2\)\. Fix/,
    );
    const renamed = matrix(X.data, 40, 3, ['f0', 'f1', 'other']);
    assert.throws(() => model.predict(renamed), /column 2 is 'other', expected 'f2'/);
    const clf = new LogisticRegression().fit(X, yCls);
    assert.throws(() => clf.predict(renamed), ValidationError);
  });

  it('a target with one class', () => {
    assert.throws(
      () => new LogisticRegression().fit(X, new Array(40).fill('a')),
      /y has only 1 class \(a\); at least 2 are needed/,
    );
  });

  it('y length mismatch', () => {
    assert.throws(
      () => new LinearRegression().fit(X, yReg.slice(0, 39)),
      /y has 39 values but X has 40 rows/,
    );
    assert.throws(() => new LogisticRegression().fit(X, yCls.slice(1)), /y has 39 values but X has 40 rows/);
  });

  it('non-numeric data', () => {
    const rows = [
      [1, 2],
      [3, 'x' as unknown as number],
    ];
    assert.throws(() => new LinearRegression().fit(rows, [1, 2]), /row 1, column 1 is string/);
    assert.throws(
      () => new Ridge().fit(X, Array.from(yReg, (v, i) => (i === 3 ? 'high' : v)) as never),
      /y\[3\] is "high"/,
    );
  });

  it('invalid parameters', () => {
    assert.throws(
      () => new LogisticRegression({ C: 0 }).fit(X, yCls),
      /parameter 'C' must be a number > 0; got 0/,
    );
    assert.throws(() => new Lasso({ alpha: -1 }).fit(X, yReg), /parameter 'alpha'/);
    assert.throws(
      () => new LogisticRegression({ penalty: 'elasticnet' }).fit(X, yCls),
      /penalty 'elasticnet' needs l1Ratio/,
    );
    assert.throws(
      () => new LogisticRegression({ penalty: 'l1', solver: 'lbfgs' }).fit(X, yCls),
      /solver 'lbfgs' supports only penalty 'l2' or 'none'/,
    );
    assert.throws(
      () => new LogisticRegression({ classWeight: { 7: 2 } }).fit(X, yCls),
      /classWeight names class '7'/,
    );
    assert.throws(
      () => new Ridge({ solver: 'qr' as never }).fit(X, yReg),
      /parameter 'solver' must be one of/,
    );
  });

  it('bad sample weights', () => {
    assert.throws(() => new Ridge().fit(X, yReg, { sampleWeight: [1, 2] }), /sampleWeight has 2 values/);
    const w = new Array(40).fill(1);
    w[5] = -1;
    assert.throws(
      () => new LogisticRegression().fit(X, yCls, { sampleWeight: w }),
      /sampleWeight\[5\] is -1/,
    );
  });
});

describe('linear models: warnings and state', () => {
  const { X, yCls, yReg } = synthetic(200, 4, 2);

  it('warns (ConvergenceWarning) when lbfgs or coordinate descent stop at maxIter', () => {
    const a = captureWarnings(() => new LogisticRegression({ maxIter: 2 }).fit(X, yCls));
    assert.ok(
      a.warnings.some(
        (w) => w.category === 'ConvergenceWarning' && /lbfgs failed to converge/.test(w.message),
      ),
    );
    assert.equal(a.result.nIter_![0], 2);
    const b = captureWarnings(() => new Lasso({ alpha: 1e-4, maxIter: 1, tol: 1e-12 }).fit(X, yReg));
    assert.ok(b.warnings.some((w) => w.category === 'ConvergenceWarning' && /duality gap/.test(w.message)));
    const c = captureWarnings(() => new LogisticRegression().fit(X, yCls));
    assert.equal(c.warnings.length, 0);
  });

  it('Ridge warns, as scikit-learn 1.2, when the kernel form is singular and falls back to SVD', () => {
    // scikit-learn: coef_ [0.17647…, −0.11764…, −0.11764…], intercept_ 1.41176…, and a UserWarning
    // "Singular matrix in solving dual problem. Using least-squares solution instead."
    const w = captureWarnings(() =>
      new Ridge({ alpha: 0 }).fit(
        [
          [1, 2, 3],
          [4, 0, 1],
        ],
        [1, 2],
      ),
    );
    assert.deepEqual(
      w.warnings.map((x) => x.category),
      ['UserWarning'],
    );
    assert.match(w.warnings[0].message, /singular matrix in solving the dual problem/);
    const coef = Array.from(w.result.coef_!);
    [0.1764705882352941, -0.11764705882352941, -0.11764705882352941].forEach((v, j) =>
      assert.ok(Math.abs(coef[j] - v) < 1e-12),
    );
    assert.ok(Math.abs(w.result.intercept_! - 1.411764705882353) < 1e-12);
    // A singular system of the normal equations falls back without a warning (as scikit-learn).
    const primal = captureWarnings(() =>
      new Ridge({ alpha: 0, fitIntercept: false }).fit(
        [
          [1, 2],
          [2, 4],
          [3, 6],
        ],
        [1, 2, 3],
      ),
    );
    assert.equal(primal.warnings.length, 0);
  });

  it('round-trips through toJSON / plain data with identical predictions', () => {
    const models = [
      new LinearRegression().fit(X, yReg),
      new Ridge({ alpha: 2 }).fit(X, yReg),
      new ElasticNet({ alpha: 0.05 }).fit(X, yReg),
      new LogisticRegression({ penalty: 'l1', C: 0.5 }).fit(X, yCls),
    ];
    for (const m of models) {
      const json = JSON.parse(JSON.stringify(encodePlain(m.toJSON() as never)));
      const back = estimatorFromJSON(decodePlain(json) as never) as typeof m;
      assert.deepEqual(back.predict(X), m.predict(X), m.typeName);
    }
    const clf = new LogisticRegression({ multiClass: 'multinomial' }).fit(X, yCls);
    const back = estimatorFromJSON(
      decodePlain(JSON.parse(JSON.stringify(encodePlain(clf.toJSON() as never)))) as never,
    ) as LogisticRegression;
    assert.deepEqual(back.predictProba(X).data, clf.predictProba(X).data);
  });

  it('collinear columns give the minimum-norm solution and a reduced rank', () => {
    const { X: C, y } = dataset('collinear');
    const ols = new LinearRegression().fit(C, y);
    assert.equal(ols.rank_, 3);
    // The duplicated column shares its coefficient equally with the original.
    assert.ok(Math.abs(ols.coef_![0] - ols.coef_![3]) < 1e-9);
  });
});

describe('constant columns', () => {
  const y = [0.29, 1.08, -1.02, -0.28, 0.5, 0.7, -0.3, 1.1, 0.2, 0.4];
  const meanY = y.reduce((a, b) => a + b, 0) / y.length;
  it('a design of constant columns (0.1 does not sum exactly) fits no slope: rank 0, intercept mean(y)', () => {
    for (const n of [3, 8, 10]) {
      const X = Array.from({ length: n }, () => [0.1, -7.3]);
      const yn = y.slice(0, n);
      const mean = yn.reduce((a, b) => a + b, 0) / n;
      const ols = new LinearRegression().fit(X, yn);
      assert.equal(ols.rank_, 0, `n=${n}`);
      for (const m of [ols, ...regressors.slice(1).map((make) => make().fit(X, yn))]) {
        assert.deepEqual(Array.from(m.coef_!), [0, 0], `${m.typeName} n=${n}`);
        assert.ok(Math.abs(m.predict([[1.1, 2]])[0] - mean) < 1e-12, `${m.typeName} n=${n}`);
      }
    }
  });
  it('a constant column beside a real one gets coefficient 0 and leaves the other as without it', () => {
    const x = [1.5, -0.2, 0.3, 2.2, -1.1, 0.9, 0.05, -0.7, 1.3, 0.4];
    const withConst = new LinearRegression().fit(
      x.map((v) => [0.1, v]),
      y,
    );
    const alone = new LinearRegression().fit(
      x.map((v) => [v]),
      y,
    );
    assert.equal(withConst.rank_, 1);
    assert.equal(withConst.coef_![0], 0);
    assert.ok(Math.abs(withConst.coef_![1] - alone.coef_![0]) < 1e-12);
    assert.ok(Math.abs(withConst.intercept_! - alone.intercept_!) < 1e-12);
    const meanX = x.reduce((a, b) => a + b, 0) / x.length;
    assert.ok(Math.abs(alone.intercept_! + alone.coef_![0] * meanX - meanY) < 1e-9);
  });
});

describe('binary multinomial LogisticRegression with an L1 penalty', () => {
  // With two classes and pure L1, the multinomial objective in the logit difference d = w₁ − w₀ is
  // the binary (one-vs-rest) objective: |w₀| + |w₁| = |d| at the best split. So the probabilities
  // are one-vs-rest's, and coef_ (scikit-learn's row 1 of the symmetric form) is d / 2.
  const cases = [
    {
      X: [
        [1, 1, 1],
        [0.4372614894822573, 2.4087846924805225, -1.8033757879806236],
      ],
      y: [0, 1],
      C: 1,
    },
    ...[
      [120, 5, 7, 0.05],
      [120, 5, 8, 0.5],
      [200, 4, 9, 10],
    ].map(([n, p, seed, C]) => {
      const s = synthetic(n, p, seed);
      return { X: s.X as MatrixInput, y: s.yCls, C };
    }),
  ];
  it('predicts the one-vs-rest probabilities, with coef_ half of its', () => {
    for (const [i, { X, y, C }] of cases.entries()) {
      const fit = (multiClass: 'multinomial' | 'ovr') =>
        new LogisticRegression({ penalty: 'l1', C, multiClass, tol: 1e-10, maxIter: 1000 }).fit(X, y);
      const multi = fit('multinomial');
      const ovr = fit('ovr');
      const pm = multi.predictProba(X).data;
      const po = ovr.predictProba(X).data;
      for (let k = 0; k < pm.length; k++)
        assert.ok(Math.abs(pm[k] - po[k]) < 1e-6, `case ${i}: ${pm[k]} vs ${po[k]}`);
      for (let j = 0; j < ovr.coef_![0].length; j++) {
        assert.ok(Math.abs(multi.coef_![0][j] - ovr.coef_![0][j] / 2) < 1e-6, `case ${i} coef ${j}`);
      }
      assert.ok(Math.abs(multi.intercept_![0] - ovr.intercept_![0] / 2) < 1e-6, `case ${i} intercept`);
    }
  });
});

describe('fast numeric label encoding', () => {
  it('gives the same codes and classes as core encodeLabels', async () => {
    const { encodeLabels } = await import('../../../src/core/labels.ts');
    const { encodeNumericLabels } = await import('../../../src/core/labels.ts');
    const rng = new Rng(11);
    const inputs: ArrayLike<number>[] = [
      Float64Array.from({ length: 500 }, () => rng.int(3)),
      Array.from({ length: 300 }, () => [5, -2, 0.5, 10][rng.int(4)]),
      Int32Array.from({ length: 200 }, (_, i) => (i * 7) % 5),
    ];
    for (const y of inputs) {
      const fast = encodeNumericLabels(y, y.length);
      assert.ok(fast);
      assert.deepEqual(fast, encodeLabels(y, y.length, 'test'));
    }
    assert.equal(encodeNumericLabels(['a', 'b'], 2), null);
    assert.equal(encodeNumericLabels([1, Number.NaN], 2), null);
  });
});
