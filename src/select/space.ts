/**
 * Search spaces: named distributions of hyperparameters — integers and floats (uniform or
 * log-uniform, optionally on a step grid) and categorical choices — any of which may be
 * *conditional* on other parameters (`when`: active only when a parent takes one of the listed
 * values, e.g. `l1Ratio` only for `penalty: 'elasticnet'`). Optuna's distributions, as data.
 *
 * Internally (for the samplers) a value is a number: floats and integers as themselves,
 * categorical choices as their index.
 *
 * ```ts
 * const space = {
 *   C: floatDistribution(1e-4, 1e4, { log: true }),
 *   penalty: categoricalDistribution(['l2', 'l1', 'elasticnet']),
 *   l1Ratio: floatDistribution(0, 1, { when: { penalty: ['elasticnet'] } }),
 *   maxIter: intDistribution(50, 500, { log: true }),
 * };
 * ```
 *
 * @module
 */

import { show, ValidationError } from '../core/errors.ts';
import { warn } from '../core/warnings.ts';

/** A categorical choice. */
export type Choice = string | number | boolean | null;

/** Activation condition: every named parent must take one of the listed values. */
export type Condition = Readonly<Record<string, readonly Choice[]>>;

/** A float, uniform on [low, high] (log-uniform with `log`; on the grid low + k·step with `step`). */
export interface FloatDistribution {
  readonly type: 'float';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number | null;
  readonly when?: Condition;
  /** Values for the grid sampler (default: evenly spaced points). */
  readonly grid?: readonly number[];
}

/** An integer in [low, high] (log-uniform with `log`; multiples of `step` from low). */
export interface IntDistribution {
  readonly type: 'int';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number;
  readonly when?: Condition;
  readonly grid?: readonly number[];
}

/** One of a list of choices. */
export interface CategoricalDistribution {
  readonly type: 'categorical';
  readonly choices: readonly Choice[];
  readonly when?: Condition;
}

/** Any distribution. */
export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

/** A search space: parameter name → distribution. */
export type SearchSpace = Readonly<Record<string, Distribution>>;

/** A trial's parameters (active ones only), in external form. */
export type Params = Record<string, number | Choice>;

/** Options of {@link floatDistribution}. */
export interface FloatOptions {
  /** Sample log-uniformly (needs low > 0). */
  log?: boolean;
  /** Only values low + k·step. */
  step?: number | null;
  /** Active only when these parents take these values. */
  when?: Condition;
  /** Explicit values for the grid sampler. */
  grid?: readonly number[];
}

/** Options of {@link intDistribution}. */
export interface IntOptions {
  log?: boolean;
  /** Only values low + k·step (default 1). */
  step?: number;
  when?: Condition;
  grid?: readonly number[];
}

function bad(what: string, message: string, fix?: string): never {
  throw new ValidationError(`${what}: ${message}`, { field: 'space', fix });
}

/** A float distribution (Optuna's `FloatDistribution`). */
export function floatDistribution(low: number, high: number, options: FloatOptions = {}): FloatDistribution {
  const what = `floatDistribution(${low}, ${high})`;
  if (!Number.isFinite(low) || !Number.isFinite(high)) bad(what, 'low and high must be finite numbers.');
  if (low > high) bad(what, `low (${low}) must not exceed high (${high}).`);
  const log = options.log ?? false;
  const step = options.step ?? null;
  if (log && low <= 0)
    bad(what, `a log distribution needs low > 0; got ${low}.`, 'use a positive low, or drop log');
  if (log && step !== null) bad(what, 'step and log cannot be used together.');
  let hi = high;
  if (step !== null) {
    if (!(step > 0) || !Number.isFinite(step))
      bad(what, `step must be a positive number; got ${show(step)}.`);
    const k = Math.floor((high - low) / step + 1e-9);
    hi = low + k * step;
    if (Math.abs(hi - high) > 1e-12 * Math.max(1, Math.abs(high))) {
      warn('UserWarning', `${what}: the range is not divisible by step ${step}; high is set to ${hi}.`);
    } else hi = high;
  }
  return {
    type: 'float',
    low,
    high: hi,
    log,
    step,
    ...(options.when ? { when: options.when } : {}),
    ...(options.grid ? { grid: [...options.grid] } : {}),
  };
}

/** An integer distribution (Optuna's `IntDistribution`). */
export function intDistribution(low: number, high: number, options: IntOptions = {}): IntDistribution {
  const what = `intDistribution(${low}, ${high})`;
  if (!Number.isInteger(low) || !Number.isInteger(high)) bad(what, 'low and high must be integers.');
  if (low > high) bad(what, `low (${low}) must not exceed high (${high}).`);
  const log = options.log ?? false;
  const step = options.step ?? 1;
  if (!Number.isInteger(step) || step < 1) bad(what, `step must be an integer ≥ 1; got ${show(step)}.`);
  if (log && low < 1) bad(what, `a log distribution needs low ≥ 1; got ${low}.`, 'use low ≥ 1, or drop log');
  if (log && step !== 1) bad(what, 'step and log cannot be used together.');
  let hi = high;
  if ((high - low) % step !== 0) {
    hi = low + Math.floor((high - low) / step) * step;
    warn('UserWarning', `${what}: the range is not divisible by step ${step}; high is set to ${hi}.`);
  }
  return {
    type: 'int',
    low,
    high: hi,
    log,
    step,
    ...(options.when ? { when: options.when } : {}),
    ...(options.grid ? { grid: [...options.grid] } : {}),
  };
}

/** A categorical distribution (Optuna's `CategoricalDistribution`). */
export function categoricalDistribution(
  choices: readonly Choice[],
  options: { when?: Condition } = {},
): CategoricalDistribution {
  if (!Array.isArray(choices) || choices.length === 0) {
    bad('categoricalDistribution', 'choices must be a non-empty array.');
  }
  const seen = new Set<string>();
  for (const c of choices) {
    if (c !== null && !['string', 'number', 'boolean'].includes(typeof c)) {
      bad('categoricalDistribution', `choices must be strings, numbers, booleans or null; got ${show(c)}.`);
    }
    const k = `${typeof c}:${String(c)}`;
    if (seen.has(k)) bad('categoricalDistribution', `choice ${show(c)} is listed twice.`);
    seen.add(k);
  }
  return { type: 'categorical', choices: [...choices], ...(options.when ? { when: options.when } : {}) };
}

/** True when the distribution has a single possible value. */
export function isSingle(d: Distribution): boolean {
  if (d.type === 'categorical') return d.choices.length === 1;
  return d.low === d.high;
}

/** The internal (numeric) form of an external value: categorical index, or the number itself. */
export function toInternal(d: Distribution, value: number | Choice): number {
  if (d.type === 'categorical') {
    const i = d.choices.findIndex((c) => c === value || (Number.isNaN(c) && Number.isNaN(value)));
    if (i < 0)
      bad('space', `${show(value)} is not one of the choices ${d.choices.map((c) => show(c)).join(', ')}.`);
    return i;
  }
  return value as number;
}

/** The external form of an internal value. */
export function toExternal(d: Distribution, internal: number): number | Choice {
  if (d.type === 'categorical') return d.choices[Math.round(internal)];
  if (d.type === 'int') return Math.round(internal);
  return internal;
}

/** Whether `value` (external) is a possible value of `d`. */
export function contains(d: Distribution, value: unknown): boolean {
  if (d.type === 'categorical') return d.choices.some((c) => c === value);
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (value < d.low || value > d.high) return false;
  if (d.type === 'int') return Number.isInteger(value) && (value - d.low) % d.step === 0;
  if (d.step !== null) {
    const k = (value - d.low) / d.step;
    return Math.abs(k - Math.round(k)) < 1e-8;
  }
  return true;
}

/**
 * Checks a space and returns its parameter names in sampling order: every parameter after the
 * parents its `when` names (declaration order otherwise). Unknown parents and cycles are errors.
 */
export function samplingOrder(space: SearchSpace): string[] {
  if (typeof space !== 'object' || space === null || Array.isArray(space)) {
    bad('space', `a search space is an object of name → distribution; got ${show(space)}.`);
  }
  const names = Object.keys(space);
  if (names.length === 0) bad('space', 'the search space is empty.', 'give at least one parameter to tune');
  for (const n of names) {
    const d = space[n];
    if (!d || !['float', 'int', 'categorical'].includes((d as Distribution).type)) {
      bad(
        'space',
        `parameter '${n}' is not a distribution (${show(d)}).`,
        'build it with floatDistribution, intDistribution or categoricalDistribution',
      );
    }
    for (const [parent, values] of Object.entries(d.when ?? {})) {
      if (!Object.hasOwn(space, parent)) {
        bad('space', `parameter '${n}' is conditional on '${parent}', which is not in the space.`);
      }
      if (!Array.isArray(values) || values.length === 0) {
        bad('space', `parameter '${n}': the condition on '${parent}' needs a non-empty list of values.`);
      }
      for (const v of values) {
        if (!contains(space[parent], v)) {
          bad(
            'space',
            `parameter '${n}' is conditional on ${parent} = ${show(v)}, which '${parent}' cannot take.`,
          );
        }
      }
    }
  }
  const order: string[] = [];
  const state = new Map<string, 1 | 2>();
  const visit = (n: string, path: string[]): void => {
    const s = state.get(n);
    if (s === 2) return;
    if (s === 1) bad('space', `the conditions form a cycle: ${[...path, n].join(' → ')}.`);
    state.set(n, 1);
    for (const parent of Object.keys(space[n].when ?? {})) visit(parent, [...path, n]);
    state.set(n, 2);
    order.push(n);
  };
  for (const n of names) visit(n, []);
  return order;
}

/** Whether `name` is active given the parameters sampled so far. */
export function isActive(d: Distribution, params: Params): boolean {
  if (!d.when) return true;
  for (const [parent, values] of Object.entries(d.when)) {
    if (!Object.hasOwn(params, parent)) return false;
    if (!values.some((v) => v === params[parent])) return false;
  }
  return true;
}

/**
 * Checks fixed parameter values against a space (for enqueued trials and grids): known names,
 * values the distributions contain, and exactly the active parameters.
 */
export function checkParams(space: SearchSpace, params: Params, what = 'params'): void {
  for (const [k, v] of Object.entries(params)) {
    if (!Object.hasOwn(space, k))
      bad(what, `'${k}' is not in the search space (${Object.keys(space).join(', ')}).`);
    if (!contains(space[k], v)) bad(what, `${k} = ${show(v)} is outside its distribution.`);
  }
  for (const n of samplingOrder(space)) {
    const active = isActive(space[n], params);
    if (active && !Object.hasOwn(params, n)) bad(what, `'${n}' is active but has no value.`);
    if (!active && Object.hasOwn(params, n))
      bad(what, `'${n}' is given but inactive (its condition does not hold).`);
  }
}

/** A short description of a distribution, for reports ("float [0.01, 0.3] log"). */
export function describeDistribution(d: Distribution): string {
  const cond = d.when
    ? ` when ${Object.entries(d.when)
        .map(([k, v]) => `${k} ∈ {${v.map(String).join(', ')}}`)
        .join(' and ')}`
    : '';
  if (d.type === 'categorical') return `one of {${d.choices.map(String).join(', ')}}${cond}`;
  return `${d.type} [${d.low}, ${d.high}]${d.log ? ' log' : ''}${d.step !== null && d.step !== 1 ? ` step ${d.step}` : ''}${cond}`;
}
