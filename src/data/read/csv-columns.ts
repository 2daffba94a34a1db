/**
 * Where the CSV reader puts parsed values: one typed array per column (numbers and datetimes
 * Float64, booleans Int8, strings Int32 dictionary codes) plus the file line of each row,
 * allocated once for the whole file from the sample's bytes per row, in `SharedArrayBuffer`s so
 * that worker threads parsing other parts of the file write into the same arrays and the
 * finished table can be handed to workers again (the profile) without a copy.
 *
 * A {@link ColumnStore} appends rows to a *region* of those arrays (`[base, base + cap)`): the
 * reader parses each row straight into slot `base + rows` and counts it only once the whole row
 * has parsed, so a rejected row leaves no trace. When a region is full, the store goes on in a
 * private *segment*; {@link assembleColumns} then lays every part's rows end to end — in place
 * when nothing spilled, which is the rule — and turns them into {@link Column}s.
 *
 * @module
 */

import type { Column } from '../column.ts';
import { finishCodes, promoteCodes } from './builders.ts';
import type { FieldType } from './row-parser.ts';

/** Column kinds, as the reader's inner loops test them. */
export const NUM = 0;
export const BOOL = 1;
export const DATE = 2;
export const STR = 3;

/** The kind code of a field type. */
export function kindOf(t: FieldType): number {
  return t.kind === 'numeric' ? NUM : t.kind === 'boolean' ? BOOL : t.kind === 'datetime' ? DATE : STR;
}

const EMPTY_F64 = new Float64Array(0);
const EMPTY_I32 = new Int32Array(0);
const EMPTY_I8 = new Int8Array(0);

/** One stretch of rows: the arrays (indexed by column; empty ones for other kinds), and where the rows are. */
export interface Segment {
  f64: Float64Array[];
  i32: Int32Array[];
  i8: Int8Array[];
  lines: Int32Array;
  base: number;
  rows: number;
}

/** The arrays of a table of `capacity` rows for columns of `kinds` (shared memory when `shared`). */
export function allocateColumns(
  kinds: Int8Array,
  capacity: number,
  shared: boolean,
): Omit<Segment, 'base' | 'rows'> {
  const make = <T>(Ctor: new (b: ArrayBufferLike) => T, bytes: number): T =>
    new Ctor(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const f64: Float64Array[] = [];
  const i32: Int32Array[] = [];
  const i8: Int8Array[] = [];
  for (const k of kinds) {
    f64.push(k === NUM || k === DATE ? make(Float64Array, 8 * capacity) : EMPTY_F64);
    i32.push(k === STR ? make(Int32Array, 4 * capacity) : EMPTY_I32);
    i8.push(k === BOOL ? make(Int8Array, capacity) : EMPTY_I8);
  }
  return { f64, i32, i8, lines: make(Int32Array, 4 * capacity) };
}

/** Appends rows to a region of shared column arrays, spilling into private segments when it is full. */
export class ColumnStore {
  f64: Float64Array[];
  i32: Int32Array[];
  i8: Int8Array[];
  lines: Int32Array;
  /** The current segment: rows go to `[base, base + cap)`; `rows` are filled. */
  base: number;
  cap: number;
  rows = 0;
  /** Full segments before the current one. */
  readonly done: Segment[] = [];

  constructor(
    readonly kinds: Int8Array,
    arrays: Omit<Segment, 'base' | 'rows'>,
    base: number,
    cap: number,
  ) {
    this.f64 = arrays.f64;
    this.i32 = arrays.i32;
    this.i8 = arrays.i8;
    this.lines = arrays.lines;
    this.base = base;
    this.cap = cap;
  }

  /** The slot of the next row (moving to a new segment first when the current one is full). */
  slot(): number {
    if (this.rows === this.cap) this.spill();
    return this.base + this.rows;
  }

  /** Moves on to a fresh private segment (the region is full: the sample underestimated the rows). */
  spill(): void {
    this.done.push(this.current());
    const cap = Math.max(65_536, this.cap);
    const a = allocateColumns(this.kinds, cap, false);
    this.f64 = a.f64;
    this.i32 = a.i32;
    this.i8 = a.i8;
    this.lines = a.lines;
    this.base = 0;
    this.cap = cap;
    this.rows = 0;
  }

  /** The segment being filled. */
  current(): Segment {
    return { f64: this.f64, i32: this.i32, i8: this.i8, lines: this.lines, base: this.base, rows: this.rows };
  }

  /** Every segment, in order. */
  segments(): Segment[] {
    return [...this.done, this.current()];
  }

  /** Rows stored. */
  get total(): number {
    let n = this.rows;
    for (const s of this.done) n += s.rows;
    return n;
  }
}

/** A part of the file's rows ready to be laid end to end with the others. */
export interface Piece {
  segments: Segment[];
  /** Added to every line number of the piece (parts parsed on a worker count lines from 1). */
  lineOffset: number;
  /** Per column: old code → final code (worker parts have dictionaries of their own), or null. */
  remap: (Int32Array | null)[];
}

/** The table's arrays (the regions the pieces were written into) and the pieces, in file order. */
export interface Assembly {
  kinds: Int8Array;
  names: readonly string[];
  types: readonly FieldType[];
  arrays: Omit<Segment, 'base' | 'rows'>;
  capacity: number;
  pieces: Piece[];
  dictionaries: (string[] | null)[];
}

/**
 * Lays the pieces' rows end to end and returns the columns, the datetime formats used and the
 * line of each row. Rows move left within the shared arrays (`copyWithin`) when every piece
 * stayed in its region; otherwise everything is copied into new arrays of the exact size.
 */
export function assembleColumns(a: Assembly): {
  columns: Column[];
  formats: Record<string, string>;
  rowLines: Int32Array;
} {
  const { kinds, arrays } = a;
  let total = 0;
  let inPlace = true;
  for (const p of a.pieces) {
    for (const s of p.segments) total += s.rows;
    if (p.segments.length > 1) inPlace = false;
  }
  const ncol = kinds.length;
  // Codes and line offsets first, in each segment where the rows are.
  for (const p of a.pieces) {
    for (const s of p.segments) {
      const end = s.base + s.rows;
      if (p.lineOffset !== 0) addTo(s.lines, s.base, end, p.lineOffset);
      for (let j = 0; j < ncol; j++) {
        const map = p.remap[j];
        if (map) remapCodes(s.i32[j], s.base, end, map);
      }
    }
  }
  let out = arrays;
  let size = a.capacity;
  if (inPlace) {
    let at = 0;
    for (const p of a.pieces) {
      const s = p.segments[0];
      if (s.base !== at && s.rows > 0) {
        for (let j = 0; j < ncol; j++) {
          if (kinds[j] === STR) s.i32[j].copyWithin(at, s.base, s.base + s.rows);
          else if (kinds[j] === BOOL) s.i8[j].copyWithin(at, s.base, s.base + s.rows);
          else s.f64[j].copyWithin(at, s.base, s.base + s.rows);
        }
        s.lines.copyWithin(at, s.base, s.base + s.rows);
      }
      at += s.rows;
    }
  } else {
    out = allocateColumns(kinds, total, true);
    size = total;
    let at = 0;
    for (const p of a.pieces) {
      for (const s of p.segments) {
        const e = s.base + s.rows;
        for (let j = 0; j < ncol; j++) {
          if (kinds[j] === STR) out.i32[j].set(s.i32[j].subarray(s.base, e), at);
          else if (kinds[j] === BOOL) out.i8[j].set(s.i8[j].subarray(s.base, e), at);
          else out.f64[j].set(s.f64[j].subarray(s.base, e), at);
        }
        out.lines.set(s.lines.subarray(s.base, e), at);
        at += s.rows;
      }
    }
  }
  const formats: Record<string, string> = {};
  const columns = a.names.map((name, j): Column => {
    const t = a.types[j];
    switch (kinds[j]) {
      case NUM:
        return { type: 'numeric', name, values: trim(out.f64[j], total, size) };
      case DATE:
        formats[name] = t.format ?? '%Y-%m-%d';
        return { type: 'datetime', name, values: trim(out.f64[j], total, size) };
      case BOOL:
        return { type: 'boolean', name, values: trim(out.i8[j], total, size) };
      default: {
        const codes = trim(out.i32[j], total, size);
        const dict = a.dictionaries[j] ?? [];
        if (t.unsniffed && !t.storage) {
          const p = promoteCodes(name, codes, dict);
          if (p.format) formats[name] = p.format;
          return p.column;
        }
        return finishCodes(name, codes, dict, t.storage);
      }
    }
  });
  return { columns, formats, rowLines: trim(out.lines, total, size) };
}

// The loops over rows, each in a function of its own: V8 compiles a long loop while it runs,
// without type feedback for the code after it, so loops left inline in assembleColumns had it
// deoptimised and compiled again once per loop.

/** a[i] += d for i in [from, to). */
function addTo(a: Int32Array, from: number, to: number, d: number): void {
  for (let i = from; i < to; i++) a[i] += d;
}

/** Dictionary codes in [from, to) mapped through `map` (missing, -1, stays). */
function remapCodes(c: Int32Array, from: number, to: number, map: Int32Array): void {
  for (let i = from; i < to; i++) {
    const k = c[i];
    if (k >= 0) c[i] = map[k];
  }
}

/** The first `n` values of `a` (capacity `cap`): a view when little is wasted, else an exact shared copy. */
function trim<T extends Float64Array | Int32Array | Int8Array>(a: T, n: number, cap: number): T {
  if (cap - n <= cap >> 3) return a.subarray(0, n) as T;
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(n * a.BYTES_PER_ELEMENT));
  (out as unknown as { set(x: T): void }).set(a.subarray(0, n) as T);
  return out;
}
