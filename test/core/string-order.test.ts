// Strings sort by code point everywhere Lathe sorts labels or levels, as Python's `sorted` and
// NumPy's `np.unique` do: 'ｚ' (U+FF5A) before '😀' (U+1F600), although JavaScript's `<` puts the
// emoji's surrogate pair (U+D83D …) first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeLabels, sortLabels } from '../../src/core/labels.ts';
import { matrix } from '../../src/core/matrix.ts';
import { confusionMatrix } from '../../src/metrics/confusion.ts';
import { logLoss } from '../../src/metrics/probabilistic.ts';
import { GaussianNB } from '../../src/models/bayes/index.ts';
import { encodeValues } from '../../src/select/split-input.ts';
import { buildDesign } from '../../src/stats/design.ts';

const EMOJI = '😀';
const WIDE = 'ｚ';

describe('string order by code point', () => {
  it('sortLabels and encodeLabels (classifiers’ classes_)', () => {
    assert.deepEqual(sortLabels([EMOJI, WIDE, 'a']), ['a', WIDE, EMOJI]);
    assert.deepEqual(encodeLabels([EMOJI, WIDE, 'a', EMOJI], 4, 'test').classes, ['a', WIDE, EMOJI]);
    const model = new GaussianNB().fit(matrix(Float64Array.from([0, 1, 2, 3]), 4, 1), [
      EMOJI,
      WIDE,
      EMOJI,
      WIDE,
    ]);
    assert.deepEqual(model.classes_, [WIDE, EMOJI]);
    assert.deepEqual(model.predictProba(matrix(Float64Array.from([0]), 1, 1)).columns, [WIDE, EMOJI]);
  });

  it('metrics: the classes of a confusion matrix and of logLoss’s labels', () => {
    // scikit-learn: confusion_matrix(['😀', 'ｚ'], ['😀', '😀']) = [[0, 1], [0, 1]] (rows ｚ, 😀).
    const cm = confusionMatrix([EMOJI, WIDE], [EMOJI, EMOJI]);
    assert.deepEqual(cm.labels, [WIDE, EMOJI]);
    assert.deepEqual(Array.from(cm.data), [0, 1, 0, 1]);
    // Columns of the probabilities follow the sorted labels: ｚ first.
    const P = matrix(Float64Array.from([0.8, 0.2, 0.3, 0.7]), 2, 2);
    const expected = -(Math.log(0.8) + Math.log(0.7)) / 2;
    assert.ok(Math.abs(logLoss([WIDE, EMOJI], P, { labels: [EMOJI, WIDE] }) - expected) < 1e-15);
  });

  it('stratification levels and formula levels', () => {
    assert.deepEqual(encodeValues([EMOJI, WIDE, EMOJI], 'y', 'test').levels, [WIDE, EMOJI]);
    const d = buildDesign('y ~ g', { y: [1, 2, 3, 4], g: [EMOJI, WIDE, EMOJI, WIDE] });
    assert.deepEqual(d.columns, ['Intercept', `g[T.${EMOJI}]`]); // ｚ is the reference level
  });
});
