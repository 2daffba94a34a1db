/**
 * `writeTable`: writes a {@link Table} as CSV (RFC 4180), TSV, JSON (an array of objects),
 * NDJSON or Parquet (through DuckDB), chosen by `format` or the file extension. The file is
 * written under a temporary name in the same directory and renamed at the end, so a
 * half-written file is never visible under the final name.
 *
 * Values: numbers in their shortest round-trip form (missing → empty / null), booleans as
 * `true`/`false`, datetimes as `YYYY-MM-DD` when every value of the column is a UTC midnight and
 * ISO-8601 (`2024-05-01T13:45:00.000Z`) otherwise.
 *
 * @module
 */

import { closeSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { DataError, show, ValidationError } from '../core/errors.ts';
import { makeDirsSync } from '../core/make-dirs.ts';
import { keepMode, trackTempPath, writeTarget } from '../core/temp-files.ts';
import type { Column } from './column.ts';
import { duckdbConnection, sqlIdent, sqlString } from './read/duckdb.ts';
import type { Table } from './table.ts';

/** Formats `writeTable` writes. */
export type WriteFormat = 'csv' | 'tsv' | 'json' | 'ndjson' | 'parquet';

/** Options for {@link writeTable}. */
export interface WriteOptions {
  /** Default: by extension (`.csv`, `.tsv`, `.json`, `.ndjson`/`.jsonl`, `.parquet`). */
  format?: WriteFormat;
}

/** What was written. */
export interface WriteResult {
  path: string;
  format: WriteFormat;
  rows: number;
  bytes: number;
}

const BY_EXT: Record<string, WriteFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.parquet': 'parquet',
};

const DAY = 86_400_000;

/** Whether every present value of a datetime column falls on a UTC midnight. */
function dateOnly(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x === x && x % DAY !== 0) return false;
  }
  return true;
}

/** Distinct days a date-only column's formatter keeps formatted (a cache per column). */
const DATE_CACHE = 1 << 16;

/** A per-row formatter for one column: string, or null for missing. */
function formatter(c: Column): (i: number) => string | number | boolean | null {
  switch (c.type) {
    case 'numeric':
      return (i) => {
        const x = c.values[i];
        return x !== x ? null : x;
      };
    case 'datetime': {
      if (!dateOnly(c.values)) {
        return (i) => {
          const x = c.values[i];
          return x !== x ? null : new Date(x).toISOString();
        };
      }
      // Dates repeat: each distinct day is formatted once (up to DATE_CACHE of them).
      const seen = new Map<number, string>();
      return (i) => {
        const x = c.values[i];
        if (x !== x) return null;
        let d = seen.get(x);
        if (d === undefined) {
          d = new Date(x).toISOString().slice(0, 10);
          if (seen.size < DATE_CACHE) seen.set(x, d);
        }
        return d;
      };
    }
    case 'boolean':
      return (i) => (c.values[i] < 0 ? null : c.values[i] === 1);
    case 'categorical':
      return (i) => (c.codes[i] < 0 ? null : c.dictionary[c.codes[i]]);
    case 'text':
      return (i) => c.values[i];
  }
}

function csvCell(v: string | number | boolean | null, delim: string): string {
  if (v === null) return '';
  if (typeof v !== 'string') return String(v);
  if (v.includes(delim) || v.includes('"') || v.includes('\n') || v.includes('\r') || v !== v.trim()) {
    return `"${v.replace(/"/g, '""')}"`;
  }
  return v;
}

/**
 * A per-row formatter for one column straight to its CSV/TSV cell (what `csvCell(formatter(c)(i))`
 * gives): a categorical's levels are escaped once, not once per row.
 */
function csvFormatter(c: Column, delim: string): (i: number) => string {
  if (c.type === 'categorical') {
    const levels = c.dictionary.map((v) => csvCell(v, delim));
    return (i) => (c.codes[i] < 0 ? '' : levels[c.codes[i]]);
  }
  const f = formatter(c);
  return (i) => csvCell(f(i), delim);
}

/** Characters of CSV text gathered before a chunk is handed on (fewer, larger writes). */
const CSV_CHUNK = 1 << 16;

function jsonValue(v: string | number | boolean | null): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return JSON.stringify(String(v));
  return JSON.stringify(v);
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/**
 * Writes text through a temp file, then renames it into place. Between megabytes it lets the event
 * loop turn, so that an interrupt (SIGINT, SIGTERM) can remove the temp file (see
 * core/temp-files.ts) rather than leave it behind.
 */
async function withTempFile(path: string, chunks: Iterable<string>): Promise<number> {
  const dir = dirname(resolve(path));
  makeDirsSync(dir);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const release = trackTempPath(tmp);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    let pending: string[] = [];
    let size = 0;
    for (const s of chunks) {
      pending.push(s);
      size += s.length;
      if (size > 1 << 20) {
        // writeFileSync on a descriptor writes the whole string: writeSync may write only part of
        // it (a full disk, a file-size limit) and say so only in its return value, and the rest
        // would be missing from a file renamed into place as if complete.
        writeFileSync(fd, pending.join(''));
        pending = [];
        size = 0;
        await yieldToEventLoop();
      }
    }
    if (pending.length) writeFileSync(fd, pending.join(''));
    closeSync(fd);
    fd = undefined;
    keepMode(tmp, path);
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    release();
  }
  return statSync(path).size;
}

/**
 * Streams `table` as text in a text format (CSV, TSV, JSON array or NDJSON) through `emit` —
 * the writer behind {@link writeTable}, also used to print to stdout.
 */
export function formatTable(
  table: Table,
  format: Exclude<WriteFormat, 'parquet'>,
  emit: (s: string) => void,
): void {
  for (const s of formatChunks(table, format)) emit(s);
}

/** The text of `table` in a text format, piece by piece (a header, then rows: CSV/TSV in chunks of about 64 KB, JSON one row at a time). */
function* formatChunks(table: Table, format: Exclude<WriteFormat, 'parquet'>): Generator<string> {
  const n = table.nRows;
  const cols = table.columns;
  if (format === 'csv' || format === 'tsv') {
    const d = format === 'csv' ? ',' : '\t';
    const cells = cols.map((c) => csvFormatter(c, d));
    const m = cells.length;
    yield `${cols.map((c) => csvCell(c.name, d)).join(d)}\n`;
    let chunk = '';
    for (let i = 0; i < n; i++) {
      let line = m > 0 ? cells[0](i) : '';
      for (let j = 1; j < m; j++) line += d + cells[j](i);
      chunk += `${line}\n`;
      if (chunk.length >= CSV_CHUNK) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
    return;
  }
  const fmts = cols.map(formatter);
  const keys = cols.map((c) => JSON.stringify(c.name));
  if (format === 'json') yield '[';
  for (let i = 0; i < n; i++) {
    let obj = '{';
    for (let j = 0; j < fmts.length; j++) obj += `${j ? ',' : ''}${keys[j]}:${jsonValue(fmts[j](i))}`;
    obj += '}';
    yield format === 'json' ? `${i ? ',\n' : '\n'}${obj}` : `${obj}\n`;
  }
  if (format === 'json') yield '\n]\n';
}

/** The extensions {@link writeTable} knows, as a list for messages: `.csv, .tsv, …`. */
export const WRITE_EXTENSIONS: readonly string[] = Object.keys(BY_EXT);

/**
 * The format {@link writeTable} would write `path` in: `format` when given, else by extension.
 * Throws a `ValidationError` listing the supported extensions — call it before any work.
 */
export function writeFormatFor(path: string, format?: WriteFormat): WriteFormat {
  const f = format ?? BY_EXT[extname(path).toLowerCase()];
  if (f && (['csv', 'tsv', 'json', 'ndjson', 'parquet'] as const).includes(f)) return f;
  if (format !== undefined) {
    throw new ValidationError(`unknown format ${show(format)} to write ${show(path)} in.`, {
      field: 'format',
      fix: 'use one of csv, tsv, json, ndjson, parquet',
    });
  }
  const ext = extname(path);
  throw new ValidationError(
    `cannot tell which format to write ${show(path)} in: ${ext ? `the extension ${show(ext)} is not one Lathe writes` : 'it has no extension'}.`,
    {
      field: 'path',
      fix: `end the file name with one of ${WRITE_EXTENSIONS.join(', ')} (or pass options.format to writeTable)`,
    },
  );
}

/**
 * Writes `table` to `path`. CSV quotes a field (RFC 4180) when it holds the delimiter, a quote,
 * a line break or surrounding spaces.
 *
 * @example
 * await writeTable(table, 'out/predictions.parquet');
 */
export async function writeTable(
  table: Table,
  path: string,
  options: WriteOptions = {},
): Promise<WriteResult> {
  const format = writeFormatFor(path, options.format);
  let bytes: number;
  try {
    // A symbolic link stays: its target is written.
    const target = writeTarget(path);
    if (format !== 'parquet') {
      bytes = await withTempFile(target, formatChunks(table, format));
    } else {
      bytes = await writeParquet(table, target);
    }
  } catch (e) {
    if (e instanceof ValidationError || e instanceof DataError) throw e;
    throw new DataError(`cannot write the file: ${(e as Error).message.split('\n')[0]}`, {
      file: path,
      fix: 'check that the directory is writable and the disk has room',
      cause: e,
    });
  }
  return { path, format, rows: table.nRows, bytes };
}

let parquetSeq = 0;

/** Writes Parquet through DuckDB: an in-memory table filled by the appender, then COPY. */
async function writeParquet(table: Table, path: string): Promise<number> {
  const { DuckDBDataChunk, DOUBLE, VARCHAR, BOOLEAN } = await import('@duckdb/node-api');
  const con = await duckdbConnection();
  const name = `lathe_write_${process.pid}_${parquetSeq++}`;
  const cols = table.columns;
  const sqlTypes = cols.map((c) =>
    c.type === 'numeric' || c.type === 'datetime' ? 'DOUBLE' : c.type === 'boolean' ? 'BOOLEAN' : 'VARCHAR',
  );
  const types = sqlTypes.map((t) => (t === 'DOUBLE' ? DOUBLE : t === 'BOOLEAN' ? BOOLEAN : VARCHAR));
  await con.run(
    `CREATE TEMP TABLE ${sqlIdent(name)} (${cols.map((_, j) => `${sqlIdent(`c${j}`)} ${sqlTypes[j]}`).join(', ')})`,
  );
  try {
    const app = await con.createAppender(name);
    const fmts = cols.map(formatter);
    const STEP = 2048;
    for (let s = 0; s < table.nRows; s += STEP) {
      const e = Math.min(table.nRows, s + STEP);
      const chunk = DuckDBDataChunk.create(types, e - s);
      cols.forEach((c, j) => {
        const vals: (number | string | boolean | null)[] = new Array(e - s);
        if (c.type === 'numeric' || c.type === 'datetime') {
          for (let i = s; i < e; i++) vals[i - s] = Number.isNaN(c.values[i]) ? null : c.values[i];
        } else {
          const f = fmts[j];
          for (let i = s; i < e; i++) vals[i - s] = f(i);
        }
        chunk.setColumnValues(j, vals);
      });
      app.appendDataChunk(chunk);
    }
    app.flushSync();
    app.closeSync();
    const select = cols
      .map((c, j) => {
        const id = sqlIdent(`c${j}`);
        if (c.type === 'datetime') {
          const ts = `epoch_ms(CAST(${id} AS BIGINT))`;
          return `${dateOnly(c.values) ? `CAST(${ts} AS DATE)` : ts} AS ${sqlIdent(c.name)}`;
        }
        return `${id} AS ${sqlIdent(c.name)}`;
      })
      .join(', ');
    const dir = dirname(resolve(path));
    makeDirsSync(dir);
    const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
    const release = trackTempPath(tmp);
    try {
      await con.run(`COPY (SELECT ${select} FROM ${sqlIdent(name)}) TO ${sqlString(tmp)} (FORMAT parquet)`);
      keepMode(tmp, path);
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    } finally {
      release();
    }
  } finally {
    await con.run(`DROP TABLE IF EXISTS ${sqlIdent(name)}`);
  }
  return statSync(path).size;
}
