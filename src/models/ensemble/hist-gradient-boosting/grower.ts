/**
 * The training-time tree: grown leaf-wise (best-first) from histograms, as scikit-learn's
 * `TreeGrower`. The node with the largest gain is split next; growth stops at `maxLeafNodes`
 * leaves, at `maxDepth`, when a child has fewer than `2 · minSamplesLeaf` rows, or when no split
 * has a positive gain above `minGainToSplit`. Nodes of equal gain are taken in the order of
 * scikit-learn's heap (Python's heapq, reproduced here). Leaf values are `−G / (H + λ + 1e-15)`
 * times the learning rate.
 *
 * The rows of every node are a contiguous range of one partition array (in the arena); splitting
 * a node partitions its range in place, stably.
 *
 * @module
 */

import type { Arena } from './arena.ts';
import type { HistBlock, HistogramBuilder } from './histogram.ts';
import type { Kernels } from './kernels.ts';
import { findNodeSplit, type SplitContext, type SplitInfo } from './splitting.ts';

/** A node of the training-time tree. */
export interface GrowerNode {
  depth: number;
  /** First row of the node in the partition. */
  start: number;
  /** Number of rows. */
  count: number;
  sumGrad: number;
  sumHess: number;
  /** Value before shrinkage (for leaves, the final value after `grow`). */
  value: number;
  split: SplitInfo | null;
  isLeaf: boolean;
  left: GrowerNode | null;
  right: GrowerNode | null;
  hist: HistBlock | null;
}

/** Limits on the tree. */
export interface GrowerParams {
  maxLeafNodes: number | null;
  maxDepth: number | null;
  minSamplesLeaf: number;
  learningRate: number;
}

/** The arena buffers the grower works on. */
export interface GrowerBuffers {
  arena: Arena;
  kernels: Kernels;
  hist: HistogramBuilder;
  /** Byte offset of the u32 partition (nRows entries). */
  partition: number;
  /** Byte offset of nRows u32 of scratch for the partition. */
  scratch: number;
  /** Byte offset of the per-bin "goes left" table (slots bytes). */
  goesLeft: number;
  /** Byte offset of this tree's (gradient, hessian) pairs (16 bytes per row, indexed by row). */
  grad: number;
}

function newNode(depth: number, start: number, count: number, g: number, h: number, v: number): GrowerNode {
  return {
    depth,
    start,
    count,
    sumGrad: g,
    sumHess: h,
    value: v,
    split: null,
    isLeaf: false,
    left: null,
    right: null,
    hist: null,
  };
}

/** `a` comes out of the heap before `b`: a larger gain (scikit-learn's `TreeNode.__lt__`). */
function before(a: GrowerNode, b: GrowerNode): boolean {
  return a.split!.gain > b.split!.gain;
}

/**
 * Python's `heapq.heappush` (and below `heappop`), step for step: scikit-learn keeps the splittable
 * nodes in a heapq ordered by gain, and when two nodes have the same gain — which happens at a
 * classifier's first iteration, where gradients take two values — the one its heap pops first is
 * split first, and is the one split at all when `maxLeafNodes` stops the tree. Any other
 * priority queue would break those ties another way.
 */
export function heapPush(heap: GrowerNode[], node: GrowerNode): void {
  heap.push(node);
  siftDown(heap, 0, heap.length - 1);
}

/** Python's `heapq.heappop` (see {@link heapPush}). */
export function heapPop(heap: GrowerNode[]): GrowerNode {
  const last = heap.pop()!;
  if (heap.length === 0) return last;
  const top = heap[0];
  heap[0] = last;
  // _siftup: move the smaller child up until a leaf (the right one unless the left is strictly
  // smaller), then sift the moved item down from there.
  const end = heap.length;
  let pos = 0;
  let child = 1;
  while (child < end) {
    const right = child + 1;
    if (right < end && !before(heap[child], heap[right])) child = right;
    heap[pos] = heap[child];
    pos = child;
    child = 2 * pos + 1;
  }
  heap[pos] = last;
  siftDown(heap, 0, pos);
  return top;
}

/** heapq's `_siftdown`: moves heap[pos] up while it comes before its parent. */
function siftDown(heap: GrowerNode[], start: number, pos: number): void {
  const item = heap[pos];
  while (pos > start) {
    const parent = (pos - 1) >> 1;
    if (!before(item, heap[parent])) break;
    heap[pos] = heap[parent];
    pos = parent;
  }
  heap[pos] = item;
}

/** Grows one tree. The partition must hold the rows 0..n-1 (any order) on entry. */
export class TreeGrower {
  readonly root: GrowerNode;
  readonly leaves: GrowerNode[] = [];
  /** Nodes waiting to be split, a binary heap by gain (see {@link heapPush}). */
  private splittable: GrowerNode[] = [];
  nNodes = 1;

  constructor(
    private readonly ctx: SplitContext,
    private readonly params: GrowerParams,
    private readonly buf: GrowerBuffers,
    nRows: number,
    sumGrad: number,
    sumHess: number,
  ) {
    this.root = newNode(0, 0, nRows, sumGrad, sumHess, 0);
    if (nRows < 2 * params.minSamplesLeaf || sumHess < ctx.minHessianToSplit) {
      this.finalize(this.root);
      return;
    }
    this.root.hist = buf.hist.acquire();
    buf.hist.build(buf.partition, nRows, buf.grad, this.root.hist, true);
    this.findSplitAndPush(this.root);
  }

  /** Grows the tree to the end and applies the learning rate to the leaves. */
  grow(): this {
    while (this.splittable.length > 0) this.splitNext();
    for (const leaf of this.leaves) leaf.value *= this.params.learningRate;
    return this;
  }

  private finalize(node: GrowerNode): void {
    node.isLeaf = true;
    this.leaves.push(node);
    if (node.hist) {
      this.buf.hist.release(node.hist);
      node.hist = null;
    }
  }

  private findSplitAndPush(node: GrowerNode): void {
    const mem = this.buf.arena.memory.buffer;
    const hist = new Float64Array(mem);
    const counts = new Uint32Array(mem);
    node.split = findNodeSplit(
      this.ctx,
      hist,
      counts,
      node.hist!.hist >> 3,
      node.hist!.counts >> 2,
      node.count,
      node.sumGrad,
      node.sumHess,
      node.value,
    );
    if (node.split === null) this.finalize(node);
    else heapPush(this.splittable, node);
  }

  /** Pops the splittable node of largest gain (among equal gains, the one Python's heapq pops). */
  private pop(): GrowerNode {
    return heapPop(this.splittable);
  }

  private splitNext(): void {
    const node = this.pop();
    const split = node.split!;
    const { buf, params, ctx } = this;
    const mem = new Uint8Array(buf.arena.memory.buffer);
    mem.set(split.goesLeft, buf.goesLeft);
    const col = buf.hist.bins + split.feature * buf.hist.nRows;
    const nLeft = buf.hist.partition(
      col,
      buf.partition + node.start * 4,
      node.count,
      buf.goesLeft,
      buf.scratch,
    );
    const depth = node.depth + 1;
    const left = newNode(depth, node.start, nLeft, split.sumGradLeft, split.sumHessLeft, split.valueLeft);
    const right = newNode(
      depth,
      node.start + nLeft,
      node.count - nLeft,
      split.sumGradRight,
      split.sumHessRight,
      split.valueRight,
    );
    node.left = left;
    node.right = right;
    this.nNodes += 2;
    if (!ctx.hasMissing[split.feature]) {
      // No missing values at fit time: at predict time they follow the larger child.
      split.missingGoLeft = left.count > right.count;
    }
    const nLeafNodes = this.leaves.length + this.splittable.length + 2;
    if (params.maxLeafNodes !== null && nLeafNodes === params.maxLeafNodes) {
      this.finalize(left);
      this.finalize(right);
      while (this.splittable.length > 0) this.finalize(this.splittable.pop()!);
      this.releaseHist(node);
      return;
    }
    if (params.maxDepth !== null && depth === params.maxDepth) {
      this.finalize(left);
      this.finalize(right);
      this.releaseHist(node);
      return;
    }
    if (left.count < 2 * params.minSamplesLeaf) this.finalize(left);
    if (right.count < 2 * params.minSamplesLeaf) this.finalize(right);
    if (!left.isLeaf || !right.isLeaf) {
      const [small, large] = left.count < right.count ? [left, right] : [right, left];
      small.hist = buf.hist.acquire();
      buf.hist.build(buf.partition + small.start * 4, small.count, buf.grad, small.hist);
      large.hist = buf.hist.acquire();
      buf.hist.subtract(node.hist!, small.hist, large.hist);
      if (!left.isLeaf) this.findSplitAndPush(left);
      if (!right.isLeaf) this.findSplitAndPush(right);
      for (const c of [left, right]) if (c.isLeaf) this.releaseHist(c);
    }
    this.releaseHist(node);
  }

  private releaseHist(node: GrowerNode): void {
    this.buf.hist.release(node.hist);
    node.hist = null;
  }
}
