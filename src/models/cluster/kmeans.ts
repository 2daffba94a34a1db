/**
 * `KMeans`: k-means clustering as scikit-learn 1.2 does it — k-means++ initialisation with local
 * trials, `nInit` runs keeping the lowest inertia, Lloyd or Elkan iterations, tolerance relative
 * to the mean feature variance. Runs go to the worker pool in parallel.
 *
 * @module
 */

import { ValidationError } from '../../core/errors.ts';
import { registerEstimator } from '../../core/estimator.ts';
import { extremeMagnitudeScale, scaledCopy, unscale } from '../../core/magnitude-scale.ts';
import { asMatrix, assertFinite, type Matrix, type MatrixInput, matrix } from '../../core/matrix.ts';
import { type ParamSpec, type ParamsOf, p } from '../../core/params.ts';
import type { PlainObject } from '../../core/plain.ts';
import { defaultThreadCount, executorFor, InlineExecutor, type ThreadExecutor } from '../../core/pool.ts';
import { streamPool, streamSlotRows } from '../../core/row-stream.ts';
import { checkInt, checkNumber, damagedState, FINITE, readVector } from '../../core/saved-state.ts';
import { unfilledFloat64, unfilledInt32 } from '../../core/unfilled.ts';
import { BaseClusterer, checkSampleWeight } from '../base.ts';
import { assignRows, assignStream, distanceRows, prepareCenterStreams } from './assign.ts';
import { defaultClusterKernel } from './kernels.ts';
import { type KMeansJob, type KMeansRunResult, kmeansSlotTask, makeKMeansJob } from './kmeans-core.ts';
import { checkLabels } from './saved-labels.ts';

const schema = {
  nClusters: p.int({ min: 1, default: 8, doc: 'number of clusters (k)' }),
  init: p.union([p.oneOf(['k-means++', 'random'] as const), p.array(p.array(p.float()), { minLength: 1 })], {
    default: 'k-means++',
    doc: "'k-means++' (greedy, 2 + ln k local trials), 'random' (k distinct rows), or the k initial centers as rows",
  }) as ParamSpec<'k-means++' | 'random' | number[][]>,
  nInit: p.int({
    min: 1,
    default: 10,
    doc: 'runs with different initial centers; the lowest inertia wins (scikit-learn 1.2 default 10; 1 when init is an array)',
  }),
  maxIter: p.int({ min: 1, default: 300, doc: 'maximum iterations per run' }),
  tol: p.float({
    min: 0,
    default: 1e-4,
    doc: 'stop when the total squared center shift is at most tol × the mean feature variance',
  }),
  algorithm: p.oneOf(['lloyd', 'elkan'] as const, {
    default: 'lloyd',
    doc: 'lloyd: the classic iteration; elkan: the same result using triangle-inequality bounds',
  }),
  nThreads: p.nullable(p.int({ min: 1 }), {
    default: null,
    doc: 'worker threads for the runs and for predict on large inputs; null = all cores',
  }),
  seed: p.int({ min: 0, default: 0, doc: 'random seed; run r uses rng.derive(r)' }),
};

/**
 * Size thresholds (internal; tests and benchmarks lower them to reach the threaded paths on small
 * data). Below them the work stays on the calling thread. `threadedFitWork`: rows × columns ×
 * clusters × nInit from which `fit` spreads its runs over the pool (below it, starting workers
 * and compiling the code again in each costs more than the runs: the digits set). `predict` has
 * the calling thread label rows beside `nThreads − 1` pool workers from `threadedPredictWork`
 * rows × columns × clusters (every row is copied once into the shared arena, as on one thread;
 * see `row-stream.ts`).
 */
export const kmeansTuning = {
  threadedFitWork: 2 ** 24,
  threadedPredictWork: 2 ** 22,
};

/** Parameters of {@link KMeans}. */
export type KMeansParams = ParamsOf<typeof schema>;

/** Options of {@link KMeans.fit}. */
export interface KMeansFitOptions {
  /** One non-negative weight per row. */
  sampleWeight?: ArrayLike<number>;
}

function sameClustering(a: Int32Array, b: Int32Array, k: number): boolean {
  const map = new Int32Array(k).fill(-1);
  for (let i = 0; i < a.length; i++) {
    if (map[b[i]] === -1) map[b[i]] = a[i];
    else if (map[b[i]] !== a[i]) return false;
  }
  return true;
}

/** Whether a fit's centers show values squared distances cannot hold (see `KMeans.fit`). */
function centersOutOfRange(centers: Float64Array, inertia: number): boolean {
  // An infinite inertia is an overflow too (every distance +∞: every row in cluster 0).
  if (!Number.isFinite(inertia)) return true;
  let big = 0;
  for (const v of centers) {
    if (!Number.isFinite(v)) return true;
    big = Math.max(big, Math.abs(v));
  }
  return big < 2 ** -380;
}

/**
 * k-means clustering (scikit-learn's `KMeans`).
 *
 * ```ts
 * const km = new KMeans({ nClusters: 3 }).fit(X);
 * km.labels_; km.clusterCenters_; km.inertia_; km.predict(Xnew); km.transform(Xnew);
 * ```
 */
export class KMeans extends BaseClusterer<KMeansParams> {
  static readonly typeName = 'KMeans';
  static readonly schema = schema;

  /** Cluster centers, one row per cluster. */
  clusterCenters_: Matrix | undefined = undefined;
  /** Weighted sum of squared distances of the training rows to their centers. */
  inertia_: number | undefined = undefined;
  /** Iterations run by the best run. */
  nIter_: number | undefined = undefined;

  constructor(params: Partial<KMeansParams> = {}) {
    super(params);
  }

  /** Clusters X (optionally weighted by `sampleWeight`). */
  fit(X: MatrixInput, _y?: unknown, options: KMeansFitOptions = {}): this {
    const given = this.startFit(X);
    this.fitCenters(given, null, options);
    // Values whose squared distances overflow (|x| beyond ~1e154: NaN centers, an infinite inertia) or
    // underflow (every center below 2^-380, as every row then is): cluster again a copy scaled by a
    // power of two (exact; the same labels) and scale the centers and the inertia back. Checked on
    // the results, so that ordinary data pay for no scan of X.
    if (centersOutOfRange(this.clusterCenters_!.data, this.inertia_!)) {
      const scale = extremeMagnitudeScale(given.data);
      if (scale) this.fitCenters(given, scale, options);
    }
    return this.finishFit(given);
  }

  /** The fit on X (or on X times `scale`, results scaled back); sets every fitted field but the column names. */
  private fitCenters(given: Matrix, scale: [number, number] | null, options: KMeansFitOptions): void {
    const m = scale ? matrix(scaledCopy(given.data, scale), given.rows, given.cols, given.columns) : given;
    const { nClusters: k, init } = this.params;
    if (k > m.rows) {
      throw new ValidationError(`${this.typeName}: nClusters is ${k} but X has only ${m.rows} rows.`, {
        field: 'nClusters',
        fix: `pass nClusters ≤ ${m.rows}, or more rows`,
      });
    }
    const weight = checkSampleWeight(options.sampleWeight, m.rows, this.typeName) ?? null;
    let initSpec: KMeansJob['init'];
    let nInit = this.params.nInit;
    if (Array.isArray(init)) {
      if (init.length !== k || init.some((r) => r.length !== m.cols)) {
        throw new ValidationError(
          `${this.typeName}: init has ${init.length} rows of ${init[0]?.length ?? 0} values; expected ${k} rows (nClusters) of ${m.cols} (the columns of X).`,
          { field: 'init', fix: 'pass one initial center per cluster, with one value per column' },
        );
      }
      initSpec = Float64Array.from(init.flat());
      if (scale) initSpec = scaledCopy(initSpec, scale);
      nInit = 1;
    } else {
      initSpec = init;
    }
    const pool = executorFor(this.params.nThreads);
    // A predict of rows like these would use the pool: get its workers ready now (they boot and
    // load the predict's code while this thread fits, instead of during that predict).
    if (m.rows * m.cols * k >= kmeansTuning.threadedPredictWork) {
      prepareCenterStreams(m.cols, k, pool.parallelism);
    }
    // Small fits stay on the calling thread: starting workers (and compiling the code again in
    // each) costs more than the runs.
    const small = m.rows * m.cols * k * nInit < kmeansTuning.threadedFitWork;
    const slots = small ? 1 : Math.min(pool.parallelism, nInit);
    const executor = slots > 1 ? pool : new InlineExecutor();
    const job = makeKMeansJob({
      X: m.data,
      n: m.rows,
      d: m.cols,
      weight,
      k,
      init: initSpec,
      nInit,
      maxIter: this.params.maxIter,
      tol: this.params.tol,
      algorithm: this.params.algorithm,
      seed: this.params.seed,
      slots,
      kind: defaultClusterKernel(),
      nonFinite: () => this.nonFinite(given),
    });
    const tasks = Array.from({ length: slots }, (_, s) => kmeansSlotTask(job, s));
    const runs = executor
      .mapSync<KMeansRunResult[]>(tasks)
      .flat()
      .sort((a, b) => a.run - b.run);
    let best: KMeansRunResult | undefined;
    for (const r of runs) {
      if (!best || (r.inertia < best.inertia && !sameClustering(r.labels, best.labels, k))) best = r;
    }
    const centers = best!.centers;
    for (let v = 0; v < centers.length; v++) {
      centers[v] += job.mean[v % m.cols];
      if (scale) centers[v] = unscale(centers[v], scale);
    }
    this.clusterCenters_ = matrix(centers, k, m.cols, m.columns);
    this.labels_ = best!.labels;
    // Squared distances of values near 1e160 sum to ~1e320: +Infinity, as scikit-learn's would.
    this.inertia_ = scale ? unscale(best!.inertia, scale, 2) : best!.inertia;
    this.nIter_ = best!.nIter;
  }

  /**
   * The nearest center of each row. On large X (see {@link kmeansTuning}) the calling thread
   * labels rows together with `nThreads − 1` pool workers; the labels are the same.
   */
  predict(X: MatrixInput): Int32Array {
    const m = this.checkInput(X, 'predict');
    const { rows: n, cols: d } = m;
    const c = this.clusterCenters_!;
    const k = c.rows;
    // Every label is written (or the call throws), so the memory need not be zeroed first.
    const labels = unfilledInt32(n);
    const pool = this.streamingPool(n, n * d * k, 4);
    if (!pool) assignRows(m.data, n, d, c.data, k, labels, null, false, () => this.nonFinite(m));
    else if (!assignStream('labels', m.data, n, d, c.data, k, labels, pool.parallelism, pool)) {
      this.nonFinite(m);
    }
    return labels;
  }

  /**
   * The pool for a row-parallel pass over n rows worth `work` (rows × columns × clusters), each
   * with `outBytes` of output, or null to stay on the calling thread (see `streamPool`).
   */
  private streamingPool(n: number, work: number, outBytes: number): ThreadExecutor | null {
    const d = this.clusterCenters_!.cols;
    if (work < kmeansTuning.threadedPredictWork || n < 2 * streamSlotRows(8 * d, outBytes)) return null;
    return streamPool(this.params.nThreads ?? defaultThreadCount());
  }

  /**
   * Euclidean distance of each row to each center (columns kmeans0, kmeans1, …). On large X (see
   * {@link kmeansTuning}) the calling thread computes rows together with `nThreads − 1` pool
   * workers; the distances are the same bits.
   */
  transform(X: MatrixInput): Matrix {
    const m = this.checkInput(X, 'transform');
    const c = this.clusterCenters_!;
    const k = c.rows;
    const { rows: n, cols: d } = m;
    const out = unfilledFloat64(n * k); // written in full, as the labels above
    const pool = this.streamingPool(n, n * d * k, 8 * k);
    if (!pool) distanceRows(m.data, n, d, c.data, k, out, () => this.nonFinite(m));
    else if (!assignStream('distances', m.data, n, d, c.data, k, out, pool.parallelism, pool)) {
      this.nonFinite(m);
    }
    return matrix(out, n, k, this.getFeatureNamesOut());
  }

  /** Throws the error of `assertFinite` for X (called when a kernel found a non-finite value). */
  private nonFinite(m: Matrix): never {
    assertFinite(m, this.typeName);
    throw new Error(`${this.typeName}: a non-finite value was found but not located`);
  }

  /** Fits, then returns the distances of the training rows to the centers. */
  fitTransform(X: MatrixInput): Matrix {
    const m = asMatrix(X);
    return this.fit(m).transform(m);
  }

  /** Output column names of {@link KMeans.transform}. */
  getFeatureNamesOut(): string[] {
    const k = this.clusterCenters_?.rows ?? this.params.nClusters;
    return Array.from({ length: k }, (_, j) => `kmeans${j}`);
  }

  /** Opposite of the inertia of X with respect to the fitted centers (higher is better). */
  score(X: MatrixInput): number {
    const m = this.checkInput(X, 'score');
    const c = this.clusterCenters_!;
    const labels = new Int32Array(m.rows);
    return -assignRows(m.data, m.rows, m.cols, c.data, c.rows, labels, null, true, () => this.nonFinite(m));
  }

  protected getState(): PlainObject {
    return {
      clusterCenters: this.clusterCenters_!.data,
      nClusters: this.clusterCenters_!.rows,
      labels: this.labels_!,
      inertia: this.inertia_!,
      nIter: this.nIter_!,
    };
  }

  /**
   * Checks the saved centers (nClusters × features, finite), one label per training row naming a
   * cluster, an inertia ≥ 0 (infinite when squared distances overflow, as fit leaves it) and
   * nIter ≥ 1, so that a damaged or edited package is refused rather than predicting wrong
   * clusters. (Not against the parameters: `setParams` after fit changes those, not the centers.)
   */
  protected setState(state: PlainObject): void {
    const who = this.typeName;
    const names = state.featureNamesIn as string[];
    const d = names.length;
    const k = checkInt(who, 'nClusters', state.nClusters, 1, Number.POSITIVE_INFINITY);
    const centers = readVector(
      who,
      'clusterCenters',
      state.clusterCenters,
      k * d,
      `${k} clusters × ${d} features`,
      FINITE,
    );
    const labels = state.labels;
    if (!(labels instanceof Int32Array)) throw damagedState(who, 'labels', 'is missing or not an Int32Array');
    if (labels.length < k) {
      throw damagedState(
        who,
        'labels',
        `has ${labels.length} values, fewer than the ${k} training rows ${k} clusters need`,
      );
    }
    checkLabels(who, labels, 0, k - 1);
    const inertia = checkNumber(who, 'inertia', state.inertia, false);
    if (!(inertia >= 0)) throw damagedState(who, 'inertia', `is ${inertia}, not ≥ 0`);
    this.nIter_ = checkInt(who, 'nIter', state.nIter, 1, Number.POSITIVE_INFINITY);
    this.clusterCenters_ = matrix(centers, k, d, names);
    this.labels_ = labels;
    this.inertia_ = inertia;
  }
}

registerEstimator(KMeans);
