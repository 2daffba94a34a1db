/**
 * The slice of the WebAssembly JavaScript API Lathe's kernels use (k-means, PCA, the linear
 * models, gradient boosting), typed locally: the project's TypeScript configuration has no DOM
 * library, which is where the `WebAssembly` namespace is declared.
 *
 * @module
 */

/** A (shared) linear memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

/** A compiled module. */
export type WasmModule = object;

interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmApi {
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (m: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
}

/** `globalThis.WebAssembly`, typed. */
export const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** `v` rounded up to a multiple of `to`. */
export function alignUp(v: number, to: number): number {
  return Math.ceil(v / to) * to;
}

/**
 * Lays arrays out one after another in a linear memory: `take(bytes)` returns the next free byte
 * offset (the first is `base`) and moves past `bytes` to the next multiple of `to`; `end` is the
 * first byte after everything taken.
 */
export class MemoryLayout {
  private at: number;

  constructor(
    base: number,
    private readonly to: number,
  ) {
    this.at = base;
  }

  /** The offset of a new region of `bytes` bytes. */
  take(bytes: number): number {
    const p = this.at;
    this.at = alignUp(this.at + bytes, this.to);
    return p;
  }

  /** The first byte after every region taken so far. */
  get end(): number {
    return this.at;
  }
}
