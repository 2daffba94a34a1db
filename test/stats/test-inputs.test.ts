// Hypothesis tests given a missing or non-array argument answer with a ValidationError naming it,
// not "Cannot read properties of undefined (reading 'length')".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { chiSquareGoodnessOfFit } from '../../src/stats/contingency.ts';
import { delongTest } from '../../src/stats/model-comparison.ts';
import { tTestOneSample } from '../../src/stats/t-test.ts';
import { formatTestResult } from '../../src/stats/test-result.ts';

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

describe('formatTestResult', () => {
  it('formats what a test returns, and refuses anything else naming r (was a TypeError)', () => {
    const text = formatTestResult(tTestOneSample([1, 2, 3, 4], { mu: 0 }));
    assert.match(text, /p-value/);
    for (const bad of [undefined, null, [1, 2], { statistic: 1 }, 'x'])
      assert.throws(
        () => formatTestResult(bad as never),
        (e: unknown) =>
          e instanceof ValidationError && e.field === 'r' && /must be a TestResult/.test(e.message),
      );
  });
});
