/**
 * `TargetEncoder`: replaces each category by a shrunk estimate of the target mean within it, with
 * the semantics of scikit-learn 1.3's `TargetEncoder` (Micci-Barreca 2001):
 *
 * - `smooth: 'auto'` (empirical Bayes): for a category with `n` rows, mean `m` and within-category
 *   sum of squares `S`, and a target of mean `μ` and variance `σ²`,
 *   `λ = σ²·n / (σ²·n + S/n)` and the encoding is `λ·m + (1 − λ)·μ` (μ when λ is undefined);
 * - `smooth: s` (a number ≥ 0): `(Σy + s·μ) / (n + s)`;
 * - binary targets encode the probability of the second class (classes sorted), continuous ones
 *   the mean; multiclass targets give one column per class (`city_A`, `city_B`, …), one-vs-rest;
 * - `fitTransform` *cross-fits*: the rows are split into `cv` folds (stratified for classes,
 *   shuffled with `seed`) and each fold is encoded with encodings learnt on the other folds — so
 *   `fitTransform(X, y)` differs from `fit(X, y).transform(X)`, on purpose (no target leakage);
 * - `transform` uses the encodings learnt on all of the training data; a category not seen in fit
 *   encodes as the target mean. A missing value is a category like any other.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { registerEstimator } from '../core/estimator.ts';
import { asNumericTarget, encodeLabels, type Label, type TargetInput, targetValues } from '../core/labels.ts';
import { type Matrix, matrix } from '../core/matrix.ts';
import { type ParamsOf, p } from '../core/params.ts';
import type { PlainObject, PlainValue } from '../core/plain.ts';
import { checkLength, damagedState, readClasses, readVector } from '../core/saved-state.ts';
import type { Table } from '../data/table.ts';
import { TableTransformer } from './base.ts';
import {
  assertFiniteCategories,
  type Category,
  categoriesSpec,
  fitCategories,
  indexCategories,
  readCategoryLists,
} from './categories.ts';
import { kFoldAssignment, stratifiedFoldAssignment } from './cross-fit-folds.ts';
import type { DataInput } from './input.ts';
import { readArray } from './state.ts';

const schema = {
  categories: categoriesSpec,
  targetType: p.oneOf(['auto', 'continuous', 'binary', 'multiclass'] as const, {
    default: 'auto',
    doc: "the kind of target; 'auto' infers it as scikit-learn's type_of_target",
  }),
  smooth: p.union([p.oneOf(['auto'] as const), p.float({ min: 0 })], {
    default: 'auto',
    doc: "shrinkage towards the global mean: 'auto' (empirical Bayes) or a number ≥ 0",
  }),
  cv: p.int({ min: 2, default: 5, doc: 'number of cross-fitting folds in fitTransform' }),
  shuffle: p.bool({ default: true, doc: 'shuffle the rows before cutting the folds' }),
  seed: p.int({ min: 0, default: 0, doc: 'seed of the fold shuffle' }),
};

/** Parameters of {@link TargetEncoder}. */
export type TargetEncoderParams = ParamsOf<typeof schema>;

/** The kinds of target TargetEncoder handles. */
export type TargetKind = 'continuous' | 'binary' | 'multiclass';

/**
 * Target-encodes categorical columns (for high-cardinality categories, where one-hot is too wide).
 *
 * @example
 * ```ts
 * const enc = new TargetEncoder({ seed: 42 });
 * const Xtrain = enc.fitTransform(train, yTrain); // cross-fitted
 * const Xtest = enc.transform(test);              // encodings from all training rows
 * ```
 */
export class TargetEncoder extends TableTransformer<TargetEncoderParams> {
  static readonly typeName = 'TargetEncoder';
  static readonly schema = schema;

  /** The categories of each column (sorted; null = missing, last). */
  categories_: Category[][] | undefined = undefined;
  /**
   * Encodings learnt on all the training rows: one array per column (per column and class for
   * multiclass targets, ordered column-major: f0_c0, f0_c1, …, f1_c0, …), aligned with `categories_`.
   */
  encodings_: Float64Array[] | undefined = undefined;
  /** The target kind used. */
  targetType_: TargetKind | undefined = undefined;
  /** The target mean (one per class for multiclass targets). */
  targetMean_: Float64Array | undefined = undefined;
  /** The classes (binary and multiclass targets), sorted; null for continuous targets. */
  classes_: Label[] | null | undefined = undefined;

  constructor(params: Partial<TargetEncoderParams> = {}) {
    super(params);
  }

  /** Learns the encodings on all rows of (X, y). */
  fit(X: DataInput, y?: TargetInput): this {
    this.fitAll(X, y);
    return this;
  }

  /** Cross-fitted encoding of the training rows (see the module notes); also fits. */
  override fitTransform(X: DataInput, y?: TargetInput): Matrix {
    const { t, idx, Y, nCats } = this.fitAll(X, y);
    const n = t.nRows;
    const k = this.classes_ && this.targetType_ === 'multiclass' ? this.classes_.length : 1;
    const { cv, shuffle, seed } = this.params;
    const folds =
      this.targetType_ === 'continuous'
        ? kFoldAssignment(n, cv, shuffle, seed, this.typeName)
        : stratifiedFoldAssignment(this.classCodes!, this.classes_!.length, cv, shuffle, seed, this.typeName);
    this.classCodes = undefined;
    return this.crossFit(t, idx, Y, nCats, k, folds);
  }

  /**
   * Encodes the rows of each fold with encodings learnt on the other folds. Exposed for tests and
   * for callers that bring their own folds (`folds[i]` = the fold of row i, 0..cv-1).
   */
  crossFitWithFolds(X: DataInput, y: TargetInput, folds: Int32Array): Matrix {
    const { t, idx, Y, nCats } = this.fitAll(X, y);
    this.classCodes = undefined;
    if (folds.length !== t.nRows) {
      throw new ValidationError(
        `TargetEncoder: folds has ${folds.length} entries but X has ${t.nRows} rows.`,
        {
          field: 'folds',
        },
      );
    }
    const k = this.targetType_ === 'multiclass' ? this.classes_!.length : 1;
    return this.crossFit(t, idx, Y, nCats, k, folds);
  }

  /** Encodes X with the encodings learnt on all the training rows. */
  transform(X: DataInput): Matrix {
    const t = this.transformTableInput(X);
    assertFiniteCategories(t.columns, `${this.typeName}.transform`);
    const n = t.nRows;
    const d = t.nCols;
    const k = this.targetType_ === 'multiclass' ? this.classes_!.length : 1;
    const width = d * k;
    const out = new Float64Array(n * width);
    t.columns.forEach((c, j) => {
      const idx = indexCategories(c, this.categories_![j]);
      for (let cls = 0; cls < k; cls++) {
        const enc = this.encodings_![j * k + cls];
        const mean = this.targetMean_![cls];
        const col = j * k + cls;
        for (let i = 0; i < n; i++) {
          const q = idx[i];
          out[i * width + col] = q < 0 ? mean : enc[q];
        }
      }
    });
    return matrix(out, n, width, this.getFeatureNamesOut());
  }

  /** The input names; for multiclass targets `column_class` for each class. */
  getFeatureNamesOut(): string[] {
    this.assertFitted('getFeatureNamesOut');
    if (this.targetType_ !== 'multiclass') return [...this.featureNamesIn_!];
    return this.featureNamesIn_!.flatMap((name) => this.classes_!.map((c) => `${name}_${c}`));
  }

  /** Class codes of the last fit, kept only between fitAll and the fold assignment. */
  private classCodes: Int32Array | undefined;

  private fitAll(
    X: DataInput,
    y: TargetInput | undefined,
  ): { t: Table; idx: Int32Array[]; Y: Float64Array[]; nCats: number[] } {
    const t = this.fitTable(X);
    if (y === undefined) {
      throw new ValidationError('TargetEncoder.fit needs the target y.', {
        field: 'y',
        fix: 'call fit(X, y) / fitTransform(X, y) with one target value per row',
      });
    }
    const n = t.nRows;
    const found = fitCategories(this.typeName, t.columns, this.params.categories, false);
    const kind = this.params.targetType === 'auto' ? inferTargetKind(y, n) : this.params.targetType;
    let Y: Float64Array[];
    let classes: Label[] | null = null;
    if (kind === 'continuous') {
      Y = [asNumericTarget(y, n, this.typeName)];
      this.classCodes = undefined;
    } else {
      const { codes, classes: cls } = encodeLabels(y, n, this.typeName);
      classes = cls;
      this.classCodes = codes;
      if (kind === 'binary') {
        if (cls.length > 2) {
          throw new ValidationError(
            `TargetEncoder: targetType is 'binary' but y has ${cls.length} classes.`,
            { field: 'targetType', fix: "use targetType 'multiclass' or 'auto'" },
          );
        }
        Y = [Float64Array.from(codes)];
      } else {
        Y = cls.map((_, c) => {
          const col = new Float64Array(n);
          for (let i = 0; i < n; i++) col[i] = codes[i] === c ? 1 : 0;
          return col;
        });
      }
    }
    const idx = t.columns.map((c, j) => indexCategories(c, found[j].categories));
    const nCats = found.map((f) => f.categories.length);
    const all = new Int32Array(n).fill(-1); // no row excluded
    const means = new Float64Array(Y.length);
    const encodings: Float64Array[] = [];
    Y.forEach((yc, c) => (means[c] = meanOf(yc, all, -2)));
    for (let j = 0; j < idx.length; j++) {
      for (let c = 0; c < Y.length; c++) {
        encodings.push(encodeColumn(idx[j], Y[c], all, -2, nCats[j], this.params.smooth, means[c]));
      }
    }
    this.categories_ = found.map((f) => f.categories);
    this.encodings_ = encodings;
    this.targetType_ = kind;
    this.targetMean_ = means;
    this.classes_ = classes;
    this.finishTable(t);
    return { t, idx, Y, nCats };
  }

  private crossFit(
    t: Table,
    idx: Int32Array[],
    Y: Float64Array[],
    nCats: number[],
    k: number,
    folds: Int32Array,
  ): Matrix {
    const n = t.nRows;
    const d = t.nCols;
    const width = d * k;
    const out = new Float64Array(n * width);
    let nFolds = 0;
    for (let i = 0; i < n; i++) nFolds = Math.max(nFolds, folds[i] + 1);
    for (let f = 0; f < nFolds; f++) {
      for (let c = 0; c < Y.length; c++) {
        const mean = meanOf(Y[c], folds, f);
        for (let j = 0; j < d; j++) {
          const enc = encodeColumn(idx[j], Y[c], folds, f, nCats[j], this.params.smooth, mean);
          const col = j * k + c;
          const codes = idx[j];
          for (let i = 0; i < n; i++) {
            if (folds[i] !== f) continue;
            const q = codes[i];
            out[i * width + col] = q < 0 ? mean : enc[q];
          }
        }
      }
    }
    return matrix(out, n, width, this.getFeatureNamesOut());
  }

  protected getState(): PlainObject {
    return {
      ...this.tableState(),
      categories: this.categories_! as PlainValue[],
      encodings: this.encodings_!,
      targetType: this.targetType_!,
      targetMean: this.targetMean_!,
      classes: this.classes_ ?? null,
    };
  }

  /**
   * Checks one input type and one category list per input column (see `readCategoryLists`), a
   * known target kind with its classes (none for a continuous target, one or two for a binary one,
   * at least one for a multiclass one), one encoding per column (and class, for multiclass) with
   * one value per category, and one target mean per encoded class. A damaged or edited package is
   * refused rather than encoding with another column's values or past a list's end. (The values
   * themselves may be infinite or NaN: a fit whose target sums overflow gives them.)
   */
  protected setState(s: PlainObject): void {
    const who = this.typeName;
    const width = (s.featureNamesIn as string[]).length;
    this.restoreTableState(s);
    const cats = readCategoryLists(who, s.categories, width);
    const kind = s.targetType;
    if (kind !== 'continuous' && kind !== 'binary' && kind !== 'multiclass') {
      throw damagedState(
        who,
        'targetType',
        `is ${JSON.stringify(kind) ?? 'missing'}, not 'continuous', 'binary' or 'multiclass'`,
      );
    }
    let classes: Label[] | null = null;
    if (kind === 'continuous') {
      if (s.classes !== null)
        throw damagedState(who, 'classes', 'is saved for a continuous target, which has none');
    } else {
      classes = readClasses(who, s, 1);
      if (kind === 'binary' && classes.length > 2) {
        throw damagedState(who, 'classes', `has ${classes.length} labels, more than a binary target's 2`);
      }
    }
    const k = kind === 'multiclass' ? classes!.length : 1;
    const encodings = readArray<Float64Array>(
      this,
      s,
      'encodings',
      (x) => x instanceof Float64Array,
      'a list of Float64Arrays',
    );
    const per = k === 1 ? 'one per input column' : `one per input column and class; ${k} classes`;
    checkLength(who, 'encodings', encodings, width * k, per);
    encodings.forEach((e, i) => {
      const j = Math.floor(i / k);
      checkLength(
        who,
        'encodings',
        e,
        cats[j].length,
        `encoding ${i}: one per category of input column ${j}`,
      );
    });
    this.targetMean_ = readVector(
      who,
      'targetMean',
      s.targetMean,
      k,
      k === 1 ? 'one target mean' : 'one per class',
    );
    this.categories_ = cats;
    this.targetType_ = kind;
    this.encodings_ = encodings;
    this.classes_ = classes;
  }
}

/** Mean of `y` over the rows whose fold is not `exclude`. */
function meanOf(y: Float64Array, folds: Int32Array, exclude: number): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < y.length; i++) {
    if (folds[i] === exclude) continue;
    s += y[i];
    n++;
  }
  return s / n;
}

/**
 * Encodings of the `nCats` categories of one column from the rows whose fold is not `exclude`
 * (codes −1 — values outside the categories — are not counted). See the module notes for the
 * formulas; they follow scikit-learn's `_fit_encoding_fast(_auto_smooth)`.
 */
function encodeColumn(
  codes: Int32Array,
  y: Float64Array,
  folds: Int32Array,
  exclude: number,
  nCats: number,
  smooth: 'auto' | number,
  yMean: number,
): Float64Array {
  const n = codes.length;
  const enc = new Float64Array(nCats);
  if (smooth === 'auto') {
    let m = 0;
    let sq = 0;
    // Variance of y over the included rows (population), for the prior.
    for (let i = 0; i < n; i++) {
      if (folds[i] === exclude) continue;
      const dlt = y[i] - yMean;
      sq += dlt * dlt;
      m++;
    }
    const yVar = sq / m;
    const sums = new Float64Array(nCats);
    const counts = new Float64Array(nCats);
    for (let i = 0; i < n; i++) {
      const q = codes[i];
      if (q < 0 || folds[i] === exclude) continue;
      sums[q] += y[i];
      counts[q]++;
    }
    for (let q = 0; q < nCats; q++) sums[q] /= counts[q]; // now the category means
    const ssd = new Float64Array(nCats);
    for (let i = 0; i < n; i++) {
      const q = codes[i];
      if (q < 0 || folds[i] === exclude) continue;
      const dlt = y[i] - sums[q];
      ssd[q] += dlt * dlt;
    }
    for (let q = 0; q < nCats; q++) {
      const lambda = (yVar * counts[q]) / (yVar * counts[q] + ssd[q] / counts[q]);
      enc[q] = Number.isNaN(lambda) ? yMean : lambda * sums[q] + (1 - lambda) * yMean;
    }
    return enc;
  }
  const sums = new Float64Array(nCats).fill(smooth * yMean);
  const counts = new Float64Array(nCats).fill(smooth);
  for (let i = 0; i < n; i++) {
    const q = codes[i];
    if (q < 0 || folds[i] === exclude) continue;
    sums[q] += y[i];
    counts[q]++;
  }
  for (let q = 0; q < nCats; q++) enc[q] = counts[q] === 0 ? yMean : sums[q] / counts[q];
  return enc;
}

/**
 * The kind of a target, as scikit-learn's `type_of_target`: labels that are strings or booleans,
 * or numbers that are all integers, are `binary` (at most two values) or `multiclass`; numbers with
 * a fractional part are `continuous`.
 */
export function inferTargetKind(y: TargetInput, n: number): TargetKind {
  const v = targetValues(y);
  if (v.length !== n) {
    throw new ValidationError(`TargetEncoder: y has ${v.length} values but X has ${n} rows.`, { field: 'y' });
  }
  const seen = new Set<unknown>();
  let allIntegers = true;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x === null || x === undefined || (typeof x === 'number' && !Number.isFinite(x))) {
      throw new ValidationError(
        `TargetEncoder: y[${i}] is ${x === null || x === undefined ? 'missing' : x}; every row needs a finite target.`,
        { field: 'y', fix: 'drop rows whose target is missing before fitting' },
      );
    }
    if (typeof x === 'number') {
      if (!Number.isInteger(x)) allIntegers = false;
    } else if (typeof x !== 'string' && typeof x !== 'boolean') {
      throw new ValidationError(
        `TargetEncoder: y[${i}] is a ${typeof x}; targets are numbers, strings or booleans.`,
        {
          field: 'y',
        },
      );
    }
    if (seen.size <= 2) seen.add(typeof x === 'boolean' ? String(x) : x);
  }
  if (!allIntegers) return 'continuous';
  return seen.size <= 2 ? 'binary' : 'multiclass';
}

registerEstimator(TargetEncoder);
