// The prediction kernels: the WebAssembly bitvector kernel (pre-binned rows, leaf bitmasks) and the
// WebAssembly walk must give the bits of the TypeScript raw-threshold walk for every input —
// values equal to a threshold or one ulp beside it, NaN (both missing-value directions), ±Infinity,
// −0, unseen, negative, fractional and huge category codes — on binary, multiclass and regression
// models, for row counts that leave partial blocks, and on 1 and 2 threads.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { matrix } from '../../../src/core/matrix.ts';
import { sharedPool } from '../../../src/core/pool.ts';
import { Rng } from '../../../src/core/rng.ts';
import { captureWarnings } from '../../../src/core/warnings.ts';
import {
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
} from '../../../src/models/ensemble/hist-gradient-boosting/index.ts';
import { wasmAvailable } from '../../../src/models/ensemble/hist-gradient-boosting/kernels.ts';
import { expit } from '../../../src/models/ensemble/hist-gradient-boosting/loss.ts';
import {
  addRange,
  predictRawRange,
  type TreeEnsemble,
} from '../../../src/models/ensemble/hist-gradient-boosting/predictor.ts';
import {
  packBitvector,
  packEnsemble,
  predictPacked,
} from '../../../src/models/ensemble/hist-gradient-boosting/wasm-predictor.ts';
import { dataset, split } from './datasets.ts';

after(() => sharedPool(2).close());

const ensembleOf = (m: unknown) => (m as { model_: { ensemble: TreeEnsemble } }).model_.ensemble;

/** Next double above (dir 1) or below (dir −1) a finite x. */
function ulp(x: number, dir: 1 | -1): number {
  if (x === 0) return dir * Number.MIN_VALUE;
  const b = new Float64Array([x]);
  const u = new BigInt64Array(b.buffer);
  u[0] += x > 0 === dir > 0 ? 1n : -1n;
  return b[0];
}

/**
 * Rows that probe every decision: for each numeric split, its threshold and its neighbours one ulp
 * away; NaN, ±Infinity, −0 and, in categorical columns, unseen, negative, fractional and huge codes.
 */
function probeRows(e: TreeEnsemble, d: number, categorical: number[], seed: number, n: number): Float64Array {
  const rng = new Rng(seed);
  const thr: number[][] = Array.from({ length: d }, () => []);
  for (let i = 0; i < e.feature.length; i++) {
    const f = e.feature[i];
    if (f >= 0 && e.catIndex[i] < 0 && Number.isFinite(e.threshold[i])) {
      const t = e.threshold[i];
      thr[f].push(t, ulp(t, 1), ulp(t, -1));
    }
  }
  const specials = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1e308, -1e308];
  const catSpecials = [Number.NaN, -1, -0.5, -0, 2.5, 7.999, 1e9, 399, 400, 4096, 1e300];
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const u = rng.random();
      let v: number;
      if (categorical.includes(j)) v = u < 0.2 ? catSpecials[rng.int(catSpecials.length)] : rng.int(420);
      else if (u < 0.1) v = specials[rng.int(specials.length)];
      else if (u < 0.7 && thr[j].length > 0) v = thr[j][rng.int(thr[j].length)];
      else v = rng.normal() * 2;
      X[i * d + j] = v;
    }
  }
  return X;
}

function assertSameBits(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length, what);
  let diffs = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) diffs++;
  assert.equal(diffs, 0, `${what}: ${diffs} of ${a.length} outputs differ from the TypeScript walk`);
}

describe('WebAssembly prediction kernels vs the TypeScript walk', { skip: !wasmAvailable() }, () => {
  const cases: { name: string; e: () => TreeEnsemble; d: number; categorical: number[] }[] = [
    {
      name: 'binary, 20 % missing values (both directions learned)',
      e: () => {
        const { Xtr, ytr } = split(dataset('missing'));
        return ensembleOf(new HistGradientBoostingClassifier({ maxIter: 25 }).fit(Xtr, ytr));
      },
      d: 10,
      categorical: [],
    },
    {
      name: 'categorical (400- and 200-level columns, the 255-bin fallback)',
      e: () => {
        const { Xtr, ytr } = split(dataset('highcard'));
        for (let i = 0; i < Xtr.rows; i += 11) Xtr.data[i * 6 + 2] = Number.NaN;
        return ensembleOf(
          captureWarnings(() =>
            new HistGradientBoostingClassifier({ categoricalFeatures: [2, 4], maxIter: 25 }).fit(Xtr, ytr),
          ).result,
        );
      },
      d: 6,
      categorical: [2, 4],
    },
    {
      name: 'multiclass (three trees per iteration)',
      e: () => {
        const { Xtr, ytr } = split(dataset('multiclass'));
        return ensembleOf(new HistGradientBoostingClassifier({ maxIter: 15 }).fit(Xtr, ytr));
      },
      d: split(dataset('multiclass')).Xtr.cols,
      categorical: [],
    },
    {
      name: 'regression, trees of 32 leaves',
      e: () => {
        const { Xtr, ytr } = split(dataset('regression'));
        const a = ensembleOf(
          new HistGradientBoostingRegressor({ maxIter: 10, maxLeafNodes: 32 }).fit(Xtr, ytr),
        );
        return a;
      },
      d: split(dataset('regression')).Xtr.cols,
      categorical: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const e = c.e();
      const bv = packEnsemble(e);
      assert.equal(bv.kind, 'bitvector');
      // 1000 rows: three 256-row blocks and a partial one, ending in a partial group of 16.
      for (const n of [1000, 5, 16]) {
        const X = probeRows(e, c.d, c.categorical, n, n);
        const want = predictRawRange(e, null, X, c.d, 0, n);
        assertSameBits(predictRawRange(e, bv, X, c.d, 0, n), want, `${c.name}, bitvector, ${n} rows`);
        assertSameBits(
          predictRawRange(e, packEnsemble(e, 'walk'), X, c.d, 0, n),
          want,
          `${c.name}, walk, ${n} rows`,
        );
      }
    });
  }

  it('categorical splits that sort 300 codes into 301 classes (more than a byte holds)', () => {
    // 300 stumps on column 0, stump t sending code t left (missing values left on odd t): every
    // code has its own class. Column 1 is numeric, split by a 301st stump.
    const T = 301;
    const words = 10;
    const e: TreeEnsemble = {
      nTreesPerIteration: 1,
      treeStart: Int32Array.from({ length: T + 1 }, (_, t) => 3 * t),
      feature: new Int32Array(3 * T).fill(-1),
      threshold: new Float64Array(3 * T),
      binThreshold: new Uint8Array(3 * T),
      left: new Int32Array(3 * T),
      right: new Int32Array(3 * T),
      value: new Float64Array(3 * T),
      missingLeft: new Uint8Array(3 * T),
      catIndex: new Int32Array(3 * T).fill(-1),
      gain: new Float64Array(3 * T),
      count: new Int32Array(3 * T),
      binBitsets: new Uint32Array(8 * (T - 1)),
      rawBitsetStart: Int32Array.from({ length: T }, (_, c) => c * words),
      rawBitsets: new Uint32Array((T - 1) * words),
    };
    for (let t = 0; t < T; t++) {
      const r = 3 * t;
      e.feature[r] = t < T - 1 ? 0 : 1;
      e.left[r] = r + 1;
      e.right[r] = r + 2;
      for (const l of [r + 1, r + 2]) {
        e.left[l] = l;
        e.right[l] = l;
      }
      e.value[r + 1] = 1 / (t + 3);
      e.value[r + 2] = -1 / (t + 7);
      e.missingLeft[r] = t % 2;
      if (t < T - 1) {
        e.catIndex[r] = t;
        e.threshold[r] = Number.NaN;
        e.rawBitsets[t * words + (t >>> 5)] |= 1 << (t & 31);
      } else e.threshold[r] = 0.25;
    }
    const p = packEnsemble(e);
    assert.equal(p.kind, 'bitvector');
    const n = 1000;
    const X = new Float64Array(2 * n);
    const rng = new Rng(4);
    const odd = [Number.NaN, -1, -0, 2.5, 299.9, 300, 319, 320, 1e6, Number.POSITIVE_INFINITY];
    for (let i = 0; i < n; i++) {
      X[2 * i] = i < 320 ? i : rng.random() < 0.3 ? odd[rng.int(odd.length)] : rng.int(330);
      X[2 * i + 1] = [0.25, Number.NaN, -1, 1][i % 4];
    }
    assertSameBits(predictRawRange(e, p, X, 2, 0, n), predictRawRange(e, null, X, 2, 0, n), '301 classes');
  });

  it('a row range written at an offset leaves the other outputs as they were', () => {
    const { Xtr, ytr, Xte } = split(dataset('binary'));
    const e = ensembleOf(new HistGradientBoostingClassifier({ maxIter: 10 }).fit(Xtr, ytr));
    const d = Xtr.cols;
    const out = new Float64Array(50).fill(1);
    assert.equal(predictPacked(packEnsemble(e), Xte.data, d, 100, 130, out, 50, 10), true);
    const want = new Float64Array(50).fill(1);
    addRange(e, null, Xte.data, d, 100, 130, want, 50, 10);
    assertSameBits(out, want, 'rows 100..130 at output rows 10..40');
    assert.equal(out[9], 1);
    assert.equal(out[40], 1);
    assert.notEqual(out[10], 1);
  });

  it('falls back to the walk layout for trees of more than 32 leaves, and refuses too few columns', () => {
    const { Xtr, ytr, Xte } = split(dataset('binary'));
    const e = ensembleOf(new HistGradientBoostingClassifier({ maxIter: 3, maxLeafNodes: 60 }).fit(Xtr, ytr));
    let most = 0;
    for (let t = 0; t < e.treeStart.length - 1; t++) {
      let leaves = 0;
      for (let i = e.treeStart[t]; i < e.treeStart[t + 1]; i++) if (e.feature[i] < 0) leaves++;
      most = Math.max(most, leaves);
    }
    assert.ok(most > 32, `a tree has ${most} leaves`);
    assert.equal(packBitvector(e), null);
    const p = packEnsemble(e);
    assert.equal(p.kind, 'walk');
    const d = Xtr.cols;
    assertSameBits(
      predictRawRange(e, p, Xte.data, d, 0, Xte.rows),
      predictRawRange(e, null, Xte.data, d, 0, Xte.rows),
      'walk layout',
    );
    assert.equal(predictPacked(p, Xte.data, p.maxFeature, 0, 1, new Float64Array(1)), false);
  });

  it('the same predictions on 1 and 2 threads for a large batch with categorical splits', () => {
    const { Xtr, ytr } = split(dataset('highcard'));
    const fit = (t: number) =>
      captureWarnings(() =>
        new HistGradientBoostingClassifier({ categoricalFeatures: [2, 4], maxIter: 20, nThreads: t }).fit(
          Xtr,
          ytr,
        ),
      ).result;
    const one = fit(1);
    const two = fit(2);
    const e = ensembleOf(one);
    const n = 110_003;
    const X = matrix(probeRows(e, 6, [2, 4], 3, n), n, 6, Xtr.columns);
    const a = one.predictProba(X).data;
    const b = two.predictProba(X).data;
    assertSameBits(b, a, '2 threads');
    // The scores are the baseline plus the TypeScript walk's sums, on the threaded path too.
    const raw = predictRawRange(e, null, X.data, 6, 0, n);
    const base = (one as unknown as { model_: { baseline: Float64Array } }).model_.baseline[0];
    const dec = two.decisionFunction(X).data;
    for (let i = 0; i < n; i++) raw[i] = base + raw[i];
    assertSameBits(dec, raw, 'decision function on 2 threads');
    // predictProba computes the scores inside its own output: the same probabilities.
    const proba = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      proba[2 * i + 1] = expit(raw[i]);
      proba[2 * i] = 1 - proba[2 * i + 1];
    }
    assertSameBits(b, proba, 'probabilities from the scores');
  });
});
