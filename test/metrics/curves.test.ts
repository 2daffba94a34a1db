// Properties of the curve metrics on inputs larger than the oracle's (the radix-sort paths):
// ROC AUC is the Mann–Whitney statistic, integer weights equal repeated rows (which checks the
// weighted path against the unweighted one), and the curves have their documented shape.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/core/rng.ts';
import {
  averagePrecisionScore,
  precisionRecallCurve,
  rocAucScore,
  rocCurve,
} from '../../src/metrics/index.ts';
import { rankData } from '../../src/stats/correlation.ts';

const rng = new Rng(5);
const n = 20_000;
const y = new Int32Array(n);
const s = new Float64Array(n);
const w = new Float64Array(n);
for (let i = 0; i < n; i++) {
  y[i] = rng.random() < 0.35 ? 1 : 0;
  s[i] = Math.round((rng.normal() + 0.8 * y[i]) * 20) / 20; // many ties
  w[i] = 1 + rng.int(3);
}

/** AUC as the normalised Mann–Whitney U with mid-ranks for ties. */
function mannWhitney(labels: Int32Array, scores: Float64Array): number {
  const r = rankData(scores);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]) {
      pos++;
      rankSum += r[i];
    }
  }
  const neg = labels.length - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Each row repeated w[i] times. */
function repeated(): { y: Int32Array; s: Float64Array } {
  let m = 0;
  for (let i = 0; i < n; i++) m += w[i];
  const yy = new Int32Array(m);
  const ss = new Float64Array(m);
  for (let i = 0, k = 0; i < n; i++) {
    for (let r = 0; r < w[i]; r++, k++) {
      yy[k] = y[i];
      ss[k] = s[i];
    }
  }
  return { y: yy, s: ss };
}

function close(a: number, b: number, rtol = 1e-12): void {
  assert.ok(Math.abs(a - b) <= rtol * Math.max(Math.abs(a), Math.abs(b)), `${a} vs ${b}`);
}

describe('ROC and precision–recall on 20 000 tied scores', () => {
  it('rocAucScore equals the Mann–Whitney statistic', () => {
    close(rocAucScore(y, s), mannWhitney(y, s));
  });

  it('integer sample weights equal repeated rows', () => {
    const rep = repeated();
    close(rocAucScore(y, s, { sampleWeight: w }), rocAucScore(rep.y, rep.s));
    close(averagePrecisionScore(y, s, { sampleWeight: w }), averagePrecisionScore(rep.y, rep.s));
    const a = rocCurve(y, s, { sampleWeight: w, dropIntermediate: false });
    const b = rocCurve(rep.y, rep.s, { dropIntermediate: false });
    assert.deepEqual(Array.from(a.thresholds), Array.from(b.thresholds));
    a.fpr.forEach((v, i) => close(v, b.fpr[i]));
    a.tpr.forEach((v, i) => close(v, b.tpr[i]));
  });

  it('weights of 1 give exactly the unweighted curve', () => {
    const ones = new Float64Array(n).fill(1);
    assert.deepEqual(rocCurve(y, s, { sampleWeight: ones }), rocCurve(y, s));
    assert.deepEqual(precisionRecallCurve(y, s, { sampleWeight: ones }), precisionRecallCurve(y, s));
  });

  it('rocCurve runs from (0, 0) to (1, 1) with decreasing thresholds, one per distinct score at most', () => {
    const { fpr, tpr, thresholds } = rocCurve(y, s, { dropIntermediate: false });
    const distinct = new Set(s).size;
    assert.equal(thresholds.length, distinct + 1);
    assert.equal(fpr[0], 0);
    assert.equal(tpr[0], 0);
    assert.equal(fpr[fpr.length - 1], 1);
    assert.equal(tpr[tpr.length - 1], 1);
    for (let i = 1; i < fpr.length; i++) {
      assert.ok(thresholds[i] < thresholds[i - 1]);
      assert.ok(fpr[i] >= fpr[i - 1] && tpr[i] >= tpr[i - 1]);
    }
    const dropped = rocCurve(y, s);
    assert.ok(dropped.fpr.length < fpr.length);
  });

  it('flipping the scores turns AUC into 1 − AUC', () => {
    const neg = s.map((v) => -v);
    close(rocAucScore(y, neg), 1 - rocAucScore(y, s));
  });

  it('a perfect ranking has AUC 1 and average precision 1', () => {
    const perfect = Float64Array.from(y, (v, i) => v + i / (10 * n));
    assert.equal(rocAucScore(y, perfect), 1);
    close(averagePrecisionScore(y, perfect), 1, 1e-15);
  });
});
