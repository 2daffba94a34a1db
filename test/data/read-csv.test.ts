import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { readTable } from '../../src/data/index.ts';
import { tmpFile } from './helpers.ts';

describe('readTable: CSV dialects', () => {
  it('reads a plain CSV with sniffed types', async () => {
    const p = tmpFile(
      'plain.csv',
      'id,score,city,active,joined\n1,2.5,Lyon,true,2021-03-04\n2,-1e3,Paris,false,2022-12-31\n3,,Lyon,,\n',
    );
    const r = await readTable(p);
    assert.deepEqual(r.dialect, { delimiter: ',', quote: '"', header: true });
    assert.deepEqual(
      r.table.columns.map((c) => c.type),
      ['numeric', 'numeric', 'categorical', 'boolean', 'datetime'],
    );
    assert.deepEqual(r.table.values('score'), [2.5, -1000, null]);
    assert.deepEqual(r.table.values('active'), [true, false, null]);
    assert.deepEqual(r.table.values('joined'), [
      '2021-03-04T00:00:00.000Z',
      '2022-12-31T00:00:00.000Z',
      null,
    ]);
    assert.deepEqual(r.summary, { rowsRead: 3, accepted: 3, rejected: 0 });
    assert.deepEqual(Array.from(r.rowLines ?? []), [2, 3, 4]);
    const city = r.table.column('city');
    assert.ok(city.type === 'categorical');
    assert.deepEqual(Array.from(city.codes), [0, 1, 0]);
    assert.deepEqual(city.dictionary, ['Lyon', 'Paris']);
  });

  it('strips a UTF-8 BOM and reads CRLF line ends', async () => {
    const p = tmpFile('bom.csv', '\uFEFFname,value\r\nä,1\r\nb,2\r\n');
    const r = await readTable(p);
    assert.deepEqual(r.table.columnNames, ['name', 'value']);
    assert.deepEqual(r.table.values('name'), ['ä', 'b']);
    assert.deepEqual(r.table.values('value'), [1, 2]);
  });

  it('keeps line breaks, delimiters and doubled quotes inside quoted fields, and counts lines', async () => {
    const p = tmpFile(
      'quoted.csv',
      'a,note,b\n1,"two\nlines, ""quoted""",x\n2,"crlf\r\ninside",y\n3,plain,z\n',
    );
    const r = await readTable(p);
    assert.deepEqual(r.table.values('note'), ['two\nlines, "quoted"', 'crlf\r\ninside', 'plain']);
    assert.deepEqual(Array.from(r.rowLines ?? []), [2, 4, 6]);
  });

  for (const [name, d] of [
    ['semicolon', ';'],
    ['pipe', '|'],
    ['tab', '\t'],
  ] as const) {
    it(`sniffs a ${name} delimiter`, async () => {
      const rows = [
        'x,y'.replace(',', d),
        `1,5${d}a,b`.replace(',', '.'),
        `2${d}c`,
        `3,25${d}d`.replace(',', '.'),
      ];
      const p = tmpFile(`${name}.txt`, `${rows.join('\n')}\n`);
      const r = await readTable(p, { format: 'csv' });
      assert.equal(r.dialect?.delimiter, d);
      assert.deepEqual(r.table.columnNames, ['x', 'y']);
      assert.deepEqual(r.table.values('x'), [1.5, 2, 3.25]);
    });
  }

  it('sniffs the delimiter of a quoted file without a final line break, whose names hold commas', async () => {
    // The last record (no line break) was left out of the sniff, and ',' tied with ';' on the
    // header alone ('"a,b";"c,d"' splits in two at the comma too): the file failed to load with
    // 'the first line cannot be read: unexpected text after the closing quote'.
    const p = tmpFile('semi.csv', '"price,eur";"qty,units"\r\n"1,5";"2"');
    const r = await readTable(p);
    assert.equal(r.dialect?.delimiter, ';');
    assert.deepEqual(r.table.columnNames, ['price,eur', 'qty,units']);
    assert.deepEqual(r.table.values('qty,units'), [2]);
    const q = tmpFile('semi2.csv', '"a,b";"c,d"\n"x";"y"\n"z";"w"\n');
    assert.equal((await readTable(q)).dialect?.delimiter, ';');
  });

  it("sniffs single quotes when the file quotes with ' and has no double quotes", async () => {
    const r = await readTable(tmpFile('single.csv', "name,city\n'Smith, J',Lyon\n'Doe, A',Nice\n"));
    assert.equal(r.dialect?.quote, "'");
    assert.deepEqual(r.table.values('name'), ['Smith, J', 'Doe, A']);
    const d = await readTable(tmpFile('apostrophe.csv', 'name,city\nO\'Brien,Cork\n"Smith, J",Lyon\n'));
    assert.equal(d.dialect?.quote, '"');
    assert.deepEqual(d.table.values('name'), ["O'Brien", 'Smith, J']);
  });

  it('reads TSV by extension, with commas inside fields', async () => {
    const p = tmpFile('data.tsv', 'name\tcomment\nann\thello, world\nbob\tfine\n');
    const r = await readTable(p);
    assert.equal(r.source.format, 'tsv');
    assert.deepEqual(r.table.values('comment'), ['hello, world', 'fine']);
  });

  it('detects a file without a header and numbers the columns', async () => {
    const p = tmpFile('nohead.csv', '1,2.5,a\n2,3.5,b\n3,4.5,c\n');
    const r = await readTable(p);
    assert.equal(r.dialect?.header, false);
    assert.deepEqual(r.table.columnNames, ['column_1', 'column_2', 'column_3']);
    assert.equal(r.table.nRows, 3);
  });

  it('honours header: false and a given delimiter', async () => {
    const p = tmpFile('given.csv', 'a;b\nc;d\n');
    const r = await readTable(p, { header: false, delimiter: ';' });
    assert.deepEqual(r.table.values('column_1'), ['a', 'c']);
  });

  it('reads the missing-value tokens as missing and keeps codes with leading zeros as text', async () => {
    const p = tmpFile('missing.csv', 'zip,v,s\n02134,NA,x\n10001,n/a,NULL\n00501,3,None\n');
    const r = await readTable(p);
    assert.equal(r.table.column('zip').type, 'categorical');
    assert.deepEqual(r.table.values('zip'), ['02134', '10001', '00501']);
    assert.deepEqual(r.table.values('v'), [null, null, 3]);
    assert.deepEqual(r.table.values('s'), ['x', null, null]);
  });

  it('skips lines of only spaces or tabs like blank lines when there are several columns', async () => {
    // They were rows of one field, so the default onBadRows: 'error' refused the whole file
    // (pandas skips them). Both in the sample and after it (sampleRows: 2).
    const text = 'a,b\r\n1,2\r\n   \r\n3,4\r\n\t \r\n5,6\r\n  ';
    for (const sampleRows of [undefined, 2]) {
      const r = await readTable(tmpFile('ws.csv', text), { sampleRows });
      assert.deepEqual(r.table.values('a'), [1, 3, 5]);
      assert.deepEqual(r.table.values('b'), [2, 4, 6]);
      assert.deepEqual(r.summary, { rowsRead: 3, accepted: 3, rejected: 0 });
      assert.deepEqual(Array.from(r.rowLines ?? []), [2, 4, 6]);
    }
    // In a one-column file such a line is a value.
    const one = await readTable(tmpFile('ws1.csv', 'a\nx\n   \ny\n'));
    assert.deepEqual(one.table.values('a'), ['x', '   ', 'y']);
  });

  it('reads inf and infinity in any case as infinities, as pandas does', async () => {
    // `infinity`, `INFINITY` and `+Infinity` were text, so the column became categorical.
    const p = tmpFile('inf.csv', 'v\ninf\nInf\n-INF\ninfinity\nINFINITY\n+Infinity\n-infinity\n1.5\n');
    const r = await readTable(p);
    assert.equal(r.table.column('v').type, 'numeric');
    const inf = Number.POSITIVE_INFINITY;
    assert.deepEqual(r.table.values('v'), [inf, inf, -inf, inf, inf, inf, -inf, 1.5]);
  });
  it('reads hexadecimal, binary and octal literals and Unicode-space padded numbers as text, as pandas does', async () => {
    // `+s` took '0x1f' as 31, '0b11' as 3, '0o7' as 7 and trimmed a no-break space or a BOM.
    const cells = ['0x1f', '0b11', '0o7', '\u00a012', '12\u00a0', '\ufeff5', '\u20087'];
    const p = tmpFile('notdecimal.csv', `id,v\n${cells.map((c, i) => `${i},${c}`).join('\n')}\n`);
    const r = await readTable(p);
    assert.notEqual(r.table.column('v').type, 'numeric');
    assert.deepEqual(r.table.values('v'), cells);
    // Still numbers: ASCII-padded decimals, underflow to zero (as pandas).
    const q = tmpFile('decimal.csv', 'v\n 12 \n\t-4.5\n1e-400\n+.5e1\n');
    assert.deepEqual((await readTable(q)).table.values('v'), [12, -4.5, 0, 5]);
  });

  it('reads a literal beyond the double range (1e400) as text, not Infinity, as pandas 1.5 does', async () => {
    // `+s` rounded 1e400 to Infinity: a typo (1e40) silently became an infinity that models refuse
    // far from the file. Now it is a stray value: a bad row with its line in a numeric column.
    const all = tmpFile('overflow.csv', 'v\n1e400\n-1.8e308\n');
    const r = await readTable(all);
    assert.equal(r.table.column('v').type, 'categorical');
    assert.deepEqual(r.table.values('v'), ['1e400', '-1.8e308']);
    const rows = Array.from({ length: 200 }, (_, i) => (i === 150 ? '1e400' : String(i * 0.5)));
    const one = tmpFile('overflow-one.csv', `v\n${rows.join('\n')}\n`);
    await assert.rejects(
      readTable(one),
      /, line 152, column 'v': "1e400" is not a number, but the column is numeric/,
    );
  });

  it('honours custom missing values', async () => {
    const p = tmpFile('custom.csv', 'v\n1\n-999\n3\n');
    const r = await readTable(p, { missingValues: ['', '-999'] });
    assert.deepEqual(r.table.values('v'), [1, null, 3]);
  });

  it('reads several datetime formats', async () => {
    const p = tmpFile(
      'dates.csv',
      'iso,ts,us,eu\n2024-02-29,2024-02-29 13:45:10,02/29/2024,29.02.2024\n2023-01-05,2023-01-05T00:00:00Z,01/05/2023,05.01.2023\n',
    );
    const r = await readTable(p);
    for (const c of r.table.columns) assert.equal(c.type, 'datetime', c.name);
    assert.deepEqual(r.table.values('ts'), ['2024-02-29T13:45:10.000Z', '2023-01-05T00:00:00.000Z']);
    assert.deepEqual(r.table.values('us'), r.table.values('iso'));
    assert.deepEqual(r.table.values('eu'), r.table.values('iso'));
    assert.equal(r.schema.columns.find((c) => c.name === 'eu')?.format, '%d.%m.%Y');
  });

  it('chooses text over categorical for high-cardinality strings', async () => {
    const lines = ['comment,grade'];
    for (let i = 0; i < 200; i++) lines.push(`"free text number ${i}",${'abc'[i % 3]}`);
    const r = await readTable(tmpFile('text.csv', `${lines.join('\n')}\n`));
    assert.equal(r.table.column('comment').type, 'text');
    assert.equal(r.table.column('grade').type, 'categorical');
  });

  it('re-types a column that is empty in the sample from all of its values', async () => {
    const lines = ['a,b'];
    for (let i = 0; i < 30; i++) lines.push(`${i},`);
    lines.push('30,2.5');
    const r = await readTable(tmpFile('late.csv', `${lines.join('\n')}\n`), { sampleRows: 10 });
    assert.equal(r.table.column('b').type, 'numeric');
    assert.equal(r.table.values('b')[30], 2.5);
  });

  it('streams a file larger than one read chunk with exact line numbers', async () => {
    const n = 120_000;
    const parts = ['k,text'];
    for (let i = 0; i < n; i++)
      parts.push(
        i % 1000 === 0
          ? `${i},"multi\nline é ${i}"`
          : `${i},row ${i % 7} ünïcödé — some padding to pass 4 MiB`,
      );
    const p = tmpFile('big.csv', `${parts.join('\n')}\n`);
    assert.ok(readFileSync(p).length > 4 * 1024 * 1024);
    const r = await readTable(p);
    assert.equal(r.table.nRows, n);
    const k = r.table.column('k');
    assert.ok(k.type === 'numeric');
    for (let i = 0; i < n; i += 997) assert.equal(k.values[i], i);
    // Line of row i: 2 + i + number of multi-line rows before it.
    const lines = r.rowLines as Int32Array;
    for (const i of [0, 1, 1000, 1001, 59_999, n - 1])
      assert.equal(lines[i], 2 + i + Math.ceil(i / 1000), `row ${i}`);
  });
});

describe('date sniffing with an impossible date', () => {
  it('keeps the column datetime and makes an impossible date a bad row, like any stray value', async () => {
    for (const bad of ['2024-02-31', '2024-13-01', 'notadate']) {
      const rows = ['id,signup_date'];
      for (let i = 0; i < 200; i++)
        rows.push(`${i},${i === 9 ? bad : `2023-${String((i % 12) + 1).padStart(2, '0')}-15`}`);
      const p = tmpFile(`dates-${bad}.csv`, `${rows.join('\n')}\n`);
      await assert.rejects(readTable(p), (e: Error) => {
        assert.match(e.message, new RegExp(`line 11, column 'signup_date': "${bad}" is not a date`));
        return true;
      });
      const q = await readTable(p, { onBadRows: 'quarantine' });
      assert.equal(q.table.column('signup_date').type, 'datetime', bad);
      assert.deepEqual(
        q.rejected.map((r) => r.line),
        [11],
      );
    }
  });
});
