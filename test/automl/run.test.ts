import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelDigest } from '../../src/automl/package.ts';
import { CLUSTER_COUNTS, runJob } from '../../src/automl/run.ts';
import { renderRunReport } from '../../src/automl/run-report.ts';
import { trainModel } from '../../src/automl/train.ts';
import { ValidationError } from '../../src/core/errors.ts';
import { Rng } from '../../src/core/rng.ts';
import { categoricalColumn, numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';

const rng = new Rng(11);
const n = 240;
const a = Float64Array.from({ length: n }, () => rng.normal());
const b = Float64Array.from({ length: n }, () => rng.normal());
const region = Array.from({ length: n }, () => ['north', 'south', 'east'][rng.int(3)]);
const score = Array.from(
  { length: n },
  (_, i) => a[i] - 0.8 * b[i] + (region[i] === 'south' ? 0.7 : 0) + 0.5 * rng.normal(),
);
const churned = score.map((s, i) => (i % 41 === 0 ? null : s > 0 ? 'yes' : 'no'));
const classification = new Table([
  numericColumn('a', a),
  numericColumn('b', b),
  categoricalColumn('region', region),
  categoricalColumn('churned', churned),
]);
const regression = new Table([
  numericColumn('a', a),
  numericColumn('b', b),
  categoricalColumn('region', region),
  numericColumn(
    'value',
    Float64Array.from(score, (s) => 10 * s + 50),
  ),
]);

/** Three well-separated blobs in two dimensions, 40 rows each. */
function blobs(): Table {
  const r = new Rng(3);
  const centers = [
    [0, 0],
    [10, 10],
    [-10, 10],
  ];
  const x: number[] = [];
  const y: number[] = [];
  for (const [cx, cy] of centers) {
    for (let i = 0; i < 40; i++) {
      x.push(cx + r.normal());
      y.push(cy + r.normal());
    }
  }
  return new Table([numericColumn('x', Float64Array.from(x)), numericColumn('y', Float64Array.from(y))]);
}

const fast = ['logistic', 'gaussian-nb', 'gbdt'];

const context = {
  data: 'data/table.csv',
  runId: null,
  modelRef: 'in memory',
  modelPath: null,
  registered: null,
  seed: 0,
  profileHref: null,
  nextSteps: ['lathe predict …'],
};

describe('runJob', () => {
  it('compares candidates by cross-validation on the training rows, tunes the best and evaluates it once on the holdout', async () => {
    const r = await runJob(classification, {
      target: 'churned',
      families: fast,
      nTrials: 3,
      cv: 3,
      timeBudget: 600,
      nResamples: 200,
    });
    assert.equal(r.task, 'binary');
    assert.equal(r.metric, 'rocAuc');
    assert.equal(r.greaterIsBetter, true);
    assert.deepEqual(
      r.candidates.map((c) => [c.family, c.status]),
      fast.map((f) => [f, 'ok']),
    );
    // Each candidate's score is exactly lathe train --cv 3's cross-validated ROC AUC: the holdout
    // plays no part in the choice.
    for (const c of r.candidates) {
      const t = trainModel(classification, { family: c.family, target: 'churned', cv: 3 });
      assert.equal(c.score, t.cv?.metrics.rocAuc.mean, c.family);
      assert.equal(c.std, t.cv?.metrics.rocAuc.std, c.family);
    }
    const best = r.candidates.reduce((x, y) => ((y.score as number) > (x.score as number) ? y : x));
    assert.equal(r.best, best.family);
    assert.equal(r.final.family, best.family);
    // The search ran exactly the trials asked for; its parameters are kept only if they beat the defaults.
    assert.ok(r.tuning);
    assert.equal(r.tuning.trials, 3);
    assert.equal(r.tuning.defaultScore, best.score);
    assert.equal(r.tuning.kept, r.tuning.bestScore > (best.score as number));
    // The holdout is lathe train's (same seed): the rows with a target less the training rows.
    const reference = trainModel(classification, { family: best.family, target: 'churned' });
    assert.deepEqual(r.final.holdoutRows, reference.holdoutRows);
    assert.ok(r.evaluation);
    assert.equal(r.evaluation.rows.evaluated, reference.rows.holdout);
    const auc = r.evaluation.metrics.find((m) => m.key === 'rocAuc');
    assert.ok(auc && auc.value !== null && auc.lower !== null && auc.upper !== null);
    assert.ok(auc.lower <= auc.value && auc.value <= auc.upper);
    assert.equal(r.holdout?.yPred.length, reference.rows.holdout);
    // The profile saw the target.
    assert.equal(r.profile.target?.column, 'churned');
    // What the model relies on: every input column, measured on the holdout by the run's metric.
    assert.equal(r.importance?.metric, 'rocAuc');
    assert.deepEqual(
      r.importance?.columns.map((c) => c.column),
      ['a', 'b', 'region'],
    );
    assert.equal(r.importance?.baseline, auc.value);
    const a = r.importance?.columns[0].mean as number;
    assert.ok(a > 0.05, `importance of a: ${a}`);
  });

  it('gives the same result twice for the same seed and trial count', async () => {
    const options = {
      target: 'churned',
      families: ['logistic', 'gaussian-nb'],
      nTrials: 2,
      cv: 3,
      nResamples: 0,
    };
    const one = await runJob(classification, options);
    const two = await runJob(classification, options);
    assert.deepEqual(
      one.candidates.map((c) => c.score),
      two.candidates.map((c) => c.score),
    );
    assert.deepEqual(one.tuning?.bestParams, two.tuning?.bestParams);
    assert.equal(modelDigest(one.final.model), modelDigest(two.final.model));
  });

  it('chooses the lowest error for regression', async () => {
    const r = await runJob(regression, {
      target: 'value',
      families: ['ridge', 'gbdt'],
      nTrials: 0,
      cv: 3,
      nResamples: 0,
    });
    assert.equal(r.task, 'regression');
    assert.equal(r.metric, 'rmse');
    assert.equal(r.greaterIsBetter, false);
    const best = r.candidates.reduce((x, y) => ((y.score as number) < (x.score as number) ? y : x));
    assert.equal(r.best, best.family);
    assert.equal(r.tuning, null);
    assert.equal(r.tuningSkipped, 'no trials were asked for');
    assert.equal(r.holdout?.yPred instanceof Float64Array, true);
    const html = await renderRunReport(r, context);
    assert.match(html, /<h1>Lathe run — table\.csv<\/h1>/);
    assert.match(html, /No search was run: no trials were asked for\. The default parameters were kept\./);
    assert.match(html, /aria-label="predictions against true values on the holdout"/);
    assert.match(html, /<b>← chosen<\/b>/);
    assert.doesNotMatch(html, /NaN|undefined|<script/);
  });

  it('clusters a table without a target: k-means for each k, chosen by silhouette', async () => {
    const r = await runJob(blobs(), { nResamples: 0 });
    assert.equal(r.task, 'clustering');
    assert.equal(r.metric, 'silhouette');
    assert.deepEqual(
      r.candidates.map((c) => c.params.nClusters),
      [...CLUSTER_COUNTS],
    );
    assert.equal(r.best, 'kmeans');
    assert.equal(r.final.params.nClusters, 3);
    assert.equal(r.evaluation, null);
    assert.equal(r.tuning, null);
    assert.equal(r.tuningSkipped, null);
    const html = await renderRunReport(r, context);
    assert.match(html, /<h2>Clusters<\/h2>/);
    assert.doesNotMatch(html, /<h2>Tuning<\/h2>|<h2>Holdout evaluation<\/h2>|NaN|undefined/);
  });

  it('skips the candidates it has no time for, and says why', async () => {
    const r = await runJob(classification, {
      target: 'churned',
      families: ['gaussian-nb', 'logistic'],
      timeBudget: 0.001,
      cv: 3,
      nResamples: 0,
    });
    assert.deepEqual(
      r.candidates.map((c) => c.status),
      ['ok', 'skipped'],
    );
    assert.match(r.candidates[1].reason ?? '', /time budget/);
    assert.equal(r.best, 'gaussian-nb');
    assert.equal(r.tuning, null);
    assert.match(r.tuningSkipped ?? '', /no search space|less than a second/);
  });

  it('refuses bad requests before any work, naming the field', async () => {
    const refused = async (p: Promise<unknown>, field: string, message: RegExp) =>
      assert.rejects(p, (e: unknown) => {
        assert.ok(e instanceof ValidationError, String(e));
        assert.equal(e.field, field);
        assert.match(e.message, message);
        return true;
      });
    await refused(
      runJob(classification, { target: 'churned', metric: 'rmse' }),
      'metric',
      /'rmse' is not a binary metric/,
    );
    await refused(
      runJob(classification, { target: 'churned', families: ['ridge'] }),
      'families',
      /'ridge' does not do binary tasks/,
    );
    await refused(runJob(classification, { task: 'binary' }), 'target', /learns a target/);
    await refused(
      runJob(classification, { target: 'churned', task: 'clustering' }),
      'task',
      /clustering takes no target/,
    );
    await refused(runJob(classification, { target: 'churned', timeBudget: 0 }), 'timeBudget', /positive/);
    await assert.rejects(runJob(classification, { target: 'nope' }), /nope/);
  });
});
