// Model-comparison and permutation tests name a missing argument instead of throwing a TypeError.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { mcnemarTest, pairedTTest5x2cv } from '../../src/stats/model-comparison.ts';
import { permutationTest } from '../../src/stats/permutation.ts';

const named = (field: string) => (e: unknown) => e instanceof ValidationError && e.field === field;

describe('comparison argument checks', () => {
  it('mcnemarTest', () => {
    assert.throws(() => mcnemarTest(undefined as never, [0, 1], [0, 1]), named('yTrue'));
    assert.throws(() => mcnemarTest([0, 1], null as never, [0, 1]), named('predA'));
  });
  it('pairedTTest5x2cv', () => {
    assert.throws(() => pairedTTest5x2cv(null as never, new Array(10).fill(0.5)), named('scoresA'));
  });
  it('permutationTest', () => {
    assert.throws(() => permutationTest(undefined as never, (a) => a[0]), named('samples'));
    assert.throws(
      () =>
        permutationTest(
          [
            [1, 2],
            [3, 4],
          ],
          'mean' as never,
        ),
      named('statistic'),
    );
  });
});
