import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matrix } from '../../../src/core/matrix.ts';
import {
  ExtraTreesRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from '../../../src/models/ensemble/forest/index.ts';
import {
  addForestRowsTs,
  packForest,
  predictForestRows,
} from '../../../src/models/ensemble/forest/packed-forest.ts';
import { wasmModule } from '../../../src/models/ensemble/hist-gradient-boosting/kernels.ts';
import { applyTree, type FlatTree, normalizedValues } from '../../../src/models/tree/flat-tree.ts';
import { oracleDataset } from '../tree/datasets.ts';

/** The forest's mean straight from the trees (applyTree on the unpacked nodes), row-major. */
function meanFromTrees(
  trees: FlatTree[],
  X: Float64Array,
  rows: number,
  cols: number,
  proba: boolean,
): Float64Array {
  const K = trees[0].valueStride;
  const out = new Float64Array(rows * K);
  for (const t of trees) {
    const leaf = applyTree(t, X, rows, cols);
    const v = proba ? normalizedValues(t) : t.value;
    for (let i = 0; i < rows; i++) for (let c = 0; c < K; c++) out[i * K + c] += v[leaf[i] * K + c];
  }
  for (let i = 0; i < out.length; i++) out[i] /= trees.length;
  return out;
}

/** Rows with values on and around the trees' thresholds, so that every `x > threshold` tie is taken. */
function thresholdRows(trees: FlatTree[], base: Float64Array, cols: number): Float64Array {
  const rows: number[] = [];
  let r = 0;
  for (const t of trees) {
    for (let i = 0; i < t.nodeCount && r < 3000; i++) {
      if (t.feature[i] < 0) continue;
      for (const v of [t.threshold[i], t.threshold[i] + Math.abs(t.threshold[i]) * 1e-15 + 1e-300]) {
        const row = base.slice((r % (base.length / cols)) * cols, (r % (base.length / cols)) * cols + cols);
        row[t.feature[i]] = v;
        rows.push(...row);
        r++;
      }
    }
  }
  return Float64Array.from(rows);
}

describe('packed forest: the WebAssembly walk, the TypeScript walk and the trees agree', () => {
  it('the kernels are built (npm run build), so the WebAssembly walk is the one tested', () => {
    assert.ok(wasmModule(), 'build/wasm/gbdt.wasm is missing: run `npm run build`');
  });

  it('classification (10 classes, deep trees): same bits on every row and at every threshold', () => {
    const d = oracleDataset('digits');
    const rf = new RandomForestClassifier({ nEstimators: 7, nThreads: 1, seed: 3 }).fit(d.train.X, d.train.y);
    const trees = rf.estimators_!;
    const f = packForest(trees, true);
    const cols = d.X.cols;
    for (const X of [d.X.data, thresholdRows(trees, d.X.data, cols)]) {
      const rows = X.length / cols;
      const want = meanFromTrees(trees, X, rows, cols, true);
      const wasm = predictForestRows(f, X, cols, 0, rows);
      assert.deepEqual(wasm, want);
      const ts = new Float64Array(rows * f.K);
      addForestRowsTs(f, X, cols, 0, rows, ts);
      for (let i = 0; i < ts.length; i++) ts[i] /= f.nTrees;
      assert.deepEqual(ts, want);
      // A row range that does not start at 0 and is not a multiple of the kernel's 8 rows.
      assert.deepEqual(predictForestRows(f, X, cols, 5, 5 + 29), want.subarray(5 * f.K, 34 * f.K));
    }
  });

  it('regression and single-leaf trees: same bits as the trees', () => {
    const r = oracleDataset('diabetes');
    const cols = r.X.cols;
    const rows = r.X.rows;
    for (const est of [
      new RandomForestRegressor({ nEstimators: 5, nThreads: 1, seed: 2 }),
      new ExtraTreesRegressor({ nEstimators: 5, nThreads: 1, seed: 2 }),
      // Every tree a single leaf: the kernel takes no step.
      new RandomForestRegressor({ nEstimators: 3, nThreads: 1, seed: 2, minSamplesSplit: 10_000 }),
    ]) {
      est.fit(r.X, r.y);
      const trees = est.estimators_!;
      assert.deepEqual(est.predict(r.X), meanFromTrees(trees, r.X.data, rows, cols, false));
    }
  });

  it('the estimators predict the same with LATHE_FOREST_KERNEL=ts', () => {
    const d = oracleDataset('breast_cancer');
    const rf = new RandomForestClassifier({ nEstimators: 9, nThreads: 2, seed: 1 }).fit(d.train.X, d.train.y);
    const big = matrix(new Float64Array(25_000 * d.X.cols), 25_000, d.X.cols);
    for (let i = 0; i < big.data.length; i++) big.data[i] = d.X.data[i % d.X.data.length];
    const wasm = rf.predictProba(big).data;
    const saved = process.env.LATHE_FOREST_KERNEL;
    process.env.LATHE_FOREST_KERNEL = 'ts';
    try {
      assert.deepEqual(rf.predictProba(big).data, wasm);
    } finally {
      if (saved === undefined) delete process.env.LATHE_FOREST_KERNEL;
      else process.env.LATHE_FOREST_KERNEL = saved;
    }
  });
});
