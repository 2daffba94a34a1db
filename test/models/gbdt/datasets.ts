// The synthetic datasets of scripts/oracles/gbdt.py, regenerated bit for bit: mulberry32 and only
// +, -, *, / and comparisons (IEEE-exact in both languages). Real datasets come from the fixture.
import { readFileSync } from 'node:fs';
import { type Matrix, matrix } from '../../../src/core/matrix.ts';

class Gen {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  u(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  normal(): number {
    let s = 0;
    for (let k = 0; k < 12; k++) s = s + this.u();
    return s - 6;
  }
}

export interface Dataset {
  X: Matrix;
  y: Float64Array;
  categorical: number[];
}

function features(g: Gen, n: number, d: number): Float64Array {
  const X = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) X[i] = g.normal();
  return X;
}

const cache = new Map<string, Dataset>();

/** The dataset named as in the oracle script. */
export function dataset(name: string): Dataset {
  let ds = cache.get(name);
  if (!ds) {
    ds = make(name);
    cache.set(name, ds);
  }
  return { X: { ...ds.X, data: ds.X.data.slice() }, y: ds.y.slice(), categorical: ds.categorical };
}

function make(name: string): Dataset {
  switch (name) {
    case 'binary': {
      const g = new Gen(1);
      const n = 3000;
      const d = 10;
      const X = features(g, n, d);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const x = (j: number) => X[i * d + j];
        const s = 1.0 * x(0) - 0.8 * x(1) + 0.6 * x(2) + 0.5 * x(3) - 0.4 * x(4) + 0.5 * x(0) * x(1);
        y[i] = s + g.normal() > 0 ? 1 : 0;
      }
      return { X: matrix(X, n, d), y, categorical: [] };
    }
    case 'multiclass': {
      const g = new Gen(2);
      const n = 3000;
      const d = 10;
      const X = features(g, n, d);
      const W = [
        [1.0, 0.5, 0.0, -0.5, 0.3],
        [-0.5, 1.0, 0.7, 0.0, -0.3],
        [0.0, -0.6, -0.8, 0.9, 0.4],
      ];
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let best = 0;
        let bv = -1e300;
        for (let c = 0; c < 3; c++) {
          let s = 0;
          for (let j = 0; j < 5; j++) s = s + W[c][j] * X[i * d + j];
          s = s + 0.7 * g.normal();
          if (s > bv) {
            best = c;
            bv = s;
          }
        }
        y[i] = best;
      }
      return { X: matrix(X, n, d), y, categorical: [] };
    }
    case 'regression': {
      const g = new Gen(3);
      const n = 3000;
      const d = 8;
      const X = features(g, n, d);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const x = (j: number) => X[i * d + j];
        y[i] = 3.0 * x(0) - 2.0 * x(1) + x(2) * x(3) + 1.5 * Math.abs(x(4)) + 0.5 * g.normal();
      }
      return { X: matrix(X, n, d), y, categorical: [] };
    }
    case 'missing': {
      const ds = make('binary');
      const g = new Gen(4);
      const X = ds.X.data;
      for (let k = 0; k < X.length; k++) if (g.u() < 0.2) X[k] = Number.NaN;
      return ds;
    }
    case 'highcard': {
      const g = new Gen(5);
      const n = 6000;
      const effA = Array.from({ length: 400 }, () => g.normal());
      const effB = Array.from({ length: 200 }, () => g.normal());
      const X = new Float64Array(n * 6);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const x0 = g.normal();
        const x1 = g.normal();
        const x2 = g.normal();
        const x3 = g.normal();
        const u = g.u();
        const a = Math.trunc(u * u * 400.0);
        const b = Math.trunc(g.u() * 200.0);
        X.set([x0, x1, a, x2, b, x3], i * 6);
        const s = effA[a] + effB[b] + x0 - 0.5 * x1 + g.normal();
        y[i] = s > 0 ? 1 : 0;
      }
      return { X: matrix(X, n, 6), y, categorical: [2, 4] };
    }
    case 'poisson': {
      const g = new Gen(6);
      const n = 3000;
      const d = 6;
      const X = features(g, n, d);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const x = (j: number) => X[i * d + j];
        let p = 0.3 + 0.1 * (x(0) + x(1) - x(2));
        p = Math.min(Math.max(p, 0.02), 0.95);
        let c = 0;
        for (let k = 0; k < 8; k++) if (g.u() < p) c++;
        y[i] = c;
      }
      return { X: matrix(X, n, d), y, categorical: [] };
    }
    default: {
      const all = JSON.parse(
        readFileSync(new URL('../../fixtures/models/gbdt/real-data.json', import.meta.url), 'utf8'),
      ) as Record<string, { X: number[][]; y: number[] }>;
      const r = all[name];
      if (!r) throw new Error(`no dataset ${name}`);
      const n = r.X.length;
      const d = r.X[0].length;
      return { X: matrix(Float64Array.from(r.X.flat()), n, d), y: Float64Array.from(r.y), categorical: [] };
    }
  }
}

/** Rows with i % 3 == 0 are test rows. */
export function split(ds: Dataset): { Xtr: Matrix; ytr: Float64Array; Xte: Matrix; yte: Float64Array } {
  const { X, y } = ds;
  const d = X.cols;
  const tr: number[] = [];
  const te: number[] = [];
  for (let i = 0; i < X.rows; i++) (i % 3 === 0 ? te : tr).push(i);
  const take = (idx: number[]) => {
    const out = new Float64Array(idx.length * d);
    idx.forEach((r, k) => out.set(X.data.subarray(r * d, (r + 1) * d), k * d));
    return matrix(out, idx.length, d);
  };
  return {
    Xtr: take(tr),
    ytr: Float64Array.from(tr.map((i) => y[i])),
    Xte: take(te),
    yte: Float64Array.from(te.map((i) => y[i])),
  };
}

/** ROC AUC (Mann–Whitney with average ranks for ties). */
export function auc(y: ArrayLike<number>, score: ArrayLike<number>): number {
  const n = y.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  const rank = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && score[idx[j + 1]] === score[idx[i]]) j++;
    for (let k = i; k <= j; k++) rank[idx[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let pos = 0;
  let sumPos = 0;
  for (let i = 0; i < n; i++)
    if (y[i] === 1) {
      pos++;
      sumPos += rank[i];
    }
  const neg = n - pos;
  return (sumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}
