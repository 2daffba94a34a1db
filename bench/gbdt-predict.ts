// Prediction throughput of HistGradientBoostingClassifier (100 trees of 31 leaves by default):
// rows per second of the raw-score kernel alone on one thread and of predictProba on 1 and 2
// threads, with wall time and CPU time (process.cpuUsage: user + system, all threads) side by side.
// The model is trained once on a synthetic N × 20 set (as bench/gbdt.ts's 'synthetic' set, or with
// two 500/300-level categorical columns with --categorical) and then predicts `--rows` new rows.
//
//   node --import tsx bench/gbdt-predict.ts [--train 200000] [--rows 200000] [--iter 100] [--repeats 5]
//                                           [--threads 1,2] [--categorical] [--missing 0.05]
import { matrix } from '../src/core/matrix.ts';
import { Rng } from '../src/core/rng.ts';
import { HistGradientBoostingClassifier } from '../src/models/ensemble/hist-gradient-boosting/index.ts';
import {
  predictRawRange,
  type TreeEnsemble,
} from '../src/models/ensemble/hist-gradient-boosting/predictor.ts';
import { packEnsemble } from '../src/models/ensemble/hist-gradient-boosting/wasm-predictor.ts';

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const nTrain = Number(flag('train', '200000'));
const nTest = Number(flag('rows', '200000'));
const iters = Number(flag('iter', '100'));
const repeats = Number(flag('repeats', '5'));
const threadList = flag('threads', '1,2').split(',').map(Number);
const categorical = args.includes('--categorical');
const missing = Number(flag('missing', '0'));

function makeData(n: number, seed: number) {
  const rng = new Rng(seed);
  const d = categorical ? 8 : 20;
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  const wr = new Rng(42);
  const w = Array.from({ length: 10 }, () => wr.normal());
  const effA = Array.from({ length: 500 }, () => wr.normal());
  const effB = Array.from({ length: 300 }, () => wr.normal() * 0.7);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s = 0;
    if (categorical) {
      const u = rng.random();
      const a = Math.floor(u * u * 500);
      const b = rng.int(300);
      X[o] = a;
      X[o + 1] = b;
      s = effA[a] + effB[b];
      for (let j = 2; j < d; j++) {
        const v = rng.normal();
        X[o + j] = v;
        if (j < 5) s += 0.5 * v;
      }
    } else {
      for (let j = 0; j < d; j++) {
        const v = rng.normal();
        X[o + j] = v;
        if (j < 10) s += w[j] * v;
      }
      s += 0.8 * X[o] * X[o + 1] - 0.5 * Math.abs(X[o + 2]);
    }
    for (let j = 0; j < d; j++) if (missing > 0 && rng.random() < missing) X[o + j] = Number.NaN;
    const e = rng.random();
    y[i] = s + Math.log(e / (1 - e)) > 0 ? 1 : 0;
  }
  return { X: matrix(X, n, d), y };
}

process.env.LATHE_QUIET_WARNINGS = '1';
const train = makeData(nTrain, 1);
const test = makeData(nTest, 2);
const fitted = new Map<number, HistGradientBoostingClassifier>();
const base = new HistGradientBoostingClassifier({
  maxIter: iters,
  learningRate: 0.1,
  maxLeafNodes: 31,
  maxBins: 255,
  earlyStopping: false,
  categoricalFeatures: categorical ? [0, 1] : null,
  nThreads: Math.max(...threadList),
}).fit(train.X, train.y);
const state = base.toJSON();
for (const t of threadList) {
  const c = base.clone() as HistGradientBoostingClassifier;
  Object.assign(c, base);
  c.setParams({ nThreads: t });
  fitted.set(t, c);
}
void state;
const e = (base as unknown as { model_: { ensemble: TreeEnsemble } }).model_.ensemble;
let depthSum = 0;
let maxDepth = 0;
for (let t = 0; t < e.treeStart.length - 1; t++) {
  const depth = (i: number): number =>
    e.feature[i] < 0 ? 0 : 1 + Math.max(depth(e.left[i]), depth(e.right[i]));
  const dd = depth(e.treeStart[t]);
  depthSum += dd;
  maxDepth = Math.max(maxDepth, dd);
}

function measure(f: () => void): { wall: number; cpu: number } {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    walls.push(wall);
    cpus.push((c.user + c.system) / 1e6);
  }
  const med = (a: number[]) => a.slice().sort((x, y) => x - y)[a.length >> 1];
  return { wall: med(walls), cpu: med(cpus) };
}

const out: Record<string, unknown> = {
  bench: 'gbdt-predict',
  categorical,
  missing,
  trainRows: nTrain,
  rows: nTest,
  trees: e.treeStart.length - 1,
  meanDepth: depthSum / (e.treeStart.length - 1),
  maxDepth,
};
const first = fitted.get(threadList[0])!;
first.predictProba(test.X); // warm-up (packs the model)
const packed = (first as unknown as { model_: { packed: never } }).model_.packed;
const k = measure(() => predictRawRange(e, packed, test.X.data, test.X.cols, 0, test.X.rows));
out.kernel1 = {
  layout: (packed as { kind: string }).kind,
  rowsPerSecWall: nTest / k.wall,
  rowsPerSecCpu: nTest / k.cpu,
};
const walk = packEnsemble(e, 'walk');
const kw = measure(() => predictRawRange(e, walk, test.X.data, test.X.cols, 0, test.X.rows));
out.walkKernel1 = { rowsPerSecWall: nTest / kw.wall, rowsPerSecCpu: nTest / kw.cpu };
const ts = measure(() => predictRawRange(e, null, test.X.data, test.X.cols, 0, test.X.rows));
out.tsWalk1 = { rowsPerSecWall: nTest / ts.wall, rowsPerSecCpu: nTest / ts.cpu };
for (const t of threadList) {
  const c = fitted.get(t)!;
  c.predictProba(test.X);
  const m = measure(() => c.predictProba(test.X));
  out[`predictProba${t}`] = {
    rowsPerSecWall: nTest / m.wall,
    rowsPerSecCpu: nTest / m.cpu,
    rowsPerSecPerCpuThread: nTest / m.cpu,
  };
}
console.log(JSON.stringify(out, null, 1));
