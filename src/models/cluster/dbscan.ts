/**
 * `DBSCAN`: density-based clustering (scikit-learn's `DBSCAN`). A row is a core row when the
 * rows within `eps` of it (itself included) weigh at least `minSamples`; clusters grow from core
 * rows in row order through their neighbourhoods; rows reached by no cluster are noise (-1).
 * Labels are identical to scikit-learn's: clusters are numbered in order of their first core
 * row, and a border row reachable from two clusters joins the one numbered first.
 *
 * @module
 */

import { registerEstimator } from '../../core/estimator.ts';
import { assertFinite, type Matrix, type MatrixInput, matrix } from '../../core/matrix.ts';
import { pairwiseSum } from '../../core/pairwise-sum.ts';
import { type ParamsOf, p } from '../../core/params.ts';
import type { PlainObject } from '../../core/plain.ts';
import { checkInt, damagedState, FINITE, readVector } from '../../core/saved-state.ts';
import { BaseClusterer, checkSampleWeight } from '../base.ts';
import { RadiusNeighbors } from './radius-neighbors.ts';
import { checkLabels } from './saved-labels.ts';

const schema = {
  eps: p.float({ gt: 0, default: 0.5, doc: 'neighbourhood radius' }),
  minSamples: p.int({
    min: 1,
    default: 5,
    doc: 'weight (rows, or summed sampleWeight) within eps, the row included, that makes a core row',
  }),
  metric: p.oneOf(['euclidean', 'manhattan'] as const, { default: 'euclidean', doc: 'distance' }),
  leafSize: p.int({
    min: 1,
    default: 30,
    doc: 'KD-tree leaf size (speed; at exactly eps it can decide a pair, as in scikit-learn)',
  }),
};

/** Parameters of {@link DBSCAN}. */
export type DBSCANParams = ParamsOf<typeof schema>;

/** Options of {@link DBSCAN.fit}. */
export interface DBSCANFitOptions {
  /**
   * One finite weight per row, summed over a row's neighbourhood against `minSamples`. As in
   * scikit-learn, a row weighing at least `minSamples` is a core row by itself, a negative weight
   * can keep its neighbours from being core, and all-zero weights are allowed (every row is then
   * noise).
   */
  sampleWeight?: ArrayLike<number>;
}

/**
 * DBSCAN clustering.
 *
 * ```ts
 * const db = new DBSCAN({ eps: 0.3, minSamples: 10 }).fit(X);
 * db.labels_;            // cluster per row, -1 = noise
 * db.coreSampleIndices_; // rows that are core rows
 * ```
 */
export class DBSCAN extends BaseClusterer<DBSCANParams> {
  static readonly typeName = 'DBSCAN';
  static readonly schema = schema;

  /** Indices of the core rows, ascending. */
  coreSampleIndices_: Int32Array | undefined = undefined;
  /** Number of clusters found (noise excluded). */
  nClusters_: number | undefined = undefined;
  /** The core rows themselves (X's rows at `coreSampleIndices_`), as scikit-learn's `components_`. */
  components_: Matrix | undefined = undefined;

  constructor(params: Partial<DBSCANParams> = {}) {
    super(params);
  }

  /** Clusters X. */
  fit(X: MatrixInput, _y?: unknown, options: DBSCANFitOptions = {}): this {
    const m = this.startFit(X);
    assertFinite(m, this.typeName);
    const n = m.rows;
    const weight = checkSampleWeight(options.sampleWeight, n, this.typeName, { signed: true });
    const { eps, minSamples, metric, leafSize } = this.params;
    const search = new RadiusNeighbors(m.data, n, m.cols, eps, metric, leafSize);
    // Pass 1: core rows.
    const core = new Uint8Array(n);
    const summer = weight ? new NeighbourhoodWeight(weight, sklearnSearchesByBruteForce(n, m.cols)) : null;
    let nCore = 0;
    for (let i = 0; i < n; i++) {
      const count = summer ? summer.of(search, i) : search.forEach(i, noop);
      if (count >= minSamples) {
        core[i] = 1;
        nCore++;
      }
    }
    // Pass 2: grow a cluster from each unlabelled core row, in row order. Labelling rows when
    // they are first reached (rather than when popped, as scikit-learn does) gives the same
    // labels — a cluster is everything reachable through core rows that no earlier cluster
    // took — and puts each row on the stack at most once.
    const labels = new Int32Array(n).fill(-1);
    const stack = new Int32Array(n);
    let top = 0;
    let label = 0;
    const reach = (j: number) => {
      if (labels[j] === -1) {
        labels[j] = label;
        stack[top++] = j;
      }
    };
    for (let i = 0; i < n; i++) {
      if (labels[i] !== -1 || !core[i]) continue;
      labels[i] = label;
      stack[top++] = i;
      while (top > 0) {
        const cur = stack[--top];
        if (core[cur]) search.forEach(cur, reach);
      }
      label++;
    }
    const coreIdx = new Int32Array(nCore);
    for (let i = 0, j = 0; i < n; i++) if (core[i]) coreIdx[j++] = i;
    this.labels_ = labels;
    this.coreSampleIndices_ = coreIdx;
    this.nClusters_ = label;
    const comp = new Float64Array(nCore * m.cols);
    for (let j = 0; j < nCore; j++)
      comp.set(m.data.subarray(coreIdx[j] * m.cols, (coreIdx[j] + 1) * m.cols), j * m.cols);
    this.components_ = matrix(comp, nCore, m.cols, m.columns);
    return this.finishFit(m);
  }

  protected getState(): PlainObject {
    return {
      labels: this.labels_!,
      coreSampleIndices: this.coreSampleIndices_!,
      nClusters: this.nClusters_!,
      components: this.components_!.data,
    };
  }

  /**
   * Checks what fit gives: one label per training row in -1..nClusters-1, each of clusters
   * 0..nClusters-1 labelling some row; core row indices strictly ascending, inside the training
   * rows and each in a cluster; the core rows (when saved) finite, one per core index. A damaged
   * or edited package is refused rather than reporting clusters that no fit found.
   */
  protected setState(state: PlainObject): void {
    const who = this.typeName;
    const labels = state.labels;
    if (!(labels instanceof Int32Array)) throw damagedState(who, 'labels', 'is missing or not an Int32Array');
    const n = labels.length;
    const nClusters = checkInt(who, 'nClusters', state.nClusters, 0, n);
    checkLabels(who, labels, -1, nClusters - 1);
    let seen = -1;
    for (let i = 0; i < n; i++) if (labels[i] > seen) seen = labels[i];
    if (seen !== nClusters - 1) {
      throw damagedState(who, 'nClusters', `is ${nClusters}, but the labels name ${seen + 1} clusters`);
    }
    const core = state.coreSampleIndices;
    if (!(core instanceof Int32Array)) {
      throw damagedState(who, 'coreSampleIndices', 'is missing or not an Int32Array');
    }
    for (let j = 0; j < core.length; j++) {
      const i = core[j];
      if (i < 0 || i >= n || (j > 0 && i <= core[j - 1]) || labels[i] < 0) {
        throw damagedState(
          who,
          'coreSampleIndices',
          `holds ${i} at index ${j}, not a clustered training row (0..${n - 1}) after the previous one`,
        );
      }
    }
    const names = state.featureNamesIn as string[];
    const nCore = core.length;
    const comp = state.components;
    // Saved before components_ existed: the core rows are not in the file.
    const components =
      comp === undefined
        ? undefined
        : matrix(
            readVector(
              who,
              'components',
              comp,
              nCore * names.length,
              `${nCore} core rows × ${names.length} features`,
              FINITE,
            ),
            nCore,
            names.length,
            names,
          );
    this.labels_ = labels;
    this.coreSampleIndices_ = core;
    this.nClusters_ = nClusters;
    this.components_ = components;
  }
}

function noop(): void {}

/**
 * Whether scikit-learn's DBSCAN (`algorithm='auto'`) searches by brute force rather than with its
 * KD-tree: `NearestNeighbors`' rule with its default of 5 neighbours — more than 15 columns, or
 * 5 ≥ ⌊n / 2⌋.
 */
function sklearnSearchesByBruteForce(n: number, cols: number): boolean {
  return cols > 15 || 5 >= Math.floor(n / 2);
}

/**
 * The summed sample weight of a row's neighbourhood, as scikit-learn computes it:
 * `np.sum(sample_weight[neighbors])`, NumPy's pairwise sum over the neighbours in the order its
 * search lists them — the KD-tree's order (the order {@link RadiusNeighbors.forEach} visits), or
 * index order when scikit-learn searches by brute force. With weights such as 0.1 a plain running
 * sum can round the other way at `minSamples` (ten rows of 0.1 sum to 0.9999999999999999 one by
 * one, to 1 pairwise), which decides whether the row is core.
 */
class NeighbourhoodWeight {
  private readonly rows: Int32Array;
  private readonly w: Float64Array;
  private count = 0;
  private readonly collect = (j: number): void => {
    this.rows[this.count++] = j;
  };

  constructor(
    private readonly weight: Float64Array,
    private readonly indexOrder: boolean,
  ) {
    this.rows = new Int32Array(weight.length);
    this.w = new Float64Array(weight.length);
  }

  /** The summed weight of the rows within eps of row i (i included). */
  of(search: RadiusNeighbors, i: number): number {
    this.count = 0;
    search.forEach(i, this.collect);
    const k = this.count;
    if (this.indexOrder) this.rows.subarray(0, k).sort();
    for (let c = 0; c < k; c++) this.w[c] = this.weight[this.rows[c]];
    return pairwiseSum(this.w, 0, k);
  }
}

registerEstimator(DBSCAN);
