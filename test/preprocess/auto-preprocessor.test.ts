import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { estimatorFromJSON } from '../../src/core/estimator.ts';
import { column } from '../../src/core/matrix.ts';
import { captureWarnings } from '../../src/core/warnings.ts';
import {
  booleanColumn,
  categoricalColumn,
  datetimeColumn,
  numericColumn,
  textColumn,
} from '../../src/data/column.ts';
import { tableFromObjects } from '../../src/data/from-rows.ts';
import type { Schema } from '../../src/data/schema.ts';
import { Table } from '../../src/data/table.ts';
import { DecisionTreeClassifier } from '../../src/models/tree/decision-tree.ts';
import {
  autoPreprocessor,
  formatNotes,
  nativeCategoricalColumns,
  preprocessKindForFamily,
} from '../../src/preprocess/auto-preprocessor.ts';
import { Pipeline } from '../../src/preprocess/pipeline.ts';
import { roundTrip } from './helpers.ts';

const N = 30;
function customers(): Table {
  return new Table([
    numericColumn(
      'customer_id',
      Array.from({ length: N }, (_, i) => 1000 + i),
    ),
    numericColumn(
      'age',
      Array.from({ length: N }, (_, i) => (i % 7 === 3 ? null : 20 + ((i * 13) % 45))),
    ),
    numericColumn(
      'spend',
      Array.from({ length: N }, (_, i) => 10 + ((i * 37) % 90)),
    ),
    categoricalColumn(
      'city',
      Array.from({ length: N }, (_, i) => (i === 4 ? null : ['Paris', 'Lyon', 'Nice'][i % 3])),
    ),
    booleanColumn(
      'vip',
      Array.from({ length: N }, (_, i) => (i === 2 ? null : i % 4 === 0)),
    ),
    categoricalColumn(
      'newsletter',
      Array.from({ length: N }, (_, i) => (i % 3 === 0 ? 'yes' : 'no')),
    ),
    datetimeColumn(
      'signup',
      Array.from({ length: N }, (_, i) => (i === 6 ? null : Date.UTC(2023, i % 12, 1 + (i % 28)))),
    ),
    textColumn(
      'comment',
      Array.from({ length: N }, (_, i) => `free text number ${i} that says something long`),
    ),
  ]);
}
const churn = Array.from({ length: N }, (_, i) => (i % 3 === 0 || i % 5 === 0 ? 'yes' : 'no'));

const schema: Schema = {
  version: 1,
  columns: [
    { name: 'customer_id', type: 'id', storage: 'numeric', nullable: false },
    { name: 'age', type: 'numeric', storage: 'numeric', nullable: true },
    { name: 'spend', type: 'numeric', storage: 'numeric', nullable: false },
    {
      name: 'city',
      type: 'categorical',
      storage: 'categorical',
      nullable: true,
      categories: ['Paris', 'Lyon', 'Nice'],
    },
    { name: 'vip', type: 'boolean', storage: 'boolean', nullable: true },
    {
      name: 'newsletter',
      type: 'boolean',
      storage: 'categorical',
      nullable: false,
      categories: ['yes', 'no'],
    },
    { name: 'signup', type: 'datetime', storage: 'datetime', nullable: true },
    { name: 'comment', type: 'text', storage: 'text', nullable: false },
    { name: 'churned', type: 'categorical', storage: 'categorical', nullable: false },
  ],
};

describe('autoPreprocessor', () => {
  it('linear: median impute + indicator + scale, one-hot, 0/1 booleans, cyclic dates; id and text dropped', () => {
    const ct = autoPreprocessor(schema, { forModel: 'linear', target: 'churned' });
    const X = ct.fitTransform(customers());
    assert.deepEqual(X.columns, [
      'age',
      'spend',
      'age.missing',
      'city=Lyon',
      'city=Nice',
      'city=Paris',
      'vip',
      'newsletter',
      'signup.year',
      'signup.month.sin',
      'signup.month.cos',
      'signup.day.sin',
      'signup.day.cos',
      'signup.weekday.sin',
      'signup.weekday.cos',
    ]);
    // Scaled: mean 0 for numeric columns.
    const age = column(X, 0);
    assert.ok(Math.abs(age.reduce((a, b) => a + b, 0)) < 1e-9);
    // yes/no → 1/0, the true-like level as 1.
    assert.deepEqual(Array.from(column(X, 7)).slice(0, 3), [1, 0, 0]);
    assert.deepEqual(formatNotes(ct.notes), [
      'dropped: customer_id (id-like)',
      'dropped: comment (free text)',
    ]);
    assert.deepEqual(
      ct.describe().map((r) => [r.route, r.transformer]),
      [
        ['numeric', 'SimpleImputer → StandardScaler'],
        ['categorical', 'SimpleImputer → OneHotEncoder'],
        ['boolean', 'SimpleImputer'],
        ['boolean-text', 'SimpleImputer → OrdinalEncoder'],
        ['datetime', 'DatePartExtractor → SimpleImputer → StandardScaler'],
        ['dropped', 'drop'],
      ],
    );
  });

  it('tree: no scaling, ordinal codes with unknown categories as -1, raw date parts', () => {
    const ct = autoPreprocessor(schema, { forModel: 'tree', target: 'churned' });
    ct.fit(customers());
    assert.deepEqual(ct.getFeatureNamesOut(), [
      'age',
      'spend',
      'age.missing',
      'city',
      'vip',
      'newsletter',
      'signup.year',
      'signup.month',
      'signup.day',
      'signup.weekday',
    ]);
    const unseen = customers().withColumn(
      categoricalColumn(
        'city',
        Array.from({ length: N }, () => 'Berlin'),
      ),
    );
    assert.ok(Array.from(column(ct.transform(unseen), 3)).every((v) => v === -1));
  });

  it('naive-bayes: imputation without scaling, one-hot categories', () => {
    const ct = autoPreprocessor(schema, { forModel: 'naive-bayes', target: 'churned' }).fit(customers());
    const X = ct.transform(customers());
    assert.equal(X.data[X.columns.indexOf('spend')], 10);
    assert.ok(X.columns.includes('city=Paris'));
  });

  it('one-hot: unknown categories never fail; rare ones share an (infrequent) column', () => {
    const many = new Table([
      // 1000 rows: categories seen in fewer than 0.5% of them (5 rows) are rare.
      categoricalColumn(
        'shop',
        Array.from({ length: 1000 }, (_, i) => (i < 996 ? `s${i % 4}` : `rare${i}`)),
      ),
    ]);
    const ct = autoPreprocessor(many, { forModel: 'distance' }).fit(many);
    assert.deepEqual(ct.getFeatureNamesOut(), [
      'shop=s0',
      'shop=s1',
      'shop=s2',
      'shop=s3',
      'shop=(infrequent)',
    ]);
    const X = ct.transform(new Table([categoricalColumn('shop', ['never-seen'])]));
    assert.deepEqual(Array.from(X.data), [0, 0, 0, 0, 1]);
  });

  it('infers the schema from a Table (ids by name and uniqueness)', () => {
    const ct = autoPreprocessor(customers(), { forModel: 'tree' });
    assert.ok(formatNotes(ct.notes).includes('dropped: customer_id (id-like)'));
  });

  it('works in a Pipeline with a model, through JSON, and at predict with unseen categories', () => {
    const pipe = new Pipeline({
      steps: [
        ['preprocess', autoPreprocessor(schema, { forModel: 'tree', target: 'churned' })],
        ['model', new DecisionTreeClassifier({ maxDepth: 3 })],
      ],
    });
    pipe.fit(customers(), churn);
    assert.equal(pipe.kind, 'classifier');
    const back = estimatorFromJSON(roundTrip(pipe.toJSON())) as Pipeline;
    assert.deepEqual(back.predict(customers()), pipe.predict(customers()));
    const newRows = customers().withColumn(
      categoricalColumn(
        'city',
        Array.from({ length: N }, () => 'Berlin'),
      ),
    );
    const { result } = captureWarnings(() => back.predict(newRows));
    assert.equal(result.length, N);
  });

  it("'native' keeps missing values and codes categories for models that learn them (gbdt)", () => {
    const t = tableFromObjects([
      { x: 1, city: 'a' },
      { x: null, city: null },
      { x: 3, city: 'b' },
    ]);
    const pre = autoPreprocessor(t, { forModel: 'native' });
    const Z = pre.fitTransform(t);
    const names = pre.getFeatureNamesOut();
    const at = (i: number, name: string) => Z.data[i * Z.cols + names.indexOf(name)];
    assert.ok(Number.isNaN(at(1, 'x')), 'missing number stays NaN (no imputation)');
    assert.ok(Number.isNaN(at(1, 'city')), 'missing category becomes NaN');
    assert.deepEqual([at(0, 'city'), at(2, 'city')], [0, 1]);
    assert.deepEqual(nativeCategoricalColumns(pre), ['city']);
    const unseen = pre.transform(tableFromObjects([{ x: 2, city: 'zzz' }]));
    assert.ok(Number.isNaN(unseen.data[names.indexOf('city')]), 'an unseen category becomes NaN');
  });

  it('exports nativeCategoricalColumns from the package root, as docs/preprocess.md says', async () => {
    // A library user building a 'native' preprocessor for HistGradientBoosting needs it to pass
    // categoricalFeatures; it was only reachable through the internal module path.
    const lathe = await import('../../src/index.ts');
    assert.equal(lathe.nativeCategoricalColumns, nativeCategoricalColumns);
    const t = tableFromObjects([
      { x: 1, city: 'a' },
      { x: 2, city: 'b' },
    ]);
    assert.deepEqual(lathe.nativeCategoricalColumns(autoPreprocessor(t, { forModel: 'native' })), ['city']);
  });

  it('maps CLI model families to preprocessing kinds', () => {
    assert.equal(preprocessKindForFamily('logistic'), 'linear');
    assert.equal(preprocessKindForFamily('gbdt'), 'native');
    assert.equal(preprocessKindForFamily('random-forest'), 'tree');
    assert.equal(preprocessKindForFamily('knn'), 'distance');
    assert.equal(preprocessKindForFamily('gaussian-nb'), 'naive-bayes');
    assert.throws(
      () => preprocessKindForFamily('svm'),
      (e: unknown) => e instanceof ValidationError && /random-forest/.test(e.message),
    );
  });

  it('explains a bad model kind and a target that is not in the schema', () => {
    assert.throws(() => autoPreprocessor(schema, { forModel: 'neural' as never }), /forModel must be one of/);
    assert.throws(
      () => autoPreprocessor(schema, { forModel: 'tree', target: 'churn' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'target',
    );
  });
});

describe('autoPreprocessor: a column with no value in the rows it is fitted on', () => {
  // Built from the whole table, fitted on part of it (a cross-validation fold, the training part of
  // a holdout): a sparse column may have no value there. It must not stop the fit.
  const whole = new Table([
    numericColumn(
      'x',
      Array.from({ length: 20 }, (_, i) => (i < 10 ? null : i)),
    ),
    categoricalColumn(
      'c',
      Array.from({ length: 20 }, (_, i) => (i < 10 ? null : ['a', 'b'][i % 2])),
    ),
    booleanColumn(
      'b',
      Array.from({ length: 20 }, (_, i) => (i < 10 ? null : i % 3 === 0)),
    ),
    datetimeColumn(
      'd',
      Array.from({ length: 20 }, (_, i) => (i < 10 ? null : Date.UTC(2024, 0, i))),
    ),
  ]);
  const part = whole.take(Int32Array.from({ length: 10 }, (_, i) => i));

  for (const forModel of ['linear', 'tree', 'distance', 'naive-bayes'] as const) {
    it(`fits (${forModel}) where every column is missing, keeps one output per row, and transforms the rest`, () => {
      const pre = autoPreprocessor(whole, { forModel });
      const { result: out } = captureWarnings(() => pre.fitTransform(part));
      assert.equal(out.rows, 10);
      for (const v of out.data) assert.ok(Number.isFinite(v));
      const later = pre.transform(whole);
      assert.equal(later.rows, 20);
      assert.equal(later.cols, out.cols);
    });
  }
});
