/**
 * Pruners stop unpromising trials early from the intermediate values they report — after each
 * cross-validation fold (the running mean of the fold scores) or after each boosting budget:
 *
 * - {@link MedianPruner} / {@link PercentilePruner}: prune when the trial's best value so far is
 *   worse than the median (percentile) of completed trials at the same step (Optuna's
 *   `MedianPruner`: `nStartupTrials`, `nWarmupSteps`, `intervalSteps`, `nMinTrials`);
 * - {@link SuccessiveHalvingPruner}: asynchronous successive halving (ASHA, Optuna's
 *   `SuccessiveHalvingPruner`): rungs at steps `minResource · η^(k + minEarlyStoppingRate)`; a
 *   trial reaching a rung continues only if it is in the top 1/η of the values recorded there.
 * - {@link NopPruner}: never prunes.
 *
 * Pruners read the trials they are given: the search shows them, in trial-number order, exactly
 * the information a serial run would have — so pruning decisions do not depend on thread count.
 *
 * @module
 */

import { show, ValidationError } from '../core/errors.ts';
import { type Direction, lastStep, type TrialRecord } from './trial.ts';

/** What a pruner sees of the study. */
export interface PrunerContext {
  /** Every trial known now (including the one being judged, and running ones). */
  trials: readonly TrialRecord[];
  direction: Direction;
}

/** A pruner: decides after a trial reports a value whether to stop it. */
export interface Pruner {
  readonly name: string;
  /** True to prune `trial` now (it has just reported its latest intermediate value). */
  prune(trial: TrialRecord, ctx: PrunerContext): boolean;
}

/** Never prunes. */
export class NopPruner implements Pruner {
  readonly name = 'none';
  prune(): boolean {
    return false;
  }
}

function checkInt(who: string, name: string, v: unknown, min: number): number {
  if (!Number.isInteger(v) || (v as number) < min) {
    throw new ValidationError(`${who}: ${name} must be an integer ≥ ${min}; got ${show(v)}.`, {
      field: name,
    });
  }
  return v as number;
}

/** Options of {@link PercentilePruner} and {@link MedianPruner}. */
export interface PercentilePrunerOptions {
  /** Completed trials needed before pruning starts (default 5). */
  nStartupTrials?: number;
  /** Steps before pruning starts within a trial (default 0). */
  nWarmupSteps?: number;
  /** Check every this many steps after the warm-up (default 1). */
  intervalSteps?: number;
  /** Completed trials that must have reported the step (default 1). */
  nMinTrials?: number;
}

/** numpy's `nanpercentile` with linear interpolation. */
export function nanPercentile(values: readonly number[], q: number): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const pos = (q / 100) * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return lo === hi ? v[lo] : v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/** Keeps the trials in the top `percentile` % at each step. */
export class PercentilePruner implements Pruner {
  readonly name: string = 'percentile';
  readonly percentile: number;
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;

  constructor(percentile: number, options: PercentilePrunerOptions = {}) {
    const who = 'PercentilePruner';
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new ValidationError(`${who}: percentile must be in [0, 100]; got ${show(percentile)}.`, {
        field: 'percentile',
      });
    }
    this.percentile = percentile;
    this.nStartupTrials = checkInt(who, 'nStartupTrials', options.nStartupTrials ?? 5, 0);
    this.nWarmupSteps = checkInt(who, 'nWarmupSteps', options.nWarmupSteps ?? 0, 0);
    this.intervalSteps = checkInt(who, 'intervalSteps', options.intervalSteps ?? 1, 1);
    this.nMinTrials = checkInt(who, 'nMinTrials', options.nMinTrials ?? 1, 1);
  }

  prune(trial: TrialRecord, ctx: PrunerContext): boolean {
    const completed = ctx.trials.filter((t) => t.state === 'complete');
    if (completed.length === 0 || completed.length < this.nStartupTrials) return false;
    const step = lastStep(trial);
    if (step === null || step < this.nWarmupSteps) return false;
    // Optuna's _is_first_in_interval_step.
    const nearest =
      Math.floor((step - this.nWarmupSteps) / this.intervalSteps) * this.intervalSteps + this.nWarmupSteps;
    let secondLast = -1;
    for (const s of trial.intermediate.keys()) if (s > secondLast && s !== step) secondLast = s;
    if (!(secondLast < nearest)) return false;
    const maximize = ctx.direction === 'maximize';
    let bestSoFar = Number.NaN;
    for (const v of trial.intermediate.values()) {
      if (Number.isNaN(v)) continue;
      if (Number.isNaN(bestSoFar) || (maximize ? v > bestSoFar : v < bestSoFar)) bestSoFar = v;
    }
    if (Number.isNaN(bestSoFar)) return true;
    const atStep = completed.filter((t) => t.intermediate.has(step)).map((t) => t.intermediate.get(step)!);
    if (atStep.length < this.nMinTrials) return false;
    const p = nanPercentile(atStep, maximize ? 100 - this.percentile : this.percentile);
    if (Number.isNaN(p)) return false;
    return maximize ? bestSoFar < p : bestSoFar > p;
  }
}

/** Prunes a trial whose best value so far is worse than the median of completed trials at that step. */
export class MedianPruner extends PercentilePruner {
  override readonly name = 'median';
  constructor(options: PercentilePrunerOptions = {}) {
    super(50, options);
  }
}

/** Options of {@link SuccessiveHalvingPruner}. */
export interface SuccessiveHalvingOptions {
  /** Step of the first rung (default `'auto'`: last step of the first completed trial ÷ 100, at least 1). */
  minResource?: number | 'auto';
  /** η: each rung keeps the top 1/η (default 4). */
  reductionFactor?: number;
  /** Skips the first rungs (default 0). */
  minEarlyStoppingRate?: number;
  /** Values a rung must hold before anyone is promoted (default 0). */
  bootstrapCount?: number;
}

function rungKey(rung: number): string {
  return `completed_rung_${rung}`;
}

/** Asynchronous successive halving (ASHA). */
export class SuccessiveHalvingPruner implements Pruner {
  readonly name = 'asha';
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;
  private minResource: number | null;

  constructor(options: SuccessiveHalvingOptions = {}) {
    const who = 'SuccessiveHalvingPruner';
    const mr = options.minResource ?? 'auto';
    this.minResource = mr === 'auto' ? null : checkInt(who, 'minResource', mr, 1);
    this.reductionFactor = checkInt(who, 'reductionFactor', options.reductionFactor ?? 4, 2);
    this.minEarlyStoppingRate = checkInt(who, 'minEarlyStoppingRate', options.minEarlyStoppingRate ?? 0, 0);
    this.bootstrapCount = checkInt(who, 'bootstrapCount', options.bootstrapCount ?? 0, 0);
  }

  prune(trial: TrialRecord, ctx: PrunerContext): boolean {
    const step = lastStep(trial);
    if (step === null) return false;
    let rung = 0;
    while (Object.hasOwn(trial.attrs, rungKey(rung))) rung++;
    const value = trial.intermediate.get(step)!;
    for (;;) {
      if (this.minResource === null) {
        const steps = ctx.trials
          .filter((t) => t.state === 'complete')
          .map(lastStep)
          .filter((s): s is number => s !== null);
        if (steps.length === 0) return false;
        this.minResource = Math.max(Math.floor(Math.max(...steps) / 100), 1);
      }
      const promotionStep = this.minResource * this.reductionFactor ** (this.minEarlyStoppingRate + rung);
      if (step < promotionStep) return false;
      if (Number.isNaN(value)) return true;
      const key = rungKey(rung);
      trial.attrs[key] = value;
      const competing: number[] = [];
      for (const t of ctx.trials) if (Object.hasOwn(t.attrs, key)) competing.push(t.attrs[key]);
      if (!ctx.trials.includes(trial)) competing.push(value);
      if (competing.length <= this.bootstrapCount) return true;
      let idx = Math.floor(competing.length / this.reductionFactor) - 1;
      if (idx === -1) idx = 0;
      competing.sort((a, b) => a - b);
      const promotable =
        ctx.direction === 'maximize'
          ? value >= competing[competing.length - 1 - idx]
          : value <= competing[idx];
      if (!promotable) return true;
      rung++;
    }
  }
}

/** A pruner by name: `'none'`, `'median'` or `'asha'`. */
export function prunerByName(name: string): Pruner {
  switch (name) {
    case 'none':
      return new NopPruner();
    case 'median':
      return new MedianPruner();
    case 'asha':
      return new SuccessiveHalvingPruner();
    default:
      throw new ValidationError(`Unknown pruner '${name}'.`, {
        field: 'pruner',
        fix: 'use none, median or asha',
      });
  }
}
