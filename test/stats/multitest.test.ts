import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adjustPValues, type PAdjustMethod } from '../../src/stats/multitest.ts';
import { assertAllClose } from './fixture.ts';
import { tests } from './tests-fixture.ts';

describe('adjustPValues (statsmodels multipletests)', () => {
  for (const [method, want] of Object.entries(tests.multitest.methods)) {
    it(method, () => {
      const r = adjustPValues(tests.multitest.p, { method: method as PAdjustMethod, alpha: 0.05 });
      assertAllClose(r.adjusted, want.adjusted, 'adjusted', 1e-14);
      assert.deepEqual(r.reject, want.reject);
    });
  }

  it('rejects p-values outside [0, 1] or missing', () => {
    assert.throws(
      () => adjustPValues([0.1, Number.NaN]),
      /pValues\[1\] is NaN; p-values must be in \[0, 1\]/,
    );
    assert.throws(() => adjustPValues([0.1], { method: 'sidak' as never }), /unknown method "sidak"/);
  });

  it('says what to fix: missing p-values are dropped, out-of-range ones are not p-values', () => {
    assert.throws(() => adjustPValues([0.1, Number.NaN]), /Fix: drop the missing p-values/);
    // 1.5 is not missing: the fix must not tell the user to drop missing values
    assert.throws(
      () => adjustPValues([0.01, 1.5]),
      (e: Error) =>
        /pValues\[1\] is 1\.5/.test(e.message) && /not test statistics or percentages/.test(e.message),
    );
  });
});
