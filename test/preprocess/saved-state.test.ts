// A damaged or edited fitted state of SimpleImputer and DatePartExtractor is refused on load.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatorFromJSON } from '../../src/core/estimator.ts';
import { fromRows } from '../../src/core/matrix.ts';
import { datetimeColumn, numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { DatePartExtractor } from '../../src/preprocess/date-part-extractor.ts';
import { SimpleImputer } from '../../src/preprocess/simple-imputer.ts';
import { assertRefused, damage } from '../helpers/damaged-state.ts';

const X = fromRows([
  [1, Number.NaN, 3],
  [4, 5, Number.NaN],
  [7, 8, 9],
]);
const imputer = new SimpleImputer({ addIndicator: true }).fit(X);
const allMissing = new SimpleImputer({ keepEmptyFeatures: false }).fit(
  fromRows([
    [1, Number.NaN],
    [2, Number.NaN],
  ]),
);
const t = new Table([numericColumn('n', [1, 2, 3]), datetimeColumn('t', [0, 86_400_000, 90_000_000])]);
const extractor = new DatePartExtractor().fit(t);
const I = 'SimpleImputer';
const D = 'DatePartExtractor';

describe('preprocessing steps: saved state', () => {
  it('load an undamaged state and transform the same (NaN statistics included)', () => {
    assert.deepEqual(
      estimatorFromJSON<SimpleImputer>(structuredClone(imputer.toJSON())).transform(X),
      imputer.transform(X),
    );
    const Y = fromRows([
      [1, Number.NaN],
      [Number.NaN, 3],
    ]);
    assert.deepEqual(
      estimatorFromJSON<SimpleImputer>(structuredClone(allMissing.toJSON())).transform(Y),
      allMissing.transform(Y),
    );
    assert.deepEqual(
      estimatorFromJSON<DatePartExtractor>(structuredClone(extractor.toJSON())).transform(t),
      extractor.transform(t),
    );
  });

  it('SimpleImputer refuses indicator indices outside the input and statistics of the wrong length', () => {
    assert.deepEqual((imputer.toJSON().state as { indicatorFeatures: number[] }).indicatorFeatures, [1, 2]);
    for (const bad of [-1, 1e9, 3, 0.5]) {
      assertRefused(
        damage(imputer.toJSON(), (s) => void (s.indicatorFeatures = [1, bad])),
        I,
        'indicatorFeatures',
      );
    }
    assertRefused(
      damage(imputer.toJSON(), (s) => void (s.statistics = (s.statistics as number[]).slice(1))),
      I,
      'statistics',
    );
    assertRefused(
      damage(imputer.toJSON(), (s) => void (s.inputTypes = (s.inputTypes as string[]).slice(1))),
      I,
      'inputTypes',
    );
  });

  it('DatePartExtractor refuses date columns outside the input and parts not one per date column', () => {
    assert.deepEqual((extractor.toJSON().state as { dateColumns: number[] }).dateColumns, [1]);
    for (const bad of [-1, 1e9, 2, 1.5]) {
      assertRefused(
        damage(extractor.toJSON(), (s) => void (s.dateColumns = [bad])),
        D,
        'dateColumns',
      );
    }
    assertRefused(
      damage(extractor.toJSON(), (s) => void (s.parts = [])),
      D,
      'parts',
    );
  });
});
