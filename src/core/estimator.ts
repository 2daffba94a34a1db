/**
 * The estimator contract (see `DESIGN.md`):
 *
 * - the constructor only stores parameters, merged over the declared defaults;
 *   `getParams()`, `setParams()` (returns `this`) and `clone()` work on them;
 * - `fit(X, y?)` validates the parameters against the class's schema first and returns `this`;
 *   fitted state lives in fields ending in `_` and only `fit` (or `fromJSON`) sets it;
 * - `predict`, `predictProba`, `transform` and `score` check that the estimator is fitted and
 *   that the columns are those it was fitted on;
 * - `toJSON()` / `fromJSON()` carry fitted state as plain data; loading never runs code from a file.
 *
 * Subclasses declare `static readonly schema` and `static readonly typeName`, implement
 * `getState()` / `setState()`, and call `this.startFit(X)` at the top of `fit`.
 *
 * @module
 */

import { NotFittedError, ValidationError } from './errors.ts';
import type { Label, PredictedLabels, TargetInput } from './labels.ts';
import { asMatrix, isMatrix, type Matrix, type MatrixInput } from './matrix.ts';
import { mergeParams, type ParamSchema, validateParams } from './params.ts';
import type { PlainObject, PlainValue } from './plain.ts';

/** What an estimator does; drives the contract suite, the CLI and the model package. */
export type EstimatorKind = 'classifier' | 'regressor' | 'transformer' | 'clusterer';

/** An estimator serialised as plain data. */
export interface EstimatorJSON {
  /** The registered type name, e.g. "LogisticRegression". */
  type: string;
  /** Version of this type's state layout. */
  version: number;
  /** Constructor parameters. */
  params: PlainObject;
  /** Fitted state, or null when not fitted. */
  state: PlainObject | null;
}

/** The static side every estimator class has. */
export interface EstimatorClass<E extends Estimator = Estimator> {
  new (params?: never): E;
  readonly typeName: string;
  readonly schema: ParamSchema;
  /** Bumped when the state layout changes; older states are refused with a clear message. */
  readonly stateVersion?: number;
}

/** The base of every estimator and transformer. */
export abstract class Estimator<P extends object = Record<string, unknown>> {
  /** Names of the columns seen in `fit`, in order. */
  featureNamesIn_: string[] | undefined = undefined;

  protected params: P;

  constructor(params: Partial<P> = {}) {
    this.params = mergeParams(this.typeName, this.schema, params) as P;
  }

  /** What the estimator does. */
  abstract readonly kind: EstimatorKind;

  /** Registered type name (used in messages and in serialised form). */
  get typeName(): string {
    return (this.constructor as unknown as EstimatorClass).typeName ?? this.constructor.name;
  }

  /** The declared parameter table. */
  get schema(): ParamSchema {
    return (this.constructor as unknown as EstimatorClass).schema;
  }

  /** A copy of the parameters. */
  getParams(): P {
    return structuredCloneParams(this.params);
  }

  /** Updates parameters (unknown names throw); returns `this`. Does not refit. */
  setParams(params: Partial<P>): this {
    this.params = mergeParams(this.typeName, this.schema, { ...this.params, ...params }) as P;
    return this;
  }

  /** A new, unfitted estimator with the same parameters. */
  clone(): this {
    const Ctor = this.constructor as new (p: Partial<P>) => this;
    return new Ctor(this.getParams());
  }

  /** True once `fit` (or `fromJSON` with state) has run. */
  isFitted(): boolean {
    return this.featureNamesIn_ !== undefined;
  }

  /** Number of input columns seen in `fit`. */
  get nFeaturesIn_(): number | undefined {
    return this.featureNamesIn_?.length;
  }

  /**
   * Validates parameters and converts X; call at the top of `fit`. Records the column names
   * only at the end of a successful fit (see {@link Estimator.finishFit}).
   */
  protected startFit(X: MatrixInput): Matrix {
    validateParams(this.typeName, this.schema, this.params);
    const m = asMatrix(X);
    // A Table without columns has no rows either (e.g. every column dropped by a SimpleImputer
    // step before this one): the missing columns are the problem to report.
    const columnlessTable = m.cols === 0 && !Array.isArray(X) && !isMatrix(X);
    if (m.rows === 0 && !columnlessTable) {
      throw new ValidationError(`${this.typeName}.fit: X has no rows.`, { fix: 'pass at least one row' });
    }
    if (m.cols === 0) {
      throw new ValidationError(`${this.typeName}.fit: X has no columns.`, {
        fix: 'pass at least one feature',
      });
    }
    return m;
  }

  /** Records the fitted columns; call at the end of `fit`. */
  protected finishFit(X: Matrix): this {
    this.featureNamesIn_ = [...X.columns];
    return this;
  }

  /**
   * Checks the estimator is fitted and `X` has the fitted columns (by count, and by name unless
   * `X` carries only default names x0, x1, …). Returns X as a Matrix.
   */
  protected checkInput(X: MatrixInput, method: string): Matrix {
    if (!this.isFitted()) throw new NotFittedError(this.typeName, method);
    const m = asMatrix(X);
    checkColumns(this.typeName, method, this.featureNamesIn_!, m.columns);
    return m;
  }

  /** Serialises parameters and fitted state as plain data. */
  toJSON(): EstimatorJSON {
    const Ctor = this.constructor as unknown as EstimatorClass;
    return {
      type: this.typeName,
      version: Ctor.stateVersion ?? 1,
      params: paramsToPlain(this.params as Record<string, unknown>),
      state: this.isFitted() ? { featureNamesIn: this.featureNamesIn_!, ...this.getState() } : null,
    };
  }

  /** Fitted state, excluding `featureNamesIn` (the base class adds it). */
  protected abstract getState(): PlainObject;

  /** Restores fitted state produced by {@link Estimator.getState}. */
  protected abstract setState(state: PlainObject): void;

  /** Restores state on a freshly constructed estimator (used by {@link estimatorFromJSON}). */
  restoreState(state: PlainObject): this {
    // A fitted state comes with the parameters it was fitted with: parameters that fail their
    // checks mean a damaged file, which setState must not be left to trip over.
    try {
      validateParams(this.typeName, this.schema, this.params);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      // The message without its "Fix: …" (that tells a caller what to pass, not a file's reader).
      const what = e.fix === undefined ? e.message : e.message.slice(0, e.message.lastIndexOf(' Fix: '));
      throw new ValidationError(
        `${what.replace(/\.$/, '')} (in the saved parameters of this fitted model).`,
        {
          field: e.field,
          expected: e.expected,
          actual: e.actual,
          fix: 'the model file is damaged; re-train and re-save it',
        },
      );
    }
    const names = state.featureNamesIn;
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
      throw new ValidationError(`${this.typeName}: saved state lacks 'featureNamesIn'.`);
    }
    this.setState(state);
    this.featureNamesIn_ = names as string[];
    return this;
  }
}

/** Throws when `actual` columns differ from `expected` — naming the first difference. */
export function checkColumns(
  who: string,
  method: string,
  expected: readonly string[],
  actual: readonly string[],
): void {
  if (actual.length !== expected.length) {
    throw new ValidationError(
      `${who}.${method}: X has ${actual.length} columns, but the model was fitted on ${expected.length} (${preview(expected)})${namedDifference(expected, actual)}.`,
      { fix: 'pass the same columns, in the same order, as in fit' },
    );
  }
  if (isDefaultNames(actual)) return;
  for (let j = 0; j < expected.length; j++) {
    if (actual[j] !== expected[j]) {
      const moved = actual.includes(expected[j]);
      throw new ValidationError(
        `${who}.${method}: column ${j} is '${actual[j]}', expected '${expected[j]}'${moved ? ' (the columns are in a different order)' : ''}.`,
        { fix: `pass the columns fitted on: ${preview(expected)}` },
      );
    }
  }
}

/** `: X lacks 'b'; 'z' was not seen in fit` — by name, unless X's columns are unnamed (x0, x1, …). */
function namedDifference(expected: readonly string[], actual: readonly string[]): string {
  if (isDefaultNames(actual)) return '';
  const have = new Set(actual);
  const known = new Set(expected);
  const quote = (names: string[]) => preview(names.map((n) => `'${n}'`));
  const missing = expected.filter((n) => !have.has(n));
  const extra = actual.filter((n) => !known.has(n));
  const parts: string[] = [];
  if (missing.length) parts.push(`X lacks ${quote(missing)}`);
  if (extra.length) parts.push(`${quote(extra)} ${extra.length === 1 ? 'was' : 'were'} not seen in fit`);
  return parts.length ? `: ${parts.join('; ')}` : '';
}

function isDefaultNames(cols: readonly string[]): boolean {
  for (let j = 0; j < cols.length; j++) if (cols[j] !== `x${j}`) return false;
  return true;
}

function preview(names: readonly string[]): string {
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')}, … (${names.length} in all)`;
}

function structuredCloneParams<P>(p: P): P {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p as Record<string, unknown>)) {
    out[k] = v instanceof Estimator ? v.clone() : Array.isArray(v) ? v.slice() : v;
  }
  return out as P;
}

function paramsToPlain(params: Record<string, unknown>): PlainObject {
  const out: PlainObject = {};
  for (const [k, v] of Object.entries(params)) {
    out[k] = v instanceof Estimator ? (v.toJSON() as unknown as PlainValue) : (v as PlainValue);
  }
  return out;
}

/** A fitted classifier. */
export interface Classifier extends Estimator {
  readonly kind: 'classifier';
  /** The classes seen in fit, sorted. */
  classes_: Label[] | undefined;
  fit(X: MatrixInput, y: TargetInput, options?: FitOptions): this;
  /** The predicted class of each row: a `Float64Array` for numeric classes, strings otherwise. */
  predict(X: MatrixInput): PredictedLabels;
  /** The index into `classes_` of each row's predicted class. */
  predictCodes(X: MatrixInput): Int32Array;
  /** Class probabilities: one row per sample, one column per class (named after the class). */
  predictProba(X: MatrixInput): Matrix;
  score(X: MatrixInput, y: TargetInput): number;
}

/** A fitted regressor. */
export interface Regressor extends Estimator {
  readonly kind: 'regressor';
  fit(X: MatrixInput, y: TargetInput, options?: FitOptions): this;
  predict(X: MatrixInput): Float64Array;
  score(X: MatrixInput, y: TargetInput): number;
}

/** A transformer (scaler, encoder, PCA, …). */
export interface Transformer extends Estimator {
  fit(X: MatrixInput, y?: TargetInput): this;
  transform(X: MatrixInput): Matrix;
  fitTransform(X: MatrixInput, y?: TargetInput): Matrix;
  /** Names of the output columns. */
  getFeatureNamesOut(): string[];
}

/** A clustering estimator. */
export interface Clusterer extends Estimator {
  readonly kind: 'clusterer';
  /** Cluster index per training row (-1 = noise, for DBSCAN). */
  labels_: Int32Array | undefined;
  fit(X: MatrixInput): this;
  fitPredict(X: MatrixInput): Int32Array;
}

/** Options accepted by supervised `fit`. */
export interface FitOptions {
  /** One non-negative weight per row. */
  sampleWeight?: ArrayLike<number>;
}

// ---------------------------------------------------------------------------------------------
// Registry: type name → class. Loading a model looks classes up here and never evaluates code.

const registry = new Map<string, EstimatorClass>();

/** Makes a class loadable by {@link estimatorFromJSON}. Each estimator module registers itself. */
export function registerEstimator(Ctor: EstimatorClass): void {
  const existing = registry.get(Ctor.typeName);
  if (existing && existing !== Ctor) {
    throw new Error(`Two estimator classes registered as '${Ctor.typeName}'.`);
  }
  registry.set(Ctor.typeName, Ctor);
}

/** The registered class for a type name, if any. */
export function estimatorClass(typeName: string): EstimatorClass | undefined {
  return registry.get(typeName);
}

/** Names of all registered estimator types. */
export function registeredEstimators(): string[] {
  return [...registry.keys()].sort();
}

/** Rebuilds an estimator from {@link Estimator.toJSON} output. Unknown types are refused. */
export function estimatorFromJSON<E extends Estimator = Estimator>(json: EstimatorJSON): E {
  if (typeof json !== 'object' || json === null || typeof json.type !== 'string') {
    throw new ValidationError('Not a serialised estimator: expected an object with a string "type".');
  }
  const Ctor = registry.get(json.type);
  if (!Ctor) {
    throw new ValidationError(`Unknown estimator type '${json.type}'.`, {
      fix: `this Lathe knows: ${registeredEstimators().join(', ')}`,
    });
  }
  const version = Ctor.stateVersion ?? 1;
  if (json.version !== version) {
    throw new ValidationError(
      `${json.type}: saved with state version ${json.version}; this Lathe reads version ${version}.`,
      { fix: 'retrain the model with this version of Lathe' },
    );
  }
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json.params ?? {})) {
    params[k] = isEstimatorJSON(v) ? estimatorFromJSON(v) : v;
  }
  const est = new Ctor(params as never) as E;
  if (json.state) est.restoreState(json.state);
  return est;
}

function isEstimatorJSON(v: unknown): v is EstimatorJSON {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as EstimatorJSON).type === 'string' &&
    'params' in v &&
    'state' in v &&
    'version' in v
  );
}
