// Prediction kernel of random forests and extra trees, compiled to WebAssembly by
// scripts/build-wasm.mjs. src/models/ensemble/forest/packed-forest.ts packs a fitted forest once
// into a shared memory that every thread's instance of this module imports: nothing is copied per
// thread, and nothing here allocates.
//
// Layout (byte offsets chosen by the TypeScript side):
// - nodes: 16-byte records, breadth-first per tree, children adjacent:
//     internal node: threshold f64 | feature i32 | left child i32 (the right child is left + 1);
//     leaf:          NaN whose low 32 bits index the value table | LEAF | itself.
//   A row goes right when x > threshold. Every comparison with NaN is false, so a step from a leaf
//   stays on it and the walks below can take a fixed number of steps without branching.
// - values: the distinct leaf value vectors, K f64 each (class probabilities, or one regression
//   value); a fully grown classifier has few, so the table stays in cache.
// - roots, depths: per tree, the root's node index and the depth of its deepest leaf (i32).
//
// The forest's mean for row i, class c, is (Σ over trees t in order, from 0, of the value of class c
// at the leaf row i reaches in t) / nTrees — the order and operations of the TypeScript twin
// (`addForestRowsTs`) and of scikit-learn's mean, so that all give the same bits.

const LEAF: i32 = 1 << 28;
const FEATURE_MASK: i32 = (1 << 28) - 1;

/** End of the module's static data: the TypeScript side packs forests above it. */
export function heapBase(): usize {
  return __heap_base;
}

// @ts-ignore: decorator
@inline
function step(rec: usize, row: usize): i32 {
  const fl = load<i32>(rec, 8);
  const x = load<f64>(row + (<usize>(fl & FEATURE_MASK) << 3));
  return load<i32>(rec, 12) + i32(x > load<f64>(rec));
}

// @ts-ignore: decorator
@inline
function addLeaf(out: usize, i: i32, nodes: usize, values: usize, node: i32, K: i32): void {
  const v = values + ((<usize>load<u32>(nodes + (<usize>node << 4)) * <usize>K) << 3);
  const p = out + ((<usize>i * <usize>K) << 3);
  for (let c = 0; c < K; c++) {
    const o = <usize>c << 3;
    store<f64>(p + o, load<f64>(p + o) + load<f64>(v + o));
  }
}

/**
 * Adds, for rows [0, nRows) of the row-major f64 matrix X (d columns), the leaf values of trees
 * [t0, t1) to `out` (row-major, K values per row), tree after tree. Each tree walks all rows, eight
 * at a time in a fixed number of branch-free steps (two per leaf check), so that eight independent
 * walks hide each other's memory latency. The caller zeroes `out` before the first tree and divides
 * by the tree count after the last; it calls this for a few trees at a time, so that V8's optimised
 * code (swapped in between calls, never during one) takes over from the baseline code early.
 */
export function addTrees(
  X: usize,
  nRows: i32,
  d: i32,
  nodes: usize,
  values: usize,
  treeRoot: usize,
  treeDepth: usize,
  t0: i32,
  t1: i32,
  K: i32,
  out: usize,
): void {
  const rowBytes = <usize>d << 3;
  for (let t = t0; t < t1; t++) {
    const root = load<i32>(treeRoot + (<usize>t << 2));
    const depth = load<i32>(treeDepth + (<usize>t << 2));
    let i = 0;
    for (; i + 8 <= nRows; i += 8) {
      const r0 = X + <usize>i * rowBytes;
      const r1 = r0 + rowBytes;
      const r2 = r1 + rowBytes;
      const r3 = r2 + rowBytes;
      const r4 = r3 + rowBytes;
      const r5 = r4 + rowBytes;
      const r6 = r5 + rowBytes;
      const r7 = r6 + rowBytes;
      let n0 = root;
      let n1 = root;
      let n2 = root;
      let n3 = root;
      let n4 = root;
      let n5 = root;
      let n6 = root;
      let n7 = root;
      for (let s = 0; s < depth; s += 2) {
        n0 = step(nodes + (<usize>n0 << 4), r0);
        n1 = step(nodes + (<usize>n1 << 4), r1);
        n2 = step(nodes + (<usize>n2 << 4), r2);
        n3 = step(nodes + (<usize>n3 << 4), r3);
        n4 = step(nodes + (<usize>n4 << 4), r4);
        n5 = step(nodes + (<usize>n5 << 4), r5);
        n6 = step(nodes + (<usize>n6 << 4), r6);
        n7 = step(nodes + (<usize>n7 << 4), r7);
        n0 = step(nodes + (<usize>n0 << 4), r0);
        n1 = step(nodes + (<usize>n1 << 4), r1);
        n2 = step(nodes + (<usize>n2 << 4), r2);
        n3 = step(nodes + (<usize>n3 << 4), r3);
        n4 = step(nodes + (<usize>n4 << 4), r4);
        n5 = step(nodes + (<usize>n5 << 4), r5);
        n6 = step(nodes + (<usize>n6 << 4), r6);
        n7 = step(nodes + (<usize>n7 << 4), r7);
        const all =
          load<i32>(nodes + (<usize>n0 << 4), 8) &
          load<i32>(nodes + (<usize>n1 << 4), 8) &
          load<i32>(nodes + (<usize>n2 << 4), 8) &
          load<i32>(nodes + (<usize>n3 << 4), 8) &
          load<i32>(nodes + (<usize>n4 << 4), 8) &
          load<i32>(nodes + (<usize>n5 << 4), 8) &
          load<i32>(nodes + (<usize>n6 << 4), 8) &
          load<i32>(nodes + (<usize>n7 << 4), 8);
        if (all & LEAF) break;
      }
      addLeaf(out, i, nodes, values, n0, K);
      addLeaf(out, i + 1, nodes, values, n1, K);
      addLeaf(out, i + 2, nodes, values, n2, K);
      addLeaf(out, i + 3, nodes, values, n3, K);
      addLeaf(out, i + 4, nodes, values, n4, K);
      addLeaf(out, i + 5, nodes, values, n5, K);
      addLeaf(out, i + 6, nodes, values, n6, K);
      addLeaf(out, i + 7, nodes, values, n7, K);
    }
    for (; i < nRows; i++) {
      const r0 = X + <usize>i * rowBytes;
      let n0 = root;
      for (let s = 0; s < depth; s++) {
        n0 = step(nodes + (<usize>n0 << 4), r0);
        if (load<i32>(nodes + (<usize>n0 << 4), 8) & LEAF) break;
      }
      addLeaf(out, i, nodes, values, n0, K);
    }
  }
}

// Packing ---------------------------------------------------------------------------------------
// The twin of packForest's loop in packed-forest.ts: one call per tree, breadth-first, with the
// table of distinct leaf value vectors kept here between calls (its hash slots at `slots`, zero =
// empty, else index + 1). Indices go to vectors in order of first appearance, as in the
// TypeScript table, and past `maxSlots / 2` vectors new ones are stored without being indexed
// (the TypeScript table's bound), so both write the same bytes.

const LEAF_NAN_HI: i32 = 0x7ff80000;
const TREE_LEAF: i32 = -1;

let tValues: usize = 0;
let tK: i32 = 1;
let tSlots: usize = 0;
let tMask: u32 = 0;
let tMaxSlots: i32 = 0;
let tSize: i32 = 0;
let tFull: bool = false;
let tMaxFeature: i32 = -1;
let tLeaf: usize = 0;

/**
 * Starts a table of leaf vectors (K f64 each) at `values`, hashed into `nSlots` (a power of two,
 * zeroed) i32 slots at `slots`; `maxSlots` is the TypeScript table's bound; `leaf` is scratch for
 * one vector (K f64).
 */
export function packStart(values: usize, K: i32, slots: usize, nSlots: i32, maxSlots: i32, leaf: usize): void {
  tValues = values;
  tK = K;
  tSlots = slots;
  tMask = <u32>nSlots - 1;
  tMaxSlots = maxSlots;
  tSize = 0;
  tFull = false;
  tMaxFeature = -1;
  tLeaf = leaf;
}

/** Distinct vectors in the table so far. */
export function packValueCount(): i32 {
  return tSize;
}

/** Largest split feature packed so far (-1: none). */
export function packMaxFeature(): i32 {
  return tMaxFeature;
}

function vectorHash(p: usize, words: i32): u32 {
  let h: u32 = 0x9e3779b9;
  for (let w = 0; w < words; w++) h = (h ^ load<u32>(p + (<usize>w << 2))) * 0x85ebca6b ^ (h >>> 13);
  return (h ^ (h >>> 16)) * 0xc2b2ae35;
}

/** Index of the vector at tLeaf in the table, added if new (see the table's rules above). */
function valueIndex(): i32 {
  const words = tK * 2;
  const bytes = <usize>tK << 3;
  let s = vectorHash(tLeaf, words) & tMask;
  let e = load<i32>(tSlots + (<usize>s << 2)) - 1;
  while (e >= 0) {
    if (memory.compare(tValues + <usize>e * bytes, tLeaf, bytes) == 0) return e;
    s = (s + 1) & tMask;
    e = load<i32>(tSlots + (<usize>s << 2)) - 1;
  }
  const idx = tSize++;
  memory.copy(tValues + <usize>idx * bytes, tLeaf, bytes);
  if (tFull) return idx;
  store<i32>(tSlots + (<usize>s << 2), idx + 1);
  if (tSize * 2 > tMaxSlots) tFull = true;
  return idx;
}

/**
 * Packs tree `t` (its arrays at left, right, feature: i32; threshold: f64; value: K f64 per node)
 * as node records from node index `base`, breadth-first, children adjacent; leaf vectors
 * normalised to sum to one when `classification`. Writes the tree's root and depth; `queue` and
 * `depthAt` are scratch of the tree's node count (i32). Returns the next free node index.
 */
export function packTree(
  t: i32,
  left: usize,
  right: usize,
  feature: usize,
  threshold: usize,
  value: usize,
  classification: bool,
  nodes: usize,
  roots: usize,
  depths: usize,
  base: i32,
  queue: usize,
  depthAt: usize,
): i32 {
  const K = tK;
  store<i32>(roots + (<usize>t << 2), base);
  store<i32>(queue, 0);
  store<i32>(depthAt, 0);
  let deepest = 0;
  let tail = 1;
  let next = base + 1;
  for (let q = 0; q < tail; q++) {
    const old = load<i32>(queue + (<usize>q << 2));
    const rec = nodes + (<usize>(base + q) << 4);
    if (load<i32>(left + (<usize>old << 2)) == TREE_LEAF) {
      const v = value + ((<usize>old * <usize>K) << 3);
      if (classification) {
        let s: f64 = 0;
        for (let c = 0; c < K; c++) s += load<f64>(v + (<usize>c << 3));
        for (let c = 0; c < K; c++) store<f64>(tLeaf + (<usize>c << 3), s > 0 ? load<f64>(v + (<usize>c << 3)) / s : 0);
      } else memory.copy(tLeaf, v, <usize>K << 3);
      store<i32>(rec, valueIndex());
      store<i32>(rec, LEAF_NAN_HI, 4);
      store<i32>(rec, LEAF, 8);
      store<i32>(rec, base + q, 12);
      continue;
    }
    const f = load<i32>(feature + (<usize>old << 2));
    if (f > tMaxFeature) tMaxFeature = f;
    store<f64>(rec, load<f64>(threshold + (<usize>old << 3)));
    store<i32>(rec, f, 8);
    store<i32>(rec, next, 12);
    next += 2;
    const dd = load<i32>(depthAt + (<usize>q << 2)) + 1;
    if (dd > deepest) deepest = dd;
    store<i32>(depthAt + (<usize>tail << 2), dd);
    store<i32>(queue + (<usize>tail << 2), load<i32>(left + (<usize>old << 2)));
    tail++;
    store<i32>(depthAt + (<usize>tail << 2), dd);
    store<i32>(queue + (<usize>tail << 2), load<i32>(right + (<usize>old << 2)));
    tail++;
  }
  store<i32>(depths + (<usize>t << 2), deepest);
  return next;
}
