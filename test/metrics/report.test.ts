import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { captureWarnings } from '../../src/core/warnings.ts';
import { classificationReport } from '../../src/metrics/index.ts';
import { formatFixed, pyFloatRepr } from '../../src/metrics/report.ts';

describe('formatFixed (Python format(x, ".Nf"))', () => {
  it('rounds exact binary ties to even, like Python', () => {
    assert.equal(formatFixed(0.125, 2), '0.12'); // JS toFixed gives 0.13
    assert.equal(formatFixed(0.375, 2), '0.38');
    assert.equal(formatFixed(-0.125, 2), '-0.12');
    assert.equal(formatFixed(2.5, 0), '2');
    assert.equal(formatFixed(3.5, 0), '4');
    assert.equal(formatFixed(0.5, 3), '0.500');
  });
  it('rounds non-ties by the exact binary value', () => {
    assert.equal(formatFixed(0.15, 1), '0.1'); // 0.1499999…
    assert.equal(formatFixed(0.35, 1), '0.3'); // 0.34999…
    assert.equal(formatFixed(2 / 3, 2), '0.67');
    assert.equal(formatFixed(1, 2), '1.00');
    assert.equal(formatFixed(Number.NaN, 2), 'nan');
  });
});

describe('pyFloatRepr (Python repr(float))', () => {
  it('matches Python', () => {
    assert.equal(pyFloatRepr(12), '12.0');
    assert.equal(pyFloatRepr(12.5), '12.5');
    assert.equal(pyFloatRepr(0.1), '0.1');
    assert.equal(pyFloatRepr(1e-5), '1e-05');
    assert.equal(pyFloatRepr(0.0001), '0.0001');
    assert.equal(pyFloatRepr(1e16), '1e+16');
    assert.equal(pyFloatRepr(1.5e22), '1.5e+22');
    assert.equal(pyFloatRepr(0), '0.0');
  });
});

describe('classificationReport', () => {
  it('gives the accuracy row when every class is reported, a micro average otherwise', () => {
    const yTrue = ['a', 'b', 'a', 'c'];
    const yPred = ['a', 'b', 'b', 'c'];
    const full = classificationReport(yTrue, yPred);
    assert.equal(full.accuracy, 0.75);
    assert.equal(full.microAvg, null);
    assert.deepEqual(
      full.classes.map((r) => [r.label, r.support]),
      [
        ['a', 2],
        ['b', 1],
        ['c', 1],
      ],
    );
    assert.match(full.text, /^ {4}accuracy {27}0\.75 {9}4$/m);
    const subset = classificationReport(yTrue, yPred, { labels: ['a', 'b'] });
    assert.equal(subset.accuracy, null);
    assert.equal(subset.microAvg?.name, 'micro avg');
    assert.match(subset.text, /micro avg/);
  });

  it('warns about undefined precision once per averaging pass, as scikit-learn', () => {
    const { warnings } = captureWarnings(() => classificationReport([0, 1, 1], [0, 0, 0]));
    // per class, macro, weighted (micro is defined)
    assert.equal(warnings.length, 3);
    assert.ok(warnings.every((w) => w.category === 'UndefinedMetricWarning'));
  });

  it('rejects bad digits', () => {
    assert.throws(() => classificationReport([0, 1], [0, 1], { digits: -1 }), /digits/);
  });
});
