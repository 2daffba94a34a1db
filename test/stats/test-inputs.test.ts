// Hypothesis tests given a missing or non-array argument answer with a ValidationError naming it,
// not "Cannot read properties of undefined (reading 'length')".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { chiSquareGoodnessOfFit } from '../../src/stats/contingency.ts';
import { delongTest } from '../../src/stats/model-comparison.ts';

describe('test argument checks', () => {
  it('chiSquareGoodnessOfFit names observed', () => {
    for (const bad of [undefined, null, 'abc'])
      assert.throws(
        () => chiSquareGoodnessOfFit(bad as never),
        (e) => e instanceof ValidationError && e.field === 'observed',
      );
  });
  it('delongTest names yTrue and the scores', () => {
    assert.throws(
      () => delongTest(undefined as never, [0.1, 0.9], [0.2, 0.8]),
      (e) => e instanceof ValidationError && e.field === 'yTrue',
    );
    assert.throws(
      () => delongTest([0, 1], undefined as never, [0.2, 0.8]),
      (e) => e instanceof ValidationError && e.field === 'scoresA',
    );
  });
});
