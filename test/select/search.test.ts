import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { matrix } from '../../src/core/matrix.ts';
import { ThreadExecutor } from '../../src/core/pool.ts';
import { Rng } from '../../src/core/rng.ts';
import { HistGradientBoostingClassifier } from '../../src/models/ensemble/hist-gradient-boosting/index.ts';
import { LogisticRegression, Ridge } from '../../src/models/linear/index.ts';
import { KNeighborsClassifier } from '../../src/models/neighbors/index.ts';
import { crossValidate } from '../../src/select/cross-validate.ts';
import { budgetLevels, nestedCrossValidate, type SearchResult, searchCV } from '../../src/select/search.ts';
import { categoricalDistribution, floatDistribution, intDistribution } from '../../src/select/space.ts';

const rng = new Rng(21);
const n = 160;
const Xdata = new Float64Array(n * 4);
const yc: string[] = [];
const yr = new Float64Array(n);
for (let i = 0; i < n; i++) {
  for (let j = 0; j < 4; j++) Xdata[i * 4 + j] = rng.normal();
  const s =
    1.2 * Xdata[i * 4] - Xdata[i * 4 + 1] + 0.5 * Xdata[i * 4] * Xdata[i * 4 + 2] + 0.6 * rng.normal();
  yc.push(s > 0 ? 'pos' : 'neg');
  yr[i] = s;
}
const X = matrix(Xdata, n, 4);

/** The deterministic part of a search: everything but timings. */
function table(r: SearchResult) {
  return r.trials.map((t) => ({
    number: t.number,
    params: t.params,
    state: t.state,
    value: t.value,
    foldScores: Array.from(t.foldScores),
    intermediate: t.intermediate,
    budgets: t.budgets,
    error: t.error,
  }));
}

const pool = new ThreadExecutor(2);
after(() => pool.close());

describe('searchCV: the trial table is identical on 1 and 2 threads', () => {
  it('TPE with the median pruner on folds (logistic regression, conditional penalty)', async () => {
    const space = {
      C: floatDistribution(1e-3, 1e2, { log: true }),
      penalty: categoricalDistribution(['l2', 'elasticnet']),
      l1Ratio: floatDistribution(0.05, 0.95, { when: { penalty: ['elasticnet'] } }),
    };
    const opts = {
      space,
      scoring: ['roc_auc', 'accuracy'],
      nTrials: 14,
      cv: 4,
      pruner: 'median' as const,
      seed: 3,
    };
    const serial = await searchCV(new LogisticRegression({ nThreads: 1 }), X, yc, { ...opts, nThreads: 1 });
    const threaded = await searchCV(new LogisticRegression({ nThreads: 1 }), X, yc, {
      ...opts,
      executor: pool,
    });
    assert.deepEqual(table(threaded), table(serial));
    assert.equal(serial.trials.length, 14);
    assert.equal(serial.scorer, 'roc_auc');
    const states = serial.trials.map((t) => t.state);
    assert.ok(states.includes('complete'));
    for (const t of serial.trials) assert.equal('l1Ratio' in t.params, t.params.penalty === 'elasticnet');
    // The best trial's value is its mean fold score, as crossValidate computes it.
    const best = serial.best!;
    const cv = crossValidate(new LogisticRegression({ nThreads: 1, ...best.params } as never), X, yc, {
      cv: 4,
      scoring: 'roc_auc',
      nThreads: 1,
    });
    assert.deepEqual(Array.from(best.foldScores), Array.from(cv.testScores.roc_auc));
    assert.ok(Math.abs(best.value! - cv.testScores.roc_auc.reduce((a, b) => a + b, 0) / 4) < 1e-15);
    assert.ok(best.scores.accuracy.mean > 0.6);
    // Refit on all rows with the best parameters.
    assert.deepEqual(
      serial.bestEstimator!.getParams(),
      new LogisticRegression({ nThreads: 1, ...best.params } as never).getParams(),
    );
    assert.ok(serial.bestEstimator!.isFitted());
  });

  it('random search without pruning (all folds of a batch in one go) and ASHA on gbdt iterations', async () => {
    const opts = {
      space: {
        nNeighbors: intDistribution(1, 40, { log: true }),
        weights: categoricalDistribution(['uniform', 'distance']),
      },
      nTrials: 10,
      cv: 5,
      sampler: 'random' as const,
      batchSize: 3,
    };
    const a = await searchCV(new KNeighborsClassifier(), X, yc, { ...opts, nThreads: 1 });
    const b = await searchCV(new KNeighborsClassifier(), X, yc, { ...opts, executor: pool });
    assert.deepEqual(table(b), table(a));
    assert.ok(a.trials.every((t) => t.state === 'complete' && t.intermediate.length === 5));

    const gb = {
      space: {
        learningRate: floatDistribution(0.01, 0.5, { log: true }),
        maxIter: intDistribution(9, 27),
        maxLeafNodes: intDistribution(4, 16),
      },
      nTrials: 8,
      cv: 3,
      scoring: 'neg_log_loss',
      pruner: 'asha' as const,
      resource: { param: 'maxIter', levels: 3, factor: 3 },
      seed: 1,
    };
    const g1 = await searchCV(new HistGradientBoostingClassifier({ minSamplesLeaf: 5, nThreads: 1 }), X, yc, {
      ...gb,
      nThreads: 1,
    });
    const g2 = await searchCV(new HistGradientBoostingClassifier({ minSamplesLeaf: 5, nThreads: 1 }), X, yc, {
      ...gb,
      executor: pool,
    });
    assert.deepEqual(table(g2), table(g1));
    for (const t of g1.trials) {
      const full = t.params.maxIter as number;
      assert.deepEqual(t.budgets, budgetLevels(full, 3, 3).slice(0, t.budgets.length));
      assert.deepEqual(
        t.intermediate.map(([s]) => s),
        [1, 3, 9].slice(0, t.intermediate.length),
      );
      if (t.state === 'complete') assert.equal(t.budgets[t.budgets.length - 1], full);
    }
    assert.ok(
      g1.trials.some((t) => t.state === 'pruned'),
      'ASHA pruned some trials',
    );
  });
});

describe('searchCV behaviour', () => {
  it('grid search visits the whole grid and stops by itself', async () => {
    const r = await searchCV(new Ridge(), X, yr, {
      space: {
        alpha: floatDistribution(0.01, 100, { log: true, grid: [0.01, 1, 100] }),
        fitIntercept: categoricalDistribution([true, false]),
      },
      sampler: 'grid',
      cv: 3,
      nThreads: 1,
    });
    assert.equal(r.stopped, 'exhausted');
    assert.equal(r.trials.length, 6);
    const values = r.trials.map((t) => t.value!);
    assert.equal(r.best!.value, Math.max(...values));
    assert.ok(r.importance && Math.abs(Object.values(r.importance).reduce((a, b) => a + b, 0) - 1) < 1e-9);
  });

  it('failed trials are recorded with their error and the search goes on', async () => {
    // nNeighbors above the training fold size fails to fit or predict.
    const small = matrix(Xdata.slice(0, 40 * 4), 40, 4);
    const r = await searchCV(new KNeighborsClassifier(), small, yc.slice(0, 40), {
      space: { nNeighbors: intDistribution(1, 60) },
      sampler: 'grid',
      cv: 2,
      nThreads: 1,
    });
    const failed = r.trials.filter((t) => t.state === 'failed');
    assert.ok(failed.length > 0 && failed.length < r.trials.length);
    assert.ok(failed.every((t) => (t.error ?? '').length > 0 && (t.params.nNeighbors as number) > 20));
  });

  it('checks names, budgets and options before fitting anything', async () => {
    await assert.rejects(
      () => searchCV(new Ridge(), X, yr, { space: { alhpa: floatDistribution(0, 1) }, nTrials: 2 }),
      /unknown parameter 'alhpa'.*did you mean 'alpha'/s,
    );
    await assert.rejects(
      () => searchCV(new Ridge(), X, yr, { space: { alpha: floatDistribution(0, 1) } }),
      /give nTrials or timeout/,
    );
    await assert.rejects(
      () =>
        searchCV(new Ridge(), X, yr, {
          space: { alpha: floatDistribution(0, 1) },
          nTrials: 2,
          sampler: 'bayes' as never,
        }),
      /Unknown sampler 'bayes'/,
    );
    await assert.rejects(
      () => searchCV(new Ridge(), X, yr, { space: { alpha: floatDistribution(0, 1) }, nTrials: 0 }),
      /nTrials must be an integer ≥ 1/,
    );
  });

  it('reports trials in order through onTrial, and honours a wall-time budget between batches', async () => {
    const seen: number[] = [];
    const r = await searchCV(new Ridge(), X, yr, {
      space: { alpha: floatDistribution(0.01, 10, { log: true }) },
      nTrials: 6,
      cv: 3,
      batchSize: 2,
      nThreads: 1,
      onTrial: (t) => {
        seen.push(t.number);
      },
    });
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5]);
    assert.equal(r.stopped, 'trials');
    const timed = await searchCV(new Ridge(), X, yr, {
      space: { alpha: floatDistribution(0.01, 10, { log: true }) },
      timeout: 1e-6,
      cv: 3,
      batchSize: 2,
      nThreads: 1,
    });
    // The budget is checked between batches: the first batch always runs.
    assert.equal(timed.stopped, 'time');
    assert.equal(timed.trials.length, 2);
    assert.deepEqual(
      timed.trials.map((t) => t.params),
      r.trials.slice(0, 2).map((t) => t.params),
    );
  });
});

describe('nestedCrossValidate', () => {
  it('runs the search inside each outer fold and scores the winner outside it', async () => {
    const r = await nestedCrossValidate(new Ridge(), X, yr, {
      space: { alpha: floatDistribution(0.01, 100, { log: true }) },
      nTrials: 5,
      cv: 3,
      outerCv: 3,
      scoring: 'r2',
      nThreads: 1,
    });
    assert.equal(r.outerScores.length, 3);
    assert.equal(r.bestParams.length, 3);
    assert.ok(r.mean > 0.5 && r.mean <= 1);
    assert.ok(r.innerBestScores.every((v) => v > 0.5));
  });
});
