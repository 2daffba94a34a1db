// Shared helpers of the preprocessing tests: fixtures (NaN stored as null), tables from fixture
// columns, and element-wise comparison at the oracle tolerance.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { EstimatorJSON } from '../../src/core/estimator.ts';
import { type Matrix, matrix } from '../../src/core/matrix.ts';
import { decodePlain, encodePlain, type PlainValue } from '../../src/core/plain.ts';
import { type Column, categoricalColumn, numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';

/** The oracle tolerance: |actual − expected| ≤ 1e-9 · max(1, |expected|). */
export const TOL = 1e-9;

/** A fixture from test/fixtures/preprocess. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/preprocess/${name}`, import.meta.url), 'utf8')) as T;
}

/** Rows with null for NaN → a Matrix. */
export function rowsToMatrix(rows: (number | null)[][], columns?: string[]): Matrix {
  const n = rows.length;
  const d = n ? rows[0].length : (columns?.length ?? 0);
  const data = new Float64Array(n * d);
  rows.forEach((r, i) => r.forEach((v, j) => (data[i * d + j] = v === null ? Number.NaN : v)));
  return matrix(data, n, d, columns);
}

/** Fixture columns (`{ name: values }`, null missing) → a Table: strings → categorical, numbers → numeric. */
export function tableOf(cols: Record<string, (string | number | null)[]>, order = Object.keys(cols)): Table {
  return new Table(
    order.map((name): Column => {
      const v = cols[name];
      const isString = v.some((x) => typeof x === 'string');
      return isString
        ? categoricalColumn(name, v as (string | null)[])
        : numericColumn(name, v as (number | null)[]);
    }),
  );
}

function close(a: number, e: number | null, tol: number): boolean {
  if (e === null) return Number.isNaN(a);
  if (Number.isNaN(a)) return false;
  if (!Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= tol * Math.max(1, Math.abs(e));
}

/** Asserts `actual` equals `expected` (null = NaN) element-wise within {@link TOL}. */
export function assertClose(
  actual: ArrayLike<number>,
  expected: readonly (number | null)[],
  what: string,
  tol = TOL,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!close(actual[i], expected[i], tol)) {
      assert.fail(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]} (tolerance ${tol})`);
    }
  }
}

/** Asserts a Matrix equals expected rows (null = NaN) within {@link TOL}. */
export function assertMatrixClose(m: Matrix, rows: (number | null)[][], what: string, tol = TOL): void {
  assert.equal(m.rows, rows.length, `${what}: rows`);
  if (rows.length) assert.equal(m.cols, rows[0].length, `${what}: columns`);
  assertClose(m.data, rows.flat(), what, tol);
}

/** The largest |actual − expected| / max(1, |expected|) over a matrix (for reporting). */
export function maxRelError(actual: ArrayLike<number>, expected: readonly (number | null)[]): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    if (e === null || !Number.isFinite(e)) continue;
    worst = Math.max(worst, Math.abs(actual[i] - e) / Math.max(1, Math.abs(e)));
  }
  return worst;
}

/** An estimator's JSON through JSON text and back, as a model file would carry it. */
export function roundTrip(json: EstimatorJSON): EstimatorJSON {
  return decodePlain(
    JSON.parse(JSON.stringify(encodePlain(json as unknown as PlainValue))),
  ) as unknown as EstimatorJSON;
}
