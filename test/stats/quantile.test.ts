import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { Rng } from '../../src/core/rng.ts';
import {
  quantile,
  quantileSorted,
  quantiles,
  sortedNonMissing,
  sortFloat64,
  sortFloat64WithIndex,
} from '../../src/stats/quantile.ts';

interface Fixture {
  ps: number[];
  cases: Record<string, { values: (number | null)[]; quantiles: (number | null)[] }>;
}
const fx = JSON.parse(
  readFileSync(new URL('../fixtures/stats/quantile.json', import.meta.url), 'utf8'),
) as Fixture;
const nums = (a: (number | null)[]) => Float64Array.from(a, (v) => (v === null ? Number.NaN : v));

/** Relative closeness, for values NumPy computed in the same order of operations. */
function close(actual: number, expected: number, rel = 1e-15): boolean {
  if (actual === expected) return true;
  return Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected));
}

describe('quantile (NumPy type 7, oracle)', () => {
  for (const [name, c] of Object.entries(fx.cases)) {
    it(`matches np.nanquantile on '${name}' (${c.values.length} values)`, () => {
      const x = nums(c.values);
      const got = quantiles(x, fx.ps);
      fx.ps.forEach((p, k) => {
        const want = c.quantiles[k] as number;
        assert.ok(close(got[k], want), `${name} p=${p}: got ${got[k]}, NumPy ${want}`);
        assert.ok(close(quantile(x, p), want));
      });
    });
  }

  it('the quartiles of 1..4 are 1.75, 2.5, 3.25', () => {
    assert.deepEqual(quantiles([4, 1, 3, 2], [0.25, 0.5, 0.75]), [1.75, 2.5, 3.25]);
  });

  it('gives NaN for no values (or only NaN)', () => {
    assert.ok(Number.isNaN(quantile([], 0.5)));
    assert.ok(Number.isNaN(quantile([Number.NaN, Number.NaN], 0.5)));
  });

  it('returns an infinite end point exactly where the quantile falls on it', () => {
    const x = [Number.NEGATIVE_INFINITY, 1, 2, 3, Number.POSITIVE_INFINITY];
    assert.equal(quantile(x, 0), Number.NEGATIVE_INFINITY);
    assert.equal(quantile(x, 0.5), 2);
    assert.equal(quantile(x, 1), Number.POSITIVE_INFINITY);
  });

  it('rejects a probability outside [0, 1], naming it', () => {
    assert.throws(
      () => quantile([1, 2], 1.5),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.match(e.message, /\[0, 1\].*1\.5/);
        return true;
      },
    );
    assert.throws(() => quantileSorted([1], Number.NaN), ValidationError);
  });
});

describe('sortFloat64 (radix sort)', () => {
  const rng = new Rng(7);
  const generators: Record<string, (i: number) => number> = {
    'mixed signs, wide range': () => (rng.random() - 0.3) * 10 ** rng.intBetween(-300, 300),
    integers: () => rng.intBetween(-50, 50),
    'zeros of both signs': (i) => (i % 3 === 0 ? -0 : i % 3 === 1 ? 0 : rng.normal()),
    infinities: (i) =>
      i % 100 === 0 ? Number.POSITIVE_INFINITY : i % 101 === 0 ? Number.NEGATIVE_INFINITY : rng.normal(),
    'all negative': () => -rng.random() * 1000,
    subnormals: () => (rng.random() - 0.5) * 1e-310,
    // Distinct values that agree in their high 32 bits defeat the two-pass shortcut: the
    // insertion sweep runs out of budget and the full four-pass sort takes over.
    'agreeing in the high 32 bits': () => 1 + rng.int(1 << 20) * 2 ** -40,
  };
  for (const [name, gen] of Object.entries(generators)) {
    it(`agrees with the built-in sort: ${name}`, () => {
      for (const n of [0, 1, 100, 5000, 70_000]) {
        const a = Float64Array.from({ length: n }, (_, i) => gen(i));
        const want = a.slice().sort();
        const got = sortFloat64(a.slice());
        for (let i = 0; i < n; i++) {
          // -0 and 0 are equal values; the built-in sort orders -0 first, the radix sort makes it 0.
          assert.ok(got[i] === want[i], `${name} n=${n} at ${i}: ${got[i]} vs ${want[i]}`);
        }
      }
    });
  }

  it('sortFloat64WithIndex carries the permutation along (an argsort)', () => {
    for (const n of [0, 1, 50, 3000, 80_000]) {
      const x = Float64Array.from({ length: n }, (_, i) =>
        i % 7 === 0 ? 1 + rng.int(1 << 20) * 2 ** -40 : (rng.random() - 0.4) * 10 ** rng.intBetween(-3, 3),
      );
      const a = x.slice();
      const idx = Int32Array.from({ length: n }, (_, i) => i);
      sortFloat64WithIndex(a, idx);
      const want = x.slice().sort();
      for (let i = 0; i < n; i++) {
        assert.equal(a[i], want[i]);
        assert.equal(x[idx[i]], a[i], `index ${i} points at its value`);
      }
      assert.equal(new Set(idx).size, n, 'a permutation');
    }
    assert.throws(
      () => sortFloat64WithIndex(new Float64Array(3), new Int32Array(2)),
      /3 values but 2 indices/,
    );
  });

  it('sorts in place and reuses a scratch buffer', () => {
    const a = Float64Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_007);
    const scratch = new Float64Array(20_000);
    const out = sortFloat64(a, scratch);
    assert.equal(out, a);
    for (let i = 1; i < a.length; i++) assert.ok(a[i - 1] <= a[i]);
  });

  it('sortedNonMissing drops NaN and leaves the input alone', () => {
    const x = [3, Number.NaN, 1, 2, Number.NaN];
    assert.deepEqual(Array.from(sortedNonMissing(x)), [1, 2, 3]);
    assert.equal(x.length, 5);
    assert.ok(Number.isNaN(x[1]));
  });
});
