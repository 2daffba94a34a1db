/**
 * Samplers propose the parameters of the next trial from the search space and the trials so far:
 *
 * - {@link RandomSampler}: each active parameter independently, uniformly (log-uniformly) —
 *   Optuna's `RandomSampler` transform (integers over [low − ½, high + ½], rounded);
 * - {@link GridSampler}: every combination of grid values (choices; `grid` values, or evenly spaced
 *   points of numeric ranges), in a seeded random order;
 * - {@link TPESampler}: the tree-structured Parzen estimator of Optuna 3.1's `TPESampler`: the
 *   first `nStartupTrials` from a space-filling design, then the candidate that maximises
 *   l(x)/g(x) among `nEiCandidates` drawn from l — l fitted to the best `gamma(n)` trials, g to
 *   the rest (pruned trials ranked by how far they got), older trials down-weighted — with the
 *   parameters modelled jointly (multivariate) by default, and the constant liar for trials still
 *   running. Lathe's defaults differ from Optuna's in four settings (see {@link TPESamplerOptions});
 *   `{ startup: 'random', nStartupTrials: 10, multivariate: false, nEiCandidates: 24 }` is
 *   Optuna 3.1's default sampler.
 *
 * Every sampler is deterministic: trial `number` draws from the stream `Rng(seed).derive(number)`,
 * so a proposal depends only on the seed, the trial number and the trials it is shown — never on
 * timing or threads.
 *
 * @module
 */

import { show, ValidationError } from '../core/errors.ts';
import { Rng } from '../core/rng.ts';
import {
  defaultGamma,
  defaultWeights,
  ParzenEstimator,
  type ParzenParameters,
  roundHalfEven,
} from './parzen.ts';
import { latinHypercube, SobolSequence } from './qmc.ts';
import { SOBOL_MAX_DIM } from './sobol-directions.ts';
import {
  type Choice,
  type Distribution,
  isActive,
  isSingle,
  type Params,
  type SearchSpace,
  samplingOrder,
  toExternal,
  toInternal,
} from './space.ts';
import { type Direction, lastStep, type TrialRecord } from './trial.ts';

/** What a sampler is shown when proposing trial `number`. */
export interface SamplerContext {
  space: SearchSpace;
  /** Parameter names in sampling order (parents before conditional children). */
  order: readonly string[];
  number: number;
  /** The trials known at proposal time (finished, and running ones not including this trial). */
  trials: readonly TrialRecord[];
  direction: Direction;
}

/** A sampler: proposes parameters, or null when it has nothing left to propose (an exhausted grid). */
export interface Sampler {
  readonly name: string;
  sample(ctx: SamplerContext): Params | null;
}

function checkSeed(who: string, seed: unknown): number {
  if (!Number.isSafeInteger(seed) || (seed as number) < 0) {
    throw new ValidationError(`${who}: seed must be a non-negative integer; got ${show(seed)}.`, {
      field: 'seed',
    });
  }
  return seed as number;
}

/** One value of `d` drawn uniformly (log-uniformly) with `rng`, as Optuna's RandomSampler does. */
export function sampleUniform(d: Distribution, rng: Rng): number | Choice {
  if (d.type === 'categorical') return d.choices[rng.int(d.choices.length)];
  if (d.type === 'float' && d.step === null && !d.log && d.low === d.high) return d.low;
  return fromUnit(d, rng.random());
}

/**
 * The value of `d` at `u` ∈ [0, 1): the inverse of its (log-)uniform distribution function —
 * Optuna's transform (integers and stepped floats over [low − ½ step, high + ½ step], then rounded
 * half to even and clipped; log ranges in log space), categorical choice ⌊u·k⌋. With a uniform
 * `u` it is {@link sampleUniform}'s distribution; with the coordinates of a space-filling design,
 * the design mapped into the space.
 */
export function fromUnit(d: Distribution, u: number): number | Choice {
  const at = (lo: number, hi: number): number => lo + (hi - lo) * u;
  if (d.type === 'categorical')
    return d.choices[Math.min(Math.floor(u * d.choices.length), d.choices.length - 1)];
  if (d.type === 'float') {
    if (d.log) return Math.min(Math.max(Math.exp(at(Math.log(d.low), Math.log(d.high))), d.low), d.high);
    if (d.step !== null) {
      const v = at(d.low - 0.5 * d.step, d.high + 0.5 * d.step);
      return Math.min(Math.max(roundHalfEven((v - d.low) / d.step) * d.step + d.low, d.low), d.high);
    }
    return d.low === d.high ? d.low : at(d.low, d.high);
  }
  if (d.log) {
    const v = Math.exp(at(Math.log(d.low - 0.5), Math.log(d.high + 0.5)));
    return Math.min(Math.max(roundHalfEven(v), d.low), d.high);
  }
  const v = at(d.low - 0.5 * d.step, d.high + 0.5 * d.step);
  return Math.min(Math.max(roundHalfEven((v - d.low) / d.step) * d.step + d.low, d.low), d.high);
}

/** Options of {@link RandomSampler}. */
export interface RandomSamplerOptions {
  /** Seed (default 0). */
  seed?: number;
}

/** Independent uniform sampling. */
export class RandomSampler implements Sampler {
  readonly name = 'random';
  private readonly rng: Rng;

  constructor(options: RandomSamplerOptions = {}) {
    this.rng = new Rng(checkSeed('RandomSampler', options.seed ?? 0));
  }

  sample(ctx: SamplerContext): Params {
    const rng = this.rng.derive(ctx.number);
    const out: Params = {};
    for (const name of ctx.order) {
      const d = ctx.space[name];
      if (isActive(d, out)) out[name] = sampleUniform(d, rng);
    }
    return out;
  }
}

/** Options of {@link GridSampler}. */
export interface GridSamplerOptions {
  /** Seed of the visiting order (default 0). */
  seed?: number;
  /** Points per numeric range without an explicit `grid` (default 5; log-spaced for log ranges). */
  gridPoints?: number;
  /** Visit the grid in a seeded random order (default true), or in lexicographic order. */
  shuffle?: boolean;
  /** Refuse grids larger than this (default 1 000 000 combinations). */
  maxSize?: number;
}

/** The grid values of one distribution. */
export function gridValues(d: Distribution, points = 5): (number | Choice)[] {
  if (d.type === 'categorical') return [...d.choices];
  if (d.grid) return [...d.grid];
  if (d.low === d.high) return [d.low];
  if (d.type === 'int') {
    const count = Math.floor((d.high - d.low) / d.step) + 1;
    if (count <= points) return Array.from({ length: count }, (_, i) => d.low + i * d.step);
  }
  const vals: number[] = [];
  for (let i = 0; i < points; i++) {
    const t = points === 1 ? 0 : i / (points - 1);
    let v = d.log
      ? Math.exp(Math.log(d.low) + t * (Math.log(d.high) - Math.log(d.low)))
      : d.low + t * (d.high - d.low);
    if (i === points - 1) v = d.high;
    if (i === 0) v = d.low;
    if (d.type === 'int')
      v = Math.min(Math.max(d.low + Math.round((v - d.low) / d.step) * d.step, d.low), d.high);
    else if (d.step !== null)
      v = Math.min(Math.max(d.low + Math.round((v - d.low) / d.step) * d.step, d.low), d.high);
    if (!vals.includes(v)) vals.push(v);
  }
  return vals;
}

/** Every combination of grid values (conditional parameters only where active). */
export function enumerateGrid(
  space: SearchSpace,
  order: readonly string[],
  points: number,
  maxSize: number,
): Params[] {
  const out: Params[] = [];
  const values = Object.fromEntries(order.map((n) => [n, gridValues(space[n], points)]));
  const walk = (i: number, acc: Params): void => {
    if (out.length > maxSize) {
      throw new ValidationError(`GridSampler: the grid has more than ${maxSize} combinations.`, {
        field: 'space',
        fix: 'give shorter grids (grid: [...] per parameter, or fewer gridPoints), or use the random or tpe sampler',
      });
    }
    if (i === order.length) {
      out.push({ ...acc });
      return;
    }
    const name = order[i];
    if (!isActive(space[name], acc)) {
      walk(i + 1, acc);
      return;
    }
    for (const v of values[name]) {
      acc[name] = v;
      walk(i + 1, acc);
    }
    delete acc[name];
  };
  walk(0, {});
  return out;
}

/** Exhaustive search over a grid. */
export class GridSampler implements Sampler {
  readonly name = 'grid';
  private readonly seed: number;
  private readonly points: number;
  private readonly shuffle: boolean;
  private readonly maxSize: number;
  private cache: { space: SearchSpace; grid: Params[]; order: Int32Array } | null = null;

  constructor(options: GridSamplerOptions = {}) {
    this.seed = checkSeed('GridSampler', options.seed ?? 0);
    this.points = options.gridPoints ?? 5;
    if (!Number.isInteger(this.points) || this.points < 1) {
      throw new ValidationError(`GridSampler: gridPoints must be an integer ≥ 1; got ${show(this.points)}.`, {
        field: 'gridPoints',
      });
    }
    this.shuffle = options.shuffle ?? true;
    this.maxSize = options.maxSize ?? 1_000_000;
  }

  /** The number of grid points of `space`. */
  size(space: SearchSpace): number {
    return this.grid(space, samplingOrder(space)).grid.length;
  }

  private grid(space: SearchSpace, order: readonly string[]): { grid: Params[]; order: Int32Array } {
    if (this.cache?.space !== space) {
      const grid = enumerateGrid(space, order, this.points, this.maxSize);
      const perm = this.shuffle
        ? new Rng(this.seed).permutation(grid.length)
        : Int32Array.from({ length: grid.length }, (_, i) => i);
      this.cache = { space, grid, order: perm };
    }
    return this.cache;
  }

  sample(ctx: SamplerContext): Params | null {
    const { grid, order } = this.grid(ctx.space, ctx.order);
    return ctx.number < grid.length ? { ...grid[order[ctx.number]] } : null;
  }
}

/**
 * Options of {@link TPESampler}. The defaults are Optuna 3.1's except four — `startup: 'sobol'`,
 * `nStartupTrials: 5`, `multivariate: true`, `nEiCandidates: 96` (Optuna: `'random'`, 10, false,
 * 24) — which together reach better values sooner on the benchmarks of bench/tpe.ts (docs/tuning.md
 * has the figures).
 */
export interface TPESamplerOptions {
  /**
   * Start-up trials (drawn from the `startup` design) before the model takes over (default 5;
   * Optuna's 10). Counted as Optuna does: finished (complete or pruned) trials.
   */
  nStartupTrials?: number;
  /**
   * Candidates drawn from l(x) per proposal (default 96; Optuna's 24). A joint (multivariate)
   * proposal picks among points of the whole space, where 24 are thin.
   */
  nEiCandidates?: number;
  /** How many of n trials are "good" (default `min(ceil(0.1 n), 25)`). */
  gamma?: (n: number) => number;
  /** Weights of n observations, oldest first (default: 1 for the latest 25, a ramp before). */
  weights?: (n: number) => Float64Array;
  /** Add a prior component (default true) with this weight (default 1). */
  considerPrior?: boolean;
  priorWeight?: number;
  /** Lower-bound the bandwidths (default true). */
  considerMagicClip?: boolean;
  /** Let the range ends widen the outermost kernels (default false). */
  considerEndpoints?: boolean;
  /**
   * Model the parameters jointly (default true; Optuna's default is false, one at a time): one
   * kernel per observation over every parameter the finished trials share, so interactions (a
   * learning rate that suits a number of iterations) are learnt. Parameters outside that shared
   * set (conditional ones) are still modelled one at a time.
   */
  multivariate?: boolean;
  /** Count running trials as bad ones, so parallel proposals spread out (default false). */
  constantLiar?: boolean;
  /**
   * Score candidates with normalised kernel densities (each truncated normal with its 1/σ factor,
   * as Optuna 2.x and ≥ 3.2). Default false: Optuna 3.1.0's form, which leaves the factor out and
   * so weighs wide kernels (the prior, isolated observations) more — it found better values on
   * the benchmarks of bench/tpe.ts (see docs/tuning.md).
   */
  normalizedKernels?: boolean;
  /**
   * How the first `nStartupTrials` trials are drawn (default `'sobol'`):
   * - `'sobol'`: trial k takes point k of a scrambled Sobol' sequence over the unit cube, one
   *   dimension per parameter (in sampling order), mapped into each distribution by
   *   {@link fromUnit} — a space-filling design, seeded by `seed`;
   * - `'lhs'`: a Latin hypercube of `nStartupTrials` points (trials past it, e.g. after failures,
   *   are random);
   * - `'random'`: independent uniform draws (Optuna's start-up: trial k's draws are
   *   `RandomSampler`'s for the same seed).
   */
  startup?: StartupDesign;
  /** Seed (default 0). */
  seed?: number;
}

/** How {@link TPESampler} draws its start-up trials. */
export type StartupDesign = 'sobol' | 'lhs' | 'random';

const STARTUP_DESIGNS: readonly StartupDesign[] = ['sobol', 'lhs', 'random'];

/** A trial's rank key: (step key, signed value), lower is better (Optuna's observation pairs). */
type ScoreKey = [number, number];

/** Tree-structured Parzen estimator (Optuna 3.1's `TPESampler`, with the defaults of {@link TPESamplerOptions}). */
export class TPESampler implements Sampler {
  readonly name = 'tpe';
  readonly nStartupTrials: number;
  readonly nEiCandidates: number;
  readonly multivariate: boolean;
  readonly constantLiar: boolean;
  readonly startup: StartupDesign;
  private readonly gamma: (n: number) => number;
  private readonly parzen: ParzenParameters;
  private readonly rng: Rng;
  /** The start-up design for a number of dimensions (built on first use). */
  private design: { dim: number; point: (k: number) => ArrayLike<number> | null } | null = null;

  constructor(options: TPESamplerOptions = {}) {
    const int = (name: string, v: unknown, min: number): number => {
      if (!Number.isInteger(v) || (v as number) < min) {
        throw new ValidationError(`TPESampler: ${name} must be an integer ≥ ${min}; got ${show(v)}.`, {
          field: name,
        });
      }
      return v as number;
    };
    this.nStartupTrials = int('nStartupTrials', options.nStartupTrials ?? 5, 0);
    this.nEiCandidates = int('nEiCandidates', options.nEiCandidates ?? 96, 1);
    const bool = (name: string, v: unknown, def: boolean): boolean => {
      if (v === undefined) return def;
      if (typeof v !== 'boolean') {
        throw new ValidationError(`TPESampler: ${name} must be true or false; got ${show(v)}.`, {
          field: name,
        });
      }
      return v;
    };
    this.multivariate = bool('multivariate', options.multivariate, true);
    this.constantLiar = bool('constantLiar', options.constantLiar, false);
    this.gamma = options.gamma ?? defaultGamma;
    const priorWeight = options.priorWeight ?? 1;
    if (!(priorWeight > 0)) {
      throw new ValidationError(`TPESampler: priorWeight must be > 0; got ${show(priorWeight)}.`, {
        field: 'priorWeight',
      });
    }
    this.parzen = {
      considerPrior: options.considerPrior ?? true,
      priorWeight,
      considerMagicClip: options.considerMagicClip ?? true,
      considerEndpoints: options.considerEndpoints ?? false,
      weights: options.weights ?? defaultWeights,
      multivariate: this.multivariate,
      normalizedKernels: options.normalizedKernels ?? false,
    };
    const startup = options.startup ?? 'sobol';
    if (!STARTUP_DESIGNS.includes(startup)) {
      throw new ValidationError(
        `TPESampler: startup must be one of ${STARTUP_DESIGNS.join(', ')}; got ${show(startup)}.`,
        { field: 'startup', fix: "use 'sobol' (the default), 'lhs' or 'random'" },
      );
    }
    this.startup = startup;
    this.rng = new Rng(checkSeed('TPESampler', options.seed ?? 0));
  }

  sample(ctx: SamplerContext): Params {
    const rng = this.rng.derive(ctx.number);
    const { scores, trials, n } = this.observations(ctx);
    if (n < this.nStartupTrials && this.startup !== 'random') return this.sampleStartup(ctx, rng);
    const out: Params = {};
    let relative: Params = {};
    if (this.multivariate && n >= this.nStartupTrials)
      relative = this.sampleRelative(ctx, trials, scores, n, rng);
    for (const name of ctx.order) {
      const d = ctx.space[name];
      if (!isActive(d, out)) continue;
      if (Object.hasOwn(relative, name)) {
        out[name] = relative[name];
        continue;
      }
      out[name] = this.sampleIndependent(name, d, trials, scores, n, rng);
    }
    return out;
  }

  /**
   * A start-up trial from the space-filling design: trial `number`'s point, coordinate j for the
   * j-th parameter of the sampling order (inactive parameters leave theirs unused). Coordinates the
   * design lacks (trials past a Latin hypercube, dimensions past the Sobol' table) are uniform.
   */
  private sampleStartup(ctx: SamplerContext, rng: Rng): Params {
    const dim = ctx.order.length;
    let point: ArrayLike<number> | null = null;
    if (this.startup === 'sobol') {
      if (this.design?.dim !== dim) {
        const seq = new SobolSequence(Math.min(dim, SOBOL_MAX_DIM), { rng: this.rng.derive('sobol') });
        this.design = { dim, point: (k) => seq.point(k) };
      }
      point = this.design.point(ctx.number);
    } else {
      if (this.design?.dim !== dim) {
        const lhs = latinHypercube(Math.max(this.nStartupTrials, 1), dim, this.rng.derive('lhs'));
        this.design = {
          dim,
          point: (k) => (k < this.nStartupTrials ? lhs.subarray(k * dim, (k + 1) * dim) : null),
        };
      }
      point = this.design.point(ctx.number);
    }
    const out: Params = {};
    ctx.order.forEach((name, j) => {
      const d = ctx.space[name];
      if (!isActive(d, out)) return;
      out[name] = point && j < point.length ? fromUnit(d, point[j]) : sampleUniform(d, rng);
    });
    return out;
  }

  /** Trials usable as observations (complete, pruned, and running with the constant liar) and their rank keys. */
  private observations(ctx: SamplerContext): { trials: TrialRecord[]; scores: ScoreKey[]; n: number } {
    const sign = ctx.direction === 'minimize' ? 1 : -1;
    const trials: TrialRecord[] = [];
    const scores: ScoreKey[] = [];
    let n = 0;
    for (const t of ctx.trials) {
      if (t.state === 'complete') {
        if (t.value === null) continue;
        scores.push([Number.NEGATIVE_INFINITY, sign * t.value]);
        n++;
      } else if (t.state === 'pruned') {
        const step = lastStep(t);
        if (step === null) scores.push([1, 0]);
        else {
          const v = t.intermediate.get(step)!;
          scores.push([-step, Number.isNaN(v) ? Number.POSITIVE_INFINITY : sign * v]);
        }
        n++;
      } else if (t.state === 'running' && this.constantLiar) {
        scores.push([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
      } else continue;
      trials.push(t);
    }
    return { trials, scores, n };
  }

  private parzenFor(
    names: readonly string[],
    ctx: { space: SearchSpace },
    trials: readonly TrialRecord[],
    idx: Int32Array,
  ): ParzenEstimator {
    const obs: Record<string, Float64Array> = {};
    const space: Record<string, Distribution> = {};
    for (const name of names) {
      const d = ctx.space[name];
      space[name] = d;
      obs[name] = Float64Array.from(idx, (i) => toInternal(d, trials[i].params[name]));
    }
    return new ParzenEstimator(obs, space, this.parzen);
  }

  private sampleIndependent(
    name: string,
    d: Distribution,
    trials: readonly TrialRecord[],
    scores: readonly ScoreKey[],
    n: number,
    rng: Rng,
  ): number | Choice {
    if (n < this.nStartupTrials || isSingle(d)) return sampleUniform(d, rng);
    const { below, above } = splitObservations(scores, this.gamma(n));
    const has = (i: number) => Object.hasOwn(trials[i].params, name);
    const b = below.filter(has);
    const a = above.filter(has);
    const space = { space: { [name]: d } };
    const lower = this.parzenFor([name], space, trials, b);
    const upper = this.parzenFor([name], space, trials, a);
    const candidates = lower.sample(rng, this.nEiCandidates);
    return toExternal(d, candidates[name][best(lower.logPdf(candidates), upper.logPdf(candidates))]);
  }

  /** Multivariate TPE over the parameters every usable trial has (Optuna's intersection space). */
  private sampleRelative(
    ctx: SamplerContext,
    trials: readonly TrialRecord[],
    scores: readonly ScoreKey[],
    n: number,
    rng: Rng,
  ): Params {
    const finished = trials.filter((t) => t.state !== 'running');
    const names = ctx.order.filter(
      (nm) =>
        !isSingle(ctx.space[nm]) && finished.length > 0 && finished.every((t) => Object.hasOwn(t.params, nm)),
    );
    if (names.length === 0) return {};
    const { below, above } = splitObservations(scores, this.gamma(n));
    const has = (i: number) => Object.hasOwn(trials[i].params, names[0]);
    const lower = this.parzenFor(names, ctx, trials, below.filter(has));
    const upper = this.parzenFor(names, ctx, trials, above.filter(has));
    const candidates = lower.sample(rng, this.nEiCandidates);
    const k = best(lower.logPdf(candidates), upper.logPdf(candidates));
    return Object.fromEntries(names.map((nm) => [nm, toExternal(ctx.space[nm], candidates[nm][k])]));
  }
}

function best(logL: Float64Array, logG: Float64Array): number {
  let k = 0;
  let top = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logL.length; i++) {
    const s = logL[i] - logG[i];
    if (s > top || (i === 0 && Number.isNaN(top))) {
      top = s;
      k = i;
    }
  }
  return k;
}

/**
 * Optuna's `_split_observation_pairs` (one objective): the `nBelow` best by (step key, value),
 * stably, then both groups in chronological order.
 */
export function splitObservations(
  scores: readonly (readonly [number, number])[],
  nBelow: number,
): { below: Int32Array; above: Int32Array } {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  const cmp = (x: number, y: number): number => (x < y ? -1 : x > y ? 1 : 0);
  idx.sort((i, j) => cmp(scores[i][0], scores[j][0]) || cmp(scores[i][1], scores[j][1]) || i - j);
  const below = Int32Array.from(idx.slice(0, nBelow)).sort();
  const above = Int32Array.from(idx.slice(nBelow)).sort();
  return { below, above };
}

/** A sampler by name: `'grid'`, `'random'` or `'tpe'`. */
export function samplerByName(name: string, seed = 0): Sampler {
  switch (name) {
    case 'grid':
      return new GridSampler({ seed });
    case 'random':
      return new RandomSampler({ seed });
    case 'tpe':
      return new TPESampler({ seed });
    default:
      throw new ValidationError(`Unknown sampler '${name}'.`, {
        field: 'sampler',
        fix: 'use grid, random or tpe',
      });
  }
}
