// Bad samples given to the descriptive and correlation functions get a ValidationError naming the
// argument, not a TypeError from inside the loop or a silent NaN.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { pearsonCorrelation, rankData, spearmanCorrelation } from '../../src/stats/correlation.ts';
import { describe as describeSample, mean, mode, variance } from '../../src/stats/descriptive.ts';

const bad: unknown[] = [
  undefined,
  null,
  'abc',
  { a: 1 },
  ['a', 'b'],
  [1, { a: 1 }, 3],
  [1, null, 3],
  [1, undefined, 3],
];

describe('sample checks', () => {
  it('descriptive functions reject non-numeric samples by name', () => {
    for (const fn of [mean, variance, mode, describeSample, rankData]) {
      for (const x of bad)
        assert.throws(
          () => fn(x as never),
          (e) => e instanceof ValidationError && /\bx\b/.test(e.message),
        );
    }
  });
  it('correlations name the bad argument', () => {
    assert.throws(
      () => pearsonCorrelation([1, 2, 3], null as never),
      (e) => e instanceof ValidationError && /\by\b/.test(e.message),
    );
    assert.throws(
      () => spearmanCorrelation(undefined as never, [1, 2]),
      (e) => e instanceof ValidationError && /\bx\b/.test(e.message),
    );
  });
  it('still treats NaN as missing', () => {
    assert.equal(mean([1, Number.NaN, 3]), 2);
  });
});
