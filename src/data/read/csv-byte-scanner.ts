/**
 * {@link CsvScanner}'s rules over UTF-8 bytes instead of a decoded string: the general record
 * scanner of the CSV reader (the fast path in `csv-records.ts` handles plain records itself and
 * leaves everything else — quoted line breaks, doubled quotes, ragged or malformed rows — here).
 * Positions are byte offsets; field text is decoded only when asked for.
 *
 * The rules are exactly those of {@link CsvScanner} (see `csv-scanner.ts`): a field that starts
 * with the quote runs to the matching quote (a doubled quote stands for one; line breaks are
 * kept); records end at `\n`, `\r\n` or a lone `\r`; text between a closing quote and the next
 * delimiter is kept but flags the record. The delimiter and quote may be any character
 * (multi-byte ones are compared byte by byte).
 *
 * @module
 */

import { NEED_MORE } from './csv-scanner.ts';

export { NEED_MORE };

/** Counts line breaks (`\n`, `\r\n` as one, lone `\r`) in `b[a, e)`; `n` is the data length. */
export function countBreaksBytes(b: Uint8Array, a: number, e: number, n: number): number {
  let k = 0;
  for (let i = a; i < e; i++) {
    const c = b[i];
    if (c === 10) k++;
    else if (c === 13 && (i + 1 >= n || b[i + 1] !== 10)) k++;
  }
  return k;
}

/** Index just past the first line break at or after `from` (or `n`), and where that line's text ends. */
export function lineEndBytes(b: Uint8Array, from: number, n: number): { textEnd: number; next: number } {
  for (let i = from; i < n; i++) {
    const c = b[i];
    if (c === 10) return { textEnd: i, next: i + 1 };
    if (c === 13) return { textEnd: i, next: i + 1 < n && b[i + 1] === 10 ? i + 2 : i + 1 };
  }
  return { textEnd: n, next: n };
}

/** Scans CSV records in a byte buffer, one at a time. */
export class ByteCsvScanner {
  /** Field `j` of the last record: `quoted[j]` when not null (a quoted field, unescaped), else bytes `[starts[j], ends[j])`. */
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

  /** The delimiter's bytes and first byte. */
  readonly dBytes: Buffer;
  readonly d0: number;
  /** The quote's bytes (empty for none) and first byte (-2 for none). */
  readonly qBytes: Buffer;
  readonly q0: number;

  /** A scanner for one-character `delimiter` and `quote` (the quote may be '' for none). */
  constructor(delimiter: string, quote = '"') {
    this.dBytes = Buffer.from(delimiter, 'utf8');
    this.d0 = this.dBytes[0];
    this.qBytes = Buffer.from(quote, 'utf8');
    this.q0 = quote === '' ? -2 : this.qBytes[0];
  }

  /** Whether the delimiter starts at `b[i]` (`i < n`). */
  isDelim(b: Uint8Array, i: number, n: number): boolean {
    if (b[i] !== this.d0) return false;
    return this.dBytes.length === 1 || matchAt(b, i, n, this.dBytes);
  }

  private isQuote(b: Uint8Array, i: number, n: number): boolean {
    if (b[i] !== this.q0) return false;
    return this.qBytes.length === 1 || matchAt(b, i, n, this.qBytes);
  }

  /**
   * Scans the record starting at `start` in `b[0, n)`. Returns the index just past it (past its
   * line break), or {@link NEED_MORE} when the data ends first and `final` is false. With
   * `final`, the end of the data ends the record; a quoted field still open then sets
   * `unterminated`.
   */
  scan(b: Buffer, n: number, start: number, final: boolean): number {
    const quoted = this.quoted;
    const dLen = this.dBytes.length;
    const qLen = this.qBytes.length;
    let nf = 0;
    let i = start;
    let breaks = 0;
    this.problem = null;
    this.unterminated = false;
    this.inQuote = false;
    this.blank = false;
    for (;;) {
      if (i < n && this.isQuote(b, i, n)) {
        // Quoted field: jump from quote to quote with indexOf.
        const open = i;
        let j = i + qLen;
        let seg = j;
        let value = '';
        for (;;) {
          let k = b.indexOf(this.qBytes, j);
          if (k >= n) k = -1;
          if (k < 0) {
            if (!final) {
              this.inQuote = true;
              return NEED_MORE;
            }
            this.unterminated = true;
            this.nFields = nf;
            this.contentEnd = n;
            this.terminated = false;
            this.breaks = breaks + countBreaksBytes(b, open, n, n);
            return n;
          }
          if (k + qLen >= n && !final) {
            this.inQuote = true;
            return NEED_MORE;
          }
          if (k + qLen < n && this.isQuote(b, k + qLen, n)) {
            value += b.toString('utf8', seg, k + qLen);
            j = k + 2 * qLen;
            seg = j;
            continue;
          }
          value += b.toString('utf8', seg, k);
          breaks += countBreaksBytes(b, open + qLen, k, n);
          i = k + qLen;
          break;
        }
        if (i < n) {
          const c = b[i];
          if (!this.isDelim(b, i, n) && c !== 10 && c !== 13) {
            let e = i;
            while (e < n) {
              const x = b[e];
              if (x === 10 || x === 13 || this.isDelim(b, e, n)) break;
              e++;
            }
            if (e >= n && !final) return NEED_MORE;
            if (this.problem === null) {
              this.problem = `unexpected text after the closing quote of field ${nf + 1}`;
            }
            value += b.toString('utf8', i, e);
            i = e;
          }
        }
        if (nf === this.starts.length) this.grow();
        quoted[nf++] = value;
      } else {
        let k = i;
        const d0 = this.d0;
        while (k < n) {
          const c = b[k];
          if (c === 10 || c === 13 || (c === d0 && (dLen === 1 || matchAt(b, k, n, this.dBytes)))) break;
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
      const c = b[i];
      if (c !== 10 && c !== 13) {
        // The delimiter (the only other way a field ends).
        i += dLen;
        continue;
      }
      const end = i;
      if (c === 13) {
        if (i + 1 >= n && !final) return NEED_MORE;
        i += i + 1 < n && b[i + 1] === 10 ? 2 : 1;
      } else {
        i++;
      }
      this.finish(nf, breaks, end, true, start);
      return i;
    }
  }

  /**
   * True when the last record is one unquoted field of nothing but spaces and tabs: a line of
   * whitespace, which a table of several columns skips like a blank line (as pandas does).
   */
  whitespaceOnly(b: Uint8Array): boolean {
    if (this.nFields !== 1 || this.quoted[0] !== null) return false;
    for (let i = this.starts[0]; i < this.ends[0]; i++) if (b[i] !== 32 && b[i] !== 9) return false;
    return true;
  }

  /** Field `j` of the last record as a string. */
  field(b: Buffer, j: number): string {
    const q = this.quoted[j];
    return q !== null
      ? q
      : this.starts[j] === this.ends[j]
        ? ''
        : b.toString('utf8', this.starts[j], this.ends[j]);
  }

  /** All fields of the last record as strings. */
  materialize(b: Buffer): string[] {
    const out = new Array<string>(this.nFields);
    for (let j = 0; j < this.nFields; j++) out[j] = this.field(b, j);
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

/** Whether `pat` occurs at `b[i]` (within `b[0, n)`). */
function matchAt(b: Uint8Array, i: number, n: number, pat: Uint8Array): boolean {
  if (i + pat.length > n) return false;
  for (let k = 0; k < pat.length; k++) if (b[i + k] !== pat[k]) return false;
  return true;
}
