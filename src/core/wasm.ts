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
