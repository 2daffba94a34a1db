// KMeans and PCA side by side (DESIGN.md, "Performance"): Lathe vs scikit-learn on the same
// thread count (OMP_NUM_THREADS / OPENBLAS_NUM_THREADS and LATHE_THREADS set), on a synthetic
// N × 20 set at each size in --sizes and on the real digits set. KMeans: k = 8, nInit 10, Lloyd
// (and Elkan with --elkan); PCA: full solver, all components. Each run is a fresh child process
// (its own peak RSS; Lathe's first fit and predict in a process pay for whatever is not compiled
// yet, as a `lathe train` would); the sides alternate, and which goes first swaps every repeat.
// Quality: KMeans inertia (ratio Lathe/scikit-learn), PCA largest difference in explained
// variance ratio.
//
//   node --import tsx bench/cluster-pca.ts [--sizes 100000,1000000] [--repeats 3] [--threads 2]
//                                          [--elkan] [--no-hugepages | --pages both]
//
// Every time is measured twice: wall time, and CPU time of the whole process (all threads:
// process.cpuUsage / time.process_time). On a shared machine compare the CPU times; wall times
// mean something only when the load average (printed beside each table) is low.
//
// Memory pages: on the virtual machines this runs on, the first touch of a fresh 4 KB page costs
// ~16 µs (a fresh 160 MB array ≈ 0.65 s). NumPy asks for transparent huge pages itself (madvise)
// for every array of 4 MB or more; Node's allocations go through glibc's malloc, which does the
// same when the process starts with GLIBC_TUNABLES=glibc.malloc.hugetlb=1. Both children
// therefore run with that setting by default (as bench/linear.ts); --no-hugepages runs both
// without it, --pages both runs every configuration both ways and prints both.
//
// "predict" is the first predict/transform after the fit (what a `lathe predict` run sees). Then
// the later calls in the same process (see laterCalls in cluster-pca-run.ts; the anchor follows
// the same rule): "early" is the median of calls 11–20 after the first two, in a process too
// young for V8 to have collected any dropped result (each lands in fresh pages: ~16 µs per 4 KB
// page on these VMs; NumPy frees a dropped array at once and reuses its memory), "steady" the
// median of 10 calls after the results since the first reach 256 MB (or 500 calls): the
// throughput of a long-running process, such as a server, once freed results are reused.
// Prints a table per configuration and one JSON line (medians, min, max, ratios). The Lathe side
// runs the built package (dist/, rebuilt first, WebAssembly included); LATHE_BENCH_SRC=1 runs the
// TypeScript sources.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { buildOnce, flag, median, root, writeDataset } from './forest-data.ts';

const sizes = flag('sizes', '100000,1000000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0); // --sizes 0: the real digits set only
const repeats = Number(flag('repeats', '3'));
const threads = Number(flag('threads', '2'));
const models = ['kmeans', ...(process.argv.includes('--elkan') ? ['kmeans-elkan'] : []), 'pca'];
const pages: boolean[] = process.argv.includes('--no-hugepages')
  ? [false]
  : flag('pages', 'on') === 'both'
    ? [true, false]
    : [flag('pages', 'on') !== 'off'];

buildOnce();
if (process.env.LATHE_BENCH_SRC !== '1') {
  // buildOnce compiles the TypeScript only; the kernels are part of what is measured.
  execFileSync(process.execPath, [`${root}scripts/build-wasm.mjs`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

interface RunResult {
  fit: number;
  fitCpu: number;
  predict: number;
  predictCpu: number;
  predictRowsPerSec: number;
  /** Median wall seconds of later calls in a young and in a long-running process (see cluster-pca-run.ts). */
  early: number;
  steady: number;
  /** How many later calls the run made (the same rule on both sides). */
  laterCalls: number;
  quality: number[];
  peakRssMB: number;
}

function run(who: 'lathe' | 'sklearn', what: string, prefix: string, hugepages: boolean): RunResult {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    OPENBLAS_NUM_THREADS: String(threads),
    LATHE_THREADS: String(threads),
  };
  // Transparent huge pages for large allocations on both sides (see the header).
  if (hugepages) env.GLIBC_TUNABLES = 'glibc.malloc.hugetlb=1';
  else delete env.GLIBC_TUNABLES;
  const out =
    who === 'sklearn'
      ? execFileSync(
          '/usr/bin/python3',
          [`${root}bench/cluster-pca-anchor.py`, what, prefix, String(threads)],
          {
            env,
            encoding: 'utf8',
          },
        )
      : execFileSync(
          process.execPath,
          ['--import', 'tsx', `${root}bench/cluster-pca-run.ts`, what, prefix, String(threads)],
          { env, encoding: 'utf8' },
        );
  return JSON.parse(out.trim().split('\n').pop()!) as RunResult;
}

const f = (x: number, d = 3) => x.toFixed(d);
const datasets: [string, string][] = [
  ...sizes.map((n): [string, string] => [`synthetic ${n} × 20`, writeDataset('synthetic', n)]),
  ['digits 1797 × 64 (real)', writeDataset('digits', 0)],
];
type Stat = { median: number; min: number; max: number };
const stat = (v: number[]): Stat => ({ median: median(v), min: Math.min(...v), max: Math.max(...v) });
const fmt = (s: Stat, d = 3) => `${f(s.median, d)} [${f(s.min, d)}, ${f(s.max, d)}]`;

for (const hugepages of pages) {
  for (const [title, prefix] of datasets) {
    for (const what of models) {
      const res = { lathe: [] as RunResult[], sklearn: [] as RunResult[] };
      const loads: number[] = [];
      for (let r = 0; r < repeats; r++) {
        for (const who of r % 2 === 0 ? (['lathe', 'sklearn'] as const) : (['sklearn', 'lathe'] as const)) {
          loads.push(loadavg()[0]);
          res[who].push(run(who, what, prefix, hugepages));
        }
      }
      const summary: Record<string, unknown> = {
        bench: 'cluster-pca',
        model: what,
        title,
        threads,
        repeats,
        hugepages,
        loadAverage: stat(loads),
      };
      console.log(
        `\n${what} on ${title}, ${threads} thread(s), ${repeats} repeats, huge pages ${hugepages ? 'on' : 'off'} (load average ${fmt(stat(loads), 1)})`,
      );
      console.log(
        '           fit wall s [min, max]      fit CPU s       predict wall ms    predict CPU ms   predict rows/s   early ms   steady ms   peak RSS MB   quality',
      );
      type Side = {
        fit: Stat;
        fitCpu: Stat;
        predict: Stat;
        predictCpu: Stat;
        predictRowsPerSec: number;
        early: number;
        steady: number;
        laterCalls: number;
        peakRssMB: number;
        quality: number[];
      };
      const sides: Record<string, Side> = {};
      for (const who of ['lathe', 'sklearn'] as const) {
        const rs = res[who];
        const s: Side = {
          fit: stat(rs.map((x) => x.fit)),
          fitCpu: stat(rs.map((x) => x.fitCpu)),
          predict: stat(rs.map((x) => x.predict * 1000)),
          predictCpu: stat(rs.map((x) => x.predictCpu * 1000)),
          predictRowsPerSec: median(rs.map((x) => x.predictRowsPerSec)),
          early: median(rs.map((x) => x.early * 1000)),
          steady: median(rs.map((x) => x.steady * 1000)),
          laterCalls: median(rs.map((x) => x.laterCalls)),
          peakRssMB: median(rs.map((x) => x.peakRssMB)),
          quality: rs[0].quality,
        };
        sides[who] = s;
        summary[who] = s;
        console.log(
          `${who.padEnd(10)} ${fmt(s.fit).padEnd(26)} ${f(s.fitCpu.median).padStart(8)}   ${f(s.predict.median, 2).padStart(12)}   ${f(s.predictCpu.median, 2).padStart(12)}   ${Math.round(s.predictRowsPerSec).toString().padStart(12)}   ${f(s.early, 2).padStart(8)}   ${f(s.steady, 2).padStart(9)}   ${f(s.peakRssMB, 0).padStart(8)}   ${s.quality.map((q) => q.toPrecision(6)).join(' ')}`,
        );
      }
      const l = sides.lathe;
      const s = sides.sklearn;
      summary.fitRatio = l.fit.median / s.fit.median;
      summary.fitCpuRatio = l.fitCpu.median / s.fitCpu.median;
      summary.predictTimeRatio = s.predictRowsPerSec / l.predictRowsPerSec;
      summary.predictCpuRatio = l.predictCpu.median / s.predictCpu.median;
      summary.earlyRatio = l.early / s.early;
      summary.steadyRatio = l.steady / s.steady;
      const quality =
        what === 'pca'
          ? `largest |Δ explained variance ratio| ${Math.max(...l.quality.map((q, i) => Math.abs(q - s.quality[i]))).toExponential(2)}`
          : `inertia ratio ${f(l.quality[0] / s.quality[0], 4)}`;
      console.log(
        `ratio lathe/sklearn: fit ${f(summary.fitRatio as number)} (CPU ${f(summary.fitCpuRatio as number)}), predict time ${f(summary.predictTimeRatio as number)} (CPU ${f(summary.predictCpuRatio as number)}), later calls: early ${f(summary.earlyRatio as number)}, steady ${f(summary.steadyRatio as number)} (${l.laterCalls} / ${s.laterCalls} calls), peak RSS ${f(l.peakRssMB / s.peakRssMB, 2)}; ${quality}`,
      );
      console.log(JSON.stringify(summary));
    }
  }
}
