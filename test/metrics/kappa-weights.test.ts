// cohenKappaScore with weights summing to zero refuses them instead of returning NaN.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { cohenKappaScore } from '../../src/metrics/agreement.ts';

describe('cohenKappaScore sampleWeight', () => {
  it('refuses all-zero weights', () => {
    assert.throws(
      () => cohenKappaScore([0, 1, 0, 1], [0, 1, 1, 1], { sampleWeight: [0, 0, 0, 0] }),
      (e) => e instanceof ValidationError && e.field === 'sampleWeight' && /sums to zero/.test(e.message),
    );
  });
});
