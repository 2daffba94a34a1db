// KMeans and PCA side by side (DESIGN.md, "Performance"): Lathe vs scikit-learn on the same
// thread count (OMP_NUM_THREADS and LATHE_THREADS set), on a synthetic N × 20 set at each size in
// --sizes and on the real digits set. KMeans: k = 8, nInit 10, Lloyd (and Elkan with --elkan);
// PCA: full solver, all components. Each run is a child process (its own peak RSS); runs
// alternate between the sides. Quality: KMeans inertia (ratio Lathe/scikit-learn), PCA largest
// difference in explained variance ratio.
//
//   node --import tsx bench/cluster-pca.ts [--sizes 100000,1000000] [--repeats 3] [--threads 2] [--elkan]
// Prints a table and one JSON line per configuration (medians, min, max, ratios). The Lathe side
// runs the built package (dist/, rebuilt first); LATHE_BENCH_SRC=1 runs the TypeScript sources.
import { execFileSync } from 'node:child_process';
import { buildOnce, flag, median, root, writeDataset } from './forest-data.ts';

const sizes = flag('sizes', '100000,1000000').split(',').map(Number);
const repeats = Number(flag('repeats', '3'));
const threads = Number(flag('threads', '2'));
const models = ['kmeans', ...(process.argv.includes('--elkan') ? ['kmeans-elkan'] : []), 'pca'];

buildOnce();

interface RunResult {
  fit: number;
  predictRowsPerSec: number;
  quality: number[];
  peakRssMB: number;
}

function run(who: 'lathe' | 'sklearn', what: string, prefix: string): RunResult {
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), LATHE_THREADS: String(threads) };
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
for (const [title, prefix] of datasets) {
  for (const what of models) {
    const res = { lathe: [] as RunResult[], sklearn: [] as RunResult[] };
    for (let r = 0; r < repeats; r++) {
      res.lathe.push(run('lathe', what, prefix));
      res.sklearn.push(run('sklearn', what, prefix));
    }
    const summary: Record<string, unknown> = { bench: 'cluster-pca', model: what, title, threads, repeats };
    console.log(`\n${what} on ${title}, ${threads} thread(s), ${repeats} repeats`);
    console.log('             fit median [min, max] s      predict rows/s   peak RSS MB   quality');
    for (const who of ['lathe', 'sklearn'] as const) {
      const rs = res[who];
      const fits = rs.map((x) => x.fit);
      const s = {
        fitMedian: median(fits),
        fitMin: Math.min(...fits),
        fitMax: Math.max(...fits),
        predictRowsPerSec: median(rs.map((x) => x.predictRowsPerSec)),
        peakRssMB: median(rs.map((x) => x.peakRssMB)),
        quality: rs[0].quality,
      };
      summary[who] = s;
      console.log(
        `${who.padEnd(10)} ${f(s.fitMedian).padStart(8)} [${f(s.fitMin)}, ${f(s.fitMax)}]`.padEnd(40) +
          `${Math.round(s.predictRowsPerSec).toString().padStart(12)}   ${f(s.peakRssMB, 0).padStart(8)}   ${s.quality.map((q) => q.toPrecision(6)).join(' ')}`,
      );
    }
    const l = summary.lathe as {
      fitMedian: number;
      predictRowsPerSec: number;
      peakRssMB: number;
      quality: number[];
    };
    const s = summary.sklearn as typeof l;
    summary.fitRatio = l.fitMedian / s.fitMedian;
    summary.predictTimeRatio = s.predictRowsPerSec / l.predictRowsPerSec;
    const quality =
      what === 'pca'
        ? `largest |Δ explained variance ratio| ${Math.max(...l.quality.map((q, i) => Math.abs(q - s.quality[i]))).toExponential(2)}`
        : `inertia ratio ${f(l.quality[0] / s.quality[0], 4)}`;
    console.log(
      `ratio lathe/sklearn: fit ${f(l.fitMedian / s.fitMedian)}, predict time ${f(s.predictRowsPerSec / l.predictRowsPerSec)}, peak RSS ${f(l.peakRssMB / s.peakRssMB, 2)}; ${quality}`,
    );
    console.log(JSON.stringify(summary));
  }
}
