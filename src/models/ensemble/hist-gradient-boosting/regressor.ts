/**
 * `HistGradientBoostingRegressor`: gradient-boosted trees on binned features for regression
 * (squared error, absolute error, Huber, Poisson), with native missing values and categorical
 * features — scikit-learn's estimator of the same name.
 *
 * @module
 */

import { ValidationError } from '../../../core/errors.ts';
import { registerEstimator } from '../../../core/estimator.ts';
import { asNumericTarget, type TargetInput } from '../../../core/labels.ts';
import type { Matrix, MatrixInput } from '../../../core/matrix.ts';
import type { PlainObject } from '../../../core/plain.ts';
import { BaseRegressor, checkSampleWeight, r2Of } from '../../base.ts';
import type { BoostingData } from './boosting.ts';
import { makeLoss } from './loss.ts';
import {
  type FittedModel,
  fitModel,
  gainImportances,
  modelFromState,
  modelToState,
  rawPredict,
  splitCounts,
} from './model.ts';
import { type HGBRegressorParams, regressorSchema, resolveCategorical } from './params.ts';

/** Options of `fit`. */
export interface HGBRegressorFitOptions {
  /** One non-negative weight per row. */
  sampleWeight?: ArrayLike<number>;
  /** Data to early-stop on instead of a `validationFraction` of the training rows. */
  validationSet?: { X: MatrixInput; y: TargetInput; sampleWeight?: ArrayLike<number> };
}

/**
 * Histogram gradient boosting for regression.
 *
 * ```ts
 * const reg = new HistGradientBoostingRegressor({ loss: 'absolute_error' }).fit(X, y);
 * reg.predict(Xtest);
 * ```
 */
export class HistGradientBoostingRegressor extends BaseRegressor<HGBRegressorParams> {
  static readonly typeName = 'HistGradientBoostingRegressor';
  static readonly schema = regressorSchema;
  /**
   * 2 since 2026-11-28: the categorical bitsets mark codes unseen in training as going where
   * missing values go (version 1 sent them right), so a version-1 model is refused, not misread.
   */
  static readonly stateVersion = 2;

  /** Iterations run (fewer than `maxIter` when early stopping stopped the fit). */
  nIter_: number | undefined = undefined;
  /** Scores on the training data per iteration (index 0: the baseline), when early stopping ran. */
  trainScore_: Float64Array | undefined = undefined;
  /** Scores on the validation data per iteration (index 0: the baseline), when early stopping ran. */
  validationScore_: Float64Array | undefined = undefined;
  /** Whether early stopping was used. */
  doEarlyStopping_: boolean | undefined = undefined;
  /** Total split gain per feature, normalised to sum to 1. */
  featureImportances_: Float64Array | undefined = undefined;
  /** Number of splits per feature. */
  featureSplitCounts_: Int32Array | undefined = undefined;
  /** 1 for the features treated as categorical. */
  isCategorical_: Uint8Array | undefined = undefined;
  private model_: FittedModel | undefined = undefined;

  /** Fits the model. */
  fit(X: MatrixInput, y: TargetInput, options: HGBRegressorFitOptions = {}): this {
    const m = this.startFit(X);
    const who = this.typeName;
    const yv = asNumericTarget(y, m.rows, who);
    const w = checkSampleWeight(options.sampleWeight, m.rows, who) ?? null;
    if (this.params.loss === 'poisson') checkPoisson(yv, who, 'y');
    const isCat = resolveCategorical(this.params.categoricalFeatures, m, who);
    let given = null;
    if (options.validationSet) {
      const vm = this.checkValidationX(options.validationSet.X, m);
      const vy = asNumericTarget(options.validationSet.y, vm.rows, who, 'validationSet.y');
      if (this.params.loss === 'poisson') checkPoisson(vy, who, 'validationSet.y');
      given = {
        X: vm,
        y: vy,
        w:
          checkSampleWeight(options.validationSet.sampleWeight, vm.rows, who, {
            name: 'validationSet.sampleWeight',
            xName: 'validationSet.X',
          }) ?? null,
      };
    }
    const r2 = (raw: Float64Array, data: BoostingData): number => {
      if (this.params.loss !== 'poisson') return r2Of(raw, data.y, data.w);
      return r2Of(raw.map(Math.exp), data.y, data.w);
    };
    const model = fitModel(
      who,
      this.params,
      m,
      yv,
      w,
      isCat,
      (train) =>
        makeLoss(this.params.loss, { weighted: train.w !== null, huberQuantile: this.params.huberQuantile }),
      false,
      this.params.scoring === null ? r2 : null,
      given,
    );
    this.setModel(model, m.cols);
    return this.finishFit(m);
  }

  private checkValidationX(X: MatrixInput, m: Matrix): Matrix {
    const saved = this.featureNamesIn_;
    this.featureNamesIn_ = [...m.columns];
    try {
      return this.checkInput(X, 'fit (validationSet)');
    } finally {
      this.featureNamesIn_ = saved;
    }
  }

  private setModel(model: FittedModel, d: number): void {
    this.model_ = model;
    this.nIter_ = model.nIter;
    this.trainScore_ = model.trainScore;
    this.validationScore_ = model.validationScore;
    this.doEarlyStopping_ = model.doEarlyStopping;
    this.isCategorical_ = model.isCategorical;
    this.featureImportances_ = gainImportances(model.ensemble, d);
    this.featureSplitCounts_ = splitCounts(model.ensemble, d);
  }

  /** Predicted values (the mean for Poisson: exp of the raw score). */
  predict(X: MatrixInput): Float64Array {
    const m = this.checkInput(X, 'predict');
    const raw = rawPredict(this.model_!, m, this.params.nThreads);
    if (this.params.loss === 'poisson') for (let i = 0; i < raw.length; i++) raw[i] = Math.exp(raw[i]);
    return raw;
  }

  protected getState(): PlainObject {
    return modelToState(this.model_!);
  }

  protected setState(state: PlainObject): void {
    const model = modelFromState(state, this.typeName, (state.featureNamesIn as string[]).length, 1);
    this.setModel(model, model.isCategorical.length);
  }
}

function checkPoisson(y: Float64Array, who: string, what: string): void {
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] < 0) {
      throw new ValidationError(`${who}: loss 'poisson' needs ${what} ≥ 0; ${what}[${i}] = ${y[i]}.`, {
        field: what,
        fix: "use loss 'squared_error', or a non-negative target such as counts",
      });
    }
    sum += y[i];
  }
  if (!(sum > 0)) {
    throw new ValidationError(`${who}: loss 'poisson' needs a positive sum of ${what}; every value is 0.`, {
      field: what,
      fix: "use loss 'squared_error', or check the target",
    });
  }
}

registerEstimator(HistGradientBoostingRegressor as never);
