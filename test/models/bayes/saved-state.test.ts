// A damaged or edited fitted state of the naive Bayes models is refused on load, not predicted with.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { fromRows } from '../../../src/core/matrix.ts';
import { GaussianNB, MultinomialNB } from '../../../src/models/bayes/index.ts';
import { assertRefused, damage, shorter } from '../../helpers/damaged-state.ts';

const rows = Array.from({ length: 60 }, (_, i) => [(i * 7) % 13, (i * 5) % 11, (i * 3) % 7]);
const X = fromRows(rows);
const y = rows.map((r) => ['x', 'y', 'z'][(r[0] + r[1]) % 3]);
const gnb = new GaussianNB().fit(X, y);
const mnb = new MultinomialNB().fit(X, y);
const G = 'GaussianNB';
const M = 'MultinomialNB';
type S = Record<string, unknown>;
const row = (s: S, f: string) => (s[f] as Float64Array[])[1];

describe('naive Bayes: saved state', () => {
  it('loads an undamaged state and predicts the same', () => {
    for (const m of [gnb, mnb]) {
      const back = estimatorFromJSON<typeof m>(structuredClone(m.toJSON()));
      assert.deepEqual(back.predictProba(X).data, m.predictProba(X).data);
    }
  });

  it('GaussianNB refuses theta, var, classCount and classPrior of the wrong shape', () => {
    for (const f of ['theta', 'var']) {
      assertRefused(
        damage(gnb.toJSON(), (s) => void ((s[f] as Float64Array[])[1] = shorter(row(s, f)))),
        G,
        f,
      );
      assertRefused(
        damage(gnb.toJSON(), (s) => void (s[f] = (s[f] as Float64Array[]).slice(1))),
        G,
        f,
      );
    }
    for (const f of ['classCount', 'classPrior']) {
      assertRefused(
        damage(gnb.toJSON(), (s) => void (s[f] = shorter(s[f] as Float64Array))),
        G,
        f,
      );
    }
    assertRefused(
      damage(gnb.toJSON(), (s) => void (s.classes = ['x', 'y'])),
      G,
      'theta',
    );
  });

  it('GaussianNB refuses values a fit never gives', () => {
    assertRefused(
      damage(gnb.toJSON(), (s) => void (row(s, 'theta')[0] = Number.NaN)),
      G,
      'theta',
    );
    assertRefused(
      damage(gnb.toJSON(), (s) => void (row(s, 'var')[2] = Number.NaN)),
      G,
      'var',
    );
    assertRefused(
      damage(gnb.toJSON(), (s) => void (row(s, 'var')[2] = -1)),
      G,
      'var',
    );
    assertRefused(
      damage(gnb.toJSON(), (s) => void ((s.classPrior as Float64Array)[0] = Number.NaN)),
      G,
      'classPrior',
    );
    assertRefused(
      damage(gnb.toJSON(), (s) => void (s.epsilon = 'tiny')),
      G,
      'epsilon',
    );
    assertRefused(
      damage(gnb.toJSON(), (s) => void (s.classes = ['x'])),
      G,
      'classes',
    );
  });

  it('MultinomialNB refuses fields of the wrong shape or with impossible values', () => {
    for (const f of ['featureCount', 'featureLogProb']) {
      assertRefused(
        damage(mnb.toJSON(), (s) => void ((s[f] as Float64Array[])[1] = shorter(row(s, f)))),
        M,
        f,
      );
      assertRefused(
        damage(mnb.toJSON(), (s) => void (s[f] = (s[f] as Float64Array[]).slice(1))),
        M,
        f,
      );
    }
    for (const f of ['classCount', 'classLogPrior']) {
      assertRefused(
        damage(mnb.toJSON(), (s) => void (s[f] = shorter(s[f] as Float64Array))),
        M,
        f,
      );
    }
    assertRefused(
      damage(mnb.toJSON(), (s) => void (row(s, 'featureLogProb')[0] = Number.NaN)),
      M,
      'featureLogProb',
    );
    assertRefused(
      damage(mnb.toJSON(), (s) => void (row(s, 'featureLogProb')[0] = 3)),
      M,
      'featureLogProb',
    );
    assertRefused(
      damage(mnb.toJSON(), (s) => void ((s.classLogPrior as Float64Array)[0] = Number.NaN)),
      M,
      'classLogPrior',
    );
    assertRefused(
      damage(mnb.toJSON(), (s) => void (row(s, 'featureCount')[0] = -1)),
      M,
      'featureCount',
    );
  });
});

describe('naive Bayes: legitimate edge states still load', () => {
  it('MultinomialNB with forceAlpha and alpha 0 (NaN log-probabilities) and priors not summing to 1', () => {
    const Xz = fromRows([
      [1, 0],
      [2, 0],
      [0, 0],
      [0, 0],
    ]);
    const m = new MultinomialNB({ alpha: 0, forceAlpha: true, classPrior: [2, 3] }).fit(Xz, [
      'a',
      'a',
      'b',
      'b',
    ]);
    const back = estimatorFromJSON<MultinomialNB>(structuredClone(m.toJSON()));
    assert.deepEqual(back.predictProba(Xz).data, m.predictProba(Xz).data);
  });
});
