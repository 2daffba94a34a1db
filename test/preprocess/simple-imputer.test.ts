import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { estimatorFromJSON } from '../../src/core/estimator.ts';
import { captureWarnings } from '../../src/core/warnings.ts';
import { booleanColumn, categoricalColumn, numericColumn, textColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { SimpleImputer } from '../../src/preprocess/simple-imputer.ts';
import { assertClose, assertMatrixClose, fixture, roundTrip, rowsToMatrix } from './helpers.ts';

type Rows = (number | null)[][];
interface NumericCase {
  name: string;
  params: Record<string, unknown>;
  set: string;
  statistics: (number | null)[];
  names_out: string[];
  train_out: Rows;
  test_out: Rows;
}
interface StringCase {
  name: string;
  params: Record<string, unknown>;
  train: (string | null)[][];
  test: (string | null)[][];
  statistics: (string | null)[];
  train_out: (string | number | boolean)[][];
  test_out: (string | number | boolean)[][];
}
const fx = fixture<{
  numeric: { sets: Record<string, { train: Rows; test: Rows }>; cases: NumericCase[] };
  strings: StringCase[];
}>('imputer.json');

/** scikit-learn's `missingindicator_x0` is Lathe's `x0.missing`. */
function sklearnName(name: string): string {
  return name.endsWith('.missing') ? `missingindicator_${name.slice(0, -'.missing'.length)}` : name;
}

describe('SimpleImputer against scikit-learn 1.2.1 (tolerance 1e-9)', () => {
  for (const c of fx.numeric.cases) {
    it(c.name, () => {
      const { train, test } = fx.numeric.sets[c.set];
      const imp = new SimpleImputer(c.params as never);
      const Xtr = rowsToMatrix(train);
      captureWarnings(() => imp.fit(Xtr));
      assertClose(imp.statistics_! as number[], c.statistics, 'statistics');
      assert.deepEqual(imp.getFeatureNamesOut().map(sklearnName), c.names_out);
      assertMatrixClose(imp.transform(Xtr), c.train_out, 'train');
      assertMatrixClose(imp.transform(rowsToMatrix(test)), c.test_out, 'test');
    });
  }

  for (const c of fx.strings) {
    it(c.name, () => {
      const asTable = (rows: (string | null)[][]) =>
        new Table(
          rows[0].map((_, j) =>
            categoricalColumn(
              `x${j}`,
              rows.map((r) => r[j]),
            ),
          ),
        );
      const imp = new SimpleImputer(c.params as never).fit(asTable(c.train));
      assert.deepEqual(imp.statistics_, c.statistics);
      for (const [rows, expected] of [
        [c.train, c.train_out],
        [c.test, c.test_out],
      ] as const) {
        const out = imp.transformTable(asTable(rows));
        const got = rows.map((_, i) => out.columns.map((col) => out.get(i, col.name)));
        // scikit-learn's indicator columns are booleans; Lathe's are 0/1 numbers.
        assert.deepEqual(
          got,
          expected.map((r) => r.map((v) => (typeof v === 'boolean' ? Number(v) : v))),
        );
      }
    });
  }
});

describe('SimpleImputer', () => {
  it('the mean of values whose sum overflows is still their mean', () => {
    const imp = new SimpleImputer().fit([
      [1e308, 1],
      [1e308, Number.NaN],
      [Number.NaN, 3],
      [-1e308, 2],
      [1.5e308, 2],
    ]);
    // (1e308 + 1e308 − 1e308 + 1.5e308) / 4, summed as values / 4: no Infinity.
    const mean = imp.statistics_![0] as number;
    assert.ok(Math.abs(mean - 0.625e308) <= 1e-12 * 0.625e308, `mean ${mean}`);
    assert.equal(imp.statistics_![1], 2);
    assert.deepEqual(Array.from(imp.transform([[Number.NaN, Number.NaN]]).data), [0.625e308, 2]);
  });

  it('sums a mean in NumPy order: pairwise for a Table column or a lone Matrix column', () => {
    // scikit-learn 1.2.1 gives 12/7 for SimpleImputer().fit(x[:, None]) and for a DataFrame of x
    // and another column (F-ordered, so each column is summed pairwise); one value after another,
    // as NumPy reduces a C-ordered array of several columns, gives 16/7 — the order decides how
    // 1e16 − 1e16 cancels.
    const x = [Number.NaN, 1e16, 3, 1, Number.NaN, 3, 3, Number.NaN, 3, -1e16, Number.NaN];
    const lone = new SimpleImputer().fit(x.map((v) => [v]));
    assert.deepEqual(lone.statistics_, [12 / 7]);
    const table = new SimpleImputer().fit(
      new Table([
        numericColumn('x', x),
        numericColumn(
          'y',
          x.map((_, i) => i),
        ),
      ]),
    );
    assert.deepEqual(table.statistics_, [12 / 7, 5]);
    const matrix = new SimpleImputer().fit(x.map((v, i) => [v, i]));
    assert.deepEqual(matrix.statistics_, [16 / 7, 5]);
  });

  it('drops a column with no observed value, with a warning naming it', () => {
    const imp = new SimpleImputer({ strategy: 'median' });
    const { warnings } = captureWarnings(() =>
      imp.fit([
        [1, Number.NaN],
        [2, Number.NaN],
      ]),
    );
    assert.deepEqual(imp.getFeatureNamesOut(), ['x0']);
    assert.deepEqual(imp.droppedColumns(), ['x1']);
    assert.ok(warnings.some((w) => w.message.includes("'x1'") && w.message.includes('keepEmptyFeatures')));
  });

  it("drops a string column with no observed value under 'most_frequent', as scikit-learn (keeps it with keepEmptyFeatures)", () => {
    // scikit-learn 1.2.1: SimpleImputer(strategy='most_frequent') on an all-NaN object column has the
    // statistic NaN and drops the column; it used to be kept here, filled with "missing_value".
    const t = new Table([
      categoricalColumn('city', ['a', null, 'a']),
      textColumn('note', [null, null, null]),
    ]);
    const imp = new SimpleImputer({ strategy: 'most_frequent' });
    const { warnings } = captureWarnings(() => imp.fit(t));
    assert.deepEqual(imp.getFeatureNamesOut(), ['city']);
    assert.deepEqual(imp.droppedColumns(), ['note']);
    assert.deepEqual(imp.transformTable(t).columnNames, ['city']);
    assert.ok(warnings.some((w) => w.message.includes("'note'")));
    const back = estimatorFromJSON(roundTrip(imp.toJSON())) as SimpleImputer;
    assert.deepEqual(back.transformTable(t).columnNames, ['city']);
    const kept = new SimpleImputer({ strategy: 'most_frequent', keepEmptyFeatures: true }).fit(t);
    assert.deepEqual(
      kept.transformTable(t).column('note'),
      textColumn('note', ['missing_value', 'missing_value', 'missing_value']),
    );
  });

  it('imputes booleans (as 0/1) and text columns in a Table, keeping their types', () => {
    const t = new Table([
      booleanColumn('vip', [true, null, true, false]),
      textColumn('note', ['a', 'b', null, 'b']),
      numericColumn('age', [1, null, 3, 5]),
    ]);
    const out = new SimpleImputer({ strategy: 'most_frequent', addIndicator: true }).fit(t).transformTable(t);
    assert.deepEqual(
      out.columns.map((c) => [c.name, c.type]),
      [
        ['vip', 'boolean'],
        ['note', 'text'],
        ['age', 'numeric'],
        ['vip.missing', 'numeric'],
        ['note.missing', 'numeric'],
        ['age.missing', 'numeric'],
      ],
    );
    assert.deepEqual(out.values('vip'), [true, true, true, false]);
    assert.deepEqual(out.values('note'), ['a', 'b', 'b', 'b']);
    assert.deepEqual(out.values('age'), [1, 1, 3, 5]);
  });

  it("names the column when 'mean' meets a categorical column, and a string fillValue meets numbers", () => {
    const t = new Table([categoricalColumn('city', ['a', null])]);
    assert.throws(
      () => new SimpleImputer({ strategy: 'mean' }).fit(t),
      (e: unknown) => e instanceof ValidationError && e.field === 'city' && /most_frequent/.test(e.message),
    );
    assert.throws(
      () => new SimpleImputer({ strategy: 'constant', fillValue: 'x' }).fit([[1], [Number.NaN]]),
      (e: unknown) => e instanceof ValidationError && e.field === 'fillValue',
    );
  });

  it('refuses to return a Matrix holding a categorical column, pointing to transformTable', () => {
    const t = new Table([categoricalColumn('city', ['a', null, 'a'])]);
    const imp = new SimpleImputer({ strategy: 'most_frequent' }).fit(t);
    assert.throws(() => imp.transform(t), /transformTable/);
    assert.deepEqual(imp.transformTable(t).values('city'), ['a', 'a', 'a']);
  });

  it('round-trips through JSON with string statistics', () => {
    const t = new Table([
      categoricalColumn('city', ['a', null, 'b', 'b']),
      numericColumn('n', [1, 2, null, 4]),
    ]);
    const imp = new SimpleImputer({ strategy: 'most_frequent', addIndicator: true }).fit(t);
    const back = estimatorFromJSON(roundTrip(imp.toJSON())) as SimpleImputer;
    assert.deepEqual(back.transformTable(t).toObjects(), imp.transformTable(t).toObjects());
  });
});

describe('SimpleImputer refuses infinite values, as scikit-learn does', () => {
  it('in fit and transform, for matrices and tables, naming the column and row', () => {
    const inf = Number.POSITIVE_INFINITY;
    assert.throws(
      () =>
        new SimpleImputer().fit([
          [1, 2],
          [Number.NaN, -inf],
        ]),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.field === 'x1' &&
        /SimpleImputer\.fit cannot take infinite values: column 'x1' has an infinite value \(-Infinity\) at row 1/.test(
          e.message,
        ),
    );
    const t = new Table([numericColumn('age', [1, null, inf]), categoricalColumn('c', ['a', 'b', null])]);
    assert.throws(
      () => new SimpleImputer().fit(t),
      /column 'age' has an infinite value \(Infinity\) at row 2/,
    );
    const imp = new SimpleImputer().fit([
      [1, 2],
      [Number.NaN, 4],
    ]);
    assert.throws(
      () => imp.transform([[inf, 1]]),
      /SimpleImputer\.transform cannot take infinite values: column 'x0'/,
    );
    const tImp = new SimpleImputer({ strategy: 'most_frequent' }).fit(
      new Table([numericColumn('age', [1, null, 3]), categoricalColumn('c', ['a', 'b', null])]),
    );
    const bad = new Table([numericColumn('age', [1, inf]), categoricalColumn('c', ['a', null])]);
    assert.throws(
      () => tImp.transformTable(bad),
      /SimpleImputer\.transformTable cannot take infinite values: column 'age'.* at row 1/,
    );
    const numeric = new SimpleImputer().fit(new Table([numericColumn('age', [1, null, 3])]));
    assert.throws(
      () => numeric.transform(new Table([numericColumn('age', [inf])])),
      /SimpleImputer\.transform cannot take infinite values: column 'age'/,
    );
    // Missing values are still imputed.
    assert.deepEqual(Array.from(imp.transform([[Number.NaN, 1]]).data), [1, 1]);
  });
});
