/**
 * Load + profile: Lathe's `readTable` + `profileTable` against pandas' `read_csv` + `describe()`
 * + `isna().sum()` + `nunique()` on the benchmark CSV (bench/gen-data.ts: 1,000,000 rows × 20
 * columns by default — 16 numeric, 3 categorical, a binary label, ~5% missing).
 *
 * Each side runs in a fresh process, alternating, --reps times (default 3). Timings are taken
 * inside the process (interpreter start-up and imports excluded, for both); peak RSS is the
 * process's own (`process.resourceUsage().maxRSS` / `resource.getrusage`). Prints median, min
 * and max, the ratios and the targets, then one JSON line with everything.
 *
 *   node --import tsx bench/load-profile.ts [--rows 1000000] [--reps 3] [--target label]
 *   LATHE_BENCH_ROWS=100000 node --import tsx bench/load-profile.ts     # a quick check
 *
 * Targets (issue 2): Lathe/pandas wall time ≤ 0.5; profile of the 1M-row table ≤ 2 s after
 * load; Lathe's peak memory ≤ pandas'. Run it on a quiet machine: both sides are single-process,
 * but another process competing for the cores slows either one unevenly.
 */

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const here = dirname(fileURLToPath(import.meta.url));
const rows = Number(flag('rows', process.env.LATHE_BENCH_ROWS ?? '1000000'));
const reps = Number(flag('reps', '3'));
const target = flag('target', '');
if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows must be a positive integer, got ${rows}`);
if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer, got ${reps}`);
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

interface Side {
  load: number;
  profile: number;
  total: number;
  peakMB: number;
  rows: number;
}

const lathe = `
import { readTable } from ${JSON.stringify(join(here, '..', 'src', 'data', 'index.ts'))};
import { profileTable } from ${JSON.stringify(join(here, '..', 'src', 'quality', 'index.ts'))};
const t0 = performance.now();
const { table } = await readTable(${JSON.stringify(file)});
const t1 = performance.now();
const report = profileTable(table${target ? `, { target: ${JSON.stringify(target)} }` : ''});
const t2 = performance.now();
if (report.columns.length !== table.nCols) throw new Error('bad report');
console.log(JSON.stringify({ load: (t1 - t0) / 1000, profile: (t2 - t1) / 1000, total: (t2 - t0) / 1000,
  peakMB: process.resourceUsage().maxRSS / 1024, rows: table.nRows }));
`;

const pandas = `
import json, resource, time
import pandas as pd
t0 = time.perf_counter()
df = pd.read_csv(${JSON.stringify(file)})
t1 = time.perf_counter()
d = df.describe()
m = df.isna().sum()
u = df.nunique()
t2 = time.perf_counter()
assert len(d.columns) > 0 and len(m) == len(u) == df.shape[1]
print(json.dumps({"load": t1 - t0, "profile": t2 - t1, "total": t2 - t0,
  "peakMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rows": len(df)}))
`;

function run(cmd: string, args: string[]): Side {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Side;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};

const l: Side[] = [];
const p: Side[] = [];
for (let i = 0; i < reps; i++) {
  const a = run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', lathe]);
  const b = run('/usr/bin/python3', ['-c', pandas]);
  if (a.rows !== b.rows) throw new Error(`row counts differ: lathe ${a.rows}, pandas ${b.rows}`);
  l.push(a);
  p.push(b);
  console.error(
    `rep ${i + 1}/${reps}: lathe ${a.total.toFixed(2)} s (load ${a.load.toFixed(2)} + profile ${a.profile.toFixed(2)}), ${a.peakMB.toFixed(0)} MB; pandas ${b.total.toFixed(2)} s (load ${b.load.toFixed(2)} + describe/isna/nunique ${b.profile.toFixed(2)}), ${b.peakMB.toFixed(0)} MB`,
  );
}

const field = (xs: Side[], k: keyof Side) => stats(xs.map((x) => x[k]));
const L = {
  load: field(l, 'load'),
  profile: field(l, 'profile'),
  total: field(l, 'total'),
  peakMB: field(l, 'peakMB'),
};
const P = {
  load: field(p, 'load'),
  profile: field(p, 'profile'),
  total: field(p, 'total'),
  peakMB: field(p, 'peakMB'),
};
const fmt = (s: { median: number; min: number; max: number }, unit: string, d = 2) =>
  `${s.median.toFixed(d)} ${unit} (min ${s.min.toFixed(d)}, max ${s.max.toFixed(d)})`;
const ratio = L.total.median / P.total.median;
const memRatio = L.peakMB.median / P.peakMB.median;
console.log(
  `load + profile, ${rows.toLocaleString('en-US')} rows × 20 columns, ${reps} alternating runs each`,
);
console.log(
  `  lathe   total ${fmt(L.total, 's')} = load ${fmt(L.load, 's')} + profile ${fmt(L.profile, 's')}`,
);
console.log(
  `  pandas  total ${fmt(P.total, 's')} = read_csv ${fmt(P.load, 's')} + describe/isna/nunique ${fmt(P.profile, 's')}`,
);
console.log(`  peak RSS: lathe ${fmt(L.peakMB, 'MB', 0)}, pandas ${fmt(P.peakMB, 'MB', 0)}`);
console.log(
  `  ratio lathe/pandas wall ${ratio.toFixed(2)} (target ≤ 0.5): ${ratio <= 0.5 ? 'met' : 'NOT met'}`,
);
console.log(
  `  profile after load ${L.profile.median.toFixed(2)} s (target ≤ 2 s at 1M rows): ${L.profile.median <= 2 ? 'met' : 'NOT met'}`,
);
console.log(
  `  peak memory lathe/pandas ${memRatio.toFixed(2)} (target ≤ 1): ${memRatio <= 1 ? 'met' : 'NOT met'}`,
);
console.log(
  JSON.stringify({
    bench: 'load-profile',
    rows,
    reps,
    target: target || null,
    lathe: L,
    pandas: P,
    ratio,
    memRatio,
  }),
);
