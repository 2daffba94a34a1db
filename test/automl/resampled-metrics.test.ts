import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../../src/index.ts';
import type { LearningTask } from '../../src/automl/families.ts';
import { fastMetricOnRows, resampledMetric } from '../../src/automl/resampled-metrics.ts';
import { computeMetric, metricsFor, type SupervisedPredictions } from '../../src/automl/scores.ts';
import type { Label } from '../../src/core/labels.ts';
import { matrix, takeRows } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { captureWarnings } from '../../src/core/warnings.ts';
import {
  averagePrecisionScore,
  precisionRecallCurve,
  rocAucScore,
  rocCurve,
} from '../../src/metrics/index.ts';
import { bootstrapMetric } from '../../src/stats/bootstrap.ts';

/**
 * The bootstrap's metric as evaluateModel computed it before the fast path, kept here verbatim as
 * the reference: computeMetric on the resampled arrays.
 */
function reference(task: LearningTask, key: string, p: SupervisedPredictions) {
  const pick = <T extends readonly Label[] | Float64Array>(a: T, idx: ArrayLike<number>): T => {
    if (a instanceof Float64Array) {
      const out = new Float64Array(idx.length);
      for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]];
      return out as unknown as T;
    }
    const out = new Array<Label>(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = (a as readonly Label[])[idx[i]];
    return out as unknown as T;
  };
  return (idx: ArrayLike<number>) =>
    computeMetric(task, key, {
      yTrue: pick(p.yTrue, idx),
      yPred: pick(p.yPred, idx),
      proba: p.proba ? takeRows(p.proba, idx) : null,
      classes: p.classes,
    });
}

type Case = { task: LearningTask; p: SupervisedPredictions; what: string };

const LABEL_SETS: { name: string; classes: Label[]; unseen: Label }[] = [
  { name: 'strings', classes: ['no', 'yes'], unseen: 'maybe' },
  { name: 'numbers 0/1', classes: [0, 1], unseen: 2 },
  { name: 'numbers -1/1', classes: [-1, 1], unseen: 0 },
  { name: 'boolean strings', classes: ['false', 'true'], unseen: 'null' },
  { name: 'strings 3', classes: ['a', 'b', 'c'], unseen: 'z' },
  { name: 'strings 5', classes: ['apple', 'banana', 'cherry', 'date', 'elder'], unseen: 'fig' },
  { name: 'numbers 4', classes: [3, 7, 11, 20], unseen: 5 },
  { name: 'numbers 0..5', classes: [0, 1, 2, 3, 4, 5], unseen: 9 },
];

/** A random classification case: skewed classes, predictions that miss classes, tied probabilities. */
function classificationCase(rng: Rng, set: (typeof LABEL_SETS)[number], n: number): Case {
  const k = set.classes.length;
  const task: LearningTask = k === 2 ? 'binary' : 'multiclass';
  // Skewed class frequencies: some classes are rare, so absent from many resamples.
  const freq = Array.from({ length: k }, () => rng.random() ** 3 + 0.02);
  const total = freq.reduce((a, b) => a + b, 0);
  const draw = () => {
    let u = rng.random() * total;
    for (let c = 0; c < k; c++) {
      u -= freq[c];
      if (u < 0) return c;
    }
    return k - 1;
  };
  const decimals = rng.int(3); // 0 → heavy ties, 2 → few
  const scale = 10 ** decimals;
  const yTrue: Label[] = [];
  const yPred: Label[] = [];
  const data = new Float64Array(n * k);
  const withUnseen = rng.random() < 0.15;
  const accuracy = rng.random();
  for (let i = 0; i < n; i++) {
    const c = draw();
    yTrue.push(withUnseen && rng.random() < 0.1 ? set.unseen : set.classes[c]);
    const guess = rng.random() < accuracy ? c : rng.random() < 0.5 ? 0 : rng.int(k);
    yPred.push(set.classes[guess]);
    const row = Array.from({ length: k }, (_, j) => (j === guess ? 1 + rng.random() * 2 : rng.random()));
    const s = row.reduce((a, b) => a + b, 0);
    if (k === 2) {
      // Binary: [1 − p, p] with p rounded (ties), sometimes exactly 0 or 1.
      let p1 = Math.round((row[1] / s) * scale) / scale;
      if (rng.random() < 0.05) p1 = rng.random() < 0.5 ? 0 : 1;
      data[i * 2] = 1 - p1;
      data[i * 2 + 1] = p1;
    } else {
      for (let j = 0; j < k; j++) data[i * k + j] = row[j] / s;
    }
  }
  const proba = matrix(data, n, k, set.classes.map(String));
  return { task, p: { yTrue, yPred, proba, classes: set.classes }, what: `${set.name}, n=${n}` };
}

/** Booleans as labels (the metric functions read them as 0/1). */
function booleanCase(rng: Rng, n: number): Case {
  const yTrue: Label[] = [];
  const yPred: Label[] = [];
  const data = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const t = rng.random() < 0.3;
    yTrue.push(t as unknown as Label);
    yPred.push((rng.random() < 0.7 ? t : !t) as unknown as Label);
    const p1 = Math.round(rng.random() * 10) / 10;
    data[2 * i] = 1 - p1;
    data[2 * i + 1] = p1;
  }
  return {
    task: 'binary',
    p: {
      yTrue,
      yPred,
      proba: matrix(data, n, 2, ['false', 'true']),
      classes: [false, true] as unknown as Label[],
    },
    what: `booleans, n=${n}`,
  };
}

/** Index sets to score: resamples with replacement, every row, and each leave-one-out. */
function indexSets(rng: Rng, n: number, resamples: number): Int32Array[] {
  const out: Int32Array[] = [Int32Array.from({ length: n }, (_, i) => i)];
  for (let b = 0; b < resamples; b++) out.push(Int32Array.from({ length: n }, () => rng.int(n)));
  for (let i = 0; i < Math.min(n, 6); i++) {
    out.push(Int32Array.from({ length: n - 1 }, (_, r) => (r < i ? r : r + 1)));
  }
  return out;
}

function compare(c: Case, rng: Rng, resamples: number, fastTaken: Map<string, number>): number {
  let compared = 0;
  const n = c.p.yTrue.length;
  const sets = indexSets(rng, n, resamples);
  for (const spec of metricsFor(c.task)) {
    const ref = reference(c.task, spec.key, c.p);
    const fast = fastMetricOnRows(c.task, spec.key, c.p);
    if (fast) fastTaken.set(spec.key, (fastTaken.get(spec.key) ?? 0) + 1);
    const used = resampledMetric(c.task, spec.key, c.p);
    for (const idx of sets) {
      const want = ref(idx);
      if (fast) assert.strictEqual(fast(idx), want, `${spec.key} (${c.what}) on rows ${Array.from(idx)}`);
      assert.strictEqual(used(idx), want, `${spec.key} (${c.what}), resampledMetric`);
      compared++;
    }
  }
  return compared;
}

describe('fastMetricOnRows', () => {
  it('gives the same value, bit for bit, as computeMetric on the resampled rows (many random cases)', () => {
    const rng = new Rng(20261128);
    const fastTaken = new Map<string, number>();
    let compared = 0;
    for (let rep = 0; rep < 40; rep++) {
      for (const set of LABEL_SETS) {
        // Tiny holdouts (2–5 rows) and larger ones.
        const n = rep % 2 === 0 ? 2 + rng.int(4) : 6 + rng.int(rep < 20 ? 40 : 400);
        compared += compare(classificationCase(rng, set, n), rng, 12, fastTaken);
      }
      compared += compare(booleanCase(rng, 2 + rng.int(30)), rng, 12, fastTaken);
    }
    // Holdouts of over 1024 rows: the score order then comes from the radix argsort.
    for (const set of [LABEL_SETS[1], LABEL_SETS[6]]) {
      compared += compare(classificationCase(rng, set, 1100 + rng.int(500)), rng, 4, fastTaken);
    }
    assert.ok(compared > 50_000, `compared ${compared} values`);
    // The fast path is taken for every classification metric (not silently the reference).
    for (const task of ['binary', 'multiclass'] as const) {
      for (const m of metricsFor(task))
        assert.ok(fastTaken.get(m.key)! > 20, `${m.key}: ${fastTaken.get(m.key)}`);
    }
  });

  it('takes the fast path for label metrics even with a true label the model has no class for', () => {
    const p: SupervisedPredictions = {
      yTrue: ['a', 'b', 'z', 'a', 'c'],
      yPred: ['a', 'b', 'c', 'b', 'c'],
      proba: matrix(new Float64Array(15).fill(1 / 3), 5, 3),
      classes: ['a', 'b', 'c'],
    };
    assert.ok(fastMetricOnRows('multiclass', 'f1Macro', p));
    // Log loss and ROC AUC are undefined with such a label (NaN on every resample that holds it):
    // left to the reference path.
    assert.equal(fastMetricOnRows('multiclass', 'logLoss', p), null);
    assert.equal(fastMetricOnRows('multiclass', 'rocAucOvr', p), null);
  });

  it('gives the same value, bit for bit, for the regression metrics (many random cases)', () => {
    const rng = new Rng(5);
    const fastTaken = new Map<string, number>();
    let compared = 0;
    for (let rep = 0; rep < 150; rep++) {
      const n = rep % 3 === 0 ? 2 + rng.int(4) : 6 + rng.int(rep < 140 ? 200 : 3000);
      // Rounded values (tied errors, equal true values), a constant truth now and then, zeros (MAPE).
      const scale = 10 ** rng.int(3);
      const constant = rng.random() < 0.1;
      const yTrue = Float64Array.from({ length: n }, () =>
        constant ? 3 : Math.round(rng.normal(0, 10) * scale) / scale,
      );
      const yPred = yTrue.map((v) =>
        rng.random() < 0.1 ? v : Math.round((v + rng.normal()) * scale) / scale,
      );
      compared += compare(
        { task: 'regression', p: { yTrue, yPred }, what: `regression, n=${n}` },
        rng,
        12,
        fastTaken,
      );
    }
    assert.ok(compared > 10_000, `compared ${compared} values`);
    for (const m of metricsFor('regression')) assert.equal(fastTaken.get(m.key), 150, m.key);
  });

  it('leaves non-finite regression values and classifiers without classes to the reference path', () => {
    const p: SupervisedPredictions = {
      yTrue: Float64Array.of(1, 2, 3),
      yPred: Float64Array.of(1, Number.NaN, 2),
    };
    for (const m of metricsFor('regression')) assert.equal(fastMetricOnRows('regression', m.key, p), null);
    assert.equal(fastMetricOnRows('binary', 'accuracy', { yTrue: ['a', 'b'], yPred: ['a', 'a'] }), null);
  });

  it('gives bootstrapMetric the same interval as the reference (percentile and BCa)', () => {
    const rng = new Rng(7);
    for (const set of [LABEL_SETS[0], LABEL_SETS[5]]) {
      const c = classificationCase(rng, set, 60);
      const index = Int32Array.from({ length: 60 }, (_, i) => i);
      for (const spec of metricsFor(c.task)) {
        const ref = reference(c.task, spec.key, c.p);
        const fast = resampledMetric(c.task, spec.key, c.p);
        for (const method of ['percentile', 'bca'] as const) {
          const opts = { nResamples: 200, method, seed: 3 };
          const a = bootstrapMetric(index, index, (t) => fast(t), opts);
          const b = bootstrapMetric(index, index, (t) => ref(t), opts);
          assert.strictEqual(a.lower, b.lower, `${spec.key} ${method} lower`);
          assert.strictEqual(a.upper, b.upper, `${spec.key} ${method} upper`);
          assert.strictEqual(a.standardError, b.standardError, `${spec.key} ${method} standardError`);
        }
      }
    }
  });
});

describe('rocAucScore and averagePrecisionScore (computed without building their curves)', () => {
  // The arithmetic they had: the trapezoid under rocCurve's points, and Σ (Rₙ₊₁ − Rₙ)·Pₙ over
  // precisionRecallCurve's — both curves are still built as before.
  const trapezoid = (x: Float64Array, y: Float64Array) => {
    let area = 0;
    for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
    return area;
  };
  const ap = (precision: Float64Array, recall: Float64Array) => {
    let s = 0;
    for (let j = 0; j + 1 < recall.length; j++) s += (recall[j + 1] - recall[j]) * precision[j];
    return -s;
  };
  it('give the same bits as the area under the curves they return', () => {
    captureWarnings(() => check(new Rng(11)));
  });
  function check(rng: Rng) {
    for (let rep = 0; rep < 400; rep++) {
      const n = 2 + rng.int(rep < 300 ? 60 : 3000);
      const scale = 10 ** rng.int(4);
      const share = rng.random();
      const y = Array.from({ length: n }, () => (rng.random() < share ? 1 : 0));
      const s = Array.from({ length: n }, () => Math.round(rng.random() * scale) / scale);
      const w = rep % 3 === 0 ? Array.from({ length: n }, () => rng.int(3) * rng.random()) : undefined;
      const withBoth =
        y.some((v, i) => v === 1 && (!w || w[i] > 0)) && y.some((v, i) => v === 0 && (!w || w[i] > 0));
      const pr = precisionRecallCurve(y, s, { sampleWeight: w });
      if (w && !w.some((v) => v > 0)) continue;
      assert.strictEqual(averagePrecisionScore(y, s, { sampleWeight: w }), ap(pr.precision, pr.recall));
      if (!withBoth || y.every((v) => v === y[0])) continue;
      const roc = rocCurve(y, s, { sampleWeight: w });
      assert.strictEqual(rocAucScore(y, s, { sampleWeight: w }), trapezoid(roc.fpr, roc.tpr));
    }
  }
});
