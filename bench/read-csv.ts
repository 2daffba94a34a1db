/**
 * CSV loading: Lathe's readTable against pandas.read_csv on the benchmark file, alternating,
 * each in a fresh process, --reps times (default 3). Prints median/min/max seconds and the ratio.
 *
 *   node --import tsx bench/gen-data.ts --rows 1000000      # once
 *   node --import tsx bench/read-csv.ts [--rows 1000000] [--reps 3]
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
const file = join(here, 'data', `bench_${rows}.csv`);
if (!existsSync(file)) {
  spawnSync(process.execPath, ['--import', 'tsx', join(here, 'gen-data.ts'), '--rows', String(rows)], {
    stdio: 'inherit',
  });
}

const lathe = `
import { readTable } from ${JSON.stringify(join(here, '..', 'src', 'data', 'index.ts'))};
const t = performance.now();
const r = await readTable(${JSON.stringify(file)});
console.log(JSON.stringify({ seconds: (performance.now() - t) / 1000, rows: r.table.nRows }));
`;
const pandas = `
import json, time, pandas as pd
t = time.perf_counter()
df = pd.read_csv(${JSON.stringify(file)})
print(json.dumps({"seconds": time.perf_counter() - t, "rows": len(df)}))
`;

function run(cmd: string, args: string[]): { seconds: number; rows: number } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string);
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
const l: number[] = [];
const p: number[] = [];
for (let i = 0; i < reps; i++) {
  const a = run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', lathe]);
  const b = run('/usr/bin/python3', ['-c', pandas]);
  if (a.rows !== b.rows) throw new Error(`row counts differ: lathe ${a.rows}, pandas ${b.rows}`);
  l.push(a.seconds);
  p.push(b.seconds);
}
const ls = stats(l);
const ps = stats(p);
console.log(
  JSON.stringify({ bench: 'read-csv', rows, reps, lathe: ls, pandas: ps, ratio: ls.median / ps.median }),
);
