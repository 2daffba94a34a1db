/**
 * Generates the benchmark CSV the data/profile benchmarks read: by default 1,000,000 rows × 20
 * columns — 16 numeric features (correlated in pairs, various scales), 3 categoricals (5, 20
 * and 200 levels), a binary target `label` — with ~5% missing values in the features.
 * Deterministic for a seed. Output goes to bench/data/ (gitignored).
 *
 *   node --import tsx bench/gen-data.ts [--rows 1000000] [--seed 0] [--out bench/data/bench_1000000.csv]
 *
 * Prints the path, the row count and the size as JSON.
 */

import { closeSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.ts';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const rows = Number(flag('rows', process.env.LATHE_BENCH_ROWS ?? '1000000'));
const seed = Number(flag('seed', '0'));
if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows must be a positive integer, got ${rows}`);
const here = dirname(fileURLToPath(import.meta.url));
const out = flag('out', join(here, 'data', `bench_${rows}.csv`));

const NUM = 16;
const CATS: [string, number][] = [
  ['segment', 5],
  ['region', 20],
  ['product', 200],
];
const MISSING = 0.05;

/** Levels that look like words, not numbers. */
function levels(prefix: string, k: number): string[] {
  return Array.from(
    { length: k },
    (_, i) => `${prefix}_${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}`,
  );
}

const rng = new Rng(seed);
const catLevels = CATS.map(([name, k]) => levels(name.slice(0, 3), k));
const scales = Array.from({ length: NUM }, (_, j) => 10 ** ((j % 4) - 1));
const header = [
  ...Array.from({ length: NUM }, (_, j) => `x${String(j + 1).padStart(2, '0')}`),
  ...CATS.map((c) => c[0]),
  'label',
];

mkdirSync(dirname(out), { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
const fd = openSync(tmp, 'w');
writeSync(fd, `${header.join(',')}\n`);
const z = new Float64Array(NUM);
let block: string[] = [];
for (let i = 0; i < rows; i++) {
  let line = '';
  let score = 0;
  for (let j = 0; j < NUM; j++) {
    // Pairs of correlated features: x(2k+1) = 0.7 x(2k) + noise.
    z[j] = j % 2 === 1 ? 0.7 * z[j - 1] + 0.71 * rng.normal() : rng.normal();
    if (j < 6) score += z[j] * (j % 3 === 0 ? 0.8 : -0.4);
    const v = rng.random() < MISSING ? '' : (z[j] * scales[j] + (j % 5) * scales[j]).toFixed(4);
    line += (j ? ',' : '') + v;
  }
  for (let c = 0; c < CATS.length; c++) {
    const lv = catLevels[c];
    // Skewed level frequencies (Zipf-like) so the categoricals look real.
    const k = Math.min(lv.length - 1, Math.floor(lv.length * rng.random() ** 2));
    if (c === 0) score += k * 0.3 - 0.6;
    line += `,${rng.random() < MISSING ? '' : lv[k]}`;
  }
  line += `,${rng.random() < 1 / (1 + Math.exp(-score)) ? 1 : 0}\n`;
  block.push(line);
  if (block.length === 10000) {
    writeSync(fd, block.join(''));
    block = [];
  }
}
writeSync(fd, block.join(''));
closeSync(fd);
renameSync(tmp, out);
console.log(JSON.stringify({ path: out, rows, columns: header.length, bytes: statSync(out).size }));
