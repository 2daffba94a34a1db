// One Lathe run for bench/gbdt.ts (a child process, so that its peak RSS is its own): fits
// HistGradientBoostingClassifier on a dataset written by bench/gbdt.ts and prints one JSON line.
// Usage: node --import tsx bench/gbdt-lathe.ts <data prefix> <threads>
import { readFileSync } from 'node:fs';
import { matrix } from '../src/core/matrix.ts';
import { HistGradientBoostingClassifier } from '../src/models/ensemble/hist-gradient-boosting/index.ts';

const [prefix, threadsArg] = process.argv.slice(2);
const threads = Number(threadsArg);
const head = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as {
  rows: number;
  cols: number;
  trainRows: number;
  categorical: number[];
};
const read = (file: string) => {
  const b = readFileSync(file);
  return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
};
const X = read(`${prefix}.X.f64`);
const y = read(`${prefix}.y.f64`);
const { rows, cols, trainRows: ntr } = head;
const Xtr = matrix(X.subarray(0, ntr * cols), ntr, cols);
const Xte = matrix(X.slice(ntr * cols), rows - ntr, cols);
const ytr = y.subarray(0, ntr);
const yte = y.subarray(ntr);
const clf = new HistGradientBoostingClassifier({
  maxIter: 100,
  learningRate: 0.1,
  maxLeafNodes: 31,
  maxBins: 255,
  earlyStopping: false,
  categoricalFeatures: head.categorical.length ? head.categorical : null,
  nThreads: threads,
});
process.env.LATHE_QUIET_WARNINGS = '1';
let t0 = performance.now();
const c0 = process.cpuUsage();
clf.fit(Xtr, ytr);
const fit = (performance.now() - t0) / 1000;
const c1 = process.cpuUsage(c0);
const fitCpu = (c1.user + c1.system) / 1e6;
t0 = performance.now();
const c2 = process.cpuUsage();
const P = clf.predictProba(Xte);
const pred = (performance.now() - t0) / 1000;
const c3 = process.cpuUsage(c2);
const predCpu = (c3.user + c3.system) / 1e6;
const n = yte.length;
const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => P.data[2 * a + 1] - P.data[2 * b + 1]);
let rankPos = 0;
let pos = 0;
for (let r = 0; r < n; r++) {
  if (yte[idx[r]] === 1) {
    rankPos += r + 1;
    pos++;
  }
}
const auc = (rankPos - (pos * (pos + 1)) / 2) / (pos * (n - pos));
console.log(
  JSON.stringify({
    fit,
    fitCpu,
    predictRowsPerSec: n / pred,
    predictRowsPerCpuSec: n / predCpu,
    auc,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
