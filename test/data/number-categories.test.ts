import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError } from '../../src/core/errors.ts';
import {
  applySchema,
  type Column,
  NumberCategories,
  numericColumn,
  readTable,
  type Schema,
  Table,
  writeTable,
} from '../../src/data/index.ts';
import { tmpFile, tmpPath } from './helpers.ts';

/** A model's input schema: column `c` learned as text categories, `x` numeric. */
function schemaWith(categories: string[]): Schema {
  return {
    version: 1,
    columns: [
      { name: 'c', type: 'categorical', storage: 'categorical', nullable: true, categories },
      { name: 'x', type: 'numeric', storage: 'numeric', nullable: true },
    ],
  };
}

function strings(c: Column): (string | null)[] {
  assert.equal(c.type, 'categorical');
  if (c.type !== 'categorical') return [];
  return Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]));
}

describe('NumberCategories', () => {
  it("matches JavaScript's writing first, then the one category of the same value", () => {
    const m = new NumberCategories(['1', '1.0', '2.50', 'x', '007', ' 3', '-0.0']);
    assert.deepEqual(m.match(1), { kind: 'exact', category: '1' });
    assert.deepEqual(m.match(2.5), { kind: 'value', category: '2.50' });
    assert.deepEqual(m.match(0), { kind: 'value', category: '-0.0' });
    // A code with a leading zero, and text with spaces, are not the writing of a number.
    assert.deepEqual(m.match(7), { kind: 'unknown', category: '7' });
    assert.deepEqual(m.match(3), { kind: 'unknown', category: '3' });
  });

  it('says when two categories have the value of the number', () => {
    assert.deepEqual(new NumberCategories(['1.0', '1.00', 'x']).match(1), {
      kind: 'ambiguous',
      candidates: ['1.0', '1.00'],
    });
  });
});

describe('reading numbers into a column the schema makes categorical', () => {
  it("applySchema: a number takes the category of its value ('1.0' learned from a CSV)", () => {
    const t = new Table([numericColumn('c', [1, 2, Number.NaN, 5]), numericColumn('x', [0, 0, 0, 0])]);
    const out = applySchema(t, schemaWith(['1.0', '2.0', 'x']));
    assert.deepEqual(strings(out.column('c')), ['1.0', '2.0', null, '5']);
  });

  it('applySchema: a number two categories could be is an error naming the column, row and fix', () => {
    const t = new Table([numericColumn('c', [2, 1]), numericColumn('x', [0, 0])]);
    assert.throws(
      () => applySchema(t, schemaWith(['1.0', '1.00', '2']), { source: 'new.parquet' }),
      (e: unknown) =>
        e instanceof DataError &&
        e.file === 'new.parquet' &&
        e.column === 'c' &&
        /row 2: the number 1 could be any of the categories "1\.0", "1\.00"/.test(e.message) &&
        /write the column as text/.test(e.fix ?? ''),
    );
  });

  it('Parquet: a DOUBLE column reads as the categories of the same values', async () => {
    const p = tmpPath('codes.parquet');
    await writeTable(new Table([numericColumn('c', [1, 2, 1]), numericColumn('x', [0.5, 0.5, 0.5])]), p);
    const { table } = await readTable(p, { schema: schemaWith(['1.0', '2.0', 'x']) });
    assert.deepEqual(strings(table.column('c')), ['1.0', '2.0', '1.0']);
  });

  it('NDJSON: JSON numbers read as the categories of the same values; JSON strings stay as written', async () => {
    const p = tmpFile(
      'codes.ndjson',
      '{"c":1,"x":0.5}\n{"c":2.0,"x":0.5}\n{"c":"1","x":0.5}\n{"c":3,"x":0.5}\n{"c":null,"x":0.5}\n',
    );
    const { table } = await readTable(p, { schema: schemaWith(['1.0', '2.0', 'x']) });
    assert.deepEqual(strings(table.column('c')), ['1.0', '2.0', '1', '3', null]);
    // Where the training reader wrote the number as JavaScript does, that category is kept.
    const same = await readTable(p, { schema: schemaWith(['1', '2', 'x']) });
    assert.deepEqual(strings(same.table.column('c')), ['1', '2', '1', '3', null]);
  });

  it('NDJSON: a number two categories could be is a bad row naming line and column', async () => {
    const p = tmpFile('amb.ndjson', '{"c":"1.0","x":0.5}\n{"c":1,"x":0.5}\n');
    await assert.rejects(
      readTable(p, { schema: schemaWith(['1.0', '1.00']) }),
      (e: unknown) =>
        e instanceof DataError &&
        e.line === 2 &&
        e.column === 'c' &&
        /the number 1 could be any of the categories "1\.0", "1\.00"/.test(e.message),
    );
    const q = await readTable(p, { schema: schemaWith(['1.0', '1.00']), onBadRows: 'quarantine' });
    assert.equal(q.summary.accepted, 1);
    assert.equal(q.summary.rejected, 1);
  });
});
