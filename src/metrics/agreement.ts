/**
 * Chance-corrected agreement between two labelings: the Matthews correlation coefficient and
 * Cohen's kappa.
 *
 * @module
 */

import type { Label } from '../core/labels.ts';
import { pairwiseSum } from '../core/pairwise-sum.ts';
import { confusionMatrixFor } from './confusion.ts';
import {
  asSampleWeight,
  checkOption,
  checkWeightSum,
  classificationTargets,
  type LabelsInput,
} from './validate.ts';

/** Options of {@link matthewsCorrcoef}. */
export interface MatthewsOptions {
  /** Per-sample weights. */
  sampleWeight?: ArrayLike<number>;
}

/**
 * The Matthews correlation coefficient (multiclass: Gorodkin's R_K statistic), in [−1, 1]; 0 when
 * it is undefined (one labeling is constant) — scikit-learn's `matthews_corrcoef`.
 *
 * @example matthewsCorrcoef([1, 1, 1, 0], [1, 0, 1, 1]) // -0.3333…
 */
export function matthewsCorrcoef(
  yTrue: LabelsInput,
  yPred: LabelsInput,
  options: MatthewsOptions = {},
): number {
  const who = 'matthewsCorrcoef';
  const t = classificationTargets(yTrue, yPred, who);
  const w = asSampleWeight(options.sampleWeight, t.n, who);
  const k = t.classes.length;
  const { tSum, pSum, nCorrect } = w
    ? marginsOfCells(t.yTrue, t.yPred, w, k)
    : marginsOfCounts(t.yTrue, t.yPred, k);
  return mccOfMargins(tSum, pSum, nCorrect);
}

/**
 * The Matthews correlation from the class totals of the truth (`tSum`) and of the predictions
 * (`pSum`), classes in sorted order, and the number correct — the arithmetic of
 * {@link matthewsCorrcoef}, shared with the bootstrap of `lathe evaluate`.
 */
export function mccOfMargins(tSum: ArrayLike<number>, pSum: ArrayLike<number>, nCorrect: number): number {
  const k = tSum.length;
  let n = 0;
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let c = 0; c < k; c++) {
    n += pSum[c];
    tp += tSum[c] * pSum[c];
    pp += pSum[c] * pSum[c];
    tt += tSum[c] * tSum[c];
  }
  const covYtYp = nCorrect * n - tp;
  const covYpYp = n * n - pp;
  const covYtYt = n * n - tt;
  if (covYpYp * covYtYt === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
}

/** Class totals of each labeling and the number correct (unweighted: exact integer counts). */
function marginsOfCounts(yTrue: Int32Array, yPred: Int32Array, k: number) {
  const tSum = new Float64Array(k);
  const pSum = new Float64Array(k);
  let nCorrect = 0;
  for (let i = 0; i < yTrue.length; i++) {
    tSum[yTrue[i]]++;
    pSum[yPred[i]]++;
    if (yTrue[i] === yPred[i]) nCorrect++;
  }
  return { tSum, pSum, nCorrect };
}

/**
 * Weighted class totals as scikit-learn takes them: from the confusion matrix's cells, each row
 * total summed over its columns in order and each column total over its rows in order. With
 * fractional weights, totals summed sample by sample round differently from the total of all
 * weights, and a constant labeling (whose correlation is undefined, so 0) came out as NaN or 1e-8;
 * summed from the same cells, a constant labeling's one total is exactly the sum of the others.
 */
function marginsOfCells(yTrue: Int32Array, yPred: Int32Array, w: ArrayLike<number>, k: number) {
  const cells = new Map<number, number>();
  for (let i = 0; i < yTrue.length; i++) {
    const key = yTrue[i] * k + yPred[i];
    cells.set(key, (cells.get(key) ?? 0) + w[i]);
  }
  const keys = Float64Array.from(cells.keys()).sort();
  const tSum = new Float64Array(k);
  const pSum = new Float64Array(k);
  let nCorrect = 0;
  for (const key of keys) {
    const v = cells.get(key)!;
    const r = Math.floor(key / k);
    const c = key - r * k;
    tSum[r] += v;
    pSum[c] += v;
    if (r === c) nCorrect += v;
  }
  return { tSum, pSum, nCorrect };
}

/** Options of {@link cohenKappaScore}. */
export interface CohenKappaOptions {
  /** The labels to use (default: every class in either labeling); others are left out. */
  labels?: readonly (Label | boolean)[];
  /** Disagreement weights: `null` (default, all disagreements count 1), `'linear'` or `'quadratic'` in the label index distance. */
  weights?: 'linear' | 'quadratic' | null;
  /** Per-sample weights. */
  sampleWeight?: ArrayLike<number>;
}

/**
 * Cohen's kappa, the agreement of two annotators corrected for chance:
 * `κ = 1 − Σ w·O / Σ w·E` over the confusion matrix `O` and its expectation `E` under
 * independence — scikit-learn's `cohen_kappa_score`. `NaN` when the expected disagreement is 0
 * (e.g. both labelings use one and the same class, or `labels` leaves no sample), as in
 * scikit-learn.
 *
 * @throws ValidationError when every sample weight is 0 (scikit-learn returns `NaN`).
 *
 * @param y1 - the labels of the first annotator.
 * @param y2 - the labels of the second annotator.
 * @example cohenKappaScore(['a', 'b', 'b', 'c'], ['a', 'b', 'c', 'c']) // 0.6363…
 */
export function cohenKappaScore(y1: LabelsInput, y2: LabelsInput, options: CohenKappaOptions = {}): number {
  const who = 'cohenKappaScore';
  const weights = checkOption(who, 'weights', options.weights ?? null, [
    null,
    'linear',
    'quadratic',
  ] as const);
  const cm = confusionMatrixFor(who, y1, y2, { labels: options.labels, sampleWeight: options.sampleWeight }, [
    'y1',
    'y2',
  ]);
  const k = cm.rows;
  const c = cm.data;
  // Sums in NumPy's order, as scikit-learn computes them (`confusion.sum(axis=0)` row by row,
  // `sum(axis=1)` and the k × k totals pairwise), so that a kappa of exactly 0 comes out as 0.
  const sum0 = new Float64Array(k); // column sums (second annotator)
  const sum1 = new Float64Array(k); // row sums (first annotator)
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) sum0[j] += c[i * k + j];
    sum1[i] = pairwiseSum(c, i * k, k);
  }
  const total = pairwiseSum(sum0, 0, k);
  // All-zero weights would make every expected count 0/0 and the kappa a silent NaN. Positive
  // weights on samples that `labels` leaves out are no such mistake: the kappa is NaN, as in
  // scikit-learn and as without weights.
  if (options.sampleWeight != null && !anyPositive(options.sampleWeight)) checkWeightSum(who, 0);
  const observed = new Float64Array(k * k);
  const expected = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const d = Math.abs(i - j);
      const wij = weights === null ? (i === j ? 0 : 1) : weights === 'linear' ? d : d * d;
      observed[i * k + j] = wij * c[i * k + j];
      expected[i * k + j] = wij * ((sum0[i] * sum1[j]) / total);
    }
  }
  return 1 - pairwiseSum(observed, 0, k * k) / pairwiseSum(expected, 0, k * k);
}

/** Whether some weight is positive (weights already checked finite and ≥ 0). */
function anyPositive(w: ArrayLike<number>): boolean {
  for (let i = 0; i < w.length; i++) if (w[i] > 0) return true;
  return false;
}
