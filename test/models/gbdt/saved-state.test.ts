// A damaged or edited fitted state of HistGradientBoosting* is refused on load, not predicted with.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { fromRows } from '../../../src/core/matrix.ts';
import {
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
} from '../../../src/models/ensemble/hist-gradient-boosting/index.ts';
import { assertRefused, damage, shorter } from '../../helpers/damaged-state.ts';

const n = 120;
const rows = Array.from({ length: n }, (_, i) => [(i * 7) % 13, (i * 5) % 11, i % 3]);
const X = fromRows(rows);
const yReg = Float64Array.from(rows, (r) => r[0] * 2 + r[1] - r[2]);
const yBin = rows.map((r) => (r[0] + r[1] > 11 ? 'a' : 'b'));
const yMulti = rows.map((r) => ['x', 'y', 'z'][(r[0] + r[1]) % 3]);

const reg = new HistGradientBoostingRegressor({ maxIter: 5 }).fit(X, yReg);
const bin = new HistGradientBoostingClassifier({ maxIter: 5 }).fit(X, yBin);
const multi = new HistGradientBoostingClassifier({ maxIter: 4 }).fit(X, yMulti);
const R = 'HistGradientBoostingRegressor';
const C = 'HistGradientBoostingClassifier';
const ens = (s: Record<string, unknown>) => s.ensemble as Record<string, Int32Array>;
const ensK = (s: Record<string, unknown>) => s.ensemble as { nTreesPerIteration: number };

describe('HistGradientBoosting saved state', () => {
  it('loads an undamaged state and predicts the same', () => {
    for (const m of [reg, bin, multi]) {
      const back = estimatorFromJSON<typeof m>(structuredClone(m.toJSON()));
      assert.deepEqual(back.predict(X), m.predict(X));
    }
  });

  it('refuses a non-integer or wrong nTreesPerIteration', () => {
    assertRefused(
      damage(reg.toJSON(), (s) => void (ensK(s).nTreesPerIteration = Number.NaN)),
      R,
      'nTreesPerIteration',
    );
    assertRefused(
      damage(reg.toJSON(), (s) => void (ensK(s).nTreesPerIteration = 0)),
      R,
      'nTreesPerIteration',
    );
    assertRefused(
      damage(multi.toJSON(), (s) => void (ensK(s).nTreesPerIteration = 2)),
      C,
      'nTreesPerIteration',
    );
    assertRefused(
      damage(bin.toJSON(), (s) => void (ensK(s).nTreesPerIteration = 3)),
      C,
      'nTreesPerIteration',
    );
  });

  it('refuses node arrays of the wrong length', () => {
    for (const f of ['threshold', 'left', 'right', 'value', 'catIndex', 'gain', 'count']) {
      assertRefused(
        damage(reg.toJSON(), (s) => void (ens(s)[f] = shorter(ens(s)[f]))),
        R,
        f,
      );
    }
    // 'feature' one short: the other arrays no longer match it.
    assertRefused(
      damage(reg.toJSON(), (s) => void (ens(s).feature = shorter(ens(s).feature))),
      R,
      'threshold',
    );
  });

  it('refuses a treeStart that is short, out of order or out of range', () => {
    assertRefused(
      damage(bin.toJSON(), (s) => void (ens(s).treeStart = shorter(ens(s).treeStart))),
      C,
      'treeStart',
    );
    assertRefused(
      damage(bin.toJSON(), (s) => void (ens(s).treeStart[0] = -2147483648)),
      C,
      'treeStart',
    );
    assertRefused(
      damage(bin.toJSON(), (s) => void (ens(s).treeStart[1] = ens(s).treeStart[2])),
      C,
      'treeStart',
    );
    // One tree fewer than nIter × nTreesPerIteration.
    assertRefused(
      damage(multi.toJSON(), (s) => {
        const t = ens(s).treeStart;
        ens(s).treeStart = Int32Array.from([...t.slice(0, t.length - 2), t[t.length - 1]]);
      }),
      C,
      'treeStart',
    );
  });

  it('refuses feature indices outside the input columns and children outside their tree', () => {
    const split = (s: Record<string, unknown>) => ens(s).feature.findIndex((f) => f >= 0);
    assertRefused(
      damage(reg.toJSON(), (s) => void (ens(s).feature[split(s)] = 3)),
      R,
      'feature',
    );
    assertRefused(
      damage(reg.toJSON(), (s) => void (ens(s).feature[split(s)] = -5)),
      R,
      'feature',
    );
    assertRefused(
      damage(reg.toJSON(), (s) => void (ens(s).left[split(s)] = split(s))),
      R,
      'left/right',
    );
    assertRefused(
      damage(reg.toJSON(), (s) => void (ens(s).right[split(s)] = ens(s).treeStart[1])),
      R,
      'left/right',
    );
    assertRefused(
      damage(reg.toJSON(), (s) => void (ens(s).catIndex[split(s)] = 0)),
      R,
      'catIndex',
    );
  });

  it('refuses baseline, isCategorical, bins and nIter that do not fit the model', () => {
    assertRefused(
      damage(multi.toJSON(), (s) => void (s.baseline = shorter(s.baseline as Float64Array))),
      C,
      'baseline',
    );
    assertRefused(
      damage(reg.toJSON(), (s) => void (s.isCategorical = shorter(s.isCategorical as Uint8Array))),
      R,
      'isCategorical',
    );
    assertRefused(
      damage(reg.toJSON(), (s) => void (s.bins = (s.bins as unknown[]).slice(1))),
      R,
      'bins',
    );
    assertRefused(
      damage(reg.toJSON(), (s) => void (s.nIter = Number.NaN)),
      R,
      'nIter',
    );
    assertRefused(
      damage(reg.toJSON(), (s) => void (s.missingBin = '255')),
      R,
      'missingBin',
    );
    assertRefused(
      damage(bin.toJSON(), (s) => void (s.classes = ['a'])),
      C,
      'classes',
    );
  });
});
