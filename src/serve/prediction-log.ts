/**
 * The prediction log: one JSON line per scoring request — when, which model and version, the
 * request id, the status, the rows, the latency, and (for answered requests) the inputs as the
 * model read them and the outputs it gave. What monitoring compares with the training data.
 *
 * A line is written whole, with one `write` on a file opened for appending, before the response
 * is sent: a prediction that could not be logged is not given (the server answers 503 instead),
 * so the log holds every answered prediction. Once a write fails the log is broken: every later
 * scoring request gets the 503 too (the health check `ready` turns false), until the server is
 * restarted with a writable log.
 *
 * @module
 */

import { closeSync, constants, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { DataError, HttpError, ValidationError } from '../core/errors.ts';
import type { Table } from '../data/table.ts';
import { fileLines } from './file-lines.ts';
import { tableOfCells } from './request-table.ts';
import type { Element } from './tensor.ts';

/** One line of the log. */
export interface PredictionLogEntry {
  /** ISO-8601 time the request arrived. */
  time: string;
  model: string;
  version: string;
  /** The request's id (its own, or one the server gave it). */
  id: string;
  /** The HTTP status of the response. */
  status: number;
  rows: number;
  /** Time from the request's arrival to the response, in milliseconds. */
  latencyMs: number;
  /** The columns the model read, as it read them (numbers, strings, booleans; null = missing). */
  inputs?: Record<string, unknown[]>;
  /** The outputs given, by name. */
  outputs?: Record<string, unknown[]>;
  /** Why the request failed (status 4xx). */
  error?: string;
}

/** An append-only NDJSON file of {@link PredictionLogEntry} lines. */
export class PredictionLog {
  readonly path: string;
  #fd: number | null;
  #failure: string | null = null;
  /** A regular file (not a pipe or a device): a partly written line can be cut off. */
  #regular: boolean;

  private constructor(path: string, fd: number, regular: boolean) {
    this.path = path;
    this.#fd = fd;
    this.#regular = regular;
  }

  /**
   * Opens (creating if needed) the log at `path` for appending. A folder, a missing parent folder
   * or an unwritable file is a `ValidationError` naming the path.
   */
  static open(path: string): PredictionLog {
    let fd: number;
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o644);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ValidationError(
        `The prediction log ${path} cannot be opened for writing (${code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (e as Error).message}).`,
        {
          field: 'log',
          fix: 'pass --log a file path in a folder that exists and that you can write to',
          cause: e,
        },
      );
    }
    const st = fstatSync(fd);
    if (!st.isFile() && !st.isFIFO() && !st.isCharacterDevice()) {
      closeSync(fd);
      throw new ValidationError(`The prediction log ${path} is not a file.`, {
        field: 'log',
        fix: 'pass --log the path of a file',
      });
    }
    return new PredictionLog(path, fd, st.isFile());
  }

  /** Why the log cannot be written (null while it can). */
  get failure(): string | null {
    return this.#failure;
  }

  /** Throws the 503 of a broken log (before any scoring is done for a request). */
  checkWritable(): void {
    if (this.#failure !== null) throw this.unavailable();
  }

  private unavailable(): HttpError {
    return new HttpError(
      503,
      `The prediction log ${this.path} cannot be written (${this.#failure}); no prediction is given that cannot be logged.`,
      undefined,
      {
        fix: 'free space or fix the permissions of the log, then restart the server',
      },
    );
  }

  /**
   * Appends `entry` as one line. On failure the log is marked broken and a 503 `HttpError` is
   * thrown (the caller sends it instead of the predictions).
   */
  write(entry: PredictionLogEntry): void {
    this.checkWritable();
    if (this.#fd === null) throw new HttpError(503, 'The prediction log is closed: the server is stopping.');
    const line = Buffer.from(`${JSON.stringify(entry)}\n`);
    const fd = this.#fd;
    // A regular file's size before the line, to take back a line written in part.
    const before = this.#regular ? fstatSync(fd).size : -1;
    let off = 0;
    try {
      while (off < line.length) off += writeSync(fd, line, off, line.length - off);
    } catch (e) {
      this.#failure = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      if (off > 0 && before >= 0) {
        try {
          ftruncateSync(fd, before);
        } catch {
          // The file keeps a partial last line; the log is broken either way.
        }
      }
      throw this.unavailable();
    }
  }

  /**
   * Opens the log's path again and writes there from now on (what `logrotate` expects after it
   * has renamed the file: SIGHUP makes `lathe serve` call this). Lines already written stay in
   * the renamed file. If the path cannot be opened, the log keeps writing to the file it has and
   * the `ValidationError` of {@link PredictionLog.open} is thrown. A log that failed stays failed.
   */
  reopen(): void {
    if (this.#fd === null) return;
    const fresh = PredictionLog.open(this.path);
    closeSync(this.#fd);
    this.#fd = fresh.#fd;
    this.#regular = fresh.#regular;
    fresh.#fd = null;
  }

  /** Closes the file (later writes are refused). */
  close(): void {
    if (this.#fd === null) return;
    closeSync(this.#fd);
    this.#fd = null;
  }
}

/** Which lines of a prediction log {@link readPredictionLog} takes. */
export interface PredictionLogFilter {
  /** Only lines of this served model (needed when the log holds several). */
  model?: string;
  /** Only lines at or after this time (ISO 8601). */
  since?: string;
  /** Only lines before this time (ISO 8601). */
  until?: string;
}

/** The answered requests of a prediction log, as one table. */
export interface PredictionLogRows {
  /** The inputs of every answered request taken, in log order (columns typed by their values). */
  table: Table;
  /** The served model the lines are of. */
  model: string;
  /** Its versions seen in the lines taken. */
  versions: string[];
  /** Lines read, and of those the answered requests taken. */
  lines: number;
  requests: number;
  /** Time of the first and last request taken. */
  first: string | null;
  last: string | null;
}

/**
 * The start of a line as {@link PredictionLog.write} writes it (its keys in the order of
 * {@link PredictionLogEntry}), to know a line too long to be read whole.
 */
const LOG_LINE_START =
  /^\{"time":"[^"\\]*","model":"(?:[^"\\]|\\.)*","version":"(?:[^"\\]|\\.)*","id":"(?:[^"\\]|\\.)*","status":\d+,"rows":\d+,/;

/**
 * Whether a file is a prediction log, from its start (its first line, or more: up to 64 KB is
 * plenty): whether its first line that is not blank — after a UTF-8 byte order mark — is a JSON
 * object with time, model, status and rows. Given only the start of a long line (a large first
 * request), whether it starts as the server writes its lines.
 */
export function looksLikePredictionLog(start: string): boolean {
  const firstLine = firstContentLine(start);
  try {
    const o = JSON.parse(firstLine) as Record<string, unknown>;
    return typeof o === 'object' && o !== null && 'time' in o && 'model' in o && 'status' in o && 'rows' in o;
  } catch {
    return LOG_LINE_START.test(firstLine);
  }
}

/** Blank: nothing but spaces (a line before a log's first entry that {@link readPredictionLog} skips). */
function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** The first line of `text` that is not blank, without a leading byte order mark or a `\r\n`'s `\r`. */
function firstContentLine(text: string): string {
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    const nl = text.indexOf('\n', at);
    const line = text.slice(at, nl < 0 ? text.length : nl);
    if (nl < 0 || !isBlank(line)) return line.endsWith('\r') ? line.slice(0, -1) : line;
    at = nl + 1;
  }
}

/** Internal options of {@link readPredictionLog}. */
export interface ReadPredictionLogOptions {
  /** Bytes read at a time (default 1 MiB); small in tests, to cut lines between reads. */
  chunkBytes?: number;
}

/**
 * Reads the answered requests (status 200) of a prediction log written by the server: their
 * inputs, concatenated in log order. A line that is not a JSON object is a `DataError` naming it
 * (blank lines before the first entry, and a byte order mark, are skipped); a log of several
 * models needs `filter.model`.
 *
 * The file is read line by line (see `fileLines`): memory grows with the requests taken (after
 * the filter), not with the file, and a log larger than Node's longest string can be read.
 */
export function readPredictionLog(
  path: string,
  filter: PredictionLogFilter = {},
  options: ReadPredictionLogOptions = {},
): PredictionLogRows {
  const since = filter.since ? Date.parse(filter.since) : Number.NEGATIVE_INFINITY;
  const until = filter.until ? Date.parse(filter.until) : Number.POSITIVE_INFINITY;
  const models = new Set<string>();
  // The inputs taken, column by column: a column first seen after some rows starts with their nulls.
  const names: string[] = [];
  const cells = new Map<string, Element[]>();
  const versions = new Set<string>();
  let total = 0;
  let requests = 0;
  let first: string | null = null;
  let last: string | null = null;
  let lines = 0;
  let started = false;
  for (const { text: line, number } of fileLines(path, options.chunkBytes)) {
    if (!started && isBlank(line)) continue;
    started = true;
    lines++;
    let e: PredictionLogEntry;
    try {
      e = JSON.parse(line) as PredictionLogEntry;
    } catch (err) {
      throw new DataError(
        `this line is not JSON (${(err as Error).message}), so it is no line of a prediction log.`,
        {
          file: path,
          line: number,
          fix: 'pass a log written by lathe serve --log (a line cut short by a crash can be deleted)',
        },
      );
    }
    if (typeof e !== 'object' || e === null || Array.isArray(e)) {
      throw new DataError(
        `this line is not a JSON object (it is ${line.length > 40 ? `${line.slice(0, 40)}…` : line}), so it is no line of a prediction log.`,
        {
          file: path,
          line: number,
          fix: 'pass a log written by lathe serve --log, or delete the line',
        },
      );
    }
    if (e.status !== 200 || typeof e.inputs !== 'object' || e.inputs === null) continue;
    const t = Date.parse(e.time);
    if (!(t >= since && t < until)) continue;
    models.add(e.model);
    if (filter.model !== undefined ? e.model !== filter.model : models.size > 1) continue;
    // (A log of several models without filter.model is refused below, once every line is checked.)
    for (const [k, values] of Object.entries(e.inputs)) {
      let col = cells.get(k);
      if (!col) {
        col = new Array<Element>(total).fill(null);
        cells.set(k, col);
        names.push(k);
      }
      // A column missing from earlier requests of this one's rows: nulls up to here.
      for (let i = col.length; i < total; i++) col.push(null);
      for (let i = 0; i < e.rows; i++) col.push((values[i] ?? null) as Element);
    }
    total += e.rows;
    requests++;
    versions.add(e.version);
    first ??= e.time;
    last = e.time;
  }
  if (filter.model === undefined && models.size > 1) {
    throw new ValidationError(
      `${path} holds the predictions of ${models.size} models (${[...models].join(', ')}).`,
      {
        field: 'model',
        fix: 'say which one with --served-as NAME',
      },
    );
  }
  const model = filter.model ?? [...models][0] ?? '';
  const columns = names.map((k) => {
    const col = cells.get(k)!;
    for (let i = col.length; i < total; i++) col.push(null);
    return col;
  });
  return {
    table: tableOfCells(names, columns),
    model,
    versions: [...versions],
    lines,
    requests,
    first,
    last,
  };
}
