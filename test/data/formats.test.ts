import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import {
  booleanColumn,
  categoricalColumn,
  datetimeColumn,
  fingerprint,
  numericColumn,
  readTable,
  Table,
  tableFromObjects,
  textColumn,
  writeFormatFor,
  writeTable,
} from '../../src/data/index.ts';
import { tmpFile, tmpPath } from './helpers.ts';

const sample = () =>
  tableFromObjects([
    { id: 1, x: 1.5, c: 'a', b: true, d: new Date('2020-01-01'), s: 'hello, "world"' },
    { id: 2, x: null, c: 'b', b: false, d: new Date('2020-01-02'), s: 'line\nbreak' },
    { id: 3, x: 0, c: null, b: null, d: null, s: null },
    { id: 4, x: 1e-300, c: 'a', b: true, d: new Date('2020-01-04'), s: ' padded ' },
  ]);

describe('formats, writer and fingerprint', () => {
  for (const ext of ['csv', 'tsv', 'json', 'ndjson', 'parquet']) {
    it(`writes and reads back ${ext} with the same fingerprint`, async () => {
      const t = sample();
      const p = tmpPath(`rt.${ext}`);
      const w = await writeTable(t, p);
      assert.equal(w.rows, 4);
      assert.equal(w.format, ext);
      const r = await readTable(p);
      assert.deepEqual(r.table.toObjects(), t.toObjects());
      assert.equal(fingerprint(r.table), fingerprint(t));
      // No temp file left behind.
      assert.deepEqual(
        readdirSync(dirname(p)).filter((f) => f.endsWith('.tmp')),
        [],
      );
    });
  }

  it('writes CSV per RFC 4180', async () => {
    const p = tmpPath('q.csv');
    await writeTable(sample(), p);
    assert.equal(
      readFileSync(p, 'utf8'),
      'id,x,c,b,d,s\n1,1.5,a,true,2020-01-01,"hello, ""world"""\n2,,b,false,2020-01-02,"line\nbreak"\n3,0,,,,\n4,1e-300,a,true,2020-01-04," padded "\n',
    );
  });

  it('writes datetimes with a time part as ISO-8601', async () => {
    const p = tmpPath('ts.ndjson');
    await writeTable(new Table([datetimeColumn('t', [Date.UTC(2024, 4, 1, 13, 45)])]), p);
    assert.equal(readFileSync(p, 'utf8'), '{"t":"2024-05-01T13:45:00.000Z"}\n');
  });

  it('refuses an unknown output format', async () => {
    await assert.rejects(
      writeTable(sample(), tmpPath('x.xlsx')),
      /cannot tell which format to write .*: the extension "\.xlsx" is not one Lathe writes\. Fix: end the file name with one of \.csv, \.tsv, \.json, \.ndjson, \.jsonl, \.parquet/,
    );
    assert.throws(() => writeFormatFor('x'), /it has no extension/);
    assert.throws(
      () => writeFormatFor('x.csv', 'xlsx' as never),
      /unknown format "xlsx".*csv, tsv, json, ndjson, parquet/,
    );
    assert.equal(writeFormatFor('x.JSONL'), 'ndjson');
    assert.equal(writeFormatFor('x.txt', 'tsv'), 'tsv');
  });

  it('the shipped customers example has the same fingerprint as CSV, Parquet and NDJSON', async () => {
    const hashes = await Promise.all(
      ['csv', 'parquet', 'ndjson'].map(async (e) =>
        fingerprint((await readTable(`examples/customers.${e}`)).table),
      ),
    );
    assert.equal(new Set(hashes).size, 1);
  });

  it('streams NDJSON larger than one read chunk, with CRLF line ends and exact line numbers', async () => {
    const n = 60_000;
    const lines: string[] = [];
    for (let i = 0; i < n; i++)
      lines.push(JSON.stringify({ i, note: `row ${i} — ünïcödé padding to pass four mebibytes` }));
    const p = tmpFile('big.ndjson', `${lines.join('\r\n')}\r\n`);
    assert.ok(readFileSync(p).length > 4 * 1024 * 1024);
    const r = await readTable(p);
    assert.equal(r.table.nRows, n);
    const col = r.table.column('i');
    assert.ok(col.type === 'numeric');
    for (let k = 0; k < n; k += 1009) assert.equal(col.values[k], k);
    assert.equal(r.rowLines?.[n - 1], n);
    assert.equal(r.table.values('note')[n - 1], `row ${n - 1} — ünïcödé padding to pass four mebibytes`);
  });

  it('reads Arrow IPC files', async () => {
    const arrow = tableFromArrays({
      x: Float64Array.from([1, 2.5, Number.NaN]),
      n: Int32Array.from([1, 2, 3]),
      s: ['a', 'b', 'a'],
    });
    const p = tmpFile('t.arrow', tableToIPC(arrow, 'file'));
    const r = await readTable(p);
    assert.equal(r.source.format, 'arrow');
    assert.deepEqual(r.table.values('x'), [1, 2.5, null]);
    assert.deepEqual(r.table.values('n'), [1, 2, 3]);
    assert.deepEqual(r.table.values('s'), ['a', 'b', 'a']);
  });

  it('detects formats by content when the extension says nothing', async () => {
    const t = sample();
    const pq = tmpPath('data.parquet');
    await writeTable(t, pq);
    const noext = tmpFile('data', readFileSync(pq));
    assert.equal((await readTable(noext)).source.format, 'parquet');
    assert.equal((await readTable(tmpFile('a', '{"a":1}\n{"a":2}\n'))).source.format, 'ndjson');
    assert.equal((await readTable(tmpFile('b', '[{"a":1},{"a":2}]'))).source.format, 'json');
    assert.equal((await readTable(tmpFile('c', 'a\tb\n1\t2\n'))).source.format, 'tsv');
  });

  it('a .json file holding one object per line (as DuckDB writes it) is read as NDJSON', async () => {
    const r = await readTable(tmpFile('nd.json', '{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n'));
    assert.equal(r.source.format, 'ndjson');
    assert.deepEqual(r.table.values('a'), [1, 2]);
    assert.deepEqual(r.table.values('b'), ['x', 'y']);
    // An array, or one object over several lines, is still one JSON document.
    assert.equal((await readTable(tmpFile('arr.json', '[{"a":1},\n{"a":2}]'))).source.format, 'json');
    await assert.rejects(
      readTable(tmpFile('obj.json', '{"a": 1,\n "b": 2}')),
      /expected a JSON array of records/,
    );
  });

  it('keeps the digits of JSON integers longer than 15 digits (as text, like CSV)', async () => {
    // JSON.parse rounded them to a double first: 12345678901234567890 became "12345678901234567000".
    const nd = await readTable(
      tmpFile(
        'ids.ndjson',
        '{"id":12345678901234567890,"s":"12345678901234567890","f":1.25}\n{"id":-9007199254740993,"s":"b","f":2}\n',
      ),
    );
    assert.deepEqual(nd.table.values('id'), ['12345678901234567890', '-9007199254740993']);
    assert.deepEqual(nd.table.values('s'), ['12345678901234567890', 'b']);
    assert.deepEqual(nd.table.values('f'), [1.25, 2]);
    const arr = await readTable(tmpFile('ids.json', '[{"id": 98765432109876543210}, {"id": 1}]'));
    assert.deepEqual(arr.table.values('id'), ['98765432109876543210', '1']);
  });

  it('fingerprint: categoricals hash by value, not by code or dictionary order', () => {
    const a = new Table([categoricalColumn('c', ['x', 'y', null, 'x'])]);
    const b = new Table([
      { type: 'categorical', name: 'c', codes: Int32Array.from([1, 0, -1, 1]), dictionary: ['y', 'x'] },
    ]);
    const t = new Table([textColumn('c', ['x', 'y', null, 'x'])]);
    assert.equal(fingerprint(a), fingerprint(b));
    assert.equal(fingerprint(a), fingerprint(t));
    assert.notEqual(fingerprint(a), fingerprint(new Table([categoricalColumn('c', ['x', 'y', 'x', 'x'])])));
    assert.notEqual(fingerprint(a), fingerprint(new Table([categoricalColumn('d', ['x', 'y', null, 'x'])])));
  });

  it('fingerprint: matches the documented canonical encoding byte for byte', () => {
    const table = new Table([
      numericColumn('n', [1.5, null, -0]),
      categoricalColumn('s', ['é', null, 'b']),
      booleanColumn('b', [true, null, false]),
      datetimeColumn('d', [0, null, 86_400_000]),
    ]);
    const parts: Buffer[] = [Buffer.from('lathe-table-v1\n', 'ascii')];
    const u32 = (v: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(v);
      return b;
    };
    const f64 = (v: number) => {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(v);
      return b;
    };
    const nan = Buffer.from([0, 0, 0, 0, 0, 0, 0xf8, 0x7f]);
    parts.push(u32(4), f64(3));
    for (const [name, kind] of [
      ['n', 1],
      ['s', 2],
      ['b', 3],
      ['d', 4],
    ] as const)
      parts.push(u32(Buffer.byteLength(name)), Buffer.from(name), Buffer.from([kind]));
    parts.push(f64(1.5), nan, f64(0));
    parts.push(u32(2), Buffer.from('é'), u32(0xffffffff), u32(1), Buffer.from('b'));
    parts.push(Buffer.from([1, 0xff, 0]));
    parts.push(f64(0), nan, f64(86_400_000));
    const expected = createHash('sha256').update(Buffer.concat(parts)).digest('hex');
    assert.equal(fingerprint(table), expected);
  });

  it('tableFromObjects: types per column, missing keys, schema conversion', () => {
    const t = tableFromObjects([
      { a: 1, b: 'x', c: true },
      { a: 2.5, c: false },
      { a: null, b: 'y', d: { k: 1 } },
    ]);
    assert.deepEqual(
      t.columns.map((c) => c.type),
      ['numeric', 'categorical', 'boolean', 'categorical'],
    );
    assert.deepEqual(t.values('d'), [null, null, '{"k":1}']);
    const s = tableFromObjects([{ age: '31' }, { age: '40' }], {
      version: 1,
      columns: [{ name: 'age', type: 'numeric', storage: 'numeric', nullable: true }],
    });
    assert.deepEqual(s.values('age'), [31, 40]);
    assert.throws(
      () =>
        tableFromObjects([{ age: 'old' }], {
          version: 1,
          columns: [{ name: 'age', type: 'numeric', storage: 'numeric', nullable: true }],
        }),
      /column 'age': row 1: "old" is not a number, but the schema says the column is numeric/,
    );
  });

  it('writes to a temp name and renames (no partial file on failure)', async () => {
    const p = tmpPath('ok.csv');
    writeFileSync(p, 'old content\n');
    await writeTable(sample(), p);
    assert.match(readFileSync(p, 'utf8'), /^id,x,c,b,d,s\n/);
  });
});
