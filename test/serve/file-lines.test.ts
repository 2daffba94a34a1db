import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileLines } from '../../src/serve/file-lines.ts';

const dir = mkdtempSync(join(tmpdir(), 'lathe-lines-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** What a whole-file read and a split give (the reader before streaming): the expected lines. */
function splitLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function linesOf(path: string, chunkBytes?: number): string[] {
  const out: string[] = [];
  for (const { text, number } of fileLines(path, chunkBytes)) {
    assert.equal(number, out.length + 1);
    out.push(text);
  }
  return out;
}

describe('fileLines', () => {
  it('gives the same lines at every chunk size: lines across chunks, split characters, CRLF, no final newline', () => {
    // 2-, 3- and 4-byte characters land on every offset of a small chunk; one line is longer than
    // several chunks; blank lines stay lines.
    const text = [
      '{"a":"é€𝄞"}',
      '',
      'x'.repeat(37),
      'ü'.repeat(11),
      '𝄞€é\r',
      '\r',
      'last one, without a newline: 日本',
    ].join('\n');
    const path = join(dir, 'mixed.txt');
    writeFileSync(path, text);
    const expected = splitLines(text);
    assert.equal(expected.length, 7);
    for (let chunk = 1; chunk <= 48; chunk++)
      assert.deepEqual(linesOf(path, chunk), expected, `chunk ${chunk}`);
    assert.deepEqual(linesOf(path), expected);
  });

  it('leaves out a byte order mark at the start, even cut by a chunk, and only there', () => {
    const path = join(dir, 'bom.txt');
    writeFileSync(path, '\uFEFF{"x":1}\r\n\uFEFFkept\n');
    for (const chunk of [1, 2, 3, 4, 1024]) assert.deepEqual(linesOf(path, chunk), ['{"x":1}', '\uFEFFkept']);
  });

  it('gives no line for an empty file, and one empty line per newline', () => {
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    assert.deepEqual(linesOf(empty, 1), []);
    const newlines = join(dir, 'newlines.txt');
    writeFileSync(newlines, '\n\r\n\n');
    assert.deepEqual(linesOf(newlines, 2), ['', '', '']);
  });

  it('decodes invalid UTF-8 as U+FFFD, as reading the whole file as UTF-8 did', () => {
    const path = join(dir, 'latin1.txt');
    writeFileSync(path, Buffer.from([0x61, 0xe9, 0x62, 0x0a, 0xff]));
    assert.deepEqual(linesOf(path, 1), ['a\uFFFDb', '\uFFFD']);
  });

  it('refuses a chunk size that is not a positive integer', () => {
    const path = join(dir, 'empty.txt');
    assert.throws(() => linesOf(path, 0), /chunkBytes must be an integer ≥ 1; got 0/);
  });
});
