// A damaged or edited fitted state of the linear models is refused on load, not predicted with.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { fromRows } from '../../../src/core/matrix.ts';
import {
  ElasticNet,
  Lasso,
  LinearRegression,
  LogisticRegression,
  Ridge,
} from '../../../src/models/linear/index.ts';
import { assertRefused, damage, shorter } from '../../helpers/damaged-state.ts';

const rows = Array.from({ length: 60 }, (_, i) => [(i * 7) % 13, (i * 5) % 11, (i * 3) % 7]);
const X = fromRows(rows);
const y = Float64Array.from(rows, (r) => r[0] * 2 - r[1] + 0.5 * r[2] + 1);
const yBin = rows.map((r) => (r[0] + r[1] > 11 ? 'a' : 'b'));
const yMulti = rows.map((r) => ['x', 'y', 'z'][(r[0] + r[1]) % 3]);

const regressors = [
  new LinearRegression().fit(X, y),
  new Ridge().fit(X, y),
  new Lasso({ alpha: 0.1 }).fit(X, y),
  new ElasticNet({ alpha: 0.1 }).fit(X, y),
];
const bin = new LogisticRegression().fit(X, yBin);
const multi = new LogisticRegression().fit(X, yMulti);
const ovr = new LogisticRegression({ multiClass: 'ovr' }).fit(X, yMulti);
const L = 'LogisticRegression';

describe('linear models: saved state', () => {
  it('load an undamaged state and predict the same', () => {
    for (const m of regressors) {
      assert.deepEqual(estimatorFromJSON<typeof m>(structuredClone(m.toJSON())).predict(X), m.predict(X));
    }
    for (const m of [bin, multi, ovr]) {
      const back = estimatorFromJSON<LogisticRegression>(structuredClone(m.toJSON()));
      assert.deepEqual(back.predictProba(X).data, m.predictProba(X).data);
    }
  });

  it('regressors refuse coef of the wrong length and an intercept that is not a number', () => {
    for (const m of regressors) {
      const who = m.typeName;
      assertRefused(
        damage(m.toJSON(), (s) => void (s.coef = shorter(s.coef as Float64Array))),
        who,
        'coef',
      );
      assertRefused(
        damage(m.toJSON(), (s) => void (s.coef = Float64Array.of(...(s.coef as Float64Array), 1))),
        who,
        'coef',
      );
      assertRefused(
        damage(m.toJSON(), (s) => void (s.coef = [1, 2, 3])),
        who,
        'coef',
      );
      assertRefused(
        damage(m.toJSON(), (s) => void (s.intercept = '1.5')),
        who,
        'intercept',
      );
      assertRefused(
        damage(m.toJSON(), (s) => void (s.intercept = null)),
        who,
        'intercept',
      );
    }
    assertRefused(
      damage(regressors[0].toJSON(), (s) => void (s.rank = 1.5)),
      'LinearRegression',
      'rank',
    );
    assertRefused(
      damage(regressors[0].toJSON(), (s) => void (s.singular = null)),
      'LinearRegression',
      'singular',
    );
    assertRefused(
      damage(regressors[3].toJSON(), (s) => void (s.nIter = Number.NaN)),
      'ElasticNet',
      'nIter',
    );
    assertRefused(
      damage(regressors[2].toJSON(), (s) => void (s.dualGap = 'x')),
      'Lasso',
      'dualGap',
    );
  });

  it('LogisticRegression refuses coef rows and intercepts that do not match the classes and features', () => {
    for (const m of [bin, multi, ovr]) {
      const row0 = (s: Record<string, unknown>) => (s.coef as Float64Array[])[0];
      assertRefused(
        damage(m.toJSON(), (s) => void ((s.coef as Float64Array[])[0] = Float64Array.of(...row0(s), 1))),
        L,
        'coef',
      );
      assertRefused(
        damage(m.toJSON(), (s) => void ((s.coef as Float64Array[])[0] = shorter(row0(s)))),
        L,
        'coef',
      );
      assertRefused(
        damage(m.toJSON(), (s) => void (s.coef = (s.coef as Float64Array[]).slice(1))),
        L,
        'coef',
      );
      assertRefused(
        damage(m.toJSON(), (s) => void (s.intercept = shorter(s.intercept as Float64Array))),
        L,
        'intercept',
      );
    }
    // A binary model has one row; a third class label makes it need three.
    assertRefused(
      damage(bin.toJSON(), (s) => void (s.classes = ['a', 'b', 'c'])),
      L,
      'coef',
    );
    assertRefused(
      damage(bin.toJSON(), (s) => void (s.classes = ['a'])),
      L,
      'classes',
    );
    assertRefused(
      damage(bin.toJSON(), (s) => void (s.multinomial = 'yes')),
      L,
      'multinomial',
    );
  });
});
