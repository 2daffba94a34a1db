import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ksOneSample, ksTwoSample } from '../../src/stats/ks.ts';
import { kolmogornSf, kolmogorovSf, smirnovSf } from '../../src/stats/ks-distribution.ts';
import { assertClose } from './fixture.ts';
import { tests } from './tests-fixture.ts';

describe('ksOneSample (scipy.stats.ks_1samp)', () => {
  for (const c of tests.ks1) {
    it(`${c.dist}(${c.loc}, ${c.scale}), n = ${c.x.length}, ${c.alternative}, ${c.method}`, () => {
      const r = ksOneSample(
        c.x,
        { distribution: c.dist, loc: c.loc, scale: c.scale },
        { alternative: c.alternative, method: c.method },
      );
      assertClose(r.statistic, c.D, 'D', 1e-14);
      assertClose(r.pValue, c.p, 'p');
    });
  }

  it('accepts a CDF function and rejects one that leaves [0, 1]', () => {
    const x = [0.1, 0.5, 0.9, 0.3];
    assert.equal(ksOneSample(x, (v) => v).statistic, ksOneSample(x, { distribution: 'uniform' }).statistic);
    assert.throws(() => ksOneSample(x, (v) => 2 * v), /the CDF returned 1.8 at x = 0.9/);
    assert.throws(
      () => ksOneSample(x, { distribution: 'normal', scale: 0 }),
      /scale must be a finite number > 0/,
    );
  });
});

describe('ksTwoSample (scipy.stats.ks_2samp)', () => {
  for (const c of tests.ks2) {
    it(`n = ${c.x.length}, ${c.y.length}, ${c.alternative}, ${c.method}`, () => {
      const r = ksTwoSample(c.x, c.y, { alternative: c.alternative, method: c.method });
      assertClose(r.statistic, c.D, 'D', 1e-14);
      assertClose(r.pValue, c.p, 'p');
    });
  }
});

describe('Kolmogorov–Smirnov distributions', () => {
  it('are proper tail probabilities', () => {
    for (const n of [1, 5, 30, 200, 2000]) {
      let prev = 1;
      for (let d = 0; d <= 1; d += 0.01) {
        const p = kolmogornSf(n, d);
        assert.ok(p >= 0 && p <= 1 && p <= prev + 1e-12, `kstwo.sf(${d}; ${n}) = ${p} after ${prev}`);
        prev = p;
        assert.ok(smirnovSf(n, d) <= p + 1e-12, 'one-sided tail ≤ two-sided tail');
      }
    }
    assert.equal(kolmogorovSf(0), 1);
    assertClose(kolmogorovSf(1.3580986393225505), 0.05, 'the 5% point of the Kolmogorov distribution', 1e-9);
  });
});
