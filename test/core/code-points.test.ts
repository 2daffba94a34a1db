import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareCodePoints } from '../../src/core/code-points.ts';

describe('compareCodePoints', () => {
  it('sorts as Python sorts str: by code point, characters above U+FFFF last', () => {
    const words = ['😀', 'ｚ', 'a', '', 'é', '\u{1F4A9}', '~', 'aa', '\uE000', '\uD7FF'];
    // sorted(words) in Python 3.
    const python = ['', 'a', 'aa', '~', 'é', '\uD7FF', '\uE000', 'ｚ', '\u{1F4A9}', '😀'];
    assert.deepEqual(words.slice().sort(compareCodePoints), python);
  });

  it('agrees with < on strings within the Basic Multilingual Plane', () => {
    for (const [a, b] of [
      ['a', 'b'],
      ['B', 'a'],
      ['ab', 'a'],
      ['é', 'z'],
      ['x', 'x'],
    ]) {
      assert.equal(Math.sign(compareCodePoints(a, b)), a < b ? -1 : a > b ? 1 : 0, `${a} vs ${b}`);
    }
  });
});
