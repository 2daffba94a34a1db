/**
 * The declared parameters of histogram gradient boosting, and the checks that need the data
 * (categorical features, the category cap).
 *
 * @module
 */

import { ValidationError } from '../../../core/errors.ts';
import type { Matrix } from '../../../core/matrix.ts';
import { type ParamSpec, type ParamsOf, p } from '../../../core/params.ts';

const maxBinsSpec: ParamSpec<number> = {
  ...p.int({ min: 2, max: 255, default: 255 }),
  why: 'each value is stored in one byte, and one more bin is kept for missing values',
  doc: 'bins for non-missing values per feature',
};

/** Parameters shared by the classifier and the regressor. */
export const commonSchema = {
  learningRate: p.float({ gt: 0, default: 0.1, doc: 'shrinkage applied to every leaf value' }),
  maxIter: p.int({ min: 1, default: 100, doc: 'boosting iterations (trees per output)' }),
  maxLeafNodes: p.nullable(p.int({ min: 2 }), {
    default: 31,
    doc: 'maximum leaves per tree (null: no limit)',
  }),
  maxDepth: p.nullable(p.int({ min: 1 }), { default: null, doc: 'maximum depth of a tree (null: no limit)' }),
  minSamplesLeaf: p.int({ min: 1, default: 20, doc: 'minimum rows in a leaf' }),
  l2Regularization: p.float({ min: 0, default: 0, doc: 'L2 penalty on leaf values (λ)' }),
  minGainToSplit: p.float({ min: 0, default: 0, doc: 'minimum gain of a split' }),
  maxBins: maxBinsSpec,
  categoricalFeatures: p.nullable(
    p.union([p.array(p.int({ min: 0 })), p.array(p.string()), p.array(p.bool())]),
    { default: null, doc: 'categorical columns: indices, names, or a boolean mask' },
  ),
  maxCategories: p.nullable(p.int({ min: 2, max: 255 }), {
    default: null,
    doc: 'cap on category bins per categorical feature (null: maxBins); rarer categories share one bin',
  }),
  earlyStopping: p.oneOf(['auto', true, false] as const, {
    default: 'auto',
    doc: "'auto': on when there are more than 10 000 rows",
  }),
  validationFraction: p.nullable(p.float({ gt: 0, lt: 1 }), {
    default: 0.1,
    doc: 'share of rows held out for early stopping (null: score the training data)',
  }),
  nIterNoChange: p.int({ min: 1, default: 10, doc: 'stop after this many iterations without improvement' }),
  tol: p.float({ min: 0, default: 1e-7, doc: 'minimum improvement of the score' }),
  scoring: p.nullable(p.oneOf(['loss'] as const), {
    default: 'loss',
    doc: "early-stopping score: 'loss', or null for the estimator's score (accuracy / R²)",
  }),
  seed: p.int({ min: 0, default: 0, doc: 'seed of the binning subsample and the validation split' }),
  nThreads: p.nullable(p.int({ min: 1 }), {
    default: null,
    doc: 'worker threads (null: LATHE_THREADS or all cores)',
  }),
};

/** Parameters of {@link HistGradientBoostingClassifier}. */
export const classifierSchema = {
  loss: p.oneOf(['log_loss'] as const, { default: 'log_loss', doc: 'binary or multinomial log loss' }),
  ...commonSchema,
  classWeight: p.nullable(p.union([p.oneOf(['balanced'] as const), p.record(p.float({ min: 0 }))]), {
    default: null,
    doc: "weights per class: 'balanced' or { label: weight }",
  }),
};

/** Parameters of {@link HistGradientBoostingRegressor}. */
export const regressorSchema = {
  loss: p.oneOf(['squared_error', 'absolute_error', 'huber', 'poisson'] as const, {
    default: 'squared_error',
  }),
  ...commonSchema,
  huberQuantile: p.float({
    gt: 0,
    lt: 1,
    default: 0.9,
    doc: 'Huber loss: δ is this quantile of the absolute residuals',
  }),
};

export type HGBClassifierParams = ParamsOf<typeof classifierSchema>;
export type HGBRegressorParams = ParamsOf<typeof regressorSchema>;

/** Resolves `categoricalFeatures` against X's columns into one flag per column. */
export function resolveCategorical(
  spec: readonly (number | string | boolean)[] | null,
  X: Matrix,
  who: string,
): Uint8Array {
  const d = X.cols;
  const out = new Uint8Array(d);
  if (spec === null || spec.length === 0) return out;
  if (typeof spec[0] === 'boolean') {
    if (spec.length !== d) {
      throw new ValidationError(
        `${who}: categoricalFeatures as a boolean mask has ${spec.length} entries, but X has ${d} columns.`,
        { field: 'categoricalFeatures', fix: 'give one true/false per column, or list indices or names' },
      );
    }
    spec.forEach((b, j) => {
      out[j] = b ? 1 : 0;
    });
    return out;
  }
  for (const s of spec) {
    if (typeof s === 'number') {
      if (s >= d) {
        throw new ValidationError(
          `${who}: categoricalFeatures names column index ${s}, but X has ${d} columns (0..${d - 1}).`,
          { field: 'categoricalFeatures', fix: `use indices in [0, ${d - 1}]` },
        );
      }
      out[s] = 1;
    } else {
      const j = X.columns.indexOf(String(s));
      if (j < 0) {
        throw new ValidationError(`${who}: categoricalFeatures names column '${s}', which is not in X.`, {
          field: 'categoricalFeatures',
          fix: `use column names of X: ${X.columns.slice(0, 10).join(', ')}${X.columns.length > 10 ? ', …' : ''}`,
        });
      }
      out[j] = 1;
    }
  }
  return out;
}
