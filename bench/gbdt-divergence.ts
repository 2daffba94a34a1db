// Where Lathe's HistGradientBoostingClassifier and scikit-learn's part ways on one breast_cancer
// fold: reads the dump of bench/gbdt-divergence.py (scikit-learn's internals) and compares, in
// order, the bin thresholds, the baseline, the first iteration's gradients and hessians, the first
// tree's nodes, and the raw predictions after every iteration (training and test rows).
//
//   /usr/bin/python3 bench/gbdt-divergence.py /tmp/sk.json 0 0
//   node --import tsx bench/gbdt-divergence.ts /tmp/sk.json
//
// Prints the first difference at every stage and, per iteration, the largest raw-prediction
// difference; with --trees, every node (both sides) of the first tree whose structure differs.

import { readFileSync } from 'node:fs';
import { fromRows } from '../src/core/matrix.ts';
import { rocAucScore } from '../src/metrics/roc.ts';
import { HistGradientBoostingClassifier } from '../src/models/ensemble/hist-gradient-boosting/index.ts';
import { makeLoss } from '../src/models/ensemble/hist-gradient-boosting/loss.ts';
import type { FittedModel } from '../src/models/ensemble/hist-gradient-boosting/model.ts';
import { addRaw } from '../src/models/ensemble/hist-gradient-boosting/predictor.ts';

interface SkTree {
  value: number[];
  count: number[];
  feature_idx: number[];
  num_threshold: number[];
  missing_go_to_left: number[];
  left: number[];
  right: number[];
  gain: number[];
  is_leaf: number[];
  bin_threshold: number[];
}
interface SkDump {
  config: Record<string, number>;
  X: number[][];
  y: number[];
  train: number[];
  test: number[];
  thresholds: number[][];
  baseline: number;
  grad0: number[];
  hess0: number[];
  trees: SkTree[];
  stageTrain: number[][];
  stageTest: number[][];
  auc: number;
}

const args = process.argv.slice(2);
const sk = JSON.parse(readFileSync(args[0], 'utf8')) as SkDump;
const c = sk.config;
const Xtr = fromRows(sk.train.map((i) => sk.X[i]));
const Xte = fromRows(sk.test.map((i) => sk.X[i]));
const ytr = sk.train.map((i) => sk.y[i]);
const yte = sk.test.map((i) => sk.y[i]);
const clf = new HistGradientBoostingClassifier({
  learningRate: c.learning_rate,
  maxLeafNodes: c.max_leaf_nodes,
  minSamplesLeaf: c.min_samples_leaf,
  l2Regularization: c.l2_regularization,
  maxIter: c.max_iter,
  earlyStopping: false,
  seed: 0,
  nThreads: 1,
}).fit(Xtr, ytr);
const model = (clf as unknown as { model_: FittedModel }).model_;
const e = model.ensemble;

// 1. Thresholds.
let thrDiff = 0;
model.mapper.features.forEach((f, j) => {
  const s = sk.thresholds[j];
  if (s.length !== f.thresholds.length) {
    console.log(`feature ${j}: ${f.thresholds.length} thresholds vs ${s.length}`);
    thrDiff++;
    return;
  }
  for (let b = 0; b < s.length; b++) {
    if (s[b] !== f.thresholds[b]) {
      console.log(`feature ${j} threshold ${b}: ${f.thresholds[b]} vs ${s[b]}`);
      thrDiff++;
      break;
    }
  }
});
console.log(`thresholds: ${thrDiff === 0 ? 'identical' : `${thrDiff} features differ`}`);

// 2. Baseline.
console.log(`baseline: ${model.baseline[0]} vs ${sk.baseline} (diff ${model.baseline[0] - sk.baseline})`);

// 3. Gradients and hessians at the baseline.
const n = Xtr.rows;
const loss = makeLoss('log_loss', { nClasses: 2, weighted: false });
const g = new Float64Array(n);
const h = new Float64Array(n);
loss.gradHess(Float64Array.from(ytr), null, new Float64Array(n).fill(model.baseline[0]), g, h);
let gMax = 0;
let hMax = 0;
let gfMax = 0;
for (let i = 0; i < n; i++) {
  gMax = Math.max(gMax, Math.abs(g[i] - sk.grad0[i]));
  hMax = Math.max(hMax, Math.abs(h[i] - sk.hess0[i]));
  gfMax = Math.max(
    gfMax,
    Math.abs(Math.fround(g[i]) - sk.grad0[i]),
    Math.abs(Math.fround(h[i]) - sk.hess0[i]),
  );
}
console.log(
  `iteration 0 gradients: max |diff| ${gMax.toExponential(2)}, hessians ${hMax.toExponential(2)}; after rounding Lathe's to float32: ${gfMax.toExponential(2)}`,
);

// 4. Trees, in scikit-learn's node order (depth-first, left first — as Lathe's flat arrays).
const nTrees = e.treeStart.length - 1;
let firstTree = -1;
for (let t = 0; t < Math.min(nTrees, sk.trees.length) && firstTree < 0; t++) {
  const st = sk.trees[t];
  const a = e.treeStart[t];
  const m = e.treeStart[t + 1] - a;
  let same = m === st.value.length;
  for (let i = 0; same && i < m; i++) {
    const leaf = e.feature[a + i] < 0;
    if (leaf !== (st.is_leaf[i] === 1)) same = false;
    else if (
      !leaf &&
      (e.feature[a + i] !== st.feature_idx[i] || e.binThreshold[a + i] !== st.bin_threshold[i])
    )
      same = false;
    else if (e.count[a + i] !== st.count[i]) same = false;
  }
  if (!same) firstTree = t;
}
console.log(
  firstTree < 0 ? 'tree structures: identical' : `first tree with a different structure: ${firstTree}`,
);
const show = (t: number): void => {
  const st = sk.trees[t];
  const a = e.treeStart[t];
  const m = Math.max(e.treeStart[t + 1] - a, st.value.length);
  for (let i = 0; i < m; i++) {
    const L =
      i < e.treeStart[t + 1] - a
        ? `${e.feature[a + i] < 0 ? 'leaf' : `f${e.feature[a + i]}<=b${e.binThreshold[a + i]}`} n=${e.count[a + i]} gain=${e.gain[a + i]} v=${e.value[a + i]}`
        : '-';
    const S =
      i < st.value.length
        ? `${st.is_leaf[i] ? 'leaf' : `f${st.feature_idx[i]}<=b${st.bin_threshold[i]}`} n=${st.count[i]} gain=${st.gain[i]} v=${st.value[i]}`
        : '-';
    console.log(`  node ${i}: lathe ${L}\n          sklearn ${S}`);
  }
};
if (args.includes('--trees')) show(Math.max(firstTree, 0));

// 5. Raw predictions after each iteration.
const stage = (X: typeof Xtr, t: number): Float64Array => {
  const out = new Float64Array(X.rows).fill(model.baseline[0]);
  addRaw(e, X.data, X.cols, 0, X.rows, 0, t, out, X.rows, 0);
  return out;
};
let firstRaw = -1;
for (let t = 1; t <= nTrees; t++) {
  const tr = stage(Xtr, t);
  const te = stage(Xte, t);
  let dTr = 0;
  let dTe = 0;
  for (let i = 0; i < tr.length; i++) dTr = Math.max(dTr, Math.abs(tr[i] - sk.stageTrain[t - 1][i]));
  for (let i = 0; i < te.length; i++) dTe = Math.max(dTe, Math.abs(te[i] - sk.stageTest[t - 1][i]));
  if (firstRaw < 0 && dTr > 1e-12) firstRaw = t;
  if (args.includes('--all') || t <= 3 || t === nTrees || t === firstRaw)
    console.log(`iteration ${t}: max |raw diff| train ${dTr.toExponential(2)}, test ${dTe.toExponential(2)}`);
}
const final = stage(Xte, nTrees);
console.log(`test AUC: Lathe ${rocAucScore(Int32Array.from(yte), final)} vs scikit-learn ${sk.auc}`);
