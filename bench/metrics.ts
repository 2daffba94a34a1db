// Metrics throughput, side by side: Lathe vs scikit-learn on the same rows (binary labels, scores
// rounded to 4 decimals so that ties occur, hard predictions, and a k-class probability matrix).
// Each repetition runs Lathe in this process, then scikit-learn in a child process
// (bench/metrics-anchor.py), alternating; the tables give the median (min–max) seconds per call and
// the ratio Lathe / scikit-learn, and check that both computed the same value.
//
//   node --import tsx bench/metrics.ts [--rows 1000000] [--repeats 3] [--classes 5]
//
// Timings from a busy machine are noisy; the ratios, measured side by side, hold better.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { matrix } from '../src/core/matrix.ts';
import { Rng } from '../src/core/rng.ts';
import {
  accuracyScore,
  averagePrecisionScore,
  f1Score,
  logLoss,
  rocAucScore,
  rocCurve,
} from '../src/metrics/index.ts';

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const rows = Number(flag('rows', '1000000'));
const repeats = Number(flag('repeats', '3'));
const classes = Number(flag('classes', '5'));
const root = fileURLToPath(new URL('..', import.meta.url));
const prefix = `${root}bench/data/metrics-${rows}-${classes}`;

function writeData(): void {
  if (existsSync(`${prefix}.proba.f64`)) return;
  mkdirSync(`${root}bench/data`, { recursive: true });
  const rng = new Rng(42);
  const y = new Float64Array(rows);
  const score = new Float64Array(rows);
  const pred = new Float64Array(rows);
  const ymc = new Float64Array(rows);
  const proba = new Float64Array(rows * classes);
  for (let i = 0; i < rows; i++) {
    y[i] = rng.random() < 0.3 ? 1 : 0;
    const s = 1 / (1 + Math.exp(-(rng.normal() + 1.2 * y[i] - 0.6)));
    score[i] = Math.round(s * 1e4) / 1e4;
    pred[i] = score[i] > 0.5 ? 1 : 0;
    const c = rng.int(classes);
    ymc[i] = c;
    let sum = 0;
    for (let j = 0; j < classes; j++) {
      const e = Math.exp(rng.normal() + (j === c ? 1 : 0));
      proba[i * classes + j] = e;
      sum += e;
    }
    for (let j = 0; j < classes; j++) proba[i * classes + j] /= sum;
  }
  for (const [name, a] of Object.entries({ y, score, pred, ymc, proba })) {
    writeFileSync(`${prefix}.${name}.f64`, new Uint8Array(a.buffer));
  }
}

const read = (name: string): Float64Array => {
  const b = readFileSync(`${prefix}.${name}.f64`);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

type Timing = Record<string, { seconds: number; value: number }>;

writeData();
const y = read('y');
const score = read('score');
const pred = read('pred');
const ymc = read('ymc');
const proba = matrix(read('proba'), rows, classes);
process.env.LATHE_QUIET_WARNINGS = '1';
const jobs: Record<string, () => number> = {
  rocAucScore: () => rocAucScore(y, score),
  averagePrecisionScore: () => averagePrecisionScore(y, score),
  rocCurve: () => rocCurve(y, score).fpr.length,
  f1Score: () => f1Score(y, pred),
  accuracyScore: () => accuracyScore(y, pred),
  logLoss: () => logLoss(y, score),
  'rocAucScore ovr (k classes)': () => rocAucScore(ymc, proba, { multiClass: 'ovr' }),
};

function runLathe(): Timing {
  const out: Timing = {};
  for (const [name, job] of Object.entries(jobs)) {
    const t0 = performance.now();
    const value = job();
    out[name] = { seconds: (performance.now() - t0) / 1000, value };
  }
  return out;
}

function runAnchor(): Timing {
  const out = execFileSync(
    '/usr/bin/python3',
    [`${root}bench/metrics-anchor.py`, prefix, String(rows), String(classes)],
    {
      env: { ...process.env, OMP_NUM_THREADS: '1' },
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Timing;
}

for (let i = 0; i < 3; i++) runLathe(); // warm-up: let the JIT compile the hot loops
const lathe: Timing[] = [];
const anchor: Timing[] = [];
for (let r = 0; r < repeats; r++) {
  lathe.push(runLathe());
  anchor.push(runAnchor());
}

const stats = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
const fmt = (x: { median: number; min: number; max: number }) =>
  `${(x.median * 1000).toFixed(1)} ms (${(x.min * 1000).toFixed(1)}–${(x.max * 1000).toFixed(1)})`;
console.log(`metrics on ${rows} rows (${classes} classes for ovr), ${repeats} repetitions, median (min–max)`);
console.log(`${'metric'.padEnd(30)} ${'lathe'.padEnd(28)} ${'scikit-learn'.padEnd(28)} ratio  same value`);
for (const name of Object.keys(jobs)) {
  const l = stats(lathe.map((t) => t[name].seconds));
  const a = stats(anchor.map((t) => t[name].seconds));
  const lv = lathe[0][name].value;
  const av = anchor[0][name].value;
  const same = Math.abs(lv - av) <= 1e-9 * Math.max(1, Math.abs(av));
  console.log(
    `${name.padEnd(30)} ${fmt(l).padEnd(28)} ${fmt(a).padEnd(28)} ${(l.median / a.median).toFixed(2).padStart(5)}  ${same ? 'yes' : `NO (${lv} vs ${av})`}`,
  );
  console.log(
    JSON.stringify({
      bench: 'metrics',
      metric: name,
      rows,
      lathe: l,
      sklearn: a,
      ratio: l.median / a.median,
      same,
    }),
  );
}
