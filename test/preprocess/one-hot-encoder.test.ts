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
import { Table } from '../../src/data/table.ts';
import type { Category } from '../../src/preprocess/categories.ts';
import { identifyInfrequent, OneHotEncoder } from '../../src/preprocess/one-hot-encoder.ts';
import { assertMatrixClose, fixture, roundTrip, tableOf } from './helpers.ts';

type Cols = Record<string, (string | number | null)[]>;
interface OneHotCase {
  name: string;
  params: Record<string, unknown>;
  columns: string[];
  train: Cols;
  test: Cols;
  categories: Category[][];
  infrequent: (Category[] | null)[] | null;
  outputs: [string, Category | '__infrequent__'][];
  train_out: number[][];
  test_out: number[][];
}
const fx = fixture<{ cases: OneHotCase[] }>('one-hot.json');

describe('OneHotEncoder against scikit-learn 1.2.1', () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      const enc = new OneHotEncoder(c.params as never);
      const Xtr = tableOf(c.train, c.columns);
      captureWarnings(() => enc.fit(Xtr));
      assert.deepEqual(enc.categories_, c.categories);
      const infrequent = enc.infrequentCategories_!;
      if (c.infrequent === null) assert.ok(infrequent.every((x) => x === null));
      else assert.deepEqual(infrequent, c.infrequent);
      const outputs = c.columns.flatMap((col, j) =>
        enc
          .transformedCategories(j)
          .map((cat) => [col, typeof cat === 'object' && cat !== null ? '__infrequent__' : cat]),
      );
      assert.deepEqual(outputs, c.outputs);
      assert.equal(enc.getFeatureNamesOut().length, c.outputs.length);
      const { result: trainOut } = captureWarnings(() => enc.transform(Xtr));
      assertMatrixClose(trainOut, c.train_out, 'train');
      const { result: testOut } = captureWarnings(() => enc.transform(tableOf(c.test, c.columns)));
      assertMatrixClose(testOut, c.test_out, 'test');
    });
  }
});

describe('OneHotEncoder', () => {
  const t = new Table([
    categoricalColumn('city', ['Paris', 'Lyon', null, 'Paris']),
    booleanColumn('vip', [true, false, true, null]),
    numericColumn('code', [3, 1, 3, 2]),
    textColumn('note', ['a', 'b', 'a', 'a']),
    datetimeColumn('day', ['2024-01-01', '2024-01-02', '2024-01-01', '2024-01-01']),
  ]);

  it('names outputs column=category, with (missing) for the missing category and ISO dates', () => {
    const enc = new OneHotEncoder().fit(t);
    assert.deepEqual(enc.getFeatureNamesOut(), [
      'city=Lyon',
      'city=Paris',
      'city=(missing)',
      'vip=false',
      'vip=true',
      'vip=(missing)',
      'code=1',
      'code=2',
      'code=3',
      'note=a',
      'note=b',
      'day=2024-01-01',
      'day=2024-01-02',
    ]);
    const m = enc.transform(t);
    assert.deepEqual(Array.from(m.data.subarray(0, 13)), [0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 0]);
  });

  it('names an infrequent group (infrequent)', () => {
    const enc = new OneHotEncoder({ minFrequency: 2 }).fit(t.select(['city']));
    assert.deepEqual(enc.getFeatureNamesOut(), ['city=Paris', 'city=(infrequent)']);
  });

  it('by default refuses an unknown category, naming the column, the value and the row', () => {
    const enc = new OneHotEncoder().fit(t.select(['city']));
    assert.throws(
      () => enc.transform(new Table([categoricalColumn('city', ['Paris', 'Berlin'])])),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.field === 'city' &&
        /'city' has the category "Berlin" \(row 1\)/.test(e.message) &&
        /handleUnknown/.test(e.message),
    );
  });

  it('refuses given categories that list one twice, naming the column and the category', () => {
    const t = new Table([categoricalColumn('city', ['Lyon', 'Paris'])]);
    for (const cats of [
      ['Lyon', 'Paris', 'Lyon'],
      ['Lyon', null, 'Paris', null],
    ] as Category[][]) {
      assert.throws(
        () => new OneHotEncoder({ categories: [cats], handleUnknown: 'ignore' }).fit(t),
        (e: unknown) =>
          e instanceof ValidationError &&
          /categories given for column 'city' list (the missing value|"Lyon") twice/.test(e.message),
      );
    }
  });

  it('treats a missing value not seen in fit as unknown', () => {
    const enc = new OneHotEncoder().fit(new Table([categoricalColumn('c', ['a', 'b'])]));
    assert.throws(() => enc.transform(new Table([categoricalColumn('c', [null])])), /a missing value/);
    const ign = new OneHotEncoder({ handleUnknown: 'ignore' }).fit(
      new Table([categoricalColumn('c', ['a', 'b'])]),
    );
    assert.deepEqual(Array.from(ign.transform(new Table([categoricalColumn('c', [null])])).data), [0, 0]);
  });

  it('warns when an unknown category becomes all zeros while a category is dropped', () => {
    const enc = new OneHotEncoder({ handleUnknown: 'ignore', drop: 'first' }).fit(t.select(['city']));
    const { warnings } = captureWarnings(() =>
      enc.transform(new Table([categoricalColumn('city', ['Rome'])])),
    );
    assert.ok(warnings.some((w) => w.message.includes("'city'") && w.message.includes('dropped')));
  });

  it('encodes a Matrix of numeric codes, matching columns by position', () => {
    const enc = new OneHotEncoder().fit([
      [1, 10],
      [2, 10],
      [1, 20],
    ]);
    assert.deepEqual(enc.getFeatureNamesOut(), ['x0=1', 'x0=2', 'x1=10', 'x1=20']);
    assert.deepEqual(Array.from(enc.transform([[2, 20]]).data), [0, 1, 0, 1]);
  });

  it('converts a column read with another type (numbers where strings were seen)', () => {
    const enc = new OneHotEncoder().fit(new Table([categoricalColumn('zip', ['75001', '69001'])]));
    assert.deepEqual(Array.from(enc.transform(new Table([numericColumn('zip', [75001])])).data), [0, 1]);
  });

  it('checks given categories in fit when unknown categories are errors', () => {
    assert.throws(
      () => new OneHotEncoder({ categories: [['a']] }).fit(new Table([categoricalColumn('c', ['a', 'b'])])),
      (e: unknown) => e instanceof ValidationError && /"b"/.test(e.message) && e.field === 'categories',
    );
    assert.throws(
      () => new OneHotEncoder({ categories: [['a'], ['b']] }).fit(new Table([categoricalColumn('c', ['a'])])),
      /'categories' has 2 lists but X has 1 columns/,
    );
  });

  it('round-trips through JSON with infrequent groups and drop', () => {
    const enc = new OneHotEncoder({
      handleUnknown: 'infrequent_if_exist',
      minFrequency: 2,
      drop: 'first',
    }).fit(t);
    const back = estimatorFromJSON(roundTrip(enc.toJSON())) as OneHotEncoder;
    assert.deepEqual(back.getFeatureNamesOut(), enc.getFeatureNamesOut());
    assert.deepEqual(Array.from(back.transform(t).data), Array.from(enc.transform(t).data));
  });
});

describe('OneHotEncoder refuses infinite values, as scikit-learn does', () => {
  // scikit-learn 1.2.1: OneHotEncoder().fit([[inf], [1]]) raises "Input contains infinity".
  const isInfinityError = (who: string) => (e: unknown) =>
    e instanceof ValidationError && e.message.startsWith(`${who} cannot take infinite values: column 'x0'`);

  it('in fit', () => {
    assert.throws(
      () => new OneHotEncoder().fit([[1], [Number.POSITIVE_INFINITY]]),
      isInfinityError('OneHotEncoder.fit'),
    );
  });

  it('in transform, even with handleUnknown ignore', () => {
    const enc = new OneHotEncoder({ handleUnknown: 'ignore' }).fit([[1], [2]]);
    assert.throws(
      () => enc.transform([[Number.NEGATIVE_INFINITY]]),
      isInfinityError('OneHotEncoder.transform'),
    );
  });
});

describe('identifyInfrequent (scikit-learn _identify_infrequent)', () => {
  const counts = Float64Array.from([5, 1, 3, 3, 8]);
  it('marks counts below an integer minFrequency, or below a fraction of the rows', () => {
    assert.deepEqual(identifyInfrequent(counts, 20, 3, null), [1]);
    assert.deepEqual(identifyInfrequent(counts, 20, 0.2, null), [1, 2, 3]);
  });
  it('keeps maxCategories − 1 frequent categories, breaking count ties by position', () => {
    assert.deepEqual(identifyInfrequent(counts, 20, null, 3), [1, 2, 3]);
    assert.deepEqual(identifyInfrequent(counts, 20, null, 4), [1, 2]);
    assert.equal(identifyInfrequent(counts, 20, null, 6), null);
    assert.equal(identifyInfrequent(counts, 20, null, 1), null); // NumPy's [:0] is empty
  });
});
