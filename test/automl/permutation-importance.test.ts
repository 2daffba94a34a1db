import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tablePermutationImportance } from '../../src/automl/permutation-importance.ts';
import { computeMetric } from '../../src/automl/scores.ts';
import { trainModel } from '../../src/automl/train.ts';
import { ValidationError } from '../../src/core/errors.ts';
import type { Label } from '../../src/core/labels.ts';
import { Rng } from '../../src/core/rng.ts';
import { categoricalColumn, numericColumn, takeColumn, textColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';

const rng = new Rng(5);
const n = 300;
const signal = Float64Array.from({ length: n }, () => rng.normal());
const noise = Float64Array.from({ length: n }, () => rng.normal());
const ids = Array.from({ length: n }, (_, i) => `id-${i}`);
const label = Array.from(signal, (s, i) => (s + 0.3 * noise[i] + 0.4 * rng.normal() > 0 ? 'yes' : 'no'));
const table = new Table([
  textColumn('customer_id', ids),
  numericColumn('signal', signal),
  numericColumn('noise', noise),
  categoricalColumn('label', label),
]);
const value = new Table([
  numericColumn('signal', signal),
  numericColumn('noise', noise),
  numericColumn(
    'value',
    Float64Array.from(signal, (s, i) => 3 * s + 0.1 * noise[i]),
  ),
]);

describe('tablePermutationImportance', () => {
  const r = trainModel(table, { family: 'logistic', target: 'label' });
  const holdout = table.take(r.holdoutRows);
  const X = holdout.drop(['label']);
  const y = holdout.values('label') as Label[];

  it('ranks the column the target depends on first; a column the model never reads is exactly 0', () => {
    assert.ok(r.notes.some((note) => note.column === 'customer_id' && note.action === 'dropped'));
    const imp = tablePermutationImportance(r.model, X, y, { task: 'binary', metric: 'rocAuc', seed: 1 });
    const by = Object.fromEntries(imp.columns.map((c) => [c.column, c]));
    assert.deepEqual(by.customer_id.values, [0, 0, 0, 0, 0]);
    assert.equal(by.customer_id.mean, 0);
    assert.ok(by.signal.mean > 0.2, `signal ${by.signal.mean}`);
    assert.ok(by.signal.mean > by.noise.mean + 5 * by.noise.std, JSON.stringify(by.noise));
    assert.equal(imp.baseline, r.metrics.rocAuc);
  });

  it('is the baseline minus the score with repeat r shuffling by Rng(seed).derive(r), ddof-0 std', () => {
    const imp = tablePermutationImportance(r.model, X, y, {
      task: 'binary',
      metric: 'accuracy',
      nRepeats: 3,
      seed: 7,
      columns: ['signal'],
    });
    const expected = [0, 1, 2].map((k) => {
      const perm = new Rng(7).derive(k).permutation(X.nRows);
      const shuffled = X.withColumn(takeColumn(X.column('signal'), perm));
      const acc = computeMetric('binary', 'accuracy', {
        yTrue: y,
        yPred: r.model.predict(shuffled) as Label[],
      });
      return imp.baseline - acc;
    });
    assert.deepEqual(imp.columns[0].values, expected);
    const mean = (expected[0] + expected[1] + expected[2]) / 3;
    assert.equal(imp.columns[0].mean, mean);
    assert.equal(
      imp.columns[0].std,
      Math.sqrt(((expected[0] - mean) ** 2 + (expected[1] - mean) ** 2 + (expected[2] - mean) ** 2) / 3),
    );
    // the same seed, the same numbers
    const again = tablePermutationImportance(r.model, X, y, {
      task: 'binary',
      metric: 'accuracy',
      nRepeats: 3,
      seed: 7,
      columns: ['signal'],
    });
    assert.deepEqual(again.columns, imp.columns);
  });

  it('counts a rise in a loss as importance (positive), for regression too', () => {
    const reg = trainModel(value, { family: 'ridge', target: 'value' });
    const h = value.take(reg.holdoutRows);
    const imp = tablePermutationImportance(
      reg.model,
      h.drop(['value']),
      Float64Array.from(h.values('value') as number[]),
      {
        task: 'regression',
        metric: 'rmse',
      },
    );
    const by = Object.fromEntries(imp.columns.map((c) => [c.column, c.mean]));
    assert.ok(by.signal > 1, `signal ${by.signal}`);
    assert.ok(Math.abs(by.noise) < 0.1 * by.signal, `noise ${by.noise}`);
  });

  it('refuses a metric of another task, mismatched lengths, unknown columns and bad repeats', () => {
    assert.throws(
      () => tablePermutationImportance(r.model, X, y, { task: 'binary', metric: 'rmse' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'metric',
    );
    assert.throws(
      () => tablePermutationImportance(r.model, X, y.slice(1), { task: 'binary', metric: 'accuracy' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'y',
    );
    assert.throws(
      () =>
        tablePermutationImportance(r.model, X, y, { task: 'binary', metric: 'accuracy', columns: ['nope'] }),
      /nope/,
    );
    assert.throws(
      () => tablePermutationImportance(r.model, X, y, { task: 'binary', metric: 'accuracy', nRepeats: 0 }),
      (e: unknown) => e instanceof ValidationError && e.field === 'nRepeats',
    );
  });
});
