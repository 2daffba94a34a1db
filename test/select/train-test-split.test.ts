import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { matrix } from '../../src/core/matrix.ts';
import { categoricalColumn, numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { splitSizes, trainTestIndices, trainTestSplit } from '../../src/select/train-test-split.ts';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/select/splitters.json', import.meta.url), 'utf8'),
) as {
  sizes: { n: number; testSize: number | null; trainSize: number | null; nTrain: number; nTest: number }[];
};

describe('trainTestSplit', () => {
  it('computes the sizes as scikit-learn _validate_shuffle_split', () => {
    for (const s of fixture.sizes) {
      assert.deepEqual(
        splitSizes(s.n, s.testSize, s.trainSize),
        { nTrain: s.nTrain, nTest: s.nTest },
        JSON.stringify(s),
      );
    }
  });

  it('without shuffling takes the first rows for training, as scikit-learn', () => {
    const { train, test } = trainTestIndices(10, { shuffle: false, testSize: 0.3 });
    assert.deepEqual(Array.from(train), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(Array.from(test), [7, 8, 9]);
  });

  it('shuffled: disjoint parts of the right sizes, reproducible by seed', () => {
    const a = trainTestIndices(50, { testSize: 0.2, seed: 5 });
    const b = trainTestIndices(50, { testSize: 0.2, seed: 5 });
    assert.deepEqual(a, b);
    assert.equal(a.test.length, 10);
    assert.equal(a.train.length, 40);
    assert.equal(new Set([...a.train, ...a.test]).size, 50);
    assert.notDeepEqual(a, trainTestIndices(50, { testSize: 0.2, seed: 6 }));
  });

  it('stratified: class counts follow _approximate_mode on both sides', () => {
    const y = [...new Array(30).fill('a'), ...new Array(15).fill('b'), ...new Array(5).fill('c')];
    const { train, test } = trainTestIndices(50, { testSize: 0.2, stratify: y, seed: 1 });
    const count = (idx: Int32Array) => {
      const c: Record<string, number> = { a: 0, b: 0, c: 0 };
      for (const i of idx) c[y[i]]++;
      return c;
    };
    assert.deepEqual(count(test), { a: 6, b: 3, c: 1 });
    assert.deepEqual(count(train), { a: 24, b: 12, c: 4 });
  });

  it('splits a Matrix, a Table and arrays of rows together with y', () => {
    const X = matrix(
      Float64Array.from({ length: 20 }, (_, i) => i),
      10,
      2,
      ['a', 'b'],
    );
    const y = Float64Array.from({ length: 10 }, (_, i) => i * 10);
    const r = trainTestSplit(X, y, { testSize: 3, seed: 2 });
    assert.equal(r.XTest.rows, 3);
    for (let k = 0; k < 3; k++) {
      const i = r.testIndex[k];
      assert.equal(r.XTest.data[2 * k], 2 * i);
      assert.equal((r.yTest as Float64Array)[k], i * 10);
    }
    const t = new Table([
      numericColumn('x', X.data.subarray(0, 10)),
      categoricalColumn('c', 'abcdeabcde'.split('')),
    ]);
    const rt = trainTestSplit(t, ['p', 'q', 'p', 'q', 'p', 'q', 'p', 'q', 'p', 'q'], {
      testSize: 0.4,
      seed: 3,
    });
    assert.equal(rt.XTrain.nRows, 6);
    assert.deepEqual(
      rt.yTest,
      Array.from(rt.testIndex, (i) => (i % 2 ? 'q' : 'p')),
    );
    const rows = [[1], [2], [3], [4]];
    const ra = trainTestSplit(rows, null, { testSize: 1, shuffle: false });
    assert.deepEqual(ra.XTest, [[4]]);
    assert.equal(ra.yTest, undefined);
  });

  it('rejects impossible sizes and inconsistent inputs with clear errors', () => {
    assert.throws(
      () => trainTestIndices(10, { testSize: 10 }),
      /testSize=10 should be smaller than the number of rows/,
    );
    assert.throws(() => trainTestIndices(10, { testSize: 0.6, trainSize: 0.5 }), /exceeds 1/);
    assert.throws(() => trainTestIndices(10, { testSize: 2.5 }), /neither a fraction/);
    assert.throws(() => trainTestIndices(10, { testSize: -1 }), /must be a fraction in \(0, 1\)/);
    assert.throws(() => trainTestIndices(10, { testSize: 6, trainSize: 5 }), /exceed the 10 rows/);
    assert.throws(
      () => trainTestIndices(4, { stratify: ['a', 'a', 'a', 'b'], testSize: 2 }),
      /least populated class.*"b".*only 1 member/,
    );
    assert.throws(
      () => trainTestIndices(4, { shuffle: false, stratify: [1, 1, 2, 2] }),
      /needs shuffle: true/,
    );
    assert.throws(() => trainTestSplit([[1], [2]], [1, 2, 3]), /y has 3 values but X has 2 rows/);
    // An empty training part names the option that emptied it (scikit-learn raises for both).
    assert.throws(
      () => trainTestIndices(12, { trainSize: 0.01 }),
      (e: unknown) =>
        e instanceof ValidationError && e.field === 'trainSize' && /trainSize=0.01/.test(e.message),
    );
    assert.throws(
      () => trainTestIndices(12, { testSize: 0.99 }),
      (e: unknown) => e instanceof ValidationError && e.field === 'testSize',
    );
  });
});
