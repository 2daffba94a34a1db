import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../../src/index.ts';
import { family, makeEstimator } from '../../src/automl/families.ts';
import { packageInputFor } from '../../src/automl/package.ts';
import { predictTable } from '../../src/automl/predict.ts';
import { detectTask } from '../../src/automl/task.ts';
import { trainModel, trainStages } from '../../src/automl/train.ts';
import { ValidationError } from '../../src/core/errors.ts';
import { createProgress } from '../../src/core/progress.ts';
import { booleanColumn, type Column, categoricalColumn, numericColumn } from '../../src/data/column.ts';
import { tableFromObjects } from '../../src/data/from-rows.ts';
import type { Table } from '../../src/data/table.ts';
import { fakeStream, shownLabels } from '../helpers/fake-tty.ts';

function churnTable(n = 300): Table {
  const rows = [];
  for (let i = 0; i < n; i++) {
    const tenure = (i * 7) % 60;
    const charges = 20 + ((i * 13) % 80);
    const plan = ['basic', 'standard', 'premium'][i % 3];
    rows.push({
      id: `C${i}`,
      tenure,
      charges: i % 17 === 0 ? null : charges,
      plan,
      churned: (charges > 60 && tenure < 20) || i % 23 === 0 ? 'yes' : i % 29 === 0 ? null : 'no',
    });
  }
  return tableFromObjects(rows);
}

describe('detectTask', () => {
  it('tells binary, multiclass and regression apart', () => {
    assert.equal(detectTask(categoricalColumn('y', ['a', 'b', 'a'])), 'binary');
    assert.equal(detectTask(categoricalColumn('y', ['a', 'b', 'c'])), 'multiclass');
    assert.equal(detectTask(numericColumn('y', [0, 1, 1, 0])), 'binary');
    assert.equal(detectTask(numericColumn('y', [1, 2, 3, 4, 5])), 'multiclass');
    assert.equal(detectTask(numericColumn('y', [1.5, 2, 3])), 'regression');
    assert.equal(
      detectTask(
        numericColumn(
          'y',
          Array.from({ length: 50 }, (_, i) => i),
        ),
      ),
      'regression',
    );
  });

  it('refuses a constant target', () => {
    assert.throws(() => detectTask(categoricalColumn('y', ['a', 'a'])), /single value/);
  });
});

describe('families', () => {
  it('maps names to estimators and refuses impossible combinations', () => {
    assert.equal(makeEstimator('logistic', 'binary').typeName, 'LogisticRegression');
    assert.equal(makeEstimator('gbdt', 'regression').typeName, 'HistGradientBoostingRegressor');
    assert.throws(() => makeEstimator('logistic', 'regression'), /does not do regression/);
    assert.throws(() => family('gbtd'), /did you mean 'gbdt'/);
  });
});

describe('trainModel', () => {
  it('leaves out rows with a missing target, counts them, and keeps the accounting', () => {
    const t = churnTable();
    const r = trainModel(t, { family: 'logistic', target: 'churned' });
    const missing = t.values('churned').filter((v) => v === null).length;
    assert.ok(missing > 0);
    assert.equal(r.rows.missingTarget, missing);
    assert.equal(r.rows.used + r.rows.missingTarget, r.rows.total);
    assert.equal(r.rows.train + r.rows.holdout, r.rows.used);
    assert.equal(r.task, 'binary');
    assert.deepEqual(r.classes, ['no', 'yes']);
    assert.equal(r.metricsOn, 'holdout');
    assert.ok(r.metrics.rocAuc > 0.5 && r.metrics.rocAuc <= 1, `rocAuc ${r.metrics.rocAuc}`);
    assert.ok(
      r.notes.some((n) => n.column === 'id'),
      'the id column is dropped with a note',
    );
    // holdout rows point into the input table, at rows that have a target
    for (const i of r.holdoutRows) assert.notEqual(t.values('churned')[i], null);
  });

  it('is reproducible: same seed, same model bytes', () => {
    const t = churnTable();
    const a = trainModel(t, {
      family: 'random-forest',
      target: 'churned',
      params: { nEstimators: 5 },
      seed: 3,
    });
    const b = trainModel(t, {
      family: 'random-forest',
      target: 'churned',
      params: { nEstimators: 5 },
      seed: 3,
    });
    assert.equal(JSON.stringify(a.model.toJSON()), JSON.stringify(b.model.toJSON()));
  });

  it('cross-validates the training rows when asked, without changing the fitted model', () => {
    const t = churnTable();
    const plain = trainModel(t, { family: 'logistic', target: 'churned' });
    const withCv = trainModel(t, { family: 'logistic', target: 'churned', cv: 3 });
    assert.equal(plain.cv, null);
    assert.equal(withCv.cv?.folds, 3);
    const acc = withCv.cv!.metrics.accuracy;
    assert.equal(acc.scores.length, 3);
    assert.ok(acc.scores.every((v) => v > 0.5 && v <= 1));
    assert.ok(Math.abs(acc.mean - acc.scores.reduce((a, b) => a + b, 0) / 3) < 1e-12);
    assert.ok(withCv.cv!.metrics.logLoss.mean > 0, 'losses are reported in their own units, not negated');
    assert.equal(JSON.stringify(withCv.model.toJSON()), JSON.stringify(plain.model.toJSON()));
    assert.throws(
      () => trainModel(t, { family: 'logistic', target: 'churned', cv: 1 }),
      /cv must be an integer ≥ 2/,
    );
  });

  it('scores new rows through the saved input schema, ignoring extra columns', () => {
    const t = churnTable();
    const r = trainModel(t, { family: 'gaussian-nb', target: 'churned' });
    const p = predictTable(r.model, r.inputSchema, t, { proba: true, keep: ['id'] });
    assert.deepEqual(p.table.columnNames, ['id', 'prediction', 'proba_no', 'proba_yes']);
    assert.equal(p.table.nRows, t.nRows);
    // 'id' was dropped in training (id-like): the model does not read it, so it is ignored too.
    assert.deepEqual(p.ignoredColumns, ['id', 'churned']);
    const noId = predictTable(r.model, r.inputSchema, t.drop(['id']), { proba: true });
    assert.deepEqual(Array.from(noId.proba!.data), Array.from(p.proba!.data));
  });

  it('predictions keep the target type: numbers stay numbers, booleans booleans, strings strings', () => {
    const base = churnTable().drop(['churned']);
    const n = base.nRows;
    const on = (i: number) => (i * 7) % 3 === 0;
    const cases: [string, Column, string, unknown[]][] = [
      [
        'n',
        numericColumn(
          'n',
          Array.from({ length: n }, (_, i) => (on(i) ? 1 : 0)),
        ),
        'numeric',
        [0, 1],
      ],
      [
        'b',
        booleanColumn(
          'b',
          Array.from({ length: n }, (_, i) => on(i)),
        ),
        'boolean',
        [false, true],
      ],
      [
        's',
        categoricalColumn(
          's',
          Array.from({ length: n }, (_, i) => (on(i) ? 'y' : 'x')),
        ),
        'categorical',
        ['x', 'y'],
      ],
    ];
    for (const [name, column, storage, classes] of cases) {
      const t = base.withColumn(column);
      const r = trainModel(t, { family: 'gaussian-nb', target: name });
      const pkg = packageInputFor(r, {});
      assert.equal(pkg.outputSchema.columns[0].storage, storage, name);
      const p = predictTable(r.model, r.inputSchema, t, {
        predictionStorage: pkg.outputSchema.columns[0].storage as 'numeric' | 'boolean' | 'categorical',
      });
      const col = p.table.column('prediction');
      assert.equal(col.type, storage, name);
      for (const v of p.table.values('prediction')) assert.ok(classes.includes(v), `${name}: ${v}`);
      // The holdout metrics compare the truth (of the column's type) with the predicted classes.
      for (const m of ['accuracy', 'f1', 'mcc', 'logLoss', 'rocAuc'])
        assert.ok(Number.isFinite(r.metrics[m]), `${name}: ${m} = ${r.metrics[m]}`);
    }
  });

  it('does regression and clustering, and says what is wrong with bad requests', () => {
    const t = churnTable();
    const reg = trainModel(t.drop(['churned']), { family: 'ridge', target: 'tenure' });
    assert.equal(reg.task, 'regression');
    assert.ok(Number.isFinite(reg.metrics.rmse));
    const km = trainModel(t.drop(['churned', 'id']), { family: 'kmeans', params: { nClusters: 3 } });
    assert.equal(km.task, 'clustering');
    assert.equal(km.metrics.nClusters, 3);
    assert.throws(
      () => trainModel(t, { family: 'logistic' }),
      (e: unknown) => e instanceof ValidationError && /name it/.test(e.message),
    );
    assert.throws(() => trainModel(t, { family: 'kmeans', target: 'churned' }), /unsupervised/);
    assert.throws(() => trainModel(t, { family: 'logistic', target: 'churnd' }), /did you mean 'churned'/);
  });

  it('refuses a forced --task the family cannot do without a target, instead of ignoring it', () => {
    const t = churnTable().drop(['churned', 'id']);
    // kmeans with --task regression used to train k-means clusters as if no task had been given.
    assert.throws(
      () => trainModel(t, { family: 'kmeans', task: 'regression' }),
      (e: unknown) =>
        e instanceof ValidationError &&
        /--task regression needs a target, but 'kmeans' is unsupervised/.test(e.message) &&
        /Fix: drop --task/.test(e.message),
    );
    assert.throws(
      () => trainModel(t, { family: 'pca', task: 'clustering' }),
      /--task clustering does not fit 'pca'.*Fix: drop --task, or choose --model kmeans or dbscan/,
    );
    assert.equal(
      trainModel(t, { family: 'kmeans', task: 'clustering', params: { nClusters: 2 } }).task,
      'clustering',
    );
    // A supervised family with a target and --task clustering: the message says how to fix it.
    assert.throws(
      () => trainModel(churnTable(), { family: 'gbdt', target: 'churned', task: 'clustering' }),
      /--task clustering is for the unsupervised families \(kmeans, dbscan\).*Fix: drop --task clustering to fit gbdt on 'churned', or drop --target and choose --model kmeans or dbscan/,
    );
  });

  it('checks a forced --task against the target: binary needs exactly 2 classes, classes must be whole', () => {
    const three = tableFromObjects(
      Array.from({ length: 30 }, (_, i) => ({ x: i, y: ['a', 'b', 'c'][i % 3], v: i + 0.5 })),
    );
    assert.throws(
      () => trainModel(three, { family: 'gbdt', target: 'y', task: 'binary', source: 'w.csv' }),
      /The target 'y' in w\.csv has 3 classes \('a', 'b', 'c'\); --task binary needs exactly 2\. Fix: use --task multiclass/,
    );
    assert.throws(
      () => trainModel(three, { family: 'gbdt', target: 'v', task: 'multiclass' }),
      /holds numbers that are not whole \(e\.g\. 0\.5\).*Fix: use --task regression/,
    );
    assert.throws(
      () => trainModel(three, { family: 'ridge', target: 'y', task: 'regression' }),
      /categorical; --task regression needs a numeric target/,
    );
    // Two classes as multiclass is fine: the metrics are the multiclass set; the estimator is unchanged.
    const two = churnTable();
    assert.equal(
      trainModel(two, { family: 'logistic', target: 'churned', task: 'multiclass' }).task,
      'multiclass',
    );
  });

  it('--task multiclass on two classes changes the metrics, not the estimator (docs/train.md)', () => {
    // The docs once promised "a multinomial model of two classes"; the model fitted was (and is) the
    // binary one, as scikit-learn's multi_class='auto' on two classes. A softmax is asked for explicitly.
    const two = churnTable();
    const asBinary = trainModel(two, { family: 'logistic', target: 'churned', task: 'binary' });
    const asMulti = trainModel(two, { family: 'logistic', target: 'churned', task: 'multiclass' });
    assert.deepEqual(Object.keys(asMulti.metrics).sort(), [
      'accuracy',
      'balancedAccuracy',
      'f1Macro',
      'f1Weighted',
      'logLoss',
      'mcc',
      'precisionMacro',
      'recallMacro',
      'rocAucOvr',
    ]);
    const lrOf = (r: typeof asMulti) =>
      r.model.namedSteps.model as unknown as { multinomial_: boolean; coef_: Float64Array[] };
    assert.equal(lrOf(asMulti).multinomial_, false);
    assert.deepEqual(
      lrOf(asMulti).coef_.map((c) => Array.from(c)),
      lrOf(asBinary).coef_.map((c) => Array.from(c)),
    );
    assert.equal(asMulti.metrics.logLoss, asBinary.metrics.logLoss);
    const softmax = trainModel(two, {
      family: 'logistic',
      target: 'churned',
      task: 'multiclass',
      params: { multiClass: 'multinomial' },
    });
    assert.equal(lrOf(softmax).multinomial_, true);
  });

  it('names the file, line and column of an infinite regression target', () => {
    const t = tableFromObjects(
      Array.from({ length: 30 }, (_, i) => ({
        x: i,
        price: i === 3 ? Number.POSITIVE_INFINITY : i % 2 ? null : 2 * i + 0.5,
      })),
    );
    // Rows 1 and 3 lack a target (left out): the infinite value is row 3 of the table, line 5 of the file.
    const lines = Int32Array.from({ length: 30 }, (_, i) => i + 2);
    assert.throws(
      () => trainModel(t, { family: 'ridge', target: 'price', source: 'h.csv', rowLines: lines }),
      /^DataError: h\.csv, line 5, column 'price': the target value is inf; a regression target must be a finite number\. Fix: /,
    );
  });

  it('refuses an infinite or huge feature value by file line, or quarantines its row', () => {
    const lines = Int32Array.from({ length: 300 }, (_, i) => i + 2);
    for (const [v, what] of [
      [Number.POSITIVE_INFINITY, /the value inf is infinite/],
      [1e200, /the value 1e\+200 is beyond ±1e150/],
    ] as const) {
      const t = churnTable();
      const tenure = Float64Array.from(t.values('tenure') as number[]);
      tenure[9] = v;
      const u = t.withColumn(numericColumn('tenure', tenure));
      for (const fam of ['logistic', 'gbdt', 'gaussian-nb', 'knn']) {
        assert.throws(
          () => trainModel(u, { family: fam, target: 'churned', source: 'c.csv', rowLines: lines }),
          (e: Error) =>
            e.name === 'DataError' &&
            /^c\.csv, line 11, column 'tenure': /.test(e.message) &&
            what.test(e.message) &&
            /--on-bad-rows quarantine/.test(e.message),
        );
      }
      const q = trainModel(u, {
        family: 'logistic',
        target: 'churned',
        rowLines: lines,
        onBadRows: 'quarantine',
      });
      assert.deepEqual(
        q.rejected.map((r) => [r.row, r.line, r.column]),
        [[9, 11, 'tenure']],
      );
      assert.equal(q.rows.rejected, 1);
      assert.equal(q.rows.used + q.rows.missingTarget + q.rows.rejected, q.rows.total);
      assert.ok(Number.isFinite(q.metrics.rocAuc));
      assert.ok(!Array.from(q.holdoutRows).includes(9));
    }
  });

  it('says every row holds a bad feature value when quarantine would leave none, not that the target has none', () => {
    const lines = Int32Array.from({ length: 300 }, (_, i) => i + 2);
    const t = churnTable();
    const u = t.withColumn(numericColumn('tenure', new Float64Array(300).fill(1e200)));
    assert.throws(
      () =>
        trainModel(u, {
          family: 'gbdt',
          target: 'churned',
          source: 'c.csv',
          rowLines: lines,
          onBadRows: 'quarantine',
        }),
      (e: Error) =>
        e.name === 'DataError' &&
        /^c\.csv, line 2, column 'tenure': the value 1e\+200 is beyond ±1e150, .*; every one of the 300 rows holds such a value, so setting them aside leaves no row to train on\. Fix: /.test(
          e.message,
        ) &&
        !/--on-bad-rows quarantine/.test(e.message),
    );
  });

  it('drops a column without values, with a note, so predicting does not need it', () => {
    const t = churnTable().withColumn(numericColumn('empty_col', new Float64Array(300).fill(Number.NaN)));
    const r = trainModel(t, { family: 'logistic', target: 'churned' });
    assert.ok(r.notes.some((n) => n.column === 'empty_col' && /no values/.test(n.reason ?? '')));
    const pkg = packageInputFor(r, {}, null);
    const out = predictTable(r.model, pkg.inputSchema, t.drop(['empty_col', 'churned']));
    assert.equal(out.table.nRows, 300);
  });

  it('refuses an infinite class label, and suggests regression for amounts with one row per class', () => {
    const lines = Int32Array.from({ length: 60 }, (_, i) => i + 2);
    const inf = tableFromObjects(
      Array.from({ length: 60 }, (_, i) => ({ x: i, y: i === 4 ? Number.POSITIVE_INFINITY : i % 3 })),
    );
    assert.throws(
      () =>
        trainModel(inf, {
          family: 'tree',
          target: 'y',
          task: 'multiclass',
          source: 'p.csv',
          rowLines: lines,
        }),
      /^DataError: p\.csv, line 6, column 'y': the target value is inf, which is not a class\./,
    );
    const prices = tableFromObjects(Array.from({ length: 60 }, (_, i) => ({ x: i, y: 1000 + i * 37 })));
    assert.throws(
      () => trainModel(prices, { family: 'tree', target: 'y', task: 'multiclass' }),
      /they look like amounts, not classes.*Fix: use --task regression/,
    );
  });

  it('points prices written as text ("1,013", "$1,026") at lathe clean, not at --holdout 0 or another target', () => {
    const lines = Int32Array.from({ length: 60 }, (_, i) => i + 2);
    const prices = tableFromObjects(
      Array.from({ length: 60 }, (_, i) => ({
        x: i,
        y: `${i % 2 ? '$' : ''}1,${String(i * 13).padStart(3, '0')}`,
      })),
    );
    for (const task of ['auto', 'multiclass'] as const) {
      assert.throws(
        () => trainModel(prices, { family: 'gbdt', target: 'y', task, source: 'p.csv', rowLines: lines }),
        (e: Error) =>
          e.name === 'DataError' &&
          /^p\.csv, line 2, column 'y': the target 'y' has 60 distinct values, 60 of them on a single row, and every one is a number written as text \(e\.g\. '1,000'\)/.test(
            e.message,
          ) &&
          /Fix: write the target as plain numbers — lathe clean /.test(e.message) &&
          !/--holdout 0/.test(e.message),
      );
    }
    assert.throws(
      () => trainModel(prices, { family: 'gbdt', target: 'y', task: 'regression', source: 'p.csv' }),
      /is (?:text|categorical) \(numbers written as text, such as '1,000'\); --task regression needs a numeric target\. Fix: write the target as plain numbers — lathe clean /,
    );
    // Codes with leading zeros are classes, not numbers to convert: the usual single-row message.
    const codes = tableFromObjects(Array.from({ length: 60 }, (_, i) => ({ x: i, y: `0${1000 + i}` })));
    assert.throws(
      () => trainModel(codes, { family: 'gbdt', target: 'y' }),
      /the class '01000' has only 1 row .*--holdout 0/,
    );
  });

  it('names the line of a class with a single row instead of a library split error', () => {
    const t = churnTable(60);
    const rows = t.values('churned');
    rows[7] = 'maybe';
    const u = t.withColumn(
      categoricalColumn(
        'churned',
        rows.map((v) => (v === null ? null : String(v))),
      ),
    );
    const lines = Int32Array.from({ length: 60 }, (_, i) => i + 2);
    assert.throws(
      () => trainModel(u, { family: 'gbdt', target: 'churned', source: 'c.csv', rowLines: lines }),
      /^DataError: c\.csv, line 9, column 'churned': the class 'maybe' has only 1 row; .*--holdout 0/,
    );
    assert.equal(
      trainModel(u, { family: 'gbdt', target: 'churned', holdout: 0 }).rows.train,
      60 - countMissing(u),
    );
  });
});

describe('trainModel: a file with nothing but the target', () => {
  it('says the data has no feature columns, naming the file (not "Table.take: row index 0 is outside 0..-1")', () => {
    const t = tableFromObjects(Array.from({ length: 10 }, (_, i) => ({ y: i % 2 ? 'a' : 'b' })));
    for (const holdout of [0.2, 0]) {
      assert.throws(
        () => trainModel(t, { family: 'logistic', target: 'y', holdout, source: 'only-y.csv' }),
        /^DataError: only-y\.csv: the data has no feature columns: its only column is the target 'y'\. Fix: /,
      );
    }
  });
});

describe('trainModel: every feature column dropped by the preprocessing', () => {
  it('names the file and each dropped column with its reason (not "X has no columns")', () => {
    const t = tableFromObjects(
      Array.from({ length: 40 }, (_, i) => ({ customer_id: `c${i}`, y: i % 2 ? 'a' : 'b' })),
    );
    for (const family of ['logistic', 'gbdt']) {
      assert.throws(
        () => trainModel(t, { family, target: 'y', source: 'ids.csv' }),
        /^DataError: ids\.csv: every feature column is dropped by the preprocessing: 'customer_id' \(id-like\)\. Fix: /,
      );
    }
  });
});

function countMissing(t: Table): number {
  return t.values('churned').filter((v) => v === null).length;
}

describe('trainModel progress', () => {
  it('labels each stage on a terminal (prepare, the folds, fit, holdout) and ends at 100 %', () => {
    const { stream, writes } = fakeStream(true);
    const progress = createProgress({ total: trainStages(3), stream, delayMs: 0, eta: false });
    trainModel(churnTable(), { family: 'logistic', target: 'churned', cv: 3, progress });
    assert.deepEqual(shownLabels(writes), [
      'train: preparing the data',
      'train: cross-validating (3 folds)',
      'train: fitting logistic on 232 rows',
      'train: evaluating on the 59-row holdout',
    ]);
    assert.match(writes[writes.length - 1], /100% 6\/6/);
    assert.ok(writes.every((w) => !/eta/.test(w)));
  });

  it('draws nothing when the stream is not a terminal', () => {
    const { stream, writes } = fakeStream(false);
    const progress = createProgress({ total: trainStages(), stream, delayMs: 0 });
    trainModel(churnTable(), { family: 'logistic', target: 'churned', progress });
    assert.deepEqual(writes, []);
  });
});
