/**
 * Histogram gradient boosting (classifier and regressor) through the leaf-number ensemble.
 *
 * The fitted trees are private to the estimators, so this reads them from `toJSON().state` — the
 * layout `modelToState` in `src/models/ensemble/hist-gradient-boosting/model.ts` writes
 * (`baseline`, `ensemble.{nTreesPerIteration, treeStart, feature, threshold, left, right, value,
 * missingLeft, catIndex, rawBitsetStart, rawBitsets}`). That is a coupling: when the HGB state
 * layout changes (its `stateVersion`), this reader must follow; `readHgbState` checks every field
 * and refuses a layout it does not know.
 *
 * Semantics reproduced (see `addRaw` in `predictor.ts`):
 * - a numeric split sends `x <= threshold` left and NaN to `missingLeft`;
 * - a categorical split sends NaN, and a code outside `0 <= x < 32·words` (an unknown
 *   category), to `missingLeft`, else the raw code `x` left when bit `x` of the split's bitset is
 *   set. ONNX-ML opset 3 has no set membership, so each categorical split becomes a derived 0/1
 *   column (a `Gather` from its bitset; NaN for NaN and out-of-range codes), split on with `>= 0.5`;
 * - raw scores: `baseline[k] + Σ trees of class k`, in tree order; then `exp` (Poisson),
 *   the sigmoid `[1 − p, p]` written as HGB's `expit` (binary) or softmax (multiclass); the label is the first most probable
 *   class, as `predict`.
 *
 * @module
 */

import { ValidationError } from '../../core/errors.ts';
import type { Estimator } from '../../core/estimator.ts';
import type { Label } from '../../core/labels.ts';
import type { PlainObject } from '../../core/plain.ts';
import { attr, type GraphBuilder } from '../graph-builder.ts';
import { DataType } from '../onnx-proto.ts';
import { argmaxRows, type ModelHead } from './head.ts';
import { type ExportTree, leafIds, leafValuesPerTree, sumInOrder } from './leaf-ensemble.ts';

/** The parts of a fitted HGB model the export needs. */
export interface HgbState {
  baseline: Float64Array;
  nTreesPerIteration: number;
  treeStart: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  missingLeft: Uint8Array;
  catIndex: Int32Array;
  rawBitsetStart: Int32Array;
  rawBitsets: Uint32Array;
}

/** Reads (and checks) the trees of a fitted HistGradientBoosting model from its `toJSON().state`. */
export function readHgbState(est: Estimator): HgbState {
  const who = est.typeName;
  const json = est.toJSON();
  const bad = (what: string): never => {
    throw new ValidationError(
      `exportOnnx: cannot read the trees of ${who} (state version ${json.version}): ${what}.`,
      {
        fix: 'this exporter reads HistGradientBoosting state version 2; re-export with the Lathe version that trained the model',
      },
    );
  };
  if (json.version !== 2) bad('unknown state version');
  const s = json.state;
  if (!s) bad('the model is not fitted');
  const state = s as PlainObject;
  const e = state.ensemble as PlainObject | undefined;
  if (!e || typeof e !== 'object') bad("no 'ensemble'");
  const ens = e as PlainObject;
  const typed = <T>(o: PlainObject, name: string, Ctor: new (...a: never[]) => T): T => {
    const v = o[name];
    if (!(v instanceof Ctor)) bad(`'${name}' is missing or not a ${Ctor.name}`);
    return v as T;
  };
  const out: HgbState = {
    baseline: typed(state, 'baseline', Float64Array),
    nTreesPerIteration: Number(ens.nTreesPerIteration),
    treeStart: typed(ens, 'treeStart', Int32Array),
    feature: typed(ens, 'feature', Int32Array),
    threshold: typed(ens, 'threshold', Float64Array),
    left: typed(ens, 'left', Int32Array),
    right: typed(ens, 'right', Int32Array),
    value: typed(ens, 'value', Float64Array),
    missingLeft: typed(ens, 'missingLeft', Uint8Array),
    catIndex: typed(ens, 'catIndex', Int32Array),
    rawBitsetStart: typed(ens, 'rawBitsetStart', Int32Array),
    rawBitsets: typed(ens, 'rawBitsets', Uint32Array),
  };
  const n = out.feature.length;
  if (!(out.nTreesPerIteration >= 1) || out.baseline.length !== out.nTreesPerIteration)
    bad('baseline length');
  for (const k of ['threshold', 'left', 'right', 'value', 'missingLeft', 'catIndex'] as const) {
    if (out[k].length !== n) bad(`'${k}' has ${out[k].length} entries for ${n} nodes`);
  }
  const T = out.treeStart.length - 1;
  if (T < 0 || out.treeStart[T] !== n || T % out.nTreesPerIteration !== 0) bad('tree boundaries');
  for (let t = 0; t < T; t++) {
    const start = out.treeStart[t];
    const end = out.treeStart[t + 1];
    if (!(start < end)) bad(`tree ${t} is empty`);
    for (let i = start; i < end; i++) {
      if (out.feature[i] < 0) continue;
      const l = out.left[i];
      const r = out.right[i];
      if (!(l > i && l < end && r > i && r < end)) bad(`node ${i} points outside its tree`);
    }
  }
  return out;
}

/** Derived 0/1 columns for categorical splits: which column each split reads. */
interface CategoricalColumns {
  /** X extended with one column per categorical split (or X itself when there is none). */
  X: string;
  /** Column of the extended X holding the indicator of each categorical split (by catIndex). */
  columnOfSplit: Int32Array;
}

/** Adds one derived column per categorical split: 1 where the code goes left, 0 where it goes right. */
function categoricalIndicators(b: GraphBuilder, s: HgbState, X: string, d: number): CategoricalColumns {
  const nCat = s.rawBitsetStart.length - 1;
  const columnOfSplit = new Int32Array(Math.max(nCat, 0));
  if (nCat <= 0) return { X, columnOfSplit };
  // The feature of each categorical split.
  const featureOf = new Int32Array(nCat).fill(-1);
  for (let i = 0; i < s.feature.length; i++) if (s.catIndex[i] >= 0) featureOf[s.catIndex[i]] = s.feature[i];
  const blocks: string[] = [];
  let next = d;
  const features = [...new Set(featureOf)].filter((f) => f >= 0).sort((a, b) => a - b);
  for (const f of features) {
    const splits: number[] = [];
    for (let c = 0; c < nCat; c++) if (featureOf[c] === f) splits.push(c);
    let range = 0;
    for (const c of splits) range = Math.max(range, (s.rawBitsetStart[c + 1] - s.rawBitsetStart[c]) * 32);
    // table[code, k] = 1 when split k sends code left; row `range` (read by out-of-range codes,
    // whose result is then replaced by NaN) is all 0.
    const table = new Float64Array((range + 1) * splits.length);
    splits.forEach((c, k) => {
      const start = s.rawBitsetStart[c];
      const words = s.rawBitsetStart[c + 1] - start;
      for (let code = 0; code < words * 32; code++) {
        if ((s.rawBitsets[start + (code >>> 5)] >>> (code & 31)) & 1) table[code * splits.length + k] = 1;
      }
    });
    const x = b.op('Slice', [X, b.int64([f]), b.int64([f + 1]), b.int64([1])]);
    const inRange = b.op('And', [
      b.op('GreaterOrEqual', [x, b.scalar(0)]),
      b.op('Less', [x, b.scalar(range)]),
    ]);
    // Codes are truncated toward zero (as Lathe's `x >>> 5`); out-of-range codes read row `range`.
    const code = b.op(
      'Cast',
      [b.op('Where', [inRange, x, b.scalar(range)])],
      [attr.int('to', DataType.INT64)],
    );
    const flat = b.op('Reshape', [code, b.int64([-1])]);
    const hits = b.op(
      'Gather',
      [b.double(table, [range + 1, splits.length], 'cat_sets'), flat],
      [attr.int('axis', 0)],
    );
    // NaN and out-of-range codes (NaN is never in range) read as missing: the tree's missingLeft.
    blocks.push(b.op('Where', [inRange, hits, b.scalar(Number.NaN)]));
    splits.forEach((c) => {
      columnOfSplit[c] = next++;
    });
  }
  return { X: b.op('Concat', [X, ...blocks], [attr.int('axis', 1)]), columnOfSplit };
}

/** An HGB classifier (`classes`) or regressor (`classes` null; `poisson` for exp of the raw score). */
export function convertHgb(
  b: GraphBuilder,
  est: Estimator,
  classes: readonly Label[] | null,
  poisson: boolean,
  X: string,
  d: number,
): ModelHead {
  const s = readHgbState(est);
  const who = est.typeName;
  const cat = categoricalIndicators(b, s, X, d);
  const T = s.treeStart.length - 1;
  const trees: ExportTree[] = [];
  for (let t = 0; t < T; t++) {
    const start = s.treeStart[t];
    const n = s.treeStart[t + 1] - start;
    const leaf = new Uint8Array(n);
    const feature = new Int32Array(n);
    const threshold = new Float64Array(n);
    const left = new Int32Array(n);
    const right = new Int32Array(n);
    const missingLeft = new Uint8Array(n);
    const greater = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const g = start + i;
      if (s.feature[g] < 0) {
        leaf[i] = 1;
        continue;
      }
      left[i] = s.left[g] - start;
      right[i] = s.right[g] - start;
      missingLeft[i] = s.missingLeft[g];
      const c = s.catIndex[g];
      if (c >= 0) {
        feature[i] = cat.columnOfSplit[c];
        threshold[i] = 0.5;
        greater[i] = 1;
      } else {
        feature[i] = s.feature[g];
        threshold[i] = s.threshold[g];
      }
    }
    trees.push({
      nodeCount: n,
      leaf,
      feature,
      threshold,
      left,
      right,
      missingLeft,
      greaterGoesLeft: greater,
    });
  }
  const ids = leafIds(b, cat.X, trees, who);
  const table = new Float64Array(ids.nLeaves);
  for (let t = 0; t < T; t++) {
    const start = s.treeStart[t];
    const numbers = ids.leafNumber[t];
    for (let i = 0; i < numbers.length; i++) if (numbers[i] >= 0) table[numbers[i]] = s.value[start + i];
  }
  const perTree = leafValuesPerTree(b, ids, T, table, 0);
  const K = s.nTreesPerIteration;
  const raws: string[] = [];
  for (let k = 0; k < K; k++) {
    const mine = perTree.filter((_, t) => t % K === k);
    raws.push(b.op('Add', [b.scalar(s.baseline[k]), sumInOrder(b, mine)]));
  }
  if (!classes) {
    let raw = raws[0];
    if (poisson) raw = b.op('Exp', [raw]);
    return { kind: 'regressor', value: raw };
  }
  const column = (t: string) => b.op('Reshape', [t, b.int64([-1, 1])]);
  let proba: string;
  if (classes.length === 2) {
    // HGB's expit: x >= 0 ? 1 / (1 + e^−x) : e^x / (1 + e^x), i.e. with t = e^−|x| the
    // numerator is 1 or t and the denominator 1 + t.
    const x = raws[0];
    const t = b.op('Exp', [b.op('Neg', [b.op('Abs', [x])])]);
    const num = b.op('Where', [b.op('GreaterOrEqual', [x, b.scalar(0)]), b.scalar(1), t]);
    const p = b.op('Div', [num, b.op('Add', [b.scalar(1), t])]);
    proba = b.op('Concat', [column(b.op('Sub', [b.scalar(1), p])), column(p)], [attr.int('axis', 1)]);
  } else {
    proba = b.op('Softmax', [b.op('Concat', raws.map(column), [attr.int('axis', 1)])], [attr.int('axis', 1)]);
  }
  return { kind: 'classifier', proba, labelIndex: argmaxRows(b, proba), classes };
}
