/**
 * Automatic preprocessing: one {@link ColumnTransformer} built from a table's {@link Schema}, with a
 * route per column type suited to the kind of model that follows — what `lathe train` (and later
 * `lathe run`) put in front of every model.
 *
 * | column type | linear / distance | tree | naive-bayes |
 * |---|---|---|---|
 * | numeric | median imputer (+ `name.missing` indicator when missing in fit) → StandardScaler | median imputer (+ indicator) | median imputer (+ indicator) |
 * | categorical | most-frequent imputer → OneHotEncoder (unknown → infrequent group or ignored; rare grouped) | most-frequent imputer → OrdinalEncoder (unknown → -1) | as linear |
 * | boolean | most-frequent imputer (0/1); text levels such as yes/no: imputer → OrdinalEncoder (0/1) | same | same |
 * | datetime | date parts (cyclic sin/cos) → median imputer → StandardScaler | date parts → median imputer | date parts → median imputer |
 * | text, id | dropped (noted) | dropped (noted) | dropped (noted) |
 * | any, without a single value | dropped (noted) | dropped (noted) | dropped (noted) |
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import type { Estimator } from '../core/estimator.ts';
import { type ColumnType, missingCount } from '../data/column.ts';
import type { ColumnSchema, Schema } from '../data/schema.ts';
import { inferSchema } from '../data/schema-infer.ts';
import { Table } from '../data/table.ts';
import { type ColumnNote, type ColumnRoute, ColumnTransformer } from './column-transformer.ts';
import { DatePartExtractor } from './date-part-extractor.ts';
import { OneHotEncoder } from './one-hot-encoder.ts';
import { OrdinalEncoder } from './ordinal-encoder.ts';
import { Pipeline, type PipelineStep } from './pipeline.ts';
import { SimpleImputer } from './simple-imputer.ts';
import { StandardScaler } from './standard-scaler.ts';

/** The kinds of model automatic preprocessing prepares data for. */
export type PreprocessFor = 'linear' | 'tree' | 'distance' | 'naive-bayes' | 'native';

/** Options of {@link autoPreprocessor}. */
export interface AutoPreprocessOptions {
  /** The kind of model that follows: decides scaling and the categorical encoding. */
  forModel: PreprocessFor;
  /** The target column, left out of the routes (pass X without it to `fit`). */
  target?: string | null;
  /** Other columns to leave out (they are dropped, with a note). */
  exclude?: readonly string[];
  /**
   * Columns without a single value in the training data (e.g. `trainModel`'s `emptyColumns`): they
   * carry no information and are dropped, with a note. A Table given as `schema` finds them itself.
   */
  empty?: readonly string[];
  /**
   * One-hot grouping of rare categories (linear, distance and naive-bayes models): categories in
   * fewer than `minFrequency` of the rows (a fraction, or an integer count), or beyond the
   * `maxCategories − 1` most frequent, share one `(infrequent)` column. Default 0.005 and 30.
   */
  minFrequency?: number | null;
  maxCategories?: number | null;
}

const FOR_MODEL: readonly PreprocessFor[] = ['linear', 'tree', 'distance', 'naive-bayes', 'native'];

const FAMILY_KIND: Record<string, PreprocessFor> = {
  linear: 'linear',
  ridge: 'linear',
  lasso: 'linear',
  elasticnet: 'linear',
  logistic: 'linear',
  tree: 'tree',
  'random-forest': 'tree',
  'extra-trees': 'tree',
  gbdt: 'native',
  knn: 'distance',
  kmeans: 'distance',
  dbscan: 'distance',
  pca: 'distance',
  'gaussian-nb': 'naive-bayes',
  'multinomial-nb': 'naive-bayes',
};

/** The preprocessing kind for a model FAMILY of the CLI (`logistic` → `linear`, `gbdt` → `tree`, …). */
export function preprocessKindForFamily(family: string): PreprocessFor {
  const kind = FAMILY_KIND[family];
  if (!kind) {
    throw new ValidationError(`Unknown model family '${family}'.`, {
      field: 'family',
      fix: `use one of ${Object.keys(FAMILY_KIND).join(', ')}`,
    });
  }
  return kind;
}

/**
 * The automatic preprocessing for a table with schema `schema` (or a Table, whose schema is then
 * inferred with `inferSchema`), for the model kind `options.forModel`. Returns an unfitted
 * {@link ColumnTransformer} whose routes are named `numeric`, `categorical`, `boolean`,
 * `boolean-text`, `datetime` and `dropped` (only those with columns); its `notes` say which columns are dropped
 * and why.
 *
 * @example
 * ```ts
 * const pre = autoPreprocessor(schema, { forModel: 'linear', target: 'churned' });
 * const model = new Pipeline({ steps: [['preprocess', pre], ['model', new LogisticRegression()]] });
 * model.fit(table.drop(['churned']), table.values('churned'));
 * pre.notes; // [{ column: 'customer_id', action: 'dropped', reason: 'id-like' }]
 * ```
 */
export function autoPreprocessor(schema: Schema | Table, options: AutoPreprocessOptions): ColumnTransformer {
  const kind = options?.forModel;
  if (!FOR_MODEL.includes(kind)) {
    throw new ValidationError(
      `autoPreprocessor: forModel must be one of ${FOR_MODEL.join(', ')}; got ${JSON.stringify(kind)}.`,
      {
        field: 'forModel',
        fix: "pass { forModel: 'linear' } (or 'tree', 'distance', 'naive-bayes'); preprocessKindForFamily(family) maps a CLI model family",
      },
    );
  }
  const s = schema instanceof Table ? inferSchema(schema) : schema;
  if (!s || !Array.isArray(s.columns)) {
    throw new ValidationError(
      'autoPreprocessor: expected a Schema ({ version: 1, columns: [...] }) or a Table.',
      {
        field: 'schema',
      },
    );
  }
  const target = options.target ?? null;
  if (target !== null && !s.columns.some((c) => c.name === target)) {
    throw new ValidationError(`autoPreprocessor: the target '${target}' is not a column of the schema.`, {
      field: 'target',
      fix: `the columns are: ${s.columns.map((c) => c.name).join(', ')}`,
    });
  }
  const exclude = new Set(options.exclude ?? []);
  const empty = new Set(
    options.empty ??
      (schema instanceof Table && schema.nRows > 0
        ? schema.columns.filter((c) => missingCount(c) === schema.nRows).map((c) => c.name)
        : []),
  );
  const scale = kind === 'linear' || kind === 'distance';
  const groups: Record<Exclude<Route, { reason: string }>, string[]> = {
    numeric: [],
    categorical: [],
    boolean: [],
    'boolean-text': [],
    datetime: [],
  };
  const byName = new Map(s.columns.map((c) => [c.name, c]));
  const dropped: string[] = [];
  const notes: ColumnNote[] = [];
  for (const c of s.columns) {
    if (c.name === target) continue;
    if (exclude.has(c.name)) {
      dropped.push(c.name);
      notes.push({ column: c.name, action: 'dropped', reason: 'excluded' });
      continue;
    }
    if (empty.has(c.name)) {
      dropped.push(c.name);
      notes.push({ column: c.name, action: 'dropped', reason: 'no values: every cell is empty' });
      continue;
    }
    const route = routeOf(c);
    if (typeof route === 'string') groups[route].push(c.name);
    else {
      dropped.push(c.name);
      notes.push({ column: c.name, action: 'dropped', reason: route.reason });
    }
  }

  const transformers: ColumnRoute[] = kind === 'native' ? nativeRoutes(groups, byName) : [];
  // The imputers keep a column that has no value in the rows they are fitted on (filled with 0, or
  // 'missing_value' for text): the routes are built from the whole table but fitted on part of it
  // — a cross-validation fold, a holdout's training rows — where a sparse column may be empty,
  // and dropping it would leave an encoder or scaler with no column to fit.
  if (kind === 'native') {
    // Models that learn missing values and categories themselves (gradient boosting): no imputation.
  } else {
    if (groups.numeric.length) {
      const steps: PipelineStep[] = [
        ['impute', new SimpleImputer({ strategy: 'median', addIndicator: true, keepEmptyFeatures: true })],
      ];
      if (scale) steps.push(['scale', new StandardScaler()]);
      transformers.push(['numeric', new Pipeline({ steps }), groups.numeric]);
    }
    if (groups.categorical.length) {
      const encode: Estimator =
        kind === 'tree'
          ? new OrdinalEncoder({ handleUnknown: 'use_encoded_value', unknownValue: -1 })
          : new OneHotEncoder({
              handleUnknown: 'infrequent_if_exist',
              minFrequency: options.minFrequency === undefined ? 0.005 : options.minFrequency,
              maxCategories: options.maxCategories === undefined ? 30 : options.maxCategories,
            });
      transformers.push([
        'categorical',
        new Pipeline({
          steps: [
            ['impute', new SimpleImputer({ strategy: 'most_frequent', keepEmptyFeatures: true })],
            ['encode', encode],
          ],
        }),
        groups.categorical,
      ]);
    }
    if (groups.boolean.length) {
      transformers.push([
        'boolean',
        new SimpleImputer({ strategy: 'most_frequent', keepEmptyFeatures: true }),
        groups.boolean,
      ]);
    }
    if (groups['boolean-text'].length) {
      // Two text levels such as yes/no: 0 for the false-like level, 1 for the true-like one.
      const levels = groups['boolean-text'].map((n) => booleanLevels(byName.get(n)!));
      const categories = levels.every((l) => l !== null) ? (levels as string[][]) : 'auto';
      transformers.push([
        'boolean-text',
        new Pipeline({
          steps: [
            ['impute', new SimpleImputer({ strategy: 'most_frequent', keepEmptyFeatures: true })],
            [
              'encode',
              new OrdinalEncoder({ categories, handleUnknown: 'use_encoded_value', unknownValue: -1 }),
            ],
          ],
        }),
        groups['boolean-text'],
      ]);
    }
    if (groups.datetime.length) {
      const steps: PipelineStep[] = [
        ['parts', new DatePartExtractor({ cyclic: scale })],
        ['impute', new SimpleImputer({ strategy: 'median', keepEmptyFeatures: true })],
      ];
      if (scale) steps.push(['scale', new StandardScaler()]);
      transformers.push(['datetime', new Pipeline({ steps }), groups.datetime]);
    }
  }
  if (dropped.length) transformers.push(['dropped', 'drop', dropped]);
  return new ColumnTransformer({ transformers, remainder: 'drop', schema: s, notes });
}

/**
 * Routes for models that handle missing values and categories natively (`forModel: 'native'`,
 * the `gbdt` family): numbers and booleans pass through with NaN kept; categories become ordinal
 * codes with missing and unseen categories as NaN (the model's missing bin); datetimes become date
 * parts, missing kept. The ordinal-coded columns keep their names, so they can be passed to the
 * model as `categoricalFeatures` (see {@link nativeCategoricalColumns}).
 */
function nativeRoutes(
  groups: Record<'numeric' | 'categorical' | 'boolean' | 'boolean-text' | 'datetime', string[]>,
  byName: Map<string, ColumnSchema>,
): ColumnRoute[] {
  const out: ColumnRoute[] = [];
  const passthrough = [...groups.numeric, ...groups.boolean];
  if (passthrough.length) out.push(['numeric', 'passthrough', passthrough]);
  const ordinal = () =>
    new OrdinalEncoder({
      handleUnknown: 'use_encoded_value',
      unknownValue: Number.NaN,
      encodedMissingValue: Number.NaN,
    });
  if (groups.categorical.length) out.push(['categorical', ordinal(), groups.categorical]);
  if (groups['boolean-text'].length) {
    const levels = groups['boolean-text'].map((n) => booleanLevels(byName.get(n)!));
    const categories = levels.every((l) => l !== null) ? (levels as string[][]) : 'auto';
    out.push([
      'boolean-text',
      new OrdinalEncoder({
        categories,
        handleUnknown: 'use_encoded_value',
        unknownValue: Number.NaN,
        encodedMissingValue: Number.NaN,
      }),
      groups['boolean-text'],
    ]);
  }
  if (groups.datetime.length)
    out.push(['datetime', new DatePartExtractor({ cyclic: false }), groups.datetime]);
  return out;
}

/** The columns of a `native` auto-preprocessor that carry category codes (for `categoricalFeatures`). */
export function nativeCategoricalColumns(pre: ColumnTransformer): string[] {
  const routes = (pre.getParams() as { transformers: ColumnRoute[] }).transformers;
  const cat = routes.find((r) => r[0] === 'categorical');
  return cat && Array.isArray(cat[2]) ? [...(cat[2] as string[])] : [];
}

type Route = 'numeric' | 'categorical' | 'boolean' | 'boolean-text' | 'datetime' | { reason: string };

const TRUE_LIKE = /^(true|yes|y|t|1)$/i;
const FALSE_LIKE = /^(false|no|n|f|0)$/i;

/** The [false-like, true-like] levels of a two-level text column, when the schema lists them. */
function booleanLevels(c: ColumnSchema): string[] | null {
  const cats = c.categories;
  if (cats?.length !== 2) return null;
  const t = cats.find((x) => TRUE_LIKE.test(x));
  const f = cats.find((x) => FALSE_LIKE.test(x));
  return t !== undefined && f !== undefined && t !== f ? [f, t] : null;
}

const NUMERIC_LIKE: readonly ColumnType[] = ['numeric', 'boolean'];

/** Which route a column takes, by semantic type and (where they disagree) storage type. */
function routeOf(c: ColumnSchema): Route {
  const storage = c.storage ?? (c.type === 'id' ? 'numeric' : (c.type as ColumnType));
  switch (c.type) {
    case 'id':
      return { reason: 'id-like' };
    case 'text':
      return { reason: 'free text' };
    case 'datetime':
      return storage === 'datetime'
        ? 'datetime'
        : { reason: `datetime stored as ${storage}; read it as a datetime to use it` };
    case 'boolean':
      return NUMERIC_LIKE.includes(storage)
        ? 'boolean'
        : storage === 'datetime'
          ? { reason: 'boolean stored as datetime' }
          : 'boolean-text';
    case 'numeric':
      return NUMERIC_LIKE.includes(storage) || storage === 'datetime' ? 'numeric' : 'categorical';
    case 'categorical':
      return storage === 'datetime' ? { reason: 'categorical stored as datetime' } : 'categorical';
    default:
      return { reason: `unknown column type '${String(c.type)}'` };
  }
}

/** One line per note, as `lathe train` prints them: `dropped: customer_id (id-like)`. */
export function formatNotes(notes: readonly ColumnNote[]): string[] {
  return notes.map((n) => `${n.action}: ${n.column} (${n.reason})`);
}
