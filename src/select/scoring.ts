/**
 * Scorers: scikit-learn's scorer names (`'accuracy'`, `'roc_auc'`, `'f1_macro'`,
 * `'neg_root_mean_squared_error'`, `'r2'`, …) mapped to Lathe's metrics, and
 * {@link makeScorer} for your own functions. A scorer's value is always "greater is better":
 * losses are negated, as scikit-learn's `neg_*` scorers are.
 *
 * Scorers run on the calling thread, on predictions the folds send back (labels as codes into the
 * sorted classes, probabilities with one column per class), so any function works as a scorer
 * however many worker threads fit the folds.
 *
 * Binary `precision`/`recall`/`f1` (scikit-learn's `pos_label=1`) take class `1` as positive when
 * the classes include it, otherwise the second class in sorted order; `roc_auc`,
 * `average_precision` and `neg_brier_score` score the probability of the second class. That is
 * scikit-learn 1.2 for classes {0, 1}, {-1, 1} and booleans; for string classes, numbers without 1,
 * and `average_precision` on {1, 2} scikit-learn's `pos_label=1` differs (it mostly fails to NaN),
 * a deliberate difference listed in docs/model-selection.md.
 *
 * @module
 */

import { show, ValidationError } from '../core/errors.ts';
import { decodeLabels, type Label } from '../core/labels.ts';
import { type Matrix, matrix } from '../core/matrix.ts';
import { closest } from '../core/params.ts';
import {
  accuracyScore,
  adjustedMutualInfoScore,
  adjustedRandScore,
  averagePrecisionScore,
  balancedAccuracyScore,
  brierScoreLoss,
  completenessScore,
  explainedVarianceScore,
  f1Score,
  fowlkesMallowsScore,
  homogeneityScore,
  logLoss,
  matthewsCorrcoef,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  medianAbsoluteError,
  mutualInfoScore,
  normalizedMutualInfoScore,
  precisionScore,
  r2Score,
  randScore,
  recallScore,
  rocAucScore,
  rootMeanSquaredError,
  vMeasureScore,
} from '../metrics/index.ts';

/** What a scorer needs from the fitted model. */
export type ScorerNeeds = 'predict' | 'proba' | 'threshold';

/** Predictions of one fold, as scorers receive them. */
export interface FoldPredictions {
  /** Predicted class codes (into `classes`), regression values, or cluster indices. */
  pred?: Int32Array | Float64Array;
  /** Class probabilities, rows × classes (the sorted classes of the whole y). */
  proba?: Float64Array;
  /** Decision scores (rows × columns; 1 column for binary) when the model has no probabilities. */
  decision?: Float64Array;
  /** Columns of `decision`. */
  decisionCols?: number;
  /**
   * The fitted model's classes as codes into the classes of the whole y (with `proba` or
   * `decision`): fewer than all of them when the fold's training rows miss a class.
   */
  classCodes?: Int32Array;
}

/** What a scorer gets: the truth and the predictions of the same rows. */
export interface ScorerInput {
  /** Class codes into `classes` (classification) or target values (regression). */
  yTrue: Int32Array | Float64Array;
  /** The sorted classes of the whole y, or null for regression and clustering. */
  classes: Label[] | null;
  predictions: FoldPredictions;
}

/** A scorer: greater is better. */
export interface Scorer {
  /** The name results are reported under. */
  readonly name: string;
  /** What the model must produce. */
  readonly needs: ScorerNeeds;
  /** +1 when the underlying metric is greater-is-better, -1 for a negated loss. */
  readonly sign: 1 | -1;
  /** The (signed) score. */
  score(input: ScorerInput): number;
}

/** A user scoring function: truth and predictions as labels/values (or probabilities as a Matrix). */
export type ScoreFunction = (yTrue: Label[] | Float64Array, yPred: Label[] | Float64Array | Matrix) => number;

/** Options of {@link makeScorer}. */
export interface MakeScorerOptions {
  /** Name in results (default `'score'`). */
  name?: string;
  /** Whether larger values of `fn` are better (default true); if not, the scorer negates it. */
  greaterIsBetter?: boolean;
  /**
   * What `fn` takes as yPred: `'predict'` (labels or values, default), `'proba'` (a Matrix of
   * class probabilities, columns named after the classes) or `'threshold'` (as `'proba'`,
   * falling back to decision scores).
   */
  needs?: ScorerNeeds;
}

/**
 * A scorer from a function of (truth, prediction), as scikit-learn's `make_scorer`.
 *
 * @example
 * const maxError = makeScorer((t, p) => Math.max(...(t as Float64Array).map((v, i) => Math.abs(v - (p as Float64Array)[i]))), { name: 'maxError', greaterIsBetter: false });
 */
export function makeScorer(fn: ScoreFunction, options: MakeScorerOptions = {}): Scorer {
  if (typeof fn !== 'function') {
    throw new ValidationError(`makeScorer: expected a function; got ${show(fn)}.`, { field: 'fn' });
  }
  const sign = options.greaterIsBetter === false ? -1 : 1;
  const needs = options.needs ?? 'predict';
  return {
    name: options.name ?? 'score',
    needs,
    sign,
    score({ yTrue, classes, predictions }) {
      const truth = classes ? decodeLabels(yTrue, classes) : (yTrue as Float64Array);
      let pred: Label[] | Float64Array | Matrix;
      if (needs === 'predict') {
        const p = predictions.pred!;
        pred = classes ? decodeLabels(p, classes) : (p as Float64Array);
      } else {
        pred = scoreMatrix(predictions, yTrue.length, classes);
      }
      return sign * fn(truth, pred);
    },
  };
}

function scoreMatrix(p: FoldPredictions, n: number, classes: Label[] | null): Matrix {
  if (p.proba && classes) return matrix(p.proba, n, classes.length, classes.map(String));
  if (p.decision) return matrix(p.decision, n, p.decisionCols ?? 1);
  throw new ValidationError('scorer: the model produced neither probabilities nor decision scores.', {
    fix: 'use a scorer that needs predictions only (e.g. accuracy), or a model with predictProba',
  });
}

/** What to suggest instead of a binary scorer that has no `_macro` variant. */
const MULTICLASS_VARIANT: Record<string, string> = {
  roc_auc: "'roc_auc_ovr' (or 'roc_auc_ovo')",
  average_precision: "a multiclass probability scorer ('roc_auc_ovr' or 'neg_log_loss')",
  neg_brier_score: "a multiclass probability scorer ('neg_log_loss' or 'roc_auc_ovr')",
};

/** Binary positive class: 1 when present, else the second sorted class. Returns its code. */
function positiveCode(classes: Label[] | null, who: string): number {
  if (classes?.length !== 2) {
    throw new ValidationError(
      `scorer '${who}' is for binary targets; this target has ${classes ? classes.length : 'no'} classes.`,
      {
        field: 'scoring',
        fix: `use ${MULTICLASS_VARIANT[who] ?? `the averaged variant '${who}_macro'`} for multiclass targets`,
      },
    );
  }
  const one = classes.indexOf(1);
  return one >= 0 ? one : 1;
}

/** Scores of the second class (binary threshold scorers): probability, or the decision score. */
function positiveScores(p: FoldPredictions, n: number, classes: Label[] | null, who: string): Float64Array {
  positiveCode(classes, who);
  const out = new Float64Array(n);
  if (p.proba) {
    for (let i = 0; i < n; i++) out[i] = p.proba[2 * i + 1];
    return out;
  }
  if (p.decision) {
    const c = p.decisionCols ?? 1;
    for (let i = 0; i < n; i++) out[i] = p.decision[i * c + c - 1];
    return out;
  }
  throw new ValidationError(`scorer '${who}': the model has neither predictProba nor decisionFunction.`, {
    field: 'scoring',
  });
}

function codesRange(k: number): number[] {
  return Array.from({ length: k }, (_, i) => i);
}

function probaMatrix(p: FoldPredictions, n: number, classes: Label[] | null, who: string): Matrix {
  if (!classes || !p.proba) {
    throw new ValidationError(`scorer '${who}' needs class probabilities (predictProba).`, {
      field: 'scoring',
      fix: 'use a classifier that has predictProba',
    });
  }
  return matrix(p.proba, n, classes.length);
}

type Builtin = { needs: ScorerNeeds; sign: 1 | -1; fn: (i: ScorerInput, name: string) => number };

const labelScorer = (
  f: (t: Int32Array, p: Int32Array, classes: Label[] | null, name: string) => number,
  sign: 1 | -1 = 1,
): Builtin => ({
  needs: 'predict',
  sign,
  fn: ({ yTrue, classes, predictions }, name) =>
    f(yTrue as Int32Array, predictions.pred as Int32Array, classes, name),
});

const regressionScorer = (f: (t: Float64Array, p: Float64Array) => number, sign: 1 | -1): Builtin => ({
  needs: 'predict',
  sign,
  fn: ({ yTrue, classes, predictions }, name) =>
    classes
      ? f(classValues(yTrue, classes, name), classValues(predictions.pred!, classes, name))
      : f(yTrue as Float64Array, predictions.pred as Float64Array),
});

/**
 * The numeric class labels of class codes: a regression scorer on a classifier scores the labels
 * themselves (as scikit-learn does), not their positions in the sorted classes.
 */
function classValues(codes: ArrayLike<number>, classes: Label[], name: string): Float64Array {
  const bad = classes.find((c) => typeof c !== 'number');
  if (bad !== undefined) {
    throw new ValidationError(
      `scorer '${name}' needs numeric labels; this target has the class ${show(bad)}.`,
      { field: 'scoring', fix: "use a classification scorer such as 'accuracy' or 'f1_macro'" },
    );
  }
  return Float64Array.from(codes, (c) => classes[c] as number);
}

function averaged(
  metric: typeof f1Score,
  average: 'binary' | 'micro' | 'macro' | 'weighted',
): (t: Int32Array, p: Int32Array, classes: Label[] | null, name: string) => number {
  // Averages over the labels present in truth or prediction, as scikit-learn's scorers do.
  return (t, p, classes, name) =>
    average === 'binary'
      ? metric(t, p, { average: 'binary', posLabel: positiveCode(classes, name) })
      : metric(t, p, { average });
}

const BUILTIN: Record<string, Builtin> = {
  accuracy: labelScorer((t, p) => accuracyScore(t, p)),
  balanced_accuracy: labelScorer((t, p) => balancedAccuracyScore(t, p)),
  matthews_corrcoef: labelScorer((t, p) => matthewsCorrcoef(t, p)),
  f1: labelScorer(averaged(f1Score, 'binary')),
  f1_micro: labelScorer(averaged(f1Score, 'micro')),
  f1_macro: labelScorer(averaged(f1Score, 'macro')),
  f1_weighted: labelScorer(averaged(f1Score, 'weighted')),
  precision: labelScorer(averaged(precisionScore as typeof f1Score, 'binary')),
  precision_micro: labelScorer(averaged(precisionScore as typeof f1Score, 'micro')),
  precision_macro: labelScorer(averaged(precisionScore as typeof f1Score, 'macro')),
  precision_weighted: labelScorer(averaged(precisionScore as typeof f1Score, 'weighted')),
  recall: labelScorer(averaged(recallScore as typeof f1Score, 'binary')),
  recall_micro: labelScorer(averaged(recallScore as typeof f1Score, 'micro')),
  recall_macro: labelScorer(averaged(recallScore as typeof f1Score, 'macro')),
  recall_weighted: labelScorer(averaged(recallScore as typeof f1Score, 'weighted')),
  roc_auc: {
    needs: 'threshold',
    sign: 1,
    fn: ({ yTrue, classes, predictions }, name) => {
      const s = positiveScores(predictions, yTrue.length, classes, name);
      return rocAucScore(binaryTruth(yTrue as Int32Array), s);
    },
  },
  average_precision: {
    needs: 'threshold',
    sign: 1,
    fn: ({ yTrue, classes, predictions }, name) => {
      const s = positiveScores(predictions, yTrue.length, classes, name);
      return averagePrecisionScore(binaryTruth(yTrue as Int32Array), s);
    },
  },
  neg_brier_score: {
    needs: 'proba',
    sign: -1,
    fn: ({ yTrue, classes, predictions }, name) => {
      const m = probaMatrix(predictions, yTrue.length, classes, name);
      positiveCode(classes, name);
      const s = new Float64Array(m.rows);
      for (let i = 0; i < m.rows; i++) s[i] = m.data[2 * i + 1];
      return brierScoreLoss(binaryTruth(yTrue as Int32Array), s);
    },
  },
  neg_log_loss: {
    needs: 'proba',
    sign: -1,
    fn: ({ yTrue, classes, predictions }, name) =>
      logLoss(yTrue as Int32Array, probaMatrix(predictions, yTrue.length, classes, name), {
        labels: codesRange(classes!.length),
      }),
  },
  ...Object.fromEntries(
    (
      [
        ['roc_auc_ovr', 'ovr', 'macro'],
        ['roc_auc_ovo', 'ovo', 'macro'],
        ['roc_auc_ovr_weighted', 'ovr', 'weighted'],
        ['roc_auc_ovo_weighted', 'ovo', 'weighted'],
      ] as const
    ).map(([name, multiClass, average]) => [
      name,
      {
        needs: 'proba',
        sign: 1,
        fn: ({ yTrue, classes, predictions }: ScorerInput) => {
          const m = probaMatrix(predictions, yTrue.length, classes, name);
          if (classes!.length === 2) {
            const s = new Float64Array(m.rows);
            for (let i = 0; i < m.rows; i++) s[i] = m.data[2 * i + 1];
            return rocAucScore(yTrue as Int32Array, s);
          }
          return rocAucScore(yTrue as Int32Array, m, {
            multiClass,
            average,
            labels: codesRange(classes!.length),
          });
        },
      } satisfies Builtin,
    ]),
  ),
  r2: regressionScorer((t, p) => r2Score(t, p), 1),
  explained_variance: regressionScorer((t, p) => explainedVarianceScore(t, p), 1),
  neg_mean_absolute_error: regressionScorer((t, p) => meanAbsoluteError(t, p), -1),
  neg_mean_squared_error: regressionScorer((t, p) => meanSquaredError(t, p), -1),
  neg_root_mean_squared_error: regressionScorer((t, p) => rootMeanSquaredError(t, p), -1),
  neg_median_absolute_error: regressionScorer((t, p) => medianAbsoluteError(t, p), -1),
  neg_mean_absolute_percentage_error: regressionScorer((t, p) => meanAbsolutePercentageError(t, p), -1),
  adjusted_rand_score: clusterScorer(adjustedRandScore),
  rand_score: clusterScorer(randScore),
  adjusted_mutual_info_score: clusterScorer((a, b) => adjustedMutualInfoScore(a, b)),
  normalized_mutual_info_score: clusterScorer((a, b) => normalizedMutualInfoScore(a, b)),
  mutual_info_score: clusterScorer(mutualInfoScore),
  homogeneity_score: clusterScorer(homogeneityScore),
  completeness_score: clusterScorer(completenessScore),
  v_measure_score: clusterScorer((a, b) => vMeasureScore(a, b)),
  fowlkes_mallows_score: clusterScorer(fowlkesMallowsScore),
};

function clusterScorer(f: (a: Int32Array | Float64Array, b: Int32Array | Float64Array) => number): Builtin {
  return {
    needs: 'predict',
    sign: 1,
    fn: ({ yTrue, predictions }) => f(yTrue, predictions.pred!),
  };
}

function binaryTruth(codes: Int32Array): Int32Array {
  // Codes are 0/1 already for a binary target (class 1 = the second sorted class).
  return codes;
}

/** The names {@link getScorer} knows (scikit-learn's scorer names). */
export const SCORER_NAMES: readonly string[] = Object.keys(BUILTIN).sort();

/** The scorer called `name` (a scikit-learn scorer name); unknown names throw with a did-you-mean. */
export function getScorer(name: string): Scorer {
  const b = Object.hasOwn(BUILTIN, name) ? BUILTIN[name] : undefined;
  if (!b) {
    const near = closest(name, SCORER_NAMES);
    throw new ValidationError(`Unknown scorer '${name}'.`, {
      field: 'scoring',
      fix: `${near ? `did you mean '${near}'? ` : ''}known scorers: ${SCORER_NAMES.join(', ')}`,
    });
  }
  return { name, needs: b.needs, sign: b.sign, score: (input) => b.sign * b.fn(input, name) };
}

/** What `scoring` options accept. */
export type ScoringInput =
  | string
  | Scorer
  | ScoreFunction
  | readonly (string | Scorer)[]
  | Record<string, string | Scorer | ScoreFunction>;

function isScorer(x: unknown): x is Scorer {
  return typeof x === 'object' && x !== null && typeof (x as Scorer).score === 'function';
}

function one(s: string | Scorer | ScoreFunction, name?: string): Scorer {
  if (typeof s === 'string') {
    const sc = getScorer(s);
    return name ? { ...sc, name } : sc;
  }
  if (isScorer(s)) return name ? { ...s, name, score: s.score.bind(s) } : s;
  if (typeof s === 'function') return makeScorer(s, { name: name ?? 'score' });
  throw new ValidationError(`scoring: expected a scorer name, a scorer or a function; got ${show(s)}.`, {
    field: 'scoring',
  });
}

/**
 * Resolves a `scoring` option to named scorers. Undefined means the estimator's own score:
 * accuracy for classifiers, R² for regressors (reported as `'score'`).
 */
export function resolveScoring(scoring: ScoringInput | undefined, kind: string): Scorer[] {
  if (scoring === undefined || scoring === null) {
    if (kind === 'classifier') return [{ ...getScorer('accuracy'), name: 'score' }];
    if (kind === 'regressor') return [{ ...getScorer('r2'), name: 'score' }];
    throw new ValidationError(`scoring: a ${kind} has no default score; name a scorer.`, {
      field: 'scoring',
      fix: "pass scoring, e.g. 'adjusted_rand_score'",
    });
  }
  let out: Scorer[];
  if (Array.isArray(scoring)) out = scoring.map((s) => one(s as string | Scorer));
  else if (typeof scoring === 'string' || typeof scoring === 'function' || isScorer(scoring)) {
    out = [one(scoring as string | Scorer | ScoreFunction)];
  } else if (typeof scoring === 'object') {
    out = Object.entries(scoring).map(([k, v]) => one(v, k));
  } else {
    throw new ValidationError(`scoring: unsupported value ${show(scoring)}.`, { field: 'scoring' });
  }
  if (out.length === 0)
    throw new ValidationError('scoring: the list of scorers is empty.', { field: 'scoring' });
  const names = new Set<string>();
  for (const s of out) {
    if (names.has(s.name)) {
      throw new ValidationError(`scoring: two scorers are named '${s.name}'.`, {
        field: 'scoring',
        fix: 'give each scorer a distinct name (use an object { name: scorer })',
      });
    }
    names.add(s.name);
  }
  return out;
}
