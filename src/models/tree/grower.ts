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

import type { Rng } from '../../core/rng.ts';
import type { FlatTree } from './flat-tree.ts';
import { NodeStore } from './node-store.ts';

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
}

const FEATURE_THRESHOLD = 1e-7;
const EPSILON = 2.220446049250313e-16;
const INF = Number.POSITIVE_INFINITY;

function xlogx(x: number): number {
  return x > 0 ? x * Math.log(x) : 0;
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
 * sample weights × class weights × bootstrap counts. Deterministic given `rng`'s state.
 */
export function growTree(data: GrowData, weight: Float64Array | null, opts: GrowOptions, rng: Rng): FlatTree {
  return new Grower(data, weight, opts, rng).grow();
}

class Grower {
  private readonly Xc: Float64Array;
  private readonly n: number;
  private readonly d: number;
  private readonly k: number;
  private readonly yCode: Int32Array;
  private readonly yValue: Float64Array;
  private readonly clf: boolean;
  private readonly crit: 0 | 1 | 2; // gini, entropy, squared error
  private readonly best: boolean;
  private readonly w: Float64Array;
  private readonly m: number;
  /** The node's rows, partitioned like the tree (both splitters). */
  private readonly samples: Int32Array;
  /** Per feature, the rows sorted by value, segmented by node (best splitter only). */
  private readonly ord: Int32Array;
  private readonly tmp: Int32Array;
  private readonly goLeft: Uint8Array;
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

  constructor(
    data: GrowData,
    weight: Float64Array | null,
    opts: GrowOptions,
    private readonly rng: Rng,
  ) {
    const { n, d } = data;
    this.Xc = data.Xc;
    this.n = n;
    this.d = d;
    this.clf = data.yCode !== null;
    this.k = this.clf ? data.nClasses : 1;
    this.yCode = data.yCode ?? new Int32Array(0);
    this.yValue = data.yValue ?? new Float64Array(0);
    this.crit = opts.criterion === 'gini' ? 0 : opts.criterion === 'squared_error' ? 2 : 1;
    this.best = opts.splitter === 'best';
    this.w = weight ?? new Float64Array(n).fill(1);

    let m = 0;
    for (let i = 0; i < n; i++) {
      if (this.w[i] > 0) {
        m++;
        this.totalWeight += this.w[i];
      }
    }
    this.m = m;
    this.samples = new Int32Array(m);
    for (let i = 0, j = 0; i < n; i++) if (this.w[i] > 0) this.samples[j++] = i;
    this.goLeft = new Uint8Array(this.best ? n : 0);
    this.tmp = new Int32Array(this.best ? m : 0);
    this.xf = new Float64Array(this.best ? 0 : m);
    if (this.best) {
      const order = data.order;
      if (!order) throw new Error('growTree: the best splitter needs presorted data');
      this.ord = new Int32Array(d * m);
      const w = this.w;
      if (m === n) this.ord.set(order.subarray(0, d * n));
      else {
        for (let f = 0; f < d; f++) {
          const src = f * n;
          let j = f * m;
          for (let i = 0; i < n; i++) {
            const s = order[src + i];
            if (w[s] > 0) this.ord[j++] = s;
          }
        }
      }
    } else {
      this.ord = new Int32Array(0);
    }
    this.features = new Int32Array(d);
    for (let j = 0; j < d; j++) this.features[j] = j;
    this.constantFeatures = new Int32Array(d);
    this.store = new NodeStore(this.k, 64);
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
    // Stack of pending nodes, as parallel arrays of numbers.
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
        const left = this.addSplitNode(
          rec.start,
          rec.pos,
          rec.impurityLeft,
          false,
          true,
          rec.nodeId,
          rec.depth + 1,
        );
        const right = this.addSplitNode(
          rec.pos,
          rec.end,
          rec.impurityRight,
          false,
          false,
          rec.nodeId,
          rec.depth + 1,
        );
        heapPush(heap, left);
        heapPush(heap, right);
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
    const { samples, w } = this;
    let wSum = 0;
    if (this.clf) {
      const cnt = this.nodeCnt;
      const y = this.yCode;
      cnt.fill(0);
      for (let i = start; i < end; i++) {
        const s = samples[i];
        const ww = w[s];
        cnt[y[s]] += ww;
        wSum += ww;
      }
    } else {
      const y = this.yValue;
      let sum = 0;
      let sq = 0;
      for (let i = start; i < end; i++) {
        const s = samples[i];
        const ww = w[s];
        const v = y[s];
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
        e -= pr * Math.log2(pr);
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
   * Finds the best split of [start, end), partitions the rows (and, for the best splitter, every
   * feature's sorted list) into the two children, and sets bPos, bFeature, bThreshold, child
   * impurities and the improvement. bPos = end when no valid split exists.
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
    let fI = d;
    let nVisited = 0;
    let nFoundConst = 0;
    let nDrawnConst = 0;
    let nTotalConst = nKnownConst;
    let lastPartitioned = -1;
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
      const isConst = this.best ? this.sortedConstant(f, start, end) : !this.randomCandidate(f, start, end);
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
      if (this.best) {
        if (!this.clf) this.scanSquaredError(f, start, end);
        else if (this.crit === 0) this.scanGini(f, start, end);
        else this.scanEntropy(f, start, end);
      } else {
        lastPartitioned = f;
        this.evaluateRandom(f, start, end);
      }
    }
    if (this.bPos < end) {
      if (this.best) this.partitionSorted(start, end, keepConst ? nTotalConst : 0);
      else if (lastPartitioned !== this.bFeature || this.randPartitionPos !== this.bPos) {
        this.partitionSamples(this.bFeature, this.bThreshold, start, end);
      }
      this.childrenImpurity(start, end, impurity);
    }
    // Keep the constant features found so far at the front for the children (depth-first).
    for (let j = 0; j < nKnownConst; j++) features[j] = constantFeatures[j];
    for (let j = 0; j < nFoundConst; j++) constantFeatures[nKnownConst + j] = features[nKnownConst + j];
    this.nConstOut = nTotalConst;
  }

  private sortedConstant(f: number, start: number, end: number): boolean {
    const xo = f * this.n;
    const o = f * this.m;
    return this.Xc[xo + this.ord[o + end - 1]] <= this.Xc[xo + this.ord[o + start]] + FEATURE_THRESHOLD;
  }

  private recordBest(f: number, pos: number, proxy: number, xa: number, xb: number): void {
    this.bProxy = proxy;
    this.bFeature = f;
    this.bPos = pos;
    let t = xa / 2 + xb / 2;
    if (t === xb || t === INF || t === -INF) t = xa;
    this.bThreshold = t;
  }

  // The three scans below are hand-specialised per criterion so each inner loop stays
  // monomorphic and allocation-free.

  private scanGini(f: number, start: number, end: number): void {
    const { Xc, ord, w, cntL, cntR, nodeCnt, k } = this;
    const y = this.yCode;
    const xo = f * this.n;
    const o = f * this.m;
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
    let s = ord[o + start];
    let x = Xc[xo + s];
    const last = end - 1;
    for (let i = start; i < last; i++) {
      const c = y[s];
      const ww = w[s];
      const cl = cntL[c];
      cntL[c] = cl + ww;
      sqL += ww * (2 * cl + ww);
      const cr = cntR[c];
      cntR[c] = cr - ww;
      sqR += ww * (ww - 2 * cr);
      wL += ww;
      wR -= ww;
      const s2 = ord[o + i + 1];
      const x2 = Xc[xo + s2];
      if (x2 > x + FEATURE_THRESHOLD && i + 1 - start >= msl && last - i >= msl && wL >= mwl && wR >= mwl) {
        const proxy = sqL / wL + sqR / wR;
        if (proxy > best) {
          best = proxy;
          this.recordBest(f, i + 1, proxy, x, x2);
        }
      }
      s = s2;
      x = x2;
    }
  }

  private scanEntropy(f: number, start: number, end: number): void {
    const { Xc, ord, w, cntL, cntR, nodeCnt, k } = this;
    const y = this.yCode;
    const xo = f * this.n;
    const o = f * this.m;
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
    let s = ord[o + start];
    let x = Xc[xo + s];
    const last = end - 1;
    for (let i = start; i < last; i++) {
      const c = y[s];
      const ww = w[s];
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
      const s2 = ord[o + i + 1];
      const x2 = Xc[xo + s2];
      if (x2 > x + FEATURE_THRESHOLD && i + 1 - start >= msl && last - i >= msl && wL >= mwl && wR >= mwl) {
        // −(wL·H_L + wR·H_R) in nats, where w·H = w·log w − Σ c·log c.
        const proxy = eL - xlogx(wL) + eR - xlogx(wR);
        if (proxy > best) {
          best = proxy;
          this.recordBest(f, i + 1, proxy, x, x2);
        }
      }
      s = s2;
      x = x2;
    }
  }

  private scanSquaredError(f: number, start: number, end: number): void {
    const { Xc, ord, w } = this;
    const y = this.yValue;
    const xo = f * this.n;
    const o = f * this.m;
    const msl = this.minSamplesLeaf;
    const mwl = this.minWeightLeaf;
    let sumL = 0;
    let sumR = this.nodeSum;
    let wL = 0;
    let wR = this.nodeW;
    let best = this.bProxy;
    let s = ord[o + start];
    let x = Xc[xo + s];
    const last = end - 1;
    for (let i = start; i < last; i++) {
      const ww = w[s];
      const v = ww * y[s];
      sumL += v;
      sumR -= v;
      wL += ww;
      wR -= ww;
      const s2 = ord[o + i + 1];
      const x2 = Xc[xo + s2];
      if (x2 > x + FEATURE_THRESHOLD && i + 1 - start >= msl && last - i >= msl && wL >= mwl && wR >= mwl) {
        const proxy = (sumL * sumL) / wL + (sumR * sumR) / wR;
        if (proxy > best) {
          best = proxy;
          this.recordBest(f, i + 1, proxy, x, x2);
        }
      }
      s = s2;
      x = x2;
    }
  }

  /**
   * Stable partition of every feature's sorted segment (and of `samples`) into the best split's
   * children. Features below `skip` in the feature array are known constant in both children and
   * are never read again below this node, so they are left alone.
   */
  private partitionSorted(start: number, end: number, skip: number): void {
    const { ord, tmp, goLeft, samples, m } = this;
    const pos = this.bPos;
    const ob = this.bFeature * m;
    for (let i = start; i < pos; i++) goLeft[ord[ob + i]] = 1;
    for (let j = skip; j < this.d; j++) {
      const f = this.features[j];
      if (f === this.bFeature) continue;
      const o = f * m;
      let l = o + start;
      let r = 0;
      for (let i = o + start, e = o + end; i < e; i++) {
        const s = ord[i];
        if (goLeft[s] === 1) ord[l++] = s;
        else tmp[r++] = s;
      }
      ord.set(tmp.subarray(0, r), l);
    }
    // `samples` follows the best feature's order (any order of the node's rows would do).
    samples.set(ord.subarray(ob + start, ob + end), start);
    for (let i = start; i < pos; i++) goLeft[ord[ob + i]] = 0;
  }

  // Random splitter -----------------------------------------------------------------------------

  private randMin = 0;
  private randMax = 0;
  private randPartitionPos = -1;

  /** Gathers the feature's values of the node; false when the feature is constant here. */
  private randomCandidate(f: number, start: number, end: number): boolean {
    const { Xc, samples, xf } = this;
    const xo = f * this.n;
    let lo = Xc[xo + samples[start]];
    let hi = lo;
    xf[start] = lo;
    for (let i = start + 1; i < end; i++) {
      const v = Xc[xo + samples[i]];
      xf[i] = v;
      if (v < lo) lo = v;
      else if (v > hi) hi = v;
    }
    this.randMin = lo;
    this.randMax = hi;
    return !(hi <= lo + FEATURE_THRESHOLD);
  }

  /** Draws a threshold uniformly in (min, max), partitions, and keeps it if it is the best so far. */
  private evaluateRandom(f: number, start: number, end: number): void {
    const { samples, xf, w } = this;
    const lo = this.randMin;
    const hi = this.randMax;
    let t = lo + (hi - lo) * this.rng.random();
    if (t === hi) t = lo;
    let p = start;
    let pe = end;
    while (p < pe) {
      if (xf[p] <= t) p++;
      else {
        pe--;
        const tx = xf[p];
        xf[p] = xf[pe];
        xf[pe] = tx;
        const ts = samples[p];
        samples[p] = samples[pe];
        samples[pe] = ts;
      }
    }
    const pos = pe;
    this.randPartitionPos = pos;
    if (pos - start < this.minSamplesLeaf || end - pos < this.minSamplesLeaf) return;
    // Sum over the shorter side; derive the other from the node totals.
    const leftShorter = pos - start <= end - pos;
    const a = leftShorter ? start : pos;
    const b = leftShorter ? pos : end;
    let wS = 0;
    let proxy: number;
    if (this.clf) {
      const cnt = this.cntL;
      const y = this.yCode;
      cnt.fill(0);
      for (let i = a; i < b; i++) {
        const s = samples[i];
        const ww = w[s];
        cnt[y[s]] += ww;
        wS += ww;
      }
      const wO = this.nodeW - wS;
      const wL = leftShorter ? wS : wO;
      const wR = leftShorter ? wO : wS;
      if (wL < this.minWeightLeaf || wR < this.minWeightLeaf) return;
      const k = this.k;
      const nodeCnt = this.nodeCnt;
      if (this.crit === 0) {
        let sqS = 0;
        let sqO = 0;
        for (let c = 0; c < k; c++) {
          sqS += cnt[c] * cnt[c];
          const o = nodeCnt[c] - cnt[c];
          sqO += o * o;
        }
        proxy = sqS / wS + sqO / wO;
      } else {
        let eS = 0;
        let eO = 0;
        for (let c = 0; c < k; c++) {
          eS += xlogx(cnt[c]);
          eO += xlogx(nodeCnt[c] - cnt[c]);
        }
        proxy = eS - xlogx(wS) + eO - xlogx(wO);
      }
    } else {
      const y = this.yValue;
      let sum = 0;
      for (let i = a; i < b; i++) {
        const s = samples[i];
        const ww = w[s];
        sum += ww * y[s];
        wS += ww;
      }
      const wO = this.nodeW - wS;
      const wL = leftShorter ? wS : wO;
      const wR = leftShorter ? wO : wS;
      if (wL < this.minWeightLeaf || wR < this.minWeightLeaf) return;
      const sumO = this.nodeSum - sum;
      proxy = (sum * sum) / wS + (sumO * sumO) / wO;
    }
    if (proxy > this.bProxy) {
      this.bProxy = proxy;
      this.bFeature = f;
      this.bThreshold = t;
      this.bPos = pos;
    }
  }

  private partitionSamples(f: number, t: number, start: number, end: number): void {
    const { samples, Xc } = this;
    const xo = f * this.n;
    let p = start;
    let pe = end;
    while (p < pe) {
      if (Xc[xo + samples[p]] <= t) p++;
      else {
        pe--;
        const ts = samples[p];
        samples[p] = samples[pe];
        samples[pe] = ts;
      }
    }
  }

  /** Impurity of both children of the chosen split and the weighted impurity improvement. */
  private childrenImpurity(start: number, end: number, impurity: number): void {
    const { samples, w } = this;
    const pos = this.bPos;
    let wL = 0;
    let impL: number;
    let impR: number;
    if (this.clf) {
      const cntL = this.cntL;
      const cntR = this.cntR;
      const y = this.yCode;
      cntL.fill(0);
      for (let i = start; i < pos; i++) {
        const s = samples[i];
        const ww = w[s];
        cntL[y[s]] += ww;
        wL += ww;
      }
      for (let c = 0; c < this.k; c++) cntR[c] = this.nodeCnt[c] - cntL[c];
      impL = this.classImpurity(cntL, wL);
      impR = this.classImpurity(cntR, this.nodeW - wL);
    } else {
      const y = this.yValue;
      let sum = 0;
      let sq = 0;
      for (let i = start; i < pos; i++) {
        const s = samples[i];
        const ww = w[s];
        const v = y[s];
        sum += ww * v;
        sq += ww * v * v;
        wL += ww;
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
    void end;
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
