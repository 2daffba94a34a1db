// Silhouette paths the oracle does not reach: the row-block path (large n × k), sampleSize, and
// Matrix input. Values themselves are checked against scikit-learn in clustering-oracle.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matrix } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { silhouetteSamplesWithBudget } from '../../src/metrics/clustering.ts';
import { adjustedRandScore, silhouetteSamples, silhouetteScore } from '../../src/metrics/index.ts';

const rng = new Rng(3);
const n = 600;
const d = 4;
const X = new Float64Array(n * d);
const labels = new Int32Array(n);
for (let i = 0; i < n; i++) {
  labels[i] = rng.int(5);
  for (let t = 0; t < d; t++) X[i * d + t] = rng.normal() + 3 * ((labels[i] + t) % 3);
}
const Xm = matrix(X, n, d);

describe('silhouette', () => {
  it('the row-block path (bounded memory) equals the pair path', () => {
    const full = silhouetteSamples(Xm, labels);
    for (const budget of [5, 64, 999]) {
      const blocked = silhouetteSamplesWithBudget(Xm, labels, budget);
      blocked.forEach((v, i) => assert.ok(Math.abs(v - full[i]) <= 1e-12, `sample ${i}: ${v} vs ${full[i]}`));
    }
  });

  it('Matrix and array-of-rows inputs agree', () => {
    const rows = Array.from({ length: n }, (_, i) => Array.from(X.subarray(i * d, (i + 1) * d)));
    assert.deepEqual(silhouetteSamples(rows, Array.from(labels)), silhouetteSamples(Xm, labels));
  });

  it('sampleSize scores a seeded subset: reproducible, and all samples when it exceeds n', () => {
    const a = silhouetteScore(Xm, labels, { sampleSize: 200, seed: 1 });
    assert.equal(silhouetteScore(Xm, labels, { sampleSize: 200, seed: 1 }), a);
    assert.notEqual(silhouetteScore(Xm, labels, { sampleSize: 200, seed: 2 }), a);
    assert.ok(Math.abs(a - silhouetteScore(Xm, labels)) < 0.1, 'a subset estimates the full score');
    assert.equal(silhouetteScore(Xm, labels, { sampleSize: 10_000 }), silhouetteScore(Xm, labels));
  });
});

describe('adjustedRandScore', () => {
  it('stays exact past 2^53 pair-count products (BigInt)', () => {
    const m = 200_000;
    const t = new Int32Array(m);
    const p = new Int32Array(m);
    for (let i = 0; i < m; i++) {
      t[i] = i % 7;
      p[i] = (i % 7) + (i % 1000 === 0 ? 1 : 0); // a few moved samples
    }
    const ari = adjustedRandScore(t, p);
    assert.ok(ari > 0.99 && ari < 1, `${ari}`);
    assert.equal(adjustedRandScore(t, t), 1);
  });
});
