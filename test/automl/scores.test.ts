import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusteringMetrics } from '../../src/automl/scores.ts';
import type { Matrix } from '../../src/core/matrix.ts';
import { calinskiHarabaszScore, daviesBouldinScore, silhouetteScore } from '../../src/metrics/index.ts';

const matrix = (rows: number[][]): Matrix => ({
  data: Float64Array.from(rows.flat()),
  rows: rows.length,
  cols: rows[0].length,
  columns: rows[0].map((_, j) => `x${j}`),
});

describe('clusteringMetrics (the clustering metrics of lathe train, docs/train.md)', () => {
  const X = [
    [0, 0],
    [0, 1],
    [1, 0],
    [5, 5],
    [5, 6],
    [6, 5],
    [20, -3],
    [-9, 14],
  ];
  const labels = Int32Array.from([0, 0, 0, 1, 1, 1, -1, -1]);

  it('leaves DBSCAN noise (label -1) out of the scores and counts it', () => {
    // scikit-learn's scores on labels holding -1 would take the noise for one more cluster; the
    // end-to-end comparison matched them on the clustered rows only, as documented.
    const m = clusteringMetrics(matrix(X), labels);
    const kept = matrix(X.slice(0, 6));
    const kl = Array.from(labels.subarray(0, 6));
    assert.equal(m.nClusters, 2);
    assert.equal(m.noise, 2);
    assert.equal(m.silhouette, silhouetteScore(kept, kl));
    assert.equal(m.daviesBouldin, daviesBouldinScore(kept, kl));
    assert.equal(m.calinskiHarabasz, calinskiHarabaszScore(kept, kl));
    assert.notEqual(m.silhouette, silhouetteScore(matrix(X), Array.from(labels)));
  });

  it('gives NaN scores (null in --json) with fewer than two clusters', () => {
    const m = clusteringMetrics(matrix(X), Int32Array.from([0, 0, 0, -1, -1, -1, -1, -1]));
    assert.equal(m.nClusters, 1);
    assert.equal(m.noise, 5);
    assert.ok(
      Number.isNaN(m.silhouette) && Number.isNaN(m.daviesBouldin) && Number.isNaN(m.calinskiHarabasz),
    );
  });
});
