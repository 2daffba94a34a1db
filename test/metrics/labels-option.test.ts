// `labels` that is not an array gets a ValidationError naming the metric and the option.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { confusionMatrix } from '../../src/metrics/confusion.ts';
import { logLoss } from '../../src/metrics/probabilistic.ts';

describe('labels option', () => {
  it('logLoss refuses a string', () => {
    assert.throws(
      () => logLoss([0, 1, 0, 1], [0.2, 0.7, 0.1, 0.9], { labels: 'x' as never }),
      (e) => e instanceof ValidationError && /^logLoss: labels must be an array/.test(e.message),
    );
  });
  it('confusionMatrix refuses an object', () => {
    assert.throws(
      () => confusionMatrix([0, 1], [0, 1], { labels: { a: 1 } as never }),
      (e) => e instanceof ValidationError && /labels must be an array/.test(e.message),
    );
  });
});
