// Statistics throughput, side by side: Lathe vs SciPy 1.10 / statsmodels 0.13 on the same rows.
// Each repetition runs Lathe in this process, then the anchor in a child process
// (bench/stats-anchor.py), alternating; the table gives the median (min–max) seconds per call and
// the ratio Lathe / anchor, and checks that both computed the same value (the bootstrap draws
// differ, so its value is only compared loosely). Times are CPU seconds of the process (user +
// system; both sides single-threaded, OMP_NUM_THREADS=1): on a shared machine they drift less than
// wall-clock times.
//
//   node --expose-gc --import tsx bench/stats.ts [--rows 1000000] [--model-rows 200000] [--repeats 3]
//
// (--expose-gc lets each job start with a collected heap, so it is not charged for the garbage of
// the job before; the anchor calls gc.collect() likewise.)
//
// --rows: one-shot tests (describe, t, Mann–Whitney, Spearman, KS); --model-rows: OLS, logit and
// Kendall. Timings from a busy machine are noisy; the ratios, measured side by side, hold better.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.ts';
import {
  bootstrapCI,
  describe,
  kendallTau,
  ksTwoSample,
  logitFit,
  mannWhitneyU,
  mean,
  olsFit,
  shapiroWilk,
  spearmanTest,
  tTestIndependent,
} from '../src/stats/index.ts';

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const rows = Number(flag('rows', '1000000'));
const modelRows = Math.min(rows, Number(flag('model-rows', '200000')));
const repeats = Number(flag('repeats', '3'));
const root = fileURLToPath(new URL('..', import.meta.url));
const prefix = `${root}bench/data/stats-${rows}-${modelRows}`;

function writeData(): void {
  if (existsSync(`${prefix}.yb.f64`)) return;
  mkdirSync(`${root}bench/data`, { recursive: true });
  const rng = new Rng(11);
  const x = Float64Array.from({ length: rows }, () => Math.round(rng.normal(0.02, 1) * 1e4) / 1e4);
  const y = Float64Array.from(
    { length: rows },
    (_, i) => Math.round((0.3 * x[i] + rng.normal()) * 1e4) / 1e4,
  );
  const m = modelRows;
  const x1 = Float64Array.from({ length: m }, () => rng.normal());
  const x2 = Float64Array.from({ length: m }, () => rng.uniform(0, 5));
  const x3 = Float64Array.from({ length: m }, (_, i) => 0.5 * x1[i] + rng.normal());
  const g = Float64Array.from({ length: m }, () => rng.int(4));
  const ry = Float64Array.from(
    { length: m },
    (_, i) =>
      1 +
      2 * x1[i] -
      x2[i] +
      0.3 * x3[i] +
      0.5 * g[i] +
      0.2 * x1[i] * x2[i] +
      rng.normal(0, 1 + Math.abs(x1[i])),
  );
  const yb = Float64Array.from({ length: m }, (_, i) =>
    rng.random() < 1 / (1 + Math.exp(-(0.8 * x1[i] - 0.3 * x2[i] + 0.2 * g[i]))) ? 1 : 0,
  );
  for (const [name, a] of Object.entries({ x, y, x1, x2, x3, g, ry, yb }))
    writeFileSync(`${prefix}.${name}.f64`, new Uint8Array(a.buffer));
}

const read = (name: string): Float64Array => {
  const b = readFileSync(`${prefix}.${name}.f64`);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

type Timing = Record<string, { seconds: number; value: number }>;

writeData();
const x = read('x');
const y = read('y');
const half = Math.floor(rows / 2);
const levels = ['a', 'b', 'c', 'd'];
const frame = {
  y: read('ry'),
  x1: read('x1'),
  x2: read('x2'),
  x3: read('x3'),
  g: Array.from(read('g'), (k) => levels[k]),
  yb: read('yb'),
};
const small = x.slice(0, 1000);
const jobs: Record<string, () => number> = {
  describe: () => describe(x).mean,
  'welch t-test': () =>
    tTestIndependent(x.subarray(0, half), y.subarray(half), { equalVariance: false }).statistic,
  'mann-whitney': () => mannWhitneyU(x.subarray(0, half), y.subarray(half)).statistic,
  spearman: () => spearmanTest(x, y).statistic,
  kendall: () => kendallTau(x.subarray(0, modelRows), y.subarray(0, modelRows)).statistic,
  'ks two-sample': () => ksTwoSample(x.subarray(0, half), y.subarray(half)).statistic,
  'shapiro (5000)': () => shapiroWilk(x.subarray(0, 5000)).statistic,
  'ols + diagnostics': () => olsFit(frame, 'y ~ x1 + x2 + x3 + C(g) + x1:x2').rSquared,
  logit: () => logitFit(frame, 'yb ~ x1 + x2 + x3 + C(g)').logLikelihood,
  'bootstrap BCa (1000 rows, 9999)': () => bootstrapCI([small], mean, { seed: 1 }).lower,
};

function runLathe(): Timing {
  const out: Timing = {};
  const gc = (globalThis as { gc?: () => void }).gc;
  for (const [name, job] of Object.entries(jobs)) {
    gc?.();
    const t0 = process.cpuUsage();
    const value = job();
    const t = process.cpuUsage(t0);
    out[name] = { seconds: (t.user + t.system) / 1e6, value };
  }
  return out;
}

function runAnchor(): Timing {
  const out = execFileSync(
    '/usr/bin/python3',
    [`${root}bench/stats-anchor.py`, prefix, String(rows), String(modelRows)],
    {
      env: { ...process.env, OMP_NUM_THREADS: '1' },
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Timing;
}

for (let i = 0; i < 3; i++) runLathe(); // warm-up: let the JIT compile the hot loops; load the @stdlib packages
const lathe: Timing[] = [];
const anchor: Timing[] = [];
for (let r = 0; r < repeats; r++) {
  lathe.push(runLathe());
  anchor.push(runAnchor());
}

const summary = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
const fmt = (v: { median: number; min: number; max: number }) =>
  `${(v.median * 1000).toFixed(1)} ms (${(v.min * 1000).toFixed(1)}–${(v.max * 1000).toFixed(1)})`;
console.log(
  `stats on ${rows} rows (${modelRows} for OLS, logit, Kendall), ${repeats} repetitions, CPU time, median (min–max)`,
);
console.log(`${'job'.padEnd(32)} ${'lathe'.padEnd(30)} ${'scipy/statsmodels'.padEnd(30)} ratio  same value`);
for (const name of Object.keys(jobs)) {
  const l = summary(lathe.map((t) => t[name].seconds));
  const a = summary(anchor.map((t) => t[name].seconds));
  const lv = lathe[0][name].value;
  const av = anchor[0][name].value;
  const tol = name.startsWith('bootstrap') ? 1e-2 : name.startsWith('shapiro') ? 1e-5 : 1e-8;
  const same = Math.abs(lv - av) <= tol * Math.max(1, Math.abs(av));
  console.log(
    `${name.padEnd(32)} ${fmt(l).padEnd(30)} ${fmt(a).padEnd(30)} ${(l.median / a.median).toFixed(2).padStart(5)}  ${same ? 'yes' : `NO (${lv} vs ${av})`}`,
  );
  console.log(
    JSON.stringify({
      bench: 'stats',
      job: name,
      rows,
      modelRows,
      lathe: l,
      anchor: a,
      ratio: l.median / a.median,
      same,
    }),
  );
}
