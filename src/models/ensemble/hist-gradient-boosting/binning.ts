/**
 * Binning: maps every feature to at most 255 integer bins (one byte per value), plus one bin
 * reserved for missing values — scikit-learn's `_BinMapper`.
 *
 * - Numeric features: thresholds are midpoints between distinct values when a feature has at most
 *   `maxBins` of them, else the `maxBins`-quantiles (numpy's `percentile(method="midpoint")`) of
 *   a subsample of at most 200 000 rows. Value `x` goes to bin `i` iff
 *   `thresholds[i-1] < x <= thresholds[i]` (a left binary search).
 * - Categorical features: one bin per category (non-negative integer codes), ordered by code.
 *   When a feature has more categories than `maxCategories`, the `maxCategories - 1` most
 *   frequent keep their own bin and the rest share one "other" bin (LightGBM's fallback).
 * - Missing values (NaN) always go to bin `missingBin = maxBins` — they are learned by the
 *   splitter, never imputed.
 *
 * @module
 */

import { ValidationError } from '../../../core/errors.ts';
import type { Matrix } from '../../../core/matrix.ts';
import { Rng } from '../../../core/rng.ts';
import { sortFloat64 } from '../../../stats/quantile.ts';
import type { Arena } from './arena.ts';
import type { Kernels } from './kernels.ts';

/** Largest finite threshold: `+Infinity` is reserved for "split on missing" nodes (as scikit-learn). */
export const ALMOST_INF = 1e300;

/** Rows used to compute quantiles when the data is larger (scikit-learn's `subsample`). */
export const BINNING_SUBSAMPLE = 200_000;

/** How one feature is binned. */
export interface FeatureBins {
  /** True for a categorical feature. */
  categorical: boolean;
  /**
   * Numeric: the increasing thresholds (`nBins - 1` of them).
   * Categorical: the raw category code of each bin (the "other" bin, if any, holds -1).
   */
  thresholds: Float64Array;
  /** Number of bins used by non-missing values. */
  nBins: number;
  /** Categorical only: bin of each raw code `0..codeToBin.length-1` (the "other" bin for rare codes). */
  codeToBin?: Int32Array;
  /** Categorical only: the bin shared by lumped rare categories, or -1. */
  otherBin?: number;
}

/** The fitted binning of every feature. */
export interface BinMapper {
  features: FeatureBins[];
  /** The bin holding missing values (= `maxBins`, the same for every feature). */
  missingBin: number;
}

/** Options of {@link fitBinMapper}. */
export interface BinningOptions {
  /** Bins for non-missing values, 2..255. */
  maxBins: number;
  /** One flag per feature. */
  isCategorical: Uint8Array;
  /** Cap on the number of category bins of a categorical feature (≤ maxBins). */
  maxCategories: number;
  /** Seed of the subsample draw. */
  seed: number;
  /** Who is asking (for messages). */
  who: string;
  /** Called when a categorical feature exceeds the cap (the fallback is taken). */
  onCapExceeded?: (feature: number, cardinality: number) => void;
}

/** Reusable buffers for {@link findBinningThresholds} (each at least as long as the column). */
export interface ThresholdScratch {
  sorted: Float64Array;
  tmp: Float64Array;
}

/**
 * The quantile thresholds of one numeric column, ignoring NaN (scikit-learn's
 * `_find_binning_thresholds`). `values` is not modified; `scratch` avoids allocating per column.
 */
export function findBinningThresholds(
  values: ArrayLike<number>,
  maxBins: number,
  scratch?: ThresholdScratch,
): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
  const sorted = scratch && scratch.sorted.length >= n ? scratch.sorted.subarray(0, n) : new Float64Array(n);
  for (let i = 0, k = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) sorted[k++] = v;
  }
  // The radix sort of the statistics module (−0 sorts as, and becomes, +0: the same thresholds).
  sortFloat64(sorted, scratch?.tmp);
  let nDistinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) nDistinct++;
  let out: Float64Array;
  if (nDistinct <= maxBins) {
    const distinct = new Float64Array(nDistinct);
    for (let i = 0, k = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct[k++] = sorted[i];
    out = new Float64Array(Math.max(0, nDistinct - 1));
    for (let i = 0; i < out.length; i++) out[i] = (distinct[i] + distinct[i + 1]) * 0.5;
  } else {
    // numpy.percentile(x, linspace(0, 100, maxBins + 1)[1:-1], method="midpoint")
    out = new Float64Array(maxBins - 1);
    const step = 100 / maxBins;
    for (let k = 1; k < maxBins; k++) {
      const q = (k * step) / 100;
      const virt = (n - 1) * q;
      const lo = Math.floor(virt);
      const hi = Math.ceil(virt);
      out[k - 1] = virt % 1 === 0 ? sorted[lo] : midpointLerp(sorted[lo], sorted[hi]);
    }
  }
  for (let i = 0; i < out.length; i++) if (out[i] > ALMOST_INF) out[i] = ALMOST_INF;
  return out;
}

/**
 * The point halfway between `a ≤ b` as numpy's `percentile(method="midpoint")` computes it
 * (`_lerp` with t = 0.5: `b − (b − a) · 0.5`), which differs from `(a + b) / 2` in the last bit
 * for about one pair in ten; when `b − a` overflows, `a / 2 + b / 2` (numpy would give −∞).
 */
export function midpointLerp(a: number, b: number): number {
  const diff = b - a;
  return Number.isFinite(diff) ? b - diff * 0.5 : a * 0.5 + b * 0.5;
}

/**
 * Fits the binning of every feature of `X` (row-major). Categories are read from `categoriesFrom`
 * when given (the whole training data, before a validation split — as scikit-learn), else from X.
 */
export function fitBinMapper(X: Matrix, opts: BinningOptions, categoriesFrom: Matrix = X): BinMapper {
  const { rows, cols, data } = X;
  const { maxBins } = opts;
  let sampleRows: Int32Array | null = null;
  if (rows > BINNING_SUBSAMPLE) {
    // Sorted, so that gathering a feature's sample walks X forward.
    sampleRows = new Rng(opts.seed).derive('binning').sample(rows, BINNING_SUBSAMPLE).sort();
  }
  const features: FeatureBins[] = new Array(cols);
  for (let j = 0; j < cols; j++) {
    if (opts.isCategorical[j]) features[j] = fitCategorical(categoriesFrom, j, opts);
  }
  const numeric: number[] = [];
  for (let j = 0; j < cols; j++) if (!opts.isCategorical[j]) numeric.push(j);
  const m = sampleRows ? sampleRows.length : rows;
  // Columns are gathered a group at a time in one pass over the (sampled) rows — X is row-major
  // and large, so one pass per column would read every row's cache lines once per column — into
  // buffers reused across groups (fresh memory costs page faults).
  const group = Math.max(1, Math.min(numeric.length, Math.floor((8 << 20) / (8 * Math.max(1, m)))));
  const buf = new Float64Array(group * m);
  const scratch: ThresholdScratch = { sorted: new Float64Array(m), tmp: new Float64Array(m) };
  for (let g0 = 0; g0 < numeric.length; g0 += group) {
    const g1 = Math.min(numeric.length, g0 + group);
    const G = g1 - g0;
    for (let k = 0; k < m; k++) {
      const base = (sampleRows ? sampleRows[k] : k) * cols;
      for (let q = 0; q < G; q++) buf[q * m + k] = data[base + numeric[g0 + q]];
    }
    for (let q = 0; q < G; q++) {
      const thresholds = findBinningThresholds(buf.subarray(q * m, (q + 1) * m), maxBins, scratch);
      features[numeric[g0 + q]] = { categorical: false, thresholds, nBins: thresholds.length + 1 };
    }
  }
  return { features, missingBin: maxBins };
}

function fitCategorical(X: Matrix, j: number, opts: BinningOptions): FeatureBins {
  const { rows, cols, data } = X;
  const name = X.columns[j];
  let maxCode = -1;
  for (let i = 0, k = j; i < rows; i++, k += cols) {
    const v = data[k];
    if (v !== v) continue;
    if (!(v >= 0) || !Number.isInteger(v)) {
      throw new ValidationError(
        `${opts.who}: categorical feature '${name}' has the value ${v} at row ${i}; categories must be non-negative integer codes (NaN for missing).`,
        {
          field: name,
          fix: 'ordinal-encode the column first (OrdinalEncoder, or a Table categorical column through a Pipeline)',
        },
      );
    }
    if (v > maxCode) maxCode = v;
  }
  if (maxCode > 16_777_215) {
    throw new ValidationError(
      `${opts.who}: categorical feature '${name}' has a code of ${maxCode}; codes above 16777215 are not supported.`,
      { field: name, fix: 'encode the categories as 0, 1, 2, … (OrdinalEncoder)' },
    );
  }
  const counts = new Float64Array(maxCode + 1);
  for (let i = 0, k = j; i < rows; i++, k += cols) {
    const v = data[k];
    if (v === v) counts[v]++;
  }
  const present: number[] = [];
  for (let c = 0; c <= maxCode; c++) if (counts[c] > 0) present.push(c);
  const codeToBin = new Int32Array(maxCode + 1).fill(-1);
  const cap = opts.maxCategories;
  if (present.length <= cap) {
    const thresholds = Float64Array.from(present);
    present.forEach((c, b) => {
      codeToBin[c] = b;
    });
    return { categorical: true, thresholds, nBins: present.length, codeToBin, otherBin: -1 };
  }
  // Fallback: the cap - 1 most frequent categories (ties: smaller code first) keep their own bin,
  // in code order; every other category shares the last bin.
  opts.onCapExceeded?.(j, present.length);
  const byFreq = present.slice().sort((a, b) => counts[b] - counts[a] || a - b);
  const kept = byFreq.slice(0, cap - 1).sort((a, b) => a - b);
  const thresholds = new Float64Array(cap);
  kept.forEach((c, b) => {
    codeToBin[c] = b;
    thresholds[b] = c;
  });
  const otherBin = cap - 1;
  thresholds[otherBin] = -1;
  for (const c of present) if (codeToBin[c] < 0) codeToBin[c] = otherBin;
  return { categorical: true, thresholds, nBins: cap, codeToBin, otherBin };
}

/**
 * Bin of a category code, routed as prediction routes it (`predictor.ts`): a fractional code is
 * truncated (2.7 is category 2), and a code not seen in training — negative, beyond the training
 * codes, or absent — goes to the missing bin (where the split sends missing values). Validation
 * data are binned with it, so early-stopping scores are those of the model `predict` uses.
 */
export function categoryBin(codeToBin: Int32Array, x: number, missingBin: number): number {
  if (!(x >= 0 && x < codeToBin.length)) return missingBin;
  const b = codeToBin[Math.trunc(x)];
  return b < 0 ? missingBin : b;
}

/** Bin of a numeric value: the first threshold ≥ x (binary search), NaN → `missingBin`. */
export function binOfValue(thresholds: Float64Array, x: number, missingBin: number): number {
  if (x !== x) return missingBin;
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (thresholds[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Bins `X` (row-major) into the arena at byte offset `out` (column-major, as
 * {@link transformBins}) with the `binRows` kernel, copying X into the arena in chunks of rows;
 * categorical columns are binned here in TypeScript.
 */
export function transformBinsWithKernel(
  mapper: BinMapper,
  X: Matrix,
  arena: Arena,
  kernels: Kernels,
  out: number,
): void {
  const { rows, cols, data } = X;
  const feats = mapper.features;
  // Each feature's thresholds padded with +inf to 2^b − 1 entries (b: the bit length of their
  // count), for the kernel's unrolled search.
  const padded = (len: number) => 2 ** (32 - Math.clz32(len)) - 1;
  const total = feats.reduce((s, f) => s + (f.categorical ? 0 : padded(f.thresholds.length)), 0);
  const thr = arena.f64(Math.max(1, total));
  const off = arena.u32(cols);
  const len = arena.u32(cols);
  const offI = new Int32Array(off.view.buffer, off.ptr, cols);
  const lenI = new Int32Array(len.view.buffer, len.ptr, cols);
  thr.view.fill(Number.POSITIVE_INFINITY);
  let o = 0;
  feats.forEach((f, j) => {
    if (f.categorical) {
      lenI[j] = -1;
      return;
    }
    thr.view.set(f.thresholds, o);
    offI[j] = o;
    lenI[j] = f.thresholds.length;
    o += padded(f.thresholds.length);
  });
  const chunk = Math.max(1, Math.min(rows, Math.floor((8 << 20) / (8 * cols))));
  const xs = arena.f64(chunk * cols);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const m = Math.min(chunk, rows - r0);
    xs.view.set(data.subarray(r0 * cols, (r0 + m) * cols));
    kernels.binRows(xs.ptr, m, cols, thr.ptr, off.ptr, len.ptr, mapper.missingBin, out, rows, r0);
  }
  const bins = new Uint8Array(arena.memory.buffer, out, rows * cols);
  const miss = mapper.missingBin;
  feats.forEach((f, j) => {
    if (!f.categorical) return;
    const map = f.codeToBin!;
    for (let i = 0, k = j; i < rows; i++, k += cols) bins[j * rows + i] = categoryBin(map, data[k], miss);
  });
}

/**
 * Bins `X` (row-major) into `out`, column-major: the bin of row i, feature j is
 * `out[j * rows + i]`. Unknown categories map to the missing bin (only validation data can have them;
 * {@link categoryBin}).
 */
export function transformBins(mapper: BinMapper, X: Matrix, out: Uint8Array): void {
  const { rows, cols, data } = X;
  const miss = mapper.missingBin;
  const feats = mapper.features;
  // Rows outer, features inner: X is read once, in order (it is row-major and large); the
  // thresholds of every feature stay in cache.
  const thresholds = feats.map((f) => f.thresholds);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      const x = data[base + j];
      const f = feats[j];
      let b: number;
      if (x !== x) b = miss;
      else if (f.categorical) b = categoryBin(f.codeToBin!, x, miss);
      else {
        const t = thresholds[j];
        let lo = 0;
        let hi = t.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (t[mid] < x) lo = mid + 1;
          else hi = mid;
        }
        b = lo;
      }
      out[j * rows + i] = b;
    }
  }
}
