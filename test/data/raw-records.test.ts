import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readTable } from '../../src/data/index.ts';
import { MAX_RAW_CHARS } from '../../src/data/read/bad-rows.ts';
import { rawRecords } from '../../src/data/read/raw-records.ts';
import { tmpFile } from './helpers.ts';

describe('rawRecords', () => {
  it("finds every row's own text by the line the reader gives it (quoted newlines, CRLF, blank lines, no final newline)", async () => {
    const records = [
      '1,1.50,"Paris, France"',
      '2,inf,"c ""q"""',
      '3,1e3,"two\r\nlines"',
      '4,-0,ok',
      '5,+7,"é ü"',
    ];
    const text = `id,x,note\r\n${records[0]}\r\n${records[1]}\r\n\r\n${records[2]}\n${records[3]}\n${records[4]}`;
    const p = tmpFile('own.csv', text);
    const r = await readTable(p, {
      schema: {
        version: 1,
        columns: [
          { name: 'id', type: 'numeric', storage: 'numeric', nullable: true },
          { name: 'x', type: 'numeric', storage: 'numeric', nullable: true },
          { name: 'note', type: 'text', storage: 'text', nullable: true },
        ],
      },
    });
    assert.equal(r.table.nRows, 5);
    const lines = Array.from(r.rowLines!);
    const own = rawRecords(p, lines, '"');
    assert.deepEqual(
      lines.map((l) => own.get(l)),
      records,
    );
    // Only the lines asked for; a line inside a record or past the end starts none.
    assert.deepEqual([...rawRecords(p, [lines[2] + 1, 99], '"').keys()], []);
    assert.deepEqual([...rawRecords(p, [lines[1]], '"')], [[lines[1], records[1]]]);
  });

  it('reads records across chunk boundaries and cuts long text as the reader does', () => {
    const long = 'y'.repeat(MAX_RAW_CHARS + 5);
    const filler = Array.from({ length: 30_000 }, (_, i) => `${i},"a\nb",${'z'.repeat(40)}`);
    // Lines: header 1; filler record i spans lines 2 + 2i and 3 + 2i.
    const p = tmpFile('big.csv', `a,b,c\n${filler.join('\n')}\n1,"${long}",x\n`);
    const lastLine = 2 + 2 * filler.length;
    const own = rawRecords(p, [2, 2 + 2 * 12_345, lastLine], '"');
    assert.equal(own.get(2), filler[0]);
    assert.equal(own.get(2 + 2 * 12_345), filler[12_345]);
    const cut = own.get(lastLine)!;
    assert.ok(cut.startsWith('1,"yyy'));
    const tail = `… (${long.length + 6} characters in all)`; // 1,"…",x
    assert.ok(cut.endsWith(tail) && cut.length === MAX_RAW_CHARS + tail.length, cut.slice(-60));
  });

  it('finds the text of every row when hundreds of thousands are asked for', () => {
    const n = 200_000;
    const p = tmpFile('many.csv', `a\n${Array.from({ length: n }, (_, i) => i).join('\n')}\n`);
    const own = rawRecords(
      p,
      Array.from({ length: n }, (_, i) => i + 2),
      '"',
    );
    assert.equal(own.size, n);
    assert.equal(own.get(2), '0');
    assert.equal(own.get(n + 1), String(n - 1));
  });

  it('takes an NDJSON record as its line', () => {
    const p = tmpFile('rows.ndjson', '{"a":1}\n{"a":"x\\"y"}\r\n{"a":3}');
    assert.deepEqual(
      [...rawRecords(p, [2, 3], null)],
      [
        [2, '{"a":"x\\"y"}'],
        [3, '{"a":3}'],
      ],
    );
  });
});
