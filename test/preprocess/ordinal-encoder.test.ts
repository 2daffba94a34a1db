import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { estimatorFromJSON } from '../../src/core/estimator.ts';
import { categoricalColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import type { Category } from '../../src/preprocess/categories.ts';
import { OrdinalEncoder } from '../../src/preprocess/ordinal-encoder.ts';
import { assertMatrixClose, fixture, roundTrip, tableOf } from './helpers.ts';

type Cols = Record<string, (string | number | null)[]>;
interface OrdinalCase {
  name: string;
  params: Record<string, unknown>;
  columns: string[];
  train: Cols;
  test: Cols;
  categories: Category[][];
  train_out: (number | null)[][];
  test_out: (number | null)[][];
}
const fx = fixture<{ cases: OrdinalCase[] }>('ordinal.json');

describe('OrdinalEncoder against scikit-learn 1.2.1', () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      // JSON has no NaN: the fixture flags an unknownValue of NaN.
      const { unknownNaN, ...params } = c.params;
      if (unknownNaN) params.unknownValue = Number.NaN;
      const enc = new OrdinalEncoder(params as never).fit(tableOf(c.train, c.columns));
      assert.deepEqual(enc.categories_, c.categories);
      assertMatrixClose(enc.transform(tableOf(c.train, c.columns)), c.train_out, 'train');
      assertMatrixClose(enc.transform(tableOf(c.test, c.columns)), c.test_out, 'test');
    });
  }
});

describe('OrdinalEncoder refuses infinite values, as scikit-learn does', () => {
  // scikit-learn 1.2.1: OrdinalEncoder().fit([[inf], [1]]) raises "Input contains infinity".
  const isInfinityError = (who: string) => (e: unknown) =>
    e instanceof ValidationError && e.message.startsWith(`${who} cannot take infinite values: column 'x0'`);

  it('in fit and in transform', () => {
    assert.throws(
      () => new OrdinalEncoder().fit([[1], [Number.POSITIVE_INFINITY]]),
      isInfinityError('OrdinalEncoder.fit'),
    );
    const enc = new OrdinalEncoder({ handleUnknown: 'use_encoded_value', unknownValue: -1 }).fit([[1], [2]]);
    assert.throws(
      () => enc.transform([[Number.NEGATIVE_INFINITY]]),
      isInfinityError('OrdinalEncoder.transform'),
    );
  });
});

describe('OrdinalEncoder', () => {
  const t = new Table([categoricalColumn('size', ['S', 'M', 'L', null])]);

  it('refuses an unknown category by default, suggesting use_encoded_value', () => {
    const enc = new OrdinalEncoder().fit(t);
    assert.throws(
      () => enc.transform(new Table([categoricalColumn('size', ['XL'])])),
      (e: unknown) =>
        e instanceof ValidationError && /"XL"/.test(e.message) && /use_encoded_value/.test(e.message),
    );
  });

  it('needs unknownValue with use_encoded_value, and only then', () => {
    assert.throws(
      () => new OrdinalEncoder({ handleUnknown: 'use_encoded_value' }).fit(t),
      /unknownValue is null/,
    );
    assert.throws(() => new OrdinalEncoder({ unknownValue: -1 }).fit(t), /only used with handleUnknown/);
  });

  it('refuses codes for unknown or missing values that a category already uses', () => {
    assert.throws(
      () => new OrdinalEncoder({ handleUnknown: 'use_encoded_value', unknownValue: 1 }).fit(t),
      (e: unknown) => e instanceof ValidationError && e.field === 'unknownValue' && /'size'/.test(e.message),
    );
    assert.throws(
      () => new OrdinalEncoder({ encodedMissingValue: 0 }).fit(t),
      (e: unknown) => e instanceof ValidationError && e.field === 'encodedMissingValue',
    );
  });

  it('round-trips through JSON, NaN parameters included', () => {
    const enc = new OrdinalEncoder({ handleUnknown: 'use_encoded_value', unknownValue: Number.NaN }).fit(t);
    const back = estimatorFromJSON(roundTrip(enc.toJSON())) as OrdinalEncoder;
    assert.ok(Number.isNaN(back.getParams().unknownValue));
    const X = new Table([categoricalColumn('size', ['M', 'XL', null])]);
    assert.deepEqual(Array.from(back.transform(X).data), Array.from(enc.transform(X).data));
  });
});
