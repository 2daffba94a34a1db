// The WebAssembly grower (assembly/tree.ts via src/models/tree/grower-wasm.ts) grows the same
// trees, bit for bit, as the TypeScript grower, and leaves the random stream in the same state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fdlibmLog, fdlibmLog2 } from '../../../src/core/fdlibm-log.ts';
import { type Matrix, matrix } from '../../../src/core/matrix.ts';
import { Rng } from '../../../src/core/rng.ts';
import { Wasm } from '../../../src/core/wasm.ts';
import { type GrowData, type GrowOptions, growTree, kernelMode } from '../../../src/models/tree/grower.ts';
import { kernelApplies, kernelLogarithms, kernelRegionBytes } from '../../../src/models/tree/grower-wasm.ts';
import { ARENA_BASE, KernelArena } from '../../../src/models/tree/kernel-arena.ts';
import { growLayout, prepareGrowData } from '../../../src/models/tree/presort.ts';
import { oracleDatasets } from './datasets.ts';

interface Case {
  name: string;
  X: Matrix;
  y: number[];
  classification: boolean;
}

function growData(c: Case, maxFeatures: number, splitter: 'best' | 'random' = 'best'): GrowData {
  const { X, y } = c;
  const layout = growLayout(splitter, X.rows, X.cols, maxFeatures, { columns: false, shared: false });
  if (!c.classification) {
    return prepareGrowData(X, { yCode: null, yValue: Float64Array.from(y), nClasses: 1 }, layout);
  }
  const classes = [...new Set(y)].sort((a, b) => a - b);
  const codes = Int32Array.from(y, (v) => classes.indexOf(v));
  return prepareGrowData(X, { yCode: codes, yValue: null, nClasses: classes.length }, layout);
}

function baseOptions(c: Case, maxFeatures: number, extra: Partial<GrowOptions> = {}): GrowOptions {
  return {
    criterion: c.classification ? 'gini' : 'squared_error',
    splitter: 'best',
    maxDepth: 0x7fffffff,
    minSamplesSplit: 2,
    minSamplesLeaf: 1,
    minWeightFractionLeaf: 0,
    maxFeatures,
    maxLeafNodes: 0,
    minImpurityDecrease: 0,
    ccpAlpha: 0,
    ...extra,
  };
}

/** Bootstrap-like weights: counts of n draws with replacement, times a per-row weight. */
function bootstrapWeights(n: number, seed: number, scaled: boolean): Float64Array {
  const rng = new Rng(seed);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[rng.int(n)]++;
  if (scaled) for (let i = 0; i < n; i++) w[i] *= 0.5 + (i % 7) / 4;
  return w;
}

/**
 * Grows with both engines from the same seed; checks equal trees and equal streams after, and (with
 * `mustSplit`) that the tree is more than a leaf.
 */
function assertSameTree(
  data: GrowData,
  weight: Float64Array | null,
  opts: GrowOptions,
  seed: number,
  mustSplit = true,
): void {
  assert.ok(
    kernelApplies(data, opts, kernelMode(opts, data.n, data.d)),
    'the kernel should apply to this case',
  );
  const rJs = new Rng(seed);
  const rWasm = new Rng(seed);
  const js = growTree(data, weight, opts, rJs, 'js');
  const wasm = growTree(data, weight, opts, rWasm, 'auto');
  if (mustSplit) assert.ok(js.nodeCount > 1, 'the case should grow a real tree');
  assert.deepEqual(wasm, js);
  assert.equal(rWasm.nextUint32(), rJs.nextUint32());
}

function synthetic(n: number, d: number, seed: number, classification: boolean): Case {
  const rng = new Rng(seed);
  const X = new Float64Array(n * d);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      // Continuous columns (wide rank ranges: radix sorts of one and two passes), a column of
      // values 1e-8 apart in pairs (splits between them are not allowed), a constant column and
      // one constant in most nodes.
      const v =
        j === d - 1
          ? 3
          : j === d - 2
            ? i % 50 === 0
              ? 1
              : 0
            : j === d - 3
              ? (i % 5) + (i % 2) * 1e-8
              : rng.normal();
      X[i * d + j] = v;
      if (j < 3) s += v;
    }
    y.push(classification ? (s + 0.5 * rng.normal() > 0 ? (s > 1 ? 2 : 1) : 0) : s * s + rng.normal());
  }
  return { name: `synthetic ${n}×${d}`, X: matrix(X, n, d), y, classification };
}

const options = baseOptions;

const cases: Case[] = [
  ...[...oracleDatasets().values()].map((ds) => ({
    name: ds.name,
    X: ds.train.X,
    y: ds.train.y,
    classification: ds.task === 'classification',
  })),
  synthetic(5000, 9, 1, true),
  synthetic(3000, 9, 2, false),
];

describe('WebAssembly tree grower: the same trees as the TypeScript grower', () => {
  for (const c of cases) {
    // A third of the features or fewer per split: every node sorts its candidates (sort mode); all
    // of them: every node keeps sorted lists (lists mode); the random splitter (random mode).
    const modes: [string, number][] = [
      ['sort', Math.max(1, Math.floor(c.X.cols / 3))],
      ['lists', c.X.cols],
      ['random', Math.max(1, Math.floor(Math.sqrt(c.X.cols)))],
    ];
    for (const [mode, mf] of modes) {
      const splitter = mode === 'random' ? 'random' : 'best';
      const options = (cc: Case, m: number, extra: Partial<GrowOptions> = {}) =>
        baseOptions(cc, m, { splitter, ...extra });
      it(`${c.name}, ${mode} mode`, () => {
        const data = growData(c, mf, splitter);
        assert.equal(kernelMode(options(c, mf), data.n, data.d), mode);
        const n = c.X.rows;
        assertSameTree(data, null, options(c, mf), 11);
        assertSameTree(data, bootstrapWeights(n, 5, false), options(c, mf), 12);
        assertSameTree(data, bootstrapWeights(n, 6, true), options(c, mf), 13);
        // Every stopping rule at once, then each growth limit on its own (with the random splitter
        // some limits leave the synthetic sets' root a leaf: a threshold drawn in a tail fails
        // minWeightFractionLeaf, a split of a noise column minImpurityDecrease).
        const limits: Partial<GrowOptions>[] = [
          { minSamplesLeaf: 3, minSamplesSplit: 10, minWeightFractionLeaf: 0.01, maxDepth: 6 },
          { minImpurityDecrease: 0.002 },
          { maxDepth: 3 },
          { minSamplesLeaf: 7 },
          { minWeightFractionLeaf: 0.05 },
        ];
        // Best-first growth (maxLeafNodes): a small budget, one a tree fills before it is pure, and
        // with other limits.
        assertSameTree(data, bootstrapWeights(n, 9, true), options(c, mf, { maxLeafNodes: 8 }), 16);
        assertSameTree(data, bootstrapWeights(n, 10, false), options(c, mf, { maxLeafNodes: 60 }), 17);
        assertSameTree(
          data,
          bootstrapWeights(n, 11, true),
          options(c, mf, { maxLeafNodes: 25, minSamplesLeaf: 2, maxDepth: 5, minImpurityDecrease: 0.001 }),
          18,
          mode !== 'random',
        );
        if (c.classification) {
          const ent = options(c, mf, { criterion: 'entropy' });
          assertSameTree(data, bootstrapWeights(n, 7, true), ent, 14);
          assertSameTree(
            data,
            bootstrapWeights(n, 8, false),
            { ...ent, minSamplesLeaf: 3, maxDepth: 8 },
            15,
            mode !== 'random',
          );
        }
        limits.forEach((extra, i) => {
          try {
            assertSameTree(
              data,
              bootstrapWeights(n, 20 + i, true),
              options(c, mf, extra),
              30 + i,
              mode !== 'random',
            );
          } catch (e) {
            throw new Error(`limits ${JSON.stringify(extra)}: ${(e as Error).message}`);
          }
        });
      });
    }
  }

  it('computes the logarithms of the entropy criterion bit for bit as the TypeScript grower (and as V8 11 computes Math.log)', () => {
    const lg = kernelLogarithms()!;
    const rng = new Rng(17);
    const xs: number[] = [
      1,
      2,
      0.5,
      Math.SQRT2,
      Math.SQRT1_2,
      1e-300,
      5e-324,
      2.2250738585072014e-308,
      1e300,
      3,
      10,
    ];
    for (let i = 1; i <= 2000; i++) xs.push(i, 1 / i, i / 2001, 1 + i * 1e-9, 1 - i * 1e-12);
    // Uniform bit patterns over the positive doubles: every exponent.
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    for (let i = 0; i < 200_000; i++) {
      words[0] = rng.nextUint32();
      words[1] = rng.nextUint32() % 0x7ff00000;
      xs.push(bits[0], rng.random(), rng.random() * 1000);
    }
    let twins = 0;
    let engine = 0;
    for (const x of xs) {
      if (!Object.is(lg.log(x), fdlibmLog(x)) || !Object.is(lg.log2(x), fdlibmLog2(x))) twins++;
      if (!Object.is(fdlibmLog(x), Math.log(x)) || !Object.is(fdlibmLog2(x), Math.log2(x))) engine++;
    }
    assert.equal(twins, 0, `${twins} of ${xs.length} values differ between the kernel and fdlibm-log.ts`);
    // The ports are of what V8 11 (Node 20) runs; a later V8 may compute Math.log otherwise.
    if (process.versions.v8.startsWith('11.'))
      assert.equal(engine, 0, `${engine} values differ from Math.log`);
    assert.ok(Number.isNaN(lg.log(Number.NaN)) && lg.log(0) === -Infinity && lg.log(Infinity) === Infinity);
  });

  it('applies in the three modes, depth- and best-first, with the data each mode reads', () => {
    const c = cases.find((x) => x.name === 'wine')!;
    const data = growData(c, 4);
    assert.ok(kernelApplies(data, options(c, 4), 'sort'));
    assert.equal(kernelApplies(data, options(c, 4), null), false);
    // Lists mode needs the sort order, which data laid out for sort mode does not have.
    assert.equal(kernelApplies(data, options(c, 4), 'lists'), false);
    assert.ok(kernelApplies(growData(c, 13), options(c, 13), 'lists'));
    assert.ok(kernelApplies(data, options(c, 4, { criterion: 'entropy' }), 'sort'));
    assert.ok(kernelApplies(data, options(c, 4, { maxLeafNodes: 8 }), 'sort'));
    assert.equal(kernelMode(options(c, 4, { splitter: 'random' }), data.n, data.d), 'random');
    // The random splitter reads the columns, which data laid out for the exhaustive one lacks.
    assert.equal(kernelApplies(data, options(c, 4, { splitter: 'random' }), 'random'), false);
    assert.ok(kernelApplies(growData(c, 4, 'random'), options(c, 4, { splitter: 'random' }), 'random'));
  });

  it('reads data laid out in a shared kernel arena in place (as forests do), for any number of trees', () => {
    const digits = cases.find((x) => x.name === 'digits')!;
    const diabetes = cases.find((x) => x.name === 'diabetes')!;
    for (const [c, mf, splitter] of [
      [digits, 8, 'best'],
      [diabetes, 3, 'best'],
      [digits, 64, 'best'],
      [diabetes, 10, 'best'],
      [digits, 8, 'random'],
      [diabetes, 3, 'random'],
    ] as const) {
      const plain = growData(c, mf, splitter);
      const arena = KernelArena.create(c.X.rows * (c.X.cols * 16 + 8))!;
      const layout = growLayout(splitter, c.X.rows, c.X.cols, mf, { columns: false, shared: true, arena });
      const inArena = prepareGrowData(
        c.X,
        { yCode: plain.yCode, yValue: plain.yValue, nClasses: plain.nClasses },
        layout,
      );
      assert.equal(inArena.kernelMemory, arena.memory);
      const read = splitter === 'random' ? inArena.Xc : inArena.rank!;
      assert.ok(read.byteOffset >= ARENA_BASE);
      assert.deepEqual(read, splitter === 'random' ? plain.Xc : plain.rank);
      const opts = options(c, mf, { splitter });
      for (let t = 0; t < 3; t++) {
        const weight = bootstrapWeights(c.X.rows, 40 + t, false);
        const fromArena = growTree(inArena, weight, opts, new Rng(t), 'auto');
        assert.deepEqual(fromArena, growTree(plain, weight, opts, new Rng(t), 'js'));
      }
    }
  });

  it('sizes working regions without 32-bit overflow, refusing those past 3 GiB', () => {
    const small = kernelRegionBytes(1000, 20, 2, 'lists')!;
    const large = kernelRegionBytes(1_000_000, 20, 2, 'lists')!;
    // About linear in the rows (the module's 32-bit sizes, read as unsigned).
    assert.ok(small > 0 && Math.abs(large / small - 1000) < 5, `${small} ${large}`);
    // 50 million rows of one feature would wrap a 32-bit size: refused, not wrapped.
    assert.equal(kernelRegionBytes(50_000_000, 1, 2, 'lists'), Number.POSITIVE_INFINITY);
    assert.equal(kernelRegionBytes(20_000_000, 64, 10, 'sort'), Number.POSITIVE_INFINITY);
  });

  it('falls back to the TypeScript grower when its memory has no room for a working region', () => {
    const c = cases.find((x) => x.name === 'wine')!;
    const data = growData(c, 4);
    // A memory that cannot grow: the thread cannot claim its region, so the tree is grown in
    // TypeScript (and is the same tree).
    const full = { ...data, kernelMemory: new Wasm.Memory({ initial: 1, maximum: 1, shared: true }) };
    const weight = bootstrapWeights(c.X.rows, 9, false);
    const r = new Rng(1);
    assert.deepEqual(
      growTree(full, weight, options(c, 4), r, 'auto'),
      growTree(data, weight, options(c, 4), new Rng(1), 'js'),
    );
  });

  it('pruning (ccpAlpha) applies to the kernel tree as to the TypeScript one', () => {
    const c = cases.find((x) => x.name === 'breast_cancer')!;
    const data = growData(c, 10);
    assertSameTree(data, bootstrapWeights(c.X.rows, 3, false), options(c, 10, { ccpAlpha: 0.01 }), 4);
  });
});
