import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/core/rng.ts';
import {
  bootstrapCI,
  bootstrapInterval,
  bootstrapMetric,
  jackknifeValues,
} from '../../src/stats/bootstrap.ts';
import { tTestOneSample } from '../../src/stats/t-test.ts';
import { assertClose, fixture } from './fixture.ts';

interface Case {
  name: 'mean' | 'std' | 'diffmeans';
  data: number[][];
  estimate: number;
  bootstrap: number[];
  se: number;
  [k: string]: unknown;
}
const fx = fixture<{ bootstrap: Case[] }>('resampling.json');

const mean = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / x.length;
const std = (x: Float64Array) => {
  const m = mean(x);
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
};
const stats = { mean, std, diffmeans: (x: Float64Array, y: Float64Array) => mean(x) - mean(y) } as Record<
  string,
  (...s: Float64Array[]) => number
>;

describe('bootstrap intervals from a given bootstrap distribution (SciPy _bca_interval / np.percentile)', () => {
  for (const c of fx.bootstrap) {
    for (const level of [95, 90]) {
      it(`${c.name}, ${level}%`, () => {
        const f = stats[c.name];
        assertClose(f(...c.data.map((d) => Float64Array.from(d))), c.estimate, 'estimate', 1e-14);
        const jackknife = jackknifeValues(c.data, f);
        const bca = bootstrapInterval(c.estimate, c.bootstrap, {
          confidenceLevel: level / 100,
          method: 'bca',
          jackknife,
        });
        const [lo, hi, ahat] = c[`bca${level}`] as number[];
        assertClose(bca.lower, lo, 'BCa lower', 1e-12);
        assertClose(bca.upper, hi, 'BCa upper', 1e-12);
        assertClose(bca.bca!.acceleration, ahat, 'acceleration', 1e-10);
        const pct = bootstrapInterval(c.estimate, c.bootstrap, {
          confidenceLevel: level / 100,
          method: 'percentile',
        });
        const [plo, phi] = c[`percentile${level}`] as number[];
        assertClose(pct.lower, plo, 'percentile lower', 1e-14);
        assertClose(pct.upper, phi, 'percentile upper', 1e-14);
        const basic = bootstrapInterval(c.estimate, c.bootstrap, {
          confidenceLevel: level / 100,
          method: 'basic',
        });
        const [blo, bhi] = c[`basic${level}`] as number[];
        assertClose(basic.lower, blo, 'basic lower', 1e-13);
        assertClose(basic.upper, bhi, 'basic upper', 1e-13);
        assertClose(pct.standardError, c.se, 'standard error', 1e-12);
      });
    }
  }
});

describe('bootstrapCI', () => {
  const rng = new Rng(7);
  const x = Float64Array.from({ length: 200 }, () => rng.normal(3, 2));

  it('is reproducible with a seed and differs with another', () => {
    const a = bootstrapCI([x], mean, { nResamples: 500, seed: 3 });
    const b = bootstrapCI([x], mean, { nResamples: 500, seed: 3 });
    const c = bootstrapCI([x], mean, { nResamples: 500, seed: 4 });
    assert.deepEqual(a, b);
    assert.notEqual(a.lower, c.lower);
  });

  it('agrees with the t interval for the mean of normal data (n = 200)', () => {
    const t = tTestOneSample(x).confidenceInterval!;
    for (const method of ['bca', 'percentile', 'basic'] as const) {
      const r = bootstrapCI([x], mean, { nResamples: 4000, seed: 1, method });
      const width = t.upper - t.lower;
      assert.ok(Math.abs(r.lower - t.lower) < 0.08 * width, `${method} lower ${r.lower} vs t ${t.lower}`);
      assert.ok(Math.abs(r.upper - t.upper) < 0.08 * width, `${method} upper ${r.upper} vs t ${t.upper}`);
    }
  });

  it('resamples pairs together with paired: true', () => {
    const y = x.map((v) => v + 1);
    const r = bootstrapCI([x, y], (a, b) => mean(b) - mean(a), { paired: true, nResamples: 200 });
    assertClose(r.lower, 1, 'paired difference is constant', 1e-12);
    assertClose(r.upper, 1, 'paired difference is constant', 1e-12);
  });

  it('rejects bad input', () => {
    assert.throws(() => bootstrapCI([[1]], mean), /sample 0 has 1 value\(s\)/);
    assert.throws(
      () =>
        bootstrapCI(
          [
            [1, 2],
            [1, 2, 3],
          ],
          mean,
          { paired: true },
        ),
      /paired samples must have the same length/,
    );
    assert.throws(() => bootstrapCI([x], mean, { nResamples: 0 }), /nResamples must be an integer ≥ 1/);
    assert.throws(
      () => bootstrapCI([x], mean, { method: 'studentized' as never }),
      /unknown method "studentized"/,
    );
  });
});

describe('bootstrapMetric', () => {
  it('bootstraps any (yTrue, yPred) metric, keeping the array kinds', () => {
    const yTrue = ['a', 'b', 'a', 'a', 'b', 'b', 'a', 'b', 'a', 'a'];
    const yPred = ['a', 'b', 'b', 'a', 'b', 'a', 'a', 'b', 'a', 'a'];
    const accuracy = (t: ArrayLike<string>, p: ArrayLike<string>) => {
      let k = 0;
      for (let i = 0; i < t.length; i++) if (t[i] === p[i]) k++;
      return k / t.length;
    };
    const r = bootstrapMetric(yTrue, yPred, accuracy, { nResamples: 300 });
    assert.equal(r.estimate, 0.8);
    assert.ok(r.lower <= 0.8 && r.upper >= 0.8 && r.lower >= 0 && r.upper <= 1);
    assert.throws(() => bootstrapMetric([1, 2], [1], () => 0), /yTrue has 2 rows but yPred has 1/);
  });
});
