import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { fromRows, type Matrix } from '../../src/core/matrix.ts';
import { ThreadExecutor } from '../../src/core/pool.ts';
import { captureWarnings } from '../../src/core/warnings.ts';
import { categoricalColumn, numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { LogisticRegression, Ridge } from '../../src/models/linear/index.ts';
import { KNeighborsClassifier } from '../../src/models/neighbors/index.ts';
import { ColumnTransformer } from '../../src/preprocess/column-transformer.ts';
import { OneHotEncoder } from '../../src/preprocess/one-hot-encoder.ts';
import { Pipeline } from '../../src/preprocess/pipeline.ts';
import { crossValidate, crossValPredict, crossValScore } from '../../src/select/cross-validate.ts';
import { makeScorer, SCORER_NAMES } from '../../src/select/scoring.ts';
import { KFold, StratifiedKFold } from '../../src/select/splitters.ts';

type Scores = Record<string, (number | string)[]>;
const fx = JSON.parse(readFileSync(new URL('../fixtures/select/cv.json', import.meta.url), 'utf8'));
const num = (v: number | string) => (typeof v === 'string' ? Number(v) : v);
const reg = { X: fromRows(fx.data.regression.X), y: Float64Array.from(fx.data.regression.y) };
const multi = { X: fromRows(fx.data.multiclass.X), y: fx.data.multiclass.y as number[] };
const bin = { X: fromRows(fx.data.binary.X), y: fx.data.binary.y as number[] };

function close(
  actual: ArrayLike<number>,
  expected: ArrayLike<number | string>,
  tol: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const e = num(expected[i]);
    const a = actual[i];
    if (Number.isNaN(e)) assert.ok(Number.isNaN(a), `${what}[${i}]: expected NaN, got ${a}`);
    else assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${what}[${i}]: ${a} vs ${e}`);
  }
}

function compare(
  r: ReturnType<typeof crossValidate>,
  expected: { test: Scores; train: Scores },
  tol: number,
): void {
  for (const [name, values] of Object.entries(expected.test))
    close(r.testScores[name], values, tol, `test ${name}`);
  for (const [name, values] of Object.entries(expected.train))
    close(r.trainScores![name], values, tol, `train ${name}`);
}

const pool = new ThreadExecutor(2);
after(() => pool.close());

describe('crossValidate matches scikit-learn cross_validate', () => {
  it('Ridge with every regression scorer (KFold 5, train scores too)', () => {
    const scoring = Object.keys(fx.ridge.test);
    const r = crossValidate(new Ridge({ alpha: 1 }), reg.X, reg.y, {
      cv: new KFold({ nSplits: 5 }),
      scoring,
      returnTrainScore: true,
      nThreads: 1,
    });
    compare(r, fx.ridge, 1e-9);
    assert.equal(r.fitTime.length, 5);
    assert.deepEqual(r.errors, [null, null, null, null, null]);
  });

  it('k-NN with multiclass scorers, including probabilities (neg_log_loss, roc_auc_ovr/ovo)', () => {
    const scoring = Object.keys(fx.knn.test);
    const r = crossValidate(new KNeighborsClassifier({ nNeighbors: 5 }), multi.X, multi.y, {
      cv: 3,
      scoring,
      returnTrainScore: true,
      nThreads: 1,
    });
    compare(r, fx.knn, 1e-10);
  });

  it('logistic regression with binary scorers; string labels score as their 0/1 codes', () => {
    const scoring = Object.keys(fx.logistic.test);
    const opts = { cv: new StratifiedKFold({ nSplits: 4 }), scoring, returnTrainScore: true, nThreads: 1 };
    const model = new LogisticRegression({ tol: 1e-10, maxIter: 10000 });
    const r = crossValidate(model, bin.X, bin.y, opts);
    compare(r, fx.logistic, 1e-6);
    // With labels 'benign' (1) / 'malignant' (0) the positive class is 'malignant', the second
    // sorted: precision/recall/f1 then describe the other class; threshold scorers likewise.
    const named = bin.y.map((v) => (v === 1 ? 'a-benign' : 'b-malignant'));
    const flipped = bin.y.map((v) => 1 - v);
    const rs = crossValidate(model, bin.X, named, opts);
    const rf = crossValidate(model, bin.X, flipped, opts);
    for (const s of scoring) close(rs.testScores[s], Array.from(rf.testScores[s]), 1e-12, `named ${s}`);
  });

  it("the default score is the estimator's: R² for regressors, accuracy for classifiers", () => {
    const r1 = crossValidate(new Ridge(), reg.X, reg.y, { cv: 4, nThreads: 1 });
    close(r1.testScores.score, fx.default_score.ridge, 1e-9, 'ridge score');
    const r2 = crossValScore(new KNeighborsClassifier({ nNeighbors: 3 }), multi.X, multi.y, {
      cv: 3,
      nThreads: 1,
    });
    close(r2, fx.default_score.knn, 0, 'knn score');
  });
});

describe('crossValPredict matches scikit-learn cross_val_predict', () => {
  it('regression values, class labels and class probabilities', () => {
    const p = crossValPredict(new Ridge({ alpha: 2 }), reg.X, reg.y, {
      cv: new KFold({ nSplits: 3 }),
      nThreads: 1,
    });
    close(p as Float64Array, fx.predict.ridge, 1e-9, 'ridge');
    const labels = crossValPredict(new KNeighborsClassifier({ nNeighbors: 4 }), multi.X, multi.y, {
      cv: 3,
      nThreads: 1,
    });
    // Numeric classes come back as a Float64Array, as the classifier's own predict gives them.
    assert.ok(labels instanceof Float64Array);
    assert.deepEqual([...labels], fx.predict.knn);
    const proba = crossValPredict(new KNeighborsClassifier({ nNeighbors: 4 }), multi.X, multi.y, {
      cv: 3,
      method: 'predictProba',
      nThreads: 1,
    }) as Matrix;
    assert.deepEqual(proba.columns, ['0', '1', '2']);
    close(proba.data, fx.predict.knn_proba, 1e-12, 'knn proba');
  });

  it("method 'decisionFunction': binary scores, multiclass columns, a class missing from a fold", () => {
    const logistic = () => new LogisticRegression({ tol: 1e-10, maxIter: 10000 });
    const b = crossValPredict(logistic(), bin.X, bin.y, {
      cv: new StratifiedKFold({ nSplits: 4 }),
      method: 'decisionFunction',
      nThreads: 1,
    });
    assert.ok(b instanceof Float64Array);
    close(b, fx.predict.logistic_decision_binary, 1e-6, 'binary decision');
    // Four classes; fold 0 trains on 3 of them: class 3's column is the most negative double there.
    const mc = fx.predict.missing_class;
    const folds = mc.folds.map((f: { train: number[]; test: number[] }) => ({
      train: Int32Array.from(f.train),
      test: Int32Array.from(f.test),
    }));
    const { result, warnings } = captureWarnings(
      () =>
        crossValPredict(logistic(), fromRows(mc.X), mc.y, {
          cv: folds,
          method: 'decisionFunction',
          nThreads: 1,
        }) as Matrix,
    );
    assert.equal(mc.warned, true);
    assert.ok(warnings.some((w) => /fold 0 hold 3 of the 4 classes/.test(w.message)));
    assert.deepEqual(result.columns, ['0', '1', '2', '3']);
    close(result.data, mc.decision, 1e-6, 'multiclass decision');
    for (const i of mc.folds[0].test) assert.equal(result.data[i * 4 + 3], -Number.MAX_VALUE);
  });

  it('refuses an unknown method, and decision scores of a fold that trains on two of three classes', () => {
    assert.throws(
      () => crossValPredict(new Ridge(), reg.X, reg.y, { cv: 3, method: 'predict_proba' as never }),
      (e: Error) =>
        e instanceof ValidationError &&
        /method must be 'predict', 'predictProba' or 'decisionFunction'/.test(e.message),
    );
    assert.throws(
      () =>
        crossValPredict(new KNeighborsClassifier(), multi.X, multi.y, { cv: 3, method: 'decisionFunction' }),
      (e: Error) =>
        e instanceof ValidationError && /KNeighborsClassifier has no decisionFunction/.test(e.message),
    );
    // iris rows are sorted by class: unshuffled KFold(3) tests one class per fold.
    assert.throws(
      () =>
        crossValPredict(new LogisticRegression(), multi.X, multi.y, {
          cv: new KFold({ nSplits: 3 }),
          method: 'decisionFunction',
          nThreads: 1,
        }),
      /training rows of fold 0 hold only 2 of the 3 classes/,
    );
  });

  it('warns when a fold trains without a class (predictProba fills its column with 0)', () => {
    const { result, warnings } = captureWarnings(
      () =>
        crossValPredict(new KNeighborsClassifier({ nNeighbors: 3 }), multi.X, multi.y, {
          cv: new KFold({ nSplits: 3 }),
          method: 'predictProba',
          nThreads: 1,
        }) as Matrix,
    );
    assert.equal(warnings.filter((w) => /hold 2 of the 3 classes/.test(w.message)).length, 3);
    assert.equal(result.data[0], 0); // row 0 (class 0) in fold 0, whose model knows classes 1 and 2
  });

  it('refuses folds that are not a partition', () => {
    assert.throws(
      () =>
        crossValPredict(new Ridge(), reg.X, reg.y, {
          cv: [
            {
              train: Int32Array.from({ length: 30 }, (_, i) => i + 30),
              test: Int32Array.from({ length: 30 }, (_, i) => i),
            },
          ],
        }),
      /row 30 is in 0 test folds/,
    );
  });
});

describe('parallel folds are identical to serial ones', () => {
  it('2 worker threads give bit-identical scores, predictions and fitted models', () => {
    const opts = {
      cv: 3,
      scoring: ['accuracy', 'neg_log_loss'],
      returnTrainScore: true,
      returnEstimator: true,
    };
    const est = new LogisticRegression({ C: 0.5 });
    const serial = crossValidate(est, bin.X, bin.y, { ...opts, nThreads: 1 });
    const threaded = crossValidate(est, bin.X, bin.y, { ...opts, executor: pool });
    assert.deepEqual(threaded.testScores, serial.testScores);
    assert.deepEqual(threaded.trainScores, serial.trainScores);
    assert.deepEqual(
      threaded.estimators!.map((e) => e.toJSON()),
      serial.estimators!.map((e) => e.toJSON()),
    );
    const p1 = crossValPredict(est, bin.X, bin.y, { cv: 3, method: 'predictProba', nThreads: 1 });
    const p2 = crossValPredict(est, bin.X, bin.y, { cv: 3, method: 'predictProba', executor: pool });
    assert.deepEqual(p2, p1);
  });

  it('a Pipeline on a Table travels to the workers (columns in shared memory, categoricals with their dictionary)', () => {
    const n = 80;
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
    const colour = Array.from({ length: n }, (_, i) => ['red', 'green', 'blue'][(i * 7) % 3]);
    const y = Array.from({ length: n }, (_, i) =>
      x[i] + (colour[i] === 'red' ? 1 : -0.5) > 0 ? 'yes' : 'no',
    );
    const table = new Table([numericColumn('x', x), categoricalColumn('colour', colour)]);
    const pipe = new Pipeline({
      steps: [
        [
          'prep',
          new ColumnTransformer({
            transformers: [['onehot', new OneHotEncoder(), ['colour']]],
            remainder: 'passthrough',
          }),
        ],
        ['model', new LogisticRegression()],
      ],
    });
    const opts = { cv: 4, scoring: ['accuracy', 'roc_auc'] };
    const serial = crossValidate(pipe, table, y, { ...opts, nThreads: 1 });
    const threaded = crossValidate(pipe, table, y, { ...opts, executor: pool });
    assert.deepEqual(threaded.testScores, serial.testScores);
    assert.ok(serial.testScores.accuracy.every((a) => a > 0.7));
  });
});

describe('scorers and failures', () => {
  it('custom scorers run on the calling thread, also with worker threads', () => {
    const maxError = makeScorer(
      (t, p) => {
        let m = 0;
        for (let i = 0; i < (t as Float64Array).length; i++)
          m = Math.max(m, Math.abs((t as Float64Array)[i] - (p as Float64Array)[i]));
        return m;
      },
      { name: 'maxError', greaterIsBetter: false },
    );
    const r = crossValidate(new Ridge(), reg.X, reg.y, {
      cv: 3,
      scoring: { maxError, r2: 'r2' },
      executor: pool,
    });
    assert.ok(r.testScores.maxError.every((v) => v < 0));
    const p = crossValPredict(new Ridge(), reg.X, reg.y, { cv: 3, nThreads: 1 }) as Float64Array;
    const folds = new KFold({ nSplits: 3 }).split(60);
    folds.forEach((f, k) => {
      let m = 0;
      for (const i of f.test) m = Math.max(m, Math.abs(reg.y[i] - p[i]));
      assert.ok(Math.abs(-r.testScores.maxError[k] - m) < 1e-12);
    });
  });

  it('a failing fit scores NaN with a warning, or raises with errorScore "raise"; all failing raises', () => {
    // Column 0 is constant within the first fold's training rows only: k-NN does not care, so use a
    // model whose fit fails on a fold: logistic regression on a fold with a single class.
    const y = reg.y.map((_v, i) => (i < 20 ? 1 : i % 2)) as unknown as number[];
    const Xf = reg.X;
    const folds = [
      {
        train: Int32Array.from({ length: 15 }, (_, i) => i),
        test: Int32Array.from({ length: 5 }, (_, i) => 15 + i),
      },
      {
        train: Int32Array.from({ length: 40 }, (_, i) => 20 + i),
        test: Int32Array.from({ length: 20 }, (_, i) => i),
      },
    ];
    const { result, warnings } = captureWarnings(() =>
      crossValidate(new LogisticRegression(), Xf, Array.from(y), { cv: folds, nThreads: 1 }),
    );
    assert.ok(Number.isNaN(result.testScores.score[0]));
    assert.ok(Number.isFinite(result.testScores.score[1]));
    assert.match(result.errors[0]!, /class/);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0].message, /fold 0 failed/);
    assert.throws(
      () =>
        crossValidate(new LogisticRegression(), Xf, Array.from(y), {
          cv: folds,
          nThreads: 1,
          errorScore: 'raise',
        }),
      (e: unknown) => e instanceof ValidationError && /fold 0 failed/.test((e as Error).message),
    );
    assert.throws(
      () =>
        crossValidate(new LogisticRegression(), Xf, Array.from(y), { cv: [folds[0], folds[0]], nThreads: 1 }),
      /all 2 fits failed/,
    );
    // A bad errorScore is named whether or not a fold fails.
    for (const cv of [folds, [folds[1], folds[1]]]) {
      assert.throws(
        () =>
          crossValidate(new LogisticRegression(), Xf, Array.from(y), {
            cv,
            nThreads: 1,
            errorScore: 'nan' as never,
          }),
        (e: unknown) => e instanceof ValidationError && e.field === 'errorScore',
      );
    }
  });

  it('a scorer that fails on one fold scores NaN there with a warning, as scikit-learn (roc_auc_ovr, a class missing)', () => {
    const c = fx.scoring_failure;
    const { result, warnings } = captureWarnings(() =>
      crossValidate(new KNeighborsClassifier({ nNeighbors: 5 }), multi.X, multi.y, {
        cv: c.folds,
        scoring: ['accuracy', 'roc_auc_ovr'],
        returnTrainScore: true,
        nThreads: 1,
      }),
    );
    for (const s of ['accuracy', 'roc_auc_ovr']) {
      close(result.testScores[s], c.cross_validate.test[s], 1e-12, `test ${s}`);
      close(result.trainScores![s], c.cross_validate.train[s], 1e-12, `train ${s}`);
    }
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0].message,
      /scoring the test rows of fold 1 with 'roc_auc_ovr' failed and scores NaN/,
    );
    assert.throws(
      () =>
        crossValidate(new KNeighborsClassifier({ nNeighbors: 5 }), multi.X, multi.y, {
          cv: c.folds,
          scoring: 'roc_auc_ovr',
          errorScore: 'raise',
          nThreads: 1,
        }),
      /Only one class present/,
    );
  });

  it('regression scorers on a classifier score the numeric labels, not their codes (labels 0, 1, 5)', () => {
    const c = fx.regression_scorers_on_labels;
    const r = crossValidate(new KNeighborsClassifier({ nNeighbors: 3 }), multi.X, c.y, {
      cv: new StratifiedKFold({ nSplits: 3 }),
      scoring: Object.keys(c.test),
      nThreads: 1,
    });
    for (const s of Object.keys(c.test)) close(r.testScores[s], c.test[s], 1e-12, s);
    assert.throws(
      () =>
        crossValidate(new KNeighborsClassifier(), multi.X, c.y.map(String), {
          scoring: 'neg_mean_squared_error',
          nThreads: 1,
        }),
      /'neg_mean_squared_error' needs numeric labels/,
    );
  });

  it('names unknown scorers with a suggestion and rejects binary scorers on multiclass targets', () => {
    assert.throws(
      () => crossValidate(new Ridge(), reg.X, reg.y, { scoring: 'neg_mean_squared_eror', nThreads: 1 }),
      /Unknown scorer 'neg_mean_squared_eror'.*did you mean 'neg_mean_squared_error'/s,
    );
    assert.throws(
      () =>
        crossValidate(new KNeighborsClassifier(), multi.X, multi.y, {
          scoring: 'roc_auc',
          nThreads: 1,
          errorScore: 'raise',
        }),
      /'roc_auc' is for binary targets.*roc_auc_ovr/s,
    );
    // Each suggestion names a scorer that exists.
    for (const name of ['f1', 'precision', 'recall', 'roc_auc', 'average_precision', 'neg_brier_score']) {
      assert.throws(
        () => crossValidate(new KNeighborsClassifier(), multi.X, multi.y, { scoring: name, nThreads: 1 }),
        (e: unknown) => {
          const fix = (e as ValidationError).fix ?? '';
          const named = [...fix.matchAll(/'([a-z0-9_]+)'/g)].map((m) => m[1]);
          assert.ok(named.length > 0, `${name}: ${fix}`);
          for (const n of named) assert.ok(SCORER_NAMES.includes(n), `${name} suggests unknown '${n}'`);
          return true;
        },
      );
    }
    assert.throws(
      () => crossValidate(new Ridge(), reg.X, undefined, { nThreads: 1 }),
      /y is required for a regressor/,
    );
    assert.throws(
      () => crossValScore(new Ridge(), reg.X, reg.y, { scoring: ['r2', 'explained_variance'] }),
      /takes one scorer/,
    );
  });
});
