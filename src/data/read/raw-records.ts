/**
 * The file's own text of chosen records, found again by the line they start on.
 *
 * A row set aside after reading — a value a model cannot take, found by `lathe predict` or
 * `lathe train` — goes to the rejects file with the text the file holds (`"c ""q"""`, `inf`,
 * `1.50`), not the parsed values written back (`c "q"`, `Infinity`, `1.5`), so the rejects file can
 * be corrected and read again as it is.
 *
 * CSV/TSV records are delimited as the reader delimits them: a newline ends a record unless it is
 * inside a quoted field; a record's line is the physical line (from 1, the header being line 1)
 * where it starts; a final `\r` is not part of the text. An NDJSON record is its line.
 *
 * @module
 */

import { closeSync, openSync, readSync } from 'node:fs';
import { MAX_RAW_CHARS } from './bad-rows.ts';

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * The text of the records of `path` that start on `lines` (1-based physical lines), cut to
 * {@link MAX_RAW_CHARS} characters as the reader cuts bad rows' text. `quote` is the CSV quote
 * character (null for NDJSON, whose strings hold no raw newline). Lines that start no record are
 * absent from the result. Reads the file once, up to the last line wanted.
 */
export function rawRecords(
  path: string,
  lines: readonly number[],
  quote: string | null,
): Map<number, string> {
  const out = new Map<number, string>();
  if (lines.length === 0) return out;
  const wanted = new Set(lines);
  let last = 0; // a loop, not Math.max(...lines): hundreds of thousands of rows may be set aside
  for (const l of lines) if (l > last) last = l;
  const q = quote === null ? -1 : quote.charCodeAt(0);
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let line = 1; // physical line of the current byte
    let recordLine = 1; // line the current record started on
    let inQuotes = false;
    let parts: Buffer[] | null = wanted.has(1) ? [] : null;
    let partStart = 0;
    let got: number;
    while (recordLine <= last && (got = readSync(fd, buf, 0, CHUNK, null)) > 0) {
      partStart = 0;
      for (let i = 0; i < got; i++) {
        const b = buf[i];
        if (b === q) inQuotes = !inQuotes;
        else if (b === NEWLINE) {
          line++;
          if (inQuotes) continue;
          if (parts !== null) {
            parts.push(Buffer.from(buf.subarray(partStart, i)));
            out.set(recordLine, recordText(parts));
          }
          recordLine = line;
          if (recordLine > last) break;
          parts = wanted.has(recordLine) ? [] : null;
          partStart = i + 1;
        }
      }
      if (parts !== null && recordLine <= last) parts.push(Buffer.from(buf.subarray(partStart, got)));
    }
    // A last record without a final newline.
    if (parts !== null && recordLine <= last && !out.has(recordLine)) {
      const text = recordText(parts);
      if (text.length) out.set(recordLine, text);
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

/** The record's text from its byte pieces: UTF-8, without a final `\r`, cut to MAX_RAW_CHARS. */
function recordText(parts: Buffer[]): string {
  let bytes = Buffer.concat(parts);
  if (bytes.length && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
  const raw = bytes.toString('utf8');
  return raw.length > MAX_RAW_CHARS
    ? `${raw.slice(0, MAX_RAW_CHARS)}… (${raw.length} characters in all)`
    : raw;
}
