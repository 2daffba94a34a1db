// Histogram gradient boosting (with missing values and categorical splits) exported alone and run
// with onnxruntime-node, against Lathe; and the graph's declared shape, opsets and operators.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Classifier, Estimator } from '../../src/core/estimator.ts';
import { type Matrix, matrix } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { exportOnnxModel } from '../../src/export/index.ts';
import {
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
} from '../../src/models/ensemble/index.ts';
import { LinearRegression, LogisticRegression } from '../../src/models/linear/index.ts';
import { DecisionTreeRegressor } from '../../src/models/tree/index.ts';
import { assertClose, matrixFeeds, session, summarize } from './helpers.ts';
import {
  checkClassifier,
  checkRegressor,
  classTarget,
  features,
  regressionTarget,
  Xtest,
  Xtrain,
} from './model-data.ts';

describe('histogram gradient boosting', () => {
  const Xmiss = features(400, 5, 11, 0.1);
  const XmissTest = features(150, 5, 12, 0.15);

  it('regressor (squared error) with missing values agrees exactly', async () => {
    const y = regressionTarget(Xmiss, 13);
    await checkRegressor(
      new HistGradientBoostingRegressor({ nThreads: 1, maxIter: 40 }).fit(Xmiss, y),
      XmissTest,
      0,
    );
  });

  it('regressor with Poisson and absolute-error losses', async () => {
    const y = Float64Array.from(regressionTarget(Xmiss, 14), (v) => Math.max(0, Math.round(v / 50_000)));
    const pois = new HistGradientBoostingRegressor({ nThreads: 1, loss: 'poisson', maxIter: 30 }).fit(
      Xmiss,
      y,
    );
    await checkRegressor(pois, XmissTest, 1e-12);
    const abs = new HistGradientBoostingRegressor({ nThreads: 1, loss: 'absolute_error', maxIter: 30 }).fit(
      Xmiss,
      y,
    );
    await checkRegressor(abs, XmissTest, 0);
  });

  it('binary and multiclass classifiers with missing values', async () => {
    const yb = classTarget(Xmiss, ['churn', 'stay'], 15);
    await checkClassifier(
      new HistGradientBoostingClassifier({ nThreads: 1, maxIter: 30 }).fit(Xmiss, yb),
      XmissTest,
      1e-12,
      'string',
    );
    const yk = classTarget(Xmiss, ['x', 'y', 'z', 'w'], 16);
    await checkClassifier(
      new HistGradientBoostingClassifier({ nThreads: 1, maxIter: 20 }).fit(Xmiss, yk),
      XmissTest,
      1e-12,
      'string',
      'matrix',
    );
  });

  it('categorical splits: codes, unknown codes, negative and fractional codes, missing', async () => {
    const rng = new Rng(17);
    const n = 500;
    const make = (rows: number, unseen: boolean): Matrix => {
      const data = new Float64Array(rows * 3);
      for (let i = 0; i < rows; i++) {
        data[i * 3] = rng.int(unseen ? 45 : 40); // codes 40..44 unseen in fit
        data[i * 3 + 1] = Math.round(rng.normal(0, 2) * 10) / 10;
        data[i * 3 + 2] = rng.int(5);
        if (rng.random() < 0.05) data[i * 3] = Number.NaN;
      }
      if (unseen) {
        data[0] = -1;
        data[3] = 2.5;
        data[6] = 1e9;
      }
      return matrix(data, rows, 3, ['cat', 'x', 'small']);
    };
    const X = make(n, false);
    const y = Array.from({ length: n }, (_, i) => {
      const c = X.data[i * 3];
      return (Number.isNaN(c) ? 1 : c % 3 === 0 ? 2 : 0) + (X.data[i * 3 + 1] > 0 ? 1 : 0) > 1 ? 'hi' : 'lo';
    });
    const model = new HistGradientBoostingClassifier({
      nThreads: 1,
      maxIter: 25,
      categoricalFeatures: ['cat', 'small'],
    }).fit(X, y);
    assert.ok(model.isCategorical_![0] === 1);
    const Xt = make(200, true);
    await checkClassifier(model, Xt, 1e-12, 'string');
    const yr = Float64Array.from({ length: n }, (_, i) => (y[i] === 'hi' ? 10 : 0) + X.data[i * 3 + 1]);
    const reg = new HistGradientBoostingRegressor({ nThreads: 1, maxIter: 25, categoricalFeatures: [0] }).fit(
      X,
      yr,
    );
    await checkRegressor(reg, Xt, 0);
  });
});

describe('graph shape', () => {
  it('declares ai.onnx 17 and ai.onnx.ml 3, and uses the tree operator for trees only', () => {
    const y = regressionTarget(Xtrain, 18);
    const tree = summarize(exportOnnxModel(new DecisionTreeRegressor({ maxDepth: 3 }).fit(Xtrain, y)).bytes);
    assert.deepEqual(tree.opsets, { '': 17, 'ai.onnx.ml': 3 });
    assert.equal(tree.irVersion, 8);
    assert.equal(tree.producer, 'lathe');
    assert.ok(tree.ops.some((o) => o.opType === 'TreeEnsembleRegressor' && o.domain === 'ai.onnx.ml'));
    const lin = summarize(
      exportOnnxModel(new LinearRegression().fit(Xtrain, y), { inputLayout: 'matrix' }).bytes,
    );
    assert.ok(!lin.ops.some((o) => o.domain === 'ai.onnx.ml'));
    assert.deepEqual(
      lin.inputs.map((i) => [i.name, i.elemType, i.shape]),
      [['X', 11, ['N', 5]]],
    );
    assert.deepEqual(JSON.parse(lin.metadata['lathe.inputs'])[0].columns.length, 5);
  });

  for (const opset of [13, 15, 18, 21]) {
    it(`runs in onnxruntime at ai.onnx opset ${opset}`, async () => {
      const yk = classTarget(Xtrain, ['a', 'b', 'c'], 19);
      const models: Estimator[] = [
        new HistGradientBoostingClassifier({ nThreads: 1, maxIter: 5 }).fit(Xtrain, yk),
        new LogisticRegression({ multiClass: 'ovr' }).fit(Xtrain, yk),
      ];
      for (const m of models) {
        const ex = exportOnnxModel(m, { opset });
        assert.equal(ex.opset['ai.onnx'], opset);
        const out = await (await session(ex.bytes)).run(matrixFeeds(Xtest, ex));
        const c = m as unknown as Classifier;
        assertClose(
          out.probabilities.data as Float64Array,
          c.predictProba(Xtest).data,
          1e-12,
          `opset ${opset}`,
        );
      }
    });
  }
});
