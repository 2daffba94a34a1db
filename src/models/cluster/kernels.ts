/**
 * The row loops of k-means behind one interface, in two implementations that give the same bits:
 * WebAssembly (compiled from `assembly/cluster.ts`, SIMD) and plain TypeScript (the fallback, and
 * the reference the tests hold the WebAssembly to). Both work on byte offsets into one memory;
 * `assembly/cluster.ts` describes the arrays and the order of every sum.
 *
 * `LATHE_CLUSTER_KERNEL=ts` forces the TypeScript kernels; the WebAssembly ones are used when
 * `build/wasm/cluster.wasm` exists (it is built by `npm run build`).
 *
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Wasm, type WasmMemory, type WasmModule } from '../../core/wasm.ts';

/** Which implementation to use. */
export type ClusterKernelKind = 'wasm' | 'ts';

/** The kernels, bound to one memory. Pointers are byte offsets; 0 for `w` means unit weights. */
export interface ClusterKernels {
  readonly kind: ClusterKernelKind;
  rowNorms(x: number, n: number, d: number, xx: number): void;
  assignAll(
    x: number,
    n: number,
    d: number,
    xx: number,
    ct: number,
    cc: number,
    kp: number,
    labels: number,
    upper: number,
    lower: number,
    buf: number,
  ): void;
  hamerlyPass(
    x: number,
    n: number,
    d: number,
    w: number,
    xx: number,
    centers: number,
    ct: number,
    cc: number,
    kp: number,
    labels: number,
    upper: number,
    lower: number,
    shift: number,
    nearestHalf: number,
    m1: number,
    m1At: number,
    m2: number,
    sums: number,
    wsum: number,
    buf: number,
    list: number,
  ): number;
  clusterSums(
    x: number,
    n: number,
    d: number,
    w: number,
    labels: number,
    k: number,
    sums: number,
    wsum: number,
  ): void;
  /**
   * Nearest center of every row by the score −2x·c + ‖c‖² (first on ties); returns the number of
   * rows whose smallest score is not finite (see `assembly/cluster.ts`).
   */
  nearestLabels(
    x: number,
    n: number,
    d: number,
    ct: number,
    cc: number,
    kp: number,
    labels: number,
    buf: number,
  ): number;
  labelsInertia(
    x: number,
    n: number,
    d: number,
    w: number,
    centers: number,
    ct: number,
    cc: number,
    kp: number,
    labels: number,
    buf: number,
    wantInertia: number,
  ): number;
  /** out[i, j] = ‖x_i − c_j‖ for j < k (out: n × k), centers from ct (d × kp). */
  distances(x: number, n: number, d: number, ct: number, kp: number, k: number, out: number): void;
  kppFirst(x: number, n: number, d: number, w: number, c: number, closest: number): number;
  cumulative(closest: number, w: number, n: number, cum: number): void;
  kppTrials(
    x: number,
    n: number,
    d: number,
    w: number,
    cands: number,
    trials: number,
    closest: number,
    out: number,
    pots: number,
  ): void;
  allFinite(x: number, count: number): number;
  columnSums(x: number, n: number, d: number, out: number): void;
  columnSqDev(x: number, n: number, d: number, mean: number, out: number): void;
  centerRows(x: number, n: number, d: number, v: number): void;
}

const WASM_PATH = fileURLToPath(new URL('../../../build/wasm/cluster.wasm', import.meta.url));
let compiled: WasmModule | null | undefined;

function loadModule(): WasmModule | null {
  if (compiled === undefined)
    compiled = existsSync(WASM_PATH) ? new Wasm.Module(readFileSync(WASM_PATH)) : null;
  return compiled;
}

/** True when `build/wasm/cluster.wasm` exists (it is built by `npm run build`). */
export function clusterWasmAvailable(): boolean {
  return loadModule() !== null;
}

/** The kernel kind used by default: `LATHE_CLUSTER_KERNEL` if set, else wasm when built, else ts. */
export function defaultClusterKernel(): ClusterKernelKind {
  const env = process.env.LATHE_CLUSTER_KERNEL;
  if (env === 'ts') return 'ts';
  if (env === 'wasm' && !clusterWasmAvailable()) {
    throw new Error(`LATHE_CLUSTER_KERNEL=wasm but ${WASM_PATH} is missing; run 'npm run build'.`);
  }
  return clusterWasmAvailable() ? 'wasm' : 'ts';
}

/** Bytes at the start of a memory left to the module's static data. */
export const CLUSTER_HEAP_BASE = 1024;

/** Kernels of the given kind over `memory`. */
export function clusterKernels(memory: WasmMemory, kind: ClusterKernelKind): ClusterKernels {
  if (kind === 'ts') return new TsClusterKernels(memory);
  const mod = loadModule();
  if (!mod) throw new Error(`cluster: the WebAssembly kernels are not built (${WASM_PATH}).`);
  const inst = new Wasm.Instance(mod, {
    env: {
      memory,
      abort: () => {
        throw new Error('cluster wasm kernel aborted');
      },
    },
  });
  const e = inst.exports as unknown as Omit<ClusterKernels, 'kind'> & { heapBase(): number };
  if (e.heapBase() > CLUSTER_HEAP_BASE) throw new Error('cluster: wasm static data overlaps the arrays.');
  return {
    kind: 'wasm',
    rowNorms: e.rowNorms,
    assignAll: e.assignAll,
    hamerlyPass: e.hamerlyPass,
    clusterSums: e.clusterSums,
    nearestLabels: e.nearestLabels,
    labelsInertia: e.labelsInertia,
    distances: e.distances,
    kppFirst: e.kppFirst,
    cumulative: e.cumulative,
    kppTrials: e.kppTrials,
    allFinite: e.allFinite,
    columnSums: e.columnSums,
    columnSqDev: e.columnSqDev,
    centerRows: e.centerRows,
  };
}

/** A kernel memory and the kernels bound to it. */
export interface ClusterMemory {
  memory: WasmMemory;
  kernels: ClusterKernels;
  /** Its size in bytes. */
  bytes: number;
  /** True when just created (all zeros), false when reused (whatever the last user left). */
  fresh: boolean;
}

/**
 * The largest kernel memory a thread keeps between calls. Creating a WebAssembly memory and
 * touching its fresh pages costs milliseconds (~16 µs per 4 KB page on the virtual machines this
 * was measured on), as much as a whole small fit or predict; memories up to this size are kept and
 * reused, larger ones are made for the call and dropped (they would hold that much memory for the
 * life of the process).
 */
export const CLUSTER_RETAIN_BYTES = 64 << 20;

const PAGE = 65536;
let kept: ClusterMemory | null = null;

/**
 * This thread's kernel memory with at least `bytes`, reused from the last call when it is big
 * enough (see {@link CLUSTER_RETAIN_BYTES}); `fresh` tells whether it is all zeros.
 */
export function clusterMemory(bytes: number, kind: ClusterKernelKind): ClusterMemory {
  if (kept && kept.bytes >= bytes && kept.kernels.kind === kind) {
    kept.fresh = false;
    return kept;
  }
  const pages = Math.ceil(bytes / PAGE);
  const memory = new Wasm.Memory({ initial: pages, maximum: pages, shared: true });
  const m: ClusterMemory = {
    memory,
    kernels: clusterKernels(memory, kind),
    bytes: pages * PAGE,
    fresh: true,
  };
  if (m.bytes <= CLUSTER_RETAIN_BYTES) kept = m;
  return m;
}

/** ‖a‖², even and odd features summed apart (as the WebAssembly lanes), a and b in F64 indices. */
function sqNorm(F: Float64Array, a: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  const d2 = d & ~1;
  for (let f = 0; f < d2; f += 2) {
    const u = F[a + f];
    const v = F[a + f + 1];
    s0 += u * u;
    s1 += v * v;
  }
  if (d2 < d) {
    const u = F[a + d2];
    s0 += u * u;
  }
  return s0 + s1;
}

/** ‖a − b‖², even and odd features summed apart. */
function sqDist(F: Float64Array, a: number, b: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  const d2 = d & ~1;
  for (let f = 0; f < d2; f += 2) {
    const u = F[a + f] - F[b + f];
    const v = F[a + f + 1] - F[b + f + 1];
    s0 += u * u;
    s1 += v * v;
  }
  if (d2 < d) {
    const u = F[a + d2] - F[b + d2];
    s0 += u * u;
  }
  return s0 + s1;
}

/** a · b, even and odd features summed apart. */
function dot(F: Float64Array, a: number, b: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  const d2 = d & ~1;
  for (let f = 0; f < d2; f += 2) {
    s0 += F[a + f] * F[b + f];
    s1 += F[a + f + 1] * F[b + f + 1];
  }
  if (d2 < d) s0 += F[a + d2] * F[b + d2];
  return s0 + s1;
}

/** The TypeScript twins: the loops of `assembly/cluster.ts`, every sum in the same order. */
class TsClusterKernels implements ClusterKernels {
  readonly kind = 'ts' as const;
  private readonly F: Float64Array;
  private readonly I: Int32Array;
  // Results of the last argmin1 or argmin2 (fields, so the hot loop allocates nothing).
  private nearest = 0;
  private d1 = 0;
  private d2 = 0;

  constructor(memory: WasmMemory) {
    this.F = new Float64Array(memory.buffer);
    this.I = new Int32Array(memory.buffer);
  }

  /**
   * buf[j] = ‖x‖² − 2·x·c_j + ‖c_j‖², each dot product over the features in order (F64 indices);
   * with xx = 0, the score of `nearestLabels`.
   */
  private rowDists(x: number, d: number, xx: number, ct: number, cc: number, kp: number, buf: number): void {
    const F = this.F;
    for (let j = 0; j < kp; j++) {
      let s = 0;
      for (let f = 0, c = ct + j; f < d; f++, c += kp) s += F[x + f] * F[c];
      F[buf + j] = xx - 2 * s + F[cc + j];
    }
  }

  /** Nearest (first on ties) and the two smallest distances among buf[0..kp). */
  private argmin2(buf: number, kp: number): void {
    const F = this.F;
    let best = 0;
    let b1 = Number.POSITIVE_INFINITY;
    let b2 = Number.POSITIVE_INFINITY;
    for (let j = 0; j < kp; j++) {
      const dd = F[buf + j];
      if (dd < b1) best = j;
      b2 = Math.min(b2, Math.max(b1, dd));
      b1 = Math.min(b1, dd);
    }
    this.nearest = best;
    this.d1 = b1;
    this.d2 = b2;
  }

  /** Nearest (first on ties; a NaN never taken) and the smallest value among buf[0..kp). */
  private argmin1(buf: number, kp: number): void {
    const F = this.F;
    let best = 0;
    let b1 = Number.POSITIVE_INFINITY;
    for (let j = 0; j < kp; j++) {
      const dd = F[buf + j];
      if (dd < b1) {
        best = j;
        b1 = dd;
      }
    }
    this.nearest = best;
    this.d1 = b1;
  }

  rowNorms(x: number, n: number, d: number, xx: number): void {
    const F = this.F;
    x >>>= 3;
    xx >>>= 3;
    for (let i = 0; i < n; i++) F[xx + i] = sqNorm(F, x + i * d, d);
  }

  assignAll(
    x: number,
    n: number,
    d: number,
    xx: number,
    ct: number,
    cc: number,
    kp: number,
    labels: number,
    upper: number,
    lower: number,
    buf: number,
  ): void {
    const { F, I } = this;
    [x, xx, ct, cc, upper, lower, buf] = [
      x >>> 3,
      xx >>> 3,
      ct >>> 3,
      cc >>> 3,
      upper >>> 3,
      lower >>> 3,
      buf >>> 3,
    ];
    labels >>>= 2;
    for (let i = 0; i < n; i++) {
      this.rowDists(x + i * d, d, F[xx + i], ct, cc, kp, buf);
      this.argmin2(buf, kp);
      I[labels + i] = this.nearest;
      F[upper + i] = Math.sqrt(Math.max(this.d1, 0));
      F[lower + i] = Math.sqrt(Math.max(this.d2, 0));
    }
  }

  hamerlyPass(
    x: number,
    n: number,
    d: number,
    w: number,
    xx: number,
    centers: number,
    ct: number,
    cc: number,
    kp: number,
    labels: number,
    upper: number,
    lower: number,
    shift: number,
    nearestHalf: number,
    m1: number,
    m1At: number,
    m2: number,
    sums: number,
    wsum: number,
    buf: number,
    _list: number,
  ): number {
    const { F, I } = this;
    const hasW = w !== 0;
    [x, w, xx, centers, ct, cc, upper, lower] = [
      x >>> 3,
      w >>> 3,
      xx >>> 3,
      centers >>> 3,
      ct >>> 3,
      cc >>> 3,
      upper >>> 3,
      lower >>> 3,
    ];
    [shift, nearestHalf, sums, wsum, buf] = [
      shift >>> 3,
      nearestHalf >>> 3,
      sums >>> 3,
      wsum >>> 3,
      buf >>> 3,
    ];
    labels >>>= 2;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const a = I[labels + i];
      let u = F[upper + i] + F[shift + a];
      const l = F[lower + i] - (a === m1At ? m2 : m1);
      const z = Math.max(l, F[nearestHalf + a]);
      if (u > z) {
        const xo = x + i * d;
        const xxi = F[xx + i];
        u = Math.sqrt(Math.max(xxi - 2 * dot(F, xo, centers + a * d, d) + F[cc + a], 0));
        if (u > z) {
          this.rowDists(xo, d, xxi, ct, cc, kp, buf);
          this.argmin2(buf, kp);
          const b = this.nearest;
          I[labels + i] = b;
          F[upper + i] = Math.sqrt(Math.max(this.d1, 0));
          F[lower + i] = Math.sqrt(Math.max(this.d2, 0));
          if (b !== a) {
            changed++;
            const wi = hasW ? F[w + i] : 1;
            F[wsum + a] -= wi;
            F[wsum + b] += wi;
            const sa = sums + a * d;
            const sb = sums + b * d;
            for (let f = 0; f < d; f++) {
              const v = F[xo + f] * wi;
              F[sa + f] -= v;
              F[sb + f] += v;
            }
          }
          continue;
        }
      }
      F[upper + i] = u;
      F[lower + i] = l;
    }
    return changed;
  }

  clusterSums(
    x: number,
    n: number,
    d: number,
    w: number,
    labels: number,
    k: number,
    sums: number,
    wsum: number,
  ): void {
    const { F, I } = this;
    const hasW = w !== 0;
    [x, w, sums, wsum] = [x >>> 3, w >>> 3, sums >>> 3, wsum >>> 3];
    labels >>>= 2;
    F.fill(0, sums, sums + k * d);
    F.fill(0, wsum, wsum + k);
    for (let i = 0; i < n; i++) {
      const j = I[labels + i];
      const wi = hasW ? F[w + i] : 1;
      F[wsum + j] += wi;
      const s = sums + j * d;
      const xo = x + i * d;
      for (let f = 0; f < d; f++) F[s + f] += F[xo + f] * wi;
    }
  }

  nearestLabels(
    x: number,
    n: number,
    d: number,
    ct: number,
    cc: number,
    kp: number,
    labels: number,
    buf: number,
  ): number {
    const I = this.I;
    [x, ct, cc, buf] = [x >>> 3, ct >>> 3, cc >>> 3, buf >>> 3];
    labels >>>= 2;
    let bad = 0;
    for (let i = 0; i < n; i++) {
      this.rowDists(x + i * d, d, 0, ct, cc, kp, buf);
      this.argmin1(buf, kp);
      I[labels + i] = this.nearest;
      if (this.d1 - this.d1 !== 0) bad++;
    }
    return bad;
  }

  labelsInertia(
    x: number,
    n: number,
    d: number,
    w: number,
    centers: number,
    ct: number,
    cc: number,
    kp: number,
    labels: number,
    buf: number,
    wantInertia: number,
  ): number {
    this.nearestLabels(x, n, d, ct, cc, kp, labels, buf);
    if (!wantInertia) return 0;
    const { F, I } = this;
    const hasW = w !== 0;
    [x, w, centers] = [x >>> 3, w >>> 3, centers >>> 3];
    labels >>>= 2;
    let inertia = 0;
    for (let i = 0; i < n; i++) {
      inertia += sqDist(F, x + i * d, centers + I[labels + i] * d, d) * (hasW ? F[w + i] : 1);
    }
    return inertia;
  }

  distances(x: number, n: number, d: number, ct: number, kp: number, k: number, out: number): void {
    const F = this.F;
    [x, ct, out] = [x >>> 3, ct >>> 3, out >>> 3];
    for (let i = 0; i < n; i++) {
      const xo = x + i * d;
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let f = 0, c = ct + j; f < d; f++, c += kp) {
          const t = F[xo + f] - F[c];
          s += t * t;
        }
        F[out + i * k + j] = Math.sqrt(s);
      }
    }
  }

  kppFirst(x: number, n: number, d: number, w: number, c: number, closest: number): number {
    const F = this.F;
    const hasW = w !== 0;
    [x, w, c, closest] = [x >>> 3, w >>> 3, c >>> 3, closest >>> 3];
    let pot = 0;
    for (let i = 0; i < n; i++) {
      const v = sqDist(F, x + i * d, c, d);
      F[closest + i] = v;
      pot += v * (hasW ? F[w + i] : 1);
    }
    return pot;
  }

  cumulative(closest: number, w: number, n: number, cum: number): void {
    const F = this.F;
    const hasW = w !== 0;
    [closest, w, cum] = [closest >>> 3, w >>> 3, cum >>> 3];
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += F[closest + i] * (hasW ? F[w + i] : 1);
      F[cum + i] = acc;
    }
  }

  kppTrials(
    x: number,
    n: number,
    d: number,
    w: number,
    cands: number,
    trials: number,
    closest: number,
    out: number,
    pots: number,
  ): void {
    const F = this.F;
    const hasW = w !== 0;
    [x, w, cands, closest, out, pots] = [x >>> 3, w >>> 3, cands >>> 3, closest >>> 3, out >>> 3, pots >>> 3];
    F.fill(0, pots, pots + trials);
    for (let i = 0; i < n; i++) {
      const xo = x + i * d;
      const ci = F[closest + i];
      const wi = hasW ? F[w + i] : 1;
      for (let t = 0; t < trials; t++) {
        const v = Math.min(ci, sqDist(F, xo, cands + t * d, d));
        F[out + t * n + i] = v;
        F[pots + t] += v * wi;
      }
    }
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

  columnSums(x: number, n: number, d: number, out: number): void {
    const F = this.F;
    [x, out] = [x >>> 3, out >>> 3];
    F.fill(0, out, out + d);
    for (let i = 0; i < n; i++) for (let f = 0, o = x + i * d; f < d; f++) F[out + f] += F[o + f];
  }

  columnSqDev(x: number, n: number, d: number, mean: number, out: number): void {
    const F = this.F;
    [x, mean, out] = [x >>> 3, mean >>> 3, out >>> 3];
    F.fill(0, out, out + d);
    for (let i = 0; i < n; i++) {
      for (let f = 0, o = x + i * d; f < d; f++) {
        const t = F[o + f] - F[mean + f];
        F[out + f] += t * t;
      }
    }
  }

  centerRows(x: number, n: number, d: number, v: number): void {
    const F = this.F;
    [x, v] = [x >>> 3, v >>> 3];
    for (let i = 0; i < n; i++) for (let f = 0, o = x + i * d; f < d; f++) F[o + f] -= F[v + f];
  }
}
