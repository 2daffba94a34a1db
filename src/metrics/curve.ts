/**
 * The cumulative counts every threshold curve is made of (scikit-learn's `_binary_clf_curve`):
 * walk the scores from the highest down and, at the end of each run of tied scores, record the
 * (weighted) numbers of false and true positives. ROC and precision–recall
 * curves, ROC AUC and average precision are built on this. Internal to `src/metrics`.
 *
 * @module
 */

import type { Label } from '../core/labels.ts';
import { sortFloat64 } from '../stats/quantile.ts';
import { argsortStable } from './sort.ts';
import {
  asCurveWeight,
  asScores,
  checkNotEmpty,
  codeOf,
  encodeLabelArrays,
  fail,
  type LabelsInput,
  previewLabels,
  resolvePosLabel,
} from './validate.ts';

/** False/true positive counts at each distinct score, from the highest score down. */
export interface BinaryCurve {
  /** False positives (weighted) among samples scoring ≥ `thresholds[i]`. */
  fps: Float64Array;
  /** True positives (weighted) among samples scoring ≥ `thresholds[i]`. */
  tps: Float64Array;
  /** The distinct scores, decreasing. */
  thresholds: Float64Array;
}

/**
 * The curve of a binary problem. `isPos[i]` is 1 for a positive sample. Samples of zero weight
 * are left out (scikit-learn filters them first).
 *
 * The positives' and the negatives' scores are sorted separately and merged from the top: without
 * weights a plain value sort suffices (three times faster than an argsort of all scores); with
 * weights each side is argsorted stably, so the weights of tied scores are summed in scikit-learn's
 * order (descending score, then descending index) and the cumulative sums round the same way.
 */
export function binaryClfCurve(isPos: Uint8Array, scores: Float64Array, w: Float64Array | null): BinaryCurve {
  const n = scores.length;
  let pos: Float64Array;
  let neg: Float64Array;
  let posW: Float64Array | null = null;
  let negW: Float64Array | null = null;
  if (!w) {
    // Positives fill the buffer from the front, negatives from the back (branch-free split).
    const buf = new Float64Array(n);
    let a = 0;
    let b = n;
    for (let i = 0; i < n; i++) {
      const p = isPos[i];
      b -= 1 - p;
      buf[p ? a : b] = scores[i];
      a += p;
    }
    pos = sortFloat64(buf.subarray(0, a));
    neg = sortFloat64(buf.subarray(a));
  } else {
    // Weighted: order each side by (score, index) and carry the weights along.
    let nPos = 0;
    let nNeg = 0;
    for (let i = 0; i < n; i++) {
      if (w[i] === 0) continue;
      if (isPos[i]) nPos++;
      else nNeg++;
    }
    pos = new Float64Array(nPos);
    neg = new Float64Array(nNeg);
    const wp = new Float64Array(nPos);
    const wn = new Float64Array(nNeg);
    for (let i = 0, a = 0, b = 0; i < n; i++) {
      if (w[i] === 0) continue;
      if (isPos[i]) {
        pos[a] = scores[i];
        wp[a++] = w[i];
      } else {
        neg[b] = scores[i];
        wn[b++] = w[i];
      }
    }
    posW = permuted(wp, pos);
    negW = permuted(wn, neg);
  }
  const nPos = pos.length;
  const nNeg = neg.length;
  const m = nPos + nNeg;
  const fps = new Float64Array(m);
  const tps = new Float64Array(m);
  const thresholds = new Float64Array(m);
  let tp = 0;
  let fp = 0;
  let k = 0;
  let i = nPos - 1;
  let j = nNeg - 1;
  // Merge from the highest score down; one point per distinct score.
  while (i >= 0 || j >= 0) {
    const v = j < 0 || (i >= 0 && pos[i] >= neg[j]) ? pos[i] : neg[j];
    if (posW) {
      while (i >= 0 && pos[i] === v) tp += posW[i--];
      while (j >= 0 && neg[j] === v) fp += negW![j--];
    } else {
      while (i >= 0 && pos[i] === v) {
        tp++;
        i--;
      }
      while (j >= 0 && neg[j] === v) {
        fp++;
        j--;
      }
    }
    fps[k] = fp;
    tps[k] = tp;
    thresholds[k] = v === 0 ? 0 : v; // -0 and 0 are one threshold; report it as 0
    k++;
  }
  return { fps: fps.slice(0, k), tps: tps.slice(0, k), thresholds: thresholds.slice(0, k) };
}

/**
 * The (unweighted) curve of a resample of rows given by how many times each row was drawn
 * (`counts[i]`, 0 for rows left out): the same `fps`, `tps` and `thresholds` as
 * {@link binaryClfCurve} on the resampled arrays — counts are exact integers, so their order of
 * accumulation does not matter — without re-sorting. `sortedScores` and `sortedPos` are the scores
 * and positive flags in ascending score order, `order` the row of each (e.g. from
 * `argsortStable`), computed once for all resamples. Scores must be finite. With `scratch`, the
 * result is views of its arrays (overwritten by the next call that uses them).
 */
export function binaryClfCurveOfCounts(
  sortedScores: Float64Array,
  sortedPos: Uint8Array,
  order: Int32Array,
  counts: ArrayLike<number>,
  scratch?: BinaryCurve,
): BinaryCurve {
  const n = order.length;
  // The result may be views of `scratch` (arrays of at least n values), reused from call to call.
  const fps = scratch ? scratch.fps : new Float64Array(n);
  const tps = scratch ? scratch.tps : new Float64Array(n);
  const thresholds = scratch ? scratch.thresholds : new Float64Array(n);
  let tp = 0;
  let fp = 0;
  let k = 0;
  let r = n - 1;
  // From the highest score down; one point per distinct score drawn at least once.
  while (r >= 0) {
    const v = sortedScores[r];
    let drawn = false;
    for (; r >= 0 && sortedScores[r] === v; r--) {
      const c = counts[order[r]];
      if (c === 0) continue;
      drawn = true;
      if (sortedPos[r]) tp += c;
      else fp += c;
    }
    if (!drawn) continue;
    fps[k] = fp;
    tps[k] = tp;
    thresholds[k] = v === 0 ? 0 : v;
    k++;
  }
  return { fps: fps.subarray(0, k), tps: tps.subarray(0, k), thresholds: thresholds.subarray(0, k) };
}

/** Sorts `values` ascending in place (stably) and returns `weights` in the same order. */
function permuted(weights: Float64Array, values: Float64Array): Float64Array {
  const order = argsortStable(values);
  const v = values.slice();
  const out = new Float64Array(weights.length);
  for (let r = 0; r < order.length; r++) {
    values[r] = v[order[r]];
    out[r] = weights[order[r]];
  }
  return out;
}

/** The checked inputs of a binary curve. */
export interface CurveInputs {
  isPos: Uint8Array;
  scores: Float64Array;
  weights: Float64Array | null;
  /** The positive label. */
  posLabel: Label;
}

/**
 * Checks `(yTrue, yScore)` for `rocCurve` / `precisionRecallCurve`: binary labels (or any labels
 * with an explicit `posLabel`), finite scores, weights; resolves `posLabel` as scikit-learn does
 * (without it, labels must be {0, 1} or {−1, 1}).
 */
export function curveInputs(
  who: string,
  yTrue: LabelsInput,
  yScore: unknown,
  posLabel: Label | null | undefined,
  sampleWeight: ArrayLike<number> | null | undefined,
  scoreField = 'yScore',
): CurveInputs {
  const enc = encodeLabelArrays([{ y: yTrue, field: 'yTrue' }], who);
  const codes = enc.codes[0];
  const n = codes.length;
  checkNotEmpty(who, n, 'yTrue');
  const scores = asScores(yScore, n, who, scoreField);
  const weights = asCurveWeight(sampleWeight, n, who);
  if (enc.classes.length > 2 && (posLabel === undefined || posLabel === null)) {
    fail(
      who,
      'posLabel',
      `yTrue has ${enc.classes.length} classes (${previewLabels(enc.classes)}); this curve needs binary labels.`,
      'pass posLabel to score one class against the rest',
    );
  }
  // The classes that remain once zero-weight samples are dropped decide the default posLabel.
  const seen = new Uint8Array(enc.classes.length);
  for (let i = 0; i < n; i++) if (weights?.[i] !== 0) seen[codes[i]] = 1;
  const present = enc.classes.filter((_, c) => seen[c]);
  const pos = resolvePosLabel(posLabel, present, enc.kind, who);
  const posCode = codeOf(enc.classes, enc.kind, pos, who, 'posLabel');
  const isPos = new Uint8Array(n);
  for (let i = 0; i < n; i++) isPos[i] = codes[i] === posCode ? 1 : 0;
  return { isPos, scores, weights, posLabel: pos };
}
