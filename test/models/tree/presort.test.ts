import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matrix } from '../../../src/core/matrix.ts';
import { Rng } from '../../../src/core/rng.ts';
import { ARENA_BASE, KernelArena } from '../../../src/models/tree/kernel-arena.ts';
import { columnMajor, rankColumns } from '../../../src/models/tree/presort.ts';

/** The straightforward version: sort each column's row indices by value, ties by row. */
function naive(data: Float64Array, n: number, d: number) {
  const rank = new Int32Array(n * d);
  const order = new Int32Array(n * d);
  const distinct: number[] = [];
  const start = [0];
  const close: number[] = [];
  for (let j = 0; j < d; j++) {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => data[a * d + j] - data[b * d + j] || a - b);
    let r = -1;
    let prev = Number.NaN;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const v = data[idx[i] * d + j];
      if (r < 0 || v !== prev) {
        if (r >= 0 && !(v > prev + 1e-7)) c = 1;
        r++;
        distinct.push(v);
        prev = v;
      }
      rank[j * n + idx[i]] = r;
      order[j * n + i] = idx[i];
    }
    start.push(distinct.length);
    close.push(c);
  }
  return { rank, order, distinct, start, close };
}

/** Mixed columns: ties, signs, -0, infinities, a constant, values closer than 1e-7, subnormals. */
function mixed(rng: Rng, n: number, d: number): Float64Array {
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    data[i * d] = rng.normal() * 1e3; // continuous, both signs
    data[i * d + 1] = rng.int(5) - 2; // few integers, -0 below
    data[i * d + 2] = [0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-300][rng.int(5)];
    data[i * d + 3] = 7; // constant
    data[i * d + 4] = 1 + rng.int(3) * 5e-8; // values closer than 1e-7
    data[i * d + 5] = rng.random() < 0.5 ? -rng.random() * 1e-310 : rng.random(); // subnormals
    if (data[i * d + 1] === 0 && rng.random() < 0.5) data[i * d + 1] = -0;
  }
  return data;
}

describe('rankColumns', () => {
  it('ranks in a kernel arena (the WebAssembly twin) exactly as in TypeScript', () => {
    const rng = new Rng(4);
    for (const n of [1, 2, 7, 300, 5000]) {
      const d = 6;
      const m = matrix(mixed(rng, n, d), n, d);
      for (const order of [true, false]) {
        const ts = rankColumns(m, { order, shared: false });
        const arena = KernelArena.create(n * (d * 16 + 8))!;
        const wasm = rankColumns(m, { order, shared: false, arena });
        assert.ok(wasm.rank.byteOffset >= ARENA_BASE, 'laid out in the arena');
        assert.deepEqual(wasm.rank, ts.rank, `rank n=${n}`);
        assert.deepEqual(wasm.order, ts.order, `order n=${n}`);
        assert.deepEqual(wasm.start, ts.start, `start n=${n}`);
        assert.deepEqual(wasm.close, ts.close, `close n=${n}`);
        // The same bits (+0 for -0 on both sides).
        assert.deepEqual(
          new Uint8Array(wasm.distinct.slice().buffer),
          new Uint8Array(ts.distinct.slice().buffer),
        );
      }
    }
  });

  it('matches a comparison sort on mixed columns (ties, signs, -0, infinities, close values)', () => {
    const rng = new Rng(3);
    for (const n of [1, 2, 7, 300, 5000]) {
      const d = 6;
      const data = mixed(rng, n, d);
      const m = matrix(data, n, d);
      const got = rankColumns(m, { order: true, shared: false });
      const want = naive(data, n, d);
      assert.deepEqual(got.rank, want.rank, `rank n=${n}`);
      assert.deepEqual(got.order, want.order, `order n=${n}`);
      assert.deepEqual(Array.from(got.start), want.start, `start n=${n}`);
      assert.deepEqual(Array.from(got.close), want.close, `close n=${n}`);
      // -0 and 0 are one value; compare with === (deepEqual tells them apart).
      assert.equal(got.distinct.length, want.distinct.length);
      for (let i = 0; i < want.distinct.length; i++) assert.ok(got.distinct[i] === want.distinct[i]);
      if (n === 5000) assert.equal(got.start[4] - got.start[3], 1, 'a constant column has one value');
    }
  });

  it('leaves the order out unless asked, and can put everything in shared memory', () => {
    const m = matrix(Float64Array.from([3, 1, 2, 2, 1, 3]), 3, 2);
    const r = rankColumns(m, { order: false, shared: true });
    assert.equal(r.order, null);
    assert.ok(r.rank.buffer instanceof SharedArrayBuffer);
    assert.ok(r.distinct.buffer instanceof SharedArrayBuffer);
    // Column 0 holds 3, 2, 1; column 1 holds 1, 2, 3.
    assert.deepEqual(Array.from(r.rank), [2, 1, 0, 0, 1, 2]);
    assert.deepEqual(Array.from(r.distinct), [1, 2, 3, 1, 2, 3]);
    assert.deepEqual(Array.from(r.start), [0, 3, 6]);
  });
});

describe('columnMajor', () => {
  it('transposes across block boundaries', () => {
    const n = 600;
    const d = 3;
    const data = Float64Array.from({ length: n * d }, (_, i) => i);
    const c = columnMajor(matrix(data, n, d));
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) assert.equal(c[j * n + i], data[i * d + j]);
  });
});
