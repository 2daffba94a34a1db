/**
 * `lathe clean` against pandas on a messy file: missing-value tokens, numbers with thousands
 * separators stored as text (with a percentage and a word among them), day-first dates as text
 * (with a non-date), an empty and a constant column, duplicated rows — examples/survey_messy.csv's
 * faults, at scale (--rows, default 1,000,000; written once to bench/data/).
 *
 * The two sides do not do the same work: `lathe clean` reads and profiles the file to *find* what
 * to fix, then fixes it; the pandas side (bench/clean-anchor.py) is the fix written by hand for
 * these known columns. Each runs as a fresh process (interpreter start-up and imports included on
 * both sides: the time a user waits), alternating, --reps times; peak RSS from /usr/bin/time. The
 * outputs are checked to agree: same rows kept (by id), same number of rows set aside. Lathe runs
 * with `--on-bad-rows quarantine`: a non-date beyond the rows the reader sniffs types from is a bad
 * row of a datetime column, set aside by the reader (by the conversion when the sniff saw it).
 *
 *   npm run build && node --import tsx bench/clean.ts [--rows 1000000] [--reps 3]
 */

import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const rows = Number(flag('rows', '1000000'));
const reps = Number(flag('reps', '3'));
if (!Number.isInteger(rows) || rows < 100) throw new Error(`--rows must be an integer ≥ 100, got ${rows}`);
if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first');

/** A deterministic messy row `i` (a linear congruential stream, no Math.random). */
function row(i: number): string {
  const r = (k: number) => ((i * 2654435761 + k * 40503) >>> 0) % 1000;
  const age = r(1) % 37 === 0 ? ['?', 'unknown', '-'][r(2) % 3] : String(18 + (r(3) % 62));
  const amount = 20000 + r(4) * 130;
  const income =
    r(5) === 7
      ? '12%'
      : r(5) === 8
        ? 'lots'
        : r(6) % 3 === 0
          ? `"${amount.toLocaleString('en-US')}"`
          : String(amount);
  const signup =
    r(7) === 9
      ? 'sometime'
      : `${String(1 + (r(8) % 28)).padStart(2, '0')}/${String(1 + (r(9) % 12)).padStart(2, '0')}/20${15 + (r(10) % 9)}`;
  return `U${i},${signup},${age},${income},${['basic', 'pro', 'team'][r(11) % 3]},FR,,${(r(12) / 1000).toFixed(3)},${r(13) % 4 ? 'no' : 'yes'}`;
}

async function writeData(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  out.write('id,signup,age,income,plan,country,source,score,churned\n');
  const dupEvery = 97; // a copy of an earlier row every 97 rows
  for (let i = 0; i < rows; i++) {
    const line = i > 0 && i % dupEvery === 0 ? row(i - 1 - (i % 50)) : row(i);
    if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
}

const data = join(here, 'data', `clean_${rows}.csv`);
if (!existsSync(data)) await writeData(data);
const outDir = join(here, 'out');
mkdirSync(outDir, { recursive: true });

interface Run {
  seconds: number;
  peakMB: number;
}

/** Runs a command under /usr/bin/time; its wall time and peak RSS. */
function timed(cmd: string[], what: string): Run {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...cmd], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr}`);
  const kb = Number(r.stderr.trim().split('\n').at(-1));
  return { seconds, peakMB: kb / 1024 };
}

const latheOut = join(outDir, 'clean-lathe.csv');
const pandasOut = join(outDir, 'clean-pandas.csv');
const lathe: Run[] = [];
const pandas: Run[] = [];
console.log(`clean: ${rows.toLocaleString('en-US')} rows; load average ${loadavg()[0].toFixed(2)}`);
for (let k = 0; k < reps; k++) {
  lathe.push(
    timed(
      [
        process.execPath,
        '--no-concurrent-recompilation',
        join(root, 'bin', 'lathe.js'),
        'clean',
        data,
        '-o',
        latheOut,
        '--on-bad-rows',
        'quarantine',
        '--quiet',
        '--json',
      ],
      'lathe clean',
    ),
  );
  pandas.push(timed(['/usr/bin/python3', join(here, 'clean-anchor.py'), data, pandasOut], 'pandas'));
}

// The two outputs agree: the same ids kept, in order; the same columns.
const ids = (path: string) =>
  readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => l.slice(0, l.indexOf(',')));
const a = ids(latheOut);
const b = ids(pandasOut);
const same = a.length === b.length && a.every((v, i) => v === b[i]);
const rejects = (path: string) => readFileSync(`${path}`, 'utf8').trimEnd().split('\n').length - 1;
const latheRejects = rejects(`${data}.rejects.csv`);
const pandasRejects = rejects(`${pandasOut}.rejects.csv`);

const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const l = med(lathe.map((r) => r.seconds));
const p = med(pandas.map((r) => r.seconds));
console.log(
  `  lathe clean (finds and fixes)   ${l.toFixed(2)} s  [${Math.min(...lathe.map((r) => r.seconds)).toFixed(2)}, ${Math.max(...lathe.map((r) => r.seconds)).toFixed(2)}]  peak ${med(lathe.map((r) => r.peakMB)).toFixed(0)} MB`,
);
console.log(
  `  pandas (the fixes by hand)      ${p.toFixed(2)} s  [${Math.min(...pandas.map((r) => r.seconds)).toFixed(2)}, ${Math.max(...pandas.map((r) => r.seconds)).toFixed(2)}]  peak ${med(pandas.map((r) => r.peakMB)).toFixed(0)} MB`,
);
console.log(
  `  ratio lathe/pandas ${(l / p).toFixed(2)}; rows kept ${a.length - 1} vs ${b.length - 1}, ids ${same ? 'identical' : 'DIFFER'}; set aside ${latheRejects} vs ${pandasRejects}`,
);
console.log(
  JSON.stringify({
    bench: 'clean',
    rows,
    reps,
    lathe,
    pandas,
    ratio: l / p,
    idsIdentical: same,
    setAside: [latheRejects, pandasRejects],
    load: loadavg()[0],
  }),
);
