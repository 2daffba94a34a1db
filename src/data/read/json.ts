/**
 * The NDJSON and JSON-array readers. Each record becomes one row; keys are columns (the union
 * of the keys in the first rows, in order of first appearance). Values go through the same
 * typed row parser as CSV fields (numbers and booleans by their JSON text, nested objects and
 * arrays as JSON text, null as missing), so the type rules and the bad-row rules are the same:
 * a record that is not valid JSON, not an object, has a key not seen in the sample, or has a
 * value that does not parse as its column's type is rejected (or stops the read) — never nulled.
 *
 * Rows are numbered by line for NDJSON and by record (1-based) for JSON arrays.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { DataError } from '../../core/errors.ts';
import type { Column } from '../column.ts';
import { NumberCategories } from '../number-categories.ts';
import type { ReadOptions } from '../read-types.ts';
import type { ColumnSchema } from '../schema.ts';
import type { BadRows } from './bad-rows.ts';
import { I32Builder } from './builders.ts';
import { checkTextStart, TextSource } from './csv.ts';
import { lineEnd } from './csv-scanner.ts';
import { type FieldType, fieldTypeForStorage, RowParser, sniffFieldType } from './row-parser.ts';
import { MissingTokens } from './values.ts';

/** What the JSON readers produce. */
export interface JsonParse {
  columns: Column[];
  formats: Record<string, string>;
  rowsRead: number;
  rowLines: Int32Array;
}

function fieldText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** A run of 16 digits: an integer literal that long may not survive `JSON.parse` as a double. */
const LONG_DIGITS = /\d{16}/;

/**
 * `JSON.parse`, except that integer literals of more than 15 digits come back as strings of their
 * digits. As doubles they would be rounded (12345678901234567890 → 12345678901234567000, a
 * different id), and the readers keep such integers as text anyway (as the CSV reader does), so
 * the text must be the file's. Errors are those of `text` as it is.
 */
export function parseJsonExact(text: string): unknown {
  const v: unknown = JSON.parse(text);
  return LONG_DIGITS.test(text) ? JSON.parse(quoteLongIntegers(text)) : v;
}

/** `text` (valid JSON) with every integer literal of more than 15 digits wrapped in quotes. */
function quoteLongIntegers(text: string): string {
  let out = '';
  let from = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // A string: skip to its closing quote (digits in strings are not numbers).
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === 34) break;
        else i++;
      }
      i++;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      const a = i;
      let digits = 0;
      let integer = true;
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d >= 48 && d <= 57) digits++;
        else if (d === 46 || d === 101 || d === 69 || d === 43 || (d === 45 && i > a)) integer = false;
        else if (d !== 45) break;
      }
      if (integer && digits > 15) {
        out += `${text.slice(from, a)}"${text.slice(a, i)}"`;
        from = i;
      }
    } else {
      i++;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Feeds records (already parsed, or a parse failure) to a row parser after a sampling phase. */
class RecordSink {
  private held: { line: number; value: unknown; raw: string; error: string | null }[] = [];
  private parser: RowParser | null = null;
  private names: string[] = [];
  private index = new Map<string, number>();
  private fields: string[] = [];
  private numberLookup: (NumberCategories | null)[] = [];
  rowsRead = 0;
  readonly rowLines = new I32Builder();
  private readonly missing: MissingTokens;

  constructor(
    private readonly file: string,
    private readonly options: ReadOptions,
    private readonly bad: BadRows,
    private readonly overrides: ReadonlyMap<string, ColumnSchema>,
    private readonly sampleRows: number,
  ) {
    this.missing = new MissingTokens(options.missingValues);
  }

  push(line: number, value: unknown, raw: string, error: string | null): void {
    if (this.parser) {
      this.process(line, value, raw, error);
      return;
    }
    this.held.push({ line, value, raw, error });
    if (this.held.length >= this.sampleRows) this.decide();
  }

  private decide(): void {
    const keys = new Map<string, string[]>();
    for (const h of this.held) {
      if (h.error !== null || !isRecord(h.value)) continue;
      for (const [k, v] of Object.entries(h.value)) {
        let vals = keys.get(k);
        if (!vals) keys.set(k, (vals = []));
        const s = fieldText(v);
        if (!this.missing.has(s)) vals.push(s);
      }
    }
    this.names = [...keys.keys()];
    if (this.names.length === 0) {
      throw new DataError(
        'the file has no records with fields (no JSON objects with keys in the first rows).',
        {
          file: this.file,
          fix: 'pass one JSON object per line (NDJSON) or an array of objects, e.g. {"age": 31, "city": "Lyon"}',
        },
      );
    }
    for (const o of this.overrides.keys()) {
      if (!keys.has(o) && !this.options.schemaColumnsOptional) {
        throw new DataError(`the schema names a column '${o}' that the file does not have.`, {
          file: this.file,
          column: o,
          fix: `the file's fields are: ${this.names.slice(0, 30).join(', ')}`,
        });
      }
    }
    this.names.forEach((n, j) => this.index.set(n, j));
    const types: FieldType[] = this.names.map((n) => {
      const o = this.overrides.get(n);
      const sniffed = sniffFieldType(keys.get(n) as string[]);
      if (!o) return sniffed;
      const t = fieldTypeForStorage(o.storage, o.format);
      if (t.kind === 'datetime' && !o.format && sniffed.kind === 'datetime') t.format = sniffed.format;
      return t;
    });
    // Columns the schema makes categorical with known categories: a JSON number there is matched
    // to the category of the same value ('1.0' from a CSV in training), not only written as JS does.
    this.numberLookup = this.names.map((n, j) => {
      const o = this.overrides.get(n);
      return o?.storage === 'categorical' && o.categories && types[j].kind === 'string'
        ? new NumberCategories(o.categories)
        : null;
    });
    this.parser = new RowParser(this.names, types, this.missing);
    this.fields = new Array<string>(this.names.length);
    for (const h of this.held) this.process(h.line, h.value, h.raw, h.error);
    this.held = [];
  }

  private process(line: number, value: unknown, raw: string, error: string | null): void {
    this.rowsRead++;
    if (error !== null) {
      this.bad.add(line, error, raw);
      return;
    }
    if (!isRecord(value)) {
      this.bad.add(
        line,
        `expected a JSON object, found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}`,
        raw,
      );
      return;
    }
    const f = this.fields;
    f.fill('');
    for (const k in value) {
      const j = this.index.get(k);
      if (j === undefined) {
        this.bad.add(
          line,
          `unexpected field '${k}' (the fields, from the first rows, are: ${this.names.slice(0, 20).join(', ')})`,
          raw,
        );
        return;
      }
      const v = value[k];
      const lookup = typeof v === 'number' ? this.numberLookup[j] : null;
      if (lookup) {
        // A number where the schema has text categories: the category of the same value.
        const m = lookup.match(v as number);
        if (m.kind === 'ambiguous') {
          this.bad.add(
            line,
            `the number ${fieldText(v)} could be any of the categories ${m.candidates.map((c) => JSON.stringify(c)).join(', ')} (the column was text in training; write it as a JSON string)`,
            raw,
            k,
          );
          return;
        }
        f[j] = m.category;
      } else f[j] = fieldText(v);
    }
    const fail = (this.parser as RowParser).add(f);
    if (fail) {
      this.bad.add(line, fail.reason, raw, fail.column);
      return;
    }
    this.rowLines.push(line);
  }

  finish(): JsonParse {
    if (!this.parser) {
      if (this.held.length === 0) {
        throw new DataError('the file has no records.', {
          file: this.file,
          fix: 'pass a file with at least one JSON object',
        });
      }
      this.decide();
    }
    const { columns, formats } = (this.parser as RowParser).finish();
    return { columns, formats, rowsRead: this.rowsRead, rowLines: this.rowLines.finish() };
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads NDJSON (one JSON object per line; blank lines skipped), streaming the file. */
export function parseNdjson(
  file: string,
  options: ReadOptions,
  bad: BadRows,
  overrides: ReadonlyMap<string, ColumnSchema>,
): JsonParse {
  const sink = new RecordSink(file, options, bad, overrides, Math.max(1, options.sampleRows ?? 20_000));
  const src = new TextSource(file);
  try {
    let buf = '';
    let pos = 0;
    let line = 1;
    for (;;) {
      const e = lineEnd(buf, pos);
      // A line is complete when a line break ends it (a '\r' at the very end may still be
      // followed by '\n'), or at the end of the file.
      const complete =
        src.eof || e.next < buf.length || (e.textEnd < buf.length && buf.charCodeAt(e.textEnd) === 10);
      if (!complete) {
        const text = src.next(() => line);
        buf = buf.slice(pos) + text;
        pos = 0;
        continue;
      }
      if (pos >= buf.length) break;
      const raw = buf.slice(pos, e.textEnd);
      pos = e.next;
      const ln = line++;
      if (raw.trim() === '') continue;
      let value: unknown;
      let error: string | null = null;
      try {
        value = parseJsonExact(raw);
      } catch (err) {
        const at = jsonErrorAt(raw, (err as Error).message); // V8 gives a character position
        error = `not valid JSON at column ${at.column} (${at.message})`;
      }
      sink.push(ln, value, raw, error);
    }
  } finally {
    src.close();
  }
  return sink.finish();
}

/** Reads a JSON array of objects. */
export function parseJsonArray(
  file: string,
  options: ReadOptions,
  bad: BadRows,
  overrides: ReadonlyMap<string, ColumnSchema>,
): JsonParse {
  const text = readText(file);
  let doc: unknown;
  try {
    doc = parseJsonExact(text);
  } catch (err) {
    const at = jsonErrorAt(text, (err as Error).message);
    throw new DataError(`the file is not valid JSON: ${at.message}.`, {
      file,
      line: at.line,
      column: at.column,
      fix: 'check the JSON syntax (an array of objects), or use NDJSON (one object per line) to set bad records aside with --on-bad-rows quarantine',
    });
  }
  if (!Array.isArray(doc)) {
    throw new DataError(
      `expected a JSON array of records (or one object per line), found ${doc === null ? 'null' : `a ${typeof doc}`}.`,
      {
        file,
        fix: 'shape the file as [{"a": 1}, {"a": 2}] or as NDJSON with one object per line',
      },
    );
  }
  const sink = new RecordSink(file, options, bad, overrides, Math.max(1, options.sampleRows ?? 20_000));
  doc.forEach((rec, i) => sink.push(i + 1, rec, JSON.stringify(rec) ?? 'undefined', null));
  return sink.finish();
}

/**
 * Where a `JSON.parse` error of `text` happened, as a 1-based line and column (V8 reports a
 * character position — "at position 256" — or nothing for a cut-short document), and the message
 * without the position.
 */
export function jsonErrorAt(
  text: string,
  message: string,
): { message: string; line: number; column: number } {
  const m = /\bat position (\d+)/.exec(message);
  const pos = m ? Math.min(Number(m[1]), text.length) : text.length;
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  const clean = message
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/\s*(in JSON )?at position \d+/, '')
    .trim();
  return { message: clean, line, column: pos - start + 1 };
}

function readText(file: string): string {
  const bytes = readFileSync(file);
  checkTextStart(file, bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new DataError('the file is not valid UTF-8 text.', {
      file,
      fix: 'convert it to UTF-8 first (e.g. `iconv -f latin1 -t utf-8 in.json > out.json`)',
      cause: e,
    });
  }
}
