import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { estimatorFromJSON } from '../../src/core/estimator.ts';
import { captureWarnings } from '../../src/core/warnings.ts';
import {
  booleanColumn,
  categoricalColumn,
  datetimeColumn,
  numericColumn,
  textColumn,
} from '../../src/data/column.ts';
import type { Schema } from '../../src/data/schema.ts';
import { Table } from '../../src/data/table.ts';
import { ColumnTransformer } from '../../src/preprocess/column-transformer.ts';
import { DatePartExtractor } from '../../src/preprocess/date-part-extractor.ts';
import { OneHotEncoder } from '../../src/preprocess/one-hot-encoder.ts';
import { Pipeline } from '../../src/preprocess/pipeline.ts';
import { SimpleImputer } from '../../src/preprocess/simple-imputer.ts';
import { StandardScaler } from '../../src/preprocess/standard-scaler.ts';
import { assertMatrixClose, fixture, roundTrip, tableOf } from './helpers.ts';

type Cols = Record<string, (string | number | null)[]>;
const fx = fixture<{
  train: Cols;
  test: Cols;
  names_out: string[];
  train_out: (number | null)[][];
  test_out: (number | null)[][];
}>('column-transformer.json');

function numericPipeline(): Pipeline {
  return new Pipeline({
    steps: [
      ['impute', new SimpleImputer({ strategy: 'median', addIndicator: true })],
      ['scale', new StandardScaler()],
    ],
  });
}

function categoricalPipeline(): Pipeline {
  return new Pipeline({
    steps: [
      ['impute', new SimpleImputer({ strategy: 'most_frequent' })],
      ['encode', new OneHotEncoder({ handleUnknown: 'ignore' })],
    ],
  });
}

/** scikit-learn's names → Lathe's: `missingindicator_age` → `age.missing`, `city_Paris` → `city=Paris`. */
function latheName(name: string): string {
  if (name.startsWith('missingindicator_')) return `${name.slice('missingindicator_'.length)}.missing`;
  return name.startsWith('city_') ? `city=${name.slice(5)}` : name;
}

describe('ColumnTransformer against scikit-learn 1.2.1 (imputer + scaler, imputer + one-hot, passthrough)', () => {
  it('gives the same values and readable names', () => {
    const ct = new ColumnTransformer({
      transformers: [
        ['num', numericPipeline(), ['age', 'income']],
        ['cat', categoricalPipeline(), ['city']],
      ],
      remainder: 'passthrough',
    });
    const train = tableOf(fx.train);
    const out = ct.fitTransform(train);
    assert.deepEqual(out.columns, fx.names_out.map(latheName));
    assertMatrixClose(out, fx.train_out, 'train');
    assertMatrixClose(ct.transform(tableOf(fx.test)), fx.test_out, 'test');
    assertMatrixClose(ct.transform(train), fx.train_out, 'transform(train)');
  });
});

describe('ColumnTransformer', () => {
  const t = new Table([
    numericColumn('age', [30, 40, null, 50]),
    numericColumn('zip', [75001, 69001, 75001, 13001]),
    categoricalColumn('city', ['Paris', 'Lyon', 'Paris', 'Marseille']),
    booleanColumn('vip', [true, false, null, true]),
    datetimeColumn('signup', ['2024-01-05', '2024-02-10', '2024-03-15', null]),
    textColumn('comment', ['hi', 'ok', 'meh', 'wow']),
  ]);
  const schema: Schema = {
    version: 1,
    columns: [
      { name: 'age', type: 'numeric', storage: 'numeric', nullable: true },
      { name: 'zip', type: 'categorical', storage: 'numeric', nullable: false },
      { name: 'city', type: 'categorical', storage: 'categorical', nullable: false },
    ],
  };

  it('selects columns by semantic type (schema first, then storage), storage type, pattern and exclusion', () => {
    const ct = new ColumnTransformer({
      transformers: [
        ['num', new SimpleImputer(), { type: 'numeric' }],
        ['cat', new OneHotEncoder(), { type: 'categorical' }],
        ['dates', new DatePartExtractor({ parts: ['month'] }), { storage: 'datetime' }],
        ['flags', 'passthrough', { pattern: '^v', exclude: ['nothing'] }],
      ],
      schema,
    }).fit(t);
    assert.deepEqual(
      ct.describe().map((r) => [r.route, r.columns]),
      [
        ['num', ['age']],
        ['cat', ['zip', 'city']],
        ['dates', ['signup']],
        ['flags', ['vip']],
        ['remainder', ['comment']],
      ],
    );
    assert.deepEqual(ct.getFeatureNamesOut(), [
      'age',
      'zip=13001',
      'zip=69001',
      'zip=75001',
      'city=Lyon',
      'city=Marseille',
      'city=Paris',
      'signup.month',
      'vip',
    ]);
  });

  it('skips a route whose selector matches nothing, and drops or passes through the remainder', () => {
    const ct = new ColumnTransformer({
      transformers: [['none', new StandardScaler(), { storage: 'text', pattern: '^zzz' }]],
      remainder: 'passthrough',
    });
    const small = t.select(['age', 'zip']);
    assert.deepEqual(ct.fitTransform(small).columns, ['age', 'zip']);
    const dropped = new ColumnTransformer({ transformers: [['z', 'passthrough', ['zip']]] }).fit(small);
    assert.deepEqual(dropped.getFeatureNamesOut(), ['zip']);
    assert.deepEqual(dropped.describe().at(-1), {
      route: 'remainder',
      transformer: 'drop',
      columns: ['age'],
      outputs: [],
    });
  });

  it('refuses to pass a categorical column through to the numeric output', () => {
    assert.throws(
      () => new ColumnTransformer({ remainder: 'passthrough' }).fit(t.select(['age', 'city'])),
      (e: unknown) => e instanceof ValidationError && e.field === 'city' && /encoder/.test(e.message),
    );
  });

  it('prefixes output names with the route only where they collide (always with verboseFeatureNamesOut)', () => {
    const two = new ColumnTransformer({
      transformers: [
        ['raw', 'passthrough', ['age']],
        ['scaled', new StandardScaler(), ['age', 'zip']],
      ],
    });
    assert.deepEqual(two.fit(t).getFeatureNamesOut(), ['raw__age', 'scaled__age', 'zip']);
    two.setParams({ verboseFeatureNamesOut: true });
    assert.deepEqual(two.fit(t).getFeatureNamesOut(), ['raw__age', 'scaled__age', 'scaled__zip']);
  });

  it('names a column a route asks for that X lacks, suggesting the closest', () => {
    const ct = new ColumnTransformer({ transformers: [['n', new StandardScaler(), ['agee']]] });
    assert.throws(
      () => ct.fit(t),
      (e: unknown) =>
        e instanceof ValidationError &&
        /route 'n' names column 'agee'/.test(e.message) &&
        /did you mean 'age'/.test(e.message),
    );
  });

  it('at transform matches columns by name: missing ones are errors, extra ones ignored', () => {
    const ct = new ColumnTransformer({ transformers: [['n', new StandardScaler(), ['age', 'zip']]] }).fit(
      t.select(['age', 'zip']),
    );
    assert.throws(
      () => ct.transform(t.select(['age'])),
      (e: unknown) => e instanceof ValidationError && /lacks a column seen in fit: 'zip'/.test(e.message),
    );
    const { result, warnings } = captureWarnings(() => ct.transform(t));
    assert.deepEqual(Array.from(result.data), Array.from(ct.transform(t.select(['zip', 'age'])).data));
    assert.equal(warnings.length, 1);
  });

  it('clones the route transformers at fit, leaving the parameters unfitted', () => {
    const scaler = new StandardScaler();
    const ct = new ColumnTransformer({ transformers: [['n', scaler, ['age']]] }).fit(t);
    assert.equal(scaler.isFitted(), false);
    assert.equal((ct.transformers_![0].transformer as StandardScaler).isFitted(), true);
  });

  it('exposes route parameters as route__param, and round-trips through JSON', () => {
    const ct = new ColumnTransformer({
      transformers: [
        ['num', numericPipeline(), ['age']],
        ['cat', categoricalPipeline(), ['city']],
        ['gone', 'drop', ['comment']],
      ],
      notes: [{ column: 'comment', action: 'dropped', reason: 'free text' }],
    });
    assert.equal((ct.getParams() as Record<string, unknown>).num__impute__strategy, 'median');
    ct.setParams({ num__impute__strategy: 'mean', cat__encode__handleUnknown: 'infrequent_if_exist' });
    const p = ct.getParams() as Record<string, unknown>;
    assert.equal(p.num__impute__strategy, 'mean');
    assert.equal(p.cat__encode__handleUnknown, 'infrequent_if_exist');
    ct.fit(t);
    const back = estimatorFromJSON(roundTrip(ct.toJSON())) as ColumnTransformer;
    assert.deepEqual(Array.from(back.transform(t).data), Array.from(ct.transform(t).data));
    assert.deepEqual(back.getFeatureNamesOut(), ct.getFeatureNamesOut());
    assert.deepEqual(back.notes, [{ column: 'comment', action: 'dropped', reason: 'free text' }]);
    assert.deepEqual(
      back.describe().map((r) => r.transformer),
      ['SimpleImputer → StandardScaler', 'SimpleImputer → OneHotEncoder', 'drop', 'drop'],
    );
  });

  it('does not need the columns it drops at transform (as scikit-learn), in a Pipeline too and after a JSON round trip', () => {
    const ct = new ColumnTransformer({
      transformers: [
        ['num', numericPipeline(), ['age']],
        ['gone', 'drop', ['comment']],
      ],
    }).fit(t);
    // 'comment' (a drop route), 'zip', 'city', 'vip', 'signup' (the dropped remainder) are not read.
    assert.deepEqual(ct.requiredColumns(), ['age']);
    const full = Array.from(ct.transform(t).data);
    assert.deepEqual(Array.from(ct.transform(t.select(['age'])).data), full);
    const pipe = new Pipeline({
      steps: [
        ['pre', ct.clone()],
        ['scale', new StandardScaler()],
      ],
    }).fit(t);
    assert.deepEqual(pipe.requiredColumns(), ['age']);
    const back = estimatorFromJSON(roundTrip(pipe.toJSON())) as Pipeline;
    assert.deepEqual(back.requiredColumns(), ['age']);
    const { warnings } = captureWarnings(() => {
      assert.deepEqual(
        Array.from(back.transform(t.select(['age'])).data),
        Array.from(pipe.transform(t).data),
      );
    });
    assert.deepEqual(warnings, [], 'a dropped column, absent or present, is not "not seen in fit"');
    assert.deepEqual(back.checkColumns(t.select(['age'])).missing, []);
    // A column a route reads is still required, by name.
    assert.throws(
      () => back.transform(t.select(['zip'])),
      (e: unknown) => e instanceof ValidationError && /lacks a column seen in fit: 'age'/.test(e.message),
    );
    // With the remainder passed through, every column is read.
    const pass = new ColumnTransformer({
      transformers: [['gone', 'drop', ['comment']]],
      remainder: 'passthrough',
    }).fit(t.select(['age', 'zip', 'comment']));
    assert.deepEqual(pass.requiredColumns(), ['age', 'zip']);
    assert.deepEqual(pass.transform(t.select(['age', 'zip'])).columns, ['age', 'zip']);
  });

  it('keeps one row per input row when no route reads a column (fit, transform, in a Pipeline, after JSON)', () => {
    // scikit-learn gives an (n, 0) array; transform used to return 0 rows, as the Table of the
    // columns read (none) has no rows.
    const ct = new ColumnTransformer({ transformers: [['gone', 'drop', ['comment']]] });
    const Z = ct.fitTransform(t);
    assert.deepEqual([Z.rows, Z.cols], [4, 0]);
    const T = ct.transform(t.slice(0, 3));
    assert.deepEqual([T.rows, T.cols], [3, 0]);
    const back = estimatorFromJSON(roundTrip(ct.toJSON())) as ColumnTransformer;
    assert.deepEqual(back.transform(t.slice(0, 2)).rows, 2);
    const pipe = new Pipeline({ steps: [['pre', ct.clone()]] }).fit(t);
    assert.deepEqual(pipe.transform(t.slice(0, 3)).rows, 3);
  });

  it('rejects malformed routes when fitting', () => {
    for (const transformers of [
      [['a', new StandardScaler()]],
      [['a', 'scale', ['age']]],
      [['a', new StandardScaler(), { kind: 'numeric' }]],
      [['a', new StandardScaler(), { type: 'number' }]],
      [
        ['a', 'drop', ['age']],
        ['a', 'drop', ['zip']],
      ],
    ]) {
      assert.throws(
        () => new ColumnTransformer({ transformers: transformers as never }).fit(t),
        (e: unknown) => e instanceof ValidationError && e.field === 'transformers',
      );
    }
  });
});
