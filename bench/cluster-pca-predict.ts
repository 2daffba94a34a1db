// KMeans.predict and PCA.transform against scikit-learn, quickly: each run is a fresh child process
// (bench/cluster-pca-run.ts / cluster-pca-anchor.py in `quick` mode: every row is read once, the
// fit sees the first 50 000 rows — KMeans with nInit 2 and maxIter 5 — then a 300 ms pause, then
// the first predict/transform of every row, the call bench/cluster-pca.ts times, in seconds
// instead of minutes). Several Lathe code versions can run side by
// side (A/B in the same minute on a shared machine): --lathe label=DIR,... where DIR holds a copy of
// the repository's `src/` (e.g. `git archive HEAD src | tar -x -C DIR`, plus symbolic links
// DIR/node_modules and DIR/build) or a build of one ending in /dist (`npx tsc -p tsconfig.build.json
// --outDir DIR/dist`); `src` is this checkout's sources and `dist` its build.
//
//   node --import tsx bench/cluster-pca-predict.ts [--sizes 100000,1000000] [--repeats 5]
//        [--threads 2] [--models kmeans,pca] [--lathe now=src,before=/tmp/before] [--no-hugepages]
//        [--full]   (full fits as bench/cluster-pca.ts instead of quick ones)
//        [--rt]     (children under `chrt -f 10`: see below)
//
// --rt runs every child (both sides) with real-time FIFO priority, so that other processes on a
// shared machine do not take its cores away mid-run: the closest thing to a quiet machine when
// there is none (the kernel still keeps 5% of each second for others). Use it for short runs only;
// it needs the right to raise priority (root or CAP_SYS_NICE). With it, Lathe's streams skip
// their check for a busy machine (the other processes' threads cannot take the cores away).
//
// Prints, per model and size, the medians [min, max] of the first call's wall and CPU time (all
// threads) and minor page faults, the same for a second call in the same process, and the ratios to
// scikit-learn. The sides alternate, the order rotating every repeat. Huge pages on both sides
// unless --no-hugepages (see bench/cluster-pca.ts).
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { flag, median, root, writeDataset } from './forest-data.ts';

const sizes = flag('sizes', '100000,1000000').split(',').map(Number);
const repeats = Number(flag('repeats', '5'));
const threads = Number(flag('threads', '2'));
const models = flag('models', 'kmeans,pca').split(',');
const hugepages = !process.argv.includes('--no-hugepages');
const mode = process.argv.includes('--full') ? 'full' : 'quick';
const rt = process.argv.includes('--rt');
/** Runs a command, under `chrt -f 10` with --rt. */
function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv): string {
  const [c, a] = rt ? ['chrt', ['-f', '10', cmd, ...args]] : [cmd, args];
  return execFileSync(c, a, { env, encoding: 'utf8' });
}
const lathes = flag('lathe', 'now=src')
  .split(',')
  .map((s) => {
    const [label, dir] = s.includes('=') ? s.split('=') : [s, s];
    return { label, dir };
  });

interface Run {
  predict: number;
  predictCpu: number;
  predictFaults: number;
  again: number;
  againCpu: number;
  againFaults: number;
}

function run(side: { label: string; dir: string } | 'sklearn', what: string, prefix: string): Run {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    OPENBLAS_NUM_THREADS: String(threads),
    LATHE_THREADS: String(threads),
  };
  if (rt) env.LATHE_BENCH_NO_LOAD_CHECK = '1';
  env.BENCH_STEADY_CALLS = '0'; // first and second calls only
  if (hugepages) env.GLIBC_TUNABLES = 'glibc.malloc.hugetlb=1';
  else delete env.GLIBC_TUNABLES;
  delete env.LATHE_BENCH_FROM;
  delete env.LATHE_BENCH_SRC;
  let out: string;
  if (side === 'sklearn') {
    out = exec(
      '/usr/bin/python3',
      [`${root}bench/cluster-pca-anchor.py`, what, prefix, String(threads), mode],
      env,
    );
  } else {
    if (side.dir === 'src') env.LATHE_BENCH_SRC = '1';
    else if (side.dir !== 'dist') env.LATHE_BENCH_FROM = side.dir;
    out = exec(
      process.execPath,
      ['--import', 'tsx', `${root}bench/cluster-pca-run.ts`, what, prefix, String(threads), mode],
      env,
    );
  }
  return JSON.parse(out.trim().split('\n').pop()!) as Run;
}

type Stat = { median: number; min: number; max: number };
const stat = (v: number[]): Stat => ({ median: median(v), min: Math.min(...v), max: Math.max(...v) });
const fmt = (s: Stat, d = 1) => `${s.median.toFixed(d)} [${s.min.toFixed(d)}, ${s.max.toFixed(d)}]`;

for (const n of sizes) {
  const prefix = writeDataset('synthetic', n);
  for (const what of models) {
    const sides = [...lathes, 'sklearn' as const];
    const res = new Map<string, Run[]>(sides.map((s) => [s === 'sklearn' ? s : s.label, []]));
    const loads: number[] = [];
    for (let r = 0; r < repeats; r++) {
      for (let i = 0; i < sides.length; i++) {
        const side = sides[(i + r) % sides.length];
        loads.push(loadavg()[0]);
        res.get(side === 'sklearn' ? side : side.label)!.push(run(side, what, prefix));
      }
    }
    console.log(
      `\n${what} predict, synthetic ${n} × 20, ${threads} thread(s), ${repeats} repeats, huge pages ${hugepages ? 'on' : 'off'}, load average ${fmt(stat(loads))}`,
    );
    console.log(
      'side        first: wall ms            CPU ms                  faults     second: wall ms        CPU ms            faults',
    );
    const summary: Record<string, unknown> = {
      bench: 'cluster-pca-predict',
      model: what,
      rows: n,
      threads,
      mode,
      rt,
      hugepages,
    };
    const sk = res.get('sklearn')!;
    for (const [label, rs] of res) {
      const w = stat(rs.map((x) => x.predict * 1000));
      const c = stat(rs.map((x) => x.predictCpu * 1000));
      const f = median(rs.map((x) => x.predictFaults));
      const w2 = stat(rs.map((x) => x.again * 1000));
      const c2 = stat(rs.map((x) => x.againCpu * 1000));
      const f2 = median(rs.map((x) => x.againFaults));
      summary[label] = { wall: w, cpu: c, faults: f, again: w2, againCpu: c2, againFaults: f2 };
      console.log(
        `${label.padEnd(10)}  ${fmt(w).padEnd(24)} ${fmt(c).padEnd(24)} ${String(f).padStart(6)}     ${fmt(w2).padEnd(22)} ${fmt(c2).padEnd(18)} ${String(f2).padStart(6)}`,
      );
    }
    for (const { label } of lathes) {
      const rs = res.get(label)!;
      const ratio = (k: keyof Run) => median(rs.map((x) => x[k])) / median(sk.map((x) => x[k]));
      summary[`${label}Ratio`] = {
        wall: ratio('predict'),
        cpu: ratio('predictCpu'),
        again: ratio('again'),
        againCpu: ratio('againCpu'),
      };
      console.log(
        `ratio ${label}/sklearn: first wall ${ratio('predict').toFixed(3)} (CPU ${ratio('predictCpu').toFixed(3)}), second wall ${ratio('again').toFixed(3)} (CPU ${ratio('againCpu').toFixed(3)})`,
      );
    }
    console.log(JSON.stringify(summary));
  }
}
