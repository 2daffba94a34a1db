/**
 * The CSV/TSV reader. It sniffs the quote, the delimiter, the header and the column types from
 * the first rows (held as text), then streams the rest of the file as UTF-8 bytes through the
 * record reader (`csv-records.ts`), which parses every field straight into typed column arrays —
 * no row objects, and no string for a number or for a category seen before. Line numbers are
 * exact (quoted line breaks counted), and every row is either accepted or rejected:
 * `accepted + rejected = rowsRead`.
 *
 * A large file is read in parts on worker threads (`csv-part.ts`): the rest of the file after
 * the sample is cut at line starts, each worker reads one part into its own region of the
 * shared column arrays while the main thread reads the first, and the main thread then adopts
 * the parts in order — each only if its own reading ended exactly where that part began (a cut
 * inside a quoted field is caught that way and the part is read again here). The table, the
 * line numbers, the rejected rows and the errors are those of a single pass.
 *
 * Why not DuckDB's `read_csv`: in DuckDB 1.5 a single unterminated quote or ragged row makes the
 * dialect sniffer fall back to one `|`-delimited column, and `store_rejects` reports one entry
 * per missing column and splits quoted multi-line rows — neither gives exact accounting. (Nor is
 * it faster here: see docs/data.md, "Performance".)
 *
 * @module
 */

import { isAscii, isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { DataError, show } from '../../core/errors.ts';
import { defaultThreadCount, executorFor } from '../../core/pool.ts';
import type { Column } from '../column.ts';
import type { ReadOptions } from '../read-types.ts';
import type { ColumnSchema } from '../schema.ts';
import type { BadRows } from './bad-rows.ts';
import {
  ByteSource,
  CHUNK_BYTES,
  checkTextStart,
  decodePrefix,
  firstInvalidUtf8,
  incompleteTail,
  utf16Length,
} from './byte-source.ts';
import { ByteCsvScanner, countBreaksBytes, lineEndBytes, NEED_MORE } from './csv-byte-scanner.ts';
import { allocateColumns, assembleColumns, ColumnStore, kindOf, type Piece, STR } from './csv-columns.ts';
import { type CsvPartResult, type CsvPartsTask, parseCsvPartsTask, spilledSegment } from './csv-part.ts';
import { type CsvLayout, RecordReader } from './csv-records.ts';
import { SampleValues } from './csv-sample.ts';
import { CsvScanner } from './csv-scanner.ts';
import { type FieldType, fieldTypeForStorage, parsesAs } from './row-parser.ts';
import { MissingTokens } from './values.ts';

export { checkTextStart };

const DEFAULT_SAMPLE_ROWS = 20_000;
const DEFAULT_MAX_RECORD = 8 * 1024 * 1024;
const DELIMITERS = [',', '\t', ';', '|'];
/** Below this many bytes after the sample, a file is read on one thread. */
const DEFAULT_PARALLEL_MIN_BYTES = 16 * 1024 * 1024;
/** The rest of a large file is cut in parts of about this size (at most 8 per thread). */
const PART_BYTES = 16 * 1024 * 1024;
/** The largest table (in rows) whose columns are laid out for parts read in parallel. */
const MAX_ROWS = 1 << 27;

/** What the CSV reader produces (the caller adds the schema and the summary). */
export interface CsvParse {
  columns: Column[];
  formats: Record<string, string>;
  rowsRead: number;
  rowLines: Int32Array;
  dialect: { delimiter: string; quote: string; header: boolean };
  /** How many parts of the file were read on worker threads and adopted (0: one pass here). */
  parallelParts: number;
}

/** How the reader spreads work over threads (defaults: `LATHE_THREADS` or all cores, 16 MiB). */
export interface CsvTuning {
  /** Threads, including this one (1: no workers). */
  threads?: number;
  /** Read in parallel only when at least this many bytes follow the sample. */
  minParallelBytes?: number;
  /**
   * Whether this thread takes further parts once it has read the first (default true). Tests
   * turn it off to have the workers read every other part, however small the file.
   */
  mainTakesParts?: boolean;
}

/** A sample record kept while the dialect and types are being decided. */
interface Held {
  line: number;
  /** A piece of text that could not be split into fields (its reason says why). */
  unread: boolean;
  /** The record's fields: `nFields` offset pairs from `fieldAt` in the field positions. */
  nFields: number;
  fieldAt: number;
  /** The unescaped text of quoted fields (null for the others), when the record has any. */
  quoted: (string | null)[] | null;
  /** The fields as strings, once decoded. */
  fields: string[] | null;
  /** The raw text (decoded from `start`/`end` when asked for, or before the bytes are dropped). */
  raw: string | null;
  reason: string | null;
  /** File offsets: where the record starts, where its text ends, where the next one starts. */
  start: number;
  end: number;
  next: number;
  /** The line the next record starts on. */
  nextLine: number;
}

const utf8Slice = (Buffer.prototype as unknown as { utf8Slice(this: Buffer, a: number, e: number): string })
  .utf8Slice;

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

/**
 * The quote character: `"` unless the sample has no `"` at all and has fields wrapped in single
 * quotes (`'a, b'` between delimiters), then `'`.
 */
export function sniffQuote(sample: string): string {
  if (sample.includes('"')) return '"';
  return /(^|[,;\t|])'[^'\r\n]*'(?=[,;\t|\r\n]|$)/m.test(sample) ? "'" : '"';
}

/**
 * Picks the delimiter whose field counts are most consistent over the first records. `whole`:
 * the sample is the whole file, so its last record counts even without a final line break.
 * A record a delimiter leaves malformed (text after a closing quote) counts against it.
 */
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
 * `overrides` are schema columns that fix a column's type instead of sniffing it; `tuning` sets
 * the threads used for large files.
 */
export async function parseCsv(
  file: string,
  options: ReadOptions,
  bad: BadRows,
  overrides: ReadonlyMap<string, ColumnSchema>,
  defaultDelimiter?: string,
  tuning: CsvTuning = {},
): Promise<CsvParse> {
  let quote = options.quote ?? '"';
  if (quote.length > 1)
    throw new DataError(`the quote must be one character or ''; got ${show(quote)}.`, { file });
  const missing = new MissingTokens(options.missingValues);
  const sampleRows = Math.max(1, options.sampleRows ?? DEFAULT_SAMPLE_ROWS);
  const maxRecord = Math.max(1024, options.maxRecordChars ?? DEFAULT_MAX_RECORD);
  const policy = bad.policy;

  const src = new ByteSource(file, 0);
  const sources: ByteSource[] = [src];
  const fileBytes = statSync(file).size;
  try {
    let pos = 0;
    let line = 1;
    // Enough text to sniff the delimiter (the first read, or the whole file if it is shorter).
    while (
      !src.eof &&
      (src.len < 65536 || (src.len < 4 * 65536 && utf16Length(src.buf, 0, src.len) < 65536))
    ) {
      src.more(0, () => line + countBreaksBytes(src.buf, 0, src.len, src.len));
    }
    const sample = src.buf.toString('utf8', 0, src.len);
    if (options.quote === undefined) quote = sniffQuote(sample.slice(0, 65536));
    let delimiter = options.delimiter ?? defaultDelimiter ?? sniffDelimiter(sample, quote, src.eof);
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
    const sc = new ByteCsvScanner(delimiter, quote);

    // ---- the sample: records held (as field positions, decoded only when needed) until the
    // header and the types are decided
    const held: Held[] = [];
    let fieldPos = new Float64Array(1024); // [start, end) file offsets of every held field
    let fieldCount = 0;
    let firstWidth = 0; // field count of the first record (the header, usually)
    let skipping = false; // inside an over-long unquoted record, looking for its end
    let skipLine = 0;
    let skipRaw = '';
    let view = src.buf.subarray(0, src.len);
    const fieldsOf = (h: Held): string[] => {
      if (h.fields === null) {
        const f = new Array<string>(h.nFields);
        for (let j = 0; j < h.nFields; j++) {
          const q = h.quoted?.[j] ?? null;
          f[j] =
            q !== null
              ? q
              : utf8Slice.call(
                  src.buf,
                  fieldPos[2 * (h.fieldAt + j)] - src.offset,
                  fieldPos[2 * (h.fieldAt + j) + 1] - src.offset,
                );
        }
        h.fields = f;
      }
      return h.fields;
    };
    const rawOf = (h: Held): string => {
      if (h.raw === null) h.raw = utf8Slice.call(src.buf, h.start - src.offset, h.end - src.offset);
      return h.raw;
    };
    let decoded = 0; // held[0, decoded) have their text
    const more = (): void => {
      // The bytes before `pos` go: decode the records held in them first.
      for (; decoded < held.length; decoded++) {
        const h = held[decoded];
        if (!h.unread) fieldsOf(h);
        rawOf(h);
      }
      const before = line + countBreaksBytes(src.buf, pos, src.len, src.len);
      pos -= src.more(pos, () => before);
      view = src.buf.subarray(0, src.len);
    };
    const unread = (ln: number, raw: string, reason: string): Held => {
      const at = src.offset + pos;
      return {
        line: ln,
        unread: true,
        nFields: 0,
        fieldAt: 0,
        quoted: null,
        fields: null,
        raw,
        reason,
        start: at,
        end: at,
        next: at,
        nextLine: ln,
      };
    };
    for (;;) {
      const n = src.len;
      if (skipping) {
        const e = lineEndBytes(view, pos, n);
        if (e.next === n && e.textEnd === n && !src.eof) {
          pos = n;
          more();
          continue;
        }
        pos = e.next;
        skipping = false;
        const reason = `the record is longer than the limit of ${maxRecord} characters (maxRecordChars)`;
        held.push(unread(skipLine, skipRaw, reason));
        line = skipLine + 1;
        continue;
      }
      if (pos >= n && src.eof) break;
      const end = sc.scan(view, n, pos, src.eof);
      if (end === NEED_MORE) {
        if (n - pos > maxRecord && utf16Length(view, pos, n) > maxRecord) {
          if (sc.inQuote) {
            // A quoted field that runs past the limit: an unterminated quote. Set the first line aside.
            const e = lineEndBytes(view, pos, n);
            const reason = `a quoted field runs past the limit of ${maxRecord} characters (maxRecordChars): an unterminated quote, or a field that needs a larger maxRecordChars`;
            held.push(unread(line, utf8Slice.call(view, pos, e.textEnd), reason));
            pos = e.next;
            line++;
          } else {
            skipping = true;
            skipLine = line;
            skipRaw = decodePrefix(view, pos, n, 200);
            pos = n;
          }
          continue;
        }
        more();
        continue;
      }
      if (sc.unterminated) {
        const e = lineEndBytes(view, pos, n);
        const reason = 'a quoted field is never closed (unterminated quote)';
        held.push(unread(line, utf8Slice.call(view, pos, e.textEnd), reason));
        pos = e.next;
        line++;
        continue;
      }
      if (sc.blank || (firstWidth > 1 && sc.whitespaceOnly(view))) {
        line += sc.breaks + (sc.terminated ? 1 : 0);
        pos = end;
        continue;
      }
      if (sc.contentEnd - pos > maxRecord && utf16Length(view, pos, sc.contentEnd) > maxRecord) {
        const reason = `the record is longer than the limit of ${maxRecord} characters (maxRecordChars)`;
        held.push(unread(line, decodePrefix(view, pos, n, 200), reason));
        line += sc.breaks + (sc.terminated ? 1 : 0);
        pos = end;
        continue;
      }
      if (sc.breaks > 0 && sc.problem !== null) {
        // A record over several lines with text after a closing quote is almost always a stray
        // quote that swallowed the lines after it, up to the opening quote of a later field: set
        // its first line aside and resume on the next. (A multi-line record whose quotes close
        // cleanly but has the wrong field count is a bad row whole: resuming inside its quoted
        // field would read the rest of that field as a row.)
        const e = lineEndBytes(view, pos, n);
        const reason = `a quoted field opened on this line runs over ${sc.breaks + 1} lines and leaves a malformed row (${sc.problem}), so the quote is probably unterminated`;
        held.push(unread(line, utf8Slice.call(view, pos, e.textEnd), reason));
        pos = e.next;
        line++;
        continue;
      }
      const recLine = line;
      line += sc.breaks + (sc.terminated ? 1 : 0);
      const start = pos;
      pos = end;
      const nf = sc.nFields;
      if (firstWidth === 0) firstWidth = nf;
      if (2 * (fieldCount + nf) > fieldPos.length) {
        const grown = new Float64Array(Math.max(2 * fieldPos.length, 2 * (fieldCount + nf)));
        grown.set(fieldPos);
        fieldPos = grown;
      }
      let quoted: (string | null)[] | null = null;
      for (let j = 0; j < nf; j++) {
        const q = sc.quoted[j];
        if (q !== null) {
          quoted ??= new Array<string | null>(nf).fill(null);
          quoted[j] = q;
        }
        fieldPos[2 * (fieldCount + j)] = src.offset + sc.starts[j];
        fieldPos[2 * (fieldCount + j) + 1] = src.offset + sc.ends[j];
      }
      held.push({
        line: recLine,
        unread: false,
        nFields: nf,
        fieldAt: fieldCount,
        quoted,
        fields: null,
        raw: null,
        reason: sc.problem,
        start: src.offset + start,
        end: src.offset + sc.contentEnd,
        next: src.offset + end,
        nextLine: line,
      });
      fieldCount += nf;
      if (held.length >= sampleRows + 1) break;
    }

    // ---- decide the header, the names and the types from the sample
    const recs = held.filter((h) => !h.unread && h.reason === null);
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
    const firstFields = fieldsOf(first);
    const width = first.nFields;
    const body = recs.slice(1).filter((r) => r.nFields === width);
    // Each column's type, judged from the sample's bytes where they are plain numbers.
    const sampled = new SampleValues(body, fieldPos, src.buf, src.offset, missing, options.missingValues);
    const sniffed = Array.from({ length: width }, (_, j) => sampled.sniff(j));
    let header: boolean;
    if (options.header !== undefined) header = options.header;
    else {
      header = !firstRecordIsData(firstFields, sniffed, missing);
    }
    let names: string[];
    let headerLine = 0;
    const firstIdx = held.indexOf(first);
    if (header) {
      names = firstFields.slice();
      headerLine = first.line;
      checkNames(file, names, headerLine);
      // Records before the header (only unreadable pieces) stay in `held` in order.
      held.splice(firstIdx, 1);
    } else {
      names = Array.from({ length: width }, (_, j) => `column_${j + 1}`);
    }
    for (const o of overrides.keys()) {
      if (!names.includes(o) && !options.schemaColumnsOptional) {
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
          const s = sampled.sniff(j, header ? undefined : firstFields[j]);
          if (s.kind === 'datetime') t.format = s.format;
        }
        return t;
      }
      return header ? sniffed[j] : sampled.sniff(j, firstFields[j]);
    });
    const layout: CsvLayout = {
      names,
      types,
      delimiter,
      quote,
      header,
      maxRecord,
      missingValues: options.missingValues,
    };
    const kinds = Int8Array.from(types, kindOf);

    // ---- lay out the columns: one region per part, sized from the sample's bytes per row
    const sampleChars = held.reduce((a, h) => a + (h.raw === null ? h.end - h.start : h.raw.length) + 1, 0);
    const perRow = held.length ? sampleChars / held.length : 64;
    const estimate = (bytes: number) => Math.ceil((bytes / Math.max(1, perRow)) * 1.02) + 1024;
    const here = src.offset + pos;
    const threads = Math.max(1, Math.floor(tuning.threads ?? defaultThreadCount()));
    // Parts after the first: several per thread, so that the threads can even out their loads.
    const rest = fileBytes - here;
    const starts =
      threads < 2 || rest < (tuning.minParallelBytes ?? DEFAULT_PARALLEL_MIN_BYTES)
        ? []
        : partStarts(
            file,
            here,
            fileBytes,
            Math.min(8 * threads, Math.max(threads, Math.ceil(rest / PART_BYTES))),
          );
    const caps: number[] = [];
    if (starts.length === 0) caps.push(Math.min(MAX_ROWS, estimate(fileBytes)));
    else {
      caps.push(held.length + estimate(starts[0] - here));
      starts.forEach((s, k) => caps.push(estimate((k + 1 < starts.length ? starts[k + 1] : fileBytes) - s)));
    }
    const capacity = caps.reduce((a, c) => a + c, 0);
    if (capacity > MAX_ROWS && starts.length > 0) {
      starts.length = 0;
      caps.length = 0;
      caps.push(Math.min(MAX_ROWS, estimate(fileBytes)));
    }
    const bases = caps.map((_, k) => caps.slice(0, k).reduce((a, c) => a + c, 0));
    const arrays = allocateColumns(kinds, bases[bases.length - 1] + caps[caps.length - 1], true);
    const stopOf = (k: number) => (k + 1 < starts.length ? starts[k + 1] : Number.POSITIVE_INFINITY);

    // ---- workers take parts from the end of the file now, while this thread reads from the
    // start; each part is claimed once (an atomic compare-and-swap), so the threads meet
    // wherever their speeds make them meet.
    const claims = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, starts.length)));
    let results: Promise<CsvPartResult[][] | null> = Promise.resolve(null);
    if (starts.length > 0) {
      const parts = starts.map((start, k) => ({
        start,
        stopAt: stopOf(k),
        base: bases[k + 1],
        cap: caps[k + 1],
      }));
      const task: CsvPartsTask = { file, layout, policy, arrays, parts, claims };
      // A failed pool only costs the parallelism: the parts are then read here.
      results = executorFor(threads)
        .map<CsvPartResult[]>(Array.from({ length: threads - 1 }, () => parseCsvPartsTask(task)))
        .catch(() => null);
    }

    const store = new ColumnStore(kinds, arrays, 0, caps[0]);
    const reader = new RecordReader(src, pos, line, layout, store, bad);
    // The sample's records go through the record rules again. Usually by reading their bytes
    // again from the first data record (they are still in the buffer, or read anew); when the
    // first record read differs in width from the columns, by replaying the text held (the
    // sample's malformed-record rule measured against that first width).
    const replay = (h: Held) => {
      if (h.unread) reader.rejectUnread(h.line, h.reason as string, h.raw as string);
      else {
        const f = fieldsOf(h);
        reader.accept(h.line, f, f.length, h.reason, () => rawOf(h));
      }
    };
    if (firstWidth === names.length) {
      for (let i = 0; i < firstIdx; i++) replay(held[i]);
      const from = header ? first.next : first.start;
      const fromLine = header ? first.nextLine : first.line;
      if (from >= src.offset) reader.reset(src, fromLine, from - src.offset);
      else {
        const again = new ByteSource(file, from);
        sources.push(again);
        reader.reset(again, fromLine);
      }
    } else {
      for (const h of held) replay(h);
    }
    held.length = 0;
    const none = () => Array.from(kinds, () => null);
    const pieces: Piece[] = [];
    let parallelParts = 0;
    reader.run(starts.length > 0 ? starts[0] : Number.POSITIVE_INFINITY);
    pieces.push({ segments: store.segments(), lineOffset: 0, remap: none() });
    // Then the next parts, as long as no worker has taken them.
    let k = 0;
    const takes = tuning.mainTakesParts ?? true;
    for (; takes && k < starts.length && Atomics.compareExchange(claims, k, 0, 1) === 0; k++) {
      reader.store = new ColumnStore(kinds, arrays, bases[k + 1], caps[k + 1]);
      reader.run(stopOf(k));
      pieces.push({ segments: reader.store.segments(), lineOffset: 0, remap: none() });
    }
    if (k < starts.length) {
      const done = new Map<number, CsvPartResult>();
      for (const list of (await results) ?? []) for (const r of list) done.set(r.part, r);
      // Where a single pass would be now, and on which line.
      let at = reader.offset;
      let atLine = reader.line;
      let rowsRead = 0;
      for (; k < starts.length; k++) {
        const r = done.get(k);
        if (r?.ok && at === starts[k]) {
          // The part began on a record boundary: take its rows, in file order.
          const lineOffset = atLine - 1;
          const remap = Array.from(kinds, (kd, j) => {
            if (kd !== STR) return null;
            const dict = reader.dicts[j];
            const local = r.dictionaries[j] ?? [];
            const map = new Int32Array(local.length);
            for (let x = 0; x < local.length; x++) map[x] = dict ? dict.codeOf(local[x], false) : x;
            return map;
          });
          for (const [ln, reason, raw, column] of r.bad) bad.add(ln + lineOffset, reason, raw, column);
          if (r.stopped)
            throw new Error(`internal error: a part of ${file} stopped at a bad row that was not reported`);
          rowsRead += r.rowsRead;
          pieces.push({
            segments: [
              { ...arrays, base: bases[k + 1], rows: r.rows },
              ...r.spilled.map((sp) => spilledSegment(kinds, sp)),
            ],
            lineOffset,
            remap,
          });
          parallelParts++;
          at = r.end;
          atLine += r.lines;
        } else {
          // Read the part here (it began inside a record, or its worker could not read it).
          if (reader.offset !== at) {
            const next = new ByteSource(file, at);
            sources.push(next);
            reader.reset(next, atLine);
          }
          reader.store = new ColumnStore(kinds, arrays, bases[k + 1], caps[k + 1]);
          reader.run(stopOf(k));
          pieces.push({ segments: reader.store.segments(), lineOffset: 0, remap: none() });
          at = reader.offset;
          atLine = reader.line;
        }
      }
      reader.rowsRead += rowsRead;
    }
    if (reader.rowsRead === 0) {
      throw new DataError(
        `the file has a header (${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}) but no data rows.`,
        {
          file,
          line: headerLine + 1,
          fix: 'add data rows below the header, or check that this is the file you meant',
        },
      );
    }
    const { columns, formats, rowLines } = assembleColumns({
      kinds,
      names,
      types,
      arrays,
      capacity: bases[bases.length - 1] + caps[caps.length - 1],
      pieces,
      dictionaries: reader.dicts.map((d) => (d ? d.dictionary : null)),
    });
    return {
      columns,
      formats,
      rowsRead: reader.rowsRead,
      rowLines,
      dialect: { delimiter, quote, header },
      parallelParts,
    };
  } finally {
    for (const s of sources) s.close();
  }
}

/**
 * Where the parts after the first begin: `parts` equal shares of `[from, size)`, each starting
 * at the first line start at or after its cut (a line start that turns out to be inside a
 * quoted field is caught when the parts are adopted). Cuts without a line break after them are
 * dropped.
 */
function partStarts(file: string, from: number, size: number, parts: number): number[] {
  const out: number[] = [];
  const fd = openSync(file, 'r');
  const window = Buffer.allocUnsafe(64 * 1024);
  try {
    for (let k = 1; k < parts; k++) {
      let at = from + Math.floor(((size - from) * k) / parts);
      if (out.length > 0 && at <= out[out.length - 1]) at = out[out.length - 1];
      let found = -1;
      // Look a few MiB ahead at most: a file without line breaks there is not worth splitting.
      for (let tries = 0; tries < 64 && found < 0 && at < size; tries++) {
        const got = readSync(fd, window, 0, window.length, at);
        if (got <= 0) break;
        const i = window.subarray(0, got).indexOf(10);
        if (i >= 0) found = at + i + 1;
        else at += got;
      }
      if (found < 0 || found >= size) break;
      if (out.length === 0 || found > out[out.length - 1]) out.push(found);
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

/**
 * Whether the first record reads as data rather than as a header: every typed column (numeric,
 * boolean, datetime) parses its value there, and at least one of them holds a value. A missing
 * value (empty, `NA`) fits any type, so it is no evidence: a header whose typed columns are
 * unnamed — pandas' `to_csv` writes `,city,plan` above an integer index — stays a header.
 */
function firstRecordIsData(
  fields: readonly string[],
  types: readonly FieldType[],
  missing: MissingTokens,
): boolean {
  let valued = false;
  for (let j = 0; j < types.length; j++) {
    if (types[j].kind === 'string') continue;
    if (!parsesAs(fields[j], types[j], missing)) return false;
    if (!missing.has(fields[j])) valued = true;
  }
  return valued;
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
