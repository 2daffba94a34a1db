// Property tests: random CSV never crashes the reader, and every row is accounted for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DataError } from '../../src/core/errors.ts';
import { readTable } from '../../src/data/index.ts';
import { tmpFile, tmpPath } from './helpers.ts';

describe('readTable: properties', () => {
  it('arbitrary bytes (any of the 256): a DataError or a result whose rows all add up', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        const p = tmpFile('bytes.csv', bytes);
        try {
          const r = await readTable(p, {
            onBadRows: 'quarantine',
            rejectsPath: tmpPath('bytes.rejects.csv'),
          });
          assert.equal(r.summary.accepted + r.summary.rejected, r.summary.rowsRead);
          assert.equal(r.summary.accepted, r.table.nRows);
          assert.equal(r.rejected.length, r.summary.rejected);
        } catch (e) {
          if (!(e instanceof DataError)) throw e;
          assert.ok(!e.message.includes('\n'));
        }
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('random bytes: a DataError or a result whose rows all add up', async () => {
    const alphabet = fc.constantFrom(...'a1,,"\n\r\t;. -xé0'.split(''), '\uFEFF', '\x00', '\xff');
    await fc.assert(
      fc.asyncProperty(fc.array(alphabet, { maxLength: 300 }), fc.boolean(), async (chars, latin1) => {
        const text = chars.join('');
        const p = tmpFile('fuzz.csv', latin1 ? Buffer.from(text, 'latin1') : text);
        try {
          const r = await readTable(p, { onBadRows: 'quarantine', rejectsPath: tmpPath('fuzz.rejects.csv') });
          assert.equal(r.summary.accepted + r.summary.rejected, r.summary.rowsRead);
          assert.equal(r.summary.accepted, r.table.nRows);
          assert.equal(r.rejected.length, r.summary.rejected);
          // Every row (accepted or rejected) starts on its own line, in file order.
          const starts = [...(r.rowLines ?? []), ...r.rejected.map((x) => x.line)].sort((a, b) => a - b);
          for (let i = 1; i < starts.length; i++)
            assert.ok(starts[i] > starts[i - 1], `two rows start on line ${starts[i]}`);
        } catch (e) {
          if (!(e instanceof DataError)) throw e;
          assert.ok(!e.message.includes('\n'));
        }
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it('structured CSV with known bad rows: accepted + rejected = rows written, good rows intact', async () => {
    const cell = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc.string({ maxLength: 6 }).map((s) => `"${s.replace(/"/g, '""')}"`),
      fc.constantFrom('', 'NA', 'x,y', 'multi\nline').map((s) => `"${s}"`),
    );
    const good = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), cell, cell)
      .map(([a, b, c]) => ({ bad: false, text: `${a},${b},${c}` }));
    // Bad rows keep to one line: a malformed record over several lines is re-read line by line
    // (the stray-quote recovery), so it would count as more than one row read.
    const flat = cell.filter((s) => !s.includes('\n'));
    const bad = fc
      .oneof(
        fc.tuple(fc.integer(), flat).map(([a, b]) => `${a},${b}`),
        fc.tuple(fc.integer(), flat, flat, flat).map(([a, b, c, d]) => `${a},${b},${c},${d}`),
        fc.tuple(cell, cell).map(([b, c]) => `notanumber,${b},${c}`),
      )
      .map((text) => ({ bad: true, text }));
    const row = fc.oneof({ weight: 8, arbitrary: good }, { weight: 1, arbitrary: bad });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 60 }), fc.boolean(), async (rows, crlf) => {
        const nl = crlf ? '\r\n' : '\n';
        const body = [{ bad: false, text: '100,"seed","seed"' }, ...rows];
        const p = tmpFile('rows.csv', `k,b,c${nl}${body.map((r) => r.text).join(nl)}${nl}`);
        const r = await readTable(p, {
          onBadRows: 'quarantine',
          rejectsPath: tmpPath('rows.rejects.csv'),
          header: true,
          schema: {
            version: 1,
            columns: [{ name: 'k', type: 'numeric', storage: 'numeric', nullable: true }],
          },
        });
        assert.equal(r.summary.rowsRead, body.length);
        assert.equal(r.summary.accepted + r.summary.rejected, body.length);
        assert.equal(r.summary.rejected, body.filter((x) => x.bad).length);
        const keys = body.filter((x) => !x.bad).map((x) => Number(x.text.split(',')[0]));
        assert.deepEqual(r.table.values('k'), keys);
      }),
      { numRuns: 120, seed: 7 },
    );
  });
});

describe('fastDecimal', () => {
  it('gives exactly Number(text) whenever it takes the fast path', async () => {
    const { fastDecimal } = await import('../../src/data/read/row-parser.ts');
    const text = fc.oneof(
      fc.double({ noNaN: true }).map(String),
      fc
        .tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 12 }))
        .map(([v, d]) => v.toFixed(d)),
      fc
        .tuple(fc.integer({ min: -99999, max: 99999 }), fc.integer({ min: -30, max: 30 }))
        .map(([m, e]) => `${m}e${e}`),
      fc.stringMatching(/^[+-]?\d{0,18}(\.\d{0,18})?([eE][+-]?\d{1,3})?$/),
    );
    fc.assert(
      fc.property(text, (s) => {
        const v = fastDecimal(s, 0, s.length);
        if (!Number.isNaN(v)) assert.ok(Object.is(v, Number(s)), `${s}: ${v} vs ${Number(s)}`);
      }),
      { numRuns: 2000, seed: 1 },
    );
  });
});
