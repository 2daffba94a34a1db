import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { readTable } from '../../src/data/index.ts';
import { tmpFile, tmpPath } from './helpers.ts';

/** Parses the rejects CSV (line,reason,raw) with the reader itself. */
async function readRejects(path: string) {
  const r = await readTable(path, {
    schema: { version: 1, columns: [{ name: 'raw', type: 'text', storage: 'text', nullable: true }] },
  });
  return r.table.toObjects();
}

describe('readTable: quarantine', () => {
  it('sets bad rows aside with line, reason and raw text, and accounts for every row', async () => {
    const rows = ['id,amount,city'];
    for (let i = 1; i <= 200; i++)
      rows.push(`${i},${(i * 1.25).toFixed(2)},${['Lyon', 'Paris', 'Nice'][i % 3]}`);
    rows[10] = '10,12.5,Lyon,EXTRA'; // line 11: too many fields
    rows[20] = '20,25'; // line 21: too few
    rows[30] = '30,thirty,Nice'; // line 31: not a number
    rows[40] = '40,50,"Pa\nris"'; // a quoted line break: fine, spans lines 41-42
    const p = tmpFile('dirty.csv', `${rows.join('\n')}\n`);
    const rejectsPath = tmpPath('dirty.rejects.csv');
    const r = await readTable(p, { onBadRows: 'quarantine', rejectsPath });
    assert.deepEqual(r.summary, { rowsRead: 200, accepted: 197, rejected: 3, rejectsPath });
    assert.equal(r.summary.accepted + r.summary.rejected, r.summary.rowsRead);
    assert.deepEqual(
      r.rejected.map((x) => [x.line, x.reason, x.raw]),
      [
        [11, 'expected 3 fields (as in the header), found 4', '10,12.5,Lyon,EXTRA'],
        [21, 'expected 3 fields (as in the header), found 2', '20,25'],
        [
          31,
          'column \'amount\': "thirty" is not a number, but the column is numeric (the type sniffed from the first rows)',
          '30,thirty,Nice',
        ],
      ],
    );
    assert.equal(r.table.column('amount').type, 'numeric');
    assert.equal(r.table.values('city')[36], 'Pa\nris');
    const file = await readRejects(rejectsPath);
    assert.deepEqual(
      file.map((x) => [x.line, x.raw]),
      [
        [11, '10,12.5,Lyon,EXTRA'],
        [21, '20,25'],
        [31, '30,thirty,Nice'],
      ],
    );
    assert.match(readFileSync(rejectsPath, 'utf8'), /^line,reason,raw\n/);
  });

  it('a stray quote costs one line, not the rest of the file', async () => {
    const rows = ['id,name,score'];
    for (let i = 1; i <= 50; i++) rows.push(`${i},"Name ${i}",${i}`);
    rows[25] = '25,"Broken,25';
    const r = await readTable(tmpFile('stray.csv', `${rows.join('\n')}\n`), {
      onBadRows: 'quarantine',
      rejectsPath: tmpPath('r.csv'),
    });
    assert.equal(r.summary.rejected, 1);
    assert.equal(r.rejected[0].line, 26);
    assert.equal(r.rejected[0].raw, '25,"Broken,25');
    assert.match(r.rejected[0].reason, /probably unterminated/);
    assert.equal(r.table.nRows, 49);
    assert.deepEqual(r.table.values('id').slice(23, 26), [24, 26, 27]);
  });

  it('a well-quoted record over several lines with a wrong field count is one bad row, not a stray quote', async () => {
    // It was taken for a stray quote: its first line set aside and reading resumed inside the
    // quoted field, so the line 'two",3,EXTRA' (3 fields) was accepted as a row: id 'two"'.
    const p = tmpFile('multi.csv', 'id,note,n\n1,ok,1\n2,"line one\ntwo",3,EXTRA\n4,fine,5\n');
    const rejectsPath = tmpPath('m.csv');
    const r = await readTable(p, { onBadRows: 'quarantine', rejectsPath });
    assert.deepEqual(r.summary, { rowsRead: 3, accepted: 2, rejected: 1, rejectsPath });
    assert.deepEqual(r.rejected, [
      { line: 3, reason: 'expected 3 fields (as in the header), found 4', raw: '2,"line one\ntwo",3,EXTRA' },
    ]);
    assert.deepEqual(r.table.values('id'), [1, 4]);
    assert.deepEqual(Array.from(r.rowLines ?? []), [2, 5]);
  });

  it('an unterminated quote that runs past maxRecordChars while streaming', async () => {
    const body: string[] = ['a,b', '1,"open'];
    for (let i = 0; i < 220_000; i++) body.push(`${i + 2},row`);
    const p = tmpFile('runaway.csv', `${body.join('\n')}\n`);
    const r = await readTable(p, {
      onBadRows: 'quarantine',
      maxRecordChars: 100_000,
      rejectsPath: tmpPath('rr.csv'),
    });
    assert.equal(r.rejected[0].line, 2);
    assert.match(r.rejected[0].reason, /runs past the limit of 100000 characters/);
    assert.equal(r.summary.accepted + r.summary.rejected, r.summary.rowsRead);
    assert.equal(r.summary.rowsRead, 220_001);
    assert.equal(r.table.nRows, 220_000);
  });

  it('NDJSON: invalid JSON, non-objects, unknown keys and bad values are quarantined by line', async () => {
    const lines = [];
    for (let i = 0; i < 30; i++) lines.push(JSON.stringify({ id: i, x: i / 2, tag: i % 2 ? 'odd' : 'even' }));
    lines[5] = '{"id": 5, "x": oops}';
    lines[9] = '[1, 2]';
    lines[12] = '{"id": 12, "x": 6, "tag": "even", "surprise": 1}';
    lines.splice(14, 0, '');
    const p = tmpFile('d.ndjson', `${lines.join('\n')}\n`);
    const r = await readTable(p, { onBadRows: 'quarantine', rejectsPath: tmpPath('n.csv'), sampleRows: 10 });
    assert.deepEqual(
      r.rejected.map((x) => x.line),
      [6, 10, 13],
    );
    assert.match(r.rejected[0].reason, /^not valid JSON/);
    assert.equal(r.rejected[1].reason, 'expected a JSON object, found an array');
    assert.match(r.rejected[2].reason, /^unexpected field 'surprise'/);
    assert.deepEqual(r.summary, {
      rowsRead: 30,
      accepted: 27,
      rejected: 3,
      rejectsPath: r.summary.rejectsPath,
    });
    assert.equal(r.rowLines?.[r.rowLines.length - 1], 31);
  });

  it('the shipped dirty example: 5 bad lines of 600, all accounted for', async () => {
    const r = await readTable('examples/transactions_dirty.csv', {
      onBadRows: 'quarantine',
      rejectsPath: tmpPath('t.csv'),
    });
    assert.deepEqual(
      r.rejected.map((x) => x.line),
      [60, 152, 285, 411, 476],
    );
    assert.deepEqual([r.summary.rowsRead, r.summary.accepted, r.summary.rejected], [600, 595, 5]);
  });

  it('with a schema, a value that fails the declared type is quarantined, not nulled', async () => {
    const p = tmpFile('schema.csv', 'code,flag\n1,yes\n2,no\nx3,maybe\n');
    const r = await readTable(p, {
      onBadRows: 'quarantine',
      rejectsPath: tmpPath('s.csv'),
      schema: {
        version: 1,
        columns: [
          { name: 'code', type: 'numeric', storage: 'numeric', nullable: true },
          { name: 'flag', type: 'boolean', storage: 'boolean', nullable: true },
        ],
      },
    });
    assert.deepEqual(r.table.values('flag'), [true, false]);
    assert.equal(r.rejected.length, 1);
    assert.match(
      r.rejected[0].reason,
      /column 'code': "x3" is not a number, but the column is numeric \(as the schema says\)/,
    );
  });
});
