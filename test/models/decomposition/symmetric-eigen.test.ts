import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { symmetricEigenRaw } from '../../../src/models/decomposition/symmetric-eigen.ts';
import { symmetric } from './symmetric-matrix.ts';

describe('symmetricEigenRaw (flat tred2 + tql2)', () => {
  it('gives the same bits as ml-matrix EigenvalueDecomposition({ assumeSymmetric: true })', () => {
    const cases: [number, boolean][] = [
      [1, true],
      [2, false],
      [5, true],
      [13, false],
      [20, true],
      [64, true],
    ];
    for (const [n, gram] of cases) {
      const A = symmetric(n, n, gram);
      const rows = Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, (i + 1) * n)));
      const ref = new EigenvalueDecomposition(new MlMatrix(rows), { assumeSymmetric: true });
      const { values, vectors } = symmetricEigenRaw(A, n);
      assert.deepEqual(Array.from(values), ref.realEigenvalues, `values n=${n}`);
      const V = ref.eigenvectorMatrix;
      for (let k = 0; k < n; k++)
        for (let i = 0; i < n; i++) assert.equal(vectors[k * n + i], V.get(i, k), `vector ${k}[${i}] n=${n}`);
    }
  });

  it('handles a zero matrix and a rank-one matrix with repeated rows (scale = 0 branches)', () => {
    for (const A of [
      new Float64Array(16),
      Float64Array.from([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ]) {
      const rows = Array.from({ length: 4 }, (_, i) => Array.from(A.subarray(i * 4, i * 4 + 4)));
      const ref = new EigenvalueDecomposition(new MlMatrix(rows), { assumeSymmetric: true });
      const { values, vectors } = symmetricEigenRaw(A, 4);
      assert.deepEqual(Array.from(values), ref.realEigenvalues);
      for (let k = 0; k < 4; k++)
        for (let i = 0; i < 4; i++) assert.equal(vectors[k * 4 + i], ref.eigenvectorMatrix.get(i, k));
    }
  });

  it('A v = λ v and the vectors are orthonormal (64 × 64 Gram matrix)', () => {
    const n = 64;
    const A = symmetric(n, 3, true);
    const { values, vectors } = symmetricEigenRaw(A, n);
    const scale = Math.max(...values.map(Math.abs));
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[i * n + j] * vectors[k * n + j];
        assert.ok(Math.abs(s - values[k] * vectors[k * n + i]) < 1e-10 * scale);
      }
      for (let q = 0; q <= k; q++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += vectors[k * n + j] * vectors[q * n + j];
        assert.ok(Math.abs(dot - (q === k ? 1 : 0)) < 1e-12);
      }
    }
    for (let k = 1; k < n; k++) assert.ok(values[k] >= values[k - 1], 'ascending');
  });
});
