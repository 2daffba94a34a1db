// The WebAssembly k-means kernels (assembly/cluster.ts) against their TypeScript twins
// (src/models/cluster/kernels.ts): the same bytes out for the same bytes in, on shapes that reach
// every branch of the SIMD code (odd and even d, k below, at and above the 8-center groups, odd
// row counts, more rows than one Hamerly block, weights, exact ties between centers).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matrix } from '../../../src/core/matrix.ts';
import { Rng } from '../../../src/core/rng.ts';
import { Wasm } from '../../../src/core/wasm.ts';
import { KMeans } from '../../../src/models/cluster/index.ts';
import {
  CLUSTER_HEAP_BASE,
  type ClusterKernelKind,
  type ClusterKernels,
  clusterKernels,
  clusterWasmAvailable,
} from '../../../src/models/cluster/kernels.ts';
import { transposeCenters } from '../../../src/models/cluster/kmeans-core.ts';

interface Case {
  n: number;
  d: number;
  k: number;
  weighted: boolean;
}

/** A memory holding the case's arrays (same contents for both kinds), with their offsets. */
function setUp(c: Case, kind: ClusterKernelKind, seed: number) {
  const { n, d, k } = c;
  const kp = k + (k & 1);
  let at = CLUSTER_HEAP_BASE;
  const take = (bytes: number) => {
    const p = at;
    at = Math.ceil((at + bytes) / 16) * 16;
    return p;
  };
  const p = {
    x: take(8 * n * d),
    w: c.weighted ? take(8 * n) : 0,
    xx: take(8 * n),
    centers: take(8 * k * d),
    ct: take(8 * d * kp),
    cc: take(8 * kp),
    buf: take(16 * kp),
    labels: take(4 * n),
    upper: take(8 * n),
    lower: take(8 * n),
    shift: take(8 * k),
    nearestHalf: take(8 * k),
    sums: take(8 * k * d),
    wsum: take(8 * k),
    list: take(4 * 256),
    cands: take(8 * 6 * d),
    closest: take(8 * n),
    cum: take(8 * n),
    out: take(8 * 6 * n),
    pots: take(8 * 6),
    mean: take(8 * d),
    dev: take(8 * d),
    dist: take(8 * n * k),
  };
  const pages = Math.ceil(at / 65536) + 1;
  const memory = new Wasm.Memory({ initial: pages, maximum: pages, shared: true });
  const F = new Float64Array(memory.buffer);
  const rng = new Rng(seed);
  // Rows around a few blobs (so labels are not all one cluster), rounded to a grid so that
  // distances tie now and then.
  for (let i = 0; i < n; i++) {
    const blob = i % 3;
    for (let f = 0; f < d; f++) F[p.x / 8 + i * d + f] = Math.round((blob * 2 + rng.normal()) * 8) / 8;
  }
  if (c.weighted) for (let i = 0; i < n; i++) F[p.w / 8 + i] = 0.5 + rng.random();
  // Centers: rows of X, the last a copy of the first (an exact tie for every row).
  for (let j = 0; j < k; j++) {
    const r = j === k - 1 && k > 1 ? 0 : Math.floor((j * n) / k);
    F.copyWithin(p.centers / 8 + j * d, p.x / 8 + r * d, p.x / 8 + r * d + d);
  }
  return { memory, F, I: new Int32Array(memory.buffer), K: clusterKernels(memory, kind), p, kp };
}

/** Runs every kernel in sequence (as a fit would) and returns the whole memory. */
function runAll(c: Case, kind: ClusterKernelKind, seed: number): { bytes: Uint8Array; results: number[] } {
  const { n, d, k, weighted } = c;
  const { memory, F, K, p, kp } = setUp(c, kind, seed);
  const k2: ClusterKernels = K;
  const results: number[] = [];
  const w = weighted ? p.w : 0;
  results.push(k2.allFinite(p.x, n * d));
  k2.columnSums(p.x, n, d, p.mean);
  for (let j = 0; j < d; j++) F[p.mean / 8 + j] /= n;
  k2.columnSqDev(p.x, n, d, p.mean, p.dev);
  k2.rowNorms(p.x, n, d, p.xx);
  transposeCenters(F, p.centers, p.ct, p.cc, k, kp, d);
  k2.assignAll(p.x, n, d, p.xx, p.ct, p.cc, kp, p.labels, p.upper, p.lower, p.buf);
  k2.clusterSums(p.x, n, d, w, p.labels, k, p.sums, p.wsum);
  // Move the centers a little and run Hamerly passes with made-up shifts.
  const rng = new Rng(seed + 1);
  for (let pass = 0; pass < 3; pass++) {
    for (let v = 0; v < k * d; v++) F[p.centers / 8 + v] += rng.normal() * 0.2;
    transposeCenters(F, p.centers, p.ct, p.cc, k, kp, d);
    let m1 = 0;
    let m1At = -1;
    let m2 = 0;
    for (let j = 0; j < k; j++) {
      const s = rng.random() * 0.5;
      F[p.shift / 8 + j] = s;
      F[p.nearestHalf / 8 + j] = rng.random();
      if (s > m1) {
        m2 = m1;
        m1 = s;
        m1At = j;
      } else if (s > m2) m2 = s;
    }
    results.push(
      k2.hamerlyPass(
        p.x,
        n,
        d,
        w,
        p.xx,
        p.centers,
        p.ct,
        p.cc,
        kp,
        p.labels,
        p.upper,
        p.lower,
        p.shift,
        p.nearestHalf,
        m1,
        m1At,
        m2,
        p.sums,
        p.wsum,
        p.buf,
        p.list,
      ),
    );
  }
  results.push(k2.labelsInertia(p.x, n, d, w, p.centers, p.ct, p.cc, kp, p.labels, p.buf, 1));
  results.push(k2.nearestLabels(p.x, n, d, p.ct, p.cc, kp, p.labels, p.buf));
  k2.distances(p.x, n, d, p.ct, kp, k, p.dist);
  results.push(k2.kppFirst(p.x, n, d, w, p.centers, p.closest));
  k2.cumulative(p.closest, w, n, p.cum);
  for (const trials of [2, 3, 4, 6]) {
    for (let t = 0; t < trials; t++) {
      const r = (t * 7919) % n;
      F.copyWithin(p.cands / 8 + t * d, p.x / 8 + r * d, p.x / 8 + r * d + d);
    }
    k2.kppTrials(p.x, n, d, w, p.cands, trials, p.closest, p.out, p.pots);
  }
  k2.centerRows(p.x, n, d, p.mean);
  // buf and list are scratch (the TypeScript twin uses buf differently and list not at all).
  new Uint8Array(memory.buffer, p.list, 4 * 256).fill(0);
  new Uint8Array(memory.buffer, p.buf, 16 * kp).fill(0);
  return { bytes: new Uint8Array(memory.buffer).slice(), results };
}

const cases: Case[] = [
  { n: 601, d: 20, k: 8, weighted: false },
  { n: 600, d: 7, k: 3, weighted: true },
  { n: 257, d: 1, k: 1, weighted: false },
  { n: 300, d: 5, k: 11, weighted: false },
  { n: 99, d: 64, k: 17, weighted: true },
];

describe('k-means kernels: WebAssembly and TypeScript give the same bits', {
  skip: !clusterWasmAvailable(),
}, () => {
  for (const c of cases) {
    it(`n=${c.n} d=${c.d} k=${c.k}${c.weighted ? ' weighted' : ''}`, () => {
      const a = runAll(c, 'ts', c.n);
      const b = runAll(c, 'wasm', c.n);
      assert.deepEqual(b.results, a.results);
      const diff = a.bytes.findIndex((v, i) => v !== b.bytes[i]);
      assert.equal(diff, -1, `memory differs from byte ${diff}`);
      // Not trivially equal: rows moved between clusters.
      if (c.k > 1)
        assert.ok(
          a.results.slice(1, 4).some((v) => v > 0),
          `no label changed: ${a.results}`,
        );
    });
  }

  it('nearest center is the first of tied ones, in both', () => {
    for (const kind of ['ts', 'wasm'] as const) {
      const { F, I, K, p, kp } = setUp({ n: 40, d: 3, k: 5, weighted: false }, kind, 1);
      // Centers 1 and 3 identical, and every row at center 1.
      for (let f = 0; f < 3; f++) {
        F[p.centers / 8 + 3 * 3 + f] = F[p.centers / 8 + 3 + f];
        for (let i = 0; i < 40; i++) F[p.x / 8 + i * 3 + f] = F[p.centers / 8 + 3 + f];
      }
      K.rowNorms(p.x, 40, 3, p.xx);
      transposeCenters(F, p.centers, p.ct, p.cc, 5, kp, 3);
      K.assignAll(p.x, 40, 3, p.xx, p.ct, p.cc, kp, p.labels, p.upper, p.lower, p.buf);
      for (let i = 0; i < 40; i++) assert.equal(I[p.labels / 4 + i], 1, `${kind} row ${i}`);
      // The second smallest distance is the tie: 0 as well.
      assert.equal(F[p.lower / 8], 0);
      I.fill(-1, p.labels / 4, p.labels / 4 + 40);
      K.nearestLabels(p.x, 40, 3, p.ct, p.cc, kp, p.labels, p.buf);
      for (let i = 0; i < 40; i++) assert.equal(I[p.labels / 4 + i], 1, `${kind} nearestLabels row ${i}`);
    }
  });

  it('nearestLabels: the smallest −2x·c + ‖c‖², first on ties; counts rows whose scores are not finite', () => {
    const c = { n: 61, d: 5, k: 7, weighted: false };
    const out: { labels: number[]; bad: number[] }[] = [];
    for (const kind of ['ts', 'wasm'] as const) {
      const { F, I, K, p, kp } = setUp(c, kind, 3);
      transposeCenters(F, p.centers, p.ct, p.cc, c.k, kp, c.d);
      const labels = (): number[] => Array.from(I.subarray(p.labels / 4, p.labels / 4 + c.n));
      // The specification on finite rows: the plain scan of each score, computed as the kernels do.
      const want: number[] = [];
      for (let i = 0; i < c.n; i++) {
        let best = 0;
        let bestScore = Number.POSITIVE_INFINITY;
        for (let j = 0; j < c.k; j++) {
          let s = 0;
          for (let f = 0; f < c.d; f++) s += F[p.x / 8 + i * c.d + f] * F[p.centers / 8 + j * c.d + f];
          const score = 0 - 2 * s + F[p.cc / 8 + j];
          if (score < bestScore) {
            best = j;
            bestScore = score;
          }
        }
        want.push(best);
      }
      assert.equal(K.nearestLabels(p.x, c.n, c.d, p.ct, p.cc, kp, p.labels, p.buf), 0, kind);
      assert.deepEqual(labels(), want, kind);
      // The fit's final pass labels the same way.
      K.labelsInertia(p.x, c.n, c.d, 0, p.centers, p.ct, p.cc, kp, p.labels, p.buf, 1);
      assert.deepEqual(labels(), want, `${kind} labelsInertia`);
      // Rows 0 and 60 (an odd last row) and a pair in between hold a NaN, ±∞, or a value whose
      // products overflow.
      const bad: number[] = [];
      for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e308, -1e308]) {
        for (const row of [0, 31, 60]) F[p.x / 8 + row * c.d + 2] = v;
        bad.push(K.nearestLabels(p.x, c.n, c.d, p.ct, p.cc, kp, p.labels, p.buf));
      }
      assert.deepEqual(bad, [3, 3, 3, 3, 3], kind);
      out.push({ labels: labels(), bad });
    }
    assert.deepEqual(out[1], out[0]);
  });

  it('allFinite finds NaN and infinities anywhere', () => {
    for (const kind of ['ts', 'wasm'] as const) {
      const { F, K, p } = setUp({ n: 10, d: 3, k: 2, weighted: false }, kind, 2);
      assert.equal(K.allFinite(p.x, 30), 1);
      for (const [at, v] of [
        [0, Number.NaN],
        [29, Number.POSITIVE_INFINITY],
        [14, Number.NEGATIVE_INFINITY],
      ] as const) {
        const old = F[p.x / 8 + at];
        F[p.x / 8 + at] = v;
        assert.equal(K.allFinite(p.x, 30), 0, `${kind} ${v} at ${at}`);
        F[p.x / 8 + at] = old;
      }
    }
  });
});

describe('KMeans with the WebAssembly and the TypeScript kernels', { skip: !clusterWasmAvailable() }, () => {
  it('fits the same model, bit for bit (lloyd, elkan, weights, random init)', () => {
    const rng = new Rng(5);
    const n = 700;
    const d = 6;
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) data[i * d + f] = (i % 4) * 1.5 + rng.normal();
    const X = matrix(data, n, d);
    const w = Float64Array.from({ length: n }, () => 0.5 + rng.random());
    const configs = [
      { nClusters: 5, nInit: 3 },
      { nClusters: 4, nInit: 2, algorithm: 'elkan' as const },
      { nClusters: 9, nInit: 2, init: 'random' as const },
    ];
    const old = process.env.LATHE_CLUSTER_KERNEL;
    try {
      for (const params of configs) {
        for (const weights of [undefined, w]) {
          const fits = (['ts', 'wasm'] as const).map((kind) => {
            process.env.LATHE_CLUSTER_KERNEL = kind;
            const km = new KMeans({ ...params, nThreads: 1 }).fit(X, undefined, { sampleWeight: weights });
            return { json: km.toJSON(), predict: km.predict(X), score: km.score(X) };
          });
          assert.deepEqual(fits[1], fits[0], JSON.stringify(params));
        }
      }
    } finally {
      if (old === undefined) delete process.env.LATHE_CLUSTER_KERNEL;
      else process.env.LATHE_CLUSTER_KERNEL = old;
    }
  });
});
