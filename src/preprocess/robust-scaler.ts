/**
 * `RobustScaler`: centre each column on its median and divide by its interquartile range (or
 * another percentile range), as scikit-learn's `RobustScaler` — statistics that outliers barely
 * move. Percentiles are NumPy's linear interpolation (`np.nanpercentile`); NaN is ignored in fit
 * and kept in transform; a zero range becomes 1.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { registerEstimator } from '../core/estimator.ts';
import type { TargetInput } from '../core/labels.ts';
import { normalQuantile } from '../core/lazy-special.ts';
import { type Matrix, matrix } from '../core/matrix.ts';
import { type ParamsOf, p } from '../core/params.ts';
import type { PlainObject } from '../core/plain.ts';
import { unfilledFloat64 } from '../core/unfilled.ts';
import { NumericTransformer } from './base.ts';
import { handleZerosInScale, medianSorted, percentileSorted, sortedColumn } from './column-stats.ts';
import type { DataInput } from './input.ts';
import { f64OrNull, NOT_NEGATIVE, readColumnStatsOrNull } from './state.ts';

const schema = {
  withCentering: p.bool({ default: true, doc: 'subtract the column median' }),
  withScaling: p.bool({ default: true, doc: 'divide by the percentile range' }),
  // The bounds are checked in fit, whose error shows the values (the schema's would say only "array(2)").
  quantileRange: p.array(p.float(), {
    default: [25, 75],
    minLength: 2,
    doc: 'the [low, high] percentiles whose difference is the scale (0 ≤ low ≤ high ≤ 100)',
  }),
  unitVariance: p.bool({
    default: false,
    doc: 'divide further so that normally distributed data has variance 1',
  }),
};

/** Parameters of {@link RobustScaler}. */
export type RobustScalerParams = ParamsOf<typeof schema>;

/**
 * Scales numeric columns robustly: `x' = (x − median) / (P_high − P_low)`.
 *
 * @example
 * ```ts
 * new RobustScaler().fitTransform([[1], [2], [3], [4], [100]]);
 * ```
 */
export class RobustScaler extends NumericTransformer<RobustScalerParams> {
  static readonly typeName = 'RobustScaler';
  static readonly schema = schema;

  /** Column medians (null unless `withCentering`). */
  center_: Float64Array | null | undefined = undefined;
  /** Column percentile ranges, 1 where the range is 0 (null unless `withScaling`). */
  scale_: Float64Array | null | undefined = undefined;

  constructor(params: Partial<RobustScalerParams> = {}) {
    super(params);
  }

  /** Learns medians and percentile ranges (NaN ignored). */
  fit(X: DataInput, _y?: TargetInput): this {
    const m = this.fitInput(X);
    const { withCentering, withScaling, quantileRange, unitVariance } = this.params;
    const [qLo, qHi] = quantileRange;
    // low = high is allowed, as in scikit-learn: the range is 0, so the scale is 1.
    if (quantileRange.length !== 2 || !(qLo >= 0 && qLo <= qHi && qHi <= 100)) {
      throw new ValidationError(
        `RobustScaler: quantileRange must be [low, high] with 0 ≤ low ≤ high ≤ 100; got ${JSON.stringify(quantileRange)}.`,
        { field: 'quantileRange', fix: 'pass e.g. [25, 75] (the interquartile range)' },
      );
    }
    const center = withCentering ? new Float64Array(m.cols) : null;
    const scale = withScaling ? new Float64Array(m.cols) : null;
    const buf = new Float64Array(m.rows);
    const scratch = new Float64Array(m.rows);
    for (let j = 0; j < m.cols; j++) {
      const s = sortedColumn(m, j, buf, scratch);
      if (center) center[j] = medianSorted(s);
      if (scale) scale[j] = percentileSorted(s, qHi) - percentileSorted(s, qLo);
    }
    if (scale) {
      handleZerosInScale(scale);
      if (unitVariance) {
        const adjust = normalQuantile(qHi / 100, 0, 1) - normalQuantile(qLo / 100, 0, 1);
        for (let j = 0; j < scale.length; j++) scale[j] /= adjust;
      }
    }
    this.center_ = center;
    this.scale_ = scale;
    return this.finishFit(m);
  }

  /** Scales X (a new matrix). */
  transform(X: DataInput): Matrix {
    const m = this.transformInput(X);
    const src = m.data;
    const out = unfilledFloat64(src.length); // every value is written below
    const center = this.center_;
    const scale = this.scale_;
    const d = m.cols;
    for (let i = 0; i < m.rows; i++) {
      const base = i * d;
      for (let j = 0; j < d; j++) {
        let v = src[base + j];
        if (center) v -= center[j];
        if (scale) v /= scale[j];
        out[base + j] = v;
      }
    }
    return matrix(out, m.rows, d, this.featureNamesIn_);
  }

  /** Undoes {@link RobustScaler.transform}. */
  inverseTransform(X: DataInput): Matrix {
    const m = this.transformInput(X, 'inverseTransform');
    const out = new Float64Array(m.data);
    const d = m.cols;
    for (let k = 0; k < out.length; k++) {
      const j = k % d;
      let v = out[k];
      if (this.scale_) v *= this.scale_[j];
      if (this.center_) v += this.center_[j];
      out[k] = v;
    }
    return matrix(out, m.rows, d, this.featureNamesIn_);
  }

  /** The input column names. */
  getFeatureNamesOut(): string[] {
    this.assertFitted('getFeatureNamesOut');
    return [...this.featureNamesIn_!];
  }

  protected getState(): PlainObject {
    return { center: f64OrNull(this.center_), scale: f64OrNull(this.scale_) };
  }

  /**
   * Checks one value per input column in the center and the scale (when saved), and scales ≥ 0
   * (0 or +∞ with unitVariance at the extreme percentiles; NaN for a column with no values): a
   * damaged or edited package is refused rather than transforming to NaN or flipping a column.
   */
  protected setState(s: PlainObject): void {
    const width = (s.featureNamesIn as string[]).length;
    this.center_ = readColumnStatsOrNull(this, s, 'center', width);
    this.scale_ = readColumnStatsOrNull(this, s, 'scale', width, NOT_NEGATIVE);
  }
}

registerEstimator(RobustScaler);
