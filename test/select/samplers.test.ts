import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { Rng } from '../../src/core/rng.ts';
import { fromUnit, RandomSampler, sampleUniform, TPESampler } from '../../src/select/samplers.ts';
import {
  categoricalDistribution,
  checkParams,
  type Distribution,
  floatDistribution,
  intDistribution,
  type Params,
  type SearchSpace,
} from '../../src/select/space.ts';
import { Study } from '../../src/select/study.ts';

/** The unit-cube coordinate of a float value (the inverse of fromUnit for continuous ranges). */
function toUnit(d: Distribution, v: number): number {
  if (d.type !== 'float') throw new Error('float only');
  return d.log
    ? (Math.log(v) - Math.log(d.low)) / (Math.log(d.high) - Math.log(d.low))
    : (v - d.low) / (d.high - d.low);
}

/** How many of `xs` (in [0, 1)) fall in each of `n` equal slices. */
function sliceCounts(xs: number[], n: number): number[] {
  const c = new Array(n).fill(0);
  for (const x of xs) c[Math.min(Math.floor(x * n), n - 1)]++;
  return c;
}

const floats: SearchSpace = {
  lr: floatDistribution(1e-4, 1, { log: true }),
  a: floatDistribution(-3, 5),
  b: floatDistribution(0, 1),
  c: floatDistribution(1, 1000, { log: true }),
};

async function startupTrials(
  options: ConstructorParameters<typeof TPESampler>[0],
  space: SearchSpace,
  n: number,
) {
  const study = new Study({ sampler: new TPESampler(options) });
  await study.optimize(() => 0, { space, nTrials: n });
  return study.trials.map((t) => t.params);
}

describe('fromUnit', () => {
  it('is the inverse distribution function of each kind of distribution', () => {
    const lr = floatDistribution(1e-3, 10, { log: true });
    assert.ok(Math.abs((fromUnit(lr, 0) as number) - 1e-3) < 1e-18);
    assert.ok(Math.abs((fromUnit(lr, 0.5) as number) - 0.1) < 1e-15);
    assert.equal(fromUnit(floatDistribution(2, 4), 0.25), 2.5);
    assert.equal(fromUnit(floatDistribution(0, 1, { step: 0.25 }), 0.5), 0.5);
    assert.equal(fromUnit(floatDistribution(0, 1, { step: 0.25 }), 0.999), 1);
    // Integers over [low − ½, high + ½]: 5 values, 1/5 of the unit interval each.
    const k = intDistribution(1, 5);
    assert.deepEqual(
      [0, 0.19, 0.21, 0.5, 0.79, 0.81, 0.9999].map((u) => fromUnit(k, u)),
      [1, 1, 2, 3, 4, 5, 5],
    );
    assert.deepEqual(
      [0, 0.999].map((u) => fromUnit(intDistribution(8, 128, { log: true }), u)),
      [8, 128],
    );
    const cat = categoricalDistribution(['x', 'y', 'z']);
    assert.deepEqual(
      [0, 0.33, 0.34, 0.67, 0.999999].map((u) => fromUnit(cat, u)),
      ['x', 'x', 'y', 'z', 'z'],
    );
  });

  it('with a uniform draw is exactly sampleUniform (numeric distributions)', () => {
    const ds: Distribution[] = [
      floatDistribution(1e-6, 10, { log: true }),
      floatDistribution(-1, 1),
      floatDistribution(0, 2, { step: 0.5 }),
      intDistribution(5, 100, { log: true }),
      intDistribution(0, 30, { step: 3 }),
    ];
    for (const d of ds) {
      const a = new Rng(9);
      const b = new Rng(9);
      for (let i = 0; i < 200; i++) assert.equal(sampleUniform(d, a), fromUnit(d, b.random()));
    }
  });
});

describe('TPESampler start-up designs', () => {
  it("'sobol' (the default) spreads the first 2^m trials one per slice of every parameter's range", async () => {
    for (const seed of [0, 1, 2]) {
      const params = await startupTrials({ seed, nStartupTrials: 16 }, floats, 16);
      assert.deepEqual(
        params,
        await startupTrials({ seed, nStartupTrials: 16, startup: 'sobol' }, floats, 16),
      );
      for (const [name, d] of Object.entries(floats)) {
        for (const n of [2, 4, 8, 16]) {
          const u = params.slice(0, n).map((p) => toUnit(d, p[name] as number));
          assert.deepEqual(sliceCounts(u, n), new Array(n).fill(1), `seed ${seed}, ${name}, ${n} trials`);
        }
      }
    }
  });

  it("'lhs' puts the nStartupTrials trials one per slice of every range; trials past it are random", async () => {
    const params = await startupTrials({ seed: 4, startup: 'lhs', nStartupTrials: 10 }, floats, 10);
    for (const [name, d] of Object.entries(floats)) {
      const u = params.map((p) => toUnit(d, p[name] as number));
      assert.deepEqual(sliceCounts(u, 10), new Array(10).fill(1), name);
    }
    // Trials that failed do not count: trial 10 is still start-up, drawn at random (not the design).
    const study = new Study({ sampler: new TPESampler({ seed: 4, startup: 'lhs', nStartupTrials: 10 }) });
    await study.optimize(
      (t) => {
        if (t.number < 3) throw new Error('boom');
        return 0;
      },
      { space: floats, nTrials: 12 },
    );
    assert.deepEqual(
      study.trials.slice(0, 10).map((t) => t.params),
      params,
    );
    for (const t of study.trials) checkParams(floats, t.params);
  });

  it("'random' draws the start-up trials as the random sampler does (Optuna's start-up)", async () => {
    const space = {
      lr: floatDistribution(1e-4, 1, { log: true }),
      depth: intDistribution(2, 64, { log: true }),
      kind: categoricalDistribution(['a', 'b', 'c']),
    };
    const tpe = await startupTrials({ seed: 5, startup: 'random', nStartupTrials: 6 }, space, 6);
    const random = new Study({ sampler: new RandomSampler({ seed: 5 }) });
    await random.optimize(() => 0, { space, nTrials: 6 });
    assert.deepEqual(
      tpe,
      random.trials.map((t) => t.params),
    );
  });

  it('designs cover integer, categorical and conditional parameters, reproducibly for a seed', async () => {
    const space: SearchSpace = {
      kind: categoricalDistribution(['linear', 'tree']),
      depth: intDistribution(1, 8, { when: { kind: ['tree'] } }),
      alpha: floatDistribution(1e-3, 1, { log: true, when: { kind: ['linear'] } }),
      n: intDistribution(10, 1000, { log: true }),
    };
    for (const startup of ['sobol', 'lhs'] as const) {
      const a = await startupTrials({ seed: 3, startup, nStartupTrials: 8 }, space, 8);
      assert.deepEqual(a, await startupTrials({ seed: 3, startup, nStartupTrials: 8 }, space, 8));
      assert.notDeepEqual(a, await startupTrials({ seed: 4, startup, nStartupTrials: 8 }, space, 8));
      for (const p of a) checkParams(space, p);
      // The choice is stratified too: 8 trials, two choices, four each.
      assert.equal(a.filter((p: Params) => p.kind === 'tree').length, 4, startup);
      // 8 trials over the 8 depths' slices... of the tree trials only; n covers its 8 slices.
      const un = a.map((p) => (Math.log(p.n as number) - Math.log(9.5)) / (Math.log(1000.5) - Math.log(9.5)));
      assert.deepEqual(sliceCounts(un, 8), new Array(8).fill(1), `${startup}: n`);
    }
  });

  it('after the start-up, TPE takes over from the design (proposals depend on the values seen)', async () => {
    const space = { x: floatDistribution(0, 1), y: floatDistribution(0, 1) };
    const run = async (f: (p: Params) => number) => {
      const study = new Study({
        direction: 'minimize',
        sampler: new TPESampler({ seed: 2, nStartupTrials: 5 }),
      });
      await study.optimize((t) => f(t.params), { space, nTrials: 8 });
      return study.trials.map((t) => t.params);
    };
    const a = await run((p) => (p.x as number) + (p.y as number));
    const b = await run((p) => -(p.x as number) - (p.y as number));
    assert.deepEqual(a.slice(0, 5), b.slice(0, 5));
    assert.notDeepEqual(a.slice(5), b.slice(5));
  });

  it("defaults: a Sobol' start of 5 trials, then multivariate TPE over 96 candidates", () => {
    const t = new TPESampler();
    assert.equal(t.startup, 'sobol');
    assert.equal(t.nStartupTrials, 5);
    assert.equal(t.multivariate, true);
    assert.equal(t.nEiCandidates, 96);
    assert.equal(t.constantLiar, false);
    const optuna = new TPESampler({
      startup: 'random',
      nStartupTrials: 10,
      multivariate: false,
      nEiCandidates: 24,
    });
    assert.deepEqual(
      [optuna.startup, optuna.nStartupTrials, optuna.multivariate, optuna.nEiCandidates],
      ['random', 10, false, 24],
    );
  });

  it('rejects non-boolean switches, naming them', () => {
    for (const field of ['multivariate', 'constantLiar'] as const) {
      assert.throws(
        () => new TPESampler({ [field]: 'yes' as never }),
        (e: unknown) =>
          e instanceof ValidationError &&
          e.field === field &&
          new RegExp(`${field} must be true or false`).test(e.message),
      );
    }
  });

  it('rejects an unknown start-up design, naming the option', () => {
    assert.throws(
      () => new TPESampler({ startup: 'halton' as never }),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.field === 'startup' &&
        /startup must be one of sobol, lhs, random; got "halton"/.test(e.message),
    );
  });
});
