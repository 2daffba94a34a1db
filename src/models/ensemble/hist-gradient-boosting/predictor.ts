/**
 * The prediction-time model: every tree of the ensemble in one set of flat typed arrays (no
 * objects per node), separate from the training-time tree. Two ways to walk it:
 *
 * - raw values (new data): numeric splits compare `x <= threshold`, categorical splits test the
 *   raw category code (truncated) against a bitset, NaN follows the node's `missingLeft`, and so
 *   does a category unseen in training — negative, beyond the bitset, or a code the bitset marks
 *   as unknown (scikit-learn 1.2 treats unknown categories as missing values);
 * - bins (training and validation data during fit): `bin <= binThreshold`, a 256-bit bitset of
 *   bins for categorical splits, the missing bin follows `missingLeft`.
 *
 * Large batches are split over worker threads by rows (each row's sum over trees is computed by
 * one thread, in tree order, so results do not depend on the number of threads).
 *
 * @module
 */

import { toShared } from '../../../core/pool.ts';
import type { BinMapper } from './binning.ts';
import type { GrowerNode } from './grower.ts';
import type { HistWorkers } from './hist-workers.ts';
import { type PackedEnsemble, predictPacked } from './wasm-predictor.ts';

/** All trees, flattened. Node indices are global; a leaf has `feature = -1`. */
export interface TreeEnsemble {
  /** Trees per iteration (K). Tree t adds to output t % K. */
  nTreesPerIteration: number;
  /** First node of each tree; length nTrees + 1. */
  treeStart: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  binThreshold: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  missingLeft: Uint8Array;
  /** Index of the categorical split (into the bitsets), or -1. */
  catIndex: Int32Array;
  /** Split gain (0 for leaves). */
  gain: Float64Array;
  /** Training rows that reached the node. */
  count: Int32Array;
  /** 256-bit bitsets of the bins that go left, 8 words per categorical split. */
  binBitsets: Uint32Array;
  /** Start (in words) of each categorical split's raw-code bitset; length nCat + 1. */
  rawBitsetStart: Int32Array;
  /** Bitsets of the raw category codes that go left. */
  rawBitsets: Uint32Array;
}

/** Flattens grown trees (in boosting order) into a {@link TreeEnsemble}. */
export function buildEnsemble(
  roots: GrowerNode[],
  nTreesPerIteration: number,
  mapper: BinMapper,
): TreeEnsemble {
  let nNodes = 0;
  let nCat = 0;
  let rawWords = 0;
  const walk = (n: GrowerNode): void => {
    nNodes++;
    if (n.isLeaf) return;
    if (n.split!.isCategorical) {
      nCat++;
      rawWords += (mapper.features[n.split!.feature].codeToBin!.length + 31) >>> 5;
    }
    walk(n.left!);
    walk(n.right!);
  };
  for (const r of roots) walk(r);
  const e: TreeEnsemble = {
    nTreesPerIteration,
    treeStart: new Int32Array(roots.length + 1),
    feature: new Int32Array(nNodes),
    threshold: new Float64Array(nNodes),
    binThreshold: new Uint8Array(nNodes),
    left: new Int32Array(nNodes),
    right: new Int32Array(nNodes),
    value: new Float64Array(nNodes),
    missingLeft: new Uint8Array(nNodes),
    catIndex: new Int32Array(nNodes).fill(-1),
    gain: new Float64Array(nNodes),
    count: new Int32Array(nNodes),
    binBitsets: new Uint32Array(nCat * 8),
    rawBitsetStart: new Int32Array(nCat + 1),
    rawBitsets: new Uint32Array(rawWords),
  };
  let next = 0;
  let cat = 0;
  let word = 0;
  const fill = (n: GrowerNode): number => {
    const i = next++;
    e.value[i] = n.value;
    e.count[i] = n.count;
    if (n.isLeaf) {
      e.feature[i] = -1;
      e.left[i] = i;
      e.right[i] = i;
      return i;
    }
    const s = n.split!;
    const fb = mapper.features[s.feature];
    e.feature[i] = s.feature;
    e.gain[i] = s.gain;
    e.missingLeft[i] = s.missingGoLeft ? 1 : 0;
    if (s.isCategorical) {
      e.catIndex[i] = cat;
      const map = fb.codeToBin!;
      e.rawBitsetStart[cat] = word;
      for (let b = 0; b < mapper.missingBin; b++) {
        if (s.goesLeft[b]) e.binBitsets[cat * 8 + (b >>> 5)] |= 1 << (b & 31);
      }
      if (s.goesLeft[mapper.missingBin]) {
        const b = mapper.missingBin;
        e.binBitsets[cat * 8 + (b >>> 5)] |= 1 << (b & 31);
      }
      // A code never seen in training goes where missing values go (scikit-learn 1.2 treats
      // unknown categories as missing); so do codes beyond the bitset and negative ones (`addRaw`).
      const words = (map.length + 31) >>> 5;
      for (let code = 0; code < words * 32; code++) {
        const b = code < map.length ? map[code] : -1;
        if (b >= 0 ? s.goesLeft[b] : s.missingGoLeft) e.rawBitsets[word + (code >>> 5)] |= 1 << (code & 31);
      }
      word += words;
      cat++;
      e.rawBitsetStart[cat] = word;
      e.threshold[i] = Number.NaN;
    } else {
      e.binThreshold[i] = s.binIdx;
      e.threshold[i] = s.binIdx === fb.nBins - 1 ? Number.POSITIVE_INFINITY : fb.thresholds[s.binIdx];
    }
    e.left[i] = fill(n.left!);
    e.right[i] = fill(n.right!);
    return i;
  };
  roots.forEach((r, t) => {
    e.treeStart[t] = next;
    fill(r);
  });
  e.treeStart[roots.length] = next;
  return e;
}

/** The node indices of the leaves of tree `t` (in order). */
export function nLeaves(e: TreeEnsemble, t: number): number {
  let n = 0;
  for (let i = e.treeStart[t]; i < e.treeStart[t + 1]; i++) if (e.feature[i] < 0) n++;
  return n;
}

const BLOCK = 512;

/**
 * Adds the trees [t0, t1) to `out` (class-major: out[k * nOut + outRow]) for rows [r0, r1) of the
 * row-major raw matrix `X` with `d` columns. Rows are processed in blocks, trees inside a block,
 * so each tree stays in cache while it serves many rows.
 */
export function addRaw(
  e: TreeEnsemble,
  X: Float64Array,
  d: number,
  r0: number,
  r1: number,
  t0: number,
  t1: number,
  out: Float64Array,
  nOut: number,
  outOffset: number,
): void {
  const {
    treeStart,
    feature,
    threshold,
    left,
    right,
    value,
    missingLeft,
    catIndex,
    rawBitsets,
    rawBitsetStart,
  } = e;
  const K = e.nTreesPerIteration;
  const hasCat = e.rawBitsetStart.length > 1;
  for (let b0 = r0; b0 < r1; b0 += BLOCK) {
    const b1 = Math.min(r1, b0 + BLOCK);
    for (let t = t0; t < t1; t++) {
      const root = treeStart[t];
      const o = (t % K) * nOut + outOffset - r0;
      for (let i = b0; i < b1; i++) {
        const base = i * d;
        let node = root;
        let f = feature[node];
        // Hand-inlined tree walk: the hot loop of prediction.
        while (f >= 0) {
          const x = X[base + f];
          let goLeft: boolean;
          if (x !== x) goLeft = missingLeft[node] === 1;
          else if (hasCat && catIndex[node] >= 0) {
            const c = catIndex[node];
            const start = rawBitsetStart[c];
            const words = rawBitsetStart[c + 1] - start;
            goLeft =
              x >= 0 && x < words * 32
                ? ((rawBitsets[start + (x >>> 5)] >>> (x & 31)) & 1) === 1
                : missingLeft[node] === 1; // an unknown code: where missing values go
          } else goLeft = x <= threshold[node];
          node = goLeft ? left[node] : right[node];
          f = feature[node];
        }
        out[o + i] += value[node];
      }
    }
  }
}

/**
 * Adds the trees [t0, t1) to `out` (class-major, nOut rows) for the column-major binned matrix
 * `bins` (nRows rows), on the bins — used during fit for training and validation scores.
 */
export function addBinned(
  e: TreeEnsemble,
  bins: Uint8Array,
  nRows: number,
  missingBin: number,
  t0: number,
  t1: number,
  out: Float64Array,
): void {
  const { treeStart, feature, binThreshold, left, right, value, missingLeft, catIndex, binBitsets } = e;
  const K = e.nTreesPerIteration;
  for (let t = t0; t < t1; t++) {
    const root = treeStart[t];
    const o = (t % K) * nRows;
    for (let i = 0; i < nRows; i++) {
      let node = root;
      let f = feature[node];
      while (f >= 0) {
        const b = bins[f * nRows + i];
        let goLeft: boolean;
        const c = catIndex[node];
        // Missing first, for categorical splits too (as scikit-learn's binned walk, and as
        // `addRange` routes NaN and unknown codes): a categorical feature without missing values
        // in training sends them to the larger child, which its bin bitset does not record.
        if (b === missingBin) goLeft = missingLeft[node] === 1;
        else if (c >= 0) goLeft = ((binBitsets[c * 8 + (b >>> 5)] >>> (b & 31)) & 1) === 1;
        else goLeft = b <= binThreshold[node];
        node = goLeft ? left[node] : right[node];
        f = feature[node];
      }
      out[o + i] += value[node];
    }
  }
}

/** Fewest rows per thread when predicting on threads. */
const MIN_ROWS_PER_THREAD = 8192;
/** Below this many row × tree visits, predict on the calling thread. */
const PARALLEL_MIN_WORK = 2_000_000;

/**
 * Adds the trees to `out` (class-major, `nOut` rows per class; row r0 at output row `outRow0`)
 * for rows [r0, r1) of the row-major X — with the WebAssembly kernel when `packed` is given and
 * usable, else the TypeScript walk (same bits).
 */
export function addRange(
  e: TreeEnsemble,
  packed: PackedEnsemble | null,
  X: Float64Array,
  d: number,
  r0: number,
  r1: number,
  out: Float64Array,
  nOut: number,
  outRow0: number,
): void {
  if (packed && predictPacked(packed, X, d, r0, r1, out, nOut, outRow0)) return;
  addRaw(e, X, d, r0, r1, 0, e.treeStart.length - 1, out, nOut, outRow0);
}

/**
 * Raw predictions (without the baseline) of rows [r0, r1), class-major, on the calling thread —
 * with the WebAssembly kernel when `packed` is given and available, else the TypeScript walk
 * (same bits).
 */
export function predictRawRange(
  e: TreeEnsemble,
  packed: PackedEnsemble | null,
  X: Float64Array,
  d: number,
  r0: number,
  r1: number,
): Float64Array {
  const n = r1 - r0;
  const out = new Float64Array(n * e.nTreesPerIteration);
  addRange(e, packed, X, d, r0, r1, out, n, 0);
  return out;
}

/** Copies of the ensemble's arrays in shared memory, for worker threads. */
export function shareEnsemble(e: TreeEnsemble): TreeEnsemble {
  return {
    nTreesPerIteration: e.nTreesPerIteration,
    treeStart: toShared(e.treeStart),
    feature: toShared(e.feature),
    threshold: toShared(e.threshold),
    binThreshold: toShared(e.binThreshold),
    left: toShared(e.left),
    right: toShared(e.right),
    value: toShared(e.value),
    missingLeft: toShared(e.missingLeft),
    catIndex: toShared(e.catIndex),
    gain: e.gain,
    count: e.count,
    binBitsets: toShared(e.binBitsets),
    rawBitsetStart: toShared(e.rawBitsetStart),
    rawBitsets: toShared(e.rawBitsets),
  };
}

/**
 * Raw predictions (class-major, n × K, baseline included) of a row-major matrix, written to `into`
 * when given (n × K values, zeroed); large batches are split by rows over a {@link HistWorkers}
 * group (the calling thread takes the first range).
 */
export function predictRaw(
  e: TreeEnsemble,
  shared: () => TreeEnsemble,
  packed: PackedEnsemble | null,
  X: Float64Array,
  n: number,
  d: number,
  baseline: Float64Array,
  workers: HistWorkers | null,
  into?: Float64Array,
): Float64Array {
  const K = e.nTreesPerIteration;
  const nTrees = e.treeStart.length - 1;
  const out = into ?? new Float64Array(n * K);
  if (!workers || n * nTrees < PARALLEL_MIN_WORK || n < 2 * MIN_ROWS_PER_THREAD) {
    addRange(e, packed, X, d, 0, n, out, n, 0);
  } else workers.predict(e, shared, packed, X, d, n, out);
  for (let k = 0; k < K; k++) {
    const b = baseline[k];
    for (let i = k * n; i < (k + 1) * n; i++) out[i] = b + out[i];
  }
  return out;
}
