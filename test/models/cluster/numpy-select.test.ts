import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pairwiseSum } from '../../../src/core/pairwise-sum.ts';
import { argpartition } from '../../../src/models/cluster/numpy-select.ts';

// Values from NumPy 1.24.2 (`np.argpartition(a, kth).tolist()`, `np.sum(a)`).
describe('NumPy selection and summation orders', () => {
  it('argpartition returns NumPy 1.24 order, ties included', () => {
    const a = [0.5, 0.1, 0.9, 0.9, 0.3, 0.7, 0.2, 0.9, 0.4, 0.6];
    assert.deepEqual(Array.from(argpartition(a, 7)), [1, 4, 8, 6, 0, 9, 5, 2, 3, 7]);
    assert.deepEqual(Array.from(argpartition(a, 9)), [0, 1, 2, 3, 4, 5, 6, 9, 8, 7]);
    assert.deepEqual(Array.from(argpartition(a, 1)), [1, 6, 2, 3, 4, 5, 0, 7, 8, 9]);
    assert.deepEqual(Array.from(argpartition([3, 3, 3, 3, 3, 3], 4)), [4, 2, 0, 3, 1, 5]);
    assert.deepEqual(Array.from(argpartition([2], 0)), [0]);
  });

  it('pairwiseSum adds as np.sum does', () => {
    const a = Float64Array.from({ length: 300 }, (_, i) => 1 / (i + 1));
    assert.equal(pairwiseSum(a, 0, 300), 6.282663880299504);
    assert.equal(pairwiseSum(a, 0, 5), 2.283333333333333);
    assert.equal(pairwiseSum(a, 3, 20), 1.900958177753507);
  });
});
