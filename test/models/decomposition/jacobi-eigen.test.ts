import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jacobiEigen } from '../../../src/models/decomposition/jacobi-eigen.ts';
import { axesNeedRefining, hiddenAxes } from '../../../src/models/decomposition/pca.ts';
import { symmetric } from './symmetric-matrix.ts';

describe('jacobiEigen', () => {
  it('returns descending eigenvalues with orthonormal vectors that satisfy A·v = λ·v', () => {
    for (const [n, seed] of [
      [1, 1],
      [2, 2],
      [7, 3],
      [16, 4],
    ] as const) {
      const A = symmetric(n, seed, false);
      const { values, vectors } = jacobiEigen(A, n);
      const before = Float64Array.from(A);
      for (let k = 1; k < n; k++) assert.ok(values[k] <= values[k - 1], `order at ${k}`);
      for (let k = 0; k < n; k++) {
        for (let i = 0; i < n; i++) {
          let av = 0;
          for (let j = 0; j < n; j++) av += A[i * n + j] * vectors[j * n + k];
          assert.ok(Math.abs(av - values[k] * vectors[i * n + k]) < 1e-13 * n, `n ${n}: residual ${k}[${i}]`);
        }
        for (let q = 0; q < n; q++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += vectors[i * n + k] * vectors[i * n + q];
          assert.ok(Math.abs(dot - (k === q ? 1 : 0)) < 1e-14 * n, `n ${n}: vᵀv (${k}, ${q}) = ${dot}`);
        }
      }
      assert.deepEqual(A, before, 'A is only read');
    }
  });

  it('finds a tiny eigenvalue of a graded matrix to relative accuracy', () => {
    // [[1, b], [b, c]]: λ₂ = (c − b²)/λ₁ with λ₁ = 1 + b²/(1 − c) to first order; here
    // b = 1e-10, c = 1e-18: λ₂ = 9.9e-19 (relative error of the formula < 1e-19). Householder + QL
    // resolves λ₂ only to about ε·λ₁ ≈ 2e-16 — its value would be noise.
    const { values, vectors } = jacobiEigen(Float64Array.from([1, 1e-10, 1e-10, 1e-18]), 2);
    assert.ok(Math.abs(values[1] - 9.9e-19) / 9.9e-19 < 1e-14, `λ₂ = ${values[1]}`);
    assert.ok(Math.abs(values[0] - 1) < 1e-15);
    // The small eigenvector is (−b, 1) normalised, up to sign.
    const v = [vectors[1], vectors[3]];
    const sign = Math.sign(v[1]);
    assert.ok(Math.abs(sign * v[0] + 1e-10) < 1e-24 && Math.abs(sign * v[1] - 1) < 1e-15, `v = ${v}`);
  });

  it('keeps the order of equal eigenvalues and leaves a diagonal matrix alone', () => {
    const { values, vectors } = jacobiEigen(Float64Array.from([2, 0, 0, 0, 5, 0, 0, 0, 2]), 3);
    assert.deepEqual(Array.from(values), [5, 2, 2]);
    assert.deepEqual(Array.from(vectors), [0, 1, 0, 1, 0, 0, 0, 0, 1]);
  });
});

describe('when PCA refines its axes', () => {
  const f = (...v: number[]) => Float64Array.from(v);

  it('axesNeedRefining: a small eigenvalue above the noise floor whose axis XᵀX cannot resolve', () => {
    // Well spread: no.
    assert.equal(axesNeedRefining(f(10, 5, 1, 0.5)), false);
    // Small (1e-10 of the largest) and separated by about itself: error ≈ ε·λ₁/gap ≈ 4e-6, yes.
    assert.equal(axesNeedRefining(f(10, 5, 1e-9, 5e-10)), true);
    // Small but at 1e-5 with a gap of 1e-5 × λ₁: error ≈ 2e-11, no.
    assert.equal(axesNeedRefining(f(1, 0.5, 2e-5, 1e-5)), false);
    // Below the floor (4·ε·λ₁): judged later, not here; exact zeros neither.
    assert.equal(axesNeedRefining(f(1, 0.5, 1e-17, 0)), false);
    assert.equal(axesNeedRefining(f(0, 0)), false);
  });

  it('hiddenAxes: an axis below the floor whose projections carry more than rounding noise', () => {
    const values = f(1, 0.5, 1e-17, 0);
    // sumSq are squared norms of projections; noise level 1e3·ε·√4·σ₁ ≈ 4.4e-13.
    assert.equal(hiddenAxes(values, f(1, 0.5, 1e-30, 1e-31)), false, 'exactly collinear: noise only');
    assert.equal(hiddenAxes(values, f(1, 0.5, 1e-16, 1e-31)), true, 'σ = 1e-8: real variance');
    assert.equal(hiddenAxes(f(1, 0.5, 0.25, 0.1), f(1, 0.5, 0.25, 0.1)), false, 'nothing below the floor');
  });
});
