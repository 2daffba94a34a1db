/**
 * Precision–recall: the curve over score thresholds and average precision (the step-wise area
 * under it, without interpolation), with scikit-learn's semantics.
 *
 * @module
 */

import { show } from '../core/errors.ts';
import type { Label } from '../core/labels.ts';
import { warn } from '../core/warnings.ts';
import { type BinaryCurve, binaryClfCurve, curveInputs } from './curve.ts';
import {
  asCurveWeight,
  asLabel,
  asLabelOption,
  asScoreMatrix,
  asScores,
  checkNotEmpty,
  checkOption,
  codeOf,
  encodeLabelArrays,
  fail,
  isScoreMatrix,
  type LabelsInput,
  type ScoresInput,
} from './validate.ts';

/** Options of {@link precisionRecallCurve}. */
export interface PrecisionRecallCurveOptions {
  /** The positive class. Default: 1, allowed only when the labels are {0, 1} or {−1, 1}. */
  posLabel?: Label | boolean;
  /** Per-sample weights (samples of weight 0 are left out). */
  sampleWeight?: ArrayLike<number>;
}

/** A precision–recall curve. */
export interface PrecisionRecallCurve {
  /** Precision at each threshold, then a final 1 (no threshold). */
  precision: Float64Array;
  /** Recall at each threshold (decreasing), then a final 0. */
  recall: Float64Array;
  /** The distinct scores, increasing; one fewer than `precision` and `recall`. */
  thresholds: Float64Array;
}

/**
 * Precision and recall at every distinct score threshold — scikit-learn 1.2's
 * `precision_recall_curve` (every threshold is kept). Without positives in `yTrue`, recall is 1
 * everywhere, with a `UserWarning`, as in scikit-learn.
 *
 * @param yScore - the scores of the positive class.
 * @example
 * const { precision, recall, thresholds } = precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // precision [0.5, 0.666…, 0.5, 1, 1], recall [1, 1, 0.5, 0.5, 0], thresholds [0.1, 0.35, 0.4, 0.8]
 */
export function precisionRecallCurve(
  yTrue: LabelsInput,
  yScore: ArrayLike<number>,
  options: PrecisionRecallCurveOptions = {},
): PrecisionRecallCurve {
  const inp = curveInputs(
    'precisionRecallCurve',
    yTrue,
    yScore,
    asLabelOption(options.posLabel),
    options.sampleWeight,
  );
  return prFromCurve(binaryClfCurve(inp.isPos, inp.scores, inp.weights));
}

function prFromCurve(curve: BinaryCurve): PrecisionRecallCurve {
  const { fps, tps, thresholds } = curve;
  const m = tps.length;
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const thr = new Float64Array(m);
  const tLast = tps[m - 1];
  if (tLast === 0) {
    warn('UserWarning', 'No positive class found in y_true, recall is set to one for all thresholds.');
  }
  for (let i = 0; i < m; i++) {
    const j = m - 1 - i; // reversed: increasing thresholds
    const ps = tps[i] + fps[i];
    precision[j] = ps !== 0 ? tps[i] / ps : 0;
    recall[j] = tLast === 0 ? 1 : tps[i] / tLast;
    thr[j] = thresholds[i];
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds: thr };
}

/** Average precision of one binary problem: Σ (Rₙ − Rₙ₋₁)·Pₙ over decreasing thresholds. */
function binaryAveragePrecision(isPos: Uint8Array, scores: Float64Array, w: Float64Array | null): number {
  return averagePrecisionOfCurve(binaryClfCurve(isPos, scores, w));
}

/**
 * Average precision from the cumulative counts of a binary curve — what
 * {@link averagePrecisionScore} computes once the curve is counted, shared with the bootstrap of
 * `lathe evaluate`. Without positives it warns (recall set to 1) as scikit-learn does.
 */
export function averagePrecisionOfCurve(curve: BinaryCurve): number {
  const { fps, tps } = curve;
  const m = tps.length;
  const tLast = tps[m - 1];
  if (tLast === 0) {
    warn('UserWarning', 'No positive class found in y_true, recall is set to one for all thresholds.');
  }
  // Σ (recall[j + 1] − recall[j]) · precision[j] over prFromCurve's points (increasing
  // thresholds: curve point m − 1 − j), without building the curve; recall[m] is 0.
  let s = 0;
  for (let j = 0; j < m; j++) {
    const i = m - 1 - j;
    const ps = tps[i] + fps[i];
    const precision = ps !== 0 ? tps[i] / ps : 0;
    const recall = tLast === 0 ? 1 : tps[i] / tLast;
    const next = j + 1 < m ? (tLast === 0 ? 1 : tps[i - 1] / tLast) : 0;
    s += (next - recall) * precision;
  }
  return -s;
}

/** Options of {@link averagePrecisionScore}. */
export interface AveragePrecisionOptions {
  /**
   * Multiclass averaging of the one-vs-rest scores: `'macro'` (default), `'weighted'` (by
   * support), `'micro'` (one curve over every class/sample pair) or `null` (one score per
   * class). Ignored for binary targets.
   */
  average?: 'micro' | 'macro' | 'weighted' | null;
  /** Binary only: the positive class (default `1`). Must be one of the labels when both occur. */
  posLabel?: Label | boolean;
  /** Per-sample weights (samples of weight 0 are left out). */
  sampleWeight?: ArrayLike<number>;
}

/**
 * Average precision, `AP = Σₙ (Rₙ − Rₙ₋₁)·Pₙ` over decreasing thresholds — scikit-learn's
 * `average_precision_score`. Binary: `yScore` holds the scores of `posLabel`. Multiclass
 * (scikit-learn ≥ 1.3 semantics, one-vs-rest): `yScore` is a matrix with one column per class of
 * `yTrue`, sorted.
 *
 * @example averagePrecisionScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) // 0.8333…
 */
export function averagePrecisionScore(
  yTrue: LabelsInput,
  yScore: ScoresInput,
  options: AveragePrecisionOptions & { average: null },
): number | Float64Array;
export function averagePrecisionScore(
  yTrue: LabelsInput,
  yScore: ScoresInput,
  options?: AveragePrecisionOptions,
): number;
export function averagePrecisionScore(
  yTrue: LabelsInput,
  yScore: ScoresInput,
  options: AveragePrecisionOptions = {},
): number | Float64Array {
  const who = 'averagePrecisionScore';
  const average = checkOption(who, 'average', options.average === undefined ? 'macro' : options.average, [
    'micro',
    'macro',
    'weighted',
    null,
  ] as const);
  const enc = encodeLabelArrays([{ y: yTrue, field: 'yTrue' }], who);
  const codes = enc.codes[0];
  const n = codes.length;
  checkNotEmpty(who, n, 'yTrue');
  const posLabel = options.posLabel ?? 1;
  const w = asCurveWeight(options.sampleWeight, n, who);
  const k = enc.classes.length;
  if (k <= 2) {
    const scores = asScores(yScore, n, who, 'yScore');
    // An absent posLabel of the data's type is let through with fewer than two classes (no
    // positives: AP 0 with a warning, as scikit-learn); one of the other type is an error —
    // scikit-learn's y_true == pos_label is then a scalar and it fails (TypeError).
    const posCode = codeOf(enc.classes, enc.kind, posLabel, who, 'posLabel');
    if (k === 2 && posCode < 0) {
      fail(
        who,
        'posLabel',
        `posLabel=${show(posLabel)} is not a valid label. It should be one of ${enc.classes.map((c) => show(c)).join(', ')}.`,
        `pass posLabel: ${show(enc.classes[1])}`,
      );
    }
    const isPos = new Uint8Array(n);
    for (let i = 0; i < n; i++) isPos[i] = codes[i] === posCode ? 1 : 0;
    return binaryAveragePrecision(isPos, scores, w);
  }
  // scikit-learn raises when pos_label != 1 (True == 1 in Python: posLabel true is 1 here too).
  if (options.posLabel !== undefined && options.posLabel !== null && asLabel(options.posLabel) !== 1) {
    fail(
      who,
      'posLabel',
      'posLabel is fixed to 1 for multiclass yTrue.',
      'omit posLabel: every class is scored against the rest',
    );
  }
  if (!isScoreMatrix(yScore)) {
    fail(
      who,
      'yScore',
      `yTrue has ${k} classes but yScore is one score per sample.`,
      'pass a matrix with one column per class (e.g. predictProba output)',
    );
  }
  const m = asScoreMatrix(yScore, n, who, 'yScore');
  if (m.cols !== k) {
    fail(
      who,
      'yScore',
      `yTrue has ${k} classes but yScore has ${m.cols} columns.`,
      'pass one score column per class of yTrue, in sorted class order',
    );
  }
  if (average === 'micro') {
    const isPos = new Uint8Array(n * k);
    for (let i = 0; i < n; i++) isPos[i * k + codes[i]] = 1;
    let wr: Float64Array | null = null;
    if (w) {
      wr = new Float64Array(n * k);
      for (let i = 0; i < n; i++) wr.fill(w[i], i * k, i * k + k);
    }
    return binaryAveragePrecision(isPos, m.data, wr);
  }
  const support = new Float64Array(k);
  for (let i = 0; i < n; i++) support[codes[i]] += w ? w[i] : 1;
  if (average === 'weighted') {
    let total = 0;
    for (let j = 0; j < k; j++) total += support[j];
    if (Math.abs(total) <= 1e-8) return 0; // np.isclose(total, 0)
  }
  const scores = new Float64Array(k);
  const col = new Float64Array(n);
  const isPos = new Uint8Array(n);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) {
      col[i] = m.data[i * k + j];
      isPos[i] = codes[i] === j ? 1 : 0;
    }
    scores[j] = binaryAveragePrecision(isPos, col, w);
  }
  if (average === null) return scores;
  let s = 0;
  let sw = 0;
  for (let j = 0; j < k; j++) {
    const wj = average === 'weighted' ? support[j] : 1;
    s += (wj === 0 ? 0 : scores[j]) * wj;
    sw += wj;
  }
  return s / sw;
}
