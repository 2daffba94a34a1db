// Histogram gradient boosting, side by side: Lathe vs scikit-learn's HistGradientBoostingClassifier
// vs XGBoost (hist, lossguide, 31 leaves), 100 iterations, learning rate 0.1, 31 leaves, 255 bins,
// no early stopping, at 1 and 2 threads, on two datasets written once to bench/data/:
//   - synthetic: N × 20 (10 informative, 5 redundant, 5 noise features; a make_classification-like
//     binary target);
//   - categorical: N rows, two categorical columns (500 and 300 levels) and 6 numeric columns.
// Each run is a child process (its own peak RSS); runs alternate Lathe / scikit-learn / XGBoost.
//
//   node --import tsx bench/gbdt.ts [--rows 1000000] [--repeats 3] [--threads 1,2]
//                                   [--datasets synthetic,categorical] [--anchors sklearn,xgboost]
// Prints a table and one JSON line per configuration (medians, min, max, ratios). Timings from a
// busy machine are noisy; the ratios, measured side by side, hold better.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.ts';

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const rows = Number(flag('rows', '1000000'));
const repeats = Number(flag('repeats', '3'));
const threadList = flag('threads', '1,2').split(',').map(Number);
const datasets = flag('datasets', 'synthetic,categorical').split(',');
const anchors = flag('anchors', 'sklearn,xgboost').split(',').filter(Boolean);
const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = `${root}bench/data`;

function writeDataset(name: string): string {
  const prefix = `${dataDir}/gbdt-${name}-${rows}`;
  if (existsSync(`${prefix}.json`)) return prefix;
  mkdirSync(dataDir, { recursive: true });
  const rng = new Rng(42).derive(name);
  let cols: number;
  let categorical: number[] = [];
  let X: Float64Array;
  const y = new Float64Array(rows);
  if (name === 'synthetic') {
    cols = 20;
    X = new Float64Array(rows * cols);
    const w = Array.from({ length: 10 }, () => rng.normal());
    const mix = Array.from({ length: 5 }, () => Array.from({ length: 10 }, () => rng.normal() * 0.5));
    for (let i = 0; i < rows; i++) {
      const o = i * cols;
      let s = 0;
      for (let j = 0; j < 10; j++) {
        const v = rng.normal();
        X[o + j] = v;
        s += w[j] * v;
      }
      for (let r = 0; r < 5; r++) {
        let v = 0;
        for (let j = 0; j < 10; j++) v += mix[r][j] * X[o + j];
        X[o + 10 + r] = v;
      }
      for (let j = 15; j < 20; j++) X[o + j] = rng.normal();
      s += 0.8 * X[o] * X[o + 1] - 0.5 * Math.abs(X[o + 2]);
      const u = rng.random();
      y[i] = s + Math.log(u / (1 - u)) > 0 ? 1 : 0;
    }
  } else {
    cols = 8;
    categorical = [0, 1];
    X = new Float64Array(rows * cols);
    const effA = Array.from({ length: 500 }, () => rng.normal());
    const effB = Array.from({ length: 300 }, () => rng.normal() * 0.7);
    for (let i = 0; i < rows; i++) {
      const o = i * cols;
      const u = rng.random();
      const a = Math.floor(u * u * 500);
      const b = rng.int(300);
      X[o] = a;
      X[o + 1] = b;
      let s = effA[a] + effB[b];
      for (let j = 2; j < cols; j++) {
        const v = rng.normal();
        X[o + j] = v;
        if (j < 5) s += 0.5 * v;
      }
      const e = rng.random();
      y[i] = s + Math.log(e / (1 - e)) > 0 ? 1 : 0;
    }
  }
  writeFileSync(`${prefix}.X.f64`, new Uint8Array(X.buffer));
  writeFileSync(`${prefix}.y.f64`, new Uint8Array(y.buffer));
  const trainRows = Math.floor(rows * 0.8);
  writeFileSync(`${prefix}.json`, JSON.stringify({ rows, cols, trainRows, categorical }));
  return prefix;
}

interface RunResult {
  fit: number;
  /** CPU seconds (user + system, all threads) of the fit: steadier than wall time on a busy machine. */
  fitCpu: number;
  predictRowsPerSec: number;
  /** Rows per CPU second of prediction (all threads). */
  predictRowsPerCpuSec: number;
  auc: number;
  peakRssMB: number;
}

function run(who: string, prefix: string, threads: number): RunResult {
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), LATHE_THREADS: String(threads) };
  const out =
    who === 'lathe'
      ? execFileSync(
          process.execPath,
          ['--import', 'tsx', `${root}bench/gbdt-lathe.ts`, prefix, String(threads)],
          {
            env,
            encoding: 'utf8',
          },
        )
      : execFileSync('/usr/bin/python3', [`${root}bench/gbdt-anchor.py`, who, prefix, String(threads)], {
          env,
          encoding: 'utf8',
        });
  return JSON.parse(out.trim().split('\n').pop()!) as RunResult;
}

const median = (a: number[]) => {
  const s = a.slice().sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (x: number, d = 2) => x.toFixed(d);

for (const ds of datasets) {
  const prefix = writeDataset(ds);
  for (const threads of threadList) {
    const who = ['lathe', ...anchors];
    const results = new Map<string, RunResult[]>(who.map((w) => [w, []]));
    for (let r = 0; r < repeats; r++) for (const w of who) results.get(w)!.push(run(w, prefix, threads));
    const summary: Record<string, unknown> = { bench: 'gbdt', dataset: ds, rows, threads, repeats };
    console.log(`\n${ds}, ${rows} rows, ${threads} thread(s), ${repeats} repeats`);
    console.log(
      '             fit median [min, max] s   fit CPU s   predict rows/s (per CPU s)   test AUC   peak RSS MB',
    );
    for (const w of who) {
      const rs = results.get(w)!;
      const fits = rs.map((x) => x.fit);
      const s = {
        fitMedian: median(fits),
        fitMin: Math.min(...fits),
        fitMax: Math.max(...fits),
        fitCpuMedian: median(rs.map((x) => x.fitCpu)),
        predictRowsPerSec: median(rs.map((x) => x.predictRowsPerSec)),
        predictRowsPerCpuSec: median(rs.map((x) => x.predictRowsPerCpuSec)),
        auc: median(rs.map((x) => x.auc)),
        peakRssMB: median(rs.map((x) => x.peakRssMB)),
      };
      summary[w] = s;
      console.log(
        `${w.padEnd(10)} ${f(s.fitMedian).padStart(8)} [${f(s.fitMin)}, ${f(s.fitMax)}]`.padEnd(38) +
          `${f(s.fitCpuMedian).padStart(9)}   ${Math.round(s.predictRowsPerSec).toString().padStart(12)} (${Math.round(s.predictRowsPerCpuSec)})   ${f(s.auc, 4)}   ${f(s.peakRssMB, 0).padStart(8)}`,
      );
    }
    const l = summary.lathe as { fitMedian: number; fitCpuMedian: number; peakRssMB: number };
    for (const a of anchors) {
      const s = summary[a] as { fitMedian: number; fitCpuMedian: number; peakRssMB: number };
      summary[`fitRatio_${a}`] = l.fitMedian / s.fitMedian;
      summary[`fitCpuRatio_${a}`] = l.fitCpuMedian / s.fitCpuMedian;
      summary[`rssRatio_${a}`] = l.peakRssMB / s.peakRssMB;
      console.log(
        `ratio lathe/${a}: fit ${f(l.fitMedian / s.fitMedian)} (CPU ${f(l.fitCpuMedian / s.fitCpuMedian)}), peak RSS ${f(l.peakRssMB / s.peakRssMB)}`,
      );
    }
    console.log(JSON.stringify(summary));
  }
}
