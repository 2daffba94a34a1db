import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DataError } from '../../src/core/errors.ts';
import {
  applySchema,
  categoricalColumn,
  inferSchema,
  isIdName,
  numericColumn,
  readSchemaFile,
  readTable,
  Table,
  tableFromObjects,
  textColumn,
  validateSchema,
  writeSchemaFile,
} from '../../src/data/index.ts';
import { tmpFile, tmpPath } from './helpers.ts';

describe('schema', () => {
  it('a missing value in a non-nullable column of a CSV names the line of the first one', async () => {
    // The message named only the column ('has 2 missing values'): no line to look at.
    const p = tmpFile('nn.csv', 'id,amt\n1,1.5\n2,"x\ny"\n3,\n4,\n');
    const schema = {
      version: 1 as const,
      columns: [
        { name: 'amt', type: 'categorical' as const, storage: 'categorical' as const, nullable: false },
      ],
    };
    await assert.rejects(readTable(p, { schema }), (e: unknown) => {
      assert.ok(e instanceof DataError);
      assert.match(
        e.message,
        /, line 5, column 'amt': has 2 missing values \(the first on this line\), but the schema says it is not nullable\. Fix: /,
      );
      assert.equal(e.line, 5);
      return true;
    });
  });

  it('infers the semantic types of the customers example', async () => {
    const { schema } = await readTable('examples/customers.csv');
    const t = Object.fromEntries(
      schema.columns.map((c) => [c.name, `${c.type}/${c.storage}${c.nullable ? '?' : ''}`]),
    );
    assert.deepEqual(t, {
      customer_id: 'id/text',
      signup_date: 'datetime/datetime',
      age: 'numeric/numeric?',
      region: 'categorical/categorical?',
      plan: 'categorical/categorical',
      monthly_charges: 'numeric/numeric',
      tenure_months: 'numeric/numeric',
      total_charges: 'numeric/numeric?',
      support_calls: 'numeric/numeric',
      paperless_billing: 'boolean/boolean?',
      payment_method: 'categorical/categorical?',
      churned: 'boolean/categorical',
    });
    const plan = schema.columns.find((c) => c.name === 'plan');
    assert.deepEqual([...(plan?.categories ?? [])].sort(), ['basic', 'premium', 'standard']);
    const age = schema.columns.find((c) => c.name === 'age');
    assert.ok(age?.min !== undefined && age.min >= 18 && (age.max as number) <= 85);
    assert.equal(schema.columns.find((c) => c.name === 'signup_date')?.format, '%Y-%m-%d');
  });

  it('id-like: unique integers or strings named like ids; not when repeated or missing', () => {
    assert.ok(
      isIdName('customer_id') &&
        isIdName('ID') &&
        isIdName('userId') &&
        isIdName('order-key') &&
        isIdName('uuid'),
    );
    assert.ok(!isIdName('paid') && !isIdName('valid') && !isIdName('idea'));
    const t = new Table([
      numericColumn('user_id', [3, 1, 2, 4]),
      numericColumn('group_id', [1, 1, 2, 2]),
      numericColumn('count', [3, 1, 2, 4]),
      textColumn('order_key', ['a', 'b', 'c', null]),
    ]);
    const types = inferSchema(t).columns.map((c) => c.type);
    assert.deepEqual(types, ['id', 'numeric', 'numeric', 'categorical']);
  });

  it('numeric facts (range, missing, id / boolean / numeric) = a plain reading of the rules, on random columns', () => {
    const value = fc.oneof(
      fc.constantFrom(0, 1, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2, -3),
      fc.double(),
      fc.integer({ min: -5, max: 5 }),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 40 }), fc.constantFrom('x', 'row_id'), (values, name) => {
        const got = inferSchema(new Table([numericColumn(name, values)])).columns[0];
        const present = values.filter((x) => !Number.isNaN(x));
        const missing = values.length - present.length;
        const integers = present.every((x) => Number.isInteger(x));
        const zeroOne = present.every((x) => x === 0 || x === 1);
        const unique = new Set(values).size === values.length;
        assert.equal(got.nullable, missing > 0);
        if (present.length > 0) {
          // An infinite bound is left out (a model package takes finite bounds only).
          const lo = Math.min(...present);
          const hi = Math.max(...present);
          const min = Number.isFinite(lo) ? lo : undefined;
          const max = Number.isFinite(hi) ? hi : undefined;
          assert.ok(Object.is(got.min, min) || got.min === min);
          assert.ok(Object.is(got.max, max) || got.max === max);
        } else assert.ok(got.min === undefined && got.max === undefined);
        const type =
          name === 'row_id' && integers && missing === 0 && values.length >= 2 && unique
            ? 'id'
            : zeroOne && present.length > 0 && Math.min(...present) === 0 && Math.max(...present) === 1
              ? 'boolean'
              : 'numeric';
        assert.equal(got.type, type);
      }),
      { numRuns: 500, seed: 4 },
    );
  });

  it('booleans from true/false, yes/no and 0/1; categorical vs text by cardinality', () => {
    const many = Array.from({ length: 120 }, (_, i) => `comment ${i}`);
    const t = new Table([
      categoricalColumn('yn', ['Yes', 'no', 'yes', null]),
      numericColumn('flag', [0, 1, 1, 0]),
      categoricalColumn('size', ['S', 'M', 'L', 'M']),
    ]);
    assert.deepEqual(
      inferSchema(t).columns.map((c) => c.type),
      ['boolean', 'boolean', 'categorical'],
    );
    const free = new Table([textColumn('note', many)]);
    assert.equal(inferSchema(free).columns[0].type, 'text');
  });

  it('applySchema converts storage and orders levels; errors name column, row and value', () => {
    const t = tableFromObjects([
      { n: '1', b: 'yes', d: '2024-01-02', c: 'b' },
      { n: '2.5', b: 'no', d: null, c: 'a' },
    ]);
    const s = applySchema(t, {
      version: 1,
      columns: [
        { name: 'n', type: 'numeric', storage: 'numeric', nullable: true },
        { name: 'b', type: 'boolean', storage: 'boolean', nullable: true },
        { name: 'd', type: 'datetime', storage: 'datetime', nullable: true },
        { name: 'c', type: 'categorical', storage: 'categorical', nullable: false, categories: ['a', 'b'] },
      ],
    });
    assert.deepEqual(s.toObjects(), [
      { n: 1, b: true, d: new Date('2024-01-02'), c: 'b' },
      { n: 2.5, b: false, d: null, c: 'a' },
    ]);
    const c = s.column('c');
    assert.ok(c.type === 'categorical');
    assert.deepEqual(c.dictionary, ['a', 'b']);
    assert.deepEqual(Array.from(c.codes), [1, 0]);
    const one = (cs: object) => ({ version: 1 as const, columns: [cs as never] });
    assert.throws(
      () => applySchema(t, one({ name: 'b', type: 'numeric' })),
      /column 'b': row 1: "yes" is not a number, but the schema says the column is numeric/,
    );
    assert.throws(
      () => applySchema(t, one({ name: 'd', type: 'datetime', nullable: false })),
      /column 'd': has 1 missing value \(in row 2\), but the schema says it is not nullable/,
    );
    assert.throws(
      () => applySchema(t, one({ name: 'nn', type: 'numeric' })),
      /no column named 'nn'.*did you mean 'n'/,
    );
    assert.throws(
      () =>
        applySchema(t, one({ name: 'c', type: 'categorical', categories: ['a'] }), {
          strictCategories: true,
        }),
      /row 1: "b" is not one of the schema's categories/,
    );
  });

  it('schema files: write, read back, and a clear error for each kind of bad file', async () => {
    const { schema } = await readTable('examples/housing.csv');
    const p = tmpPath('schema.json');
    writeSchemaFile(schema, p);
    assert.deepEqual(readSchemaFile(p), schema);
    assert.match(readFileSync(p, 'utf8'), /^\{\n {2}"version": 1,\n {2}"columns": \[/);
    const bad: [string, RegExp][] = [
      [
        '{"columns": [{"name": "a", "type": "number"}]}',
        /column 'a': column 'a' has type "number"; expected one of numeric, categorical, boolean, datetime, text, id/,
      ],
      ['{"columns": {}}', /"columns" must be an array of column objects/],
      ['{"version": 2, "columns": []}', /unsupported schema version 2/],
      ['{"columns": [{"type": "numeric"}]}', /columns\[0\] needs a non-empty "name"/],
      [
        '{"columns": [{"name": "a", "type": "numeric", "colour": 1}]}',
        /column 'a' has an unknown field "colour"/,
      ],
      [
        '{"columns": [{"name": "a", "type": "numeric"}, {"name": "a", "type": "text"}]}',
        /column 'a' appears twice/,
      ],
      [
        '{"columns": [{"name": "d", "type": "datetime", "format": "%Y%m%d"}]}',
        /datetime "format" "%Y%m%d" is not supported/,
      ],
      ['{"columns": [', /the schema file is not valid JSON/],
    ];
    for (const [text, re] of bad) {
      const f = tmpFile('bad-schema.json', text);
      assert.throws(
        () => readSchemaFile(f),
        (e: unknown) => e instanceof DataError && re.test(e.message) && e.message.startsWith(f),
        text,
      );
    }
    assert.throws(() => readSchemaFile(tmpPath('none.json')), /the schema file does not exist/);
  });

  it('readTable with a schema file overrides sniffed types (and the schema says so)', async () => {
    const sp = tmpFile(
      'ov.json',
      JSON.stringify({
        version: 1,
        columns: [
          { name: 'zip', type: 'categorical' },
          { name: 'n', type: 'id' },
        ],
      }),
    );
    const p = tmpFile('ov.csv', 'zip,n\n12345,1\n23456,2\n');
    const r = await readTable(p, { schema: sp });
    assert.deepEqual(r.table.values('zip'), ['12345', '23456']);
    assert.equal(r.schema.columns[0].type, 'categorical');
    assert.equal(r.schema.columns[1].type, 'id');
    assert.equal(r.table.column('n').type, 'text');
    const parquet = tmpPath('ov.parquet');
    const { writeTable } = await import('../../src/data/index.ts');
    await writeTable(r.table, parquet);
    const back = await readTable(parquet, {
      schema: validateSchema({ columns: [{ name: 'n', type: 'numeric' }] }),
    });
    assert.deepEqual(back.table.values('n'), [1, 2]);
    await assert.rejects(
      readTable(p, {
        schema: {
          version: 1,
          columns: [{ name: 'nope', type: 'numeric', storage: 'numeric', nullable: true }],
        },
      }),
      /the schema names a column 'nope' that the file does not have/,
    );
  });
});

describe('inferSchema bounds', () => {
  it('leaves out an infinite min or max (a model package takes finite bounds only)', () => {
    const s = inferSchema(new Table([numericColumn('x', [1, Number.POSITIVE_INFINITY, -2])])).columns[0];
    assert.equal(s.min, -2);
    assert.equal(s.max, undefined);
    const n = inferSchema(new Table([numericColumn('x', [Number.NEGATIVE_INFINITY, 3])])).columns[0];
    assert.equal(n.min, undefined);
    assert.equal(n.max, 3);
  });
});

describe('a recorded datetime format also takes ISO 8601 dates', () => {
  const dayFirst = () =>
    tmpFile(
      'day-first.json',
      JSON.stringify({ version: 1, columns: [{ name: 'd', type: 'datetime', format: '%d/%m/%Y' }] }),
    );
  const iso = (ms: number) => (Number.isNaN(ms) ? null : new Date(ms).toISOString());
  const dates = (t: Table, name: string) => {
    const c = t.column(name);
    assert.ok(c.type === 'datetime');
    return Array.from(c.values, iso);
  };

  it('CSV: day-first values keep the schema format, ISO values are read as ISO', async () => {
    // Enough rows that the later ones go through the reader's fast paths, not only the sample's.
    const rows = ['id,d'];
    for (let i = 0; i < 3000; i++) rows.push(`${i},${(i % 28) + 1}/06/2023`);
    rows.push('3000,05/06/2023', '3001,2023-06-07', '3002,2023-06-08T10:30:00Z', '3003,2023-06-09 10:30');
    rows.push('3004,2023-06-10T12:00:00.250+02:00', '3005,');
    const r = await readTable(tmpFile('dmy.csv', `${rows.join('\n')}\n`), { schema: dayFirst() });
    const d = r.table.column('d');
    assert.ok(d.type === 'datetime');
    assert.deepEqual(Array.from(d.values.subarray(3000), iso), [
      '2023-06-05T00:00:00.000Z',
      '2023-06-07T00:00:00.000Z',
      '2023-06-08T10:30:00.000Z',
      '2023-06-09T10:30:00.000Z',
      '2023-06-10T10:00:00.250Z',
      null,
    ]);
    assert.equal(iso(d.values[12]), '2023-06-13T00:00:00.000Z');
    assert.equal(r.schema.columns.find((c) => c.name === 'd')?.format, '%d/%m/%Y');
  });

  it('CSV: a value in neither form is an error naming the line, the column, both forms and the fix', async () => {
    for (const bad of ['2023-13-01', '13/13/2023', '06-05-2023']) {
      const p = tmpFile('dmy-bad.csv', `id,d\n1,05/06/2023\n2,2023-06-07\n3,${bad}\n`);
      await assert.rejects(readTable(p, { schema: dayFirst() }), (e: unknown) => {
        assert.ok(e instanceof DataError);
        assert.equal(e.line, 4);
        assert.equal(e.column, 'd');
        assert.match(
          e.message,
          new RegExp(
            `line 4, column 'd': "${bad}" is not a date/time in the format %d/%m/%Y or ISO 8601 \\(YYYY-MM-DD\\), but the column is datetime \\(as the schema says\\)`,
          ),
        );
        assert.match(e.message, /Fix: /);
        return true;
      });
    }
  });

  it('NDJSON and applySchema: the same fallback', async () => {
    const j = tmpFile('dmy.ndjson', '{"d":"05/06/2023"}\n{"d":"2023-06-07"}\n');
    const r = await readTable(j, { schema: dayFirst() });
    assert.deepEqual(dates(r.table, 'd'), ['2023-06-05T00:00:00.000Z', '2023-06-07T00:00:00.000Z']);
    await assert.rejects(
      readTable(tmpFile('dmy-bad.ndjson', '{"d":"05/06/2023"}\n{"d":"2023-02-30"}\n'), {
        schema: dayFirst(),
      }),
      /line 2, column 'd': "2023-02-30" is not a date\/time in the format %d\/%m\/%Y or ISO 8601/,
    );
    const schema = {
      version: 1 as const,
      columns: [
        {
          name: 'd',
          type: 'datetime' as const,
          storage: 'datetime' as const,
          nullable: true,
          format: '%d/%m/%Y',
        },
      ],
    };
    const t = applySchema(
      tableFromObjects([{ d: '05/06/2023' }, { d: '2023-06-07 08:00' }, { d: null }]),
      schema,
    );
    assert.deepEqual(dates(t, 'd'), ['2023-06-05T00:00:00.000Z', '2023-06-07T08:00:00.000Z', null]);
    assert.throws(
      () => applySchema(tableFromObjects([{ d: '05/06/2023' }, { d: '5 June 2023' }]), schema),
      /column 'd': row 2: "5 June 2023" is not a date\/time in the format %d\/%m\/%Y or ISO 8601 \(YYYY-MM-DD\)/,
    );
  });
});
