import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  MedianPruner,
  NopPruner,
  nanPercentile,
  PercentilePruner,
  type Pruner,
  prunerByName,
  SuccessiveHalvingPruner,
} from '../../src/select/pruners.ts';
import { RandomSampler } from '../../src/select/samplers.ts';
import { floatDistribution } from '../../src/select/space.ts';
import { Study } from '../../src/select/study.ts';
import type { Direction, TrialRecord } from '../../src/select/trial.ts';

type Event =
  | { op: 'ask'; trial: number }
  | { op: 'report'; trial: number; value: number; step: number; prune: boolean }
  | { op: 'pruned'; trial: number }
  | { op: 'complete'; trial: number; value: number };

const fx = JSON.parse(
  readFileSync(new URL('../fixtures/select/pruners.json', import.meta.url), 'utf8'),
) as Record<
  string,
  { options: Record<string, number>; percentile?: number; direction: Direction; events: Event[] }
>;

function replay(
  pruner: Pruner,
  direction: Direction,
  events: Event[],
): { decisions: number; prunes: number } {
  const study = new Study({ direction, pruner, sampler: new RandomSampler() });
  const space = { x: floatDistribution(0, 1) };
  const byNumber = new Map<number, TrialRecord>();
  let decisions = 0;
  let prunes = 0;
  for (const e of events) {
    if (e.op === 'ask') {
      const t = study.ask(space)!;
      assert.equal(t.number, e.trial);
      byNumber.set(t.number, t);
    } else if (e.op === 'report') {
      const t = byNumber.get(e.trial)!;
      study.report(t, e.value, e.step);
      const p = study.shouldPrune(t);
      assert.equal(p, e.prune, `trial ${e.trial} step ${e.step} (value ${e.value})`);
      decisions++;
      if (p) prunes++;
    } else if (e.op === 'pruned') study.tell(byNumber.get(e.trial)!, { state: 'pruned' });
    else study.tell(byNumber.get(e.trial)!, { value: e.value });
  }
  return { decisions, prunes };
}

describe('pruners decide as Optuna 3.1 on scripted studies', () => {
  const cases: [string, () => Pruner][] = [
    ['median', () => new MedianPruner(fx.median.options)],
    ['median-min', () => new MedianPruner(fx['median-min'].options)],
    ['percentile', () => new PercentilePruner(fx.percentile.percentile!, fx.percentile.options)],
    ['asha', () => new SuccessiveHalvingPruner(fx.asha.options)],
    ['asha-min', () => new SuccessiveHalvingPruner(fx['asha-min'].options)],
    ['asha-auto', () => new SuccessiveHalvingPruner(fx['asha-auto'].options)],
  ];
  for (const [name, make] of cases) {
    it(name, () => {
      const { decisions, prunes } = replay(make(), fx[name].direction, fx[name].events);
      assert.ok(decisions > 20);
      // The scenarios are built so that some trials are pruned and some are not.
      assert.ok(prunes > 0 && prunes < decisions, `${prunes} of ${decisions}`);
    });
  }
});

describe('pruner details', () => {
  it('nanPercentile interpolates linearly and skips NaN (numpy)', () => {
    assert.equal(nanPercentile([3, 1, 2, Number.NaN], 50), 2);
    assert.equal(nanPercentile([1, 2, 3, 4], 50), 2.5);
    assert.equal(nanPercentile([1, 2, 3, 4], 25), 1.75);
    assert.ok(Number.isNaN(nanPercentile([Number.NaN], 50)));
  });

  it('NopPruner never prunes; names map to pruners; options are checked', () => {
    const t: TrialRecord = {
      number: 0,
      params: {},
      state: 'running',
      value: null,
      intermediate: new Map([[0, -1e9]]),
      attrs: {},
      error: null,
    };
    assert.equal(new NopPruner().prune(), false);
    assert.ok(prunerByName('median') instanceof MedianPruner);
    assert.ok(prunerByName('asha') instanceof SuccessiveHalvingPruner);
    assert.ok(prunerByName('none') instanceof NopPruner);
    assert.throws(() => prunerByName('hyperband'), /Unknown pruner 'hyperband'.*none, median or asha/s);
    assert.throws(
      () => new SuccessiveHalvingPruner({ reductionFactor: 1 }),
      /reductionFactor must be an integer ≥ 2/,
    );
    assert.throws(() => new PercentilePruner(101), /percentile must be in \[0, 100\]/);
    assert.throws(() => new MedianPruner({ nWarmupSteps: -1 }), /nWarmupSteps must be an integer ≥ 0/);
    assert.equal(new MedianPruner().prune(t, { trials: [t], direction: 'maximize' }), false);
  });
});
