import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matrix } from '../../../src/core/matrix.ts';
import { Rng } from '../../../src/core/rng.ts';
import { HistGradientBoostingRegressor } from '../../../src/models/ensemble/hist-gradient-boosting/index.ts';
import { permutationImportance } from '../../../src/models/inspection/index.ts';

describe('permutationImportance', () => {
  const rng = new Rng(4);
  const n = 400;
  const data = new Float64Array(n * 3);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 3; j++) data[i * 3 + j] = rng.normal();
    y[i] = 3 * data[i * 3] + data[i * 3 + 1];
  }
  const X = matrix(data, n, 3, ['strong', 'weak', 'noise']);

  it('is the mean drop of a hand-made score when a column is shuffled', () => {
    // A "model" whose score is minus the mean absolute difference between column 0 and y/3.
    const model = {
      score: (m: { data: Float64Array }) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += Math.abs(m.data[i * 3] - y[i] / 3);
        return -s / n;
      },
    };
    const r = permutationImportance(model as never, X, y, { nRepeats: 3, seed: 1 });
    assert.equal(r.importancesMean[1], 0);
    assert.equal(r.importancesMean[2], 0);
    assert.ok(r.importancesMean[0] > 0.3);
    assert.equal(r.importances.rows, 3);
    assert.equal(r.importances.cols, 3);
    const drops = [0, 1, 2].map((k) => r.importances.data[k]);
    assert.ok(Math.abs(r.importancesMean[0] - (drops[0] + drops[1] + drops[2]) / 3) < 1e-15);
  });

  it('ranks the columns a fitted model uses, and is reproducible for a seed', () => {
    const reg = new HistGradientBoostingRegressor({ maxIter: 30 }).fit(X, y);
    const a = permutationImportance(reg, X, y, { nRepeats: 4, seed: 2 });
    const b = permutationImportance(reg, X, y, { nRepeats: 4, seed: 2 });
    assert.deepEqual(a.importancesMean, b.importancesMean);
    assert.ok(a.importancesMean[0] > a.importancesMean[1]);
    assert.ok(a.importancesMean[1] > a.importancesMean[2]);
    assert.deepEqual(a.columns, ['strong', 'weak', 'noise']);
  });

  it('takes a scoring function instead of estimator.score, and validates its options', () => {
    const reg = new HistGradientBoostingRegressor({ maxIter: 10 }).fit(X, y);
    const r = permutationImportance(reg, X, y, {
      nRepeats: 2,
      scoring: (est, m, yy) => {
        const p = est.predict(m);
        let s = 0;
        const t = yy as Float64Array;
        for (let i = 0; i < p.length; i++) s -= (p[i] - t[i]) ** 2;
        return s / p.length;
      },
    });
    assert.ok(r.importancesMean[0] > r.importancesMean[2]);
    assert.throws(() => permutationImportance(reg, X, y, { nRepeats: 0 }), /nRepeats must be an integer ≥ 1/);
    assert.throws(() => permutationImportance({}, X, y), /no score\(\) method/);
  });
});
