import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { matrix } from '../../../src/core/matrix.ts';
import { decodePlain, encodePlain } from '../../../src/core/plain.ts';
import { executorFor, InlineExecutor } from '../../../src/core/pool.ts';
import { forestModule } from '../../../src/models/ensemble/forest/forest-kernel.ts';
import {
  ExtraTreesClassifier,
  ExtraTreesRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from '../../../src/models/ensemble/forest/index.ts';
import {
  addForestRowsTs,
  type ForestKernelKind,
  packForest,
  predictForest,
  predictForestRows,
} from '../../../src/models/ensemble/forest/packed-forest.ts';
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

/** `n` rows cycling through the rows of X. */
function repeatRows(X: Float64Array, n: number, cols: number): Float64Array {
  const out = new Float64Array(n * cols);
  for (let i = 0; i < out.length; i++) out[i] = X[i % X.length];
  return out;
}

const WALKS: ForestKernelKind[] = ['wasm', 'ts'];

describe('packed forest: the WebAssembly walk, the TypeScript walk and the trees agree', () => {
  it('the kernel is built (npm run build), so the WebAssembly walk is the one tested', () => {
    assert.ok(forestModule(), 'build/wasm/forest.wasm is missing: run `npm run build`');
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
      for (const walk of WALKS) {
        assert.deepEqual(predictForestRows(f, X, cols, 0, rows, walk), want, walk);
        // A row range that does not start at 0 and is not a multiple of the kernel's 8 rows.
        assert.deepEqual(predictForestRows(f, X, cols, 5, 5 + 29, walk), want.subarray(5 * f.K, 34 * f.K));
      }
      const ts = new Float64Array(rows * f.K);
      addForestRowsTs(f, X, cols, 0, rows, ts);
      for (let i = 0; i < ts.length; i++) ts[i] /= f.nTrees;
      assert.deepEqual(ts, want);
    }
  });

  it('leaves share value vectors: the table holds each distinct vector once', () => {
    const d = oracleDataset('digits');
    const rf = new RandomForestClassifier({ nEstimators: 5, nThreads: 1, seed: 1 }).fit(d.train.X, d.train.y);
    const f = packForest(rf.estimators_!, true);
    let leaves = 0;
    for (const t of rf.estimators_!) for (let i = 0; i < t.nodeCount; i++) if (t.feature[i] < 0) leaves++;
    const distinct = new Set<string>();
    for (const t of rf.estimators_!) {
      const v = normalizedValues(t);
      for (let i = 0; i < t.nodeCount; i++) {
        if (t.feature[i] < 0) distinct.add(Array.from(v.subarray(i * 10, i * 10 + 10)).join());
      }
    }
    assert.equal(f.nValues, distinct.size);
    assert.ok(f.nValues < leaves / 4, `${f.nValues} vectors for ${leaves} leaves`);
  });

  it('regression and single-leaf trees: same bits as the trees, on both walks', () => {
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
      const want = meanFromTrees(trees, r.X.data, rows, cols, false);
      assert.deepEqual(est.predict(r.X), want);
      const f = packForest(trees, false);
      for (const walk of WALKS) assert.deepEqual(predictForestRows(f, r.X.data, cols, 0, rows, walk), want);
    }
  });

  it('a leaf value table past its hash bound stores the later vectors per leaf, same bits', () => {
    const r = oracleDataset('diabetes');
    const rf = new RandomForestRegressor({ nEstimators: 4, nThreads: 1, seed: 5 }).fit(r.X, r.y);
    const want = meanFromTrees(rf.estimators_!, r.X.data, r.X.rows, r.X.cols, false);
    const deduped = packForest(rf.estimators_!, false);
    // 64 slots: the hash stops indexing at 32 distinct values.
    const bounded = packForest(rf.estimators_!, false, { maxSlots: 64 });
    assert.ok(deduped.nValues > 64, `${deduped.nValues} distinct leaf values`);
    assert.ok(bounded.nValues > deduped.nValues);
    for (const walk of WALKS) {
      assert.deepEqual(predictForestRows(bounded, r.X.data, r.X.cols, 0, r.X.rows, walk), want, walk);
    }
  });

  it('the WebAssembly packer writes the same bytes as the TypeScript one', () => {
    const bytes = (f: ReturnType<typeof packForest>) => new Uint8Array(f.memory!.buffer, 0, f.end);
    const c = oracleDataset('digits');
    const r = oracleDataset('diabetes');
    const forests: [FlatTree[], boolean][] = [
      [
        new RandomForestClassifier({ nEstimators: 5, nThreads: 1, seed: 2 }).fit(c.train.X, c.train.y)
          .estimators_!,
        true,
      ],
      [
        new ExtraTreesClassifier({ nEstimators: 3, nThreads: 1, seed: 3 }).fit(c.train.X, c.train.y)
          .estimators_!,
        true,
      ],
      [new RandomForestRegressor({ nEstimators: 4, nThreads: 1, seed: 5 }).fit(r.X, r.y).estimators_!, false],
    ];
    for (const [trees, clf] of forests) {
      for (const maxSlots of [undefined, 64]) {
        const ts = packForest(trees, clf, { packer: 'ts', maxSlots });
        const wasm = packForest(trees, clf, { maxSlots });
        assert.deepEqual(
          { nValues: wasm.nValues, maxFeature: wasm.maxFeature, end: wasm.end },
          { nValues: ts.nValues, maxFeature: ts.maxFeature, end: ts.end },
        );
        assert.deepEqual(bytes(wasm), bytes(ts));
      }
    }
  });

  it('a forest packed without shared memory predicts the same bits in TypeScript', () => {
    const d = oracleDataset('wine');
    const rf = new ExtraTreesClassifier({ nEstimators: 6, nThreads: 1, seed: 4 }).fit(d.train.X, d.train.y);
    const f = packForest(rf.estimators_!, true, { memory: false });
    assert.equal(f.memory, null);
    const want = meanFromTrees(rf.estimators_!, d.X.data, d.X.rows, d.X.cols, true);
    assert.deepEqual(predictForest(f, d.X.data, d.X.rows, d.X.cols, executorFor(2)), want);
  });
});

describe('packed forest: the same bits on any number of threads, in rounds, after a reload', () => {
  // 20 000 rows of 64 columns and 10 classes: more than one round of staged rows (4 MiB each), and
  // enough work for the pool.
  const d = oracleDataset('digits');
  const rf = new RandomForestClassifier({ nEstimators: 6, nThreads: 2, seed: 7 }).fit(d.train.X, d.train.y);
  const big = matrix(repeatRows(d.X.data, 20_000, d.X.cols), 20_000, d.X.cols);

  it('1 and 2 threads, both walks, and the trees themselves agree', () => {
    const want = meanFromTrees(rf.estimators_!, big.data, big.rows, big.cols, true);
    const f = packForest(rf.estimators_!, true);
    for (const walk of WALKS) {
      assert.deepEqual(
        predictForest(f, big.data, big.rows, big.cols, new InlineExecutor(), walk),
        want,
        walk,
      );
      assert.deepEqual(predictForest(f, big.data, big.rows, big.cols, executorFor(2), walk), want, walk);
    }
    assert.deepEqual(rf.predictProba(big).data, want);
    const one = new RandomForestClassifier({ nEstimators: 6, nThreads: 1, seed: 7 }).fit(
      d.train.X,
      d.train.y,
    );
    assert.deepEqual(one.predictProba(big).data, want);
  });

  it('toJSON/fromJSON gives the same predictions, on 1 and 2 threads', () => {
    const want = rf.predictProba(big).data;
    const json = JSON.parse(JSON.stringify(encodePlain(rf.toJSON() as never)));
    for (const nThreads of [1, 2]) {
      json.params.nThreads = nThreads;
      const back = estimatorFromJSON<RandomForestClassifier>(decodePlain(json) as never);
      assert.deepEqual(back.predictProba(big).data, want);
    }
  });

  it('regression on the pool: 1 and 2 threads, both walks', () => {
    const r = oracleDataset('diabetes');
    const et = new ExtraTreesRegressor({ nEstimators: 9, nThreads: 2, seed: 3 }).fit(r.X, r.y);
    const X = repeatRows(r.X.data, 30_001, r.X.cols);
    const want = meanFromTrees(et.estimators_!, X, 30_001, r.X.cols, false);
    const f = packForest(et.estimators_!, false);
    for (const walk of WALKS) {
      assert.deepEqual(predictForest(f, X, 30_001, r.X.cols, executorFor(2), walk), want, walk);
    }
    assert.deepEqual(et.predict(matrix(X, 30_001, r.X.cols)), want);
  });

  it('the estimators predict the same with LATHE_FOREST_KERNEL=ts (on the pool too)', () => {
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
