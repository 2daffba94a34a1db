// Synthetic data and the round trip (export → onnxruntime → compare with Lathe) shared by the
// model export tests.
import assert from 'node:assert/strict';
import type { Classifier, Regressor } from '../../src/core/estimator.ts';
import type { Label } from '../../src/core/labels.ts';
import { type Matrix, matrix } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { exportOnnxModel } from '../../src/export/index.ts';
import { assertClose, assertSameLabels, matrixFeeds, session } from './helpers.ts';

/** n rows of d features; a few informative, the rest noise; columns f0, f1, …. */
export function features(n: number, d: number, seed: number, missing = 0): Matrix {
  const rng = new Rng(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) {
    data[i] = Math.round(rng.normal(0, 3) * 100) / 100;
    if (missing > 0 && rng.random() < missing) data[i] = Number.NaN;
  }
  return matrix(
    data,
    n,
    d,
    Array.from({ length: d }, (_, j) => `f${j}`),
  );
}

function score(X: Matrix, i: number): number {
  if (X.cols < 4) throw new Error('the synthetic targets read four feature columns');
  const v = (j: number) => (Number.isNaN(X.data[i * X.cols + j]) ? 0 : X.data[i * X.cols + j]);
  return 2 * v(0) - v(1) + 0.5 * v(2) * v(3);
}

export function regressionTarget(X: Matrix, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from(
    { length: X.rows },
    (_, i) => 250_000 + 20_000 * score(X, i) + rng.normal(0, 5000),
  );
}

export function classTarget<T extends Label>(X: Matrix, labels: readonly T[], seed: number): T[] {
  const rng = new Rng(seed);
  return Array.from({ length: X.rows }, (_, i) => {
    const s = score(X, i) + rng.normal(0, 2);
    const k = labels.length;
    const bin = Math.min(k - 1, Math.max(0, Math.floor((s + 6) / (12 / k))));
    return labels[bin];
  });
}

export const Xtrain = features(300, 5, 1);
export const Xtest = features(120, 5, 2);

export async function checkRegressor(
  model: Regressor,
  X: Matrix,
  tol: number,
  layout: 'columns' | 'matrix' = 'columns',
) {
  const ex = exportOnnxModel(model, { inputLayout: layout });
  assert.equal(ex.kind, 'regressor');
  const out = await (await session(ex.bytes)).run(matrixFeeds(X, ex));
  assert.deepEqual(out.prediction.dims, [X.rows]);
  assertClose(out.prediction.data as Float64Array, model.predict(X), tol, `${model.typeName} prediction`);
}

export async function checkClassifier(
  model: Classifier,
  X: Matrix,
  tol: number,
  labelType: string,
  layout: 'columns' | 'matrix' = 'columns',
) {
  const ex = exportOnnxModel(model, { inputLayout: layout });
  assert.equal(ex.kind, 'classifier');
  assert.deepEqual(ex.classes, model.classes_);
  const out = await (await session(ex.bytes)).run(matrixFeeds(X, ex));
  const P = model.predictProba(X);
  assert.deepEqual(out.probabilities.dims, [X.rows, P.cols]);
  assertClose(out.probabilities.data as Float64Array, P.data, tol, `${model.typeName} probabilities`);
  assert.equal(out.label.type, labelType);
  assertSameLabels(model.predict(X), out.label.data as ArrayLike<unknown>, `${model.typeName} labels`);
}
