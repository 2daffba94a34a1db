// Table.toMatrix: the numeric view models take.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { booleanColumn, categoricalColumn, numericColumn, textColumn } from '../../src/data/column.ts';
import { tableFromObjects } from '../../src/data/from-rows.ts';
import { Table } from '../../src/data/table.ts';

describe('Table.toMatrix', () => {
  it('writes numbers, booleans as 0/1 and missing values as NaN, row-major', () => {
    const t = new Table([numericColumn('a', [1, null]), booleanColumn('b', [true, null])]);
    const m = t.toMatrix();
    assert.deepEqual(Array.from(m.data), [1, 1, Number.NaN, Number.NaN]);
    assert.deepEqual(m.columns, ['a', 'b']);
  });

  it('refuses a categorical or text column with values, naming it', () => {
    for (const c of [categoricalColumn('city', ['Paris', null]), textColumn('note', [null, 'hi'])]) {
      assert.throws(
        () => new Table([numericColumn('a', [1, 2]), c]).toMatrix(),
        (e: unknown) =>
          e instanceof ValidationError && e.field === c.name && /encode it first/.test(e.message),
      );
    }
  });

  it('takes a column of nulls, whatever type it was given, as a column of NaN', () => {
    // Built from objects, a column with no value is categorical: a single row with income null.
    const one = tableFromObjects([{ age: 1, income: null }]);
    assert.equal(one.column('income').type, 'categorical');
    assert.deepEqual(Array.from(one.toMatrix().data), [1, Number.NaN]);
    const text = new Table([textColumn('t', [null, null])]);
    assert.deepEqual(Array.from(text.toMatrix().data), [Number.NaN, Number.NaN]);
  });
});
