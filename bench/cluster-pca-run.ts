// One Lathe run for bench/cluster-pca.ts (a child process, so its peak RSS is its own): fits
// KMeans (k = 8, nInit 10, lloyd, or --elkan) or PCA (all components) on a dataset written by
// bench/forest-data.ts, then predicts / transforms the same rows; prints one JSON line: fit and
// predict wall and CPU seconds (CPU: the whole process, all threads), predict throughput, quality
// (KMeans inertia; PCA explained variance ratio of the first components) and peak RSS.
// Usage: node --import tsx bench/cluster-pca-run.ts <kmeans|kmeans-elkan|pca> <prefix> <threads> [quick]
// `quick` (bench/cluster-pca-predict.ts): every row is read once, the fit sees only the first
// 50 000 rows (KMeans with nInit 2 and maxIter 5), then the process pauses 300 ms, then
// predict/transform runs on every row — so that predict can be measured in seconds, and a
// real-time-priority run (--rt) has not spent its budget on the fit.
// After the first two calls, later calls are timed (see laterCalls): `early`, a young process whose
// results land in fresh pages, and `steady`, once V8 has optimised the code and collected enough
// dropped results that their memory is reused.
// LATHE_BENCH_FROM=<dir> runs the TypeScript sources under <dir>/src (an older copy, for A/B runs),
// or, when <dir> ends in /dist, the JavaScript built there.
import { readFileSync } from 'node:fs';
import type * as MatrixModule from '../src/core/matrix.ts';
import type * as Cluster from '../src/models/cluster/index.ts';
import type * as Decomposition from '../src/models/decomposition/index.ts';

// The built package (dist/) unless LATHE_BENCH_SRC=1 asks for the TypeScript sources; only the
// modules measured (not the whole index: loading it is not timed, and another area's unfinished
// file should not stop this bench).
const from = process.env.LATHE_BENCH_FROM;
const built = from?.endsWith('/dist') ?? false;
const src = process.env.LATHE_BENCH_SRC === '1' || (from !== undefined && !built);
const base = from ? (built ? `${from}/` : `${from}/src/`) : src ? '../src/' : '../dist/';
const ext = src ? '.ts' : '.js';
const { matrix } = (await import(`${base}core/matrix${ext}`)) as typeof MatrixModule;
const { KMeans } = (await import(`${base}models/cluster/index${ext}`)) as typeof Cluster;
const { PCA } = (await import(`${base}models/decomposition/index${ext}`)) as typeof Decomposition;
// LATHE_BENCH_NO_LOAD_CHECK=1 (bench/cluster-pca-predict.ts --rt): stream even when other
// processes keep the cores busy — under real-time priority they do not take the cores away.
if (process.env.LATHE_BENCH_NO_LOAD_CHECK === '1') {
  const rs = (await import(`${base}core/row-stream${ext}`).catch(() => null)) as {
    streamTuning?: { checkLoad: boolean };
  } | null;
  if (rs?.streamTuning) rs.streamTuning.checkLoad = false;
}

const [what, prefix, threadsArg, mode] = process.argv.slice(2);
const quick = mode === 'quick';
const threads = Number(threadsArg);
const head = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as { rows: number; cols: number };
const b = readFileSync(`${prefix}.X.f64`);
const X = matrix(new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8), head.rows, head.cols);
const fitRows = quick ? Math.min(X.rows, 50_000) : X.rows;
// Every row is read once before the fit, as a full fit would: the first touch of memory not read
// for a while is slow on the VMs measured (and scikit-learn's side does the same).
let touched = 0;
if (quick) for (let i = 0; i < X.data.length; i += 64) touched += X.data[i];
const Xfit = matrix(X.data.subarray(0, fitRows * X.cols), fitRows, X.cols);
const pause = () => {
  if (quick) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
};

/** Wall and CPU (all threads) seconds of one call, and the minor page faults it took. */
function timed(fn: () => void): [number, number, number] {
  const f0 = process.resourceUsage().minorPageFault;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return [wall, (c.user + c.system) / 1e6, process.resourceUsage().minorPageFault - f0];
}

let quality: number[];
let fit: [number, number, number];
let predict: [number, number, number];
let again: [number, number, number];
let later: () => ArrayBufferView;
/**
 * The later calls (the same rule as cluster-pca-anchor.py). `early`: the median of calls 11–20
 * after the first two — a young process, whose results still land in fresh pages (V8 frees a
 * dropped typed array's memory only at a garbage collection, which comes after about 64 MB of
 * them; until then every result is new memory, ~16 µs per 4 KB page here). `steady`: more calls,
 * until the results made since the first call reach BENCH_WARM_MB (default 256) or
 * BENCH_WARM_CALLS (default 500) calls, then the median of BENCH_STEADY_CALLS (default 10) more —
 * a long-running process (a server), whose freed results are reused. BENCH_STEADY_CALLS=0 makes
 * no later call.
 */
function laterCalls(fn: () => ArrayBufferView): { early: number; steady: number; calls: number } {
  const warmBytes = Number(process.env.BENCH_WARM_MB ?? 256) * 2 ** 20;
  const maxWarm = Number(process.env.BENCH_WARM_CALLS ?? 500);
  const steadyCalls = Number(process.env.BENCH_STEADY_CALLS ?? 10);
  // BENCH_STEADY_CALLS=0 (bench/cluster-pca-predict.ts): the first two calls only.
  if (steadyCalls === 0) return { early: Number.NaN, steady: Number.NaN, calls: 0 };
  const mid = (t: number[]) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)] ?? Number.NaN;
  const t: number[] = [];
  let bytes = 0;
  const call = () => {
    let out: ArrayBufferView | undefined;
    t.push(timed(() => (out = fn()))[0]);
    bytes += out!.byteLength;
  };
  for (let i = 0; i < 20; i++) call();
  const early = mid(t.slice(10));
  while (bytes < warmBytes && t.length < maxWarm) call();
  const warm = t.length;
  for (let i = 0; i < steadyCalls; i++) call();
  return { early, steady: mid(t.slice(warm)), calls: t.length };
}
if (what.startsWith('kmeans')) {
  const km = new KMeans({
    nClusters: 8,
    nInit: quick ? 2 : 10,
    maxIter: quick ? 5 : 300,
    algorithm: what === 'kmeans-elkan' ? 'elkan' : 'lloyd',
    nThreads: threads,
    seed: 0,
  });
  fit = timed(() => km.fit(Xfit));
  pause();
  predict = timed(() => km.predict(X));
  again = timed(() => km.predict(X));
  later = () => km.predict(X);
  quality = [km.inertia_!];
} else {
  const pca = new PCA({ nThreads: threads });
  fit = timed(() => pca.fit(Xfit));
  pause();
  predict = timed(() => pca.transform(X));
  again = timed(() => pca.transform(X));
  later = () => pca.transform(X).data;
  quality = Array.from(pca.explainedVarianceRatio_!.subarray(0, 5));
}
// Peak resident memory from VmHWM (ru_maxrss survives exec: a child would report its parent's).
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
// After the peak is read: the later calls' garbage is not the model's memory.
const { early, steady, calls: laterCount } = laterCalls(later);
console.log(
  JSON.stringify({
    fit: fit[0],
    fitCpu: fit[1],
    predict: predict[0],
    predictCpu: predict[1],
    predictRowsPerSec: X.rows / predict[0],
    predictFaults: predict[2],
    again: again[0],
    againCpu: again[1],
    againFaults: again[2],
    early,
    steady,
    laterCalls: laterCount,
    quality,
    peakRssMB: hwm ? Number(hwm[1]) / 1024 : Number.NaN,
    touched: Number.isFinite(touched),
  }),
);
process.exit(0);
