/**
 * CSV loading: Lathe's `readTable` — with the WebAssembly record kernel and with the TypeScript
 * paths alone (`LATHE_CSV_KERNEL=ts`) — against `pandas.read_csv` on the benchmark file
 * (bench/gen-data.ts), each run in a fresh process, alternating, --reps times (default 3).
 *
 * For each it records the wall time, the CPU time of the whole process (user + system, every
 * thread), the CPU time of the main thread alone and the page faults (first touches of fresh
 * memory: on some virtual machines each costs ~15–20 µs, which makes them a large part of a
 * load). On a busy machine the wall time says little; the CPU times and the faults hold.
 * Interpreter start-up and imports are excluded for both. Prints median, min and max, the
 * ratios, then one JSON line with everything.
 *
 *   npm run build                                         # Lathe as users run it (dist/)
 *   node --import tsx bench/read-csv.ts [--rows 1000000] [--reps 3] [--threads N]
 *                                       [--kernels wasm,ts] [--from dist|src] [--dist DIR]
 *   LATHE_BENCH_ROWS=100000 node --import tsx bench/read-csv.ts      # a quick check
 */

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
const threads = flag('threads', '');
const kernels = flag('kernels', 'wasm,ts').split(',');
const distDir = flag('dist', join(root, 'dist'));
const from = flag('from', existsSync(join(distDir, 'index.js')) ? 'dist' : 'src');
if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows must be a positive integer, got ${rows}`);
if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer, got ${reps}`);
if (from !== 'dist' && from !== 'src') throw new Error(`--from must be dist or src, got ${from}`);
for (const k of kernels)
  if (k !== 'wasm' && k !== 'ts') throw new Error(`--kernels takes wasm and/or ts, got ${k}`);
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

/** One load: seconds of wall time, process CPU and main-thread CPU; page faults; rows. */
interface Run {
  wall: number;
  cpu: number;
  mainCpu: number;
  faults: number;
  rows: number;
}

const entry = JSON.stringify(
  from === 'dist'
    ? pathToFileURL(join(distDir, 'data', 'index.js')).href
    : join(root, 'src', 'data', 'index.ts'),
);
const lathe = `
import { readFileSync } from 'node:fs';
import { readTable } from ${entry};
const stat = (p) => { const s = readFileSync(p, 'utf8'); return s.slice(s.lastIndexOf(')') + 2).split(' '); };
const now = () => {
  const u = process.cpuUsage();
  const t = stat('/proc/self/task/' + process.pid + '/stat');
  return [performance.now() / 1000, (u.user + u.system) / 1e6, (Number(t[11]) + Number(t[12])) / 100,
    Number(stat('/proc/self/stat')[7])];
};
const a = now();
const { table } = await readTable(${JSON.stringify(file)});
const b = now();
console.log(JSON.stringify({ wall: b[0] - a[0], cpu: b[1] - a[1], mainCpu: b[2] - a[2], faults: b[3] - a[3], rows: table.nRows }));
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
    return (time.perf_counter(), t.user + t.system, ticks(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt)
a = now()
df = pd.read_csv(${JSON.stringify(file)})
b = now()
print(json.dumps({"wall": b[0] - a[0], "cpu": b[1] - a[1], "mainCpu": b[2] - a[2], "faults": b[3] - a[3], "rows": len(df)}))
`;

function run(cmd: string, args: string[], env: Record<string, string>): Run {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    cwd: root,
    env: { ...process.env, OMP_NUM_THREADS: '1', ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Run;
}

const latheArgs =
  from === 'dist'
    ? ['--input-type=module', '-e', lathe]
    : ['--import', 'tsx', '--input-type=module', '-e', lathe];
const sides: Record<string, Run[]> = Object.fromEntries([
  ...kernels.map((k) => [`lathe-${k}`, []]),
  ['pandas', []],
]);
for (let i = 0; i < reps; i++) {
  for (const k of kernels) {
    sides[`lathe-${k}`].push(
      run(process.execPath, latheArgs, {
        LATHE_CSV_KERNEL: k,
        ...(threads ? { LATHE_THREADS: threads } : {}),
      }),
    );
  }
  sides.pandas.push(run('/usr/bin/python3', ['-c', pandas], {}));
  const rowsSeen = new Set(Object.values(sides).map((s) => s[s.length - 1].rows));
  if (rowsSeen.size !== 1) throw new Error(`row counts differ: ${[...rowsSeen].join(', ')}`);
  console.error(
    `rep ${i + 1}/${reps}: ${Object.entries(sides)
      .map(([name, s]) => {
        const r = s[s.length - 1];
        return `${name} ${r.wall.toFixed(2)} s (cpu ${r.cpu.toFixed(2)}, main ${r.mainCpu.toFixed(2)}, ${r.faults} faults)`;
      })
      .join('; ')}`,
  );
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
const summary = Object.fromEntries(
  Object.entries(sides).map(([name, s]) => [
    name,
    {
      wall: stats(s.map((r) => r.wall)),
      cpu: stats(s.map((r) => r.cpu)),
      mainCpu: stats(s.map((r) => r.mainCpu)),
      faults: stats(s.map((r) => r.faults)),
    },
  ]),
);
const fmt = (s: { median: number; min: number; max: number }, d = 2) =>
  `${s.median.toFixed(d)} (${s.min.toFixed(d)}–${s.max.toFixed(d)})`;
console.log(
  `read CSV, ${rows.toLocaleString('en-US')} rows × 20 columns, ${reps} alternating runs each; Lathe from ${from}${threads ? `, LATHE_THREADS=${threads}` : ''}`,
);
for (const [name, s] of Object.entries(summary)) {
  console.log(
    `  ${name.padEnd(11)} wall ${fmt(s.wall)} s  cpu ${fmt(s.cpu)} s  main ${fmt(s.mainCpu)} s  faults ${fmt(s.faults, 0)}`,
  );
}
const p = summary.pandas;
const ratios = Object.fromEntries(
  kernels.map((k) => {
    const l = summary[`lathe-${k}`];
    return [k, { wall: l.wall.median / p.wall.median, cpu: l.cpu.median / p.cpu.median }];
  }),
);
for (const [k, r] of Object.entries(ratios)) {
  console.log(`  lathe-${k}/pandas: wall ${r.wall.toFixed(2)}, process CPU ${r.cpu.toFixed(2)}`);
}
console.log(
  JSON.stringify({ bench: 'read-csv', rows, reps, from, threads: threads || null, ...summary, ratios }),
);
