// The matrix kernels give, entry by entry, the number of the plain pair computation: Pearson's
// four-pairs-per-sweep against pearsonCorrelation, Spearman's tallied counts against counting
// each pair's complete rows directly (the method the tallies replaced), bit for bit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/core/rng.ts';
import {
  correlationMatrix,
  denseRank,
  pearsonCorrelation,
  spearmanMatrix,
} from '../../src/stats/correlation.ts';

/** Spearman of one pair by counting its complete rows (average ranks, centred, Σ in row order). */
function spearmanDirect(x: Float64Array, y: Float64Array): number {
  const a = denseRank(x);
  const b = denseRank(y);
  const ca = new Float64Array(a.values.length);
  const cb = new Float64Array(b.values.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    if (a.codes[i] >= 0 && b.codes[i] >= 0) {
      ca[a.codes[i]]++;
      cb[b.codes[i]]++;
      m++;
    }
  }
  if (m < 2) return Number.NaN;
  const mean = (m + 1) / 2;
  const ranks = (c: Float64Array) => {
    const r = new Float64Array(c.length);
    let below = 0;
    let ss = 0;
    for (let k = 0; k < c.length; k++) {
      r[k] = below + (c[k] + 1) / 2 - mean;
      ss += c[k] * r[k] * r[k];
      below += c[k];
    }
    return { r, ss };
  };
  const ra = ranks(ca);
  const rb = ranks(cb);
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    if (a.codes[i] >= 0 && b.codes[i] >= 0) sxy += ra.r[a.codes[i]] * rb.r[b.codes[i]];
  }
  if (!(ra.ss > 0 && rb.ss > 0)) return Number.NaN;
  return Math.min(1, Math.max(-1, sxy / Math.sqrt(ra.ss * rb.ss)));
}

describe('correlation matrices, entry by entry', () => {
  const rng = new Rng(5);
  const n = 3000;
  const base = Float64Array.from({ length: n }, () => rng.normal());
  const miss = (p: number, f: () => number) =>
    Float64Array.from({ length: n }, () => (rng.random() < p ? Number.NaN : f()));
  let i = 0;
  const columns = [
    miss(0.05, () => base[i++ % n]),
    miss(0.05, () => 2 * base[i++ % n] + rng.normal()),
    miss(0.2, () => rng.int(5)),
    miss(0, () => Math.round(rng.normal() * 100) / 10),
    miss(0.05, () => [Number.POSITIVE_INFINITY, -1, 0, -0, 2][rng.int(5)]),
    miss(0.05, () => 7),
    miss(0.999, () => rng.normal()),
    miss(1, () => 0),
    miss(0.3, () => Math.exp(3 * rng.normal())),
  ];
  it('Pearson: every entry is pearsonCorrelation of its pair (quads and the remainder)', () => {
    const p = columns.length;
    const m = correlationMatrix(columns, { method: 'pearson' });
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) {
        assert.ok(Object.is(m[a * p + b], pearsonCorrelation(columns[a], columns[b])), `pearson ${a}, ${b}`);
      }
    }
    // Columns that are not Float64Arrays take the pair-by-pair route: the same numbers.
    const plain = columns.map((c) => Array.from(c));
    assert.deepEqual(correlationMatrix(plain, { method: 'pearson' }), m);
  });
  it("Spearman: every entry is the pair's own count of its complete rows", () => {
    const p = columns.length;
    const m = spearmanMatrix(columns.map((c) => denseRank(c)));
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) {
        assert.ok(Object.is(m[a * p + b], spearmanDirect(columns[a], columns[b])), `spearman ${a}, ${b}`);
      }
    }
    assert.deepEqual(correlationMatrix(columns, { method: 'spearman' }), m);
  });
  it('with work space lent (counts per column, the pair arrays, value views): the same matrix', () => {
    const n0 = columns[0].length;
    const scratch = {
      values: new Float64Array(n0),
      tmp: new Float64Array(n0),
      rows: new Int32Array(n0),
      tmpRows: new Int32Array(n0),
    };
    const want = spearmanMatrix(columns.map((c) => denseRank(c)));
    // Rankings whose values are views of one scratch: only their number is used.
    const rankings = columns.map((c) => denseRank(c, scratch, undefined, true));
    const space = { counts: columns.map(() => new Int32Array(n0)), pair: new Int32Array(6 * n0) };
    assert.deepEqual(spearmanMatrix(rankings, space), want);
  });
  it('a ranking whose missing count is understated still counts every missing row', () => {
    const x = columns[0];
    const y = columns[2];
    const rx = denseRank(x);
    const want = spearmanMatrix([rx, denseRank(y)]);
    assert.deepEqual(spearmanMatrix([{ ...rx, missing: 0 }, denseRank(y)]), want);
  });
});
