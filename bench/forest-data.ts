// Datasets for bench/forest.ts and bench/cluster-pca.ts, written once to bench/data/ as raw
// little-endian float64 (X row-major, y) plus a JSON header, so every side reads the same rows.
//   - synthetic: N × 20 binary classification (10 informative, 5 linear mixes, 5 noise features);
//   - digits: scikit-learn's 1797 × 64 handwritten digits (real data, 10 classes), shuffled once.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.ts';

export const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = `${root}bench/data`;

/** Writes (once) and returns the file prefix of a dataset. */
export function writeDataset(name: 'synthetic' | 'digits', rows: number): string {
  mkdirSync(dataDir, { recursive: true });
  const prefix = `${dataDir}/forest-${name}-${name === 'digits' ? 'all' : rows}`;
  if (existsSync(`${prefix}.json`)) return prefix;
  if (name === 'digits') {
    execFileSync('/usr/bin/python3', [
      '-c',
      `import json, numpy as np
from sklearn.datasets import load_digits
X, y = load_digits(return_X_y=True)
p = np.random.RandomState(0).permutation(len(y))
X, y = X[p].astype('<f8'), y[p].astype('<f8')
X.tofile('${prefix}.X.f64'); y.tofile('${prefix}.y.f64')
json.dump({'rows': len(y), 'cols': X.shape[1], 'trainRows': int(len(y) * 0.8)}, open('${prefix}.json', 'w'))`,
    ]);
    return prefix;
  }
  const cols = 20;
  const rng = new Rng(7).derive(name);
  const X = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  const w = Array.from({ length: 10 }, () => rng.normal());
  const mix = Array.from({ length: 5 }, () => Array.from({ length: 10 }, () => rng.normal() * 0.5));
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    let s = 0;
    for (let j = 0; j < 10; j++) {
      const v = rng.normal();
      X[o + j] = v;
      s += w[j] * v;
    }
    for (let r = 0; r < 5; r++) {
      let v = 0;
      for (let j = 0; j < 10; j++) v += mix[r][j] * X[o + j];
      X[o + 10 + r] = v;
    }
    for (let j = 15; j < 20; j++) X[o + j] = rng.normal();
    s += 0.8 * X[o] * X[o + 1] - 0.5 * Math.abs(X[o + 2]) + Math.sin(2 * X[o + 3]);
    const u = rng.random();
    y[i] = s + 0.5 * Math.log(u / (1 - u)) > 0 ? 1 : 0;
  }
  writeFileSync(`${prefix}.X.f64`, new Uint8Array(X.buffer));
  writeFileSync(`${prefix}.y.f64`, new Uint8Array(y.buffer));
  writeFileSync(`${prefix}.json`, JSON.stringify({ rows, cols, trainRows: Math.floor(rows * 0.8) }));
  return prefix;
}

/** Median of a list. */
export const median = (a: number[]): number => {
  const s = a.slice().sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Command-line flag `--name value`, or the default. */
export function flag(name: string, def: string): string {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
}

/**
 * Builds dist/ (the Lathe side runs the built package, as users do) unless LATHE_BENCH_SRC=1
 * selects the TypeScript sources, and the WebAssembly kernels in either case (a kernel that is not
 * built is replaced by its slower TypeScript twin, so a stale or missing one would skew the figures).
 */
export function buildOnce(): void {
  execFileSync(process.execPath, [`${root}scripts/build-wasm.mjs`], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (process.env.LATHE_BENCH_SRC === '1') return;
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch {
    // tsc still writes JavaScript when some file has type errors; go on if the package is there.
    if (!existsSync(`${root}dist/index.js`)) throw new Error('bench: the build failed and dist/ is missing');
    console.error('bench: tsc reported type errors (see above); running the JavaScript it emitted');
  }
}
