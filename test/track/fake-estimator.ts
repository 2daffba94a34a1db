// A tiny linear "estimator" for the model-package tests: y = X·w + b, fitted state in typed arrays.
import { Estimator, registerEstimator } from '../../src/core/estimator.ts';
import type { MatrixInput } from '../../src/core/matrix.ts';
import { p } from '../../src/core/params.ts';
import type { PlainObject } from '../../src/core/plain.ts';

const schema = {
  scale: p.float({ default: 1, doc: 'multiplies the weights' }),
  label: p.oneOf(['a', 'b'] as const, { default: 'a' }),
};

/** Fixed weights, "fitted" by taking column means; enough to check a round trip bit for bit. */
export class FakeLinear extends Estimator<{ scale: number; label: 'a' | 'b' }> {
  static readonly typeName = 'TestFakeLinear';
  static readonly schema = schema;
  readonly kind = 'regressor' as const;
  weights_: Float64Array | undefined;
  counts_: Int32Array | undefined;
  intercept_ = 0;

  fit(X: MatrixInput): this {
    const m = this.startFit(X);
    this.weights_ = new Float64Array(m.cols);
    this.counts_ = new Int32Array(m.cols);
    for (let i = 0; i < m.rows; i++) {
      for (let j = 0; j < m.cols; j++) {
        this.weights_[j] += (m.data[i * m.cols + j] * this.params.scale) / m.rows;
        this.counts_[j]++;
      }
    }
    this.intercept_ = Math.PI;
    return this.finishFit(m);
  }

  predict(X: MatrixInput): Float64Array {
    const m = this.checkInput(X, 'predict');
    const out = new Float64Array(m.rows);
    for (let i = 0; i < m.rows; i++) {
      let s = this.intercept_;
      for (let j = 0; j < m.cols; j++) s += m.data[i * m.cols + j] * this.weights_![j];
      out[i] = s;
    }
    return out;
  }

  protected getState(): PlainObject {
    return {
      weights: this.weights_!,
      counts: this.counts_!,
      intercept: this.intercept_,
      empty: new Float32Array(0),
    };
  }

  protected setState(state: PlainObject): void {
    this.weights_ = state.weights as Float64Array;
    this.counts_ = state.counts as Int32Array;
    this.intercept_ = state.intercept as number;
  }
}

registerEstimator(FakeLinear);

/** A fitted FakeLinear on a small fixed matrix. */
export function fittedFake(): FakeLinear {
  return new FakeLinear({ scale: 0.5 }).fit([
    [1, 2],
    [3, 4],
    [-1, 0.1],
  ]);
}
