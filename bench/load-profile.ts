/**
 * Load + profile: Lathe's `readTable` + `profileTableAsync` against pandas' `read_csv` +
 * `describe()` + `isna().sum()` + `nunique()` on the benchmark CSV (bench/gen-data.ts: 1,000,000
 * rows × 20 columns by default — 16 numeric, 3 categorical, a binary label, ~5% missing).
 *
 * Each side runs in a fresh process, alternating, --reps times (default 3). Timings are taken
 * inside the process (interpreter start-up and imports excluded, for both). For each phase it
 * records the wall time, the CPU time of the whole process (user + system, every thread) and the
 * CPU time of the main thread alone (/proc/self/task/<pid>/stat) — on a busy machine the wall
 * time says little, while the CPU times hold: the process total is the work done, and the main
 * thread's is the critical path (Lathe's workers run beside it). Peak RSS is the process's own.
 * Prints median, min and max, the ratios and the targets, then one JSON line with everything.
 *
 *   npm run build                                   # Lathe as users run it (dist/), the default
 *   node --import tsx bench/load-profile.ts [--rows 1000000] [--reps 3] [--target label]
 *                                           [--threads N] [--from dist|src] [--dist DIR]
 *   LATHE_BENCH_ROWS=100000 node --import tsx bench/load-profile.ts     # a quick check
 *
 * `--from src` runs the TypeScript sources through tsx instead (slower to start, and tsx's own
 * memory counts in the peak RSS); `--dist` points at another build (e.g. `tsc -p
 * tsconfig.build.json --outDir /tmp/lathe-dist`). `--threads` sets LATHE_THREADS for Lathe
 * (default: all cores).
 *
 * Targets (issue 2): Lathe/pandas wall time ≤ 0.5; profile of the 1M-row table ≤ 2 s after
 * load; Lathe's peak memory ≤ pandas'. Run it on a quiet machine for the wall times.
 */

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const rows = Number(flag('rows', process.env.LATHE_BENCH_ROWS ?? '1000000'));
const reps = Number(flag('reps', '3'));
const target = flag('target', '');
const threads = flag('threads', '');
const distDir = flag('dist', join(root, 'dist'));
const from = flag('from', existsSync(join(distDir, 'index.js')) ? 'dist' : 'src');
if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows must be a positive integer, got ${rows}`);
if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer, got ${reps}`);
if (from !== 'dist' && from !== 'src') throw new Error(`--from must be dist or src, got ${from}`);
if (from === 'dist' && !existsSync(join(distDir, 'index.js'))) {
  throw new Error('dist/ is not built: run `npm run build` first, or pass --from src');
}
const file = join(here, 'data', `bench_${rows}.csv`);
if (!existsSync(file)) {
  const g = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(here, 'gen-data.ts'), '--rows', String(rows)],
    {
      stdio: 'inherit',
    },
  );
  if (g.status !== 0) throw new Error('gen-data.ts failed');
}

/** One phase of one run: seconds of wall time, of process CPU and of main-thread CPU. */
interface Phase {
  wall: number;
  cpu: number;
  mainCpu: number;
}

interface Side {
  load: Phase;
  profile: Phase;
  total: Phase;
  peakMB: number;
  rows: number;
}

const entry = (m: string) =>
  JSON.stringify(
    from === 'dist' ? pathToFileURL(join(distDir, m, 'index.js')).href : join(root, 'src', m, 'index.ts'),
  );

const lathe = `
import { readFileSync } from 'node:fs';
import { readTable } from ${entry('data')};
import { profileTableAsync } from ${entry('quality')};
const ticks = () => {
  const s = readFileSync('/proc/self/task/' + process.pid + '/stat', 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const now = () => { const u = process.cpuUsage(); return [performance.now() / 1000, (u.user + u.system) / 1e6, ticks()]; };
const d = (a, b) => ({ wall: b[0] - a[0], cpu: b[1] - a[1], mainCpu: b[2] - a[2] });
const t0 = now();
const { table } = await readTable(${JSON.stringify(file)});
const t1 = now();
const report = await profileTableAsync(table${target ? `, { target: ${JSON.stringify(target)} }` : ''});
const t2 = now();
if (report.columns.length !== table.nCols) throw new Error('bad report');
console.log(JSON.stringify({ load: d(t0, t1), profile: d(t1, t2), total: d(t0, t2),
  peakMB: process.resourceUsage().maxRSS / 1024, rows: table.nRows }));
`;

const pandas = `
import json, os, resource, time
import pandas as pd
def ticks():
    s = open('/proc/self/task/%d/stat' % os.getpid()).read()
    f = s[s.rindex(')') + 2:].split(' ')
    return (int(f[11]) + int(f[12])) / os.sysconf('SC_CLK_TCK')
def now():
    t = os.times()
    return (time.perf_counter(), t.user + t.system, ticks())
def d(a, b):
    return {"wall": b[0] - a[0], "cpu": b[1] - a[1], "mainCpu": b[2] - a[2]}
t0 = now()
df = pd.read_csv(${JSON.stringify(file)})
t1 = now()
desc = df.describe()
m = df.isna().sum()
u = df.nunique()
t2 = now()
assert len(desc.columns) > 0 and len(m) == len(u) == df.shape[1]
print(json.dumps({"load": d(t0, t1), "profile": d(t1, t2), "total": d(t0, t2),
  "peakMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rows": len(df)}))
`;

function run(cmd: string, args: string[], env: Record<string, string>): Side {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    cwd: root,
    env: { ...process.env, OMP_NUM_THREADS: '1', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Side;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
type Stat = ReturnType<typeof stats>;

const latheArgs =
  from === 'dist'
    ? ['--input-type=module', '-e', lathe]
    : ['--import', 'tsx', '--input-type=module', '-e', lathe];
const latheEnv: Record<string, string> = threads ? { LATHE_THREADS: threads } : {};
const l: Side[] = [];
const p: Side[] = [];
const loads: number[] = [];
for (let i = 0; i < reps; i++) {
  loads.push(loadavg()[0]);
  const a = run(process.execPath, latheArgs, latheEnv);
  const b = run('/usr/bin/python3', ['-c', pandas], {});
  loads.push(loadavg()[0]);
  if (a.rows !== b.rows) throw new Error(`row counts differ: lathe ${a.rows}, pandas ${b.rows}`);
  l.push(a);
  p.push(b);
  const f = (s: Phase) => `${s.wall.toFixed(2)} s (cpu ${s.cpu.toFixed(2)}, main ${s.mainCpu.toFixed(2)})`;
  console.error(
    `rep ${i + 1}/${reps} (load average ${loads[loads.length - 2].toFixed(1)} → ${loads[loads.length - 1].toFixed(1)}): ` +
      `lathe load ${f(a.load)} + profile ${f(a.profile)}, ${a.peakMB.toFixed(0)} MB; ` +
      `pandas read_csv ${f(b.load)} + describe/isna/nunique ${f(b.profile)}, ${b.peakMB.toFixed(0)} MB`,
  );
}

const phase = (xs: Side[], k: 'load' | 'profile' | 'total') => ({
  wall: stats(xs.map((x) => x[k].wall)),
  cpu: stats(xs.map((x) => x[k].cpu)),
  mainCpu: stats(xs.map((x) => x[k].mainCpu)),
});
const L = {
  load: phase(l, 'load'),
  profile: phase(l, 'profile'),
  total: phase(l, 'total'),
  peakMB: stats(l.map((x) => x.peakMB)),
};
const P = {
  load: phase(p, 'load'),
  profile: phase(p, 'profile'),
  total: phase(p, 'total'),
  peakMB: stats(p.map((x) => x.peakMB)),
};
const fmt = (s: Stat, unit: string, d = 2) =>
  `${s.median.toFixed(d)} ${unit} (min ${s.min.toFixed(d)}, max ${s.max.toFixed(d)})`;
const ratio = {
  wall: L.total.wall.median / P.total.wall.median,
  cpu: L.total.cpu.median / P.total.cpu.median,
  mainCpu: L.total.mainCpu.median / P.total.mainCpu.median,
  load: { wall: L.load.wall.median / P.load.wall.median, cpu: L.load.cpu.median / P.load.cpu.median },
  profile: {
    wall: L.profile.wall.median / P.profile.wall.median,
    cpu: L.profile.cpu.median / P.profile.cpu.median,
  },
};
const memRatio = L.peakMB.median / P.peakMB.median;
const la = stats(loads);
console.log(
  `load + profile, ${rows.toLocaleString('en-US')} rows × 20 columns, ${reps} alternating runs each; Lathe from ${from}/${threads ? `, LATHE_THREADS=${threads}` : ''}; load average ${la.min.toFixed(1)}–${la.max.toFixed(1)}`,
);
for (const [name, s] of [
  ['lathe ', L],
  ['pandas', P],
] as const) {
  console.log(
    `  ${name}  wall  ${fmt(s.total.wall, 's')} = load ${fmt(s.load.wall, 's')} + profile ${fmt(s.profile.wall, 's')}`,
  );
  console.log(
    `          cpu   ${fmt(s.total.cpu, 's')} = load ${fmt(s.load.cpu, 's')} + profile ${fmt(s.profile.cpu, 's')}`,
  );
  console.log(
    `          main  ${fmt(s.total.mainCpu, 's')} = load ${fmt(s.load.mainCpu, 's')} + profile ${fmt(s.profile.mainCpu, 's')}`,
  );
}
console.log(`  peak RSS: lathe ${fmt(L.peakMB, 'MB', 0)}, pandas ${fmt(P.peakMB, 'MB', 0)}`);
console.log(
  `  ratio lathe/pandas: wall ${ratio.wall.toFixed(2)} (target ≤ 0.5: ${ratio.wall <= 0.5 ? 'met' : 'NOT met'}); ` +
    `process CPU ${ratio.cpu.toFixed(2)}; main-thread CPU ${ratio.mainCpu.toFixed(2)}`,
);
console.log(
  `  profile after load ${L.profile.wall.median.toFixed(2)} s wall, main thread ${L.profile.mainCpu.median.toFixed(2)} s (target ≤ 2 s at 1M rows): ${L.profile.wall.median <= 2 ? 'met' : 'NOT met'}`,
);
console.log(
  `  peak memory lathe/pandas ${memRatio.toFixed(2)} (target ≤ 1): ${memRatio <= 1 ? 'met' : 'NOT met'}`,
);
console.log(
  JSON.stringify({
    bench: 'load-profile',
    rows,
    reps,
    from,
    threads: threads || null,
    target: target || null,
    loadAverage: la,
    lathe: L,
    pandas: P,
    ratio,
    memRatio,
  }),
);
