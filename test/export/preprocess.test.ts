// Every preprocessing step exported on its own (the graph's `features` output) and run with
// onnxruntime-node on data unlike the training data — unknown categories, missing values, values
// out of the fitted range, dates before 1970 and on leap days — against Lathe's own transform.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Estimator } from '../../src/core/estimator.ts';
import type { Matrix } from '../../src/core/matrix.ts';
import { captureWarnings } from '../../src/core/warnings.ts';
import {
  booleanColumn,
  categoricalColumn,
  datetimeColumn,
  numericColumn,
  textColumn,
} from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { exportOnnxModel } from '../../src/export/index.ts';
import {
  ColumnTransformer,
  DatePartExtractor,
  MinMaxScaler,
  OneHotEncoder,
  OrdinalEncoder,
  Pipeline,
  RobustScaler,
  SimpleImputer,
  StandardScaler,
} from '../../src/preprocess/index.ts';
import { assertClose, session, summarize, tableFeeds } from './helpers.ts';

const NaN_ = Number.NaN;

/** Exports a fitted transformer, runs it on `test`, and compares with `transform(test)`. */
async function check(est: Estimator & { transform(X: Table): Matrix }, test: Table, tol = 0): Promise<void> {
  const ex = exportOnnxModel(est);
  assert.equal(ex.kind, 'transformer');
  const s = await session(ex.bytes);
  const out = await s.run(tableFeeds(test, ex.inputs));
  const expected = est.transform(test);
  const got = out.features;
  assert.deepEqual(got.dims, [test.nRows, expected.cols]);
  assertClose(got.data as Float64Array, expected.data, tol, `${est.typeName} features`);
}

const train = new Table([
  numericColumn('age', [30, null, 41, 25, 52, 33, 41]),
  numericColumn('income', [50_000, 62_500.5, null, 38_000, 91_000, 47_250, 55_000]),
  booleanColumn('member', [true, false, null, true, true, false, true]),
  categoricalColumn('city', ['Paris', 'Lyon', 'Paris', null, 'Nice', 'Paris', 'Lyon']),
  categoricalColumn('plan', ['basic', 'premium', 'basic', 'basic', 'gold', 'basic', 'premium']),
  datetimeColumn('signup', [
    '2020-02-29T13:45:00Z',
    '1969-12-31T23:59:59Z',
    '2000-03-01T00:00:00Z',
    null,
    '1900-02-28T06:00:00Z',
    '2024-12-31T23:00:00Z',
    '2023-07-15T08:30:00Z',
  ]),
]);

const test = new Table([
  numericColumn('age', [null, 60, 18, 33, 41]),
  numericColumn('income', [10_000, null, 200_000, 47_250, 55_000]),
  booleanColumn('member', [null, true, false, false, true]),
  categoricalColumn('city', ['Berlin', null, 'Lyon', 'Nice', 'Paris']),
  categoricalColumn('plan', ['gold', 'basic', 'platinum', null, 'premium']),
  datetimeColumn('signup', [
    '1600-03-01T00:00:00Z',
    '2100-02-28T23:59:59.999Z',
    null,
    '1970-01-01T00:00:00Z',
    '2016-02-29T12:00:00Z',
  ]),
]);

describe('SimpleImputer', () => {
  for (const strategy of ['mean', 'median', 'most_frequent', 'constant'] as const) {
    it(`fills numbers, booleans and dates (${strategy}, with indicators)`, async () => {
      const imp = new SimpleImputer({
        strategy,
        addIndicator: true,
        fillValue: strategy === 'constant' ? -1 : null,
      });
      imp.fit(train.select(['age', 'income', 'member', 'signup']));
      await check(imp, test.select(['age', 'income', 'member', 'signup']));
    });
  }

  it('leaves out a column with no value in fit, as transform does', async () => {
    const t = new Table([numericColumn('a', [1, 2, null]), numericColumn('empty', [null, null, null])]);
    const imp = captureWarnings(() => new SimpleImputer({ strategy: 'median' }).fit(t)).result;
    const ex = exportOnnxModel(imp);
    assert.deepEqual(
      ex.inputs.map((i) => i.name),
      ['a'],
      'the dropped column is not an input',
    );
    assert.deepEqual(ex.unusedColumns, ['empty']);
    await check(imp, new Table([numericColumn('a', [null, 5]), numericColumn('empty', [1, null])]));
  });

  it('imputes strings for the encoder that follows, with string missing indicators', async () => {
    const pipe = new Pipeline({
      steps: [
        ['impute', new SimpleImputer({ strategy: 'most_frequent', addIndicator: true })],
        ['encode', new OneHotEncoder({ handleUnknown: 'ignore' })],
      ],
    });
    pipe.fit(train.select(['city', 'plan']));
    // The encoder sees the indicator column city.missing (0/1 numbers) as well.
    await check(pipe, test.select(['city', 'plan']));
  });

  it('imputes a constant string', async () => {
    const pipe = new Pipeline({
      steps: [
        ['impute', new SimpleImputer({ strategy: 'constant', fillValue: 'unknown' })],
        ['encode', new OrdinalEncoder({ handleUnknown: 'use_encoded_value', unknownValue: -1 })],
      ],
    });
    pipe.fit(train.select(['city']));
    await check(pipe, test.select(['city']));
  });
});

describe('scalers', () => {
  const nums = ['age', 'income'];
  const imputed = (scaler: Estimator) =>
    new Pipeline({
      steps: [
        ['impute', new SimpleImputer({ strategy: 'median' })],
        ['scale', scaler],
      ],
    }).fit(train.select(nums));

  it('StandardScaler with and without centring', async () => {
    await check(imputed(new StandardScaler()), test.select(nums));
    await check(imputed(new StandardScaler({ withMean: false })), test.select(nums));
    await check(imputed(new StandardScaler({ withStd: false })), test.select(nums));
  });

  it('StandardScaler keeps NaN (no imputer before it)', async () => {
    const s = new StandardScaler().fit(train.select(nums));
    await check(s, test.select(nums));
  });

  it('MinMaxScaler, with a feature range and clipping of out-of-range values', async () => {
    await check(imputed(new MinMaxScaler()), test.select(nums));
    await check(imputed(new MinMaxScaler({ featureRange: [-1, 1], clip: true })), test.select(nums));
    await check(new MinMaxScaler({ clip: true }).fit(train.select(nums)), test.select(nums));
  });

  it('RobustScaler, with a quantile range and unit variance', async () => {
    await check(imputed(new RobustScaler()), test.select(nums));
    await check(
      imputed(new RobustScaler({ quantileRange: [10, 90], unitVariance: true, withCentering: false })),
      test.select(nums),
    );
  });
});

describe('OneHotEncoder', () => {
  const cats = ['city', 'plan'];
  it('encodes missing values as their own category, unknown ones as zeros', async () => {
    const enc = new OneHotEncoder({ handleUnknown: 'ignore' }).fit(train.select(cats));
    assert.ok(enc.getFeatureNamesOut().includes('city=(missing)'));
    await check(enc, test.select(cats));
  });

  it('groups infrequent categories and sends unknown ones there', async () => {
    const enc = new OneHotEncoder({ handleUnknown: 'infrequent_if_exist', minFrequency: 2 }).fit(
      train.select(cats),
    );
    assert.ok(enc.getFeatureNamesOut().includes('plan=(infrequent)'));
    await check(enc, test.select(cats));
    const capped = new OneHotEncoder({ handleUnknown: 'infrequent_if_exist', maxCategories: 2 }).fit(
      train.select(cats),
    );
    await check(capped, test.select(cats));
  });

  it("drops the first category ('first', 'if_binary')", async () => {
    const test2 = new Table([
      categoricalColumn('plan', ['gold', 'basic', 'premium']),
      booleanColumn('member', [true, false, true]),
    ]);
    const fitted = new Table([
      categoricalColumn('plan', ['basic', 'premium', 'gold', 'basic']),
      booleanColumn('member', [true, false, true, false]),
    ]);
    await check(new OneHotEncoder({ drop: 'first' }).fit(fitted), test2);
    await check(new OneHotEncoder({ drop: 'if_binary' }).fit(fitted), test2);
  });

  it('encodes numbers, booleans and text columns by value', async () => {
    const fit = new Table([
      numericColumn('code', [3, 1.5, 3, -0, null, 7]),
      booleanColumn('flag', [true, false, null, true, true, false]),
      textColumn('note', ['a', 'b', 'a', null, 'c', 'b']),
    ]);
    const tst = new Table([
      numericColumn('code', [0, 1.5, 2, null, 7, 1e300]), // ±Infinity is refused, as scikit-learn does
      booleanColumn('flag', [null, true, false, true, false, true]),
      textColumn('note', ['c', 'z', null, 'a', 'b', 'a']),
    ]);
    await check(new OneHotEncoder({ handleUnknown: 'ignore' }).fit(fit), tst);
  });

  it('matches given categories by their text ("1" finds the number 1)', async () => {
    const fit = new Table([categoricalColumn('size', ['1', '2', 'true', '1'])]);
    const enc = new OneHotEncoder({ categories: [[1, 2, true, 'x']], handleUnknown: 'ignore' }).fit(fit);
    await check(enc, new Table([categoricalColumn('size', ['2', 'true', 'x', '3', '1'])]));
  });
});

describe('OrdinalEncoder', () => {
  it('codes categories; unknown and missing values get their codes', async () => {
    const enc = new OrdinalEncoder({
      handleUnknown: 'use_encoded_value',
      unknownValue: -1,
      encodedMissingValue: -2,
    }).fit(train.select(['city', 'plan', 'member']));
    await check(enc, test.select(['city', 'plan', 'member']));
  });

  it('NaN for unknown values and missing ones by default', async () => {
    const enc = new OrdinalEncoder({ handleUnknown: 'use_encoded_value', unknownValue: Number.NaN }).fit(
      train.select(['city', 'age']),
    );
    await check(enc, test.select(['city', 'age']));
  });
});

describe('DatePartExtractor', () => {
  const all = ['year', 'month', 'day', 'weekday', 'hour', 'dayofyear'] as const;
  it('extracts every part, across leap days, before 1970 and with missing dates', async () => {
    const dpe = new DatePartExtractor({ parts: [...all] }).fit(train.select(['signup']));
    await check(dpe, test.select(['signup']));
    await check(dpe, train.select(['signup']));
  });

  it('cyclic parts (sine/cosine) agree to the last bits of sin and cos', async () => {
    const dpe = new DatePartExtractor({ parts: [...all], cyclic: true }).fit(train.select(['signup']));
    await check(dpe, test.select(['signup']), 1e-12);
    await check(dpe, train.select(['signup']), 1e-12);
  });

  it("'auto' parts: hour only when times vary", async () => {
    const days = new Table([datetimeColumn('d', ['2021-01-01', '2022-06-30', null])]);
    const dpe = new DatePartExtractor().fit(days);
    assert.equal(dpe.parts_![0].includes('hour'), false);
    await check(dpe, new Table([{ ...test.column('signup'), name: 'd' }]));
  });

  it('reads numeric epoch milliseconds named in columns', async () => {
    const t = new Table([numericColumn('ms', [0, 951782400000, -86400000, NaN_])]);
    const dpe = new DatePartExtractor({ columns: ['ms'], parts: ['year', 'dayofyear'] }).fit(t);
    await check(dpe, t);
  });
});

describe('ColumnTransformer', () => {
  it('routes columns, passes some through and drops others', async () => {
    const ct = new ColumnTransformer({
      transformers: [
        [
          'num',
          new Pipeline({
            steps: [
              ['impute', new SimpleImputer({ strategy: 'median', addIndicator: true })],
              ['scale', new StandardScaler()],
            ],
          }),
          { type: 'numeric' },
        ],
        ['cat', new OneHotEncoder({ handleUnknown: 'ignore' }), ['city']],
        ['flags', 'passthrough', ['member']],
        ['gone', 'drop', ['plan']],
      ],
      remainder: 'passthrough',
    }).fit(train);
    const ex = exportOnnxModel(ct);
    assert.deepEqual(ex.unusedColumns, ['plan']);
    await check(ct, test);
  });

  it('has inputs typed by storage and a features output', () => {
    const ct = new ColumnTransformer({
      transformers: [['cat', new OrdinalEncoder(), ['plan']]],
      remainder: 'passthrough',
    }).fit(train.select(['plan', 'age', 'signup']));
    const s = summarize(exportOnnxModel(ct).bytes);
    assert.deepEqual(
      s.inputs.map((i) => [i.name, i.elemType, i.shape]),
      [
        ['plan', 8, ['N', 1]],
        ['age', 11, ['N', 1]],
        ['signup', 11, ['N', 1]],
      ],
    );
    assert.deepEqual(
      s.outputs.map((o) => [o.name, o.elemType, o.shape]),
      [['features', 11, ['N', 3]]],
    );
  });
});
