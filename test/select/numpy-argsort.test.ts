import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { numpyArgsort } from '../../src/select/numpy-argsort.ts';

// Expected permutations are NumPy 1.24's np.argsort(np.array(keys, dtype=np.int64)).
describe('numpyArgsort (NumPy 1.24 default quicksort)', () => {
  it('is an insertion sort (stable) up to 16 keys', () => {
    assert.deepEqual(Array.from(numpyArgsort(new Array(16).fill(1))), [...Array(16).keys()]);
    assert.deepEqual(Array.from(numpyArgsort([3, 1, 2, 1, 3])), [1, 3, 2, 0, 4]);
  });

  it('leaves ties in the order of NumPy introsort beyond 16 keys', () => {
    assert.deepEqual(
      Array.from(numpyArgsort(new Array(17).fill(1))),
      [0, 14, 13, 12, 11, 10, 9, 15, 8, 6, 5, 4, 3, 2, 1, 7, 16],
    );
    assert.deepEqual(
      Array.from(numpyArgsort(new Array(20).fill(1))),
      [0, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 18, 19],
    );
    const keys = [2, 1, 3, 2, 2, 1, 3, 3, 2, 1, 1, 2, 3, 2, 1, 2, 2, 3, 1, 2, 2, 1, 3];
    assert.deepEqual(
      Array.from(numpyArgsort(keys)),
      [1, 18, 5, 14, 9, 10, 21, 0, 20, 19, 16, 15, 13, 11, 8, 4, 3, 7, 6, 17, 2, 12, 22],
    );
  });

  it('sorts every input (heapsort fallback included)', () => {
    const n = 3000;
    const keys = Array.from({ length: n }, (_, i) => (i < n / 2 ? i : n - i) % 7);
    const idx = numpyArgsort(keys);
    assert.deepEqual(
      [...idx].sort((a, b) => a - b),
      [...Array(n).keys()],
    );
    for (let i = 1; i < n; i++) assert.ok(keys[idx[i - 1]] <= keys[idx[i]]);
    assert.equal(numpyArgsort([]).length, 0);
  });
});
