import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Rng } from '../../src/core/rng.ts';
import {
  defaultGamma,
  defaultWeights,
  ParzenEstimator,
  type ParzenParameters,
  roundHalfEven,
} from '../../src/select/parzen.ts';
import { splitObservations } from '../../src/select/samplers.ts';
import {
  categoricalDistribution,
  type Distribution,
  floatDistribution,
  intDistribution,
} from '../../src/select/space.ts';
import {
  erf,
  erfc,
  logGaussMass,
  logNdtr,
  truncnormLogpdf,
  truncnormPpf,
} from '../../src/select/truncnorm.ts';

const fx = JSON.parse(readFileSync(new URL('../fixtures/select/parzen.json', import.meta.url), 'utf8'));
const num = (v: number | string): number => (typeof v === 'string' ? Number(v) : v);

function close(a: number, e: number | string, tol: number, what: string): void {
  const x = num(e);
  if (Number.isNaN(x)) {
    assert.ok(Number.isNaN(a), `${what}: expected NaN, got ${a}`);
    return;
  }
  if (!Number.isFinite(x)) {
    assert.equal(a, x, what);
    return;
  }
  assert.ok(Math.abs(a - x) <= tol * Math.max(1, Math.abs(x)), `${what}: ${a} vs ${x} (diff ${a - x})`);
}

function closeAll(a: ArrayLike<number>, e: readonly (number | string)[], tol: number, what: string): void {
  assert.equal(a.length, e.length, `${what}: length`);
  for (let i = 0; i < e.length; i++) close(a[i], e[i], tol, `${what}[${i}]`);
}

describe("Optuna's truncated normal (3.1 _truncnorm.py) and libm's erf/erfc", () => {
  it('erf and erfc agree with C libm (Python math.erf/erfc) to 2 ulp', () => {
    for (const c of fx.erf) {
      close(erf(c.x), c.erf, 4.5e-16, `erf(${c.x})`);
      const rel = Math.abs(erfc(c.x) - c.erfc) / Math.max(Number.MIN_VALUE, Math.abs(c.erfc));
      assert.ok(rel <= 4.5e-16 || erfc(c.x) === c.erfc, `erfc(${c.x}): ${erfc(c.x)} vs ${c.erfc}`);
    }
  });

  it('log Φ, log Gaussian mass, quantiles and log densities', () => {
    for (const c of fx.logNdtr) close(logNdtr(c.a), c.value, 1e-14, `logNdtr(${c.a})`);
    for (const c of fx.logGaussMass)
      close(logGaussMass(c.a, c.b), c.value, 1e-13, `logGaussMass(${c.a}, ${c.b})`);
    for (const c of fx.ppf) close(truncnormPpf(c.q, c.a, c.b), c.value, 1e-12, `ppf(${c.q}, ${c.a}, ${c.b})`);
    for (const c of fx.logpdf) {
      close(truncnormLogpdf(c.x, c.a, c.b, c.loc, c.scale, false), c.value, 1e-13, `logpdf(${c.x}) as 3.1`);
      close(truncnormLogpdf(c.x, c.a, c.b, c.loc, c.scale), c.normalized, 1e-13, `logpdf(${c.x}) normalized`);
    }
  });
});

function distribution(s: {
  type: string;
  low?: number;
  high?: number;
  log?: boolean;
  step?: number | null;
  choices?: unknown[];
}): Distribution {
  if (s.type === 'categorical') return categoricalDistribution(s.choices as string[]);
  if (s.type === 'int') return intDistribution(s.low!, s.high!, { log: s.log, step: s.step ?? 1 });
  return floatDistribution(s.low!, s.high!, { log: s.log, step: s.step ?? null });
}

describe("ParzenEstimator matches Optuna 3.1's _ParzenEstimator", () => {
  for (const c of fx.cases) {
    it(`${c.name}: weights, kernel means and widths, categorical weights, log density`, () => {
      const space: Record<string, Distribution> = {};
      for (const [k, s] of Object.entries(c.space)) space[k] = distribution(s as never);
      const params: ParzenParameters = {
        considerPrior: c.options.consider_prior ?? true,
        priorWeight: 1,
        considerMagicClip: true,
        considerEndpoints: c.options.consider_endpoints ?? false,
        weights: defaultWeights,
        multivariate: c.multivariate,
      };
      const obs = Object.fromEntries(
        Object.entries(c.observations).map(([k, v]) => [k, Float64Array.from(v as number[])]),
      );
      const pe = new ParzenEstimator(obs, space, params);
      closeAll(pe.weights, c.weights, 1e-15, 'weights');
      for (const [k, e] of Object.entries(c.numeric) as [
        string,
        { low: number; high: number; q: number | null; mus: number[]; sigmas: number[] },
      ][]) {
        close(pe.numeric[k].low, e.low, 1e-15, `${k}.low`);
        close(pe.numeric[k].high, e.high, 1e-15, `${k}.high`);
        assert.equal(pe.numeric[k].q, e.q);
        closeAll(pe.numeric[k].mus, e.mus, 1e-15, `${k}.mus`);
        closeAll(pe.numeric[k].sigmas, e.sigmas, 1e-14, `${k}.sigmas`);
      }
      for (const [k, rows] of Object.entries(c.categorical) as [string, number[][]][]) {
        assert.equal(pe.categorical[k].length, rows.length);
        rows.forEach((r, i) => closeAll(pe.categorical[k][i], r, 1e-15, `${k}[${i}]`));
      }
      const samples = Object.fromEntries(
        Object.entries(c.samples).map(([k, v]) => [k, Float64Array.from(v as number[])]),
      );
      closeAll(pe.logPdf(samples), c.logPdf, 1e-12, 'logPdf');
    });
  }

  it('samples stay inside the distribution, on the grid, and follow the kernels', () => {
    const space = {
      lr: floatDistribution(1e-3, 1, { log: true }),
      n: intDistribution(1, 9),
      leaves: intDistribution(2, 256, { log: true }),
      s: floatDistribution(0, 1, { step: 0.25 }),
      c: categoricalDistribution(['a', 'b', 'c']),
    };
    const obs = {
      lr: Float64Array.of(0.01, 0.011, 0.012),
      n: Float64Array.of(2, 2, 3),
      leaves: Float64Array.of(16, 20, 18),
      s: Float64Array.of(0.25, 0.25, 0.5),
      c: Float64Array.of(1, 1, 1),
    };
    const params: ParzenParameters = {
      considerPrior: true,
      priorWeight: 1,
      considerMagicClip: true,
      considerEndpoints: false,
      weights: defaultWeights,
      multivariate: false,
      // A true density to integrate (Optuna 3.1's kernel scores are not; sampling is the same).
      normalizedKernels: true,
    };
    const pe = new ParzenEstimator(obs, space, params);
    const N = 4000;
    const s = pe.sample(new Rng(3), N);
    for (let i = 0; i < N; i++) {
      assert.ok(s.lr[i] >= 1e-3 && s.lr[i] <= 1);
      assert.ok(Number.isInteger(s.n[i]) && s.n[i] >= 1 && s.n[i] <= 9);
      assert.ok(Number.isInteger(s.leaves[i]) && s.leaves[i] >= 2 && s.leaves[i] <= 256);
      assert.ok([0, 0.25, 0.5, 0.75, 1].includes(s.s[i]));
      assert.ok([0, 1, 2].includes(s.c[i]));
    }
    // The sample frequencies follow the estimator's own density: lr in 8 bins of log(lr) (density
    // integrated by the midpoint rule), n and c by their probability masses.
    const one = (name: string, v: number) => pe.logPdfOne(name, v);
    const lo = Math.log(1e-3);
    const width = -lo / 8;
    for (let b = 0; b < 8; b++) {
      let mass = 0;
      for (let k = 0; k < 400; k++)
        mass += Math.exp(one('lr', Math.exp(lo + (b + (k + 0.5) / 400) * width))) * (width / 400);
      let f = 0;
      for (const v of s.lr) if (Math.log(v) >= lo + b * width && Math.log(v) < lo + (b + 1) * width) f++;
      assert.ok(Math.abs(f / N - mass) < 0.025, `lr bin ${b}: ${f / N} vs ${mass}`);
    }
    for (let v = 1; v <= 9; v++) {
      const f = s.n.filter((x) => x === v).length / N;
      assert.ok(Math.abs(f - Math.exp(one('n', v))) < 0.025, `n=${v}: ${f} vs ${Math.exp(one('n', v))}`);
    }
    for (let v = 0; v < 3; v++) {
      const f = s.c.filter((x) => x === v).length / N;
      assert.ok(Math.abs(f - Math.exp(one('c', v))) < 0.025, `c=${v}`);
    }
  });
});

describe('TPE bookkeeping: gamma, weights, the below/above split', () => {
  it('gamma and weights as Optuna', () => {
    for (const [n, g] of fx.gamma) assert.equal(defaultGamma(n), g, `gamma(${n})`);
    for (const [n, w] of Object.entries(fx.weights))
      closeAll(defaultWeights(Number(n)), w as number[], 1e-15, `weights(${n})`);
  });

  it('splits complete, pruned and running trials as _split_observation_pairs', () => {
    for (const c of fx.split) {
      const scores = c.scores.map((p: (number | string)[]) => [num(p[0]), num(p[1])] as [number, number]);
      const { below, above } = splitObservations(scores, c.nBelow);
      assert.deepEqual(Array.from(below), c.below);
      assert.deepEqual(Array.from(above), c.above);
    }
  });

  it('rounds half to even like numpy', () => {
    assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven), [0, 2, 2, -0, -2, 2, 3]);
  });
});
