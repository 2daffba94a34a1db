import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { estimatorFromJSON } from '../../src/core/estimator.ts';
import { encodeLabels, type Label } from '../../src/core/labels.ts';
import { captureWarnings } from '../../src/core/warnings.ts';
import { categoricalColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import type { Category } from '../../src/preprocess/categories.ts';
import { kFoldAssignment, stratifiedFoldAssignment } from '../../src/preprocess/cross-fit-folds.ts';
import { inferTargetKind, TargetEncoder } from '../../src/preprocess/target-encoder.ts';
import { assertClose, assertMatrixClose, fixture, roundTrip, tableOf } from './helpers.ts';

type Cols = Record<string, (string | number | null)[]>;
interface TargetCase {
  name: string;
  params: { smooth: 'auto' | number; targetType: 'continuous' | 'binary' | 'multiclass' };
  columns: string[];
  train: Cols;
  test: Cols;
  y: Label[] | number[];
  folds: number[];
  classes: Label[] | null;
  categories: Category[][];
  encodings: number[][];
  target_mean: number[];
  test_out: number[][];
  cross_out: number[][];
}
const fx = fixture<{ cases: TargetCase[] }>('target-encoder.json');

describe('TargetEncoder against the reference implementation of scikit-learn 1.3 (tolerance 1e-9)', () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      const X = tableOf(c.train, c.columns);
      const enc = new TargetEncoder({ smooth: c.params.smooth, targetType: 'auto' }).fit(X, c.y);
      assert.equal(enc.targetType_, c.params.targetType);
      assert.deepEqual(enc.classes_, c.classes);
      assert.deepEqual(enc.categories_, c.categories);
      assert.equal(enc.encodings_!.length, c.encodings.length);
      enc.encodings_!.forEach((e, k) => assertClose(e, c.encodings[k], `encodings[${k}]`));
      assertClose(enc.targetMean_!, c.target_mean, 'targetMean');
      assertMatrixClose(enc.transform(tableOf(c.test, c.columns)), c.test_out, 'transform');
      const cross = new TargetEncoder({ smooth: c.params.smooth }).crossFitWithFolds(
        X,
        c.y,
        Int32Array.from(c.folds),
      );
      assertMatrixClose(cross, c.cross_out, 'cross fit');
    });
  }
});

describe('TargetEncoder', () => {
  const city = ['a', 'a', 'b', 'b', 'b', 'c', 'a', 'b', 'c', 'd'];
  const X = new Table([categoricalColumn('city', city)]);
  const y = ['no', 'yes', 'yes', 'yes', 'no', 'no', 'no', 'yes', 'no', 'yes'];

  it('fitTransform cross-fits with seeded stratified folds; transform uses all rows', () => {
    const enc = new TargetEncoder({ cv: 2, seed: 7 });
    const crossed = enc.fitTransform(X, y);
    const { codes, classes } = encodeLabels(y, y.length, 'test');
    const folds = stratifiedFoldAssignment(codes, classes.length, 2, true, 7, 'test');
    const same = new TargetEncoder({ cv: 2, seed: 7 }).crossFitWithFolds(X, y, folds);
    assert.deepEqual(Array.from(crossed.data), Array.from(same.data));
    // The one 'd' row never sees its own target when cross-fitted: it gets its fold's mean.
    const plain = enc.transform(X);
    assert.notEqual(crossed.data[9], plain.data[9]);
    // Same seed, same output; another seed, other folds.
    assert.deepEqual(
      Array.from(new TargetEncoder({ cv: 2, seed: 7 }).fitTransform(X, y).data),
      Array.from(crossed.data),
    );
  });

  it('gives one column per class for multiclass targets, named column_class', () => {
    const enc = new TargetEncoder().fit(X, ['r', 'g', 'b', 'r', 'g', 'b', 'r', 'g', 'b', 'r']);
    assert.equal(enc.targetType_, 'multiclass');
    assert.deepEqual(enc.getFeatureNamesOut(), ['city_b', 'city_g', 'city_r']);
    const m = enc.transform(new Table([categoricalColumn('city', ['a', 'zzz'])]));
    assert.equal(m.cols, 3);
    // An unknown category gets the class frequencies.
    assertClose(m.data.subarray(3, 6), [0.3, 0.3, 0.4], 'unknown row', 1e-15);
  });

  it('needs y, and names a missing target value', () => {
    assert.throws(
      () => new TargetEncoder().fit(X),
      (e: unknown) => e instanceof ValidationError && e.field === 'y',
    );
    assert.throws(
      () => new TargetEncoder().fit(X, [1, 2, null, 4, 5, 6, 7, 8, 9, 10] as never),
      /y\[2\] is missing/,
    );
  });

  it('refuses more folds than rows of any class, and warns when one class is short', () => {
    assert.throws(() => new TargetEncoder({ cv: 7 }).fitTransform(X, y), /cv=7 folds/);
    const { warnings } = captureWarnings(() =>
      new TargetEncoder({ cv: 3 }).fitTransform(X, ['x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'z', 'z']),
    );
    assert.ok(warnings.some((w) => /only 2 rows, fewer than cv=3/.test(w.message)));
  });

  it('round-trips through JSON', () => {
    const enc = new TargetEncoder().fit(X, y);
    const back = estimatorFromJSON(roundTrip(enc.toJSON())) as TargetEncoder;
    assert.deepEqual(Array.from(back.transform(X).data), Array.from(enc.transform(X).data));
    assert.deepEqual(back.classes_, ['no', 'yes']);
  });
});

describe('TargetEncoder refuses infinite values, as scikit-learn 1.3 does', () => {
  it('in fit and in transform', () => {
    const isInfinityError = (who: string) => (e: unknown) =>
      e instanceof ValidationError && e.message.startsWith(`${who} cannot take infinite values: column 'x0'`);
    assert.throws(
      () => new TargetEncoder().fit([[1], [Number.POSITIVE_INFINITY], [1], [2]], [0, 1, 1, 0]),
      isInfinityError('TargetEncoder.fit'),
    );
    const enc = new TargetEncoder().fit([[1], [2], [1], [2]], [0, 1, 1, 0]);
    assert.throws(
      () => enc.transform([[Number.NEGATIVE_INFINITY]]),
      isInfinityError('TargetEncoder.transform'),
    );
  });
});

describe('inferTargetKind (type_of_target)', () => {
  it('tells binary, multiclass and continuous targets apart', () => {
    assert.equal(inferTargetKind(['a', 'b', 'a'], 3), 'binary');
    assert.equal(inferTargetKind([true, false] as never, 2), 'binary');
    assert.equal(inferTargetKind([0, 1, 2], 3), 'multiclass');
    assert.equal(inferTargetKind(Float64Array.from([1, 2, 3]), 3), 'multiclass');
    assert.equal(inferTargetKind([0.5, 1, 2], 3), 'continuous');
  });
});

describe('fold assignment', () => {
  it('k-fold: the first n mod k folds are one row longer; unshuffled folds are contiguous', () => {
    const f = kFoldAssignment(11, 5, false, 0, 'test');
    assert.deepEqual(Array.from(f), [0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    const s = kFoldAssignment(11, 5, true, 3, 'test');
    const sizes = [0, 0, 0, 0, 0];
    for (const x of s) sizes[x]++;
    assert.deepEqual(sizes, [3, 2, 2, 2, 2]);
    assert.deepEqual(s, kFoldAssignment(11, 5, true, 3, 'test'));
    assert.throws(() => kFoldAssignment(3, 5, true, 0, 'test'), /cannot split 3 rows into cv=5/);
  });

  it('stratified: each class is spread over the folds within one row', () => {
    const codes = Int32Array.from({ length: 103 }, (_, i) => (i % 7 === 0 ? 2 : i % 3 === 0 ? 1 : 0));
    const folds = stratifiedFoldAssignment(codes, 3, 5, true, 11, 'test');
    for (let c = 0; c < 3; c++) {
      const per = [0, 0, 0, 0, 0];
      for (let i = 0; i < codes.length; i++) if (codes[i] === c) per[folds[i]]++;
      assert.ok(Math.max(...per) - Math.min(...per) <= 1, `class ${c}: ${per}`);
    }
  });
});
