/**
 * `ColumnTransformer`: routes the columns of a Table to different transformers (or sub-pipelines)
 * and puts their outputs side by side, as scikit-learn's `ColumnTransformer`:
 *
 * - each route is `[name, transformer | 'drop' | 'passthrough', columns]`, where `columns` is a list
 *   of names or a {@link ColumnSelector} — by semantic type (from the `schema` parameter, or the
 *   storage type when a column is not in it), by storage type, or by a name pattern;
 * - columns no route selects are the *remainder*: dropped (default) or passed through;
 * - each transformer is cloned and fitted on its columns (`fitTransform`, so a TargetEncoder
 *   cross-fits); a route whose selector matches no column is skipped;
 * - the output is one Matrix with readable column names — whatever each transformer names its
 *   outputs (`age`, `city=Paris`, `signup.month`), prefixed with `route__` only where two routes
 *   would give the same name (or always, with `verboseFeatureNamesOut`).
 *
 * At transform time the Table is matched by name: every column seen in fit must be there (with a
 * compatible type); extra columns are ignored.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { Estimator, type EstimatorJSON, registerEstimator } from '../core/estimator.ts';
import type { TargetInput } from '../core/labels.ts';
import { type Matrix, matrix } from '../core/matrix.ts';
import { closest, type ParamSpec, p, validateParams } from '../core/params.ts';
import type { PlainObject, PlainValue } from '../core/plain.ts';
import { damagedState } from '../core/saved-state.ts';
import type { ColumnType } from '../data/column.ts';
import type { Schema, SemanticType } from '../data/schema.ts';
import type { Table } from '../data/table.ts';
import { BaseTransformer } from './base.ts';
import type { Category } from './categories.ts';
import {
  asTable,
  checkFitTable,
  columnTypes,
  conformTable,
  type DataInput,
  fittedCategoriesOf,
  unusedColumns,
} from './input.ts';
import {
  applyNested,
  decodeEstimator,
  isEstimatorJSON,
  paramsJSON,
  prefixedParams,
  splitNested,
  validName,
} from './nested.ts';
import { type PendingOutput, pendingOf, writesInPlace } from './pending-output.ts';
import { readInputTypes, readStrings } from './state.ts';

/**
 * Chooses columns by what they are. All given conditions must hold; `exclude` removes names.
 *
 * @example { type: 'numeric' } — every column whose semantic type is numeric
 * @example { storage: ['categorical', 'text'], exclude: ['comment'] }
 */
export interface ColumnSelector {
  /** Semantic type(s), from the ColumnTransformer's `schema` (else the storage type). */
  type?: SemanticType | SemanticType[];
  /** Storage type(s) in the Table. */
  storage?: ColumnType | ColumnType[];
  /** A regular expression the column name must match (JavaScript syntax). */
  pattern?: string;
  /** Names to leave out. */
  exclude?: string[];
}

/** What a route applies to its columns. */
export type RouteTransformer = Estimator | 'drop' | 'passthrough';

/** One route: a name, what to apply, and which columns. */
export type ColumnRoute = [name: string, transformer: RouteTransformer, columns: string[] | ColumnSelector];

/** A remark about a column attached by whoever built the routes (e.g. why a column is dropped). */
export interface ColumnNote {
  column: string;
  /** What happens to the column, e.g. "dropped". */
  action: string;
  /** Why, e.g. "id-like" or "free text". */
  reason: string;
}

const SEMANTIC = ['numeric', 'categorical', 'boolean', 'datetime', 'text', 'id'];
const STORAGE = ['numeric', 'categorical', 'boolean', 'datetime', 'text'];

function oneOrMany(v: unknown, allowed: string[]): boolean {
  return typeof v === 'string'
    ? allowed.includes(v)
    : Array.isArray(v) && v.length > 0 && v.every((x) => allowed.includes(x));
}

function isSelector(v: unknown): v is ColumnSelector {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const s = v as Record<string, unknown>;
  for (const k of Object.keys(s)) if (!['type', 'storage', 'pattern', 'exclude'].includes(k)) return false;
  if (s.type !== undefined && !oneOrMany(s.type, SEMANTIC)) return false;
  if (s.storage !== undefined && !oneOrMany(s.storage, STORAGE)) return false;
  if (s.pattern !== undefined) {
    if (typeof s.pattern !== 'string') return false;
    try {
      new RegExp(s.pattern);
    } catch {
      return false;
    }
  }
  if (s.exclude !== undefined && !(Array.isArray(s.exclude) && s.exclude.every((x) => typeof x === 'string')))
    return false;
  return true;
}

const transformersSpec: ParamSpec<ColumnRoute[]> = {
  expected:
    "an array of [name, transformer | 'drop' | 'passthrough', columns] routes with unique names (no \"__\"), columns being a list of names or a selector such as { type: 'numeric' }",
  default: [],
  doc: 'the routes, in output order',
  check(v: unknown): v is ColumnRoute[] {
    if (!Array.isArray(v)) return false;
    const seen = new Set<string>();
    return v.every(
      (r) =>
        Array.isArray(r) &&
        r.length === 3 &&
        validName(r[0], seen) &&
        (r[1] instanceof Estimator || r[1] === 'drop' || r[1] === 'passthrough') &&
        ((Array.isArray(r[2]) && r[2].every((c: unknown) => typeof c === 'string')) || isSelector(r[2])),
    );
  },
};

const schemaSpec: ParamSpec<Schema | null> = {
  expected: 'a Schema ({ version: 1, columns: [{ name, type, storage, … }] }) or null',
  default: null,
  doc: 'semantic column types for type selectors (columns not in it use their storage type)',
  check(v: unknown): v is Schema | null {
    return (
      v === null ||
      (typeof v === 'object' &&
        Array.isArray((v as Schema).columns) &&
        (v as Schema).columns.every((c) => typeof c?.name === 'string' && SEMANTIC.includes(c.type)))
    );
  },
};

const schema = {
  transformers: transformersSpec,
  remainder: p.oneOf(['drop', 'passthrough'] as const, {
    default: 'drop',
    doc: 'what happens to columns no route selects (passthrough needs numeric-like columns)',
  }),
  schema: schemaSpec,
  verboseFeatureNamesOut: p.bool({
    default: false,
    doc: 'prefix every output name with its route (`route__name`); otherwise only colliding names are',
  }),
  notes: p.array(p.record(p.string()), {
    default: [],
    doc: 'remarks about columns ({ column, action, reason }), e.g. why one is dropped',
  }) as unknown as ParamSpec<ColumnNote[]>,
};

/** Parameters of {@link ColumnTransformer}. */
export interface ColumnTransformerParams extends Record<string, unknown> {
  transformers: ColumnRoute[];
  remainder: 'drop' | 'passthrough';
  schema: Schema | null;
  verboseFeatureNamesOut: boolean;
  notes: ColumnNote[];
}

/** A fitted route: its name, its fitted transformer, the columns it took and the outputs it gave. */
export interface FittedRoute {
  name: string;
  transformer: RouteTransformer;
  columns: string[];
  outputs: string[];
}

/** How each route of a fitted ColumnTransformer treats the data (for reports such as `lathe train`'s). */
export interface RouteDescription {
  route: string;
  /** The transformer's type name (a Pipeline's step types joined by " → "), 'drop' or 'passthrough'. */
  transformer: string;
  columns: string[];
  outputs: string[];
}

function prepare(params: object): Partial<ColumnTransformerParams> {
  const { own } = splitNested(params);
  const out: Record<string, unknown> = {};
  const routeNames = Array.isArray(own.transformers)
    ? own.transformers.map((r: unknown) => (Array.isArray(r) ? String(r[0]) : ''))
    : [];
  for (const [k, v] of Object.entries(own)) {
    if (k === 'transformers' && Array.isArray(v)) {
      out.transformers = v.map((r) =>
        Array.isArray(r) && r.length === 3 ? [r[0], decodeEstimator(r[1]), r[2]] : r,
      );
    } else if (!routeNames.includes(k)) {
      out[k] = v;
    }
  }
  return out as Partial<ColumnTransformerParams>;
}

/**
 * Applies different transformers to different columns of a Table and concatenates the results.
 *
 * @example
 * ```ts
 * const ct = new ColumnTransformer({
 *   transformers: [
 *     ['num', new Pipeline({ steps: [['impute', new SimpleImputer({ strategy: 'median' })], ['scale', new StandardScaler()]] }), { type: 'numeric' }],
 *     ['cat', new OneHotEncoder({ handleUnknown: 'ignore' }), ['city']],
 *   ],
 * });
 * const X = ct.fitTransform(table); // columns: age, income, city=Lyon, city=Paris, …
 * ```
 */
export class ColumnTransformer extends BaseTransformer<ColumnTransformerParams> {
  static readonly typeName = 'ColumnTransformer';
  static readonly schema = schema;
  /** Version of the saved layout. */
  static readonly stateVersion = 1;

  /** Storage type of each input column seen in fit. */
  inputTypes_: ColumnType[] | undefined = undefined;
  /** The fitted routes (transformers are fitted clones of those in the parameters). */
  transformers_: FittedRoute[] | undefined = undefined;
  /** Columns no route selected (dropped or passed through, per `remainder`). */
  remainderColumns_: string[] | undefined = undefined;
  /** Names of the output columns. */
  featureNamesOut_: string[] | undefined = undefined;

  constructor(params: Partial<ColumnTransformerParams> & Record<string, unknown> = {}) {
    super(prepare(params));
    this.applyExtra(params);
  }

  /** Parameters, including each route transformer's as `route__param`. */
  override getParams(): ColumnTransformerParams {
    const base = super.getParams();
    const out: Record<string, unknown> = {
      ...base,
      transformers: this.params.transformers.map(
        ([n, t, c]) =>
          [n, t instanceof Estimator ? t.clone() : t, Array.isArray(c) ? [...c] : { ...c }] as ColumnRoute,
      ),
      notes: this.params.notes.map((x) => ({ ...x })),
    };
    for (const [n, t] of this.params.transformers)
      if (t instanceof Estimator) Object.assign(out, prefixedParams(n, t));
    return out as ColumnTransformerParams;
  }

  /** Sets parameters, a route's transformer by the route's name, or `route__param`. Returns `this`. */
  override setParams(params: Partial<ColumnTransformerParams> & Record<string, unknown>): this {
    const prepared = prepare(params) as Record<string, unknown>;
    const names = this.routeNames();
    const own = Object.fromEntries(Object.entries(prepared).filter(([k]) => !names.includes(k)));
    if (Object.keys(own).length) super.setParams(own as Partial<ColumnTransformerParams>);
    this.applyExtra(params);
    return this;
  }

  /** A new, unfitted ColumnTransformer with unfitted copies of the route transformers. */
  override clone(): this {
    const Ctor = this.constructor as new (p: Partial<ColumnTransformerParams>) => this;
    const { transformers, remainder, schema: s, verboseFeatureNamesOut, notes } = this.getParams();
    return new Ctor({ transformers, remainder, schema: s, verboseFeatureNamesOut, notes });
  }

  private routeNames(): string[] {
    return Array.isArray(this.params.transformers) ? this.params.transformers.map((r) => String(r[0])) : [];
  }

  private applyExtra(params: object): void {
    const { own, nested } = splitNested(params);
    const names = this.routeNames();
    for (const [k, v] of Object.entries(own)) {
      if (!names.includes(k)) continue;
      const t = decodeEstimator(v);
      if (!(t instanceof Estimator) && t !== 'drop' && t !== 'passthrough') {
        throw new ValidationError(
          `ColumnTransformer: route '${k}' must be set to a transformer, 'drop' or 'passthrough'.`,
          { field: k },
        );
      }
      this.params.transformers = this.params.transformers.map(
        ([n, old, c]) => [n, n === k ? (t as RouteTransformer) : old, c] as ColumnRoute,
      );
    }
    applyNested(
      'ColumnTransformer',
      nested,
      (name) => {
        const t = this.params.transformers.find(([n]) => n === name)?.[1];
        return t instanceof Estimator ? t : undefined;
      },
      names,
    );
  }

  /** Fits every route on its columns. Returns `this`. */
  fit(X: DataInput, y?: TargetInput): this {
    this.fitTransform(X, y);
    return this;
  }

  /** Fits every route and returns the concatenated outputs for the training data. */
  override fitTransform(X: DataInput, y?: TargetInput): Matrix {
    validateParams(this.typeName, this.schema, this.params);
    const t = asTable(X);
    checkFitTable(this.typeName, t);
    const used = new Set<string>();
    const routes: FittedRoute[] = [];
    const outputs: PendingOutput[] = [];
    for (const [name, transformer, selector] of this.params.transformers) {
      const columns = this.resolve(t, name, selector);
      for (const c of columns) used.add(c);
      if (transformer === 'drop' || columns.length === 0) {
        routes.push({ name, transformer, columns, outputs: [] });
        continue;
      }
      const sub = t.select(columns);
      let out: PendingOutput;
      let fitted: RouteTransformer;
      if (transformer === 'passthrough') {
        out = pendingOf(passthrough(sub, name));
        fitted = 'passthrough';
      } else {
        const est = transformer.clone() as Estimator & { fitTransform?: (X: unknown, y?: unknown) => Matrix };
        if (writesInPlace(est)) out = est.fitTransformPending(sub, y);
        else if (typeof est.fitTransform === 'function') out = pendingOf(est.fitTransform(sub, y));
        else {
          throw new ValidationError(
            `ColumnTransformer: route '${name}' holds a ${est.typeName}, which cannot transform data.`,
            {
              field: 'transformers',
              fix: 'give each route a transformer (or a Pipeline of transformers), or drop/passthrough',
            },
          );
        }
        fitted = est;
      }
      outputs.push(out);
      routes.push({ name, transformer: fitted, columns, outputs: [...out.names] });
    }
    const remainder = t.columnNames.filter((c) => !used.has(c));
    if (this.params.remainder === 'passthrough' && remainder.length) {
      outputs.push(pendingOf(passthrough(t.select(remainder), 'remainder')));
    }
    this.transformers_ = routes;
    this.remainderColumns_ = remainder;
    this.featureNamesOut_ = this.outputNames(routes, remainder);
    this.inputTypes_ = columnTypes(t);
    this.featureNamesIn_ = t.columnNames;
    return hstack(outputs, t.nRows, this.featureNamesOut_);
  }

  /**
   * The input columns seen in fit that transform reads: those of routes that are not `drop`, and
   * the remainder when it is passed through. The others (dropped columns, e.g. an id) need not be
   * in the data given to `transform` — as in scikit-learn.
   */
  requiredColumns(): string[] {
    this.assertFitted('requiredColumns');
    const used = new Set<string>();
    for (const r of this.transformers_!) if (r.transformer !== 'drop') for (const c of r.columns) used.add(c);
    if (this.params.remainder === 'passthrough') for (const c of this.remainderColumns_!) used.add(c);
    return this.featureNamesIn_!.filter((c) => used.has(c));
  }

  /**
   * Transforms X route by route (a Table is matched by name; extra columns are ignored, and
   * dropped columns may be absent — see {@link requiredColumns}).
   */
  transform(X: DataInput): Matrix {
    this.assertFitted('transform');
    const t = conformTable(
      this.typeName,
      'transform',
      this.featureNamesIn_!,
      this.inputTypes_!,
      X,
      unusedColumns(this.featureNamesIn_!, this.requiredColumns()),
      (n) => this.fittedCategories(n),
    );
    const outputs: PendingOutput[] = [];
    for (const r of this.transformers_!) {
      if (r.transformer === 'drop' || r.columns.length === 0) continue;
      const sub = t.select(r.columns);
      const e = r.transformer;
      if (e === 'passthrough') outputs.push(pendingOf(passthrough(sub, r.name)));
      else if (writesInPlace(e)) outputs.push(e.transformPending(sub));
      else outputs.push(pendingOf((e as unknown as { transform(X: unknown): Matrix }).transform(sub)));
    }
    if (this.params.remainder === 'passthrough' && this.remainderColumns_!.length) {
      outputs.push(pendingOf(passthrough(t.select(this.remainderColumns_!), 'remainder')));
    }
    return hstack(outputs, t.nRows, this.featureNamesOut_!);
  }

  /** Names of the output columns. */
  getFeatureNamesOut(): string[] {
    this.assertFitted('getFeatureNamesOut');
    return [...this.featureNamesOut_!];
  }

  /**
   * The categories learned for input column `name` by the transformer of its route (an encoder,
   * or a pipeline holding one), else those the `schema` parameter lists; undefined when neither
   * knows them.
   */
  fittedCategories(name: string): readonly Category[] | undefined {
    if (!this.isFitted()) return undefined;
    for (const r of this.transformers_!) {
      if (typeof r.transformer === 'string' || !r.columns.includes(name)) continue;
      const cats = fittedCategoriesOf(r.transformer, name);
      if (cats) return cats;
    }
    return this.params.schema?.columns.find((c) => c.name === name)?.categories;
  }

  /** The fitted routes in words: which columns went where and what came out. */
  describe(): RouteDescription[] {
    this.assertFitted('describe');
    const out: RouteDescription[] = this.transformers_!.map((r) => ({
      route: r.name,
      transformer: describeTransformer(r.transformer),
      columns: [...r.columns],
      outputs: [...r.outputs],
    }));
    if (this.remainderColumns_!.length) {
      out.push({
        route: 'remainder',
        transformer: this.params.remainder,
        columns: [...this.remainderColumns_!],
        outputs: this.params.remainder === 'passthrough' ? [...this.remainderColumns_!] : [],
      });
    }
    return out;
  }

  /** The notes attached to the columns (e.g. `dropped: customer_id (id-like)`), as given in the parameters. */
  get notes(): ColumnNote[] {
    return this.params.notes.map((n) => ({ ...n }));
  }

  private resolve(t: Table, route: string, selector: string[] | ColumnSelector): string[] {
    if (Array.isArray(selector)) {
      for (const name of selector) {
        if (!t.has(name)) {
          const near = closest(name, t.columnNames);
          throw new ValidationError(
            `ColumnTransformer.fit: route '${route}' names column '${name}', which X lacks.`,
            {
              field: name,
              fix: near
                ? `did you mean '${near}'? The columns are: ${t.columnNames.join(', ')}`
                : `the columns are: ${t.columnNames.join(', ')}`,
            },
          );
        }
      }
      return [...selector];
    }
    const semantic = new Map<string, SemanticType>();
    for (const c of this.params.schema?.columns ?? []) semantic.set(c.name, c.type);
    const types = selector.type === undefined ? null : ([] as string[]).concat(selector.type);
    const storages = selector.storage === undefined ? null : ([] as string[]).concat(selector.storage);
    const re = selector.pattern === undefined ? null : new RegExp(selector.pattern);
    const exclude = new Set(selector.exclude ?? []);
    return t.columns
      .filter((c) => {
        if (exclude.has(c.name)) return false;
        if (storages && !storages.includes(c.type)) return false;
        if (types && !types.includes(semantic.get(c.name) ?? c.type)) return false;
        if (re && !re.test(c.name)) return false;
        return true;
      })
      .map((c) => c.name);
  }

  private outputNames(routes: FittedRoute[], remainder: string[]): string[] {
    const all: { route: string; name: string }[] = [];
    for (const r of routes) for (const o of r.outputs) all.push({ route: r.name, name: o });
    if (this.params.remainder === 'passthrough')
      for (const c of remainder) all.push({ route: 'remainder', name: c });
    const count = new Map<string, number>();
    for (const a of all) count.set(a.name, (count.get(a.name) ?? 0) + 1);
    const verbose = this.params.verboseFeatureNamesOut;
    return all.map((a) => (verbose || count.get(a.name)! > 1 ? `${a.route}__${a.name}` : a.name));
  }

  override toJSON(): EstimatorJSON {
    const { transformers, ...rest } = this.params;
    return {
      type: this.typeName,
      version: ColumnTransformer.stateVersion,
      params: {
        ...(rest as unknown as PlainObject),
        transformers: transformers.map(([n, t, c]) => [
          n,
          t instanceof Estimator ? paramsJSON(t) : t,
          (Array.isArray(c) ? [...c] : { ...c }) as PlainValue,
        ]),
      },
      state: this.isFitted() ? { featureNamesIn: [...this.featureNamesIn_!], ...this.getState() } : null,
    };
  }

  protected getState(): PlainObject {
    return {
      inputTypes: [...this.inputTypes_!],
      routes: this.transformers_!.map((r) => ({
        name: r.name,
        transformer:
          r.transformer instanceof Estimator
            ? (r.transformer.toJSON() as unknown as PlainValue)
            : r.transformer,
        columns: [...r.columns],
        outputs: [...r.outputs],
      })),
      remainder: [...this.remainderColumns_!],
      featureNamesOut: [...this.featureNamesOut_!],
    };
  }

  /**
   * Checks one known input type per input column, and each saved route: a valid transformer
   * ('drop', 'passthrough', or an estimator — restored with its own checks — fitted on exactly the
   * route's columns when it has any), columns that are input columns, and outputs matching what the
   * route gives (none when dropped, its columns when passed through, the transformer's output
   * names otherwise); remainder columns that are input columns; and one output name per output
   * column. A damaged or edited package is refused rather than selecting columns that are not
   * there or returning a matrix whose names do not fit it.
   */
  protected setState(s: PlainObject): void {
    const who = this.typeName;
    const names = s.featureNamesIn as string[];
    const inputs = new Set(names);
    const types = readInputTypes(this, s, names.length);
    const saved = s.routes;
    if (!Array.isArray(saved)) throw damagedState(who, 'routes', 'is missing or not a list of routes');
    const badRoute = (i: number, problem: string) => damagedState(who, 'routes', `route ${i} ${problem}`);
    const inputColumns = (o: PlainObject, key: string, what: string): string[] => {
      const cols = readStrings(this, o, key);
      const unknown = cols.find((c) => !inputs.has(c));
      if (unknown !== undefined)
        throw damagedState(who, what, `names column '${unknown}', which is not an input column`);
      return cols;
    };
    const routes = saved.map((r, i): FittedRoute => {
      if (r === null || typeof r !== 'object' || Array.isArray(r) || ArrayBuffer.isView(r)) {
        throw badRoute(i, 'is not an object');
      }
      const o = r as PlainObject;
      if (typeof o.name !== 'string') throw badRoute(i, 'has no name');
      const t = o.transformer;
      let transformer: RouteTransformer;
      if (t === 'drop' || t === 'passthrough') transformer = t;
      else if (isEstimatorJSON(t)) transformer = decodeEstimator(t) as Estimator;
      else throw badRoute(i, "has no valid transformer (an estimator, 'drop' or 'passthrough')");
      const columns = inputColumns(o, 'columns', 'routes');
      const outputs = readStrings(this, o, 'outputs');
      let expected: number;
      if (transformer === 'drop' || columns.length === 0) expected = 0;
      else if (transformer === 'passthrough') expected = columns.length;
      else {
        const fittedOn = transformer.featureNamesIn_;
        if (fittedOn === undefined)
          throw badRoute(i, `('${o.name}') holds an unfitted ${transformer.typeName}`);
        if (fittedOn.length !== columns.length || fittedOn.some((c, k) => c !== columns[k])) {
          throw badRoute(
            i,
            `('${o.name}') lists columns ${columns.join(', ')}, but its ${transformer.typeName} was fitted on ${fittedOn.join(', ')}`,
          );
        }
        const out = (transformer as unknown as { getFeatureNamesOut?: () => string[] }).getFeatureNamesOut;
        expected = typeof out === 'function' ? out.call(transformer).length : outputs.length;
      }
      if (outputs.length !== expected) {
        throw badRoute(
          i,
          `('${o.name}') lists ${outputs.length} outputs, but its transformer gives ${expected}`,
        );
      }
      return { name: o.name, transformer, columns, outputs };
    });
    const remainder = inputColumns(s, 'remainder', 'remainder');
    const out = readStrings(this, s, 'featureNamesOut');
    const routed = routes.reduce((n, r) => n + r.outputs.length, 0);
    // The remainder's columns are outputs when it was passed through in fit.
    if (out.length !== routed && out.length !== routed + remainder.length) {
      throw damagedState(
        who,
        'featureNamesOut',
        `has ${out.length} names, but the routes give ${routed} outputs (${routed + remainder.length} with the remainder)`,
      );
    }
    this.transformers_ = routes;
    this.remainderColumns_ = remainder;
    this.featureNamesOut_ = out;
    this.inputTypes_ = types;
  }
}

function describeTransformer(t: RouteTransformer): string {
  if (!(t instanceof Estimator)) return t;
  const steps = (t.getParams() as { steps?: [string, Estimator][] }).steps;
  return t.typeName === 'Pipeline' && Array.isArray(steps)
    ? steps.map(([, e]) => describeTransformer(e)).join(' → ')
    : t.typeName;
}

/** Numeric-like columns as they are; a categorical or text column is an error naming the route. */
function passthrough(t: Table, route: string): Matrix {
  for (const c of t.columns) {
    if (c.type === 'categorical' || c.type === 'text') {
      throw new ValidationError(
        `ColumnTransformer: '${route}' passes column '${c.name}' through, but it is ${c.type} and the output is numeric.`,
        { field: c.name, fix: 'route it to an encoder (OneHotEncoder, OrdinalEncoder), or drop it' },
      );
    }
  }
  return t.toMatrix();
}

/**
 * Side-by-side concatenation of the routes' outputs: one fresh matrix, each route writing its own
 * columns (see `pending-output.ts`).
 */
function hstack(parts: readonly PendingOutput[], rows: number, names: readonly string[]): Matrix {
  const width = parts.reduce((s, p) => s + p.cols, 0);
  // One route whose output exists already: it is fresh and unshared, so no copy is needed.
  const only = parts.length === 1 ? parts[0].finished : undefined;
  if (only && only.rows === rows) return matrix(only.data, rows, only.cols, names);
  for (const p of parts) {
    if (p.rows !== rows) {
      throw new ValidationError(`ColumnTransformer: a route returned ${p.rows} rows for ${rows} input rows.`);
    }
  }
  const data = new Float64Array(rows * width);
  let offset = 0;
  for (const p of parts) {
    p.writeInto(data, width, offset);
    offset += p.cols;
  }
  return matrix(data, rows, width, names);
}

registerEstimator(ColumnTransformer);
