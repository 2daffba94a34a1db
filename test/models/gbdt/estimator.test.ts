// HistGradientBoostingClassifier / Regressor: determinism across threads and kernels, model
// package round trip, early stopping, importances, weights, missing values, and bad input.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ValidationError } from '../../../src/core/errors.ts';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { matrix } from '../../../src/core/matrix.ts';
import { decodePlain, encodePlain, type PlainValue } from '../../../src/core/plain.ts';
import { sharedPool } from '../../../src/core/pool.ts';
import { Rng } from '../../../src/core/rng.ts';
import { captureWarnings } from '../../../src/core/warnings.ts';
import {
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
  hgbShouldStop,
} from '../../../src/models/ensemble/hist-gradient-boosting/index.ts';
import { wasmAvailable } from '../../../src/models/ensemble/hist-gradient-boosting/kernels.ts';
import {
  predictRawRange,
  type TreeEnsemble,
} from '../../../src/models/ensemble/hist-gradient-boosting/predictor.ts';
import { packEnsemble } from '../../../src/models/ensemble/hist-gradient-boosting/wasm-predictor.ts';
import { dataset, split } from './datasets.ts';

after(() => sharedPool(2).close());

function bytesOf(est: { toJSON(): { state: unknown } }): string {
  return JSON.stringify(encodePlain(est.toJSON().state as PlainValue));
}

function synth(n: number, d: number, seed = 1) {
  const rng = new Rng(seed);
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = rng.normal();
      X[i * d + j] = v;
      if (j < 3) s += v * (j + 1);
    }
    y[i] = s + rng.normal() > 0 ? 1 : 0;
  }
  return { X: matrix(X, n, d), y };
}

describe('determinism', () => {
  it('the same model, byte for byte, on 1 and 2 threads (parallel gather, histograms, partition)', () => {
    // Large enough for the parallel paths (PARALLEL_MIN_UPDATES, PARALLEL_MIN_ROWS_PARTITION).
    const { X, y } = synth(70000, 5);
    const params = { maxIter: 3, earlyStopping: false } as const;
    const a = new HistGradientBoostingClassifier({ ...params, nThreads: 1 }).fit(X, y);
    const b = new HistGradientBoostingClassifier({ ...params, nThreads: 2 }).fit(X, y);
    assert.equal(bytesOf(a), bytesOf(b));
    assert.deepEqual(a.predictProba(X).data, b.predictProba(X).data);
  });

  it('the same model with the WebAssembly and the TypeScript kernels', { skip: !wasmAvailable() }, () => {
    const { Xtr: X, ytr: y } = split(dataset('missing'));
    const fit = (kind: string) => {
      process.env.LATHE_GBDT_KERNEL = kind;
      try {
        return bytesOf(new HistGradientBoostingClassifier({ maxIter: 20, earlyStopping: false }).fit(X, y));
      } finally {
        delete process.env.LATHE_GBDT_KERNEL;
      }
    };
    assert.equal(fit('wasm'), fit('ts'));
  });

  it('the WebAssembly prediction kernel gives the bits of the TypeScript walk (categorical, missing)', {
    skip: !wasmAvailable(),
  }, () => {
    const { Xtr, ytr, Xte } = split(dataset('highcard'));
    for (let i = 0; i < Xte.rows; i += 7) Xte.data[i * 6 + (i % 6)] = Number.NaN;
    Xte.data[6 * 5 + 2] = 10_000; // an unknown category
    const clf = captureWarnings(() =>
      new HistGradientBoostingClassifier({ categoricalFeatures: [2, 4], maxIter: 15 }).fit(Xtr, ytr),
    ).result;
    const e = (clf as unknown as { model_: { ensemble: TreeEnsemble } }).model_.ensemble;
    const viaWasm = predictRawRange(e, packEnsemble(e), Xte.data, 6, 0, Xte.rows);
    const viaTs = predictRawRange(e, null, Xte.data, 6, 0, Xte.rows);
    assert.deepEqual(viaWasm, viaTs);
    // A numeric-only model (the kernel without bitsets), with 20 % missing values.
    const m = split(dataset('missing'));
    const reg = new HistGradientBoostingRegressor({ maxIter: 15 }).fit(m.Xtr, m.ytr);
    const en = (reg as unknown as { model_: { ensemble: TreeEnsemble } }).model_.ensemble;
    assert.deepEqual(
      predictRawRange(en, packEnsemble(en), m.Xte.data, 10, 0, m.Xte.rows),
      predictRawRange(en, null, m.Xte.data, 10, 0, m.Xte.rows),
    );
  });

  it('the same predictions for a large batch on 1 and 2 threads (rows split over the pool)', () => {
    const { X, y } = synth(1000, 4);
    const big = synth(140_000, 4, 9).X;
    const p = { maxIter: 15 } as const;
    const one = new HistGradientBoostingRegressor({ ...p, nThreads: 1 }).fit(X, y).predict(big);
    const two = new HistGradientBoostingRegressor({ ...p, nThreads: 2 }).fit(X, y).predict(big);
    assert.deepEqual(one, two);
  });

  it('the same model for the same seed, with early stopping on a validation fraction', () => {
    const { X, y } = synth(2000, 5);
    const p = { earlyStopping: true, seed: 7, maxIter: 30 } as const;
    assert.equal(
      bytesOf(new HistGradientBoostingClassifier(p).fit(X, y)),
      bytesOf(new HistGradientBoostingClassifier(p).fit(X, y)),
    );
  });
});

describe('model package', () => {
  it('round-trips through plain data (with categorical splits and missing values)', () => {
    const ds = dataset('highcard');
    const { Xtr, ytr, Xte } = split(ds);
    // Missing values in a categorical and a numeric column.
    for (let i = 0; i < Xtr.rows; i += 13) Xtr.data[i * 6 + 2] = Number.NaN;
    for (let i = 0; i < Xtr.rows; i += 17) Xtr.data[i * 6] = Number.NaN;
    const clf = captureWarnings(() =>
      new HistGradientBoostingClassifier({
        categoricalFeatures: [2, 4],
        maxIter: 20,
        earlyStopping: false,
      }).fit(Xtr, ytr),
    ).result;
    const json = JSON.parse(JSON.stringify(encodePlain(clf.toJSON() as unknown as PlainValue)));
    const back = estimatorFromJSON<HistGradientBoostingClassifier>(decodePlain(json) as never);
    assert.deepEqual(back.predictProba(Xte).data, clf.predictProba(Xte).data);
    assert.deepEqual(back.featureImportances_, clf.featureImportances_);
    assert.equal(back.nIter_, 20);
  });

  it('refuses a damaged tree', () => {
    const { X, y } = synth(300, 3);
    const json = new HistGradientBoostingRegressor({ maxIter: 3 }).fit(X, y).toJSON();
    const state = json.state as { ensemble: { left: Int32Array } };
    state.ensemble.left[0] = 10_000;
    assert.throws(() => estimatorFromJSON(json), /malformed/);
  });
});

describe('early stopping', () => {
  it('stops when the validation loss has not improved for nIterNoChange iterations and records scores', () => {
    const { X, y } = synth(3000, 5, 3);
    const clf = new HistGradientBoostingClassifier({
      earlyStopping: true,
      nIterNoChange: 3,
      maxIter: 500,
      learningRate: 0.5,
    }).fit(X, y);
    assert.ok(clf.nIter_! < 500);
    assert.equal(clf.trainScore_!.length, clf.nIter_! + 1);
    assert.equal(clf.validationScore_!.length, clf.nIter_! + 1);
    assert.ok(hgbShouldStop([...clf.validationScore_!], 3, 1e-7));
    assert.ok(!hgbShouldStop([...clf.validationScore_!].slice(0, -1), 3, 1e-7));
  });

  it("'auto' is off for 10 000 rows or fewer; no scores are recorded then", () => {
    const { X, y } = synth(500, 3);
    const clf = new HistGradientBoostingClassifier({ maxIter: 5 }).fit(X, y);
    assert.equal(clf.doEarlyStopping_, false);
    assert.equal(clf.trainScore_!.length, 0);
  });

  it('uses a given validation set, and the estimator score when scoring is null', () => {
    const { X, y } = synth(1500, 4, 5);
    const v = synth(500, 4, 6);
    const reg = new HistGradientBoostingRegressor({ scoring: null, maxIter: 40, nIterNoChange: 5 }).fit(
      X,
      y,
      {
        validationSet: { X: v.X, y: v.y },
      },
    );
    assert.equal(reg.doEarlyStopping_, true);
    assert.equal(reg.validationScore_!.length, reg.nIter_! + 1);
    assert.ok(Math.abs(reg.validationScore_![reg.nIter_!] - reg.score(v.X, v.y)) < 1e-9);
  });

  it('scores a weighted regression with the weighted R² when scoring is null (as scikit-learn)', () => {
    const { X, y } = synth(600, 4, 5);
    const v = synth(300, 4, 6);
    const vw = Float64Array.from({ length: 300 }, (_, i) => [0, 0.5, 3][i % 3]);
    const p = { scoring: null, maxIter: 5, nIterNoChange: 10 } as const;
    const reg = new HistGradientBoostingRegressor(p).fit(X, y, {
      validationSet: { X: v.X, y: v.y, sampleWeight: vw },
    });
    const pred = reg.predict(v.X);
    const yv = v.y;
    let sw = 0;
    let mean = 0;
    for (let i = 0; i < 300; i++) {
      sw += vw[i];
      mean += vw[i] * yv[i];
    }
    mean /= sw;
    let res = 0;
    let tot = 0;
    for (let i = 0; i < 300; i++) {
      res += vw[i] * (yv[i] - pred[i]) ** 2;
      tot += vw[i] * (yv[i] - mean) ** 2;
    }
    assert.ok(Math.abs(reg.validationScore_![reg.nIter_!] - (1 - res / tot)) < 1e-12);
  });

  it('shouldStop compares the last scores with the one before them, plus tol', () => {
    assert.equal(hgbShouldStop([1, 2, 3], 2, 0), false);
    assert.equal(hgbShouldStop([3, 3, 3], 2, 0), true);
    assert.equal(hgbShouldStop([3, 3, 3.5], 2, 1), true);
    assert.equal(hgbShouldStop([3, 3], 2, 0), false);
  });
});

describe('importances, weights and missing values', () => {
  it('gain importances sum to 1, rank the informative features, and split counts count the splits', () => {
    const { X, y } = synth(2000, 6);
    const clf = new HistGradientBoostingClassifier({ maxIter: 20 }).fit(X, y);
    const imp = clf.featureImportances_!;
    assert.ok(Math.abs(imp.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.ok(imp[2] > imp[1] && imp[1] > imp[3]);
    const counts = clf.featureSplitCounts_!;
    const json = clf.toJSON().state as { ensemble: { feature: Int32Array } };
    const internal = json.ensemble.feature.filter((f) => f >= 0).length;
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      internal,
    );
  });

  it('a weight of 2 equals duplicating the row', () => {
    // Fewer distinct values than bins, so that duplicates do not move the bin edges.
    const { X, y } = synth(200, 3);
    const w = new Float64Array(200).map((_, i) => (i % 4 === 0 ? 2 : 1));
    const rows: number[] = [];
    for (let i = 0; i < 200; i++) {
      rows.push(i);
      if (i % 4 === 0) rows.push(i);
    }
    const Xd = matrix(
      Float64Array.from(rows.flatMap((i) => [...X.data.subarray(i * 3, i * 3 + 3)])),
      rows.length,
      3,
    );
    const yd = Float64Array.from(rows.map((i) => y[i]));
    const p = { maxIter: 10, minSamplesLeaf: 1 } as const;
    const a = new HistGradientBoostingRegressor(p).fit(X, y, { sampleWeight: w }).predict(X);
    const b = new HistGradientBoostingRegressor(p).fit(Xd, yd).predict(X);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-9);
  });

  it("class weights { label: weight } equal the same per-row sample weights; 'balanced' uses n / (k · count)", () => {
    const { X, y } = synth(300, 3, 5);
    const p = { maxIter: 10, minSamplesLeaf: 5 } as const;
    const byClass = new HistGradientBoostingClassifier({ ...p, classWeight: { '0': 3, '1': 0.5 } })
      .fit(X, y)
      .predictProba(X);
    const byRow = new HistGradientBoostingClassifier(p)
      .fit(X, y, { sampleWeight: y.map((v) => (v === 0 ? 3 : 0.5)) })
      .predictProba(X);
    assert.deepEqual([...byClass.data], [...byRow.data]);
    const n1 = y.reduce((a, v) => a + v, 0);
    const balanced = new HistGradientBoostingClassifier({ ...p, classWeight: 'balanced' })
      .fit(X, y)
      .predictProba(X);
    const manual = new HistGradientBoostingClassifier(p)
      .fit(X, y, { sampleWeight: y.map((v) => (v === 1 ? 300 / (2 * n1) : 300 / (2 * (300 - n1)))) })
      .predictProba(X);
    assert.deepEqual([...balanced.data], [...manual.data]);
    // A weighted model differs from the unweighted one.
    const plain = new HistGradientBoostingClassifier(p).fit(X, y).predictProba(X);
    assert.notDeepEqual([...plain.data], [...byClass.data]);
  });

  it('missing values at predict time in a feature that had none follow the larger child', () => {
    const n = 200;
    const X = matrix(
      Float64Array.from({ length: n }, (_, i) => i),
      n,
      1,
    );
    const y = Float64Array.from({ length: n }, (_, i) => (i < 150 ? 0 : 10));
    const reg = new HistGradientBoostingRegressor({ maxIter: 1, learningRate: 1, maxLeafNodes: 2 }).fit(X, y);
    const [pNaN] = reg.predict([[Number.NaN]]);
    const [pLow] = reg.predict([[0]]);
    assert.equal(pNaN, pLow);
  });

  it('learns where missing values go instead of imputing them', () => {
    const n = 600;
    const rng = new Rng(2);
    const data = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const miss = i % 3 === 0;
      data[i] = miss ? Number.NaN : rng.normal();
      y[i] = miss ? 5 : data[i] > 0 ? 1 : -1;
    }
    const reg = new HistGradientBoostingRegressor({ maxIter: 50 }).fit(matrix(data, n, 1), y);
    const [pm, pp, pn] = reg.predict([[Number.NaN], [1], [-1]]);
    assert.ok(Math.abs(pm - 5) < 0.05 && Math.abs(pp - 1) < 0.05 && Math.abs(pn + 1) < 0.05);
  });
});

describe('bad input', () => {
  const { X, y } = synth(200, 3);

  it('names an invalid parameter and its range', () => {
    assert.throws(() => new HistGradientBoostingClassifier({ learningRate: -1 }).fit(X, y), {
      name: 'ValidationError',
      message: /learningRate' must be a number > 0; got -1/,
    });
    assert.throws(
      () => new HistGradientBoostingRegressor({ maxLeafNodes: 1 }).fit(X, y),
      /maxLeafNodes' must be/,
    );
  });

  it('refuses more than 255 bins, saying why once (the fix does not repeat it)', () => {
    assert.throws(
      () => new HistGradientBoostingClassifier({ maxBins: 300 }).fit(X, y),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.match(
          e.message,
          /maxBins' must be an integer ≥ 2 and ≤ 255 \(each value is stored in one byte/,
        );
        assert.equal(e.fix, 'pass maxBins as an integer ≥ 2 and ≤ 255 (default 255)');
        assert.equal(e.expected, 'an integer ≥ 2 and ≤ 255');
        return true;
      },
    );
  });

  it('warns and lumps rare categories when a categorical column exceeds maxCategories', () => {
    const n = 400;
    const data = new Float64Array(n * 2);
    const yy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      data[2 * i] = i % 40;
      data[2 * i + 1] = (i * 7) % 13;
      yy[i] = (i % 40) % 2;
    }
    const { result, warnings } = captureWarnings(() =>
      new HistGradientBoostingClassifier({ categoricalFeatures: [0], maxCategories: 10, maxIter: 5 }).fit(
        matrix(data, n, 2),
        yy,
      ),
    );
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0].message,
      /'x0' has 40 categories, more than maxCategories = 10; the 9 most frequent/,
    );
    assert.ok(result.isFitted());
  });

  it('refuses maxCategories above maxBins, non-integer categories and unknown categorical names', () => {
    assert.throws(
      () => new HistGradientBoostingClassifier({ maxBins: 50, maxCategories: 100 }).fit(X, y),
      /maxCategories \(100\) cannot exceed maxBins \(50\)/,
    );
    assert.throws(
      () => new HistGradientBoostingClassifier({ categoricalFeatures: [0] }).fit(X, y),
      /categorical feature 'x0' has the value .* non-negative integer codes/,
    );
    assert.throws(
      () => new HistGradientBoostingClassifier({ categoricalFeatures: ['nope'] }).fit(X, y),
      /names column 'nope', which is not in X/,
    );
    assert.throws(
      () => new HistGradientBoostingClassifier({ categoricalFeatures: [true] }).fit(X, y),
      /boolean mask has 1 entries, but X has 3 columns/,
    );
  });

  it('an all-missing column is never split on', () => {
    const data = X.data.slice();
    for (let i = 0; i < 200; i++) data[i * 3 + 1] = Number.NaN;
    const clf = new HistGradientBoostingClassifier({ maxIter: 10 }).fit(matrix(data, 200, 3), y);
    assert.equal(clf.featureSplitCounts_![1], 0);
    assert.equal(clf.featureImportances_![1], 0);
  });

  it('a constant target gives a constant model with no splits', () => {
    const reg = new HistGradientBoostingRegressor({ maxIter: 5 }).fit(X, new Float64Array(200).fill(3.5));
    assert.deepEqual([...reg.predict(X).slice(0, 3)], [3.5, 3.5, 3.5]);
    assert.equal(
      reg.featureSplitCounts_!.reduce((a, b) => a + b, 0),
      0,
    );
    assert.throws(
      () => new HistGradientBoostingClassifier().fit(X, new Float64Array(200).fill(1)),
      /only 1 class .* at least 2 are needed/,
    );
  });

  it('refuses negative targets for the Poisson loss', () => {
    assert.throws(
      () => new HistGradientBoostingRegressor({ loss: 'poisson' }).fit(X, new Float64Array(200).fill(-1)),
      /loss 'poisson' needs y ≥ 0; y\[0\] = -1/,
    );
  });

  it('names the validation set’s fields (not the training data’s) in its errors, with a fix', () => {
    const clf = () => new HistGradientBoostingClassifier({ maxIter: 2 });
    assert.throws(() => clf().fit(X, y, { validationSet: { X, y: new Float64Array(200).fill(5) } }), {
      name: 'ValidationError',
      field: 'validationSet.y',
      message: /validationSet\.y\[0\] = 5 is not one of the classes seen in fit/,
      fix: /./,
    });
    assert.throws(
      () =>
        clf().fit(X, y, { validationSet: { X, y, sampleWeight: new Float64Array(200).fill(Number.NaN) } }),
      { field: 'validationSet.sampleWeight', message: /validationSet\.sampleWeight\[0\] is NaN/ },
    );
    assert.throws(
      () =>
        new HistGradientBoostingRegressor({ maxIter: 2 }).fit(X, y, {
          validationSet: { X, y, sampleWeight: [1, 2] },
        }),
      {
        field: 'validationSet.sampleWeight',
        message: /validationSet\.sampleWeight has 2 values but validationSet\.X has 200 rows/,
      },
    );
    assert.throws(
      () =>
        new HistGradientBoostingRegressor({ maxIter: 2 }).fit(X, y, {
          validationSet: { X, y, sampleWeight: new Float64Array(200) },
        }),
      { field: 'validationSet.sampleWeight', message: /every validationSet\.sampleWeight is 0/ },
    );
  });

  it('checks the columns at predict time', () => {
    const clf = new HistGradientBoostingClassifier({ maxIter: 2 }).fit(X, y);
    assert.throws(() => clf.predict([[1, 2]]), /X has 2 columns, but the model was fitted on 3/);
  });
});
