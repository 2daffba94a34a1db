import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import '../../src/index.ts';
import type { Evaluation } from '../../src/automl/evaluate.ts';
import {
  metricsBaseline,
  monitorDrift,
  performanceDecay,
  sampleDistribution,
} from '../../src/automl/monitor.ts';
import { packageInputFor } from '../../src/automl/package.ts';
import { predictTable, scoringSchema } from '../../src/automl/predict.ts';
import { packageReference, REFERENCE_ROWS, referenceSample } from '../../src/automl/reference.ts';
import { trainModel } from '../../src/automl/train.ts';
import { Rng } from '../../src/core/rng.ts';
import { tableFromObjects } from '../../src/data/from-rows.ts';
import { applySchema } from '../../src/data/schema-apply.ts';
import type { Table } from '../../src/data/table.ts';
import { readModelPackage } from '../../src/track/package/read.ts';
import { writeModelPackage } from '../../src/track/package/write.ts';

/** Customers with an age, a plan and a signup date; `shift` moves the ages and the plans' mix. */
function customers(n: number, seed: number, shift = 0): Table {
  const rng = new Rng(seed);
  return tableFromObjects(
    Array.from({ length: n }, () => {
      const age = Math.round(rng.normal(40 + shift, 10));
      const u = rng.random();
      const plan = shift
        ? u < 0.6
          ? 'pro'
          : u < 0.8
            ? 'basic'
            : 'team'
        : u < 0.2
          ? 'pro'
          : u < 0.7
            ? 'basic'
            : 'team';
      return {
        age,
        plan,
        spend: rng.random() < 0.1 ? null : Math.round(rng.uniform(10, 90)),
        signup: new Date(Date.UTC(2020, 0, 1 + Math.floor(rng.random() * 900))),
        churned: age + (plan === 'pro' ? 10 : 0) + rng.normal(0, 8) > 50 ? 'yes' : 'no',
      };
    }),
  );
}

const train = customers(800, 1);
const r = trainModel(train, { family: 'logistic', target: 'churned', holdout: 0.25, seed: 3 });
const used = ['signup', 'age', 'plan', 'spend'];

/** Current rows typed as the model reads them. */
const typed = (t: Table) => applySchema(t.drop(['churned']), scoringSchema(r.inputSchema));

describe('referenceSample', () => {
  it("keeps every training row's model inputs when there are at most 5 000, in order", () => {
    assert.equal(r.reference.rows, 600);
    assert.deepEqual(Object.keys(r.reference.columns).sort(), [...used].sort());
    const age = r.reference.columns.age as Float64Array;
    assert.equal(age.length, 600);
    const trainRows = train.take(
      Int32Array.from({ length: 800 }, (_, i) => i).filter((i) => !r.holdoutRows.includes(i)),
    );
    assert.deepEqual(Array.from(age), trainRows.values('age'));
    assert.deepEqual(r.reference.columns.plan, trainRows.values('plan'));
    // Dates as milliseconds; missing values as NaN / null.
    assert.deepEqual(
      Array.from(r.reference.columns.signup as Float64Array),
      trainRows.values('signup').map((d) => Date.parse(d as string)),
    );
    assert.ok(Array.from(r.reference.columns.spend as Float64Array).some(Number.isNaN));
  });

  it('samples 5 000 rows from a larger table, the same ones for the same seed', () => {
    const big = customers(REFERENCE_ROWS + 700, 9).drop(['churned']);
    const a = referenceSample(big, ['age', 'plan'], 4);
    const b = referenceSample(big, ['age', 'plan'], 4);
    const c = referenceSample(big, ['age', 'plan'], 5);
    assert.equal(a.rows, REFERENCE_ROWS + 700);
    assert.equal(a.columns.age.length, REFERENCE_ROWS);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.columns.age, c.columns.age);
  });

  it('travels in the model package (extra.reference) and comes back equal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lathe-ref-'));
    try {
      const w = await writeModelPackage(join(dir, 'm'), packageInputFor(r, {}, 'churn'));
      const pkg = await readModelPackage(w.path);
      assert.deepEqual(packageReference(pkg.extra), r.reference);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is absent from older packages, and a malformed one is refused', () => {
    assert.equal(packageReference(null), null);
    assert.equal(packageReference({ other: 1 }), null);
    assert.throws(
      () => packageReference({ reference: { rows: 3, columns: { a: [1, 2] } } }),
      /reference sample \(extra\.reference\) is malformed/,
    );
    assert.throws(
      () => packageReference({ reference: { rows: 3, columns: { a: ['x'], b: Float64Array.of(1, 2) } } }),
      /malformed/,
    );
  });
});

describe('monitorDrift', () => {
  after(() => undefined);

  it('finds no drift in the holdout rows, drawn from the same population as the training rows', () => {
    const report = monitorDrift(r.model, r.inputSchema, r.reference, typed(train.take(r.holdoutRows)));
    assert.equal(report.rows.current, 200);
    assert.equal(report.rows.reference, 600);
    assert.deepEqual(
      report.columns.map((c) => [c.column, c.test, c.drifted]),
      [
        ['age', 'ks', false],
        ['plan', 'chisquare', false],
        ['spend', 'ks', false],
        ['signup', null, null],
      ],
    );
    assert.match(report.columns[3].reason!, /a date column/);
    assert.equal(report.tested, 3);
    assert.equal(report.drifted, 0);
    assert.equal(report.datasetDrift, false);
    assert.equal(report.prediction!.drifted, false);
    assert.deepEqual(report.notes, []);
  });

  it('says when the current rows are too few for a verdict to mean much', () => {
    const report = monitorDrift(
      r.model,
      r.inputSchema,
      r.reference,
      typed(train.take(r.holdoutRows.slice(0, 12))),
    );
    assert.equal(report.notes.length, 1);
    assert.match(report.notes[0], /^only 12 current rows: .*compare a few hundred rows or more/);
  });

  it('finds the shifted ages, the new plan mix and the predictions that follow them', () => {
    const report = monitorDrift(r.model, r.inputSchema, r.reference, typed(customers(400, 2, 15)));
    const by = Object.fromEntries(report.columns.map((c) => [c.column, c]));
    assert.equal(by.age.drifted, true);
    assert.ok(by.age.pValue! < 1e-6);
    assert.equal(by.plan.drifted, true);
    assert.equal(by.spend.drifted, false);
    assert.equal(report.drifted, 2);
    assert.ok(Math.abs(report.share - 2 / 3) < 1e-15);
    assert.equal(report.datasetDrift, true);
    assert.equal(report.prediction!.drifted, true);
    assert.ok(by.age.current.mean! > by.age.reference.mean! + 10);
    assert.equal(by.plan.current.top!.value, 'pro');
  });

  it('takes the current predictions when given (lathe monitor --target predicts once)', () => {
    const cur = typed(customers(300, 2, 5));
    const own = monitorDrift(r.model, r.inputSchema, r.reference, cur);
    const predictions = predictTable(r.model, r.inputSchema, cur, { proba: true }).predictions;
    assert.deepEqual(
      monitorDrift(r.model, r.inputSchema, r.reference, cur, { currentPredictions: predictions }),
      own,
    );
    // Used as given: predictions all 'yes' make the predictions drift.
    const yes = monitorDrift(r.model, r.inputSchema, r.reference, cur, {
      currentPredictions: Array(300).fill('yes'),
    });
    assert.equal(yes.prediction!.current.top!.value, 'yes');
    assert.equal(yes.prediction!.current.top!.share, 1);
    assert.deepEqual(yes.columns, own.columns);
  });

  it('refuses current data without rows or without a column the model reads', () => {
    const cur = typed(customers(50, 2));
    assert.throws(
      () => monitorDrift(r.model, r.inputSchema, r.reference, cur.slice(0, 0)),
      /no current rows/,
    );
    assert.throws(
      () => monitorDrift(r.model, r.inputSchema, r.reference, cur.drop(['plan'])),
      /lacks columns the model reads: plan/,
    );
  });

  it('reports a column with no value instead of testing it', () => {
    const cur = typed(
      customers(50, 2).withColumn({
        type: 'numeric',
        name: 'spend',
        values: new Float64Array(50).fill(Number.NaN),
      }),
    );
    const spend = monitorDrift(r.model, r.inputSchema, r.reference, cur).columns.find(
      (c) => c.column === 'spend',
    )!;
    assert.equal(spend.drifted, null);
    assert.equal(spend.reason, 'no value in the current data');
    assert.equal(spend.current.missingShare, 1);
  });
});

describe('performanceDecay', () => {
  const evaluation = (
    metrics: { key: string; value: number; lower: number; upper: number; greaterIsBetter: boolean }[],
  ) =>
    ({
      task: 'binary',
      rows: { total: 100, evaluated: 90, missingTarget: 10, rejected: 0 },
      confidenceLevel: 0.95,
      metrics: metrics.map((m) => ({ ...m, title: m.key, intervalReason: null })),
    }) as unknown as Evaluation;

  it('calls a metric worse when its training value lies beyond the interval on the better side', () => {
    const p = performanceDecay(
      evaluation([
        { key: 'rocAuc', value: 0.7, lower: 0.65, upper: 0.75, greaterIsBetter: true },
        { key: 'accuracy', value: 0.9, lower: 0.85, upper: 0.95, greaterIsBetter: true },
        { key: 'logLoss', value: 0.5, lower: 0.45, upper: 0.55, greaterIsBetter: false },
        { key: 'brier', value: 0.2, lower: 0.15, upper: 0.25, greaterIsBetter: false },
        { key: 'f1', value: 0.5, lower: 0.4, upper: 0.6, greaterIsBetter: true },
      ]),
      { rocAuc: 0.8, accuracy: 0.8, logLoss: 0.3, brier: 0.4, f1: 0.5, mcc: 0.3 },
      'holdout',
    );
    assert.deepEqual(
      p.metrics.map((m) => [m.key, m.verdict]),
      [
        ['rocAuc', 'worse'],
        ['accuracy', 'better'],
        ['logLoss', 'worse'],
        ['brier', 'better'],
        ['f1', 'same'],
      ],
    );
    assert.equal(p.primary, 'rocAuc');
    assert.equal(p.decayed, true);
    assert.equal(p.rows, 90);
    assert.equal(p.baseline, 'holdout');
  });

  it('has no verdict without a training value or an interval, and no decay then', () => {
    const p = performanceDecay(
      evaluation([{ key: 'rocAuc', value: 0.7, lower: 0.65, upper: 0.75, greaterIsBetter: true }]),
      {},
      'unknown',
    );
    assert.equal(p.metrics[0].verdict, null);
    assert.equal(p.metrics[0].trained, null);
    assert.equal(p.decayed, false);
  });

  it("reads what a package's metrics were measured on", () => {
    assert.equal(metricsBaseline({ metricsOn: 'holdout' }), 'holdout');
    assert.equal(metricsBaseline({ metricsOn: 'training' }), 'training');
    assert.equal(metricsBaseline(null), 'unknown');
    assert.equal(metricsBaseline({ reference: null }), 'unknown');
    assert.equal(metricsBaseline(packageInputFor(r, {}).extra as never), 'holdout');
  });
});

describe('sampleDistribution', () => {
  it('bins numbers with more than 5 distinct values into 20 equal bins over both samples, as shares', () => {
    const ref = Float64Array.from({ length: 100 }, (_, i) => i);
    const cur = Float64Array.from({ length: 50 }, (_, i) => 100 + i * 2);
    const d = sampleDistribution(ref, cur)!;
    assert.equal(d.kind, 'bins');
    if (d.kind !== 'bins') return;
    assert.equal(d.edges.length, 21);
    assert.equal(d.edges[0], 0);
    assert.equal(d.edges[20], 198);
    const sum = (x: number[]) => x.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum(d.reference) - 1) < 1e-12 && Math.abs(sum(d.current) - 1) < 1e-12);
    assert.equal(
      d.reference.slice(11).reduce((a, b) => a + b, 0),
      0,
    );
    assert.equal(
      d.current.slice(0, 10).reduce((a, b) => a + b, 0),
      0,
    );
  });

  it('counts levels (the 12 most frequent, then (other)), leaving missing values out', () => {
    const d = sampleDistribution(['a', 'a', 'b', null], ['b', 'c', null, null])!;
    assert.deepEqual(d, {
      kind: 'levels',
      levels: ['a', 'b', 'c'],
      reference: [2 / 3, 1 / 3, 0],
      current: [0, 0.5, 0.5],
    });
    const many = Array.from({ length: 20 }, (_, i) => `l${String(i).padStart(2, '0')}`);
    const m = sampleDistribution(many, many)!;
    assert.equal(m.kind === 'levels' && m.levels.length, 13);
    assert.equal(m.kind === 'levels' && m.levels[12], '(other)');
    assert.ok(m.kind === 'levels' && Math.abs(m.reference[12] - 8 / 20) < 1e-12);
    const few = sampleDistribution(Float64Array.of(0, 1, 1, Number.NaN), Float64Array.of(1, 1))!;
    assert.deepEqual(few, { kind: 'levels', levels: ['1', '0'], reference: [2 / 3, 1 / 3], current: [1, 0] });
    assert.equal(sampleDistribution(Float64Array.of(Number.NaN), Float64Array.of(1)), null);
  });

  it('gives no negative share to (other) when a sample has no level beyond the 12 shown', () => {
    // 18 reference rows on 12 levels: their shares add up to a hair over 1 in floating point.
    const ref = Array.from({ length: 18 }, (_, i) => `r${String(Math.min(i, 11)).padStart(2, '0')}`);
    const d = sampleDistribution(ref, ['zz'])!;
    assert.equal(d.kind === 'levels' && d.levels[12], '(other)');
    for (const s of [d.reference, d.current])
      assert.ok(
        s.every((x) => x >= 0),
        String(s),
      );
  });
});
