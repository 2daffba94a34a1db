import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { captureWarnings } from '../../src/core/warnings.ts';
import { MedianPruner } from '../../src/select/pruners.ts';
import { GridSampler, gridValues, RandomSampler, TPESampler } from '../../src/select/samplers.ts';
import {
  categoricalDistribution,
  checkParams,
  floatDistribution,
  intDistribution,
  samplingOrder,
} from '../../src/select/space.ts';
import { Study, TrialPruned } from '../../src/select/study.ts';
import { newTrial } from '../../src/select/trial.ts';

const quadratic = {
  space: { x: floatDistribution(-10, 10), k: intDistribution(0, 20) },
  f: (p: Record<string, unknown>) => ((p.x as number) - 2.5) ** 2 + ((p.k as number) - 13) ** 2 / 4,
};

async function best(sampler: 'tpe' | 'random', seed: number, n: number): Promise<number> {
  const study = new Study({
    direction: 'minimize',
    sampler: sampler === 'tpe' ? new TPESampler({ seed }) : new RandomSampler({ seed }),
  });
  await study.optimize((t) => quadratic.f(t.params), { space: quadratic.space, nTrials: n });
  return study.bestTrial!.value!;
}

describe('Study.optimize', () => {
  it('TPE beats random search on a smooth objective (median over seeds), and is reproducible', async () => {
    const tpe: number[] = [];
    const rnd: number[] = [];
    for (let s = 0; s < 5; s++) {
      tpe.push(await best('tpe', s, 40));
      rnd.push(await best('random', s, 40));
    }
    const median = (a: number[]) => a.slice().sort((x, y) => x - y)[2];
    assert.ok(median(tpe) < median(rnd), `tpe ${median(tpe)} vs random ${median(rnd)}`);
    assert.ok(median(tpe) < 1, `tpe median best ${median(tpe)}`);
    assert.equal(await best('tpe', 3, 30), await best('tpe', 3, 30));
  });

  it('multivariate TPE models the parameters jointly and still finds the optimum', async () => {
    const study = new Study({
      direction: 'minimize',
      sampler: new TPESampler({ seed: 4, multivariate: true }),
    });
    await study.optimize((t) => quadratic.f(t.params), { space: quadratic.space, nTrials: 40 });
    assert.ok(study.bestTrial!.value! < 2, `best ${study.bestTrial!.value}`);
    for (const t of study.trials) checkParams(quadratic.space, t.params);
  });

  it('the constant liar steers proposals away from running trials', () => {
    const space = { x: floatDistribution(0, 1) };
    const order = samplingOrder(space);
    const finished = Array.from({ length: 12 }, (_, i) => {
      const t = newTrial(i, { x: (i + 0.5) / 12 });
      t.state = 'complete';
      t.value = -Math.abs((t.params.x as number) - 0.3);
      return t;
    });
    // Eight trials already running right at the optimum.
    const running = Array.from({ length: 8 }, (_, i) => newTrial(12 + i, { x: 0.3 + (i - 4) * 0.002 }));
    const ctx = {
      space,
      order,
      number: 20,
      trials: [...finished, ...running],
      direction: 'maximize' as const,
    };
    const liar = new TPESampler({ seed: 1, constantLiar: true }).sample(ctx).x as number;
    const plain = new TPESampler({ seed: 1 }).sample(ctx).x as number;
    // Without the liar the running trials are invisible: the proposal is the same as with none.
    assert.equal(plain, new TPESampler({ seed: 1 }).sample({ ...ctx, trials: finished }).x);
    assert.notEqual(liar, plain);
  });

  it("with startup: 'random', the first nStartupTrials of TPE are random draws; parameters stay in their distributions", async () => {
    const space = {
      lr: floatDistribution(1e-4, 1, { log: true }),
      depth: intDistribution(2, 64, { log: true }),
      frac: floatDistribution(0, 1, { step: 0.1 }),
      kind: categoricalDistribution(['a', 'b']),
    };
    const study = new Study({ sampler: new TPESampler({ seed: 5, nStartupTrials: 5, startup: 'random' }) });
    const random = new Study({ sampler: new RandomSampler({ seed: 5 }) });
    const f = (p: Record<string, unknown>) =>
      -Math.abs(Math.log10(p.lr as number) + 2) - (p.kind === 'b' ? 1 : 0);
    await study.optimize((t) => f(t.params), { space, nTrials: 20 });
    await random.optimize((t) => f(t.params), { space, nTrials: 5 });
    // Same seed and trial number: the startup draws are the random sampler's.
    assert.deepEqual(
      study.trials.slice(0, 5).map((t) => t.params),
      random.trials.map((t) => t.params),
    );
    for (const t of study.trials) checkParams(space, t.params);
  });

  it('conditional parameters are sampled only when their condition holds', async () => {
    const space = {
      penalty: categoricalDistribution(['l2', 'elasticnet']),
      l1Ratio: floatDistribution(0, 1, { when: { penalty: ['elasticnet'] } }),
      C: floatDistribution(1e-3, 1e3, { log: true }),
    };
    for (const sampler of [
      new TPESampler({ seed: 2, nStartupTrials: 4 }),
      new RandomSampler({ seed: 2 }),
      new GridSampler({ gridPoints: 3 }),
    ]) {
      const study = new Study({ sampler });
      await study.optimize((t) => (t.params.penalty === 'elasticnet' ? (t.params.l1Ratio as number) : 0.2), {
        space,
        nTrials: 15,
      });
      for (const t of study.trials) {
        assert.equal('l1Ratio' in t.params, t.params.penalty === 'elasticnet', JSON.stringify(t.params));
        checkParams(space, t.params);
      }
    }
  });

  it('pruned and failed trials, and the wall-time budget', async () => {
    const study = new Study({
      pruner: new MedianPruner({ nStartupTrials: 2 }),
      sampler: new RandomSampler(),
    });
    await study.optimize(
      (t) => {
        const x = t.params.x as number;
        if (x > 0.9) throw new Error('x too large');
        for (let step = 1; step <= 3; step++) {
          t.report(x * step, step);
          if (t.shouldPrune()) throw new TrialPruned();
        }
        return x * 3;
      },
      { space: { x: floatDistribution(0, 1) }, nTrials: 30 },
    );
    const states = new Set(study.trials.map((t) => t.state));
    assert.deepEqual([...states].sort(), ['complete', 'failed', 'pruned']);
    assert.ok(study.trials.filter((t) => t.state === 'failed').every((t) => t.error === 'x too large'));
    assert.equal(
      study.bestTrial!.value,
      Math.max(...study.trials.filter((t) => t.state === 'complete').map((t) => t.value!)),
    );
    const timed = new Study({ sampler: new RandomSampler() });
    // A trial sleeps at least 60 ms, longer than the 50 ms budget: the budget is checked before
    // each trial after the first (the first always runs), so exactly one runs.
    await timed.optimize(
      async () => {
        await new Promise((r) => setTimeout(r, 60));
        return 1;
      },
      { space: { x: floatDistribution(0, 1) }, timeout: 0.05 },
    );
    assert.equal(timed.trials.length, 1);
    await assert.rejects(
      () =>
        new Study().optimize(
          () => {
            throw new Error('boom');
          },
          { space: { x: floatDistribution(0, 1) }, nTrials: 2, catchErrors: false },
        ),
      /boom/,
    );
  });

  it('enqueued trials run first and are checked against the space', async () => {
    const study = new Study({ sampler: new RandomSampler() });
    study.enqueueTrial({ x: 0.25 });
    await study.optimize((t) => t.params.x as number, { space: { x: floatDistribution(0, 1) }, nTrials: 3 });
    assert.deepEqual(study.trials[0].params, { x: 0.25 });
    const bad = new Study();
    bad.enqueueTrial({ x: 5 });
    assert.throws(() => bad.ask({ x: floatDistribution(0, 1) }), /x = 5 is outside its distribution/);
  });
});

describe('grid sampler', () => {
  it('visits every combination once in a seeded order, then reports exhaustion', async () => {
    const space = {
      a: categoricalDistribution(['x', 'y']),
      n: intDistribution(1, 3),
      lr: floatDistribution(0.01, 1, { log: true, grid: [0.01, 0.1, 1] } as never),
    };
    const study = new Study({ sampler: new GridSampler({ seed: 1 }) });
    await study.optimize((t) => (t.params.n as number) * (t.params.lr as number), { space, nTrials: 100 });
    assert.equal(study.trials.length, 18);
    const keys = new Set(study.trials.map((t) => JSON.stringify(t.params)));
    assert.equal(keys.size, 18);
    assert.equal(study.bestTrial!.value, 3);
    const again = new Study({ sampler: new GridSampler({ seed: 1 }) });
    await again.optimize(() => 0, { space, nTrials: 5 });
    assert.deepEqual(
      again.trials.map((t) => t.params),
      study.trials.slice(0, 5).map((t) => t.params),
    );
  });

  it('numeric ranges get evenly (log-)spaced points', () => {
    assert.deepEqual(gridValues(intDistribution(1, 4), 5), [1, 2, 3, 4]);
    assert.deepEqual(gridValues(intDistribution(0, 100), 3), [0, 50, 100]);
    const lg = gridValues(floatDistribution(0.001, 10, { log: true }), 5) as number[];
    assert.equal(lg.length, 5);
    lg.forEach((v, i) => assert.ok(Math.abs(Math.log10(v) - (i - 3)) < 1e-12));
    assert.deepEqual(gridValues(floatDistribution(0, 1, { step: 0.25 }), 3), [0, 0.5, 1]);
  });
});

describe('search space checks', () => {
  it('rejects bad distributions and conditions with clear messages', () => {
    assert.throws(() => floatDistribution(1, 0), /low \(1\) must not exceed high \(0\)/);
    assert.throws(() => floatDistribution(0, 1, { log: true }), /log distribution needs low > 0/);
    assert.throws(() => intDistribution(0.5, 3), /low and high must be integers/);
    assert.throws(() => categoricalDistribution([]), /non-empty array/);
    assert.throws(() => categoricalDistribution(['a', 'a']), /listed twice/);
    assert.throws(() => samplingOrder({}), /search space is empty/);
    assert.throws(
      () => samplingOrder({ a: floatDistribution(0, 1, { when: { b: ['x'] } }) }),
      /conditional on 'b', which is not in the space/,
    );
    assert.throws(
      () =>
        samplingOrder({
          a: categoricalDistribution(['x'], { when: { b: ['y'] } }),
          b: categoricalDistribution(['y'], { when: { a: ['x'] } }),
        }),
      /cycle: a → b → a|cycle: b → a → b/,
    );
    assert.throws(
      () =>
        samplingOrder({
          a: categoricalDistribution(['x']),
          b: floatDistribution(0, 1, { when: { a: ['z'] } }),
        }),
      /a = "z", which 'a' cannot take/,
    );
    assert.throws(() => samplingOrder({ a: { type: 'normal' } as never }), /not a distribution/);
    const { result, warnings } = captureWarnings(() => intDistribution(0, 10, { step: 3 }));
    assert.equal(result.high, 9);
    assert.match(warnings[0].message, /not divisible by step 3; high is set to 9/);
  });

  it('orders parents before conditional children', () => {
    const order = samplingOrder({
      l1Ratio: floatDistribution(0, 1, { when: { penalty: ['elasticnet'] } }),
      C: floatDistribution(1, 2),
      penalty: categoricalDistribution(['l2', 'elasticnet']),
    });
    assert.ok(order.indexOf('penalty') < order.indexOf('l1Ratio'));
  });
});
