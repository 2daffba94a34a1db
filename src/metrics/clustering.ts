/**
 * Internal clustering quality (no ground truth): silhouette, Davies–Bouldin and
 * Calinski–Harabasz, with Euclidean distances as scikit-learn.
 *
 * Memory: the silhouette never builds the n × n distance matrix. Each pair of samples is visited
 * once and its distance added to two per-sample, per-cluster sums (n × k numbers); when n × k
 * itself would be large, rows are processed in blocks instead (each pair then visited twice).
 * Distances are computed from coordinate differences, which is exact for duplicate points
 * (scikit-learn's dot-product shortcut can give them a distance of ~1e-8 instead of 0).
 *
 * @module
 */

import { show } from '../core/errors.ts';
import type { MatrixInput } from '../core/matrix.ts';
import { pairwiseSum } from '../core/pairwise-sum.ts';
import { Rng } from '../core/rng.ts';
import {
  asFiniteMatrix,
  checkOption,
  checkSameLength,
  encodeLabelArrays,
  fail,
  type LabelsInput,
} from './validate.ts';

/** Above this many per-sample cluster sums (n × k), the silhouette works in row blocks. */
const MAX_SUMS = 1 << 22;

interface Clustered {
  x: Float64Array;
  n: number;
  d: number;
  labels: Int32Array;
  k: number;
}

function clustered(who: string, X: MatrixInput, labels: LabelsInput): Clustered {
  const m = asFiniteMatrix(X, who, 'X');
  const enc = encodeLabelArrays([{ y: labels, field: 'labels' }], who, 'allow');
  const codes = enc.codes[0];
  checkSameLength(who, m.rows, codes.length, 'X (rows)', 'labels');
  const k = enc.classes.length;
  if (!(k > 1 && k < m.rows)) {
    fail(
      who,
      'labels',
      `number of labels is ${k}. Valid values are 2 to n_samples - 1 (inclusive), here 2 to ${m.rows - 1}.`,
      'score a clustering with at least two clusters and fewer clusters than samples',
    );
  }
  return { x: m.data, n: m.rows, d: m.cols, labels: codes, k };
}

/** Options of {@link silhouetteSamples}. */
export interface SilhouetteOptions {
  /** The distance; only `'euclidean'` (the default) is supported. */
  metric?: 'euclidean';
}

/**
 * The silhouette coefficient of each sample, `(b − a) / max(a, b)` with `a` the mean distance to
 * the other members of its cluster and `b` the mean distance to the nearest other cluster — in
 * [−1, 1]; 0 for members of singleton clusters — scikit-learn's `silhouette_samples`.
 *
 * @param X - the samples (a Matrix, a Table or an array of rows).
 * @param labels - the cluster of each sample.
 * @throws ValidationError unless 2 ≤ number of clusters ≤ n − 1.
 * @example silhouetteSamples([[0, 0], [0, 1], [5, 5], [5, 6]], [0, 0, 1, 1]) // ≈ [0.866, 0.852, 0.852, 0.866]
 */
export function silhouetteSamples(
  X: MatrixInput,
  labels: LabelsInput,
  options: SilhouetteOptions = {},
): Float64Array {
  const who = 'silhouetteSamples';
  checkOption(who, 'metric', options.metric ?? 'euclidean', ['euclidean'] as const);
  return silhouette(clustered(who, X, labels));
}

/** Options of {@link silhouetteScore}. */
export interface SilhouetteScoreOptions extends SilhouetteOptions {
  /**
   * Score a random subset of this many samples (without replacement) instead of all of them: the
   * cost is quadratic in the number of samples. Default: all samples.
   */
  sampleSize?: number | null;
  /** Seed of the subset draw (default 0). */
  seed?: number;
}

/**
 * The mean silhouette coefficient over samples (see {@link silhouetteSamples}), in [−1, 1]:
 * higher is better-separated clusters — scikit-learn's `silhouette_score`. With `sampleSize`,
 * over a seeded random subset (Lathe's generator: the subset differs from scikit-learn's).
 *
 * @example silhouetteScore([[0, 0], [0, 1], [5, 5], [5, 6]], ['a', 'a', 'b', 'b']) // 0.8586…
 */
export function silhouetteScore(
  X: MatrixInput,
  labels: LabelsInput,
  options: SilhouetteScoreOptions = {},
): number {
  const who = 'silhouetteScore';
  checkOption(who, 'metric', options.metric ?? 'euclidean', ['euclidean'] as const);
  const size = options.sampleSize ?? null;
  if (size !== null && !(Number.isInteger(size) && size >= 1)) {
    fail(
      who,
      'sampleSize',
      `sampleSize must be a positive integer; got ${show(size)}.`,
      'pass e.g. sampleSize: 5000',
    );
  }
  const m = asFiniteMatrix(X, who, 'X');
  let c: Clustered;
  if (size !== null && size < m.rows) {
    const enc = encodeLabelArrays([{ y: labels, field: 'labels' }], who, 'allow');
    checkSameLength(who, m.rows, enc.codes[0].length, 'X (rows)', 'labels');
    const take = new Rng(options.seed ?? 0).sample(m.rows, size);
    const sub = new Float64Array(take.length * m.cols);
    const subLabels = new Int32Array(take.length);
    for (let r = 0; r < take.length; r++) {
      sub.set(m.data.subarray(take[r] * m.cols, (take[r] + 1) * m.cols), r * m.cols);
      subLabels[r] = enc.codes[0][take[r]];
    }
    c = clustered(who, { data: sub, rows: take.length, cols: m.cols, columns: m.columns }, subLabels);
  } else {
    c = clustered(who, m, labels);
  }
  const s = silhouette(c);
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += s[i];
  return sum / s.length;
}

/**
 * Internal, for tests: {@link silhouetteSamples} with a smaller budget of per-sample cluster sums,
 * which forces the row-block path on small inputs. Not part of the public API.
 */
export function silhouetteSamplesWithBudget(
  X: MatrixInput,
  labels: LabelsInput,
  maxSums: number,
): Float64Array {
  return silhouette(clustered('silhouetteSamples', X, labels), maxSums);
}

function silhouette(c: Clustered, maxSums = MAX_SUMS): Float64Array {
  const { n, k, labels } = c;
  const freq = new Float64Array(k);
  for (let i = 0; i < n; i++) freq[labels[i]]++;
  const out = new Float64Array(n);
  if (n * k <= maxSums) {
    const sums = new Float64Array(n * k);
    pairSums(c, sums);
    for (let i = 0; i < n; i++) out[i] = coefficient(sums, i * k, labels[i], freq, k);
    return out;
  }
  // Large n × k: a block of rows at a time, each against every sample.
  const block = Math.max(1, Math.floor(maxSums / k));
  const sums = new Float64Array(block * k);
  for (let start = 0; start < n; start += block) {
    const end = Math.min(n, start + block);
    sums.fill(0);
    blockSums(c, start, end, sums);
    for (let i = start; i < end; i++) out[i] = coefficient(sums, (i - start) * k, labels[i], freq, k);
  }
  return out;
}

/** (b − a) / max(a, b) from one sample's per-cluster distance sums; NaN (singletons) → 0. */
function coefficient(sums: Float64Array, off: number, own: number, freq: Float64Array, k: number): number {
  const a = sums[off + own] / (freq[own] - 1);
  let b = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    if (c === own) continue;
    const v = sums[off + c] / freq[c];
    if (v < b) b = v;
  }
  const s = (b - a) / Math.max(a, b);
  return s === s ? s : 0;
}

/** Every pair once: d(i, j) goes to sums[i, label j] and sums[j, label i]. Hand-inlined hot loop. */
function pairSums(c: Clustered, sums: Float64Array): void {
  const { x, n, d, labels, k } = c;
  for (let i = 0; i < n; i++) {
    const bi = i * d;
    const li = labels[i];
    const rowI = i * k;
    for (let j = i + 1; j < n; j++) {
      const bj = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = x[bi + t] - x[bj + t];
        s += diff * diff;
      }
      const dist = Math.sqrt(s);
      sums[rowI + labels[j]] += dist;
      sums[j * k + li] += dist;
    }
  }
}

/** Rows [start, end) against every sample. */
function blockSums(c: Clustered, start: number, end: number, sums: Float64Array): void {
  const { x, n, d, labels, k } = c;
  for (let i = start; i < end; i++) {
    const bi = i * d;
    const row = (i - start) * k;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const bj = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = x[bi + t] - x[bj + t];
        s += diff * diff;
      }
      sums[row + labels[j]] += Math.sqrt(s);
    }
  }
}

/** Cluster sizes and centroids (row-major k × d). */
function centroids(c: Clustered): { size: Float64Array; center: Float64Array; members: Int32Array[] } {
  const { x, d, k } = c;
  const members = clusterMembers(c);
  const size = new Float64Array(k);
  const center = new Float64Array(k * d);
  for (let l = 0; l < k; l++) {
    size[l] = members[l].length;
    columnMeans(x, d, members[l], center, l * d);
  }
  return { size, center, members };
}

/** The rows of each cluster, in row order (scikit-learn's `X[labels == k]`). */
function clusterMembers(c: Clustered): Int32Array[] {
  const { n, labels, k } = c;
  const count = new Int32Array(k);
  for (let i = 0; i < n; i++) count[labels[i]]++;
  const members = Array.from({ length: k }, (_, l) => new Int32Array(count[l]));
  const fill = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    members[l][fill[l]++] = i;
  }
  return members;
}

/**
 * The mean of each column over `rows`, written to `out[o..o+d)`, in the order NumPy's
 * `mean(axis=0)` adds an (r, d) array: pairwise when d = 1, row by row otherwise — so the mean
 * of a repeated value is exact exactly when scikit-learn's is (ten 0.1s: pairwise gives 0.1).
 */
function columnMeans(x: Float64Array, d: number, rows: Int32Array, out: Float64Array, o: number): void {
  const r = rows.length;
  if (d === 1) {
    const col = new Float64Array(r);
    for (let a = 0; a < r; a++) col[a] = x[rows[a]];
    out[o] = pairwiseSum(col, 0, r) / r;
    return;
  }
  for (let t = 0; t < d; t++) out[o + t] = 0;
  for (let a = 0; a < r; a++) {
    const base = rows[a] * d;
    for (let t = 0; t < d; t++) out[o + t] += x[base + t];
  }
  for (let t = 0; t < d; t++) out[o + t] /= r;
}

/**
 * The Davies–Bouldin index: the mean over clusters of the worst ratio of within-cluster spread
 * (mean distance to the centroid) sum to centroid distance; lower is better, 0 is the minimum —
 * scikit-learn's `davies_bouldin_score`.
 *
 * @example daviesBouldinScore([[0, 0], [0, 1], [5, 5], [5, 6]], [0, 0, 1, 1]) // 0.1414…
 */
export function daviesBouldinScore(X: MatrixInput, labels: LabelsInput): number {
  const c = clustered('daviesBouldinScore', X, labels);
  const { x, n, d, labels: lab, k } = c;
  const { size, center } = centroids(c);
  const intra = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const l = lab[i];
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = x[i * d + t] - center[l * d + t];
      s += diff * diff;
    }
    intra[l] += Math.sqrt(s);
  }
  let allIntraZero = true;
  for (let l = 0; l < k; l++) {
    intra[l] /= size[l];
    if (Math.abs(intra[l]) > 1e-8) allIntraZero = false;
  }
  const dist = new Float64Array(k * k);
  let allCentersClose = true;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = center[a * d + t] - center[b * d + t];
        s += diff * diff;
      }
      dist[a * k + b] = Math.sqrt(s);
      if (dist[a * k + b] > 1e-8) allCentersClose = false;
    }
  }
  // np.allclose(·, 0): every value within 1e-8 of 0.
  if (allIntraZero || allCentersClose) return 0;
  let total = 0;
  for (let a = 0; a < k; a++) {
    let worst = Number.NEGATIVE_INFINITY;
    for (let b = 0; b < k; b++) {
      const cd = dist[a * k + b] === 0 ? Number.POSITIVE_INFINITY : dist[a * k + b];
      const r = (intra[a] + intra[b]) / cd;
      // np.max propagates NaN (∞/∞ when squared distances overflow), so does this.
      if (r > worst || r !== r) worst = r;
      if (worst !== worst) break;
    }
    total += worst;
  }
  return total / k;
}

/**
 * The Calinski–Harabasz index (variance ratio criterion): between-cluster over within-cluster
 * dispersion, scaled by degrees of freedom; higher is better — scikit-learn's
 * `calinski_harabasz_score` (1 when every cluster is a single point repeated).
 *
 * @example calinskiHarabaszScore([[0, 0], [0, 1], [5, 5], [5, 6]], [0, 0, 1, 1]) // 100
 */
export function calinskiHarabaszScore(X: MatrixInput, labels: LabelsInput): number {
  const c = clustered('calinskiHarabaszScore', X, labels);
  const { x, n, d, k } = c;
  const { size, center, members } = centroids(c);
  // scikit-learn's sums, in NumPy's order: np.sum((mean_k − mean)²) over the d coordinates and
  // np.sum((X_k − mean_k)²) over each cluster's block, both pairwise; clusters in label order.
  const mean = new Float64Array(d);
  const everyRow = new Int32Array(n);
  for (let i = 0; i < n; i++) everyRow[i] = i;
  columnMeans(x, d, everyRow, mean, 0);
  let extra = 0;
  let intra = 0;
  const sq = new Float64Array(d);
  for (let l = 0; l < k; l++) {
    for (let t = 0; t < d; t++) {
      const diff = center[l * d + t] - mean[t];
      sq[t] = diff * diff;
    }
    extra += size[l] * pairwiseSum(sq, 0, d);
    const rows = members[l];
    const block = new Float64Array(rows.length * d);
    for (let a = 0; a < rows.length; a++) {
      for (let t = 0; t < d; t++) {
        const diff = x[rows[a] * d + t] - center[l * d + t];
        block[a * d + t] = diff * diff;
      }
    }
    intra += pairwiseSum(block, 0, block.length);
  }
  return intra === 0 ? 1 : (extra * (n - k)) / (intra * (k - 1));
}
