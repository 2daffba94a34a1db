/**
 * One part of a large CSV file, parsed on a worker thread: from a line start in the middle of
 * the file to the first record at or after the next part's start, into that part's region of
 * the shared column arrays. The main thread adopts the result only if its own reading arrives
 * exactly at this part's start (so the part did start on a record boundary, not inside a quoted
 * field); otherwise it reads the part itself. Either way the table is the one a single pass
 * gives.
 *
 * Lines are counted from 1 at the part's start (the main thread adds the offset), dictionary
 * codes are the part's own (the main thread maps them to the table's dictionary, in file
 * order), and bad rows come back as data (under the `error` policy, the part stops at the first).
 *
 * @module
 */

import { registerTask } from '../../core/pool.ts';
import type { BadRowPolicy } from '../read-types.ts';
import { ByteSource } from './byte-source.ts';
import { allocateColumns, BOOL, ColumnStore, kindOf, type Segment, STR } from './csv-columns.ts';
import { CollectedBadRows, type CsvLayout, RecordReader, STOP_AT_BAD_ROW } from './csv-records.ts';

/** What a worker needs to parse a part. */
export interface CsvPartTask {
  file: string;
  /** File offset of the part's first byte (just after a `\n`). */
  start: number;
  /** The next part's start (the part ends at the first record starting there or later). */
  stopAt: number;
  layout: CsvLayout;
  policy: BadRowPolicy;
  /** The table's column arrays (shared memory). */
  arrays: Omit<Segment, 'base' | 'rows'>;
  /** The part's region of the arrays. */
  base: number;
  cap: number;
}

/** The parts a worker may take, and who took which (0 free, 1 the main thread, 2 a worker). */
export interface CsvPartsTask {
  file: string;
  layout: CsvLayout;
  policy: BadRowPolicy;
  arrays: Omit<Segment, 'base' | 'rows'>;
  parts: { start: number; stopAt: number; base: number; cap: number }[];
  claims: Int32Array;
}

/** A private segment as sent back: per column the one array of its kind. */
export interface SpilledSegment {
  columns: (Float64Array | Int32Array | Int8Array)[];
  lines: Int32Array;
  rows: number;
}

/** What a worker sends back. */
export interface CsvPartResult {
  /** Which part (index into the task's parts). */
  part: number;
  /** False when the part could not be read here (invalid UTF-8): the main thread reads it. */
  ok: boolean;
  /** File offset where the part ended: the first record at or after `stopAt`, or the file size. */
  end: number;
  /** Lines the part spans: the line at `end` is the line at `start` plus this. */
  lines: number;
  rowsRead: number;
  /** Rows written to the region `[base, base + rows)`. */
  rows: number;
  /** Rows that did not fit the region, in order. */
  spilled: SpilledSegment[];
  /** Per column: the part's dictionary (string columns), else null. */
  dictionaries: (string[] | null)[];
  /** Bad rows: `[line (from 1 at start), reason, raw, column]`. */
  bad: [number, string, string, string | undefined][];
  /** Stopped at the first bad row (the `error` policy). */
  stopped: boolean;
}

/**
 * Takes parts from the end of the file, one at a time, while they are free (the main thread
 * takes them from the start), and parses each (the worker-thread task).
 */
export function parseCsvParts(task: CsvPartsTask): CsvPartResult[] {
  const out: CsvPartResult[] = [];
  for (let k = task.parts.length - 1; k >= 0; k--) {
    if (Atomics.compareExchange(task.claims, k, 0, 2) !== 0) break;
    const p = task.parts[k];
    const r = parseCsvPart({ ...task, ...p });
    r.part = k;
    out.push(r);
  }
  return out;
}

/**
 * The read buffer of the last part parsed on this thread, handed to the next part's source: a
 * fresh 4 MiB buffer per part would cost a page fault per 4 KiB page on its first fill (about
 * 16 µs each on some virtual machines, ~15 ms per part).
 */
let spareBuffer: Buffer | null = null;

/** Parses one part of a CSV file. */
export function parseCsvPart(task: CsvPartTask): CsvPartResult {
  const kinds = Int8Array.from(task.layout.types, kindOf);
  const store = new ColumnStore(kinds, task.arrays, task.base, task.cap);
  const bad = new CollectedBadRows(task.policy);
  const src = new ByteSource(task.file, task.start);
  if (spareBuffer !== null && spareBuffer.length >= src.buf.length) {
    // The same state as a new source's buffer: no data, the sentinel at 0.
    src.buf = spareBuffer;
    src.buf[0] = 10;
  }
  spareBuffer = null;
  let ok = true;
  let stopped = false;
  const reader = new RecordReader(src, 0, 1, task.layout, store, bad);
  try {
    reader.run(task.stopAt);
  } catch (e) {
    if (e === STOP_AT_BAD_ROW) stopped = true;
    else if ((e as Error)?.name === 'DataError') ok = false;
    else throw e;
  } finally {
    src.close();
    spareBuffer = src.buf;
  }
  const spilled: SpilledSegment[] = store.done.slice(1).map((s) => ({
    columns: Array.from(kinds, (k, j) => (k === STR ? s.i32[j] : k === BOOL ? s.i8[j] : s.f64[j])),
    lines: s.lines,
    rows: s.rows,
  }));
  const regionRows = store.done.length > 0 ? store.done[0].rows : store.rows;
  if (store.done.length > 0) {
    const s = store.current();
    spilled.push({
      columns: Array.from(kinds, (k, j) => (k === STR ? s.i32[j] : k === BOOL ? s.i8[j] : s.f64[j])),
      lines: s.lines,
      rows: s.rows,
    });
  }
  return {
    part: 0,
    ok,
    end: reader.offset,
    lines: reader.line - 1,
    rowsRead: reader.rowsRead,
    rows: regionRows,
    spilled,
    dictionaries: reader.dicts.map((d) => (d ? d.dictionary : null)),
    bad: bad.rows,
    stopped,
  };
}

/** Task builder for {@link parseCsvParts}. */
export const parseCsvPartsTask = registerTask(import.meta.url, 'parseCsvParts', parseCsvParts);

/** The segment a spilled part's rows form again on the main thread. */
export function spilledSegment(kinds: Int8Array, s: SpilledSegment): Segment {
  const empty = allocateColumns(kinds, 0, false);
  const seg: Segment = { ...empty, lines: s.lines, base: 0, rows: s.rows };
  kinds.forEach((k, j) => {
    if (k === STR) seg.i32[j] = s.columns[j] as Int32Array;
    else if (k === BOOL) seg.i8[j] = s.columns[j] as Int8Array;
    else seg.f64[j] = s.columns[j] as Float64Array;
  });
  return seg;
}
