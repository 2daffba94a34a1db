/**
 * The arena: one shared `WebAssembly.Memory` holding every large array a fit works on (binned
 * features, gradients, the row partition, histograms). The WebAssembly kernels address it by
 * byte offset; the TypeScript kernels and the rest of the trainer use typed-array views over the
 * same bytes; worker threads receive the memory itself (shared, never copied) and do the same.
 *
 * A bump allocator hands out 16-byte-aligned blocks; the memory grows when it runs out (shared
 * memory grows in place, so existing views stay valid).
 *
 * @module
 */

import { ValidationError } from '../../../core/errors.ts';
import { Wasm, type WasmMemory } from '../../../core/wasm.ts';

const PAGE = 65536;
/** Byte offsets travel as int32 to the worker threads: the arena stays below 2 GiB. */
const MAX_BYTES = 2 ** 31 - 1;
/** Bytes below this offset are left to the WebAssembly module's static data. */
export const ARENA_BASE = 65536;

let nextId = 1;

/** A bump allocator over a shared WebAssembly memory. */
export class Arena {
  readonly memory: WasmMemory;
  /** Identifies this arena to worker threads (which cache one module instance per arena). */
  readonly id: number;
  private top = ARENA_BASE;

  /** Creates an arena able to hold `bytes` without growing. */
  constructor(bytes: number) {
    const pages = Math.min(Math.ceil((ARENA_BASE + bytes + PAGE) / PAGE), Math.floor(MAX_BYTES / PAGE));
    this.memory = new Wasm.Memory({ initial: pages, maximum: 65536, shared: true });
    this.id = nextId++ + Math.floor(Math.random() * 1e9) * 1000;
  }

  /** Reserves `bytes` (16-byte aligned) and returns the byte offset. */
  alloc(bytes: number): number {
    const at = Math.ceil(this.top / 16) * 16;
    const end = at + bytes;
    if (end > MAX_BYTES) {
      throw new ValidationError(
        `gbdt: this fit needs more than ${MAX_BYTES / 2 ** 30} GiB of working memory (binned data, gradients, histograms).`,
        { fix: 'fit on fewer rows (a sample) or fewer features, or lower maxLeafNodes' },
      );
    }
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const more = Math.ceil((end - have) / PAGE);
      try {
        this.memory.grow(Math.max(more, Math.ceil(have / PAGE / 4)));
      } catch {
        this.memory.grow(more);
      }
    }
    this.top = end;
    return at;
  }

  /** Bytes in use. */
  get used(): number {
    return this.top;
  }

  f64(length: number): { ptr: number; view: Float64Array } {
    const ptr = this.alloc(length * 8);
    return { ptr, view: new Float64Array(this.memory.buffer, ptr, length) };
  }

  u32(length: number): { ptr: number; view: Uint32Array } {
    const ptr = this.alloc(length * 4);
    return { ptr, view: new Uint32Array(this.memory.buffer, ptr, length) };
  }

  u8(length: number): { ptr: number; view: Uint8Array } {
    const ptr = this.alloc(length);
    return { ptr, view: new Uint8Array(this.memory.buffer, ptr, length) };
  }
}
