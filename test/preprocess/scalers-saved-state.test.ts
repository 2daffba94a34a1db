// A damaged or edited fitted state of the scalers is refused on load, not transformed with.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatorFromJSON } from '../../src/core/estimator.ts';
import { fromRows } from '../../src/core/matrix.ts';
import { MinMaxScaler } from '../../src/preprocess/min-max-scaler.ts';
import { RobustScaler } from '../../src/preprocess/robust-scaler.ts';
import { StandardScaler } from '../../src/preprocess/standard-scaler.ts';
import { assertRefused, damage, shorter } from '../helpers/damaged-state.ts';

// An all-missing column (NaN statistics), a constant one (scale 1), and one whose range and
// variance overflow (an infinite scale or range, a zero MinMax scale): all values fit gives.
const X = fromRows([
  [1, Number.NaN, 5, -1e308, 0.5],
  [2, Number.NaN, 5, 1e308, 2],
  [4, Number.NaN, 5, 1e308, 3.25],
]);
const scalers = [
  new StandardScaler().fit(X),
  new StandardScaler({ withStd: false }).fit(X),
  new StandardScaler({ withMean: false, withStd: false }).fit(X),
  new MinMaxScaler().fit(X),
  new MinMaxScaler({ featureRange: [-1e308, 1e308] }).fit(X),
  new RobustScaler().fit(X),
  new RobustScaler({ withCentering: false, quantileRange: [0, 100], unitVariance: true }).fit(X),
  new RobustScaler({ withScaling: false }).fit(X),
];
const [standard, , , minMax, , robust] = scalers;
const S = 'StandardScaler';

type State = Record<string, unknown>;
const withAt = (a: Float64Array, i: number, v: number) => {
  const b = a.slice();
  b[i] = v;
  return b;
};

describe('scalers: saved state', () => {
  it('load an undamaged state and transform the same (NaN, zero and infinite statistics included)', () => {
    const s = (m: { toJSON(): { state: unknown } }) => m.toJSON().state as State;
    assert.ok(Number.isNaN((s(standard).scale as Float64Array)[1]));
    assert.equal((s(minMax).scale as Float64Array)[3], 0);
    assert.equal((s(scalers[4]).scale as Float64Array)[0], Number.POSITIVE_INFINITY);
    assert.equal((s(scalers[6]).scale as Float64Array)[0], 0);
    for (const m of scalers) {
      const back = estimatorFromJSON<typeof m>(structuredClone(m.toJSON()));
      assert.deepEqual(back.transform(X), m.transform(X));
      assert.deepEqual(back.inverseTransform(X), m.inverseTransform(X));
    }
  });

  it('refuse statistics that are not one per input column', () => {
    for (const m of [standard, minMax, robust]) {
      const st = m.toJSON().state as State;
      for (const k of Object.keys(st).filter((k) => st[k] instanceof Float64Array)) {
        assertRefused(
          damage(m.toJSON(), (s) => void (s[k] = shorter(s[k] as Float64Array))),
          m.typeName,
          k,
        );
        assertRefused(
          damage(m.toJSON(), (s) => void (s[k] = Array.from(s[k] as Float64Array))),
          m.typeName,
          k,
        );
      }
    }
  });

  it('refuse negative scales, variances and counts, and a fraction of a count', () => {
    for (const m of [standard, minMax, robust]) {
      assertRefused(
        damage(m.toJSON(), (s) => void (s.scale = withAt(s.scale as Float64Array, 0, -2))),
        m.typeName,
        'scale',
      );
    }
    assertRefused(
      damage(standard.toJSON(), (s) => void (s.var = withAt(s.var as Float64Array, 0, -1))),
      S,
      'var',
    );
    assertRefused(
      damage(standard.toJSON(), (s) => void (s.scale = withAt(s.scale as Float64Array, 0, 0))),
      S,
      'scale',
    );
    for (const bad of [-1, 1.5, Number.NaN]) {
      assertRefused(
        damage(
          standard.toJSON(),
          (s) => void (s.nSamplesSeen = withAt(s.nSamplesSeen as Float64Array, 0, bad)),
        ),
        S,
        'nSamplesSeen',
      );
    }
  });

  it('StandardScaler refuses a mix of saved and null statistics that no fit leaves', () => {
    assertRefused(
      damage(standard.toJSON(), (s) => void (s.scale = null)),
      S,
      'scale',
    );
    assertRefused(
      damage(standard.toJSON(), (s) => void (s.var = null)),
      S,
      'scale',
    );
    assertRefused(
      damage(standard.toJSON(), (s) => void (s.mean = null)),
      S,
      'mean',
    );
  });
});
