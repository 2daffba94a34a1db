// asMatrix on rows that are not arrays: a clear ValidationError naming X, not "2 × undefined needs NaN values".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { asMatrix } from '../../src/core/matrix.ts';

describe('asMatrix row checks', () => {
  it('refuses rows that are objects', () => {
    assert.throws(
      () => asMatrix([{ a: 1 }, { a: 2 }] as never),
      (e) =>
        e instanceof ValidationError &&
        /^X: row 0 is \{"a":1\}, not an array/.test(e.message) &&
        e.field === 'X',
    );
  });
  it('refuses a later row that is not an array, naming it (a string or {length} was read by index)', () => {
    for (const bad of ['abc', { length: 3 }, null]) {
      assert.throws(
        () => asMatrix([[1, 2, 3], bad] as never),
        (e) => e instanceof ValidationError && /^X: row 1 is .*, not an array of numbers/.test(e.message),
      );
    }
  });
  it('shows the value and a fix for a non-array X', () => {
    assert.throws(
      () => asMatrix('abc' as never),
      (e) => e instanceof ValidationError && /got "abc"/.test(e.message) && /Fix:/.test(e.message),
    );
  });
});
