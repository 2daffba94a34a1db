/**
 * Trials as samplers and pruners see them: parameters, state, final value, the intermediate values
 * reported at each step, and the bookkeeping a pruner keeps on them (Optuna's `FrozenTrial` and
 * system attributes).
 *
 * @module
 */

import type { Params } from './space.ts';

/** Where a trial is in its life. */
export type TrialState = 'running' | 'complete' | 'pruned' | 'failed';

/** Which way the objective goes. */
export type Direction = 'maximize' | 'minimize';

/** A trial. */
export interface TrialRecord {
  /** 0, 1, 2, … in the order trials were proposed. */
  readonly number: number;
  /** Active parameters (external values). */
  readonly params: Params;
  state: TrialState;
  /** The objective value (complete trials), else null. */
  value: number | null;
  /** Intermediate values by step (fold count, boosting budget, …). */
  readonly intermediate: Map<number, number>;
  /** Pruner bookkeeping (e.g. successive halving's `completed_rung_0`). */
  readonly attrs: Record<string, number>;
  /** Why a failed trial failed. */
  error: string | null;
}

/** A fresh running trial. */
export function newTrial(number: number, params: Params): TrialRecord {
  return { number, params, state: 'running', value: null, intermediate: new Map(), attrs: {}, error: null };
}

/** The last step a trial reported, or null. */
export function lastStep(t: TrialRecord): number | null {
  let last: number | null = null;
  for (const s of t.intermediate.keys()) if (last === null || s > last) last = s;
  return last;
}
