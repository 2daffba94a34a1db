/**
 * A fitted forest packed for prediction, once, into a shared `WebAssembly.Memory` that every thread
 * reads in place: the pool workers instantiate the kernel (`assembly/forest.ts`) against the same
 * memory, so no thread copies the forest. Layout, at byte offsets from {@link FOREST_BASE}:
 *
 * - a block counter (threads claim rows with `Atomics.add` on it);
 * - each tree's root node index and depth (i32);
 * - 16-byte node records, breadth-first per tree, children adjacent: an internal node holds its
 *   threshold (f64), feature (i32) and left child (i32; the right child is the next record); a leaf
 *   holds a NaN whose low 32 bits index the value table, the leaf flag, and itself — every
 *   comparison with NaN is false, so a step from a leaf stays on it;
 * - the table of distinct leaf value vectors (`K` f64 each: class probabilities, or one regression
 *   value). Internal nodes need no value and a fully grown classifier's leaves share a few
 *   vectors, so the table is small and stays in cache;
 * - then, at `end`, scratch for prediction: a block of input rows and their outputs, grown on demand.
 *
 * `predict` copies the rows once into the scratch block; the pool's threads claim blocks of them
 * and write their outputs beside them; the calling thread copies the outputs out. The kernel walks
 * eight rows at a time through each tree in branch-free steps; the TypeScript walk over the same
 * bytes is its twin and the fallback (`LATHE_FOREST_KERNEL=ts` forces it). Both sum the trees'
 * values in tree order from 0 and then divide by the tree count (as scikit-learn), so they give the
 * same bits, on any number of threads.
 *
 * @module
 */

import { copyValues } from '../../../core/copy-values.ts';
import {
  type Executor,
  InlineExecutor,
  registerTask,
  runBeside,
  ThreadExecutor,
} from '../../../core/pool.ts';
import { MemoryLayout, Wasm, type WasmMemory } from '../../../core/wasm.ts';
import { type FlatTree, TREE_LEAF } from '../../tree/flat-tree.ts';
import {
  FOREST_BASE,
  type ForestKernelFn,
  forestKernel,
  forestModule,
  forestPacker,
} from './forest-kernel.ts';

/** Leaf flag in a node record's feature word (as in assembly/forest.ts). */
const LEAF = 1 << 28;
/** High word of a leaf's threshold: a quiet NaN (its low word is the value index). */
const LEAF_NAN_HI = 0x7ff80000;
const PAGE = 65536;
/** Byte offsets travel as int32: the memory stays below 2 GiB. */
const MAX_PAGES = 32767;

/** A forest packed for prediction (plain data: it travels to the pool's workers as it is). */
export interface PackedForest {
  /** Identifies this packing (a refit packs anew). */
  id: number;
  /** The shared memory holding the forest and the prediction scratch. */
  memory: WasmMemory | null;
  /**
   * Holds the forest when no WebAssembly memory could be reserved (the process's address space for
   * them is used up): prediction then walks the trees in TypeScript on the calling thread.
   */
  fallback: ArrayBuffer | null;
  nTrees: number;
  /** Values per leaf: classes, or 1. */
  K: number;
  /** Largest feature index a split reads. */
  maxFeature: number;
  nNodes: number;
  /** Distinct leaf value vectors in the table. */
  nValues: number;
  /** Byte offsets: the block counter, roots, depths, node records, value table. */
  counter: number;
  roots: number;
  depths: number;
  nodes: number;
  values: number;
  /** First byte past the packed forest (the prediction scratch starts here). */
  end: number;
}

let nextId = 1;

function bufferOf(f: PackedForest): ArrayBuffer | SharedArrayBuffer {
  return f.memory ? f.memory.buffer : f.fallback!;
}

const align16 = (x: number) => (x + 15) & ~15;

/** A shared memory of at least `bytes` bytes, or null when none can be reserved. */
function sharedMemory(bytes: number): WasmMemory | null {
  const pages = Math.ceil(bytes / PAGE);
  if (pages > MAX_PAGES) return null;
  try {
    return new Wasm.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
  } catch {
    return null;
  }
}

/**
 * Packs `trees` (class counts normalised to probabilities when `classification`, as scikit-learn's
 * `predict_proba`) straight into a new shared memory, with the WebAssembly packer of
 * `assembly/forest.ts` (compiled once per process, so a fresh process's first fit does not run the
 * loop below interpreted: ~30–50 ms on a 100-tree digits forest) or its TypeScript twin, which
 * writes the same bytes. `options.memory: false` packs into a plain buffer instead (as when no
 * memory can be reserved), `options.maxSlots` bounds the leaf value hash below its 2^21 slots and
 * `options.packer: 'ts'` picks the TypeScript packer: the tests use them to reach those paths.
 */
export function packForest(
  trees: readonly FlatTree[],
  classification: boolean,
  options: { memory?: boolean; maxSlots?: number; packer?: ForestKernelKind } = {},
): PackedForest {
  const nTrees = trees.length;
  const K = trees[0].valueStride;
  let nNodes = 0;
  let nLeaves = 0;
  let widest = 0;
  for (const t of trees) {
    nNodes += t.nodeCount;
    widest = Math.max(widest, t.nodeCount);
    nLeaves += countLeaves(t);
  }
  const counter = FOREST_BASE;
  const roots = counter + 16;
  const depths = align16(roots + nTrees * 4);
  const nodes = align16(depths + nTrees * 4);
  const values = nodes + nNodes * 16;
  // Room for every leaf's vector; the pages the table does not reach are never touched.
  const room = align16(values + nLeaves * K * 8);
  const maxSlots = options.maxSlots ?? MAX_SLOTS;
  const wasm = options.memory !== false && options.packer !== 'ts' && forestModule() !== null;
  const scratch = wasm ? packScratch(room, widest, K, nLeaves, maxSlots) : null;
  const memory = options.memory === false ? null : sharedMemory(scratch ? scratch.end : room);
  const fallback = memory ? null : new ArrayBuffer(room);
  const layout = { nTrees, K, roots, depths, nodes, values };
  const packed =
    memory && scratch
      ? packWithKernel(trees, classification, memory, layout, scratch)
      : packWithTs(trees, classification, memory ? memory.buffer : fallback!, layout, widest, maxSlots);
  return {
    id: nextId++,
    memory,
    fallback,
    nTrees,
    K,
    maxFeature: packed.maxFeature,
    nNodes,
    nValues: packed.nValues,
    counter,
    roots,
    depths,
    nodes,
    values,
    end: align16(values + packed.nValues * K * 8),
  };
}

function countLeaves(t: FlatTree): number {
  let n = 0;
  for (let i = 0; i < t.nodeCount; i++) if (t.left[i] === TREE_LEAF) n++;
  return n;
}

/** Where a packed forest's parts start (byte offsets) and its shape. */
interface PackLayout {
  nTrees: number;
  K: number;
  roots: number;
  depths: number;
  nodes: number;
  values: number;
}

/** What packing found: distinct leaf vectors and the largest split feature. */
interface PackResult {
  nValues: number;
  maxFeature: number;
}

/** The WebAssembly packer's working space, after the packed forest's room (byte offsets). */
interface PackScratch {
  left: number;
  right: number;
  feature: number;
  threshold: number;
  value: number;
  queue: number;
  depth: number;
  leaf: number;
  slots: number;
  nSlots: number;
  maxSlots: number;
  /** Nodes of the largest tree (the per-tree arrays' length). */
  widest: number;
  end: number;
}

function packScratch(
  room: number,
  widest: number,
  K: number,
  nLeaves: number,
  maxSlots: number,
): PackScratch {
  const l = new MemoryLayout(room, 16);
  // Enough slots that the table never fills before the TypeScript table's bound (at most
  // maxSlots / 2 + 1 vectors are indexed), so no rehash is needed; fresh memory reads as empty.
  const nSlots = Math.min(nextPow2(2 * nLeaves + 2), nextPow2(maxSlots));
  return {
    left: l.take(widest * 4),
    right: l.take(widest * 4),
    feature: l.take(widest * 4),
    threshold: l.take(widest * 8),
    value: l.take(widest * K * 8),
    queue: l.take(widest * 4),
    depth: l.take(widest * 4),
    leaf: l.take(K * 8),
    slots: l.take(nSlots * 4),
    nSlots,
    maxSlots,
    widest,
    end: l.end,
  };
}

function nextPow2(x: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(x, 1)));
}

/** Packs with `assembly/forest.ts` (`packTree`): each tree's arrays copied in, then walked there. */
function packWithKernel(
  trees: readonly FlatTree[],
  classification: boolean,
  memory: WasmMemory,
  at: PackLayout,
  sc: PackScratch,
): PackResult {
  const packer = forestPacker(memory)!;
  const buf = memory.buffer;
  const { widest } = sc;
  const left = new Int32Array(buf, sc.left, widest);
  const right = new Int32Array(buf, sc.right, widest);
  const feature = new Int32Array(buf, sc.feature, widest);
  const threshold = new Float64Array(buf, sc.threshold, widest);
  const value = new Float64Array(buf, sc.value, widest * at.K);
  packer.packStart(at.values, at.K, sc.slots, sc.nSlots, sc.maxSlots, sc.leaf);
  let next = 0;
  for (let t = 0; t < at.nTrees; t++) {
    const tree = trees[t];
    left.set(tree.left);
    right.set(tree.right);
    feature.set(tree.feature);
    threshold.set(tree.threshold);
    value.set(tree.value);
    next = packer.packTree(
      t,
      sc.left,
      sc.right,
      sc.feature,
      sc.threshold,
      sc.value,
      classification ? 1 : 0,
      at.nodes,
      at.roots,
      at.depths,
      next,
      sc.queue,
      sc.depth,
    );
  }
  return { nValues: packer.packValueCount(), maxFeature: packer.packMaxFeature() };
}

/** Packs in TypeScript (the twin of `packTree` in assembly/forest.ts). */
function packWithTs(
  trees: readonly FlatTree[],
  classification: boolean,
  buf: ArrayBuffer | SharedArrayBuffer,
  at: PackLayout,
  widest: number,
  maxSlots: number,
): PackResult {
  const { nTrees, K, roots, depths, nodes, values } = at;
  const f64 = new Float64Array(buf);
  const i32 = new Int32Array(buf);
  const table = new ValueTable(f64, values, K, maxSlots);
  const leafValue = new Float64Array(K);
  const queue = new Int32Array(widest);
  const depth = new Int32Array(widest);
  let next = 0;
  let maxFeature = -1;
  for (let t = 0; t < nTrees; t++) {
    const tree = trees[t];
    const v = tree.value;
    // Breadth-first: queue[q] is the old index of the node given new index base + q.
    const base = next;
    i32[(roots >> 2) + t] = base;
    queue[0] = 0;
    depth[0] = 0;
    let deepest = 0;
    let tail = 1;
    next++;
    for (let q = 0; q < tail; q++) {
      const old = queue[q];
      const rec = (nodes >> 2) + 4 * (base + q);
      if (tree.left[old] === TREE_LEAF) {
        if (classification) {
          // normalizedValues' arithmetic, for the leaves only.
          let s = 0;
          for (let c = 0; c < K; c++) s += v[old * K + c];
          for (let c = 0; c < K; c++) leafValue[c] = s > 0 ? v[old * K + c] / s : 0;
        } else for (let c = 0; c < K; c++) leafValue[c] = v[old * K + c];
        i32[rec] = table.indexOf(leafValue);
        i32[rec + 1] = LEAF_NAN_HI;
        i32[rec + 2] = LEAF;
        i32[rec + 3] = base + q;
        continue;
      }
      const f = tree.feature[old];
      if (f > maxFeature) maxFeature = f;
      f64[rec >> 1] = tree.threshold[old];
      i32[rec + 2] = f;
      i32[rec + 3] = next;
      next += 2;
      const dd = depth[q] + 1;
      if (dd > deepest) deepest = dd;
      depth[tail] = dd;
      queue[tail++] = tree.left[old];
      depth[tail] = dd;
      queue[tail++] = tree.right[old];
    }
    i32[(depths >> 2) + t] = deepest;
  }
  return { nValues: table.size, maxFeature };
}

/** Most hash slots a {@link ValueTable} takes (8 MB): past half of them, new vectors are not indexed. */
const MAX_SLOTS = 1 << 21;

/**
 * The distinct leaf value vectors, written in order of first appearance to `f64` from byte offset
 * `at`, found again through an open-addressing hash of their bits (equal bits, not equal numbers:
 * +0 and −0 stay apart, so sums keep their bits). A forest with more than a million distinct
 * vectors (a large regression forest) keeps finding the first million; later new ones are stored
 * once per leaf, so the hash stays bounded.
 */
class ValueTable {
  size = 0;
  private slots: Int32Array;
  private full = false;
  private readonly words: Uint32Array;
  private readonly w0: number;
  private readonly scratch: Float64Array;
  private readonly scratchWords: Uint32Array;

  constructor(
    private readonly f64: Float64Array,
    at: number,
    private readonly K: number,
    private readonly maxSlots: number,
  ) {
    this.slots = new Int32Array(Math.min(1024, maxSlots)).fill(-1);
    this.words = new Uint32Array(f64.buffer);
    this.w0 = at >> 2;
    this.scratch = new Float64Array(K);
    this.scratchWords = new Uint32Array(this.scratch.buffer);
  }

  private hash(words: Uint32Array, w: number): number {
    let h = 0x9e3779b9;
    for (let k = 0; k < 2 * this.K; k++) h = Math.imul(h ^ words[w + k], 0x85ebca6b) ^ (h >>> 13);
    return Math.imul(h ^ (h >>> 16), 0xc2b2ae35) >>> 0;
  }

  /** Index of `value` (K numbers) in the table, added if new. */
  indexOf(value: Float64Array): number {
    this.scratch.set(value);
    const cand = this.scratchWords;
    const n = 2 * this.K;
    const mask = this.slots.length - 1;
    for (let s = this.hash(cand, 0) & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s];
      if (e < 0) {
        const idx = this.size++;
        this.f64.set(value, (this.w0 >> 1) + idx * this.K);
        if (this.full) return idx;
        this.slots[s] = idx;
        if (this.size * 2 > this.slots.length) {
          if (this.slots.length < this.maxSlots) this.rehash();
          else this.full = true;
        }
        return idx;
      }
      const w = this.w0 + e * n;
      let same = true;
      for (let k = 0; k < n && same; k++) same = this.words[w + k] === cand[k];
      if (same) return e;
    }
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    const n = 2 * this.K;
    for (let e = 0; e < this.size; e++) {
      let s = this.hash(this.words, this.w0 + e * n) & mask;
      while (slots[s] >= 0) s = (s + 1) & mask;
      slots[s] = e;
    }
    this.slots = slots;
  }
}

/** Which walk predicts: the WebAssembly kernel, or its TypeScript twin. */
export type ForestKernelKind = 'wasm' | 'ts';

/** The walk used by default: the WebAssembly kernel unless `LATHE_FOREST_KERNEL=ts`. */
export function defaultForestKernel(): ForestKernelKind {
  return process.env.LATHE_FOREST_KERNEL === 'ts' ? 'ts' : 'wasm';
}

/**
 * The TypeScript walk: adds every tree's leaf values for rows [start, end) of the row-major X to
 * `out` (row-major, K values per row, row `start` first), tree after tree.
 */
export function addForestRowsTs(
  f: PackedForest,
  X: Float64Array,
  cols: number,
  start: number,
  end: number,
  out: Float64Array,
): void {
  const K = f.K;
  const buf = bufferOf(f);
  const nodesF = new Float64Array(buf, f.nodes, f.nNodes * 2);
  const nodesI = new Int32Array(buf, f.nodes, f.nNodes * 4);
  const value = new Float64Array(buf, f.values, f.nValues * K);
  const roots = new Int32Array(buf, f.roots, f.nTrees);
  // Tree-major: one tree's nodes stay in cache while every row walks it.
  for (let t = 0; t < f.nTrees; t++) {
    const root = roots[t];
    for (let i = start; i < end; i++) {
      const row = i * cols;
      let node = root;
      let fl = nodesI[4 * node + 2];
      while ((fl & LEAF) === 0) {
        node = nodesI[4 * node + 3] + +(X[row + fl] > nodesF[2 * node]);
        fl = nodesI[4 * node + 2];
      }
      const v = nodesI[4 * node] * K;
      const o = (i - start) * K;
      for (let c = 0; c < K; c++) out[o + c] += value[v + c];
    }
  }
}

/** Divides sums of `T` trees in place (divided, not multiplied by 1/T: scikit-learn's `proba /= T`). */
function divide(out: Float64Array, T: number): void {
  for (let i = 0; i < out.length; i++) out[i] /= T;
}

/** One round of prediction: rows staged in the forest's scratch, claimed in blocks by the threads. */
export interface ForestJob {
  /** Byte offsets of the staged rows (row-major f64) and of their outputs (K per row). */
  xOff: number;
  outOff: number;
  rows: number;
  cols: number;
  /** Rows per claim. */
  block: number;
  kernel: ForestKernelKind;
}

// The calling thread's kernel per memory (a worker receives a new Memory object with each task, so
// its instances go when the task's arguments do).
const kernels = new WeakMap<WasmMemory, ForestKernelFn | null>();

function kernelFor(memory: WasmMemory): ForestKernelFn | null {
  let k = kernels.get(memory);
  if (k === undefined) {
    k = forestKernel(memory);
    kernels.set(memory, k);
  }
  return k;
}

/** Row-tree walks per kernel call, at least: calls of a few trees let V8's optimised code take over early. */
const WALKS_PER_CALL = 8192;

/**
 * Predicts blocks of a job's rows, claimed with `Atomics.add` on the forest's counter, until none
 * are left; returns how many rows this thread did. Runs on the pool's threads and on the caller.
 */
export function predictForestBlocks(f: PackedForest, job: ForestJob): number {
  const memory = f.memory!;
  const counter = new Int32Array(memory.buffer, f.counter, 1);
  const fn = job.kernel === 'wasm' ? kernelFor(memory) : null;
  const { cols, rows, block } = job;
  const K = f.K;
  const T = f.nTrees;
  let done = 0;
  for (;;) {
    const a = Atomics.add(counter, 0, block);
    if (a >= rows) break;
    const b = Math.min(rows, a + block);
    const buf = memory.buffer;
    const out = new Float64Array(buf, job.outOff + a * K * 8, (b - a) * K);
    out.fill(0);
    if (fn) {
      const x = job.xOff + a * cols * 8;
      const step = Math.max(1, Math.ceil(WALKS_PER_CALL / (b - a)));
      for (let t = 0; t < T; t += step) {
        fn(x, b - a, cols, f.nodes, f.values, f.roots, f.depths, t, Math.min(T, t + step), K, out.byteOffset);
      }
    } else addForestRowsTs(f, new Float64Array(buf, job.xOff, rows * cols), cols, a, b, out);
    divide(out, T);
    done += b - a;
  }
  return done;
}

/** Pool task: {@link predictForestBlocks}. */
export const predictForestBlocksTask = registerTask(
  import.meta.url,
  'predictForestBlocks',
  predictForestBlocks,
);

/**
 * Rows per claim, at least. Each claim walks every tree over its rows, so a tree's nodes are read
 * from memory once per claim: on the 100-tree, 1.4-million-node benchmark forest a thread walks
 * 2 048-row blocks at half the speed of 10 000-row ones. So each thread claims about an equal share
 * of a round's rows; a thread that starts late (or is descheduled) finds its share taken by the
 * others.
 */
const MIN_BLOCK = 1024;
/** Scratch per round: the staged rows and their outputs take at most about this many bytes. */
const ROUND_BYTES = 4 << 20;
/** Below this many row × tree walks, threads cost more than they save. */
const PARALLEL_MIN = 100_000;

/** Grows the memory so the scratch holds `rows` rows; returns the offsets, or null if it cannot grow. */
function scratch(f: PackedForest, rows: number, cols: number): { xOff: number; outOff: number } | null {
  const memory = f.memory;
  if (!memory) return null;
  const xOff = (f.end + 63) & ~63;
  const outOff = (xOff + rows * cols * 8 + 63) & ~63;
  const need = outOff + rows * f.K * 8;
  const have = memory.buffer.byteLength;
  if (need > have) {
    const pages = Math.ceil((need - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) return null;
    try {
      memory.grow(pages);
    } catch {
      return null;
    }
  }
  return { xOff, outOff };
}

/**
 * Mean leaf values for every row of the row-major X (rows × cols): class probabilities (K =
 * classes) or regression predictions (K = 1), row-major. Uses the executor's threads when there is
 * enough work; the result does not depend on the thread count or on the walk.
 */
export function predictForest(
  f: PackedForest,
  X: Float64Array,
  rows: number,
  cols: number,
  executor: Executor,
  kernel: ForestKernelKind = defaultForestKernel(),
): Float64Array {
  if (f.maxFeature >= cols) {
    throw new Error(`predictForest: the trees read column ${f.maxFeature}; X has ${cols} columns.`);
  }
  const K = f.K;
  const out = new Float64Array(rows * K);
  if (rows === 0) return out;
  const R = Math.min(rows, Math.max(8, Math.floor(ROUND_BYTES / ((cols + K) * 8))));
  const at = scratch(f, R, cols);
  if (!at) {
    // No shared memory for this forest or its scratch: the TypeScript walk, on this thread.
    addForestRowsTs(f, X, cols, 0, rows, out);
    divide(out, f.nTrees);
    return out;
  }
  // Threads in all, the calling thread included: it claims blocks beside threads − 1 workers.
  const threads =
    executor.parallelism > 1 && rows * f.nTrees >= PARALLEL_MIN
      ? Math.max(1, Math.min(executor.parallelism, Math.floor(R / MIN_BLOCK)))
      : 1;
  const memory = f.memory!;
  const counter = new Int32Array(memory.buffer, f.counter, 1);
  for (let r0 = 0; r0 < rows; r0 += R) {
    const m = Math.min(R, rows - r0);
    copyValues(new Float64Array(memory.buffer, at.xOff, m * cols), 0, X, r0 * cols, m * cols);
    Atomics.store(counter, 0, 0);
    const block = Math.ceil(m / threads / 8) * 8;
    const job: ForestJob = { xOff: at.xOff, outOff: at.outOff, rows: m, cols, block, kernel };
    if (threads > 1) {
      const tasks = [];
      for (let t = 1; t < threads; t++) tasks.push(predictForestBlocksTask(f, job));
      // Joined, not detached: the next round restages the rows the workers read.
      runBeside(executor, tasks, () => predictForestBlocks(f, job));
    } else predictForestBlocks(f, job);
    copyValues(out, r0 * K, new Float64Array(memory.buffer, at.outOff, m * K), 0, m * K);
  }
  return out;
}

/** Pool task: loads this module and compiles the kernel on a worker (true when it is built). */
export function prepareForestKernel(): boolean {
  return forestModule() !== null;
}

/** Pool task: {@link prepareForestKernel}. */
export const prepareForestKernelTask = registerTask(
  import.meta.url,
  'prepareForestKernel',
  prepareForestKernel,
);

/**
 * Gets the workers that will share a later `predict` ready without waiting: while the calling
 * thread goes on, each loads this module and compiles the kernel (a detached batch, which the
 * pool's next batch waits for if it is still running). Called at the end of a fit. Does nothing on
 * one thread or when the pool is busy.
 */
export function prepareForestPredict(executor: Executor): void {
  if (!(executor instanceof ThreadExecutor) || executor.parallelism < 2 || !executor.idle()) return;
  const tasks = [];
  for (let t = 1; t < executor.parallelism; t++) tasks.push(prepareForestKernelTask());
  executor.begin(tasks).detach();
}

/** Mean leaf values for rows [start, end) of the row-major X, on the calling thread. */
export function predictForestRows(
  f: PackedForest,
  X: Float64Array,
  cols: number,
  start: number,
  end: number,
  kernel: ForestKernelKind = defaultForestKernel(),
): Float64Array {
  return predictForest(
    f,
    X.subarray(start * cols, end * cols),
    end - start,
    cols,
    new InlineExecutor(),
    kernel,
  );
}
