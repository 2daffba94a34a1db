/**
 * Linear models as float64 `MatMul` + `Add` (the ONNX-ML LinearRegressor/LinearClassifier compute
 * in float32, which would lose Lathe's precision):
 *
 * - LinearRegression, Ridge, Lasso, ElasticNet: `X·coef_ + intercept_`;
 * - LogisticRegression: scores `X·coef_ᵀ + intercept_`, then the probabilities `predictProba`
 *   computes — binary: `[1 − σ(d), σ(d)]` (or the softmax of `(−d, d)` for a multinomial fit),
 *   multiclass: softmax (multinomial) or σ of each score normalised to sum to one (one-vs-rest).
 *   The label follows `predict`: the second class when `d > 0` (binary), else the arg-max score.
 *
 * The scores differ from Lathe's only by the summation order of the dot products (a few units in
 * the 16th digit).
 *
 * @module
 */

import type { LinearRegressorBase } from '../../models/linear/linear-model.ts';
import type { LogisticRegression } from '../../models/linear/logistic-regression.ts';
import { attr, type GraphBuilder } from '../graph-builder.ts';
import { DataType } from '../onnx-proto.ts';
import { argmaxRows, type ModelHead, toVector } from './head.ts';

/** A linear regressor on the float64 matrix `X` (`[N, p]`). */
export function convertLinearRegressor(
  b: GraphBuilder,
  model: LinearRegressorBase<object>,
  X: string,
): ModelHead {
  const coef = model.coef_!;
  const y = b.op('Add', [b.op('MatMul', [X, b.double(coef, [coef.length, 1])]), b.scalar(model.intercept_!)]);
  return { kind: 'regressor', value: toVector(b, y) };
}

/** A logistic regression on the float64 matrix `X` (`[N, p]`). */
export function convertLogisticRegression(b: GraphBuilder, model: LogisticRegression, X: string): ModelHead {
  const coef = model.coef_!;
  const rows = coef.length;
  const p = coef[0].length;
  // Wᵀ: p × rows, column k = coefficients of row k.
  const Wt = new Float64Array(p * rows);
  coef.forEach((w, k) => {
    for (let j = 0; j < p; j++) Wt[j * rows + k] = w[j];
  });
  const scores = b.op('Add', [b.op('MatMul', [X, b.double(Wt, [p, rows])]), b.double(model.intercept_!)]);
  const classes = model.classes_!;
  const multinomial = model.multinomial_!;
  const softmax = (t: string) => b.op('Softmax', [t], [attr.int('axis', 1)]);
  let proba: string;
  let labelIndex: string;
  if (rows === 1) {
    if (multinomial) {
      proba = softmax(b.op('Concat', [b.op('Neg', [scores]), scores], [attr.int('axis', 1)]));
    } else {
      const p1 = expit(b, scores);
      proba = b.op('Concat', [b.op('Sub', [b.scalar(1), p1]), p1], [attr.int('axis', 1)]);
    }
    const positive = b.op('Greater', [scores, b.scalar(0)]);
    labelIndex = toVector(b, b.op('Cast', [positive], [attr.int('to', DataType.INT64)]));
  } else {
    if (multinomial) proba = softmax(scores);
    else {
      const e = expit(b, scores);
      proba = b.op('Div', [e, b.op('ReduceSum', [e, b.int64([1])], [attr.int('keepdims', 1)])]);
    }
    labelIndex = argmaxRows(b, scores);
  }
  return { kind: 'classifier', proba, labelIndex, classes };
}

/** 1 / (1 + e^(−x)), written as Lathe's `expit` computes it. */
function expit(b: GraphBuilder, x: string): string {
  return b.op('Div', [b.scalar(1), b.op('Add', [b.scalar(1), b.op('Exp', [b.op('Neg', [x])])])]);
}
