/**
 * Prediction with the WebAssembly kernel (`predictRows` in `assembly/gbdt.ts`): the ensemble is
 * packed once into 16-byte node records with adjacent children and self-looping leaves, so that a
 * row walks each tree in a fixed number of branch-free steps, four rows at a time. Each thread
 * keeps one kernel instance and the last model it loaded. Sums are taken over the trees in order,
 * from 0, exactly as the TypeScript walk (`addRaw`) does, so both give the same bits.
 *
 * @module
 */

import { toShared } from '../../../core/pool.ts';
import { ARENA_BASE } from './arena.ts';
import { wasmModule } from './kernels.ts';
import type { TreeEnsemble } from './predictor.ts';
import { Wasm, type WasmMemory } from './wasm.ts';

const LEAF = 1 << 28;
const MISSING_LEFT = 1 << 30;
const CATEGORICAL = 1 << 29;

/** An ensemble packed for the kernel: one byte block with the parts at fixed offsets. */
export interface PackedEnsemble {
  id: number;
  bytes: Uint8Array;
  nTrees: number;
  K: number;
  /** True when some split is categorical (the kernel with bitset lookups is then used). */
  hasCategorical: boolean;
  /** Byte offsets inside `bytes`. */
  nodes: number;
  values: number;
  roots: number;
  depths: number;
  cat: number;
}

let nextId = 1;

/** Packs an ensemble (children adjacent, breadth-first per tree). */
export function packEnsemble(e: TreeEnsemble): PackedEnsemble {
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
    id: nextId++ * 1000 + Math.floor(Math.random() * 1000),
    bytes,
    nTrees,
    K: e.nTreesPerIteration,
    hasCategorical: e.rawBitsetStart.length > 1,
    nodes: nodesOff,
    values: valuesOff,
    roots: rootsOff,
    depths: depthsOff,
    cat: catOff,
  };
}

interface Instance {
  memory: WasmMemory;
  predictRows: (...a: number[]) => void;
  predictRowsNumeric: (...a: number[]) => void;
  modelId: number;
  modelBase: number;
  modelBytes: number;
}

let inst: Instance | null = null;
const PAGE = 65536;
const CHUNK_ROWS = 16384;

function ensureMemory(i: Instance, bytes: number): void {
  const have = i.memory.buffer.byteLength;
  if (bytes > have) i.memory.grow(Math.ceil((bytes - have) / PAGE));
}

/**
 * Adds the trees of `p` to `out` (class-major, nRows per class) for the row-major matrix X (d
 * columns), rows [r0, r1); `out` holds r1 − r0 rows per class. Returns false when the WebAssembly
 * kernels are not available.
 */
export function predictPacked(
  p: PackedEnsemble,
  X: Float64Array,
  d: number,
  r0: number,
  r1: number,
  out: Float64Array,
): boolean {
  const mod = wasmModule();
  if (!mod) return false;
  if (!inst) {
    const memory = new Wasm.Memory({ initial: 2, maximum: 65536, shared: true });
    const e = new Wasm.Instance(mod, { env: { memory, abort: () => {} } }).exports;
    inst = {
      memory,
      predictRows: e.predictRows as Instance['predictRows'],
      predictRowsNumeric: e.predictRowsNumeric as Instance['predictRows'],
      modelId: -1,
      modelBase: ARENA_BASE,
      modelBytes: 0,
    };
  }
  const i = inst;
  if (i.modelId !== p.id) {
    ensureMemory(i, ARENA_BASE + p.bytes.length);
    new Uint8Array(i.memory.buffer).set(p.bytes, ARENA_BASE);
    i.modelId = p.id;
    i.modelBytes = p.bytes.length;
  }
  const base = ARENA_BASE;
  const n = r1 - r0;
  const K = p.K;
  const xOff = (base + i.modelBytes + 15) & ~15;
  const chunk = Math.min(CHUNK_ROWS, n);
  const outOff = xOff + chunk * d * 8;
  ensureMemory(i, outOff + chunk * K * 8);
  const buf = i.memory.buffer;
  const xv = new Float64Array(buf, xOff, chunk * d);
  const ov = new Float64Array(buf, outOff, chunk * K);
  for (let c0 = 0; c0 < n; c0 += chunk) {
    const m = Math.min(chunk, n - c0);
    xv.set(X.subarray((r0 + c0) * d, (r0 + c0 + m) * d));
    for (let k = 0; k < K; k++) ov.set(out.subarray(k * n + c0, k * n + c0 + m), k * m);
    const kernel = p.hasCategorical ? i.predictRows : i.predictRowsNumeric;
    kernel(
      xOff,
      m,
      d,
      base + p.nodes,
      base + p.values,
      base + p.roots,
      base + p.depths,
      p.nTrees,
      K,
      base + p.cat,
      outOff,
    );
    for (let k = 0; k < K; k++) out.set(ov.subarray(k * m, (k + 1) * m), k * n + c0);
  }
  return true;
}

/** The packed bytes in shared memory (already are), for worker threads. */
export function sharePacked(p: PackedEnsemble): PackedEnsemble {
  return { ...p, bytes: toShared(p.bytes) };
}
