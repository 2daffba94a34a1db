/**
 * A file streamed as UTF-8 bytes for the CSV reader: reads come in 4 MiB pieces aligned to a
 * fixed grid of file offsets (multiples of {@link CHUNK_BYTES}), each validated natively as UTF-8
 * before any of it is parsed, with a character cut by a piece's end held back for the next one.
 *
 * The grid matters: the reader's few buffer-dependent decisions (a record longer than
 * `maxRecordChars` is judged when the buffer runs out) then come out the same whether a read
 * starts at the beginning of the file or at a record boundary in the middle of it, which is what
 * lets parts of one file be parsed on several threads with results identical to one pass.
 *
 * The buffer always has one spare byte after the data, set to `\n`: a sentinel that stops the
 * parser's inner loops at the end of the data without a bounds check in each.
 *
 * @module
 */

import { isAscii, isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { DataError } from '../../core/errors.ts';

/** Bytes per read, and the grid reads are aligned to. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

/** Streams a file's bytes from `start`, validating UTF-8 and keeping whole characters only. */
export class ByteSource {
  /** The bytes: data in `[0, len)`, then the sentinel byte `\n` at `len`. */
  buf: Buffer;
  /** Number of data bytes in `buf`. */
  len = 0;
  /** The file offset of `buf[0]`. */
  offset: number;
  /** True once the file is exhausted (every byte is in `buf` or was consumed). */
  eof = false;
  /** Every byte delivered so far was ASCII. */
  ascii = true;
  private readonly fd: number;
  private filePos: number;
  /** An incomplete character cut by the last read's end (0–3 bytes), for the next read. */
  private readonly carry = Buffer.alloc(4);
  private carryLen = 0;
  private first: boolean;

  /**
   * Opens `file` at byte `start` (0: the beginning, where a BOM is skipped and binary content is
   * refused). A non-zero `start` must fall on a character boundary (e.g. just after a `\n`).
   */
  constructor(
    private readonly file: string,
    start = 0,
  ) {
    this.fd = openSync(file, 'r');
    this.filePos = start;
    this.offset = start;
    this.first = start === 0;
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES + 65536);
    this.buf[0] = 10;
  }

  /**
   * Drops the bytes before `keep` and reads the next piece of the grid after the data. Returns
   * the number of bytes dropped (subtract it from positions into `buf`). `linesBefore` gives the
   * line number at the end of the current data, for the invalid-UTF-8 message. At the end of the
   * file it sets `eof` and reads nothing.
   */
  more(keep: number, linesBefore: () => number): number {
    const dropped = keep;
    if (keep > 0) {
      this.buf.copy(this.buf, 0, keep, this.len);
      this.len -= keep;
      this.offset += keep;
    }
    for (;;) {
      const want = CHUNK_BYTES - (this.filePos % CHUNK_BYTES);
      // Read straight after the data, behind the bytes of a character the last read cut.
      this.reserve(this.len + this.carryLen + want + 1);
      const at = this.len;
      this.buf.set(this.carry.subarray(0, this.carryLen), at);
      const got = readSync(this.fd, this.buf, at + this.carryLen, want, this.filePos);
      this.filePos += got;
      if (got === 0) {
        this.eof = true;
        if (this.carryLen > 0) throw this.notUtf8(linesBefore());
        this.buf[this.len] = 10;
        return dropped;
      }
      let end = at + this.carryLen + got;
      if (this.first) {
        this.first = false;
        checkTextStart(this.file, this.buf.subarray(at, end));
        if (
          end - at >= 3 &&
          this.buf[at] === 0xef &&
          this.buf[at + 1] === 0xbb &&
          this.buf[at + 2] === 0xbf
        ) {
          this.buf.copy(this.buf, at, at + 3, end);
          end -= 3;
          this.offset += 3;
        }
      }
      const chunk = this.buf.subarray(at, end);
      const cut = incompleteTail(chunk);
      const whole = chunk.subarray(0, chunk.length - cut);
      if (!isAscii(whole)) {
        this.ascii = false;
        if (!isUtf8(whole)) {
          const bad = firstInvalidUtf8(whole);
          let lines = 0;
          for (let i = 0; i < bad; i++) if (whole[i] === 10) lines++;
          throw this.notUtf8(linesBefore() + lines);
        }
      }
      this.carry.set(chunk.subarray(chunk.length - cut), 0);
      this.carryLen = cut;
      this.len += whole.length;
      this.buf[this.len] = 10;
      if (whole.length === 0) continue; // only part of a character: read on
      return dropped;
    }
  }

  /** Makes room for `n` bytes (data plus sentinel). */
  private reserve(n: number): void {
    if (n <= this.buf.length) return;
    let size = this.buf.length;
    while (size < n) size *= 2;
    const b = Buffer.allocUnsafe(size);
    this.buf.copy(b, 0, 0, this.len);
    this.buf = b;
  }

  private notUtf8(line: number): DataError {
    return new DataError('the file is not valid UTF-8 text (it has a byte sequence that is not UTF-8).', {
      file: this.file,
      line,
      fix: 'convert it to UTF-8 first (e.g. `iconv -f latin1 -t utf-8 in.csv > out.csv`), or export it again as UTF-8 CSV',
    });
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** How many bytes at the end of `b` start a UTF-8 character that the chunk cuts short. */
export function incompleteTail(b: Uint8Array): number {
  const n = b.length;
  for (let k = 1; k <= Math.min(3, n); k++) {
    const c = b[n - k];
    if ((c & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return len > k ? k : 0;
  }
  return 0;
}

/** Refuses content that is clearly not text: UTF-16/32 byte-order marks and NUL bytes. */
export function checkTextStart(file: string, chunk: Uint8Array): void {
  if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
    throw new DataError('the file is UTF-16 text; Lathe reads UTF-8.', {
      file,
      fix: 'convert it to UTF-8 (e.g. `iconv -f utf-16 -t utf-8 in.csv > out.csv`), or save it again as "CSV UTF-8"',
    });
  }
  const end = Math.min(chunk.length, 65536);
  for (let i = 0; i < end; i++) {
    if (chunk[i] === 0) {
      throw new DataError(
        `the file looks binary, not text: it has a NUL byte at byte ${i}, so it cannot be read as CSV/JSON.`,
        {
          file,
          line: lineAt(chunk, i),
          fix: 'pass a CSV, TSV, JSON, NDJSON, Parquet or Arrow file; if this is Parquet or Arrow, give it a .parquet or .arrow extension; if it is text with a stray NUL, remove it from that line',
        },
      );
    }
  }
}

/** The 1-based line of byte `i` of `b` (line ends `\n`, `\r\n` or `\r`). */
function lineAt(b: Uint8Array, i: number): number {
  let line = 1;
  for (let k = 0; k < i; k++) {
    if (b[k] === 10 || (b[k] === 13 && b[k + 1] !== 10)) line++;
  }
  return line;
}

/** The byte offset of the first invalid UTF-8 sequence in `b` (or b.length). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const need =
      c < 0x80
        ? 0
        : c >= 0xc2 && c <= 0xdf
          ? 1
          : c >= 0xe0 && c <= 0xef
            ? 2
            : c >= 0xf0 && c <= 0xf4
              ? 3
              : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      // Cut by the chunk boundary (not invalid) only when the bytes that are there continue it.
      if (i + k >= b.length) return b.length;
      if ((b[i + k] & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return b.length;
}

/**
 * The length in UTF-16 code units (JavaScript string length) of the valid UTF-8 in `b[a, e)`:
 * one per character, two for a character outside the Basic Multilingual Plane.
 */
export function utf16Length(b: Uint8Array, a: number, e: number): number {
  let n = 0;
  for (let i = a; i < e; i++) {
    const c = b[i];
    if (c < 0x80 || c >= 0xc0) n += c >= 0xf0 ? 2 : 1;
  }
  return n;
}

/**
 * The first `units` UTF-16 code units of the text starting at `a` (at most up to `e`), as
 * `text.slice(a', a' + units)` would give on the decoded string.
 */
export function decodePrefix(b: Buffer, a: number, e: number, units: number): string {
  let n = 0;
  let i = a;
  while (i < e && n < units) {
    const c = b[i];
    n += c >= 0xf0 ? 2 : 1;
    i++;
    while (i < e && (b[i] & 0xc0) === 0x80) i++;
  }
  const s = b.toString('utf8', a, i);
  return s.length > units ? s.slice(0, units) : s;
}
