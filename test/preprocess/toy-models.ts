// Small, exact models for the Pipeline tests (the real families live in src/models and are tested
// there). Both refuse NaN as models that cannot take missing values do.
import { registerEstimator } from '../../src/core/estimator.ts';
import type { TargetInput } from '../../src/core/labels.ts';
import { asNumericTarget } from '../../src/core/labels.ts';
import { assertFinite, type Matrix, type MatrixInput, matrix } from '../../src/core/matrix.ts';
import { type ParamsOf, p } from '../../src/core/params.ts';
import type { PlainObject } from '../../src/core/plain.ts';
import { BaseClassifier, BaseRegressor } from '../../src/models/base.ts';

const centroidSchema = {
  shrink: p.float({ min: 0, max: 1, default: 0, doc: 'shrink centroids to the mean' }),
};

/** Nearest-centroid classifier: probabilities ∝ exp(−squared distance). */
export class ToyCentroidClassifier extends BaseClassifier<ParamsOf<typeof centroidSchema>> {
  static readonly typeName = 'ToyCentroidClassifier';
  static readonly schema = centroidSchema;
  centroids_: Float64Array | undefined = undefined;

  fit(X: MatrixInput, y: TargetInput): this {
    const m = this.startFit(X);
    assertFinite(m, this.typeName);
    const codes = this.encodeTarget(y, m.rows);
    const k = this.classes_!.length;
    const c = new Float64Array(k * m.cols);
    const n = new Float64Array(k);
    for (let i = 0; i < m.rows; i++) {
      n[codes[i]]++;
      for (let j = 0; j < m.cols; j++) c[codes[i] * m.cols + j] += m.data[i * m.cols + j];
    }
    for (let q = 0; q < k; q++) for (let j = 0; j < m.cols; j++) c[q * m.cols + j] /= n[q];
    this.centroids_ = c;
    return this.finishFit(m);
  }

  predictProba(X: MatrixInput): Matrix {
    const m = this.checkInput(X, 'predictProba');
    assertFinite(m, this.typeName);
    const k = this.classes_!.length;
    const out = new Float64Array(m.rows * k);
    for (let i = 0; i < m.rows; i++) {
      let total = 0;
      for (let q = 0; q < k; q++) {
        let d = 0;
        for (let j = 0; j < m.cols; j++)
          d += (m.data[i * m.cols + j] - this.centroids_![q * m.cols + j]) ** 2;
        out[i * k + q] = Math.exp(-d);
        total += out[i * k + q];
      }
      for (let q = 0; q < k; q++) out[i * k + q] /= total;
    }
    return matrix(out, m.rows, k, this.probaColumns());
  }

  protected getState(): PlainObject {
    return { centroids: this.centroids_!, classes: this.classes_! };
  }

  protected setState(s: PlainObject): void {
    this.centroids_ = s.centroids as Float64Array;
    this.classes_ = s.classes as string[];
  }
}

const meanSchema = { offset: p.float({ default: 0, doc: 'added to every prediction' }) };

/** Predicts the training mean of y plus `offset` plus the sum of the features. */
export class ToySumRegressor extends BaseRegressor<ParamsOf<typeof meanSchema>> {
  static readonly typeName = 'ToySumRegressor';
  static readonly schema = meanSchema;
  mean_: number | undefined = undefined;

  fit(X: MatrixInput, y: TargetInput): this {
    const m = this.startFit(X);
    assertFinite(m, this.typeName);
    const v = asNumericTarget(y, m.rows, this.typeName);
    this.mean_ = v.reduce((a, b) => a + b, 0) / v.length;
    return this.finishFit(m);
  }

  predict(X: MatrixInput): Float64Array {
    const m = this.checkInput(X, 'predict');
    assertFinite(m, this.typeName);
    const out = new Float64Array(m.rows);
    for (let i = 0; i < m.rows; i++) {
      let s = this.mean_! + this.params.offset;
      for (let j = 0; j < m.cols; j++) s += m.data[i * m.cols + j];
      out[i] = s;
    }
    return out;
  }

  protected getState(): PlainObject {
    return { mean: this.mean_! };
  }

  protected setState(s: PlainObject): void {
    this.mean_ = s.mean as number;
  }
}

registerEstimator(ToyCentroidClassifier);
registerEstimator(ToySumRegressor);
