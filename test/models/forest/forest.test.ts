import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFittedError, ValidationError } from '../../../src/core/errors.ts';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { matrix } from '../../../src/core/matrix.ts';
import { decodePlain, encodePlain } from '../../../src/core/plain.ts';
import { captureWarnings } from '../../../src/core/warnings.ts';
import { fitForestTree, fitForestTrees, fitOwnShare } from '../../../src/models/ensemble/forest/fit-task.ts';
import { bootstrapSize } from '../../../src/models/ensemble/forest/forest.ts';
import {
  ExtraTreesClassifier,
  ExtraTreesRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from '../../../src/models/ensemble/forest/index.ts';
import { growLayout, prepareGrowData } from '../../../src/models/tree/presort.ts';
import { resolveGrowOptions } from '../../../src/models/tree/tree-params.ts';
import { oracleDataset } from '../tree/datasets.ts';

describe('forests: determinism across thread counts', () => {
  const d = oracleDataset('breast_cancer');

  it('RandomForestClassifier is bit-identical with 1 and 2 threads', () => {
    const one = new RandomForestClassifier({ nEstimators: 12, nThreads: 1, seed: 5, oobScore: true }).fit(
      d.train.X,
      d.train.y,
    );
    const two = new RandomForestClassifier({ nEstimators: 12, nThreads: 2, seed: 5, oobScore: true }).fit(
      d.train.X,
      d.train.y,
    );
    assert.deepEqual({ ...one.toJSON(), params: null }, { ...two.toJSON(), params: null });
    assert.deepEqual(one.predictProba(d.test.X).data, two.predictProba(d.test.X).data);
    assert.equal(one.oobScore_, two.oobScore_);
  });

  it('is bit-identical with 3 threads, and with more threads than trees', () => {
    const fit = (nEstimators: number, nThreads: number) =>
      new RandomForestClassifier({ nEstimators, nThreads, seed: 7, oobScore: true }).fit(
        d.train.X,
        d.train.y,
      );
    for (const [trees, threads] of [
      [9, 3],
      [1, 2],
      [2, 3],
    ]) {
      const one = fit(trees, 1);
      const many = fit(trees, threads);
      assert.deepEqual(
        { ...one.toJSON(), params: null },
        { ...many.toJSON(), params: null },
        `${trees} trees`,
      );
      assert.equal(one.oobScore_, many.oobScore_);
    }
  });

  it('ExtraTreesRegressor is bit-identical with 1 and 2 threads', () => {
    const r = oracleDataset('diabetes');
    const one = new ExtraTreesRegressor({ nEstimators: 8, nThreads: 1, seed: 1 }).fit(r.train.X, r.train.y);
    const two = new ExtraTreesRegressor({ nEstimators: 8, nThreads: 2, seed: 1 }).fit(r.train.X, r.train.y);
    assert.deepEqual({ ...one.toJSON(), params: null }, { ...two.toJSON(), params: null });
    // Large enough to be scored on the pool in row blocks.
    const big = matrix(new Float64Array(30_000 * r.X.cols), 30_000, r.X.cols);
    for (let i = 0; i < big.data.length; i++) big.data[i] = r.X.data[i % r.X.data.length];
    assert.deepEqual(two.predict(big), one.predict(big));
  });

  it('different seeds give different forests; the same seed the same one', () => {
    const a = new RandomForestClassifier({ nEstimators: 3, seed: 1 }).fit(d.train.X, d.train.y);
    const b = new RandomForestClassifier({ nEstimators: 3, seed: 1 }).fit(d.train.X, d.train.y);
    const c = new RandomForestClassifier({ nEstimators: 3, seed: 2 }).fit(d.train.X, d.train.y);
    assert.deepEqual(a.toJSON(), b.toJSON());
    assert.notDeepEqual(a.toJSON().state, c.toJSON().state);
  });
});

describe('forests: outputs and options', () => {
  const d = oracleDataset('wine');

  it('averages tree probabilities, importances sum to one, survives a JSON round trip', () => {
    const rf = new RandomForestClassifier({ nEstimators: 10, oobScore: true, nThreads: 1 }).fit(
      d.train.X,
      d.train.y,
    );
    const P = rf.predictProba(d.test.X);
    assert.deepEqual(P.columns, ['0', '1', '2']);
    for (let i = 0; i < P.rows; i++) {
      const s = P.data[i * 3] + P.data[i * 3 + 1] + P.data[i * 3 + 2];
      assert.ok(Math.abs(s - 1) < 1e-12);
    }
    assert.ok(Math.abs(rf.featureImportances_!.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.equal(rf.estimators_!.length, 10);
    assert.equal(rf.oobDecisionFunction_!.rows, d.train.X.rows);
    const json = JSON.parse(JSON.stringify(encodePlain(rf.toJSON() as never)));
    const back = estimatorFromJSON<RandomForestClassifier>(decodePlain(json) as never);
    assert.deepEqual(back.predictProba(d.test.X).data, P.data);
    assert.equal(back.oobScore_, rf.oobScore_);
  });

  it("supports maxSamples, class weights including 'balanced_subsample', and warns on missing OOB rows", () => {
    const rf = new RandomForestClassifier({
      nEstimators: 5,
      maxSamples: 0.5,
      classWeight: 'balanced_subsample',
      nThreads: 1,
    }).fit(d.train.X, d.train.y);
    assert.ok(rf.score(d.test.X, d.test.y) > 0.8);
    const { warnings } = captureWarnings(() =>
      new RandomForestClassifier({ nEstimators: 2, oobScore: true, nThreads: 1 }).fit(d.train.X, d.train.y),
    );
    assert.ok(warnings.some((w) => /out-of-bag/.test(w.message)));
  });

  it("treats 'balanced_subsample' without bootstrap as 'balanced', as scikit-learn does", () => {
    const fit = (classWeight: 'balanced' | 'balanced_subsample' | null) =>
      new RandomForestClassifier({ nEstimators: 3, bootstrap: false, classWeight, nThreads: 1, seed: 2 }).fit(
        d.train.X,
        d.train.y,
      );
    const sub = fit('balanced_subsample');
    assert.deepEqual({ ...sub.toJSON(), params: null }, { ...fit('balanced').toJSON(), params: null });
    // wine's classes are unbalanced, so the weights change the trees' leaf shares
    assert.notDeepEqual(sub.predictProba(d.test.X).data, fit(null).predictProba(d.test.X).data);
  });

  it('rounds a fractional maxSamples half to even, as Python round (scikit-learn 1.2)', () => {
    assert.equal(bootstrapSize(0.25, 10, 'test'), 2);
    assert.equal(bootstrapSize(0.5, 5, 'test'), 2);
    assert.equal(bootstrapSize(0.5, 7, 'test'), 4);
    assert.equal(bootstrapSize(0.35, 10, 'test'), 4); // 3.5000000000000004
    assert.equal(bootstrapSize(0.3, 10, 'test'), 3);
    assert.equal(bootstrapSize(0.04, 10, 'test'), 1); // scikit-learn 1.2 would draw no rows
    assert.equal(bootstrapSize(null, 10, 'test'), 10);
    assert.equal(bootstrapSize(7, 10, 'test'), 7);
  });

  it('refuses bad input with clear errors', () => {
    const X = matrix(Float64Array.from([1, 2, Number.NaN, 4]), 2, 2, ['a', 'b']);
    assert.throws(() => new RandomForestClassifier().fit(X, [0, 1]), /column 'a'.*Imputer/s);
    assert.throws(() => new ExtraTreesClassifier({ oobScore: true }).fit(d.train.X, d.train.y), /bootstrap/);
    assert.throws(() => new RandomForestRegressor().predict(d.test.X), NotFittedError);
    assert.throws(
      () =>
        new RandomForestClassifier().fit(
          d.train.X,
          d.train.y.map(() => 1),
        ),
      ValidationError,
    );
    assert.throws(
      () => new RandomForestClassifier({ maxSamples: 10_000 }).fit(d.train.X, d.train.y),
      /maxSamples/,
    );
    const rf = new RandomForestClassifier({ nEstimators: 2 }).fit(d.train.X, d.train.y);
    assert.throws(() => rf.predict([[1, 2, 3]]), /3 columns/);
  });
});

describe('forests: trees claimed from a shared counter', () => {
  const d = oracleDataset('wine');
  const m = d.train.X;
  const codes = new Int32Array(d.train.y.length);
  const classes = [...new Set(d.train.y)].sort();
  for (let i = 0; i < codes.length; i++) codes[i] = classes.indexOf(d.train.y[i]);
  const grow = resolveGrowOptions(
    new RandomForestClassifier().getParams() as unknown as Parameters<typeof resolveGrowOptions>[0],
    'best',
    m.rows,
    m.cols,
    'test',
  );
  const data = {
    ...prepareGrowData(
      m,
      { yCode: codes, yValue: null, nClasses: classes.length },
      growLayout('best', m.rows, m.cols, grow.maxFeatures, { columns: true, shared: true }),
    ),
    baseWeight: null,
  };
  const spec = { grow, bootstrap: true, nBootstrap: m.rows, balancedSubsample: false, oob: true, seed: 3 };

  it('every index below the total is grown exactly once, each as its own tree', () => {
    const claim = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(claim, 0, 2);
    const first = fitForestTrees(data, spec, claim, 5);
    assert.deepEqual(
      first.map((r) => r.t),
      [2, 3, 4],
    );
    for (const r of first) {
      const alone = fitForestTree(data, spec, r.t);
      assert.deepEqual(r.tree, alone.tree);
      assert.deepEqual(r.oobRows, alone.oobRows);
      assert.deepEqual(r.oobValues, alone.oobValues);
    }
    // The counter is used up: a thread joining late (or after a stop) grows nothing.
    assert.deepEqual(fitForestTrees(data, spec, claim, 5), []);
  });

  it("a failure in the calling thread's share stops the other threads' claims", () => {
    const claim = new Int32Array(new SharedArrayBuffer(4));
    const broken = { ...data, rank: null }; // the best splitter needs the dense ranks
    assert.throws(() => fitOwnShare(broken, spec, claim, 40), /dense ranks/);
    // Tree 0 was claimed and failed; every later index is now out of reach.
    assert.equal(Atomics.load(claim, 0), 40);
    assert.deepEqual(fitForestTrees(data, spec, claim, 40), []);
  });
});
