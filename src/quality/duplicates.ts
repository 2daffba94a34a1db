/**
 * Exact duplicate rows, found by hashing: every row gets a 32-bit hash (multiply–xorshift) built
 * column by column — sequential passes over each typed array, no row objects — then an
 * open-addressing table of row indices finds the first earlier row with the same hash, and the
 * two rows are compared value by value, so a hash collision never counts as a duplicate (and the
 * count and the examples do not depend on the hash).
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

/** Folds a 32-bit key into a running hash (multiply–xorshift; the table lookup applies a full finaliser). */
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
 * Counts the rows of `table` that repeat an earlier row exactly. `textCodes[j]`, when given,
 * holds per-row codes for text column `j` (saves hashing the strings again).
 */
export function findDuplicateRows(table: Table, textCodes: (Int32Array | null)[] = []): DuplicateRows {
  const n = table.nRows;
  if (n < 2 || table.nCols === 0) return { count: 0, examples: [] };
  const cols = table.columns.map((c, j) => keyed(c, textCodes[j] ?? null));
  const h1 = new Int32Array(n).fill(0x2545f491);
  for (const c of cols) {
    if (c.kind === 'f64') {
      // Hash the bits, made canonical on the fly so that equal values hash equally: -0 as 0,
      // every NaN as one NaN (both rare, so the branches predict well).
      const w = new Uint32Array(c.values.buffer, c.values.byteOffset, 2 * n);
      for (let i = 0; i < n; i++) {
        let lo = w[2 * i];
        let hi = w[2 * i + 1];
        if ((hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) | lo) !== 0) {
          hi = 0x7ff80000;
          lo = 0;
        } else if (hi === 0x80000000 && lo === 0) hi = 0;
        h1[i] = mix(mix(h1[i], lo), hi);
      }
    } else {
      const v = c.values;
      for (let i = 0; i < n; i++) {
        const k = v[i];
        h1[i] = mix(h1[i], k);
      }
    }
  }
  let size = 1;
  while (size < 2 * n) size <<= 1;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  let count = 0;
  const examples: DuplicateExample[] = [];
  for (let i = 0; i < n; i++) {
    const a = h1[i];
    let s = fmix(a) & mask;
    for (;;) {
      const j = slots[s];
      if (j < 0) {
        slots[s] = i;
        break;
      }
      if (h1[j] === a && sameRow(cols, i, j)) {
        count++;
        if (examples.length < 5) examples.push({ row: i, sameAs: j });
        break;
      }
      s = (s + 1) & mask;
    }
  }
  return { count, examples };
}
