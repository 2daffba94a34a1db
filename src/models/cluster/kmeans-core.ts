/**
 * The k-means runs of one fit — initialisation (k-means++ with local trials, random rows, or given
 * centers) followed by Lloyd's or Elkan's iterations — as scikit-learn 1.2's
 * `_kmeans_single_lloyd` / `_kmeans_single_elkan`: empty clusters are re-seeded with the rows
 * farthest from their centers, iteration stops when no label changes or the total squared center
 * shift is ≤ tol, and a final assignment step makes the labels match the returned centers.
 *
 * Memory: one shared `WebAssembly.Memory` (this thread's, see `clusterMemory`; see {@link KMeansJob}) holds X, the row weights
 * and norms once, and one slot of working arrays per thread. The row loops are the kernels of
 * `kernels.ts` (WebAssembly, or their TypeScript twins); the per-iteration work on the k centers
 * (means, shifts, distances between centers) is done here on typed-array views of the same memory.
 *
 * Runs are spread over the pool without depending on it: each thread takes the next run number
 * from a shared counter, and run r draws its randomness from `new Rng(seed).derive(r)` and uses
 * nothing another run wrote, so every run — and so the fit — gives the same bits whatever the
 * number of threads and whichever thread ran it.
 *
 * @module
 */

import { copyValues } from '../../core/copy-values.ts';
import { ValidationError } from '../../core/errors.ts';
import { pairwiseSum } from '../../core/pairwise-sum.ts';
import { registerTask } from '../../core/pool.ts';
import { Rng } from '../../core/rng.ts';
import { MemoryLayout, type WasmMemory } from '../../core/wasm.ts';
import {
  CLUSTER_HEAP_BASE,
  type ClusterKernelKind,
  type ClusterKernels,
  clusterKernels,
  clusterMemory,
} from './kernels.ts';
import { argpartition } from './numpy-select.ts';

/** One fit's runs: the data in a shared memory and where each array lives (byte offsets). */
export interface KMeansJob {
  memory: WasmMemory;
  kind: ClusterKernelKind;
  n: number;
  d: number;
  k: number;
  /** k rounded up to even (the transposed centers are padded to whole SIMD vectors). */
  kp: number;
  /** k-means++ local trials (2 + ⌊ln k⌋). */
  trials: number;
  x: number;
  /** Row weights, or 0 for ones. */
  w: number;
  /** Squared norms of the rows. */
  xx: number;
  /** Int32 counter: the next run to start. */
  counter: number;
  /** Offset of slot 0 and the size of a slot (slot s starts at slot0 + s · slotBytes). */
  slot0: number;
  slotBytes: number;
  nInit: number;
  /** 'k-means++', 'random', or explicit k × d centers (centered like X). */
  init: 'k-means++' | 'random' | Float64Array;
  /** X's column means, subtracted from the rows in memory; runs return centers without them. */
  mean: Float64Array;
  maxIter: number;
  /** Absolute tolerance on the total squared center shift. */
  tol: number;
  algorithm: 'lloyd' | 'elkan';
  seed: number;
}

/** The outcome of one run. */
export interface KMeansRunResult {
  run: number;
  centers: Float64Array;
  labels: Int32Array;
  inertia: number;
  nIter: number;
}

const PAGE = 65536;
/** The length of hamerlyPass's row list (HAMERLY_BLOCK in assembly/cluster.ts). */
const HAMERLY_BLOCK = 256;
/** Offsets travel to the kernels as 32-bit integers: a fit's memory stays below 4 GiB. */
const MAX_BYTES = 2 ** 32 - PAGE;
const align = (v: number) => Math.ceil(v / 16) * 16;

/** Byte offsets of one slot's arrays. */
interface SlotLayout {
  labels: number;
  upper: number;
  lower: number;
  closest: number;
  cum: number;
  cand: number;
  ct: number;
  cc: number;
  buf: number;
  list: number;
  centers: number;
  next: number;
  sums: number;
  wsum: number;
  shift: number;
  nearestHalf: number;
  cands: number;
  pots: number;
}

/**
 * The arrays of one slot, starting at `base`: labels, then one region used first by k-means++
 * (closest distance, cumulative potential, the trials' distances) and then by Lloyd's bounds
 * (upper, lower), then the small per-center arrays. Returns the offsets and the end.
 */
function slotLayout(base: number, n: number, d: number, k: number, kp: number, trials: number, kpp: boolean) {
  const mem = new MemoryLayout(align(base), 16);
  const labels = mem.take(4 * n);
  const region = mem.take(8 * n * (kpp ? 2 + trials : 2));
  const lay: SlotLayout = {
    labels,
    upper: region,
    lower: region + 8 * n,
    closest: region,
    cum: region + 8 * n,
    cand: region + 16 * n,
    ct: mem.take(8 * d * kp),
    cc: mem.take(8 * kp),
    buf: mem.take(16 * kp),
    list: mem.take(4 * HAMERLY_BLOCK),
    centers: mem.take(8 * k * d),
    next: mem.take(8 * k * d),
    sums: mem.take(8 * k * d),
    wsum: mem.take(8 * k),
    shift: mem.take(8 * k),
    nearestHalf: mem.take(8 * k),
    cands: mem.take(8 * trials * d),
    pots: mem.take(8 * trials),
  };
  return { lay, end: mem.end };
}

/** The options of a fit that {@link makeKMeansJob} lays out. */
export interface KMeansJobOptions {
  X: Float64Array;
  n: number;
  d: number;
  weight: Float64Array | null;
  k: number;
  init: KMeansJob['init'];
  nInit: number;
  maxIter: number;
  /**
   * Tolerance relative to the mean variance of the columns (scikit-learn's `tol`): iteration stops
   * when the total squared center shift is at most tol × mean variance.
   */
  tol: number;
  algorithm: 'lloyd' | 'elkan';
  seed: number;
  /** Called when X holds a missing or infinite value; must throw. */
  nonFinite: () => never;
  /** How many runs may go at once (one slot each). */
  slots: number;
  kind: ClusterKernelKind;
}

/**
 * Allocates a fit's shared memory, copies X (and the weights) into it, checks that X is finite,
 * and computes the absolute tolerance and the row norms.
 */
export function makeKMeansJob(o: KMeansJobOptions): KMeansJob {
  const { n, d, k } = o;
  const kp = k + (k & 1);
  const trials = 2 + Math.floor(Math.log(k));
  let at = CLUSTER_HEAP_BASE;
  const counter = at;
  at = align(at + 4);
  const x = at;
  at = align(at + 8 * n * d);
  const w = o.weight ? at : 0;
  if (o.weight) at = align(at + 8 * n);
  const xx = at;
  // (2·d + 2 at least: meanVariance uses the array as scratch before the norms are written.)
  at = align(at + 8 * Math.max(n, 2 * d + 2));
  const slot0 = at;
  const slotBytes = slotLayout(0, n, d, k, kp, trials, o.init === 'k-means++').end;
  const total = slot0 + o.slots * slotBytes;
  if (total > MAX_BYTES) {
    throw new ValidationError(
      `KMeans: this fit needs ${(total / 2 ** 30).toFixed(1)} GiB of working memory (X, its row norms and ${o.slots} set(s) of per-run arrays); the limit is 4 GiB.`,
      { fix: 'fit on a sample of the rows, or set nThreads: 1' },
    );
  }
  // This thread's kernel memory (reused when small; see clusterMemory), cleared when reused: the
  // run counter and the per-run arrays start from zeros.
  const { memory, kernels: K, fresh } = clusterMemory(total, o.kind);
  const F = new Float64Array(memory.buffer);
  if (!fresh) F.fill(0, 0, Math.ceil(total / 8));
  copyValues(F, x / 8, o.X, 0, n * d);
  if (o.weight) F.set(o.weight, w / 8);
  if (!K.allFinite(x, n * d)) o.nonFinite();
  // As scikit-learn: the tolerance from X's variances, then X centered (a column offset of 1e9,
  // say epoch seconds, would otherwise swamp the differences in Lloyd's −2x·c + ‖c‖²; the
  // returned centers get the mean back).
  const mean = columnMeans(K, F, x, n, d, xx);
  const tol = o.tol === 0 ? 0 : meanVariance(K, F, x, n, d, xx) * o.tol;
  K.centerRows(x, n, d, xx);
  const job: KMeansJob = {
    memory,
    kind: o.kind,
    n,
    d,
    k,
    kp,
    trials,
    x,
    w,
    xx,
    counter,
    slot0,
    slotBytes,
    nInit: o.nInit,
    init: o.init instanceof Float64Array ? centered(o.init, mean) : o.init,
    mean,
    maxIter: o.maxIter,
    tol,
    algorithm: o.algorithm,
    seed: o.seed,
  };
  K.rowNorms(x, n, d, xx);
  return job;
}

/**
 * The column means of X, each sum taken over the rows in order (`X.mean(axis=0)`; pairwise for a
 * single column, as NumPy), written at
 * `out` (d values) and returned as a copy.
 */
function columnMeans(
  K: ClusterKernels,
  F: Float64Array,
  x: number,
  n: number,
  d: number,
  out: number,
): Float64Array {
  K.columnSums(x, n, d, out);
  // One column is a contiguous reduction for NumPy, which then sums pairwise.
  if (d === 1) F[out / 8] = pairwiseSum(F, x / 8, n);
  for (let j = 0; j < d; j++) F[out / 8 + j] /= n;
  return F.slice(out / 8, out / 8 + d);
}

/** Rows of `centers` (k × d) less `mean`. */
function centered(centers: Float64Array, mean: Float64Array): Float64Array {
  const d = mean.length;
  const out = centers.slice();
  for (let v = 0; v < out.length; v++) out[v] -= mean[v % d];
  return out;
}

/**
 * Mean over the columns of their (population) variance, each column's sums taken over the rows in
 * order (scikit-learn's `np.mean(np.var(X, axis=0))`; NumPy's pairwise sums where it uses them: a
 * single column, and the mean of the variances). The column means are at `mean`, followed
 * by room for d more values (the row-norm array, not yet filled).
 */
function meanVariance(
  K: ClusterKernels,
  F: Float64Array,
  x: number,
  n: number,
  d: number,
  mean: number,
): number {
  const dev = align(mean + 8 * d);
  const variances = new Float64Array(d);
  if (d === 1) {
    // A contiguous reduction for NumPy: the squared deviations summed pairwise.
    const sq = new Float64Array(n);
    const m = F[mean / 8];
    for (let i = 0; i < n; i++) {
      const t = F[x / 8 + i] - m;
      sq[i] = t * t;
    }
    variances[0] = pairwiseSum(sq, 0, n) / n;
  } else {
    K.columnSqDev(x, n, d, mean, dev);
    for (let j = 0; j < d; j++) variances[j] = F[dev / 8 + j] / n;
  }
  // np.mean over the d variances: a pairwise sum.
  return pairwiseSum(variances, 0, d) / d;
}

/**
 * Writes the centers transposed and padded (ct: d × kp) and their squared norms (cc; +∞ for the
 * padding center, so that it is never the nearest).
 */
export function transposeCenters(
  F: Float64Array,
  centers: number,
  ct: number,
  cc: number,
  k: number,
  kp: number,
  d: number,
): void {
  const c = centers / 8;
  const t = ct / 8;
  const q = cc / 8;
  for (let j = 0; j < kp; j++) {
    if (j >= k) {
      for (let f = 0; f < d; f++) F[t + f * kp + j] = 0;
      F[q + j] = Number.POSITIVE_INFINITY;
      continue;
    }
    let s0 = 0;
    let s1 = 0;
    const o = c + j * d;
    for (let f = 0; f < d; f++) {
      const v = F[o + f];
      F[t + f * kp + j] = v;
      if (f & 1) s1 += v * v;
      else s0 += v * v;
    }
    F[q + j] = s0 + s1;
  }
}

/**
 * k-means++ as scikit-learn's `_kmeans_plusplus`: the first center uniformly at random, each
 * next one the best (lowest potential) of 2 + ⌊ln k⌋ candidates drawn in proportion to the
 * weighted squared distance to the nearest chosen center.
 */
function kmeansPlusPlus(job: KMeansJob, K: ClusterKernels, F: Float64Array, lay: SlotLayout, rng: Rng): void {
  const { n, d, k, trials, x, w } = job;
  const X = x / 8;
  const C = lay.centers / 8;
  const first = rng.int(n);
  F.copyWithin(C, X + first * d, X + first * d + d);
  let pot = K.kppFirst(x, n, d, w, lay.centers, lay.closest);
  const cum = lay.cum / 8;
  const cands = lay.cands / 8;
  const pots = lay.pots / 8;
  const candIds = new Int32Array(trials);
  for (let c = 1; c < k; c++) {
    K.cumulative(lay.closest, w, n, lay.cum);
    for (let t = 0; t < trials; t++) {
      const r = rng.random() * pot;
      // searchsorted(cum, r, side='left'), clipped to n - 1.
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (F[cum + mid] < r) lo = mid + 1;
        else hi = mid;
      }
      const id = Math.min(lo, n - 1);
      candIds[t] = id;
      F.copyWithin(cands + t * d, X + id * d, X + id * d + d);
    }
    K.kppTrials(x, n, d, w, lay.cands, trials, lay.closest, lay.cand, lay.pots);
    let bestT = 0;
    let bestPot = Number.POSITIVE_INFINITY;
    for (let t = 0; t < trials; t++) {
      if (F[pots + t] < bestPot) {
        bestPot = F[pots + t];
        bestT = t;
      }
    }
    pot = bestPot;
    const src = lay.cand / 8 + bestT * n;
    F.copyWithin(lay.closest / 8, src, src + n);
    const id = candIds[bestT];
    F.copyWithin(C + c * d, X + id * d, X + id * d + d);
  }
}

/** Writes run `run`'s initial centers into `lay.centers`. */
function initialCenters(job: KMeansJob, K: ClusterKernels, F: Float64Array, lay: SlotLayout, rng: Rng): void {
  const { n, d, k, init } = job;
  const C = lay.centers / 8;
  if (init instanceof Float64Array) F.set(init, C);
  else if (init === 'random') {
    const rows = rng.sample(n, k);
    const X = job.x / 8;
    for (let j = 0; j < k; j++) F.copyWithin(C + j * d, X + rows[j] * d, X + rows[j] * d + d);
  } else kmeansPlusPlus(job, K, F, lay, rng);
}

/**
 * Weighted sums → means; clusters with zero weight keep their (zero) sums. Multiplies by 1/w, as
 * scikit-learn's `_average_centers` does: dividing by w rounds differently (x·3/3 ≠ x·3·(1/3) for
 * some x), which moved a center by an ulp and, with tol = 0, cost an extra iteration.
 */
function averageCenters(sums: Float64Array, wIn: Float64Array, k: number, d: number): void {
  for (let j = 0; j < k; j++) {
    const w = wIn[j];
    if (w > 0) {
      const alpha = 1 / w;
      for (let f = 0; f < d; f++) sums[j * d + f] *= alpha;
    }
  }
}

/** Squared Euclidean distance between row i of A and row j of B (d columns each), in order. */
function sqDistRows(A: Float64Array, i: number, B: Float64Array, j: number, d: number): number {
  let s = 0;
  const a = i * d;
  const b = j * d;
  for (let f = 0; f < d; f++) {
    const t = A[a + f] - B[b + f];
    s += t * t;
  }
  return s;
}

/**
 * Re-seeds empty clusters (zero weight) with rows far from their current centers — the rows
 * NumPy's `argpartition` puts last, in scikit-learn's order (not the farthest rows by rank),
 * moving those rows' weight out of their old clusters (scikit-learn's
 * `_relocate_empty_clusters_dense`). `sums` are weighted sums, not yet averaged.
 */
function relocateEmpty(
  X: Float64Array,
  weight: Float64Array | null,
  n: number,
  d: number,
  k: number,
  oldCenters: Float64Array,
  sums: Float64Array,
  wIn: Float64Array,
  labels: Int32Array,
): boolean {
  const empty: number[] = [];
  for (let j = 0; j < k; j++) if (wIn[j] === 0) empty.push(j);
  if (empty.length === 0) return false;
  // scikit-learn: distances = ((X - centers_old[labels])**2).sum(axis=1) (NumPy's pairwise sum),
  // far = np.argpartition(distances, -n_empty)[:-n_empty-1:-1] — NumPy's order, not the
  // farthest rows in order (see numpy-select.ts).
  const dist = new Float64Array(n);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const c = labels[i] * d;
    for (let f = 0; f < d; f++) {
      const t = X[i * d + f] - oldCenters[c + f];
      sq[f] = t * t;
    }
    dist[i] = pairwiseSum(sq, 0, d);
  }
  const nEmpty = Math.min(empty.length, n);
  const part = argpartition(dist, n - nEmpty);
  for (let e = 0; e < nEmpty; e++) {
    const newId = empty[e];
    const far = part[n - 1 - e];
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

/** Half the distance between every pair of centers, and each center's half-distance to its nearest other. */
function centerGeometry(C: Float64Array, k: number, d: number, half: Float64Array, next: Float64Array): void {
  for (let a = 0; a < k; a++) {
    half[a * k + a] = 0;
    for (let b = a + 1; b < k; b++) {
      const v = Math.sqrt(sqDistRows(C, a, C, b, d)) / 2;
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

/** Typed-array views of the job's data. */
function dataViews(job: KMeansJob, buf: ArrayBufferLike) {
  const { n, d } = job;
  return {
    X: new Float64Array(buf, job.x, n * d),
    weight: job.w ? new Float64Array(buf, job.w, n) : null,
  };
}

/**
 * Lloyd's iteration — every row to its nearest center, every center to the mean of its rows —
 * with Hamerly's bounds deciding when the nearest center cannot have changed: an upper bound on
 * the distance to the row's center and a lower bound on the distance to any other, moved by the
 * center shifts each iteration. Rows whose bounds stay apart (by more than half the distance from
 * their center to the nearest other) keep their label without computing a distance; the labels
 * and centers are those of plain Lloyd iterations, at a fraction of the distance computations.
 */
function runLloyd(
  job: KMeansJob,
  K: ClusterKernels,
  F: Float64Array,
  lay: SlotLayout,
  run: number,
): KMeansRunResult {
  const { n, d, k, kp, x, w, xx } = job;
  const buf = job.memory.buffer;
  const { X, weight } = dataViews(job, buf);
  const labels = new Int32Array(buf, lay.labels, n);
  let cPtr = lay.centers;
  let nPtr = lay.next;
  const sums = new Float64Array(buf, lay.sums, k * d);
  const wSum = new Float64Array(buf, lay.wsum, k);
  const wIn = new Float64Array(k);
  const shift = new Float64Array(buf, lay.shift, k);
  const nearestHalf = new Float64Array(buf, lay.nearestHalf, k);
  const half = new Float64Array(k * k);
  transposeCenters(F, cPtr, lay.ct, lay.cc, k, kp, d);
  K.assignAll(x, n, d, xx, lay.ct, lay.cc, kp, lay.labels, lay.upper, lay.lower, lay.buf);
  // Weighted sums and weights per cluster, kept up to date as rows change cluster (recomputed
  // from scratch every REFRESH iterations and after an empty cluster is re-seeded).
  const REFRESH = 16;
  let dirty = true;
  let changed = -1;
  let it = 0;
  for (; it < job.maxIter; it++) {
    // Centers ← weighted means of their rows.
    if (dirty || it % REFRESH === 0) K.clusterSums(x, n, d, w, lay.labels, k, lay.sums, lay.wsum);
    dirty = false;
    const old = new Float64Array(buf, cPtr, k * d);
    const centers = new Float64Array(buf, nPtr, k * d);
    centers.set(sums);
    wIn.set(wSum);
    if (relocateEmpty(X, weight, n, d, k, old, centers, wIn, labels)) dirty = true;
    averageCenters(centers, wIn, k, d);
    const total = centerShift(old, centers, k, d, shift);
    [cPtr, nPtr] = [nPtr, cPtr];
    // No label changed in the last assignment: converged (scikit-learn's strict convergence).
    if (changed === 0) break;
    if (total <= job.tol) break;
    // Labels ← nearest of the new centers, skipping rows whose bounds prove the label unchanged.
    centerGeometry(centers, k, d, half, nearestHalf);
    transposeCenters(F, cPtr, lay.ct, lay.cc, k, kp, d);
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
    changed = K.hamerlyPass(
      x,
      n,
      d,
      w,
      xx,
      cPtr,
      lay.ct,
      lay.cc,
      kp,
      lay.labels,
      lay.upper,
      lay.lower,
      lay.shift,
      lay.nearestHalf,
      m1,
      m1At,
      m2,
      lay.sums,
      lay.wsum,
      lay.buf,
      lay.list,
    );
  }
  transposeCenters(F, cPtr, lay.ct, lay.cc, k, kp, d);
  const inertia = K.labelsInertia(x, n, d, w, cPtr, lay.ct, lay.cc, kp, lay.labels, lay.buf, 1);
  return {
    run,
    centers: F.slice(cPtr / 8, cPtr / 8 + k * d),
    labels: labels.slice(),
    inertia,
    nIter: Math.min(it + 1, job.maxIter),
  };
}

function runElkan(job: KMeansJob, init: Float64Array, run: number): KMeansRunResult {
  const { n, d, k } = job;
  const { X, weight } = dataViews(job, job.memory.buffer);
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
    let minD = Math.sqrt(sqDistRows(X, i, centers, 0, d));
    lower[i * k] = minD;
    for (let j = 1; j < k; j++) {
      if (minD > half[best * k + j]) {
        const dd = Math.sqrt(sqDistRows(X, i, centers, j, d));
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
              ub = Math.sqrt(sqDistRows(X, i, C, label, d));
              lower[lo + label] = ub;
              tight = true;
            }
            if (ub > lower[lo + j] || ub > half[label * k + j]) {
              const dd = Math.sqrt(sqDistRows(X, i, C, j, d));
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
    relocateEmpty(X, weight, n, d, k, C, next, wIn, labels);
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
  for (; it < job.maxIter; it++) {
    step(centers, true);
    centerGeometry(next, k, d, half, nextHalf);
    let total = 0;
    for (let j = 0; j < k; j++) total += shift[j] * shift[j];
    [centers, next] = [next, centers];
    if (arraysEqual(labels, labelsOld)) {
      strict = true;
      break;
    }
    if (total <= job.tol) break;
    labelsOld.set(labels);
  }
  if (!strict) step(centers, false);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDistRows(X, i, centers, labels[i], d) * (weight ? weight[i] : 1);
  return { run, centers, labels, inertia, nIter: Math.min(it + 1, job.maxIter) };
}

function arraysEqual(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One complete k-means run (initialisation + iterations) in the given slot. */
function kmeansRun(
  job: KMeansJob,
  K: ClusterKernels,
  F: Float64Array,
  lay: SlotLayout,
  run: number,
): KMeansRunResult {
  const rng = new Rng(job.seed).derive(run);
  initialCenters(job, K, F, lay, rng);
  if (job.algorithm === 'elkan') {
    const c = lay.centers / 8;
    return runElkan(job, F.slice(c, c + job.k * job.d), run);
  }
  return runLloyd(job, K, F, lay, run);
}

/**
 * A pool task: takes run numbers from the job's counter until all `nInit` runs are taken, running
 * each in slot `slot`; returns the results of the runs it did.
 */
export function kmeansSlot(job: KMeansJob, slot: number): KMeansRunResult[] {
  const K = clusterKernels(job.memory, job.kind);
  const buf = job.memory.buffer;
  const F = new Float64Array(buf);
  const counter = new Int32Array(buf, job.counter, 1);
  const { lay } = slotLayout(
    job.slot0 + slot * job.slotBytes,
    job.n,
    job.d,
    job.k,
    job.kp,
    job.trials,
    job.init === 'k-means++',
  );
  const out: KMeansRunResult[] = [];
  for (;;) {
    const run = Atomics.add(counter, 0, 1);
    if (run >= job.nInit) break;
    out.push(kmeansRun(job, K, F, lay, run));
  }
  return out;
}

/** Builds the pool task for {@link kmeansSlot}. */
export const kmeansSlotTask = registerTask(import.meta.url, 'kmeansSlot', kmeansSlot);
