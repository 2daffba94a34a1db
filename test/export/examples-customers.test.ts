// `lathe train` pipelines on examples/customers.csv (binary: churned yes/no; numbers, categories,
// a boolean and a date, with missing values), exported to ONNX and run with onnxruntime-node on
// every row: probabilities within 1e-12 of Lathe's (exactly equal for trees), identical labels.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Estimator } from '../../src/core/estimator.ts';
import {
  ExtraTreesClassifier,
  HistGradientBoostingClassifier,
  RandomForestClassifier,
} from '../../src/models/ensemble/index.ts';
import { LogisticRegression } from '../../src/models/linear/index.ts';
import { DecisionTreeClassifier } from '../../src/models/tree/index.ts';
import type { PreprocessFor } from '../../src/preprocess/index.ts';
import { type Example, example, fitPipeline, roundTrip, withOddCategories } from './example-pipelines.ts';

const FAMILIES: [string, PreprocessFor, () => Estimator, number][] = [
  ['logistic', 'linear', () => new LogisticRegression(), 1e-12],
  ['tree', 'tree', () => new DecisionTreeClassifier({ seed: 1 }), 0],
  [
    'random-forest',
    'tree',
    () => new RandomForestClassifier({ nEstimators: 10, maxDepth: 12, nThreads: 1 }),
    0,
  ],
  ['extra-trees', 'tree', () => new ExtraTreesClassifier({ nEstimators: 10, maxDepth: 12, nThreads: 1 }), 0],
  ['gbdt', 'tree', () => new HistGradientBoostingClassifier({ maxIter: 30, nThreads: 1 }), 1e-12],
];

describe('examples/customers.csv (binary)', () => {
  let ex: Example;
  before(async () => {
    ex = await example('customers', 'churned', false);
  });
  for (const [family, kind, make, tol] of FAMILIES) {
    it(`${family}: every row, plus unseen and missing categories`, async () => {
      const pipe = fitPipeline(ex, kind, make());
      const out = await roundTrip(pipe, ex.X, tol);
      assert.deepEqual(out.classes, ['no', 'yes']);
      assert.deepEqual(out.unusedColumns, ['customer_id'], 'the id column is dropped, so not an input');
      assert.ok(out.inputs.some((i) => i.name === 'signup_date' && i.type === 'double'));
      assert.ok(out.inputs.some((i) => i.name === 'region' && i.type === 'string'));
      await roundTrip(pipe, withOddCategories(withOddCategories(ex.X, 'region'), 'payment_method'), tol);
    });
  }
});
