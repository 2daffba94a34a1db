import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { modelDigest } from '../../src/automl/package.ts';
import { resampledMetric } from '../../src/automl/resampled-metrics.ts';
import {
  type Champion,
  championRecipe,
  retrainMetrics,
  retrainModel,
  supervisedTask,
} from '../../src/automl/retrain.ts';
import { computeMetric } from '../../src/automl/scores.ts';
import { type TrainResult, trainModel } from '../../src/automl/train.ts';
import { DataError, ValidationError } from '../../src/core/errors.ts';
import { asClassLabels } from '../../src/core/labels.ts';
import { Rng } from '../../src/core/rng.ts';
import { categoricalColumn } from '../../src/data/column.ts';
import { readTable } from '../../src/data/read/index.ts';
import type { Table } from '../../src/data/table.ts';
import { StandardScaler } from '../../src/preprocess/index.ts';
import { bootstrapMetric } from '../../src/stats/bootstrap.ts';

const championOf = (r: TrainResult): Champion => ({
  model: r.model,
  inputSchema: r.inputSchema,
  task: r.task,
  target: r.target,
});

/** The example's rows with `churned` replaced by a rule on support calls: the old model's world no longer holds. */
function shifted(table: Table): Table {
  const calls = table.values('support_calls') as (number | null)[];
  const churned = calls.map((c) => (c !== null && c >= 3 ? 'yes' : 'no'));
  return table.withColumn(categoricalColumn('churned', churned));
}

describe('retrainModel', () => {
  let customers: Table;
  let housing: Table;
  let champion: TrainResult;
  before(async () => {
    customers = (await readTable('examples/customers.csv')).table;
    housing = (await readTable('examples/housing.csv')).table;
    champion = trainModel(customers, { family: 'logistic', target: 'churned', params: { C: 0.5 }, seed: 1 });
  });

  it("reads the champion's family and hyperparameters, leaving out its seed", () => {
    const gbdt = trainModel(housing, { family: 'gbdt', target: 'price', params: { maxIter: 20 }, seed: 4 });
    const r = championRecipe(gbdt.model);
    assert.equal(r.family, 'gbdt');
    assert.equal(r.params.maxIter, 20);
    assert.equal('seed' in r.params, false);
    const l = championRecipe(champion.model);
    assert.equal(l.family, 'logistic');
    assert.equal(l.params.C, 0.5);
    assert.throws(
      () => championRecipe(new StandardScaler()),
      (e: Error) => e instanceof ValidationError && /not one of Lathe's model families/.test(e.message),
    );
  });

  it('lets a challenger fitted on the new rows win when the world has changed, by the paired interval', () => {
    const data = shifted(customers);
    const r = retrainModel(championOf(champion), data, { seed: 2, nResamples: 300 });
    assert.equal(r.family, 'logistic');
    assert.equal(r.params.C, 0.5);
    assert.equal(r.comparedRows, r.train.rows.holdout);
    assert.equal(r.comparedRows, 400);
    assert.equal(r.decision.winner, 'challenger');
    assert.equal(r.decision.metric, 'rocAuc');
    const auc = r.metrics.find((m) => m.key === 'rocAuc')!;
    assert.ok(auc.challenger! > auc.champion! + 0.1, JSON.stringify(auc));
    assert.equal(auc.improvement, auc.challenger! - auc.champion!);
    assert.equal(r.decision.improvement, auc.improvement);
    assert.ok(auc.lower! > 0 && auc.lower! <= auc.improvement! && auc.improvement! <= auc.upper!);
    // The challenger's side is the holdout metric training itself measured.
    for (const m of r.metrics) assert.equal(m.challenger, r.train.metrics[m.key], m.key);
    // Lower is better: improvement = champion − challenger.
    const loss = r.metrics.find((m) => m.key === 'logLoss')!;
    assert.equal(loss.greaterIsBetter, false);
    assert.equal(loss.improvement, loss.champion! - loss.challenger!);
    // The champion's side: its own predictions on the held-out rows, scored by the same function.
    const rows = data.take(r.train.holdoutRows);
    const scored = champion.model as unknown as {
      predict(t: Table): string[];
      predictProba(t: Table): never;
    };
    const p = {
      yTrue: asClassLabels(rows.values('churned')),
      yPred: scored.predict(rows),
      proba: scored.predictProba(rows),
      classes: ['no', 'yes'],
    };
    assert.equal(auc.champion, computeMetric('binary', 'rocAuc', p));
    // The interval: resamples of the held-out rows, each scoring both models on the same rows.
    const q = {
      yTrue: p.yTrue,
      yPred: (r.train.model as unknown as { predict(t: Table): string[] }).predict(rows),
      proba: (r.train.model as unknown as { predictProba(t: Table): never }).predictProba(rows),
      classes: ['no', 'yes'],
    };
    const a = resampledMetric('binary', 'rocAuc', p);
    const b = resampledMetric('binary', 'rocAuc', q);
    const index = Int32Array.from({ length: rows.nRows }, (_, i) => i);
    const ci = bootstrapMetric(index, index, (t) => b(t) - a(t), {
      nResamples: 300,
      seed: 2,
      method: 'percentile',
    });
    assert.equal(auc.lower, ci.lower);
    assert.equal(auc.upper, ci.upper);
  });

  it('keeps the champion on a tie: the same recipe on the same rows with the same seed is the same model', () => {
    const r = retrainModel(championOf(champion), customers, { seed: 1, nResamples: 0 });
    assert.equal(modelDigest(r.train.model), modelDigest(champion.model));
    assert.equal(r.decision.winner, 'champion');
    assert.equal(r.decision.improvement, 0);
    assert.match(r.decision.reason, /tie .*keeps the champion/);
    for (const m of r.metrics) {
      assert.equal(m.improvement, 0, m.key);
      assert.equal(m.lower, null);
      assert.equal(m.upper, null);
    }
  });

  it('asks a margin of --min-improvement, on the metric chosen', () => {
    const data = shifted(customers);
    const base = retrainModel(championOf(champion), data, { seed: 2, nResamples: 0, metric: 'accuracy' });
    assert.equal(base.decision.metric, 'accuracy');
    assert.equal(base.decision.winner, 'challenger');
    const acc = base.decision.improvement!;
    const strict = retrainModel(championOf(champion), data, {
      seed: 2,
      nResamples: 0,
      metric: 'accuracy',
      minImprovement: acc + 0.01,
    });
    assert.equal(strict.decision.winner, 'champion');
    assert.match(strict.decision.reason, /by only .*at least/);
    const exact = retrainModel(championOf(champion), data, {
      seed: 2,
      nResamples: 0,
      metric: 'accuracy',
      minImprovement: acc,
    });
    assert.equal(exact.decision.winner, 'challenger');
  });

  it('compares regressors with the lower-is-better metrics turned round', () => {
    const old = trainModel(housing, { family: 'ridge', target: 'price', params: { alpha: 1e4 }, seed: 0 });
    const r = retrainModel(championOf(old), housing, { seed: 5, nResamples: 200 });
    assert.equal(r.decision.metric, 'rmse');
    const rmse = r.metrics.find((m) => m.key === 'rmse')!;
    assert.equal(rmse.improvement, rmse.champion! - rmse.challenger!);
    assert.equal(r.decision.winner, rmse.improvement! > 0 ? 'challenger' : 'champion');
    const rec = retrainMetrics(r);
    assert.equal(rec.rmse, r.train.metrics.rmse);
    assert.equal(rec.champion_rmse, rmse.champion);
    assert.equal(rec.improvement_rmse, rmse.improvement);
    assert.deepEqual(
      retrainMetrics(retrainModel(championOf(old), housing, { seed: 5, nResamples: 200 })),
      rec,
    );
  });

  it("records the champion's date formats in the challenger, so both read a lone 05/06/2023 alike", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lathe-retrain-dates-'));
    try {
      const rng = new Rng(3);
      const lines = ['day,x,y'];
      for (let i = 0; i < 120; i++) {
        const d = 1 + (i % 28);
        const x = rng.normal();
        lines.push(
          `${String(d).padStart(2, '0')}/0${1 + (i % 9)}/2023,${x.toFixed(4)},${x + 0.3 * rng.normal() > 0 ? 'p' : 'n'}`,
        );
      }
      writeFileSync(join(dir, 'd.csv'), `${lines.join('\n')}\n`);
      const read = await readTable(join(dir, 'd.csv'));
      const old = trainModel(read.table, { family: 'logistic', target: 'y', schema: read.schema, seed: 0 });
      assert.equal(old.inputSchema.columns.find((c) => c.name === 'day')?.format, '%d/%m/%Y');
      const r = retrainModel(championOf(old), read.table, { seed: 1, nResamples: 0 });
      assert.equal(r.train.inputSchema.columns.find((c) => c.name === 'day')?.format, '%d/%m/%Y');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what it cannot compare, naming the fix', () => {
    const km = trainModel(customers, { family: 'kmeans', params: { nClusters: 3 }, seed: 0 });
    assert.throws(
      () => retrainModel(championOf(km), customers),
      (e: Error) => e instanceof ValidationError && /clustering model, which has no truth/.test(e.message),
    );
    assert.throws(() => supervisedTask('transform'), ValidationError);
    assert.throws(
      () => retrainModel(championOf(champion), customers, { metric: 'rmse' }),
      (e: ValidationError) =>
        /'rmse' is not a metric of a binary model/.test(e.message) && /rocAuc/.test(e.fix ?? ''),
    );
    assert.throws(
      () => retrainModel(championOf(champion), customers, { holdout: 0 }),
      (e: Error) => /holdout of 0 leaves none/.test(e.message),
    );
    assert.throws(
      () => retrainModel(championOf(champion), customers, { minImprovement: -1 }),
      (e: Error) => /minImprovement must be a finite number ≥ 0/.test(e.message),
    );
  });

  it("refuses new rows of a class a binary champion does not know, naming the first one's line (its metrics would count them as negatives)", () => {
    const churned = (customers.values('churned') as string[]).map((v, i) => (i === 5 ? 'maybe' : v));
    const three = customers.withColumn(categoricalColumn('churned', churned));
    const lines = Int32Array.from({ length: customers.nRows }, (_, i) => i + 2);
    assert.throws(
      () => retrainModel(championOf(champion), three, { source: 'new.csv', rowLines: lines }),
      (e: Error) =>
        e instanceof DataError &&
        e.line === 7 &&
        /new\.csv, line 7, column 'churned': the class 'maybe' is not one of the champion's \('no', 'yes'\)/.test(
          e.message,
        ) &&
        !/--task/.test(e.message.split('Fix:')[0]) &&
        /lathe train --task multiclass/.test(e.fix ?? ''),
    );
    // Labels renamed altogether (Y/N for yes/no): refused too, not scored as a champion that is always wrong.
    const renamed = customers.withColumn(
      categoricalColumn(
        'churned',
        (customers.values('churned') as string[]).map((v) => (v === 'yes' ? 'Y' : 'N')),
      ),
    );
    assert.throws(
      () => retrainModel(championOf(champion), renamed),
      (e: Error) => e instanceof DataError && /the class '[YN]' is not one of the champion's/.test(e.message),
    );
  });

  it("names --holdout, not the split's testSize, when the holdout is too small to hold every class", () => {
    assert.throws(
      () => retrainModel(championOf(champion), customers, { holdout: 0.0005 }),
      (e: Error) =>
        e instanceof ValidationError &&
        e.field === 'holdout' &&
        /^--holdout 0\.0005: a stratified split of 2000 rows with 2 classes/.test(e.message) &&
        !/testSize/.test(e.message),
    );
  });

  it('says a class of one row cannot be held out, without offering --holdout 0 (retraining needs a holdout)', () => {
    const churned = (customers.values('churned') as string[]).map((_v, i) =>
      i < 10 ? (i === 3 ? 'yes' : 'no') : null,
    );
    const ten = customers
      .withColumn(categoricalColumn('churned', churned))
      .take(Int32Array.from({ length: 10 }, (_, i) => i));
    assert.throws(
      () => retrainModel(championOf(champion), ten, { source: 'tiny.csv' }),
      (e: Error) =>
        e instanceof DataError &&
        /the class 'yes' has only 1 row/.test(e.message) &&
        !/holdout 0/.test(e.fix ?? '') &&
        /add more rows of that class/.test(e.fix ?? ''),
    );
  });
});
