// Every bad input gets a DataError with a one-paragraph message that names the file (and the
// line, where there is one) and says how to fix it — never a stack trace or a silent result.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DataError } from '../../src/core/errors.ts';
import { readTable } from '../../src/data/index.ts';
import { tmpFile, tmpPath } from './helpers.ts';

/** Asserts `readTable(path)` fails with a one-paragraph DataError matching `pattern`. */
async function rejects(path: string, pattern: RegExp, options = {}): Promise<DataError> {
  try {
    await readTable(path, options);
  } catch (e) {
    assert.ok(
      e instanceof DataError,
      `expected a DataError, got ${(e as Error)?.constructor?.name}: ${(e as Error).message}`,
    );
    assert.match(e.message, pattern);
    assert.ok(e.message.startsWith(path), `the message names the file: ${e.message}`);
    assert.ok(!e.message.includes('\n'), `one paragraph: ${e.message}`);
    assert.match(e.message, /Fix: /);
    return e;
  }
  assert.fail('expected readTable to fail');
}

describe('readTable: bad input', () => {
  it('missing file', async () => {
    const p = tmpPath('nope.csv');
    await rejects(p, /^.*nope\.csv: no such file\. Fix: check the path/);
  });

  it('directory instead of a file', async () => {
    const p = tmpPath('adir.csv');
    mkdirSync(p);
    await rejects(p, /: this is a directory, not a data file\. Fix: pass the path of a CSV/);
  });

  it('empty file', async () => {
    await rejects(tmpFile('empty.csv', ''), /: the file is empty \(0 bytes\)\. Fix: /);
  });

  it('only blank lines', async () => {
    await rejects(
      tmpFile('blank.csv', '\n\r\n\n'),
      /: the file has no data: it is empty or has only blank lines\./,
    );
  });

  it('header only', async () => {
    const e = await rejects(
      tmpFile('head.csv', 'a,b,c\n'),
      /, line 2: the file has a header \(a, b, c\) but no data rows\. Fix: /,
    );
    assert.equal(e.line, 2);
  });

  it('binary file', async () => {
    const bytes = new Uint8Array(300);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37) % 256;
    await rejects(
      tmpFile('blob.csv', bytes),
      /: the file looks binary, not text: it has a NUL byte at byte 0.*Fix: pass a CSV, TSV/,
    );
  });

  it('a NUL byte in a text file, naming its line', async () => {
    // The message gave only the byte offset (byte 26), which a user cannot find in an editor.
    const e = await rejects(
      tmpFile('nul.csv', 'id,name\r\n1,ann\r\n2,bob\r\n3,c\x00d\r\n4,eve\r\n'),
      /, line 4: the file looks binary, not text: it has a NUL byte at byte 26.*Fix: .*remove it from that line/,
    );
    assert.equal(e.line, 4);
  });

  it('non-UTF-8 (Latin-1) text, naming the line', async () => {
    const latin1 = Buffer.from('name,city\nann,Paris\nbob,Z\xfcrich\n', 'latin1');
    const e = await rejects(
      tmpFile('latin1.csv', latin1),
      /, line 3: the file is not valid UTF-8 text.*Fix: convert it to UTF-8/,
    );
    assert.equal(e.line, 3);
  });

  it('non-UTF-8 text at the very end of the file, naming its own line', async () => {
    // A Latin-1 'é' (0xE9, a 3-byte lead) two bytes from the end was taken for a character cut
    // by the chunk's end, and the message named line 3 (past the file) instead of line 2.
    const latin1 = Buffer.from('a,b\n1,caf\xe9\n', 'latin1');
    const e = await rejects(tmpFile('latin1-end.csv', latin1), /, line 2: the file is not valid UTF-8 text/);
    assert.equal(e.line, 2);
  });

  it('UTF-16 text', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]);
    await rejects(
      tmpFile('utf16.csv', utf16),
      /: the file is UTF-16 text; Lathe reads UTF-8\. Fix: convert it/,
    );
  });

  it('ragged rows: too many and too few fields', async () => {
    const e = await rejects(
      tmpFile('ragged.csv', 'a,b,c\n1,2,3\n4,5,6,7\n8,9\n'),
      /, line 3: expected 3 fields \(as in the header\), found 4, in the row "4,5,6,7"\. Fix: .*--on-bad-rows quarantine/,
    );
    assert.equal(e.line, 3);
    await rejects(
      tmpFile('short.csv', 'a,b,c\n1,2,3\n8,9\n'),
      /, line 3: expected 3 fields \(as in the header\), found 2/,
    );
  });

  it('an unterminated quote', async () => {
    const e = await rejects(
      tmpFile('quote.csv', 'a,b\n1,x\n2,"never closed\n3,"y"\n'),
      /, line 3: a quoted field opened on this line runs over 2 lines and leaves a malformed row.*unterminated.*--on-bad-rows quarantine/,
    );
    assert.equal(e.line, 3);
    await rejects(
      tmpFile('quote-end.csv', 'a,b\n1,x\n2,"never closed'),
      /, line 3: a quoted field is never closed \(unterminated quote\)/,
    );
  });

  it('a value that does not parse as its column type', async () => {
    const rows = ['id,amount'];
    for (let i = 0; i < 150; i++) rows.push(`${i},${i * 1.5}`);
    rows.push('150,abc');
    const e = await rejects(
      tmpFile('cast.csv', `${rows.join('\n')}\n`),
      /, line 152, column 'amount': "abc" is not a number, but the column is numeric \(the type sniffed from the first rows\), in the row "150,abc"\. Fix: .*quarantine/,
    );
    assert.equal(e.column, 'amount');
  });

  it('a 10 MB field: over the record limit unless the limit is raised', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const p = tmpFile('huge.csv', `a,b\n1,"${big}"\n2,ok\n`);
    await rejects(
      p,
      /, line 2: the record is longer than the limit of 8388608 characters \(maxRecordChars\)/,
    );
    // The same limit for an unquoted record (a smaller limit keeps the test fast).
    const long = 'y'.repeat(300_000);
    const unquoted = tmpFile('huge2.csv', `a,b\n1,${long}\n2,ok\n`);
    await rejects(
      unquoted,
      /, line 2: the record is longer than the limit of 100000 characters \(maxRecordChars\)/,
      {
        maxRecordChars: 100_000,
      },
    );
    const r = await readTable(p, { maxRecordChars: 16 * 1024 * 1024 });
    assert.equal(r.table.nRows, 2);
    assert.equal((r.table.values('b')[0] as string).length, big.length);
    const q = await readTable(unquoted, {
      onBadRows: 'quarantine',
      maxRecordChars: 100_000,
      rejectsPath: tmpPath('huge.rejects.csv'),
    });
    assert.deepEqual(q.summary.accepted + q.summary.rejected, q.summary.rowsRead);
    assert.equal(q.rejected[0].line, 2);
    assert.deepEqual(q.table.values('b'), ['ok']);
  });

  it('duplicate column names', async () => {
    const e = await rejects(
      tmpFile('dup.csv', 'a,b,a\n1,2,3\n'),
      /, line 1, column 'a': the header names two columns 'a' \(columns 1 and 3\)\. Fix: rename one/,
    );
    assert.equal(e.line, 1);
  });

  it('an empty column name', async () => {
    await rejects(
      tmpFile('noname.csv', 'a,,c\n1,2,3\n'),
      /, line 1: column 2 of the header has no name\. Fix: give every column a name/,
    );
  });

  it('an empty column name above the only typed column (pandas to_csv with its index) is a header, not data', async () => {
    // The empty name fits the integer column as a missing value, which is no sign of a headerless
    // file: the header used to be read as a data row ('city' a value of column_2).
    await rejects(
      tmpFile('index.csv', ',city,plan\n0,Lyon,basic\n1,Paris,pro\n2,Lyon,basic\n'),
      /, line 1: column 1 of the header has no name\. Fix: give every column a name/,
    );
    const r = await readTable(tmpFile('na-first.csv', 'NA,city\n1,Lyon\n2,Paris\n'));
    assert.deepEqual(r.table.columnNames, ['NA', 'city']);
    assert.equal(r.table.nRows, 2);
  });

  it('gzip-compressed data', async () => {
    await rejects(
      tmpFile('data.csv.gz', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0])),
      /: the file is gzip-compressed\. Fix: decompress/,
    );
  });

  it('a corrupt Parquet file', async () => {
    await rejects(
      tmpFile('bad.parquet', 'PAR1 this is not really parquet'),
      /: the file cannot be read as Parquet: .*Fix: /,
    );
  });

  it('invalid JSON and a JSON document that is not records', async () => {
    await rejects(tmpFile('bad.json', '[{"a": 1},'), /: the file is not valid JSON: /);
    await rejects(tmpFile('obj.json', '{"a": 1,\n "b": 2}'), /: expected a JSON array of records/);
    await rejects(tmpFile('bad.ndjson', '{"a": 1}\n{"a": \n'), /, line 2: not valid JSON/);
    // The line's column, not V8's 'at position 13' (counted from 0), which no editor shows.
    await rejects(
      tmpFile('col.ndjson', '{"a": 1, "b": 2}\n{"a": 1 "b": 2}\n'),
      /, line 2: not valid JSON at column 9 \(Expected ',' or '\}' after property value\), in the row/,
    );
  });

  it('invalid JSON names the line and column (not a character position)', async () => {
    const e = await rejects(
      tmpFile('pos.json', '[\n {"a": 1, "b": 2},\n {"a": 3 "b": 4}\n]\n'),
      /pos\.json, line 3, column 10: the file is not valid JSON: Expected ',' or '\}' after property value\. Fix: /,
    );
    assert.equal(e.line, 3);
    assert.equal(e.column, 10);
    assert.doesNotMatch(e.message, /position/);
    // Cut short: the end of the text.
    await rejects(
      tmpFile('cut.json', '[\n {"a": 1},\n'),
      /cut\.json, line 3, column 1: the file is not valid JSON: Unexpected end of JSON input\./,
    );
  });

  it('bad options are a ValidationError', async () => {
    const p = tmpFile('ok.csv', 'a\n1\n');
    await assert.rejects(
      readTable(p, { onBadRows: 'skip' as 'error' }),
      /onBadRows must be 'error' or 'quarantine'; got "skip"/,
    );
    await assert.rejects(
      readTable(p, { format: 'xlsx' as 'csv' }),
      /format must be one of csv, tsv, parquet, json, ndjson, arrow/,
    );
  });
});
