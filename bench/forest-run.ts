// One JavaScript run for bench/forest.ts (a child process, so its peak RSS is its own): fits a
// classifier on a dataset written by bench/forest-data.ts, predicts the test rows three times (the
// first call is the cold one, as a user's first predict after fit), and prints one JSON line with
// the fit time, the prediction throughput of the cold call and of the faster warm one,
// the process CPU time (all threads) of each, the test accuracy and the peak RSS after fit and at
// the end. The rows are views of the file's array, as NumPy's slices are on the anchor's side.
// Usage: node --import tsx bench/forest-run.ts <lathe|lathe-tree|ml-random-forest|ml-cart|ml-cart-default> <prefix> <threads> [rows] [offset] [columns]
// `columns` (comma-separated indices): the order to put the columns in, before anything is timed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Lathe from '../src/index.ts';

// The built package (dist/, what users run; workers then load plain JavaScript) unless
// LATHE_BENCH_SRC=1 asks for the TypeScript sources.
const lib = (await import(
  process.env.LATHE_BENCH_SRC === '1' ? '../src/index.ts' : '../dist/index.js'
)) as typeof Lathe;
const { matrix, RandomForestClassifier, DecisionTreeClassifier } = lib;

const [who, prefix, threadsArg, rowsArg, offsetArg, columnsArg] = process.argv.slice(2);
const threads = Number(threadsArg);
const head = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as {
  rows: number;
  cols: number;
  trainRows: number;
};
const read = (file: string) => {
  const b = readFileSync(file);
  return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
};
// An optional row limit takes that many rows (80% train / 20% test of those), from row `offset`.
const offset = offsetArg ? Number(offsetArg) : 0;
const rows = rowsArg ? Math.min(Number(rowsArg), head.rows - offset) : head.rows;
const ntr = rowsArg ? Math.floor(rows * 0.8) : head.trainRows;
const { cols } = head;
const allX = read(`${prefix}.X.f64`);
const allY = read(`${prefix}.y.f64`);
const X = reorder(allX.subarray(offset * cols, (offset + rows) * cols));
// BENCH_HOLDOUT=start:end — rows also scored after the timed calls (bench/forest.ts, one tree).
const holdout = process.env.BENCH_HOLDOUT?.split(':').map(Number);
const Xho = holdout ? reorder(allX.subarray(holdout[0] * cols, holdout[1] * cols)) : null;
const yho = holdout ? allY.subarray(holdout[0], holdout[1]) : null;

/** X with its columns in the order `columnsArg` gives (a copy), or X itself. */
function reorder(a: Float64Array): Float64Array {
  if (!columnsArg) return a;
  const order = columnsArg.split(',').map(Number);
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length / cols; i++)
    for (let j = 0; j < cols; j++) out[i * cols + j] = a[i * cols + order[j]];
  return out;
}
const y = allY.subarray(offset, offset + rows);
const Xtr = matrix(X.subarray(0, ntr * cols), ntr, cols);
const Xte = matrix(X.subarray(ntr * cols), rows - ntr, cols);
const ytr = Array.from(y.subarray(0, ntr));
const yte = Array.from(y.subarray(ntr));

/** Process CPU time (user + system, every thread), seconds. */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
let fit: number;
let fitCpu: number;
let pred: number;
let predCpu: number;
// The two calls after the first (Lathe only: the npm packages take minutes per call).
const warm: { wall: number; cpu: number }[] = [];
let predicted: ArrayLike<number>;
let holdoutPredicted: ArrayLike<number> | null = null;
let peakAfterFit: number;
if (who === 'lathe' || who === 'lathe-tree') {
  const est =
    who === 'lathe'
      ? new RandomForestClassifier({ nEstimators: 100, nThreads: threads, seed: 0 })
      : // ml-cart makes a leaf of any node of ≤ 3 rows (its minNumSamples default): the same
        // stopping rule as minSamplesSplit 4, so that the three trees are grown alike.
        new DecisionTreeClassifier({ seed: 0, minSamplesSplit: 4 });
  let t0 = performance.now();
  let c0 = cpu();
  est.fit(Xtr, ytr);
  fit = (performance.now() - t0) / 1000;
  fitCpu = cpu() - c0;
  peakAfterFit = process.resourceUsage().maxRSS / 1024;
  t0 = performance.now();
  c0 = cpu();
  predicted = est.predict(Xte) as Float64Array;
  pred = (performance.now() - t0) / 1000;
  predCpu = cpu() - c0;
  for (let r = 0; r < 2; r++) {
    t0 = performance.now();
    c0 = cpu();
    est.predict(Xte);
    warm.push({ wall: (performance.now() - t0) / 1000, cpu: cpu() - c0 });
  }
  if (Xho) holdoutPredicted = est.predict(matrix(Xho, Xho.length / cols, cols)) as Float64Array;
} else {
  // The mljs packages take arrays of rows and integer labels.
  const require = createRequire(import.meta.url);
  const rowsOf = (m: { data: Float64Array; rows: number; cols: number }) =>
    Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  const trainRows = rowsOf(Xtr);
  const testRows = rowsOf(Xte);
  let est: { train(X: number[][], y: number[]): void; predict(X: number[][]): number[] };
  if (who === 'ml-random-forest') {
    const { RandomForestClassifier: RF } = require('ml-random-forest');
    // The library's defaults (bagging, all features per tree), 100 trees, no OOB pass.
    est = new RF({ nEstimators: 100, seed: 0, noOOB: true });
  } else {
    const { DecisionTreeClassifier: DT } = require('ml-cart');
    // ml-cart 2.1.1's build (cart.js) defaults gainThreshold to 0.01, which its documentation does
    // not list: a node is split only when its Gini gain exceeds 0.01 — a pruning rule with no
    // equivalent in Lathe or scikit-learn (min_impurity_decrease weighs the gain by the node's
    // share of the rows). 'ml-cart' grows the tree by the same rule as the other two (threshold 0,
    // leaves at ≤ 3 rows); 'ml-cart-default' is the library's defaults, pruning included.
    est = who === 'ml-cart-default' ? new DT() : new DT({ gainFunction: 'gini', gainThreshold: 0 });
  }
  let t0 = performance.now();
  let c0 = cpu();
  est.train(trainRows, ytr);
  fit = (performance.now() - t0) / 1000;
  fitCpu = cpu() - c0;
  peakAfterFit = process.resourceUsage().maxRSS / 1024;
  t0 = performance.now();
  c0 = cpu();
  predicted = est.predict(testRows);
  pred = (performance.now() - t0) / 1000;
  predCpu = cpu() - c0;
  if (Xho) holdoutPredicted = est.predict(rowsOf({ data: Xho, rows: Xho.length / cols, cols }));
}
let hit = 0;
for (let i = 0; i < yte.length; i++) if (Number(predicted[i]) === yte[i]) hit++;

/** Share of `p` equal to `y`. */
function accuracyOn(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < y.length; i++) if (Number(p[i]) === y[i]) h++;
  return h / y.length;
}
// The faster of the two warm calls (the slower one is the noise of a shared machine).
const best = warm.length ? warm.reduce((a, b) => (b.wall < a.wall ? b : a)) : null;
console.log(
  JSON.stringify({
    fit,
    fitCpu,
    predictRowsPerSec: yte.length / pred,
    predictCpu: predCpu,
    predictWarmRowsPerSec: best ? yte.length / best.wall : null,
    predictWarmCpu: best ? best.cpu : null,
    accuracy: hit / yte.length,
    holdoutAccuracy: holdoutPredicted ? accuracyOn(holdoutPredicted, yho!) : undefined,
    peakRssAfterFitMB: peakAfterFit,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
process.exit(0);
