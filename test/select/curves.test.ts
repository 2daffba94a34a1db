import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { fromRows } from '../../src/core/matrix.ts';
import { captureWarnings } from '../../src/core/warnings.ts';
import { Ridge } from '../../src/models/linear/index.ts';
import { KNeighborsClassifier } from '../../src/models/neighbors/index.ts';
import { learningCurve, translateTrainSizes, validationCurve } from '../../src/select/curves.ts';
import { KFold, StratifiedKFold } from '../../src/select/splitters.ts';

const fx = JSON.parse(readFileSync(new URL('../fixtures/select/cv.json', import.meta.url), 'utf8'));
const reg = { X: fromRows(fx.data.regression.X), y: Float64Array.from(fx.data.regression.y) };
const multi = { X: fromRows(fx.data.multiclass.X), y: fx.data.multiclass.y as number[] };

function closeRows(actual: Float64Array[], expected: number[][], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: ticks`);
  actual.forEach((row, t) => {
    assert.equal(row.length, expected[t].length);
    row.forEach((v, f) => {
      const e = expected[t][f];
      assert.ok(Math.abs(v - e) <= tol * Math.max(1, Math.abs(e)), `${what}[${t}][${f}]: ${v} vs ${e}`);
    });
  });
}

describe('learningCurve matches scikit-learn learning_curve', () => {
  for (const name of ['fractions', 'counts'] as const) {
    it(`Ridge, train sizes as ${name}`, () => {
      const c = fx.learning_curve[name];
      const r = learningCurve(new Ridge({ alpha: 0.5 }), reg.X, reg.y, {
        trainSizes: c.sizes,
        cv: new KFold({ nSplits: 4 }),
        scoring: 'neg_mean_squared_error',
        nThreads: 1,
      });
      assert.deepEqual(Array.from(r.trainSizes), c.abs);
      closeRows(r.trainScores, c.train, 1e-9, 'train');
      closeRows(r.testScores, c.test, 1e-9, 'test');
    });
  }

  it('k-NN with the default score (accuracy) and stratified folds', () => {
    const c = fx.learning_curve.knn;
    const r = learningCurve(new KNeighborsClassifier({ nNeighbors: 3 }), multi.X, multi.y, {
      trainSizes: c.sizes,
      cv: 3,
      nThreads: 1,
    });
    assert.deepEqual(Array.from(r.trainSizes), c.abs);
    closeRows(r.trainScores, c.train, 0, 'train');
    closeRows(r.testScores, c.test, 0, 'test');
  });

  it('shuffles training rows reproducibly and rejects bad sizes', () => {
    const opts = { trainSizes: [0.3, 1.0], cv: 3, shuffle: true, seed: 4, nThreads: 1 };
    const a = learningCurve(new Ridge(), reg.X, reg.y, opts);
    const b = learningCurve(new Ridge(), reg.X, reg.y, opts);
    assert.deepEqual(a.testScores, b.testScores);
    const plain = learningCurve(new Ridge(), reg.X, reg.y, { ...opts, shuffle: false });
    assert.notDeepEqual(a.testScores[0], plain.testScores[0]);
    // Full training folds give the same fit whatever the order.
    closeRows(
      a.testScores.slice(1),
      plain.testScores.slice(1).map((r) => Array.from(r)),
      1e-9,
      'full',
    );
    assert.throws(() => translateTrainSizes([0, 0.5], 10), /within \(0, 1\]/);
    assert.throws(() => translateTrainSizes([2, 11], 10), /within \(0, 10\]/);
    assert.throws(
      () => translateTrainSizes([0.5, Number.NaN], 10),
      (e: unknown) =>
        e instanceof ValidationError && e.field === 'trainSizes' && /trainSizes\[1\] is NaN/.test(e.message),
    );
    assert.throws(
      () => learningCurve(new Ridge(), reg.X, reg.y, { cv: 3, errorScore: 'nan' as never, nThreads: 1 }),
      (e: unknown) => e instanceof ValidationError && e.field === 'errorScore',
    );
    const { result, warnings } = captureWarnings(() => translateTrainSizes([0.1, 0.12, 1.0], 10));
    assert.deepEqual(Array.from(result), [1, 10]);
    assert.match(warnings[0].message, /removed duplicate entries/);
  });
});

describe('validationCurve matches scikit-learn validation_curve', () => {
  it('a scorer that fails on one fold scores NaN there with a warning (roc_auc_ovr, a class missing)', () => {
    const c = fx.scoring_failure;
    const { result, warnings } = captureWarnings(() =>
      validationCurve(new KNeighborsClassifier(), multi.X, multi.y, {
        paramName: 'nNeighbors',
        paramRange: [3, 5],
        cv: c.folds,
        scoring: 'roc_auc_ovr',
        nThreads: 1,
      }),
    );
    const num = (v: number | string) => (typeof v === 'string' ? Number(v) : v);
    for (const part of ['train', 'test'] as const) {
      const got = part === 'train' ? result.trainScores : result.testScores;
      got.forEach((row, t) =>
        row.forEach((v, f) => {
          const e = num(c.validation_curve[part][t][f]);
          if (Number.isNaN(e)) assert.ok(Number.isNaN(v), `${part}[${t}][${f}]: ${v} vs NaN`);
          else assert.ok(Math.abs(v - e) <= 1e-12, `${part}[${t}][${f}]: ${v} vs ${e}`);
        }),
      );
    }
    assert.equal(warnings.length, 2);
    assert.match(warnings[0].message, /test rows of fold 1 \(nNeighbors=3\) with 'roc_auc_ovr' failed/);
  });

  it('Ridge alpha', () => {
    const r = validationCurve(new Ridge(), reg.X, reg.y, {
      paramName: 'alpha',
      paramRange: [0.01, 1, 100],
      cv: new KFold({ nSplits: 3 }),
      scoring: 'r2',
      nThreads: 1,
    });
    closeRows(r.trainScores, fx.validation_curve.ridge.train, 1e-9, 'train');
    closeRows(r.testScores, fx.validation_curve.ridge.test, 1e-9, 'test');
    assert.equal(r.fitTimes.length, 3);
  });

  it('k-NN nNeighbors with f1_macro', () => {
    const r = validationCurve(new KNeighborsClassifier(), multi.X, multi.y, {
      paramName: 'nNeighbors',
      paramRange: [1, 3, 7],
      cv: new StratifiedKFold({ nSplits: 3 }),
      scoring: 'f1_macro',
      nThreads: 1,
    });
    closeRows(r.trainScores, fx.validation_curve.knn.train, 1e-12, 'train');
    closeRows(r.testScores, fx.validation_curve.knn.test, 1e-12, 'test');
  });

  it('names an unknown parameter before fitting anything', () => {
    assert.throws(
      () => validationCurve(new Ridge(), reg.X, reg.y, { paramName: 'alhpa', paramRange: [1] }),
      /unknown parameter 'alhpa'.*did you mean 'alpha'/s,
    );
    assert.throws(
      () => validationCurve(new Ridge(), reg.X, reg.y, { paramName: 'alpha', paramRange: [] }),
      /paramRange is empty/,
    );
  });
});
