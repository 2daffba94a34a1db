// Fixture loading for the k-NN oracle tests.
import { readFileSync } from 'node:fs';
import { type Matrix, matrix } from '../../../src/core/matrix.ts';

const DIR = new URL('../../fixtures/models/neighbors/', import.meta.url);

/** Reads a JSON fixture of this folder. */
export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, DIR), 'utf8')) as T;
}

function rows(X: number[][], step: number, offset: number): Matrix {
  const picked = X.filter((_, i) => i % step === offset);
  return matrix(Float64Array.from(picked.flat()), picked.length, X[0].length);
}

/** The oracle's split of a dataset: every `step`-th row trains, the others query (2: even/odd). */
export function split(name: string, step = 2): { Xtr: Matrix; ytr: number[]; Xte: Matrix; yte: number[] } {
  const d = fixture<Record<string, { X: number[][]; y: number[] }>>('datasets.json')[name];
  if (!d) throw new Error(`no dataset ${name}`);
  const query = d.X.filter((_, i) => i % step !== 0);
  return {
    Xtr: rows(d.X, step, 0),
    ytr: d.y.filter((_, i) => i % step === 0),
    Xte: matrix(Float64Array.from(query.flat()), query.length, d.X[0].length),
    yte: d.y.filter((_, i) => i % step !== 0),
  };
}

/** scikit-learn's snake_case parameters in Lathe's camelCase. */
export function camel(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params))
    out[k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = v;
  return out;
}
