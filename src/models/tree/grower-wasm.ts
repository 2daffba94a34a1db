/**
 * The WebAssembly tree grower (`assembly/tree.ts`, compiled to `build/wasm/tree.wasm` by
 * `npm run build`): the TypeScript grower's depth-first and best-first growth with the exhaustive splitter in
 * either of its modes (every node sorting its candidates, or every node keeping sorted lists) or
 * with the random splitter of extra trees, for the gini, entropy and squared-error criteria, with
 * the same arithmetic (the entropy criterion's logarithms on both sides are ports of fdlibm's, see
 * fdlibm-log.ts) and random stream, so the trees are identical.
 *
 * Why: V8 compiles the TypeScript grower anew on every thread (a fresh thread's first tree took
 * ~25× a warm one on digits, and a forest of 100 small trees was over before the optimised code
 * paid off), while WebAssembly code is compiled once per process and runs at speed from its first
 * call; it is also faster once warm (a 100 000 × 20 forest: ~6.5 s against ~10 s).
 *
 * Where the data is: a forest lays its ranks, sort orders, columns and targets out in a shared
 * kernel arena (`kernel-arena.ts`, `GrowData.kernelMemory`) that every thread's instance reads in place, each
 * thread claiming a working region at its end; other callers' data (a single tree) is copied into
 * a memory of the thread's own, when small enough ({@link KERNEL_MAX_CELLS}). Either way once per
 * thread and dataset (keyed by the {@link GrowData} object), then tree after tree.
 *
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Matrix } from '../../core/matrix.ts';
import type { Rng } from '../../core/rng.ts';
import { alignUp, MemoryLayout, Wasm, type WasmMemory, type WasmModule } from '../../core/wasm.ts';
import type { FlatTree } from './flat-tree.ts';
import type { GrowData, GrowOptions } from './grower.ts';
import { ARENA_BASE, claimRegion, type KernelArena, WASM_PAGE } from './kernel-arena.ts';

const WASM_PATH = fileURLToPath(new URL('../../../build/wasm/tree.wasm', import.meta.url));
/** First byte of copied data: the module keeps its own static data below it. */
const DATA_BASE = ARENA_BASE;
/**
 * Largest dataset (rows × features) not in a kernel arena that a thread copies into a memory of
 * its own; above it the copy would cost real memory, and the TypeScript grower is used.
 */
export const KERNEL_MAX_CELLS = 1 << 22;

interface TreeExports {
  heapBase(): number;
  layoutBytes(cap: number, d: number, k: number, mode: number): number;
  setup(base: number, cap: number, d: number, k: number, mode: number): void;
  setData(
    n: number,
    d: number,
    k: number,
    clf: number,
    rank: number,
    distinct: number,
    distinctStart: number,
    close: number,
    y: number,
    order: number,
    xc: number,
  ): void;
  setOptions(
    crit: number,
    maxDepth: number,
    msl: number,
    mss: number,
    mwfl: number,
    mf: number,
    mid: number,
    mln: number,
  ): void;
  mathLog(x: number): number;
  mathLog2(x: number): number;
  outputAt(which: number): number;
  grownDepth(): number;
  rngWord(i: number): number;
  grow(weights: number, a: number, b: number, c: number, e: number): number;
  rankColumns(
    x: number,
    n: number,
    d: number,
    rank: number,
    order: number,
    distinct: number,
    start: number,
    close: number,
    scratch: number,
  ): number;
}

let compiled: WasmModule | null | undefined;
/** An instance on a one-page memory: for sizes (`layoutBytes`) and the logarithms, not for data. */
let probe: TreeExports | undefined;

/** The compiled module (once per thread; V8 shares the code), or null when it is not built. */
function treeModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (existsSync(WASM_PATH)) {
    const mod = new Wasm.Module(readFileSync(WASM_PATH));
    const p = instantiate(mod, new Wasm.Memory({ initial: 1, maximum: 1, shared: true }));
    if (p.heapBase() <= DATA_BASE) {
      compiled = mod;
      probe = p;
    }
  }
  return compiled;
}

/** This thread's probe instance (the module must be built). */
function probeKernel(): TreeExports {
  treeModule();
  return probe!;
}

function instantiate(mod: WasmModule, memory: WasmMemory): TreeExports {
  return new Wasm.Instance(mod, {
    env: {
      memory,
      abort: () => {
        throw new Error('tree wasm kernel aborted');
      },
    },
  }).exports as unknown as TreeExports;
}

/** A dataset in one thread's kernel memory. */
interface KernelData {
  memory: WasmMemory;
  kernel: TreeExports;
  /** Byte offset of the tree's row weights (n f64). */
  weightsAt: number;
}

/**
 * Per thread: the kernel bound to each dataset, per mode (null: no room), dropped with the
 * dataset.
 */
const kernels = new WeakMap<GrowData, Partial<Record<GrowMode, KernelData | null>>>();

/**
 * How a tree's splits are searched: the exhaustive splitter with every node sorting its candidate
 * features on the spot from dense ranks (`sort`), or with every node keeping each feature's sorted
 * list, partitioned at each split (`lists`; see `sortThreshold` in grower.ts), or the random
 * splitter of extra trees (`random`).
 */
export type GrowMode = 'sort' | 'lists' | 'random';

/** A {@link GrowMode}, or null for a mix the kernel does not do (the LATHE_TREE_SORT_MAX override). */
export type KernelMode = GrowMode | null;

/** The mode's number in assembly/tree.ts. */
const MODE_CODE: Record<GrowMode, number> = { sort: 0, lists: 1, random: 2 };

/**
 * Whether the kernel grows trees with these options: the module is built, a mode it does, gini or
 * entropy (classification) or squared error (regression); depth-first or best-first alike.
 */
export function kernelSuits(opts: GrowOptions, classification: boolean, mode: KernelMode): boolean {
  return (
    mode !== null &&
    (classification
      ? opts.criterion === 'gini' || opts.criterion === 'entropy'
      : opts.criterion === 'squared_error') &&
    treeModule() !== null
  );
}

/**
 * Whether {@link growTreeKernel} can grow this tree: {@link kernelSuits}, the data has what the
 * mode reads, and it is in a kernel arena (`data.kernelMemory`) or small enough
 * ({@link KERNEL_MAX_CELLS}) to copy.
 */
export function kernelApplies(data: GrowData, opts: GrowOptions, mode: KernelMode): boolean {
  return (
    kernelSuits(opts, data.yCode !== null, mode) &&
    (mode === 'random'
      ? data.Xc.length === data.n * data.d
      : data.rank !== null && (mode !== 'lists' || data.order !== null)) &&
    (data.kernelMemory ? true : data.n * data.d <= KERNEL_MAX_CELLS)
  );
}

/**
 * Bytes of a thread's working region — the tree's weights, then the module's own layout — or
 * Infinity when it would not fit a 32-bit memory. The module sizes its layout in 32-bit
 * arithmetic, so the size for n rows is first extrapolated from two small ones (the layout is
 * affine in the row count, up to alignment) and asked for only when it fits.
 */
function regionBytes(kernel: TreeExports, n: number, d: number, k: number, mode: GrowMode): number {
  const code = MODE_CODE[mode];
  const at1k = kernel.layoutBytes(1024, d, k, code) >>> 0;
  const perRow = ((kernel.layoutBytes(2048, d, k, code) >>> 0) - at1k) / 1024;
  if (at1k + (perRow + 8) * n > MAX_REGION) return Number.POSITIVE_INFINITY;
  return alignUp(n * 8, 16) + (kernel.layoutBytes(n, d, k, code) >>> 0);
}

/** Largest working region a thread asks for (3 GiB: the data and other threads need room too). */
const MAX_REGION = 3 * 2 ** 30;

/** Binds a kernel instance to data in `memory` and to a working region from byte `region`. */
function bind(
  memory: WasmMemory,
  data: GrowData,
  at: DataOffsets,
  region: number,
  mode: GrowMode,
): KernelData {
  const clf = data.yCode !== null;
  const k = clf ? data.nClasses : 1;
  const kernel = instantiate(treeModule()!, memory);
  kernel.setData(
    data.n,
    data.d,
    k,
    clf ? 1 : 0,
    at.rank,
    at.distinct,
    at.start,
    at.close,
    at.y,
    at.order,
    at.xc,
  );
  kernel.setup(region + alignUp(data.n * 8, 16), data.n, data.d, k, MODE_CODE[mode]);
  return { memory, kernel, weightsAt: region };
}

/** Byte offsets of the data the kernel reads (0 for what the mode does not read). */
interface DataOffsets {
  rank: number;
  distinct: number;
  start: number;
  close: number;
  y: number;
  order: number;
  xc: number;
}

/** This thread's kernel for `data` in `mode`, bound on first use; null when no working region fits. */
function kernelData(data: GrowData, mode: GrowMode): KernelData | null {
  let modes = kernels.get(data);
  if (!modes) {
    modes = {};
    kernels.set(data, modes);
  }
  const have = modes[mode];
  if (have !== undefined) return have;
  const made = data.kernelMemory ? inArena(data, data.kernelMemory, mode) : copied(data, mode);
  modes[mode] = made;
  return made;
}

/** The arrays `mode` reads (the others null). */
function modeArrays(data: GrowData, mode: GrowMode) {
  const ranked = mode !== 'random';
  return {
    rank: ranked ? data.rank : null,
    distinct: ranked ? data.distinct : null,
    start: ranked ? data.distinctStart : null,
    close: ranked ? data.closeValues : null,
    y: (data.yCode ?? data.yValue)!,
    order: mode === 'lists' ? data.order : null,
    xc: mode === 'random' ? data.Xc : null,
  };
}

/**
 * The data where it is (a kernel arena); this thread's working region claimed at its end, or null
 * when the memory cannot grow that far.
 */
function inArena(data: GrowData, memory: WasmMemory, mode: GrowMode): KernelData | null {
  const k = data.yCode !== null ? data.nClasses : 1;
  const region = claimRegion(memory, regionBytes(probeKernel(), data.n, data.d, k, mode));
  if (region < 0) return null;
  const a = modeArrays(data, mode);
  const off = (x: { byteOffset: number } | null) => (x ? x.byteOffset : 0);
  const at: DataOffsets = {
    rank: off(a.rank),
    distinct: off(a.distinct),
    start: off(a.start),
    close: off(a.close),
    y: off(a.y),
    order: off(a.order),
    xc: off(a.xc),
  };
  return bind(memory, data, at, region, mode);
}

/**
 * A copy of the data in a memory of this thread's own, the working region after it (null when
 * that region would be too large).
 */
function copied(data: GrowData, mode: GrowMode): KernelData | null {
  const { n, d } = data;
  const k = data.yCode !== null ? data.nClasses : 1;
  const a = modeArrays(data, mode);
  const layout = new MemoryLayout(DATA_BASE, 16);
  const place = (x: { byteLength: number } | null) => (x ? layout.take(x.byteLength) : 0);
  const at: DataOffsets = {
    rank: place(a.rank),
    distinct: place(a.distinct),
    start: place(a.start),
    close: place(a.close),
    y: place(a.y),
    order: place(a.order),
    xc: place(a.xc),
  };
  const region = layout.end;
  const work = regionBytes(probeKernel(), n, d, k, mode);
  if (!Number.isFinite(work)) return null;
  const pages = Math.ceil(alignUp(region + work, WASM_PAGE) / WASM_PAGE);
  const memory = new Wasm.Memory({ initial: pages, maximum: pages, shared: true });
  const bytes = new Uint8Array(memory.buffer);
  const put = (x: Int32Array | Float64Array | Uint8Array | null, to: number) => {
    if (x) bytes.set(new Uint8Array(x.buffer, x.byteOffset, x.byteLength), to);
  };
  put(a.rank, at.rank);
  put(a.distinct, at.distinct);
  put(a.start, at.start);
  put(a.close, at.close);
  put(a.y, at.y);
  put(a.order, at.order);
  put(a.xc, at.xc);
  return bind(memory, data, at, region, mode);
}

/**
 * Grows the tree `growTree` would (see {@link kernelApplies}) in the WebAssembly kernel, drawing
 * from `rng`'s stream and leaving it where the TypeScript grower would; null, with `rng`
 * untouched, when this thread finds no room for its working region in the data's memory.
 */
export function growTreeKernel(
  data: GrowData,
  weight: Float64Array | null,
  opts: GrowOptions,
  rng: Rng,
  mode: GrowMode,
): FlatTree | null {
  const bound = kernelData(data, mode);
  if (!bound) return null;
  const { memory, kernel, weightsAt } = bound;
  const buf = memory.buffer;
  if (weight) new Float64Array(buf, weightsAt, data.n).set(weight);
  kernel.setOptions(
    opts.criterion === 'entropy' ? 1 : 0,
    opts.maxDepth,
    opts.minSamplesLeaf,
    Math.max(opts.minSamplesSplit, 2 * opts.minSamplesLeaf),
    opts.minWeightFractionLeaf,
    opts.maxFeatures,
    opts.minImpurityDecrease,
    opts.maxLeafNodes,
  );
  const s = rng.streamWords();
  const count = kernel.grow(weight ? weightsAt : 0, s[0], s[1], s[2], s[3]);
  for (let i = 0; i < 4; i++) s[i] = kernel.rngWord(i);
  rng.resumeStream(s);
  const k = data.yCode !== null ? data.nClasses : 1;
  // Byte offsets come back as signed 32-bit integers: `>>> 0` reads those past 2 GiB right.
  const i32 = (which: number, len: number) => new Int32Array(buf, kernel.outputAt(which) >>> 0, len).slice();
  const f64 = (which: number, len: number) =>
    new Float64Array(buf, kernel.outputAt(which) >>> 0, len).slice();
  return {
    nodeCount: count,
    valueStride: k,
    maxDepth: kernel.grownDepth(),
    feature: i32(0, count),
    threshold: f64(1, count),
    left: i32(2, count),
    right: i32(3, count),
    impurity: f64(4, count),
    nNodeSamples: i32(5, count),
    weightedNNodeSamples: f64(6, count),
    value: f64(7, count * k),
  };
}

/**
 * The kernel's natural and base-2 logarithms (ports of fdlibm's, which V8 11 runs for Math.log and
 * Math.log2), or null when the module is not built: the tests hold them to their TypeScript twins
 * in fdlibm-log.ts bit for bit, on which the entropy trees' equality rests.
 */
export function kernelLogarithms(): { log(x: number): number; log2(x: number): number } | null {
  if (!treeModule()) return null;
  const k = probeKernel();
  return { log: (x) => k.mathLog(x), log2: (x) => k.mathLog2(x) };
}

/**
 * The working region a thread would claim for n × d data with k values per node in `mode` (bytes;
 * Infinity past the 3 GiB bound), or null when the module is not built. For the tests.
 */
export function kernelRegionBytes(n: number, d: number, k: number, mode: GrowMode): number | null {
  if (!treeModule()) return null;
  return regionBytes(probeKernel(), n, d, k, mode);
}

/** Largest matrix (rows × features) {@link rankInArena} ranks. */
export const RANK_KERNEL_MAX_CELLS = 1 << 18;

/** What {@link rankInArena} returns: presort.ts's `ColumnRanks`, in the arena. */
export interface ArenaRanks {
  rank: Int32Array;
  distinct: Float64Array;
  start: Int32Array;
  close: Uint8Array;
  order: Int32Array | null;
}

/**
 * presort.ts's `rankColumns` done by the kernel (`rankColumns` in assembly/tree.ts, the same passes
 * and outputs), the results laid out in `arena`: WebAssembly runs at speed on its first call, where
 * the TypeScript ranker spends most of a small fit's ranking compiling (digits: 17 ms on the first
 * call, 5 ms warm; in a fresh process's digits forest fit, 0.212–0.219 s against 0.235–0.240 s
 * alternating with the TypeScript ranker). Null when the module is not built or the matrix is
 * over {@link RANK_KERNEL_MAX_CELLS} cells: on larger data the TypeScript ranker is as fast (it
 * warms up within the first columns; 100 000 × 20 took 200–380 ms either way), and the kernel's
 * copy of X would stay in the arena.
 */
export function rankInArena(m: Matrix, arena: KernelArena, withOrder: boolean): ArenaRanks | null {
  const { rows: n, cols: d } = m;
  if (n * d > RANK_KERNEL_MAX_CELLS || !treeModule()) return null;
  const rank = arena.i32(n * d);
  const order = withOrder ? arena.i32(n * d) : null;
  const start = arena.i32(d + 1);
  const close = arena.u8(d);
  // Room for every value distinct; the pages past the real count are never touched.
  const distinct = arena.f64(n * d);
  const x = arena.f64(n * d);
  x.set(m.data.subarray(0, n * d));
  const scratch = arena.bytes(6 * n * 4 + 6 * 2048 * 4 + n * 8);
  const kernel = instantiate(compiled!, arena.memory);
  const total = kernel.rankColumns(
    x.byteOffset,
    n,
    d,
    rank.byteOffset,
    order ? order.byteOffset : 0,
    distinct.byteOffset,
    start.byteOffset,
    close.byteOffset,
    scratch,
  );
  return { rank, distinct: distinct.subarray(0, total), start, close, order };
}
