/**
 * `NumberCategories`: the category a *number* stands for, among categories learned as text.
 *
 * A column a model learned as categorical holds text ("1", "2", "x" — or "1.0", "2.0" when the
 * training file wrote them so). New data may bring the same column as numbers (a Parquet DOUBLE
 * column, JSON numbers, a Table built in code): the number 1 is then written back as text, and
 * JavaScript writes it "1" — which is not the category "1.0" the model learned. Matching the
 * number to the category of the same value keeps the prediction right:
 *
 * - the category written exactly as JavaScript writes the number (`String(x)`) wins;
 * - else the one category whose text is a plain number of the same value ("1.0", "1.00", "1e0");
 *   text with a leading zero ("007": a code, which the readers keep as text for that reason) or
 *   surrounding spaces is not a number's writing and never matches;
 * - two or more such categories ("1.0" and "1.00") are ambiguous: the caller refuses the value;
 * - none: the number is a category the model did not see (written `String(x)`).
 *
 * @module
 */

import { hasLeadingZero } from './read/builders.ts';
import { parseNumber } from './read/values.ts';

/** What {@link NumberCategories.match} found for one number. */
export type NumberMatch =
  | { kind: 'exact' | 'value'; category: string }
  | { kind: 'unknown'; category: string }
  | { kind: 'ambiguous'; candidates: string[] };

/** What {@link NumberCategories.mapValues} made of a column of numbers. */
export type MappedNumbers =
  | {
      ok: true;
      /** Each number's category (NaN: null). */
      strings: (string | null)[];
      /** Rows whose number is none of the categories (written `String(x)`). */
      unknownRows: number;
      /** Up to 5 such numbers, as written. */
      unknownExamples: string[];
    }
  | {
      ok: false /** The first row whose number is ambiguous. */;
      row: number;
      value: number;
      candidates: string[];
    };

/** Looks numbers up among text categories, by their writing first, then by value. */
export class NumberCategories {
  private readonly exact: Set<string>;
  private readonly byValue = new Map<number, string[]>();

  constructor(categories: Iterable<string>) {
    this.exact = new Set(categories);
    for (const c of this.exact) {
      if (c.trim() !== c || hasLeadingZero(c)) continue;
      const v = parseNumber(c);
      if (v === undefined || v !== v) continue;
      const k = v === 0 ? 0 : v; // -0 and 0 are one value
      const list = this.byValue.get(k);
      if (list) list.push(c);
      else this.byValue.set(k, [c]);
    }
  }

  /** True when `s` is one of the categories, as written. */
  has(s: string): boolean {
    return this.exact.has(s);
  }

  /** The category `x` (not NaN) stands for; see the module notes. */
  match(x: number): NumberMatch {
    const s = String(x);
    if (this.exact.has(s)) return { kind: 'exact', category: s };
    const list = this.byValue.get(x === 0 ? 0 : x);
    if (!list) return { kind: 'unknown', category: s };
    if (list.length === 1) return { kind: 'value', category: list[0] };
    return { kind: 'ambiguous', candidates: list };
  }

  /** {@link NumberCategories.match} of every value (each distinct number looked up once). */
  mapValues(values: Float64Array): MappedNumbers {
    const memo = new Map<number, string>();
    const strings = new Array<string | null>(values.length);
    const unknownExamples: string[] = [];
    let unknownRows = 0;
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      if (x !== x) {
        strings[i] = null;
        continue;
      }
      let s = memo.get(x);
      if (s === undefined) {
        const m = this.match(x);
        if (m.kind === 'ambiguous') return { ok: false, row: i, value: x, candidates: m.candidates };
        s = m.category;
        memo.set(x, s);
        if (m.kind === 'unknown' && unknownExamples.length < 5) unknownExamples.push(s);
      }
      if (!this.exact.has(s)) unknownRows++;
      strings[i] = s;
    }
    return { ok: true, strings, unknownRows, unknownExamples };
  }
}
