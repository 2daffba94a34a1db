// Test oracle: a frozen copy of the CSV reader as it was before the byte-level rewrite (commit
// 4893f7f, src/data/read/), kept only so test/data/csv-equivalence.test.ts can check that the
// current reader gives the same tables, line numbers, rejected rows and errors. Not shipped.
/**
 * An RFC 4180 record scanner over a string buffer: one call reads one record (fields, line
 * breaks inside quoted fields, where its text ends). It is restartable — when the buffer ends
 * before the record does, it says so and the caller appends more text and scans again from the
 * record's start — which lets the CSV reader stream a file of any size in bounded memory.
 *
 * Rules: fields are separated by the delimiter; a field that starts with the quote character
 * runs to the matching quote, with a doubled quote standing for one quote and line breaks kept;
 * records end at `\n`, `\r\n` or a lone `\r`. A quote inside an unquoted field is kept as a
 * literal character (as pandas and DuckDB do). Text between a closing quote and the next
 * delimiter is kept but flags the record as malformed.
 *
 * @module
 */

/** `scan` ran out of buffer before the record ended (call again with more text). */
export const NEED_MORE = -1;

/** Counts line breaks (`\n`, `\r\n` as one, lone `\r`) in `s[a, b)`. */
export function countBreaks(s: string, a: number, b: number): number {
  let n = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && (i + 1 >= s.length || s.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

/** Index just past the first line break at or after `from` (or `s.length`), and where that line's text ends. */
export function lineEnd(s: string, from: number): { textEnd: number; next: number } {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) return { textEnd: i, next: i + 1 };
    if (c === 13) return { textEnd: i, next: s.charCodeAt(i + 1) === 10 ? i + 2 : i + 1 };
  }
  return { textEnd: s.length, next: s.length };
}

/** Scans CSV records one at a time. Fields of the last record are in `fields[0..nFields)`. */
export class CsvScanner {
  /**
   * The fields of the last record, without creating strings for unquoted ones: field `j` is
   * `quoted[j]` when that is not null (a quoted field, unescaped), else `buf[starts[j], ends[j])`.
   * Use {@link CsvScanner.field} or {@link CsvScanner.materialize} for strings.
   */
  quoted: (string | null)[] = [];
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  /** How many fields the last record has. */
  nFields = 0;
  /** Line breaks inside the last record (in quoted fields), not counting its terminator. */
  breaks = 0;
  /** Where the last record's text ends (its terminator excluded). */
  contentEnd = 0;
  /** Whether the last record ended with a line break (rather than the end of the input). */
  terminated = false;
  /** After {@link NEED_MORE}: whether the scan stopped inside a quoted field. */
  inQuote = false;
  /** After a final scan: a quoted field never closed before the end of the input. */
  unterminated = false;
  /** A structural problem in the last record (text after a closing quote), or null. */
  problem: string | null = null;
  /** The last record was an empty line. */
  blank = false;

  private readonly d: number;
  private readonly q: number;
  private readonly qs: string;

  /** A scanner for one-character `delimiter` and `quote` (the quote may be '' for none). */
  constructor(delimiter: string, quote = '"') {
    this.d = delimiter.charCodeAt(0);
    this.q = quote === '' ? -2 : quote.charCodeAt(0);
    this.qs = quote;
  }

  /**
   * Scans the record starting at `start`. Returns the index just past it (past its line break),
   * or {@link NEED_MORE} when `buf` ends first and `final` is false. With `final`, the end of
   * `buf` ends the record; a quoted field still open then sets `unterminated`.
   */
  scan(buf: string, start: number, final: boolean): number {
    const n = buf.length;
    const D = this.d;
    const Q = this.q;
    const quoted = this.quoted;
    let nf = 0;
    let i = start;
    let breaks = 0;
    this.problem = null;
    this.unterminated = false;
    this.inQuote = false;
    this.blank = false;
    for (;;) {
      if (i < n && buf.charCodeAt(i) === Q) {
        // Quoted field: jump from quote to quote with indexOf.
        const open = i;
        let j = i + 1;
        let seg = j;
        let value = '';
        for (;;) {
          const k = buf.indexOf(this.qs, j);
          if (k < 0) {
            if (!final) {
              this.inQuote = true;
              return NEED_MORE;
            }
            this.unterminated = true;
            this.nFields = nf;
            this.contentEnd = n;
            this.terminated = false;
            this.breaks = breaks + countBreaks(buf, open, n);
            return n;
          }
          if (k + 1 >= n && !final) {
            this.inQuote = true;
            return NEED_MORE;
          }
          if (k + 1 < n && buf.charCodeAt(k + 1) === Q) {
            value += buf.slice(seg, k + 1);
            j = k + 2;
            seg = j;
            continue;
          }
          value += buf.slice(seg, k);
          breaks += countBreaks(buf, open + 1, k);
          i = k + 1;
          break;
        }
        if (i < n) {
          const c = buf.charCodeAt(i);
          if (c !== D && c !== 10 && c !== 13) {
            let e = i;
            while (e < n) {
              const x = buf.charCodeAt(e);
              if (x === D || x === 10 || x === 13) break;
              e++;
            }
            if (e >= n && !final) return NEED_MORE;
            if (this.problem === null) {
              this.problem = `unexpected text after the closing quote of field ${nf + 1}`;
            }
            value += buf.slice(i, e);
            i = e;
          }
        }
        if (nf === this.starts.length) this.grow();
        quoted[nf++] = value;
      } else {
        let k = i;
        while (k < n) {
          const c = buf.charCodeAt(k);
          if (c === D || c === 10 || c === 13) break;
          k++;
        }
        if (nf === this.starts.length) this.grow();
        this.starts[nf] = i;
        this.ends[nf] = k;
        quoted[nf++] = null;
        i = k;
      }
      if (i >= n) {
        if (!final) return NEED_MORE;
        this.finish(nf, breaks, n, false, start);
        return n;
      }
      const c = buf.charCodeAt(i);
      if (c === D) {
        i++;
        continue;
      }
      const end = i;
      if (c === 13) {
        if (i + 1 >= n && !final) return NEED_MORE;
        i += buf.charCodeAt(i + 1) === 10 ? 2 : 1;
      } else {
        i++;
      }
      this.finish(nf, breaks, end, true, start);
      return i;
    }
  }

  /** Field `j` of the last record as a string. */
  field(buf: string, j: number): string {
    const q = this.quoted[j];
    return q !== null ? q : this.starts[j] === this.ends[j] ? '' : buf.slice(this.starts[j], this.ends[j]);
  }

  /** All fields of the last record as strings. */
  materialize(buf: string): string[] {
    const out = new Array<string>(this.nFields);
    for (let j = 0; j < this.nFields; j++) out[j] = this.field(buf, j);
    return out;
  }

  private grow(): void {
    const s = new Int32Array(this.starts.length * 2);
    s.set(this.starts);
    this.starts = s;
    const e = new Int32Array(this.ends.length * 2);
    e.set(this.ends);
    this.ends = e;
  }

  private finish(nf: number, breaks: number, end: number, terminated: boolean, start: number): void {
    this.nFields = nf;
    this.breaks = breaks;
    this.contentEnd = end;
    this.terminated = terminated;
    this.blank = end === start;
  }
}
