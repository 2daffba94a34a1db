/**
 * A study: the trials of one optimisation and the sampler and pruner that drive it — Optuna's
 * `Study` with its ask/tell interface, plus {@link Study.optimize} for an objective function that
 * runs on the calling thread. (For estimators, `searchCV` runs the trials' folds on worker
 * threads on top of the same ask/tell.)
 *
 * ```ts
 * const study = new Study({ direction: 'minimize', sampler: new TPESampler({ seed: 1 }) });
 * await study.optimize((trial) => (trial.params.x as number - 2) ** 2, {
 *   space: { x: floatDistribution(-10, 10) },
 *   nTrials: 50,
 * });
 * study.bestTrial?.params; // ≈ { x: 2 }
 * ```
 *
 * @module
 */

import { show, ValidationError } from '../core/errors.ts';
import { NopPruner, type Pruner } from './pruners.ts';
import { type Sampler, TPESampler } from './samplers.ts';
import { checkParams, type Params, type SearchSpace, samplingOrder } from './space.ts';
import { type Direction, newTrial, type TrialRecord } from './trial.ts';

/** Options of {@link Study}. */
export interface StudyOptions {
  /** Default `'maximize'` (scores are greater-is-better). */
  direction?: Direction;
  /** Default: TPE with seed 0. */
  sampler?: Sampler;
  /** Default: never prune. */
  pruner?: Pruner;
}

/** Thrown by an objective to end its trial as pruned. */
export class TrialPruned extends Error {
  constructor(message = 'trial pruned') {
    super(message);
    this.name = 'TrialPruned';
  }
}

/** The handle an objective function gets. */
export interface Trial {
  readonly number: number;
  readonly params: Params;
  /** Records the intermediate value at `step` (an integer ≥ 0). */
  report(value: number, step: number): void;
  /** Asks the pruner whether to stop now (throw {@link TrialPruned} if so). */
  shouldPrune(): boolean;
}

/** Options of {@link Study.optimize}. */
export interface OptimizeOptions {
  space: SearchSpace;
  /** Trials to run (including failed and pruned ones). */
  nTrials?: number;
  /** Wall-time budget in seconds (checked before each trial). */
  timeout?: number;
  /**
   * Keep going when the objective throws (default true: the trial is recorded as failed and the
   * study goes on); false records the failure, then rethrows.
   */
  catchErrors?: boolean;
  /** Called after each trial ends. */
  onTrial?: (trial: TrialRecord) => void;
}

/** A study. */
export class Study {
  readonly direction: Direction;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  /** Every trial, by number. */
  readonly trials: TrialRecord[] = [];
  private readonly queue: Params[] = [];
  private lastSpace: SearchSpace | null = null;
  private order: string[] = [];

  constructor(options: StudyOptions = {}) {
    const dir = options.direction ?? 'maximize';
    if (dir !== 'maximize' && dir !== 'minimize') {
      throw new ValidationError(`Study: direction must be 'maximize' or 'minimize'; got ${show(dir)}.`, {
        field: 'direction',
      });
    }
    this.direction = dir;
    this.sampler = options.sampler ?? new TPESampler();
    this.pruner = options.pruner ?? new NopPruner();
  }

  /** Queues parameters to be evaluated before the sampler proposes any (e.g. the defaults). */
  enqueueTrial(params: Params): void {
    this.queue.push({ ...params });
  }

  /**
   * Starts a trial: the next queued parameters, else the sampler's proposal given every trial so
   * far (running ones included). Returns null when the sampler has nothing left (a finished grid).
   */
  ask(space: SearchSpace): TrialRecord | null {
    if (space !== this.lastSpace) {
      this.order = samplingOrder(space);
      this.lastSpace = space;
    }
    const number = this.trials.length;
    let params: Params | null;
    if (this.queue.length) {
      params = this.queue.shift()!;
      checkParams(space, params, `enqueued trial ${number}`);
    } else {
      params = this.sampler.sample({
        space,
        order: this.order,
        number,
        trials: this.trials,
        direction: this.direction,
      });
    }
    if (params === null) return null;
    const t = newTrial(number, params);
    this.trials.push(t);
    return t;
  }

  /** Records an intermediate value. */
  report(trial: TrialRecord, value: number, step: number): void {
    if (!Number.isInteger(step) || step < 0) {
      throw new ValidationError(`report: step must be an integer ≥ 0; got ${show(step)}.`, { field: 'step' });
    }
    if (trial.state !== 'running') {
      throw new ValidationError(`report: trial ${trial.number} is ${trial.state}, not running.`, {
        field: 'trial',
      });
    }
    if (!trial.intermediate.has(step)) trial.intermediate.set(step, value);
  }

  /** Whether the pruner would stop `trial` now. */
  shouldPrune(trial: TrialRecord): boolean {
    return this.pruner.prune(trial, { trials: this.trials, direction: this.direction });
  }

  /** Ends a trial: complete with a value (NaN or ±∞ fail it), pruned, or failed with an error. */
  tell(
    trial: TrialRecord,
    outcome: { value: number } | { state: 'pruned' } | { state: 'failed'; error: string },
  ): void {
    if (trial.state !== 'running') {
      throw new ValidationError(`tell: trial ${trial.number} already ended (${trial.state}).`, {
        field: 'trial',
      });
    }
    if ('value' in outcome) {
      if (Number.isFinite(outcome.value)) {
        trial.state = 'complete';
        trial.value = outcome.value;
      } else {
        trial.state = 'failed';
        trial.error = `the objective returned ${outcome.value}`;
      }
    } else if (outcome.state === 'pruned') trial.state = 'pruned';
    else {
      trial.state = 'failed';
      trial.error = outcome.error;
    }
  }

  /** The best complete trial (the lowest number among equals), or null. */
  get bestTrial(): TrialRecord | null {
    let best: TrialRecord | null = null;
    for (const t of this.trials) {
      if (t.state !== 'complete' || t.value === null) continue;
      if (!best || (this.direction === 'maximize' ? t.value > best.value! : t.value < best.value!)) best = t;
    }
    return best;
  }

  /**
   * Runs `objective` for up to `nTrials` trials (or until `timeout` seconds have passed, checked
   * before each trial after the first, so at least one trial runs — as Optuna), one after another
   * on the calling thread. An objective that throws {@link TrialPruned} ends its trial as
   * pruned; any other error fails the trial (and is rethrown with `catchErrors: false`).
   */
  async optimize(
    objective: (trial: Trial) => number | Promise<number>,
    options: OptimizeOptions,
  ): Promise<void> {
    const { nTrials, timeout } = options;
    if (nTrials === undefined && timeout === undefined) {
      throw new ValidationError('optimize: give nTrials or timeout (or both).', { field: 'nTrials' });
    }
    if (nTrials !== undefined && (!Number.isInteger(nTrials) || nTrials < 1)) {
      throw new ValidationError(`optimize: nTrials must be an integer ≥ 1; got ${show(nTrials)}.`, {
        field: 'nTrials',
      });
    }
    if (timeout !== undefined && !(timeout > 0)) {
      throw new ValidationError(
        `optimize: timeout must be a positive number of seconds; got ${show(timeout)}.`,
        {
          field: 'timeout',
        },
      );
    }
    const start = performance.now();
    for (let i = 0; nTrials === undefined || i < nTrials; i++) {
      if (timeout !== undefined && i > 0 && (performance.now() - start) / 1000 >= timeout) break;
      const t = this.ask(options.space);
      if (!t) break;
      const handle: Trial = {
        number: t.number,
        params: t.params,
        report: (value, step) => this.report(t, value, step),
        shouldPrune: () => this.shouldPrune(t),
      };
      try {
        const v = await objective(handle);
        this.tell(t, { value: v });
      } catch (e) {
        if (e instanceof TrialPruned) this.tell(t, { state: 'pruned' });
        else if (options.catchErrors === false) {
          this.tell(t, { state: 'failed', error: (e as Error)?.message ?? String(e) });
          throw e;
        } else this.tell(t, { state: 'failed', error: (e as Error)?.message ?? String(e) });
      }
      options.onTrial?.(t);
    }
  }
}
