// Loads the shared oracle datasets written by scripts/oracles/trees.py (also used by the forest,
// cluster and PCA tests) and splits them as scikit-learn did.
import { readFileSync } from 'node:fs';
import { type Matrix, matrix } from '../../../src/core/matrix.ts';

/** One dataset with its train/test split. */
export interface OracleDataset {
  name: string;
  task: 'classification' | 'regression';
  X: Matrix;
  y: number[];
  train: { X: Matrix; y: number[] };
  test: { X: Matrix; y: number[] };
}

interface RawDataset {
  task: 'classification' | 'regression';
  rows: number;
  cols: number;
  X: { chars?: string; f32?: string };
  y: number[];
  test: string;
}

function decodeX(raw: RawDataset): Float64Array {
  const n = raw.rows * raw.cols;
  const out = new Float64Array(n);
  if (raw.X.chars !== undefined) {
    for (let i = 0; i < n; i++) out[i] = raw.X.chars.charCodeAt(i) - 97;
    return out;
  }
  const bytes = Buffer.from(raw.X.f32!, 'base64');
  const f32 = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  out.set(f32);
  return out;
}

function subset(X: Matrix, y: number[], keep: (i: number) => boolean): { X: Matrix; y: number[] } {
  const rows: number[] = [];
  for (let i = 0; i < X.rows; i++) if (keep(i)) rows.push(i);
  const data = new Float64Array(rows.length * X.cols);
  rows.forEach((r, k) => data.set(X.data.subarray(r * X.cols, (r + 1) * X.cols), k * X.cols));
  return { X: matrix(data, rows.length, X.cols), y: rows.map((r) => y[r]) };
}

let cache: Map<string, OracleDataset> | undefined;

/** Every oracle dataset, by name. */
export function oracleDatasets(): Map<string, OracleDataset> {
  if (cache) return cache;
  const url = new URL('../../fixtures/models/tree/datasets.json', import.meta.url);
  const raw = JSON.parse(readFileSync(url, 'utf8')) as Record<string, RawDataset>;
  cache = new Map();
  for (const [name, r] of Object.entries(raw)) {
    const X = matrix(decodeX(r), r.rows, r.cols);
    cache.set(name, {
      name,
      task: r.task,
      X,
      y: r.y,
      train: subset(X, r.y, (i) => r.test[i] === '0'),
      test: subset(X, r.y, (i) => r.test[i] === '1'),
    });
  }
  return cache;
}

/** One oracle dataset. */
export function oracleDataset(name: string): OracleDataset {
  const d = oracleDatasets().get(name);
  if (!d) throw new Error(`no oracle dataset ${name}`);
  return d;
}
