/**
 * `MinMaxScaler`: map each column linearly onto a range (default [0, 1]) using its minimum and
 * maximum in fit, as scikit-learn's `MinMaxScaler`. NaN is ignored in fit and kept in transform; a
 * constant column gets range 1 (it maps to the lower end of the range).
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { registerEstimator } from '../core/estimator.ts';
import type { TargetInput } from '../core/labels.ts';
import { type Matrix, matrix } from '../core/matrix.ts';
import { type ParamsOf, p } from '../core/params.ts';
import type { PlainObject } from '../core/plain.ts';
import { unfilledFloat64 } from '../core/unfilled.ts';
import { NumericTransformer } from './base.ts';
import { handleZerosInScale, nanMinMax } from './column-stats.ts';
import type { DataInput } from './input.ts';
import { NOT_NEGATIVE, readColumnStats } from './state.ts';

const schema = {
  featureRange: p.array(p.float(), {
    default: [0, 1],
    minLength: 2,
    doc: 'the [min, max] the columns are mapped onto (min < max)',
  }),
  clip: p.bool({ default: false, doc: 'clip transformed values of new data to featureRange' }),
};

/** Parameters of {@link MinMaxScaler}. */
export type MinMaxScalerParams = ParamsOf<typeof schema>;

/**
 * Scales numeric columns to a range: `x' = (x − min) / (max − min) · (hi − lo) + lo`.
 *
 * @example
 * ```ts
 * new MinMaxScaler({ featureRange: [-1, 1] }).fitTransform([[0], [5], [10]]); // -1, 0, 1
 * ```
 */
export class MinMaxScaler extends NumericTransformer<MinMaxScalerParams> {
  static readonly typeName = 'MinMaxScaler';
  static readonly schema = schema;

  /** Column minima seen in fit. */
  dataMin_: Float64Array | undefined = undefined;
  /** Column maxima seen in fit. */
  dataMax_: Float64Array | undefined = undefined;
  /** `max − min` per column. */
  dataRange_: Float64Array | undefined = undefined;
  /** Per-column factor: `(hi − lo) / range` (range 1 for constant columns). */
  scale_: Float64Array | undefined = undefined;
  /** Per-column offset: `lo − min · scale`. */
  min_: Float64Array | undefined = undefined;

  constructor(params: Partial<MinMaxScalerParams> = {}) {
    super(params);
  }

  /** Learns each column's minimum and maximum (NaN ignored). */
  fit(X: DataInput, _y?: TargetInput): this {
    const m = this.fitInput(X);
    const [lo, hi] = this.params.featureRange;
    if (this.params.featureRange.length !== 2 || !(lo < hi)) {
      throw new ValidationError(
        `MinMaxScaler: featureRange must be [min, max] with min < max; got ${JSON.stringify(this.params.featureRange)}.`,
        { field: 'featureRange', fix: 'pass e.g. [0, 1] or [-1, 1]' },
      );
    }
    const { min, max } = nanMinMax(m);
    const range = new Float64Array(m.cols);
    for (let j = 0; j < m.cols; j++) range[j] = max[j] - min[j];
    const scale = handleZerosInScale(Float64Array.from(range));
    const offset = new Float64Array(m.cols);
    for (let j = 0; j < m.cols; j++) {
      scale[j] = (hi - lo) / scale[j];
      offset[j] = lo - min[j] * scale[j];
    }
    this.dataMin_ = min;
    this.dataMax_ = max;
    this.dataRange_ = range;
    this.scale_ = scale;
    this.min_ = offset;
    return this.finishFit(m);
  }

  /** Scales X (a new matrix). */
  transform(X: DataInput): Matrix {
    const m = this.transformInput(X);
    const src = m.data;
    const out = unfilledFloat64(src.length); // every value is written below
    const scale = this.scale_!;
    const offset = this.min_!;
    const [lo, hi] = this.params.featureRange;
    const clip = this.params.clip;
    const d = m.cols;
    for (let i = 0; i < m.rows; i++) {
      const base = i * d;
      for (let j = 0; j < d; j++) {
        let v = src[base + j] * scale[j] + offset[j];
        if (clip) v = Math.max(lo, Math.min(v, hi)); // NaN stays NaN
        out[base + j] = v;
      }
    }
    return matrix(out, m.rows, d, this.featureNamesIn_);
  }

  /** Undoes {@link MinMaxScaler.transform}. */
  inverseTransform(X: DataInput): Matrix {
    const m = this.transformInput(X, 'inverseTransform');
    const out = new Float64Array(m.data);
    const d = m.cols;
    for (let k = 0; k < out.length; k++) {
      const j = k % d;
      out[k] = (out[k] - this.min_![j]) / this.scale_![j];
    }
    return matrix(out, m.rows, d, this.featureNamesIn_);
  }

  /** The input column names. */
  getFeatureNamesOut(): string[] {
    this.assertFitted('getFeatureNamesOut');
    return [...this.featureNamesIn_!];
  }

  protected getState(): PlainObject {
    return {
      dataMin: this.dataMin_!,
      dataMax: this.dataMax_!,
      dataRange: this.dataRange_!,
      scale: this.scale_!,
      min: this.min_!,
    };
  }

  /**
   * Checks one value per input column in each statistic and scales ≥ 0 (0 where a column's range
   * overflows, +∞ where featureRange's does; NaN for a column with no values): a damaged or edited
   * package is refused rather than transforming to NaN or flipping a column.
   */
  protected setState(s: PlainObject): void {
    const width = (s.featureNamesIn as string[]).length;
    this.dataMin_ = readColumnStats(this, s, 'dataMin', width);
    this.dataMax_ = readColumnStats(this, s, 'dataMax', width);
    this.dataRange_ = readColumnStats(this, s, 'dataRange', width, NOT_NEGATIVE);
    this.scale_ = readColumnStats(this, s, 'scale', width, NOT_NEGATIVE);
    this.min_ = readColumnStats(this, s, 'min', width);
  }
}

registerEstimator(MinMaxScaler);
