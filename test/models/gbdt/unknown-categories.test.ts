// Categories unseen in training go where missing values go, as in scikit-learn 1.2: the oracle
// (scripts/oracles/gbdt_unknown_categories.py) fits scikit-learn on a small set with two
// categorical columns — one with missing values in fit, one without — and records its
// predictions on probe rows holding every known code, NaN, and unknown codes (inside the bitsets'
// range, beyond it, negative, fractional). Lathe fits the same data with the same settings and must
// give the same predictions on every probe row, through each prediction kernel.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { matrix } from '../../../src/core/matrix.ts';
import { sharedPool } from '../../../src/core/pool.ts';
import { Rng } from '../../../src/core/rng.ts';
import {
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
} from '../../../src/models/ensemble/hist-gradient-boosting/index.ts';
import {
  addRange,
  type TreeEnsemble,
} from '../../../src/models/ensemble/hist-gradient-boosting/predictor.ts';
import {
  packBitvector,
  packEnsemble,
  predictPacked,
} from '../../../src/models/ensemble/hist-gradient-boosting/wasm-predictor.ts';

after(() => sharedPool(2).close());

interface Case {
  task: 'regression' | 'binary';
  X: (number | null)[][];
  y: number[];
  probes: (number | null)[][];
  predict?: number[];
  predict_proba?: number[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/models/gbdt/unknown-categories.json', import.meta.url), 'utf8'),
) as { params: Record<string, unknown>; cases: Case[] };

const toMatrix = (rows: (number | null)[][]) =>
  matrix(
    Float64Array.from(rows.flat(), (v) => (v === null ? Number.NaN : v)),
    rows.length,
    rows[0].length,
  );

function close(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = 1e-9 * Math.max(1, Math.abs(expected[i]));
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol,
      `${what}, probe row ${i}: ${actual[i]} vs scikit-learn ${expected[i]}`,
    );
  }
}

describe('HistGradientBoosting: unknown categories go where missing values go (scikit-learn 1.2)', () => {
  for (const c of fixture.cases) {
    it(`${c.task}: every probe row as scikit-learn`, () => {
      const X = toMatrix(c.X);
      const P = toMatrix(c.probes);
      const params = { ...fixture.params, nThreads: 1 };
      if (c.task === 'regression') {
        const m = new HistGradientBoostingRegressor(params).fit(X, Float64Array.from(c.y));
        close(m.predict(P), c.predict!, 'predict');
      } else {
        const m = new HistGradientBoostingClassifier(params).fit(X, Float64Array.from(c.y));
        const proba = m.predictProba(P);
        close(
          Array.from({ length: P.rows }, (_, i) => proba.data[2 * i + 1]),
          c.predict_proba!,
          'predictProba',
        );
      }
    });
  }

  it('the TypeScript walk and both WebAssembly kernels route unknown codes alike', () => {
    const c = fixture.cases[0];
    const X = toMatrix(c.X);
    const P = toMatrix(c.probes);
    const m = new HistGradientBoostingRegressor({ ...fixture.params, nThreads: 1 }).fit(
      X,
      Float64Array.from(c.y),
    );
    const e = (m as unknown as { model_: { ensemble: TreeEnsemble } }).model_.ensemble;
    const walk = new Float64Array(P.rows);
    addRange(e, null, P.data, P.cols, 0, P.rows, walk, P.rows, 0);
    for (const packed of [packEnsemble(e, 'walk'), packBitvector(e)]) {
      assert.ok(packed, 'the ensemble packs');
      const out = new Float64Array(P.rows);
      assert.ok(predictPacked(packed!, P.data, P.cols, 0, P.rows, out, P.rows, 0), `${packed!.kind} ran`);
      assert.deepEqual(out, walk, packed!.kind);
    }
  });

  // Early stopping scores the validation set on its bins; those must route a code as predict does
  // (unknown → where missing values go, 2.7 → category 2), or the scores are of another model.
  // The bins sent codes beyond the training codes (and negative ones) to the shared "other" bin
  // of a lumped feature, and fractional codes to the missing bin.
  for (const maxCategories of [4, null]) {
    it(`validation scores route unknown and fractional codes as predict does (maxCategories ${maxCategories})`, () => {
      const Xv = matrix(Float64Array.from([100, 200, 1, 0, 50, -1, 2.7, 11.5, 0.25, 3]), 10, 1);
      const yv = Float64Array.from([5, 5, -5, 5, -3, 4, -2, 1, 0, 2]);
      for (let t = 0; t < 30; t++) {
        const rng = new Rng(t);
        const n = 200;
        const X = new Float64Array(n);
        const y = new Float64Array(n);
        const effect = Array.from({ length: 12 }, () => rng.normal() * 3);
        for (let i = 0; i < n; i++) {
          const c = Math.floor(rng.uniform() ** 2 * 12);
          X[i] = c;
          y[i] = effect[c] + rng.normal();
        }
        const reg = new HistGradientBoostingRegressor({
          maxIter: 3,
          categoricalFeatures: [0],
          maxCategories,
          minSamplesLeaf: 5,
          nIterNoChange: 100,
          nThreads: 1,
        }).fit(matrix(X, n, 1), y, { validationSet: { X: Xv, y: yv } });
        const p = reg.predict(Xv);
        let loss = 0;
        for (let i = 0; i < yv.length; i++) loss += 0.5 * (p[i] - yv[i]) ** 2;
        const score = reg.validationScore_!.at(-1)!;
        assert.ok(
          Math.abs(score + loss / yv.length) <= 1e-12,
          `seed ${t}: last validation score ${score}, from predict ${-loss / yv.length}`,
        );
      }
    });
  }
});
