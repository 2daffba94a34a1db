/**
 * `HistGradientBoostingClassifier`: gradient-boosted trees on binned features for binary and
 * multiclass classification (log loss; one tree per class and iteration for multiclass), with
 * native missing values and categorical features — scikit-learn's estimator of the same name.
 *
 * @module
 */

import { ValidationError } from '../../../core/errors.ts';
import { registerEstimator } from '../../../core/estimator.ts';
import type { TargetInput } from '../../../core/labels.ts';
import { type Matrix, type MatrixInput, matrix } from '../../../core/matrix.ts';
import type { PlainObject } from '../../../core/plain.ts';
import { readClasses } from '../../../core/saved-state.ts';
import { BaseClassifier, type ClassWeight, checkSampleWeight, classWeightVector } from '../../base.ts';
import type { BoostingData } from './boosting.ts';
import { expit, makeLoss } from './loss.ts';
import {
  type FittedModel,
  fitModel,
  gainImportances,
  modelFromState,
  modelToState,
  rawPredict,
  splitCounts,
} from './model.ts';
import { classifierSchema, type HGBClassifierParams, resolveCategorical } from './params.ts';

/** How errors name the validation set's weights. */
const VALIDATION_WEIGHTS = { name: 'validationSet.sampleWeight', xName: 'validationSet.X' };

/** Options of `fit`. */
export interface HGBClassifierFitOptions {
  /** One non-negative weight per row. */
  sampleWeight?: ArrayLike<number>;
  /** Data to early-stop on instead of a `validationFraction` of the training rows. */
  validationSet?: { X: MatrixInput; y: TargetInput; sampleWeight?: ArrayLike<number> };
}

/**
 * Histogram gradient boosting for classification.
 *
 * ```ts
 * const clf = new HistGradientBoostingClassifier({ maxIter: 200, learningRate: 0.1 }).fit(X, y);
 * clf.predictProba(Xtest);
 * ```
 */
export class HistGradientBoostingClassifier extends BaseClassifier<HGBClassifierParams> {
  static readonly typeName = 'HistGradientBoostingClassifier';
  static readonly schema = classifierSchema;
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

  /** Trees per iteration: 1 for binary, the number of classes otherwise. */
  get nTreesPerIteration_(): number | undefined {
    return this.model_?.ensemble.nTreesPerIteration;
  }

  /** Fits the model. */
  fit(X: MatrixInput, y: TargetInput, options: HGBClassifierFitOptions = {}): this {
    const m = this.startFit(X);
    const codes = this.encodeTarget(y, m.rows);
    const who = this.typeName;
    const classes = this.classes_!;
    const cw = classWeightVector(this.params.classWeight as ClassWeight, codes, classes, who);
    const weights = (
      sw: ArrayLike<number> | undefined,
      c: Int32Array,
      n: number,
      names?: { name: string; xName: string },
    ): Float64Array | null => {
      const w = checkSampleWeight(sw, n, who, names) ?? null;
      if (this.params.classWeight === null) return w;
      const out = w ?? new Float64Array(n).fill(1);
      for (let i = 0; i < n; i++) out[i] *= cw[c[i]];
      return out;
    };
    const yNum = Float64Array.from(codes);
    const w = weights(options.sampleWeight, codes, m.rows);
    const isCat = resolveCategorical(this.params.categoricalFeatures, m, who);
    let given = null;
    if (options.validationSet) {
      const vm = this.checkValidationX(options.validationSet.X, m);
      const vc = this.encodeKnown(options.validationSet.y, 'validationSet.y');
      if (vc.length !== vm.rows) throw lengthError(who, vc.length, vm.rows);
      given = {
        X: vm,
        y: Float64Array.from(vc),
        w: weights(options.validationSet.sampleWeight, vc, vm.rows, VALIDATION_WEIGHTS),
      };
    }
    const K = classes.length;
    const accuracy = (raw: Float64Array, data: BoostingData): number => {
      const n = data.y.length;
      let hit = 0;
      let total = 0;
      for (let i = 0; i < n; i++) {
        let best = 0;
        if (K === 2) best = raw[i] > 0 ? 1 : 0;
        else for (let k = 1; k < K; k++) if (raw[k * n + i] > raw[best * n + i]) best = k;
        const wi = data.w ? data.w[i] : 1;
        if (best === data.y[i]) hit += wi;
        total += wi;
      }
      return hit / total;
    };
    const model = fitModel(
      who,
      this.params,
      m,
      yNum,
      w,
      isCat,
      (train) => makeLoss('log_loss', { nClasses: K, weighted: train.w !== null }),
      true,
      this.params.scoring === null ? accuracy : null,
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

  /** Raw scores (log-odds for binary, one column; one column per class for multiclass). */
  decisionFunction(X: MatrixInput): Matrix {
    const m = this.checkInput(X, 'decisionFunction');
    const raw = rawPredict(this.model_!, m, this.params.nThreads);
    const K = this.model_!.ensemble.nTreesPerIteration;
    const n = m.rows;
    const out = new Float64Array(n * K);
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) out[i * K + k] = raw[k * n + i];
    return matrix(out, n, K, K === 1 ? ['decision'] : this.probaColumns());
  }

  /** Class probabilities, one column per class. */
  predictProba(X: MatrixInput): Matrix {
    const m = this.checkInput(X, 'predictProba');
    const n = m.rows;
    const C = this.classes_!.length;
    const out = new Float64Array(n * C);
    if (C === 2) {
      // The scores go to the second half of the output and are read in order as the pairs fill
      // it from the start: the pair of row i overwrites scores i' <= i only (2i + 1 − n <= i).
      const raw = rawPredict(this.model_!, m, this.params.nThreads, out.subarray(n));
      for (let i = 0; i < n; i++) {
        const p = expit(raw[i]);
        out[2 * i] = 1 - p;
        out[2 * i + 1] = p;
      }
    } else {
      const raw = rawPredict(this.model_!, m, this.params.nThreads);
      for (let i = 0; i < n; i++) {
        let max = -Infinity;
        for (let k = 0; k < C; k++) max = Math.max(max, raw[k * n + i]);
        let s = 0;
        for (let k = 0; k < C; k++) {
          const e = Math.exp(raw[k * n + i] - max);
          out[i * C + k] = e;
          s += e;
        }
        for (let k = 0; k < C; k++) out[i * C + k] /= s;
      }
    }
    return matrix(out, n, C, this.probaColumns());
  }

  protected getState(): PlainObject {
    return { classes: this.classes_!, ...modelToState(this.model_!) };
  }

  protected setState(state: PlainObject): void {
    const classes = readClasses(this.typeName, state);
    const nOut = classes.length === 2 ? 1 : classes.length;
    const model = modelFromState(state, this.typeName, (state.featureNamesIn as string[]).length, nOut);
    this.classes_ = classes;
    this.setModel(model, model.isCategorical.length);
  }
}

function lengthError(who: string, ny: number, nx: number): ValidationError {
  return new ValidationError(`${who}: validationSet.y has ${ny} values but validationSet.X has ${nx} rows.`, {
    field: 'validationSet.y',
    fix: 'pass one label per validation row',
  });
}

registerEstimator(HistGradientBoostingClassifier as never);
