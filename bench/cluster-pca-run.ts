// One Lathe run for bench/cluster-pca.ts (a child process, so its peak RSS is its own): fits
// KMeans (k = 8, nInit 10, lloyd, or --elkan) or PCA (all components) on a dataset written by
// bench/forest-data.ts; prints one JSON line: fit time, transform/predict throughput, quality
// (KMeans inertia; PCA explained variance ratio of the first components) and peak RSS.
// Usage: node --import tsx bench/cluster-pca-run.ts <kmeans|kmeans-elkan|pca> <prefix> <threads>
import { readFileSync } from 'node:fs';
import type * as Lathe from '../src/index.ts';

// The built package (dist/) unless LATHE_BENCH_SRC=1 asks for the TypeScript sources.
const lib = (await import(
  process.env.LATHE_BENCH_SRC === '1' ? '../src/index.ts' : '../dist/index.js'
)) as typeof Lathe;
const { matrix, KMeans, PCA } = lib;

const [what, prefix, threadsArg] = process.argv.slice(2);
const threads = Number(threadsArg);
const head = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as { rows: number; cols: number };
const b = readFileSync(`${prefix}.X.f64`);
const X = matrix(new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8), head.rows, head.cols);
let t0 = performance.now();
let quality: number[];
let predictRowsPerSec: number;
if (what.startsWith('kmeans')) {
  const km = new KMeans({
    nClusters: 8,
    nInit: 10,
    algorithm: what === 'kmeans-elkan' ? 'elkan' : 'lloyd',
    nThreads: threads,
    seed: 0,
  }).fit(X);
  const fit = (performance.now() - t0) / 1000;
  t0 = performance.now();
  km.predict(X);
  predictRowsPerSec = X.rows / ((performance.now() - t0) / 1000);
  quality = [km.inertia_!];
  report(fit);
} else {
  const pca = new PCA().fit(X);
  const fit = (performance.now() - t0) / 1000;
  t0 = performance.now();
  pca.transform(X);
  predictRowsPerSec = X.rows / ((performance.now() - t0) / 1000);
  quality = Array.from(pca.explainedVarianceRatio_!.subarray(0, 5));
  report(fit);
}

function report(fit: number): void {
  console.log(
    JSON.stringify({ fit, predictRowsPerSec, quality, peakRssMB: process.resourceUsage().maxRSS / 1024 }),
  );
  process.exit(0);
}
