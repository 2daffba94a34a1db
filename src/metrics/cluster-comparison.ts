/**
 * Agreement between two partitions of the same samples (a clustering against ground truth, or
 * two clusterings): Rand and adjusted Rand index, mutual information (plain, normalised,
 * adjusted for chance), homogeneity / completeness / V-measure and Fowlkes–Mallows. Label values
 * are only names: permuting them does not change any score.
 *
 * All are computed from the contingency table of the two labelings, built with integer counts;
 * pair counts stay exact integers (BigInt for the products of the adjusted Rand index).
 *
 * @module
 */

import { show } from '../core/errors.ts';
import { gammaln } from '../core/lazy-special.ts';
import { warn } from '../core/warnings.ts';
import { sortFloat64 } from '../stats/quantile.ts';
import {
  checkNotEmpty,
  checkOption,
  checkSameLength,
  encodeLabelArrays,
  fail,
  type LabelsInput,
} from './validate.ts';

/** The contingency table of two labelings, as its non-zero cells in row-major order. */
interface Contingency {
  n: number;
  /** Row sums (samples per true class). */
  rowSums: Float64Array;
  /** Column sums (samples per predicted cluster). */
  colSums: Float64Array;
  cellRow: Int32Array;
  cellCol: Int32Array;
  cellCount: Float64Array;
}

/** scikit-learn's `type_of_target` name of a labeling, for the continuous-labels warning. */
function targetType(k: number, continuous: boolean): string {
  if (continuous) return 'continuous';
  return k <= 2 ? 'binary' : 'multiclass';
}

function contingency(who: string, labelsTrue: LabelsInput, labelsPred: LabelsInput): Contingency {
  // Each labeling is encoded on its own: the two may use different label types.
  const a = encodeLabelArrays([{ y: labelsTrue, field: 'labelsTrue' }], who, 'allow');
  const b = encodeLabelArrays([{ y: labelsPred, field: 'labelsPred' }], who, 'allow');
  const ca = a.codes[0];
  const cb = b.codes[0];
  if (a.continuous || b.continuous) {
    warn(
      'UserWarning',
      `Clustering metrics expects discrete values but received ${targetType(a.classes.length, a.continuous)} values for label, and ${targetType(b.classes.length, b.continuous)} values for target`,
    );
  }
  checkSameLength(who, ca.length, cb.length, 'labelsTrue', 'labelsPred');
  const n = ca.length;
  checkNotEmpty(who, n, 'labelsTrue');
  const k1 = a.classes.length;
  const k2 = b.classes.length;
  const rowSums = new Float64Array(k1);
  const colSums = new Float64Array(k2);
  for (let i = 0; i < n; i++) {
    rowSums[ca[i]]++;
    colSums[cb[i]]++;
  }
  const rows: number[] = [];
  const cols: number[] = [];
  const counts: number[] = [];
  if (k1 * k2 <= Math.max(1 << 20, 4 * n)) {
    const dense = new Float64Array(k1 * k2);
    for (let i = 0; i < n; i++) dense[ca[i] * k2 + cb[i]]++;
    for (let r = 0; r < k1; r++) {
      for (let c = 0; c < k2; c++) {
        const v = dense[r * k2 + c];
        if (v === 0) continue;
        rows.push(r);
        cols.push(c);
        counts.push(v);
      }
    }
  } else {
    // Many classes on both sides: sort the cell keys instead of allocating k1 × k2 counts.
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = ca[i] * k2 + cb[i];
    sortFloat64(keys);
    for (let i = 0; i < n; ) {
      let j = i;
      while (j < n && keys[j] === keys[i]) j++;
      rows.push(Math.floor(keys[i] / k2));
      cols.push(keys[i] % k2);
      counts.push(j - i);
      i = j;
    }
  }
  return {
    n,
    rowSums,
    colSums,
    cellRow: Int32Array.from(rows),
    cellCol: Int32Array.from(cols),
    cellCount: Float64Array.from(counts),
  };
}

/** scikit-learn's `pair_confusion_matrix` entries (each pair counted twice), exact integers. */
function pairCounts(c: Contingency): { tn: number; fp: number; fn: number; tp: number } {
  let sumSquares = 0;
  for (let i = 0; i < c.cellCount.length; i++) sumSquares += c.cellCount[i] * c.cellCount[i];
  let rowSq = 0;
  let colSq = 0;
  for (let i = 0; i < c.rowSums.length; i++) rowSq += c.rowSums[i] * c.rowSums[i];
  for (let j = 0; j < c.colSums.length; j++) colSq += c.colSums[j] * c.colSums[j];
  const tp = sumSquares - c.n;
  const fp = colSq - sumSquares;
  const fn = rowSq - sumSquares;
  const tn = c.n * c.n - fp - fn - sumSquares;
  return { tn, fp, fn, tp };
}

/**
 * The Rand index: the fraction of sample pairs on which the two labelings agree (same cluster
 * in both, or different in both) — scikit-learn's `rand_score`.
 *
 * @example randScore([0, 0, 1, 2], [0, 0, 1, 1]) // 0.8333…
 */
export function randScore(labelsTrue: LabelsInput, labelsPred: LabelsInput): number {
  const { tn, fp, fn, tp } = pairCounts(contingency('randScore', labelsTrue, labelsPred));
  const num = tn + tp;
  const den = tn + fp + fn + tp;
  if (num === den || den === 0) return 1;
  return num / den;
}

/**
 * The adjusted Rand index: the Rand index corrected for chance — 1 for identical partitions,
 * about 0 for random ones, possibly negative — scikit-learn's `adjusted_rand_score`.
 *
 * @example adjustedRandScore([0, 0, 1, 1], [1, 1, 0, 0]) // 1
 */
export function adjustedRandScore(labelsTrue: LabelsInput, labelsPred: LabelsInput): number {
  const { tn, fp, fn, tp } = pairCounts(contingency('adjustedRandScore', labelsTrue, labelsPred));
  if (fn === 0 && fp === 0) return 1;
  // Exact integer products (they overflow 2^53 beyond ~10^4 samples), then float division as Python does.
  const [TN, FP, FN, TP] = [BigInt(tn), BigInt(fp), BigInt(fn), BigInt(tp)];
  const num = TP * TN - FN * FP;
  const den = (TP + FN) * (FN + TN) + (TP + FP) * (FP + TN);
  return (2 * Number(num)) / Number(den);
}

/** Entropy (nats) of a labeling from its class counts; 0 for a single class. */
function entropyOf(counts: Float64Array, n: number): number {
  let size = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) size++;
  if (size === 1) return 0;
  const logN = Math.log(n);
  let s = 0;
  for (let i = 0; i < counts.length; i++) {
    const p = counts[i];
    if (p > 0) s += (p / n) * (Math.log(p) - logN);
  }
  return -s;
}

function mutualInfo(c: Contingency): number {
  if (c.rowSums.length === 1 || c.colSums.length === 1) return 0;
  const n = c.n;
  const logN = Math.log(n);
  let s = 0;
  for (let i = 0; i < c.cellCount.length; i++) {
    const v = c.cellCount[i];
    const nm = v / n;
    const outer = c.rowSums[c.cellRow[i]] * c.colSums[c.cellCol[i]];
    const logOuter = -Math.log(outer) + logN + logN;
    const mi = nm * (Math.log(v) - logN) + nm * logOuter;
    if (Math.abs(mi) >= Number.EPSILON) s += mi;
  }
  return Math.max(s, 0);
}

/**
 * The mutual information (in nats) between two labelings — scikit-learn's `mutual_info_score`.
 *
 * @example mutualInfoScore([0, 0, 1, 1], [0, 0, 1, 1]) // 0.6931… (ln 2)
 */
export function mutualInfoScore(labelsTrue: LabelsInput, labelsPred: LabelsInput): number {
  return mutualInfo(contingency('mutualInfoScore', labelsTrue, labelsPred));
}

/** How the two entropies are averaged to normalise mutual information. */
export type AverageMethod = 'arithmetic' | 'geometric' | 'min' | 'max';

/** Options of {@link normalizedMutualInfoScore} and {@link adjustedMutualInfoScore}. */
export interface MutualInfoOptions {
  /** The mean of the two entropies used as normaliser (default `'arithmetic'`). */
  averageMethod?: AverageMethod;
}

function generalizedAverage(u: number, v: number, method: AverageMethod): number {
  switch (method) {
    case 'min':
      return Math.min(u, v);
    case 'max':
      return Math.max(u, v);
    case 'geometric':
      return Math.sqrt(u * v);
    default:
      return (u + v) / 2;
  }
}

const METHODS = ['arithmetic', 'geometric', 'min', 'max'] as const;

/**
 * Mutual information normalised by a mean of the two entropies, in [0, 1] — scikit-learn's
 * `normalized_mutual_info_score` (default arithmetic mean). 1 when both labelings have a single
 * (possibly different) cluster.
 *
 * @example normalizedMutualInfoScore([0, 0, 1, 1], [1, 1, 0, 0]) // 1
 */
export function normalizedMutualInfoScore(
  labelsTrue: LabelsInput,
  labelsPred: LabelsInput,
  options: MutualInfoOptions = {},
): number {
  const who = 'normalizedMutualInfoScore';
  const method = checkOption(who, 'averageMethod', options.averageMethod ?? 'arithmetic', METHODS);
  const c = contingency(who, labelsTrue, labelsPred);
  if (c.rowSums.length === 1 && c.colSums.length === 1) return 1;
  const mi = mutualInfo(c);
  if (mi === 0) return 0;
  const hTrue = entropyOf(c.rowSums, c.n);
  const hPred = entropyOf(c.colSums, c.n);
  return mi / generalizedAverage(hTrue, hPred, method);
}

/**
 * Expected mutual information of two random labelings with the given class sizes (the
 * hypergeometric model of Vinh, Epps & Bailey, 2010), summed as scikit-learn's Cython code does.
 */
function expectedMutualInfo(c: Contingency): number {
  const a = c.rowSums;
  const b = c.colSums;
  const R = a.length;
  const C = b.length;
  const N = c.n;
  if (R === 1 || C === 1) return 0;
  // lgamma at the integers 1..N+1, the only arguments that occur.
  const lg = new Float64Array(N + 2);
  for (let x = 1; x <= N + 1; x++) lg[x] = gammaln(x);
  const logN = Math.log(N);
  const glnN1 = lg[N + 1];
  let emi = 0;
  for (let i = 0; i < R; i++) {
    const ai = a[i];
    const logA = Math.log(ai);
    const glnA = lg[ai + 1];
    const glnNa = lg[N - ai + 1];
    for (let j = 0; j < C; j++) {
      const bj = b[j];
      const start = Math.max(1, ai - N + bj);
      const end = Math.min(ai, bj) + 1;
      const glnB = lg[bj + 1];
      const glnNb = lg[N - bj + 1];
      const logB = Math.log(bj);
      for (let nij = start; nij < end; nij++) {
        const term1 = nij / N;
        const term2 = logN + Math.log(nij) - logA - logB;
        const gln =
          glnA +
          glnB +
          glnNa +
          glnNb -
          (lg[nij + 1] + glnN1) -
          lg[ai - nij + 1] -
          lg[bj - nij + 1] -
          lg[N - ai - bj + nij + 1];
        emi += term1 * term2 * Math.exp(gln);
      }
    }
  }
  return emi;
}

/**
 * Mutual information adjusted for chance: 1 for identical partitions, about 0 for independent
 * ones (possibly negative) — scikit-learn's `adjusted_mutual_info_score`. Costs about
 * n × (number of clusters) operations for the expected mutual information.
 *
 * @example adjustedMutualInfoScore([0, 0, 1, 1], [1, 1, 0, 0]) // 1
 */
export function adjustedMutualInfoScore(
  labelsTrue: LabelsInput,
  labelsPred: LabelsInput,
  options: MutualInfoOptions = {},
): number {
  const who = 'adjustedMutualInfoScore';
  const method = checkOption(who, 'averageMethod', options.averageMethod ?? 'arithmetic', METHODS);
  const c = contingency(who, labelsTrue, labelsPred);
  if (c.rowSums.length === 1 && c.colSums.length === 1) return 1;
  const mi = mutualInfo(c);
  const emi = expectedMutualInfo(c);
  const hTrue = entropyOf(c.rowSums, c.n);
  const hPred = entropyOf(c.colSums, c.n);
  let denominator = generalizedAverage(hTrue, hPred, method) - emi;
  denominator =
    denominator < 0 ? Math.min(denominator, -Number.EPSILON) : Math.max(denominator, Number.EPSILON);
  return (mi - emi) / denominator;
}

/** Homogeneity, completeness and V-measure (scikit-learn's `homogeneity_completeness_v_measure`). */
function hcv(
  who: string,
  labelsTrue: LabelsInput,
  labelsPred: LabelsInput,
  beta: number,
): [number, number, number] {
  const c = contingency(who, labelsTrue, labelsPred);
  const hC = entropyOf(c.rowSums, c.n);
  const hK = entropyOf(c.colSums, c.n);
  const mi = mutualInfo(c);
  const homogeneity = hC ? mi / hC : 1;
  const completeness = hK ? mi / hK : 1;
  const v =
    homogeneity + completeness === 0
      ? 0
      : ((1 + beta) * homogeneity * completeness) / (beta * homogeneity + completeness);
  return [homogeneity, completeness, v];
}

/**
 * Homogeneity: 1 when every cluster holds members of a single class — scikit-learn's
 * `homogeneity_score`.
 *
 * @example homogeneityScore([0, 0, 1, 1], [0, 0, 1, 2]) // 1
 */
export function homogeneityScore(labelsTrue: LabelsInput, labelsPred: LabelsInput): number {
  return hcv('homogeneityScore', labelsTrue, labelsPred, 1)[0];
}

/**
 * Completeness: 1 when all members of each class are in the same cluster — scikit-learn's
 * `completeness_score`.
 *
 * @example completenessScore([0, 0, 1, 1], [0, 0, 0, 0]) // 1
 */
export function completenessScore(labelsTrue: LabelsInput, labelsPred: LabelsInput): number {
  return hcv('completenessScore', labelsTrue, labelsPred, 1)[1];
}

/** Options of {@link vMeasureScore}. */
export interface VMeasureOptions {
  /** Weight of homogeneity relative to completeness (default 1: their harmonic mean). */
  beta?: number;
}

/**
 * The V-measure, the (beta-weighted) harmonic mean of homogeneity and completeness —
 * scikit-learn's `v_measure_score` (equal to NMI with the arithmetic mean when beta = 1).
 *
 * @example vMeasureScore([0, 0, 1, 1], [0, 0, 1, 2]) // 0.8
 */
export function vMeasureScore(
  labelsTrue: LabelsInput,
  labelsPred: LabelsInput,
  options: VMeasureOptions = {},
): number {
  const beta = options.beta ?? 1;
  if (!(typeof beta === 'number' && beta >= 0 && Number.isFinite(beta))) {
    fail(
      'vMeasureScore',
      'beta',
      `beta must be a finite number ≥ 0; got ${show(beta)}.`,
      'pass e.g. beta: 1',
    );
  }
  return hcv('vMeasureScore', labelsTrue, labelsPred, beta)[2];
}

/**
 * The Fowlkes–Mallows index, the geometric mean of pairwise precision and recall — scikit-learn's
 * `fowlkes_mallows_score`.
 *
 * @example fowlkesMallowsScore([0, 0, 1, 1], [0, 0, 1, 2]) // 0.7071…
 */
export function fowlkesMallowsScore(labelsTrue: LabelsInput, labelsPred: LabelsInput): number {
  const c = contingency('fowlkesMallowsScore', labelsTrue, labelsPred);
  let tk = 0;
  for (let i = 0; i < c.cellCount.length; i++) tk += c.cellCount[i] * c.cellCount[i];
  tk -= c.n;
  let pk = 0;
  let qk = 0;
  for (let j = 0; j < c.colSums.length; j++) pk += c.colSums[j] * c.colSums[j];
  for (let i = 0; i < c.rowSums.length; i++) qk += c.rowSums[i] * c.rowSums[i];
  pk -= c.n;
  qk -= c.n;
  return tk !== 0 ? Math.sqrt(tk / pk) * Math.sqrt(tk / qk) : 0;
}
