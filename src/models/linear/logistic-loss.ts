/**
 * The logistic (binomial) and multinomial log-losses with their gradients, as scikit-learn 1.2's
 * `LinearModelLoss` defines them for the `lbfgs` solver:
 *
 *     L(w) = Σᵢ sᵢ · loss(yᵢ, xᵢ·w + b) + ½ · λ · ‖w‖²      (λ = 1/C; intercepts not penalised)
 *
 * with the half-binomial loss log(1 + eᶻ) − y·z (y ∈ {0, 1}) and the half-multinomial loss
 * log Σₖ e^{zₖ} − z_y.
 *
 * The hot loop is one fused pass over the row-major data: for each row it forms the linear
 * predictor, the loss and the pointwise gradient, and accumulates `gᵢ · xᵢ` into the gradient —
 * no temporary arrays per row or per evaluation. Rows are cut into fixed blocks of
 * {@link LOSS_BLOCK} rows; each block's loss and gradient are summed separately and the blocks are
 * added in order, so the result is bit-identical whether the blocks run inline or spread over
 * worker threads, and whatever the thread count.
 *
 * Coefficient layout: `k · dof + j` for class k (one "class" in the binary case) and feature j,
 * with the intercept at j = p when fitted (dof = p + 1).
 *
 * @module
 */

import { fdlibmLog } from '../../core/fdlibm-log.ts';
import { type Executor, registerTask, toShared } from '../../core/pool.ts';
import { dotSplit } from './common.ts';
import { type LbfgsOptions, type LbfgsResult, minimizeLbfgs } from './lbfgs.ts';
import { expNonPositive, log1pUnit } from './lean-math.ts';
import type { ProbaLink } from './links.ts';
import {
  defaultLossKernel,
  LOSS_BLOCK,
  type LossKernelKind,
  wasmLossBlocks,
  wasmMinimizeLbfgs,
} from './loss-wasm.ts';
import { probaRows, scoreRows } from './predict-rows.ts';

export { LOSS_BLOCK, type LossKernelKind } from './loss-wasm.ts';

/** The data of a logistic problem. */
export interface LogisticData {
  /** Row-major n × p features. */
  X: Float64Array;
  n: number;
  p: number;
  /** Binary: 0/1 per row. Multinomial: the class code per row (as a float). */
  y: Float64Array;
  /** Per-row weights (sample × class weights), or null for all ones. */
  sw: Float64Array | null;
  /** 1 for a binary model (one coefficient vector), else the number of classes. */
  nClasses: number;
  fitIntercept: boolean;
}

/**
 * Half-binomial loss log(1 + e^z) − y·z and its derivative σ(z) − y at z, with e = exp(−|z|):
 * log1p(e) − y·z for z ≤ 0 and log1p(e) + (1 − y)·z above, the derivative ((1 − y)·e − y)/(1 + e)
 * and ((1 − y) − y·e)/(1 + e) — scikit-learn's formulas (`closs_grad_half_binomial`), each exact to
 * a few ulps over the whole range of z, with one exp and one log1p whatever z is (no branch on its
 * range: see `lean-math.ts`). The WebAssembly twin computes two rows at a time with the same
 * operations. Returns the loss; the derivative is left in `pair[1]`.
 */
function halfBinomial(z: number, y: number, pair: Float64Array): number {
  const e = expNonPositive(-Math.abs(z));
  const u = 1 + e;
  const inv = 1 / u;
  const l = log1pUnit(e, u, inv);
  const omy = 1 - y;
  if (z > 0) {
    pair[1] = (omy - y * e) * inv;
    return l + omy * z;
  }
  pair[1] = (omy * e - y) * inv;
  return l - y * z;
}

/**
 * Loss and gradient over rows [start, end) for a binary model, written to out[o] (loss) and
 * out[o+1 .. o+dof] (gradient).
 *
 * Hand-blocked for speed — this is the solver's hot loop: four rows at a time, so each weight is
 * loaded once for four dot products and each gradient entry is loaded and stored once per four
 * rows (about twice as fast in V8 as one row at a time).
 */
export function binaryBlock(
  X: Float64Array,
  p: number,
  y: Float64Array,
  sw: Float64Array | null,
  fitIntercept: boolean,
  w: Float64Array,
  start: number,
  end: number,
  out: Float64Array,
  o: number,
): void {
  const dof = p + (fitIntercept ? 1 : 0);
  for (let j = 0; j <= dof; j++) out[o + j] = 0;
  const b = fitIntercept ? w[p] : 0;
  const go = o + 1;
  const pair = new Float64Array(2); // scratch, one allocation per block
  const zs = new Float64Array(4);
  let loss = 0;
  let gsum = 0;
  let i = start;
  for (; i + 3 < end; i += 4) {
    const b0 = i * p;
    const b1 = b0 + p;
    const b2 = b1 + p;
    const b3 = b2 + p;
    // Even and odd features in separate sums (the WebAssembly twin's two SIMD lanes).
    let e0 = 0;
    let e1 = 0;
    let e2 = 0;
    let e3 = 0;
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    let j = 0;
    for (; j + 1 < p; j += 2) {
      const wj = w[j];
      const wk = w[j + 1];
      e0 += wj * X[b0 + j];
      e1 += wj * X[b1 + j];
      e2 += wj * X[b2 + j];
      e3 += wj * X[b3 + j];
      d0 += wk * X[b0 + j + 1];
      d1 += wk * X[b1 + j + 1];
      d2 += wk * X[b2 + j + 1];
      d3 += wk * X[b3 + j + 1];
    }
    if (j < p) {
      const wj = w[j];
      e0 += wj * X[b0 + j];
      e1 += wj * X[b1 + j];
      e2 += wj * X[b2 + j];
      e3 += wj * X[b3 + j];
    }
    zs[0] = e0 + d0 + b;
    zs[1] = e1 + d1 + b;
    zs[2] = e2 + d2 + b;
    zs[3] = e3 + d3 + b;
    // Pointwise loss and derivative (see halfBinomial).
    for (let r = 0; r < 4; r++) {
      let lr = halfBinomial(zs[r], y[i + r], pair);
      let gr = pair[1];
      if (sw !== null) {
        const s = sw[i + r];
        lr *= s;
        gr *= s;
      }
      loss += lr;
      zs[r] = gr;
    }
    const g0 = zs[0];
    const g1 = zs[1];
    const g2 = zs[2];
    const g3 = zs[3];
    gsum += g0 + g1 + (g2 + g3);
    for (let j = 0; j < p; j++) {
      out[go + j] += g0 * X[b0 + j] + g1 * X[b1 + j] + (g2 * X[b2 + j] + g3 * X[b3 + j]);
    }
  }
  for (; i < end; i++) {
    const base = i * p;
    let li = halfBinomial(dotSplit(X, base, w, 0, p) + b, y[i], pair);
    let gi = pair[1];
    if (sw !== null) {
      li *= sw[i];
      gi *= sw[i];
    }
    loss += li;
    gsum += gi;
    for (let j = 0; j < p; j++) out[go + j] += gi * X[base + j];
  }
  out[o] = loss;
  if (fitIntercept) out[go + p] = gsum;
}

/**
 * Half-multinomial loss of one row from its raw scores `z[zo .. zo+K)`, turning them into the
 * pointwise gradient (softmax − one-hot) · s in place. Returns the loss · s.
 */
function halfMultinomial(z: Float64Array, zo: number, K: number, yi: number, s: number): number {
  let max = z[zo];
  for (let k = 1; k < K; k++) if (z[zo + k] > max) max = z[zo + k];
  const zy = z[zo + yi];
  let sumExp = 0;
  for (let k = 0; k < K; k++) {
    const e = expNonPositive(z[zo + k] - max);
    z[zo + k] = e;
    sumExp += e;
  }
  for (let k = 0; k < K; k++) {
    let g = z[zo + k] / sumExp;
    if (k === yi) g -= 1;
    z[zo + k] = g * s;
  }
  return (fdlibmLog(sumExp) + max - zy) * s;
}

/**
 * Scores of four rows (at X offsets b0..b3) for classes k and k + 1, into z[r·K + k]. Register-
 * blocked 4 rows × 2 classes: six loads per eight multiply-adds. Each dot product keeps the even
 * and the odd features in separate sums (see {@link dotSplit}).
 */
function scores4x2(
  X: Float64Array,
  b0: number,
  p: number,
  w: Float64Array,
  wk: number,
  dof: number,
  fitIntercept: boolean,
  z: Float64Array,
  K: number,
  k: number,
): void {
  const b1 = b0 + p;
  const b2 = b1 + p;
  const b3 = b2 + p;
  const wl = wk + dof;
  // a/c: classes k and k + 1, even features; e/f: the same, odd features.
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  let e0 = 0;
  let e1 = 0;
  let e2 = 0;
  let e3 = 0;
  let f0 = 0;
  let f1 = 0;
  let f2 = 0;
  let f3 = 0;
  let j = 0;
  for (; j + 1 < p; j += 2) {
    let u = w[wk + j];
    let v = w[wl + j];
    let x0 = X[b0 + j];
    let x1 = X[b1 + j];
    let x2 = X[b2 + j];
    let x3 = X[b3 + j];
    a0 += u * x0;
    a1 += u * x1;
    a2 += u * x2;
    a3 += u * x3;
    c0 += v * x0;
    c1 += v * x1;
    c2 += v * x2;
    c3 += v * x3;
    u = w[wk + j + 1];
    v = w[wl + j + 1];
    x0 = X[b0 + j + 1];
    x1 = X[b1 + j + 1];
    x2 = X[b2 + j + 1];
    x3 = X[b3 + j + 1];
    e0 += u * x0;
    e1 += u * x1;
    e2 += u * x2;
    e3 += u * x3;
    f0 += v * x0;
    f1 += v * x1;
    f2 += v * x2;
    f3 += v * x3;
  }
  if (j < p) {
    const u = w[wk + j];
    const v = w[wl + j];
    const x0 = X[b0 + j];
    const x1 = X[b1 + j];
    const x2 = X[b2 + j];
    const x3 = X[b3 + j];
    a0 += u * x0;
    a1 += u * x1;
    a2 += u * x2;
    a3 += u * x3;
    c0 += v * x0;
    c1 += v * x1;
    c2 += v * x2;
    c3 += v * x3;
  }
  const bk = fitIntercept ? w[wk + p] : 0;
  const bl = fitIntercept ? w[wl + p] : 0;
  z[k] = a0 + e0 + bk;
  z[K + k] = a1 + e1 + bk;
  z[2 * K + k] = a2 + e2 + bk;
  z[3 * K + k] = a3 + e3 + bk;
  z[k + 1] = c0 + f0 + bl;
  z[K + k + 1] = c1 + f1 + bl;
  z[2 * K + k + 1] = c2 + f2 + bl;
  z[3 * K + k + 1] = c3 + f3 + bl;
}

/**
 * Loss and gradient over rows [start, end) for a multinomial model with K classes
 * (layout k·dof + j), written to out[o] and out[o+1 .. o+K·dof].
 *
 * Hand-blocked like {@link binaryBlock}, four rows at a time, and two classes at a time
 * (`scores4x2`, and the gradient update below), so that each loaded value feeds several
 * multiply-adds.
 */
export function multinomialBlock(
  X: Float64Array,
  p: number,
  y: Float64Array,
  sw: Float64Array | null,
  K: number,
  fitIntercept: boolean,
  w: Float64Array,
  start: number,
  end: number,
  out: Float64Array,
  o: number,
): void {
  const dof = p + (fitIntercept ? 1 : 0);
  const dim = K * dof;
  for (let j = 0; j <= dim; j++) out[o + j] = 0;
  const go = o + 1;
  const z = new Float64Array(4 * K); // scores, then pointwise gradients, of four rows (one allocation per block)
  let loss = 0;
  let i = start;
  for (; i + 3 < end; i += 4) {
    const b0 = i * p;
    const b1 = b0 + p;
    const b2 = b1 + p;
    const b3 = b2 + p;
    let k = 0;
    for (; k + 1 < K; k += 2) scores4x2(X, b0, p, w, k * dof, dof, fitIntercept, z, K, k);
    if (k < K) {
      const wk = k * dof;
      const b = fitIntercept ? w[wk + p] : 0;
      z[k] = dotSplit(X, b0, w, wk, p) + b;
      z[K + k] = dotSplit(X, b1, w, wk, p) + b;
      z[2 * K + k] = dotSplit(X, b2, w, wk, p) + b;
      z[3 * K + k] = dotSplit(X, b3, w, wk, p) + b;
    }
    loss += halfMultinomial(z, 0, K, y[i] | 0, sw === null ? 1 : sw[i]);
    loss += halfMultinomial(z, K, K, y[i + 1] | 0, sw === null ? 1 : sw[i + 1]);
    loss += halfMultinomial(z, 2 * K, K, y[i + 2] | 0, sw === null ? 1 : sw[i + 2]);
    loss += halfMultinomial(z, 3 * K, K, y[i + 3] | 0, sw === null ? 1 : sw[i + 3]);
    for (k = 0; k < K; k += 2) {
      const g0 = z[k];
      const g1 = z[K + k];
      const g2 = z[2 * K + k];
      const g3 = z[3 * K + k];
      const gk = go + k * dof;
      if (k + 1 < K) {
        const h0 = z[k + 1];
        const h1 = z[K + k + 1];
        const h2 = z[2 * K + k + 1];
        const h3 = z[3 * K + k + 1];
        const gl = gk + dof;
        for (let j = 0; j < p; j++) {
          const x0 = X[b0 + j];
          const x1 = X[b1 + j];
          const x2 = X[b2 + j];
          const x3 = X[b3 + j];
          out[gk + j] += g0 * x0 + g1 * x1 + (g2 * x2 + g3 * x3);
          out[gl + j] += h0 * x0 + h1 * x1 + (h2 * x2 + h3 * x3);
        }
        if (fitIntercept) out[gl + p] += h0 + h1 + (h2 + h3);
      } else {
        for (let j = 0; j < p; j++) {
          out[gk + j] += g0 * X[b0 + j] + g1 * X[b1 + j] + (g2 * X[b2 + j] + g3 * X[b3 + j]);
        }
      }
      if (fitIntercept) out[gk + p] += g0 + g1 + (g2 + g3);
    }
  }
  if (i < end) loss += multinomialTail(X, p, y, sw, K, fitIntercept, w, i, end, out, go, z);
  out[o] = loss;
}

/**
 * The last (up to three) rows of a multinomial block, one at a time. A separate function so the
 * blocked loop is compiled without this rarely reached code (which would otherwise deoptimise it
 * the first time a block ends).
 */
function multinomialTail(
  X: Float64Array,
  p: number,
  y: Float64Array,
  sw: Float64Array | null,
  K: number,
  fitIntercept: boolean,
  w: Float64Array,
  start: number,
  end: number,
  out: Float64Array,
  go: number,
  z: Float64Array,
): number {
  const dof = p + (fitIntercept ? 1 : 0);
  let loss = 0;
  for (let i = start; i < end; i++) {
    const base = i * p;
    for (let k = 0; k < K; k++) {
      const wk = k * dof;
      z[k] = dotSplit(X, base, w, wk, p) + (fitIntercept ? w[wk + p] : 0);
    }
    loss += halfMultinomial(z, 0, K, y[i] | 0, sw === null ? 1 : sw[i]);
    for (let k = 0; k < K; k++) {
      const gk = z[k];
      const gko = go + k * dof;
      for (let j = 0; j < p; j++) out[gko + j] += gk * X[base + j];
      if (fitIntercept) out[gko + p] += gk;
    }
  }
  return loss;
}

/** Runs blocks [b0, b1) of a problem, writing each block's (loss, gradient) to `partials`. */
export function lossBlocks(
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
  const stride = 1 + K * dof;
  for (let b = b0; b < b1; b++) {
    const start = b * LOSS_BLOCK;
    const end = Math.min(n, start + LOSS_BLOCK);
    if (K === 1) binaryBlock(X, p, y, sw, fitIntercept, w, start, end, partials, b * stride);
    else multinomialBlock(X, p, y, sw, K, fitIntercept, w, start, end, partials, b * stride);
  }
}

const lossBlocksTask = registerTask(import.meta.url, 'lossBlocks', lossBlocks);
const wasmLossBlocksTask = registerTask(import.meta.url, 'wasmLossBlocks', wasmLossBlocks);

export { wasmLossBlocks };

/**
 * Scores rows [r0, r1) of the row-major `data` (p columns) into rows [r0, r1) of `out` (n × K,
 * shared with the caller). A pool task of `scores.ts`; it lives here, in the module the workers
 * have already loaded for the fit.
 */
export function scoreRowsInto(
  data: Float64Array,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  r0: number,
  r1: number,
  out: Float64Array,
): void {
  scoreRows(data, r0, r1, p, W, b, K, out, r0 * K);
}

/** Builds pool tasks for {@link scoreRowsInto} (used by `scores.ts`). */
export const scoreRowsTask = registerTask(import.meta.url, 'scoreRowsInto', scoreRowsInto);

/**
 * Probabilities of rows [r0, r1) into rows [r0, r1) of `out` (n × C, shared with the caller): the
 * pool task of `scores.ts`'s `probaAll`. Returns the sum of the scores.
 */
export function probaRowsInto(
  data: Float64Array,
  p: number,
  W: Float64Array,
  b: Float64Array,
  K: number,
  link: ProbaLink,
  r0: number,
  r1: number,
  out: Float64Array,
): number {
  return probaRows(data, r0, r1, p, W, b, K, link, out, r0 * (K === 1 ? 2 : K));
}

/** Builds pool tasks for {@link probaRowsInto} (used by `scores.ts`). */
export const probaRowsTask = registerTask(import.meta.url, 'probaRowsInto', probaRowsInto);

/**
 * Below this much work per evaluation (rows × coefficients, 2¹⁸ — e.g. 12 500 rows × 21 for a
 * binary model with 20 features) evaluations stay on the calling thread: a pass then takes about
 * half a millisecond, too little to gain from a round trip to the workers.
 *
 * The pool is used only when X already lives in shared memory (a `SharedArrayBuffer`, e.g. from
 * `toShared`): copying X there would double the fit's peak memory, and on the machines measured
 * (see docs/models/linear.md) touching that much fresh memory cost more than a second thread saves
 * over a typical fit of 15–30 evaluations.
 */
const PARALLEL_MIN_WORK = 1 << 18;

/**
 * The penalised objective of a logistic problem as an L-BFGS objective `(w, grad) → loss`,
 * computing the data term block by block (on `executor` when the data is large enough).
 */
export class LogisticObjective {
  readonly dim: number;
  private readonly dof: number;
  private readonly nBlocks: number;
  private readonly partials: Float64Array;
  private readonly wShared: Float64Array;
  private readonly data: LogisticData;
  private readonly parallel: Executor | null;
  private readonly ranges: [number, number][] = [];
  /** The kernels in use (both give the same bits). */
  readonly kernel: LossKernelKind;

  /**
   * @param l2 the L2 strength λ = 1/C (0 for no penalty).
   * @param executor where to run blocks; used only when it has several threads and X is large.
   * @param minParallelWork the work per evaluation (rows × coefficients) from which the executor is used.
   * @param kernel WebAssembly or TypeScript kernels (default: {@link defaultLossKernel}).
   */
  constructor(
    data: LogisticData,
    readonly l2: number,
    executor: Executor | null,
    minParallelWork = PARALLEL_MIN_WORK,
    kernel: LossKernelKind = defaultLossKernel(),
  ) {
    this.kernel = kernel;
    this.dof = data.p + (data.fitIntercept ? 1 : 0);
    this.dim = data.nClasses * this.dof;
    this.nBlocks = Math.max(1, Math.ceil(data.n / LOSS_BLOCK));
    const usePool =
      executor !== null &&
      executor.parallelism > 1 &&
      this.nBlocks > 1 &&
      data.n * this.dim >= minParallelWork &&
      data.X.buffer instanceof SharedArrayBuffer;
    this.parallel = usePool ? executor : null;
    if (usePool) {
      // X is already shared with the workers; y and the weights are (or are copied) too. Per
      // evaluation only w changes.
      this.data = {
        ...data,
        y: toShared(data.y),
        sw: data.sw === null ? null : toShared(data.sw),
      };
      this.partials = toShared(new Float64Array(this.nBlocks * (1 + this.dim)));
      this.wShared = toShared(new Float64Array(this.dim));
      const tasks = Math.min(this.nBlocks, executor!.parallelism * 4);
      for (let t = 0; t < tasks; t++) {
        const b0 = Math.floor((t * this.nBlocks) / tasks);
        const b1 = Math.floor(((t + 1) * this.nBlocks) / tasks);
        if (b1 > b0) this.ranges.push([b0, b1]);
      }
    } else {
      this.data = data;
      this.partials = new Float64Array(this.nBlocks * (1 + this.dim));
      this.wShared = new Float64Array(this.dim);
    }
  }

  /** True when evaluations run on the worker pool. */
  get threaded(): boolean {
    return this.parallel !== null;
  }

  /**
   * Minimises the objective by L-BFGS from x0: `minimizeLbfgs` (lbfgs.ts) with the TypeScript
   * kernels, its WebAssembly twin with the WebAssembly ones — the same iterates either way.
   */
  minimize(x0: Float64Array, options: LbfgsOptions): LbfgsResult {
    if (this.kernel === 'wasm') {
      return wasmMinimizeLbfgs(this.evaluate, x0, options, this.data.p, this.data.nClasses);
    }
    return minimizeLbfgs(this.evaluate, x0, options);
  }

  /** The objective: fills `grad` and returns the loss at `w`. */
  readonly evaluate = (w: Float64Array, grad: Float64Array): number => {
    const { X, n, p, y, sw, nClasses: K, fitIntercept } = this.data;
    const wasm = this.kernel === 'wasm';
    if (this.parallel) {
      this.wShared.set(w);
      const task = wasm ? wasmLossBlocksTask : lossBlocksTask;
      this.parallel.mapSync(
        this.ranges.map(([b0, b1]) =>
          task(X, n, p, y, sw, K, fitIntercept, this.wShared, b0, b1, this.partials),
        ),
      );
    } else {
      (wasm ? wasmLossBlocks : lossBlocks)(
        X,
        n,
        p,
        y,
        sw,
        K,
        fitIntercept,
        w,
        0,
        this.nBlocks,
        this.partials,
      );
    }
    // Reduce the blocks in a fixed order.
    const dim = this.dim;
    const stride = 1 + dim;
    const P = this.partials;
    let loss = 0;
    grad.fill(0);
    for (let b = 0; b < this.nBlocks; b++) {
      const o = b * stride;
      loss += P[o];
      for (let j = 0; j < dim; j++) grad[j] += P[o + 1 + j];
    }
    // ½ λ ‖w‖², intercepts excluded.
    if (this.l2 > 0) {
      let sq = 0;
      for (let k = 0; k < K; k++) {
        const base = k * this.dof;
        for (let j = 0; j < p; j++) {
          const v = w[base + j];
          sq += v * v;
          grad[base + j] += this.l2 * v;
        }
      }
      loss += 0.5 * this.l2 * sq;
    }
    return loss;
  };
}
