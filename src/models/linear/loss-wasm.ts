/**
 * The WebAssembly build of the logistic loss/gradient kernels (`assembly/linear.ts`, compiled to
 * `build/wasm/linear.wasm` by `npm run build`) and the code that feeds them.
 *
 * Why WebAssembly: V8 compiles it to machine code before the first call, so the first fit in a
 * process runs at full speed — the TypeScript kernels start in the interpreter and reach full
 * speed only once the JIT has compiled them (≈ 0.1–0.2 s of CPU per thread, which dominated fits
 * on small data), and SIMD does two multiply-adds per instruction.
 *
 * The data stays where it is: each block of {@link LOSS_BLOCK} rows is copied into a small buffer
 * in this thread's instance memory (a few hundred KB, reused, so it stays in cache), then the
 * kernel runs on it — no copy of X is made, whatever its size, and results are bit-identical to
 * the TypeScript kernels (`logistic-loss.ts`), which the tests check. Each thread (the main thread
 * and every pool worker) has its own instance and memory.
 *
 * Memory layout (byte offsets, 16-byte aligned, above the module's static data): w (dim f64), out
 * (1 + dim f64), z (4·K f64), y (LOSS_BLOCK f64), sw (LOSS_BLOCK f64), X (LOSS_BLOCK·p f64). The
 * prediction scores ({@link wasmScoreRows}) use the same memory, laid out their own way.
 *
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Wasm, type WasmMemory, type WasmModule } from '../../core/wasm.ts';
import type { LbfgsOptions, LbfgsResult, LbfgsStatus, Objective } from './lbfgs.ts';

/** Rows per block. Fixed (never derived from the thread count) so sums do not depend on it. */
export const LOSS_BLOCK = 1024;

/** Which implementation of the loss kernels to run (both give the same bits). */
export type LossKernelKind = 'wasm' | 'ts';

interface LinearExports {
  heapBase(): number;
  binaryBlock(
    x: number,
    p: number,
    y: number,
    sw: number,
    fitIntercept: number,
    w: number,
    rows: number,
    out: number,
  ): void;
  multinomialBlock(
    x: number,
    p: number,
    y: number,
    sw: number,
    K: number,
    fitIntercept: number,
    w: number,
    rows: number,
    out: number,
    z: number,
  ): void;
  scoreBlock(x: number, rows: number, p: number, W: number, b: number, K: number, z: number): void;
  probaBlock(
    x: number,
    rows: number,
    p: number,
    W: number,
    b: number,
    K: number,
    link: number,
    z: number,
    out: number,
  ): number;
  argmaxBlock(
    x: number,
    rows: number,
    p: number,
    W: number,
    b: number,
    K: number,
    z: number,
    codes: number,
  ): number;
  labelBlock(
    x: number,
    rows: number,
    p: number,
    W: number,
    b: number,
    K: number,
    z: number,
    codes: number,
    table: number,
    labels: number,
  ): number;
  logF64(x: number): number;
  expNegF64Array(src: number, dst: number, n: number): void;
  lbfgsStart(
    n: number,
    m: number,
    maxIter: number,
    maxls: number,
    pgtol: number,
    tol: number,
    f0: number,
    x: number,
    g: number,
    d: number,
    z: number,
    t: number,
    r: number,
    S: number,
    Y: number,
    sy: number,
    alpha: number,
  ): number;
  lbfgsResume(f: number): number;
  lbfgsF(): number;
  lbfgsNFev(): number;
  lbfgsNIter(): number;
  log1pUnitF64Array(src: number, dst: number, n: number): void;
}

const WASM_PATH = fileURLToPath(new URL('../../../build/wasm/linear.wasm', import.meta.url));
let compiled: WasmModule | null | undefined;
/** Whether the compiled module imports a shared memory (see {@link unshareMemoryImport}). */
let sharedMemory = true;

function loadModule(): WasmModule | null {
  if (compiled === undefined) {
    if (existsSync(WASM_PATH)) {
      const bytes = new Uint8Array(readFileSync(WASM_PATH));
      sharedMemory = !unshareMemoryImport(bytes);
      compiled = new Wasm.Module(bytes);
    } else compiled = null;
  }
  return compiled;
}

/** Reads an unsigned LEB128 at `pos`: [value, next position]. */
function leb(bytes: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let shift = 0;
  let b: number;
  do {
    b = bytes[pos++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [value, pos];
}

/**
 * Declares the module's imported memory unshared, in place (the limits' flag byte 0x03 → 0x01);
 * returns false when the bytes are not laid out as expected (the module then keeps its shared
 * memory). The build compiles every module of assembly/ for a shared memory, but these kernels
 * share nothing between threads — each thread has its own instance — and V8 copies a typed array
 * into shared memory with a relaxed word-by-word loop, 2.4× slower than into ordinary memory: the
 * copy of each block of X into the instance was a quarter of a loss pass. The module uses no
 * atomic instruction, so it validates with either memory.
 */
export function unshareMemoryImport(bytes: Uint8Array): boolean {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    return false;
  }
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos];
    const [size, start] = leb(bytes, pos + 1);
    if (id === 2) {
      let [count, q] = leb(bytes, start);
      for (; count > 0; count--) {
        let len: number;
        [len, q] = leb(bytes, q); // module name
        q += len;
        [len, q] = leb(bytes, q); // field name
        q += len;
        const kind = bytes[q++];
        if (kind === 0)
          [, q] = leb(bytes, q); // a function: its type index
        else if (kind === 1 || kind === 3) {
          if (kind === 3)
            q += 2; // a global: value type and mutability
          else {
            q++; // a table: element type, then limits
            const flags = bytes[q++];
            [, q] = leb(bytes, q);
            if (flags & 1) [, q] = leb(bytes, q);
          }
        } else if (kind === 2) {
          if (bytes[q] !== 0x03) return false;
          bytes[q] = 0x01;
          return true;
        } else return false;
      }
      return false;
    }
    pos = start + size;
  }
  return false;
}

/** True when `build/wasm/linear.wasm` exists (it is built by `npm run build`). */
export function lossWasmAvailable(): boolean {
  return loadModule() !== null;
}

/**
 * The kernel kind used by default: `LATHE_LINEAR_KERNEL` (`wasm` or `ts`) if set, else wasm when
 * built, else TypeScript.
 */
export function defaultLossKernel(): LossKernelKind {
  const env = process.env.LATHE_LINEAR_KERNEL;
  if (env === 'ts') return 'ts';
  if (env === 'wasm' && !lossWasmAvailable()) {
    throw new Error(`LATHE_LINEAR_KERNEL=wasm but ${WASM_PATH} is missing; run 'npm run build'.`);
  }
  return lossWasmAvailable() ? 'wasm' : 'ts';
}

const PAGE = 65536;
const align16 = (v: number) => Math.ceil(v / 16) * 16;

/** One thread's instance, with views over the current layout. */
interface Kernel {
  memory: WasmMemory;
  e: LinearExports;
  base: number;
  /** The layout is valid for these (p, K, dim). */
  p: number;
  K: number;
  dim: number;
  wPtr: number;
  outPtr: number;
  zPtr: number;
  yPtr: number;
  swPtr: number;
  xPtr: number;
  w: Float64Array;
  out: Float64Array;
  y: Float64Array;
  sw: Float64Array;
  x: Float64Array;
}

let kernel: Kernel | null = null;

function instantiate(): Kernel {
  const mod = loadModule();
  if (!mod) throw new Error(`linear: the WebAssembly kernels are not built (${WASM_PATH}).`);
  const memory = new Wasm.Memory({ initial: 8, maximum: 65536, shared: sharedMemory });
  const inst = new Wasm.Instance(mod, {
    env: {
      memory,
      abort: () => {
        throw new Error('linear wasm kernel aborted');
      },
    },
  });
  const e = inst.exports as unknown as LinearExports;
  const base = align16(e.heapBase());
  const empty = new Float64Array(0);
  return {
    memory,
    e,
    base,
    p: -1,
    K: -1,
    dim: -1,
    wPtr: 0,
    outPtr: 0,
    zPtr: 0,
    yPtr: 0,
    swPtr: 0,
    xPtr: 0,
    w: empty,
    out: empty,
    y: empty,
    sw: empty,
    x: empty,
  };
}

/** This thread's kernel, laid out for p features, K classes and dim coefficients. */
function kernelFor(p: number, K: number, dim: number): Kernel {
  if (kernel === null) kernel = instantiate();
  const k = kernel;
  // An unshared memory's views are detached when it grows (another layout may have grown it).
  if (k.p === p && k.K === K && k.dim === dim && k.w.buffer === k.memory.buffer) return k;
  k.wPtr = k.base;
  k.outPtr = align16(k.wPtr + dim * 8);
  k.zPtr = align16(k.outPtr + (1 + dim) * 8);
  k.yPtr = align16(k.zPtr + 4 * K * 8);
  k.swPtr = align16(k.yPtr + LOSS_BLOCK * 8);
  k.xPtr = align16(k.swPtr + LOSS_BLOCK * 8);
  const end = k.xPtr + LOSS_BLOCK * p * 8;
  const have = k.memory.buffer.byteLength;
  if (end > have) k.memory.grow(Math.ceil((end - have) / PAGE));
  const buf = k.memory.buffer;
  k.w = new Float64Array(buf, k.wPtr, dim);
  k.out = new Float64Array(buf, k.outPtr, 1 + dim);
  k.y = new Float64Array(buf, k.yPtr, LOSS_BLOCK);
  k.sw = new Float64Array(buf, k.swPtr, LOSS_BLOCK);
  k.x = new Float64Array(buf, k.xPtr, LOSS_BLOCK * p);
  k.p = p;
  k.K = K;
  k.dim = dim;
  return k;
}

/**
 * The WebAssembly twin of `lossBlocks` (same arguments, same bits): runs blocks [b0, b1) of a
 * problem, writing each block's (loss, gradient) to `partials`.
 */
export function wasmLossBlocks(
  X: Float64Array,
  n: number,
  p: number,
  y: Float64Array,
  sw: Float64Array | null,
  K: number,
  fitIntercept: boolean,
  w: Float64Array,
  b0: number,
  b1: number,
  partials: Float64Array,
): void {
  const dof = p + (fitIntercept ? 1 : 0);
  const dim = K * dof;
  const k = kernelFor(p, K, dim);
  k.w.set(w.subarray(0, dim));
  const stride = 1 + dim;
  const fi = fitIntercept ? 1 : 0;
  const swPtr = sw === null ? 0 : k.swPtr;
  for (let b = b0; b < b1; b++) {
    const start = b * LOSS_BLOCK;
    const end = Math.min(n, start + LOSS_BLOCK);
    const rows = end - start;
    k.x.set(X.subarray(start * p, end * p));
    k.y.set(y.subarray(start, end));
    if (sw !== null) k.sw.set(sw.subarray(start, end));
    if (K === 1) k.e.binaryBlock(k.xPtr, p, k.yPtr, swPtr, fi, k.wPtr, rows, k.outPtr);
    else k.e.multinomialBlock(k.xPtr, p, k.yPtr, swPtr, K, fi, k.wPtr, rows, k.outPtr, k.zPtr);
    partials.set(k.out, b * stride);
  }
}

const LBFGS_EVALUATE = 1;
const LBFGS_STATUS: Record<number, LbfgsStatus> = { 2: 'pgtol', 3: 'ftol', 4: 'maxIter', 5: 'lineSearch' };

/**
 * The WebAssembly twin of `minimizeLbfgs` (lbfgs.ts; the same iterates, bit for bit): the solver
 * runs in this thread's instance, its vectors in the instance memory above the loss kernels'
 * buffers for a problem of p features and K score columns (dim = x0.length coefficients), and
 * calls back `fg` — the objective, which runs the loss kernels — for each evaluation, with x and
 * the gradient to fill as views of that memory.
 */
export function wasmMinimizeLbfgs(
  fg: Objective,
  x0: Float64Array,
  options: LbfgsOptions,
  p: number,
  K: number,
): LbfgsResult {
  const n = x0.length;
  const m = options.m ?? 10;
  const ftol = options.ftol ?? 2.220446049250313e-9;
  const EPS = 2.220446049250313e-16;
  const tol = (ftol / EPS) * EPS; // factr · epsmch, as lbfgs.ts computes it
  const k = kernelFor(p, K, n);
  const vec = n * 8;
  const xPtr = align16(k.xPtr + LOSS_BLOCK * p * 8);
  const gPtr = align16(xPtr + vec);
  const dPtr = align16(gPtr + vec);
  const zPtr = align16(dPtr + vec);
  const tPtr = align16(zPtr + vec);
  const rPtr = align16(tPtr + vec);
  const SPtr = align16(rPtr + vec);
  const YPtr = align16(SPtr + m * vec);
  const syPtr = align16(YPtr + m * vec);
  const alphaPtr = align16(syPtr + m * 8);
  const end = alphaPtr + m * 8;
  const have = k.memory.buffer.byteLength;
  if (end > have) k.memory.grow(Math.ceil((end - have) / PAGE));
  let x = new Float64Array(k.memory.buffer, xPtr, n);
  let g = new Float64Array(k.memory.buffer, gPtr, n);
  // Views of an unshared memory are detached if it grows: take new ones whenever it has.
  const fresh = () => {
    if (x.buffer !== k.memory.buffer) {
      x = new Float64Array(k.memory.buffer, xPtr, n);
      g = new Float64Array(k.memory.buffer, gPtr, n);
    }
  };
  x.set(x0);
  let f: number;
  if (options.initial) {
    f = options.initial.f;
    g.set(options.initial.grad);
  } else f = fg(x, g);
  const e = k.e;
  let state = e.lbfgsStart(
    n,
    m,
    options.maxIter,
    options.maxls ?? 20,
    options.pgtol,
    tol,
    f,
    xPtr,
    gPtr,
    dPtr,
    zPtr,
    tPtr,
    rPtr,
    SPtr,
    YPtr,
    syPtr,
    alphaPtr,
  );
  while (state === LBFGS_EVALUATE) {
    fresh();
    state = e.lbfgsResume(fg(x, g));
  }
  fresh();
  const status = LBFGS_STATUS[state];
  return {
    x: x.slice(),
    f: e.lbfgsF(),
    grad: g.slice(),
    nIter: e.lbfgsNIter(),
    nFev: e.lbfgsNFev(),
    status,
    converged: status === 'pgtol' || status === 'ftol',
  };
}

/** Rows scored per call of the WebAssembly prediction kernels (a multiple of 4). */
export const SCORE_CHUNK = 1024;

/** Where the prediction kernels' buffers sit in this thread's memory (byte offsets). */
interface PredictLayout {
  k: Kernel;
  wPtr: number;
  bPtr: number;
  zPtr: number;
  outPtr: number;
  codesPtr: number;
  /** The class values of `labelBlock` (as many as requested). */
  tablePtr: number;
  xPtr: number;
  /** A view of the x buffer (SCORE_CHUNK × p). */
  xs: Float64Array;
}

/**
 * Lays this thread's memory out for predicting with K coefficient rows of p features and C output
 * columns — W, b, scores z (a chunk × K), out (a chunk × C), codes (a chunk of i32), a table of
 * `tableLength` values, x (a chunk × p) — and copies W and b in.
 */
function predictLayout(
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  C: number,
  tableLength = 0,
): PredictLayout {
  if (kernel === null) kernel = instantiate();
  const k = kernel;
  // Prediction lays the memory out its own way; the loss kernels lay it out again when next used.
  k.p = -1;
  const wPtr = k.base;
  const bPtr = align16(wPtr + K * p * 8);
  const zPtr = align16(bPtr + K * 8);
  const outPtr = align16(zPtr + SCORE_CHUNK * K * 8);
  const codesPtr = align16(outPtr + SCORE_CHUNK * C * 8);
  const tablePtr = align16(codesPtr + SCORE_CHUNK * 4);
  const xPtr = align16(tablePtr + tableLength * 8);
  const end = xPtr + SCORE_CHUNK * p * 8;
  const have = k.memory.buffer.byteLength;
  if (end > have) k.memory.grow(Math.ceil((end - have) / PAGE));
  const buf = k.memory.buffer;
  new Float64Array(buf, wPtr, K * p).set(W.subarray(0, K * p));
  new Float64Array(buf, bPtr, K).set(b.subarray(0, K));
  const xs = new Float64Array(buf, xPtr, SCORE_CHUNK * p);
  return { k, wPtr, bPtr, zPtr, outPtr, codesPtr, tablePtr, xPtr, xs };
}

/**
 * The WebAssembly twin of `linearScores` (same bits): scores X·Wᵀ + b of rows [r0, r1) of the
 * row-major `data` (p features; W is K × p row-major) into `out` from `outOffset`, row-major K per
 * row. Streams {@link SCORE_CHUNK} rows at a time through this thread's instance memory, so no
 * copy of X is made and nothing waits for the JIT.
 */
export function wasmScoreRows(
  data: Float64Array,
  r0: number,
  r1: number,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  out: Float64Array,
  outOffset: number,
): void {
  const L = predictLayout(p, W, b, K, 0);
  const zs = new Float64Array(L.k.memory.buffer, L.zPtr, SCORE_CHUNK * K);
  for (let c0 = r0; c0 < r1; c0 += SCORE_CHUNK) {
    const rows = Math.min(SCORE_CHUNK, r1 - c0);
    L.xs.set(data.subarray(c0 * p, (c0 + rows) * p));
    L.k.e.scoreBlock(L.xPtr, rows, p, L.wPtr, L.bPtr, K, L.zPtr);
    out.set(rows === SCORE_CHUNK ? zs : zs.subarray(0, rows * K), outOffset + (c0 - r0) * K);
  }
}

/**
 * The WebAssembly twin of scoring with `linearScores` and then `probaFromScores` (links.ts):
 * probabilities of rows [r0, r1) of `data` into `out` from `outOffset` (C per row: 2 when K = 1,
 * else K), a chunk at a time. Returns the sum of the scores (not finite when any is NaN or ±∞).
 */
export function wasmProbaRows(
  data: Float64Array,
  r0: number,
  r1: number,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  link: number,
  out: Float64Array,
  outOffset: number,
): number {
  const C = K === 1 ? 2 : K;
  const L = predictLayout(p, W, b, K, C);
  const os = new Float64Array(L.k.memory.buffer, L.outPtr, SCORE_CHUNK * C);
  let check = 0;
  for (let c0 = r0; c0 < r1; c0 += SCORE_CHUNK) {
    const rows = Math.min(SCORE_CHUNK, r1 - c0);
    L.xs.set(data.subarray(c0 * p, (c0 + rows) * p));
    check += L.k.e.probaBlock(L.xPtr, rows, p, L.wPtr, L.bPtr, K, link, L.zPtr, L.outPtr);
    out.set(rows === SCORE_CHUNK ? os : os.subarray(0, rows * C), outOffset + (c0 - r0) * C);
  }
  return check;
}

/**
 * The WebAssembly twin of scoring with `linearScores` and then `argmaxCodes` (links.ts): the
 * predicted class codes of rows [r0, r1) of `data`, handed to `take(codes, first)` a chunk at a
 * time (`codes` is a view of this thread's memory, valid until `take` returns; `first` is the row
 * of its first code). Returns the sum of all scores (not finite when any score is NaN or ±∞).
 */
export function wasmArgmaxRows(
  data: Float64Array,
  r0: number,
  r1: number,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  take: (codes: Int32Array, first: number) => void,
): number {
  const L = predictLayout(p, W, b, K, 0);
  const cs = new Int32Array(L.k.memory.buffer, L.codesPtr, SCORE_CHUNK);
  let check = 0;
  for (let c0 = r0; c0 < r1; c0 += SCORE_CHUNK) {
    const rows = Math.min(SCORE_CHUNK, r1 - c0);
    L.xs.set(data.subarray(c0 * p, (c0 + rows) * p));
    check += L.k.e.argmaxBlock(L.xPtr, rows, p, L.wPtr, L.bPtr, K, L.zPtr, L.codesPtr);
    take(rows === SCORE_CHUNK ? cs : cs.subarray(0, rows), c0);
  }
  return check;
}

/**
 * The WebAssembly twin of `argmaxRows` followed by a look-up of each code in `table` (the classes,
 * when they are numbers): the predicted class values of rows [r0, r1) of `data` into `out` from
 * `outOffset`, a chunk at a time. Returns the sum of all scores (not finite when any score is NaN
 * or ±∞).
 */
export function wasmLabelRows(
  data: Float64Array,
  r0: number,
  r1: number,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  table: Float64Array,
  out: Float64Array,
  outOffset: number,
): number {
  const L = predictLayout(p, W, b, K, 1, table.length);
  const buf = L.k.memory.buffer;
  new Float64Array(buf, L.tablePtr, table.length).set(table);
  const ls = new Float64Array(buf, L.outPtr, SCORE_CHUNK);
  let check = 0;
  for (let c0 = r0; c0 < r1; c0 += SCORE_CHUNK) {
    const rows = Math.min(SCORE_CHUNK, r1 - c0);
    L.xs.set(data.subarray(c0 * p, (c0 + rows) * p));
    check += L.k.e.labelBlock(L.xPtr, rows, p, L.wPtr, L.bPtr, K, L.zPtr, L.codesPtr, L.tablePtr, L.outPtr);
    out.set(rows === SCORE_CHUNK ? ls : ls.subarray(0, rows), outOffset + (c0 - r0));
  }
  return check;
}

/**
 * For the tests: fdlibm's log, and the two-lane `expNonPositive` and `log1pOfUnit` of
 * `lean-math.ts` as compiled into the module, applied to every value of an array.
 */
export function wasmMath(): {
  log(x: number): number;
  expNonPositive(values: Float64Array): Float64Array;
  log1pOfUnit(values: Float64Array): Float64Array;
} {
  if (kernel === null) kernel = instantiate();
  const k = kernel;
  k.p = -1; // the layout below is the tests' own
  const run = (f: (src: number, dst: number, n: number) => void, values: Float64Array) => {
    const n = values.length + (values.length & 1); // the kernels take pairs
    const src = k.base;
    const dst = align16(src + n * 8);
    const end = dst + n * 8;
    const have = k.memory.buffer.byteLength;
    if (end > have) k.memory.grow(Math.ceil((end - have) / PAGE));
    const s = new Float64Array(k.memory.buffer, src, n);
    s.set(values);
    if (n > values.length) s[n - 1] = 0;
    f(src, dst, n);
    return new Float64Array(k.memory.buffer, dst, values.length).slice();
  };
  return {
    log: k.e.logF64,
    expNonPositive: (v) => run(k.e.expNegF64Array, v),
    log1pOfUnit: (v) => run(k.e.log1pUnitF64Array, v),
  };
}
