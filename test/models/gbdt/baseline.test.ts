// The baseline (best constant raw prediction) is scikit-learn's to the bit: its weighted mean is
// NumPy's `np.average` — pairwise sums in blocks of 8192 — not a left-to-right sum. A binary target
// whose other class has tiny weights has p close to 1, and log(p / (1 − p)) magnifies the last bit
// of p: a sequential sum moved the baseline (and every raw prediction) of a 49-row case found by
// differential testing by 3.6e-5. Oracle: scripts/oracles/gbdt_baseline.py.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { matrix } from '../../../src/core/matrix.ts';
import { sharedPool } from '../../../src/core/pool.ts';
import {
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
} from '../../../src/models/ensemble/hist-gradient-boosting/index.ts';
import { makeLoss } from '../../../src/models/ensemble/hist-gradient-boosting/loss.ts';

after(() => sharedPool(2).close());

interface Case {
  task: 'binary' | 'multiclass' | 'regression';
  loss?: 'squared_error' | 'poisson';
  y: number[];
  w: number[] | null;
  baseline: number[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/models/gbdt/baseline.json', import.meta.url), 'utf8'),
) as {
  cases: Case[];
  fit: {
    params: Record<string, unknown>;
    X: number[][];
    y: number[];
    w: number[];
    Xt: number[][];
    baseline: number[];
    decision: number[];
  };
  scores?: {
    params: Record<string, unknown>;
    X: number[][];
    y: number[];
    w: number[] | null;
    train_score: number[];
  }[];
};

describe('HistGradientBoosting: the baseline is scikit-learn 1.2.1’s, bit for bit', () => {
  for (const [i, c] of fixture.cases.entries()) {
    const what = `${c.task}${c.loss ? ` (${c.loss})` : ''}, ${c.y.length} rows, ${c.w ? 'weighted' : 'unweighted'}`;
    it(`case ${i}: ${what}`, () => {
      const K = c.task === 'multiclass' ? new Set(c.y).size : 2;
      const loss = makeLoss(c.task === 'regression' ? c.loss! : 'log_loss', {
        nClasses: K,
        weighted: c.w !== null,
      });
      const got = loss.baseline(Float64Array.from(c.y), c.w ? Float64Array.from(c.w) : null);
      if (c.task !== 'multiclass') {
        assert.deepEqual(Array.from(got), c.baseline);
        return;
      }
      // The multinomial link takes logarithms (log(p_k / gmean(p))): NumPy's np.log and V8's
      // Math.log differ in the last bit for some p, so here the averages are exact and the
      // link is within a few ulps of 1.
      for (let k = 0; k < c.baseline.length; k++) {
        const tol = 1e-15 * Math.max(1, Math.abs(c.baseline[k]));
        assert.ok(
          Math.abs(got[k] - c.baseline[k]) <= tol,
          `class ${k}: ${got[k]} vs scikit-learn ${c.baseline[k]}`,
        );
      }
    });
  }

  it('a fit with weights 1e-300 / 1e-10 / 1 predicts scikit-learn’s raw scores', () => {
    const f = fixture.fit;
    const X = matrix(Float64Array.from(f.X.flat()), f.X.length, f.X[0].length);
    const Xt = matrix(Float64Array.from(f.Xt.flat()), f.Xt.length, f.Xt[0].length);
    const clf = new HistGradientBoostingClassifier({ ...f.params, nThreads: 1 }).fit(
      X,
      Float64Array.from(f.y),
      {
        sampleWeight: f.w,
      },
    );
    const dec = clf.decisionFunction(Xt).data;
    for (let i = 0; i < f.decision.length; i++) {
      assert.ok(
        Math.abs(dec[i] - f.decision[i]) <= 1e-12 * Math.abs(f.decision[i]),
        `row ${i}: ${dec[i]} vs scikit-learn ${f.decision[i]}`,
      );
    }
  });
});

describe('HistGradientBoosting: early-stopping scores are scikit-learn 1.2.1’s, bit for bit', () => {
  // np.average of the per-row losses — pairwise sums of loss·w and of w — not a left-to-right
  // sum of w·loss: with tol 0 a score one bit apart can stop the fit an iteration earlier or later.
  for (const [i, c] of (fixture.scores ?? []).entries()) {
    it(`case ${i}: ${c.params.loss}, ${c.w ? 'weighted' : 'unweighted'}`, () => {
      const X = matrix(Float64Array.from(c.X.flat()), c.X.length, c.X[0].length);
      const reg = new HistGradientBoostingRegressor({ ...c.params, nThreads: 1 } as never).fit(
        X,
        Float64Array.from(c.y),
        { sampleWeight: c.w ?? undefined },
      );
      assert.deepEqual(Array.from(reg.trainScore_!), c.train_score);
    });
  }
});
