// The shared pieces of src/models/base.ts that are not covered through one model.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/core/rng.ts';
import { r2Score } from '../../src/metrics/regression.ts';
import { r2Of } from '../../src/models/base.ts';

describe('r2Of (regressors’ score, forests’ out-of-bag score, gbdt early stopping)', () => {
  it('scores a constant truth as scikit-learn’s r2_score does (0, or 1 when exact)', () => {
    // r2_score([0.1] * 10, [0.2] * 10) == 0.0: NumPy's pairwise mean of ten 0.1s is exactly 0.1,
    // so the total sum of squares is 0; a running sum made it 1e-33 and R² about −5e31.
    const y = new Float64Array(10).fill(0.1);
    assert.equal(r2Of(new Float64Array(10).fill(0.2), y), 0);
    assert.equal(r2Of(y, y), 1);
    // Weighted, the mean is not exact in NumPy either: r2_score(..., sample_weight=[0.7] * 10).
    assert.equal(
      r2Of(new Float64Array(10).fill(0.2), y, new Float64Array(10).fill(0.7)),
      -1.2980742146337074e31,
    );
  });

  it('gives the bits of the metric r2Score, with and without weights', () => {
    const rng = new Rng(7);
    for (const n of [1, 2, 9, 200, 1001]) {
      const y = Float64Array.from({ length: n }, () => rng.normal() * 3 + 1e3);
      const p = Float64Array.from(y, (v) => v + rng.normal());
      const w = Float64Array.from({ length: n }, () => rng.uniform());
      if (n > 1) {
        assert.equal(r2Of(p, y), r2Score(y, p), `n ${n}`);
        assert.equal(r2Of(p, y, w), r2Score(y, p, { sampleWeight: w }), `n ${n}, weighted`);
      }
    }
  });
});
