/**
 * Declared parameter tables. Every estimator states its parameters once, as a schema built from the
 * combinators below; `validateParams` checks a parameter object against it and throws a
 * {@link ValidationError} that names the estimator, the parameter, the expected range and the value
 * that came (scikit-learn's `_parameter_constraints`, as data rather than scattered `if`s).
 *
 * ```ts
 * const schema = {
 *   maxIter: p.int({ min: 1, default: 100, doc: 'maximum iterations' }),
 *   penalty: p.oneOf(['l2', 'l1', 'elasticnet', 'none'] as const, { default: 'l2' }),
 *   maxFeatures: p.union([p.oneOf(['sqrt', 'log2'] as const), p.int({ min: 1 }), p.float({ gt: 0, max: 1 })], { default: 'sqrt' }),
 * };
 * type Params = ParamsOf<typeof schema>;
 * ```
 *
 * @module
 */

import { show, ValidationError } from './errors.ts';

/** One parameter's declaration: how to check a value, how to describe it, and its default. */
export interface ParamSpec<T> {
  /** Returns true when `value` is acceptable. */
  check(value: unknown): value is T;
  /** What is expected, in words, for error messages and `--help` ("an integer ≥ 1"). */
  readonly expected: string;
  /** The default value (used when the parameter is not given). */
  readonly default: T;
  /** One line of documentation. */
  readonly doc?: string;
  /** Why the limit is what it is, said once in the error message (not repeated in its fix). */
  readonly why?: string;
}

/** A table of parameter specs, keyed by parameter name. */
export type ParamSchema = Record<string, ParamSpec<unknown>>;

/** The parameter object type described by a schema. */
export type ParamsOf<S extends ParamSchema> = { [K in keyof S]: S[K] extends ParamSpec<infer T> ? T : never };

interface Common<T> {
  default: T;
  doc?: string;
}

interface NumberBounds {
  /** Inclusive lower bound. */
  min?: number;
  /** Inclusive upper bound. */
  max?: number;
  /** Exclusive lower bound. */
  gt?: number;
  /** Exclusive upper bound. */
  lt?: number;
}

function boundsText(b: NumberBounds): string {
  const parts: string[] = [];
  if (b.min !== undefined) parts.push(`≥ ${b.min}`);
  if (b.gt !== undefined) parts.push(`> ${b.gt}`);
  if (b.max !== undefined) parts.push(`≤ ${b.max}`);
  if (b.lt !== undefined) parts.push(`< ${b.lt}`);
  return parts.join(' and ');
}

function inBounds(x: number, b: NumberBounds): boolean {
  return (
    (b.min === undefined || x >= b.min) &&
    (b.max === undefined || x <= b.max) &&
    (b.gt === undefined || x > b.gt) &&
    (b.lt === undefined || x < b.lt)
  );
}

function spec<T>(expected: string, check: (v: unknown) => boolean, o: Partial<Common<T>>): ParamSpec<T> {
  return { expected, check: check as (v: unknown) => v is T, default: o.default as T, doc: o.doc };
}

/** Combinators for declaring parameters. */
export const p = {
  /** An integer, optionally bounded. */
  int(o: NumberBounds & Partial<Common<number>> = {}): ParamSpec<number> {
    const b = boundsText(o);
    return spec(`an integer${b ? ` ${b}` : ''}`, (v) => Number.isInteger(v) && inBounds(v as number, o), o);
  },
  /** A finite number, optionally bounded. */
  float(o: NumberBounds & Partial<Common<number>> = {}): ParamSpec<number> {
    const b = boundsText(o);
    return spec(
      `a number${b ? ` ${b}` : ''}`,
      (v) => typeof v === 'number' && Number.isFinite(v) && inBounds(v, o),
      o,
    );
  },
  /** true or false. */
  bool(o: Partial<Common<boolean>> = {}): ParamSpec<boolean> {
    return spec('true or false', (v) => typeof v === 'boolean', o);
  },
  /** Any string. */
  string(o: Partial<Common<string>> = {}): ParamSpec<string> {
    return spec('a string', (v) => typeof v === 'string', o);
  },
  /** One of a fixed set of literal values. */
  oneOf<const V extends readonly (string | number | boolean)[]>(
    values: V,
    o: Partial<Common<V[number]>> = {},
  ): ParamSpec<V[number]> {
    return spec(
      `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
      (v) => values.includes(v as never),
      o,
    );
  },
  /** `null` or a value accepted by `inner`. */
  nullable<T>(inner: ParamSpec<T>, o: Partial<Common<T | null>> = {}): ParamSpec<T | null> {
    return spec(`${inner.expected}, or null`, (v) => v === null || inner.check(v), {
      default: 'default' in o ? o.default : null,
      doc: o.doc,
    });
  },
  /** A value accepted by any of the alternatives. */
  union<T extends readonly ParamSpec<unknown>[]>(
    alternatives: T,
    o: Partial<Common<T[number] extends ParamSpec<infer U> ? U : never>> = {},
  ): ParamSpec<T[number] extends ParamSpec<infer U> ? U : never> {
    return spec(
      alternatives.map((a) => a.expected).join(', or '),
      (v) => alternatives.some((a) => a.check(v)),
      o as Partial<Common<T[number] extends ParamSpec<infer U> ? U : never>>,
    );
  },
  /** An array whose every element `inner` accepts (optionally of bounded length). */
  array<T>(inner: ParamSpec<T>, o: Partial<Common<T[]>> & { minLength?: number } = {}): ParamSpec<T[]> {
    return spec(
      `an array of ${inner.expected}${o.minLength ? ` (at least ${o.minLength})` : ''}`,
      (v) => Array.isArray(v) && v.length >= (o.minLength ?? 0) && v.every((x) => inner.check(x)),
      o,
    );
  },
  /** A plain object mapping string keys to values `inner` accepts (e.g. class weights). */
  record<T>(inner: ParamSpec<T>, o: Partial<Common<Record<string, T>>> = {}): ParamSpec<Record<string, T>> {
    return spec(
      `an object whose values are ${inner.expected}`,
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        !Array.isArray(v) &&
        Object.values(v).every((x) => inner.check(x)),
      o,
    );
  },
  /** Anything that is not undefined (for values that have their own checks, such as nested estimators). */
  any<T = unknown>(o: Partial<Common<T>> & { expected?: string } = {}): ParamSpec<T> {
    return spec(o.expected ?? 'any value', (v) => v !== undefined, o);
  },
};

/** The defaults of every parameter in `schema`, as a fresh object (arrays and objects copied). */
export function defaultsOf<S extends ParamSchema>(schema: S): ParamsOf<S> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(schema)) out[k] = copyValue(s.default);
  return out as ParamsOf<S>;
}

/**
 * Merges `given` over the schema's defaults. Unknown names throw a {@link ValidationError}
 * (with a "did you mean" when a known name is close); values are not checked here — see
 * {@link validateParams}, which `fit` calls.
 */
export function mergeParams<S extends ParamSchema>(
  owner: string,
  schema: S,
  given: object = {},
): ParamsOf<S> {
  checkNames(owner, schema, given);
  const out = defaultsOf(schema) as Record<string, unknown>;
  for (const [k, v] of Object.entries(given)) if (v !== undefined) out[k] = v;
  return out as ParamsOf<S>;
}

/** Throws a {@link ValidationError} for the first parameter whose value the schema rejects. */
export function validateParams(owner: string, schema: ParamSchema, params: object): void {
  checkNames(owner, schema, params);
  const values = params as Record<string, unknown>;
  for (const [name, s] of Object.entries(schema)) {
    const value = values[name];
    if (!s.check(value)) {
      const why = s.why ? ` (${s.why})` : '';
      throw new ValidationError(
        `${owner}: parameter '${name}' must be ${s.expected}${why}; got ${show(value)}.`,
        {
          field: name,
          expected: s.expected,
          actual: value,
          fix: `pass ${name} as ${s.expected}${s.default !== undefined ? ` (default ${show(s.default)})` : ''}`,
        },
      );
    }
  }
}

function checkNames(owner: string, schema: ParamSchema, params: object): void {
  for (const name of Object.keys(params)) {
    if (!Object.hasOwn(schema, name)) {
      const known = Object.keys(schema);
      const near = closest(name, known);
      throw new ValidationError(`${owner}: unknown parameter '${name}'.`, {
        field: name,
        fix: near
          ? `did you mean '${near}'? Known parameters: ${known.join(', ')}`
          : `known parameters: ${known.join(', ')}`,
      });
    }
  }
}

/**
 * The known name closest to `name` by edit distance, if it is close enough to be a likely typo. A
 * name that is `name` but for surrounding spaces and case (`' b '` from a header `a, b ,y`) comes
 * first, however many spaces: a one-letter name is otherwise nearer to every other one letter.
 */
export function closest(name: string, known: readonly string[]): string | undefined {
  const bare = name.trim().toLowerCase();
  const same = known.find((k) => k.trim().toLowerCase() === bare);
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  const lower = name.toLowerCase();
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = new Int32Array(b.length + 1);
  const cur = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    prev.set(cur);
  }
  return prev[b.length];
}

function copyValue<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copyValue) as T;
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyValue(x)])) as T;
  }
  return v;
}
