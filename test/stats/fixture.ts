// Loading the oracle fixtures written by scripts/oracles/stats.py, and closeness assertions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/** Converts the fixture encoding back: null → NaN, "Infinity" → Infinity, "@aN" → the shared array. */
function revive(v: unknown, arrays: Record<string, unknown>): unknown {
  if (v === null) return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof v === 'string' && v.startsWith('@') && v.slice(1) in arrays)
    return revive(arrays[v.slice(1)], arrays);
  if (Array.isArray(v)) return v.map((x) => revive(x, arrays));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = revive(x, arrays);
    return out;
  }
  return v;
}

/** A fixture from test/fixtures/stats, revived. */
export function fixture<T>(name: string): T {
  const raw = JSON.parse(
    readFileSync(new URL(`../fixtures/stats/${name}`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  const arrays = (raw.arrays ?? {}) as Record<string, unknown>;
  return revive(raw, arrays) as T;
}

/** The statistics and p-values of SciPy/statsmodels are matched to this relative tolerance (the spec's 1e-8). */
export const RTOL = 1e-8;

/**
 * Asserts |actual − expected| ≤ rtol·|expected| + atol (NaN matches NaN, infinities must be equal).
 */
export function assertClose(actual: number, expected: number, what: string, rtol = RTOL, atol = 0): void {
  if (Number.isNaN(expected)) {
    assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`);
    return;
  }
  if (!Number.isFinite(expected)) {
    assert.equal(actual, expected, `${what}: expected ${expected}, got ${actual}`);
    return;
  }
  const err = Math.abs(actual - expected);
  assert.ok(
    err <= rtol * Math.abs(expected) + atol,
    `${what}: got ${actual}, expected ${expected} (relative error ${err / Math.abs(expected)})`,
  );
}

/** Element-wise {@link assertClose}. */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  what: string,
  rtol = RTOL,
  atol = 0,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) assertClose(actual[i], expected[i], `${what}[${i}]`, rtol, atol);
}
