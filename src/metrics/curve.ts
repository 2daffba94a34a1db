/**
 * The cumulative counts every threshold curve is made of (scikit-learn's `_binary_clf_curve`):
 * sort the scores once, walk them from the highest down, and at the end of each run of tied
 * scores record the (weighted) numbers of false and true positives. ROC and precision–recall
 * curves, ROC AUC and average precision are built on this. Internal to `src/metrics`.
 *
 * @module
 */

import type { Label } from '../core/labels.ts';
import { argsortStable } from './sort.ts';
import {
  asSampleWeight,
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
 * are left out (scikit-learn filters them first). Ties are walked in scikit-learn's order
 * (a stable ascending sort, reversed), so weighted sums round the same way.
 */
export function binaryClfCurve(isPos: Uint8Array, scores: Float64Array, w: Float64Array | null): BinaryCurve {
  if (w) {
    let zeros = 0;
    for (let i = 0; i < w.length; i++) if (w[i] === 0) zeros++;
    if (zeros > 0) {
      const m = w.length - zeros;
      const p2 = new Uint8Array(m);
      const s2 = new Float64Array(m);
      const w2 = new Float64Array(m);
      for (let i = 0, j = 0; i < w.length; i++) {
        if (w[i] === 0) continue;
        p2[j] = isPos[i];
        s2[j] = scores[i];
        w2[j++] = w[i];
      }
      isPos = p2;
      scores = s2;
      w = w2;
    }
  }
  const n = scores.length;
  const idx = argsortStable(scores);
  const fps = new Float64Array(n);
  const tps = new Float64Array(n);
  const thresholds = new Float64Array(n);
  let tp = 0;
  let fp = 0;
  let m = 0;
  // Hand-inlined: one pass from the highest score down, closing a point at the end of each tie run.
  for (let k = n - 1; k >= 0; k--) {
    const i = idx[k];
    const s = scores[i];
    if (w) {
      if (isPos[i]) tp += w[i];
      else fp += w[i];
    } else if (isPos[i]) tp++;
    else fp++;
    if (k === 0 || scores[idx[k - 1]] !== s) {
      fps[m] = fp;
      tps[m] = tp;
      thresholds[m] = s;
      m++;
    }
  }
  return { fps: fps.slice(0, m), tps: tps.slice(0, m), thresholds: thresholds.slice(0, m) };
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
  const weights = asSampleWeight(sampleWeight, n, who);
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
