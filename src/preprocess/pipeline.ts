/**
 * `Pipeline`: named steps applied in order — every step but the last transforms the data, the last
 * may be any estimator — fitted and used as one estimator, as scikit-learn's `Pipeline`:
 *
 * - `fit(X, y)` fits each step on the output of the previous ones (`fitTransform`, so that a
 *   TargetEncoder cross-fits), then fits the last step; `predict`, `predictProba`, `score`,
 *   `transform` run the data through the fitted steps and call the last one. The pipeline's `kind`
 *   is its last step's: with a classifier it *is* a classifier (`classes_`, `predictProba`), with
 *   a regressor a regressor, and so on. With no steps it passes data through unchanged.
 * - A Table flows through the steps as a Table for as long as they can keep it one (an imputer in
 *   front of an encoder), and becomes a Matrix at the first step that encodes it.
 * - `getParams()` includes every step's parameters as `step__param`; `setParams({ 'model__maxIter': 50 })`
 *   sets them; `setParams({ model: other })` replaces a step.
 * - Called with a Table, `predict` & co. check its columns by name against those seen in fit and
 *   list every missing or wrongly typed column; extra columns are ignored with a warning (see
 *   {@link Pipeline.checkColumns} to inspect without throwing).
 * - `toJSON()` nests each step's JSON (parameters in `params.steps`, fitted state in `state.steps`);
 *   `estimatorFromJSON` rebuilds the pipeline from data only.
 *
 * @module
 */

import { NotFittedError, ValidationError } from '../core/errors.ts';
import {
  Estimator,
  type EstimatorJSON,
  type EstimatorKind,
  type FitOptions,
  registerEstimator,
} from '../core/estimator.ts';
import type { Label, TargetInput } from '../core/labels.ts';
import { asMatrix, isMatrix, type Matrix } from '../core/matrix.ts';
import { type ParamSpec, validateParams } from '../core/params.ts';
import type { PlainObject, PlainValue } from '../core/plain.ts';
import { checkLength, damagedState } from '../core/saved-state.ts';
import type { ColumnType } from '../data/column.ts';
import type { Table } from '../data/table.ts';
import type { Category } from './categories.ts';
import {
  type ColumnReport,
  checkFitTable,
  columnTypes,
  compareColumns,
  conformTable,
  type DataInput,
  fittedCategoriesOf,
  isTable,
  unusedColumns,
} from './input.ts';
import {
  applyNested,
  decodeEstimator,
  paramsJSON,
  prefixedParams,
  restoreSub,
  splitNested,
  stateJSON,
  validName,
} from './nested.ts';
import { type PendingOutput, pendingOf, writesInPlace } from './pending-output.ts';
import { readInputTypes } from './state.ts';

/** One step: a name (unique, without `__`) and an estimator. */
export type PipelineStep = [name: string, estimator: Estimator];

const stepsSpec: ParamSpec<PipelineStep[]> = {
  expected: 'an array of [name, estimator] pairs with unique names that do not contain "__"',
  default: [],
  doc: 'the steps, in order; every step but the last must transform data',
  check(v: unknown): v is PipelineStep[] {
    if (!Array.isArray(v)) return false;
    const seen = new Set<string>();
    return v.every(
      (s) => Array.isArray(s) && s.length === 2 && validName(s[0], seen) && s[1] instanceof Estimator,
    );
  },
};

const schema = { steps: stepsSpec };

/** Parameters of {@link Pipeline}. */
export interface PipelineParams extends Record<string, unknown> {
  steps: PipelineStep[];
}

/** What the last step may answer; a step that lacks a method makes the pipeline lack it. */
type AnyEstimator = Estimator & {
  fit(X: unknown, y?: unknown, options?: unknown): unknown;
  [method: string]: unknown;
};

/** Prediction of a pipeline: labels (classifier), numbers (regressor) or cluster indices (clusterer). */
export type PipelinePrediction = Label[] | Float64Array | Int32Array;

function prepare(params: object): Partial<PipelineParams> {
  const { own } = splitNested(params);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(own)) {
    if (k === 'steps' && Array.isArray(v)) {
      out.steps = v.map((s) => (Array.isArray(s) && s.length === 2 ? [s[0], decodeEstimator(s[1])] : s));
    } else if (k in schema) {
      out[k] = v;
    } else if (!stepNames(own.steps).includes(k)) {
      out[k] = v; // unknown: the base constructor reports it
    }
  }
  return out as Partial<PipelineParams>;
}

function stepNames(steps: unknown): string[] {
  return Array.isArray(steps) ? steps.map((s) => (Array.isArray(s) ? String(s[0]) : '')) : [];
}

/**
 * A chain of steps fitted and used as one estimator.
 *
 * @example
 * ```ts
 * const pipe = new Pipeline({
 *   steps: [
 *     ['impute', new SimpleImputer({ strategy: 'median' })],
 *     ['scale', new StandardScaler()],
 *   ],
 * });
 * const Z = pipe.fitTransform(X);
 * pipe.setParams({ impute__strategy: 'mean' });
 * ```
 */
export class Pipeline extends Estimator<PipelineParams> {
  static readonly typeName = 'Pipeline';
  static readonly schema = schema;

  /** Storage type of each input column seen in fit (all numeric for a Matrix). */
  inputTypes_: ColumnType[] | undefined = undefined;

  constructor(params: Partial<PipelineParams> & Record<string, unknown> = {}) {
    super(prepare(params));
    this.applyExtra(params);
  }

  /** The last step's kind; `'transformer'` for a pipeline with no steps. */
  get kind(): EstimatorKind {
    const steps = this.params.steps;
    const last = Array.isArray(steps) && steps.length ? steps[steps.length - 1][1] : undefined;
    return last instanceof Estimator ? last.kind : 'transformer';
  }

  /** The steps (the estimators themselves, fitted in place by `fit`). */
  get steps(): readonly PipelineStep[] {
    return this.params.steps;
  }

  /** The steps by name. */
  get namedSteps(): Record<string, Estimator> {
    return Object.fromEntries(this.params.steps.map(([n, e]) => [n, e]));
  }

  /** The last step's estimator (undefined for an empty pipeline). */
  get finalEstimator(): Estimator | undefined {
    const s = this.params.steps;
    return s.length ? s[s.length - 1][1] : undefined;
  }

  /** The classes of the last step (classifiers). */
  get classes_(): Label[] | undefined {
    return (this.finalEstimator as { classes_?: Label[] } | undefined)?.classes_;
  }

  /** The cluster of each training row (clusterers). */
  get labels_(): Int32Array | undefined {
    return (this.finalEstimator as { labels_?: Int32Array } | undefined)?.labels_;
  }

  /** Parameters, including every step's as `step__param` (the steps are unfitted copies). */
  override getParams(): PipelineParams {
    const out: Record<string, unknown> = {
      steps: this.params.steps.map(([n, e]) => [n, e.clone()] as PipelineStep),
    };
    for (const [n, e] of this.params.steps) Object.assign(out, prefixedParams(n, e));
    return out as PipelineParams;
  }

  /**
   * Sets parameters: `steps`, a step by its name (replaces it), or a step's parameter as
   * `step__param` (nested pipelines: `outer__inner__param`). Returns `this`; does not refit.
   */
  override setParams(params: Partial<PipelineParams> & Record<string, unknown>): this {
    const { own } = splitNested(params);
    const next: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(own)) if (k === 'steps') next.steps = prepare({ steps: v }).steps;
    if (Object.keys(next).length) super.setParams(next as Partial<PipelineParams>);
    this.applyExtra(params);
    return this;
  }

  /** A new, unfitted pipeline with unfitted copies of the steps. */
  override clone(): this {
    const Ctor = this.constructor as new (p: Partial<PipelineParams>) => this;
    return new Ctor({ steps: this.params.steps.map(([n, e]) => [n, e.clone()] as PipelineStep) });
  }

  /** Step replacements (`name: estimator`), nested `name__param` settings, and unknown names (errors). */
  private applyExtra(params: object): void {
    const { own, nested } = splitNested(params);
    const names = stepNames(this.params.steps);
    for (const [k, v] of Object.entries(own)) {
      if (k === 'steps' || !names.includes(k)) continue;
      const est = decodeEstimator(v);
      if (!(est instanceof Estimator)) {
        throw new ValidationError(`Pipeline: step '${k}' must be set to an estimator; got ${typeof v}.`, {
          field: k,
        });
      }
      this.params.steps = this.params.steps.map(([n, e]) => [n, n === k ? est : e] as PipelineStep);
    }
    const unknown = Object.keys(own).filter((k) => k !== 'steps' && !names.includes(k));
    if (unknown.length) super.setParams({ [unknown[0]]: own[unknown[0]] } as never); // throws, naming it
    applyNested('Pipeline', nested, (name) => this.params.steps.find(([n]) => n === name)?.[1], names);
  }

  /** Fits every step in order; the last step gets `options` (e.g. `sampleWeight`). Returns `this`. */
  fit(X: DataInput, y?: TargetInput, options?: FitOptions): this {
    const Xt = this.fitUpToLast(X, y);
    const last = this.finalEstimator as AnyEstimator | undefined;
    if (last) {
      if (options === undefined) last.fit(Xt, y);
      else last.fit(Xt, y, options);
    }
    return this;
  }

  /** Fits, then transforms the training data through every step (the last must be a transformer). */
  fitTransform(X: DataInput, y?: TargetInput): Matrix {
    const Xt = this.fitUpToLast(X, y);
    const last = this.finalEstimator as AnyEstimator | undefined;
    if (!last) return toMatrix(Xt);
    if (typeof last.fitTransform === 'function')
      return (last.fitTransform as (X: unknown, y?: unknown) => Matrix)(Xt, y);
    throw this.lacks(last, 'fitTransform');
  }

  /**
   * {@link Pipeline.transform} with the last step's writing left to the caller, when that step can
   * (a `OneHotEncoder`); otherwise the finished output, copied when written.
   */
  transformPending(X: DataInput): PendingOutput {
    const last = this.finalEstimator as AnyEstimator | undefined;
    if (!writesInPlace(last)) return pendingOf(this.transform(X));
    return last.transformPending(this.transformUpToLast(X, 'transform'));
  }

  /** {@link Pipeline.fitTransform} with the writing left to the caller (see {@link Pipeline.transformPending}). */
  fitTransformPending(X: DataInput, y?: TargetInput): PendingOutput {
    const last = this.finalEstimator as AnyEstimator | undefined;
    if (!writesInPlace(last)) return pendingOf(this.fitTransform(X, y));
    return last.fitTransformPending(this.fitUpToLast(X, y), y);
  }

  /** Fits, then returns the last step's clusters of the training rows (clusterers). */
  fitPredict(X: DataInput, y?: TargetInput): PipelinePrediction {
    const Xt = this.fitUpToLast(X, y);
    const last = this.finalEstimator as AnyEstimator | undefined;
    if (last && typeof last.fitPredict === 'function')
      return (last.fitPredict as (X: unknown) => PipelinePrediction)(Xt);
    throw this.lacks(last, 'fitPredict');
  }

  /** Runs X through the fitted steps and returns the last step's predictions. */
  predict(X: DataInput): PipelinePrediction {
    return this.callLast('predict', X) as PipelinePrediction;
  }

  /** Class probabilities from the last step (classifiers): one column per class. */
  predictProba(X: DataInput): Matrix {
    return this.callLast('predictProba', X) as Matrix;
  }

  /**
   * Decision scores from the last step (classifiers that have `decisionFunction`, e.g.
   * LogisticRegression): X runs through the fitted steps first, as scikit-learn's
   * `Pipeline.decision_function`.
   */
  decisionFunction(X: DataInput): Matrix {
    return this.callLast('decisionFunction', X) as Matrix;
  }

  /** The last step's score on (X, y): accuracy for classifiers, R² for regressors. */
  score(X: DataInput, y: TargetInput): number {
    return this.callLast('score', X, y) as number;
  }

  /** Runs X through every fitted step (the last must be a transformer). */
  transform(X: DataInput): Matrix {
    if (!this.finalEstimator) return toMatrix(this.transformUpToLast(X, 'transform'));
    return this.callLast('transform', X) as Matrix;
  }

  /** Names of the output columns (the last step's; the input names for an empty pipeline). */
  getFeatureNamesOut(): string[] {
    this.assertFitted('getFeatureNamesOut');
    const last = this.finalEstimator as AnyEstimator | undefined;
    if (!last) return [...this.featureNamesIn_!];
    if (typeof last.getFeatureNamesOut === 'function') return (last.getFeatureNamesOut as () => string[])();
    throw this.lacks(last, 'getFeatureNamesOut');
  }

  /**
   * Compares a table's columns to the columns seen in fit without throwing: which are missing,
   * which are extra (ignored), which have a type that cannot be converted.
   */
  checkColumns(table: Table): ColumnReport {
    this.assertFitted('checkColumns');
    return compareColumns(
      this.featureNamesIn_!,
      this.inputTypes_!,
      table,
      unusedColumns(this.featureNamesIn_!, this.requiredColumns()),
      (n) => this.fittedCategories(n),
    );
  }

  /**
   * The categories the steps learned for input column `name` (an encoder's), or undefined: the
   * first step that knows them, looking past steps that keep the column's name (an imputer).
   */
  fittedCategories(name: string): readonly Category[] | undefined {
    if (!this.isFitted()) return undefined;
    for (const [, e] of this.params.steps) {
      if (!(e instanceof Estimator)) return undefined;
      const cats = fittedCategoriesOf(e, name);
      if (cats) return cats;
      const step = e as Estimator & { getFeatureNamesOut?: () => string[] };
      let out: string[] | undefined;
      try {
        out = step.getFeatureNamesOut?.();
      } catch {
        out = undefined;
      }
      if (!step.featureNamesIn_?.includes(name) || !out?.includes(name)) return undefined;
    }
    return undefined;
  }

  /**
   * The input columns seen in fit that the pipeline reads: its first step's
   * `requiredColumns()` when it has one (a ColumnTransformer does not read the columns it drops),
   * else every column seen in fit. A Table given to `predict` & co. need only have these.
   */
  requiredColumns(): string[] {
    this.assertFitted('requiredColumns');
    const first = this.params.steps[0]?.[1] as AnyEstimator | undefined;
    if (first && typeof first.requiredColumns === 'function') {
      const used = new Set((first.requiredColumns as () => string[])());
      return this.featureNamesIn_!.filter((c) => used.has(c));
    }
    return [...this.featureNamesIn_!];
  }

  private assertFitted(method: string): void {
    if (!this.isFitted()) throw new NotFittedError(this.typeName, method);
  }

  private lacks(e: Estimator | undefined, method: string): ValidationError {
    const what = e
      ? `its last step, ${e.typeName} ('${this.params.steps[this.params.steps.length - 1][0]}'),`
      : 'it';
    return new ValidationError(`Pipeline.${method}: ${what} has no ${method}().`, {
      fix:
        method === 'predictProba'
          ? 'end the pipeline with a classifier'
          : method === 'transform' || method === 'fitTransform' || method === 'getFeatureNamesOut'
            ? 'end the pipeline with a transformer, or call predict()'
            : 'end the pipeline with an estimator that has it',
    });
  }

  private callLast(method: string, X: DataInput, ...rest: unknown[]): unknown {
    const last = this.finalEstimator as AnyEstimator | undefined;
    if (this.isFitted() && (!last || typeof last[method] !== 'function')) throw this.lacks(last, method);
    const Xt = this.transformUpToLast(X, method);
    return (last![method] as (...a: unknown[]) => unknown)(Xt, ...rest);
  }

  /** Validates, fits every step but the last, and returns the data as the last step will see it. */
  private fitUpToLast(X: DataInput, y: TargetInput | undefined): Table | Matrix {
    validateParams(this.typeName, this.schema, this.params);
    const steps = this.params.steps;
    for (let s = 0; s < steps.length - 1; s++) {
      const e = steps[s][1] as AnyEstimator;
      if (typeof e.transform !== 'function') {
        throw new ValidationError(
          `Pipeline: step '${steps[s][0]}' (${e.typeName}) is not the last step but cannot transform data.`,
          {
            field: 'steps',
            fix: 'only the last step may be a model; every step before it must be a transformer',
          },
        );
      }
    }
    let Xt: Table | Matrix;
    if (isTable(X)) {
      checkFitTable('Pipeline', X);
      Xt = X;
    } else {
      Xt = asMatrix(X);
      if (Xt.rows === 0)
        throw new ValidationError('Pipeline.fit: X has no rows.', { fix: 'pass at least one row' });
    }
    const names = isTable(Xt) ? Xt.columnNames : [...Xt.columns];
    const types: ColumnType[] = isTable(Xt) ? columnTypes(Xt) : names.map(() => 'numeric');
    for (let s = 0; s < steps.length - 1; s++) Xt = fitTransformStep(steps[s][1] as AnyEstimator, Xt, y);
    this.featureNamesIn_ = names;
    this.inputTypes_ = types;
    return Xt;
  }

  /** Checks fitted-ness and X's columns, then runs X through every step but the last. */
  private transformUpToLast(X: DataInput, method: string): Table | Matrix {
    this.assertFitted(method);
    let Xt: Table | Matrix;
    if (isTable(X) || this.inputTypes_!.some((t) => t !== 'numeric')) {
      Xt = conformTable(
        'Pipeline',
        method,
        this.featureNamesIn_!,
        this.inputTypes_!,
        X,
        unusedColumns(this.featureNamesIn_!, this.requiredColumns()),
        (n) => this.fittedCategories(n),
      );
    } else {
      Xt = this.checkInput(X, method);
    }
    const steps = this.params.steps;
    for (let s = 0; s < steps.length - 1; s++) Xt = transformStep(steps[s][1] as AnyEstimator, Xt);
    return Xt;
  }

  override toJSON(): EstimatorJSON {
    const steps = this.params.steps;
    return {
      type: this.typeName,
      version: Pipeline.stateVersion,
      params: { steps: steps.map(([n, e]) => [n, paramsJSON(e)]) },
      state: this.isFitted() ? { featureNamesIn: [...this.featureNamesIn_!], ...this.getState() } : null,
    };
  }

  /** Version of the saved layout. */
  static readonly stateVersion = 1;

  protected getState(): PlainObject {
    return {
      inputTypes: [...this.inputTypes_!],
      steps: this.params.steps.map(([, e]) => stateJSON(e)),
    };
  }

  /**
   * Checks one fitted state per step (each restored by its step, which checks its own fields) and
   * one known input type per input column: a damaged or edited package is refused rather than
   * leaving a step unfitted or shifting every later step's state.
   */
  protected setState(s: PlainObject): void {
    const states = s.steps;
    const steps = this.params.steps;
    if (!Array.isArray(states))
      throw damagedState(this.typeName, 'steps', 'is missing or not a list of step states');
    checkLength(this.typeName, 'steps', states, steps.length, 'one state per step');
    const types = readInputTypes(this, s, (s.featureNamesIn as string[]).length);
    steps.forEach(([, e], i) => restoreSub(this.typeName, 'steps', e, states[i] as PlainValue));
    this.inputTypes_ = types;
  }
}

function toMatrix(X: Table | Matrix): Matrix {
  return isMatrix(X) ? X : X.toMatrix();
}

/** Fits one intermediate step and returns its output (a Table while the step can keep one). */
function fitTransformStep(e: AnyEstimator, X: Table | Matrix, y: TargetInput | undefined): Table | Matrix {
  if (isTable(X) && typeof e.transformTable === 'function') {
    e.fit(X, y);
    return (e.transformTable as (X: Table) => Table)(X);
  }
  if (typeof e.fitTransform === 'function')
    return (e.fitTransform as (X: unknown, y?: unknown) => Matrix)(X, y);
  e.fit(X, y);
  return (e.transform as (X: unknown) => Matrix)(X);
}

function transformStep(e: AnyEstimator, X: Table | Matrix): Table | Matrix {
  if (isTable(X) && typeof e.transformTable === 'function')
    return (e.transformTable as (X: Table) => Table)(X);
  return (e.transform as (X: unknown) => Matrix)(X);
}

/** A pipeline from estimators, naming each step after its type in lower case (`standardscaler`, …). */
export function makePipeline(...estimators: Estimator[]): Pipeline {
  const counts = new Map<string, number>();
  for (const e of estimators) counts.set(e.typeName, (counts.get(e.typeName) ?? 0) + 1);
  const seen = new Map<string, number>();
  const steps = estimators.map((e) => {
    const base = e.typeName.toLowerCase();
    if (counts.get(e.typeName)! === 1) return [base, e] as PipelineStep;
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    return [`${base}-${k}`, e] as PipelineStep;
  });
  return new Pipeline({ steps });
}

registerEstimator(Pipeline);
