/**
 * A task metric recomputed on rows of the data — what the bootstrap of `lathe evaluate` (and
 * `lathe run`) asks for once per resample (and, for BCa, once per left-out row).
 *
 * {@link metricOnRows} takes the rows and calls {@link computeMetric} on them: every call checks
 * and encodes the labels again and copies the arrays, some 3.5 ms per call on 10 000 rows, which
 * made 1000 resamples of ten metrics take most of a minute. {@link fastMetricOnRows} does the
 * per-row work once — labels encoded to class codes, probabilities read, per-row losses and
 * sorted score orders computed — and per call only counts what the rows hold, then finishes with
 * the same arithmetic the metric functions use (shared with them: `prfOfCounts`,
 * `balancedAccuracyOfCounts`, `mccOfMargins`, `rocAucOfCurve`, `averagePrecisionOfCurve`,
 * `sampleLogLoss`, `brierTerm`, `meanErrorOf`, `r2Of`, `explainedVarianceOf`, `medianOfSorted`).
 * It gives the same value, bit for bit, as {@link metricOnRows}:
 *
 * - label metrics (accuracy, balanced accuracy, precision / recall / F1 binary, macro and weighted,
 *   MCC) from the class counts of the rows — integers, exact in any order — over the classes the
 *   rows hold, in sorted order, as the metric functions see them;
 * - ROC AUC (binary and one-vs-rest macro) and average precision from the curve of the rows'
 *   multiplicities walked along a score order sorted once (the same points: counts are exact);
 * - log loss and Brier score as the sum of per-row terms taken in the rows' order (floating-point
 *   sums depend on their order, so the terms are summed as the metric function sums them);
 * - MAE, MSE, RMSE, MAPE, R² and explained variance on the rows' values gathered in the rows'
 *   order (their sums are pairwise, so the order matters: only the checks and copies are saved);
 *   the median absolute error from the errors sorted once, walked with the rows' multiplicities.
 *
 * It returns null, and the caller keeps {@link metricOnRows}, where the data are outside what it
 * reproduces: a classifier without a class list, labels that fail to encode, non-finite or
 * out-of-range probabilities or regression values, true labels the model has no probability
 * column for (log loss, ROC AUC: NaN on every resample holding one).
 *
 * @module
 */

import type { Label } from '../core/labels.ts';
import { takeRows } from '../core/matrix.ts';
import { captureWarnings } from '../core/warnings.ts';
import { mccOfMargins } from '../metrics/agreement.ts';
import { balancedAccuracyOfCounts, PRF_WARN, prfOfCounts } from '../metrics/classification.ts';
import { binaryClfCurveOfCounts } from '../metrics/curve.ts';
import { brierTerm, labelColumns, sampleLogLoss } from '../metrics/probabilistic.ts';
import { averagePrecisionOfCurve } from '../metrics/ranking.ts';
import {
  averageOutputs,
  ERROR_TERMS,
  explainedVarianceOf,
  meanErrorOf,
  medianOfSorted,
  r2Of,
  type Targets,
} from '../metrics/regression.ts';
import { macroMeanAuc, rocAucOfCurve } from '../metrics/roc.ts';
import { argsortStable } from '../metrics/sort.ts';
import { asLabelsOption, codeOf, encodeLabelArrays, labelsOption } from '../metrics/validate.ts';
import type { LearningTask } from './families.ts';
import { computeMetric, metricSpec, type SupervisedPredictions } from './scores.ts';

/** A metric of the rows `idx` (indices into the predictions; repeats allowed). */
export type RowsMetric = (idx: ArrayLike<number>) => number;

/**
 * The metric on rows `idx`, by {@link computeMetric} on the arrays of those rows (the reference
 * path; {@link fastMetricOnRows} gives the same values faster where it can).
 */
export function metricOnRows(task: LearningTask, key: string, p: SupervisedPredictions): RowsMetric {
  return (idx) =>
    computeMetric(task, key, {
      yTrue: pick(p.yTrue, idx),
      yPred: pick(p.yPred, idx),
      proba: p.proba ? takeRows(p.proba, idx) : null,
      classes: p.classes,
    });
}

/** {@link fastMetricOnRows} where it applies, else {@link metricOnRows}. */
export function resampledMetric(task: LearningTask, key: string, p: SupervisedPredictions): RowsMetric {
  return fastMetricOnRows(task, key, p) ?? metricOnRows(task, key, p);
}

/**
 * The metric on rows `idx`, equal bit for bit to {@link metricOnRows} but without re-checking
 * and re-encoding the data per call; null where it does not apply (see the module notes).
 */
export function fastMetricOnRows(
  task: LearningTask,
  key: string,
  p: SupervisedPredictions,
): RowsMetric | null {
  if (task === 'clustering' || !metricSpec(task, key)) return null;
  if (task !== 'regression' && !p.classes) return null;
  let inner: RowsMetric | null;
  try {
    inner = task === 'regression' ? regressionMetric(key, p) : build(task, key, p, p.classes!);
  } catch {
    return null; // the data fail a check the metric function makes: every call would be NaN or throw
  }
  if (!inner) return null;
  const f = inner;
  // As computeMetric: warnings of undefined ratios on a resample are not the user's concern.
  return (idx) => (idx.length === 0 ? Number.NaN : captureWarnings(() => f(idx)).result);
}

function build(
  task: LearningTask,
  key: string,
  p: SupervisedPredictions,
  classes: readonly Label[],
): RowsMetric | null {
  switch (key) {
    case 'accuracy':
    case 'balancedAccuracy':
    case 'precision':
    case 'recall':
    case 'f1':
    case 'f1Macro':
    case 'f1Weighted':
    case 'precisionMacro':
    case 'recallMacro':
    case 'mcc':
      return labelMetric(key, p, classes);
    case 'rocAuc':
    case 'averagePrecision':
    case 'brier':
      return task === 'binary' ? positiveScoreMetric(key, p, classes) : null;
    case 'logLoss':
      return logLossMetric(p, classes);
    case 'rocAucOvr':
      return task === 'multiclass' ? ovrRocAuc(p, classes) : null;
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Label metrics: per-class counts of the rows

function labelMetric(key: string, p: SupervisedPredictions, classes: readonly Label[]): RowsMetric | null {
  // The labels encoded once over the sorted union of all classes: the classes of any rows are a
  // subset, in the same (sorted) order as the metric functions encode them.
  const enc = encodeLabelArrays(
    [
      { y: p.yTrue, field: 'yTrue' },
      { y: p.yPred, field: 'yPred' },
    ],
    'evaluate',
  );
  const [t, q] = enc.codes;
  if (t.length === 0 || t.length !== q.length) return null;
  const K = enc.classes.length;
  // Each row's cell of the confusion matrix, so that counting a row is one increment.
  const cell = new Int32Array(t.length);
  for (let i = 0; i < t.length; i++) cell[i] = t[i] * K + q[i];
  const cm = new Int32Array(K * K);
  const tpAll = new Float64Array(K);
  const predAll = new Float64Array(K);
  const trueAll = new Float64Array(K);
  /** Counts the rows; returns the number of classes present (compacted to the front of tp/pred/true). */
  const count = (idx: ArrayLike<number>, tp: Float64Array, pred: Float64Array, tru: Float64Array): number => {
    cm.fill(0);
    for (let r = 0; r < idx.length; r++) cm[cell[idx[r]]]++;
    tpAll.fill(0);
    predAll.fill(0);
    trueAll.fill(0);
    for (let a = 0; a < K; a++) {
      for (let b = 0; b < K; b++) {
        const v = cm[a * K + b];
        trueAll[a] += v;
        predAll[b] += v;
      }
      tpAll[a] = cm[a * K + a];
    }
    let k = 0;
    for (let c = 0; c < K; c++) {
      if (trueAll[c] === 0 && predAll[c] === 0) continue;
      tp[k] = tpAll[c];
      pred[k] = predAll[c];
      tru[k] = trueAll[c];
      k++;
    }
    return k;
  };
  const tp = new Float64Array(K);
  const pred = new Float64Array(K);
  const tru = new Float64Array(K);
  const all = (what: 'precision' | 'recall' | 'fbeta', average: 'macro' | 'weighted'): RowsMetric => {
    const warnFor =
      what === 'precision' ? PRF_WARN.precision : what === 'recall' ? PRF_WARN.recall : PRF_WARN.fscore;
    return (idx) => {
      const k = count(idx, tp, pred, tru);
      const r = prfOfCounts(tp.slice(0, k), pred.slice(0, k), tru.slice(0, k), [], average, 1, 0, warnFor);
      return r[what] as number;
    };
  };
  switch (key) {
    case 'accuracy':
      return (idx) => {
        count(idx, tp, pred, tru);
        let hits = 0;
        for (let c = 0; c < K; c++) hits += tpAll[c];
        return hits / idx.length;
      };
    case 'balancedAccuracy':
      return (idx) => {
        const k = count(idx, tp, pred, tru);
        return balancedAccuracyOfCounts(tp.subarray(0, k), tru.subarray(0, k), false).score;
      };
    case 'mcc':
      return (idx) => {
        const k = count(idx, tp, pred, tru);
        let nCorrect = 0;
        for (let c = 0; c < k; c++) nCorrect += tp[c];
        return mccOfMargins(tru.subarray(0, k), pred.subarray(0, k), nCorrect);
      };
    case 'precision':
    case 'recall':
    case 'f1': {
      // The positive class (computeMetric's labels: [classes[1]], average 'micro'): its counts, or
      // zeros on rows that do not hold it.
      const pos = classes[1];
      if (pos === undefined) return null;
      const posLabel = asLabelsOption([pos], 'evaluate')![0];
      const code = codeOf(enc.classes, enc.kind, posLabel, 'evaluate', 'labels[0]');
      const what = key === 'precision' ? 'precision' : key === 'recall' ? 'recall' : 'fbeta';
      const warnFor =
        key === 'precision' ? PRF_WARN.precision : key === 'recall' ? PRF_WARN.recall : PRF_WARN.fscore;
      return (idx) => {
        count(idx, tp, pred, tru);
        const one = (a: Float64Array) => Float64Array.of(code < 0 ? 0 : a[code]);
        const r = prfOfCounts(one(tpAll), one(predAll), one(trueAll), [posLabel], 'micro', 1, 0, warnFor);
        return r[what] as number;
      };
    }
    case 'f1Macro':
      return all('fbeta', 'macro');
    case 'f1Weighted':
      return all('fbeta', 'weighted');
    case 'precisionMacro':
      return all('precision', 'macro');
    case 'recallMacro':
      return all('recall', 'macro');
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Scores of the positive class (binary): ROC AUC, average precision, Brier score

/** Whether every value of `d` is finite. */
function allFinite(d: Float64Array): boolean {
  for (let i = 0; i < d.length; i++) if (d[i] - d[i] !== 0) return false;
  return true;
}

/** Multiplicities of the rows `idx` over `n` rows (reusing `counts`). */
function multiplicities(idx: ArrayLike<number>, counts: Int32Array): Int32Array {
  counts.fill(0);
  for (let r = 0; r < idx.length; r++) counts[idx[r]]++;
  return counts;
}

/** A score column in ascending order, with its positive flags and rows, for curves of any rows. */
function sortedColumn(scores: Float64Array, isPos: Uint8Array) {
  const order = argsortStable(scores);
  const n = order.length;
  const scratch = { fps: new Float64Array(n), tps: new Float64Array(n), thresholds: new Float64Array(n) };
  const sortedScores = new Float64Array(order.length);
  const sortedPos = new Uint8Array(order.length);
  for (let r = 0; r < order.length; r++) {
    sortedScores[r] = scores[order[r]];
    sortedPos[r] = isPos[order[r]];
  }
  return { order, sortedScores, sortedPos, scratch };
}

function positiveScoreMetric(
  key: string,
  p: SupervisedPredictions,
  classes: readonly Label[],
): RowsMetric | null {
  const P = p.proba;
  if (!P || P.cols < 2 || P.rows !== p.yTrue.length || !allFinite(P.data)) return null;
  const n = P.rows;
  // computeMetric scores the truth as 0/1 by String(label) === String(classes[1]), the
  // probabilities by column 1.
  const pos = String(classes[1]);
  const isPos = new Uint8Array(n);
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    isPos[i] = String(p.yTrue[i]) === pos ? 1 : 0;
    score[i] = P.data[i * P.cols + 1];
  }
  if (key === 'brier') {
    // brierScoreLoss refuses probabilities outside [0, 1] (any rows holding one: NaN).
    for (let i = 0; i < n; i++) if (score[i] < 0 || score[i] > 1) return null;
    const terms = new Float64Array(n);
    for (let i = 0; i < n; i++) terms[i] = brierTerm(isPos[i] === 1, score[i]);
    return meanOfTerms(terms);
  }
  const col = sortedColumn(score, isPos);
  const counts = new Int32Array(n);
  return (idx) => {
    const curve = binaryClfCurveOfCounts(
      col.sortedScores,
      col.sortedPos,
      col.order,
      multiplicities(idx, counts),
      col.scratch,
    );
    if (key === 'averagePrecision') return averagePrecisionOfCurve(curve);
    const m = curve.fps.length;
    // rocAucScore: 'Only one class present in y_true' (computeMetric: NaN).
    if (curve.fps[m - 1] === 0 || curve.tps[m - 1] === 0) return Number.NaN;
    return rocAucOfCurve(curve);
  };
}

/**
 * The mean of per-row terms over the rows `idx`, summed in the rows' order as logLoss and
 * brierScoreLoss sum them (`s += term · 1`, then `s / Σ 1`: the weight 1 changes no bit).
 */
function meanOfTerms(terms: Float64Array): RowsMetric {
  return (idx) => {
    let s = 0;
    for (let r = 0; r < idx.length; r++) s += terms[idx[r]];
    return s / idx.length;
  };
}

// ---------------------------------------------------------------------------------------------
// Log loss

function logLossMetric(p: SupervisedPredictions, classes: readonly Label[]): RowsMetric | null {
  const P = p.proba;
  if (!P || P.cols < 2 || P.rows !== p.yTrue.length || !allFinite(P.data)) return null;
  // The columns as logLoss resolves them from labels = classes, over every class of the truth:
  // when all rows pass its checks, any subset of them does.
  const enc = encodeLabelArrays([{ y: p.yTrue, field: 'yTrue' }], 'logLoss');
  const cols = labelColumns('logLoss', enc.classes, classes as Label[]);
  if (cols.classes.length !== P.cols) return null;
  const codes = enc.codes[0];
  const terms = new Float64Array(P.rows);
  for (let i = 0; i < P.rows; i++)
    terms[i] = sampleLogLoss(P.data, P.cols, i, cols.map[codes[i]], Number.EPSILON);
  return meanOfTerms(terms);
}

// ---------------------------------------------------------------------------------------------
// One-vs-rest ROC AUC (multiclass, macro)

function ovrRocAuc(p: SupervisedPredictions, classes: readonly Label[]): RowsMetric | null {
  const P = p.proba;
  if (!P || P.cols <= 2 || P.rows !== p.yTrue.length || !allFinite(P.data)) return null;
  const n = P.rows;
  const k = P.cols;
  // rocAucScore's checks that do not depend on which rows are taken: rows sum to 1, labels
  // sorted and unique, one per column, every class of the truth among them.
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += P.data[i * k + j];
    if (!(Math.abs(1 - s) <= 1e-8 + 1e-5 * Math.abs(s))) return null;
  }
  const labels = asLabelsOption(classes as Label[], 'rocAucScore')!;
  if (labels.length !== k) return null;
  for (let j = 1; j < k; j++) if (!(labels[j - 1] < labels[j])) return null;
  const enc = encodeLabelArrays([{ y: p.yTrue, field: 'yTrue' }], 'rocAucScore');
  const labelCodes = labelsOption(labels, enc.classes, enc.kind, 'rocAucScore');
  const colOf = new Int32Array(enc.classes.length).fill(-1);
  labelCodes.forEach((c, j) => {
    if (c >= 0) colOf[c] = j;
  });
  if (colOf.some((c) => c < 0)) return null;
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = colOf[enc.codes[0][i]];
  const columns = Array.from({ length: k }, (_, j) => {
    const score = new Float64Array(n);
    const isPos = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      score[i] = P.data[i * k + j];
      isPos[i] = y[i] === j ? 1 : 0;
    }
    return sortedColumn(score, isPos);
  });
  const counts = new Int32Array(n);
  const perClass = new Int32Array(k);
  const scores = new Float64Array(k);
  return (idx) => {
    multiplicities(idx, counts);
    // Every column needs both positives and negatives among the rows, else rocAucScore refuses.
    perClass.fill(0);
    for (let r = 0; r < idx.length; r++) perClass[y[idx[r]]]++;
    for (let j = 0; j < k; j++) if (perClass[j] === 0 || perClass[j] === idx.length) return Number.NaN;
    for (let j = 0; j < k; j++) {
      const c = columns[j];
      scores[j] = rocAucOfCurve(
        binaryClfCurveOfCounts(c.sortedScores, c.sortedPos, c.order, counts, c.scratch),
      );
    }
    return macroMeanAuc(scores);
  };
}

// ---------------------------------------------------------------------------------------------
// Regression

function regressionMetric(key: string, p: SupervisedPredictions): RowsMetric | null {
  const { yTrue, yPred } = p;
  if (!(yTrue instanceof Float64Array) || !(yPred instanceof Float64Array) || yTrue.length !== yPred.length) {
    return null;
  }
  // The metric functions refuse non-finite values (any rows holding one: NaN).
  if (!allFinite(yTrue) || !allFinite(yPred)) return null;
  const n = yTrue.length;
  if (key === 'medianAe') return medianAbsoluteErrorOfRows(yTrue, yPred);
  // The rows' values, in the rows' order, through the arithmetic of the metric functions (their
  // sums are pairwise and so depend on the order): only the checks and copies are saved.
  const t = new Float64Array(n);
  const q = new Float64Array(n);
  const of = (compute: (tg: Targets) => number | Float64Array): RowsMetric => {
    return (idx) => {
      const m = idx.length;
      const tt = m <= n ? t.subarray(0, m) : new Float64Array(m);
      const qq = m <= n ? q.subarray(0, m) : new Float64Array(m);
      for (let r = 0; r < m; r++) {
        tt[r] = yTrue[idx[r]];
        qq[r] = yPred[idx[r]];
      }
      return compute({ t: tt, p: qq, n: m, m: 1 }) as number;
    };
  };
  switch (key) {
    case 'mae':
    case 'mse':
    case 'rmse':
    case 'mape': {
      const e: { f: (t: number, p: number) => number; post?: (x: number) => number } = ERROR_TERMS[key];
      return of((tg) => meanErrorOf('evaluate', tg, null, 'uniform_average', e.f, e.post));
    }
    case 'r2':
      return of((tg) => r2Of('evaluate', tg, null, {}));
    case 'explainedVariance':
      return of((tg) => explainedVarianceOf('evaluate', tg, null, {}));
    default:
      return null;
  }
}

/**
 * The median absolute error of rows from the errors sorted once: the value at a position of the
 * rows' sorted errors is found by walking the sorted errors with each row's multiplicity (the
 * same values, so the same median, as sorting the rows' errors).
 */
function medianAbsoluteErrorOfRows(yTrue: Float64Array, yPred: Float64Array): RowsMetric {
  const n = yTrue.length;
  const err = new Float64Array(n);
  for (let i = 0; i < n; i++) err[i] = Math.abs(yPred[i] - yTrue[i]); // as medianAbsoluteError
  const order = argsortStable(err);
  const sorted = new Float64Array(n);
  const rank = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    sorted[r] = err[order[r]];
    rank[order[r]] = r;
  }
  const counts = new Int32Array(n);
  return (idx) => {
    counts.fill(0);
    for (let r = 0; r < idx.length; r++) counts[rank[idx[r]]]++;
    const at = (pos: number): number => {
      let seen = 0;
      for (let s = 0; s < n; s++) {
        seen += counts[s];
        if (seen > pos) return sorted[s];
      }
      return Number.NaN;
    };
    return averageOutputs(Float64Array.of(medianOfSorted(idx.length, at)));
  };
}

// ---------------------------------------------------------------------------------------------

function pick<T extends readonly Label[] | Float64Array>(a: T, idx: ArrayLike<number>): T {
  if (a instanceof Float64Array) {
    const out = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]];
    return out as unknown as T;
  }
  const out = new Array<Label>(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = (a as readonly Label[])[idx[i]];
  return out as unknown as T;
}
