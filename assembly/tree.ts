// Grows one CART tree depth-first with the exhaustive ("best") splitter — every node's candidate
// features sorted on the spot from dense ranks (sort mode), or every feature's rows kept in sorted
// lists partitioned at each split (lists mode) — or with the random splitter of extra trees (random
// mode): the WebAssembly twin of those paths of `Grower` in src/models/tree/grower.ts, for the gini, entropy and squared-error criteria (the
// logarithms are ports of those V8 runs for Math.log and Math.log2, see _fdlibm.ts). Compiled to
// build/wasm/tree.wasm by scripts/build-wasm.mjs and driven by src/models/tree/grower-wasm.ts.
//
// Why a twin: a forest grows trees on several threads, and V8 compiles the JavaScript grower
// separately on each thread (the first tree of a fresh thread takes ~25× a warm one), while
// WebAssembly code is compiled once per process, fast from the first call. Same operations on the
// same values in the same order as the TypeScript grower (WebAssembly has no fused multiply-add),
// and the same xoshiro128** stream as `Rng.int`: the trees are identical, bit for bit.
//
// Memory (byte offsets, all chosen by `setup`/`setData`): the data — dense ranks (d × n i32,
// feature-major), each feature's distinct values (f64) and their starts (d + 1 i32), the "close
// values" flags (d u8), class codes (n i32) or targets (n f64), in lists mode each feature's sort
// order (d × n i32), the tree's row weights (n f64) —
// and, from `base`, this tree's working arrays and its output node arrays, sized for `cap` rows.

import { fdlibmLog, fdlibmLog2 } from './_fdlibm';

const FEATURE_THRESHOLD: f64 = 1e-7;
const EPSILON: f64 = 2.220446049250313e-16;
const INSERTION_MAX: i32 = 16;
const RADIX_BITS: i32 = 11;
const TREE_LEAF: i32 = -1;
const TREE_UNDEFINED: i32 = -2;
/** Bytes per growth-stack entry: start, end, depth, parent, isLeft, nConst (i32) and impurity (f64). */
const STACK_ENTRY: usize = 32;
/**
 * Bytes per best-first frontier record: nodeId, start, end, pos, depth, isLeaf (i32), then
 * impurityLeft, impurityRight, improvement (f64).
 */
const FRONTIER_ENTRY: usize = 48;

/** End of the module's static data: the TypeScript side lays its arrays out above it. */
export function heapBase(): usize {
  return __heap_base;
}

// Data.
let n: i32 = 0;
let d: i32 = 0;
let k: i32 = 1;
let clf: bool = true;
let rank: usize = 0;
let distinct: usize = 0;
let distinctStart: usize = 0;
let closeValues: usize = 0;
let yCode: usize = 0;
let yValue: usize = 0;
/** Each feature's rows in value order (d × n i32), for lists mode; 0 in sort mode. */
let order: usize = 0;
/**
 * Lists mode (the TypeScript grower's maintained sorted lists, for nodes too large to sort on the
 * spot — here every node): each feature's node positions (P) and dense ranks (R) in value order,
 * d × m, partitioned stably at every split. Otherwise every node sorts its candidates (sort mode).
 */
let lists: bool = false;
/**
 * Random mode (the random splitter of extra trees): one threshold drawn uniformly between each
 * candidate's smallest and largest value in the node, read from the column-major features (Xc).
 */
let random: bool = false;
let Xc: usize = 0;

// Options.
let maxDepth: i32 = 0;
let minSamplesLeaf: i32 = 1;
let minSamplesSplit: i32 = 2;
let minWeightFractionLeaf: f64 = 0;
let maxFeatures: i32 = 1;
let minImpurityDecrease: f64 = 0;
/** Best-first growth with at most this many leaves; 0: depth-first. */
let maxLeafNodes: i32 = 0;
/** Classification criterion: entropy (else gini). */
let entropy: bool = false;

// Working arrays (see setup).
let ids: usize = 0;
let W: usize = 0;
let Y: usize = 0;
let Yv: usize = 0;
let tI: usize = 0;
let tW: usize = 0;
let tY: usize = 0;
let tYv: usize = 0;
let gR: usize = 0;
let sR: usize = 0;
let tR2: usize = 0;
let tI2: usize = 0;
let sP: usize = 0;
let bestP: usize = 0;
let counts: usize = 0;
let features: usize = 0;
let constantFeatures: usize = 0;
let nodeCnt: usize = 0;
let cntL: usize = 0;
let cntR: usize = 0;
let stack: usize = 0;
/** Best-first growth: frontier records (FRONTIER_ENTRY bytes each) and a max-heap of their indices. */
let frontier: usize = 0;
let heap: usize = 0;
let P: usize = 0;
let R: usize = 0;
let newPos: usize = 0;
let tP: usize = 0;
let tR: usize = 0;
let posOf: usize = 0;
let xf: usize = 0;
let randMin: f64 = 0;
/** i·log i for i = 0..xlogxTop (xlogxTop < 0: not filled yet). */
let xlogxTable: usize = 0;
let xlogxTop: f64 = -1;
let randMax: f64 = 0;

// Output nodes.
let oFeature: usize = 0;
let oThreshold: usize = 0;
let oLeft: usize = 0;
let oRight: usize = 0;
let oImpurity: usize = 0;
let oSamples: usize = 0;
let oWeighted: usize = 0;
let oValue: usize = 0;
let nodeCount: i32 = 0;
let treeDepth: i32 = 0;

// xoshiro128** state (core/rng.ts).
let s0: u32 = 0;
let s1: u32 = 0;
let s2: u32 = 0;
let s3: u32 = 1;

// Tree and node state.
let m: i32 = 0;
let totalWeight: f64 = 0;
let minWeightLeaf: f64 = 0;
let nodeW: f64 = 0;
let nodeSum: f64 = 0;
let nodeSumSq: f64 = 0;
let bFeature: i32 = -1;
let bPos: i32 = 0;
let bThreshold: f64 = 0;
let bProxy: f64 = -Infinity;
let bImpL: f64 = Infinity;
let bImpR: f64 = Infinity;
let bImprovement: f64 = 0;
let nConstOut: i32 = 0;

// @ts-ignore: decorator
@inline
function align16(v: usize): usize {
  return (v + 15) & ~(<usize>15);
}

// @ts-ignore: decorator
@inline
function i32At(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline
function setI32(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}

// @ts-ignore: decorator
@inline
function f64At(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline
function setF64(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}

/** Widest rank range a node of `len` rows counting-sorts over (else radix sort). */
// @ts-ignore: decorator
@inline
function countLimit(len: i32): i32 {
  return 2 * len + 256;
}

/**
 * Bytes `setup` lays out from its base for trees of up to `cap` rows, d features, K values, in
 * `mode` 0 (sort), 1 (lists) or 2 (random).
 */
export function layoutBytes(cap: i32, dd: i32, K: i32, mode: i32): usize {
  return setupAt(0, cap, dd, K, mode, false);
}

/**
 * Lays the working and output arrays out from `base` (16-byte aligned) for up to `cap` rows, and
 * picks the mode: 0 sort, 1 lists (needs `order` in setData), 2 random (needs `xc`).
 */
export function setup(base: usize, cap: i32, dd: i32, K: i32, mode: i32): void {
  setupAt(base, cap, dd, K, mode, true);
}

let layoutAt: usize = 0;

/** The next region of `bytes` bytes (16-byte aligned) of the layout being made. */
function take(bytes: usize): usize {
  const p = layoutAt;
  layoutAt = align16(layoutAt + bytes);
  return p;
}

function setupAt(base: usize, cap: i32, dd: i32, K: i32, mode: i32, assign: bool): usize {
  const withLists = mode == 1;
  const c = <usize>cap;
  layoutAt = align16(base);
  // At most 2·cap − 1 nodes: every leaf holds a row.
  const nodes = <usize>(2 * cap + 1);
  const p0 = take(c << 2);
  const p1 = take(c << 3);
  const p2 = take(c << 2);
  const p3 = take(c << 3);
  const p4 = take(c << 2);
  const p5 = take(c << 3);
  const p6 = take(c << 2);
  const p7 = take(c << 3);
  const p8 = take(c << 2);
  const p9 = take(c << 2);
  const p10 = take(c << 2);
  const p11 = take(c << 2);
  const p12 = take(c << 2);
  const p13 = take(c << 2);
  const p14 = take((<usize>max(countLimit(cap), 1 << RADIX_BITS) + 1) << 2);
  const p15 = take(<usize>dd << 2);
  const p16 = take(<usize>dd << 2);
  const p17 = take(<usize>K << 3);
  const p18 = take(<usize>K << 3);
  const p19 = take(<usize>K << 3);
  const p20 = take((c + 2) * STACK_ENTRY);
  const p21 = take((2 * c + 2) * FRONTIER_ENTRY);
  const p22 = take((2 * c + 2) << 2);
  const q0 = take(nodes << 2);
  const q1 = take(nodes << 3);
  const q2 = take(nodes << 2);
  const q3 = take(nodes << 2);
  const q4 = take(nodes << 3);
  const q5 = take(nodes << 2);
  const q6 = take(nodes << 3);
  const q7 = take((nodes * <usize>K) << 3);
  const l = withLists ? c : 0;
  const r0 = take((<usize>dd * l) << 2);
  const r1 = take((<usize>dd * l) << 2);
  const r2 = take(l << 2);
  const r3 = take(l << 2);
  const r4 = take(l << 2);
  const r5 = take(l << 2);
  const r6 = take(mode == 2 ? c << 3 : 0);
  const r7 = take((c + 1) << 3);
  if (assign) {
    lists = withLists;
    random = mode == 2;
    xf = r6;
    xlogxTable = r7;
    xlogxTop = -1;
    P = r0;
    R = r1;
    newPos = r2;
    tP = r3;
    tR = r4;
    posOf = r5;
    ids = p0;
    W = p1;
    Y = p2;
    Yv = p3;
    tI = p4;
    tW = p5;
    tY = p6;
    tYv = p7;
    gR = p8;
    sR = p9;
    tR2 = p10;
    tI2 = p11;
    sP = p12;
    bestP = p13;
    counts = p14;
    features = p15;
    constantFeatures = p16;
    nodeCnt = p17;
    cntL = p18;
    cntR = p19;
    stack = p20;
    frontier = p21;
    heap = p22;
    oFeature = q0;
    oThreshold = q1;
    oLeft = q2;
    oRight = q3;
    oImpurity = q4;
    oSamples = q5;
    oWeighted = q6;
    oValue = q7;
  }
  return layoutAt - base;
}

/**
 * The training data: n rows, dd features, K classes (isClf) or 1 (regression), and the byte
 * offsets of the dense ranks, distinct values, their starts, the close-values flags and the class
 * codes (isClf) or targets.
 */
export function setData(
  nn: i32,
  dd: i32,
  K: i32,
  isClf: bool,
  rankAt: usize,
  distinctAt: usize,
  distinctStartAt: usize,
  closeAt: usize,
  yAt: usize,
  orderAt: usize,
  xcAt: usize,
): void {
  n = nn;
  d = dd;
  k = K;
  clf = isClf;
  rank = rankAt;
  distinct = distinctAt;
  distinctStart = distinctStartAt;
  closeValues = closeAt;
  yCode = isClf ? yAt : 0;
  yValue = isClf ? 0 : yAt;
  order = orderAt;
  Xc = xcAt;
}

/**
 * Growth settings, resolved as `GrowOptions` (minSamplesSplit already ≥ 2·minSamplesLeaf); `crit`:
 * 0 gini, 1 entropy (classification; ignored for regression, always squared error); `mln`:
 * maxLeafNodes (0: depth-first, unbounded; else best-first with at most that many leaves).
 */
export function setOptions(
  crit: i32,
  depth: i32,
  msl: i32,
  mss: i32,
  mwfl: f64,
  mf: i32,
  mid: f64,
  mln: i32,
): void {
  maxLeafNodes = mln;
  entropy = crit == 1;
  maxDepth = depth;
  minSamplesLeaf = msl;
  minSamplesSplit = mss;
  minWeightFractionLeaf = mwfl;
  maxFeatures = mf;
  minImpurityDecrease = mid;
}

/** Byte offsets of the output node arrays (valid after `setup`), by index 0..7. */
export function outputAt(which: i32): usize {
  switch (which) {
    case 0:
      return oFeature;
    case 1:
      return oThreshold;
    case 2:
      return oLeft;
    case 3:
      return oRight;
    case 4:
      return oImpurity;
    case 5:
      return oSamples;
    case 6:
      return oWeighted;
    default:
      return oValue;
  }
}

/** Depth of the deepest leaf of the last tree grown. */
export function grownDepth(): i32 {
  return treeDepth;
}

/** Word `i` (0..3) of the random stream's state after the last tree. */
export function rngWord(i: i32): u32 {
  return i == 0 ? s0 : i == 1 ? s1 : i == 2 ? s2 : s3;
}

// @ts-ignore: decorator
@inline
function nextUint32(): u32 {
  const result = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  return result;
}

/** `Rng.int(bound)`: an unbiased integer in [0, bound) by rejection. */
function rngInt(bound: i32): i32 {
  if (bound == 1) return 0;
  const b = <u64>bound;
  const limit: u64 = 0x100000000 - (0x100000000 % b);
  let x = <u64>nextUint32();
  while (x >= limit) x = <u64>nextUint32();
  return <i32>(x % b);
}

/** `Rng.random()`: 53 random bits from two draws, uniform on [0, 1). */
function rngRandom(): f64 {
  const a = nextUint32() >>> 5;
  const b = nextUint32() >>> 6;
  return (<f64>a * 67108864.0 + <f64>b) / 9007199254740992.0;
}

/**
 * Grows a tree on the rows with weight > 0 (`weights`: n f64, or 0 for every row with weight 1),
 * the random stream starting at state (a, b, c, e). Returns the node count; the nodes are at
 * `outputAt`, the deepest leaf's depth at `grownDepth`, the stream's state at `rngWord`.
 */
export function grow(weights: usize, a: u32, b: u32, c: u32, e: u32): i32 {
  s0 = a;
  s1 = b;
  s2 = c;
  s3 = e;
  m = 0;
  totalWeight = 0;
  if (weights != 0) {
    for (let i = 0; i < n; i++) {
      const wi = f64At(weights, i);
      if (wi > 0) {
        m++;
        totalWeight += wi;
      }
    }
  } else {
    m = n;
    totalWeight = <f64>n;
  }
  if (lists) memory.fill(posOf, 0xff, <usize>n << 2);
  for (let i = 0, j = 0; i < n; i++) {
    const wi = weights != 0 ? f64At(weights, i) : 1.0;
    if (wi > 0) {
      if (lists) setI32(posOf, i, j);
      setI32(ids, j, i);
      setF64(W, j, wi);
      if (clf) setI32(Y, j, i32At(yCode, i));
      else setF64(Yv, j, f64At(yValue, i));
      j++;
    }
  }
  if (lists) {
    // Each feature's rows of the tree in value order, by node position and rank.
    for (let f = 0; f < d; f++) {
      const src = f * n;
      let j = f * m;
      for (let i = 0; i < n; i++) {
        const s = i32At(order, src + i);
        const q = i32At(posOf, s);
        if (q >= 0) {
          setI32(P, j, q);
          setI32(R, j, i32At(rank, src + s));
          j++;
        }
      }
    }
  }
  for (let j = 0; j < d; j++) {
    setI32(features, j, j);
    setI32(constantFeatures, j, 0);
  }
  minWeightLeaf = minWeightFractionLeaf * totalWeight;
  if (entropy && xlogxTop < 0) fillXlogx();
  nodeCount = 0;
  treeDepth = 0;
  if (maxLeafNodes > 0) growBestFirst();
  else growDepthFirst();
  return nodeCount;
}

function pushNode(sp: i32, start: i32, end: i32, depth: i32, parent: i32, isLeft: i32, impurity: f64, nConst: i32): void {
  const e = stack + <usize>sp * STACK_ENTRY;
  store<i32>(e, start);
  store<i32>(e, end, 4);
  store<i32>(e, depth, 8);
  store<i32>(e, parent, 12);
  store<i32>(e, isLeft, 16);
  store<i32>(e, nConst, 20);
  store<f64>(e, impurity, 24);
}

function growDepthFirst(): void {
  let sp = 0;
  pushNode(sp++, 0, m, 0, -1, 0, Infinity, 0);
  let first = true;
  while (sp > 0) {
    const e = stack + <usize>--sp * STACK_ENTRY;
    const start = load<i32>(e);
    const end = load<i32>(e, 4);
    const depth = load<i32>(e, 8);
    const parent = load<i32>(e, 12);
    const isLeft = load<i32>(e, 16);
    const nConst = load<i32>(e, 20);
    let impurity = load<f64>(e, 24);
    const nNode = end - start;
    nodeReset(start, end);
    let isLeaf =
      depth >= maxDepth ||
      nNode < minSamplesSplit ||
      nNode < 2 * minSamplesLeaf ||
      nodeW < 2 * minWeightLeaf;
    if (first) {
      impurity = nodeImpurity();
      first = false;
    }
    isLeaf = isLeaf || impurity <= EPSILON;
    let nConstNext = nConst;
    if (!isLeaf) {
      nodeSplit(start, end, impurity, nConst, true);
      nConstNext = nConstOut;
      isLeaf = bPos >= end || bImprovement + EPSILON < minImpurityDecrease;
    }
    const id = addNode(parent, isLeft, isLeaf, impurity, nNode);
    if (!isLeaf) {
      const pos = bPos;
      pushNode(sp++, pos, end, depth + 1, id, 0, bImpR, nConstNext);
      pushNode(sp++, start, pos, depth + 1, id, 1, bImpL, nConstNext);
    }
    if (depth > treeDepth) treeDepth = depth;
  }
}

function addNode(parent: i32, isLeft: i32, isLeaf: bool, impurity: f64, nSamples: i32): i32 {
  const id = nodeCount++;
  if (parent >= 0) {
    if (isLeft) setI32(oLeft, parent, id);
    else setI32(oRight, parent, id);
  }
  setI32(oLeft, id, TREE_LEAF);
  setI32(oRight, id, TREE_LEAF);
  setI32(oFeature, id, isLeaf ? TREE_UNDEFINED : bFeature);
  setF64(oThreshold, id, isLeaf ? <f64>TREE_UNDEFINED : bThreshold);
  setF64(oImpurity, id, impurity);
  setI32(oSamples, id, nSamples);
  setF64(oWeighted, id, nodeW);
  if (clf) memory.copy(oValue + ((<usize>id * <usize>k) << 3), nodeCnt, <usize>k << 3);
  else setF64(oValue, id, nodeSum / nodeW);
  return id;
}

// Best-first growth (maxLeafNodes) -------------------------------------------------------------

/** Whether frontier record a comes before b: larger improvement, ties to the earlier node. */
// @ts-ignore: decorator
@inline
function before(a: i32, b: i32): bool {
  const ra = frontier + <usize>a * FRONTIER_ENTRY;
  const rb = frontier + <usize>b * FRONTIER_ENTRY;
  const ia = load<f64>(ra, 40);
  const ib = load<f64>(rb, 40);
  return ia > ib || (ia == ib && load<i32>(ra) < load<i32>(rb));
}

function heapPush(size: i32, rec: i32): i32 {
  setI32(heap, size, rec);
  let i = size;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!before(i32At(heap, i), i32At(heap, p))) break;
    const t = i32At(heap, i);
    setI32(heap, i, i32At(heap, p));
    setI32(heap, p, t);
    i = p;
  }
  return size + 1;
}

/** Removes the top of a heap of `size` records (the caller reads it first); returns the new size. */
function heapPop(size: i32): i32 {
  const n1 = size - 1;
  if (n1 > 0) {
    setI32(heap, 0, i32At(heap, n1));
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let b = i;
      if (l < n1 && before(i32At(heap, l), i32At(heap, b))) b = l;
      if (r < n1 && before(i32At(heap, r), i32At(heap, b))) b = r;
      if (b == i) break;
      const t = i32At(heap, i);
      setI32(heap, i, i32At(heap, b));
      setI32(heap, b, t);
      i = b;
    }
  }
  return n1;
}

/** Grower.addSplitNode: a node's split (or leaf) as frontier record `rec`. */
function addSplitNode(rec: i32, start: i32, end: i32, impurityIn: f64, isFirst: bool, isLeft: i32, parent: i32, depth: i32): void {
  let impurity = impurityIn;
  const nNode = end - start;
  nodeReset(start, end);
  if (isFirst) impurity = nodeImpurity();
  let isLeaf =
    depth >= maxDepth ||
    nNode < minSamplesSplit ||
    nNode < 2 * minSamplesLeaf ||
    nodeW < 2 * minWeightLeaf ||
    impurity <= EPSILON;
  if (!isLeaf) {
    nodeSplit(start, end, impurity, 0, false);
    isLeaf = bPos >= end || bImprovement + EPSILON < minImpurityDecrease;
  }
  const id = addNode(parent, isLeft, isLeaf, impurity, nNode);
  const e = frontier + <usize>rec * FRONTIER_ENTRY;
  store<i32>(e, id);
  store<i32>(e, start, 4);
  store<i32>(e, end, 8);
  store<i32>(e, isLeaf ? end : bPos, 12);
  store<i32>(e, depth, 16);
  store<i32>(e, isLeaf ? 1 : 0, 20);
  store<f64>(e, isLeaf ? Infinity : bImpL, 24);
  store<f64>(e, isLeaf ? Infinity : bImpR, 32);
  store<f64>(e, isLeaf ? 0 : bImprovement, 40);
}

function growBestFirst(): void {
  let size = 0;
  let records = 0;
  let maxSplitNodes = maxLeafNodes - 1;
  addSplitNode(records, 0, m, Infinity, true, 0, -1, 0);
  size = heapPush(size, records++);
  while (size > 0) {
    const top = i32At(heap, 0);
    size = heapPop(size);
    const e = frontier + <usize>top * FRONTIER_ENTRY;
    const nodeId = load<i32>(e);
    const depth = load<i32>(e, 16);
    if (load<i32>(e, 20) != 0 || maxSplitNodes <= 0) {
      // NodeStore.makeLeaf
      setI32(oLeft, nodeId, TREE_LEAF);
      setI32(oRight, nodeId, TREE_LEAF);
      setI32(oFeature, nodeId, TREE_UNDEFINED);
      setF64(oThreshold, nodeId, <f64>TREE_UNDEFINED);
    } else {
      maxSplitNodes--;
      const d1 = depth + 1;
      const start = load<i32>(e, 4);
      const end = load<i32>(e, 8);
      const pos = load<i32>(e, 12);
      const impL = load<f64>(e, 24);
      const impR = load<f64>(e, 32);
      addSplitNode(records, start, pos, impL, false, 1, nodeId, d1);
      size = heapPush(size, records++);
      addSplitNode(records, pos, end, impR, false, 0, nodeId, d1);
      size = heapPush(size, records++);
    }
    if (depth > treeDepth) treeDepth = depth;
  }
}

/**
 * The weight of each class among rows [start, end) into `dst` (k f64, zeroed first), added in row
 * order; returns their total weight, added in the same order.
 */
// @ts-ignore: decorator
@inline
function classTotals(dst: usize, start: i32, end: i32): f64 {
  memory.fill(dst, 0, <usize>k << 3);
  let w: f64 = 0;
  for (let i = start; i < end; i++) {
    const ww = f64At(W, i);
    const c = i32At(Y, i);
    setF64(dst, c, f64At(dst, c) + ww);
    w += ww;
  }
  return w;
}

function nodeReset(start: i32, end: i32): void {
  let wSum: f64 = 0;
  if (clf) {
    wSum = classTotals(nodeCnt, start, end);
  } else {
    let sum: f64 = 0;
    let sq: f64 = 0;
    for (let i = start; i < end; i++) {
      const ww = f64At(W, i);
      const v = f64At(Yv, i);
      sum += ww * v;
      sq += ww * v * v;
      wSum += ww;
    }
    nodeSum = sum;
    nodeSumSq = sq;
  }
  nodeW = wSum;
  bFeature = -1;
  bThreshold = 0;
  bPos = end;
}

function nodeImpurity(): f64 {
  if (!clf) {
    const mean = nodeSum / nodeW;
    return nodeSumSq / nodeW - mean * mean;
  }
  return classImpurity(nodeCnt, nodeW);
}

function classImpurity(cnt: usize, wSum: f64): f64 {
  if (!entropy) return giniImpurity(cnt, wSum);
  let e: f64 = 0;
  for (let c = 0; c < k; c++) {
    const q = f64At(cnt, c);
    if (q > 0) {
      const pr = q / wSum;
      e -= pr * fdlibmLog2(pr);
    }
  }
  return e;
}

/**
 * x·log x (0 at 0), as the TypeScript grower's xlogx. Weighted class counts are whole numbers
 * when the weights are (bootstrap counts): those up to the row count are looked up in a table of
 * the same products (the same bits, without a logarithm per row and candidate).
 */
// @ts-ignore: decorator
@inline
function xlogx(x: f64): f64 {
  if (x <= xlogxTop) {
    const i = <i32>x;
    if (<f64>i == x) return f64At(xlogxTable, i);
  }
  return x > 0 ? x * fdlibmLog(x) : 0;
}

/** Fills the x·log x table for 0..n (once per layout). */
function fillXlogx(): void {
  setF64(xlogxTable, 0, 0);
  for (let i = 1; i <= n; i++) {
    const x = <f64>i;
    setF64(xlogxTable, i, x * fdlibmLog(x));
  }
  xlogxTop = <f64>n;
}

/** Math.log as the kernel computes it (for the tests that hold it to V8's). */
export function mathLog(x: f64): f64 {
  return fdlibmLog(x);
}

/** Math.log2 as the kernel computes it (for the tests that hold it to V8's). */
export function mathLog2(x: f64): f64 {
  return fdlibmLog2(x);
}

function giniImpurity(cnt: usize, wSum: f64): f64 {
  let sq: f64 = 0;
  for (let c = 0; c < k; c++) {
    const v = f64At(cnt, c);
    sq += v * v;
  }
  return 1 - sq / (wSum * wSum);
}

function nodeSplit(start: i32, end: i32, impurity: f64, nKnownConst: i32, keepConst: bool): void {
  bProxy = -Infinity;
  bPos = end;
  bFeature = -1;
  let fI = d;
  let nVisited = 0;
  let nFoundConst = 0;
  let nDrawnConst = 0;
  let nTotalConst = nKnownConst;
  while (fI > nTotalConst && (nVisited < maxFeatures || nVisited <= nFoundConst + nDrawnConst)) {
    nVisited++;
    let fJ = nDrawnConst + rngInt(fI - nFoundConst - nDrawnConst);
    if (fJ < nKnownConst) {
      const t = i32At(features, nDrawnConst);
      setI32(features, nDrawnConst, i32At(features, fJ));
      setI32(features, fJ, t);
      nDrawnConst++;
      continue;
    }
    fJ += nFoundConst;
    const f = i32At(features, fJ);
    const isConst = random
      ? !randomCandidate(f, start, end)
      : lists
        ? sortedConstant(f, start, end)
        : !sortCandidate(f, start, end);
    if (isConst) {
      setI32(features, fJ, i32At(features, nTotalConst));
      setI32(features, nTotalConst, f);
      nFoundConst++;
      nTotalConst++;
      continue;
    }
    fI--;
    setI32(features, fJ, i32At(features, fI));
    setI32(features, fI, f);
    if (random) {
      evaluateRandom(f, start, end);
      continue;
    }
    const before = bProxy;
    const Pp = lists ? P + ((<usize>f * <usize>m + <usize>start) << 2) : sP;
    const Rp = lists ? R + ((<usize>f * <usize>m + <usize>start) << 2) : sR;
    if (clf) {
      if (entropy) scanEntropy(f, start, end, Pp, Rp);
      else scanGini(f, start, end, Pp, Rp);
    }
    else scanSquaredError(f, start, end, Pp, Rp);
    if (!lists && bProxy != before) {
      // This feature leads: keep its order for the partition.
      const t = bestP;
      bestP = sP;
      sP = t;
    }
  }
  if (bPos < end) {
    if (random) partitionRows(start, end);
    else if (lists) partitionSorted(start, end, keepConst ? nTotalConst : 0);
    else partitionByOrder(start, end);
    childrenImpurity(start, end, impurity);
  }
  for (let j = 0; j < nKnownConst; j++) setI32(features, j, i32At(constantFeatures, j));
  for (let j = 0; j < nFoundConst; j++) {
    setI32(constantFeatures, nKnownConst + j, i32At(features, nKnownConst + j));
  }
  nConstOut = nTotalConst;
}

function recordBest(f: i32, pos: i32, proxy: f64, ra: i32, rb: i32): void {
  bProxy = proxy;
  bFeature = f;
  bPos = pos;
  const vo = i32At(distinctStart, f);
  const xa = f64At(distinct, vo + ra);
  const xb = f64At(distinct, vo + rb);
  let t = xa / 2 + xb / 2;
  if (t == xb || t == Infinity || t == -Infinity) t = xa;
  bThreshold = t;
}

// The scans read the candidate's node positions and dense ranks in value order, from Pp and Rp
// (the node's first entry: sP/sR just sorted, or the feature's maintained lists at start);
// index j = i − start.

function scanGini(f: i32, start: i32, end: i32, Pp: usize, Rp: usize): void {
  let sqR: f64 = 0;
  for (let c = 0; c < k; c++) {
    const v = f64At(nodeCnt, c);
    setF64(cntL, c, 0);
    setF64(cntR, c, v);
    sqR += v * v;
  }
  let sqL: f64 = 0;
  let wL: f64 = 0;
  let wR = nodeW;
  let best = bProxy;
  const msl = minSamplesLeaf;
  const mwl = minWeightLeaf;
  const vo = i32At(distinctStart, f);
  const free = load<u8>(closeValues + <usize>f) == 0;
  const len = end - start;
  const lastJ = len - 1;
  let r = i32At(Rp, 0);
  for (let j = 0; j < lastJ; j++) {
    const q = i32At(Pp, j);
    const c = i32At(Y, q);
    const ww = f64At(W, q);
    const cl = f64At(cntL, c);
    setF64(cntL, c, cl + ww);
    sqL += ww * (2 * cl + ww);
    const cr = f64At(cntR, c);
    setF64(cntR, c, cr - ww);
    sqR += ww * (ww - 2 * cr);
    wL += ww;
    wR -= ww;
    const r2 = i32At(Rp, j + 1);
    if (
      r2 != r &&
      j + 1 >= msl &&
      lastJ - j >= msl &&
      wL >= mwl &&
      wR >= mwl &&
      (free || f64At(distinct, vo + r2) > f64At(distinct, vo + r) + FEATURE_THRESHOLD)
    ) {
      const proxy = sqL / wL + sqR / wR;
      if (proxy > best) {
        best = proxy;
        recordBest(f, start + j + 1, proxy, r, r2);
      }
    }
    r = r2;
  }
}

function scanEntropy(f: i32, start: i32, end: i32, Pp: usize, Rp: usize): void {
  let eR: f64 = 0;
  for (let c = 0; c < k; c++) {
    const v = f64At(nodeCnt, c);
    setF64(cntL, c, 0);
    setF64(cntR, c, v);
    eR += xlogx(v);
  }
  let eL: f64 = 0;
  let wL: f64 = 0;
  let wR = nodeW;
  let best = bProxy;
  const msl = minSamplesLeaf;
  const mwl = minWeightLeaf;
  const vo = i32At(distinctStart, f);
  const free = load<u8>(closeValues + <usize>f) == 0;
  const len = end - start;
  const lastJ = len - 1;
  let r = i32At(Rp, 0);
  for (let j = 0; j < lastJ; j++) {
    const q = i32At(Pp, j);
    const c = i32At(Y, q);
    const ww = f64At(W, q);
    const cl = f64At(cntL, c);
    const cr = f64At(cntR, c);
    const nl = cl + ww;
    const nr = cr - ww;
    setF64(cntL, c, nl);
    setF64(cntR, c, nr);
    eL += xlogx(nl) - xlogx(cl);
    eR += xlogx(nr) - xlogx(cr);
    wL += ww;
    wR -= ww;
    const r2 = i32At(Rp, j + 1);
    if (
      r2 != r &&
      j + 1 >= msl &&
      lastJ - j >= msl &&
      wL >= mwl &&
      wR >= mwl &&
      (free || f64At(distinct, vo + r2) > f64At(distinct, vo + r) + FEATURE_THRESHOLD)
    ) {
      // −(wL·H_L + wR·H_R) in nats, where w·H = w·log w − Σ c·log c.
      const proxy = eL - xlogx(wL) + eR - xlogx(wR);
      if (proxy > best) {
        best = proxy;
        recordBest(f, start + j + 1, proxy, r, r2);
      }
    }
    r = r2;
  }
}

function scanSquaredError(f: i32, start: i32, end: i32, Pp: usize, Rp: usize): void {
  let sumL: f64 = 0;
  let sumR = nodeSum;
  let wL: f64 = 0;
  let wR = nodeW;
  let best = bProxy;
  const msl = minSamplesLeaf;
  const mwl = minWeightLeaf;
  const vo = i32At(distinctStart, f);
  const free = load<u8>(closeValues + <usize>f) == 0;
  const len = end - start;
  const lastJ = len - 1;
  let r = i32At(Rp, 0);
  for (let j = 0; j < lastJ; j++) {
    const q = i32At(Pp, j);
    const ww = f64At(W, q);
    const v = ww * f64At(Yv, q);
    sumL += v;
    sumR -= v;
    wL += ww;
    wR -= ww;
    const r2 = i32At(Rp, j + 1);
    if (
      r2 != r &&
      j + 1 >= msl &&
      lastJ - j >= msl &&
      wL >= mwl &&
      wR >= mwl &&
      (free || f64At(distinct, vo + r2) > f64At(distinct, vo + r) + FEATURE_THRESHOLD)
    ) {
      const proxy = (sumL * sumL) / wL + (sumR * sumR) / wR;
      if (proxy > best) {
        best = proxy;
        recordBest(f, start + j + 1, proxy, r, r2);
      }
    }
    r = r2;
  }
}

// Random mode -----------------------------------------------------------------------------------

/** Gathers feature f's values of the node into xf; false when the feature is constant here. */
function randomCandidate(f: i32, start: i32, end: i32): bool {
  const xo = <usize>f * <usize>n;
  let lo = load<f64>(Xc + ((xo + <usize>i32At(ids, start)) << 3));
  let hi = lo;
  setF64(xf, start, lo);
  for (let i = start + 1; i < end; i++) {
    const v = load<f64>(Xc + ((xo + <usize>i32At(ids, i)) << 3));
    setF64(xf, i, v);
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  randMin = lo;
  randMax = hi;
  return !(hi <= lo + FEATURE_THRESHOLD);
}

/** Draws a threshold uniformly in (min, max) and keeps it if its split is the best so far. */
function evaluateRandom(f: i32, start: i32, end: i32): void {
  const lo = randMin;
  const hi = randMax;
  let t = lo + (hi - lo) * rngRandom();
  if (t == hi) t = lo;
  let nL = 0;
  let wL: f64 = 0;
  let proxy: f64;
  if (clf) {
    memory.fill(cntL, 0, <usize>k << 3);
    for (let i = start; i < end; i++) {
      const b: i32 = f64At(xf, i) <= t ? 1 : 0;
      const ww = <f64>b * f64At(W, i);
      nL += b;
      wL += ww;
      const c = i32At(Y, i);
      setF64(cntL, c, f64At(cntL, c) + ww);
    }
    const nR = end - start - nL;
    const wR = nodeW - wL;
    if (nL < minSamplesLeaf || nR < minSamplesLeaf) return;
    if (wL < minWeightLeaf || wR < minWeightLeaf) return;
    if (entropy) {
      let eL: f64 = 0;
      let eR: f64 = 0;
      for (let c = 0; c < k; c++) {
        eL += xlogx(f64At(cntL, c));
        eR += xlogx(f64At(nodeCnt, c) - f64At(cntL, c));
      }
      proxy = eL - xlogx(wL) + eR - xlogx(wR);
    } else {
      let sqL: f64 = 0;
      let sqR: f64 = 0;
      for (let c = 0; c < k; c++) {
        const l = f64At(cntL, c);
        sqL += l * l;
        const r = f64At(nodeCnt, c) - l;
        sqR += r * r;
      }
      proxy = sqL / wL + sqR / wR;
    }
  } else {
    let sum: f64 = 0;
    for (let i = start; i < end; i++) {
      const b: i32 = f64At(xf, i) <= t ? 1 : 0;
      const ww = <f64>b * f64At(W, i);
      nL += b;
      wL += ww;
      sum += ww * f64At(Yv, i);
    }
    const nR = end - start - nL;
    const wR = nodeW - wL;
    if (nL < minSamplesLeaf || nR < minSamplesLeaf) return;
    if (wL < minWeightLeaf || wR < minWeightLeaf) return;
    const sumR = nodeSum - sum;
    proxy = (sum * sum) / wL + (sumR * sumR) / wR;
  }
  if (proxy > bProxy) {
    bProxy = proxy;
    bFeature = f;
    bThreshold = t;
    bPos = start + nL;
  }
}

/** Partitions the node's rows by the chosen feature and threshold (random mode). */
function partitionRows(start: i32, end: i32): void {
  const xo = <usize>bFeature * <usize>n;
  const t = bThreshold;
  let p = start;
  let pe = end;
  while (p < pe) {
    if (load<f64>(Xc + ((xo + <usize>i32At(ids, p)) << 3)) <= t) p++;
    else {
      pe--;
      const ti = i32At(ids, p);
      setI32(ids, p, i32At(ids, pe));
      setI32(ids, pe, ti);
      const tw = f64At(W, p);
      setF64(W, p, f64At(W, pe));
      setF64(W, pe, tw);
      if (clf) {
        const ty = i32At(Y, p);
        setI32(Y, p, i32At(Y, pe));
        setI32(Y, pe, ty);
      } else {
        const ty = f64At(Yv, p);
        setF64(Yv, p, f64At(Yv, pe));
        setF64(Yv, pe, ty);
      }
    }
  }
}

// Lists mode ------------------------------------------------------------------------------------

function sortedConstant(f: i32, start: i32, end: i32): bool {
  const o = f * m;
  const vo = i32At(distinctStart, f);
  return f64At(distinct, vo + i32At(R, o + end - 1)) <= f64At(distinct, vo + i32At(R, o + start)) + FEATURE_THRESHOLD;
}

/**
 * Lists mode: reorders the node's positions so the left child is [start, bPos) in the best
 * feature's value order, moves the row data there, and stably partitions every other feature's
 * lists (from `skip` in the feature array: those below are constant in both children).
 */
function partitionSorted(start: i32, end: i32, skip: i32): void {
  const pos = bPos;
  const bf = bFeature;
  const ob = bf * m;
  for (let i = start; i < end; i++) setI32(newPos, i32At(P, ob + i), i);
  if (clf) {
    for (let q = start; q < end; q++) {
      const np = i32At(newPos, q);
      setI32(tI, np, i32At(ids, q));
      setF64(tW, np, f64At(W, q));
      setI32(tY, np, i32At(Y, q));
    }
    for (let q = start; q < end; q++) setI32(Y, q, i32At(tY, q));
  } else {
    for (let q = start; q < end; q++) {
      const np = i32At(newPos, q);
      setI32(tI, np, i32At(ids, q));
      setF64(tW, np, f64At(W, q));
      setF64(tYv, np, f64At(Yv, q));
    }
    for (let q = start; q < end; q++) setF64(Yv, q, f64At(tYv, q));
  }
  for (let q = start; q < end; q++) {
    setI32(ids, q, i32At(tI, q));
    setF64(W, q, f64At(tW, q));
  }
  for (let j = skip; j < d; j++) {
    const f = i32At(features, j);
    if (f == bf) continue;
    const o = f * m;
    let l = o + start;
    let r = 0;
    for (let i = o + start, e = o + end; i < e; i++) {
      const np = i32At(newPos, i32At(P, i));
      const v = i32At(R, i);
      const toLeft = <i32>(<u32>(np - pos) >>> 31);
      setI32(P, l, np);
      setI32(R, l, v);
      setI32(tP, r, np);
      setI32(tR, r, v);
      l += toLeft;
      r += 1 - toLeft;
    }
    for (let t = 0; t < r; t++, l++) {
      setI32(P, l, i32At(tP, t));
      setI32(R, l, i32At(tR, t));
    }
  }
  for (let i = start; i < end; i++) setI32(P, ob + i, i);
}

/**
 * Sorts the node's rows by feature f into sP (node positions) and sR (dense ranks): insertion sort
 * for a handful of rows, counting sort for a narrow rank range, else LSD radix sort. False, without
 * sorting, when the feature is constant in the node.
 */
function sortCandidate(f: i32, start: i32, end: i32): bool {
  const len = end - start;
  const ro = <usize>f * <usize>n;
  let lo = load<i32>(rank + ((ro + <usize>i32At(ids, start)) << 2));
  let hi = lo;
  setI32(gR, 0, lo);
  for (let i = 1; i < len; i++) {
    const r = load<i32>(rank + ((ro + <usize>i32At(ids, start + i)) << 2));
    setI32(gR, i, r);
    if (r < lo) lo = r;
    else if (r > hi) hi = r;
  }
  const vo = i32At(distinctStart, f);
  if (f64At(distinct, vo + hi) <= f64At(distinct, vo + lo) + FEATURE_THRESHOLD) return false;
  const range = hi - lo + 1;
  if (len <= INSERTION_MAX) {
    for (let i = 0; i < len; i++) {
      const r = i32At(gR, i);
      let j = i - 1;
      while (j >= 0 && i32At(sR, j) > r) {
        setI32(sR, j + 1, i32At(sR, j));
        setI32(sP, j + 1, i32At(sP, j));
        j--;
      }
      setI32(sR, j + 1, r);
      setI32(sP, j + 1, start + i);
    }
  } else if (range <= countLimit(len)) {
    memory.fill(counts, 0, <usize>(range + 1) << 2);
    for (let i = 0; i < len; i++) {
      const b = i32At(gR, i) - lo + 1;
      setI32(counts, b, i32At(counts, b) + 1);
    }
    for (let b = 1; b < range; b++) setI32(counts, b, i32At(counts, b) + i32At(counts, b - 1));
    for (let i = 0; i < len; i++) {
      const r = i32At(gR, i);
      const q = i32At(counts, r - lo);
      setI32(counts, r - lo, q + 1);
      setI32(sP, q, start + i);
      setI32(sR, q, r);
    }
  } else {
    radixSort(start, len, lo, range);
  }
  return true;
}

function radixSort(start: i32, len: i32, lo: i32, range: i32): void {
  const bits = 32 - clz<i32>(range - 1);
  // Fewest passes is not always cheapest: each pass also clears and sums 2^b counters.
  let passes = (bits + RADIX_BITS - 1) / RADIX_BITS;
  let b = (bits + passes - 1) / passes;
  let cost = <i64>passes * (<i64>(1 << b) + 3 * <i64>len);
  for (let p = passes + 1; p <= bits; p++) {
    const bp = (bits + p - 1) / p;
    const c = <i64>p * (<i64>(1 << bp) + 3 * <i64>len);
    if (c < cost) {
      cost = c;
      passes = p;
      b = bp;
    }
  }
  const buckets = 1 << b;
  const mask = buckets - 1;
  // Ping-pong so that the last pass writes sR/sP.
  const odd = passes % 2 == 1;
  let dR = odd ? sR : tR2;
  let dP = odd ? sP : tI2;
  let oR = odd ? tR2 : sR;
  let oP = odd ? tI2 : sP;
  memory.fill(counts, 0, <usize>(buckets + 1) << 2);
  for (let i = 0; i < len; i++) {
    const q = ((i32At(gR, i) - lo) & mask) + 1;
    setI32(counts, q, i32At(counts, q) + 1);
  }
  for (let j = 1; j < buckets; j++) setI32(counts, j, i32At(counts, j) + i32At(counts, j - 1));
  for (let i = 0; i < len; i++) {
    const key = i32At(gR, i) - lo;
    const q = i32At(counts, key & mask);
    setI32(counts, key & mask, q + 1);
    setI32(dR, q, key);
    setI32(dP, q, start + i);
  }
  for (let p = 1; p < passes; p++) {
    const sh = p * b;
    const fromR = dR;
    const fromP = dP;
    dR = oR;
    dP = oP;
    oR = fromR;
    oP = fromP;
    memory.fill(counts, 0, <usize>(buckets + 1) << 2);
    for (let i = 0; i < len; i++) {
      const q = ((<u32>i32At(fromR, i) >>> sh) & mask) + 1;
      setI32(counts, q, i32At(counts, q) + 1);
    }
    for (let j = 1; j < buckets; j++) setI32(counts, j, i32At(counts, j) + i32At(counts, j - 1));
    for (let i = 0; i < len; i++) {
      const key = i32At(fromR, i);
      const bucket = (<u32>key >>> sh) & mask;
      const q = i32At(counts, bucket);
      setI32(counts, bucket, q + 1);
      setI32(dR, q, key);
      setI32(dP, q, i32At(fromP, i));
    }
  }
  for (let i = 0; i < len; i++) setI32(dR, i, i32At(dR, i) + lo);
}

/** Reorders the node's rows into the best feature's value order (bestP). */
function partitionByOrder(start: i32, end: i32): void {
  const len = end - start;
  if (clf) {
    for (let j = 0; j < len; j++) {
      const q = i32At(bestP, j);
      setI32(tI, j, i32At(ids, q));
      setF64(tW, j, f64At(W, q));
      setI32(tY, j, i32At(Y, q));
    }
    for (let j = 0; j < len; j++) setI32(Y, start + j, i32At(tY, j));
  } else {
    for (let j = 0; j < len; j++) {
      const q = i32At(bestP, j);
      setI32(tI, j, i32At(ids, q));
      setF64(tW, j, f64At(W, q));
      setF64(tYv, j, f64At(Yv, q));
    }
    for (let j = 0; j < len; j++) setF64(Yv, start + j, f64At(tYv, j));
  }
  for (let j = 0; j < len; j++) {
    setI32(ids, start + j, i32At(tI, j));
    setF64(W, start + j, f64At(tW, j));
  }
}

// The left child's sums as scikit-learn's Criterion.update makes them from the node's start:
// forward over the left rows when they are no more than the right ones, else the node's totals
// less the right rows from the last one down (the TypeScript grower's twin; see its comment).
function childrenImpurity(start: i32, end: i32, impurity: f64): void {
  const pos = bPos;
  const reverse = pos - start > end - pos;
  let wL: f64 = 0;
  let impL: f64;
  let impR: f64;
  if (clf) {
    if (reverse) {
      memory.copy(cntL, nodeCnt, <usize>k << 3);
      wL = nodeW;
      for (let i = end - 1; i >= pos; i--) {
        const ww = f64At(W, i);
        const c = i32At(Y, i);
        setF64(cntL, c, f64At(cntL, c) - ww);
        wL -= ww;
      }
    } else wL = classTotals(cntL, start, pos);
    for (let c = 0; c < k; c++) setF64(cntR, c, f64At(nodeCnt, c) - f64At(cntL, c));
    impL = classImpurity(cntL, wL);
    impR = classImpurity(cntR, nodeW - wL);
  } else {
    let sum: f64 = 0;
    let sq: f64 = 0;
    for (let i = start; i < pos; i++) {
      const ww = f64At(W, i);
      const v = f64At(Yv, i);
      sq += ww * v * v;
    }
    if (reverse) {
      sum = nodeSum;
      wL = nodeW;
      for (let i = end - 1; i >= pos; i--) {
        const ww = f64At(W, i);
        sum -= ww * f64At(Yv, i);
        wL -= ww;
      }
    } else {
      for (let i = start; i < pos; i++) {
        const ww = f64At(W, i);
        sum += ww * f64At(Yv, i);
        wL += ww;
      }
    }
    const wR = nodeW - wL;
    const sumR = nodeSum - sum;
    const sqR = nodeSumSq - sq;
    impL = sq / wL - (sum / wL) * (sum / wL);
    impR = sqR / wR - (sumR / wR) * (sumR / wR);
  }
  const wR = nodeW - wL;
  const wN = nodeW;
  bImpL = impL;
  bImpR = impR;
  bImprovement = (wN / totalWeight) * (impurity - (wR / wN) * impR - (wL / wN) * impL);
}

// Ranking ------------------------------------------------------------------------------------------
// The twin of rankColumns in src/models/tree/presort.ts (same passes, same outputs): each feature's
// values as order-preserving unsigned 64-bit keys, a stable LSD radix sort of 11-bit digits (a pass
// whose digit every row shares is skipped), then dense ranks and the distinct values in order.

const RANK_BUCKETS: i32 = 1 << 11;
const RANK_MASK: u32 = <u32>RANK_BUCKETS - 1;

/**
 * Ranks the n × d row-major f64 matrix at x (no NaN): rank (d × n i32: the dense rank of row i's
 * value of feature j at j·n + i), order (d × n i32, each feature's rows in value order, ties by
 * row; 0: not wanted), the distinct values of every feature concatenated at `distinctAt` (room
 * for n·d), their starts (d + 1 i32) and the close-values flags (d u8). `scratch`: 6·n u32, 6·2048
 * i32 and n f64. Returns the number of distinct values in all.
 */
export function rankColumns(
  x: usize,
  nn: i32,
  dd: i32,
  rankAt: usize,
  orderAt: usize,
  distinctAt: usize,
  startAt: usize,
  closeAt: usize,
  scratch: usize,
): i32 {
  const rowBytes = <usize>nn << 2;
  let hiA = scratch;
  let loA = hiA + rowBytes;
  let ixA = loA + rowBytes;
  let hiB = ixA + rowBytes;
  let loB = hiB + rowBytes;
  let ixB = loB + rowBytes;
  const hist = ixB + rowBytes;
  const values = hist + ((<usize>(6 * RANK_BUCKETS)) << 2);
  let total = 0;
  store<i32>(startAt, 0);
  for (let j = 0; j < dd; j++) {
    memory.fill(hist, 0, (<usize>(6 * RANK_BUCKETS)) << 2);
    for (let i = 0; i < nn; i++) {
      let v = load<f64>(x + ((<usize>i * <usize>dd + <usize>j) << 3));
      if (v == 0) v = 0; // -0 → 0
      const bits = reinterpret<u64>(v);
      let h = <u32>(bits >> 32);
      let l = <u32>bits;
      if (h & 0x80000000) {
        h = ~h;
        l = ~l;
      } else h |= 0x80000000;
      store<u32>(hiA + (<usize>i << 2), h);
      store<u32>(loA + (<usize>i << 2), l);
      store<i32>(ixA + (<usize>i << 2), i);
      bump(hist, 0, l & RANK_MASK);
      bump(hist, 1, (l >>> 11) & RANK_MASK);
      bump(hist, 2, l >>> 22);
      bump(hist, 3, h & RANK_MASK);
      bump(hist, 4, (h >>> 11) & RANK_MASK);
      bump(hist, 5, h >>> 22);
    }
    for (let pass = 0; pass < 6; pass++) {
      const key = pass < 3 ? loA : hiA;
      const sh = <u32>((pass % 3) * 11);
      const ho = hist + ((<usize>(pass * RANK_BUCKETS)) << 2);
      if (load<i32>(ho + (<usize>((load<u32>(key) >>> sh) & RANK_MASK) << 2)) == nn) continue;
      let sum = 0;
      for (let b = 0; b < RANK_BUCKETS; b++) {
        const p = ho + (<usize>b << 2);
        const c = load<i32>(p);
        store<i32>(p, sum);
        sum += c;
      }
      for (let i = 0; i < nn; i++) {
        const at = <usize>i << 2;
        const p = ho + (<usize>((load<u32>(key + at) >>> sh) & RANK_MASK) << 2);
        const q = <usize>load<i32>(p) << 2;
        store<i32>(p, load<i32>(p) + 1);
        store<u32>(hiB + q, load<u32>(hiA + at));
        store<u32>(loB + q, load<u32>(loA + at));
        store<i32>(ixB + q, load<i32>(ixA + at));
      }
      let t = hiA;
      hiA = hiB;
      hiB = t;
      t = loA;
      loA = loB;
      loB = t;
      t = ixA;
      ixA = ixB;
      ixB = t;
    }
    // Dense ranks and distinct values, walking the sorted keys.
    let r = -1;
    let ph: u32 = 0;
    let pl: u32 = 0;
    const off = <usize>j * <usize>nn;
    for (let i = 0; i < nn; i++) {
      const at = <usize>i << 2;
      const h = load<u32>(hiA + at);
      const l = load<u32>(loA + at);
      if (r < 0 || h != ph || l != pl) {
        ph = h;
        pl = l;
        const bits: u64 = h & 0x80000000 ? (<u64>(h & 0x7fffffff) << 32) | <u64>l : (<u64>~h << 32) | <u64>~l;
        r++;
        store<f64>(values + (<usize>r << 3), reinterpret<f64>(bits));
      }
      store<i32>(rankAt + ((off + <usize>load<i32>(ixA + at)) << 2), r);
    }
    const count = r + 1;
    let closeHere: u8 = 0;
    for (let q = 1; q < count; q++) {
      if (!(load<f64>(values + (<usize>q << 3)) > load<f64>(values + (<usize>(q - 1) << 3)) + FEATURE_THRESHOLD)) {
        closeHere = 1;
        break;
      }
    }
    store<u8>(closeAt + <usize>j, closeHere);
    if (orderAt != 0) memory.copy(orderAt + (off << 2), ixA, rowBytes);
    memory.copy(distinctAt + (<usize>total << 3), values, <usize>count << 3);
    total += count;
    store<i32>(startAt + (<usize>(j + 1) << 2), total);
  }
  return total;
}

// @ts-ignore: decorator
@inline
function bump(hist: usize, digit: i32, b: u32): void {
  const p = hist + ((<usize>(digit * RANK_BUCKETS) + <usize>b) << 2);
  store<i32>(p, load<i32>(p) + 1);
}
