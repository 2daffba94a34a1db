/**
 * The neighbour index the k-NN models share: the training rows, the chosen algorithm (brute force
 * or KD-tree, picked as scikit-learn's `algorithm='auto'` picks), and `kneighbors` — sorted
 * distances and indices of the k nearest training rows of each query row.
 *
 * @module
 */

import { ValidationError } from '../../core/errors.ts';
import { executorFor, toShared } from '../../core/pool.ts';
import { bruteHeaps, type kneighborsBrute, kneighborsBruteTask } from './brute.ts';
import { type NeighborMetric, toDistances } from './distance.ts';
import { heapPush, simultaneousSort } from './heap.ts';
import { buildKDTree, type KDTree, queryKDTree } from './kd-tree.ts';

/** The k nearest neighbours of each query row: n × k row-major, nearest first. */
export interface KNeighborsResult {
  /** Distances to the neighbours. */
  distances: Float64Array;
  /** Row indices (into the training data) of the neighbours. */
  indices: Int32Array;
  /** Number of query rows. */
  rows: number;
  /** Neighbours per row. */
  k: number;
}

/** The search method actually used. */
export type NeighborAlgorithm = 'brute' | 'kd_tree';

/**
 * scikit-learn (1.2, one OpenMP thread) searches by brute force "parallel on X" when there are
 * more query rows than training rows or more than 4 · 256 query rows; otherwise "parallel on Y",
 * which reorders tied neighbours (see `query`).
 */
const SKLEARN_PARALLEL_ON_X_MIN = 1024;

/** Below this many distance terms (queries × training rows × features) the search stays on one thread. */
const PARALLEL_MIN_WORK = 5e7;

/** A searchable copy of the training rows. */
export class NeighborIndex {
  readonly tree: KDTree | null;
  private shared: Float64Array | null = null;

  constructor(
    readonly data: Float64Array,
    readonly n: number,
    readonly p: number,
    readonly metric: NeighborMetric,
    readonly algorithm: NeighborAlgorithm,
    leafSize: number,
  ) {
    this.tree = algorithm === 'kd_tree' ? buildKDTree(data, n, p, leafSize) : null;
  }

  /** scikit-learn's choice for `algorithm: 'auto'`: brute force above 15 features or for k ≥ n/2. */
  static chooseAlgorithm(
    requested: 'auto' | NeighborAlgorithm,
    n: number,
    p: number,
    k: number,
  ): NeighborAlgorithm {
    if (requested !== 'auto') return requested;
    return p > 15 || k >= Math.floor(n / 2) ? 'brute' : 'kd_tree';
  }

  /** The k nearest training rows of each row of `Q` (row-major, `rows` × p). */
  query(Q: Float64Array, rows: number, k: number, nThreads: number | null): KNeighborsResult {
    const dist = new Float64Array(rows * k).fill(Number.POSITIVE_INFINITY);
    const ind = new Int32Array(rows * k);
    if (this.tree) {
      for (let q = 0; q < rows; q++) queryKDTree(this.tree, Q, q, k, this.metric, dist, ind, q * k);
    } else {
      const executor = executorFor(nThreads);
      if (executor.parallelism > 1 && rows * this.n * this.p >= PARALLEL_MIN_WORK && rows > 1) {
        this.shared ??= toShared(this.data);
        const T = this.shared;
        const Qs = toShared(Q);
        const chunks = Math.min(rows, executor.parallelism * 4);
        const tasks = [];
        const bounds: [number, number][] = [];
        for (let c = 0; c < chunks; c++) {
          const q0 = Math.floor((c * rows) / chunks);
          const q1 = Math.floor(((c + 1) * rows) / chunks);
          if (q1 > q0) {
            bounds.push([q0, q1]);
            tasks.push(kneighborsBruteTask(T, this.n, Qs, q0, q1, this.p, k, this.metric));
          }
        }
        const parts = executor.mapSync<ReturnType<typeof kneighborsBrute>>(tasks);
        parts.forEach((part, c) => {
          dist.set(part.dist, bounds[c][0] * k);
          ind.set(part.ind, bounds[c][0] * k);
        });
      } else {
        bruteHeaps(this.data, this.n, Q, 0, rows, this.p, k, this.metric, dist, ind);
      }
    }
    if (!this.tree && rows <= SKLEARN_PARALLEL_ON_X_MIN && rows <= this.n) {
      // scikit-learn's brute force on at most as many query rows as training rows, and ≤ 1024 of
      // them (4 · chunk 256 · 1 thread), runs "parallel on Y": each query's heap is pushed again,
      // slot by slot, into a fresh heap before sorting. That does not change which neighbours are
      // kept, but it fixes the order of tied ones, so Lathe does the same.
      const d2 = new Float64Array(k);
      const i2 = new Int32Array(k);
      for (let q = 0; q < rows; q++) {
        d2.fill(Number.POSITIVE_INFINITY);
        const o = q * k;
        for (let c = 0; c < k; c++) heapPush(d2, i2, 0, k, dist[o + c], ind[o + c]);
        dist.set(d2, o);
        ind.set(i2, o);
      }
    }
    for (let q = 0; q < rows; q++) simultaneousSort(dist, ind, q * k, k);
    toDistances(this.metric, dist);
    return { distances: dist, indices: ind, rows, k };
  }

  /**
   * The k nearest neighbours of every training row, excluding the row itself (scikit-learn's
   * `kneighbors(X=None)`): k + 1 are searched and the row's own index dropped — or, when the row
   * has k + 1 exact duplicates ahead of it, the first neighbour.
   */
  querySelf(k: number, nThreads: number | null): KNeighborsResult {
    if (k + 1 > this.n) {
      throw new ValidationError(
        `kneighbors: ${k} neighbours of each training row (excluding itself) need at least ${k + 1} training rows; there are ${this.n}.`,
        { field: 'nNeighbors', fix: `ask for at most ${this.n - 1} neighbours` },
      );
    }
    const all = this.query(this.data, this.n, k + 1, nThreads);
    const distances = new Float64Array(this.n * k);
    const indices = new Int32Array(this.n * k);
    for (let q = 0; q < this.n; q++) {
      const o = q * (k + 1);
      let skip = -1;
      for (let c = 0; c <= k; c++) {
        if (all.indices[o + c] === q) {
          skip = c;
          break;
        }
      }
      if (skip < 0) skip = 0;
      let w = q * k;
      for (let c = 0; c <= k; c++) {
        if (c === skip) continue;
        distances[w] = all.distances[o + c];
        indices[w] = all.indices[o + c];
        w++;
      }
    }
    return { distances, indices, rows: this.n, k };
  }
}
