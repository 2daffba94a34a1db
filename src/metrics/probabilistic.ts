/**
 * Scores of predicted probabilities: log loss (cross-entropy) and the Brier score.
 *
 * @module
 */

import { compareCodePoints } from '../core/code-points.ts';
import { show } from '../core/errors.ts';
import type { Label } from '../core/labels.ts';
import {
  asLabelOption,
  asLabelsOption,
  asSampleWeight,
  asScoreMatrix,
  asScores,
  checkNotEmpty,
  checkWeightSum,
  codeOf,
  encodeLabelArrays,
  fail,
  isScoreMatrix,
  type LabelsInput,
  previewLabels,
  resolvePosLabel,
  type ScoresInput,
} from './validate.ts';

/** Options of {@link logLoss}. */
export interface LogLossOptions {
  /**
   * Probabilities are clipped to `[eps, 1 − eps]` before the log. `'auto'` (default) is the
   * float64 machine epsilon (2.22e-16), as scikit-learn 1.2.
   */
  eps?: 'auto' | number;
  /** `true` (default): the mean loss per sample; `false`: the (weighted) sum. */
  normalize?: boolean;
  /** Per-sample weights. */
  sampleWeight?: ArrayLike<number>;
  /**
   * The classes of the probability columns (default: the sorted classes of `yTrue`). Needed when
   * `yTrue` lacks a class that `yPred` has a column for.
   */
  labels?: readonly (Label | boolean)[];
}

/**
 * Log loss (cross-entropy): `−mean log p(true class)` — scikit-learn 1.2's `log_loss`.
 * Probabilities are clipped to `[eps, 1 − eps]` and each row is then divided by its sum.
 *
 * @param yTrue - the true labels.
 * @param yPred - a matrix of probabilities, one column per class (sorted class order, or
 *   `labels`), or, for two classes, the probabilities of the greater class.
 * @throws ValidationError when `yTrue` has one class and `labels` is not given, when the number
 *   of columns differs from the number of classes, or when `yTrue` holds a label not in
 *   `labels` (scikit-learn 1.2 silently scores such rows as if they were the first class).
 * @example logLoss(['spam', 'ham', 'ham', 'spam'], [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]) // 0.2162…
 */
export function logLoss(yTrue: LabelsInput, yPred: ScoresInput, options: LogLossOptions = {}): number {
  const who = 'logLoss';
  const eps = options.eps ?? 'auto';
  if (eps !== 'auto' && (typeof eps !== 'number' || !(eps >= 0 && eps < 0.5))) {
    fail(who, 'eps', `eps must be 'auto' or a number in [0, 0.5); got ${show(eps)}.`, "use eps: 'auto'");
  }
  const e = eps === 'auto' ? Number.EPSILON : eps;
  const enc = encodeLabelArrays([{ y: yTrue, field: 'yTrue' }], who);
  const codes = enc.codes[0];
  const n = codes.length;
  checkNotEmpty(who, n, 'yTrue');
  const w = asSampleWeight(options.sampleWeight, n, who);

  // Classes of the columns, and each sample's column.
  let classes: Label[] = enc.classes;
  let col: Int32Array = codes;
  if (options.labels !== undefined && options.labels !== null) {
    const cols = labelColumns(who, enc.classes, options.labels);
    classes = cols.classes;
    const map = cols.map;
    col = new Int32Array(n);
    for (let i = 0; i < n; i++) col[i] = map[codes[i]];
  } else if (classes.length === 1) {
    fail(
      who,
      'yTrue',
      `yTrue contains only one label (${show(classes[0])}).`,
      'provide the true labels explicitly through the labels option',
    );
  }
  const k = classes.length;

  const losses = new Float64Array(n);
  const m = isScoreMatrix(yPred) ? asScoreMatrix(yPred, n, who, 'yPred') : null;
  if (m && m.cols > 1) {
    if (m.cols !== k) {
      fail(
        who,
        'yPred',
        `yTrue and yPred contain different numbers of classes (${k} vs ${m.cols} columns). Classes: ${previewLabels(classes)}.`,
        'provide the true labels explicitly through the labels option, one per column of yPred',
      );
    }
    const d = m.data;
    for (let i = 0; i < n; i++) losses[i] = sampleLogLoss(d, k, i, col[i], e);
  } else {
    const p = asScores(m ?? yPred, n, who, 'yPred');
    if (k !== 2) {
      fail(
        who,
        'yPred',
        `yTrue has ${k} classes but yPred is one probability per sample.`,
        'pass a matrix with one probability column per class',
      );
    }
    for (let i = 0; i < n; i++) {
      const p1 = clip(p[i], e);
      const p0 = 1 - p1;
      losses[i] = -Math.log((col[i] === 1 ? p1 : p0) / (p0 + p1));
    }
  }
  const normalize = options.normalize ?? true;
  let s = 0;
  let sw = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    s += losses[i] * wi;
    sw += wi;
  }
  if (!normalize) return s;
  checkWeightSum(who, sw);
  return s / sw;
}

/**
 * The log loss of sample `i` of the `k`-column probability matrix `d` (row-major) whose true class
 * is column `c`: probabilities clipped to `[e, 1 − e]`, the row divided by its sum. What
 * {@link logLoss} averages, shared with the bootstrap of `lathe evaluate`.
 */
export function sampleLogLoss(d: Float64Array, k: number, i: number, c: number, e: number): number {
  let s = 0;
  for (let j = 0; j < k; j++) s += clip(d[i * k + j], e);
  return -Math.log(clip(d[i * k + c], e) / s);
}

/**
 * The Brier term of one sample: the squared difference between its outcome (1 positive, 0 not)
 * and the probability `p`. What {@link brierScoreLoss} averages, shared with the bootstrap of
 * `lathe evaluate`.
 */
export function brierTerm(positive: boolean, p: number): number {
  const d = (positive ? 1 : 0) - p;
  return d * d;
}

/**
 * The probability columns of {@link logLoss} given `labels`: the labels sorted (the columns'
 * classes) and, for each class of `yTrue` (`present`, sorted), its column. Throws as `logLoss`
 * does for mixed types, fewer than two labels, or a class of `yTrue` not among them. Shared with
 * the bootstrap of `lathe evaluate`.
 */
export function labelColumns(
  who: string,
  present: readonly Label[],
  given: readonly (Label | boolean)[],
): { classes: Label[]; map: Int32Array } {
  const labels = asLabelsOption(given, who)!;
  const kinds = new Set(labels.map((l) => typeof l));
  if (kinds.size > 1)
    fail(who, 'labels', 'labels mixes numbers and strings.', 'use one type for every label');
  const uniq = [...new Set(labels)];
  const classes: Label[] =
    typeof uniq[0] === 'number'
      ? (uniq as number[]).sort((a, b) => a - b)
      : (uniq as string[]).sort(compareCodePoints);
  if (classes.length < 2) {
    fail(
      who,
      'labels',
      `labels needs at least two labels for log loss; got ${previewLabels(classes)}.`,
      'list every class of the model',
    );
  }
  const map = new Int32Array(present.length);
  present.forEach((c, j) => {
    map[j] = codeOf(classes, typeof classes[0] === 'number' ? 'number' : 'string', c, who, 'yTrue');
  });
  const missing = present.filter((_, j) => map[j] < 0);
  if (missing.length) {
    fail(
      who,
      'yTrue',
      `yTrue contains labels not in labels: ${missing.map((x) => show(x)).join(', ')}.`,
      'add them to labels (with their probability columns)',
    );
  }
  return { classes, map };
}

function clip(v: number, eps: number): number {
  return Math.min(Math.max(v, eps), 1 - eps);
}

/** Options of {@link brierScoreLoss}. */
export interface BrierOptions {
  /** Per-sample weights. */
  sampleWeight?: ArrayLike<number>;
  /**
   * The positive class. Default: 1 for labels {0, 1} or {−1, 1}, else the greater numeric label;
   * required for string labels.
   */
  posLabel?: Label | boolean;
}

/**
 * The Brier score: the mean squared difference between the predicted probability of the
 * positive class and the outcome (1 if positive, else 0) — scikit-learn's `brier_score_loss`.
 *
 * @param yProb - the predicted probabilities of the positive class, in [0, 1].
 * @example brierScoreLoss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]) // 0.0375
 */
export function brierScoreLoss(
  yTrue: LabelsInput,
  yProb: ArrayLike<number>,
  options: BrierOptions = {},
): number {
  const who = 'brierScoreLoss';
  const enc = encodeLabelArrays([{ y: yTrue, field: 'yTrue' }], who);
  const codes = enc.codes[0];
  const n = codes.length;
  checkNotEmpty(who, n, 'yTrue');
  const p = asScores(yProb, n, who, 'yProb');
  const w = asSampleWeight(options.sampleWeight, n, who);
  if (enc.classes.length > 2) {
    fail(
      who,
      'yTrue',
      `only binary classification is supported; yTrue has ${enc.classes.length} classes (${previewLabels(enc.classes)}).`,
      'score one class against the rest: pass yTrue as (label === positive) and that class probability',
    );
  }
  let max = Number.NEGATIVE_INFINITY;
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    if (p[i] > max) max = p[i];
    if (p[i] < min) min = p[i];
  }
  if (max > 1)
    fail(who, 'yProb', `yProb contains values greater than 1 (max ${max}).`, 'pass probabilities in [0, 1]');
  if (min < 0)
    fail(who, 'yProb', `yProb contains values less than 0 (min ${min}).`, 'pass probabilities in [0, 1]');
  let pos: Label;
  if ((options.posLabel === undefined || options.posLabel === null) && enc.kind === 'number') {
    // scikit-learn: 1 for {0,1}/{-1,1}-like labels, else the greatest numeric label.
    const key = enc.classes.join(',');
    const standard = key === '0,1' || key === '-1,1' || key === '0' || key === '-1' || key === '1';
    pos = standard ? 1 : enc.classes[enc.classes.length - 1];
  } else {
    pos = resolvePosLabel(asLabelOption(options.posLabel), enc.classes, enc.kind, who);
  }
  const posCode = codeOf(enc.classes, enc.kind, pos, who, 'posLabel');
  let s = 0;
  let sw = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    s += brierTerm(codes[i] === posCode, p[i]) * wi;
    sw += wi;
  }
  checkWeightSum(who, sw);
  return s / sw;
}
