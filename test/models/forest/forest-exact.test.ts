// Forests whose trees are deterministic (bootstrap: false, every feature at every split) against
// scikit-learn's on tie-free data (scripts/oracles/forests_exact.py): every tree is the full CART
// tree, so predictions, probabilities and the mean impurity importances must agree exactly (the
// importances to 1e-12: scikit-learn sums them pairwise). This holds the forest's own logic —
// class and sample weights ('balanced_subsample' without bootstrap is 'balanced'), averaging, the
// classes' order and importances — to scikit-learn's, independently of the random generators.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { RandomForestClassifier, RandomForestRegressor } from '../../../src/models/ensemble/forest/index.ts';

interface ExactCase {
  dataset: string;
  params: Record<string, unknown>;
  sampleWeight: number[] | null;
  nodes: number;
  predict: (number | string)[];
  featureImportances: number[];
  classes?: (number | string)[];
  predictProba?: number[][];
}

const oracle = JSON.parse(
  readFileSync(new URL('../../fixtures/models/forest/exact.json', import.meta.url), 'utf8'),
) as {
  datasets: Record<string, { X: number[][]; y: (number | string)[]; Xtest: number[][] }>;
  cases: ExactCase[];
};

function camel(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params))
    out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  return out;
}

describe('forests without bootstrap, all features: equal to scikit-learn 1.2', () => {
  for (const c of oracle.cases) {
    const label = `${c.dataset} ${JSON.stringify(c.params)}${c.sampleWeight ? ' weighted' : ''}`;
    it(label, () => {
      const d = oracle.datasets[c.dataset];
      const params = { ...camel(c.params), nEstimators: 5, bootstrap: false, maxFeatures: null, nThreads: 1 };
      const fitOptions = c.sampleWeight ? { sampleWeight: c.sampleWeight } : {};
      const model = c.classes
        ? new RandomForestClassifier(params as never).fit(d.X, d.y, fitOptions)
        : new RandomForestRegressor(params as never).fit(d.X, d.y as number[], fitOptions);
      for (const t of model.estimators_!) assert.equal(t.nodeCount, c.nodes);
      assert.deepEqual(Array.from(model.predict(d.Xtest) as ArrayLike<number | string>), c.predict);
      if (model instanceof RandomForestClassifier) {
        assert.deepEqual(model.classes_, c.classes);
        const P = model.predictProba(d.Xtest);
        assert.deepEqual(Array.from(P.data), c.predictProba!.flat());
      }
      const imp = model.featureImportances_!;
      for (let j = 0; j < imp.length; j++)
        assert.ok(Math.abs(imp[j] - c.featureImportances[j]) <= 1e-12, `feature ${j}`);
    });
  }
});
