// A damaged or edited fitted state of the encoders is refused on load, not transformed with.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatorFromJSON } from '../../src/core/estimator.ts';
import { categoricalColumn, numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { OneHotEncoder } from '../../src/preprocess/one-hot-encoder.ts';
import { OrdinalEncoder } from '../../src/preprocess/ordinal-encoder.ts';
import { TargetEncoder } from '../../src/preprocess/target-encoder.ts';
import { assertRefused, damage, shorter } from '../helpers/damaged-state.ts';

const t = new Table([
  numericColumn('n', [1, 2, 3, 1, 2, 1, 1, 2]),
  categoricalColumn('c', ['x', 'y', 'x', 'z', null, 'x', 'y', 'x']),
]);
const yNum = [1, 2, 3, 4, 5, 6, 7, 8.5];
const yBin = ['a', 'b', 'a', 'b', 'a', 'a', 'b', 'b'];
const yMulti = ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b'];
const oneHots = [
  new OneHotEncoder().fit(t),
  new OneHotEncoder({ drop: 'first', minFrequency: 2, handleUnknown: 'infrequent_if_exist' }).fit(t),
  new OneHotEncoder({ maxCategories: 2, drop: 'if_binary' }).fit(t),
];
const ordinal = new OrdinalEncoder({ handleUnknown: 'use_encoded_value', unknownValue: -1 }).fit(t);
const targets = [
  new TargetEncoder().fit(t, yNum),
  new TargetEncoder().fit(t, yBin),
  new TargetEncoder().fit(t, yMulti),
];
const oneHot = oneHots[1];
const [continuous, , multi] = targets;
const H = 'OneHotEncoder';
const T = 'TargetEncoder';

type S = Record<string, unknown>;
const cats = (s: S) => s.categories as unknown[][];

describe('encoders: saved state', () => {
  it('load an undamaged state and transform the same (infrequent groups, dropped outputs, every target kind)', () => {
    assert.deepEqual((oneHot.toJSON().state as S).infrequentIndices, [[2], [2, 3]]);
    for (const m of [...oneHots, ordinal, ...targets]) {
      const back = estimatorFromJSON<typeof m>(structuredClone(m.toJSON()));
      assert.deepEqual(back.transform(t), m.transform(t));
      assert.deepEqual(back.getFeatureNamesOut(), m.getFeatureNamesOut());
    }
  });

  it('refuse categories not one list per input column, or naming a category twice', () => {
    for (const m of [oneHot, ordinal, continuous]) {
      const who = m.typeName;
      assertRefused(
        damage(m.toJSON(), (s) => void (s.categories = cats(s).slice(1))),
        who,
        'categories',
      );
      assertRefused(
        damage(m.toJSON(), (s) => void (s.categories = [cats(s)[0], [...cats(s)[1], {}]])),
        who,
        'categories',
      );
      assertRefused(
        damage(m.toJSON(), (s) => void (s.categories = [cats(s)[0], ['x', 'y', 'x']])),
        who,
        'categories',
      );
      assertRefused(
        damage(m.toJSON(), (s) => void (s.inputTypes = (s.inputTypes as string[]).slice(1))),
        who,
        'inputTypes',
      );
      assertRefused(
        damage(m.toJSON(), (s) => void (s.inputTypes = ['numeric', 'colour'])),
        who,
        'inputTypes',
      );
    }
  });

  it('OneHotEncoder refuses infrequent indices and dropped outputs outside a column', () => {
    for (const bad of [[3], [-1], [2, 2], [0.5]]) {
      assertRefused(
        damage(oneHot.toJSON(), (s) => void (s.infrequentIndices = [bad, [2, 3]])),
        H,
        'infrequentIndices',
      );
    }
    assertRefused(
      damage(oneHot.toJSON(), (s) => void (s.infrequentIndices = [[2]])),
      H,
      'infrequentIndices',
    );
    // Column n has three outputs (1, 2, then the infrequent group): 3 is past them.
    for (const bad of [3, -1, 1.5]) {
      assertRefused(
        damage(oneHot.toJSON(), (s) => void (s.dropIdx = [bad, 0])),
        H,
        'dropIdx',
      );
    }
    assertRefused(
      damage(oneHot.toJSON(), (s) => void (s.dropIdx = [0])),
      H,
      'dropIdx',
    );
  });

  it('TargetEncoder refuses encodings, means and classes that do not match the columns and target kind', () => {
    const enc = (s: S) => s.encodings as Float64Array[];
    for (const m of targets) {
      assertRefused(
        damage(m.toJSON(), (s) => void (s.encodings = enc(s).slice(1))),
        T,
        'encodings',
      );
      assertRefused(
        damage(m.toJSON(), (s) => void (s.encodings = [shorter(enc(s)[0]), ...enc(s).slice(1)])),
        T,
        'encodings',
      );
      assertRefused(
        damage(m.toJSON(), (s) => void (s.targetMean = shorter(s.targetMean as Float64Array))),
        T,
        'targetMean',
      );
      assertRefused(
        damage(m.toJSON(), (s) => void (s.targetType = 'ordinal')),
        T,
        'targetType',
      );
    }
    assertRefused(
      damage(continuous.toJSON(), (s) => void (s.classes = ['a', 'b'])),
      T,
      'classes',
    );
    assertRefused(
      damage(targets[1].toJSON(), (s) => void (s.classes = null)),
      T,
      'classes',
    );
    assertRefused(
      damage(targets[1].toJSON(), (s) => void (s.classes = ['a', 'b', 'c'])),
      T,
      'classes',
    );
    // One class more: the multiclass encodings and means no longer cover every class.
    assertRefused(
      damage(multi.toJSON(), (s) => void (s.classes = ['a', 'b', 'c', 'd'])),
      T,
      'encodings',
    );
  });
});
