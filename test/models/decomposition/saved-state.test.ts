// A damaged or edited fitted state of PCA is refused on load, not transformed with.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { fromRows } from '../../../src/core/matrix.ts';
import { PCA } from '../../../src/models/decomposition/pca.ts';
import { assertRefused, damage, shorter } from '../../helpers/damaged-state.ts';

const rows = Array.from({ length: 12 }, (_, i) => [(i * 7) % 13, (i * 5) % 11, (i * 3) % 7]);
const X = fromRows(rows);
const pca = new PCA({ nComponents: 2 }).fit(X);
const whitened = new PCA({ whiten: true }).fit(X);
// A constant column gives a zero explained variance: whitening then divides by 0, as in fit.
const flat = new PCA({ whiten: true }).fit(fromRows(rows.map((r) => [r[0], 1])));
// 'mle' on a single feature finds no component (as scikit-learn's): zero columns out, still loadable.
const none = new PCA({ nComponents: 'mle' }).fit(fromRows(rows.map((r) => [r[0]])));
const P = 'PCA';

type S = Record<string, unknown>;
const f64 = (s: S, k: string) => s[k] as Float64Array;
const withAt = (a: Float64Array, i: number, v: number) => {
  const b = a.slice();
  b[i] = v;
  return b;
};

describe('PCA: saved state', () => {
  it('loads an undamaged state and transforms the same (whitened, zero variance included)', () => {
    for (const m of [pca, whitened, flat]) {
      const Y = m === flat ? fromRows(rows.map((r) => [r[0], 1])) : X;
      const back = estimatorFromJSON<PCA>(structuredClone(m.toJSON()));
      assert.deepEqual(back.transform(Y), m.transform(Y));
      assert.deepEqual(back.inverseTransform(m.transform(Y)), m.inverseTransform(m.transform(Y)));
    }
    assert.equal(flat.explainedVariance_![1], 0);
    assert.equal(none.nComponents_, 0);
    const Y = fromRows(rows.map((r) => [r[0]]));
    assert.deepEqual(estimatorFromJSON<PCA>(structuredClone(none.toJSON())).transform(Y), none.transform(Y));
  });

  it('refuses arrays of the wrong length', () => {
    for (const k of ['components', 'mean', 'explainedVariance', 'explainedVarianceRatio', 'singularValues']) {
      assertRefused(
        damage(pca.toJSON(), (s) => void (s[k] = shorter(f64(s, k)))),
        P,
        k,
      );
      assertRefused(
        damage(pca.toJSON(), (s) => void (s[k] = Array.from(f64(s, k)))),
        P,
        k,
      );
    }
  });

  it('refuses an nComponents outside 0..min(nSamples, features) and a bad nSamples', () => {
    for (const bad of [-1, 4, 1.5, Number.NaN, '2']) {
      assertRefused(
        damage(pca.toJSON(), (s) => void (s.nComponents = bad)),
        P,
        'nComponents',
      );
    }
    for (const bad of [1, 1.5, -3, null]) {
      assertRefused(
        damage(pca.toJSON(), (s) => void (s.nSamples = bad)),
        P,
        'nSamples',
      );
    }
  });

  it('refuses values no fit gives', () => {
    for (const k of ['components', 'mean', 'explainedVariance', 'explainedVarianceRatio', 'singularValues']) {
      // +∞ variances and singular values are what a fit on values near 1e160 gives (see
      // pca-magnitude.test.ts); the axes, the mean and the ratios are always finite.
      const infinite = k === 'explainedVariance' || k === 'singularValues';
      for (const bad of infinite ? [Number.NaN] : [Number.NaN, Number.POSITIVE_INFINITY]) {
        assertRefused(
          damage(pca.toJSON(), (s) => void (s[k] = withAt(f64(s, k), 0, bad))),
          P,
          k,
        );
      }
    }
    for (const k of ['explainedVariance', 'explainedVarianceRatio', 'singularValues']) {
      assertRefused(
        damage(whitened.toJSON(), (s) => void (s[k] = withAt(f64(s, k), 0, -1))),
        P,
        k,
      );
    }
    assertRefused(
      damage(
        pca.toJSON(),
        (s) => void (s.explainedVarianceRatio = withAt(f64(s, 'explainedVarianceRatio'), 0, 2)),
      ),
      P,
      'explainedVarianceRatio',
    );
    for (const bad of [-1, Number.NaN, 'x']) {
      assertRefused(
        damage(pca.toJSON(), (s) => void (s.noiseVariance = bad)),
        P,
        'noiseVariance',
      );
    }
  });
});
