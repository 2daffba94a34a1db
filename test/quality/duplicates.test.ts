import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/core/rng.ts';
import {
  booleanColumn,
  type Column,
  categoricalColumn,
  cellValue,
  datetimeColumn,
  numericColumn,
  textColumn,
} from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { findDuplicateRows } from '../../src/quality/duplicates.ts';

/** The obvious O(n²) definition: row i repeats the first earlier row equal in every column (missing = missing). */
function naive(t: Table): { count: number; pairs: [number, number][] } {
  const key = (c: Column, i: number) => {
    const v = cellValue(c, i);
    return v instanceof Date ? v.getTime() : v;
  };
  const pairs: [number, number][] = [];
  for (let i = 0; i < t.nRows; i++) {
    for (let j = 0; j < i; j++) {
      if (t.columns.every((c) => Object.is(key(c, i), key(c, j)) || key(c, i) === key(c, j))) {
        pairs.push([i, j]);
        break;
      }
    }
  }
  return { count: pairs.length, pairs };
}

describe('findDuplicateRows', () => {
  it('agrees with the pairwise definition on random tables of every column type', () => {
    const rng = new Rng(9);
    for (let trial = 0; trial < 25; trial++) {
      const n = 20 + rng.int(120);
      const pick = <T>(xs: T[]) => xs[rng.int(xs.length)];
      const t = new Table([
        numericColumn(
          'x',
          Array.from({ length: n }, () => pick([1, 2, 2.5, null, -1])),
        ),
        categoricalColumn(
          'c',
          Array.from({ length: n }, () => pick(['a', 'b', null])),
        ),
        booleanColumn(
          'b',
          Array.from({ length: n }, () => pick([true, false, null])),
        ),
        textColumn(
          't',
          Array.from({ length: n }, () => pick(['u', 'v', null])),
        ),
        datetimeColumn(
          'd',
          Array.from({ length: n }, () => pick([0, 86_400_000, null])),
        ),
      ]);
      const got = findDuplicateRows(t);
      const want = naive(t);
      assert.equal(got.count, want.count, `trial ${trial}`);
      assert.deepEqual(
        got.examples.map((e) => [e.row, e.sameAs]),
        want.pairs.slice(0, 5),
      );
    }
  });

  it('agrees with a keyed reference on a table split into many hash groups (and six float columns)', () => {
    const rng = new Rng(21);
    const n = 40_000;
    const pick = <T>(xs: T[]) => xs[rng.int(xs.length)];
    const floats = Array.from({ length: 6 }, (_, j) =>
      numericColumn(
        `x${j}`,
        Array.from({ length: n }, () => pick([0, -0, 1.5, null, j, 1e300, -2])),
      ),
    );
    const t = new Table([
      ...floats,
      categoricalColumn(
        'c',
        Array.from({ length: n }, () => pick(['a', 'b', null])),
      ),
    ]);
    const first = new Map<string, number>();
    const pairs: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      const key = t.columns.map((c) => String(cellValue(c, i) === 0 ? 0 : cellValue(c, i))).join('|');
      const j = first.get(key);
      if (j === undefined) first.set(key, i);
      else pairs.push([i, j]);
    }
    const got = findDuplicateRows(t);
    assert.ok(pairs.length > 100 && pairs.length < n - 100);
    assert.equal(got.count, pairs.length);
    assert.deepEqual(
      got.examples.map((e) => [e.row, e.sameAs]),
      pairs.slice(0, 5),
    );
    // With scratch arrays: the same answer.
    const scratch = { hashes: new Int32Array(n), pairs: new Int32Array(2 * n) };
    assert.deepEqual(findDuplicateRows(t, [], scratch), got);
  });

  it('treats -0 as 0 and every NaN bit pattern as the same missing value', () => {
    const x = new Float64Array(4);
    const bits = new Uint32Array(x.buffer);
    x[0] = 0;
    x[1] = -0;
    bits[4] = 1; // row 2: a NaN with a payload …
    bits[5] = 0x7ff00000;
    x[3] = Number.NaN; // … row 3: the canonical NaN
    assert.ok(Number.isNaN(x[2]));
    const t = new Table([{ type: 'numeric', name: 'x', values: x }]);
    assert.deepEqual(findDuplicateRows(t), {
      count: 2,
      examples: [
        { row: 1, sameAs: 0 },
        { row: 3, sameAs: 2 },
      ],
    });
  });

  it('never counts a hash collision: distinct rows stay distinct', () => {
    const n = 50_000;
    const t = new Table([
      numericColumn(
        'i',
        Array.from({ length: n }, (_, i) => i),
      ),
      numericColumn(
        'j',
        Array.from({ length: n }, (_, i) => n - i),
      ),
    ]);
    assert.equal(findDuplicateRows(t).count, 0);
  });
});
