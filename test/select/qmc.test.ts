import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { Rng } from '../../src/core/rng.ts';
import { latinHypercube, SobolSequence } from '../../src/select/qmc.ts';
import { SOBOL_MAX_DIM } from '../../src/select/sobol-directions.ts';

// scipy.stats.qmc.Sobol(d, scramble=False) points, from scripts/oracles/sobol.py.
const fx = JSON.parse(readFileSync(new URL('../fixtures/select/sobol.json', import.meta.url), 'utf8')) as {
  first64_d8: number[][];
  first16_all: number[][];
  skip: { index: number; point: number[] }[];
};

/** Asserts that every one of `n` equal slices of [0, 1) holds exactly one of `xs`. */
function onePerSlice(xs: number[], n: number, what: string): void {
  const counts = new Int32Array(n);
  for (const x of xs) counts[Math.floor(x * n)]++;
  assert.deepEqual(Array.from(counts), new Array(n).fill(1), what);
}

describe('SobolSequence', () => {
  it("unscrambled, matches SciPy's points exactly (first 64 in 8 dimensions, first 16 in all 256)", () => {
    const s8 = new SobolSequence(8, { scramble: false });
    fx.first64_d8.forEach((p, i) => assert.deepEqual(Array.from(s8.point(i)), p, `point ${i}`));
    const all = new SobolSequence(SOBOL_MAX_DIM, { scramble: false });
    assert.equal(fx.first16_all[0].length, SOBOL_MAX_DIM);
    fx.first16_all.forEach((p, i) => assert.deepEqual(Array.from(all.point(i)), p, `point ${i}`));
  });

  it("unscrambled, point i far into the sequence is SciPy's after fast_forward(i)", () => {
    const s = new SobolSequence(12, { scramble: false });
    for (const c of fx.skip) assert.deepEqual(Array.from(s.point(c.index)), c.point, `index ${c.index}`);
    const out = new Float64Array(12);
    assert.equal(s.point(fx.skip[0].index, out), out);
    assert.deepEqual(Array.from(out), fx.skip[0].point);
  });

  it('scrambled, keeps the net: 2^m points from index 0 stratify every axis and the first two jointly', () => {
    for (const seed of [0, 1, 2, 3]) {
      const s = new SobolSequence(6, { rng: new Rng(seed) });
      for (let m = 1; m <= 7; m++) {
        const n = 2 ** m;
        const pts = Array.from({ length: n }, (_, i) => s.point(i));
        for (let d = 0; d < 6; d++) {
          onePerSlice(
            pts.map((p) => p[d]),
            n,
            `seed ${seed}, ${n} points, axis ${d}`,
          );
        }
        // Dimensions 0 and 1 form a (0, m, 2)-net: every 2^k × 2^(m−k) grid has one point per cell.
        for (let k = 0; k <= m; k++) {
          const cells = new Set(
            pts.map((p) => Math.floor(p[0] * 2 ** k) * 2 ** (m - k) + Math.floor(p[1] * 2 ** (m - k))),
          );
          assert.equal(cells.size, n, `seed ${seed}, ${n} points, ${2 ** k} × ${2 ** (m - k)} grid`);
        }
      }
    }
  });

  it('scrambled, is reproducible for a seed, differs between seeds, and each point is uniform', () => {
    const a = new SobolSequence(5, { rng: new Rng(7) });
    const b = new SobolSequence(5, { rng: new Rng(7) });
    const c = new SobolSequence(5, { rng: new Rng(8) });
    for (let i = 0; i < 20; i++) assert.deepEqual(a.point(i), b.point(i));
    assert.notDeepEqual(a.point(0), c.point(0));
    // Over many scrambles, point 3 (any point) is uniform on the cube: each coordinate's quartiles
    // get a quarter of 4000 draws (binomial sd ≈ 27; 5 sd allowed).
    const counts = Array.from({ length: 5 }, () => new Int32Array(4));
    const rng = new Rng(11);
    for (let r = 0; r < 4000; r++) {
      const p = new SobolSequence(5, { rng }).point(3);
      for (let d = 0; d < 5; d++) counts[d][Math.floor(p[d] * 4)]++;
    }
    for (const row of counts)
      for (const k of row) assert.ok(Math.abs(k - 1000) < 5 * 27.4, `quartile count ${k}`);
    // Unscrambled it starts at the origin; scrambled, point 0 is a random shift, not 0.
    assert.deepEqual(Array.from(new SobolSequence(3, { scramble: false }).point(0)), [0, 0, 0]);
    assert.ok(a.scrambled && a.point(0).some((x) => x > 0));
  });

  it('rejects a bad dimension, index or missing generator, naming the field', () => {
    for (const dim of [0, -1, 1.5, SOBOL_MAX_DIM + 1, Number.NaN]) {
      assert.throws(
        () => new SobolSequence(dim, { scramble: false }),
        (e: unknown) =>
          e instanceof ValidationError && e.field === 'dim' && /dim must be an integer/.test(e.message),
      );
    }
    assert.throws(
      () => new SobolSequence(2),
      (e: unknown) => e instanceof ValidationError && e.field === 'rng' && /needs an rng/.test(e.message),
    );
    const s = new SobolSequence(2, { scramble: false });
    for (const index of [-1, 0.5, 2 ** 30, Number.POSITIVE_INFINITY]) {
      assert.throws(
        () => s.point(index),
        (e: unknown) => e instanceof ValidationError && e.field === 'index',
      );
    }
    assert.doesNotThrow(() => s.point(2 ** 30 - 1));
  });
});

describe('latinHypercube', () => {
  it('puts one point in each of n slices of every axis, reproducibly for a seed', () => {
    for (const [n, dim] of [
      [10, 5],
      [1, 3],
      [37, 2],
    ]) {
      const x = latinHypercube(n, dim, new Rng(n));
      assert.equal(x.length, n * dim);
      for (let d = 0; d < dim; d++) {
        onePerSlice(
          Array.from({ length: n }, (_, i) => x[i * dim + d]),
          n,
          `n ${n}, axis ${d}`,
        );
      }
      assert.deepEqual(latinHypercube(n, dim, new Rng(n)), x);
    }
    assert.notDeepEqual(latinHypercube(10, 2, new Rng(1)), latinHypercube(10, 2, new Rng(2)));
  });

  it('rejects a bad size, naming the field', () => {
    assert.throws(
      () => latinHypercube(0, 2, new Rng(0)),
      (e: unknown) => e instanceof ValidationError && e.field === 'n',
    );
    assert.throws(
      () => latinHypercube(3, 1.5, new Rng(0)),
      (e: unknown) => e instanceof ValidationError && e.field === 'dim',
    );
  });
});
