// Test oracle: a frozen copy of the CSV reader as it was before the byte-level rewrite (commit
// 4893f7f, src/data/read/), kept only so test/data/csv-equivalence.test.ts can check that the
// current reader gives the same tables, line numbers, rejected rows and errors. Not shipped.
/**
 * The CSV/TSV reader: streams the file in 4 MiB chunks through {@link CsvScanner}, sniffs the
 * delimiter, header and column types from the first rows, and parses every row straight into
 * typed column builders (no row objects). Line numbers are exact (quoted line breaks counted),
 * and every row is either accepted or rejected: `accepted + rejected = rowsRead`.
 *
 * Why not DuckDB's `read_csv`: in DuckDB 1.5 a single unterminated quote or ragged row makes the
 * dialect sniffer fall back to one `|`-delimited column, and `store_rejects` reports one entry
 * per missing column and splits quoted multi-line rows — neither gives exact accounting.
 *
 * @module
 */

import { isAscii, isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { DataError, show } from '../../../src/core/errors.ts';
import type { Column } from '../../../src/data/column.ts';
import type { BadRows } from '../../../src/data/read/bad-rows.ts';
import { MissingTokens } from '../../../src/data/read/values.ts';
import type { ReadOptions } from '../../../src/data/read-types.ts';
import type { ColumnSchema } from '../../../src/data/schema.ts';
import { I32Builder } from './builders.ts';
import { CsvScanner, countBreaks, lineEnd, NEED_MORE } from './csv-scanner.ts';
import { type FieldType, fieldTypeForStorage, parsesAs, RowParser, sniffFieldType } from './row-parser.ts';

const CHUNK_BYTES = 4 * 1024 * 1024;
const DEFAULT_SAMPLE_ROWS = 20_000;
const DEFAULT_MAX_RECORD = 8 * 1024 * 1024;
const DELIMITERS = [',', '\t', ';', '|'];

/** What the CSV reader produces (the caller adds the schema and the summary). */
export interface CsvParse {
  columns: Column[];
  formats: Record<string, string>;
  rowsRead: number;
  rowLines: Int32Array;
  dialect: { delimiter: string; quote: string; header: boolean };
}

/** A sample record kept while the dialect and types are being decided. */
interface Held {
  line: number;
  fields: string[] | null;
  raw: string;
  reason: string | null;
}

/** Streams a file as decoded text, checking for binary content and invalid UTF-8. */
export class TextSource {
  private readonly fd: number;
  private readonly bytes = Buffer.allocUnsafe(CHUNK_BYTES + 4);
  /** Bytes of a character cut by the previous chunk's end. */
  private carry = 0;
  private first = true;
  eof = false;

  constructor(private readonly file: string) {
    this.fd = openSync(file, 'r');
  }

  /** The next piece of text ('' at the end). `linesBefore` is for error messages. */
  next(linesBefore: () => number): string {
    const got = readSync(this.fd, this.bytes, this.carry, CHUNK_BYTES, null);
    const total = this.carry + got;
    if (got === 0) {
      this.eof = true;
      if (this.carry > 0) throw this.notUtf8(linesBefore());
      return '';
    }
    let chunk = this.bytes.subarray(0, total);
    if (this.first) {
      this.first = false;
      checkTextStart(this.file, chunk);
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    // Keep a multi-byte character cut by the chunk's end for the next chunk.
    const cut = incompleteTail(chunk);
    const whole = chunk.subarray(0, chunk.length - cut);
    // isAscii/isUtf8 and toString are native and fast; TextDecoder's fatal mode is several times
    // slower. Pure-ASCII chunks (the common case) decode as latin1, a plain byte copy.
    if (isAscii(whole)) return this.keep(chunk, cut, whole.toString('latin1'));
    if (!isUtf8(whole)) {
      const at = firstInvalidUtf8(whole);
      let lines = 0;
      for (let i = 0; i < at; i++) if (whole[i] === 10) lines++;
      throw this.notUtf8(linesBefore() + lines);
    }
    return this.keep(chunk, cut, whole.toString('utf8'));
  }

  /** Moves the `cut` trailing bytes of `chunk` to the buffer's start for the next read. */
  private keep(chunk: Buffer, cut: number, text: string): string {
    const end = chunk.byteOffset + chunk.length - this.bytes.byteOffset;
    if (cut > 0) this.bytes.copy(this.bytes, 0, end - cut, end);
    this.carry = cut;
    return text;
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
function incompleteTail(b: Uint8Array): number {
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
          fix: 'pass a CSV, TSV, JSON, NDJSON, Parquet or Arrow file; if this is Parquet or Arrow, give it a .parquet or .arrow extension',
        },
      );
    }
  }
}

/** The byte offset of the first invalid UTF-8 sequence in `b` (or b.length). */
function firstInvalidUtf8(b: Uint8Array): number {
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
    if (i + need >= b.length) return b.length; // cut by the chunk boundary, not invalid
    for (let k = 1; k <= need; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return b.length;
}

/**
 * The quote character: `"` unless the sample has no `"` at all and has fields wrapped in single
 * quotes (`'a, b'` between delimiters), then `'`.
 */
export function sniffQuote(sample: string): string {
  if (sample.includes('"')) return '"';
  return /(^|[,;\t|])'[^'\r\n]*'(?=[,;\t|\r\n]|$)/m.test(sample) ? "'" : '"';
}

/** Picks the delimiter whose field counts are most consistent over the first records. */
export function sniffDelimiter(sample: string, quote: string, whole = false): string {
  let best = ',';
  let bestScore = -1;
  let bestMode = 1;
  for (const d of DELIMITERS) {
    const sc = new CsvScanner(d, quote);
    const counts = new Map<number, number>();
    let pos = 0;
    let records = 0;
    while (records < 200 && pos < sample.length) {
      const end = sc.scan(sample, pos, whole);
      if (end === NEED_MORE || end === pos) break;
      pos = end;
      if (sc.blank) continue;
      records++;
      if (sc.problem === null && !sc.unterminated) counts.set(sc.nFields, (counts.get(sc.nFields) ?? 0) + 1);
    }
    if (records === 0) {
      // One unterminated line: count fields on it anyway.
      const end = sc.scan(sample, 0, true);
      if (end > 0) counts.set(sc.nFields, 1);
      records = 1;
    }
    let mode = 1;
    let freq = 0;
    for (const [k, v] of counts) if (v > freq || (v === freq && k > mode)) [mode, freq] = [k, v];
    if (mode <= 1) continue;
    const score = freq / records;
    if (score > bestScore + 1e-9 || (Math.abs(score - bestScore) <= 1e-9 && mode > bestMode)) {
      best = d;
      bestScore = score;
      bestMode = mode;
    }
  }
  return best;
}

/**
 * Reads a CSV/TSV file into columns. Bad rows go to `bad` (which throws under the error policy).
 * `overrides` are schema columns that fix a column's type instead of sniffing it.
 */
export function parseCsv(
  file: string,
  options: ReadOptions,
  bad: BadRows,
  overrides: ReadonlyMap<string, ColumnSchema>,
  defaultDelimiter?: string,
): CsvParse {
  let quote = options.quote ?? '"';
  if (quote.length > 1)
    throw new DataError(`the quote must be one character or ''; got ${show(quote)}.`, { file });
  const missing = new MissingTokens(options.missingValues);
  const sampleRows = Math.max(1, options.sampleRows ?? DEFAULT_SAMPLE_ROWS);
  const maxRecord = Math.max(1024, options.maxRecordChars ?? DEFAULT_MAX_RECORD);

  const src = new TextSource(file);
  const fileBytes = statSync(file).size;
  try {
    let buf = '';
    let pos = 0;
    let line = 1;
    const linesBefore = () => line + countBreaks(buf, pos, buf.length);
    const more = (): void => {
      const text = src.next(linesBefore);
      buf = pos < buf.length ? buf.slice(pos) + text : text;
      pos = 0;
    };
    // Enough text to sniff the delimiter.
    while (!src.eof && buf.length < 65536) {
      const t = src.next(linesBefore);
      buf += t;
    }
    if (options.quote === undefined) quote = sniffQuote(buf.slice(0, 65536));
    let delimiter = options.delimiter ?? defaultDelimiter ?? sniffDelimiter(buf, quote, src.eof);
    if (delimiter === '\\t' || delimiter === 'tab') delimiter = '\t';
    if (delimiter.length !== 1 || delimiter === quote || delimiter === '\n' || delimiter === '\r') {
      throw new DataError(
        `the delimiter must be one character other than the quote and line breaks; got ${show(delimiter)}.`,
        {
          file,
          fix: "pass e.g. delimiter: ',' or '\\t'",
        },
      );
    }
    const sc = new CsvScanner(delimiter, quote);

    // ---- state shared by the sampling and the main phase
    const held: Held[] = [];
    let parser: RowParser | null = null;
    let expected = 0;
    let rowsRead = 0;
    let header = false;
    let names: string[] = [];
    let headerLine = 0;
    const rowLines = new I32Builder();

    const reject = (ln: number, reason: string, raw: string, column?: string): void => {
      rowsRead++;
      bad.add(ln, reason, raw, column);
    };
    const accept = (
      ln: number,
      fields: readonly string[],
      n: number,
      problem: string | null,
      raw: () => string,
    ): void => {
      rowsRead++;
      if (problem !== null) {
        bad.add(ln, problem, raw());
        return;
      }
      if (n !== expected) {
        bad.add(ln, `expected ${expected} fields${header ? ' (as in the header)' : ''}, found ${n}`, raw());
        return;
      }
      const f = (parser as RowParser).add(fields);
      if (f) {
        bad.add(ln, f.reason, raw(), f.column);
        return;
      }
      rowLines.push(ln);
    };

    const acceptScanned = (ln: number, b: string, scanner: CsvScanner, raw: () => string): void => {
      rowsRead++;
      if (scanner.problem !== null) {
        bad.add(ln, scanner.problem, raw());
        return;
      }
      if (scanner.nFields !== expected) {
        bad.add(
          ln,
          `expected ${expected} fields${header ? ' (as in the header)' : ''}, found ${scanner.nFields}`,
          raw(),
        );
        return;
      }
      const f = (parser as RowParser).addScanned(b, scanner);
      if (f) {
        bad.add(ln, f.reason, raw(), f.column);
        return;
      }
      rowLines.push(ln);
    };

    // Decides header, names and types from the held sample, then replays it.
    const decide = (): void => {
      const recs = held.filter((h) => h.fields !== null && h.reason === null) as (Held & {
        fields: string[];
      })[];
      if (recs.length === 0) {
        if (held.length === 0) {
          throw new DataError('the file has no data: it is empty or has only blank lines.', {
            file,
            fix: 'pass a file with a header line and at least one data row',
          });
        }
        throw new DataError(`the first line cannot be read: ${held[0].reason}.`, {
          file,
          line: held[0].line,
          fix: 'check the first line (the header) for an unbalanced quote',
        });
      }
      const first = recs[0];
      const width = first.fields.length;
      const body = recs.slice(1).filter((r) => r.fields.length === width);
      const cols: string[][] = Array.from({ length: width }, () => []);
      for (const r of body) {
        for (let j = 0; j < width; j++) if (!missing.has(r.fields[j])) cols[j].push(r.fields[j]);
      }
      const sniffed = cols.map(sniffFieldType);
      if (options.header !== undefined) header = options.header;
      else {
        const typed = sniffed.map((_, j) => j).filter((j) => sniffed[j].kind !== 'string');
        // A missing value fits any type: the first record is data only when a typed column has a value there.
        header =
          !typed.every((j) => parsesAs(first.fields[j], sniffed[j], missing)) ||
          typed.every((j) => missing.has(first.fields[j]));
      }
      const firstIdx = held.indexOf(first);
      if (header) {
        if (first.reason !== null || first.fields === null)
          throw new DataError('the header line cannot be read.', { file, line: first.line });
        names = first.fields.slice();
        headerLine = first.line;
        checkNames(file, names, headerLine);
        // Records before the header (only unreadable pieces) stay in `held` in order.
        held.splice(firstIdx, 1);
      } else {
        names = Array.from({ length: width }, (_, j) => `column_${j + 1}`);
        for (let j = 0; j < width; j++) if (!missing.has(first.fields[j])) cols[j].push(first.fields[j]);
      }
      expected = names.length;
      for (const o of overrides.keys()) {
        if (!names.includes(o)) {
          throw new DataError(`the schema names a column '${o}' that the file does not have.`, {
            file,
            column: o,
            fix: `the file's columns are: ${names.slice(0, 30).join(', ')}; fix the name in the schema file`,
          });
        }
      }
      const types: FieldType[] = names.map((nm, j) => {
        const o = overrides.get(nm);
        if (o) {
          const t = fieldTypeForStorage(o.storage, o.format);
          if (t.kind === 'datetime' && !o.format) {
            const s = sniffFieldType(cols[j]);
            if (s.kind === 'datetime') t.format = s.format;
          }
          return t;
        }
        return header ? sniffed[j] : sniffFieldType(cols[j]);
      });
      // Size the columns from the sample's bytes per row, so they rarely grow or need trimming.
      const sampleChars = held.reduce((a, h) => a + h.raw.length + 1, 0);
      const perRow = held.length ? sampleChars / held.length : 64;
      const capacity = Math.min(1 << 27, Math.ceil((fileBytes / Math.max(1, perRow)) * 1.02) + 1024);
      parser = new RowParser(names, types, missing, capacity);
      for (const h of held) {
        if (h.fields === null) reject(h.line, h.reason as string, h.raw);
        else accept(h.line, h.fields, h.fields.length, h.reason, () => h.raw);
      }
      held.length = 0;
    };

    // ---- the scan loop
    let sampling = true;
    let firstWidth = 0; // field count of the first record (the header, usually), while sampling
    let skipping = false; // inside an over-long unquoted record, looking for its end
    let skipLine = 0;
    let skipRaw = '';
    for (;;) {
      if (skipping) {
        const e = lineEnd(buf, pos);
        if (e.next === buf.length && e.textEnd === buf.length && !src.eof) {
          pos = buf.length;
          more();
          continue;
        }
        pos = e.next;
        skipping = false;
        const reason = `the record is longer than the limit of ${maxRecord} characters (maxRecordChars)`;
        if (sampling) held.push({ line: skipLine, fields: null, raw: skipRaw, reason });
        else reject(skipLine, reason, skipRaw);
        line = skipLine + 1;
        continue;
      }
      if (pos >= buf.length && src.eof) break;
      const end = sc.scan(buf, pos, src.eof);
      if (end === NEED_MORE) {
        if (buf.length - pos > maxRecord) {
          if (sc.inQuote) {
            // A quoted field that runs past the limit: an unterminated quote. Set the first line aside.
            const e = lineEnd(buf, pos);
            const reason = `a quoted field runs past the limit of ${maxRecord} characters (maxRecordChars): an unterminated quote, or a field that needs a larger maxRecordChars`;
            if (sampling) held.push({ line, fields: null, raw: buf.slice(pos, e.textEnd), reason });
            else reject(line, reason, buf.slice(pos, e.textEnd));
            pos = e.next;
            line++;
          } else {
            skipping = true;
            skipLine = line;
            skipRaw = buf.slice(pos, pos + 200);
            pos = buf.length;
          }
          continue;
        }
        more();
        continue;
      }
      if (sc.unterminated) {
        const e = lineEnd(buf, pos);
        const reason = 'a quoted field is never closed (unterminated quote)';
        if (sampling) held.push({ line, fields: null, raw: buf.slice(pos, e.textEnd), reason });
        else reject(line, reason, buf.slice(pos, e.textEnd));
        pos = e.next;
        line++;
        continue;
      }
      if (sc.blank) {
        line += sc.breaks + (sc.terminated ? 1 : 0);
        pos = end;
        continue;
      }
      if (sc.contentEnd - pos > maxRecord) {
        const reason = `the record is longer than the limit of ${maxRecord} characters (maxRecordChars)`;
        const raw = buf.slice(pos, pos + 200);
        if (sampling) held.push({ line, fields: null, raw, reason });
        else reject(line, reason, raw);
        line += sc.breaks + (sc.terminated ? 1 : 0);
        pos = end;
        continue;
      }
      const width = sampling ? firstWidth : expected;
      if (sc.breaks > 0 && sc.problem !== null) {
        // A record over several lines that comes out malformed is almost always a stray quote
        // that swallowed the lines after it: set its first line aside and resume on the next.
        const e = lineEnd(buf, pos);
        const reason = `a quoted field opened on this line runs over ${sc.breaks + 1} lines and leaves a malformed row (${sc.problem ?? `${sc.nFields} fields instead of ${width}`}), so the quote is probably unterminated`;
        if (sampling) held.push({ line, fields: null, raw: buf.slice(pos, e.textEnd), reason });
        else reject(line, reason, buf.slice(pos, e.textEnd));
        pos = e.next;
        line++;
        continue;
      }
      const recLine = line;
      line += sc.breaks + (sc.terminated ? 1 : 0);
      const start = pos;
      pos = end;
      if (sampling && firstWidth === 0) firstWidth = sc.nFields;
      if (sampling) {
        held.push({
          line: recLine,
          fields: sc.materialize(buf),
          raw: buf.slice(start, sc.contentEnd),
          reason: sc.problem,
        });
        if (held.length >= sampleRows + 1) {
          sampling = false;
          decide();
        }
      } else {
        const b = buf;
        const ce = sc.contentEnd;
        acceptScanned(recLine, b, sc, () => b.slice(start, ce));
      }
    }
    if (sampling) decide();
    if (rowsRead === 0) {
      throw new DataError(
        `the file has a header (${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}) but no data rows.`,
        {
          file,
          line: headerLine + 1,
          fix: 'add data rows below the header, or check that this is the file you meant',
        },
      );
    }
    const { columns, formats } = (parser as unknown as RowParser).finish();
    return {
      columns,
      formats,
      rowsRead,
      rowLines: rowLines.finish(),
      dialect: { delimiter, quote, header },
    };
  } finally {
    src.close();
  }
}

/** Refuses empty and duplicate column names in a header. */
function checkNames(file: string, names: readonly string[], line: number): void {
  const seen = new Map<string, number>();
  names.forEach((n, j) => {
    if (n.trim() === '') {
      throw new DataError(`column ${j + 1} of the header has no name.`, {
        file,
        line,
        fix: 'give every column a name in the header line (or pass header: false to number them column_1, column_2, …)',
      });
    }
    const prev = seen.get(n);
    if (prev !== undefined) {
      throw new DataError(`the header names two columns '${n}' (columns ${prev + 1} and ${j + 1}).`, {
        file,
        line,
        column: n,
        fix: 'rename one of them so every column name is unique',
      });
    }
    seen.set(n, j);
  });
}
