// allFinite's branch-free check (the sum of x · 0) and assertFinite's error, which it guards.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RowValueError } from '../../src/core/errors.ts';
import { allFinite, assertFinite, assertNoInfinity, matrix } from '../../src/core/matrix.ts';

describe('allFinite', () => {
  it('is true for finite values, however large, tiny or signed', () => {
    assert.equal(allFinite(new Float64Array(0)), true);
    const v = Float64Array.from([1e308, -1e308, 1.7976931348623157e308, 5e-324, -0, 0, 3.5, -2]);
    for (let n = 0; n <= v.length; n++) assert.equal(allFinite(v.subarray(0, n)), true, `first ${n}`);
  });

  it('is false when any value — at any position, the tail after the blocks of four included — is NaN or ±∞', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      for (let n = 1; n <= 11; n++) {
        for (let at = 0; at < n; at++) {
          const a = new Float64Array(n).fill(1e308);
          a[at] = bad;
          assert.equal(allFinite(a), false, `${bad} at ${at} of ${n}`);
        }
      }
    }
  });

  it('assertFinite names the first bad value’s column and row', () => {
    const m = matrix(Float64Array.from([1, 2, 3, 4, Number.POSITIVE_INFINITY, Number.NaN]), 3, 2, ['a', 'b']);
    assert.throws(
      () => assertFinite(m, 'Model.predict'),
      (e: unknown) =>
        e instanceof RowValueError &&
        /column 'a' has an infinite value \(Infinity\) at row 2/.test((e as Error).message),
    );
    assert.doesNotThrow(() => assertFinite(matrix(Float64Array.from([1e308, -1e308]), 1, 2), 'x'));
  });

  it('assertNoInfinity (checked a block of 4 096 values at a time) lets NaN pass and names the first infinity in any block', () => {
    const cols = ['a', 'b', 'c'];
    const n = 3 * 5000; // more than three blocks
    const v = new Float64Array(n).fill(1e308);
    for (let k = 7; k < n; k += 1000) v[k] = Number.NaN;
    assert.doesNotThrow(() => assertNoInfinity(v, cols, 'Scaler.transform'));
    for (const at of [0, 4095, 4096, 9000, n - 1]) {
      const w = v.slice();
      w[at] = at % 2 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      if (at < n - 2) w[n - 2] = Number.POSITIVE_INFINITY; // a later one: the first is reported
      const row = Math.floor(at / 3);
      const col = cols[at % 3];
      assert.throws(
        () => assertNoInfinity(w, cols, 'Scaler.transform'),
        (e: unknown) =>
          e instanceof RowValueError &&
          (e as Error).message.includes(`column '${col}' has an infinite value (${w[at]}) at row ${row}`),
        `infinity at ${at}`,
      );
    }
  });
});
