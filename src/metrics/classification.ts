/**
 * Label-based classification metrics: accuracy, balanced accuracy, and precision, recall and
 * F-scores with scikit-learn's averaging (`'binary'`, `'micro'`, `'macro'`, `'weighted'`, or
 * per class) and zero-division rules.
 *
 * @module
 */

import { show } from '../core/errors.ts';
import type { Label } from '../core/labels.ts';
import { warn } from '../core/warnings.ts';
import { classCounts, selectLabels } from './confusion.ts';
import {
  asLabel,
  asLabelsOption,
  asSampleWeight,
  checkOption,
  checkWeightSum,
  checkZeroDivision,
  classificationTargets,
  codeOf,
  fail,
  type LabelsInput,
  pyRepr,
  undefinedMetric,
  type ZeroDivision,
} from './validate.ts';

// ---------------------------------------------------------------------------------------------
// Accuracy

/** Options of {@link accuracyScore}. */
export interface AccuracyOptions {
  /** `true` (default): the fraction of correct predictions; `false`: their (weighted) number. */
  normalize?: boolean;
  /** Per-sample weights. */
  sampleWeight?: ArrayLike<number>;
}

/**
 * The fraction (or, with `normalize: false`, the number) of samples whose predicted label equals
 * the true label — scikit-learn's `accuracy_score`.
 *
 * @throws ValidationError for different lengths, empty inputs, missing labels, numbers mixed with
 *   strings, or non-integer numeric labels (continuous targets).
 * @example accuracyScore([0, 1, 2, 3], [0, 2, 1, 3]) // 0.5
 */
export function accuracyScore(yTrue: LabelsInput, yPred: LabelsInput, options: AccuracyOptions = {}): number {
  const who = 'accuracyScore';
  const t = classificationTargets(yTrue, yPred, who);
  const w = asSampleWeight(options.sampleWeight, t.n, who);
  const normalize = options.normalize ?? true;
  let hits = 0;
  let total = 0;
  for (let i = 0; i < t.n; i++) {
    const wi = w ? w[i] : 1;
    if (t.yTrue[i] === t.yPred[i]) hits += wi;
    total += wi;
  }
  if (!normalize) return hits;
  checkWeightSum(who, total);
  return hits / total;
}

/** Options of {@link balancedAccuracyScore}. */
export interface BalancedAccuracyOptions {
  /** Per-sample weights. */
  sampleWeight?: ArrayLike<number>;
  /** Rescale so that chance scores 0 and perfect scores 1 (default `false`). */
  adjusted?: boolean;
}

/**
 * The mean of the recalls of the classes present in `yTrue` — scikit-learn's
 * `balanced_accuracy_score`. Classes that occur only in `yPred` are left out, with a
 * `UserWarning` ("y_pred contains classes not in y_true"), as in scikit-learn.
 *
 * @example balancedAccuracyScore([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1]) // 0.625
 */
export function balancedAccuracyScore(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: BalancedAccuracyOptions = {},
): number {
  const who = 'balancedAccuracyScore';
  const t = classificationTargets(yTrue, yPred, who);
  const w = asSampleWeight(options.sampleWeight, t.n, who);
  const k = t.classes.length;
  const codes = new Int32Array(k);
  for (let c = 0; c < k; c++) codes[c] = c;
  const { tp, trueSum } = classCounts(t, codes, w);
  // All weights 0: no class has a recall (scikit-learn returns NaN, or divides by zero when adjusted).
  if (w)
    checkWeightSum(
      who,
      w.reduce((a, b) => a + b, 0),
    );
  const { score, dropped } = balancedAccuracyOfCounts(tp, trueSum, options.adjusted ?? false);
  if (dropped) warn('UserWarning', 'y_pred contains classes not in y_true');
  return score;
}

/**
 * Balanced accuracy from per-class true positives and true totals (classes in sorted order):
 * the mean recall of the classes with a true total; `dropped` when some class had none. The
 * arithmetic of {@link balancedAccuracyScore}, shared with the bootstrap of `lathe evaluate`.
 */
export function balancedAccuracyOfCounts(
  tp: ArrayLike<number>,
  trueSum: ArrayLike<number>,
  adjusted: boolean,
): { score: number; dropped: boolean } {
  let sum = 0;
  let m = 0;
  let dropped = false;
  for (let c = 0; c < tp.length; c++) {
    const r = tp[c] / trueSum[c];
    if (r !== r) {
      dropped = true;
      continue;
    }
    sum += r;
    m++;
  }
  let score = sum / m;
  if (adjusted) {
    const chance = 1 / m;
    score -= chance;
    score /= 1 - chance;
  }
  return { score, dropped };
}

// ---------------------------------------------------------------------------------------------
// Precision, recall, F-beta

/** How per-class scores are combined. */
export type ClassAverage = 'binary' | 'micro' | 'macro' | 'weighted';

/** Options shared by {@link precisionScore}, {@link recallScore}, {@link f1Score}, {@link fbetaScore}. */
export interface PrecisionRecallOptions {
  /**
   * The labels to score and, for `average: null`, their order. Default: every class in `yTrue`
   * or `yPred`, sorted. Labels absent from the data score 0 (with a warning); predictions of
   * unlisted classes still count as false positives of no listed class (so `'micro'` over a
   * subset differs from accuracy).
   */
  labels?: readonly (Label | boolean)[];
  /** The class that counts as positive with `average: 'binary'` (default `1`). */
  posLabel?: Label | boolean;
  /**
   * `'binary'` (default): only the `posLabel` class (binary targets only); `'micro'`: from the
   * total counts over the labels; `'macro'`: the unweighted mean over labels; `'weighted'`: the
   * mean weighted by support; `null`: one score per label.
   */
  average?: ClassAverage | null;
  /** Per-sample weights. */
  sampleWeight?: ArrayLike<number>;
  /**
   * The value of an undefined ratio (0/0): `'warn'` (default: 0 with an
   * `UndefinedMetricWarning`), `0` or `1`.
   */
  zeroDivision?: ZeroDivision;
}

/** Options of {@link precisionRecallFscoreSupport} and {@link fbetaScore}. */
export interface FbetaOptions extends PrecisionRecallOptions {
  /** The weight of recall relative to precision (`beta > 1` favours recall). Default 1. */
  beta?: number;
}

/** Per-label precision, recall, F-beta and support (the `average: null` result). */
export interface PerClassScores {
  /** The label of each entry. */
  labels: Label[];
  precision: Float64Array;
  recall: Float64Array;
  fbeta: Float64Array;
  /** The (weighted) number of samples of each label in `yTrue`. */
  support: Float64Array;
}

/** Averaged precision, recall and F-beta (`support` is `null`, as in scikit-learn). */
export interface AveragedScores {
  precision: number;
  recall: number;
  fbeta: number;
  support: null;
}

/** Which undefined ratios warn (with `zeroDivision: 'warn'`): see {@link PRF_WARN}. */
export type WarnFor = ReadonlySet<'precision' | 'recall' | 'f-score'>;
const WARN_ALL: WarnFor = new Set(['precision', 'recall', 'f-score']);
const WARN_PRECISION: WarnFor = new Set(['precision']);
const WARN_RECALL: WarnFor = new Set(['recall']);
const WARN_F: WarnFor = new Set(['f-score']);

/** The `warnFor` of {@link prfOfCounts} as each public function uses it. */
export const PRF_WARN = {
  precision: WARN_PRECISION,
  recall: WARN_RECALL,
  fscore: WARN_F,
} as const;

/**
 * Precision, recall, F-beta score and support for each label, or averaged — scikit-learn's
 * `precision_recall_fscore_support`. Default `average: null` (per label); with an average the
 * result holds numbers and `support` is `null`.
 *
 * @example
 * const r = precisionRecallFscoreSupport(['cat', 'dog', 'pig', 'cat'], ['cat', 'pig', 'dog', 'cat']);
 * r.labels;    // ['cat', 'dog', 'pig']
 * r.precision; // Float64Array [1, 0, 0]
 * r.support;   // Float64Array [2, 1, 1]
 */
export function precisionRecallFscoreSupport(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options?: FbetaOptions & { average?: null },
): PerClassScores;
export function precisionRecallFscoreSupport(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: FbetaOptions & { average: ClassAverage },
): AveragedScores;
export function precisionRecallFscoreSupport(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options?: FbetaOptions,
): PerClassScores | AveragedScores;
export function precisionRecallFscoreSupport(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: FbetaOptions = {},
): PerClassScores | AveragedScores {
  return prf(
    'precisionRecallFscoreSupport',
    yTrue,
    yPred,
    { ...options, average: options.average === undefined ? null : options.average },
    WARN_ALL,
  );
}

/**
 * Precision `tp / (tp + fp)`: the fraction of predicted positives that are positive —
 * scikit-learn's `precision_score` (default `average: 'binary'`, `posLabel: 1`). With
 * `average: null` it returns one value per label.
 *
 * @example precisionScore([0, 1, 1, 0], [1, 1, 1, 0]) // 0.6666…
 */
export function precisionScore(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: PrecisionRecallOptions & { average: null },
): Float64Array;
export function precisionScore(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options?: PrecisionRecallOptions,
): number;
export function precisionScore(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: PrecisionRecallOptions = {},
): number | Float64Array {
  return pick(prf('precisionScore', yTrue, yPred, options, WARN_PRECISION), 'precision');
}

/**
 * Recall `tp / (tp + fn)`: the fraction of positives found — scikit-learn's `recall_score`
 * (default `average: 'binary'`, `posLabel: 1`).
 *
 * @example recallScore([0, 1, 1, 0], [1, 1, 0, 0]) // 0.5
 */
export function recallScore(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: PrecisionRecallOptions & { average: null },
): Float64Array;
export function recallScore(yTrue: LabelsInput, yPred: LabelsInput, options?: PrecisionRecallOptions): number;
export function recallScore(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: PrecisionRecallOptions = {},
): number | Float64Array {
  return pick(prf('recallScore', yTrue, yPred, options, WARN_RECALL), 'recall');
}

/**
 * The F1 score, the harmonic mean of precision and recall — scikit-learn's `f1_score` (default
 * `average: 'binary'`, `posLabel: 1`).
 *
 * @example f1Score(['a', 'b', 'b'], ['a', 'b', 'a'], { average: 'macro' }) // 0.6666…
 */
export function f1Score(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: PrecisionRecallOptions & { average: null },
): Float64Array;
export function f1Score(yTrue: LabelsInput, yPred: LabelsInput, options?: PrecisionRecallOptions): number;
export function f1Score(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: PrecisionRecallOptions = {},
): number | Float64Array {
  return pick(prf('f1Score', yTrue, yPred, { ...options, beta: 1 }, WARN_F), 'fbeta');
}

/**
 * The F-beta score `(1 + β²)·P·R / (β²·P + R)` — scikit-learn's `fbeta_score`. `beta` is
 * required here too (β = 1 is {@link f1Score}; β = ∞ is recall).
 *
 * @example fbetaScore([0, 1, 1, 0], [1, 1, 0, 0], { beta: 2 }) // 0.5
 */
export function fbetaScore(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: FbetaOptions & { beta: number; average: null },
): Float64Array;
export function fbetaScore(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: FbetaOptions & { beta: number },
): number;
export function fbetaScore(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: FbetaOptions & { beta: number },
): number | Float64Array {
  if (options?.beta === undefined) {
    fail(
      'fbetaScore',
      'beta',
      'beta is required.',
      'pass { beta: 1 } for F1, 2 to favour recall, 0.5 for precision',
    );
  }
  return pick(prf('fbetaScore', yTrue, yPred, options, WARN_F), 'fbeta');
}

function pick(
  r: PerClassScores | AveragedScores,
  key: 'precision' | 'recall' | 'fbeta',
): number | Float64Array {
  return r[key];
}

/**
 * The shared implementation (scikit-learn's `precision_recall_fscore_support` with `warn_for`):
 * resolves the labels, counts, divides with the zero-division rule, and averages.
 */
export function prf(
  who: string,
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: FbetaOptions,
  warnFor: WarnFor,
): PerClassScores | AveragedScores {
  const zeroDivision = checkZeroDivision(who, options.zeroDivision ?? 'warn');
  const beta = options.beta ?? 1;
  if (typeof beta !== 'number' || !(beta >= 0)) {
    fail(who, 'beta', `beta should be ≥ 0 in the F-beta score; got ${show(beta)}.`, 'pass a beta ≥ 0');
  }
  if (beta !== Number.POSITIVE_INFINITY && beta * beta === Number.POSITIVE_INFINITY) {
    // scikit-learn computes beta ** 2 in Python floats, which raises OverflowError here.
    fail(
      who,
      'beta',
      `beta = ${show(beta)} is too large: beta² overflows.`,
      'pass beta: Infinity for recall alone, or a beta below 1e154',
    );
  }
  const average = checkOption(who, 'average', options.average === undefined ? 'binary' : options.average, [
    'binary',
    'micro',
    'macro',
    'weighted',
    null,
  ] as const);
  const t = classificationTargets(yTrue, yPred, who);
  const w = asSampleWeight(options.sampleWeight, t.n, who);
  const posLabel = options.posLabel ?? 1;

  let labels: Label[];
  let codes: Int32Array;
  if (average === 'binary') {
    if (t.type !== 'binary') {
      fail(
        who,
        'average',
        "the target is multiclass but average is 'binary'.",
        "choose another average: 'micro', 'macro', 'weighted' or null",
      );
    }
    const code = codeOf(t.classes, t.kind, posLabel, who, 'posLabel', t.classes.length < 2);
    if (code < 0 && t.classes.length >= 2) {
      fail(
        who,
        'posLabel',
        `posLabel=${show(posLabel)} is not a valid label. It should be one of ${t.classes.map((c) => show(c)).join(', ')}.`,
        `pass posLabel: ${show(t.classes[t.classes.length - 1])}`,
      );
    }
    labels = [asLabel(posLabel)];
    codes = Int32Array.of(code);
  } else {
    // scikit-learn warns when pos_label != 1; True == 1 in Python, and a boolean posLabel is 0/1 here.
    if (options.posLabel !== undefined && options.posLabel !== null && asLabel(options.posLabel) !== 1) {
      warn(
        'UserWarning',
        `Note that posLabel (set to ${pyRepr(posLabel)}) is ignored when average != 'binary' (got ${pyRepr(average)}). You may use labels=[posLabel] to specify a single positive class.`,
      );
    }
    const sel = selectLabels(t, asLabelsOption(options.labels, who), who, false);
    labels = sel.labels;
    codes = sel.codes; // −1 for a listed label absent from the data: zero counts
  }

  const { tp, predSum, trueSum } = classCounts(t, codes, w);
  if (w) {
    // scikit-learn rebuilds the totals from the confusion counts, tp + fp and tp + fn; with
    // fractional weights that rounds differently from the plain totals (a support of
    // 3.0329999999999995 rather than 3.033).
    for (let j = 0; j < tp.length; j++) {
      predSum[j] = tp[j] + (predSum[j] - tp[j]);
      trueSum[j] = tp[j] + (trueSum[j] - tp[j]);
    }
  }
  return prfOfCounts(tp, predSum, trueSum, labels, average, beta, zeroDivision, warnFor);
}

/**
 * Precision, recall and F-beta from per-label counts (true positives, predicted and true totals,
 * one entry per label of `labels`), averaged as `average` — the arithmetic of {@link prf} once the
 * labels are counted, shared with the bootstrap of `lathe evaluate`. `beta` and `zeroDivision`
 * must already be checked.
 */
export function prfOfCounts(
  tpIn: Float64Array,
  predSumIn: Float64Array,
  trueSumIn: Float64Array,
  labels: Label[],
  average: ClassAverage | null,
  beta: number,
  zeroDivision: ZeroDivision,
  warnFor: WarnFor,
): PerClassScores | AveragedScores {
  let tp = tpIn;
  let predSum = predSumIn;
  let trueSum = trueSumIn;
  if (average === 'micro') {
    tp = Float64Array.of(sum(tp));
    predSum = Float64Array.of(sum(predSum));
    trueSum = Float64Array.of(sum(trueSum));
  }
  const precision = prfDivide(tp, predSum, 'precision', 'predicted', warnFor, zeroDivision);
  const recall = prfDivide(tp, trueSum, 'recall', 'true', warnFor, zeroDivision);
  if (zeroDivision === 'warn' && warnFor === WARN_F) {
    for (let j = 0; j < trueSum.length; j++) {
      if (trueSum[j] === 0 && predSum[j] === 0) {
        warnPrf('true nor predicted', 'F-score is', trueSum.length);
        break;
      }
    }
  }
  const fbeta = new Float64Array(precision.length);
  const beta2 = beta * beta;
  for (let j = 0; j < fbeta.length; j++) {
    if (beta === Number.POSITIVE_INFINITY) {
      fbeta[j] = recall[j];
    } else {
      let denom = beta2 * precision[j] + recall[j];
      if (denom === 0) denom = 1;
      fbeta[j] = ((1 + beta2) * precision[j] * recall[j]) / denom;
    }
  }

  if (average === null) return { labels, precision, recall, fbeta, support: trueSum };
  let weights: Float64Array | null = null;
  if (average === 'weighted') {
    weights = trueSum;
    if (sum(weights) === 0) {
      const z = zeroDivision === 1 ? 1 : 0;
      if (sum(predSum) === 0) return { precision: z, recall: z, fbeta: z, support: null };
      return { precision: 0, recall: z, fbeta: 0, support: null };
    }
  }
  return {
    precision: weightedMean(precision, weights),
    recall: weightedMean(recall, weights),
    fbeta: weightedMean(fbeta, weights),
    support: null,
  };
}

function sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/** `np.average(a, weights=w)`; the plain mean without weights. */
function weightedMean(a: Float64Array, w: Float64Array | null): number {
  if (!w) return sum(a) / a.length;
  let s = 0;
  let sw = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i] * w[i];
    sw += w[i];
  }
  return s / sw;
}

/** scikit-learn's `_prf_divide`: 0/0 becomes the zero-division value, with a warning when asked. */
function prfDivide(
  num: Float64Array,
  den: Float64Array,
  metric: 'precision' | 'recall',
  modifier: string,
  warnFor: WarnFor,
  zeroDivision: ZeroDivision,
): Float64Array {
  const out = new Float64Array(num.length);
  let undefinedAny = false;
  for (let j = 0; j < num.length; j++) {
    if (den[j] === 0) {
      undefinedAny = true;
      out[j] = zeroDivision === 1 ? 1 : 0;
    } else {
      out[j] = num[j] / den[j];
    }
  }
  if (!undefinedAny || zeroDivision !== 'warn' || !warnFor.has(metric)) return out;
  const title = metric === 'precision' ? 'Precision' : 'Recall';
  const start = warnFor.has('f-score') ? `${title} and F-score are` : `${title} is`;
  warnPrf(modifier, start, out.length);
  return out;
}

/** scikit-learn's `_warn_prf` message (with the option named `zeroDivision`). */
function warnPrf(modifier: string, msgStart: string, resultSize: number): void {
  const where = resultSize === 1 ? 'due to' : 'in labels with';
  undefinedMetric(
    `${msgStart} ill-defined and being set to 0.0 ${where} no ${modifier} samples. Use \`zeroDivision\` parameter to control this behavior.`,
  );
}
