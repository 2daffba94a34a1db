// `lathe train` pipelines on examples/wine.csv (three cultivars, 13 numeric columns), exported to
// ONNX and run with onnxruntime-node on every row: probabilities within 1e-12 of Lathe's (exactly
// equal for trees), identical labels.
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
import { type Example, example, fitPipeline, roundTrip } from './example-pipelines.ts';

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

describe('examples/wine.csv (multiclass)', () => {
  let ex: Example;
  before(async () => {
    ex = await example('wine', 'cultivar', false);
  });
  for (const [family, kind, make, tol] of FAMILIES) {
    it(`${family}: every row`, async () => {
      const out = await roundTrip(fitPipeline(ex, kind, make()), ex.X, tol);
      assert.deepEqual(out.classes, ['class_0', 'class_1', 'class_2']);
      assert.equal(out.inputs.length, 13);
    });
  }
});
