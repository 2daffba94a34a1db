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
): boolean {
  const { X, n, d, k, weight } = spec;
  const empty: number[] = [];
  for (let j = 0; j < k; j++) if (wIn[j] === 0) empty.push(j);
  if (empty.length === 0) return false;
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
  return true;
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

/**
 * Lloyd's iteration — every row to its nearest center, every center to the mean of its rows —
 * with Hamerly's bounds deciding when the nearest center cannot have changed: an upper bound on
 * the distance to the row's center and a lower bound on the distance to any other, moved by the
 * center shifts each iteration. Rows whose bounds stay apart (by more than half the distance from
 * their center to the nearest other) keep their label without computing a distance; the labels
 * and centers are those of plain Lloyd iterations, at a fraction of the distance computations.
 */
function runLloyd(spec: KMeansRunSpec, init: Float64Array): KMeansRunResult {
  const { X, n, d, k, weight } = spec;
  let centers = init.slice();
  let next = new Float64Array(k * d);
  const labels = new Int32Array(n);
  const labelsOld = new Int32Array(n).fill(-1);
  const wIn = new Float64Array(k);
  const shift = new Float64Array(k);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const half = new Float64Array(k * k);
  const nearestHalf = new Float64Array(k);
  // Squared norms of the rows (fixed) and of the centers (per iteration): a squared distance is
  // ‖x‖² − 2·x·c + ‖c‖², one multiply-add per value (as scikit-learn computes it).
  const xx = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let f = 0, o = i * d; f < d; f++) s += X[o + f] * X[o + f];
    xx[i] = s;
  }
  const cc = new Float64Array(k);
  const centerNorms = (C: Float64Array): void => {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let f = 0, o = j * d; f < d; f++) s += C[o + f] * C[o + f];
      cc[j] = s;
    }
  };
  const dist = (i: number, C: Float64Array, j: number): number => {
    // Hand-unrolled dot product with two accumulators.
    const xo = i * d;
    const co = j * d;
    let s0 = 0;
    let s1 = 0;
    let f = 0;
    for (; f + 1 < d; f += 2) {
      s0 += X[xo + f] * C[co + f];
      s1 += X[xo + f + 1] * C[co + f + 1];
    }
    if (f < d) s0 += X[xo + f] * C[co + f];
    return xx[i] - 2 * (s0 + s1) + cc[j];
  };
  const fullAssign = (i: number, C: Float64Array): void => {
    let best = 0;
    let d1 = Number.POSITIVE_INFINITY;
    let d2 = Number.POSITIVE_INFINITY;
    for (let j = 0; j < k; j++) {
      const dd = dist(i, C, j);
      if (dd < d1) {
        d2 = d1;
        d1 = dd;
        best = j;
      } else if (dd < d2) d2 = dd;
    }
    labels[i] = best;
    upper[i] = Math.sqrt(Math.max(d1, 0));
    lower[i] = Math.sqrt(Math.max(d2, 0));
  };
  centerNorms(centers);
  for (let i = 0; i < n; i++) fullAssign(i, centers);
  // Weighted sums and weights per cluster, kept up to date as rows change cluster (recomputed
  // from scratch every REFRESH iterations and after an empty cluster is re-seeded).
  const sums = new Float64Array(k * d);
  const wSum = new Float64Array(k);
  const REFRESH = 16;
  const recompute = (): void => {
    sums.fill(0);
    wSum.fill(0);
    for (let i = 0; i < n; i++) {
      const j = labels[i];
      const w = weight ? weight[i] : 1;
      wSum[j] += w;
      const o = j * d;
      const xo = i * d;
      for (let f = 0; f < d; f++) sums[o + f] += X[xo + f] * w;
    }
  };
  let dirty = true;
  let it = 0;
  for (; it < spec.maxIter; it++) {
    // Centers ← weighted means of their rows.
    if (dirty || it % REFRESH === 0) recompute();
    dirty = false;
    next.set(sums);
    wIn.set(wSum);
    if (relocateEmpty(spec, centers, next, wIn, labels)) dirty = true;
    averageCenters(next, wIn, k, d);
    const total = centerShift(centers, next, k, d, shift);
    [centers, next] = [next, centers];
    if (arraysEqual(labels, labelsOld)) break;
    if (total <= spec.tol) break;
    labelsOld.set(labels);
    // Labels ← nearest of the new centers, skipping rows whose bounds prove the label unchanged.
    centerGeometry(centers, k, d, half, nearestHalf);
    centerNorms(centers);
    let m1 = 0;
    let m1At = -1;
    let m2 = 0;
    for (let j = 0; j < k; j++) {
      if (shift[j] > m1) {
        m2 = m1;
        m1 = shift[j];
        m1At = j;
      } else if (shift[j] > m2) m2 = shift[j];
    }
    for (let i = 0; i < n; i++) {
      const a = labels[i];
      let u = upper[i] + shift[a];
      const l = lower[i] - (a === m1At ? m2 : m1);
      const z = Math.max(l, nearestHalf[a]);
      if (u > z) {
        u = Math.sqrt(Math.max(dist(i, centers, a), 0));
        if (u > z) {
          fullAssign(i, centers);
          const b = labels[i];
          if (b !== a) {
            // Move the row's weighted values from cluster a to cluster b.
            const w = weight ? weight[i] : 1;
            wSum[a] -= w;
            wSum[b] += w;
            const oa = a * d;
            const ob = b * d;
            const xo = i * d;
            for (let f = 0; f < d; f++) {
              const v = X[xo + f] * w;
              sums[oa + f] -= v;
              sums[ob + f] += v;
            }
          }
          continue;
        }
      }
      upper[i] = u;
      lower[i] = l;
    }
  }
  const inertia = assignLabels(X, n, d, centers, k, labels, weight);
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
