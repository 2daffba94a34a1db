/**
 * Parsing of single text values: numbers, booleans, datetimes and missing-value tokens. Shared by
 * the CSV and NDJSON readers and by `applySchema`. Every parser reports failure explicitly
 * (`undefined` / `NaN` with a flag), so no value is ever turned into a silent null.
 *
 * @module
 */

/**
 * The text values read as missing by default (the same list as pandas' `read_csv`): the empty
 * string, `NA`, `N/A`, `n/a`, `NaN`, `nan`, `-NaN`, `-nan`, `null`, `NULL`, `None`, `#N/A`,
 * `#N/A N/A`, `#NA`, `<NA>`, `-1.#IND`, `-1.#QNAN`, `1.#IND`, `1.#QNAN`.
 */
export const DEFAULT_MISSING_VALUES: readonly string[] = [
  '',
  'NA',
  'N/A',
  'n/a',
  'NaN',
  'nan',
  '-NaN',
  '-nan',
  'null',
  'NULL',
  'None',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '<NA>',
  '-1.#IND',
  '-1.#QNAN',
  '1.#IND',
  '1.#QNAN',
];

/** A fast membership test for missing-value tokens. */
export class MissingTokens {
  private readonly set: Set<string>;
  private readonly maxLen: number;
  constructor(tokens: readonly string[] = DEFAULT_MISSING_VALUES) {
    this.set = new Set(tokens);
    this.maxLen = tokens.reduce((m, t) => Math.max(m, t.length), 0);
  }
  /** True when `s` is a missing-value token. */
  has(s: string): boolean {
    return s.length === 0 || (s.length <= this.maxLen && this.set.has(s));
  }
}

/** Exact powers of ten, 10^0 to 10^22. */
export const POW10: readonly number[] = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

/**
 * Parses a plain decimal (`-12.345`, `6e-3`) in `s[a, b)` without creating a string, or returns
 * NaN to send the caller to the general path. Exact: only when the digits fit in 2^53 and the
 * power of ten is at most 22 (Clinger's fast path), where one multiplication or division by an
 * exact power of ten rounds correctly — the same double as `Number(text)`.
 */
export function fastDecimal(s: string, a: number, b: number): number {
  let i = a;
  let neg = false;
  let c = s.charCodeAt(i);
  if (c === 45 || c === 43) {
    neg = c === 45;
    i++;
  }
  let m = 0;
  let digits = 0;
  let scale = 0;
  let seen = false;
  while (i < b) {
    c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    if (digits > 0 || c > 0) digits++;
    m = m * 10 + c;
    seen = true;
    i++;
  }
  if (i < b && s.charCodeAt(i) === 46) {
    i++;
    while (i < b) {
      c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (digits > 0 || c > 0) digits++;
      m = m * 10 + c;
      scale--;
      seen = true;
      i++;
    }
  }
  if (!seen || digits > 15) return Number.NaN;
  if (i < b) {
    c = s.charCodeAt(i);
    if (c !== 101 && c !== 69) return Number.NaN;
    i++;
    let eneg = false;
    c = s.charCodeAt(i);
    if (c === 45 || c === 43) {
      eneg = c === 45;
      i++;
    }
    let e = 0;
    const start = i;
    while (i < b) {
      c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return Number.NaN;
      e = e * 10 + c;
      if (e > 400) return Number.NaN;
      i++;
    }
    if (i === start) return Number.NaN;
    scale += eneg ? -e : e;
  }
  return scaleDecimal(m, scale, neg);
}

/**
 * {@link fastDecimal} over UTF-8 bytes `b[a, e)`: the same digits, the same conditions, the same
 * double (or NaN for the general path).
 */
export function fastDecimalBytes(b: Uint8Array, a: number, e: number): number {
  let i = a;
  let neg = false;
  let c = b[i];
  if (c === 45 || c === 43) {
    neg = c === 45;
    i++;
  }
  let m = 0;
  let digits = 0;
  let scale = 0;
  let seen = false;
  while (i < e) {
    c = b[i] - 48;
    if (c < 0 || c > 9) break;
    if (digits > 0 || c > 0) digits++;
    m = m * 10 + c;
    seen = true;
    i++;
  }
  if (i < e && b[i] === 46) {
    i++;
    while (i < e) {
      c = b[i] - 48;
      if (c < 0 || c > 9) break;
      if (digits > 0 || c > 0) digits++;
      m = m * 10 + c;
      scale--;
      seen = true;
      i++;
    }
  }
  if (!seen || digits > 15) return Number.NaN;
  if (i < e) {
    c = b[i];
    if (c !== 101 && c !== 69) return Number.NaN;
    i++;
    let eneg = false;
    c = b[i];
    if (i < e && (c === 45 || c === 43)) {
      eneg = c === 45;
      i++;
    }
    let x = 0;
    const start = i;
    while (i < e) {
      c = b[i] - 48;
      if (c < 0 || c > 9) return Number.NaN;
      x = x * 10 + c;
      if (x > 400) return Number.NaN;
      i++;
    }
    if (i === start) return Number.NaN;
    scale += eneg ? -x : x;
  }
  return scaleDecimal(m, scale, neg);
}

/** `±m·10^scale` when exact by Clinger's fast path (|scale| ≤ 22, m < 2^53), else NaN. */
export function scaleDecimal(m: number, scale: number, neg: boolean): number {
  let v: number;
  if (m === 0) v = 0;
  else if (scale === 0) v = m;
  else if (scale > 0 && scale <= 22) v = m * POW10[scale];
  else if (scale < 0 && scale >= -22) v = m / POW10[-scale];
  else return Number.NaN;
  return neg ? -v : v;
}

/**
 * Parses a decimal number (`12`, `-3.5`, `1e-3`, `.5`, `inf`, `-Infinity`; `inf` and `infinity` in
 * any case), allowing surrounding spaces. Returns `undefined` when `s` is not a number (hexadecimal, `1,5`, `12abc`, blank,
 * or a literal too large for a double such as `1e400`).
 */
export function parseNumber(s: string): number | undefined {
  const f = fastDecimal(s, 0, s.length);
  if (f === f) return f; // a plain decimal: the same double as `+s`, several times faster
  // `+s` also takes '0x1f', '0b1' and '0o7' (31, 1, 7) and trims Unicode spaces (a no-break space,
  // a BOM): a number is written in decimal digits with ASCII spaces around it, or it is not one.
  // A literal beyond the double range (`1e400`, `-1.8e308`) is not a number either: `+s` rounds it
  // to ±Infinity, pandas 1.5 keeps it as text; only `inf`/`infinity` spell an infinity.
  if (isDecimalText(s)) {
    const v = +s;
    if (Number.isFinite(v)) return v;
  }
  // `+s` takes only `Infinity` spelled so: accept `inf` and `infinity` in any case (as pandas).
  const t = trimAscii(s).toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Number.POSITIVE_INFINITY;
  if (t === '-inf' || t === '-infinity') return Number.NEGATIVE_INFINITY;
  return undefined;
}

/** Whether `s` holds only digits, signs, '.', 'e'/'E' and ASCII white space, with a digit among them. */
function isDecimalText(s: string): boolean {
  let digit = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if (c !== 43 && c !== 45 && c !== 46 && c !== 101 && c !== 69 && !isAsciiSpace(c)) return false;
  }
  return digit;
}

/** Tab, line feed, vertical tab, form feed, carriage return, space. */
function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** `s` without ASCII white space at either end (`String.prototype.trim` also takes Unicode spaces). */
function trimAscii(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isAsciiSpace(s.charCodeAt(a))) a++;
  while (b > a && isAsciiSpace(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

/** Text read as `true` by the reader's boolean type (case-insensitive). */
const TRUE_TEXT = new Set(['true']);
const FALSE_TEXT = new Set(['false']);
/** Wider boolean vocabulary accepted by `applySchema` and by semantic boolean detection. */
const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0']);

/** `true`/`false` (any case) → 1/0; anything else → -1 (not a boolean literal). */
export function parseBooleanLiteral(s: string): 1 | 0 | -1 {
  const t = s.trim().toLowerCase();
  if (TRUE_TEXT.has(t)) return 1;
  if (FALSE_TEXT.has(t)) return 0;
  return -1;
}

/** `true/t/yes/y/1` → 1, `false/f/no/n/0` → 0 (any case); anything else → -1. */
export function parseBooleanWord(s: string): 1 | 0 | -1 {
  const t = s.trim().toLowerCase();
  if (TRUE_WORDS.has(t)) return 1;
  if (FALSE_WORDS.has(t)) return 0;
  return -1;
}

/**
 * Datetime formats the readers recognise, as strftime-like strings (recorded in the schema).
 * `%Y-%m-%d` also accepts a time part (`T` or space, `HH:MM[:SS[.fff]]`) and a zone (`Z`,
 * `+HH:MM`); the others accept an optional ` HH:MM[:SS]`. Values without a zone are UTC.
 */
export const DATETIME_FORMATS = ['%Y-%m-%d', '%Y/%m/%d', '%m/%d/%Y', '%d/%m/%Y', '%d.%m.%Y'] as const;

/** A datetime format name from {@link DATETIME_FORMATS}. */
export type DatetimeFormat = (typeof DATETIME_FORMATS)[number];

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : DAYS[m - 1]);
}

/** Parses ` HH:MM[:SS[.fff]][Z|±HH[:]MM]` starting at `at` (after the date); ms offset or NaN. */
function parseTime(s: string, at: number, allowZone: boolean): number {
  if (at === s.length) return 0;
  const sep = s.charCodeAt(at);
  if (sep !== 84 /* T */ && sep !== 32 /* space */) return Number.NaN;
  let i = at + 1;
  const hh = digits(s, i, 2);
  if (hh < 0 || hh > 23 || s.charCodeAt(i + 2) !== 58) return Number.NaN;
  const mi = digits(s, i + 3, 2);
  if (mi < 0 || mi > 59) return Number.NaN;
  i += 5;
  let ss = 0;
  let frac = 0;
  if (s.charCodeAt(i) === 58) {
    ss = digits(s, i + 1, 2);
    if (ss < 0 || ss > 59) return Number.NaN;
    i += 3;
    if (s.charCodeAt(i) === 46) {
      i++;
      const start = i;
      let scale = 100;
      while (i < s.length) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        frac += c * scale;
        scale /= 10;
        i++;
      }
      if (i === start) return Number.NaN;
    }
  }
  let ms = ((hh * 60 + mi) * 60 + ss) * 1000 + frac;
  if (i === s.length) return ms;
  if (!allowZone) return Number.NaN;
  const z = s.charCodeAt(i);
  if (z === 90 /* Z */ && i + 1 === s.length) return ms;
  if (z === 43 || z === 45) {
    const oh = digits(s, i + 1, 2);
    let j = i + 3;
    if (s.charCodeAt(j) === 58) j++;
    const om = digits(s, j, 2);
    if (oh < 0 || om < 0 || oh > 14 || om > 59 || j + 2 !== s.length) return Number.NaN;
    const off = (oh * 60 + om) * 60000;
    ms += z === 43 ? -off : off;
    return ms;
  }
  return Number.NaN;
}

/**
 * Parses `s` with `format` into epoch milliseconds (UTC). Returns NaN when `s` does not match
 * or is not a real calendar date (e.g. `2023-02-30`).
 */
export function parseDatetime(s: string, format: DatetimeFormat): number {
  const t = s.length > 0 && (s.charCodeAt(0) === 32 || s.charCodeAt(s.length - 1) === 32) ? s.trim() : s;
  if (t.length < 8) return Number.NaN;
  let y: number;
  let m: number;
  let d: number;
  let rest: number;
  switch (format) {
    case '%Y-%m-%d':
    case '%Y/%m/%d': {
      const sep = format === '%Y-%m-%d' ? 45 : 47;
      if (t.charCodeAt(4) !== sep || t.charCodeAt(7) !== sep) return Number.NaN;
      y = digits(t, 0, 4);
      m = digits(t, 5, 2);
      d = digits(t, 8, 2);
      rest = 10;
      break;
    }
    default: {
      // %m/%d/%Y, %d/%m/%Y, %d.%m.%Y: one- or two-digit day and month.
      const sep = format === '%d.%m.%Y' ? 46 : 47;
      const a = t.indexOf(String.fromCharCode(sep));
      const b = a < 0 ? -1 : t.indexOf(String.fromCharCode(sep), a + 1);
      if (a < 1 || a > 2 || b - a < 2 || b - a > 3) return Number.NaN;
      const p = digits(t, 0, a);
      const q = digits(t, a + 1, b - a - 1);
      y = digits(t, b + 1, 4);
      rest = b + 5;
      if (format === '%m/%d/%Y') {
        m = p;
        d = q;
      } else {
        d = p;
        m = q;
      }
      if (p < 0 || q < 0) return Number.NaN;
    }
  }
  if (y < 0 || m < 0 || d < 0 || !validDate(y, m, d)) return Number.NaN;
  if (rest > t.length) return Number.NaN;
  const time = parseTime(t, rest, format === '%Y-%m-%d');
  if (time !== time) return Number.NaN;
  let base = Date.UTC(y, m - 1, d);
  if (y < 100) {
    // Date.UTC maps years 0–99 to 1900–1999; set the real year.
    const dt = new Date(base);
    dt.setUTCFullYear(y);
    base = dt.getTime();
  }
  return base + time;
}

/**
 * {@link parseDatetime} with `format`, falling back to ISO 8601 (`YYYY-MM-DD`, with an optional
 * `T`/space time and zone) when `s` does not parse in `format`: a column read in a recorded
 * non-ISO format (`%d/%m/%Y` from a training file or a schema) still takes unambiguous ISO dates.
 * The recorded format is tried first, so a value that fits it costs nothing extra (no value
 * fits both: ISO's year comes first, with dashes).
 */
export function parseDatetimeOrIso(s: string, format: DatetimeFormat): number {
  const v = parseDatetime(s, format);
  if (v === v || format === '%Y-%m-%d') return v;
  return parseDatetime(s, '%Y-%m-%d');
}

/**
 * What a datetime column of `format` accepts, for messages: `in the format %d/%m/%Y or ISO
 * 8601 (YYYY-MM-DD)`, or `in the format %Y-%m-%d` for ISO itself.
 */
export function datetimeExpected(format: DatetimeFormat): string {
  return format === '%Y-%m-%d'
    ? `in the format ${format}`
    : `in the format ${format} or ISO 8601 (YYYY-MM-DD)`;
}

/**
 * The first format in {@link DATETIME_FORMATS} that parses every value in `values` (missing
 * values skipped), or `undefined`. `%m/%d/%Y` is tried before `%d/%m/%Y`, so all-ambiguous
 * dates (day ≤ 12) are read as month-first, like DuckDB and pandas.
 */
export function sniffDatetimeFormat(values: readonly string[]): DatetimeFormat | undefined {
  if (values.length === 0) return undefined;
  for (const f of DATETIME_FORMATS) {
    let ok = true;
    for (const v of values) {
      if (Number.isNaN(parseDatetime(v, f))) {
        ok = false;
        break;
      }
    }
    if (ok) return f;
  }
  return undefined;
}

/**
 * A date or date-time string as epoch milliseconds, the way the file readers take one: ISO 8601
 * (or `YYYY/MM/DD`), where a time without a zone is UTC — as in a CSV column, and unlike
 * `Date.parse`, which reads it in the machine's time zone; other forms fall back to `Date.parse`.
 */
export function parseDateString(s: string): number {
  const iso = parseDatetime(s, '%Y-%m-%d');
  if (iso === iso) return iso;
  const slash = parseDatetime(s, '%Y/%m/%d');
  return slash === slash ? slash : Date.parse(s);
}
