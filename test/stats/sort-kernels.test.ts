// sortPresentInto against the built-in sort, on data that takes each of its routes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/core/rng.ts';
import { sortPresentInto } from '../../src/stats/sort-kernels.ts';

/** The non-NaN values, -0 as 0, sorted by the built-in sort (which orders -0 before 0). */
function reference(x: Float64Array): Float64Array {
  return Float64Array.from(x.filter((v) => v === v).map((v) => v + 0)).sort();
}

function check(x: Float64Array, what: string): void {
  const want = reference(x);
  const out = new Float64Array(x.length + 3).fill(42);
  const tmp = new Float64Array(x.length);
  const m = sortPresentInto(x, out, tmp);
  assert.equal(m, want.length, `${what}: count`);
  for (let i = 0; i < m; i++)
    assert.ok(Object.is(out[i], want[i]), `${what}: position ${i}: ${out[i]} vs ${want[i]}`);
  // With rows: the same values, and each row points at its value.
  const rows = new Int32Array(x.length);
  const tmpRows = new Int32Array(x.length);
  const out2 = new Float64Array(x.length);
  assert.equal(sortPresentInto(x, out2, tmp, rows, tmpRows), m);
  const seen = new Uint8Array(x.length);
  for (let i = 0; i < m; i++) {
    assert.ok(Object.is(out2[i], want[i]), `${what} (rows): position ${i}`);
    assert.equal(x[rows[i]] + 0, out2[i], `${what}: row ${rows[i]} holds ${x[rows[i]]}, not ${out2[i]}`);
    assert.equal(seen[rows[i]], 0, `${what}: row ${rows[i]} twice`);
    seen[rows[i]] = 1;
  }
}

describe('sortPresentInto', () => {
  const rng = new Rng(7);
  const n = 50_000;
  const make = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
  const cases: [string, Float64Array][] = [
    [
      'normal, 4 decimals, 5% missing',
      make(() => (rng.random() < 0.05 ? Number.NaN : Math.round(rng.normal() * 3e4) / 1e4)),
    ],
    ['uniform doubles', make(() => rng.random() * 2 - 1)],
    ['two values', make(() => rng.int(2))],
    ['constant', make(() => 7)],
    ['all missing', make(() => Number.NaN)],
    ['signed zeros and tiny values', make(() => [0, -0, 5e-324, -5e-324, 1e-300, -1][rng.int(6)])],
    [
      'infinities',
      make(() => [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, rng.normal(), Number.NaN][rng.int(4)]),
    ],
    ['heavy tail with a sentinel', make(() => (rng.random() < 0.001 ? 1e9 : Math.exp(3 * rng.normal())))],
    ['timestamps (ms) within an hour', make(() => 1.7e12 + rng.int(3_600_000))],
    [
      'timestamps with a far sentinel',
      make(() => (rng.random() < 0.01 ? 1e300 : 1.7e12 + rng.int(3_600_000))),
    ],
    ['huge range', make(() => (rng.random() < 0.5 ? -1 : 1) * 10 ** (rng.random() * 600 - 300))],
    ['max magnitudes', make(() => [Number.MAX_VALUE, -Number.MAX_VALUE, 0, 1][rng.int(4)])],
    ['sorted', make((i) => i * 0.5)],
    ['reversed', make((i) => -i)],
    ['small array', Float64Array.of(3, Number.NaN, -0, 1, 2, -5)],
  ];
  for (const [what, x] of cases) it(what, () => check(x, what));
  it('rejects buffers that are too short', () => {
    assert.throws(
      () => sortPresentInto(Float64Array.of(1, 2, 3), new Float64Array(2), new Float64Array(3)),
      /buffers/,
    );
  });
});
