import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAMILIES, makeEstimator } from '../../src/automl/families.ts';
import { modelDigest } from '../../src/automl/package.ts';
import { metricScorer } from '../../src/automl/scores.ts';
import { trainModel } from '../../src/automl/train.ts';
import { tuneModel } from '../../src/automl/tune.ts';
import { Rng } from '../../src/core/rng.ts';
import { categoricalColumn, numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { defaultSpace, TUNABLE_FAMILIES } from '../../src/select/default-spaces.ts';
import { floatDistribution } from '../../src/select/space.ts';

const rng = new Rng(4);
const n = 220;
const a = Float64Array.from({ length: n }, () => rng.normal());
const b = Float64Array.from({ length: n }, () => rng.normal());
const region = Array.from({ length: n }, () => ['north', 'south', 'east'][rng.int(3)]);
const score = Array.from(
  { length: n },
  (_, i) => a[i] - 0.8 * b[i] + (region[i] === 'south' ? 0.7 : 0) + 0.5 * rng.normal(),
);
const label = score.map((s, i) => (i % 37 === 0 ? null : s > 0 ? 'yes' : 'no'));
const table = new Table([
  numericColumn('a', a),
  numericColumn('b', b),
  categoricalColumn('region', region),
  categoricalColumn('churned', label),
  numericColumn(
    'value',
    Float64Array.from(score, (s) => 10 * s + 50),
  ),
]);

describe('tuneModel', () => {
  it('searches on the training part only, refits the best like lathe train, and reports the holdout gap', async () => {
    const r = await tuneModel(table.drop(['value']), {
      family: 'logistic',
      target: 'churned',
      nTrials: 8,
      cv: 3,
      seed: 5,
      nThreads: 1,
    });
    assert.equal(r.task, 'binary');
    assert.equal(r.metric, 'rocAuc');
    assert.equal(r.greaterIsBetter, true);
    const missing = label.filter((v) => v === null).length;
    assert.deepEqual(r.rows, {
      total: n,
      missingTarget: missing,
      search: r.train.rows.train,
      holdout: r.train.rows.holdout,
      rejected: 0,
    });
    assert.equal(r.rows.search + r.rows.holdout, n - missing);
    // The refit is exactly what `lathe train --params <best>` produces.
    const again = trainModel(table.drop(['value']), {
      family: 'logistic',
      target: 'churned',
      params: { ...r.bestParams },
      seed: 5,
    });
    assert.equal(modelDigest(r.train.model), modelDigest(again.model));
    assert.equal(r.holdoutScore, again.metrics.rocAuc);
    assert.ok(Math.abs(r.gap! - (r.bestCvScore - r.holdoutScore!)) < 1e-15);
    assert.equal(r.bestCvScore, r.search.best!.value);
    assert.ok(r.space.C.startsWith('float [0.0001, 10000] log'));
  });

  it('minimises losses: rmse for regression, reported in metric units', async () => {
    const r = await tuneModel(table.drop(['churned']), {
      family: 'ridge',
      target: 'value',
      nTrials: 5,
      cv: 3,
      sampler: 'random',
      nThreads: 1,
    });
    assert.equal(r.metric, 'rmse');
    assert.equal(r.greaterIsBetter, false);
    assert.ok(r.bestCvScore > 0);
    assert.equal(r.bestCvScore, -r.search.best!.value!);
    const all = r.search.trials.map((t) => -t.value!);
    assert.equal(r.bestCvScore, Math.min(...all));
    assert.ok(Math.abs(r.gap! - (r.holdoutScore! - r.bestCvScore)) < 1e-12);
  });

  it('gbdt with a pruner prunes on boosting iterations by default; nested CV on request', async () => {
    const r = await tuneModel(table.drop(['value']), {
      family: 'gbdt',
      target: 'churned',
      nTrials: 6,
      cv: 3,
      pruner: 'asha',
      params: { nThreads: 1 },
      space: {
        learningRate: floatDistribution(0.05, 0.3, { log: true }),
        maxIter: { type: 'int', low: 9, high: 27, log: false, step: 1 },
      },
      nested: 2,
      holdout: 0,
      nThreads: 1,
    });
    assert.ok(r.search.trials.every((t) => t.budgets.length >= 1));
    assert.equal(r.holdoutScore, null);
    assert.equal(r.gap, null);
    assert.equal(r.nested!.outerScores.length, 2);
    assert.ok(r.nested!.mean > 0.5);
    assert.equal(r.train.metricsOn, 'training');
  });

  it('rejects what cannot be tuned, with the fix', async () => {
    await assert.rejects(() => tuneModel(table, { family: 'kmeans', target: 'churned' }), /unsupervised/);
    await assert.rejects(
      () => tuneModel(table, { family: 'knn', target: 'churned', pruner: 'median', pruneOn: 'iterations' }),
      /Pruning on iterations is for gbdt/,
    );
    await assert.rejects(
      () => tuneModel(table, { family: 'knn', target: 'churned', metric: 'rmse' }),
      /Metric 'rmse' is not a binary metric/,
    );
    await assert.rejects(
      () => tuneModel(table, { family: 'ridge', target: 'value', params: { alpha: 2 }, nTrials: 2 }),
      /'alpha' is both fixed \(--params\) and tuned/,
    );
    assert.throws(() => metricScorer('regression', 'rocAuc'), /use one of mae, mse, rmse/);
  });
});

describe('default spaces', () => {
  it('name real parameters of every tunable family, for classification and regression', () => {
    for (const f of FAMILIES) {
      for (const task of ['binary', 'regression'] as const) {
        const Cls = task === 'regression' ? f.regressor : f.classifier;
        if (!Cls) continue;
        assert.ok(TUNABLE_FAMILIES.includes(f.name), `${f.name} has a default space`);
        const space = defaultSpace(f.name, task === 'regression' ? 'regression' : 'classification');
        const est = makeEstimator(f.name, task);
        for (const k of Object.keys(space)) assert.ok(k in est.schema, `${f.name}.${k}`);
      }
    }
    assert.throws(
      () => defaultSpace('kmeans', 'classification'),
      /'kmeans' has no default search space.*unsupervised families cannot be tuned/s,
    );
    assert.throws(() => defaultSpace('gbd', 'regression'), /did you mean 'gbdt'/);
  });
});
