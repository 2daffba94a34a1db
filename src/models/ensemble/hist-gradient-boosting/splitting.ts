/**
 * Split finding: for a node's histograms, the best split over every feature (scikit-learn's
 * `splitting.pyx`).
 *
 * - Numeric features: scan bins left to right (missing values go right; the last non-missing bin
 *   may go left only when there are missing values — a "split on missing"), then, when the
 *   feature has missing values, right to left (missing values go left).
 * - Categorical features: categories with enough support (hessian ≥ 10) are sorted by
 *   `sum_gradient / (sum_hessian + 10)` (LightGBM's `cat_smooth`), missing values being one more
 *   category (equal keys: the later bin first, as scikit-learn); the sorted list is scanned from
 *   both ends up to its middle, and the categories before the cut go left. Low-support categories
 *   always go right.
 * - Gain (XGBoost's eq. 7 without the ½): `G·v − G_L·v_L − G_R·v_R` with `v = −G / (H + λ + 1e-15)`
 *   (scikit-learn's `compute_node_value`, whose 1e-15 keeps a zero hessian finite), where `G·v`
 *   uses the node's own value (0 for the root, as scikit-learn). The operations are scikit-learn's,
 *   in its order, so that equal sums give the gains' bits — ties between candidate splits are
 *   frequent with the two-valued gradients of a classifier's first iteration, and are resolved
 *   like scikit-learn's only when the gains compare as its do (see `boosting.ts` on float32
 *   gradients).
 *
 * @module
 */

/** Everything the splitter needs to know about the features. */
export interface SplitContext {
  nFeatures: number;
  /** Bins per feature slot in a histogram (maxBins + 1). */
  slots: number;
  /** The bin of missing values (maxBins). */
  missingBin: number;
  /** Bins used by non-missing values, per feature. */
  nBinsNonMissing: Int32Array;
  /** 1 when the feature has missing values in the training data. */
  hasMissing: Uint8Array;
  /** 1 for categorical features. */
  isCategorical: Uint8Array;
  minSamplesLeaf: number;
  minHessianToSplit: number;
  minGainToSplit: number;
  l2: number;
}

/** The chosen split of a node. */
export interface SplitInfo {
  gain: number;
  feature: number;
  /** Numeric: the last bin that goes left. Categorical: 0 (see `goesLeft`). */
  binIdx: number;
  missingGoLeft: boolean;
  isCategorical: boolean;
  sumGradLeft: number;
  sumHessLeft: number;
  sumGradRight: number;
  sumHessRight: number;
  nLeft: number;
  nRight: number;
  valueLeft: number;
  valueRight: number;
  /** Per bin (slots entries, missing bin included): 1 when rows of that bin go left. */
  goesLeft: Uint8Array;
}

/** Minimum hessian support of a category, and the smoothing of its sort key (LightGBM's cat_smooth). */
export const MIN_CAT_SUPPORT = 10;

/** Added to a node's hessian sum before dividing (scikit-learn's `compute_node_value`). */
export const NODE_VALUE_EPS = 1e-15;

/** A node's value: −G / (H + λ + 1e-15), with scikit-learn's order of operations. */
export function nodeValue(sumGrad: number, sumHess: number, l2: number): number {
  return -sumGrad / (sumHess + l2 + NODE_VALUE_EPS);
}

/** The gain of splitting a node of value `value` into (G_L, H_L) and (G_R, H_R). */
export function splitGain(
  gL: number,
  hL: number,
  gR: number,
  hR: number,
  lossCurrentNode: number,
  l2: number,
): number {
  const vL = -gL / (hL + l2 + NODE_VALUE_EPS);
  const vR = -gR / (hR + l2 + NODE_VALUE_EPS);
  return lossCurrentNode - gL * vL - gR * vR;
}

interface Best {
  gain: number;
  bin: number;
  missingLeft: boolean;
  gL: number;
  hL: number;
  nL: number;
  /** For categorical splits: the bins that go left. */
  catLeft: number[] | null;
}

/**
 * The best split of a node, or null when no split satisfies the constraints or has a positive
 * gain. `hist` and `counts` are views over the node's histograms (see `assembly/gbdt.ts`),
 * starting at feature 0 of the node: sums at `hist[2 * (f * slots + b)]` (gradient) and `+1`
 * (hessian), counts at `counts[f * slots + b]`.
 */
export function findNodeSplit(
  ctx: SplitContext,
  hist: Float64Array,
  counts: Uint32Array,
  histOffset: number,
  countsOffset: number,
  nSamples: number,
  sumGrad: number,
  sumHess: number,
  value: number,
): SplitInfo | null {
  let bestF = -1;
  let best: Best | null = null;
  const lossCurrent = sumGrad * value;
  for (let f = 0; f < ctx.nFeatures; f++) {
    const hb = histOffset + 2 * f * ctx.slots;
    const cb = countsOffset + f * ctx.slots;
    const b = ctx.isCategorical[f]
      ? scanCategorical(ctx, f, hist, counts, hb, cb, nSamples, sumGrad, sumHess, lossCurrent)
      : scanNumeric(ctx, f, hist, counts, hb, cb, nSamples, sumGrad, sumHess, lossCurrent);
    if (b && (best === null || b.gain > best.gain)) {
      best = b;
      bestF = f;
    }
  }
  if (best === null || !(best.gain > 0)) return null;
  const l2 = ctx.l2;
  const gR = sumGrad - best.gL;
  const hR = sumHess - best.hL;
  const goesLeft = new Uint8Array(ctx.slots);
  const isCategorical = ctx.isCategorical[bestF] === 1;
  let missingGoLeft = best.missingLeft;
  if (isCategorical) {
    for (const bin of best.catLeft!) goesLeft[bin] = 1;
    missingGoLeft = goesLeft[ctx.missingBin] === 1;
  } else {
    for (let bin = 0; bin <= best.bin; bin++) goesLeft[bin] = 1;
    goesLeft[ctx.missingBin] = missingGoLeft ? 1 : 0;
  }
  return {
    gain: best.gain,
    feature: bestF,
    binIdx: isCategorical ? 0 : best.bin,
    missingGoLeft,
    isCategorical,
    sumGradLeft: best.gL,
    sumHessLeft: best.hL,
    sumGradRight: gR,
    sumHessRight: hR,
    nLeft: best.nL,
    nRight: nSamples - best.nL,
    valueLeft: nodeValue(best.gL, best.hL, l2),
    valueRight: nodeValue(gR, hR, l2),
    goesLeft,
  };
}

function scanNumeric(
  ctx: SplitContext,
  f: number,
  hist: Float64Array,
  counts: Uint32Array,
  hb: number,
  cb: number,
  n: number,
  sumG: number,
  sumH: number,
  lossCurrent: number,
): Best | null {
  const { minSamplesLeaf: msl, minHessianToSplit: mh, minGainToSplit: mg, l2 } = ctx;
  const hasMissing = ctx.hasMissing[f];
  const nb = ctx.nBinsNonMissing[f];
  let best: Best | null = null;
  let bestGain = -1;
  // Left to right; missing values go right.
  const end = nb - 1 + hasMissing;
  let gL = 0;
  let hL = 0;
  let nL = 0;
  for (let b = 0; b < end; b++) {
    nL += counts[cb + b];
    const nR = n - nL;
    hL += hist[hb + 2 * b + 1];
    const hR = sumH - hL;
    gL += hist[hb + 2 * b];
    const gR = sumG - gL;
    if (nL < msl) continue;
    if (nR < msl) break;
    if (hL < mh) continue;
    if (hR < mh) break;
    const gain = splitGain(gL, hL, gR, hR, lossCurrent, l2);
    if (gain > bestGain && gain > mg) {
      bestGain = gain;
      best = { gain, bin: b, missingLeft: false, gL, hL, nL, catLeft: null };
    }
  }
  if (!hasMissing) return best;
  // Right to left; missing values go left.
  let gR = 0;
  let hR = 0;
  let nR = 0;
  for (let b = nb - 2; b >= 0; b--) {
    nR += counts[cb + b + 1];
    const nLeft = n - nR;
    hR += hist[hb + 2 * (b + 1) + 1];
    const hLeft = sumH - hR;
    gR += hist[hb + 2 * (b + 1)];
    const gLeft = sumG - gR;
    if (nR < msl) continue;
    if (nLeft < msl) break;
    if (hR < mh) continue;
    if (hLeft < mh) break;
    const gain = splitGain(gLeft, hLeft, gR, hR, lossCurrent, l2);
    if (gain > bestGain && gain > mg) {
      bestGain = gain;
      best = { gain, bin: b, missingLeft: true, gL: gLeft, hL: hLeft, nL: nLeft, catLeft: null };
    }
  }
  return best;
}

function scanCategorical(
  ctx: SplitContext,
  f: number,
  hist: Float64Array,
  counts: Uint32Array,
  hb: number,
  cb: number,
  n: number,
  sumG: number,
  sumH: number,
  lossCurrent: number,
): Best | null {
  const { minSamplesLeaf: msl, minHessianToSplit: mh, minGainToSplit: mg, l2 } = ctx;
  const nb = ctx.nBinsNonMissing[f];
  const supportFactor = n / sumH;
  const bins: number[] = [];
  const keys: number[] = [];
  const consider = (b: number): void => {
    const hb2 = hist[hb + 2 * b + 1];
    if (hb2 * supportFactor >= MIN_CAT_SUPPORT) {
      bins.push(b);
      keys.push(hist[hb + 2 * b] / (hb2 + MIN_CAT_SUPPORT));
    }
  };
  for (let b = 0; b < nb; b++) consider(b);
  if (ctx.hasMissing[f]) consider(ctx.missingBin);
  const used = bins.length;
  if (used <= 1) return null;
  // Equal keys: the later bin first, as scikit-learn's `qsort` (glibc's stable merge sort, whose
  // comparator `-1 if a < b else 1` never reports equality, so the merge takes the right one).
  const order = Array.from({ length: used }, (_, i) => i).sort((a, b) => keys[a] - keys[b] || b - a);
  let best: Best | null = null;
  let bestGain = -1;
  let bestDir = 0;
  let bestThresh = 0;
  for (const dir of [1, -1]) {
    const middle = dir === 1 ? (used + 1) >> 1 : ((used + 1) >> 1) - 1;
    let gL = 0;
    let hL = 0;
    let nL = 0;
    for (let i = 0; i < middle; i++) {
      const s = dir === 1 ? i : used - 1 - i;
      const b = bins[order[s]];
      nL += counts[cb + b];
      const nR = n - nL;
      hL += hist[hb + 2 * b + 1];
      const hR = sumH - hL;
      gL += hist[hb + 2 * b];
      const gR = sumG - gL;
      if (nL < msl || hL < mh) continue;
      if (nR < msl || hR < mh) break;
      const gain = splitGain(gL, hL, gR, hR, lossCurrent, l2);
      if (gain > bestGain && gain > mg) {
        bestGain = gain;
        bestDir = dir;
        bestThresh = s;
        best = { gain, bin: 0, missingLeft: false, gL, hL, nL, catLeft: null };
      }
    }
  }
  if (best) {
    const left: number[] = [];
    if (bestDir === 1) for (let s = 0; s <= bestThresh; s++) left.push(bins[order[s]]);
    else for (let s = used - 1; s >= bestThresh; s--) left.push(bins[order[s]]);
    best.catLeft = left;
  }
  return best;
}
