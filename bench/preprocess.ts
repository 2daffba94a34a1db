// Preprocessing throughput, side by side: Lathe vs scikit-learn 1.2 (and pandas for date parts) on
// the same rows — 10 numeric columns with 5% missing, 3 categorical columns (10, 100 and 1000
// levels, 2% missing), one datetime column. Each job is fit + transform. Each repetition runs
// Lathe in this process, then scikit-learn in a child process (bench/preprocess-anchor.py),
// alternating; the table gives the median (min–max) seconds and the ratio Lathe / scikit-learn,
// and checks both produced the same output (sum of the output, NaN ignored, to 1e-9 relative).
// TargetEncoder has no scikit-learn 1.2 anchor and is timed alone.
//
//   node --import tsx bench/preprocess.ts [--rows 200000] [--repeats 3]
//
// Timings from a busy machine are noisy; the ratios, measured side by side, hold better.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { matrix } from '../src/core/matrix.ts';
import { Rng } from '../src/core/rng.ts';
import type { CategoricalColumn, Column } from '../src/data/column.ts';
import { Table } from '../src/data/table.ts';
import {
  ColumnTransformer,
  DatePartExtractor,
  OneHotEncoder,
  OrdinalEncoder,
  Pipeline,
  RobustScaler,
  SimpleImputer,
  StandardScaler,
  TargetEncoder,
} from '../src/preprocess/index.ts';

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const rows = Number(flag('rows', '200000'));
const repeats = Number(flag('repeats', '3'));
const NUM = 10;
const LEVELS = [10, 100, 1000];
const root = fileURLToPath(new URL('..', import.meta.url));
const prefix = `${root}bench/data/preprocess-${rows}`;

function writeData(): void {
  if (existsSync(`${prefix}.date.f64`)) return;
  mkdirSync(`${root}bench/data`, { recursive: true });
  const rng = new Rng(7);
  const num = new Float64Array(rows * NUM);
  for (let i = 0; i < num.length; i++)
    num[i] = rng.random() < 0.05 ? Number.NaN : rng.normal(3, 2) * ((i % NUM) + 1);
  const cat = new Int32Array(rows * LEVELS.length);
  for (let i = 0; i < rows; i++) {
    LEVELS.forEach((k, j) => {
      // Skewed levels (a few frequent, a long tail), 2% missing.
      cat[i * LEVELS.length + j] = rng.random() < 0.02 ? -1 : Math.floor(k * rng.random() ** 2);
    });
  }
  const date = new Float64Array(rows);
  for (let i = 0; i < rows; i++)
    date[i] = Date.UTC(2000, 0, 1) + Math.floor(rng.random() * 25 * 365.25 * 86400e3);
  writeFileSync(`${prefix}.num.f64`, new Uint8Array(num.buffer));
  writeFileSync(`${prefix}.cat.i32`, new Uint8Array(cat.buffer));
  writeFileSync(`${prefix}.date.f64`, new Uint8Array(date.buffer));
}

function read<T>(name: string, Ctor: new (b: ArrayBuffer) => T): T {
  const b = readFileSync(`${prefix}.${name}`);
  return new Ctor(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
}

type Timing = Record<string, { seconds: number; value: number }>;

writeData();
const num = read('num.f64', Float64Array);
const catCodes = read('cat.i32', Int32Array);
const dates = read('date.f64', Float64Array);
const X = matrix(
  num,
  rows,
  NUM,
  Array.from({ length: NUM }, (_, j) => `num${j}`),
);
// Categorical columns straight from the codes: the dictionary holds the labels c0, c1, … as in the anchor.
const catColumns: CategoricalColumn[] = LEVELS.map((_, j) => {
  const codes = new Int32Array(rows);
  let max = 0;
  for (let i = 0; i < rows; i++) max = Math.max(max, (codes[i] = catCodes[i * LEVELS.length + j]));
  return {
    type: 'categorical',
    name: `cat${j}`,
    codes,
    dictionary: Array.from({ length: max + 1 }, (_, q) => `c${q}`),
  };
});
const numColumns: Column[] = X.columns.map((name, j) => {
  const v = new Float64Array(rows);
  for (let i = 0; i < rows; i++) v[i] = num[i * NUM + j];
  return { type: 'numeric', name, values: v };
});
const cats = new Table(catColumns);
const frame = new Table([...numColumns, ...catColumns]);
const dateTable = new Table([{ type: 'datetime', name: 'd', values: dates }]);
const y = Float64Array.from({ length: rows }, (_, i) => (catCodes[i * LEVELS.length + 2] % 7 > 2 ? 1 : 0));
process.env.LATHE_QUIET_WARNINGS = '1';

const jobs: Record<string, () => { data: Float64Array }> = {
  StandardScaler: () => new StandardScaler().fit(X).transform(X),
  RobustScaler: () => new RobustScaler().fit(X).transform(X),
  'SimpleImputer median': () => new SimpleImputer({ strategy: 'median' }).fit(X).transform(X),
  OneHotEncoder: () => new OneHotEncoder({ handleUnknown: 'ignore' }).fit(cats).transform(cats),
  OrdinalEncoder: () => new OrdinalEncoder().fit(cats).transform(cats),
  'date parts': () =>
    new DatePartExtractor({ parts: ['year', 'month', 'day', 'weekday'] }).fit(dateTable).transform(dateTable),
  ColumnTransformer: () =>
    new ColumnTransformer({
      transformers: [
        [
          'num',
          new Pipeline({
            steps: [
              ['impute', new SimpleImputer({ strategy: 'median', addIndicator: true })],
              ['scale', new StandardScaler()],
            ],
          }),
          X.columns as string[],
        ],
        [
          'cat',
          new Pipeline({
            steps: [
              ['impute', new SimpleImputer({ strategy: 'most_frequent' })],
              ['encode', new OneHotEncoder({ handleUnknown: 'ignore' })],
            ],
          }),
          catColumns.map((c) => c.name),
        ],
      ],
    })
      .fit(frame)
      .transform(frame),
};
const latheOnly: Record<string, () => { data: Float64Array }> = {
  'TargetEncoder fitTransform (cv=5)': () => new TargetEncoder().fitTransform(cats, y),
};

function nansum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === a[i]) s += a[i];
  return s;
}

function runLathe(which: Record<string, () => { data: Float64Array }>): Timing {
  const out: Timing = {};
  for (const [name, job] of Object.entries(which)) {
    const t0 = performance.now();
    const m = job();
    out[name] = { seconds: (performance.now() - t0) / 1000, value: nansum(m.data) };
  }
  return out;
}

function runAnchor(): Timing {
  const out = execFileSync('/usr/bin/python3', [`${root}bench/preprocess-anchor.py`, prefix, String(rows)], {
    env: { ...process.env, OMP_NUM_THREADS: '1' },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Timing;
}

runLathe(jobs); // warm-up (JIT)
const lathe: Timing[] = [];
const anchor: Timing[] = [];
const alone: Timing[] = [];
for (let r = 0; r < repeats; r++) {
  lathe.push(runLathe(jobs));
  alone.push(runLathe(latheOnly));
  anchor.push(runAnchor());
}

const stats = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
const fmt = (x: { median: number; min: number; max: number }) =>
  `${(x.median * 1000).toFixed(1)} ms (${(x.min * 1000).toFixed(1)}–${(x.max * 1000).toFixed(1)})`;
console.log(`preprocessing on ${rows} rows, ${repeats} repetitions, median (min–max), fit + transform`);
console.log(`${'job'.padEnd(34)} ${'lathe'.padEnd(28)} ${'scikit-learn'.padEnd(28)} ratio  same output`);
for (const name of Object.keys(jobs)) {
  const l = stats(lathe.map((t) => t[name].seconds));
  const a = stats(anchor.map((t) => t[name].seconds));
  const lv = lathe[0][name].value;
  const av = anchor[0][name].value;
  const same = Math.abs(lv - av) <= 1e-9 * Math.max(1, Math.abs(av));
  console.log(
    `${name.padEnd(34)} ${fmt(l).padEnd(28)} ${fmt(a).padEnd(28)} ${(l.median / a.median).toFixed(2).padStart(5)}  ${same ? 'yes' : `NO (${lv} vs ${av})`}`,
  );
  console.log(
    JSON.stringify({
      bench: 'preprocess',
      job: name,
      rows,
      lathe: l,
      sklearn: a,
      ratio: l.median / a.median,
      same,
    }),
  );
}
for (const name of Object.keys(latheOnly)) {
  const l = stats(alone.map((t) => t[name].seconds));
  console.log(`${name.padEnd(34)} ${fmt(l).padEnd(28)} ${'(no anchor in 1.2)'.padEnd(28)}`);
  console.log(JSON.stringify({ bench: 'preprocess', job: name, rows, lathe: l }));
}
