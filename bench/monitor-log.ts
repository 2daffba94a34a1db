/**
 * `lathe monitor` on a prediction log larger than the longest string Node can hold (~512 MB on
 * Node 20): writes a log of the example's rows (50 per request, one request a minute) to a temp
 * folder, shows that reading it whole as one string fails, then runs `lathe monitor --json` on it
 * with `--since` windows of increasing size, and on a small log with the same window, each in a
 * fresh process, --reps times (default 1). Prints, per run, the wall time and the peak resident
 * memory (the process's maxRSS), then one JSON line with everything.
 *
 * What it shows: peak memory follows the requests the window takes, not the size of the file.
 * There is no anchor: no Python tool reads this log format (the comparison that matters is the
 * reader before streaming, which cannot read the file at all).
 *
 *   npm run build                         # Lathe as users run it (dist/)
 *   node --import tsx bench/monitor-log.ts [--mb 640] [--reps 1] [--keep]
 */

import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const targetMb = Number(flag('mb', '640'));
const reps = Number(flag('reps', '1'));
const keep = process.argv.includes('--keep');
const dir = mkdtempSync(join(tmpdir(), 'lathe-bench-monitor-'));
const lathe = join(root, 'bin', 'lathe.js');
// Prints the process's peak resident memory (KiB) on stderr as it exits.
const preload = join(dir, 'maxrss.mjs');
writeFileSync(
  preload,
  [
    "import { writeSync } from 'node:fs';",
    "process.on('exit', () => writeSync(2, '\\nBENCH_MAXRSS_KB ' + process.resourceUsage().maxRSS + '\\n'));",
    '',
  ].join('\n'),
);

const START = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

/** Writes a log of at least `mb` MB; returns its line count. */
function writeLog(path: string, mb: number): number {
  const lines = readFileSync(join(root, 'examples', 'customers.csv'), 'utf8')
    .trimEnd()
    .split('\n');
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  const fd = openSync(path, 'w');
  let bytes = 0;
  let n = 0;
  let batch: string[] = [];
  let batchBytes = 0;
  try {
    while (bytes + batchBytes < mb * 1e6) {
      const from = (n * 50) % (rows.length - 50);
      const part = rows.slice(from, from + 50);
      const inputs: Record<string, unknown[]> = {};
      header.forEach((h, j) => {
        if (h === 'customer_id' || h === 'churned') return;
        inputs[h] = part.map((r) => {
          const v = r[j];
          if (v === '') return null;
          if (h === 'signup_date') return `${v}T00:00:00.000Z`;
          if (v === 'true' || v === 'false') return v === 'true';
          return Number.isFinite(Number(v)) ? Number(v) : v;
        });
      });
      const line = `${JSON.stringify({
        time: new Date(START + n * MINUTE).toISOString(),
        model: 'churn',
        version: '1',
        id: `r${n}`,
        status: 200,
        rows: part.length,
        latencyMs: 1,
        inputs,
        outputs: { prediction: part.map(() => 'no') },
      })}\n`;
      batch.push(line);
      batchBytes += Buffer.byteLength(line);
      n++;
      if (batchBytes > 4e6) {
        writeSync(fd, batch.join(''));
        bytes += batchBytes;
        batch = [];
        batchBytes = 0;
      }
    }
    writeSync(fd, batch.join(''));
  } finally {
    closeSync(fd);
  }
  return n;
}

interface Run {
  log: string;
  sizeMb: number;
  window: string;
  requests: number | null;
  rows: number | null;
  wallS: number;
  maxRssMb: number;
  exit: number | null;
}

function monitor(log: string, since: string, label: string): Run {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    [
      '--no-concurrent-recompilation',
      '--import',
      preload,
      lathe,
      'monitor',
      join(dir, 'm'),
      log,
      '--since',
      since,
      '--json',
    ],
    { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = /BENCH_MAXRSS_KB (\d+)/.exec(r.stderr);
  let requests: number | null = null;
  let rows: number | null = null;
  if (r.status === 0) {
    const j = JSON.parse(r.stdout);
    requests = j.current.requests;
    rows = j.rows.current;
  } else {
    console.error(r.stderr);
  }
  return {
    log,
    sizeMb: statSync(log).size / 1e6,
    window: label,
    requests,
    rows,
    wallS,
    maxRssMb: rss ? Number(rss[1]) / 1024 : Number.NaN,
    exit: r.status,
  };
}

try {
  const train = spawnSync(
    process.execPath,
    [
      lathe,
      'train',
      join(root, 'examples', 'customers.csv'),
      '--target',
      'churned',
      '--model',
      'logistic',
      '--out',
      'm',
      '--quiet',
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  if (train.status !== 0) throw new Error(`lathe train exited ${train.status}: ${train.stderr}`);

  const big = join(dir, 'big.ndjson');
  let t0 = Date.now();
  const bigLines = writeLog(big, targetMb);
  console.log(
    `wrote ${big}: ${(statSync(big).size / 1e6).toFixed(0)} MB, ${bigLines} requests of 50 rows (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  const small = join(dir, 'small.ndjson');
  const smallLines = writeLog(small, 6);

  // The reader before streaming: readFileSync(path, 'utf8') of the whole log.
  t0 = Date.now();
  const whole = spawnSync(
    process.execPath,
    [
      '-e',
      `try { require('node:fs').readFileSync(${JSON.stringify(big)}, 'utf8'); console.log('read'); } catch (e) { console.log(e.code ?? e.message); }`,
    ],
    { encoding: 'utf8' },
  );
  console.log(
    `readFileSync(log, 'utf8') of the whole log: ${whole.stdout.trim()} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );

  // Windows of the last 1 000, 10 000 and 40 000 requests (50 rows each) of each log.
  const sinceLast = (lines: number, k: number) =>
    new Date(START + Math.max(0, lines - k) * MINUTE).toISOString();
  const runs: Run[] = [];
  for (let rep = 0; rep < reps; rep++) {
    for (const k of [1000, 10000, 40000])
      runs.push(monitor(big, sinceLast(bigLines, k), `last ${k} requests`));
    runs.push(monitor(small, sinceLast(smallLines, 1000), 'last 1000 requests'));
  }
  console.log('\nlog size   window                requests      rows   wall s   peak RSS MB');
  for (const r of runs) {
    console.log(
      `${`${r.sizeMb.toFixed(0)} MB`.padStart(8)}   ${r.window.padEnd(20)} ${String(r.requests).padStart(9)} ${String(r.rows).padStart(9)} ${r.wallS.toFixed(1).padStart(8)} ${r.maxRssMb.toFixed(0).padStart(13)}${r.exit === 0 ? '' : `  (exit ${r.exit})`}`,
    );
  }
  console.log(JSON.stringify({ bench: 'monitor-log', node: process.version, runs }));
} finally {
  if (keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
