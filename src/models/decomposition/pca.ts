/**
 * `PCA`: principal component analysis as scikit-learn 1.2's `PCA(svd_solver='full')`.
 *
 * The singular value decomposition of the centred data is computed through the eigen-
 * decomposition (tred2 + tql2, `symmetric-eigen.ts`) of its cross-product — XᵀX (d × d) when there are at least as many
 * rows as columns, XXᵀ (n × n) otherwise — which costs one pass over the rows instead of a full
 * n × d SVD. Signs follow scikit-learn's `svd_flip` (u-based): each component is oriented so
 * that the largest |u| of its left singular vector is positive.
 *
 * @module
 */

import { copyValues } from '../../core/copy-values.ts';
import { NotFittedError, ValidationError } from '../../core/errors.ts';
import { Estimator, registerEstimator } from '../../core/estimator.ts';
import { gammaln } from '../../core/lazy-special.ts';
import { extremeMagnitudeScale, scaledCopy, unscale } from '../../core/magnitude-scale.ts';
import { asMatrix, assertFinite, type Matrix, type MatrixInput, matrix } from '../../core/matrix.ts';
import { type ParamSpec, type ParamsOf, p } from '../../core/params.ts';
import type { PlainObject } from '../../core/plain.ts';
import { defaultThreadCount, executorFor } from '../../core/pool.ts';
import { streamPool, streamSlotRows } from '../../core/row-stream.ts';
import {
  checkInt,
  checkNumber,
  damagedState,
  FINITE,
  readVector,
  type ValueRule,
} from '../../core/saved-state.ts';
import { unfilledFloat64 } from '../../core/unfilled.ts';
import { jacobiEigen } from './jacobi-eigen.ts';
import { PcaWorkspace, pcaChunkRows } from './pca-kernels.ts';
import {
  type BlockStats,
  type Projection,
  prepareProjectStreams,
  projectionBlockStats,
  projectionBlockStatsTask,
  projectRows,
  projectStream,
} from './pca-project.ts';
import { rowRounds } from './row-rounds.ts';

const schema = {
  nComponents: p.nullable(
    p.union([p.int({ min: 1 }), p.float({ gt: 0, lt: 1 }), p.oneOf(['mle'] as const)]),
    {
      default: null,
      doc: "components to keep: an integer, a fraction of variance to explain in (0, 1), 'mle' (Minka's estimate), or null for min(rows, columns)",
    },
  ) as ParamSpec<number | 'mle' | null>,
  whiten: p.bool({ default: false, doc: 'scale the projections to unit variance' }),
  svdSolver: p.oneOf(['auto', 'full'] as const, {
    default: 'auto',
    doc: "'full' (exact); 'auto' is the same here",
  }),
  nThreads: p.nullable(p.int({ min: 1 }), {
    default: null,
    doc: "worker threads for large inputs (the fit's projection pass, transform); null = all cores",
  }),
};

/** Parameters of {@link PCA}. */
export type PCAParams = ParamsOf<typeof schema>;

/**
 * Size thresholds (internal; tests and benchmarks lower them to reach the threaded paths on small
 * data). `transform` has the calling thread project rows beside `nThreads − 1` pool workers from
 * `threadedTransformWork` rows × columns × components (every row is copied once into the shared
 * arena and its projection once out, as on one thread; see `row-stream.ts`). Break-even measured
 * near 2²⁰ on an idle machine (alternating calls in one process: 1 797 × 64 × 8 components 0.17 ms
 * on one thread, 0.19 on two; 3 000 × 64 × 10 0.34 / 0.29; digits with all 64 components
 * 0.76 / 0.55). The fit's projection
 * pass goes to the pool (the calling thread waiting, rows staged through shared memory, see
 * `row-rounds.ts`) only when rows × columns × components reaches `threadedFitWork` AND each row
 * carries at least `threadedMinRowWork` multiply-adds (columns × components): there every row is
 * copied twice more, which with 20 columns and 20 components costs about what the second thread
 * saves (measured at 1 000 000 × 20), while with 64 columns the projection is ~3× the copying.
 * Workers not yet started are started by the fit (so that they boot while it runs) only from
 * `coldPoolWork`, and below it by a model's second transform, not its first: getting them ready
 * costs the calling thread 8–13 ms (measured: sampling the load ~2 ms, starting a worker ~5,
 * making the arena and loading its kernels the rest) — the digits set's fit (1 797 × 64 × 64,
 * 7.4·10⁶) took 38 ms with it and 28 without, while a transform of it on two threads saves well
 * under a millisecond. A model
 * transformed once (`lathe predict`, a one-off script) so never pays for workers it cannot use; a
 * model serving many calls gets them from its second.
 */
export const pcaTuning = {
  threadedTransformWork: 2 ** 20,
  coldPoolWork: 2 ** 24,
  threadedFitWork: 2 ** 27,
  threadedMinRowWork: 1024,
};

/** Rows summed per block before adding into the running total (limits rounding error). */
const BLOCK = 2048;

/**
 * Copies rows [s, s + rows) of X into the workspace at `x` and checks that they are finite
 * (`nonFinite` throws otherwise).
 */
function loadRows(
  ws: PcaWorkspace,
  x: number,
  data: Float64Array,
  d: number,
  s: number,
  rows: number,
  nonFinite: () => never,
): void {
  copyValues(ws.F, x / 8, data, s * d, rows * d);
  if (!ws.kernels.allFinite(x, rows * d)) nonFinite();
}

/** Column means, from sums over blocks of BLOCK rows (each in row order) added in order. */
function columnMeans(m: Matrix, nonFinite: () => never): Float64Array {
  const { rows: n, cols: d, data } = m;
  const CH = pcaChunkRows(d);
  const { ws, at } = PcaWorkspace.layout({ x: CH * d, block: d });
  const block = new Float64Array(ws.memory.buffer, at.block, d);
  const mean = new Float64Array(d);
  for (let s = 0; s < n; s += BLOCK) {
    block.fill(0);
    const e = Math.min(n, s + BLOCK);
    for (let c = s; c < e; c += CH) {
      const rows = Math.min(CH, e - c);
      loadRows(ws, at.x, data, d, c, rows, nonFinite);
      ws.kernels.addColumnSums(at.x, rows, d, at.block);
    }
    for (let j = 0; j < d; j++) mean[j] += block[j];
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  return mean;
}

/**
 * (X − mean)ᵀ(X − mean), d × d, from sums over blocks of BLOCK rows added in order — or, given
 * `axes` (V: d × k, column c the axis), G = PᵀP for the centred rows projected on them,
 * P = (X − mean)·V (k × k). G's entries carry rounding error relative to the norms of their two
 * columns of P, so its small eigenvalues — and their vectors — are resolved where those of XᵀX are
 * lost below the largest (see `refineAxes`).
 */
function crossProduct(
  m: Matrix,
  mean: Float64Array,
  nonFinite: () => never,
  axes?: { V: Float64Array; k: number },
): Float64Array {
  const { rows: n, cols: d, data } = m;
  const w = axes ? axes.k : d;
  const kp = w + (w & 1);
  const CH = pcaChunkRows(d);
  const { ws, at } = PcaWorkspace.layout({
    x: CH * d,
    mean: d,
    B: w * w,
    ...(axes ? { V: d * kp, scale: kp, u: CH * w } : { V: 0, scale: 0, u: 0 }),
  });
  const F = ws.F;
  F.set(mean, at.mean / 8);
  if (axes) {
    F.fill(0, at.V / 8, at.V / 8 + d * kp);
    for (let j = 0; j < d; j++) for (let c = 0; c < w; c++) F[at.V / 8 + j * kp + c] = axes.V[j * w + c];
    F.fill(1, at.scale / 8, at.scale / 8 + kp);
  }
  const B = new Float64Array(ws.memory.buffer, at.B, w * w);
  const C = new Float64Array(w * w);
  for (let s = 0; s < n; s += BLOCK) {
    B.fill(0);
    const e = Math.min(n, s + BLOCK);
    for (let c = s; c < e; c += CH) {
      const rows = Math.min(CH, e - c);
      loadRows(ws, at.x, data, d, c, rows, nonFinite);
      ws.kernels.centerRows(at.x, rows, d, at.mean);
      if (axes) {
        ws.kernels.project(at.x, rows, d, at.V, kp, w, at.scale, at.u);
        ws.kernels.addCrossProduct(at.u, rows, w, at.B);
      } else {
        ws.kernels.addCrossProduct(at.x, rows, d, at.B);
      }
    }
    // Upper triangle only (the kernel's entries below the diagonal mean nothing).
    for (let a = 0; a < w; a++) for (let b = a; b < w; b++) C[a * w + b] += B[a * w + b];
  }
  for (let a = 0; a < w; a++) for (let b = 0; b < a; b++) C[a * w + b] = C[b * w + a];
  return C;
}

/** Largest tolerated estimate of an axis's error before {@link refineAxes} runs. */
const AXIS_ERROR = 1e-9;

/** The noise floor of XᵀX's eigenvalues: below d·ε·λ₁ an eigenvalue cannot be told from zero. */
function eigenFloor(values: Float64Array): number {
  return values.length * 2 ** -52 * values[0];
}

/**
 * Whether axes from the eigenvectors of XᵀX (eigenvalues `values`, descending) need refining
 * before the projection pass. An eigenvector's error is about ε·λ₁ / (its gap to the nearest
 * eigenvalue), which for a small λ — nearly collinear columns — exceeds the accuracy of an SVD of
 * X (about ε·σ₁/σ_k). True when some eigenvalue between the noise floor and 10⁻⁴·λ₁ (where
 * refining gains at least a factor 100) has an estimated error above 10⁻⁹. (Eigenvalues below
 * the floor are judged after the projection pass: see {@link hiddenAxes}.)
 */
export function axesNeedRefining(values: Float64Array): boolean {
  const d = values.length;
  const top = values[0];
  if (!(top > 0)) return false;
  const floor = eigenFloor(values);
  const level = (k: number) => (k < d && values[k] > floor ? values[k] : 0);
  for (let k = 1; k < d; k++) {
    const lk = level(k);
    if (lk === 0 || lk >= 1e-4 * top) continue;
    const gap = Math.min(level(k - 1) - lk, lk - level(k + 1));
    if ((2 ** -52 * top) / gap > AXIS_ERROR) return true;
  }
  return false;
}

/**
 * Whether an axis whose eigenvalue lay below XᵀX's noise floor carries real variance: its
 * projections' norm √sumSq[k] (accurate to about ε·‖X‖, unlike the eigenvalue) stands well above
 * rounding noise (10³·ε·√d·σ₁). Exactly collinear columns give noise only (their axes are
 * arbitrary, in scikit-learn's SVD too); columns collinear to 1e-7 give more, and need refining.
 */
export function hiddenAxes(values: Float64Array, sumSq: Float64Array): boolean {
  const d = values.length;
  const floor = eigenFloor(values);
  const noise = 1e3 * 2 ** -52 * Math.sqrt(d) * Math.sqrt(Math.max(...sumSq));
  for (let k = 0; k < sumSq.length; k++) {
    if (values[k] <= floor && Math.sqrt(sumSq[k]) > noise) return true;
  }
  return false;
}

/**
 * Refines the axes V (d × kc, columns) of nearly collinear data: the eigenvectors W of the Gram
 * matrix of the data projected on V (Jacobi, accurate for its small eigenvalues; see
 * `jacobi-eigen.ts`) rotate V into V·W, whose small axes are as accurate as an SVD's — one more
 * pass over the rows, taken only when {@link axesNeedRefining} or {@link hiddenAxes} says so.
 */
function refineAxes(
  m: Matrix,
  mean: Float64Array,
  V: Float64Array,
  kc: number,
  nonFinite: () => never,
): void {
  const d = m.cols;
  const W = jacobiEigen(crossProduct(m, mean, nonFinite, { V, k: kc }), kc).vectors;
  const row = new Float64Array(kc);
  for (let j = 0; j < d; j++) {
    row.fill(0);
    for (let c = 0; c < kc; c++) {
      const v = V[j * kc + c];
      if (v === 0) continue;
      for (let k = 0; k < kc; k++) row[k] += v * W[c * kc + k];
    }
    V.set(row, j * kc);
  }
}

/**
 * Projects the centred rows on the axes (V: d × kc, column c the axis) and returns, per axis, the
 * sum of squared projections (blocks of BLOCK rows added in order) and the projection of largest
 * magnitude (the first on ties). Large X is split over the worker pool at block boundaries; the
 * parts' per-block sums are added in row order, so the result is the same bits.
 */
function projectionStats(
  m: Matrix,
  mean: Float64Array,
  V: Float64Array,
  kc: number,
  threads: number,
  nonFinite: () => never,
): { sumSq: Float64Array; signAt: Float64Array } {
  const { rows: n, cols: d, data } = m;
  const kp = kc + (kc & 1);
  const Vp = new Float64Array(d * kp);
  for (let j = 0; j < d; j++) for (let c = 0; c < kc; c++) Vp[j * kp + c] = V[j * kc + c];
  const p: Projection = { d, k: kc, mean, V: Vp, scale: new Float64Array(kp).fill(1) };
  const parts =
    threads > 1 &&
    n >= 2 * BLOCK &&
    n * d * kc >= pcaTuning.threadedFitWork &&
    d * kc >= pcaTuning.threadedMinRowWork
      ? rowRounds<BlockStats | null>(
          data,
          n,
          d,
          executorFor(threads),
          (src, srcRow, _row, rows) => projectionBlockStatsTask(src, srcRow, rows, p, BLOCK),
          { align: BLOCK },
        )
      : [projectionBlockStats(data, 0, n, p, BLOCK)];
  const sumSq = new Float64Array(kc);
  const maxAbs = new Float64Array(kc);
  const signAt = new Float64Array(kc);
  for (const part of parts) {
    if (!part) nonFinite();
    const blocks = part.sq.length / kc;
    for (let b = 0; b < blocks; b++) for (let c = 0; c < kc; c++) sumSq[c] += part.sq[b * kc + c];
    // Strictly greater: the first row of largest magnitude wins, as in one pass over the rows.
    for (let c = 0; c < kc; c++) {
      if (part.maxAbs[c] > maxAbs[c]) {
        maxAbs[c] = part.maxAbs[c];
        signAt[c] = part.signAt[c];
      }
    }
  }
  return { sumSq, signAt };
}

/** (X − mean)(X − mean)ᵀ, n × n (for wide data). */
function gram(m: Matrix, mean: Float64Array): Float64Array {
  const { rows: n, cols: d, data } = m;
  const Xc = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xc[i * d + j] = data[i * d + j] - mean[j];
  const G = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += Xc[a * d + j] * Xc[b * d + j];
      G[a * n + b] = s;
      G[b * n + a] = s;
    }
  }
  return G;
}

/**
 * Eigenpairs of a symmetric matrix, eigenvalues descending (clipped at 0), vectors as columns.
 * Runs in the kernels (WebAssembly unless LATHE_PCA_KERNEL=ts): compiled code from the first
 * call, where a first fit's JavaScript would spend most of its time in the interpreter.
 */
function symmetricEigen(A: Float64Array, size: number): { values: Float64Array; vectors: Float64Array } {
  const { ws, at } = PcaWorkspace.layout({ W: size * size, d: size, e: size });
  const F = ws.F;
  const W = at.W / 8;
  // W = Aᵀ (the same for a symmetric A; the layout the algorithm expects).
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) F[W + j * size + i] = A[i * size + j];
  ws.kernels.symmetricEigen(at.W, at.d, at.e, size);
  const vals = F.slice(at.d / 8, at.d / 8 + size);
  const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => vals[b] - vals[a] || a - b);
  const values = new Float64Array(size);
  const vectors = new Float64Array(size * size);
  for (let k = 0; k < size; k++) {
    const src = order[k];
    values[k] = Math.max(vals[src], 0);
    for (let i = 0; i < size; i++) vectors[i * size + k] = F[W + src * size + i];
  }
  return { values, vectors };
}

/**
 * Modified Gram–Schmidt (twice) over the columns of the d × k matrix V, in order. A column left
 * (numerically) in the span of the previous ones — the arbitrary axis of a zero singular value —
 * is replaced by the first unit vector that is not, so the axes are always orthonormal.
 */
function orthonormalizeColumns(V: Float64Array, d: number, k: number): void {
  const col = new Float64Array(d);
  const project = () => {
    for (let pass = 0; pass < 2; pass++) {
      for (let q = 0; q < c; q++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += col[j] * V[j * k + q];
        for (let j = 0; j < d; j++) col[j] -= dot * V[j * k + q];
      }
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += col[j] * col[j];
    return Math.sqrt(norm);
  };
  let c = 0;
  for (; c < k; c++) {
    for (let j = 0; j < d; j++) col[j] = V[j * k + c];
    let norm = project();
    for (let e = 0; norm < 1e-6 && e < d; e++) {
      col.fill(0);
      col[e] = 1;
      norm = project();
    }
    for (let j = 0; j < d; j++) V[j * k + c] = col[j] / norm;
  }
}

/** Minka's log-likelihood of `rank` for the spectrum (scikit-learn's `_assess_dimension`). */
function assessDimension(spectrum: Float64Array, rank: number, n: number): number {
  const d = spectrum.length;
  if (spectrum[rank - 1] < 1e-15) return Number.NEGATIVE_INFINITY;
  let pu = -rank * Math.log(2);
  for (let i = 1; i <= rank; i++) pu += gammaln((d - i + 1) / 2) - (Math.log(Math.PI) * (d - i + 1)) / 2;
  let pl = 0;
  for (let i = 0; i < rank; i++) pl += Math.log(spectrum[i]);
  pl = (-pl * n) / 2;
  let rest = 0;
  for (let i = rank; i < d; i++) rest += spectrum[i];
  const v = Math.max(2.220446049250313e-16, rest / (d - rank));
  const pv = (-Math.log(v) * n * (d - rank)) / 2;
  const mm = d * rank - (rank * (rank + 1)) / 2;
  const pp = (Math.log(2 * Math.PI) * (mm + rank)) / 2;
  let pa = 0;
  const sp = (j: number) => (j >= rank ? v : spectrum[j]);
  for (let i = 0; i < rank; i++) {
    for (let j = i + 1; j < d; j++) {
      pa += Math.log((spectrum[i] - spectrum[j]) * (1 / sp(j) - 1 / sp(i))) + Math.log(n);
    }
  }
  return pu + pl + pv + pp - pa / 2 - (rank * Math.log(n)) / 2;
}

/** The rank with the highest Minka log-likelihood (scikit-learn's `_infer_dimension`). */
function inferDimension(spectrum: Float64Array, n: number): number {
  let best = 0;
  let bestLL = Number.NEGATIVE_INFINITY;
  for (let rank = 1; rank < spectrum.length; rank++) {
    const ll = assessDimension(spectrum, rank, n);
    if (ll > bestLL) {
      bestLL = ll;
      best = rank;
    }
  }
  return best;
}

/**
 * Whether a fit's results show values beyond what XᵀX holds: non-finite axes or mean (overflow), or
 * every variance below 2^-780 with every mean below 2^-380 — then every |x| is below about
 * 2^-380·(1 + √(n·d)), where squares underflow.
 */
function outOfRange(components: Float64Array, mean: Float64Array, variances: Float64Array): boolean {
  for (const v of components) if (!Number.isFinite(v)) return true;
  let big = 0;
  for (const v of mean) {
    if (!Number.isFinite(v)) return true;
    big = Math.max(big, Math.abs(v));
  }
  let top = 0;
  for (const v of variances) {
    if (!Number.isFinite(v)) return true;
    top = Math.max(top, v);
  }
  return big < 2 ** -380 && top < 2 ** -780 && !(big === 0 && top === 0);
}

/**
 * Principal component analysis (scikit-learn's `PCA` with the full solver).
 *
 * ```ts
 * const pca = new PCA({ nComponents: 0.95, whiten: true }).fit(X);
 * pca.explainedVarianceRatio_; const Z = pca.transform(X); pca.inverseTransform(Z);
 * ```
 */
export class PCA extends Estimator<PCAParams> {
  static readonly typeName = 'PCA';
  static readonly schema = schema;
  readonly kind = 'transformer' as const;

  /** Principal axes, one row per component (unit vectors), signs as scikit-learn's `svd_flip`. */
  components_: Matrix | undefined = undefined;
  /** Variance explained by each component (sample variance, divided by n − 1). */
  explainedVariance_: Float64Array | undefined = undefined;
  /** Share of the total variance explained by each component. */
  explainedVarianceRatio_: Float64Array | undefined = undefined;
  /** Singular values of the centred data for the kept components. */
  singularValues_: Float64Array | undefined = undefined;
  /** Column means subtracted before projecting. */
  mean_: Float64Array | undefined = undefined;
  /** Mean variance of the discarded components (0 when none are discarded). */
  noiseVariance_: number | undefined = undefined;
  /** Number of components kept. */
  nComponents_: number | undefined = undefined;
  /** Number of training rows. */
  nSamples_: number | undefined = undefined;
  /** Transforms run so far whose size called for threads (see `pcaTuning.coldPoolWork`). */
  #threadable = 0;

  constructor(params: Partial<PCAParams> = {}) {
    super(params);
  }

  /** Fits the principal axes of X. */
  fit(X: MatrixInput): this {
    const given = this.startFit(X);
    this.fitAxes(given, null);
    // Values whose squares overflow XᵀX (|x| beyond ~1e154: the axes come out NaN) or underflow
    // (|x| below ~1e-154: every variance is below 2^-780 and the mean tiny): fit again on a copy
    // scaled by a power of two (exact; the axes do not change) and scale mean and variances back.
    // Checked on the results, so that ordinary data pay for no scan of X.
    if (outOfRange(this.components_!.data, this.mean_!, this.explainedVariance_!)) {
      const scale = extremeMagnitudeScale(given.data);
      if (scale) this.fitAxes(given, scale);
    }
    return this.finishFit(given);
  }

  /** The fit on X (or on X times `scale`, results scaled back); sets every fitted field but the column names. */
  private fitAxes(given: Matrix, scale: [number, number] | null): void {
    const m = scale ? matrix(scaledCopy(given.data, scale), given.rows, given.cols, given.columns) : given;
    const { rows: n, cols: d } = m;
    const nonFinite = () => this.nonFinite(given);
    const nc = this.params.nComponents;
    const full = Math.min(n, d);
    // A transform of rows this many would start the pool: get its workers ready now (they boot
    // and load the transform's code, tens of ms, while this thread fits).
    if (n * d * full >= pcaTuning.coldPoolWork) {
      prepareProjectStreams(d, full, this.threads());
    }
    if (typeof nc === 'number' && Number.isInteger(nc) && nc > full) {
      throw new ValidationError(
        `${this.typeName}: nComponents is ${nc} but X has ${n} rows and ${d} columns, so at most ${full} components exist.`,
        {
          field: 'nComponents',
          fix: `pass nComponents ≤ ${full}, a variance fraction such as 0.95, or null`,
        },
      );
    }
    if (nc === 'mle' && n < d) {
      throw new ValidationError(
        `${this.typeName}: nComponents 'mle' needs at least as many rows as columns; X has ${n} rows and ${d} columns.`,
        { field: 'nComponents', fix: 'pass an integer or a variance fraction instead' },
      );
    }
    if (n < 2) {
      throw new ValidationError(
        `${this.typeName}: X has ${n} row; at least 2 are needed to estimate variance.`,
        {
          fix: 'pass more rows',
        },
      );
    }
    // One workspace for every pass below (the largest: the projection pass, or the d × d / n × n
    // eigendecomposition), instead of a bigger one made as each pass asks for more.
    const CH = pcaChunkRows(d);
    const kp = full + (full & 1);
    const side = Math.min(n, d);
    PcaWorkspace.reserve(
      Math.max(CH * d + d * (kp + 2) + kp + CH * full + 3 * full, side * side + 2 * side) + 64,
    );
    const mean = columnMeans(m, nonFinite);
    // V (d × full, columns = right singular vectors) and the singular values, descending.
    const S = new Float64Array(full);
    const V = new Float64Array(d * full);
    // The eigenvalues of XᵀX (or of XXᵀ for wide X) while the axes come from their eigenvectors
    // (null once refined).
    let values: Float64Array | null = null;
    if (n >= d) {
      const eig = symmetricEigen(crossProduct(m, mean, nonFinite), d);
      V.set(eig.vectors);
      values = eig.values;
      if (axesNeedRefining(values)) {
        refineAxes(m, mean, V, full, nonFinite);
        values = null;
      }
    } else {
      const eig = symmetricEigen(gram(m, mean), n);
      const U = eig.vectors;
      values = eig.values;
      // v_k = Xcᵀ u_k, normalised.
      for (let k = 0; k < full; k++) {
        for (let i = 0; i < n; i++) {
          const u = U[i * n + k];
          if (u === 0) continue;
          for (let j = 0; j < d; j++) V[j * full + k] += (m.data[i * d + j] - mean[j]) * u;
        }
        let norm = 0;
        for (let j = 0; j < d; j++) norm += V[j * full + k] ** 2;
        norm = Math.sqrt(norm);
        // ‖Xcᵀu_k‖ is s_k: tiny for the direction centring removed, whose axis is arbitrary.
        S[k] = norm;
        if (norm > 0) for (let j = 0; j < d; j++) V[j * full + k] /= norm;
      }
      orthonormalizeColumns(V, d, full);
      // XXᵀ squares the condition number as XᵀX does: V spans the rows' space, and rotating it
      // within that space resolves the small axes the same way.
      if (axesNeedRefining(values)) {
        refineAxes(m, mean, V, full, nonFinite);
        values = null;
      }
    }
    // One pass over the rows projects them on every axis: the singular values are the norms of
    // the projections (accurate even for tiny ones, unlike the square roots of eigenvalues of
    // the cross-product), and svd_flip (u-based) orients each axis so that the projection of
    // largest magnitude (the first, on ties) is positive.
    let { sumSq, signAt } = projectionStats(m, mean, V, full, this.threads(), nonFinite);
    if (values && hiddenAxes(values, sumSq)) {
      refineAxes(m, mean, V, full, nonFinite);
      ({ sumSq, signAt } = projectionStats(m, mean, V, full, this.threads(), nonFinite));
      values = null;
    }
    // Wide X keeps ‖Xcᵀu_k‖ unless refined (its axes then no longer come from the u_k).
    const projected = n >= d || values === null;
    for (let k = 0; k < full; k++) {
      if (projected) S[k] = Math.sqrt(sumSq[k]);
      if (signAt[k] < 0) for (let j = 0; j < d; j++) V[j * full + k] = -V[j * full + k];
    }
    const ev = new Float64Array(full);
    let total = 0;
    for (let k = 0; k < full; k++) {
      ev[k] = (S[k] * S[k]) / (n - 1);
      total += ev[k];
    }
    const ratio = new Float64Array(full);
    for (let k = 0; k < full; k++) ratio[k] = total > 0 ? ev[k] / total : 0;
    let keep: number;
    if (nc === null) keep = full;
    else if (nc === 'mle') keep = inferDimension(ev, n);
    else if (Number.isInteger(nc)) keep = nc;
    else {
      // Smallest k whose cumulative ratio exceeds nc (searchsorted side='right', + 1).
      let cum = 0;
      keep = full;
      for (let k = 0; k < full; k++) {
        cum += ratio[k];
        if (cum > nc) {
          keep = k + 1;
          break;
        }
      }
    }
    let noise = 0;
    if (keep < full) {
      for (let k = keep; k < full; k++) noise += ev[k];
      noise /= full - keep;
    }
    if (scale) {
      // Variances of values near 1e160 are ~1e320: +Infinity, as scikit-learn's S²/(n − 1) gives.
      for (let j = 0; j < d; j++) mean[j] = unscale(mean[j], scale);
      for (let k = 0; k < full; k++) {
        ev[k] = unscale(ev[k], scale, 2);
        S[k] = unscale(S[k], scale);
      }
      noise = unscale(noise, scale, 2);
    }
    const comps = new Float64Array(keep * d);
    for (let k = 0; k < keep; k++) for (let j = 0; j < d; j++) comps[k * d + j] = V[j * full + k];
    this.components_ = matrix(comps, keep, d, m.columns);
    this.explainedVariance_ = ev.slice(0, keep);
    this.explainedVarianceRatio_ = ratio.slice(0, keep);
    this.singularValues_ = S.slice(0, keep);
    this.mean_ = mean;
    this.noiseVariance_ = noise;
    this.nComponents_ = keep;
    this.nSamples_ = n;
  }

  /**
   * Projects X onto the components (divided by √explained variance when whitening). Large X is
   * split over the worker pool (`nThreads`).
   */
  transform(X: MatrixInput): Matrix {
    const m = this.checkInput(X, 'transform');
    const { rows: n, cols: d, data } = m;
    const k = this.nComponents_!;
    const p = this.projection();
    const work = n * d * k;
    const pool =
      work >= pcaTuning.threadedTransformWork && n >= 2 * streamSlotRows(8 * d, 8 * k)
        ? streamPool(this.threads(), work >= pcaTuning.coldPoolWork || this.#threadable++ > 0)
        : null;
    // Every element is written (or the call throws below), so the memory need not be zeroed first.
    const out = unfilledFloat64(n * k);
    const ok = pool
      ? projectStream(data, n, p, out, pool.parallelism, pool)
      : projectRows(data, 0, n, p, out, 0);
    if (!ok) this.nonFinite(m);
    return matrix(out, n, k, this.getFeatureNamesOut());
  }

  /** The thread count: `nThreads`, or the default. */
  private threads(): number {
    return this.params.nThreads ?? defaultThreadCount();
  }

  /** The fitted projection in the kernels' layout (components as padded columns, scales). */
  private projection(): Projection {
    const k = this.nComponents_!;
    const d = this.mean_!.length;
    const kp = k + (k & 1);
    const C = this.components_!.data;
    const V = new Float64Array(d * kp);
    for (let j = 0; j < d; j++) for (let c = 0; c < k; c++) V[j * kp + c] = C[c * d + j];
    const scale = new Float64Array(kp).fill(1);
    if (this.params.whiten) for (let c = 0; c < k; c++) scale[c] = 1 / Math.sqrt(this.explainedVariance_![c]);
    return { d, k, mean: this.mean_!, V, scale };
  }

  /** Throws the error of `assertFinite` for X (called when a kernel found a non-finite value). */
  private nonFinite(m: Matrix): never {
    assertFinite(m, this.typeName);
    throw new Error(`${this.typeName}: a non-finite value was found but not located`);
  }

  /** Fits, then projects the training rows. */
  fitTransform(X: MatrixInput): Matrix {
    const m = asMatrix(X);
    return this.fit(m).transform(m);
  }

  /** Maps projections back to the original columns (exact when every component is kept). */
  inverseTransform(Z: MatrixInput): Matrix {
    if (!this.isFitted()) throw new NotFittedError(this.typeName, 'inverseTransform');
    const z = asMatrix(Z);
    const k = this.nComponents_!;
    if (z.cols !== k) {
      throw new ValidationError(
        `${this.typeName}.inverseTransform: Z has ${z.cols} columns; the model has ${k} components.`,
        {
          fix: 'pass the output of transform',
        },
      );
    }
    const d = this.mean_!.length;
    const C = this.components_!.data;
    const out = new Float64Array(z.rows * d);
    for (let i = 0; i < z.rows; i++) {
      for (let j = 0; j < d; j++) out[i * d + j] = this.mean_![j];
      for (let c = 0; c < k; c++) {
        const w = z.data[i * k + c] * (this.params.whiten ? Math.sqrt(this.explainedVariance_![c]) : 1);
        const o = c * d;
        for (let j = 0; j < d; j++) out[i * d + j] += w * C[o + j];
      }
    }
    return matrix(out, z.rows, d, this.featureNamesIn_);
  }

  /** Output column names: pca0, pca1, … */
  getFeatureNamesOut(): string[] {
    const k = this.nComponents_ ?? 0;
    return Array.from({ length: k }, (_, j) => `pca${j}`);
  }

  protected getState(): PlainObject {
    return {
      components: this.components_!.data,
      nComponents: this.nComponents_!,
      explainedVariance: this.explainedVariance_!,
      explainedVarianceRatio: this.explainedVarianceRatio_!,
      singularValues: this.singularValues_!,
      mean: this.mean_!,
      noiseVariance: this.noiseVariance_!,
      nSamples: this.nSamples_!,
    };
  }

  /**
   * Checks the saved shapes (nComponents × features components, one mean per feature, one
   * variance, ratio and singular value per component), the ranges a fit gives (0 ≤ nComponents ≤
   * min(nSamples, features), 0 when 'mle' finds no component; nSamples ≥ 2; variances and
   * singular values finite and ≥ 0; ratios in [0, 1]) and finite components and means, so that a
   * damaged or edited package is refused rather than transforming to NaN. A zero explained
   * variance loads (a constant direction): whitening divides by it as after fit.
   */
  protected setState(state: PlainObject): void {
    const who = this.typeName;
    const names = state.featureNamesIn as string[];
    const d = names.length;
    const nSamples = checkInt(who, 'nSamples', state.nSamples, 2, Number.POSITIVE_INFINITY);
    // 0 is what 'mle' finds on one feature or on constant data (as scikit-learn's argmax does).
    const k = checkInt(who, 'nComponents', state.nComponents, 0, Math.min(d, nSamples));
    const perComponent = `one per component; ${k} components`;
    const components = readVector(
      who,
      'components',
      state.components,
      k * d,
      `${k} components × ${d} features`,
      FINITE,
    );
    this.components_ = matrix(components, k, d, names);
    this.nComponents_ = k;
    this.explainedVariance_ = readVector(
      who,
      'explainedVariance',
      state.explainedVariance,
      k,
      perComponent,
      NON_NEGATIVE,
    );
    this.explainedVarianceRatio_ = readVector(
      who,
      'explainedVarianceRatio',
      state.explainedVarianceRatio,
      k,
      perComponent,
      RATIO,
    );
    this.singularValues_ = readVector(
      who,
      'singularValues',
      state.singularValues,
      k,
      perComponent,
      NON_NEGATIVE,
    );
    this.mean_ = readVector(who, 'mean', state.mean, d, 'one per input feature', FINITE);
    const noise = checkNumber(who, 'noiseVariance', state.noiseVariance, false);
    if (!(noise >= 0)) throw damagedState(who, 'noiseVariance', `is ${noise}, not a number ≥ 0`);
    this.noiseVariance_ = noise;
    this.nSamples_ = nSamples;
  }
}

/** Variances and singular values: ≥ 0 (+∞ where the data's variance exceeds the doubles, as fit gives it). */
const NON_NEGATIVE: ValueRule = { test: (x) => x >= 0, what: 'a number ≥ 0' };
/** Shares of the total variance. */
const RATIO: ValueRule = { test: (x) => x >= 0 && x <= 1, what: 'a number in [0, 1]' };

registerEstimator(PCA);
