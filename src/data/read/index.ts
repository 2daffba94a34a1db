/**
 * `readTable`: reads CSV, TSV, Parquet, JSON, NDJSON or Arrow IPC into a columnar {@link Table}
 * with its inferred {@link Schema} and an exact account of the rows read. See docs/data.md.
 *
 * @module
 */

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { DataError, show, ValidationError } from '../../core/errors.ts';
import type { Column } from '../column.ts';
import type { DataFormat, ReadOptions, ReadResult } from '../read-types.ts';
import type { ColumnSchema, Schema } from '../schema.ts';
import { applySchema } from '../schema-apply.ts';
import { readSchemaFile, validateSchema } from '../schema-file.ts';
import { inferSchema } from '../schema-infer.ts';
import { Table } from '../table.ts';
import { readArrowColumns } from './arrow.ts';
import { BadRows, defaultRejectsPath, writeRejects } from './bad-rows.ts';
import { parseCsv } from './csv.ts';
import { duckdbColumns, sqlString } from './duckdb.ts';
import { parseJsonArray, parseNdjson } from './json.ts';

export { closeDuckDB, duckdbConnection } from './duckdb.ts';
export { DATETIME_FORMATS, DEFAULT_MISSING_VALUES } from './values.ts';

const FORMATS: readonly DataFormat[] = ['csv', 'tsv', 'parquet', 'json', 'ndjson', 'arrow'];
const EXTENSIONS: Record<string, DataFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
};

/** Checks that `path` is a readable, non-empty file; returns its size in bytes. */
function checkFile(path: string): number {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? 'no such file.' : `the file cannot be opened (${code}).`, {
      file: path,
      fix:
        code === 'ENOENT'
          ? `check the path (it is resolved against ${process.cwd()})`
          : 'check the path and its permissions',
      cause: e,
    });
  }
  if (st.isDirectory()) {
    throw new DataError('this is a directory, not a data file.', {
      file: path,
      fix: 'pass the path of a CSV, TSV, Parquet, JSON, NDJSON or Arrow file inside it',
    });
  }
  if (st.size === 0) {
    throw new DataError('the file is empty (0 bytes).', {
      file: path,
      fix: 'pass a file with a header line and at least one data row',
    });
  }
  return st.size;
}

/**
 * The format of `path`: Parquet and Arrow by their magic bytes, else by extension (a `.json` file
 * whose first line is a whole JSON object is NDJSON), else by content (a JSON array, one JSON
 * object per line, or delimited text).
 */
export function detectDataFormat(path: string): DataFormat {
  const head = Buffer.alloc(4096);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const b = head.subarray(0, n);
  if (b.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  if (b.subarray(0, 6).toString('latin1') === 'ARROW1') return 'arrow';
  if (b[0] === 0x1f && b[1] === 0x8b) {
    throw new DataError('the file is gzip-compressed.', {
      file: path,
      fix: 'decompress it first (gunzip), then read the result',
    });
  }
  const ext = EXTENSIONS[extname(path).toLowerCase()];
  const text = b
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  // A `.json` file holding one object per line is NDJSON (what DuckDB's `COPY … TO 'x.json'` and
  // many other tools write): read it as such rather than fail to parse it as one document.
  if (ext === 'json') return text.startsWith('{') && firstLineIsObject(text) ? 'ndjson' : 'json';
  if (ext) return ext;
  if (b.readUInt32LE(0) === 0xffffffff && n >= 8) return 'arrow';
  if (text.startsWith('[')) return 'json';
  if (text.startsWith('{')) return firstLineIsObject(text) ? 'ndjson' : 'json';
  const firstLine = text.split(/\r?\n/, 1)[0];
  return firstLine.includes('\t') && !firstLine.includes(',') ? 'tsv' : 'csv';
}

/** True when the first line of `text` is a whole JSON object (the start of NDJSON). */
function firstLineIsObject(text: string): boolean {
  const first = text.split(/\r?\n/, 1)[0];
  try {
    const v: unknown = JSON.parse(first);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/**
 * Reads a data file into a {@link Table}.
 *
 * - Format by `options.format`, else magic bytes, extension or content ({@link detectDataFormat}).
 * - CSV/TSV: delimiter, quote, header and column types are sniffed; BOM, CRLF and quoted line
 *   breaks are handled; the file is streamed, so memory holds the columns, not the text.
 * - Bad rows (wrong field count, unterminated quote, a value that does not parse as its column's
 *   type, invalid JSON): with `onBadRows: 'error'` (default) the first one throws a
 *   {@link DataError} naming the file, line and problem; with `'quarantine'` they are written to
 *   `rejectsPath` (default `<file>.rejects.csv`) and `summary` says `accepted + rejected = rowsRead`.
 * - `schema` (an object or a JSON file path) fixes column types instead of sniffing them.
 *
 * @example
 * const { table, schema, summary } = await readTable('examples/customers.csv');
 * console.log(table.nRows, schema.columns.map((c) => `${c.name}:${c.type}`));
 */
export async function readTable(path: string, options: ReadOptions = {}): Promise<ReadResult> {
  if (typeof path !== 'string' || path === '') {
    throw new ValidationError(`readTable needs a file path; got ${show(path)}.`, { field: 'path' });
  }
  const policy = options.onBadRows ?? 'error';
  if (policy !== 'error' && policy !== 'quarantine') {
    throw new ValidationError(`onBadRows must be 'error' or 'quarantine'; got ${show(policy)}.`, {
      field: 'onBadRows',
      fix: 'pass --on-bad-rows error or --on-bad-rows quarantine',
    });
  }
  if (options.format !== undefined && !FORMATS.includes(options.format)) {
    throw new ValidationError(`format must be one of ${FORMATS.join(', ')}; got ${show(options.format)}.`, {
      field: 'format',
    });
  }
  const bytes = checkFile(path);
  const format = options.format ?? detectDataFormat(path);
  const override: Schema | undefined =
    options.schema === undefined
      ? undefined
      : typeof options.schema === 'string'
        ? readSchemaFile(options.schema)
        : validateSchema(options.schema);
  const overrides = new Map<string, ColumnSchema>((override?.columns ?? []).map((c) => [c.name, c]));
  const bad = new BadRows(path, policy);

  let columns: Column[];
  let formats: Record<string, string> = {};
  let rowsRead: number;
  let rowLines: Int32Array | undefined;
  let dialect: ReadResult['dialect'];
  switch (format) {
    case 'csv':
    case 'tsv': {
      const r = await parseCsv(path, options, bad, overrides, format === 'tsv' ? '\t' : undefined);
      ({ columns, formats, rowsRead, rowLines, dialect } = r);
      break;
    }
    case 'ndjson':
    case 'json': {
      const r =
        format === 'ndjson'
          ? parseNdjson(path, options, bad, overrides)
          : parseJsonArray(path, options, bad, overrides);
      ({ columns, formats, rowsRead, rowLines } = r);
      break;
    }
    case 'parquet': {
      try {
        columns = await duckdbColumns(`read_parquet(${sqlString(resolve(path))})`);
      } catch (e) {
        throw new DataError(`the file cannot be read as Parquet: ${firstLine((e as Error).message)}`, {
          file: path,
          fix: 'check that it is a Parquet file (or give a CSV/JSON file its own extension)',
          cause: e,
        });
      }
      rowsRead = columns.length
        ? columns[0].type === 'categorical'
          ? columns[0].codes.length
          : columns[0].values.length
        : 0;
      break;
    }
    case 'arrow': {
      columns = await readArrowColumns(path);
      rowsRead = columns.length
        ? columns[0].type === 'categorical'
          ? columns[0].codes.length
          : columns[0].values.length
        : 0;
      break;
    }
  }
  let table: Table;
  try {
    table = new Table(columns);
  } catch (e) {
    throw new DataError(`the file's columns cannot form a table: ${(e as Error).message}`, {
      file: path,
      cause: e,
    });
  }
  if (override) {
    // Parquet/Arrow: converts storage. CSV/JSON parsed overridden columns with the right storage
    // already; this orders categorical levels and checks `nullable`.
    const present = options.schemaColumnsOptional
      ? { ...override, columns: override.columns.filter((c) => table.has(c.name)) }
      : override;
    table = applySchema(table, present, { source: path, rowLines });
  }
  const types: Record<string, ColumnSchema['type']> = {};
  for (const [name, c] of overrides) types[name] = c.type;
  const schema = inferSchema(table, { formats, types });
  for (const c of schema.columns) {
    const o = overrides.get(c.name);
    if (o?.format) c.format = o.format;
  }
  const rejected = bad.rows;
  if (table.nRows + rejected.length !== rowsRead) {
    throw new Error(
      `internal error: accounting mismatch in ${path}: ${table.nRows} accepted + ${rejected.length} rejected ≠ ${rowsRead} read`,
    );
  }
  const summary: ReadResult['summary'] = { rowsRead, accepted: table.nRows, rejected: rejected.length };
  if (rejected.length > 0) {
    summary.rejectsPath = options.rejectsPath ?? defaultRejectsPath(path);
    writeRejects(summary.rejectsPath, rejected);
  }
  const result: ReadResult = { table, schema, summary, rejected, source: { path, format, bytes } };
  if (rowLines) result.rowLines = rowLines;
  if (dialect) result.dialect = dialect;
  return result;
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}
