// Shared helpers for the linear-model oracle tests: fixture loading and tolerance checks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type Matrix, matrix } from '../../../src/core/matrix.ts';

const DIR = new URL('../../fixtures/models/linear/', import.meta.url);

/** Reads a JSON fixture of this folder. */
export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, DIR), 'utf8')) as T;
}

interface RawDataset {
  X: number[][];
  y: number[];
}

/** A dataset as a Matrix and a target array. */
export function dataset(name: string): { X: Matrix; y: number[] } {
  const all = fixture<Record<string, RawDataset>>('datasets.json');
  const d = all[name];
  if (!d) throw new Error(`no dataset ${name}`);
  return { X: matrix(Float64Array.from(d.X.flat()), d.X.length, d.X[0].length), y: d.y };
}

/** Every other `every`-th row of X. */
export function everyNth(X: Matrix, every: number): Matrix {
  const rows: number[] = [];
  for (let i = 0; i < X.rows; i += every) rows.push(i);
  const out = new Float64Array(rows.length * X.cols);
  rows.forEach((r, k) => out.set(X.data.subarray(r * X.cols, (r + 1) * X.cols), k * X.cols));
  return matrix(out, rows.length, X.cols, X.columns);
}

/**
 * Asserts |actual − expected| ≤ tol · max(1, |expected|) elementwise, reporting the worst entry.
 * Returns the largest such scaled error (for reports).
 */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: number,
  what: string,
): number {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const err = Math.abs(actual[i] - e) / Math.max(1, Math.abs(e));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  assert.ok(
    worst <= tol,
    `${what}: entry ${at} is ${actual[at]}, expected ${expected[at]} (scaled error ${worst.toExponential(2)} > ${tol})`,
  );
  return worst;
}
