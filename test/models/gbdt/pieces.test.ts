// The pieces of the trainer against hand-computed values: binning edges, histogram sums, the
// subtraction trick, split gains (numeric, with missing values, categorical), the partition, and
// the WebAssembly kernels against the TypeScript ones, bit for bit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matrix } from '../../../src/core/matrix.ts';
import { Rng } from '../../../src/core/rng.ts';
import { Wasm } from '../../../src/core/wasm.ts';
import { Arena } from '../../../src/models/ensemble/hist-gradient-boosting/arena.ts';
import {
  BINNING_SUBSAMPLE,
  binOfValue,
  findBinningThresholds,
  fitBinMapper,
  transformBins,
  transformBinsWithKernel,
} from '../../../src/models/ensemble/hist-gradient-boosting/binning.ts';
import {
  makeKernels,
  wasmAvailable,
  wasmModule,
} from '../../../src/models/ensemble/hist-gradient-boosting/kernels.ts';
import {
  findNodeSplit,
  nodeValue,
  type SplitContext,
} from '../../../src/models/ensemble/hist-gradient-boosting/splitting.ts';

describe('binning', () => {
  it('uses midpoints between distinct values when there are few, ignoring NaN', () => {
    assert.deepEqual([...findBinningThresholds([3, 1, Number.NaN, 2, 4, 2], 255)], [1.5, 2.5, 3.5]);
  });

  it("uses numpy's midpoint percentiles when there are more distinct values than bins", () => {
    // 0..9 in 4 bins: percentiles 25, 50, 75 → virtual indices 2.25, 4.5, 6.75 → midpoints.
    const v = Array.from({ length: 10 }, (_, i) => 9 - i);
    assert.deepEqual([...findBinningThresholds(v, 4)], [2.5, 4.5, 6.5]);
    // 0..8 in 4 bins: 2, 4, 6 are exact indices → the values themselves.
    assert.deepEqual([...findBinningThresholds([0, 1, 2, 3, 4, 5, 6, 7, 8], 4)], [2, 4, 6]);
  });

  it("takes a percentile midpoint with numpy's lerp, b − (b − a)·0.5, not (a + b)/2", () => {
    // np.percentile([-5, -1.3, 0.33, 5], 50, method="midpoint") = -0.48500000000000004, the
    // threshold scikit-learn's _BinMapper(n_bins=3) finds; (−1.3 + 0.33) · 0.5 = −0.485.
    assert.deepEqual([...findBinningThresholds([5, -1.3, 0.33, -5], 2)], [-0.48500000000000004]);
  });

  it('maps x to bin i iff t[i-1] < x <= t[i]; NaN to the missing bin', () => {
    const t = Float64Array.of(1.5, 2.5, 3.5);
    assert.deepEqual(
      [0, 1, 1.5, 2, 2.5, 3.6, 100, Number.NaN].map((x) => binOfValue(t, x, 255)),
      [0, 0, 0, 1, 1, 3, 3, 255],
    );
  });

  it('computes the thresholds of a large column on a seeded subsample of BINNING_SUBSAMPLE rows', () => {
    // Two columns of distinct values: the thresholds must be those of exactly the rows the
    // seeded draw picks (and differ from the thresholds of all rows).
    const rows = BINNING_SUBSAMPLE + 50_000;
    const rng = new Rng(7);
    const data = new Float64Array(rows * 2);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal();
    const X = matrix(data, rows, 2);
    const opts = { maxBins: 255, isCategorical: Uint8Array.of(0, 0), maxCategories: 255, seed: 11, who: 't' };
    const mapper = fitBinMapper(X, opts);
    const picked = new Rng(11).derive('binning').sample(rows, BINNING_SUBSAMPLE).sort();
    for (let j = 0; j < 2; j++) {
      const sample = Float64Array.from(picked, (r) => data[r * 2 + j]);
      const all = Float64Array.from({ length: rows }, (_, r) => data[r * 2 + j]);
      assert.deepEqual([...mapper.features[j].thresholds], [...findBinningThresholds(sample, 255)]);
      assert.notDeepEqual([...mapper.features[j].thresholds], [...findBinningThresholds(all, 255)]);
    }
    // Another seed draws other rows.
    const other = fitBinMapper(X, { ...opts, seed: 12 });
    assert.notDeepEqual([...other.features[0].thresholds], [...mapper.features[0].thresholds]);
  });

  it('bins a matrix column-major; categories get one bin each, unknown ones the missing bin', () => {
    const X = matrix(Float64Array.of(1, 5, 2, 7, Number.NaN, 5, 3, Number.NaN), 4, 2);
    const mapper = fitBinMapper(X, {
      maxBins: 255,
      isCategorical: Uint8Array.of(0, 1),
      maxCategories: 255,
      seed: 0,
      who: 't',
    });
    assert.deepEqual([...mapper.features[0].thresholds], [1.5, 2.5]);
    assert.deepEqual([...mapper.features[1].thresholds], [5, 7]);
    const out = new Uint8Array(8);
    transformBins(mapper, X, out);
    assert.deepEqual([...out], [0, 1, 255, 2, 0, 1, 0, 255]);
    const unknown = new Uint8Array(2);
    transformBins(mapper, matrix(Float64Array.of(0, 6, 0, 9), 2, 2), unknown);
    assert.deepEqual([...unknown.subarray(0, 2)], [0, 0]);
  });

  it('the binning kernels (WebAssembly, TypeScript) give the bins of the reference binary search', () => {
    // Columns with 0, 1, 2, 3, 7, 8, 100 and 254 thresholds, one with repeated thresholds, one
    // categorical; values at, and one ulp beside, every threshold, plus NaN, ±inf, ±0, huge ones.
    const rng = new Rng(23);
    const counts = [0, 1, 2, 3, 7, 8, 100, 254];
    const d = counts.length + 2;
    const n = 3001;
    const features = counts.map((c) => {
      const t = new Float64Array(c);
      for (let k = 0; k < c; k++) t[k] = (k - c / 2) * 0.37 + (k % 3) * 0.01;
      return { categorical: false, thresholds: t.sort(), nBins: c + 1 };
    });
    const dup = Float64Array.of(-1, 0, 0, 0, 2, 2, 1e300);
    features.push({ categorical: false, thresholds: dup, nBins: dup.length + 1 });
    features.push({
      categorical: true,
      thresholds: Float64Array.of(0, 1, 2),
      nBins: 3,
      codeToBin: Int32Array.of(0, 1, 2),
      otherBin: -1,
    } as never);
    const mapper = { features, missingBin: 255 };
    const X = new Float64Array(n * d);
    const specials = [Number.NaN, Infinity, -Infinity, 0, -0, 1e308, -1e308, 1e300, 5e-324];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const t = features[j].thresholds;
        const u = rng.random();
        let v: number;
        if (j === d - 1) v = rng.int(4);
        else if (u < 0.15 || t.length === 0) v = specials[rng.int(specials.length)];
        else {
          const base = t[rng.int(t.length)];
          const k = rng.int(3);
          v =
            k === 0
              ? base
              : k === 1
                ? base + Math.abs(base) * 2 ** -52 + 5e-324
                : base - Math.abs(base) * 2 ** -52 - 5e-324;
        }
        X[i * d + j] = v;
      }
    }
    const M = matrix(X, n, d);
    const want = new Uint8Array(n * d);
    transformBins(mapper, M, want);
    for (const kind of kinds) {
      const arena = new Arena(n * d * 10);
      const out = arena.u8(n * d);
      transformBinsWithKernel(mapper, M, arena, makeKernels(arena.memory, kind), out.ptr);
      assert.deepEqual(out.view, want, kind);
    }
  });

  it('over the cap, keeps the most frequent categories and lumps the rest into one bin', () => {
    // codes 0 (×1), 1 (×3), 2 (×2), 3 (×4); cap 3 → keep 3 and 1, lump 0 and 2.
    const codes = [0, 1, 1, 1, 2, 2, 3, 3, 3, 3];
    const X = matrix(Float64Array.from(codes), codes.length, 1);
    const seen: number[] = [];
    const mapper = fitBinMapper(X, {
      maxBins: 255,
      isCategorical: Uint8Array.of(1),
      maxCategories: 3,
      seed: 0,
      who: 't',
      onCapExceeded: (_j, card) => seen.push(card),
    });
    assert.deepEqual(seen, [4]);
    const f = mapper.features[0];
    assert.deepEqual([...f.thresholds], [1, 3, -1]);
    assert.equal(f.otherBin, 2);
    assert.deepEqual([...f.codeToBin!], [2, 0, 2, 1]);
  });
});

function layout(nRows: number, d: number, slots: number) {
  const arena = new Arena(1 << 20);
  const bins = arena.u8(nRows * d);
  const idx = arena.u32(nRows);
  // (gradient, hessian) pairs by row, and gathered in node order.
  const grad = arena.f64(2 * nRows);
  const gh = arena.f64(2 * nRows);
  const hist = arena.f64(2 * d * slots);
  const counts = arena.u32(d * slots);
  const hist2 = arena.f64(2 * d * slots);
  const counts2 = arena.u32(d * slots);
  const hist3 = arena.f64(2 * d * slots);
  const counts3 = arena.u32(d * slots);
  const buf = arena.u32(nRows);
  const lut = arena.u8(slots);
  return { arena, bins, idx, grad, gh, hist, counts, hist2, counts2, hist3, counts3, buf, lut };
}

const kinds = wasmAvailable() ? (['ts', 'wasm'] as const) : (['ts'] as const);

describe('histogram kernels', () => {
  for (const kind of kinds) {
    it(`${kind}: sums gradients, hessians and counts per bin`, () => {
      const L = layout(4, 1, 256);
      L.bins.view.set([0, 1, 1, 2]);
      L.idx.view.set([0, 1, 2, 3]);
      L.grad.view.set([1, 0.5, 2, 1, 3, 1, 4, 2]);
      const k = makeKernels(L.arena.memory, kind);
      k.gather(L.idx.ptr, 4, L.grad.ptr, L.gh.ptr);
      assert.deepEqual([...L.gh.view], [1, 0.5, 2, 1, 3, 1, 4, 2]);
      k.clearHist(0, 1, 256, L.hist.ptr, L.counts.ptr);
      k.buildHist(L.bins.ptr, 4, L.idx.ptr, 4, L.gh.ptr, 0, 1, 256, L.hist.ptr, L.counts.ptr);
      assert.deepEqual([...L.hist.view.subarray(0, 6)], [1, 0.5, 5, 2, 4, 2]);
      assert.deepEqual([...L.counts.view.subarray(0, 4)], [1, 2, 1, 0]);
      // Only rows 1 and 3.
      L.idx.view.set([1, 3]);
      k.gather(L.idx.ptr, 2, L.grad.ptr, L.gh.ptr);
      assert.deepEqual([...L.gh.view.subarray(0, 4)], [2, 1, 4, 2]);
      k.clearHist(0, 1, 256, L.hist.ptr, L.counts.ptr);
      k.buildHist(L.bins.ptr, 4, L.idx.ptr, 2, L.gh.ptr, 0, 1, 256, L.hist.ptr, L.counts.ptr);
      assert.deepEqual([...L.hist.view.subarray(0, 6)], [0, 0, 2, 1, 4, 2]);
      // The root: all rows in order, the pairs read in place.
      k.clearHist(0, 1, 256, L.hist.ptr, L.counts.ptr);
      k.buildHistRoot(L.bins.ptr, 4, 4, L.grad.ptr, 0, 1, 256, L.hist.ptr, L.counts.ptr);
      assert.deepEqual([...L.hist.view.subarray(0, 6)], [1, 0.5, 5, 2, 4, 2]);
    });

    it(`${kind}: the subtraction trick gives the sibling's histogram exactly (integer-valued sums)`, () => {
      const n = 500;
      const d = 6;
      const L = layout(n, d, 256);
      const rng = new Rng(3);
      for (let i = 0; i < n * d; i++) L.bins.view[i] = rng.int(i % 7 === 0 ? 256 : 40);
      for (let i = 0; i < n; i++) {
        L.grad.view[2 * i] = rng.int(21) - 10;
        L.grad.view[2 * i + 1] = 1 + rng.int(3);
      }
      const k = makeKernels(L.arena.memory, kind);
      const build = (rows: number[], hist: { ptr: number }, counts: { ptr: number }) => {
        L.idx.view.set(rows);
        k.gather(L.idx.ptr, rows.length, L.grad.ptr, L.gh.ptr);
        k.clearHist(0, d, 256, hist.ptr, counts.ptr);
        k.buildHist(L.bins.ptr, n, L.idx.ptr, rows.length, L.gh.ptr, 0, d, 256, hist.ptr, counts.ptr);
      };
      const all = Array.from({ length: n }, (_, i) => i);
      const left = all.filter((i) => i % 3 === 0);
      const right = all.filter((i) => i % 3 !== 0);
      build(all, L.hist, L.counts);
      build(left, L.hist2, L.counts2);
      k.subtractHist(
        0,
        d,
        256,
        L.hist.ptr,
        L.counts.ptr,
        L.hist2.ptr,
        L.counts2.ptr,
        L.hist3.ptr,
        L.counts3.ptr,
      );
      const sub = { h: [...L.hist3.view], c: [...L.counts3.view] };
      build(right, L.hist3, L.counts3);
      assert.deepEqual(sub.h, [...L.hist3.view]);
      assert.deepEqual(sub.c, [...L.counts3.view]);
    });

    it(`${kind}: partitions rows stably by a per-bin table`, () => {
      const L = layout(6, 1, 256);
      L.bins.view.set([3, 0, 255, 1, 3, 2]);
      L.idx.view.set([5, 4, 3, 2, 1, 0]);
      L.lut.view.fill(0);
      L.lut.view[0] = 1;
      L.lut.view[1] = 1;
      L.lut.view[255] = 1;
      const k = makeKernels(L.arena.memory, kind);
      const nl = k.partition(L.bins.ptr, L.idx.ptr, 6, L.lut.ptr, L.buf.ptr);
      assert.equal(nl, 3);
      assert.deepEqual([...L.idx.view], [3, 2, 1, 5, 4, 0]);
    });
  }

  it('WebAssembly and TypeScript kernels give the same bits on random data', {
    skip: !wasmAvailable(),
  }, () => {
    const n = 3001;
    const d = 7;
    const run = (kind: 'ts' | 'wasm') => {
      const L = layout(n, d, 256);
      const rng = new Rng(9);
      for (let i = 0; i < n * d; i++) L.bins.view[i] = rng.int(256);
      for (let i = 0; i < n; i++) {
        L.grad.view[2 * i] = rng.normal();
        L.grad.view[2 * i + 1] = rng.random();
      }
      const rows = rng.sample(n, 2000);
      L.idx.view.set(rows);
      const k = makeKernels(L.arena.memory, kind);
      k.gather(L.idx.ptr, 2000, L.grad.ptr, L.gh.ptr);
      k.clearHist(0, d, 256, L.hist.ptr, L.counts.ptr);
      k.buildHist(L.bins.ptr, n, L.idx.ptr, 2000, L.gh.ptr, 0, d, 256, L.hist.ptr, L.counts.ptr);
      k.clearHist(0, d, 256, L.hist2.ptr, L.counts2.ptr);
      k.buildHistRoot(L.bins.ptr, n, n, L.grad.ptr, 0, d, 256, L.hist2.ptr, L.counts2.ptr);
      // The sums-only root kernel, in two feature ranges, with the counts copied: the same bits.
      k.clearHist(0, d, 256, L.hist3.ptr, L.counts3.ptr);
      k.buildHistRootSums(L.bins.ptr, n, n, L.grad.ptr, 0, 5, 256, L.hist3.ptr, L.counts2.ptr, L.counts3.ptr);
      k.buildHistRootSums(L.bins.ptr, n, n, L.grad.ptr, 5, d, 256, L.hist3.ptr, L.counts2.ptr, L.counts3.ptr);
      assert.deepEqual(L.hist3.view, L.hist2.view, `${kind}: root sums`);
      assert.deepEqual(L.counts3.view, L.counts2.view, `${kind}: root counts`);
      return {
        h: Buffer.from(L.hist.view.buffer, L.hist.ptr, L.hist.view.byteLength).toString('hex'),
        c: [...L.counts.view],
        root: Buffer.from(L.hist2.view.buffer, L.hist2.ptr, L.hist2.view.byteLength).toString('hex'),
        rootCounts: [...L.counts2.view],
      };
    };
    assert.deepEqual(run('wasm'), run('ts'));
  });
});

function ctx(over: Partial<SplitContext> = {}): SplitContext {
  return {
    nFeatures: 1,
    slots: 256,
    missingBin: 255,
    nBinsNonMissing: Int32Array.of(3),
    hasMissing: Uint8Array.of(0),
    isCategorical: Uint8Array.of(0),
    minSamplesLeaf: 1,
    minHessianToSplit: 1e-3,
    minGainToSplit: 0,
    l2: 0,
    ...over,
  };
}

function hist1(bins: [number, number, number][]): { hist: Float64Array; counts: Uint32Array } {
  const hist = new Float64Array(512);
  const counts = new Uint32Array(256);
  for (const [b, g, h] of bins) {
    hist[2 * b] = g;
    hist[2 * b + 1] = h;
    counts[b] = h;
  }
  return { hist, counts };
}

function near(got: number, want: number): void {
  assert.ok(Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${got} vs ${want}`);
}

describe('split finding', () => {
  it("computes node values as scikit-learn's compute_node_value, 1e-15 in the denominator included", () => {
    // scikit-learn 1.2.1's compute_node_value(G, H, -inf, inf, λ) for (G, H, λ) = (1, 0, 0),
    // (1, 1e-3, 0), (−3, 0.5, 1): −1e15 (not −inf), and not exactly −1000 or 2.
    assert.equal(nodeValue(1, 0, 0), -999999999999999.9);
    assert.equal(nodeValue(1, 1e-3, 0), -999.9999999989999);
    assert.equal(nodeValue(-3, 0.5, 1), 1.9999999999999984);
  });

  it('picks the bin with the largest gain G_L²/(H_L+λ) + G_R²/(H_R+λ) − G·v', () => {
    // Bins: G = −4, 1, 3; H = 2, 2, 2. Root (value 0): cut after bin 0 → 16/2 + 16/4 = 12;
    // after bin 1 → 9/4 + 9/2 = 6.75.
    const { hist, counts } = hist1([
      [0, -4, 2],
      [1, 1, 2],
      [2, 3, 2],
    ]);
    const s = findNodeSplit(ctx(), hist, counts, 0, 0, 6, 0, 6, 0)!;
    // (Values are −G / (H + λ + 1e-15): the hand-computed figures hold to ~1e-15.)
    assert.equal(s.binIdx, 0);
    near(s.gain, 12);
    near(s.valueLeft, 2);
    near(s.valueRight, -1);
    assert.equal(s.nLeft, 2);
    // With λ = 2 and a node value of 0.5: gain = G·v − G_L·v_L − G_R·v_R = 0 + 16/4 + 16/6.
    const r = findNodeSplit(ctx({ l2: 2 }), hist, counts, 0, 0, 6, 0, 6, 0.5)!;
    assert.ok(Math.abs(r.gain - (16 / 4 + 16 / 6)) < 1e-12);
  });

  it('respects minSamplesLeaf and minGainToSplit', () => {
    // Counts 1, 2, 3: after bin 0 → 16/1 + 16/5 = 19.2; after bin 1 → 9/3 + 9/3 = 6.
    const { hist, counts } = hist1([
      [0, -4, 1],
      [1, 1, 2],
      [2, 3, 3],
    ]);
    assert.equal(findNodeSplit(ctx(), hist, counts, 0, 0, 6, 0, 6, 0)!.binIdx, 0);
    const s = findNodeSplit(ctx({ minSamplesLeaf: 2 }), hist, counts, 0, 0, 6, 0, 6, 0)!;
    assert.equal(s.binIdx, 1);
    near(s.gain, 6);
    assert.equal(findNodeSplit(ctx({ minSamplesLeaf: 4 }), hist, counts, 0, 0, 6, 0, 6, 0), null);
    assert.equal(findNodeSplit(ctx({ minGainToSplit: 19.2 }), hist, counts, 0, 0, 6, 0, 6, 0), null);
  });

  it('sends missing values to the better side (right-to-left scan puts them left)', () => {
    // Missing bin with G = −6, H = 2: best is {bin 0, missing} | {bins 1, 2}.
    const { hist, counts } = hist1([
      [0, -4, 2],
      [1, 4, 2],
      [2, 6, 2],
      [255, -6, 2],
    ]);
    const s = findNodeSplit(ctx({ hasMissing: Uint8Array.of(1) }), hist, counts, 0, 0, 8, 0, 8, 0)!;
    assert.equal(s.binIdx, 0);
    assert.equal(s.missingGoLeft, true);
    near(s.gain, 100 / 4 + 100 / 4);
    assert.equal(s.goesLeft[255], 1);
    assert.equal(s.goesLeft[1], 0);
  });

  it('groups categories sorted by G/(H + 10), scanning from both ends', () => {
    // Categories 0..3 with 20 rows each (H = count). Sorted keys: cat 2 (−0.5·20/30) < cat 0 < cat 3 < cat 1.
    const { hist, counts } = hist1([
      [0, -2, 20],
      [1, 12, 20],
      [2, -20, 20],
      [3, 10, 20],
    ]);
    const c = ctx({ nBinsNonMissing: Int32Array.of(4), isCategorical: Uint8Array.of(1) });
    const s = findNodeSplit(c, hist, counts, 0, 0, 80, 0, 80, 0)!;
    assert.equal(s.isCategorical, true);
    // Sorted 2, 0, 3, 1. Cuts: {2} → 20²/20 + 20²/60 = 26.67; {2, 0} → 2 · 22²/40 = 24.2;
    // from the right, {1} → 12²/20 + 12²/60 = 9.6. Best: {2} left.
    assert.deepEqual([...s.goesLeft.subarray(0, 4)], [0, 0, 1, 0]);
    assert.ok(Math.abs(s.gain - (400 / 20 + 400 / 60)) < 1e-12);
  });

  it("orders categories of equal G/(H + 10) as scikit-learn's qsort does: the later bin first", () => {
    // Bins 1 (G −1, H 10) and 2 (G −2, H 30) have the same key −0.05. scikit-learn 1.2.1's Splitter
    // (glibc's merge-sort qsort with a comparator that never returns 0) puts bin 2 first, so its
    // best cut is {0} (gain 0.71333…); taking bin 1 first would give {0, 1} (gain 0.725).
    const { hist, counts } = hist1([
      [0, -4, 30],
      [1, -1, 10],
      [2, -2, 30],
      [3, 0, 10],
    ]);
    const c = ctx({ nBinsNonMissing: Int32Array.of(4), isCategorical: Uint8Array.of(1) });
    const s = findNodeSplit(c, hist, counts, 0, 0, 80, -7, 80, 0)!;
    assert.deepEqual([...s.goesLeft.subarray(0, 4)], [1, 0, 0, 0]);
    assert.equal(s.gain, 0.7133333333333334);
  });

  it('leaves out categories with too little support (they go right)', () => {
    const { hist, counts } = hist1([
      [0, -10, 20],
      [1, 10, 20],
      [2, -50, 5],
    ]);
    const c = ctx({ nBinsNonMissing: Int32Array.of(3), isCategorical: Uint8Array.of(1) });
    const s = findNodeSplit(c, hist, counts, 0, 0, 45, -50, 45, 0)!;
    assert.deepEqual([...s.goesLeft.subarray(0, 3)], [1, 0, 0]);
  });
});

/** Arguments on and beside every branch of fdlibm's exp, and random ones over its whole range. */
function expProbes(): number[] {
  const edges = [
    0,
    -0,
    2 ** -28,
    2 ** -29,
    3e-9,
    0.5 * Math.LN2,
    0.3465735902799726,
    0.34657359027997264,
    0.35,
    1, // V8 special-cases exp(1) (the binary log loss takes exp(−raw): a raw score of −1)
    1.5 * Math.LN2,
    1.0397207708399179,
    1.04,
    36.99,
    37,
    37.01,
    700,
    709.78,
    709.782712893384,
    709.7827128933841,
    709.79,
    745.13,
    745.1332191019411,
    745.1332191019412,
    746,
    708.4,
    708.39641853226408,
    1022 * Math.LN2,
    1021.5 * Math.LN2,
    1e10,
    1e300,
    Number.POSITIVE_INFINITY,
    Number.MIN_VALUE,
    Number.MAX_VALUE,
  ];
  // The branches test the high word of |x|: values at and beside each boundary.
  const word = new Float64Array(1);
  const u32 = new Uint32Array(word.buffer);
  for (const hi of [0x3e300000, 0x3fd62e42, 0x3ff0a2b2, 0x40862e42, 0x7ff00000]) {
    for (const [h, l] of [
      [hi, 0],
      [hi, 1],
      [hi - 1, 0xffffffff],
      [hi + 1, 0],
    ]) {
      u32[0] = l;
      u32[1] = h;
      edges.push(word[0]);
    }
  }
  const out = [Number.NaN];
  for (const e of edges) out.push(e, -e);
  const rng = new Rng(17);
  for (let i = 0; i < 3000; i++)
    out.push((rng.random() - 0.5) * 2 * 10 ** (rng.random() * 4 - 2), (rng.random() - 0.5) * 1500);
  return out;
}

describe('fdlibm exp in WebAssembly', { skip: !wasmAvailable() }, () => {
  it('the scalar and the two-lane versions give the bits of Math.exp', () => {
    const arena = new Arena(1 << 20);
    const inst = new Wasm.Instance(wasmModule()!, { env: { memory: arena.memory, abort: () => {} } })
      .exports as {
      expF64(x: number): number;
      expF64Array(src: number, dst: number, n: number): void;
    };
    const xs = expProbes();
    // Each probe in both lanes, next to every other kind of value.
    const src = arena.f64(2 * xs.length + 1);
    const dst = arena.f64(2 * xs.length + 1);
    for (let i = 0; i < xs.length; i++) {
      src.view[2 * i] = xs[i];
      src.view[2 * i + 1] = xs[(i * 7 + 3) % xs.length];
    }
    src.view[2 * xs.length] = xs[5];
    inst.expF64Array(src.ptr, dst.ptr, src.view.length);
    for (let i = 0; i < src.view.length; i++) {
      const want = Math.exp(src.view[i]);
      assert.ok(Object.is(dst.view[i], want), `exp2(${src.view[i]}) = ${dst.view[i]}, Math.exp ${want}`);
      assert.ok(Object.is(inst.expF64(src.view[i]), want), `exp(${src.view[i]})`);
    }
  });
});

describe('binary log-loss gradient kernel', () => {
  it('WebAssembly (fdlibm exp) and TypeScript (Math.exp) give the same bits', {
    skip: !wasmAvailable(),
  }, () => {
    const n = 20000;
    const run = (kind: 'ts' | 'wasm') => {
      const arena = new Arena(1 << 20);
      const y = arena.f64(n);
      const raw = arena.f64(n);
      const w = arena.f64(n);
      const gh = arena.f64(2 * n);
      const rng = new Rng(5);
      const special = expProbes();
      for (let i = 0; i < n; i++) {
        y.view[i] = rng.int(2);
        raw.view[i] =
          i % 5 === 0 ? -special[rng.int(special.length)] : (rng.random() - 0.5) * (i % 2 ? 90 : 6);
        w.view[i] = rng.random() * 3;
      }
      const k = makeKernels(arena.memory, kind);
      // Odd range ends: the kernel's scalar head and tail around its two-row SIMD body.
      k.gradBinomial(y.ptr, raw.ptr, w.ptr, gh.ptr, 0, n / 2 + 1);
      k.gradBinomial(y.ptr, raw.ptr, 0, gh.ptr, n / 2 + 1, n - 1);
      k.gradBinomial(y.ptr, raw.ptr, w.ptr, gh.ptr, n - 1, n);
      return Buffer.from(gh.view.slice().buffer).toString('hex');
    };
    assert.equal(run('wasm'), run('ts'));
  });

  it('gives p − y and p(1 − p) rounded to float32 (as scikit-learn stores them)', () => {
    const arena = new Arena(1 << 16);
    const y = arena.f64(3);
    const raw = arena.f64(3);
    const gh = arena.f64(6);
    y.view.set([1, 0, 1]);
    raw.view.set([0, 2, -40]);
    const p = [0.5, 1 / (1 + Math.exp(-2)), Math.exp(-40)];
    for (const kind of wasmAvailable() ? (['ts', 'wasm'] as const) : (['ts'] as const)) {
      gh.view.fill(Number.NaN);
      makeKernels(arena.memory, kind).gradBinomial(y.ptr, raw.ptr, 0, gh.ptr, 0, 3);
      for (let i = 0; i < 3; i++) {
        const g = gh.view[2 * i];
        const h = gh.view[2 * i + 1];
        assert.equal(g, Math.fround(p[i] - y.view[i]), `${kind}: gradient at raw ${raw.view[i]}`);
        assert.equal(h, Math.fround(p[i] * (1 - p[i])), `${kind}: hessian at raw ${raw.view[i]}`);
      }
      // Not the float64 values: p(1 − p) at raw = 2 is not a float32.
      assert.notEqual(gh.view[3], p[1] * (1 - p[1]));
    }
  });
});
