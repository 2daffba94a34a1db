// A damaged or edited fitted state of Pipeline and ColumnTransformer is refused on load.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatorFromJSON } from '../../src/core/estimator.ts';
import { categoricalColumn, numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { LogisticRegression } from '../../src/models/linear/index.ts';
import { ColumnTransformer } from '../../src/preprocess/column-transformer.ts';
import { OneHotEncoder } from '../../src/preprocess/one-hot-encoder.ts';
import { Pipeline } from '../../src/preprocess/pipeline.ts';
import { SimpleImputer } from '../../src/preprocess/simple-imputer.ts';
import { StandardScaler } from '../../src/preprocess/standard-scaler.ts';
import { assertRefused, damage } from '../helpers/damaged-state.ts';

const t = new Table([
  numericColumn('age', [20, 31, Number.NaN, 45, 52, 38]),
  numericColumn('income', [1, 2.5, 3, 4, 5.5, 6]),
  categoricalColumn('city', ['a', 'b', 'a', null, 'b', 'a']),
  numericColumn('id', [1, 2, 3, 4, 5, 6]),
]);
const y = ['no', 'yes', 'no', 'yes', 'yes', 'no'];
const makeCt = () =>
  new ColumnTransformer({
    transformers: [
      [
        'num',
        new Pipeline({
          steps: [
            ['impute', new SimpleImputer()],
            ['scale', new StandardScaler()],
          ],
        }),
        ['age'],
      ],
      ['cat', new OneHotEncoder(), ['city']],
      ['raw', 'passthrough', ['income']],
      ['gone', 'drop', ['id']],
    ],
  });
const ct = makeCt().fit(t);
const withRemainder = new ColumnTransformer({
  transformers: [['cat', new OneHotEncoder(), ['city']]],
  remainder: 'passthrough',
}).fit(new Table([t.columns[1], t.columns[2]]));
const pipe = new Pipeline({
  steps: [
    ['prep', makeCt()],
    ['model', new LogisticRegression()],
  ],
}).fit(t, y);
const C = 'ColumnTransformer';
const P = 'Pipeline';

type S = Record<string, unknown>;
const routes = (s: S) => s.routes as S[];

describe('Pipeline and ColumnTransformer: saved state', () => {
  it('load an undamaged state and transform / predict the same', () => {
    for (const m of [ct, withRemainder]) {
      const X = m === ct ? t : new Table([t.columns[1], t.columns[2]]);
      const back = estimatorFromJSON<ColumnTransformer>(structuredClone(m.toJSON()));
      assert.deepEqual(back.transform(X), m.transform(X));
      assert.deepEqual(back.getFeatureNamesOut(), m.getFeatureNamesOut());
    }
    const back = estimatorFromJSON<Pipeline>(structuredClone(pipe.toJSON()));
    assert.deepEqual(back.predictProba(t), pipe.predictProba(t));
  });

  it('ColumnTransformer refuses routes that name unknown columns or do not match their transformer', () => {
    assertRefused(
      damage(ct.toJSON(), (s) => void (s.routes = null)),
      C,
      'routes',
    );
    assertRefused(
      damage(ct.toJSON(), (s) => void (routes(s)[2].transformer = 'scale')),
      C,
      'routes',
    );
    assertRefused(
      damage(ct.toJSON(), (s) => void (routes(s)[2].columns = ['salary'])),
      C,
      'routes',
    );
    // The fitted OneHotEncoder was fitted on 'city', not 'age'.
    assertRefused(
      damage(ct.toJSON(), (s) => void (routes(s)[1].columns = ['age'])),
      C,
      'routes',
    );
    // Its outputs are city=a, city=b, city=(missing): two names are one short.
    assertRefused(
      damage(ct.toJSON(), (s) => void (routes(s)[1].outputs = ['city=a', 'city=b'])),
      C,
      'routes',
    );
    // An unfitted transformer on a route that has columns.
    assertRefused(
      damage(ct.toJSON(), (s) => void ((routes(s)[1].transformer as S).state = null)),
      C,
      'routes',
    );
    assertRefused(
      damage(ct.toJSON(), (s) => void (s.remainder = ['nope'])),
      C,
      'remainder',
    );
    assertRefused(
      damage(ct.toJSON(), (s) => void (s.featureNamesOut = (s.featureNamesOut as string[]).slice(1))),
      C,
      'featureNamesOut',
    );
    assertRefused(
      damage(ct.toJSON(), (s) => void (s.inputTypes = (s.inputTypes as string[]).slice(1))),
      C,
      'inputTypes',
    );
    assertRefused(
      damage(ct.toJSON(), (s) => void (s.inputTypes = ['numeric', 'numeric', 'colour', 'numeric'])),
      C,
      'inputTypes',
    );
  });

  it('Pipeline refuses step states that are missing, not objects, or not one per step, and bad input types', () => {
    assertRefused(
      damage(pipe.toJSON(), (s) => void (s.steps = (s.steps as unknown[]).slice(1))),
      P,
      'steps',
    );
    assertRefused(
      damage(pipe.toJSON(), (s) => void ((s.steps as unknown[])[1] = 'fitted')),
      P,
      'steps',
    );
    assertRefused(
      damage(pipe.toJSON(), (s) => void ((s.steps as unknown[])[1] = null)),
      P,
      'steps',
    );
    assertRefused(
      damage(pipe.toJSON(), (s) => void (s.inputTypes = null)),
      P,
      'inputTypes',
    );
    assertRefused(
      damage(pipe.toJSON(), (s) => void (s.inputTypes = (s.inputTypes as string[]).slice(1))),
      P,
      'inputTypes',
    );
  });
});
