// PCA on values whose squares overflow (|x| beyond ~1e154) or underflow: the fit runs on a copy
// scaled by a power of two (exact) and scales the results back, instead of giving NaN axes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { type Matrix, matrix } from '../../../src/core/matrix.ts';
import { Rng } from '../../../src/core/rng.ts';
import { PCA } from '../../../src/models/decomposition/index.ts';

const rng = new Rng(12);
const n = 60;
const d = 4;
const base = Float64Array.from({ length: n * d }, (_, i) => rng.normal() * (1 + (i % d)) + (i % d));
const X = matrix(base, n, d);
const times = (m: Matrix, f: number) =>
  matrix(
    m.data.map((v) => v * f),
    m.rows,
    m.cols,
  );

describe('PCA on extreme magnitudes', () => {
  const ref = new PCA().fit(X);

  for (const [name, e] of [
    ['huge (× 2^500)', 500],
    ['tiny (× 2^-500)', -500],
  ] as const) {
    it(`${name}: the same axes bit for bit, the mean and variances scaled exactly`, () => {
      const f = 2 ** e;
      const p = new PCA().fit(times(X, f));
      assert.deepEqual(p.components_!.data, ref.components_!.data);
      assert.deepEqual(p.explainedVarianceRatio_, ref.explainedVarianceRatio_);
      assert.deepEqual(
        p.mean_!,
        ref.mean_!.map((v) => v * f),
      );
      assert.deepEqual(
        p.singularValues_!,
        ref.singularValues_!.map((v) => v * f),
      );
      assert.deepEqual(
        p.explainedVariance_!,
        ref.explainedVariance_!.map((v) => v * f * f),
      );
      assert.equal(p.noiseVariance_!, ref.noiseVariance_! * f * f);
      assert.deepEqual(
        p.transform(times(X, f)).data,
        ref.transform(X).data.map((v) => v * f),
      );
    });
  }

  it('values near 1e160: finite axes (the variances are +Infinity, as scikit-learn gives them) that save and load', () => {
    const f = 2 ** 531; // ≈ 1.1e160
    const p = new PCA().fit(times(X, f));
    assert.deepEqual(p.components_!.data, ref.components_!.data);
    // scikit-learn's ratio is inf/inf = NaN here; the ratio of the scaled fit is the true one
    assert.deepEqual(p.explainedVarianceRatio_, ref.explainedVarianceRatio_);
    assert.ok(p.explainedVariance_!.every((v) => v === Number.POSITIVE_INFINITY));
    assert.ok(p.singularValues_!.every((v) => Number.isFinite(v) && v > 1e160));
    const back = estimatorFromJSON(p.toJSON()) as PCA;
    assert.deepEqual(back.transform(times(X, f)).data, p.transform(times(X, f)).data);
  });
});
