// cohenKappaScore with weights summing to zero refuses them instead of returning NaN; positive
// weights on samples that labels leaves out give scikit-learn's NaN.
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
  it('gives NaN, as scikit-learn, when labels leaves out every weighted sample', () => {
    // Weights sum to 2, but the one weighted sample ('é', 'B') has a true label outside labels.
    const kappa = cohenKappaScore(['a', 'é'], ['a', 'B'], { sampleWeight: [0, 2], labels: ['B', 'a'] });
    assert.ok(Number.isNaN(kappa));
    const unweighted = cohenKappaScore(['a', 'é'], ['é', 'B'], { labels: ['B', 'a'] });
    assert.ok(Number.isNaN(unweighted));
  });
});
