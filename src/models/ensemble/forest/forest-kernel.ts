/**
 * The forest prediction kernel (`assembly/forest.ts`, compiled to `build/wasm/forest.wasm` by
 * `npm run build`): loading the module once per thread and binding it to a packed forest's shared
 * memory.
 *
 * An instance is cheap (the module's code is compiled once per process and shared by every
 * thread and instance), so worker threads make one per task rather than caching instances that
 * would keep a dropped forest's memory alive.
 *
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Wasm, type WasmMemory, type WasmModule } from '../../../core/wasm.ts';

/** First byte a packed forest may use: the module keeps no data of its own below it. */
export const FOREST_BASE = 1024;

const WASM_PATH = fileURLToPath(new URL('../../../../build/wasm/forest.wasm', import.meta.url));
let compiled: WasmModule | null | undefined;

/** The compiled module, or null when `build/wasm/forest.wasm` is not built. */
export function forestModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (existsSync(WASM_PATH)) {
    const mod = new Wasm.Module(readFileSync(WASM_PATH));
    // A module whose static data reached into the forest's bytes would corrupt them: refuse it.
    const probe = new Wasm.Memory({ initial: 1, maximum: 1, shared: true });
    const heapBase = (forestExports(mod, probe).heapBase as () => number)();
    if (heapBase <= FOREST_BASE) compiled = mod;
  }
  return compiled;
}

function forestExports(mod: WasmModule, memory: WasmMemory): Record<string, unknown> {
  return new Wasm.Instance(mod, {
    env: {
      memory,
      abort: () => {
        throw new Error('forest wasm kernel aborted');
      },
    },
  }).exports;
}

/**
 * `addTrees(X, nRows, d, nodes, values, roots, depths, t0, t1, K, out)`: adds the leaf values of
 * trees [t0, t1) for nRows rows at byte offset X to the row-major outputs at byte offset out (see
 * assembly/forest.ts).
 */
export type ForestKernelFn = (
  X: number,
  nRows: number,
  d: number,
  nodes: number,
  values: number,
  roots: number,
  depths: number,
  t0: number,
  t1: number,
  K: number,
  out: number,
) => void;

/** The kernel bound to `memory`, or null when the module is not built. */
export function forestKernel(memory: WasmMemory): ForestKernelFn | null {
  const mod = forestModule();
  return mod ? (forestExports(mod, memory).addTrees as ForestKernelFn) : null;
}

/** The packer of `assembly/forest.ts` (see `packForest` in packed-forest.ts). */
export interface ForestPacker {
  packStart(values: number, K: number, slots: number, nSlots: number, maxSlots: number, leaf: number): void;
  packTree(
    t: number,
    left: number,
    right: number,
    feature: number,
    threshold: number,
    value: number,
    classification: number,
    nodes: number,
    roots: number,
    depths: number,
    base: number,
    queue: number,
    depth: number,
  ): number;
  packValueCount(): number;
  packMaxFeature(): number;
}

/** The packer bound to `memory`, or null when the module is not built. */
export function forestPacker(memory: WasmMemory): ForestPacker | null {
  const mod = forestModule();
  return mod ? (forestExports(mod, memory) as unknown as ForestPacker) : null;
}
