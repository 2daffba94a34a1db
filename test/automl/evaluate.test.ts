import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../../src/index.ts';
import { evaluateModel, evaluateStages } from '../../src/automl/evaluate.ts';
import { predictTable } from '../../src/automl/predict.ts';
import { trainModel } from '../../src/automl/train.ts';
import { createProgress } from '../../src/core/progress.ts';
import { tableFromObjects } from '../../src/data/from-rows.ts';
import type { Table } from '../../src/data/table.ts';
import { classificationReport } from '../../src/metrics/report.ts';
import { fakeStream, shownLabels } from '../helpers/fake-tty.ts';

function churn(n: number, label: (i: number) => string | null = (i) => (i % 3 === 0 ? 'yes' : 'no')): Table {
  return tableFromObjects(
    Array.from({ length: n }, (_, i) => ({ x: i % 3 === 0 ? 10 + (i % 5) : i % 7, churned: label(i) })),
  );
}

function house(n: number, price: (i: number) => number | null = (i) => 100 + 3 * i): Table {
  return tableFromObjects(
    Array.from({ length: n }, (_, i) => ({ sqft: i, condition: i % 2 ? 'good' : 'fair', price: price(i) })),
  );
}

describe('evaluateModel', () => {
  const clf = trainModel(churn(120), { family: 'logistic', target: 'churned', holdout: 0 });

  it('counts rows whose label the model never saw: always wrong, with their own confusion-matrix row', () => {
    // 30 rows, 5 of them 'maybe' (rows 25–29, lines 27–31 of a file with a header).
    const data = churn(30, (i) => (i >= 25 ? 'maybe' : i % 3 === 0 ? 'yes' : 'no'));
    const lines = Int32Array.from({ length: 30 }, (_, i) => i + 2);
    const ev = evaluateModel(clf.model, clf.inputSchema, 'binary', data, 'churned', {
      nResamples: 20,
      rowLines: lines,
    });
    assert.equal(ev.rows.evaluated, 30);
    assert.deepEqual(ev.unseenLabels, [{ label: 'maybe', count: 5, firstLine: 27 }]);
    // As scikit-learn's confusion_matrix/classification_report with labels=None: sorted union.
    assert.deepEqual(ev.confusion!.labels, ['maybe', 'no', 'yes']);
    const total = ev.confusion!.matrix.flat().reduce((a, b) => a + b, 0);
    assert.equal(total, 30);
    assert.deepEqual(ev.confusion!.matrix[0].slice(0, 1), [0]);
    assert.equal(
      ev.confusion!.matrix[0].reduce((a, b) => a + b, 0),
      5,
    );
    assert.equal(ev.report!.classes.find((c) => c.label === 'maybe')?.support, 5);
    assert.equal(ev.report!.weightedAvg.support, 30);
    const acc = ev.metrics.find((m) => m.key === 'accuracy')!.value!;
    const t = data.values('churned').map(String);
    const q = (clf.model.predict(data.drop(['churned'])) as string[]).map(String);
    const correct = t.filter((v, i) => v === q[i]).length;
    assert.equal(acc, correct / 30);
    // Precision/recall/F1 of the positive class stay defined ('maybe' rows are not positives).
    const rep = classificationReport(t, q, { labels: ['maybe', 'no', 'yes'], zeroDivision: 0 });
    const yes = rep.classes.find((c) => c.label === 'yes')!;
    assert.equal(ev.metrics.find((m) => m.key === 'precision')!.value, yes.precision);
    assert.equal(ev.metrics.find((m) => m.key === 'recall')!.value, yes.recall);
    // The model gives 'maybe' probability 0: log loss is undefined, not a number from a subset.
    assert.equal(ev.metrics.find((m) => m.key === 'logLoss')!.value, null);
  });

  it('has no unseen labels and the model classes as labels on ordinary data', () => {
    const ev = evaluateModel(clf.model, clf.inputSchema, 'binary', churn(30), 'churned', { nResamples: 0 });
    assert.deepEqual(ev.unseenLabels, []);
    assert.deepEqual(ev.confusion!.labels, ['no', 'yes']);
  });

  it("reports the confusion labels with the classes' own values (numbers stay numbers)", () => {
    const data = tableFromObjects(Array.from({ length: 60 }, (_, i) => ({ x: i % 7, y: i % 7 > 3 ? 1 : 0 })));
    const m = trainModel(data, { family: 'logistic', target: 'y', holdout: 0 });
    const ev = evaluateModel(m.model, m.inputSchema, 'binary', data, 'y', { nResamples: 0 });
    assert.deepEqual(ev.confusion!.labels, [0, 1]);
    assert.equal(
      ev.confusion!.matrix.flat().reduce((a, b) => a + b, 0),
      60,
    );
  });

  it('refuses a column none of whose values is a class (a feature named as --target), naming both', () => {
    const data = tableFromObjects(
      Array.from({ length: 10 }, (_, i) => ({ x: i, churned: 'no', plan: i % 2 ? 'basic' : 'premium' })),
    );
    assert.throws(
      () =>
        evaluateModel(clf.model, clf.inputSchema, 'binary', data, 'plan', {
          source: 'new.csv',
          modelTarget: 'churned',
        }),
      /column 'plan' in new\.csv is a class this model predicts: it predicts 'no', 'yes'; the column holds 'premium', 'basic'.*--target churned/,
    );
  });

  it('refuses fewer than 2 labelled rows, naming the file and a fix', () => {
    assert.throws(
      () => evaluateModel(clf.model, clf.inputSchema, 'binary', churn(1), 'churned', { source: 'one.csv' }),
      /'churned' in one\.csv has only 1 non-missing value.*Fix: /,
    );
  });

  const reg = trainModel(house(80), { family: 'ridge', target: 'price', holdout: 0 });

  it('refuses a non-numeric truth column for a regression model, naming the column and the model target', () => {
    assert.throws(
      () =>
        evaluateModel(reg.model, reg.inputSchema, 'regression', house(20), 'condition', {
          source: 'h.csv',
          modelTarget: 'price',
        }),
      /column 'condition' in h\.csv is categorical, but this is a regression model.*--target price/,
    );
  });

  it("refuses the model's own target read as text, naming its first value and lathe clean", () => {
    const data = tableFromObjects(
      Array.from({ length: 20 }, (_, i) => ({
        sqft: i,
        condition: 'good',
        price: i === 0 ? null : `${i},500`,
      })),
    );
    const lines = Int32Array.from({ length: 20 }, (_, i) => i + 2);
    assert.throws(
      () =>
        evaluateModel(reg.model, reg.inputSchema, 'regression', data, 'price', {
          source: 'h.csv',
          rowLines: lines,
          modelTarget: 'price',
        }),
      (e: Error) =>
        e.name === 'DataError' &&
        /^h\.csv, line 3, column 'price': the truth of this regression model must be numbers, but 'price' holds text such as "1,500"/.test(
          e.message,
        ) &&
        /Fix: write 'price' as plain numbers \(lathe clean /.test(e.message) &&
        !/pass --target/.test(e.message),
    );
  });

  it('refuses an infinite truth value, naming file, line and column', () => {
    const data = house(20, (i) => (i === 4 ? Number.POSITIVE_INFINITY : 100 + i));
    const lines = Int32Array.from({ length: 20 }, (_, i) => i + 2);
    assert.throws(
      () =>
        evaluateModel(reg.model, reg.inputSchema, 'regression', data, 'price', {
          source: 'h.csv',
          rowLines: lines,
        }),
      /^DataError: h\.csv, line 6, column 'price': the target value is inf; a regression target must be a finite number/,
    );
  });

  it('says an entirely empty truth column has no values (not that it is mistyped)', () => {
    const empty = tableFromObjects(
      Array.from({ length: 6 }, (_, i) => ({ sqft: i, condition: 'good', price: null as string | null })),
    );
    assert.throws(
      () => evaluateModel(reg.model, reg.inputSchema, 'regression', empty, 'price', { source: 'h.csv' }),
      /The target column 'price' in h\.csv has no values: it is empty on all 6 rows.*Fix: fill in 'price'/,
    );
  });

  it('sets aside rows the model refuses under quarantine, by file line, and counts them', () => {
    const data = tableFromObjects(
      Array.from({ length: 12 }, (_, i) => ({
        sqft: i === 3 ? Number.POSITIVE_INFINITY : i,
        condition: i % 2 ? 'good' : 'fair',
        price: i === 0 ? null : 100 + 3 * i,
      })),
    );
    const lines = Int32Array.from({ length: 12 }, (_, i) => i + 2);
    const opts = { source: 'h.csv', rowLines: lines, nResamples: 0 };
    assert.throws(
      () => evaluateModel(reg.model, reg.inputSchema, 'regression', data, 'price', opts),
      /h\.csv, line 5, column 'sqft': an infinite value/,
    );
    const ev = evaluateModel(reg.model, reg.inputSchema, 'regression', data, 'price', {
      ...opts,
      onBadRows: 'quarantine',
    });
    assert.deepEqual(ev.rows, { total: 12, evaluated: 10, missingTarget: 1, rejected: 1 });
    assert.deepEqual(
      ev.rejected.map((r) => [r.row, r.line]),
      [[3, 5]],
    );
  });

  it('takes the predictions given for every row (lathe monitor predicts once): the same evaluation', () => {
    // Rows without a label are left out of the evaluation, and so out of the predictions given.
    const data = churn(60, (i) => (i % 4 === 1 ? null : i % 3 === 0 ? 'yes' : 'no'));
    const all = predictTable(clf.model, clf.inputSchema, data, { proba: true });
    const opts = { nResamples: 50, seed: 4 };
    const own = evaluateModel(clf.model, clf.inputSchema, 'binary', data, 'churned', opts);
    assert.equal(own.rows.missingTarget, 15);
    const given = evaluateModel(clf.model, clf.inputSchema, 'binary', data, 'churned', {
      ...opts,
      predicted: all,
    });
    assert.deepEqual(given, own);
    // They are used as given: a model that always said 'no' is judged so.
    const no = evaluateModel(clf.model, clf.inputSchema, 'binary', data, 'churned', {
      ...opts,
      predicted: { ...all, predictions: Array(60).fill('no') },
    });
    assert.equal(no.metrics.find((m) => m.key === 'recall')!.value, 0);
    assert.throws(
      () =>
        evaluateModel(clf.model, clf.inputSchema, 'binary', data, 'churned', {
          ...opts,
          predicted: predictTable(clf.model, clf.inputSchema, data.slice(0, 59), { proba: true }),
        }),
      /The predictions given are of 59 rows; the table has 60\..*Fix: pass the predictions of every row/,
    );
    const reg = trainModel(house(40), { family: 'linear', target: 'price', holdout: 0 });
    const homes = house(30, (i) => (i % 5 === 0 ? null : 100 + 3 * i + (i % 7)));
    assert.deepEqual(
      evaluateModel(reg.model, reg.inputSchema, 'regression', homes, 'price', {
        ...opts,
        predicted: predictTable(reg.model, reg.inputSchema, homes),
      }),
      evaluateModel(reg.model, reg.inputSchema, 'regression', homes, 'price', opts),
    );
  });
});

describe('progress of predictTable and evaluateModel', () => {
  it('predictTable advances by the rows of each batch; evaluateModel labels each metric bootstrap', () => {
    const rows = Array.from({ length: 120 }, (_, i) => ({
      x: i % 10,
      z: (i * 7) % 13,
      y: i % 10 > 4 ? 'b' : 'a',
    }));
    const table = tableFromObjects(rows);
    const r = trainModel(table, { family: 'logistic', target: 'y', holdout: 0 });
    const p = fakeStream(true);
    const progress = createProgress({ total: table.nRows, stream: p.stream, delayMs: 0 });
    progress.label('predict');
    predictTable(r.model, r.inputSchema, table.drop(['y']), { batchSize: 50, progress });
    assert.match(p.writes[p.writes.length - 1], /100% 120\/120/);
    const e = fakeStream(true);
    const ep = createProgress({ total: evaluateStages('binary'), stream: e.stream, delayMs: 0 });
    evaluateModel(r.model, r.inputSchema, 'binary', table, 'y', { nResamples: 100, progress: ep });
    const labels = shownLabels(e.writes);
    assert.equal(labels[0], 'evaluate: bootstrap of accuracy (100 resamples)');
    assert.equal(labels.length, evaluateStages('binary'));
    assert.match(e.writes[e.writes.length - 1], /100%/);
  });
});
