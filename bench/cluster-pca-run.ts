// One Lathe run for bench/cluster-pca.ts (a child process, so its peak RSS is its own): fits
// KMeans (k = 8, nInit 10, lloyd, or --elkan) or PCA (all components) on a dataset written by
// bench/forest-data.ts, then predicts / transforms the same rows; prints one JSON line: fit and
// predict wall and CPU seconds (CPU: the whole process, all threads), predict throughput, quality
// (KMeans inertia; PCA explained variance ratio of the first components) and peak RSS.
// Usage: node --import tsx bench/cluster-pca-run.ts <kmeans|kmeans-elkan|pca> <prefix> <threads>
import { readFileSync } from 'node:fs';
import type * as MatrixModule from '../src/core/matrix.ts';
import type * as Cluster from '../src/models/cluster/index.ts';
import type * as Decomposition from '../src/models/decomposition/index.ts';

// The built package (dist/) unless LATHE_BENCH_SRC=1 asks for the TypeScript sources; only the
// modules measured (not the whole index: loading it is not timed, and another area's unfinished
// file should not stop this bench).
const base = process.env.LATHE_BENCH_SRC === '1' ? '../src/' : '../dist/';
const ext = process.env.LATHE_BENCH_SRC === '1' ? '.ts' : '.js';
const { matrix } = (await import(`${base}core/matrix${ext}`)) as typeof MatrixModule;
const { KMeans } = (await import(`${base}models/cluster/index${ext}`)) as typeof Cluster;
const { PCA } = (await import(`${base}models/decomposition/index${ext}`)) as typeof Decomposition;

const [what, prefix, threadsArg] = process.argv.slice(2);
const threads = Number(threadsArg);
const head = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as { rows: number; cols: number };
const b = readFileSync(`${prefix}.X.f64`);
const X = matrix(new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8), head.rows, head.cols);

/** Wall and CPU (all threads) seconds of one call. */
function timed(fn: () => void): [number, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return [wall, (c.user + c.system) / 1e6];
}

let quality: number[];
let fit: [number, number];
let predict: [number, number];
if (what.startsWith('kmeans')) {
  const km = new KMeans({
    nClusters: 8,
    nInit: 10,
    algorithm: what === 'kmeans-elkan' ? 'elkan' : 'lloyd',
    nThreads: threads,
    seed: 0,
  });
  fit = timed(() => km.fit(X));
  predict = timed(() => km.predict(X));
  quality = [km.inertia_!];
} else {
  const pca = new PCA({ nThreads: threads });
  fit = timed(() => pca.fit(X));
  predict = timed(() => pca.transform(X));
  quality = Array.from(pca.explainedVarianceRatio_!.subarray(0, 5));
}
// Peak resident memory from VmHWM (ru_maxrss survives exec: a child would report its parent's).
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
console.log(
  JSON.stringify({
    fit: fit[0],
    fitCpu: fit[1],
    predict: predict[0],
    predictCpu: predict[1],
    predictRowsPerSec: X.rows / predict[0],
    quality,
    peakRssMB: hwm ? Number(hwm[1]) / 1024 : Number.NaN,
  }),
);
process.exit(0);
