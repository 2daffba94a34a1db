// Linear models, decision trees and forests, exported alone (one float64 input per column, or one
// `X` matrix) and run with onnxruntime-node on held-out rows: predictions and probabilities
// against Lathe's predict / predictProba, and identical labels. Trees agree exactly (float64
// thresholds, leaf values summed in Lathe's order); linear scores to the summation order of a dot
// product.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ExtraTreesClassifier,
  ExtraTreesRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from '../../src/models/ensemble/index.ts';
import {
  ElasticNet,
  Lasso,
  LinearRegression,
  LogisticRegression,
  Ridge,
} from '../../src/models/linear/index.ts';
import { DecisionTreeClassifier, DecisionTreeRegressor } from '../../src/models/tree/index.ts';
import {
  checkClassifier,
  checkRegressor,
  classTarget,
  regressionTarget,
  Xtest,
  Xtrain,
} from './model-data.ts';

describe('linear models', () => {
  const y = regressionTarget(Xtrain, 3);
  for (const make of [
    () => new LinearRegression(),
    () => new Ridge({ alpha: 10 }),
    () => new Lasso({ alpha: 50 }),
    () => new ElasticNet({ alpha: 20, l1Ratio: 0.3 }),
  ]) {
    it(`${make().typeName}: predictions within 1e-9 relative`, async () => {
      const m = make().fit(Xtrain, y);
      // Values near 2.5e5: 1e-9 relative is ~2.5e-4 absolute, far above the ~1e-10 seen.
      await checkRegressor(m, Xtest, 1e-9 * 250_000);
      await checkRegressor(m, Xtest, 1e-9 * 250_000, 'matrix');
    });
  }

  it('LogisticRegression, binary (one-vs-rest link and multinomial)', async () => {
    const yb = classTarget(Xtrain, ['no', 'yes'], 4);
    await checkClassifier(new LogisticRegression().fit(Xtrain, yb), Xtest, 1e-12, 'string');
    await checkClassifier(
      new LogisticRegression({ multiClass: 'multinomial', C: 0.1 }).fit(Xtrain, yb),
      Xtest,
      1e-12,
      'string',
    );
  });

  it('LogisticRegression, multiclass (multinomial and one-vs-rest), integer labels as int64', async () => {
    const yk = classTarget(Xtrain, [3, 7, 11], 5);
    await checkClassifier(new LogisticRegression().fit(Xtrain, yk), Xtest, 1e-12, 'int64');
    await checkClassifier(
      new LogisticRegression({ multiClass: 'ovr' }).fit(Xtrain, yk),
      Xtest,
      1e-12,
      'int64',
    );
  });

  it('LogisticRegression with non-integer numeric labels gives a float64 label', async () => {
    const yk = classTarget(Xtrain, [0.5, 1.5], 6);
    await checkClassifier(new LogisticRegression().fit(Xtrain, yk), Xtest, 1e-12, 'float64', 'matrix');
  });
});

describe('decision trees and forests', () => {
  const y = regressionTarget(Xtrain, 7);
  const yk = classTarget(Xtrain, ['a', 'b', 'c'], 8);

  it('DecisionTreeRegressor and DecisionTreeClassifier agree exactly', async () => {
    await checkRegressor(new DecisionTreeRegressor().fit(Xtrain, y), Xtest, 0);
    await checkClassifier(new DecisionTreeClassifier({ maxDepth: 6 }).fit(Xtrain, yk), Xtest, 0, 'string');
    // Rows equal to training rows sit exactly on the thresholds' sides Lathe chose.
    await checkRegressor(new DecisionTreeRegressor().fit(Xtrain, y), Xtrain, 0, 'matrix');
  });

  it('RandomForest regressor and classifier agree exactly', async () => {
    await checkRegressor(
      new RandomForestRegressor({ nThreads: 1, nEstimators: 15, maxDepth: 8 }).fit(Xtrain, y),
      Xtest,
      0,
    );
    const rf = new RandomForestClassifier({ nThreads: 1, nEstimators: 16, minSamplesLeaf: 3 }).fit(
      Xtrain,
      yk,
    );
    await checkClassifier(rf, Xtest, 0, 'string');
    await checkClassifier(rf, Xtrain, 0, 'string', 'matrix');
  });

  it('ExtraTrees regressor and classifier agree exactly', async () => {
    await checkRegressor(new ExtraTreesRegressor({ nThreads: 1, nEstimators: 12 }).fit(Xtrain, y), Xtest, 0);
    const yb = classTarget(Xtrain, [0, 1], 9);
    await checkClassifier(
      new ExtraTreesClassifier({ nThreads: 1, nEstimators: 10 }).fit(Xtrain, yb),
      Xtest,
      0,
      'int64',
    );
  });

  it('trees that are a single leaf (a constant target, a split refused)', async () => {
    const constant = new Float64Array(Xtrain.rows).fill(42.5);
    await checkRegressor(new DecisionTreeRegressor().fit(Xtrain, constant), Xtest, 0);
    const yb = classTarget(Xtrain, ['p', 'q'], 12);
    await checkClassifier(
      new DecisionTreeClassifier({ minSamplesSplit: Xtrain.rows + 1 }).fit(Xtrain, yb),
      Xtest,
      0,
      'string',
    );
  });

  it('a forest with an even number of trees keeps Lathe’s tie-breaking between classes', async () => {
    // Two fully grown trees have pure leaves: where they disagree the classes tie at 0.5 exactly,
    // and the label must be the first class, as in Lathe.
    const yb = classTarget(Xtrain, ['left', 'right'], 10);
    const rf = new RandomForestClassifier({ nThreads: 1, nEstimators: 2, seed: 3 }).fit(Xtrain, yb);
    const P = rf.predictProba(Xtest);
    let ties = 0;
    for (let i = 0; i < P.rows; i++) if (P.data[2 * i] === P.data[2 * i + 1]) ties++;
    assert.ok(ties > 0, 'the data should produce tied probabilities');
    await checkClassifier(rf, Xtest, 0, 'string');
  });
});
