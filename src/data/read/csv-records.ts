/**
 * The CSV reader's main loop, after the sample has fixed the dialect and the column types: reads
 * records from a {@link ByteSource} and parses each field straight from the UTF-8 bytes into the
 * column arrays of a {@link ColumnStore}. The same code runs on the main thread and, for parts of
 * a large file, on worker threads (`csv-part.ts`).
 *
 * Two paths, one result:
 * - the **fast path** handles a plain record in one pass over its bytes: numbers are parsed
 *   while the field is scanned (exactly, see `fastDecimal`), strings are hashed while scanned
 *   and looked up in a byte-keyed dictionary (no string is created for a value seen before),
 *   and a quoted field without doubled quotes or line breaks is taken as is;
 * - anything else — a doubled quote, a quoted line break, a ragged or malformed row, a value
 *   that does not parse, the end of the buffer — sends the record, untouched, to the **general
 *   path**: the byte-for-byte port of the original scanner and row rules (`ByteCsvScanner`),
 *   which decides, reports and counts exactly as before.
 *
 * A row's values are written to its slot as they are parsed, and the row counts only once every
 * field has parsed (new dictionary entries are added only then too), so a rejected row leaves
 * no trace and the dictionary order is the order of first appearance among accepted rows.
 *
 * @module
 */

import type { BadRowPolicy } from '../read-types.ts';
import { ByteDictionary, HASH_SEED, hashBytes, NOT_FOUND } from './byte-dictionary.ts';
import { type ByteSource, decodePrefix, utf16Length } from './byte-source.ts';
import { ByteCsvScanner, countBreaksBytes, lineEndBytes, NEED_MORE } from './csv-byte-scanner.ts';
import { BOOL, type ColumnStore, DATE, kindOf, NUM, STR } from './csv-columns.ts';
import {
  type CsvKernelFeed,
  csvKernelFeed,
  csvKernelStats,
  OTHER_SLOT,
  STOP_END,
  STOP_OTHER,
} from './csv-kernel.ts';
import { type FieldFailure, type FieldType, fieldFailure, notAValue } from './row-parser.ts';
import {
  MissingTokens,
  POW10,
  parseBooleanLiteral,
  parseBooleanWord,
  parseDatetimeOrIso,
  parseNumber,
} from './values.ts';

/** Everything that decides how records are read, as plain data (it is sent to worker threads). */
export interface CsvLayout {
  names: string[];
  types: FieldType[];
  delimiter: string;
  quote: string;
  /** Whether the file has a header (only for the wording of field-count errors). */
  header: boolean;
  maxRecord: number;
  /** The missing-value tokens (undefined: the defaults). */
  missingValues?: readonly string[];
}

/** Where bad rows go: `BadRows` on the main thread, a collector on a worker. */
export interface BadSink {
  add(line: number, reason: string, raw: string, column?: string): void;
}

/** Thrown by a collecting sink to stop at the first bad row (the caller catches it). */
export const STOP_AT_BAD_ROW = Symbol('stop at the first bad row');

/** Collects bad rows as `[line, reason, raw, column]`; under the `error` policy it stops at the first. */
export class CollectedBadRows implements BadSink {
  readonly rows: [number, string, string, string | undefined][] = [];
  constructor(private readonly policy: BadRowPolicy) {}
  add(line: number, reason: string, raw: string, column?: string): void {
    this.rows.push([line, reason, raw, column]);
    if (this.policy === 'error') throw STOP_AT_BAD_ROW;
  }
}

const utf8Slice = (Buffer.prototype as unknown as { utf8Slice(this: Buffer, a: number, e: number): string })
  .utf8Slice;

/** Reads records from `src` into a column store. */
export class RecordReader {
  /** Position of the next record in `src.buf`. */
  pos: number;
  /** The 1-based line of the next record. */
  line: number;
  /** Records read (accepted or rejected). */
  rowsRead = 0;
  /** Per column: the dictionary of a string column (null for the others). */
  readonly dicts: (ByteDictionary | null)[];
  readonly kinds: Int8Array;
  readonly missing: MissingTokens;

  private b: Buffer;
  private n: number;
  private view: Buffer;
  private readonly sc: ByteCsvScanner;
  private readonly nf: number;
  private readonly d0: number;
  private readonly q0: number;
  /** The fast path applies (one-byte delimiter and quote). */
  private readonly fast: boolean;
  /** Numbers are parsed while scanned (no missing-value token looks like a number). */
  private readonly numFast: boolean;
  private readonly pend: Int32Array;
  /** The WebAssembly kernel (null: the TypeScript paths alone). */
  private readonly kernel: CsvKernelFeed | null;
  /** Records to read here before the kernel is tried again, and that number after the next miss. */
  private kernelSkip = 0;
  private kernelBackoff = 1;
  /** Bumped whenever the buffer changes (the kernel's copy of it is then stale). */
  private gen = 0;
  private skipping = false;
  private skipLine = 0;
  private skipRaw = '';

  constructor(
    private src: ByteSource,
    pos: number,
    line: number,
    private readonly layout: CsvLayout,
    public store: ColumnStore,
    private readonly bad: BadSink,
    dicts?: (ByteDictionary | null)[],
  ) {
    this.pos = pos;
    this.line = line;
    this.kinds = Int8Array.from(layout.types, kindOf);
    this.dicts = dicts ?? Array.from(this.kinds, (k) => (k === STR ? new ByteDictionary() : null));
    this.missing = new MissingTokens(layout.missingValues);
    this.sc = new ByteCsvScanner(layout.delimiter, layout.quote);
    this.nf = layout.names.length;
    this.d0 = this.sc.d0;
    this.q0 = this.sc.q0;
    this.fast = this.sc.dBytes.length === 1 && this.sc.qBytes.length <= 1;
    this.numFast = !(layout.missingValues ?? []).some((t) => t !== '' && parseNumber(t) !== undefined);
    this.pend = new Int32Array(4 * this.nf);
    this.kernel = csvKernelFeed(this.kinds, this.fast, this.numFast, this.d0, this.q0, layout.maxRecord);
    this.b = src.buf;
    this.n = src.len;
    this.view = src.buf.subarray(0, src.len);
  }

  /** The file offset of the next record. */
  get offset(): number {
    return this.src.offset + this.pos;
  }

  /** Continues from `pos` in a source (a record boundary), on line `line`. */
  reset(src: ByteSource, line: number, pos = 0): void {
    this.src = src;
    this.pos = pos;
    this.line = line;
    this.refresh();
  }

  private refresh(): void {
    this.gen++;
    this.b = this.src.buf;
    this.n = this.src.len;
    this.view = this.b.subarray(0, this.n);
  }

  private more(): void {
    const before = this.line + countBreaksBytes(this.b, this.pos, this.n, this.n);
    this.pos -= this.src.more(this.pos, () => before);
    this.refresh();
  }

  private reject(line: number, reason: string, raw: string): void {
    this.rowsRead++;
    this.bad.add(line, reason, raw);
  }

  /**
   * Reads records until the first one that starts at file offset `stopAt` or later, or to the
   * end of the file.
   */
  run(stopAt = Number.POSITIVE_INFINITY): void {
    const sc = this.sc;
    const maxRecord = this.layout.maxRecord;
    const expected = this.nf;
    for (;;) {
      if (this.skipping) {
        const e = lineEndBytes(this.b, this.pos, this.n);
        if (e.next === this.n && e.textEnd === this.n && !this.src.eof) {
          this.pos = this.n;
          this.more();
          continue;
        }
        this.pos = e.next;
        this.skipping = false;
        this.reject(
          this.skipLine,
          `the record is longer than the limit of ${maxRecord} characters (maxRecordChars)`,
          this.skipRaw,
        );
        this.line = this.skipLine + 1;
        continue;
      }
      const pos = this.pos;
      if (pos >= this.n && this.src.eof) break;
      if (this.src.offset + pos >= stopAt) break;
      if (this.fast) {
        if (this.kernel !== null) {
          if (this.kernelSkip === 0 && this.kernelRecords(pos, stopAt) > 0) continue;
          if (this.kernelSkip > 0) this.kernelSkip--;
        }
        const r = this.fastRecord(pos);
        if (r >= 0) {
          this.pos = r;
          continue;
        }
      }
      const b = this.view;
      const n = this.n;
      const end = sc.scan(b, n, pos, this.src.eof);
      if (end === NEED_MORE) {
        if (n - pos > maxRecord && utf16Length(b, pos, n) > maxRecord) {
          if (sc.inQuote) {
            // A quoted field that runs past the limit: an unterminated quote. Set the first line aside.
            const e = lineEndBytes(b, pos, n);
            this.reject(
              this.line,
              `a quoted field runs past the limit of ${maxRecord} characters (maxRecordChars): an unterminated quote, or a field that needs a larger maxRecordChars`,
              utf8Slice.call(b, pos, e.textEnd),
            );
            this.pos = e.next;
            this.line++;
          } else {
            this.skipping = true;
            this.skipLine = this.line;
            this.skipRaw = decodePrefix(b, pos, n, 200);
            this.pos = n;
          }
          continue;
        }
        this.more();
        continue;
      }
      if (sc.unterminated) {
        const e = lineEndBytes(b, pos, n);
        this.reject(
          this.line,
          'a quoted field is never closed (unterminated quote)',
          utf8Slice.call(b, pos, e.textEnd),
        );
        this.pos = e.next;
        this.line++;
        continue;
      }
      if (sc.blank || (expected > 1 && sc.whitespaceOnly(b))) {
        this.line += sc.breaks + (sc.terminated ? 1 : 0);
        this.pos = end;
        continue;
      }
      if (sc.contentEnd - pos > maxRecord && utf16Length(b, pos, sc.contentEnd) > maxRecord) {
        this.reject(
          this.line,
          `the record is longer than the limit of ${maxRecord} characters (maxRecordChars)`,
          decodePrefix(b, pos, n, 200),
        );
        this.line += sc.breaks + (sc.terminated ? 1 : 0);
        this.pos = end;
        continue;
      }
      if (sc.breaks > 0 && sc.problem !== null) {
        // A record over several lines with text after a closing quote is almost always a stray
        // quote that swallowed the lines after it, up to the opening quote of a later field: set
        // its first line aside and resume on the next. (A multi-line record whose quotes close
        // cleanly but has the wrong field count is a bad row whole: resuming inside its quoted
        // field would read the rest of that field as a row.)
        const e = lineEndBytes(b, pos, n);
        this.reject(
          this.line,
          `a quoted field opened on this line runs over ${sc.breaks + 1} lines and leaves a malformed row (${sc.problem}), so the quote is probably unterminated`,
          utf8Slice.call(b, pos, e.textEnd),
        );
        this.pos = e.next;
        this.line++;
        continue;
      }
      const recLine = this.line;
      this.line += sc.breaks + (sc.terminated ? 1 : 0);
      this.pos = end;
      const fields = sc.problem === null && sc.nFields === expected ? sc.materialize(b) : null;
      const ce = sc.contentEnd;
      this.accept(recLine, fields, sc.nFields, sc.problem, () => utf8Slice.call(b, pos, ce));
    }
  }

  /**
   * One record given as text fields (`fields` null when `problem` or a wrong field count already
   * condemn it): counted, then accepted into the store or set aside with its reason.
   */
  accept(
    line: number,
    fields: readonly string[] | null,
    nFields: number,
    problem: string | null,
    raw: () => string,
  ): void {
    this.rowsRead++;
    if (problem !== null) {
      this.bad.add(line, problem, raw());
      return;
    }
    if (nFields !== this.nf || fields === null) {
      this.bad.add(
        line,
        `expected ${this.nf} fields${this.layout.header ? ' (as in the header)' : ''}, found ${nFields}`,
        raw(),
      );
      return;
    }
    const f = this.addFields(fields, line);
    if (f) this.bad.add(line, f.reason, raw(), f.column);
  }

  /** Sets aside a record that could not even be split into fields. */
  rejectUnread(line: number, reason: string, raw: string): void {
    this.reject(line, reason, raw);
  }

  /** Parses text fields into the next slot; commits the row, or returns what failed. */
  private addFields(fields: readonly string[], line: number): FieldFailure | null {
    const store = this.store;
    const row = store.slot();
    const kinds = this.kinds;
    const missing = this.missing;
    const types = this.layout.types;
    for (let j = 0; j < this.nf; j++) {
      const s = fields[j];
      const miss = missing.has(s);
      switch (kinds[j]) {
        case NUM: {
          const v = miss ? Number.NaN : parseNumber(s);
          if (v === undefined) return fieldFailure(this.layout.names[j], types[j], notAValue(s, types[j]));
          store.f64[j][row] = v;
          break;
        }
        case BOOL: {
          const v = miss ? -1 : types[j].words ? parseBooleanWord(s) : parseBooleanLiteral(s);
          if (v < 0 && !miss) return fieldFailure(this.layout.names[j], types[j], notAValue(s, types[j]));
          store.i8[j][row] = v;
          break;
        }
        case DATE: {
          const v = miss ? Number.NaN : parseDatetimeOrIso(s, types[j].format ?? '%Y-%m-%d');
          if (v !== v && !miss) return fieldFailure(this.layout.names[j], types[j], notAValue(s, types[j]));
          store.f64[j][row] = v;
          break;
        }
      }
    }
    for (let j = 0; j < this.nf; j++) {
      if (kinds[j] !== STR) continue;
      const s = fields[j];
      store.i32[j][row] = missing.has(s) ? -1 : (this.dicts[j] as ByteDictionary).codeOf(s, false);
    }
    store.lines[row] = line;
    store.rows++;
    return null;
  }

  /**
   * Parses the text of one non-string field, `b[a, e)`, into slot `row` of column `j`; false when
   * it is not a value of the column's type (the general path then reports the row).
   */
  private parseText(j: number, kind: number, row: number, a: number, e: number): boolean {
    const s = utf8Slice.call(this.b, a, e);
    const miss = this.missing.has(s);
    const store = this.store;
    if (kind === NUM) {
      const v = miss ? Number.NaN : parseNumber(s);
      if (v === undefined) return false;
      store.f64[j][row] = v;
    } else if (kind === BOOL) {
      const v = miss ? -1 : this.layout.types[j].words ? parseBooleanWord(s) : parseBooleanLiteral(s);
      if (v < 0 && !miss) return false;
      store.i8[j][row] = v;
    } else {
      const v = miss ? Number.NaN : parseDatetimeOrIso(s, this.layout.types[j].format ?? '%Y-%m-%d');
      if (v !== v && !miss) return false;
      store.f64[j][row] = v;
    }
    return true;
  }

  /**
   * Reads the plain records from `pos` with the WebAssembly kernel and commits them, as
   * {@link fastRecord} would one by one; returns how many. Where the kernel stops at a record it
   * does not take, the next record (or, after a short run, the next few) is read here.
   */
  private kernelRecords(pos: number, stopAt: number): number {
    const kernel = this.kernel as CsvKernelFeed;
    const store = this.store;
    if (store.rows === store.cap) store.spill();
    const room = store.cap - store.rows;
    const lim = stopAt - this.src.offset;
    const k = kernel.records(this.b, this.n, this.gen, pos, lim, Math.min(kernel.maxRows, room), this.line);
    const why = kernel.why;
    if (why === STOP_OTHER) {
      // The next record is the TypeScript paths' (after runs this short, the next few are).
      this.kernelBackoff = k >= 32 ? 1 : Math.min(kernel.maxBackoff, 2 * this.kernelBackoff);
      this.kernelSkip = this.kernelBackoff;
    } else if (why === STOP_END && k === 0) this.kernelSkip = 1; // a record cut by the end of the data
    if (k === 0) return 0;
    const row = store.base + store.rows;
    // Other columns' texts are parsed here: the records before the first that does not parse are taken.
    if (kernel.otherColumn.length > 0) {
      const taken = this.kernelOther(kernel, row, k);
      if (taken < k) {
        this.kernelBackoff = taken >= 32 ? 1 : Math.min(kernel.maxBackoff, 2 * this.kernelBackoff);
        this.kernelSkip = this.kernelBackoff;
        if (taken === 0) return 0;
        return this.kernelTake(kernel, row, taken, kernel.inst.i32[kernel.starts + taken] + kernel.base);
      }
    }
    return this.kernelTake(kernel, row, k, kernel.pos);
  }

  /**
   * The text of the other columns' fields of the last kernel block, parsed into slots `row`
   * onwards; returns how many records parsed before the first that did not.
   */
  private kernelOther(kernel: CsvKernelFeed, row: number, k: number): number {
    const I = kernel.inst.i32;
    const base = kernel.base;
    const R = kernel.maxRows;
    let taken = k;
    for (let o = 0; o < kernel.otherColumn.length; o++) {
      const j = kernel.otherColumn[o];
      const kind = this.kinds[j];
      for (let r = 0, at = kernel.oth + 2 * o * R; r < taken; r++, at += 2) {
        if (!this.parseText(j, kind, row + r, I[at] + base, I[at + 1] + base)) {
          taken = r;
          break;
        }
      }
    }
    return taken;
  }

  /** Commits the first `k` records of the last kernel block (from slot `row`); the next record is at `next`. */
  private kernelTake(kernel: CsvKernelFeed, row: number, k: number, next: number): number {
    // The block, column by column, with native copies (no loop over the records here: this
    // function then stays small and cheap to compile).
    const store = this.store;
    const inst = kernel.inst;
    const R = kernel.maxRows;
    const slotOf = kernel.slotOf;
    for (let j = 0; j < this.nf; j++) {
      const s = slotOf[j];
      if (s >= OTHER_SLOT) continue; // parsed into the store already
      if (s >= 0) {
        const o = kernel.num + s * R;
        store.f64[j].set(inst.f64.subarray(o, o + k), row);
      } else {
        const o = kernel.str + (-s - 1) * R;
        store.i32[j].set(inst.i32.subarray(o, o + k), row);
      }
    }
    store.lines.set(inst.i32.subarray(kernel.lines, kernel.lines + k), row);
    if (kernel.misses > 0) this.kernelMisses(kernel, row, k);
    store.rows += k;
    this.rowsRead += k;
    this.line += k;
    this.pos = next;
    csvKernelStats.records += k;
    return k;
  }

  /**
   * The string values of the first `k` records of the last kernel block that its caches did not
   * have, in record order: looked up in the column's dictionary (or added to it, as fastRecord
   * would), then cached.
   */
  private kernelMisses(kernel: CsvKernelFeed, row: number, k: number): void {
    const I = kernel.inst.i32;
    const base = kernel.base;
    const b = this.b;
    for (let m = 0, o = kernel.miss; m < kernel.misses && I[o + 1] < k; m++, o += 5) {
      const s = I[o];
      const j = kernel.strColumn[s];
      const a = I[o + 2];
      const e = I[o + 3];
      const h = I[o + 4];
      const dict = this.dicts[j] as ByteDictionary;
      let code = dict.find(b, a + base, e + base, h);
      if (code === NOT_FOUND) {
        const text = utf8Slice.call(b, a + base, e + base);
        code = dict.insert(b, a + base, e + base, h, text, this.missing.has(text));
      }
      this.store.i32[j][row + I[o + 1]] = code;
      kernel.remember(s, a, e, h, code);
    }
  }

  /**
   * The fast path: reads the plain record at `p` in one pass and commits it, returning the
   * position after it; or returns -1, having committed nothing, for the general path to handle.
   * Hand-inlined hot loop (it runs once per field of the file): `b[n]` is a `\n` sentinel, so
   * the scans stop at the end of the data without bounds checks.
   */
  private fastRecord(p: number): number {
    const b = this.b;
    const n = this.n;
    let c = b[p];
    if (c === 10 || c === 13) return -1; // a blank line, or the end of the data
    const store = this.store;
    if (store.rows === store.cap) store.spill();
    const row = store.base + store.rows;
    const f64 = store.f64;
    const i32 = store.i32;
    const kinds = this.kinds;
    const nf = this.nf;
    const D = this.d0;
    const Q = this.q0;
    const pend = this.pend;
    let np = 0;
    let i = p;
    for (let j = 0; j < nf; j++) {
      const kind = kinds[j];
      c = b[i];
      if (c === Q) {
        // A quoted field: taken here only without doubled quotes and line breaks.
        const a = i + 1;
        let e = a;
        c = b[e];
        while (c !== Q) {
          if (c === 10 || c === 13) return -1;
          c = b[++e];
        }
        i = e + 1;
        c = b[i];
        if (c !== D && c !== 10 && c !== 13) return -1; // a doubled quote, or text after the quote
        if (kind === STR) {
          if (a === e) i32[j][row] = -1;
          else {
            const h = hashBytes(b, a, e);
            const code = (this.dicts[j] as ByteDictionary).find(b, a, e, h);
            if (code === NOT_FOUND) {
              pend[np++] = j;
              pend[np++] = a;
              pend[np++] = e;
              pend[np++] = h;
            } else i32[j][row] = code;
          }
        } else if (!this.parseText(j, kind, row, a, e)) return -1;
      } else if (kind === NUM && this.numFast) {
        if (c === D || c === 10 || c === 13) {
          f64[j][row] = Number.NaN; // empty: missing
        } else {
          // A plain decimal, parsed while scanned (the same conditions as fastDecimal).
          const start = i;
          let neg = false;
          if (c === 45 || c === 43) {
            neg = c === 45;
            c = b[++i];
          }
          let m = 0;
          let digits = 0;
          let scale = 0;
          let seen = false;
          while (c >= 48 && c <= 57) {
            if (digits > 0 || c > 48) digits++;
            m = m * 10 + (c - 48);
            seen = true;
            c = b[++i];
          }
          if (c === 46) {
            c = b[++i];
            while (c >= 48 && c <= 57) {
              if (digits > 0 || c > 48) digits++;
              m = m * 10 + (c - 48);
              scale--;
              seen = true;
              c = b[++i];
            }
          }
          let ok = seen && digits <= 15;
          if (ok && (c === 101 || c === 69)) {
            c = b[++i];
            let eneg = false;
            if (c === 45 || c === 43) {
              eneg = c === 45;
              c = b[++i];
            }
            let x = 0;
            const es = i;
            while (c >= 48 && c <= 57) {
              x = x * 10 + (c - 48);
              c = b[++i];
            }
            if (i === es || x > 400) ok = false;
            scale += eneg ? -x : x;
          }
          // scaleDecimal, inlined: a double returned from a call that is not inlined is boxed,
          // and this runs once per number of the file.
          let v = Number.NaN;
          if (ok && (c === D || c === 10 || c === 13)) {
            if (m === 0) v = 0;
            else if (scale === 0) v = m;
            else if (scale > 0 && scale <= 22) v = m * POW10[scale];
            else if (scale < 0 && scale >= -22) v = m / POW10[-scale];
            if (neg) v = -v;
          }
          if (v === v) f64[j][row] = v;
          else {
            // Anything else (a missing token, spaces, 'inf', 17 digits…): the text, parsed in full.
            i = start;
            c = b[i];
            while (c !== D && c !== 10 && c !== 13) c = b[++i];
            if (!this.parseText(j, NUM, row, start, i)) return -1;
          }
        }
      } else if (kind === STR) {
        const a = i;
        let h = HASH_SEED;
        while (c !== D && c !== 10 && c !== 13) {
          h = Math.imul(h ^ c, 0x01000193);
          c = b[++i];
        }
        if (a === i) i32[j][row] = -1;
        else {
          const code = (this.dicts[j] as ByteDictionary).find(b, a, i, h);
          if (code === NOT_FOUND) {
            pend[np++] = j;
            pend[np++] = a;
            pend[np++] = i;
            pend[np++] = h;
          } else i32[j][row] = code;
        }
      } else {
        const a = i;
        while (c !== D && c !== 10 && c !== 13) c = b[++i];
        if (!this.parseText(j, kind, row, a, i)) return -1;
      }
      if (j < nf - 1) {
        if (b[i] !== D) return -1; // too few fields (or the end of the data)
        i++;
      }
    }
    // The record must end here: a line break, or the end of the file.
    let next: number;
    if (i < n) {
      c = b[i];
      if (c === 10) next = i + 1;
      else if (c === 13) {
        if (i + 1 < n) next = b[i + 1] === 10 ? i + 2 : i + 1;
        else if (this.src.eof) next = i + 1;
        else return -1;
      } else return -1; // too many fields
    } else {
      if (!this.src.eof) return -1;
      next = n;
    }
    if (i - p > this.layout.maxRecord) return -1;
    // Commit: new dictionary entries (in column order, as the general path), the line, the row.
    for (let k = 0; k < np; k += 4) {
      const j = pend[k];
      const a = pend[k + 1];
      const e = pend[k + 2];
      const s = utf8Slice.call(b, a, e);
      i32[j][row] = (this.dicts[j] as ByteDictionary).insert(b, a, e, pend[k + 3], s, this.missing.has(s));
    }
    store.lines[row] = this.line;
    store.rows++;
    this.rowsRead++;
    if (i < n) this.line++;
    return next;
  }
}
