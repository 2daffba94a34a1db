/**
 * The hot kernels of the trainer behind one interface, in two implementations that give the same
 * bits: WebAssembly (compiled from `assembly/gbdt.ts`, SIMD) and plain TypeScript (the fallback,
 * and the reference the tests hold the WebAssembly to). All work on byte offsets into an
 * {@link Arena}'s memory; see `assembly/gbdt.ts` for the layouts.
 *
 * `LATHE_GBDT_KERNEL=ts` forces the TypeScript kernels; the WebAssembly ones are used when
 * `build/wasm/gbdt.wasm` exists (it is built by `npm run build`).
 *
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Wasm, type WasmMemory, type WasmModule } from '../../../core/wasm.ts';
import { ARENA_BASE } from './arena.ts';

/** Which implementation to use. */
export type KernelKind = 'wasm' | 'ts';

/** The kernels, bound to one memory. */
export interface Kernels {
  readonly kind: KernelKind;
  /** gh[i] = src[idx[i]] for i < cnt ((gradient, hessian) pairs of 16 bytes). */
  gather(idx: number, cnt: number, src: number, gh: number): void;
  clearHist(f0: number, f1: number, slots: number, hist: number, counts: number): void;
  buildHist(
    bins: number,
    nRows: number,
    idx: number,
    cnt: number,
    gh: number,
    f0: number,
    f1: number,
    slots: number,
    hist: number,
    counts: number,
  ): void;
  /** As `buildHist` for rows 0..cnt-1 in order (the root), without an index. */
  buildHistRoot(
    bins: number,
    nRows: number,
    cnt: number,
    gh: number,
    f0: number,
    f1: number,
    slots: number,
    hist: number,
    counts: number,
  ): void;
  /**
   * As `buildHistRoot` for the sums only; the counts of features [f0, f1) are copied from
   * `rootCounts` (the root's counts do not change from tree to tree). `hist` must be zeroed.
   */
  buildHistRootSums(
    bins: number,
    nRows: number,
    cnt: number,
    gh: number,
    f0: number,
    f1: number,
    slots: number,
    hist: number,
    rootCounts: number,
    counts: number,
  ): void;
  subtractHist(
    f0: number,
    f1: number,
    slots: number,
    parentHist: number,
    parentCounts: number,
    childHist: number,
    childCounts: number,
    outHist: number,
    outCounts: number,
  ): void;
  partition(col: number, idx: number, cnt: number, goesLeft: number, buf: number): number;
  addLeafValue(idx: number, cnt: number, raw: number, value: number): void;
  /**
   * (Gradient, hessian) pairs of the binary log loss at gh + 16 · row, rows [r0, r1) (w = 0: no
   * weights), each rounded to float32 (stored as f64).
   */
  gradBinomial(y: number, raw: number, w: number, gh: number, r0: number, r1: number): void;
  binRows(
    X: number,
    nRows: number,
    d: number,
    thr: number,
    thrOff: number,
    thrLen: number,
    missingBin: number,
    out: number,
    outRows: number,
    outRow0: number,
  ): void;
}

const WASM_PATH = fileURLToPath(new URL('../../../../build/wasm/gbdt.wasm', import.meta.url));
let compiled: WasmModule | null | undefined;

/** The compiled WebAssembly module, or null when it is not built. */
function loadModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  compiled = existsSync(WASM_PATH) ? new Wasm.Module(readFileSync(WASM_PATH)) : null;
  return compiled;
}

/** The compiled WebAssembly module (shared by the prediction kernel), or null. */
export function wasmModule(): WasmModule | null {
  return loadModule();
}

/** True when the WebAssembly kernels are available. */
export function wasmAvailable(): boolean {
  return loadModule() !== null;
}

/** The kernel kind used by default: `LATHE_GBDT_KERNEL` if set, else wasm when built, else ts. */
export function defaultKernelKind(): KernelKind {
  const env = process.env.LATHE_GBDT_KERNEL;
  if (env === 'ts') return 'ts';
  if (env === 'wasm' && !wasmAvailable()) {
    throw new Error(`LATHE_GBDT_KERNEL=wasm but ${WASM_PATH} is missing; run 'npm run build'.`);
  }
  return wasmAvailable() ? 'wasm' : 'ts';
}

/** Kernels of the given kind over `memory`. */
export function makeKernels(memory: WasmMemory, kind: KernelKind): Kernels {
  if (kind === 'wasm') {
    const mod = loadModule();
    if (!mod) throw new Error(`gbdt: the WebAssembly kernels are not built (${WASM_PATH}).`);
    const inst = new Wasm.Instance(mod, {
      env: {
        memory,
        abort: () => {
          throw new Error('gbdt wasm kernel aborted');
        },
      },
    });
    const e = inst.exports as unknown as Kernels & { heapBase(): number };
    if (e.heapBase() > ARENA_BASE) throw new Error('gbdt: wasm static data overlaps the arena.');
    return {
      kind: 'wasm',
      gather: e.gather,
      clearHist: e.clearHist,
      buildHist: e.buildHist,
      buildHistRoot: e.buildHistRoot,
      buildHistRootSums: e.buildHistRootSums,
      subtractHist: e.subtractHist,
      partition: e.partition,
      addLeafValue: e.addLeafValue,
      gradBinomial: e.gradBinomial,
      binRows: e.binRows,
    };
  }
  return new TsKernels(memory);
}

/** The plain-TypeScript kernels: the same loops as `assembly/gbdt.ts`, in the same order. */
class TsKernels implements Kernels {
  readonly kind = 'ts' as const;
  private F64!: Float64Array;
  private U32!: Uint32Array;
  private U8!: Uint8Array;
  private size = -1;

  constructor(private readonly memory: WasmMemory) {
    this.refresh();
  }

  private refresh(): void {
    const buf = this.memory.buffer;
    if (buf.byteLength === this.size) return;
    this.F64 = new Float64Array(buf);
    this.U32 = new Uint32Array(buf);
    this.U8 = new Uint8Array(buf);
    this.size = buf.byteLength;
  }

  gather(idx: number, cnt: number, src: number, gh: number): void {
    this.refresh();
    const { F64, U32 } = this;
    const i0 = idx >> 2;
    const s0 = src >> 3;
    const o = gh >> 3;
    for (let i = 0; i < cnt; i++) {
      const r = U32[i0 + i];
      F64[o + 2 * i] = F64[s0 + 2 * r];
      F64[o + 2 * i + 1] = F64[s0 + 2 * r + 1];
    }
  }

  clearHist(f0: number, f1: number, slots: number, hist: number, counts: number): void {
    this.refresh();
    this.F64.fill(0, (hist >> 3) + 2 * f0 * slots, (hist >> 3) + 2 * f1 * slots);
    this.U32.fill(0, (counts >> 2) + f0 * slots, (counts >> 2) + f1 * slots);
  }

  buildHistRoot(
    bins: number,
    nRows: number,
    cnt: number,
    gh: number,
    f0: number,
    f1: number,
    slots: number,
    hist: number,
    counts: number,
  ): void {
    // The TypeScript twin uses an identity index: same rows, same order, same sums.
    this.refresh();
    if (!this.identity || this.identity.length < cnt) {
      this.identity = new Uint32Array(cnt);
      for (let i = 0; i < cnt; i++) this.identity[i] = i;
    }
    this.buildHistWith(this.identity, 0, bins, nRows, cnt, gh, f0, f1, slots, hist, counts);
  }

  private identity: Uint32Array | null = null;

  buildHistRootSums(
    bins: number,
    nRows: number,
    cnt: number,
    gh: number,
    f0: number,
    f1: number,
    slots: number,
    hist: number,
    rootCounts: number,
    counts: number,
  ): void {
    this.refresh();
    const { F64, U32, U8 } = this;
    U32.copyWithin(
      (counts >> 2) + f0 * slots,
      (rootCounts >> 2) + f0 * slots,
      (rootCounts >> 2) + f1 * slots,
    );
    const gh0 = gh >> 3;
    // Feature by feature, rows in order: each bin sums the same rows in the same order as the
    // WebAssembly kernel's four-feature passes.
    for (let f = f0; f < f1; f++) {
      const c0 = bins + f * nRows;
      const h0 = (hist >> 3) + 2 * f * slots;
      for (let i = 0; i < cnt; i++) {
        const b = U8[c0 + i];
        F64[h0 + 2 * b] += F64[gh0 + 2 * i];
        F64[h0 + 2 * b + 1] += F64[gh0 + 2 * i + 1];
      }
    }
  }

  buildHist(
    bins: number,
    nRows: number,
    idx: number,
    cnt: number,
    gh: number,
    f0: number,
    f1: number,
    slots: number,
    hist: number,
    counts: number,
  ): void {
    this.refresh();
    this.buildHistWith(this.U32, idx >> 2, bins, nRows, cnt, gh, f0, f1, slots, hist, counts);
  }

  private buildHistWith(
    I: Uint32Array,
    i0: number,
    bins: number,
    nRows: number,
    cnt: number,
    gh: number,
    f0: number,
    f1: number,
    slots: number,
    hist: number,
    counts: number,
  ): void {
    const { F64, U32, U8 } = this;
    const gh0 = gh >> 3;
    let f = f0;
    // Four features per pass, as the WebAssembly kernel (each bin still sums rows in index order).
    for (; f + 4 <= f1; f += 4) {
      const c0 = bins + f * nRows;
      const c1 = c0 + nRows;
      const c2 = c1 + nRows;
      const c3 = c2 + nRows;
      const h0 = (hist >> 3) + 2 * f * slots;
      const h1 = h0 + 2 * slots;
      const h2 = h1 + 2 * slots;
      const h3 = h2 + 2 * slots;
      const k0 = (counts >> 2) + f * slots;
      const k1 = k0 + slots;
      const k2 = k1 + slots;
      const k3 = k2 + slots;
      for (let i = 0; i < cnt; i++) {
        const r = I[i0 + i];
        const gi = F64[gh0 + 2 * i];
        const hi = F64[gh0 + 2 * i + 1];
        const b0 = U8[c0 + r];
        const b1 = U8[c1 + r];
        const b2 = U8[c2 + r];
        const b3 = U8[c3 + r];
        F64[h0 + 2 * b0] += gi;
        F64[h0 + 2 * b0 + 1] += hi;
        F64[h1 + 2 * b1] += gi;
        F64[h1 + 2 * b1 + 1] += hi;
        F64[h2 + 2 * b2] += gi;
        F64[h2 + 2 * b2 + 1] += hi;
        F64[h3 + 2 * b3] += gi;
        F64[h3 + 2 * b3 + 1] += hi;
        U32[k0 + b0]++;
        U32[k1 + b1]++;
        U32[k2 + b2]++;
        U32[k3 + b3]++;
      }
    }
    for (; f < f1; f++) {
      const c0 = bins + f * nRows;
      const h0 = (hist >> 3) + 2 * f * slots;
      const k0 = (counts >> 2) + f * slots;
      for (let i = 0; i < cnt; i++) {
        const r = I[i0 + i];
        const b0 = U8[c0 + r];
        F64[h0 + 2 * b0] += F64[gh0 + 2 * i];
        F64[h0 + 2 * b0 + 1] += F64[gh0 + 2 * i + 1];
        U32[k0 + b0]++;
      }
    }
  }

  subtractHist(
    f0: number,
    f1: number,
    slots: number,
    parentHist: number,
    parentCounts: number,
    childHist: number,
    childCounts: number,
    outHist: number,
    outCounts: number,
  ): void {
    this.refresh();
    const { F64, U32 } = this;
    const a = f0 * slots;
    const b = f1 * slots;
    const ph = parentHist >> 3;
    const ch = childHist >> 3;
    const oh = outHist >> 3;
    for (let k = 2 * a; k < 2 * b; k++) F64[oh + k] = F64[ph + k] - F64[ch + k];
    const pc = parentCounts >> 2;
    const cc = childCounts >> 2;
    const oc = outCounts >> 2;
    for (let k = a; k < b; k++) U32[oc + k] = U32[pc + k] - U32[cc + k];
  }

  partition(col: number, idx: number, cnt: number, goesLeft: number, buf: number): number {
    this.refresh();
    const { U32, U8 } = this;
    const i0 = idx >> 2;
    const b0 = buf >> 2;
    let nl = 0;
    let nr = 0;
    // Branch-free: every row is written to both sides; only the counter of its side advances.
    for (let i = 0; i < cnt; i++) {
      const r = U32[i0 + i];
      const gl = U8[goesLeft + U8[col + r]];
      U32[i0 + nl] = r;
      U32[b0 + nr] = r;
      nl += gl;
      nr += 1 - gl;
    }
    U32.copyWithin(i0 + nl, b0, b0 + nr);
    return nl;
  }

  addLeafValue(idx: number, cnt: number, raw: number, value: number): void {
    this.refresh();
    const { F64, U32 } = this;
    const i0 = idx >> 2;
    const r0 = raw >> 3;
    for (let i = 0; i < cnt; i++) F64[r0 + U32[i0 + i]] += value;
  }

  binRows(
    X: number,
    nRows: number,
    d: number,
    thr: number,
    thrOff: number,
    thrLen: number,
    missingBin: number,
    out: number,
    outRows: number,
    outRow0: number,
  ): void {
    this.refresh();
    const { F64, U8 } = this;
    const I32 = new Int32Array(this.memory.buffer);
    const x0 = X >> 3;
    const t0 = thr >> 3;
    for (let i = 0; i < nRows; i++) {
      for (let j = 0; j < d; j++) {
        const len = I32[(thrLen >> 2) + j];
        if (len < 0) continue;
        const x = F64[x0 + i * d + j];
        let b: number;
        if (x !== x) b = missingBin;
        else {
          const t = t0 + I32[(thrOff >> 2) + j];
          let lo = 0;
          let hi = len;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (F64[t + mid] < x) lo = mid + 1;
            else hi = mid;
          }
          b = lo;
        }
        U8[out + j * outRows + outRow0 + i] = b;
      }
    }
  }

  gradBinomial(y: number, raw: number, w: number, gh: number, r0: number, r1: number): void {
    this.refresh();
    const F64 = this.F64;
    const y0 = y >> 3;
    const raw0 = raw >> 3;
    const w0 = w >> 3;
    const o = gh >> 3;
    // The same expressions as the WebAssembly kernel, whose exp is fdlibm's (as V8's Math.exp);
    // stored rounded to float32, as scikit-learn's gradients (see boosting.ts).
    for (let i = r0; i < r1; i++) {
      const r = F64[raw0 + i];
      const yi = F64[y0 + i];
      let gi: number;
      let hi: number;
      if (r > -37) {
        const e = Math.exp(-r);
        const inv = 1 / (1 + e);
        gi = (1 - yi - yi * e) * inv;
        hi = e * inv * inv;
      } else {
        const e = Math.exp(r);
        gi = e - yi;
        hi = e;
      }
      if (w) {
        const wi = F64[w0 + i];
        gi = wi * gi;
        hi = wi * hi;
      }
      F64[o + 2 * i] = Math.fround(gi);
      F64[o + 2 * i + 1] = Math.fround(hi);
    }
  }
}
