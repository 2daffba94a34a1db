import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnDrift, jensenShannonDistance, wassersteinDistance } from '../../src/stats/drift.ts';
import { assertClose, fixture } from './fixture.ts';

interface DriftCase {
  name: string;
  reference: (number | string)[];
  current: (number | string)[];
  test: string;
  statistic: number;
  pValue: number;
  drifted: boolean;
}

const F = fixture<{
  cases: DriftCase[];
  wasserstein: { u: number[]; v: number[]; wasserstein: number }[];
  jensenshannon: { p: number[]; q: number[]; distance: number }[];
}>('drift.json');

/** A fixture sample as columnDrift takes it: strings with null for missing (the fixture's NaN). */
function sample(xs: (number | string)[]): Float64Array | (string | null)[] {
  if (xs.some((x) => typeof x === 'string')) return xs.map((x) => (typeof x === 'string' ? x : null));
  return Float64Array.from(xs as number[]);
}

describe('drift statistics (SciPy 1.10)', () => {
  it('wassersteinDistance matches scipy.stats.wasserstein_distance', () => {
    for (const c of F.wasserstein) assertClose(wassersteinDistance(c.u, c.v), c.wasserstein, 'W1', 1e-12);
  });

  it('jensenShannonDistance matches scipy.spatial.distance.jensenshannon', () => {
    for (const c of F.jensenshannon) assertClose(jensenShannonDistance(c.p, c.q), c.distance, 'JS', 1e-12);
  });

  for (const c of F.cases) {
    it(`columnDrift: ${c.name} → ${c.test}${c.drifted ? ', drifted' : ''}`, () => {
      const r = columnDrift(sample(c.reference), sample(c.current));
      assert.equal(r.test, c.test);
      assert.equal(r.drifted, c.drifted);
      if (Number.isFinite(c.statistic)) assertClose(r.statistic, c.statistic, 'statistic', 1e-10);
      else assert.equal(r.statistic, c.statistic);
      if (Number.isNaN(c.pValue)) assert.equal(r.pValue, null);
      else assertClose(r.pValue!, c.pValue, 'p', 1e-9, 1e-300);
      const missing = (xs: (number | string)[]) =>
        xs.filter((x) => typeof x === 'number' && Number.isNaN(x)).length;
      assert.equal(r.referenceCount, c.reference.length - missing(c.reference));
      assert.equal(r.currentCount, c.current.length - missing(c.current));
    });
  }

  it('refuses samples without values, or of two types', () => {
    assert.throws(
      () => columnDrift([null, null], ['a']),
      /the reference sample has no \(non-missing\) value/,
    );
    assert.throws(
      () => columnDrift(Float64Array.of(1, 2), Float64Array.of(Number.NaN)),
      /the current sample has no/,
    );
    assert.throws(
      () => columnDrift(Float64Array.of(1, 2), ['a']),
      /one sample holds numbers and the other strings/,
    );
  });
});
