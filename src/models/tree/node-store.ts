/**
 * The training-time tree: growable typed arrays that the grower appends nodes to. `finish()`
 * trims them into the prediction-time {@link FlatTree}.
 *
 * @module
 */

import { type FlatTree, TREE_LEAF, TREE_UNDEFINED } from './flat-tree.ts';

const reusable = new Map<number, NodeStore>();

/** Appendable node arrays (capacity doubles as needed). */
export class NodeStore {
  count = 0;
  maxDepth = 0;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  impurity: Float64Array;
  nNodeSamples: Int32Array;
  weighted: Float64Array;
  value: Float64Array;

  constructor(
    readonly stride: number,
    capacity = 64,
  ) {
    this.feature = new Int32Array(capacity);
    this.threshold = new Float64Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.impurity = new Float64Array(capacity);
    this.nNodeSamples = new Int32Array(capacity);
    this.weighted = new Float64Array(capacity);
    this.value = new Float64Array(capacity * stride);
  }

  /**
   * This thread's store for trees of `stride` values per node, emptied: the arrays of the last
   * tree grown here are reused (`finish` copies a tree out), so a forest does not re-grow them
   * tree after tree. One tree at a time per thread (growth is synchronous).
   */
  static forTree(stride: number): NodeStore {
    let s = reusable.get(stride);
    if (!s) {
      s = new NodeStore(stride, 1024);
      reusable.set(stride, s);
    }
    s.count = 0;
    s.maxDepth = 0;
    return s;
  }

  /** Doubles the capacity (a copy per array, each with its own constructor: no polymorphic call). */
  private grow(): void {
    const cap = this.feature.length * 2;
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const f64 = (a: Float64Array, n: number) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.feature = i32(this.feature);
    this.threshold = f64(this.threshold, cap);
    this.left = i32(this.left);
    this.right = i32(this.right);
    this.impurity = f64(this.impurity, cap);
    this.nNodeSamples = i32(this.nNodeSamples);
    this.weighted = f64(this.weighted, cap);
    this.value = f64(this.value, cap * this.stride);
  }

  /**
   * Appends a node and links it to its parent (`parent < 0` for the root). A split node gets its
   * children when they are added; until then its child slots read as leaves.
   */
  add(
    parent: number,
    isLeft: boolean,
    isLeaf: boolean,
    feature: number,
    threshold: number,
    impurity: number,
    nSamples: number,
    weighted: number,
  ): number {
    if (this.count === this.feature.length) this.grow();
    const id = this.count++;
    if (parent >= 0) {
      if (isLeft) this.left[parent] = id;
      else this.right[parent] = id;
    }
    this.left[id] = TREE_LEAF;
    this.right[id] = TREE_LEAF;
    this.feature[id] = isLeaf ? TREE_UNDEFINED : feature;
    this.threshold[id] = isLeaf ? TREE_UNDEFINED : threshold;
    this.impurity[id] = impurity;
    this.nNodeSamples[id] = nSamples;
    this.weighted[id] = weighted;
    return id;
  }

  /** Turns a provisional split node back into a leaf (best-first growth out of budget). */
  makeLeaf(id: number): void {
    this.left[id] = TREE_LEAF;
    this.right[id] = TREE_LEAF;
    this.feature[id] = TREE_UNDEFINED;
    this.threshold[id] = TREE_UNDEFINED;
  }

  /** The finished tree, with arrays trimmed to the node count. */
  finish(): FlatTree {
    const n = this.count;
    return {
      nodeCount: n,
      valueStride: this.stride,
      maxDepth: this.maxDepth,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      value: this.value.slice(0, n * this.stride),
      impurity: this.impurity.slice(0, n),
      nNodeSamples: this.nNodeSamples.slice(0, n),
      weightedNNodeSamples: this.weighted.slice(0, n),
    };
  }
}
