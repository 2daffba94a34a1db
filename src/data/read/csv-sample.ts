/**
 * Type sniffing over the CSV sample as it sits in the read buffer: each held record's fields are
 * offset pairs into the bytes (plus the unescaped text of quoted fields), so a column of plain
 * numbers is judged from its bytes without creating a string — the usual case, and most of the
 * sample's cost otherwise. A column that is not all numbers is counted by distinct value
 * ({@link ValueCounts}) and judged by `sniffCounted`, which decides exactly as `sniffFieldType`
 * does on the list of strings.
 *
 * @module
 */

import { hasLeadingZero } from './builders.ts';
import { ByteDictionary, hashBytes, NOT_FOUND } from './byte-dictionary.ts';
import { type FieldType, sniffCounted, toleratedFailures, tooManyDigits } from './row-parser.ts';
import { ValueCounts } from './value-counts.ts';
import { DEFAULT_MISSING_VALUES, fastDecimalBytes, type MissingTokens, parseNumber } from './values.ts';

/** A sample record: its fields' offsets (pairs from `fieldAt`), quoted fields' text, or all its text. */
export interface SampleRecord {
  fieldAt: number;
  quoted: (string | null)[] | null;
  fields: string[] | null;
}

/** More digits than this before any `.`/`e` and a number stays text (as `sniffFieldType`). */
const MAX_INT_DIGITS = 15;

/** The sample's values, column by column, straight from the read buffer. */
export class SampleValues {
  private readonly tokens = new ByteDictionary();
  /** Some missing-value token is itself a plain number (e.g. `-999`). */
  private readonly numericTokens: boolean;

  /**
   * `records` (the body rows, all `width` wide), whose unquoted fields are at `fieldPos` offsets
   * in `buf` (file offset `offset` at `buf[0]`).
   */
  constructor(
    private readonly records: readonly SampleRecord[],
    private readonly fieldPos: Float64Array,
    private readonly buf: Buffer,
    private readonly offset: number,
    private readonly missing: MissingTokens,
    missingValues: readonly string[] | undefined,
  ) {
    const list = missingValues ?? DEFAULT_MISSING_VALUES;
    for (const t of list) if (t !== '') this.tokens.codeOf(t, false);
    this.numericTokens = list.some((t) => t !== '' && parseNumber(t) !== undefined);
  }

  /** The type of column `j` (with `extra`, a value counted last, when given) — as `sniffFieldType`. */
  sniff(j: number, extra?: string): FieldType {
    const numeric = this.numericPass(j, extra);
    if (numeric) return numeric;
    const vc = new ValueCounts();
    const b = this.buf;
    for (const r of this.records) {
      const s = r.fields?.[j] ?? r.quoted?.[j] ?? null;
      if (s !== null) {
        if (!this.missing.has(s)) vc.addString(s);
        continue;
      }
      const a = this.fieldPos[2 * (r.fieldAt + j)] - this.offset;
      const e = this.fieldPos[2 * (r.fieldAt + j) + 1] - this.offset;
      if (a === e) continue;
      const h = hashBytes(b, a, e);
      if (this.tokens.find(b, a, e, h) === NOT_FOUND) vc.addHashed(b, a, e, h);
    }
    if (extra !== undefined && !this.missing.has(extra)) vc.addString(extra);
    return sniffCounted(vc);
  }

  /**
   * The numeric verdict from one pass over the values: `{ kind: 'numeric' }`, the unsniffed
   * verdict for a column without values, or null when it is not numeric (or stopped early, once
   * more values failed than could ever be tolerated).
   */
  private numericPass(j: number, extra: string | undefined): FieldType | null {
    const b = this.buf;
    const most = toleratedFailures(this.records.length + (extra === undefined ? 0 : 1));
    let total = 0;
    let fails = 0;
    let leading = false;
    const text = (s: string) => {
      if (this.missing.has(s)) return;
      total++;
      const number = parseNumber(s) !== undefined;
      if (number && hasLeadingZero(s)) leading = true;
      if (!number || tooManyDigits(s)) fails++;
    };
    for (const r of this.records) {
      const s = r.fields?.[j] ?? r.quoted?.[j] ?? null;
      if (s !== null) text(s);
      else {
        const a = this.fieldPos[2 * (r.fieldAt + j)] - this.offset;
        const e = this.fieldPos[2 * (r.fieldAt + j) + 1] - this.offset;
        if (a === e) continue;
        const v = fastDecimalBytes(b, a, e);
        if (v === v && !this.numericTokens) {
          // A plain decimal (never a missing-value token here): judged from its bytes.
          total++;
          let i = a;
          if (b[i] === 45 || b[i] === 43) i++;
          if (b[i] === 48 && i + 1 < e && b[i + 1] >= 48 && b[i + 1] <= 57) leading = true;
          let d = 0;
          for (i = a; i < e; i++) {
            const c = b[i];
            if (c >= 48 && c <= 57) d++;
            else if (c === 46 || c === 101 || c === 69) break;
          }
          if (i === e && d > MAX_INT_DIGITS) fails++;
        } else {
          if (this.tokens.find(b, a, e, hashBytes(b, a, e)) !== NOT_FOUND) continue;
          text(b.toString('utf8', a, e));
        }
      }
      if (fails > most) return null;
    }
    if (extra !== undefined) text(extra);
    if (total === 0) return { kind: 'string', unsniffed: true };
    return !leading && fails <= toleratedFailures(total) ? { kind: 'numeric' } : null;
  }
}
