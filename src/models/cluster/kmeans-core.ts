/**
 * One k-means run — initialisation (k-means++ with local trials, random rows, or given centers)
 * followed by Lloyd's or Elkan's iterations — as scikit-learn 1.2's `_kmeans_single_lloyd` /
 * `_kmeans_single_elkan`: empty clusters are re-seeded with the rows farthest from their centers,
 * iteration stops when no label changes or the total squared center shift is ≤ tol, and a
 * final assignment step makes the labels match the returned centers.
 *
 * A run is a pool task: its randomness is `new Rng(seed).derive(run)`, so the result does not
 * depend on which thread ran it.
 *
 * @module
 */

import { registerTask } from '../../core/pool.ts';
import { Rng } from '../../core/rng.ts';

/** Everything a run needs (X in shared memory). */
export interface KMeansRunSpec {
  /** Row-major n × d. */
  X: Float64Array;
  n: number;
  d: number;
  /** Row weights, or null for ones. */
  weight: Float64Array | null;
  k: number;
  /** 'k-means++', 'random', or explicit k × d centers. */
  init: 'k-means++' | 'random' | Float64Array;
  maxIter: number;
  /** Absolute tolerance on the total squared center shift. */
  tol: number;
  algorithm: 'lloyd' | 'elkan';
  seed: number;
}

/** The outcome of one run. */
export interface KMeansRunResult {
  centers: Float64Array;
  labels: Int32Array;
  inertia: number;
  nIter: number;
}

/** Squared Euclidean distance between row i of X and row j of C (both with d columns). */
function sqDist(X: Float64Array, i: number, C: Float64Array, j: number, d: number): number {
  let s = 0;
  const a = i * d;
  const b = j * d;
  for (let f = 0; f < d; f++) {
    const t = X[a + f] - C[b + f];
    s += t * t;
  }
  return s;
}

/**
 * k-means++ as scikit-learn's `_kmeans_plusplus`: the first center uniformly at random, each
 * next one the best (lowest potential) of 2 + ⌊ln k⌋ candidates drawn in proportion to the
 * weighted squared distance to the nearest chosen center.
 */
export function kmeansPlusPlus(
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  weight: Float64Array | null,
  rng: Rng,
): Float64Array {
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(n);
  centers.set(X.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = sqDist(X, i, centers, 0, d);
    pot += closest[i] * (weight ? weight[i] : 1);
  }
  const cum = new Float64Array(n);
  const cand = new Float64Array(trials * n);
  const candIds = new Int32Array(trials);
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += closest[i] * (weight ? weight[i] : 1);
      cum[i] = acc;
    }
    for (let t = 0; t < trials; t++) {
      const r = rng.random() * pot;
      // searchsorted(cum, r, side='left'), clipped to n - 1.
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cum[mid] < r) lo = mid + 1;
        else hi = mid;
      }
      candIds[t] = Math.min(lo, n - 1);
    }
    let bestT = 0;
    let bestPot = Number.POSITIVE_INFINITY;
    for (let t = 0; t < trials; t++) {
      const off = t * n;
      let p = 0;
      for (let i = 0; i < n; i++) {
        const dd = Math.min(closest[i], sqDist(X, i, X, candIds[t], d));
        cand[off + i] = dd;
        p += dd * (weight ? weight[i] : 1);
      }
      if (p < bestPot) {
        bestPot = p;
        bestT = t;
      }
    }
    pot = bestPot;
    closest.set(cand.subarray(bestT * n, bestT * n + n));
    const id = candIds[bestT];
    centers.set(X.subarray(id * d, id * d + d), c * d);
  }
  return centers;
}

/** Weighted sums → means; clusters with zero weight keep their (zero) sums. */
function averageCenters(sums: Float64Array, wIn: Float64Array, k: number, d: number): void {
  for (let j = 0; j < k; j++) {
    const w = wIn[j];
    if (w > 0) for (let f = 0; f < d; f++) sums[j * d + f] /= w;
  }
}

/**
 * Re-seeds empty clusters (zero weight) with the rows farthest from their current centers,
 * moving those rows' weight out of their old clusters (scikit-learn's
 * `_relocate_empty_clusters_dense`). `sums` are weighted sums, not yet averaged.
 */
function relocateEmpty(
  spec: KMeansRunSpec,
  oldCenters: Float64Array,
  sums: Float64Array,
  wIn: Float64Array,
  labels: Int32Array,
): void {
  const { X, n, d, k, weight } = spec;
  const empty: number[] = [];
  for (let j = 0; j < k; j++) if (wIn[j] === 0) empty.push(j);
  if (empty.length === 0) return;
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) dist[i] = sqDist(X, i, oldCenters, labels[i], d);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => dist[b] - dist[a] || a - b);
  for (let e = 0; e < empty.length && e < n; e++) {
    const newId = empty[e];
    const far = order[e];
    const w = weight ? weight[far] : 1;
    const oldId = labels[far];
    for (let f = 0; f < d; f++) {
      sums[oldId * d + f] -= X[far * d + f] * w;
      sums[newId * d + f] = X[far * d + f] * w;
    }
    wIn[newId] = w;
    wIn[oldId] -= w;
  }
}

/** Squared shift of each center, summed. Writes the (non-squared) shift per center into `shift`. */
function centerShift(a: Float64Array, b: Float64Array, k: number, d: number, shift: Float64Array): number {
  let total = 0;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let f = 0; f < d; f++) {
      const t = a[j * d + f] - b[j * d + f];
      s += t * t;
    }
    shift[j] = Math.sqrt(s);
    total += s;
  }
  return total;
}

/** Nearest center (first on ties) of every row; returns the weighted inertia. */
export function assignLabels(
  X: Float64Array,
  n: number,
  d: number,
  C: Float64Array,
  k: number,
  labels: Int32Array,
  weight: Float64Array | null,
): number {
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = sqDist(X, i, C, 0, d);
    for (let j = 1; j < k; j++) {
      const dd = sqDist(X, i, C, j, d);
      if (dd < bestD) {
        bestD = dd;
        best = j;
      }
    }
    labels[i] = best;
    inertia += bestD * (weight ? weight[i] : 1);
  }
  return inertia;
}

function arraysEqual(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One Lloyd step: labels from `centers`, new weighted means into `next`. */
function lloydStep(
  spec: KMeansRunSpec,
  centers: Float64Array,
  next: Float64Array,
  labels: Int32Array,
  wIn: Float64Array,
): void {
  const { X, n, d, k, weight } = spec;
  assignLabels(X, n, d, centers, k, labels, weight);
  next.fill(0);
  wIn.fill(0);
  for (let i = 0; i < n; i++) {
    const j = labels[i];
    const w = weight ? weight[i] : 1;
    wIn[j] += w;
    const o = j * d;
    const xo = i * d;
    for (let f = 0; f < d; f++) next[o + f] += X[xo + f] * w;
  }
  relocateEmpty(spec, centers, next, wIn, labels);
  averageCenters(next, wIn, k, d);
}

function runLloyd(spec: KMeansRunSpec, init: Float64Array): KMeansRunResult {
  const { n, d, k } = spec;
  let centers = init.slice();
  let next = new Float64Array(k * d);
  const labels = new Int32Array(n);
  const labelsOld = new Int32Array(n).fill(-1);
  const wIn = new Float64Array(k);
  const shift = new Float64Array(k);
  let strict = false;
  let it = 0;
  for (; it < spec.maxIter; it++) {
    lloydStep(spec, centers, next, labels, wIn);
    const total = centerShift(centers, next, k, d, shift);
    [centers, next] = [next, centers];
    if (arraysEqual(labels, labelsOld)) {
      strict = true;
      break;
    }
    if (total <= spec.tol) break;
    labelsOld.set(labels);
  }
  const inertia = assignLabels(spec.X, n, d, centers, k, labels, spec.weight);
  void strict;
  return { centers, labels, inertia, nIter: Math.min(it + 1, spec.maxIter) };
}

/** Half the distance between every pair of centers, and each center's half-distance to its nearest other. */
function centerGeometry(C: Float64Array, k: number, d: number, half: Float64Array, next: Float64Array): void {
  for (let a = 0; a < k; a++) {
    half[a * k + a] = 0;
    for (let b = a + 1; b < k; b++) {
      const v = Math.sqrt(sqDist(C, a, C, b, d)) / 2;
      half[a * k + b] = v;
      half[b * k + a] = v;
    }
  }
  for (let a = 0; a < k; a++) {
    let m = Number.POSITIVE_INFINITY;
    for (let b = 0; b < k; b++) if (b !== a && half[a * k + b] < m) m = half[a * k + b];
    next[a] = k > 1 ? m : 0;
  }
}

function runElkan(spec: KMeansRunSpec, init: Float64Array): KMeansRunResult {
  const { X, n, d, k, weight } = spec;
  let centers = init.slice();
  let next = new Float64Array(k * d);
  const labels = new Int32Array(n);
  const labelsOld = new Int32Array(n).fill(-1);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n * k);
  const half = new Float64Array(k * k);
  const nextHalf = new Float64Array(k);
  const wIn = new Float64Array(k);
  const shift = new Float64Array(k);
  centerGeometry(centers, k, d, half, nextHalf);
  // init_bounds
  for (let i = 0; i < n; i++) {
    let best = 0;
    let minD = Math.sqrt(sqDist(X, i, centers, 0, d));
    lower[i * k] = minD;
    for (let j = 1; j < k; j++) {
      if (minD > half[best * k + j]) {
        const dd = Math.sqrt(sqDist(X, i, centers, j, d));
        lower[i * k + j] = dd;
        if (dd < minD) {
          minD = dd;
          best = j;
        }
      }
    }
    labels[i] = best;
    upper[i] = minD;
  }
  const step = (C: Float64Array, update: boolean): void => {
    if (update) {
      next.fill(0);
      wIn.fill(0);
    }
    for (let i = 0; i < n; i++) {
      let ub = upper[i];
      let tight = false;
      let label = labels[i];
      if (!(nextHalf[label] >= ub)) {
        const lo = i * k;
        for (let j = 0; j < k; j++) {
          if (j !== label && ub > lower[lo + j] && ub > half[label * k + j]) {
            if (!tight) {
              ub = Math.sqrt(sqDist(X, i, C, label, d));
              lower[lo + label] = ub;
              tight = true;
            }
            if (ub > lower[lo + j] || ub > half[label * k + j]) {
              const dd = Math.sqrt(sqDist(X, i, C, j, d));
              lower[lo + j] = dd;
              if (dd < ub) {
                label = j;
                ub = dd;
              }
            }
          }
        }
        labels[i] = label;
        upper[i] = ub;
      }
      if (update) {
        const w = weight ? weight[i] : 1;
        wIn[label] += w;
        const o = label * d;
        const xo = i * d;
        for (let f = 0; f < d; f++) next[o + f] += X[xo + f] * w;
      }
    }
    if (!update) return;
    relocateEmpty(spec, C, next, wIn, labels);
    averageCenters(next, wIn, k, d);
    centerShift(C, next, k, d, shift);
    for (let i = 0; i < n; i++) {
      upper[i] += shift[labels[i]];
      const lo = i * k;
      for (let j = 0; j < k; j++) {
        const v = lower[lo + j] - shift[j];
        lower[lo + j] = Math.max(v, 0);
      }
    }
  };
  let strict = false;
  let it = 0;
  for (; it < spec.maxIter; it++) {
    step(centers, true);
    centerGeometry(next, k, d, half, nextHalf);
    let total = 0;
    for (let j = 0; j < k; j++) total += shift[j] * shift[j];
    [centers, next] = [next, centers];
    if (arraysEqual(labels, labelsOld)) {
      strict = true;
      break;
    }
    if (total <= spec.tol) break;
    labelsOld.set(labels);
  }
  if (!strict) step(centers, false);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(X, i, centers, labels[i], d) * (weight ? weight[i] : 1);
  return { centers, labels, inertia, nIter: Math.min(it + 1, spec.maxIter) };
}

/** Initial centers for run `run`. */
export function initialCenters(spec: KMeansRunSpec, rng: Rng): Float64Array {
  const { X, n, d, k } = spec;
  if (spec.init instanceof Float64Array) return spec.init.slice();
  if (spec.init === 'random') {
    const rows = rng.sample(n, k);
    const c = new Float64Array(k * d);
    for (let j = 0; j < k; j++) c.set(X.subarray(rows[j] * d, rows[j] * d + d), j * d);
    return c;
  }
  return kmeansPlusPlus(X, n, d, k, spec.weight, rng);
}

/** One complete k-means run (initialisation + iterations); a pool task. */
export function kmeansRun(spec: KMeansRunSpec, run: number): KMeansRunResult {
  const rng = new Rng(spec.seed).derive(run);
  const init = initialCenters(spec, rng);
  return spec.algorithm === 'elkan' ? runElkan(spec, init) : runLloyd(spec, init);
}

/** Builds the pool task for {@link kmeansRun}. */
export const kmeansRunTask = registerTask(import.meta.url, 'kmeansRun', kmeansRun);
