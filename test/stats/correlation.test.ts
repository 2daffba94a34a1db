import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import {
  correlationMatrix,
  pearsonCorrelation,
  rankData,
  spearmanCorrelation,
} from '../../src/stats/correlation.ts';

type Nums = (number | null)[];
interface Fixture {
  pairs: Record<string, { x: Nums; y: Nums; pearson: number; spearman: number }>;
  ranks: Record<string, { x: Nums; ranks: Nums }>;
  matrix: { columns: string[]; data: Record<string, Nums>; pearson: Nums; spearman: Nums };
}
const fx = JSON.parse(
  readFileSync(new URL('../fixtures/stats/correlation.json', import.meta.url), 'utf8'),
) as Fixture;
const nums = (a: Nums) => Float64Array.from(a, (v) => (v === null ? Number.NaN : v));

// SciPy normalises before the dot product, pandas and Lathe divide at the end: they differ in
// the last few bits, never more than this.
const TOL = 1e-13;
function assertClose(actual: number, expected: number | null, what: string): void {
  if (expected === null) {
    assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`);
    return;
  }
  assert.ok(Math.abs(actual - expected) <= TOL, `${what}: got ${actual}, expected ${expected}`);
}

describe('rankData (scipy.stats.rankdata average / pandas rank)', () => {
  for (const [name, c] of Object.entries(fx.ranks)) {
    it(`matches on '${name}'`, () => {
      const got = rankData(nums(c.x));
      c.ranks.forEach((r, i) => assertClose(got[i], r, `${name}[${i}]`));
    });
  }
});

describe('pearsonCorrelation and spearmanCorrelation (SciPy oracle)', () => {
  for (const [name, c] of Object.entries(fx.pairs)) {
    it(`match scipy.stats on '${name}'`, () => {
      const x = nums(c.x);
      const y = nums(c.y);
      assertClose(pearsonCorrelation(x, y), c.pearson, `${name} pearson`);
      assertClose(spearmanCorrelation(x, y), c.spearman, `${name} spearman`);
    });
  }

  it('are NaN for a constant variable or fewer than two complete rows', () => {
    assert.ok(Number.isNaN(pearsonCorrelation([1, 1, 1], [1, 2, 3])));
    assert.ok(Number.isNaN(spearmanCorrelation([1, 2, 3], [5, 5, 5])));
    assert.ok(Number.isNaN(pearsonCorrelation([1, Number.NaN, 3], [Number.NaN, 2, Number.NaN])));
  });

  it('rejects arrays of different lengths, naming both lengths', () => {
    assert.throws(
      () => pearsonCorrelation([1, 2, 3], [1, 2]),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.match(e.message, /3 values but y has 2/);
        return true;
      },
    );
  });
});

describe('correlationMatrix (pandas DataFrame.corr, pairwise complete)', () => {
  const cols = fx.matrix.columns.map((c) => nums(fx.matrix.data[c]));
  const p = cols.length;
  for (const method of ['pearson', 'spearman'] as const) {
    it(`matches DataFrame.corr(method='${method}'), including NaN for a constant column`, () => {
      const got = correlationMatrix(cols, { method });
      const want = fx.matrix[method];
      for (let k = 0; k < p * p; k++) {
        const name = `${fx.matrix.columns[Math.floor(k / p)]}×${fx.matrix.columns[k % p]}`;
        assertClose(got[k], want[k], `${method} ${name}`);
      }
    });
  }

  it('agrees with the pairwise functions', () => {
    const m = correlationMatrix(cols, { method: 'spearman' });
    assert.equal(m[1], spearmanCorrelation(cols[0], cols[1]));
    const q = correlationMatrix(cols);
    assert.equal(q[2 * p + 3], pearsonCorrelation(cols[2], cols[3]));
  });

  it('rejects an unknown method', () => {
    assert.throws(
      () => correlationMatrix(cols, { method: 'kendall' as never }),
      /unknown method 'kendall'.*'pearson' or method: 'spearman'/,
    );
  });
});

describe('Pearson on huge and tiny magnitudes (scale-free)', () => {
  // Reference: r of the same data scaled to ordinary magnitudes. Before the fix, values ~1e150
  // (Σdx²·Σdy² overflows) gave 0, values ~1e200 (dx² overflows) and ~1e-200 (dx² underflows to 0,
  // as if constant) gave NaN.
  const x = [1, 2, 3, 4, 6, Number.NaN, 5];
  const y = [2, 1, 4, 3, 7, 8, Number.NaN];
  const r0 = pearsonCorrelation(x, y);
  const scaled = (v: number[], k: number) => v.map((a) => a * k);

  it('pearsonCorrelation gives the same r whatever the scale', () => {
    for (const [kx, ky] of [
      [1e150, 1],
      [1e150, 1e150],
      [1e200, 1e-200],
      [1e-200, 1e-160],
      [1e-310, 1],
      [1e300, 1e300],
    ]) {
      const r = pearsonCorrelation(scaled(x, kx), scaled(y, ky));
      assert.ok(Math.abs(r - r0) < 1e-14, `${kx}, ${ky}: ${r} vs ${r0}`);
    }
  });

  it('correlationMatrix (four pairs per sweep) agrees, and ±inf or a constant column is still NaN', () => {
    const cols = [scaled(x, 1e-200), scaled(y, 1e200), y, scaled(y, 1e-300), scaled(y, 1e150), x];
    const m = correlationMatrix(cols);
    for (const b of [1, 2, 3, 4]) assert.ok(Math.abs(m[b] - r0) < 1e-14, `entry ${b}: ${m[b]}`);
    assert.ok(Math.abs(m[5] - 1) < 1e-15);
    assert.ok(Number.isNaN(pearsonCorrelation([1e-200, 1e-200, 1e-200], [1, 2, 3])));
    assert.ok(Number.isNaN(pearsonCorrelation([1e200, Number.POSITIVE_INFINITY, 3e200], [1, 2, 3])));
  });
});
