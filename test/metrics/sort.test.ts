import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/core/rng.ts';
import { argsortStable } from '../../src/metrics/sort.ts';

/** The reference: a comparison sort on (value, index). */
function reference(x: ArrayLike<number>): number[] {
  return Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a] - x[b] || a - b);
}

describe('argsortStable', () => {
  const rng = new Rng(11);
  const cases: [string, Float64Array][] = [
    ['small with ties', Float64Array.from({ length: 50 }, () => rng.int(5))],
    ['radix, continuous', Float64Array.from({ length: 5000 }, () => rng.normal())],
    ['radix, many ties', Float64Array.from({ length: 6000 }, () => Math.round(rng.normal() * 4) / 4)],
    ['radix, integers (low words all zero)', Float64Array.from({ length: 3000 }, () => rng.int(100) - 50)],
    [
      'radix, ±0, ±Infinity, tiny and huge values',
      Float64Array.from(
        { length: 4000 },
        (_, i) =>
          [0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 5e-324, -1e300, 1e300, rng.normal()][
            i % 8
          ],
      ),
    ],
    ['radix, constant', new Float64Array(2000).fill(0.25)],
  ];
  for (const [name, x] of cases) {
    it(`orders ${name} like a stable comparison sort`, () => {
      assert.deepEqual(Array.from(argsortStable(x)), reference(x));
    });
  }

  it('takes plain arrays and leaves the keys unchanged', () => {
    const x = Array.from({ length: 1500 }, () => rng.int(7) - 3 + (rng.random() < 0.1 ? -0 : 0));
    const before = x.slice();
    assert.deepEqual(Array.from(argsortStable(x)), reference(x));
    assert.deepEqual(x, before);
  });
});
