/**
 * Receiver operating characteristic: the ROC curve and the area under it (binary, and
 * multiclass one-vs-rest or one-vs-one), with scikit-learn's semantics.
 *
 * Cost: one stable radix argsort of the scores (O(n), typed arrays throughout) per binary curve;
 * one per class for one-vs-rest and one per pair of classes for one-vs-one.
 *
 * @module
 */

import { show } from '../core/errors.ts';
import type { Label } from '../core/labels.ts';
import type { Matrix } from '../core/matrix.ts';
import { type BinaryCurve, binaryClfCurve, curveInputs } from './curve.ts';
import {
  asCurveWeight,
  asLabelOption,
  asLabelsOption,
  asScoreMatrix,
  asScores,
  checkNotEmpty,
  checkOption,
  encodeLabelArrays,
  fail,
  isScoreMatrix,
  type LabelsInput,
  labelsOption,
  type ScoresInput,
  undefinedMetric,
} from './validate.ts';

/** Options of {@link rocCurve}. */
export interface RocCurveOptions {
  /** The positive class. Default: 1, allowed only when the labels are {0, 1} or {−1, 1}. */
  posLabel?: Label | boolean;
  /** Per-sample weights (samples of weight 0 are left out). */
  sampleWeight?: ArrayLike<number>;
  /** Drop thresholds that would not change the shape of the curve (collinear points). Default `true`. */
  dropIntermediate?: boolean;
}

/** A ROC curve: one point per threshold. */
export interface RocCurve {
  /** False positive rates, increasing from 0 to 1. */
  fpr: Float64Array;
  /** True positive rates, increasing from 0 to 1. */
  tpr: Float64Array;
  /**
   * Decreasing score thresholds: point i counts samples scoring ≥ `thresholds[i]` as positive.
   * `thresholds[0]` is the highest score + 1 (the empty selection), as scikit-learn 1.2.
   */
  thresholds: Float64Array;
}

/**
 * The ROC curve of a binary problem — scikit-learn's `roc_curve`. Without negatives (or
 * positives) in `yTrue` the false (true) positive rates are `NaN`, with an
 * `UndefinedMetricWarning`.
 *
 * @param yTrue - the true labels: {0, 1}, {−1, 1}, or any labels with `posLabel`.
 * @param yScore - the scores of the positive class (probabilities or decision values).
 * @example
 * const { fpr, tpr, thresholds } = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1], thresholds [1.8, 0.8, 0.4, 0.35, 0.1]
 */
export function rocCurve(
  yTrue: LabelsInput,
  yScore: ArrayLike<number>,
  options: RocCurveOptions = {},
): RocCurve {
  const who = 'rocCurve';
  const inp = curveInputs(who, yTrue, yScore, asLabelOption(options.posLabel), options.sampleWeight);
  return rocFromCurve(binaryClfCurve(inp.isPos, inp.scores, inp.weights), options.dropIntermediate ?? true);
}

/** Turns cumulative counts into a ROC curve (dropping collinear points, prepending the origin). */
function rocFromCurve(curve: BinaryCurve, dropIntermediate: boolean): RocCurve {
  let { fps, tps, thresholds } = curve;
  const m = fps.length;
  if (dropIntermediate && m > 2) {
    // Keep the end points and every point where the second difference of fps or tps is non-zero.
    const keep = new Int32Array(m);
    let k = 0;
    keep[k++] = 0;
    for (let i = 1; i < m - 1; i++) {
      const dfp = fps[i + 1] - fps[i] - (fps[i] - fps[i - 1]);
      const dtp = tps[i + 1] - tps[i] - (tps[i] - tps[i - 1]);
      if (dfp !== 0 || dtp !== 0) keep[k++] = i;
    }
    keep[k++] = m - 1;
    const take = (a: Float64Array) => {
      const out = new Float64Array(k);
      for (let r = 0; r < k; r++) out[r] = a[keep[r]];
      return out;
    };
    fps = take(fps);
    tps = take(tps);
    thresholds = take(thresholds);
  }
  const k = fps.length + 1;
  const fpr = new Float64Array(k);
  const tpr = new Float64Array(k);
  const thr = new Float64Array(k);
  thr[0] = thresholds[0] + 1;
  thr.set(thresholds, 1);
  const fLast = fps[fps.length - 1];
  const tLast = tps[tps.length - 1];
  if (fLast <= 0) {
    undefinedMetric('No negative samples in y_true, false positive value should be meaningless');
    fpr.fill(Number.NaN);
  } else {
    for (let i = 1; i < k; i++) fpr[i] = fps[i - 1] / fLast;
  }
  if (tLast <= 0) {
    undefinedMetric('No positive samples in y_true, true positive value should be meaningless');
    tpr.fill(Number.NaN);
  } else {
    for (let i = 1; i < k; i++) tpr[i] = tps[i - 1] / tLast;
  }
  return { fpr, tpr, thresholds: thr };
}

/** Trapezoidal area under `y(x)` for non-decreasing `x` (scikit-learn's `auc` via `np.trapz`). */
function trapezoid(x: Float64Array, y: Float64Array): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return area;
}

/** Options of {@link rocAucScore}. */
export interface RocAucOptions {
  /**
   * Multiclass averaging of the per-class (or per-pair) AUCs: `'macro'` (default), `'weighted'`
   * (by prevalence), `'micro'` (`'ovr'` only: one curve over all class/sample pairs), or `null`
   * (`'ovr'` only: one AUC per class). Ignored for binary targets.
   */
  average?: 'macro' | 'weighted' | 'micro' | null;
  /** Per-sample weights (not supported by `multiClass: 'ovo'`, as in scikit-learn). */
  sampleWeight?: ArrayLike<number>;
  /**
   * Binary only: the standardised partial AUC over false positive rates [0, maxFpr] (McClish
   * correction: 0.5 for a random ranking, 1 for a perfect one). Must be in (0, 1].
   */
  maxFpr?: number | null;
  /**
   * Multiclass only (required there): `'ovr'` (each class against the rest) or `'ovo'` (every
   * pair of classes, Hand & Till). The score matrix rows must be probabilities (sum to 1).
   */
  multiClass?: 'ovr' | 'ovo' | 'raise';
  /**
   * Multiclass only: the classes of the score matrix columns, sorted (default: the sorted classes
   * of `yTrue`, which must then all be present).
   */
  labels?: readonly (Label | boolean)[];
}

/**
 * The area under the ROC curve — scikit-learn's `roc_auc_score`.
 *
 * Binary: `yScore` holds the scores of the greater class (of the two sorted labels). A two-column
 * probability matrix is accepted too and its second column is used (scikit-learn raises for it).
 * Multiclass: `yScore` is a matrix with one column per class (sorted class order, or `labels`)
 * whose rows sum to 1, and `multiClass` must be `'ovr'` or `'ovo'`.
 *
 * @throws ValidationError "Only one class present in y_true. ROC AUC score is not defined in that
 *   case." (scikit-learn's message) — and for mismatched shapes, non-probability rows, bad options.
 * @example
 * rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) // 0.75
 * rocAucScore(['a', 'b', 'c', 'a'], [[0.8, 0.1, 0.1], [0.2, 0.6, 0.2], [0.1, 0.3, 0.6], [0.5, 0.3, 0.2]], { multiClass: 'ovr' }) // 1
 */
export function rocAucScore(
  yTrue: LabelsInput,
  yScore: ScoresInput,
  options: RocAucOptions & { average: null; multiClass: 'ovr' },
): number | Float64Array;
export function rocAucScore(yTrue: LabelsInput, yScore: ScoresInput, options?: RocAucOptions): number;
export function rocAucScore(
  yTrue: LabelsInput,
  yScore: ScoresInput,
  options: RocAucOptions = {},
): number | Float64Array {
  const who = 'rocAucScore';
  const average = checkOption(who, 'average', options.average === undefined ? 'macro' : options.average, [
    'macro',
    'weighted',
    'micro',
    null,
  ] as const);
  const multiClass = checkOption(who, 'multiClass', options.multiClass ?? 'raise', [
    'raise',
    'ovr',
    'ovo',
  ] as const);
  const maxFpr = options.maxFpr ?? null;
  const enc = encodeLabelArrays([{ y: yTrue, field: 'yTrue' }], who);
  const codes = enc.codes[0];
  const n = codes.length;
  checkNotEmpty(who, n, 'yTrue');
  const matrix = isScoreMatrix(yScore) ? asScoreMatrix(yScore, n, who, 'yScore') : null;
  const binary = enc.classes.length <= 2;
  if (!binary || (matrix && matrix.cols > 2)) {
    if (maxFpr !== null && maxFpr !== 1) {
      fail(
        who,
        'maxFpr',
        `partial AUC is not available for multiclass targets; maxFpr must be null, got ${show(maxFpr)}.`,
        'omit maxFpr',
      );
    }
    if (!matrix) {
      fail(
        who,
        'yScore',
        `yTrue has ${enc.classes.length} classes but yScore is one score per sample.`,
        'pass a matrix with one column per class (e.g. predictProba output)',
      );
    }
    if (multiClass === 'raise') {
      fail(
        who,
        'multiClass',
        "the target is multiclass: multiClass must be 'ovr' or 'ovo'.",
        "pass multiClass: 'ovr' (one class against the rest) or 'ovo' (every pair of classes)",
      );
    }
    return multiclassRocAuc(who, codes, enc.classes, enc.kind, matrix, options, multiClass, average);
  }
  // Binary: the positive class is the greater of the two labels.
  let scores: Float64Array;
  if (matrix && matrix.cols === 2) {
    scores = new Float64Array(n);
    for (let i = 0; i < n; i++) scores[i] = matrix.data[2 * i + 1];
  } else {
    scores = asScores(matrix ?? yScore, n, who, 'yScore');
  }
  if (enc.classes.length !== 2) {
    fail(
      who,
      'yTrue',
      'Only one class present in y_true. ROC AUC score is not defined in that case.',
      'evaluate on data that holds both classes (e.g. a stratified split)',
    );
  }
  const w = asCurveWeight(options.sampleWeight, n, who);
  const isPos = new Uint8Array(n);
  for (let i = 0; i < n; i++) isPos[i] = codes[i];
  return binaryRocAuc(isPos, scores, w, maxFpr, who);
}

/**
 * The area under the ROC curve of cumulative counts (collinear points dropped, the trapezoidal
 * rule) — what {@link rocAucScore} computes once the curve is counted, shared with the bootstrap
 * of `lathe evaluate`. The curve must hold both a positive and a negative.
 */
export function rocAucOfCurve(curve: BinaryCurve): number {
  const { fps, tps } = curve;
  const m = fps.length;
  const fLast = fps[m - 1];
  const tLast = tps[m - 1];
  if (!(fLast > 0 && tLast > 0)) {
    // A rate is undefined (NaN, with scikit-learn's warning): as the curve says.
    const roc = rocFromCurve(curve, true);
    return trapezoid(roc.fpr, roc.tpr);
  }
  // trapezoid(rocFromCurve(curve, true)) without building the curve: the same points (the
  // origin, then every point kept by dropIntermediate, in order) and the same sum.
  let area = 0;
  let x0 = 0;
  let y0 = 0;
  for (let i = 0; i < m; i++) {
    if (m > 2 && i > 0 && i < m - 1) {
      const dfp = fps[i + 1] - fps[i] - (fps[i] - fps[i - 1]);
      const dtp = tps[i + 1] - tps[i] - (tps[i] - tps[i - 1]);
      if (dfp === 0 && dtp === 0) continue;
    }
    const x = fps[i] / fLast;
    const y = tps[i] / tLast;
    area += ((x - x0) * (y + y0)) / 2;
    x0 = x;
    y0 = y;
  }
  return area;
}

/**
 * The one-vs-rest macro average of per-class AUCs (their plain mean, in class order), as
 * {@link rocAucScore} takes it; shared with the bootstrap of `lathe evaluate`.
 */
export function macroMeanAuc(scores: Float64Array): number {
  const k = scores.length;
  let s = 0;
  for (let j = 0; j < k; j++) s += scores[j];
  return s / k;
}

/** AUC of one binary problem (scikit-learn's `_binary_roc_auc_score`, whose caller checked both classes occur). */
function binaryRocAuc(
  isPos: Uint8Array,
  scores: Float64Array,
  w: Float64Array | null,
  maxFpr: number | null,
  who: string,
): number {
  const curve = binaryClfCurve(isPos, scores, w);
  if (maxFpr === null || maxFpr === 1) return rocAucOfCurve(curve);
  const roc = rocFromCurve(curve, true);
  if (typeof maxFpr !== 'number' || !(maxFpr > 0 && maxFpr <= 1)) {
    fail(who, 'maxFpr', `maxFpr must be in (0, 1]; got ${show(maxFpr)}.`, 'pass e.g. maxFpr: 0.1');
  }
  const { fpr, tpr } = roc;
  // Add a point at maxFpr by linear interpolation, then apply the McClish correction.
  let stop = 0;
  while (stop < fpr.length && fpr[stop] <= maxFpr) stop++;
  if (stop === 0) {
    // fpr is NaN: every negative sample has weight 0. scikit-learn is left with one point and
    // raises ("At least 2 points are needed to compute area under curve").
    fail(
      who,
      'sampleWeight',
      'no negative sample has a positive weight, so the false positive rate and the partial AUC are undefined.',
      'give some negative sample a positive weight, or omit maxFpr',
    );
  }
  const x = new Float64Array(stop + 1);
  const y = new Float64Array(stop + 1);
  x.set(fpr.subarray(0, stop));
  y.set(tpr.subarray(0, stop));
  const x0 = fpr[stop - 1];
  const x1 = fpr[stop];
  const slope = (tpr[stop] - tpr[stop - 1]) / (x1 - x0);
  x[stop] = maxFpr;
  y[stop] = slope * (maxFpr - x0) + tpr[stop - 1];
  const partial = trapezoid(x, y);
  const minArea = 0.5 * maxFpr * maxFpr;
  const maxArea = maxFpr;
  return 0.5 * (1 + (partial - minArea) / (maxArea - minArea));
}

function checkBothClasses(isPos: Uint8Array, who: string, what: string): void {
  let pos = 0;
  for (let i = 0; i < isPos.length; i++) pos += isPos[i];
  if (pos === 0 || pos === isPos.length) {
    fail(
      who,
      'yTrue',
      `Only one class present in y_true${what}. ROC AUC score is not defined in that case.`,
      'evaluate on data that holds every class, or drop that class column and its label',
    );
  }
}

function multiclassRocAuc(
  who: string,
  codes: Int32Array,
  present: Label[],
  kind: 'number' | 'string',
  m: Matrix,
  options: RocAucOptions,
  multiClass: 'ovr' | 'ovo',
  average: 'macro' | 'weighted' | 'micro' | null,
): number | Float64Array {
  const n = m.rows;
  const k = m.cols;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += m.data[i * k + j];
    // np.allclose(1, s): |1 − s| ≤ 1e-8 + 1e-5·|s|
    if (!(Math.abs(1 - s) <= 1e-8 + 1e-5 * Math.abs(s))) {
      fail(
        who,
        'yScore',
        `row ${i} of yScore sums to ${s}; target scores need to be probabilities for multiclass ROC AUC, i.e. they should sum up to 1.0 over classes.`,
        'pass predicted probabilities (e.g. predictProba output), or softmax-normalise decision scores',
      );
    }
  }
  if (multiClass === 'ovo' && (average === null || average === 'micro')) {
    fail(
      who,
      'average',
      `average=${show(average)} is not available with multiClass 'ovo'.`,
      "use average 'macro' or 'weighted', or multiClass 'ovr'",
    );
  }
  // Column of each sample's class.
  let y: Int32Array;
  if (options.labels !== undefined && options.labels !== null) {
    const labels = asLabelsOption(options.labels, who)!;
    for (let j = 1; j < labels.length; j++) {
      if (!(labels[j - 1] < labels[j])) {
        fail(
          who,
          'labels',
          labels[j - 1] === labels[j]
            ? 'labels must be unique.'
            : 'labels must be ordered (sorted ascending).',
          'list each class once, sorted as the score matrix columns are',
        );
      }
    }
    if (labels.length !== k) {
      fail(
        who,
        'labels',
        `${labels.length} labels given but yScore has ${k} columns.`,
        'give one label per column of yScore',
      );
    }
    // labelsOption checks the type; map present classes into label positions.
    const labelCodes = labelsOption(labels, present, kind, who);
    const colOf = new Int32Array(present.length).fill(-1);
    labelCodes.forEach((c, j) => {
      if (c >= 0) colOf[c] = j;
    });
    const missing = present.filter((_, c) => colOf[c] < 0);
    if (missing.length) {
      fail(
        who,
        'yTrue',
        `yTrue contains labels not in labels: ${missing.map((x) => show(x)).join(', ')}.`,
        'add them to labels (with their score columns)',
      );
    }
    y = new Int32Array(n);
    for (let i = 0; i < n; i++) y[i] = colOf[codes[i]];
  } else {
    if (present.length !== k) {
      fail(
        who,
        'yScore',
        `yTrue has ${present.length} classes but yScore has ${k} columns.`,
        'pass labels (one per column) when yTrue lacks some classes',
      );
    }
    y = codes;
  }

  if (multiClass === 'ovo') {
    if (options.sampleWeight !== undefined && options.sampleWeight !== null) {
      fail(
        who,
        'sampleWeight',
        'sampleWeight is not supported for multiclass one-vs-one ROC AUC.',
        "omit sampleWeight or use multiClass: 'ovr'",
      );
    }
    return ovoRocAuc(y, m, average === 'weighted', who);
  }
  const w = asCurveWeight(options.sampleWeight, n, who);
  if (average === 'micro') {
    const isPos = new Uint8Array(n * k);
    for (let i = 0; i < n; i++) isPos[i * k + y[i]] = 1;
    let wr: Float64Array | null = null;
    if (w) {
      wr = new Float64Array(n * k);
      for (let i = 0; i < n; i++) wr.fill(w[i], i * k, i * k + k);
    }
    checkBothClasses(isPos, who, '');
    return binaryRocAuc(isPos, m.data, wr, null, who);
  }
  const scores = new Float64Array(k);
  const support = new Float64Array(k);
  for (let i = 0; i < n; i++) support[y[i]] += w ? w[i] : 1;
  if (average === 'weighted') {
    let total = 0;
    for (let j = 0; j < k; j++) total += support[j];
    if (Math.abs(total) <= 1e-8) return 0; // np.isclose(total, 0)
  }
  const col = new Float64Array(n);
  const isPos = new Uint8Array(n);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) {
      col[i] = m.data[i * k + j];
      isPos[i] = y[i] === j ? 1 : 0;
    }
    checkBothClasses(isPos, who, ` for column ${j} (one-vs-rest)`);
    scores[j] = binaryRocAuc(isPos, col, w, null, who);
  }
  if (average === null) return scores;
  if (average === 'macro') return macroMeanAuc(scores);
  let s = 0;
  let sw = 0;
  for (let j = 0; j < k; j++) {
    s += (support[j] === 0 ? 0 : scores[j]) * support[j];
    sw += support[j];
  }
  return s / sw;
}

/** Hand & Till's one-vs-one AUC: mean over pairs of classes present in yTrue. */
function ovoRocAuc(y: Int32Array, m: Matrix, weighted: boolean, who: string): number {
  const n = m.rows;
  const k = m.cols;
  const presentCols: number[] = [];
  const count = new Int32Array(k);
  for (let i = 0; i < n; i++) count[y[i]]++;
  for (let j = 0; j < k; j++) if (count[j] > 0) presentCols.push(j);
  if (presentCols.length < 2) {
    fail(
      who,
      'yTrue',
      'Only one class present in y_true. ROC AUC score is not defined in that case.',
      'evaluate on data that holds at least two classes',
    );
  }
  let s = 0;
  let sw = 0;
  let pairs = 0;
  for (let ia = 0; ia < presentCols.length; ia++) {
    for (let ib = ia + 1; ib < presentCols.length; ib++) {
      const a = presentCols[ia];
      const b = presentCols[ib];
      const size = count[a] + count[b];
      const aPos = new Uint8Array(size);
      const bPos = new Uint8Array(size);
      const aScore = new Float64Array(size);
      const bScore = new Float64Array(size);
      for (let i = 0, r = 0; i < n; i++) {
        const c = y[i];
        if (c !== a && c !== b) continue;
        aPos[r] = c === a ? 1 : 0;
        bPos[r] = c === b ? 1 : 0;
        aScore[r] = m.data[i * k + a];
        bScore[r] = m.data[i * k + b];
        r++;
      }
      const pairScore =
        (binaryRocAuc(aPos, aScore, null, null, who) + binaryRocAuc(bPos, bScore, null, null, who)) / 2;
      if (weighted) {
        const prevalence = size / n;
        s += pairScore * prevalence;
        sw += prevalence;
      } else {
        s += pairScore;
      }
      pairs++;
    }
  }
  return weighted ? s / sw : s / pairs;
}
