// The WebAssembly PCA kernels (assembly/pca.ts) against their TypeScript twins
// (src/models/decomposition/pca-kernels.ts): the same bytes out for the same bytes in, on shapes
// that reach every branch of the SIMD code (d below, at and off multiples of 4; component counts
// below, at and off multiples of 8, odd and even; odd row counts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matrix } from '../../../src/core/matrix.ts';
import { Rng } from '../../../src/core/rng.ts';
import { Wasm } from '../../../src/core/wasm.ts';
import { PCA } from '../../../src/models/decomposition/index.ts';
import {
  PCA_HEAP_BASE,
  type PcaKernelKind,
  pcaChunkRows,
  pcaKernels,
  pcaWasmAvailable,
} from '../../../src/models/decomposition/pca-kernels.ts';

interface Case {
  rows: number;
  d: number;
  kc: number;
}

function run(c: Case, kind: PcaKernelKind) {
  const { rows, d, kc } = c;
  const kp = kc + (kc & 1);
  let top = PCA_HEAP_BASE;
  const p: Record<string, number> = {};
  for (const [name, len] of [
    ['x', rows * d],
    ['sums', d],
    ['mean', d],
    ['B', d * d],
    ['V', d * kp],
    ['scale', kp],
    ['u', rows * kc],
    ['sq', kc],
    ['maxAbs', kc],
    ['signAt', kc],
  ] as const) {
    p[name] = top;
    top = Math.ceil((top + 8 * len) / 16) * 16;
  }
  const pages = Math.ceil(top / 65536) + 1;
  const memory = new Wasm.Memory({ initial: pages, maximum: pages, shared: true });
  const F = new Float64Array(memory.buffer);
  const K = pcaKernels(memory, kind);
  const rng = new Rng(rows * 31 + d);
  for (let i = 0; i < rows * d; i++) F[p.x / 8 + i] = rng.normal() * 3 + (i % d);
  for (let i = 0; i < d * kp; i++) F[p.V / 8 + i] = i % kp < kc ? rng.normal() : 0;
  for (let i = 0; i < kp; i++) F[p.scale / 8 + i] = 0.5 + rng.random();
  // Start the running sums from non-zero values: the kernels add to them.
  for (let i = 0; i < d; i++) F[p.sums / 8 + i] = rng.normal();
  for (let i = 0; i < d * d; i++) F[p.B / 8 + i] = rng.normal();
  const results = [K.allFinite(p.x, rows * d)];
  K.addColumnSums(p.x, rows, d, p.sums);
  for (let j = 0; j < d; j++) F[p.mean / 8 + j] = F[p.sums / 8 + j] / rows;
  K.centerRows(p.x, rows, d, p.mean);
  K.addCrossProduct(p.x, rows, d, p.B);
  K.project(p.x, rows, d, p.V, kp, kc, p.scale, p.u);
  K.projectionStats(p.u, rows, kc, p.sq, p.maxAbs, p.signAt);
  return { F, p, results, memory };
}

const cases: Case[] = [
  { rows: 257, d: 20, kc: 20 },
  { rows: 64, d: 7, kc: 5 },
  { rows: 33, d: 3, kc: 1 },
  { rows: 100, d: 13, kc: 9 },
  { rows: 16, d: 64, kc: 16 },
];

describe('PCA kernels: WebAssembly and TypeScript give the same bits', { skip: !pcaWasmAvailable() }, () => {
  for (const c of cases) {
    it(`rows=${c.rows} d=${c.d} components=${c.kc}`, () => {
      const a = run(c, 'ts');
      const b = run(c, 'wasm');
      assert.deepEqual(b.results, a.results);
      const same = (name: string, len: number, pick: (i: number) => boolean = () => true) => {
        const o = a.p[name] / 8;
        for (let i = 0; i < len; i++) {
          if (pick(i))
            assert.ok(Object.is(a.F[o + i], b.F[o + i]), `${name}[${i}]: ${a.F[o + i]} vs ${b.F[o + i]}`);
        }
      };
      same('sums', c.d);
      same('x', c.rows * c.d);
      // The cross-product's upper triangle (b ≥ a) is what the kernel defines.
      same('B', c.d * c.d, (i) => i % c.d >= Math.floor(i / c.d));
      same('u', c.rows * c.kc);
      same('sq', c.kc);
      same('maxAbs', c.kc);
      same('signAt', c.kc);
      // project writes nothing past its rows × components output (odd counts use half a vector).
      const after = a.p.sq / 8 - (a.p.u / 8 + c.rows * c.kc);
      if (after > 0) for (let i = 0; i < after; i++) assert.equal(b.F[a.p.u / 8 + c.rows * c.kc + i], 0);
    });
  }

  it('allFinite finds NaN and infinities', () => {
    for (const kind of ['ts', 'wasm'] as const) {
      const { F, p, memory } = run({ rows: 5, d: 3, kc: 2 }, kind);
      const K = pcaKernels(memory, kind);
      assert.equal(K.allFinite(p.x, 15), 1);
      for (const [at, v] of [
        [14, Number.NaN],
        [0, Number.POSITIVE_INFINITY],
        [7, Number.NEGATIVE_INFINITY],
      ] as const) {
        const old = F[p.x / 8 + at];
        F[p.x / 8 + at] = v;
        assert.equal(K.allFinite(p.x, 15), 0, `${kind}: ${v} at ${at}`);
        F[p.x / 8 + at] = old;
      }
    }
  });

  it('symmetricEigen: the same eigenvalues and vectors, bit for bit (n = 1 … 65, Gram and indefinite, zero rows)', () => {
    for (const n of [1, 2, 3, 8, 20, 31, 64, 65]) {
      for (const variant of ['gram', 'indefinite', 'zeros'] as const) {
        const rng = new Rng(n * 7 + variant.length);
        const A = new Float64Array(n * n);
        const m = n + 2;
        const X = Float64Array.from({ length: m * n }, () => rng.normal());
        for (let a = 0; a < n; a++) {
          for (let b = a; b < n; b++) {
            let v = 0;
            if (variant === 'indefinite') v = rng.normal();
            else for (let i = 0; i < m; i++) v += X[i * n + a] * X[i * n + b];
            // 'zeros': the first row and column are zero (tred2's scale = 0 branch).
            if (variant === 'zeros' && (a === 0 || b === 0)) v = 0;
            A[a * n + b] = v;
            A[b * n + a] = v;
          }
        }
        const out = (['ts', 'wasm'] as const).map((kind) => {
          const pages = Math.ceil((PCA_HEAP_BASE + 8 * (n * n + 2 * n) + 64) / 65536);
          const memory = new Wasm.Memory({ initial: pages, maximum: pages, shared: true });
          const F = new Float64Array(memory.buffer);
          const W = PCA_HEAP_BASE;
          const d = W + 8 * n * n;
          const e = d + 8 * n;
          F.set(A, W / 8);
          pcaKernels(memory, kind).symmetricEigen(W, d, e, n);
          return F.slice(W / 8, W / 8 + n * n + n);
        });
        for (let i = 0; i < out[0].length; i++) {
          assert.ok(
            Object.is(out[0][i], out[1][i]),
            `n=${n} ${variant} [${i}]: ${out[0][i]} vs ${out[1][i]}`,
          );
        }
      }
    }
  });

  it('chunks are powers of two of at most 64 KB (so they tile the 2048-row sums)', () => {
    for (const d of [1, 20, 64, 300, 5000]) {
      const r = pcaChunkRows(d);
      assert.equal(2048 % r, 0, `d=${d}`);
      assert.ok(r * d * 8 <= 65536 || r === 16, `d=${d}: ${r} rows`);
    }
  });
});

describe('PCA with the WebAssembly and the TypeScript kernels', { skip: !pcaWasmAvailable() }, () => {
  it('fits and transforms the same, bit for bit (tall and wide data, whitening)', () => {
    const rng = new Rng(9);
    const old = process.env.LATHE_PCA_KERNEL;
    try {
      for (const [n, d, params] of [
        [5000, 11, { whiten: true }],
        [300, 40, { nComponents: 7 }],
        [9, 30, {}],
      ] as const) {
        const data = Float64Array.from({ length: n * d }, (_, i) => rng.normal() * (1 + (i % d)));
        const X = matrix(data, n, d);
        const fits = (['ts', 'wasm'] as const).map((kind) => {
          process.env.LATHE_PCA_KERNEL = kind;
          const pca = new PCA(params).fit(X);
          return { json: pca.toJSON(), Z: pca.transform(X) };
        });
        assert.deepEqual(fits[1], fits[0], `${n} × ${d}`);
      }
    } finally {
      if (old === undefined) delete process.env.LATHE_PCA_KERNEL;
      else process.env.LATHE_PCA_KERNEL = old;
    }
  });
});
