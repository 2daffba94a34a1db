// crossValScore without an estimator says so instead of "Cannot read properties of null".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { crossValScore } from '../../src/select/cross-validate.ts';

describe('crossValScore estimator check', () => {
  it('refuses null', () => {
    assert.throws(
      () => crossValScore(null as never, [[1], [2], [3]], [0, 1, 0]),
      (e) =>
        e instanceof ValidationError && e.field === 'estimator' && /must be an estimator/.test(e.message),
    );
  });
});
