/**
 * `trainTestSplit`: scikit-learn's `train_test_split` — sizes as `_validate_shuffle_split`
 * computes them, stratification as `StratifiedShuffleSplit` does it (class counts by
 * `_approximate_mode`), shuffling with Lathe's seeded {@link Rng}. Without shuffling the first
 * `nTrain` rows train and the next `nTest` test, exactly as scikit-learn.
 *
 * @module
 */

import { show, ValidationError } from '../core/errors.ts';
import { type Label, type TargetInput, targetValues } from '../core/labels.ts';
import { isMatrix, type Matrix, takeRows } from '../core/matrix.ts';
import { Rng } from '../core/rng.ts';
import { approximateMode } from '../data/split.ts';
import { Table } from '../data/table.ts';
import { classCodes, rowCount } from './split-input.ts';

/** Options of {@link trainTestSplit}. */
export interface TrainTestSplitOptions {
  /** A fraction in (0, 1) or a row count; default 0.25 when `trainSize` is not given either. */
  testSize?: number | null;
  /** A fraction in (0, 1) or a row count; default: the complement of `testSize`. */
  trainSize?: number | null;
  /** Shuffle before splitting (default true). Must be true to stratify. */
  shuffle?: boolean;
  /** Class labels to keep in proportion in both parts (often `y` itself). */
  stratify?: TargetInput | null;
  /** Seed of the shuffle (default 0). */
  seed?: number;
}

/** X and y split in two, with the row indices of each part (in the order the rows were drawn). */
export interface TrainTestSplitResult<X, Y> {
  XTrain: X;
  XTest: X;
  yTrain: Y | undefined;
  yTest: Y | undefined;
  trainIndex: Int32Array;
  testIndex: Int32Array;
}

type SplittableX = Matrix | Table | readonly (readonly number[])[];
type SplittableY = TargetInput;

/** The train and test sizes for `n` rows (scikit-learn's `_validate_shuffle_split`). */
export function splitSizes(
  n: number,
  testSize: number | null | undefined,
  trainSize: number | null | undefined,
  defaultTest = 0.25,
): { nTrain: number; nTest: number } {
  const test = testSize ?? (trainSize == null ? defaultTest : null);
  const check = (name: string, v: number | null): 'float' | 'int' | null => {
    if (v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new ValidationError(
        `trainTestSplit: ${name} must be a fraction in (0, 1) or a row count ≥ 1; got ${show(v)}.`,
        {
          field: name,
        },
      );
    }
    if (v < 1) return 'float';
    if (!Number.isInteger(v)) {
      throw new ValidationError(
        `trainTestSplit: ${name}=${v} is neither a fraction in (0, 1) nor a whole row count.`,
        {
          field: name,
        },
      );
    }
    if (v >= n) {
      throw new ValidationError(
        `trainTestSplit: ${name}=${v} should be smaller than the number of rows (${n}).`,
        {
          field: name,
          fix: `use a fraction, or a count below ${n}`,
        },
      );
    }
    return 'int';
  };
  const tt = check('testSize', test);
  const tr = check('trainSize', trainSize ?? null);
  if (tt === 'float' && tr === 'float' && test! + trainSize! > 1) {
    throw new ValidationError(`trainTestSplit: testSize + trainSize = ${test! + trainSize!} exceeds 1.`, {
      field: 'trainSize',
      fix: 'make the two fractions add up to at most 1',
    });
  }
  let nTest = tt === 'float' ? Math.ceil(test! * n) : tt === 'int' ? test! : Number.NaN;
  let nTrain = tr === 'float' ? Math.floor(trainSize! * n) : tr === 'int' ? trainSize! : Number.NaN;
  if (Number.isNaN(nTrain)) nTrain = n - nTest;
  else if (Number.isNaN(nTest)) nTest = n - nTrain;
  if (nTrain + nTest > n) {
    throw new ValidationError(
      `trainTestSplit: ${nTrain} train + ${nTest} test rows exceed the ${n} rows available.`,
      { field: 'trainSize', fix: 'reduce testSize or trainSize' },
    );
  }
  if (nTrain === 0 && tr === 'float') {
    // floor(trainSize · n) = 0: the fraction itself is too small, whatever testSize is.
    throw new ValidationError(
      `trainTestSplit: with ${n} rows and trainSize=${trainSize}, the training part would be empty.`,
      { field: 'trainSize', fix: `use a trainSize of at least 1/${n} (one row), or a row count` },
    );
  }
  if (nTrain === 0) {
    throw new ValidationError(
      `trainTestSplit: with ${n} rows and testSize=${test}, the training part would be empty.`,
      {
        field: 'testSize',
        fix: 'use a smaller testSize',
      },
    );
  }
  return { nTrain, nTest };
}

/**
 * Train and test row indices of `n` rows. Shuffled (the default) they come in the order drawn
 * (as scikit-learn returns them); unshuffled they are the first `nTrain` and the next `nTest` rows.
 */
export function trainTestIndices(
  n: number,
  options: Omit<TrainTestSplitOptions, 'stratify'> & { stratify?: TargetInput | null } = {},
): { train: Int32Array; test: Int32Array } {
  const { nTrain, nTest } = splitSizes(n, options.testSize, options.trainSize);
  const shuffle = options.shuffle ?? true;
  const rng = new Rng(options.seed ?? 0);
  if (!shuffle) {
    if (options.stratify != null) {
      throw new ValidationError('trainTestSplit: stratified splitting needs shuffle: true.', {
        field: 'shuffle',
        fix: 'drop shuffle: false, or drop stratify',
      });
    }
    const train = new Int32Array(nTrain);
    const test = new Int32Array(nTest);
    for (let i = 0; i < nTrain; i++) train[i] = i;
    for (let i = 0; i < nTest; i++) test[i] = nTrain + i;
    return { train, test };
  }
  if (options.stratify == null) {
    const p = rng.permutation(n);
    return { test: p.slice(0, nTest), train: p.slice(nTest, nTest + nTrain) };
  }
  const { codes, levels } = classCodes(options.stratify, n, 'trainTestSplit');
  const k = levels.length;
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) counts[codes[i]]++;
  for (let c = 0; c < k; c++) {
    if (counts[c] < 2) {
      throw new ValidationError(
        `trainTestSplit: the least populated class in stratify (${show(levels[c])}) has only ${counts[c]} member; stratifying needs at least 2 per class.`,
        { field: 'stratify', fix: 'merge or drop that class, or do not stratify' },
      );
    }
  }
  if (nTrain < k || nTest < k) {
    throw new ValidationError(
      `trainTestSplit: ${nTrain} train and ${nTest} test rows cannot hold each of the ${k} classes.`,
      { field: 'testSize', fix: `use sizes of at least ${k} rows on each side` },
    );
  }
  const byClass: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) byClass[codes[i]].push(i);
  const nI = approximateMode(counts, nTrain, rng);
  const left = Int32Array.from(counts, (c, i) => c - nI[i]);
  const tI = approximateMode(left, nTest, rng);
  const train: number[] = [];
  const test: number[] = [];
  for (let c = 0; c < k; c++) {
    const rows = byClass[c];
    const p = rng.permutation(rows.length);
    for (let t = 0; t < nI[c]; t++) train.push(rows[p[t]]);
    for (let t = nI[c]; t < nI[c] + tI[c]; t++) test.push(rows[p[t]]);
  }
  return { train: rng.shuffle(Int32Array.from(train)), test: rng.shuffle(Int32Array.from(test)) };
}

function takeX<X extends SplittableX>(X: X, idx: Int32Array): X {
  if (isMatrix(X)) return takeRows(X, idx) as X;
  if (X instanceof Table) return X.take(idx) as X;
  if (Array.isArray(X)) return Array.from(idx, (i) => X[i]) as unknown as X;
  throw new ValidationError('trainTestSplit: X must be a Matrix, a Table or an array of rows.', {
    field: 'X',
  });
}

function takeY(y: SplittableY, idx: Int32Array): SplittableY {
  if (y instanceof Float64Array) {
    const out = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = y[idx[i]];
    return out;
  }
  const v = targetValues(y);
  return Array.from(idx, (i) => v[i] as Label);
}

/**
 * Splits X (and y) into random train and test parts.
 *
 * @example
 * const { XTrain, XTest, yTrain, yTest } = trainTestSplit(X, y, { testSize: 0.2, stratify: y, seed: 42 });
 */
export function trainTestSplit<X extends SplittableX>(
  X: X,
  y?: SplittableY | null,
  options: TrainTestSplitOptions = {},
): TrainTestSplitResult<X, SplittableY> {
  const n = rowCount(X, 'trainTestSplit');
  if (y != null) {
    const len = targetValues(y).length;
    if (len !== n) {
      throw new ValidationError(`trainTestSplit: y has ${len} values but X has ${n} rows.`, {
        field: 'y',
        fix: 'pass one y value per row of X',
      });
    }
  }
  const { train, test } = trainTestIndices(n, options);
  return {
    XTrain: takeX(X, train),
    XTest: takeX(X, test),
    yTrain: y == null ? undefined : takeY(y, train),
    yTest: y == null ? undefined : takeY(y, test),
    trainIndex: train,
    testIndex: test,
  };
}
