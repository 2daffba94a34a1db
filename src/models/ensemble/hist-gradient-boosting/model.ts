/**
 * What the classifier and the regressor share: the fit driver (validation split, early-stopping
 * decision, class of loss), the fitted model as plain data, raw prediction, and importances.
 *
 * @module
 */

import { ValidationError } from '../../../core/errors.ts';
import { type Matrix, takeRows } from '../../../core/matrix.ts';
import type { PlainObject } from '../../../core/plain.ts';
import { checkInt, checkLength, damagedState } from '../../../core/saved-state.ts';
import { warn } from '../../../core/warnings.ts';
import type { BinMapper, FeatureBins } from './binning.ts';
import { type BoostingData, fitBoosting, resolveThreads } from './boosting.ts';
import { validationSplit } from './early-stopping.ts';
import { HistWorkers } from './hist-workers.ts';
import { defaultKernelKind } from './kernels.ts';
import type { Loss } from './loss.ts';
import type { HGBClassifierParams, HGBRegressorParams } from './params.ts';
import { predictRaw, shareEnsemble, type TreeEnsemble } from './predictor.ts';
import { type PackedEnsemble, packEnsemble } from './wasm-predictor.ts';

/** A validation set for early stopping, passed to `fit` (instead of `validationFraction`). */
export interface ValidationSet {
  X: Matrix;
  y: Float64Array;
  w: Float64Array | null;
}

/** The fitted model. */
export interface FittedModel {
  mapper: BinMapper;
  ensemble: TreeEnsemble;
  baseline: Float64Array;
  isCategorical: Uint8Array;
  nIter: number;
  trainScore: Float64Array;
  validationScore: Float64Array;
  doEarlyStopping: boolean;
  /** Lazily made shared-memory copy of the ensemble (for threads). */
  shared?: TreeEnsemble;
  /** Lazily packed ensemble for the WebAssembly kernel (null: use the TypeScript walk). */
  packed?: PackedEnsemble | null;
}

type CommonParams = HGBClassifierParams | HGBRegressorParams;

/** Fits the model: decides early stopping, splits off validation rows, runs the loop. */
export function fitModel(
  who: string,
  params: CommonParams,
  X: Matrix,
  y: Float64Array,
  w: Float64Array | null,
  isCategorical: Uint8Array,
  makeLoss: (train: BoostingData) => Loss,
  stratify: boolean,
  scorer: ((raw: Float64Array, data: BoostingData) => number) | null,
  given: ValidationSet | null,
): FittedModel {
  const maxCategories = params.maxCategories ?? params.maxBins;
  if (maxCategories > params.maxBins) {
    throw new ValidationError(
      `${who}: maxCategories (${params.maxCategories}) cannot exceed maxBins (${params.maxBins}): each category needs its own bin.`,
      { field: 'maxCategories', fix: `set maxCategories ≤ ${params.maxBins}, or raise maxBins` },
    );
  }
  const n = X.rows;
  const doEarly =
    given !== null
      ? params.earlyStopping !== false
      : params.earlyStopping === 'auto'
        ? n > 10000
        : params.earlyStopping;
  let train: BoostingData = { X, y, w };
  let val: BoostingData | null = null;
  if (doEarly && given) {
    val = { X: given.X, y: given.y, w: given.w };
  } else if (doEarly && params.validationFraction !== null) {
    const split = validationSplit(n, params.validationFraction, params.seed, stratify ? y : null);
    if (split.train.length === 0 || split.val.length === 0) {
      throw new ValidationError(
        `${who}: validationFraction ${params.validationFraction} leaves ${split.train.length} training and ${split.val.length} validation rows.`,
        {
          field: 'validationFraction',
          fix: 'use more rows, another validationFraction, or earlyStopping: false',
        },
      );
    }
    const pick = (a: Float64Array, idx: Int32Array): Float64Array => {
      const out = new Float64Array(idx.length);
      for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]];
      return out;
    };
    train = { X: takeRows(X, split.train), y: pick(y, split.train), w: w ? pick(w, split.train) : null };
    val = { X: takeRows(X, split.val), y: pick(y, split.val), w: w ? pick(w, split.val) : null };
  }
  const loss = makeLoss(train);
  const r = fitBoosting({
    train,
    val,
    earlyStopOnTrain: doEarly && val === null,
    categoriesFrom: X,
    isCategorical,
    loss,
    params: { ...params, maxCategories } as unknown as Parameters<typeof fitBoosting>[0]['params'],
    scorer,
    who,
    onCapExceeded: (j, card) =>
      warn(
        'UserWarning',
        `${who}: categorical feature '${X.columns[j]}' has ${card} categories, more than maxCategories = ${maxCategories}; the ${maxCategories - 1} most frequent keep their own bin and the other ${card - maxCategories + 1} share one.`,
      ),
  });
  return {
    mapper: r.mapper,
    ensemble: r.ensemble,
    baseline: r.baseline,
    isCategorical,
    nIter: r.nIter,
    trainScore: Float64Array.from(r.trainScore),
    validationScore: Float64Array.from(r.validationScore),
    doEarlyStopping: doEarly,
  };
}

/**
 * Raw predictions (class-major n × K, baseline included) of X, written to `into` when given (n × K
 * zeroed values: callers that allocate their own output can lend part of it and save an
 * allocation — fresh memory costs page faults).
 */
export function rawPredict(
  m: FittedModel,
  X: Matrix,
  nThreads: number | null,
  into?: Float64Array,
): Float64Array {
  const threads = resolveThreads(nThreads);
  const ex =
    threads > 1 && X.rows * (m.ensemble.treeStart.length - 1) >= 2_000_000 ? HistWorkers.get(threads) : null;
  return predictRaw(
    m.ensemble,
    () => {
      m.shared ??= shareEnsemble(m.ensemble);
      return m.shared;
    },
    packedFor(m),
    X.data,
    X.rows,
    X.cols,
    m.baseline,
    ex,
    into,
  );
}

function packedFor(m: FittedModel): PackedEnsemble | null {
  if (m.packed === undefined) m.packed = defaultKernelKind() === 'wasm' ? packEnsemble(m.ensemble) : null;
  return m.packed;
}

/** Total split gain per feature, normalised to sum to 1 (all zeros when no tree has a split). */
export function gainImportances(e: TreeEnsemble, d: number): Float64Array {
  const out = new Float64Array(d);
  let total = 0;
  for (let i = 0; i < e.feature.length; i++) {
    const f = e.feature[i];
    if (f >= 0) {
      out[f] += e.gain[i];
      total += e.gain[i];
    }
  }
  if (total > 0) for (let j = 0; j < d; j++) out[j] /= total;
  return out;
}

/** Number of splits per feature. */
export function splitCounts(e: TreeEnsemble, d: number): Int32Array {
  const out = new Int32Array(d);
  for (let i = 0; i < e.feature.length; i++) if (e.feature[i] >= 0) out[e.feature[i]]++;
  return out;
}

/** The fitted model as plain data. */
export function modelToState(m: FittedModel): PlainObject {
  const e = m.ensemble;
  return {
    baseline: m.baseline,
    isCategorical: m.isCategorical,
    nIter: m.nIter,
    trainScore: m.trainScore,
    validationScore: m.validationScore,
    doEarlyStopping: m.doEarlyStopping,
    missingBin: m.mapper.missingBin,
    bins: m.mapper.features.map((f) => {
      const o: PlainObject = { categorical: f.categorical, thresholds: f.thresholds, nBins: f.nBins };
      if (f.codeToBin) o.codeToBin = f.codeToBin;
      if (f.otherBin !== undefined) o.otherBin = f.otherBin;
      return o;
    }),
    ensemble: {
      nTreesPerIteration: e.nTreesPerIteration,
      treeStart: e.treeStart,
      feature: e.feature,
      threshold: e.threshold,
      binThreshold: e.binThreshold,
      left: e.left,
      right: e.right,
      value: e.value,
      missingLeft: e.missingLeft,
      catIndex: e.catIndex,
      gain: e.gain,
      count: e.count,
      binBitsets: e.binBitsets,
      rawBitsetStart: e.rawBitsetStart,
      rawBitsets: e.rawBitsets,
    },
  };
}

function typed<T>(v: unknown, Ctor: new (...a: never[]) => T, name: string, who: string): T {
  if (!(v instanceof Ctor)) {
    throw damagedState(who, name, 'is missing or has the wrong type');
  }
  return v;
}

/**
 * Rebuilds a fitted model from {@link modelToState} output, checking every field: types, the
 * lengths of the node arrays, the tree layout (each tree's nodes contiguous, children inside their
 * tree and after their parent), feature indices against the `nFeatures` input columns, and one
 * tree per output (`nOutputs`) in each iteration. A damaged or edited state is refused here rather
 * than predicting NaN or crashing inside the tree walk.
 */
export function modelFromState(
  s: PlainObject,
  who: string,
  nFeatures: number,
  nOutputs: number,
): FittedModel {
  const e = s.ensemble as PlainObject;
  if (typeof e !== 'object' || e === null || Array.isArray(e) || ArrayBuffer.isView(e)) {
    throw damagedState(who, 'ensemble', 'is missing or not an object');
  }
  const K = checkInt(who, 'nTreesPerIteration', e.nTreesPerIteration, 1, 1 << 20);
  if (K !== nOutputs) {
    throw damagedState(who, 'nTreesPerIteration', `is ${K}, but the model has ${nOutputs} output(s)`);
  }
  const ensemble: TreeEnsemble = {
    nTreesPerIteration: K,
    treeStart: typed(e.treeStart, Int32Array, 'treeStart', who),
    feature: typed(e.feature, Int32Array, 'feature', who),
    threshold: typed(e.threshold, Float64Array, 'threshold', who),
    binThreshold: typed(e.binThreshold, Uint8Array, 'binThreshold', who),
    left: typed(e.left, Int32Array, 'left', who),
    right: typed(e.right, Int32Array, 'right', who),
    value: typed(e.value, Float64Array, 'value', who),
    missingLeft: typed(e.missingLeft, Uint8Array, 'missingLeft', who),
    catIndex: typed(e.catIndex, Int32Array, 'catIndex', who),
    gain: typed(e.gain, Float64Array, 'gain', who),
    count: typed(e.count, Int32Array, 'count', who),
    binBitsets: typed(e.binBitsets, Uint32Array, 'binBitsets', who),
    rawBitsetStart: typed(e.rawBitsetStart, Int32Array, 'rawBitsetStart', who),
    rawBitsets: typed(e.rawBitsets, Uint32Array, 'rawBitsets', who),
  };
  checkEnsemble(ensemble, who, nFeatures);
  const nIter = checkInt(who, 'nIter', s.nIter, 0, Number.MAX_SAFE_INTEGER);
  const nTrees = ensemble.treeStart.length - 1;
  if (nTrees !== nIter * K) {
    throw damagedState(
      who,
      'treeStart',
      `holds ${nTrees} trees, but ${nIter} iterations of ${K} make ${nIter * K}`,
    );
  }
  const baseline = typed(s.baseline, Float64Array, 'baseline', who);
  checkLength(who, 'baseline', baseline, K, 'one per output');
  const isCategorical = typed(s.isCategorical, Uint8Array, 'isCategorical', who);
  checkLength(who, 'isCategorical', isCategorical, nFeatures, 'one per input feature');
  if (!Array.isArray(s.bins)) throw damagedState(who, 'bins', 'is missing or not an array');
  checkLength(who, 'bins', s.bins, nFeatures, 'one per input feature');
  const missingBin = checkInt(who, 'missingBin', s.missingBin, 0, 255);
  const features: FeatureBins[] = (s.bins as PlainObject[]).map((b) => {
    if (typeof b !== 'object' || b === null)
      throw damagedState(who, 'bins', 'holds an entry that is not an object');
    return {
      categorical: b.categorical === true,
      thresholds: typed(b.thresholds, Float64Array, 'thresholds', who),
      nBins: checkInt(who, 'bins.nBins', b.nBins, 0, 256),
      codeToBin: b.codeToBin === undefined ? undefined : typed(b.codeToBin, Int32Array, 'codeToBin', who),
      otherBin: b.otherBin === undefined ? undefined : checkInt(who, 'bins.otherBin', b.otherBin, -1, 255),
    };
  });
  return {
    mapper: { features, missingBin },
    ensemble,
    baseline,
    isCategorical,
    nIter,
    trainScore: typed(s.trainScore, Float64Array, 'trainScore', who),
    validationScore: typed(s.validationScore, Float64Array, 'validationScore', who),
    doEarlyStopping: s.doEarlyStopping === true,
  };
}

/** The layout checks of {@link modelFromState}: every index the tree walks follow stays in range. */
function checkEnsemble(e: TreeEnsemble, who: string, nFeatures: number): void {
  const nNodes = e.feature.length;
  for (const name of [
    'threshold',
    'binThreshold',
    'left',
    'right',
    'value',
    'missingLeft',
    'catIndex',
    'gain',
    'count',
  ] as const) {
    checkLength(who, name, e[name], nNodes, "one per node, as many as 'feature'");
  }
  const { treeStart, rawBitsetStart } = e;
  if (treeStart.length < 1 || treeStart[0] !== 0 || treeStart[treeStart.length - 1] !== nNodes) {
    throw damagedState(who, 'treeStart', `does not run from 0 to the ${nNodes} nodes of 'feature'`);
  }
  const nCat = rawBitsetStart.length - 1;
  if (nCat < 0 || rawBitsetStart[0] !== 0 || rawBitsetStart[nCat] !== e.rawBitsets.length) {
    throw damagedState(
      who,
      'rawBitsetStart',
      `does not run from 0 to the ${e.rawBitsets.length} words of 'rawBitsets'`,
    );
  }
  for (let c = 0; c < nCat; c++) {
    if (rawBitsetStart[c + 1] < rawBitsetStart[c])
      throw damagedState(who, 'rawBitsetStart', 'is not in order');
  }
  checkLength(who, 'binBitsets', e.binBitsets, nCat * 8, 'eight words per categorical split');
  for (let t = 0; t + 1 < treeStart.length; t++) {
    const lo = treeStart[t];
    const hi = treeStart[t + 1];
    if (!(hi > lo)) throw damagedState(who, 'treeStart', `gives tree ${t} no nodes (${lo}..${hi})`);
    for (let i = lo; i < hi; i++) {
      const f = e.feature[i];
      if (f < -1 || f >= nFeatures) {
        throw damagedState(who, 'feature', `holds ${f} at node ${i}, outside -1..${nFeatures - 1}`);
      }
      const c = e.catIndex[i];
      if (c < -1 || c >= nCat || (c >= 0 && f < 0)) {
        throw damagedState(
          who,
          'catIndex',
          `holds ${c} at node ${i}, not a categorical split of 0..${nCat - 1}`,
        );
      }
      const l = e.left[i];
      const r = e.right[i];
      // A split's children come after it in its own tree, so every walk ends at a leaf.
      const ok = f < 0 ? l >= lo && l < hi && r >= lo && r < hi : l > i && l < hi && r > i && r < hi;
      if (!ok) {
        throw damagedState(
          who,
          f < 0 ? 'left' : 'left/right',
          `points outside its tree at node ${i} (the trees are malformed)`,
        );
      }
    }
  }
}
