// `lathe train` pipelines on examples/housing.csv (prices near 10⁵–10⁶; numbers, categories, a
// boolean and a date, with missing values), exported to ONNX and run with onnxruntime-node on every
// row: predictions equal to Lathe's (exactly for trees; within 1e-6 — about 1e-12 relative — for
// linear models, whose dot products onnxruntime sums in another order).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Estimator } from '../../src/core/estimator.ts';
import {
  ExtraTreesRegressor,
  HistGradientBoostingRegressor,
  RandomForestRegressor,
} from '../../src/models/ensemble/index.ts';
import { ElasticNet, Lasso, LinearRegression, Ridge } from '../../src/models/linear/index.ts';
import { DecisionTreeRegressor } from '../../src/models/tree/index.ts';
import type { PreprocessFor } from '../../src/preprocess/index.ts';
import { type Example, example, fitPipeline, roundTrip, withOddCategories } from './example-pipelines.ts';

const FAMILIES: [string, PreprocessFor, () => Estimator, number][] = [
  ['linear', 'linear', () => new LinearRegression(), 1e-6],
  ['ridge', 'linear', () => new Ridge(), 1e-6],
  ['lasso', 'linear', () => new Lasso({ alpha: 100 }), 1e-6],
  ['elasticnet', 'linear', () => new ElasticNet({ alpha: 0.01 }), 1e-6],
  ['tree', 'tree', () => new DecisionTreeRegressor({ seed: 1 }), 0],
  [
    'random-forest',
    'tree',
    () => new RandomForestRegressor({ nEstimators: 10, maxDepth: 12, nThreads: 1 }),
    0,
  ],
  ['extra-trees', 'tree', () => new ExtraTreesRegressor({ nEstimators: 10, maxDepth: 12, nThreads: 1 }), 0],
  ['gbdt', 'tree', () => new HistGradientBoostingRegressor({ maxIter: 30, nThreads: 1 }), 0],
];

describe('examples/housing.csv (regression)', () => {
  let ex: Example;
  before(async () => {
    ex = await example('housing', 'price', true);
  });
  for (const [family, kind, make, tol] of FAMILIES) {
    it(`${family}: every row, plus unseen and missing categories`, async () => {
      const pipe = fitPipeline(ex, kind, make());
      const out = await roundTrip(pipe, ex.X, tol);
      assert.equal(out.kind, 'regressor');
      assert.deepEqual(
        out.inputs.map((i) => i.name),
        ex.X.columnNames,
      );
      await roundTrip(pipe, withOddCategories(withOddCategories(ex.X, 'neighborhood'), 'condition'), tol);
    });
  }
});
