// A damaged or edited fitted state of the k-NN models is refused on load, not predicted with.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { fromRows } from '../../../src/core/matrix.ts';
import { KNeighborsClassifier, KNeighborsRegressor } from '../../../src/models/neighbors/index.ts';
import { assertRefused, damage, shorter } from '../../helpers/damaged-state.ts';

const rows = Array.from({ length: 12 }, (_, i) => [(i * 7) % 13, (i * 5) % 11, (i * 3) % 7]);
const X = fromRows(rows);
const y = rows.map((r) => (r[0] > 6 ? 'a' : r[1] > 5 ? 'b' : 'c'));
const yNum = Float64Array.from(rows, (r) => r[0] - 0.5 * r[2]);
const models = [
  new KNeighborsClassifier({ nNeighbors: 3 }).fit(X, y),
  new KNeighborsClassifier({ nNeighbors: 3, algorithm: 'brute', weights: 'distance' }).fit(X, y),
  new KNeighborsRegressor({ nNeighbors: 3 }).fit(X, yNum),
  new KNeighborsRegressor({ nNeighbors: 2, algorithm: 'brute', metric: 'manhattan' }).fit(X, yNum),
];
const [kdClf, , kdReg] = models;
const C = 'KNeighborsClassifier';
const R = 'KNeighborsRegressor';

type S = Record<string, unknown>;
const nb = (s: S) => s.neighbors as S;
const withAt = <T extends Float64Array | Int32Array>(a: T, i: number, v: number): T => {
  const b = a.slice() as T;
  b[i] = v;
  return b;
};

describe('k-NN models: saved state', () => {
  it('load an undamaged state and predict the same (KD-tree and brute force)', () => {
    assert.equal(kdClf.fitMethod_, 'kd_tree');
    assert.equal(models[1].fitMethod_, 'brute');
    for (const m of models) {
      const back = estimatorFromJSON<typeof m>(structuredClone(m.toJSON()));
      assert.deepEqual(back.predict(X), m.predict(X));
      assert.deepEqual(back.kneighbors(X), m.kneighbors(X));
    }
    // Parameters changed after fit do not change the fitted search: such a package loads too.
    const changed = new KNeighborsRegressor({ nNeighbors: 3 }).fit(X, yNum);
    changed.setParams({ metric: 'manhattan', algorithm: 'brute', leafSize: 5 });
    const back = estimatorFromJSON<KNeighborsRegressor>(structuredClone(changed.toJSON()));
    assert.deepEqual(back.predict(X), changed.predict(X));
  });

  it('refuse training rows that do not match n, the features or the finite values fit keeps', () => {
    for (const m of [kdClf, kdReg]) {
      const who = m.typeName;
      assertRefused(
        damage(m.toJSON(), (s) => void (nb(s).data = shorter(nb(s).data as Float64Array))),
        who,
        'neighbors.data',
      );
      assertRefused(
        damage(m.toJSON(), (s) => void (nb(s).data = withAt(nb(s).data as Float64Array, 4, Number.NaN))),
        who,
        'neighbors.data',
      );
      // One row more than the data holds: the rows are then what does not match.
      assertRefused(
        damage(m.toJSON(), (s) => void (nb(s).n = 13)),
        who,
        'neighbors.data',
      );
      for (const bad of [11.5, 0, -12, null]) {
        assertRefused(
          damage(m.toJSON(), (s) => void (nb(s).n = bad)),
          who,
          'neighbors.n',
        );
      }
      assertRefused(
        damage(m.toJSON(), (s) => void (nb(s).p = 2)),
        who,
        'neighbors.p',
      );
      for (const [k, bad] of [
        ['metric', 'cosine'],
        ['metric', null],
        ['algorithm', 'ball_tree'],
        ['leafSize', 0],
        ['leafSize', 1.5],
      ] as const) {
        assertRefused(
          damage(m.toJSON(), (s) => void (nb(s)[k] = bad)),
          who,
          `neighbors.${k}`,
        );
      }
      assertRefused(
        damage(m.toJSON(), (s) => void (s.neighbors = null)),
        who,
        'neighbors',
      );
    }
  });

  it('KNeighborsClassifier refuses class codes outside the classes or not one per training row', () => {
    const codes = (s: S) => s.codes as Int32Array;
    for (const bad of [-1, 3]) {
      assertRefused(
        damage(kdClf.toJSON(), (s) => void (s.codes = withAt(codes(s), 0, bad))),
        C,
        'codes',
      );
    }
    assertRefused(
      damage(kdClf.toJSON(), (s) => void (s.codes = shorter(codes(s)))),
      C,
      'codes',
    );
    assertRefused(
      damage(kdClf.toJSON(), (s) => void (s.codes = Array.from(codes(s)))),
      C,
      'codes',
    );
    assertRefused(
      damage(kdClf.toJSON(), (s) => void (s.classes = ['a'])),
      C,
      'classes',
    );
  });

  it('KNeighborsRegressor refuses targets not one finite value per training row', () => {
    const t = (s: S) => s.target as Float64Array;
    assertRefused(
      damage(kdReg.toJSON(), (s) => void (s.target = shorter(t(s)))),
      R,
      'target',
    );
    assertRefused(
      damage(kdReg.toJSON(), (s) => void (s.target = withAt(t(s), 3, Number.POSITIVE_INFINITY))),
      R,
      'target',
    );
    assertRefused(
      damage(kdReg.toJSON(), (s) => void (s.target = Array.from(t(s)))),
      R,
      'target',
    );
  });
});
