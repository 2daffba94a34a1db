/**
 * `LogisticRegression`: binary, one-vs-rest and multinomial logistic regression with L2, L1,
 * elastic-net or no penalty — scikit-learn's estimator, parameters and defaults (camelCase).
 *
 * Solvers:
 * - `lbfgs` (the default for `l2` and `none`): the objective Σ sᵢ·loss + ½‖w‖²/C of scikit-learn
 *   1.2, minimised by an L-BFGS that follows SciPy's `fmin_l_bfgs_b` (see `lbfgs.ts`) with
 *   `gtol = tol`, so a converged fit stops where scikit-learn's does;
 * - `newton-cd` (the default for `l1` and `elasticnet`, also usable for `l2`/`none`): a proximal
 *   Newton method with coordinate descent (see `prox-newton.ts`). scikit-learn solves these
 *   penalties with `saga` (or `liblinear` for L1); all minimise the same objective, so the
 *   coefficients agree to the accuracy both solvers reach (see docs/models/linear.md).
 *
 * @module
 */

import { ValidationError } from '../../core/errors.ts';
import { registerEstimator } from '../../core/estimator.ts';
import { numericClasses, type PredictedLabels, type TargetInput } from '../../core/labels.ts';
import { assertFinite, type Matrix, type MatrixInput, matrix } from '../../core/matrix.ts';
import { type ParamsOf, p } from '../../core/params.ts';
import type { PlainObject } from '../../core/plain.ts';
import { executorFor } from '../../core/pool.ts';
import { checkLength, damagedState, readClasses } from '../../core/saved-state.ts';
import { unfilledInt32 } from '../../core/unfilled.ts';
import { warn } from '../../core/warnings.ts';
import { BaseClassifier, checkSampleWeight, classWeightVector } from '../base.ts';
import { assertFiniteScores } from './common.ts';
import { LINK_LOGISTIC, LINK_SOFTMAX } from './links.ts';
import { type LogisticData, LogisticObjective } from './logistic-loss.ts';
import { minimizeProxNewton } from './prox-newton.ts';
import { argmaxAll, labelAll, probaAll, scoreAll } from './scores.ts';

const schema = {
  penalty: p.oneOf(['l2', 'l1', 'elasticnet', 'none'] as const, {
    default: 'l2',
    doc: "the penalty: 'l2', 'l1', 'elasticnet' (needs l1Ratio) or 'none'",
  }),
  C: p.float({ gt: 0, default: 1, doc: 'inverse regularisation strength (smaller = stronger)' }),
  l1Ratio: p.nullable(p.float({ min: 0, max: 1 }), {
    default: null,
    doc: "elastic-net mixing, 0 = L2 … 1 = L1 (only with penalty 'elasticnet')",
  }),
  fitIntercept: p.bool({ default: true, doc: 'fit an intercept (never penalised)' }),
  classWeight: p.nullable(p.union([p.oneOf(['balanced'] as const), p.record(p.float({ min: 0 }))]), {
    default: null,
    doc: "weights per class: null, 'balanced' or { label: weight }",
  }),
  maxIter: p.int({ min: 1, default: 100, doc: 'maximum solver iterations' }),
  tol: p.float({ gt: 0, default: 1e-4, doc: 'stop when the largest (sub)gradient component is ≤ tol' }),
  multiClass: p.oneOf(['auto', 'ovr', 'multinomial'] as const, {
    default: 'auto',
    doc: "'auto' = multinomial for 3+ classes, one-vs-rest for 2",
  }),
  solver: p.oneOf(['auto', 'lbfgs', 'newton-cd'] as const, {
    default: 'auto',
    doc: "'auto' = lbfgs for l2/none, newton-cd for l1/elasticnet",
  }),
  nThreads: p.nullable(p.int({ min: 1 }), { default: null, doc: 'worker threads (null = all cores)' }),
};

/** Parameters of {@link LogisticRegression}. */
export type LogisticRegressionParams = ParamsOf<typeof schema>;

/** Options of {@link LogisticRegression.fit}. */
export interface LogisticFitOptions {
  /** One non-negative weight per row (multiplied by the class weights). */
  sampleWeight?: ArrayLike<number>;
}

/**
 * Logistic regression classifier (scikit-learn's `LogisticRegression`).
 *
 * ```ts
 * const model = new LogisticRegression({ C: 0.5 }).fit(X, y);
 * model.predict(X);        // labels
 * model.predictProba(X);   // Matrix, one column per class
 * model.coef_;             // one Float64Array per class vector
 * ```
 */
export class LogisticRegression extends BaseClassifier<LogisticRegressionParams> {
  static readonly typeName = 'LogisticRegression';
  static readonly schema = schema;

  /** Coefficients: one row per class (one row in total for a binary model), each of length p. */
  coef_: Float64Array[] | undefined = undefined;
  /** Intercepts, one per row of `coef_` (zeros when `fitIntercept` is false). */
  intercept_: Float64Array | undefined = undefined;
  /** Solver iterations: one entry per one-vs-rest problem, or one for binary/multinomial. */
  nIter_: Int32Array | undefined = undefined;
  /** Whether the fitted model is multinomial (softmax) rather than one-vs-rest. */
  multinomial_: boolean | undefined = undefined;

  constructor(params: Partial<LogisticRegressionParams> = {}) {
    super(params);
  }

  /** Fits the model; returns `this`. */
  fit(X: MatrixInput, y: TargetInput, options: LogisticFitOptions = {}): this {
    const m = this.startFit(X);
    // lbfgs checks X for NaN/∞ through its first gradient (see below); the other solver up front.
    const willCheckViaGradient =
      (this.params.solver === 'auto' || this.params.solver === 'lbfgs') &&
      (this.params.penalty === 'l2' || this.params.penalty === 'none');
    if (!willCheckViaGradient) assertFinite(m, this.typeName);
    const P = this.params;
    const codes = this.encodeTarget(y, m.rows);
    const classes = this.classes_!;
    const K = classes.length;
    const who = this.typeName;

    if (P.penalty === 'elasticnet' && P.l1Ratio === null) {
      throw new ValidationError(`${who}: penalty 'elasticnet' needs l1Ratio (a number in [0, 1]).`, {
        field: 'l1Ratio',
        fix: "pass l1Ratio, e.g. { penalty: 'elasticnet', l1Ratio: 0.5 }",
      });
    }
    const solver =
      P.solver === 'auto'
        ? P.penalty === 'l1' || P.penalty === 'elasticnet'
          ? 'newton-cd'
          : 'lbfgs'
        : P.solver;
    if (solver === 'lbfgs' && (P.penalty === 'l1' || P.penalty === 'elasticnet')) {
      throw new ValidationError(
        `${who}: solver 'lbfgs' supports only penalty 'l2' or 'none'; got '${P.penalty}'.`,
        {
          field: 'solver',
          fix: "use solver 'newton-cd' (or 'auto') for l1 and elasticnet",
        },
      );
    }
    const multinomial = P.multiClass === 'multinomial' || (P.multiClass === 'auto' && K > 2);

    const baseWeight = checkSampleWeight(options.sampleWeight, m.rows, who);
    const l1Ratio = P.penalty === 'l1' ? 1 : P.penalty === 'elasticnet' ? P.l1Ratio! : 0;
    const strength = P.penalty === 'none' ? 0 : 1 / P.C;
    const l1 = strength * l1Ratio;
    const l2 = strength * (1 - l1Ratio);
    const executor = executorFor(P.nThreads);
    const p = m.cols;
    const dof = p + (P.fitIntercept ? 1 : 0);
    // Per-row arrays go where X is: in shared memory when X is (the pool can then use them as they
    // are), else in ordinary memory.
    const sharedX = m.data.buffer instanceof SharedArrayBuffer;
    const rowArray = (length: number): Float64Array =>
      sharedX ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);

    const solve = (data: LogisticData): { w: Float64Array; nIter: number } => {
      const w0 = new Float64Array(data.nClasses * dof);
      if (solver === 'lbfgs') {
        const objective = new LogisticObjective(data, l2, executor);
        // At w = 0 every row's pointwise gradient is non-zero (±1/2 times its weight, or a weight
        // of 0 times a value), so a NaN or ±∞ anywhere in X makes the first gradient non-finite:
        // that evaluation doubles as the input check, and the error then names the column.
        const g0 = new Float64Array(w0.length);
        const f0 = objective.evaluate(w0, g0);
        let finite = f0 - f0 === 0;
        for (let j = 0; j < g0.length && finite; j++) finite = g0[j] - g0[j] === 0;
        if (!finite) assertFinite(m, who);
        const r = objective.minimize(w0, {
          maxIter: P.maxIter,
          pgtol: P.tol,
          initial: { f: f0, grad: g0 },
        });
        if (!r.converged) {
          const status =
            r.status === 'maxIter' ? 'the iteration limit was reached' : 'the line search failed';
          warn(
            'ConvergenceWarning',
            `${who}: lbfgs failed to converge (${status} after ${r.nIter} iterations). Increase maxIter or scale the data (e.g. StandardScaler in a Pipeline).`,
          );
        }
        return { w: r.x, nIter: r.nIter };
      }
      const r = minimizeProxNewton(data, w0, { l1, l2, maxIter: P.maxIter, tol: P.tol });
      if (!r.converged) {
        warn(
          'ConvergenceWarning',
          `${who}: newton-cd did not reach tol=${P.tol} after ${r.nIter} iterations (optimality ${r.optimality.toExponential(2)}). Increase maxIter or scale the data.`,
        );
      }
      return { w: r.w, nIter: r.nIter };
    };

    const coef: Float64Array[] = [];
    const intercept: number[] = [];
    const nIter: number[] = [];
    const takeRow = (w: Float64Array, k: number) => {
      coef.push(w.slice(k * dof, k * dof + p));
      intercept.push(P.fitIntercept ? w[k * dof + p] : 0);
    };

    if (multinomial) {
      // Row weights only when there are sample or class weights (the loss skips them otherwise).
      let sw: Float64Array | null = null;
      if (baseWeight !== undefined || P.classWeight !== null) {
        const cw = classWeightVector(P.classWeight, codes, classes, who);
        sw = rowArray(m.rows);
        for (let i = 0; i < m.rows; i++)
          sw[i] = (baseWeight === undefined ? 1 : baseWeight[i]) * cw[codes[i]];
      }
      const data: LogisticData = {
        X: m.data,
        n: m.rows,
        p,
        y: rowArray(m.rows),
        sw,
        nClasses: K,
        fitIntercept: P.fitIntercept,
      };
      data.y.set(codes);
      const { w, nIter: it } = solve(data);
      if (solver === 'newton-cd' && P.fitIntercept) centerIntercepts(w, K, dof, p);
      if (K === 2) {
        // Two classes are predicted from one row, w₁, as softmax(−w₁·x, w₁·x): scikit-learn's
        // binary multinomial form, which assumes w₀ = −w₁. The L2 part of a penalty makes the
        // optimum so (lbfgs keeps row 1, as scikit-learn does), but pure L1 does not fix how the
        // logit difference d = w₁ − w₀ is split between the rows (|w₀| + |w₁| = |d| for every split
        // of opposite signs), and newton-cd may stop at an uneven one: keep d / 2.
        if (solver === 'newton-cd') symmetrizeBinary(w, dof);
        takeRow(w, 1);
      } else for (let k = 0; k < K; k++) takeRow(w, k);
      nIter.push(it);
    } else {
      // One-vs-rest: one binary problem per class (only the positive class when K = 2).
      const dictWeights =
        P.classWeight !== null && P.classWeight !== 'balanced'
          ? classWeightVector(P.classWeight, codes, classes, who)
          : null;
      const positives = K === 2 ? [1] : classes.map((_, k) => k);
      for (const pos of positives) {
        const yBin = rowArray(m.rows);
        // Binary: the codes are the 0/1 labels already, converted by a builtin copy (a JavaScript
        // loop over every row runs interpreted in a process's first fit).
        if (K === 2) yBin.set(codes);
        else for (let i = 0; i < m.rows; i++) yBin[i] = codes[i] === pos ? 1 : 0;
        let sw: Float64Array | null = null;
        if (baseWeight !== undefined || P.classWeight !== null) {
          sw = rowArray(m.rows);
          for (let i = 0; i < m.rows; i++) {
            sw[i] =
              (baseWeight === undefined ? 1 : baseWeight[i]) * (dictWeights ? dictWeights[codes[i]] : 1);
          }
          if (P.classWeight === 'balanced') {
            // scikit-learn balances the masked (rest/positive) labels of each problem.
            const binCodes = Int32Array.from(yBin);
            const bw = classWeightVector('balanced', binCodes, [0, 1], who);
            for (let i = 0; i < m.rows; i++) sw[i] *= bw[binCodes[i]];
          }
        }
        const data: LogisticData = {
          X: m.data,
          n: m.rows,
          p,
          y: yBin,
          sw,
          nClasses: 1,
          fitIntercept: P.fitIntercept,
        };
        const { w, nIter: it } = solve(data);
        takeRow(w, 0);
        nIter.push(it);
      }
    }
    this.coef_ = coef;
    this.intercept_ = Float64Array.from(intercept);
    this.nIter_ = Int32Array.from(nIter);
    this.multinomial_ = multinomial;
    return this.finishFit(m);
  }

  /** The coefficient rows stacked into one row-major array (rows × p). */
  private stackedCoef(p: number): Float64Array {
    const coef = this.coef_!;
    const W = new Float64Array(coef.length * p);
    coef.forEach((row, k) => W.set(row, k * p));
    return W;
  }

  /**
   * Confidence scores X·wₖ + bₖ: one column per class, or for a binary model a single column
   * (the score of the second class, positive means that class — scikit-learn's 1-D output).
   */
  decisionFunction(X: MatrixInput): Matrix {
    const m = this.checkInput(X, 'decisionFunction');
    const rowsK = this.coef_!.length;
    const { rows: n, cols: p } = m;
    const executor = executorFor(this.params.nThreads);
    const out = scoreAll(m.data, n, p, this.stackedCoef(p), this.intercept_!, rowsK, executor);
    assertFiniteScores(out, m, this.typeName);
    const names = rowsK === 1 ? [String(this.classes_![1])] : this.probaColumns();
    return matrix(out, n, rowsK, names);
  }

  /**
   * The index into `classes_` of each row's class: the highest score (a binary model predicts the
   * second class when its score is > 0; ties go to the first class, as scikit-learn's argmax of
   * `decision_function`). The scores are computed a chunk of rows at a time (no n × K score matrix
   * is made) and each row's class index is written straight into the output.
   */
  protected override codesOf(m: Matrix): Int32Array {
    const out = unfilledInt32(m.rows); // argmaxAll hands over every row's code
    const finite = argmaxAll(
      m.data,
      m.rows,
      m.cols,
      this.stackedCoef(m.cols),
      this.intercept_!,
      this.coef_!.length,
      (codes, first) => out.set(codes, first),
    );
    if (!finite) assertFinite(m, this.typeName);
    return out;
  }

  /**
   * Numeric classes are written by the scoring kernel itself (the class of each row's code looked
   * up as it goes), with no array of codes and no pass over them in JavaScript; other classes go
   * through {@link LogisticRegression.codesOf}.
   */
  protected override labelsOf(m: Matrix): PredictedLabels {
    const classes = this.classes_!;
    if (!numericClasses(classes)) return super.labelsOf(m);
    const { labels, finite } = labelAll(
      m.data,
      m.rows,
      m.cols,
      this.stackedCoef(m.cols),
      this.intercept_!,
      this.coef_!.length,
      Float64Array.from(classes as readonly number[]),
    );
    if (!finite) assertFinite(m, this.typeName);
    return labels;
  }

  /**
   * Class probabilities: softmax of the scores (multinomial) or the logistic function of each
   * score, normalised to sum to one over 3+ classes (one-vs-rest); for a binary one-vs-rest model
   * (1 − σ(d), σ(d)) as scikit-learn writes it. Computed a chunk of rows at a time straight into
   * the probability matrix (see `links.ts` for the formulas).
   */
  predictProba(X: MatrixInput): Matrix {
    const m = this.checkInput(X, 'predictProba');
    const { rows: n, cols: p } = m;
    const K = this.classes_!.length;
    const { proba, finite } = probaAll(
      m.data,
      n,
      p,
      this.stackedCoef(p),
      this.intercept_!,
      this.coef_!.length,
      this.multinomial_! ? LINK_SOFTMAX : LINK_LOGISTIC,
      executorFor(this.params.nThreads),
    );
    if (!finite) assertFinite(m, this.typeName);
    return matrix(proba, n, K, this.probaColumns());
  }

  /** Natural logarithm of {@link LogisticRegression.predictProba}. */
  predictLogProba(X: MatrixInput): Matrix {
    const P = this.predictProba(X);
    const out = new Float64Array(P.data.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.log(P.data[i]);
    return matrix(out, P.rows, P.cols, P.columns);
  }

  protected getState(): PlainObject {
    return {
      classes: this.classes_!,
      coef: this.coef_!,
      intercept: this.intercept_!,
      nIter: this.nIter_!,
      multinomial: this.multinomial_!,
    };
  }

  /**
   * Checks the saved shapes: one coefficient row per class (one row for two classes) of one value
   * per input feature, one intercept per row, and labels for classes, so that a damaged or edited
   * package is refused rather than predicting wrong or crashing in the scoring kernel.
   */
  protected setState(state: PlainObject): void {
    const who = this.typeName;
    const classes = readClasses(who, state);
    const rows = classes.length === 2 ? 1 : classes.length;
    const nFeatures = (state.featureNamesIn as string[]).length;
    const coef = state.coef;
    if (!Array.isArray(coef) || !coef.every((r) => r instanceof Float64Array)) {
      throw damagedState(who, 'coef', 'is missing or not an array of Float64Array rows');
    }
    checkLength(
      who,
      'coef',
      coef,
      rows,
      `one row per class, one in all for two classes; ${classes.length} classes`,
    );
    for (const r of coef as Float64Array[])
      checkLength(who, 'coef', r, nFeatures, 'one per input feature in each row');
    const intercept = state.intercept;
    if (!(intercept instanceof Float64Array))
      throw damagedState(who, 'intercept', 'is missing or not a Float64Array');
    checkLength(who, 'intercept', intercept, rows, 'one per row of coef');
    if (!(state.nIter instanceof Int32Array))
      throw damagedState(who, 'nIter', 'is missing or not an Int32Array');
    if (typeof state.multinomial !== 'boolean')
      throw damagedState(who, 'multinomial', 'is not true or false');
    this.classes_ = classes;
    this.coef_ = coef as Float64Array[];
    this.intercept_ = intercept;
    this.nIter_ = state.nIter;
    this.multinomial_ = state.multinomial;
  }
}

/** Shifts the intercepts of a multinomial model to sum to zero (the loss is unchanged). */
function centerIntercepts(w: Float64Array, K: number, dof: number, p: number): void {
  let mean = 0;
  for (let k = 0; k < K; k++) mean += w[k * dof + p];
  mean /= K;
  for (let k = 0; k < K; k++) w[k * dof + p] -= mean;
}

/**
 * Rewrites a two-row multinomial solution (w₀, w₁) as (−d/2, d/2) with d = w₁ − w₀: the same
 * probabilities, in the form whose row 1 alone predicts.
 */
function symmetrizeBinary(w: Float64Array, dof: number): void {
  for (let j = 0; j < dof; j++) {
    const half = (w[dof + j] - w[j]) / 2;
    w[j] = -half;
    w[dof + j] = half;
  }
}

registerEstimator(LogisticRegression);
