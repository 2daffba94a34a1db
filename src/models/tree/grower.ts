/**
 * Grows one CART tree — scikit-learn's `DepthFirstTreeBuilder` / `BestFirstTreeBuilder` with its
 * `BestSplitter` / `RandomSplitter` and the gini, entropy and squared-error criteria — on typed
 * arrays, and returns it as a {@link FlatTree}.
 *
 * Conventions kept from scikit-learn:
 * - candidate features are drawn in a seeded random order (Fisher–Yates over a persistent feature
 *   array, constant features remembered and skipped below the node that found them); the best
 *   split wins only if strictly better, so ties go to the feature visited first;
 * - values closer than 1e-7 are not split apart; thresholds are midpoints `a/2 + b/2` between
 *   consecutive distinct values (the lower value when the midpoint rounds up to the upper one);
 * - a node is a leaf when depth, `minSamplesSplit`, `2·minSamplesLeaf`, `2·minWeightLeaf`, zero
 *   impurity or `minImpurityDecrease` say so; impurity improvement is weighted by the node's share
 *   of the total weight;
 * - with `maxLeafNodes`, nodes are expanded best-first by impurity improvement.
 *
 * Speed: the exhaustive splitter never sorts at a node. Every feature's rows are sorted once
 * (`presort.ts`); a node is a contiguous segment of each feature's sorted list, and a split
 * partitions every list stably, so both children stay sorted. Scanning a feature is one pass
 * with O(1) work per row: class counts, sums of squared counts (gini), sums of `c·log c`
 * (entropy) and target sums (squared error) are all updated incrementally.
 *
 * @module
 */

import { fdlibmLog, fdlibmLog2 } from '../../core/fdlibm-log.ts';
import type { Rng } from '../../core/rng.ts';
import type { WasmMemory } from '../../core/wasm.ts';
import type { FlatTree } from './flat-tree.ts';
import { growTreeKernel, type KernelMode, kernelApplies, kernelSuits } from './grower-wasm.ts';
import { KernelArena } from './kernel-arena.ts';
import { NodeStore } from './node-store.ts';
import { pruneTree } from './prune.ts';

/** Split quality measures. `log_loss` is the same as `entropy` (scikit-learn's alias). */
export type TreeCriterion = 'gini' | 'entropy' | 'log_loss' | 'squared_error';

/** How split thresholds are chosen: the best of all (`best`) or one random per feature (`random`). */
export type TreeSplitter = 'best' | 'random';

/** The training data, already in the grower's layout. */
export interface GrowData {
  /** Features, column-major: feature j at `Xc[j * n .. (j + 1) * n)`. */
  Xc: Float64Array;
  n: number;
  d: number;
  /** Class codes 0..nClasses-1 (classification), else null. */
  yCode: Int32Array | null;
  /** Targets (regression), else null. */
  yValue: Float64Array | null;
  /** Number of classes (1 for regression). */
  nClasses: number;
  /** `argsortColumns(Xc)`: each feature's rows by value (needed by the `best` splitter). */
  order: Int32Array | null;
  /**
   * Dense ranks (`best` splitter): row i's value of feature j is the `rank[j * n + i]`-th smallest
   * distinct value of that feature, `distinct[distinctStart[j] + rank[j * n + i]]`.
   */
  rank: Int32Array | null;
  /** Each feature's distinct values, ascending, one run per feature (see `rank`). */
  distinct: Float64Array | null;
  /** Start of each feature's run in `distinct`, d + 1 entries. */
  distinctStart: Int32Array | null;
  /**
   * Per feature, 1 when two of its distinct values are within 1e-7 of each other (splits between
   * them are not allowed, so scans must compare values), else 0.
   */
  closeValues: Uint8Array | null;
  /**
   * The shared WebAssembly memory that `Xc`, `rank`, `distinct`, `distinctStart`, `closeValues`,
   * `order` and the targets live in (a `KernelArena`), for the tree kernel to read in place; null
   * or absent when they are ordinary arrays.
   */
  kernelMemory?: WasmMemory | null;
}

/** Growth settings, already resolved to numbers (see `resolveGrowOptions`). */
export interface GrowOptions {
  criterion: TreeCriterion;
  splitter: TreeSplitter;
  /** Maximum depth (use a huge number for none). */
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Fraction of the total weight a leaf must hold. */
  minWeightFractionLeaf: number;
  /** Features to consider per split (1..d). */
  maxFeatures: number;
  /** Best-first growth with at most this many leaves; 0 = depth-first, unbounded. */
  maxLeafNodes: number;
  minImpurityDecrease: number;
  /** Minimal cost-complexity pruning parameter (0 = no pruning). */
  ccpAlpha: number;
}

const FEATURE_THRESHOLD = 1e-7;
/** Nodes up to this many rows sort a candidate feature by insertion. */
const INSERTION_MAX = 16;
/** Digit width of the radix sort (2^11 counters stay in L1). */
const RADIX_BITS = 11;

/** Widest rank range a node of `len` rows counting-sorts over (else radix sort). */
function countLimit(len: number): number {
  return 2 * len + 256;
}
const EPSILON = 2.220446049250313e-16;
const INF = Number.POSITIVE_INFINITY;

/**
 * Node size at or below which the best splitter sorts each candidate feature on the spot (from
 * dense ranks, see `sortCandidate`) instead of keeping every feature's sorted list partitioned.
 * Keeping the lists costs about d moves per row and split, sorting about maxFeatures gathers and
 * counting/radix passes: when few of many features are searched, sorting wins at every node size
 * (and needs no per-thread copy of the lists); when most features are searched, the lists do.
 * Overridable with LATHE_TREE_SORT_MAX (for benchmarking).
 */
export function sortThreshold(d: number, maxFeatures: number): number {
  const env = typeof process !== 'undefined' ? process.env.LATHE_TREE_SORT_MAX : undefined;
  if (env !== undefined && env !== '') return Number(env);
  // Measured (bench/forest-grow.ts): 20 features, 4 per split: sorting ≈ 1.3× faster than lists
  // on 100 000 continuous rows; digits (64 features of 17 values, 8 per split): 2.7× faster;
  // 20 of 20 features: lists 1.7× faster.
  return d >= 3 * maxFeatures ? Number.POSITIVE_INFINITY : 0;
}

/** Working arrays kept between trees grown on the same thread (no page faults or zeroing per tree). */
const scratchArrays = new Map<string, Int32Array | Float64Array>();
/** Arrays up to this many elements are kept for reuse; larger ones are left to the collector. */
const SCRATCH_LIMIT = 1 << 22;

/** A working array of at least n elements (contents undefined), reused when small enough. */
function scratch<T extends Int32Array | Float64Array>(
  name: string,
  Ctor: new (n: number) => T,
  n: number,
): T {
  if (n > SCRATCH_LIMIT) {
    scratchArrays.delete(name);
    return new Ctor(n);
  }
  const a = scratchArrays.get(name);
  if (a instanceof Ctor && a.length >= n) return a as T;
  const fresh = new Ctor(n);
  scratchArrays.set(name, fresh);
  return fresh;
}

/** x·log x (0 at 0), with the logarithm the WebAssembly grower uses too (see fdlibm-log.ts). */
function xlogx(x: number): number {
  return x > 0 ? x * fdlibmLog(x) : 0;
}

interface FrontierRecord {
  nodeId: number;
  start: number;
  end: number;
  pos: number;
  depth: number;
  isLeaf: boolean;
  impurityLeft: number;
  impurityRight: number;
  improvement: number;
}

/**
 * Grows a tree on the rows with non-zero `weight` (null: every row, weight 1). `weight` carries
 * sample weights × class weights × bootstrap counts. Deterministic given `rng`'s state. The
 * WebAssembly kernel (grower-wasm.ts) grows it wherever it applies — the same tree, bit for bit —
 * unless `engine` is `js` (default: `js` when LATHE_TREE_GROWER=js).
 */
export function growTree(
  data: GrowData,
  weight: Float64Array | null,
  opts: GrowOptions,
  rng: Rng,
  engine: TreeEngine = defaultEngine(),
): FlatTree {
  const mode = kernelMode(opts, data.n, data.d);
  const tree =
    (engine !== 'js' && kernelApplies(data, opts, mode)
      ? growTreeKernel(data, weight, opts, rng, mode!)
      : null) ?? new Grower(data, weight, opts, rng).grow();
  return opts.ccpAlpha > 0 ? pruneTree(tree, opts.ccpAlpha) : tree;
}

/**
 * How a tree on n × d data will search its splits: the random splitter (`random`), or the
 * exhaustive one with every node sorting its candidates (`sort`), every node keeping sorted lists
 * (`lists`), or a mix (null: only with the LATHE_TREE_SORT_MAX override).
 */
export function kernelMode(opts: GrowOptions, n: number, d: number): KernelMode {
  if (opts.splitter !== 'best') return 'random';
  const threshold = sortThreshold(d, opts.maxFeatures);
  return threshold >= n ? 'sort' : threshold === 0 ? 'lists' : null;
}

/**
 * A kernel arena for the data of trees grown with `opts` on n × d data (see kernel-arena.ts), or
 * null when the WebAssembly grower will not grow them (or no arena can be had): the data is then
 * laid out in ordinary (shared) memory.
 */
export function kernelArenaFor(
  opts: GrowOptions,
  classification: boolean,
  n: number,
  d: number,
): KernelArena | null {
  if (!kernelSuits(opts, classification, kernelMode(opts, n, d))) return null;
  // Ranks, sort orders (i32) and distinct values (f64) per cell, and the targets.
  return KernelArena.create(n * (d * 16 + 8));
}

/**
 * Which grower grows a tree: `auto` uses the WebAssembly kernel (`grower-wasm.ts`) where it applies
 * and this file's grower elsewhere; `js` always this file's. Both give the same tree.
 */
export type TreeEngine = 'auto' | 'js';

/** `js` when LATHE_TREE_GROWER=js (to compare the two in benchmarks), else `auto`. */
function defaultEngine(): TreeEngine {
  const env = typeof process !== 'undefined' ? process.env.LATHE_TREE_GROWER : undefined;
  return env === 'js' ? 'js' : 'auto';
}

class Grower {
  private readonly Xc: Float64Array;
  private readonly n: number;
  private readonly d: number;
  private readonly k: number;
  private readonly clf: boolean;
  private readonly crit: 0 | 1 | 2; // gini, entropy, squared error
  private readonly best: boolean;
  /** Rows with non-zero weight. */
  private readonly m: number;
  // Node-ordered row data: position i holds row ids[i]; every node is a range of positions.
  private readonly ids: Int32Array;
  private readonly Y: Int32Array;
  private readonly Yv: Float64Array;
  private readonly W: Float64Array;
  // Best splitter: per feature f, positions (P) and dense ranks (R) sorted by value within each
  // node, at [f·m + start, f·m + end).
  private readonly P: Int32Array;
  private readonly R: Int32Array;
  private readonly newPos: Int32Array;
  private readonly tP: Int32Array;
  private readonly tR: Int32Array;
  private readonly tI: Int32Array;
  private readonly tY: Int32Array;
  private readonly tYv: Float64Array;
  private readonly tW: Float64Array;
  // Best splitter, small nodes (≤ sortMax rows): the candidate feature's rows sorted on the spot
  // by dense rank (counting or radix sort, see sortCandidate) instead of maintained lists.
  private readonly sortMax: number;
  private readonly rank: Int32Array;
  private readonly distinct: Float64Array;
  private readonly distinctStart: Int32Array;
  /** Gathered ranks; sorted ranks; radix-sort ping-pong buffers. */
  private readonly gR: Int32Array;
  private readonly sR: Int32Array;
  private readonly tR2: Int32Array;
  private readonly tI2: Int32Array;
  private readonly counts: Int32Array;
  /** The candidate's node positions in value order, and the best candidate's (swapped in). */
  private sP: Int32Array;
  private bestP: Int32Array;
  private readonly closeValues: Uint8Array;
  // Random splitter: the candidate feature's values of the node.
  private readonly xf: Float64Array;
  private readonly features: Int32Array;
  private readonly constantFeatures: Int32Array;
  private readonly store: NodeStore;

  private readonly maxDepth: number;
  private readonly minSamplesLeaf: number;
  private readonly minSamplesSplit: number;
  private readonly minWeightLeaf: number;
  private readonly maxFeatures: number;
  private readonly maxLeafNodes: number;
  private readonly minImpurityDecrease: number;
  private totalWeight = 0;

  // Node statistics (set by nodeReset).
  private nodeW = 0;
  private readonly nodeCnt: Float64Array;
  private nodeSum = 0;
  private nodeSumSq = 0;
  private readonly cntL: Float64Array;
  private readonly cntR: Float64Array;

  // The best split found by nodeSplit.
  private bFeature = -1;
  private bPos = 0;
  private bThreshold = 0;
  private bProxy = -INF;
  private bImpL = INF;
  private bImpR = INF;
  private bImprovement = 0;
  private nConstOut = 0;
  private randMin = 0;
  private randMax = 0;

  constructor(
    data: GrowData,
    weight: Float64Array | null,
    opts: GrowOptions,
    private readonly rng: Rng,
  ) {
    const { n, d, Xc } = data;
    this.Xc = Xc;
    this.n = n;
    this.d = d;
    this.clf = data.yCode !== null;
    this.k = this.clf ? data.nClasses : 1;
    this.crit = opts.criterion === 'gini' ? 0 : opts.criterion === 'squared_error' ? 2 : 1;
    this.best = opts.splitter === 'best';

    let m = 0;
    if (weight) {
      for (let i = 0; i < n; i++) {
        if (weight[i] > 0) {
          m++;
          this.totalWeight += weight[i];
        }
      }
    } else {
      m = n;
      this.totalWeight = n;
    }
    this.m = m;
    this.ids = scratch('ids', Int32Array, m);
    this.W = scratch('W', Float64Array, m);
    this.Y = scratch('Y', Int32Array, this.clf ? m : 0);
    this.Yv = scratch('Yv', Float64Array, this.clf ? 0 : m);
    const best = this.best;
    this.sortMax = best ? Math.min(sortThreshold(d, opts.maxFeatures), m) : 0;
    // Maintained sorted lists are needed only if some node is too large to sort on the spot.
    const lists = best && this.sortMax < m;
    const posOf = scratch('posOf', Int32Array, lists ? n : 0).fill(-1);
    for (let i = 0, j = 0; i < n; i++) {
      const wi = weight ? weight[i] : 1;
      if (wi > 0) {
        this.ids[j] = i;
        this.W[j] = wi;
        if (this.clf) this.Y[j] = data.yCode![i];
        else this.Yv[j] = data.yValue![i];
        if (lists) posOf[i] = j;
        j++;
      }
    }
    this.P = scratch('P', Int32Array, lists ? d * m : 0);
    this.R = scratch('R', Int32Array, lists ? d * m : 0);
    this.newPos = scratch('newPos', Int32Array, lists ? m : 0);
    this.tP = scratch('tP', Int32Array, lists ? m : 0);
    this.tR = scratch('tR', Int32Array, lists ? m : 0);
    const moved = lists ? m : this.sortMax;
    this.tI = scratch('tI', Int32Array, best ? moved : 0);
    this.tW = scratch('tW', Float64Array, best ? moved : 0);
    this.tY = scratch('tY', Int32Array, best && this.clf ? moved : 0);
    this.tYv = scratch('tYv', Float64Array, best && !this.clf ? moved : 0);
    this.xf = scratch('xf', Float64Array, best ? 0 : m);
    this.rank = data.rank ?? new Int32Array(0);
    this.distinct = data.distinct ?? new Float64Array(0);
    this.distinctStart = data.distinctStart ?? new Int32Array(0);
    this.closeValues = data.closeValues ?? new Uint8Array(d);
    const sm = this.sortMax;
    this.gR = scratch('gR', Int32Array, sm);
    this.sR = scratch('sR', Int32Array, sm);
    this.tR2 = scratch('tR2', Int32Array, sm);
    this.tI2 = scratch('tI2', Int32Array, sm);
    this.sP = scratch('sP', Int32Array, sm);
    this.bestP = scratch('bestP', Int32Array, sm);
    this.counts = scratch('counts', Int32Array, sm > 0 ? Math.max(countLimit(sm), 1 << RADIX_BITS) + 1 : 0);
    if (best && !(data.rank && data.distinct && data.distinctStart && data.closeValues)) {
      throw new Error('growTree: the best splitter needs dense ranks');
    }
    if (lists) {
      const { order } = data;
      const rank = this.rank;
      if (!order) throw new Error('growTree: nodes too large to sort on the spot need presorted lists');
      for (let f = 0; f < d; f++) {
        const src = f * n;
        let j = f * m;
        for (let i = 0; i < n; i++) {
          const s = order[src + i];
          const q = posOf[s];
          if (q >= 0) {
            this.P[j] = q;
            this.R[j] = rank[src + s];
            j++;
          }
        }
      }
    }
    this.features = new Int32Array(d);
    for (let j = 0; j < d; j++) this.features[j] = j;
    this.constantFeatures = new Int32Array(d);
    this.store = NodeStore.forTree(this.k);
    this.nodeCnt = new Float64Array(this.k);
    this.cntL = new Float64Array(this.k);
    this.cntR = new Float64Array(this.k);

    this.maxDepth = opts.maxDepth;
    this.minSamplesLeaf = opts.minSamplesLeaf;
    this.minSamplesSplit = Math.max(opts.minSamplesSplit, 2 * opts.minSamplesLeaf);
    this.minWeightLeaf = opts.minWeightFractionLeaf * this.totalWeight;
    this.maxFeatures = opts.maxFeatures;
    this.maxLeafNodes = opts.maxLeafNodes;
    this.minImpurityDecrease = opts.minImpurityDecrease;
  }

  grow(): FlatTree {
    if (this.maxLeafNodes > 0) this.growBestFirst();
    else this.growDepthFirst();
    return this.store.finish();
  }

  // ---------------------------------------------------------------------------------------------
  // Builders

  private growDepthFirst(): void {
    const store = this.store;
    // Stack of pending nodes, seven numbers each.
    const stack: number[] = [0, this.m, 0, -1, 0, INF, 0];
    let first = true;
    while (stack.length > 0) {
      const nConst = stack.pop()!;
      let impurity = stack.pop()!;
      const isLeft = stack.pop()! === 1;
      const parent = stack.pop()!;
      const depth = stack.pop()!;
      const end = stack.pop()!;
      const start = stack.pop()!;
      const nNode = end - start;
      this.nodeReset(start, end);
      let isLeaf =
        depth >= this.maxDepth ||
        nNode < this.minSamplesSplit ||
        nNode < 2 * this.minSamplesLeaf ||
        this.nodeW < 2 * this.minWeightLeaf;
      if (first) {
        impurity = this.nodeImpurity();
        first = false;
      }
      isLeaf = isLeaf || impurity <= EPSILON;
      let nConstOut = nConst;
      if (!isLeaf) {
        this.nodeSplit(start, end, impurity, nConst, true);
        nConstOut = this.nConstOut;
        isLeaf = this.bPos >= end || this.bImprovement + EPSILON < this.minImpurityDecrease;
      }
      const id = store.add(
        parent,
        isLeft,
        isLeaf,
        this.bFeature,
        this.bThreshold,
        impurity,
        nNode,
        this.nodeW,
      );
      this.writeValue(id);
      if (!isLeaf) {
        const pos = this.bPos;
        stack.push(pos, end, depth + 1, id, 0, this.bImpR, nConstOut);
        stack.push(start, pos, depth + 1, id, 1, this.bImpL, nConstOut);
      }
      if (depth > store.maxDepth) store.maxDepth = depth;
    }
  }

  private growBestFirst(): void {
    const store = this.store;
    const heap: FrontierRecord[] = [];
    let maxSplitNodes = this.maxLeafNodes - 1;
    heapPush(heap, this.addSplitNode(0, this.m, INF, true, false, -1, 0));
    while (heap.length > 0) {
      const rec = heapPop(heap);
      if (rec.isLeaf || maxSplitNodes <= 0) {
        store.makeLeaf(rec.nodeId);
      } else {
        maxSplitNodes--;
        const d1 = rec.depth + 1;
        heapPush(heap, this.addSplitNode(rec.start, rec.pos, rec.impurityLeft, false, true, rec.nodeId, d1));
        heapPush(heap, this.addSplitNode(rec.pos, rec.end, rec.impurityRight, false, false, rec.nodeId, d1));
      }
      if (rec.depth > store.maxDepth) store.maxDepth = rec.depth;
    }
  }

  private addSplitNode(
    start: number,
    end: number,
    impurity: number,
    isFirst: boolean,
    isLeft: boolean,
    parent: number,
    depth: number,
  ): FrontierRecord {
    const nNode = end - start;
    this.nodeReset(start, end);
    if (isFirst) impurity = this.nodeImpurity();
    let isLeaf =
      depth >= this.maxDepth ||
      nNode < this.minSamplesSplit ||
      nNode < 2 * this.minSamplesLeaf ||
      this.nodeW < 2 * this.minWeightLeaf ||
      impurity <= EPSILON;
    if (!isLeaf) {
      this.nodeSplit(start, end, impurity, 0, false);
      isLeaf = this.bPos >= end || this.bImprovement + EPSILON < this.minImpurityDecrease;
    }
    const id = this.store.add(
      parent,
      isLeft,
      isLeaf,
      this.bFeature,
      this.bThreshold,
      impurity,
      nNode,
      this.nodeW,
    );
    this.writeValue(id);
    return {
      nodeId: id,
      start,
      end,
      depth,
      isLeaf,
      pos: isLeaf ? end : this.bPos,
      impurityLeft: isLeaf ? INF : this.bImpL,
      impurityRight: isLeaf ? INF : this.bImpR,
      improvement: isLeaf ? 0 : this.bImprovement,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Node statistics

  /** Weighted class counts or target sums of the node's rows. */
  private nodeReset(start: number, end: number): void {
    const W = this.W;
    let wSum = 0;
    if (this.clf) {
      const cnt = this.nodeCnt;
      const Y = this.Y;
      cnt.fill(0);
      for (let i = start; i < end; i++) {
        const ww = W[i];
        cnt[Y[i]] += ww;
        wSum += ww;
      }
    } else {
      const Y = this.Yv;
      let sum = 0;
      let sq = 0;
      for (let i = start; i < end; i++) {
        const ww = W[i];
        const v = Y[i];
        sum += ww * v;
        sq += ww * v * v;
        wSum += ww;
      }
      this.nodeSum = sum;
      this.nodeSumSq = sq;
    }
    this.nodeW = wSum;
    this.bFeature = -1;
    this.bThreshold = 0;
    this.bPos = end;
  }

  private nodeImpurity(): number {
    if (!this.clf) {
      const mean = this.nodeSum / this.nodeW;
      return this.nodeSumSq / this.nodeW - mean * mean;
    }
    return this.classImpurity(this.nodeCnt, this.nodeW);
  }

  private classImpurity(cnt: Float64Array, wSum: number): number {
    const k = this.k;
    if (this.crit === 0) {
      let sq = 0;
      for (let c = 0; c < k; c++) sq += cnt[c] * cnt[c];
      return 1 - sq / (wSum * wSum);
    }
    let e = 0;
    for (let c = 0; c < k; c++) {
      const q = cnt[c];
      if (q > 0) {
        const pr = q / wSum;
        e -= pr * fdlibmLog2(pr);
      }
    }
    return e;
  }

  private writeValue(id: number): void {
    const v = this.store.value;
    if (this.clf) v.set(this.nodeCnt, id * this.k);
    else v[id] = this.nodeSum / this.nodeW;
  }

  // ---------------------------------------------------------------------------------------------
  // Split search

  /**
   * Finds the best split of positions [start, end), reorders the node's rows (and, for the best
   * splitter, every feature's sorted lists) into the two children, and sets bPos, bFeature,
   * bThreshold, the children's impurities and the improvement. bPos = end when there is no
   * valid split.
   */
  private nodeSplit(
    start: number,
    end: number,
    impurity: number,
    nKnownConst: number,
    keepConst: boolean,
  ): void {
    const { features, constantFeatures, rng, d } = this;
    this.bProxy = -INF;
    this.bPos = end;
    this.bFeature = -1;
    const sortMode = this.best && end - start <= this.sortMax;
    let fI = d;
    let nVisited = 0;
    let nFoundConst = 0;
    let nDrawnConst = 0;
    let nTotalConst = nKnownConst;
    while (fI > nTotalConst && (nVisited < this.maxFeatures || nVisited <= nFoundConst + nDrawnConst)) {
      nVisited++;
      let fJ = nDrawnConst + rng.int(fI - nFoundConst - nDrawnConst);
      if (fJ < nKnownConst) {
        const t = features[nDrawnConst];
        features[nDrawnConst] = features[fJ];
        features[fJ] = t;
        nDrawnConst++;
        continue;
      }
      fJ += nFoundConst;
      const f = features[fJ];
      const isConst = !this.best
        ? !this.randomCandidate(f, start, end)
        : sortMode
          ? !this.sortCandidate(f, start, end)
          : this.sortedConstant(f, start, end);
      if (isConst) {
        features[fJ] = features[nTotalConst];
        features[nTotalConst] = f;
        nFoundConst++;
        nTotalConst++;
        continue;
      }
      fI--;
      features[fJ] = features[fI];
      features[fI] = f;
      if (!this.best) {
        this.evaluateRandom(f, start, end);
        continue;
      }
      // Sorted order: the maintained lists of feature f, or the lists just sorted for this node.
      const P = sortMode ? this.sP : this.P;
      const R = sortMode ? this.sR : this.R;
      const o = sortMode ? -start : f * this.m;
      const before = this.bProxy;
      if (!this.clf) this.scanSquaredError(f, P, R, o, start, end);
      else if (this.crit === 0) this.scanGini(f, P, R, o, start, end);
      else this.scanEntropy(f, P, R, o, start, end);
      if (sortMode && this.bProxy !== before) {
        // This feature leads: keep its order for the partition (the next candidate sorts into
        // the other buffer).
        const t = this.bestP;
        this.bestP = this.sP;
        this.sP = t;
      }
    }
    if (this.bPos < end) {
      if (!this.best) this.partitionRows(start, end);
      else if (sortMode) this.partitionByOrder(start, end);
      else this.partitionSorted(start, end, keepConst ? nTotalConst : 0);
      this.childrenImpurity(start, end, impurity);
    }
    // Keep the constant features found so far at the front for the children (depth-first).
    for (let j = 0; j < nKnownConst; j++) features[j] = constantFeatures[j];
    for (let j = 0; j < nFoundConst; j++) constantFeatures[nKnownConst + j] = features[nKnownConst + j];
    this.nConstOut = nTotalConst;
  }

  private sortedConstant(f: number, start: number, end: number): boolean {
    const o = f * this.m;
    const vo = this.distinctStart[f];
    return (
      this.distinct[vo + this.R[o + end - 1]] <= this.distinct[vo + this.R[o + start]] + FEATURE_THRESHOLD
    );
  }

  /** Records a better split of feature f between its values of dense ranks ra < rb. */
  private recordBest(f: number, pos: number, proxy: number, ra: number, rb: number): void {
    this.bProxy = proxy;
    this.bFeature = f;
    this.bPos = pos;
    const vo = this.distinctStart[f];
    const xa = this.distinct[vo + ra];
    const xb = this.distinct[vo + rb];
    let t = xa / 2 + xb / 2;
    if (t === xb || t === INF || t === -INF) t = xa;
    this.bThreshold = t;
  }

  // The three scans below are hand-specialised per criterion so each inner loop stays
  // monomorphic and allocation-free; dense ranks are read in sorted order, rows by node position.
  // A split point is where the rank changes — and, for features with values closer than the 1e-7
  // tolerance, where the values themselves are far enough apart.

  private scanGini(f: number, P: Int32Array, R: Int32Array, o: number, start: number, end: number): void {
    const { Y, W, cntL, cntR, nodeCnt, k } = this;
    const msl = this.minSamplesLeaf;
    const mwl = this.minWeightLeaf;
    let sqR = 0;
    for (let c = 0; c < k; c++) {
      cntL[c] = 0;
      cntR[c] = nodeCnt[c];
      sqR += nodeCnt[c] * nodeCnt[c];
    }
    let sqL = 0;
    let wL = 0;
    let wR = this.nodeW;
    let best = this.bProxy;
    const D = this.distinct;
    const vo = this.distinctStart[f];
    const free = this.closeValues[f] === 0;
    let r = R[o + start];
    const last = end - 1;
    for (let i = start; i < last; i++) {
      const q = P[o + i];
      const c = Y[q];
      const ww = W[q];
      const cl = cntL[c];
      cntL[c] = cl + ww;
      sqL += ww * (2 * cl + ww);
      const cr = cntR[c];
      cntR[c] = cr - ww;
      sqR += ww * (ww - 2 * cr);
      wL += ww;
      wR -= ww;
      const r2 = R[o + i + 1];
      if (
        r2 !== r &&
        i + 1 - start >= msl &&
        last - i >= msl &&
        wL >= mwl &&
        wR >= mwl &&
        (free || D[vo + r2] > D[vo + r] + FEATURE_THRESHOLD)
      ) {
        const proxy = sqL / wL + sqR / wR;
        if (proxy > best) {
          best = proxy;
          this.recordBest(f, i + 1, proxy, r, r2);
        }
      }
      r = r2;
    }
  }

  private scanEntropy(f: number, P: Int32Array, R: Int32Array, o: number, start: number, end: number): void {
    const { Y, W, cntL, cntR, nodeCnt, k } = this;
    const msl = this.minSamplesLeaf;
    const mwl = this.minWeightLeaf;
    let eR = 0;
    for (let c = 0; c < k; c++) {
      cntL[c] = 0;
      cntR[c] = nodeCnt[c];
      eR += xlogx(nodeCnt[c]);
    }
    let eL = 0;
    let wL = 0;
    let wR = this.nodeW;
    let best = this.bProxy;
    const D = this.distinct;
    const vo = this.distinctStart[f];
    const free = this.closeValues[f] === 0;
    let r = R[o + start];
    const last = end - 1;
    for (let i = start; i < last; i++) {
      const q = P[o + i];
      const c = Y[q];
      const ww = W[q];
      const cl = cntL[c];
      const cr = cntR[c];
      const nl = cl + ww;
      const nr = cr - ww;
      cntL[c] = nl;
      cntR[c] = nr;
      eL += xlogx(nl) - xlogx(cl);
      eR += xlogx(nr) - xlogx(cr);
      wL += ww;
      wR -= ww;
      const r2 = R[o + i + 1];
      if (
        r2 !== r &&
        i + 1 - start >= msl &&
        last - i >= msl &&
        wL >= mwl &&
        wR >= mwl &&
        (free || D[vo + r2] > D[vo + r] + FEATURE_THRESHOLD)
      ) {
        // −(wL·H_L + wR·H_R) in nats, where w·H = w·log w − Σ c·log c.
        const proxy = eL - xlogx(wL) + eR - xlogx(wR);
        if (proxy > best) {
          best = proxy;
          this.recordBest(f, i + 1, proxy, r, r2);
        }
      }
      r = r2;
    }
  }

  private scanSquaredError(
    f: number,
    P: Int32Array,
    R: Int32Array,
    o: number,
    start: number,
    end: number,
  ): void {
    const W = this.W;
    const Y = this.Yv;
    const msl = this.minSamplesLeaf;
    const mwl = this.minWeightLeaf;
    let sumL = 0;
    let sumR = this.nodeSum;
    let wL = 0;
    let wR = this.nodeW;
    let best = this.bProxy;
    const D = this.distinct;
    const vo = this.distinctStart[f];
    const free = this.closeValues[f] === 0;
    let r = R[o + start];
    const last = end - 1;
    for (let i = start; i < last; i++) {
      const q = P[o + i];
      const ww = W[q];
      const v = ww * Y[q];
      sumL += v;
      sumR -= v;
      wL += ww;
      wR -= ww;
      const r2 = R[o + i + 1];
      if (
        r2 !== r &&
        i + 1 - start >= msl &&
        last - i >= msl &&
        wL >= mwl &&
        wR >= mwl &&
        (free || D[vo + r2] > D[vo + r] + FEATURE_THRESHOLD)
      ) {
        const proxy = (sumL * sumL) / wL + (sumR * sumR) / wR;
        if (proxy > best) {
          best = proxy;
          this.recordBest(f, i + 1, proxy, r, r2);
        }
      }
      r = r2;
    }
  }

  /**
   * Reorders the node's positions so the left child is [start, bPos) in the best feature's
   * value order, moves the row data accordingly, and stably partitions every other feature's
   * sorted list (rewriting positions), so both children stay sorted. Features below `skip` in
   * the feature array are constant in both children and never read again below this node.
   */
  private partitionSorted(start: number, end: number, skip: number): void {
    const { P, R, newPos, tP, tR, m } = this;
    const pos = this.bPos;
    const bf = this.bFeature;
    const ob = bf * m;
    for (let i = start; i < end; i++) newPos[P[ob + i]] = i;
    // Move the row data to the new positions.
    const { ids, W, tI, tW } = this;
    if (this.clf) {
      const { Y, tY } = this;
      for (let q = start; q < end; q++) {
        const np = newPos[q];
        tI[np] = ids[q];
        tW[np] = W[q];
        tY[np] = Y[q];
      }
      for (let q = start; q < end; q++) Y[q] = tY[q];
    } else {
      const { Yv, tYv } = this;
      for (let q = start; q < end; q++) {
        const np = newPos[q];
        tI[np] = ids[q];
        tW[np] = W[q];
        tYv[np] = Yv[q];
      }
      for (let q = start; q < end; q++) Yv[q] = tYv[q];
    }
    // Plain loops rather than set(subarray(...)): no view objects per split.
    for (let q = start; q < end; q++) {
      ids[q] = tI[q];
      W[q] = tW[q];
    }
    // Children small enough to sort their own candidates never read the lists again.
    const listsNeeded = pos - start > this.sortMax || end - pos > this.sortMax;
    for (let j = listsNeeded ? skip : this.d; j < this.d; j++) {
      const f = this.features[j];
      if (f === bf) continue;
      const o = f * m;
      let l = o + start;
      let r = 0;
      // Branch-free: write each entry to both destinations and advance one of them (the
      // left/right outcome is unpredictable, so a branch here mispredicts half the time).
      for (let i = o + start, e = o + end; i < e; i++) {
        const np = newPos[P[i]];
        const v = R[i];
        const toLeft = (np - pos) >>> 31;
        P[l] = np;
        R[l] = v;
        tP[r] = np;
        tR[r] = v;
        l += toLeft;
        r += 1 - toLeft;
      }
      for (let t = 0; t < r; t++, l++) {
        P[l] = tP[t];
        R[l] = tR[t];
      }
    }
    for (let i = start; i < end; i++) P[ob + i] = i;
  }

  // Small-node sort mode -----------------------------------------------------------------------

  /**
   * Sorts the node's rows by feature f into sP (node positions) and sR (dense ranks): an
   * insertion sort for a handful of rows, a counting sort when the node's ranks span a range not
   * much wider than the node, else an LSD radix sort on the ranks (all stable, no comparisons
   * through the engine's sort). False, without sorting, when the feature is constant in the node.
   */
  private sortCandidate(f: number, start: number, end: number): boolean {
    const { rank, ids, gR, sR, sP } = this;
    const len = end - start;
    const ro = f * this.n;
    let lo = rank[ro + ids[start]];
    let hi = lo;
    gR[0] = lo;
    for (let i = 1; i < len; i++) {
      const r = rank[ro + ids[start + i]];
      gR[i] = r;
      if (r < lo) lo = r;
      else if (r > hi) hi = r;
    }
    const vo = this.distinctStart[f];
    if (this.distinct[vo + hi] <= this.distinct[vo + lo] + FEATURE_THRESHOLD) return false;
    const range = hi - lo + 1;
    if (len <= INSERTION_MAX) {
      for (let i = 0; i < len; i++) {
        const r = gR[i];
        let j = i - 1;
        while (j >= 0 && sR[j] > r) {
          sR[j + 1] = sR[j];
          sP[j + 1] = sP[j];
          j--;
        }
        sR[j + 1] = r;
        sP[j + 1] = start + i;
      }
    } else if (range <= countLimit(len)) {
      const counts = this.counts;
      counts.fill(0, 0, range + 1);
      for (let i = 0; i < len; i++) counts[gR[i] - lo + 1]++;
      for (let b = 1; b < range; b++) counts[b] += counts[b - 1];
      for (let i = 0; i < len; i++) {
        const r = gR[i];
        const q = counts[r - lo]++;
        sP[q] = start + i;
        sR[q] = r;
      }
    } else {
      this.radixSort(start, len, lo, range);
    }
    return true;
  }

  /**
   * Stable LSD radix sort of gR[0..len) (ranks lo..lo+range-1) into sR (sorted ranks) and sP
   * (their node positions, start + local index), in the cheapest number of passes.
   */
  private radixSort(start: number, len: number, lo: number, range: number): void {
    const { gR, counts } = this;
    const bits = 32 - Math.clz32(range - 1);
    // Fewest passes is not always cheapest: each pass also clears and sums 2^b counters.
    let passes = Math.ceil(bits / RADIX_BITS);
    let b = Math.ceil(bits / passes);
    let cost = passes * ((1 << b) + 3 * len);
    for (let p = passes + 1; p <= bits; p++) {
      const bp = Math.ceil(bits / p);
      const c = p * ((1 << bp) + 3 * len);
      if (c < cost) {
        cost = c;
        passes = p;
        b = bp;
      }
    }
    const buckets = 1 << b;
    const mask = buckets - 1;
    // Ping-pong so that the last pass writes sR/sP.
    const odd = passes % 2 === 1;
    let dR = odd ? this.sR : this.tR2;
    let dP = odd ? this.sP : this.tI2;
    let oR = odd ? this.tR2 : this.sR;
    let oP = odd ? this.tI2 : this.sP;
    // First pass: keys relative to lo, positions implicit.
    counts.fill(0, 0, buckets + 1);
    for (let i = 0; i < len; i++) counts[((gR[i] - lo) & mask) + 1]++;
    for (let j = 1; j < buckets; j++) counts[j] += counts[j - 1];
    for (let i = 0; i < len; i++) {
      const key = gR[i] - lo;
      const q = counts[key & mask]++;
      dR[q] = key;
      dP[q] = start + i;
    }
    for (let p = 1; p < passes; p++) {
      const sh = p * b;
      const fromR = dR;
      const fromP = dP;
      dR = oR;
      dP = oP;
      oR = fromR;
      oP = fromP;
      counts.fill(0, 0, buckets + 1);
      for (let i = 0; i < len; i++) counts[((fromR[i] >>> sh) & mask) + 1]++;
      for (let j = 1; j < buckets; j++) counts[j] += counts[j - 1];
      for (let i = 0; i < len; i++) {
        const key = fromR[i];
        const q = counts[(key >>> sh) & mask]++;
        dR[q] = key;
        dP[q] = fromP[i];
      }
    }
    // dR is sR now; back to absolute ranks.
    for (let i = 0; i < len; i++) dR[i] += lo;
  }

  /**
   * Reorders the node's rows into the best feature's value order (saved by the split search in
   * bestP), so the left child is [start, bPos) and both children are in that order.
   */
  private partitionByOrder(start: number, end: number): void {
    const { ids, W, tI, tW, bestP } = this;
    const len = end - start;
    if (this.clf) {
      const { Y, tY } = this;
      for (let j = 0; j < len; j++) {
        const q = bestP[j];
        tI[j] = ids[q];
        tW[j] = W[q];
        tY[j] = Y[q];
      }
      for (let j = 0; j < len; j++) Y[start + j] = tY[j];
    } else {
      const { Yv, tYv } = this;
      for (let j = 0; j < len; j++) {
        const q = bestP[j];
        tI[j] = ids[q];
        tW[j] = W[q];
        tYv[j] = Yv[q];
      }
      for (let j = 0; j < len; j++) Yv[start + j] = tYv[j];
    }
    for (let j = 0; j < len; j++) {
      ids[start + j] = tI[j];
      W[start + j] = tW[j];
    }
  }

  // Random splitter -----------------------------------------------------------------------------

  /** Gathers the feature's values of the node; false when the feature is constant here. */
  private randomCandidate(f: number, start: number, end: number): boolean {
    const { Xc, ids, xf } = this;
    const xo = f * this.n;
    let lo = Xc[xo + ids[start]];
    let hi = lo;
    xf[start] = lo;
    for (let i = start + 1; i < end; i++) {
      const v = Xc[xo + ids[i]];
      xf[i] = v;
      if (v < lo) lo = v;
      else if (v > hi) hi = v;
    }
    this.randMin = lo;
    this.randMax = hi;
    return !(hi <= lo + FEATURE_THRESHOLD);
  }

  /** Draws a threshold uniformly in (min, max) and keeps it if its split is the best so far. */
  private evaluateRandom(f: number, start: number, end: number): void {
    const { xf, W } = this;
    const lo = this.randMin;
    const hi = this.randMax;
    let t = lo + (hi - lo) * this.rng.random();
    if (t === hi) t = lo;
    // One branch-free pass: rows with x <= t go left.
    let nL = 0;
    let wL = 0;
    let proxy: number;
    if (this.clf) {
      const cnt = this.cntL;
      const Y = this.Y;
      cnt.fill(0);
      for (let i = start; i < end; i++) {
        const b = +(xf[i] <= t);
        const ww = b * W[i];
        nL += b;
        wL += ww;
        cnt[Y[i]] += ww;
      }
      const nR = end - start - nL;
      const wR = this.nodeW - wL;
      if (nL < this.minSamplesLeaf || nR < this.minSamplesLeaf) return;
      if (wL < this.minWeightLeaf || wR < this.minWeightLeaf) return;
      const k = this.k;
      const nodeCnt = this.nodeCnt;
      if (this.crit === 0) {
        let sqL = 0;
        let sqR = 0;
        for (let c = 0; c < k; c++) {
          sqL += cnt[c] * cnt[c];
          const r = nodeCnt[c] - cnt[c];
          sqR += r * r;
        }
        proxy = sqL / wL + sqR / wR;
      } else {
        let eL = 0;
        let eR = 0;
        for (let c = 0; c < k; c++) {
          eL += xlogx(cnt[c]);
          eR += xlogx(nodeCnt[c] - cnt[c]);
        }
        proxy = eL - xlogx(wL) + eR - xlogx(wR);
      }
    } else {
      const Y = this.Yv;
      let sum = 0;
      for (let i = start; i < end; i++) {
        const b = +(xf[i] <= t);
        const ww = b * W[i];
        nL += b;
        wL += ww;
        sum += ww * Y[i];
      }
      const nR = end - start - nL;
      const wR = this.nodeW - wL;
      if (nL < this.minSamplesLeaf || nR < this.minSamplesLeaf) return;
      if (wL < this.minWeightLeaf || wR < this.minWeightLeaf) return;
      const sumR = this.nodeSum - sum;
      proxy = (sum * sum) / wL + (sumR * sumR) / wR;
    }
    if (proxy > this.bProxy) {
      this.bProxy = proxy;
      this.bFeature = f;
      this.bThreshold = t;
      this.bPos = start + nL;
    }
  }

  /** Partitions the node's rows by the chosen feature and threshold (random splitter). */
  private partitionRows(start: number, end: number): void {
    const { ids, W, Xc } = this;
    const xo = this.bFeature * this.n;
    const t = this.bThreshold;
    const clf = this.clf;
    const Y = this.Y;
    const Yv = this.Yv;
    let p = start;
    let pe = end;
    while (p < pe) {
      if (Xc[xo + ids[p]] <= t) p++;
      else {
        pe--;
        const ti = ids[p];
        ids[p] = ids[pe];
        ids[pe] = ti;
        const tw = W[p];
        W[p] = W[pe];
        W[pe] = tw;
        if (clf) {
          const ty = Y[p];
          Y[p] = Y[pe];
          Y[pe] = ty;
        } else {
          const ty = Yv[p];
          Yv[p] = Yv[pe];
          Yv[pe] = ty;
        }
      }
    }
  }

  /**
   * Impurity of both children of the chosen split and the weighted impurity improvement. The
   * left child's weight and class counts (or target sum) are summed as scikit-learn's
   * `Criterion.update` does from the node's start: forward over the left rows when they are no
   * more than the right ones, else the node's totals less the right rows (from the last one down).
   * The right child gets the node's totals less the left's. Summing the other way rounds
   * differently: a pure child of a weighted node came out with a Gini impurity of ~9e-15 instead
   * of 0, above the 2.2e-16 that makes a node a leaf, and was split where scikit-learn's was not.
   */
  private childrenImpurity(start: number, end: number, impurity: number): void {
    const W = this.W;
    const pos = this.bPos;
    const reverse = pos - start > end - pos;
    let wL = 0;
    let impL: number;
    let impR: number;
    if (this.clf) {
      const { cntL, cntR, Y } = this;
      if (reverse) {
        cntL.set(this.nodeCnt);
        wL = this.nodeW;
        for (let i = end - 1; i >= pos; i--) {
          const ww = W[i];
          cntL[Y[i]] -= ww;
          wL -= ww;
        }
      } else {
        cntL.fill(0);
        for (let i = start; i < pos; i++) {
          const ww = W[i];
          cntL[Y[i]] += ww;
          wL += ww;
        }
      }
      for (let c = 0; c < this.k; c++) cntR[c] = this.nodeCnt[c] - cntL[c];
      impL = this.classImpurity(cntL, wL);
      impR = this.classImpurity(cntR, this.nodeW - wL);
    } else {
      const Y = this.Yv;
      let sum = 0;
      let sq = 0;
      for (let i = start; i < pos; i++) {
        const ww = W[i];
        const v = Y[i];
        sq += ww * v * v;
      }
      if (reverse) {
        sum = this.nodeSum;
        wL = this.nodeW;
        for (let i = end - 1; i >= pos; i--) {
          const ww = W[i];
          sum -= ww * Y[i];
          wL -= ww;
        }
      } else {
        for (let i = start; i < pos; i++) {
          const ww = W[i];
          sum += ww * Y[i];
          wL += ww;
        }
      }
      const wR = this.nodeW - wL;
      const sumR = this.nodeSum - sum;
      const sqR = this.nodeSumSq - sq;
      impL = sq / wL - (sum / wL) * (sum / wL);
      impR = sqR / wR - (sumR / wR) * (sumR / wR);
    }
    const wR = this.nodeW - wL;
    const wN = this.nodeW;
    this.bImpL = impL;
    this.bImpR = impR;
    this.bImprovement = (wN / this.totalWeight) * (impurity - (wR / wN) * impR - (wL / wN) * impL);
  }
}

// Max-heap on improvement (ties: the earlier node first), for best-first growth.
function better(a: FrontierRecord, b: FrontierRecord): boolean {
  return a.improvement > b.improvement || (a.improvement === b.improvement && a.nodeId < b.nodeId);
}

function heapPush(h: FrontierRecord[], r: FrontierRecord): void {
  h.push(r);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!better(h[i], h[p])) break;
    [h[i], h[p]] = [h[p], h[i]];
    i = p;
  }
}

function heapPop(h: FrontierRecord[]): FrontierRecord {
  const top = h[0];
  const last = h.pop()!;
  if (h.length > 0) {
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let b = i;
      if (l < h.length && better(h[l], h[b])) b = l;
      if (r < h.length && better(h[r], h[b])) b = r;
      if (b === i) break;
      [h[i], h[b]] = [h[b], h[i]];
      i = b;
    }
  }
  return top;
}
