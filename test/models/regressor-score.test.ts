// A regressor's score(X, y) checks y before computing R²: a NaN, a string, a short y or a number
// once gave a silent NaN or a stack overflow.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { LinearRegression } from '../../src/models/linear/index.ts';

describe('BaseRegressor.score', () => {
  const X = [[1], [2], [3], [4]];
  const y = [2, 4, 6, 8];
  const model = new LinearRegression().fit(X, y);
  it('rejects bad targets with a ValidationError naming y', () => {
    for (const bad of [[2, Number.NaN, 6, 8], [2, 'a', 6, 8], [2, 4], 5, 'abcd', [2, undefined, 6, 8]]) {
      assert.throws(
        () => model.score(X, bad as never),
        (e) => e instanceof ValidationError && /LinearRegression\.score: y/.test(e.message),
      );
    }
  });
  it('still scores good input', () => {
    assert.ok(Math.abs(model.score(X, y) - 1) < 1e-9);
  });
});
