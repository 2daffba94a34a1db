/**
 * The confusion matrix, and the per-class counts (true positives, predicted and true totals)
 * that precision, recall, F-scores and the classification report are computed from.
 *
 * @module
 */

import type { Label } from '../core/labels.ts';
import type { Matrix } from '../core/matrix.ts';
import {
  asLabelsOption,
  asSampleWeight,
  type ClassificationTargets,
  checkOption,
  classificationTargets,
  fail,
  type LabelsInput,
  labelsOption,
} from './validate.ts';

/** Options of {@link confusionMatrix}. */
export interface ConfusionMatrixOptions {
  /**
   * The classes to show, in this order (rows and columns). Default: every class in `yTrue` or
   * `yPred`, sorted. Samples whose true or predicted label is not listed are left out; at
   * least one listed label must occur in `yTrue`.
   */
  labels?: readonly (Label | boolean)[];
  /** Per-sample weights: cells hold weight sums instead of counts. */
  sampleWeight?: ArrayLike<number>;
  /**
   * Normalise over the true labels (`'true'`: rows sum to 1), the predictions (`'pred'`: columns
   * sum to 1) or everything (`'all'`). A row or column with no samples becomes 0. Default: none.
   */
  normalize?: 'true' | 'pred' | 'all' | null;
}

/**
 * A confusion matrix: a {@link Matrix} whose row `i` is the true class `labels[i]` and column
 * `j` the predicted class `labels[j]` (column names are the labels as strings).
 */
export interface ConfusionMatrix extends Matrix {
  /** The class of each row and column. */
  readonly labels: Label[];
}

/**
 * The confusion matrix `C`, where `C[i][j]` counts the samples of true class `labels[i]`
 * predicted as `labels[j]` — scikit-learn's `confusion_matrix`.
 *
 * @param yTrue - the true labels (strings or numbers).
 * @param yPred - the predicted labels.
 * @throws ValidationError when the lengths differ, an input is empty, `labels` is empty or none
 *   of its labels occurs in `yTrue`.
 * @example
 * const cm = confusionMatrix(['a', 'b', 'a', 'c'], ['a', 'a', 'a', 'c']);
 * cm.labels; // ['a', 'b', 'c']
 * cm.data;   // Float64Array [2, 0, 0,  1, 0, 0,  0, 0, 1]  (row-major)
 */
export function confusionMatrix(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: ConfusionMatrixOptions = {},
): ConfusionMatrix {
  return confusionMatrixFor('confusionMatrix', yTrue, yPred, options);
}

/**
 * {@link confusionMatrix} for the metric `who` (errors start with its name and call the two
 * labelings `fields`).
 */
export function confusionMatrixFor(
  who: string,
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: ConfusionMatrixOptions = {},
  fields: readonly [string, string] = ['yTrue', 'yPred'],
): ConfusionMatrix {
  const normalize = checkOption(who, 'normalize', options.normalize ?? null, [
    null,
    'true',
    'pred',
    'all',
  ] as const);
  const t = classificationTargets(yTrue, yPred, who, false, fields);
  const w = asSampleWeight(options.sampleWeight, t.n, who);
  const sel = selectLabels(t, asLabelsOption(options.labels, who), who, true);
  const k = sel.labels.length;
  const cm = new Float64Array(k * k);
  const pos = sel.position;
  for (let i = 0; i < t.n; i++) {
    const r = pos[t.yTrue[i]];
    const c = pos[t.yPred[i]];
    if (r < 0 || c < 0) continue;
    cm[r * k + c] += w ? w[i] : 1;
  }
  if (normalize) normalizeConfusion(cm, k, normalize);
  return { data: cm, rows: k, cols: k, columns: sel.labels.map(String), labels: sel.labels };
}

/** Divides rows, columns or the whole matrix by their sums; 0/0 becomes 0 (scikit-learn's nan_to_num). */
function normalizeConfusion(cm: Float64Array, k: number, how: 'true' | 'pred' | 'all'): void {
  const fix = (v: number) => (v === v ? v : 0);
  if (how === 'all') {
    let s = 0;
    for (let i = 0; i < cm.length; i++) s += cm[i];
    for (let i = 0; i < cm.length; i++) cm[i] = fix(cm[i] / s);
    return;
  }
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let b = 0; b < k; b++) s += how === 'true' ? cm[a * k + b] : cm[b * k + a];
    for (let b = 0; b < k; b++) {
      const idx = how === 'true' ? a * k + b : b * k + a;
      cm[idx] = fix(cm[idx] / s);
    }
  }
}

/** The labels a metric reports on, and where each class code lands among them. */
export interface LabelSelection {
  /** The reported labels, in order. */
  labels: Label[];
  /** For each class code of the targets: its index in `labels`, or −1. */
  position: Int32Array;
  /** For each reported label: its class code, or −1 when it does not occur in the data. */
  codes: Int32Array;
  /** Whether `labels` came from the caller. */
  given: boolean;
}

/**
 * Resolves a `labels` option against the encoded targets (default: all classes). With
 * `requireInTrue`, as `confusion_matrix`, at least one label must occur in `yTrue`.
 */
export function selectLabels(
  t: ClassificationTargets,
  labels: readonly Label[] | undefined | null,
  who: string,
  requireInTrue: boolean,
): LabelSelection {
  const k = t.classes.length;
  const position = new Int32Array(k).fill(-1);
  if (labels === undefined || labels === null) {
    for (let c = 0; c < k; c++) position[c] = c;
    return { labels: t.classes.slice(), position, codes: position.slice(), given: false };
  }
  if (Array.isArray(labels) && labels.length === 0) {
    fail(
      who,
      'labels',
      'labels is empty; it should contain at least one label.',
      'omit labels to use every class',
    );
  }
  const codes = labelsOption(labels, t.classes, t.kind, who);
  codes.forEach((c, j) => {
    if (c >= 0) position[c] = j;
  });
  if (requireInTrue) {
    let found = false;
    for (let i = 0; i < t.n && !found; i++) if (position[t.yTrue[i]] >= 0) found = true;
    if (!found) {
      fail(
        who,
        'labels',
        'none of the labels occurs in yTrue; at least one label specified must be in yTrue.',
        'list at least one class that occurs in yTrue',
      );
    }
  }
  return { labels: labels.slice(), position, codes, given: true };
}

/** Per-label sums of a one-vs-rest confusion: true positives, predicted and true totals. */
export interface ClassCounts {
  tp: Float64Array;
  predSum: Float64Array;
  trueSum: Float64Array;
}

/**
 * True positives, predicted totals and true totals (weighted) for each label code in `codes`
 * (a code of −1, a label absent from the data, gets zeros) — the diagonal, column sums and row
 * sums of the confusion matrix, as scikit-learn's `multilabel_confusion_matrix`.
 */
export function classCounts(
  t: ClassificationTargets,
  codes: Int32Array,
  w: Float64Array | null,
): ClassCounts {
  const k = t.classes.length;
  const tpAll = new Float64Array(k);
  const predAll = new Float64Array(k);
  const trueAll = new Float64Array(k);
  const { yTrue, yPred } = t;
  if (w) {
    for (let i = 0; i < t.n; i++) {
      const a = yTrue[i];
      const b = yPred[i];
      const wi = w[i];
      trueAll[a] += wi;
      predAll[b] += wi;
      if (a === b) tpAll[a] += wi;
    }
  } else {
    for (let i = 0; i < t.n; i++) {
      const a = yTrue[i];
      const b = yPred[i];
      trueAll[a]++;
      predAll[b]++;
      if (a === b) tpAll[a]++;
    }
  }
  const m = codes.length;
  const tp = new Float64Array(m);
  const predSum = new Float64Array(m);
  const trueSum = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const c = codes[j];
    if (c < 0) continue;
    tp[j] = tpAll[c];
    predSum[j] = predAll[c];
    trueSum[j] = trueAll[c];
  }
  return { tp, predSum, trueSum };
}
