import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { matrix } from '../../src/core/matrix.ts';
import { categoricalColumn, numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { ColumnTransformer } from '../../src/preprocess/column-transformer.ts';
import { OneHotEncoder } from '../../src/preprocess/one-hot-encoder.ts';
import { pendingOf, writesInPlace } from '../../src/preprocess/pending-output.ts';
import { Pipeline } from '../../src/preprocess/pipeline.ts';
import { SimpleImputer } from '../../src/preprocess/simple-imputer.ts';
import { StandardScaler } from '../../src/preprocess/standard-scaler.ts';

const train = new Table([
  numericColumn('a', [1, 2, 3, 4, 5, 6]),
  categoricalColumn('city', ['Paris', 'Lyon', null, 'Paris', 'Nice', 'Lyon']),
  categoricalColumn('size', ['S', 'M', 'L', 'M', 'S', null]),
  numericColumn('b', [10, 20, 30, 40, 50, 60]),
]);

function cityPipeline(): Pipeline {
  return new Pipeline({
    steps: [
      ['impute', new SimpleImputer({ strategy: 'most_frequent' })],
      ['encode', new OneHotEncoder({ handleUnknown: 'ignore' })],
    ],
  });
}

/** Routes with the one-hot block between two others, so it is written with an offset and a stride. */
function routes(): ColumnTransformer {
  return new ColumnTransformer({
    transformers: [
      ['a', 'passthrough', ['a']],
      ['cat', cityPipeline(), ['city', 'size']],
      ['b', new StandardScaler(), ['b']],
    ],
  });
}

/** The concatenation made by hand from each route's own output. */
function byHand(t: Table): number[][] {
  const cat = cityPipeline()
    .fit(train.select(['city', 'size']))
    .transform(t.select(['city', 'size']));
  const b = new StandardScaler().fit(train.select(['b'])).transform(t.select(['b']));
  const a = t.select(['a']).toMatrix();
  return Array.from({ length: t.nRows }, (_, i) => [
    ...a.data.subarray(i, i + 1),
    ...cat.data.subarray(i * cat.cols, (i + 1) * cat.cols),
    ...b.data.subarray(i, i + 1),
  ]);
}

function rowsOf(m: { data: Float64Array; rows: number; cols: number }): number[][] {
  return Array.from({ length: m.rows }, (_, i) => [...m.data.subarray(i * m.cols, (i + 1) * m.cols)]);
}

describe('pending outputs (routes written in place)', () => {
  it('ColumnTransformer writes a one-hot route in place between others, equal to concatenating by hand', () => {
    const ct = routes();
    const fitted = ct.fitTransform(train);
    assert.deepEqual(rowsOf(fitted), byHand(train));
    const test = new Table([
      numericColumn('a', [7, 8]),
      categoricalColumn('city', ['Nice', 'Rome']),
      categoricalColumn('size', [null, 'XL']),
      numericColumn('b', [70, 5]),
    ]);
    const out = ct.transform(test);
    assert.deepEqual(rowsOf(out), byHand(test));
    assert.equal(out.cols, 1 + 6 + 1); // a, city ∈ {Lyon, Nice, Paris}, size ∈ {L, M, S}, b
    assert.deepEqual(out.columns, ct.getFeatureNamesOut());
  });

  it('OneHotEncoder and a Pipeline ending in one write in place; transform equals the pending output written alone', () => {
    const enc = new OneHotEncoder().fit(train.select(['city']));
    assert.ok(writesInPlace(enc));
    assert.ok(writesInPlace(cityPipeline()));
    const p = enc.transformPending(train.select(['city']));
    const data = new Float64Array(train.nRows * (p.cols + 2));
    p.writeInto(data, p.cols + 2, 1);
    const alone = enc.transform(train.select(['city']));
    for (let i = 0; i < train.nRows; i++) {
      assert.equal(data[i * (p.cols + 2)], 0);
      assert.deepEqual(
        [...data.subarray(i * (p.cols + 2) + 1, i * (p.cols + 2) + 1 + p.cols)],
        [...alone.data.subarray(i * p.cols, (i + 1) * p.cols)],
      );
      assert.equal(data[i * (p.cols + 2) + p.cols + 1], 0);
    }
  });

  it('an unknown category is refused before the output is allocated or written', () => {
    const enc = new OneHotEncoder().fit(train.select(['city']));
    const bad = new Table([categoricalColumn('city', ['Paris', 'Rome'])]);
    assert.throws(() => enc.transformPending(bad), ValidationError);
    const ct = new ColumnTransformer({ transformers: [['cat', new OneHotEncoder(), ['city']]] }).fit(train);
    const test = new Table([
      numericColumn('a', [1, 2]),
      categoricalColumn('city', ['Paris', 'Rome']),
      categoricalColumn('size', ['S', 'M']),
      numericColumn('b', [1, 2]),
    ]);
    assert.throws(() => ct.transform(test), /Rome/);
  });

  it('pendingOf copies a finished matrix into a block, narrow or wide', () => {
    for (const cols of [2, 40]) {
      const src = matrix(
        Float64Array.from({ length: 3 * cols }, (_, k) => k + 1),
        3,
        cols,
      );
      const data = new Float64Array(3 * (cols + 3));
      pendingOf(src).writeInto(data, cols + 3, 2);
      for (let i = 0; i < 3; i++) {
        const row = [...data.subarray(i * (cols + 3), (i + 1) * (cols + 3))];
        assert.deepEqual(row, [0, 0, ...src.data.subarray(i * cols, (i + 1) * cols), 0]);
      }
    }
  });

  it('a single route that does not write in place gives its own output', () => {
    const ct = new ColumnTransformer({ transformers: [['b', new StandardScaler(), ['b']]] });
    const out = ct.fitTransform(train);
    assert.deepEqual(rowsOf(out), rowsOf(new StandardScaler().fitTransform(train.select(['b']))));
  });
});
