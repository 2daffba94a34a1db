/**
 * The row loops of PCA behind one interface, in two implementations that give the same bits:
 * WebAssembly (compiled from `assembly/pca.ts`, SIMD) and plain TypeScript (the fallback, and the
 * reference the tests hold the WebAssembly to). Both work on byte offsets into one memory;
 * `assembly/pca.ts` describes the arrays and the order of every sum.
 *
 * {@link PcaWorkspace} is this thread's memory for them: the rows are never copied whole — blocks
 * of at most {@link pcaChunkRows} rows are copied into it, worked on, and (for projections) copied
 * out, so the workspace stays small and in cache whatever the size of X.
 *
 * `LATHE_PCA_KERNEL=ts` forces the TypeScript kernels; the WebAssembly ones are used when
 * `build/wasm/pca.wasm` exists (it is built by `npm run build`).
 *
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Wasm, type WasmMemory, type WasmModule } from '../../core/wasm.ts';
import { symmetricEigenInPlace } from './symmetric-eigen.ts';

/** Which implementation to use. */
export type PcaKernelKind = 'wasm' | 'ts';

/** The kernels, bound to one memory (pointers are byte offsets). */
export interface PcaKernels {
  readonly kind: PcaKernelKind;
  allFinite(x: number, count: number): number;
  addColumnSums(x: number, rows: number, d: number, out: number): void;
  centerRows(x: number, rows: number, d: number, mean: number): void;
  addCrossProduct(x: number, rows: number, d: number, B: number): void;
  project(
    x: number,
    rows: number,
    d: number,
    V: number,
    kp: number,
    kc: number,
    scale: number,
    out: number,
  ): void;
  projectionStats(u: number, rows: number, kc: number, sq: number, maxAbs: number, signAt: number): void;
  /** Eigenpairs of the symmetric n × n matrix at W (see `symmetricEigenInPlace`); e: n of scratch. */
  symmetricEigen(W: number, d: number, e: number, n: number): void;
}

const WASM_PATH = fileURLToPath(new URL('../../../build/wasm/pca.wasm', import.meta.url));
let compiled: WasmModule | null | undefined;

function loadModule(): WasmModule | null {
  if (compiled === undefined)
    compiled = existsSync(WASM_PATH) ? new Wasm.Module(readFileSync(WASM_PATH)) : null;
  return compiled;
}

/** True when `build/wasm/pca.wasm` exists (it is built by `npm run build`). */
export function pcaWasmAvailable(): boolean {
  return loadModule() !== null;
}

/** The kernel kind used by default: `LATHE_PCA_KERNEL` if set, else wasm when built, else ts. */
export function defaultPcaKernel(): PcaKernelKind {
  const env = process.env.LATHE_PCA_KERNEL;
  if (env === 'ts') return 'ts';
  if (env === 'wasm' && !pcaWasmAvailable()) {
    throw new Error(`LATHE_PCA_KERNEL=wasm but ${WASM_PATH} is missing; run 'npm run build'.`);
  }
  return pcaWasmAvailable() ? 'wasm' : 'ts';
}

/** Bytes at the start of a memory left to the module's static data. */
export const PCA_HEAP_BASE = 1024;

/** Kernels of the given kind over `memory`. */
export function pcaKernels(memory: WasmMemory, kind: PcaKernelKind): PcaKernels {
  if (kind === 'ts') return new TsPcaKernels(memory);
  const mod = loadModule();
  if (!mod) throw new Error(`pca: the WebAssembly kernels are not built (${WASM_PATH}).`);
  const inst = new Wasm.Instance(mod, {
    env: {
      memory,
      abort: () => {
        throw new Error('pca wasm kernel aborted');
      },
    },
  });
  const e = inst.exports as unknown as Omit<PcaKernels, 'kind'> & { heapBase(): number };
  if (e.heapBase() > PCA_HEAP_BASE) throw new Error('pca: wasm static data overlaps the arrays.');
  return {
    kind: 'wasm',
    allFinite: e.allFinite,
    addColumnSums: e.addColumnSums,
    centerRows: e.centerRows,
    addCrossProduct: e.addCrossProduct,
    project: e.project,
    projectionStats: e.projectionStats,
    symmetricEigen: e.symmetricEigen,
  };
}

/** The TypeScript twins: the loops of `assembly/pca.ts`, every sum in the same order. */
class TsPcaKernels implements PcaKernels {
  readonly kind = 'ts' as const;
  private readonly F: Float64Array;

  constructor(memory: WasmMemory) {
    this.F = new Float64Array(memory.buffer);
  }

  allFinite(x: number, count: number): number {
    const F = this.F;
    x >>>= 3;
    for (let i = 0; i < count; i++) {
      const v = F[x + i];
      if (v - v !== 0) return 0;
    }
    return 1;
  }

  addColumnSums(x: number, rows: number, d: number, out: number): void {
    const F = this.F;
    [x, out] = [x >>> 3, out >>> 3];
    for (let i = 0; i < rows; i++) for (let j = 0, o = x + i * d; j < d; j++) F[out + j] += F[o + j];
  }

  centerRows(x: number, rows: number, d: number, mean: number): void {
    const F = this.F;
    [x, mean] = [x >>> 3, mean >>> 3];
    for (let i = 0; i < rows; i++) for (let j = 0, o = x + i * d; j < d; j++) F[o + j] -= F[mean + j];
  }

  /** The entries b ≥ a only (the WebAssembly kernel also writes a few meaningless ones below). */
  addCrossProduct(x: number, rows: number, d: number, B: number): void {
    const F = this.F;
    [x, B] = [x >>> 3, B >>> 3];
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        let s = F[B + a * d + b];
        for (let i = 0, o = x; i < rows; i++, o += d) s += F[o + a] * F[o + b];
        F[B + a * d + b] = s;
      }
    }
  }

  project(
    x: number,
    rows: number,
    d: number,
    V: number,
    kp: number,
    kc: number,
    scale: number,
    out: number,
  ): void {
    const F = this.F;
    [x, V, scale, out] = [x >>> 3, V >>> 3, scale >>> 3, out >>> 3];
    for (let i = 0; i < rows; i++) {
      const xo = x + i * d;
      for (let c = 0; c < kc; c++) {
        let s = 0;
        for (let j = 0, v = V + c; j < d; j++, v += kp) s += F[xo + j] * F[v];
        F[out + i * kc + c] = s * F[scale + c];
      }
    }
  }

  symmetricEigen(W: number, d: number, e: number, n: number): void {
    const b = this.F.buffer;
    symmetricEigenInPlace(
      new Float64Array(b, W, n * n),
      new Float64Array(b, d, n),
      new Float64Array(b, e, n),
      n,
    );
  }

  projectionStats(u: number, rows: number, kc: number, sq: number, maxAbs: number, signAt: number): void {
    const F = this.F;
    [u, sq, maxAbs, signAt] = [u >>> 3, sq >>> 3, maxAbs >>> 3, signAt >>> 3];
    for (let i = 0; i < rows; i++) {
      for (let c = 0; c < kc; c++) {
        const s = F[u + i * kc + c];
        F[sq + c] += s * s;
        const a = Math.abs(s);
        if (a > F[maxAbs + c]) {
          F[maxAbs + c] = a;
          F[signAt + c] = s;
        }
      }
    }
  }
}

/** Rows per block copied into the workspace: a power of two (so blocks tile 2048-row sums), ~64 KB. */
export function pcaChunkRows(d: number): number {
  let r = 256;
  while (r > 16 && r * d * 8 > 65536) r >>= 1;
  return r;
}

const PAGE = 65536;
const align = (v: number) => Math.ceil(v / 16) * 16;

/** This thread's PCA kernel memory, grown on demand; arrays are laid out by {@link PcaWorkspace.layout}. */
export class PcaWorkspace {
  memory: WasmMemory;
  kernels: PcaKernels;
  F: Float64Array;
  private bytes: number;

  private constructor(bytes: number, kind: PcaKernelKind) {
    const pages = Math.ceil(bytes / PAGE);
    this.memory = new Wasm.Memory({ initial: pages, maximum: pages, shared: true });
    this.kernels = pcaKernels(this.memory, kind);
    this.F = new Float64Array(this.memory.buffer);
    this.bytes = pages * PAGE;
  }

  private static current: PcaWorkspace | null = null;

  /**
   * This thread's workspace with room for the named arrays (each a count of f64), laid out from
   * the heap base in the given order; returns the workspace and each array's byte offset.
   */
  static layout<K extends string>(sizes: Record<K, number>): { ws: PcaWorkspace; at: Record<K, number> } {
    const at = {} as Record<K, number>;
    let top = PCA_HEAP_BASE;
    for (const name of Object.keys(sizes) as K[]) {
      at[name] = top;
      top = align(top + 8 * sizes[name]);
    }
    const kind = defaultPcaKernel();
    let ws = PcaWorkspace.current;
    if (!ws || ws.bytes < top || ws.kernels.kind !== kind) {
      ws = new PcaWorkspace(Math.max(top, ws?.bytes ?? 0), kind);
      PcaWorkspace.current = ws;
    }
    return { ws, at };
  }

  /**
   * Makes this thread's workspace at least `values` f64 above the heap base, so the layouts that
   * follow (a fit's passes, its eigendecomposition) all fit in one memory: each new memory costs
   * fresh pages (~16 µs per 4 KB on first touch on the machines measured), which for a small fit
   * is a noticeable share of its time.
   */
  static reserve(values: number): void {
    PcaWorkspace.layout({ all: values });
  }
}
