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
});
