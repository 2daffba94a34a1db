/**
 * Prediction with the WebAssembly kernels (`assembly/gbdt.ts`). The ensemble is packed once, in
 * one of two forms:
 *
 * - **bitvector** (`predictBitvector`), for trees of at most 32 leaves: rows are binned once
 *   against the thresholds the trees use, then every internal node is evaluated for 16 rows at a
 *   time with SIMD compares and the exit leaf is found from a leaf bitmask (QuickScorer). The
 *   binning is derived from the trees alone (sorted distinct thresholds per feature; classes of
 *   category codes that all splits treat alike), so the decisions are those of the raw
 *   comparisons for every value, NaN and unseen categories included.
 * - **walk** (`predictRows`), otherwise: 16-byte node records with adjacent children and
 *   self-looping leaves, eight rows walking each tree in a fixed number of branch-free steps.
 *
 * Each thread keeps one kernel instance and the last model it loaded. Sums are taken over the
 * trees in order, from 0, exactly as the TypeScript walk (`addRaw`) does, so all give the same bits.
 *
 * @module
 */

import { Wasm, type WasmMemory } from '../../../core/wasm.ts';
import { ARENA_BASE } from './arena.ts';
import { wasmModule } from './kernels.ts';
import type { TreeEnsemble } from './predictor.ts';

const LEAF = 1 << 28;
const MISSING_LEFT = 1 << 30;
const CATEGORICAL = 1 << 29;

/** An ensemble packed for the kernel: one byte block with the parts at fixed offsets. */
export interface PackedEnsemble {
  id: number;
  /** Which kernel the bytes are laid out for. */
  kind: 'walk' | 'bitvector';
  bytes: Uint8Array;
  nTrees: number;
  K: number;
  /** True when some split is categorical (the kernel with bitset lookups is then used). */
  hasCategorical: boolean;
  /** Largest feature index a split reads (the kernel needs at least this many + 1 columns). */
  maxFeature: number;
  /** Byte offsets inside `bytes` (walk: nodes, values, roots, depths, cat; bitvector: trees, nodes, values, feats). */
  nodes: number;
  values: number;
  roots: number;
  depths: number;
  cat: number;
  /** Bitvector: features the kernel bins (16-byte records at `feats`). */
  feats: number;
  nUsed: number;
}

/** Rows the bitvector kernel bins at once (`QS_BLOCK` in assembly/gbdt.ts). */
const QS_BLOCK = 128;
/** Largest leaf count of a tree for the bitvector kernel (leaf masks are 32-bit). */
const QS_MAX_LEAVES = 32;
/** Largest code range of a categorical feature for the bitvector kernel's class table. */
const QS_MAX_CODES = 1 << 20;

/**
 * Packs an ensemble for the fastest kernel that can take it: the bitvector layout when every tree
 * has at most 32 leaves and every feature at most 254 distinct thresholds (or 511 classes of
 * categories), else the walk layout. `kind` forces one (the bitvector layout may still be
 * impossible: then the walk layout is returned).
 */
export function packEnsemble(e: TreeEnsemble, kind?: 'walk' | 'bitvector'): PackedEnsemble {
  if (kind !== 'walk') {
    const bv = packBitvector(e);
    if (bv) return bv;
  }
  return packWalk(e);
}

function maxFeatureOf(e: TreeEnsemble): number {
  let m = -1;
  for (let i = 0; i < e.feature.length; i++) if (e.feature[i] > m) m = e.feature[i];
  return m;
}

/** The bitvector layout (see `predictBitvector` in assembly/gbdt.ts), or null when it cannot hold the ensemble. */
export function packBitvector(e: TreeEnsemble): PackedEnsemble | null {
  const nTrees = e.treeStart.length - 1;
  const nNodes = e.feature.length;
  const isCat = (i: number) => e.catIndex[i] >= 0;
  // Per feature: numeric thresholds, or the categorical splits.
  const thresholdSets = new Map<number, Set<number>>();
  const catSplits = new Map<number, number[]>();
  let nInternal = 0;
  for (let i = 0; i < nNodes; i++) {
    const f = e.feature[i];
    if (f < 0) continue;
    nInternal++;
    if (isCat(i)) {
      let l = catSplits.get(f);
      if (!l) catSplits.set(f, (l = []));
      l.push(i);
    } else {
      const t = e.threshold[i];
      if (t !== t) return null;
      let set = thresholdSets.get(f);
      if (!set) thresholdSets.set(f, (set = new Set()));
      set.add(t);
    }
  }
  const used = [...new Set([...thresholdSets.keys(), ...catSplits.keys()])].sort((a, b) => a - b);
  const column = new Map<number, number>();
  used.forEach((f, u) => column.set(f, u));
  // Numeric features: sorted distinct thresholds, padded with +inf to a power of two minus one.
  const sortedThr = new Map<number, Float64Array>();
  const rank = new Map<number, Map<number, number>>();
  for (const [f, set] of thresholdSets) {
    if (set.size > 254 || (catSplits.has(f) && set.size > 0)) return null;
    const t = Float64Array.from(set).sort();
    sortedThr.set(f, t);
    const r = new Map<number, number>();
    t.forEach((v, k) => r.set(v, k));
    rank.set(f, r);
  }
  // Categorical features: codes 0..R-1 grouped in classes by the set of splits that send them left
  // (class 0: sent left by none); a code outside 0..R-1 takes class 511 with NaN (unknown
  // categories go where missing values go).
  const classOf = new Map<number, Uint16Array>();
  const classLeft = new Map<number, number[][]>(); // per feature, per class: the splits sending it left
  for (const [f, splits] of catSplits) {
    let R = 0;
    for (const i of splits) {
      const c = e.catIndex[i];
      R = Math.max(R, (e.rawBitsetStart[c + 1] - e.rawBitsetStart[c]) * 32);
    }
    if (R > QS_MAX_CODES) return null;
    const sig = new Map<number, number[]>();
    splits.forEach((i, q) => {
      const c = e.catIndex[i];
      const start = e.rawBitsetStart[c];
      const end = e.rawBitsetStart[c + 1];
      for (let w = start; w < end; w++) {
        let bits = e.rawBitsets[w];
        while (bits !== 0) {
          const b = 31 - Math.clz32(bits & -bits);
          bits &= bits - 1;
          const code = (w - start) * 32 + b;
          let l = sig.get(code);
          if (!l) sig.set(code, (l = []));
          l.push(q);
        }
      }
    });
    const ids = new Map<string, number>([['', 0]]);
    const lefts: number[][] = [[]];
    const table = new Uint16Array(R);
    for (const [code, l] of sig) {
      const key = l.join(',');
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        if (id > 510) return null;
        ids.set(key, id);
        lefts.push(l);
      }
      table[code] = id;
    }
    classOf.set(f, table);
    classLeft.set(f, lefts);
  }
  // Trees: numeric nodes first, then categorical ones; leaves numbered left to right.
  const leafValues: number[] = [];
  const treeRec = new Int32Array(nTrees * 4);
  const numRecs: number[] = [];
  const catRecs: number[] = [];
  const nodeRec: number[] = [];
  const catNodes: number[] = []; // ensemble node of each categorical record, in record order
  for (let t = 0; t < nTrees; t++) {
    const leafStart = leafValues.length;
    numRecs.length = 0;
    catRecs.length = 0;
    let tooMany = false;
    const visit = (i: number): number => {
      if (e.feature[i] < 0) {
        const k = leafValues.length - leafStart;
        if (k >= QS_MAX_LEAVES) {
          tooMany = true;
          return 0;
        }
        leafValues.push(e.value[i]);
        return 1 << k;
      }
      const lm = visit(e.left[i]);
      const rm = visit(e.right[i]);
      if (isCat(i)) catRecs.push(i, lm);
      else numRecs.push(i, lm);
      return lm | rm;
    };
    visit(e.treeStart[t]);
    if (tooMany) return null;
    treeRec[4 * t] = nodeRec.length / 4;
    treeRec[4 * t + 1] = numRecs.length / 2;
    treeRec[4 * t + 2] = catRecs.length / 2;
    treeRec[4 * t + 3] = leafStart;
    for (let k = 0; k < numRecs.length; k += 2) {
      const i = numRecs[k];
      const f = e.feature[i];
      // Column 2u bins NaN above every threshold (missing values go right), 2u + 1 below.
      const c = 2 * column.get(f)! + (e.missingLeft[i] ? 1 : 0);
      nodeRec.push(c * QS_BLOCK * 4, rank.get(f)!.get(e.threshold[i])!, 1, numRecs[k + 1]);
    }
    for (let k = 0; k < catRecs.length; k += 2) {
      const i = catRecs[k];
      // The feature's second column holds the class as byte index and bit (see qsBin).
      nodeRec.push((2 * column.get(e.feature[i])! + 1) * QS_BLOCK * 4, catNodes.length, 0, catRecs[k + 1]);
      catNodes.push(i);
    }
  }
  if (nodeRec.length / 4 !== nInternal) return null;
  // Byte layout.
  const align = (x: number) => (x + 15) & ~15;
  const treesOff = 0;
  const nodesOff = align(nTrees * 16);
  const valuesOff = align(nodesOff + nodeRec.length * 4);
  const featsOff = align(valuesOff + leafValues.length * 8);
  let at = align(featsOff + used.length * 16);
  const tableOff = new Map<number, number>();
  const tableSize = new Map<number, number>();
  for (const f of used) {
    tableOff.set(f, at);
    const t = sortedThr.get(f);
    if (t) {
      let P = 2;
      while (P - 1 < t.length) P *= 2;
      tableSize.set(f, P);
      at = align(at + P * 8);
    } else {
      const c = classOf.get(f)!;
      tableSize.set(f, c.length);
      at = align(at + 2 * c.length);
    }
  }
  const bitsetsOff = at;
  const total = align(bitsetsOff + catNodes.length * 64);
  const bytes = new Uint8Array(new SharedArrayBuffer(total));
  const i32 = new Int32Array(bytes.buffer);
  const f64 = new Float64Array(bytes.buffer);
  const u32 = new Uint32Array(bytes.buffer);
  i32.set(treeRec, treesOff >> 2);
  for (let k = 0; k < nodeRec.length; k++) i32[(nodesOff >> 2) + k] = nodeRec[k];
  // Categorical records: the bitset's byte offset from the base.
  for (let r = 0; r < nodeRec.length / 4; r++) {
    const o = (nodesOff >> 2) + 4 * r;
    if (i32[o + 2] === 0) i32[o + 1] = bitsetsOff + i32[o + 1] * 64;
  }
  f64.set(leafValues, valuesOff >> 3);
  used.forEach((f, u) => {
    const o = (featsOff >> 2) + 4 * u;
    const t = sortedThr.get(f);
    i32[o] = f;
    i32[o + 1] = t ? 0 : 1;
    i32[o + 2] = tableOff.get(f)!;
    i32[o + 3] = tableSize.get(f)!;
    if (t) {
      const p = tableOff.get(f)! >> 3;
      f64.fill(Number.POSITIVE_INFINITY, p, p + tableSize.get(f)!);
      f64.set(t, p);
    } else new Uint16Array(bytes.buffer, tableOff.get(f)!, tableSize.get(f)!).set(classOf.get(f)!);
  });
  const recOf = new Map<number, number>();
  catNodes.forEach((i, q) => {
    recOf.set(i, q);
    if (e.missingLeft[i]) u32[(bitsetsOff >> 2) + 16 * q + 15] |= 1 << 31;
  });
  for (const [f, lefts] of classLeft) {
    const splits = catSplits.get(f)!;
    lefts.forEach((l, id) => {
      for (const qf of l) u32[(bitsetsOff >> 2) + 16 * recOf.get(splits[qf])! + (id >>> 5)] |= 1 << (id & 31);
    });
  }
  return {
    id: packedModelId(),
    kind: 'bitvector',
    bytes,
    nTrees,
    K: e.nTreesPerIteration,
    hasCategorical: catNodes.length > 0,
    maxFeature: maxFeatureOf(e),
    nodes: nodesOff,
    values: valuesOff,
    roots: treesOff,
    depths: 0,
    cat: 0,
    feats: featsOff,
    nUsed: used.length,
  };
}

/** The walk layout (children adjacent, breadth-first per tree). */
function packWalk(e: TreeEnsemble): PackedEnsemble {
  const nNodes = e.feature.length;
  const nTrees = e.treeStart.length - 1;
  const align = (x: number) => (x + 15) & ~15;
  const nodesOff = 0;
  const valuesOff = align(nNodes * 16);
  const rootsOff = align(valuesOff + nNodes * 8);
  const depthsOff = align(rootsOff + nTrees * 4);
  const catOff = align(depthsOff + nTrees * 4);
  const total = align(catOff + e.rawBitsets.length * 4);
  const bytes = new Uint8Array(new SharedArrayBuffer(total));
  const f64 = new Float64Array(bytes.buffer);
  const i32 = new Int32Array(bytes.buffer);
  const u32 = new Uint32Array(bytes.buffer);
  u32.set(e.rawBitsets, catOff >> 2);
  let next = 0;
  const queue: number[] = [];
  const newIdx: number[] = [];
  for (let t = 0; t < nTrees; t++) {
    const root = e.treeStart[t];
    i32[(rootsOff >> 2) + t] = next;
    queue.length = 0;
    newIdx.length = 0;
    queue.push(root);
    newIdx.push(next++);
    const depthOf: number[] = [0];
    let maxDepth = 0;
    for (let q = 0; q < queue.length; q++) {
      const old = queue[q];
      const ni = newIdx[q];
      const f = e.feature[old];
      f64[(valuesOff >> 3) + ni] = e.value[old];
      if (f < 0) {
        f64[2 * ni] = Number.POSITIVE_INFINITY;
        i32[4 * ni + 2] = MISSING_LEFT | LEAF;
        i32[4 * ni + 3] = ni;
        continue;
      }
      const l = next;
      next += 2;
      let fl = f | (e.missingLeft[old] ? MISSING_LEFT : 0);
      const c = e.catIndex[old];
      if (c >= 0) {
        fl |= CATEGORICAL;
        const start = e.rawBitsetStart[c];
        const words = e.rawBitsetStart[c + 1] - start;
        f64[2 * ni] = start * 1048576 + words;
      } else f64[2 * ni] = e.threshold[old];
      i32[4 * ni + 2] = fl;
      i32[4 * ni + 3] = l;
      queue.push(e.left[old], e.right[old]);
      newIdx.push(l, l + 1);
      const dd = depthOf[q] + 1;
      depthOf.push(dd, dd);
      if (dd > maxDepth) maxDepth = dd;
    }
    i32[(depthsOff >> 2) + t] = maxDepth;
  }
  return {
    id: packedModelId(),
    kind: 'walk',
    bytes,
    nTrees,
    K: e.nTreesPerIteration,
    hasCategorical: e.rawBitsetStart.length > 1,
    maxFeature: maxFeatureOf(e),
    nodes: nodesOff,
    values: valuesOff,
    roots: rootsOff,
    depths: depthsOff,
    cat: catOff,
    feats: 0,
    nUsed: 0,
  };
}

/** The prediction kernels of the module, by the index carried in {@link kernelCall}. */
const KERNELS = ['predictRows', 'predictRowsNumeric', 'predictBitvector'] as const;
type KernelFn = (...a: number[]) => void;

const PAGE = 65536;

let nextPackedId = 1;

/** A fresh identifier for a packed model (worker threads cache the last model they loaded by it). */
export function packedModelId(): number {
  return nextPackedId++ * 1000 + Math.floor(Math.random() * 1000);
}

/** Rows copied into a kernel instance's memory and predicted per kernel call. */
const CHUNK_ROWS = 16384;

/** Where a chunk of rows, its outputs and the kernel's scratch live in an instance's memory. */
export interface ChunkLayout {
  xOff: number;
  outOff: number;
  binsOff: number;
  /** First byte past the layout. */
  end: number;
}

/**
 * A WebAssembly memory holding one packed model (at `ARENA_BASE`) and room for a chunk of rows,
 * as seen from the thread that fills it — the thread running the kernel on it may be another.
 */
export class PredictMemory {
  readonly memory: WasmMemory;
  private modelId = -1;
  private modelBytes = 0;

  constructor(memory?: WasmMemory) {
    this.memory = memory ?? new Wasm.Memory({ initial: 2, maximum: 65536, shared: true });
  }

  /** Loads `p` (unless it is loaded) and lays out `rows` rows of `d` columns after it. */
  prepare(p: PackedEnsemble, d: number, rows: number): ChunkLayout {
    if (this.modelId !== p.id) {
      this.grow(ARENA_BASE + p.bytes.length);
      new Uint8Array(this.memory.buffer).set(p.bytes, ARENA_BASE);
      this.modelId = p.id;
      this.modelBytes = p.bytes.length;
    }
    const xOff = (ARENA_BASE + this.modelBytes + 15) & ~15;
    const outOff = xOff + rows * d * 8;
    const binsOff = (outOff + rows * p.K * 8 + 15) & ~15;
    const end = binsOff + 2 * p.nUsed * QS_BLOCK * 4 + 64;
    this.grow(end);
    return { xOff, outOff, binsOff, end };
  }

  private grow(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  /**
   * Copies rows [r0, r0 + m) of X into the chunk and the matching outputs (class-major, `nOut`
   * rows per class, from `outRow0`) into the chunk's output area.
   */
  stage(
    L: ChunkLayout,
    X: Float64Array,
    d: number,
    r0: number,
    m: number,
    K: number,
    out: Float64Array,
    nOut: number,
    outRow0: number,
  ): void {
    const buf = this.memory.buffer;
    new Float64Array(buf, L.xOff, m * d).set(X.subarray(r0 * d, (r0 + m) * d));
    const ov = new Float64Array(buf, L.outOff, m * K);
    for (let k = 0; k < K; k++) ov.set(out.subarray(k * nOut + outRow0, k * nOut + outRow0 + m), k * m);
  }

  /** Copies the chunk's outputs (m rows per class) back into `out`. */
  unstage(L: ChunkLayout, m: number, K: number, out: Float64Array, nOut: number, outRow0: number): void {
    const ov = new Float64Array(this.memory.buffer, L.outOff, m * K);
    for (let k = 0; k < K; k++) out.set(ov.subarray(k * m, (k + 1) * m), k * nOut + outRow0);
  }
}

/**
 * The arguments of one kernel call on a chunk of m rows: [kernel index, ...kernel arguments]
 * (X offset at 1, row count at 2, columns at 3, output offset second to last, the output's rows
 * per class last).
 */
export function kernelCall(p: PackedEnsemble, L: ChunkLayout, m: number, d: number): number[] {
  const base = ARENA_BASE;
  if (p.kind === 'bitvector') {
    return [
      2,
      L.xOff,
      m,
      d,
      base,
      base + p.roots,
      p.nTrees,
      p.K,
      base + p.nodes,
      base + p.values,
      base + p.feats,
      p.nUsed,
      L.binsOff,
      L.outOff,
      m,
    ];
  }
  return [
    p.hasCategorical ? 0 : 1,
    L.xOff,
    m,
    d,
    base + p.nodes,
    base + p.values,
    base + p.roots,
    base + p.depths,
    p.nTrees,
    p.K,
    base + p.cat,
    L.outOff,
    m,
  ];
}

/**
 * Rows per kernel invocation. V8 runs a WebAssembly function's first invocations with its baseline
 * compiler and switches to optimised code only for later calls (there is no on-stack replacement),
 * so one long call on a cold kernel would run entirely on baseline code: short calls let the
 * optimised code take over after the first few.
 */
const SUB_ROWS = 2048;

/** A kernel instance bound to one memory (each thread makes its own). */
export class PredictKernel {
  private readonly fns: KernelFn[];
  private readonly args: number[] = [];

  constructor(memory: WasmMemory) {
    const mod = wasmModule();
    if (!mod) throw new Error('gbdt: the WebAssembly kernels are not built.');
    const e = new Wasm.Instance(mod, { env: { memory, abort: () => {} } }).exports;
    this.fns = KERNELS.map((k) => e[k] as KernelFn);
  }

  /** Runs a {@link kernelCall}, SUB_ROWS rows per invocation. */
  run(call: ArrayLike<number>): void {
    const f = this.fns[call[0]];
    const a = this.args;
    a.length = call.length - 1;
    for (let i = 1; i < call.length; i++) a[i - 1] = call[i];
    const m = call[2];
    const d = call[3];
    const outAt = call.length - 3; // the output offset, in `a`
    for (let s = 0; s < m; s += SUB_ROWS) {
      a[0] = call[1] + s * d * 8;
      a[1] = Math.min(SUB_ROWS, m - s);
      a[outAt] = call[call.length - 2] + s * 8;
      f(...a);
    }
  }
}

let local: { mem: PredictMemory; kernel: PredictKernel } | null = null;

/** True when the WebAssembly kernel can predict rows of `d` columns with `p`. */
export function canPredictPacked(p: PackedEnsemble, d: number): boolean {
  return wasmModule() !== null && p.maxFeature < d;
}

/**
 * Adds the trees of `p` to `out` (class-major, `nOut` rows per class, row r0 of X at output row
 * `outRow0`) for rows [r0, r1) of the row-major matrix X (d columns), on the calling thread.
 * Returns false when the WebAssembly kernels are not available or X has fewer columns than the
 * trees read.
 */
export function predictPacked(
  p: PackedEnsemble,
  X: Float64Array,
  d: number,
  r0: number,
  r1: number,
  out: Float64Array,
  nOut = r1 - r0,
  outRow0 = 0,
): boolean {
  if (!canPredictPacked(p, d)) return false;
  if (!local) {
    const mem = new PredictMemory();
    local = { mem, kernel: new PredictKernel(mem.memory) };
  }
  const n = r1 - r0;
  if (n <= 0) return true;
  // Rows per kernel call: at most CHUNK_ROWS, and ~4 MB of X.
  const chunk = Math.min(n, Math.max(256, Math.min(CHUNK_ROWS, Math.floor((4 << 20) / (8 * d)))));
  const L = local.mem.prepare(p, d, chunk);
  for (let c0 = 0; c0 < n; c0 += chunk) {
    const m = Math.min(chunk, n - c0);
    local.mem.stage(L, X, d, r0 + c0, m, p.K, out, nOut, outRow0 + c0);
    local.kernel.run(kernelCall(p, L, m, d));
    local.mem.unstage(L, m, p.K, out, nOut, outRow0 + c0);
  }
  return true;
}
