/**
 * Exact duplicate rows, found by hashing: every row gets a 32-bit hash (multiply–xorshift) built
 * column by column — sequential passes over each typed array, no row objects — then the rows are
 * split by the top bits of their finalised hash into about a thousand groups (one counting pass,
 * one scatter pass, rows in order within a group), and each group, small enough for the cache,
 * goes through an open-addressing table of row indices that finds the first earlier row with
 * the same hash. The two rows are then compared value by value, so a hash collision never counts
 * as a duplicate (and the count and the examples do not depend on the hash).
 *
 * Missing equals missing, as in pandas' `DataFrame.duplicated()`.
 *
 * @module
 */

import type { Column } from '../data/column.ts';
import type { Table } from '../data/table.ts';
import type { DuplicateExample } from './report.ts';

/** The result of {@link findDuplicateRows}. */
export interface DuplicateRows {
  /** Rows equal to an earlier row. */
  count: number;
  /** The first few: a duplicate row and the earlier row it repeats (0-based). */
  examples: DuplicateExample[];
  /** When asked for (`mark`): 1 for every row equal to an earlier row, 0 for the others. */
  marks?: Uint8Array;
}

/** A column's per-row integer keys: two words for floats, one for codes. */
type Keyed =
  | { kind: 'f64'; values: Float64Array }
  | { kind: 'i32'; values: Int32Array }
  | { kind: 'i8'; values: Int8Array };

function keyed(c: Column, textCodes: Int32Array | null): Keyed {
  switch (c.type) {
    case 'numeric':
    case 'datetime':
      return { kind: 'f64', values: c.values };
    case 'categorical':
      return { kind: 'i32', values: c.codes };
    case 'boolean':
      return { kind: 'i8', values: c.values };
    case 'text': {
      if (textCodes) return { kind: 'i32', values: textCodes };
      const ids = new Map<string | null, number>();
      const codes = new Int32Array(c.values.length);
      c.values.forEach((s, i) => {
        let k = ids.get(s);
        if (k === undefined) ids.set(s, (k = ids.size));
        codes[i] = k;
      });
      return { kind: 'i32', values: codes };
    }
  }
}

/** Folds a 32-bit key into a running hash (multiply–xorshift; the grouping applies a full finaliser). */
function mix(h: number, k: number): number {
  h = Math.imul(h ^ k, 0x9e3779b1);
  return h ^ (h >>> 15);
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * A float's 32-bit key from its two words, made canonical so that equal values key equally: -0
 * as 0, every NaN as one NaN (both rare, so the branches predict well).
 */
function floatKey(lo: number, hi: number): number {
  if ((hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) | lo) !== 0) return 0x7ff80000;
  if (hi === 0x80000000 && lo === 0) return 0;
  return lo ^ Math.imul(hi, 0x27d4eb2f);
}

function sameRow(cols: Keyed[], i: number, j: number): boolean {
  for (const c of cols) {
    if (c.kind === 'f64') {
      const a = c.values[i];
      const b = c.values[j];
      if (a !== b && (a === a || b === b)) return false;
    } else if (c.values[i] !== c.values[j]) return false;
  }
  return true;
}

/**
 * Work space for {@link findDuplicateRows}: `hashes` of at least `n` and `pairs` of at least
 * `2n` elements for a table of `n` rows (smaller ones are not used).
 */
export interface DuplicateScratch {
  hashes: Int32Array;
  pairs: Int32Array;
}

/** Rows per group, about: a group's table (twice as many slots) stays in the first-level cache. */
const GROUP_ROWS = 1024;

/**
 * Counts the rows of `table` that repeat an earlier row exactly. `textCodes[j]`, when given,
 * holds per-row codes for text column `j` (saves hashing the strings again); `scratch` saves
 * allocating the work arrays; `mark` asks for {@link DuplicateRows.marks} (every duplicate row).
 */
export function findDuplicateRows(
  table: Table,
  textCodes: (Int32Array | null)[] = [],
  scratch?: DuplicateScratch,
  mark = false,
): DuplicateRows {
  const n = table.nRows;
  if (n < 2 || table.nCols === 0)
    return { count: 0, examples: [], ...(mark ? { marks: new Uint8Array(n) } : {}) };
  const cols = table.columns.map((c, j) => keyed(c, textCodes[j] ?? null));
  const h1 = scratch && scratch.hashes.length >= n ? scratch.hashes.subarray(0, n) : new Int32Array(n);
  h1.fill(0x2545f491);
  // Floats four columns per pass over the rows (the hashes are read and written once per four).
  // Every loop is a function of its own: V8 optimises a loop while it runs (on-stack
  // replacement), without type feedback for the code after it.
  const floats = cols.flatMap((c) =>
    c.kind === 'f64' ? [new Uint32Array(c.values.buffer, c.values.byteOffset, 2 * n)] : [],
  );
  let f = 0;
  for (; f + 4 <= floats.length; f += 4)
    hashFloats4(h1, floats[f], floats[f + 1], floats[f + 2], floats[f + 3]);
  for (; f < floats.length; f++) hashFloats(h1, floats[f]);
  for (const c of cols) if (c.kind !== 'f64') hashInts(h1, c.values);
  // Group the rows by the top bits of their finalised hash, each group in row order.
  let bits = 0;
  while (bits < 16 && n >>> bits > GROUP_ROWS) bits++;
  const groups = 1 << bits;
  const start = new Int32Array(groups + 1);
  finalise(h1, start, 32 - bits, groups - 1);
  let largest = 0;
  for (let g = 0; g < groups; g++) {
    largest = Math.max(largest, start[g + 1]);
    start[g + 1] += start[g];
  }
  const pairs = scratch && scratch.pairs.length >= 2 * n ? scratch.pairs : new Int32Array(2 * n);
  scatterPairs(h1, pairs, start.slice(0, groups), 32 - bits, groups - 1);
  let size = 2;
  while (size < 2 * largest) size <<= 1;
  const slots = new Int32Array(size);
  // The first few duplicates in row order (groups are visited out of row order).
  const found: DuplicateRows = { count: 0, examples: [], ...(mark ? { marks: new Uint8Array(n) } : {}) };
  for (let g = 0; g < groups; g++) {
    if (start[g + 1] - start[g] >= 2) probeGroup(cols, pairs, start[g], start[g + 1], slots, found);
  }
  return found;
}

function hashFloats4(
  h1: Int32Array,
  w0: Uint32Array,
  w1: Uint32Array,
  w2: Uint32Array,
  w3: Uint32Array,
): void {
  const n = h1.length;
  for (let i = 0; i < n; i++) {
    let h = h1[i];
    h = mix(h, floatKey(w0[2 * i], w0[2 * i + 1]));
    h = mix(h, floatKey(w1[2 * i], w1[2 * i + 1]));
    h = mix(h, floatKey(w2[2 * i], w2[2 * i + 1]));
    h1[i] = mix(h, floatKey(w3[2 * i], w3[2 * i + 1]));
  }
}

function hashFloats(h1: Int32Array, w: Uint32Array): void {
  const n = h1.length;
  for (let i = 0; i < n; i++) h1[i] = mix(h1[i], floatKey(w[2 * i], w[2 * i + 1]));
}

function hashInts(h1: Int32Array, v: Int32Array | Int8Array): void {
  const n = h1.length;
  for (let i = 0; i < n; i++) h1[i] = mix(h1[i], v[i]);
}

/** Applies the finaliser to every hash and counts the rows of each group (into `start[g + 1]`). */
function finalise(h1: Int32Array, start: Int32Array, shift: number, gmask: number): void {
  const n = h1.length;
  for (let i = 0; i < n; i++) {
    const f = fmix(h1[i]);
    h1[i] = f;
    start[((f >>> shift) & gmask) + 1]++; // (a shift by 32 is a shift by 0: the mask is then 0)
  }
}

/** (hash, row) pairs grouped by the hash's top bits, rows ascending within each group. */
function scatterPairs(
  h1: Int32Array,
  pairs: Int32Array,
  next: Int32Array,
  shift: number,
  gmask: number,
): void {
  const n = h1.length;
  for (let i = 0; i < n; i++) {
    const f = h1[i];
    const to = 2 * next[(f >>> shift) & gmask]++;
    pairs[to] = f;
    pairs[to + 1] = i;
  }
}

/** Probes the pairs `from`…`to` (one group) through `slots`, adding duplicates to `found`. */
function probeGroup(
  cols: Keyed[],
  pairs: Int32Array,
  from: number,
  to: number,
  slots: Int32Array,
  found: DuplicateRows,
): void {
  const mask = slots.length - 1;
  slots.fill(-1);
  for (let k = from; k < to; k++) {
    const a = pairs[2 * k];
    const i = pairs[2 * k + 1];
    let s = a & mask;
    for (;;) {
      const q = slots[s];
      if (q < 0) {
        slots[s] = k;
        break;
      }
      const j = pairs[2 * q + 1];
      if (pairs[2 * q] === a && sameRow(cols, i, j)) {
        found.count++;
        if (found.marks) found.marks[i] = 1;
        const examples = found.examples;
        if (examples.length < 5 || i < examples[4].row) {
          let at = examples.length;
          while (at > 0 && examples[at - 1].row > i) at--;
          examples.splice(at, 0, { row: i, sameAs: j });
          if (examples.length > 5) examples.pop();
        }
        break;
      }
      s = (s + 1) & mask;
    }
  }
}
