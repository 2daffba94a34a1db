/**
 * The calibration (reliability) curve: in bins of predicted probability, the observed frequency
 * of the positive class against the mean prediction.
 *
 * @module
 */

import { show } from '../core/errors.ts';
import type { Label } from '../core/labels.ts';
import { quantileSorted, sortFloat64 } from '../stats/quantile.ts';
import {
  asLabelOption,
  asScores,
  checkNotEmpty,
  checkOption,
  codeOf,
  encodeLabelArrays,
  fail,
  type LabelsInput,
  previewLabels,
  resolvePosLabel,
} from './validate.ts';

/** Options of {@link calibrationCurve}. */
export interface CalibrationCurveOptions {
  /** The positive class. Default: 1, allowed only when the labels are {0, 1} or {−1, 1}. */
  posLabel?: Label | boolean;
  /** Number of bins (default 5). Empty bins are left out of the result. */
  nBins?: number;
  /**
   * `'uniform'` (default): bins of equal width on [0, 1]; `'quantile'`: bin edges at the
   * quantiles of `yProb`, so bins hold about the same number of samples.
   */
  strategy?: 'uniform' | 'quantile';
}

/** A calibration curve: one entry per non-empty bin. */
export interface CalibrationCurve {
  /** The fraction of positives in each bin. */
  probTrue: Float64Array;
  /** The mean predicted probability in each bin. */
  probPred: Float64Array;
}

/**
 * The calibration curve of a binary classifier — scikit-learn's `calibration_curve`. A sample
 * with probability `p` falls in the bin of the first inner edge `e ≥ p` (edges are closed on
 * the right, like `np.searchsorted(edges[1:-1], p)`).
 *
 * @param yProb - predicted probabilities of the positive class, in [0, 1].
 * @example
 * calibrationCurve([0, 0, 0, 1, 1, 1], [0.1, 0.2, 0.6, 0.4, 0.8, 0.9], { nBins: 2 })
 * // { probTrue: [0.333…, 0.666…], probPred: [0.2333…, 0.7666…] }
 */
export function calibrationCurve(
  yTrue: LabelsInput,
  yProb: ArrayLike<number>,
  options: CalibrationCurveOptions = {},
): CalibrationCurve {
  const who = 'calibrationCurve';
  const nBins = options.nBins ?? 5;
  if (!Number.isInteger(nBins) || nBins < 1) {
    fail(who, 'nBins', `nBins must be an integer ≥ 1; got ${show(nBins)}.`, 'pass e.g. nBins: 10');
  }
  const strategy = checkOption(who, 'strategy', options.strategy ?? 'uniform', [
    'uniform',
    'quantile',
  ] as const);
  const enc = encodeLabelArrays([{ y: yTrue, field: 'yTrue' }], who);
  const codes = enc.codes[0];
  const n = codes.length;
  checkNotEmpty(who, n, 'yTrue');
  const p = asScores(yProb, n, who, 'yProb');
  const pos = resolvePosLabel(asLabelOption(options.posLabel), enc.classes, enc.kind, who);
  for (let i = 0; i < n; i++) {
    if (p[i] < 0 || p[i] > 1) {
      fail(
        who,
        'yProb',
        `yProb has values outside [0, 1] (yProb[${i}] = ${p[i]}).`,
        'pass probabilities, not scores',
      );
    }
  }
  if (enc.classes.length > 2) {
    fail(
      who,
      'yTrue',
      `only binary classification is supported; yTrue has ${enc.classes.length} classes (${previewLabels(enc.classes)}).`,
      'score one class against the rest',
    );
  }
  const posCode = codeOf(enc.classes, enc.kind, pos, who, 'posLabel');

  // Bin edges, computed the way NumPy computes linspace and percentile (so edges match bit for bit).
  const edges = new Float64Array(nBins + 1);
  const step = 1 / nBins;
  for (let b = 0; b < nBins; b++) edges[b] = b * step;
  edges[nBins] = 1;
  if (strategy === 'quantile') {
    const sorted = sortFloat64(Float64Array.from(p));
    for (let b = 0; b <= nBins; b++) edges[b] = quantileSorted(sorted, (edges[b] * 100) / 100);
  }
  const sums = new Float64Array(nBins);
  const trues = new Float64Array(nBins);
  const totals = new Float64Array(nBins);
  for (let i = 0; i < n; i++) {
    // Binary search over the inner edges: the number of inner edges strictly below p.
    const v = p[i];
    let lo = 1;
    let hi = nBins; // edges[1..nBins-1] are the inner edges
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    const bin = lo - 1;
    sums[bin] += v;
    if (codes[i] === posCode) trues[bin] += 1;
    totals[bin] += 1;
  }
  const probTrue: number[] = [];
  const probPred: number[] = [];
  for (let b = 0; b < nBins; b++) {
    if (totals[b] === 0) continue;
    probTrue.push(trues[b] / totals[b]);
    probPred.push(sums[b] / totals[b]);
  }
  return { probTrue: Float64Array.from(probTrue), probPred: Float64Array.from(probPred) };
}
