/**
 * A text file's lines, read in fixed-size chunks: what a prediction log is read with, so that a
 * log larger than the longest string Node can hold (about 512 MB on Node 20) can be read, and
 * memory is what the caller keeps of the lines, not the file's size.
 *
 * Lines are split on the `\n` byte, which never occurs inside a multi-byte UTF-8 character, and
 * each line is decoded whole: a character cut by a chunk's end is decoded with the rest of its
 * line. A line ending `\r\n` comes without its `\r`; a UTF-8 byte order mark at the start of the
 * file is left out; a last line without `\n` is a line (an empty remainder is not).
 *
 * @module
 */

import { closeSync, openSync, readSync } from 'node:fs';
import { DataError } from '../core/errors.ts';

/** Bytes read at a time (default of {@link fileLines}). */
export const LINE_CHUNK_BYTES = 1 << 20;

/** One line of a file, without its line end. */
export interface FileLine {
  text: string;
  /** 1-based, as an editor shows it. */
  number: number;
}

/**
 * The lines of the file at `path`, in order, read `chunkBytes` at a time (the chunk size is an
 * option for tests of lines cut by a chunk's end). Opening errors are Node's (`ENOENT`, …).
 */
export function* fileLines(path: string, chunkBytes = LINE_CHUNK_BYTES): Generator<FileLine> {
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1) {
    throw new RangeError(`fileLines: chunkBytes must be an integer ≥ 1; got ${chunkBytes}`);
  }
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(chunkBytes);
    // The start of a line that runs past the chunks read so far (copies: `buf` is reused).
    let pending: Buffer[] = [];
    let number = 0;
    const line = (bytes: Buffer): FileLine => {
      number++;
      let text = decode(bytes, path, number);
      if (number === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
      return { text, number };
    };
    for (;;) {
      // Position null: from the current position, so a pipe reads as well as a file.
      const got = readSync(fd, buf, 0, chunkBytes, null);
      if (got === 0) break;
      const data = buf.subarray(0, got);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        const piece = data.subarray(start, nl);
        if (pending.length) {
          pending.push(piece);
          const whole = Buffer.concat(pending);
          pending = [];
          yield line(whole);
        } else {
          yield line(piece);
        }
        start = nl + 1;
      }
      if (start < got) pending.push(Buffer.from(data.subarray(start)));
    }
    if (pending.length) yield line(Buffer.concat(pending));
  } finally {
    closeSync(fd);
  }
}

/** A line's bytes as a string (invalid UTF-8 as U+FFFD, as `readFileSync(path, 'utf8')` does). */
function decode(bytes: Buffer, path: string, number: number): string {
  try {
    return bytes.toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_STRING_TOO_LONG') throw e;
    throw new DataError(
      `this line is ${bytes.length} bytes long, longer than the longest string Node can hold, so it cannot be read.`,
      {
        file: path,
        line: number,
        fix: 'split the request into smaller ones, or delete the line',
        cause: e,
      },
    );
  }
}
