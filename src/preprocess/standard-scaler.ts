/**
 * `StandardScaler`: centre each column on its mean and divide by its standard deviation
 * (population, ddof 0), as scikit-learn's `StandardScaler`. Missing values (NaN) are ignored in
 * fit and kept in transform. A constant column — one whose variance is within rounding error of 0 —
 * gets scale 1, so it becomes 0 rather than NaN or ±Infinity.
 *
 * @module
 */

import { registerEstimator } from '../core/estimator.ts';
import type { TargetInput } from '../core/labels.ts';
import { type Matrix, matrix } from '../core/matrix.ts';
import { type ParamsOf, p } from '../core/params.ts';
import type { PlainObject } from '../core/plain.ts';
import { damagedState, type ValueRule } from '../core/saved-state.ts';
import { unfilledFloat64 } from '../core/unfilled.ts';
import { NumericTransformer } from './base.ts';
import { constantFeatures, handleZerosInScale, nanMeanVar } from './column-stats.ts';
import type { DataInput } from './input.ts';
import { f64OrNull, NOT_NEGATIVE, readColumnStats, readColumnStatsOrNull } from './state.ts';

const schema = {
  withMean: p.bool({ default: true, doc: 'subtract the column mean' }),
  withStd: p.bool({ default: true, doc: 'divide by the column standard deviation' }),
};

/** Parameters of {@link StandardScaler}. */
export type StandardScalerParams = ParamsOf<typeof schema>;

/**
 * Standardises numeric columns: `z = (x − mean) / std`.
 *
 * @example
 * ```ts
 * const z = new StandardScaler().fitTransform([[1, 10], [2, 20], [3, 30]]);
 * ```
 */
export class StandardScaler extends NumericTransformer<StandardScalerParams> {
  static readonly typeName = 'StandardScaler';
  static readonly schema = schema;

  /** Column means (null when `withMean` and `withStd` are both false). */
  mean_: Float64Array | null | undefined = undefined;
  /** Column variances (null unless `withStd`). */
  var_: Float64Array | null | undefined = undefined;
  /** Per-column divisor: the standard deviation, 1 for constant columns (null unless `withStd`). */
  scale_: Float64Array | null | undefined = undefined;
  /** Non-missing values seen per column. */
  nSamplesSeen_: Float64Array | undefined = undefined;

  constructor(params: Partial<StandardScalerParams> = {}) {
    super(params);
  }

  /** Learns the means and standard deviations (NaN ignored). */
  fit(X: DataInput, _y?: TargetInput): this {
    const m = this.fitInput(X);
    const { withMean, withStd } = this.params;
    const mv = nanMeanVar(m);
    this.nSamplesSeen_ = mv.count;
    if (!withMean && !withStd) {
      this.mean_ = null;
      this.var_ = null;
      this.scale_ = null;
    } else {
      this.mean_ = mv.mean;
      if (withStd) {
        this.var_ = mv.variance;
        const scale = new Float64Array(m.cols);
        for (let j = 0; j < m.cols; j++) scale[j] = Math.sqrt(mv.variance[j]);
        this.scale_ = handleZerosInScale(scale, constantFeatures(mv));
      } else {
        this.var_ = null;
        this.scale_ = null;
      }
    }
    return this.finishFit(m);
  }

  /** Standardises X (a new matrix; X is not modified). */
  transform(X: DataInput): Matrix {
    const m = this.transformInput(X);
    const src = m.data;
    const out = unfilledFloat64(src.length); // every value is written below
    const center = this.params.withMean ? this.mean_ : null;
    const scale = this.params.withStd ? this.scale_ : null;
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

  /** Undoes {@link StandardScaler.transform}: `x = z·std + mean`. */
  inverseTransform(X: DataInput): Matrix {
    const m = this.transformInput(X, 'inverseTransform');
    const out = new Float64Array(m.data);
    const center = this.params.withMean ? this.mean_ : null;
    const scale = this.params.withStd ? this.scale_ : null;
    const d = m.cols;
    for (let k = 0; k < out.length; k++) {
      const j = k % d;
      let v = out[k];
      if (scale) v *= scale[j];
      if (center) v += center[j];
      out[k] = v;
    }
    return matrix(out, m.rows, d, this.featureNamesIn_);
  }

  /** The input column names (scaling keeps the columns). */
  getFeatureNamesOut(): string[] {
    this.assertFitted('getFeatureNamesOut');
    return [...this.featureNamesIn_!];
  }

  protected getState(): PlainObject {
    return {
      mean: f64OrNull(this.mean_),
      var: f64OrNull(this.var_),
      scale: f64OrNull(this.scale_),
      nSamplesSeen: this.nSamplesSeen_!,
    };
  }

  /**
   * Checks one value per input column in each statistic, the values fit gives (variances ≥ 0,
   * scales > 0, whole counts ≥ 0; NaN for a column with no values), and the statistics a fit saves
   * together: none, the mean alone (withStd false), or mean, var and scale. A damaged or edited
   * package is refused rather than transforming to NaN or leaving a column unscaled.
   */
  protected setState(s: PlainObject): void {
    const who = this.typeName;
    const width = (s.featureNamesIn as string[]).length;
    const mean = readColumnStatsOrNull(this, s, 'mean', width);
    const variance = readColumnStatsOrNull(this, s, 'var', width, NOT_NEGATIVE);
    const scale = readColumnStatsOrNull(this, s, 'scale', width, POSITIVE);
    if ((variance === null) !== (scale === null)) {
      throw damagedState(
        who,
        'scale',
        scale === null ? 'is null while var is saved' : 'is saved while var is null',
      );
    }
    if (mean === null && scale !== null)
      throw damagedState(who, 'mean', 'is null while var and scale are saved');
    this.nSamplesSeen_ = readColumnStats(this, s, 'nSamplesSeen', width, COUNT);
    this.mean_ = mean;
    this.var_ = variance;
    this.scale_ = scale;
  }
}

/** A standard deviation as a divisor: > 0 (1 for a constant column), or NaN for a column with no values. */
const POSITIVE: ValueRule = { test: (x) => !(x <= 0), what: 'a number > 0 (or NaN)' };
/** Values seen in a column. */
const COUNT: ValueRule = { test: (x) => Number.isInteger(x) && x >= 0, what: 'a whole count ≥ 0' };

registerEstimator(StandardScaler);
