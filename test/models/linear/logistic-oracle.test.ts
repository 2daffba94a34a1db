// LogisticRegression against scikit-learn 1.2 (scripts/oracles/linear.py).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { captureWarnings } from '../../../src/core/warnings.ts';
import { LogisticRegression, type LogisticRegressionParams } from '../../../src/models/linear/index.ts';
import { assertClose, dataset, everyNth, fixture } from './helpers.ts';

interface LogisticCase {
  name: string;
  dataset: string;
  params: Record<string, unknown>;
  sampleWeight: number[] | null;
  coef: number[][];
  intercept: number[];
  nIter: number[];
  predict: number[];
  proba: number[][];
  decision: number[] | number[][];
  convergenceWarning: boolean;
}

const { cases } = fixture<{ cases: LogisticCase[] }>('logistic.json');

/**
 * scikit-learn's parameters in Lathe's terms. Its saga, liblinear and Newton solvers (used by the
 * oracle to pin the optimum) map to Lathe's newton-cd.
 */
function latheParams(sk: Record<string, unknown>): Partial<LogisticRegressionParams> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sk)) {
    if (k === 'solver') continue;
    const name = k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    out[name] = k === 'penalty' && v === null ? 'none' : v;
  }
  // Those oracles run at tol=1e-10 to 1e-12; newton-cd is run to 1e-10 (its test is on the
  // subgradient, whose rounding floor is about 1e-11 here), which already pins the optimum.
  if (sk.solver !== undefined) {
    out.solver = 'newton-cd';
    out.tol = 1e-10;
    out.maxIter = 200;
  }
  return out as Partial<LogisticRegressionParams>;
}

const TOL = 1e-6;

describe('LogisticRegression matches scikit-learn', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { X, y } = dataset(c.dataset);
      const model = new LogisticRegression(latheParams(c.params));
      const { warnings } = captureWarnings(() =>
        model.fit(X, y, c.sampleWeight ? { sampleWeight: c.sampleWeight } : {}),
      );
      assert.equal(model.coef_!.length, c.coef.length, 'rows of coef_');
      c.coef.forEach((row, k) => assertClose(model.coef_![k], row, TOL, `coef_[${k}]`));
      assertClose(model.intercept_!, c.intercept, TOL, 'intercept_');
      const lbfgs = c.params.solver === undefined;
      if (lbfgs) {
        // Same solver, same stopping rule: the same number of iterations and the same warning.
        assert.deepEqual(Array.from(model.nIter_!), c.nIter, 'nIter_');
        assert.equal(
          warnings.some((w) => w.category === 'ConvergenceWarning'),
          c.convergenceWarning,
          'ConvergenceWarning',
        );
      } else {
        assert.ok(!warnings.some((w) => w.category === 'ConvergenceWarning'), 'newton-cd converged');
      }
      assert.deepEqual([...model.predict(X)], c.predict, 'predict');
      const sub = everyNth(X, 4);
      assertClose(model.predictProba(sub).data, c.proba.flat(), TOL, 'predictProba');
      assertClose(model.decisionFunction(sub).data, c.decision.flat(), TOL, 'decisionFunction');
      const logp = model.predictLogProba(sub).data;
      assertClose(
        logp.map((v) => Math.exp(v)),
        c.proba.flat(),
        TOL,
        'exp(predictLogProba)',
      );
    });
  }
});
