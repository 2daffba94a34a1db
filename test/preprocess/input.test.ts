import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { estimatorFromJSON } from '../../src/core/estimator.ts';
import { captureWarnings } from '../../src/core/warnings.ts';
import { categoricalColumn, numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { LogisticRegression } from '../../src/models/linear/index.ts';
import { ColumnTransformer } from '../../src/preprocess/column-transformer.ts';
import { OneHotEncoder } from '../../src/preprocess/one-hot-encoder.ts';
import { OrdinalEncoder } from '../../src/preprocess/ordinal-encoder.ts';
import { Pipeline } from '../../src/preprocess/pipeline.ts';
import { SimpleImputer } from '../../src/preprocess/simple-imputer.ts';
import { roundTrip } from './helpers.ts';

// Training wrote the codes as text: '1.0', '2.0' (a CSV column that also held 'x').
const codes = ['1.0', '2.0', 'x', '1.0', '2.0', 'x', '1.0', '2.0'];
const train = new Table([categoricalColumn('c', codes)]);

describe('a numeric column where fit saw text categories', () => {
  it('OneHotEncoder matches the numbers to the categories of the same value, without a warning', () => {
    const enc = new OneHotEncoder({ handleUnknown: 'ignore' }).fit(train);
    const asText = enc.transform(new Table([categoricalColumn('c', ['2.0', '1.0', 'x'])]));
    const { result, warnings } = captureWarnings(() =>
      enc.transform(new Table([numericColumn('c', [2, 1, Number.NaN])])),
    );
    assert.deepEqual(Array.from(result.data.subarray(0, 6)), Array.from(asText.data.subarray(0, 6)));
    assert.deepEqual(Array.from(result.data.subarray(0, 6)), [0, 1, 0, 1, 0, 0]);
    assert.deepEqual(warnings, []);
  });

  it('OrdinalEncoder too', () => {
    const enc = new OrdinalEncoder().fit(train);
    assert.deepEqual(Array.from(enc.transform(new Table([numericColumn('c', [1, 2])])).data), [0, 1]);
  });

  it('numbers that are no category seen in fit are unknown categories, with a warning naming the column', () => {
    const enc = new OneHotEncoder({ handleUnknown: 'ignore' }).fit(train);
    const { result, warnings } = captureWarnings(() =>
      enc.transform(new Table([numericColumn('c', [1, 5, 5, 7])])),
    );
    assert.deepEqual(Array.from(result.data.subarray(0, 6)), [1, 0, 0, 0, 0, 0]);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].category, 'UserWarning');
    assert.match(
      warnings[0].message,
      /OneHotEncoder\.transform: column 'c' is numeric, but it was categorical \(text\) in fit; 3 of 4 rows hold numbers that are none of the categories seen in fit \(e\.g\. 5, 7\), so they are unknown categories \(fit saw "1\.0", "2\.0", "x"\)\. Pass the column as text/,
    );
  });

  it('a number two categories could be is a ValidationError naming the column', () => {
    const enc = new OneHotEncoder().fit(new Table([categoricalColumn('c', ['1.0', '1.00', 'x'])]));
    assert.throws(
      () => enc.transform(new Table([numericColumn('c', [1])])),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.field === 'c' &&
        /column 'c' is numeric, but it was categorical in fit, and its number 1 \(row 0\) could be any of the categories "1\.0", "1\.00" seen in fit/.test(
          e.message,
        ),
    );
  });

  it('a Pipeline (ColumnTransformer → imputer → encoder → model) predicts as from the text, also after a JSON round trip', () => {
    const n = 60;
    const c = Array.from({ length: n }, (_, i) => ['1.0', '2.0', 'x'][i % 3]);
    const X = new Table([
      categoricalColumn('c', c),
      numericColumn(
        'z',
        Array.from({ length: n }, (_, i) => i % 7),
      ),
    ]);
    const y = c.map((v) => (v === '1.0' ? 'yes' : 'no'));
    const model = new Pipeline({
      steps: [
        [
          'pre',
          new ColumnTransformer({
            transformers: [
              [
                'cat',
                new Pipeline({
                  steps: [
                    ['impute', new SimpleImputer({ strategy: 'most_frequent' })],
                    ['onehot', new OneHotEncoder({ handleUnknown: 'ignore' })],
                  ],
                }),
                ['c'],
              ],
              ['num', 'passthrough', ['z']],
            ],
          }),
        ],
        ['clf', new LogisticRegression()],
      ],
    }).fit(X, y);
    const newText = new Table([categoricalColumn('c', ['1.0', '2.0', '1.0']), numericColumn('z', [0, 0, 3])]);
    const newNumbers = new Table([numericColumn('c', [1, 2, 1]), numericColumn('z', [0, 0, 3])]);
    const expected = model.predict(newText);
    assert.deepEqual(expected, ['yes', 'no', 'yes']);
    for (const m of [model, estimatorFromJSON(roundTrip(model.toJSON())) as Pipeline]) {
      const { result, warnings } = captureWarnings(() => m.predict(newNumbers));
      assert.deepEqual(result, expected);
      assert.deepEqual(warnings, []);
      assert.deepEqual(m.checkColumns(newNumbers).wrongType, []);
    }
  });
});
