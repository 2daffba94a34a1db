/**
 * One shared WebAssembly memory holding a forest's training data (dense ranks, distinct values,
 * targets) where every thread's instance of the tree kernel (`grower-wasm.ts`) reads it in place:
 * nothing is copied per thread. Each thread then claims its own working region at the end of the
 * same memory ({@link claimRegion}).
 *
 * @module
 */

import { MemoryLayout, Wasm, type WasmMemory } from '../../core/wasm.ts';

/** Bytes per WebAssembly page. */
export const WASM_PAGE = 65536;
/** The largest memory (4 GiB); only what is used is ever touched. */
const MAX_PAGES = 65536;
/** First byte of data: the tree module keeps its own static data below it. */
export const ARENA_BASE = 1024;

/** Typed arrays laid out one after another (16-byte aligned) in a growable shared memory. */
export class KernelArena {
  /** Where the next array goes (16-byte aligned, from ARENA_BASE). */
  private readonly layout = new MemoryLayout(ARENA_BASE, 16);

  private constructor(readonly memory: WasmMemory) {}

  /**
   * A new arena for about `bytes` of data, or null when that would take more than half of the
   * largest memory (the threads' working regions need the rest) or no 4 GiB address range can be
   * reserved for it.
   */
  static create(bytes: number): KernelArena | null {
    if (bytes > (MAX_PAGES / 2) * WASM_PAGE) return null;
    try {
      return new KernelArena(new Wasm.Memory({ initial: 1, maximum: MAX_PAGES, shared: true }));
    } catch {
      return null;
    }
  }

  /** The byte offset of `bytes` new bytes in the arena (working space for a kernel). */
  bytes(bytes: number): number {
    const at = this.layout.take(bytes);
    const have = this.memory.buffer.byteLength;
    if (this.layout.end > have) this.memory.grow(Math.ceil((this.layout.end - have) / WASM_PAGE));
    return at;
  }

  /** A new zeroed array of `len` elements in the arena (its buffer read after the memory grew). */
  private view<T>(
    Ctor: new (b: ArrayBufferLike, at: number, len: number) => T,
    bytesPer: number,
    len: number,
  ): T {
    const at = this.bytes(len * bytesPer);
    return new Ctor(this.memory.buffer, at, len);
  }

  /** A new zeroed `Int32Array` of `len` elements in the arena. */
  i32(len: number): Int32Array {
    return this.view(Int32Array, 4, len);
  }

  /** A new zeroed `Float64Array` of `len` elements in the arena. */
  f64(len: number): Float64Array {
    return this.view(Float64Array, 8, len);
  }

  /** A new zeroed `Uint8Array` of `len` elements in the arena. */
  u8(len: number): Uint8Array {
    return this.view(Uint8Array, 1, len);
  }

  /** A copy of `a` in the arena. */
  copy<T extends Int32Array | Float64Array | Uint8Array>(a: T): T {
    const Ctor = a.constructor as new (b: ArrayBufferLike, at: number, len: number) => T;
    const out = this.view(Ctor, a.BYTES_PER_ELEMENT, a.length);
    (out as unknown as { set(x: T): void }).set(a);
    return out;
  }
}

/**
 * Claims `bytes` at the end of a shared memory for this thread's use: grows it (an atomic step, so
 * threads claiming at once get disjoint regions) and returns the region's first byte, or -1 when
 * the memory cannot grow that far.
 */
export function claimRegion(memory: WasmMemory, bytes: number): number {
  if (!Number.isFinite(bytes)) return -1;
  try {
    return memory.grow(Math.ceil(bytes / WASM_PAGE)) * WASM_PAGE;
  } catch {
    return -1;
  }
}
