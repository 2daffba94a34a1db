/**
 * Cross-validation splitters with scikit-learn 1.2's semantics: `KFold`, `StratifiedKFold`,
 * `GroupKFold`, `TimeSeriesSplit`, `RepeatedKFold` and `RepeatedStratifiedKFold`.
 *
 * Unshuffled splitters give exactly scikit-learn's folds, index for index. Shuffled ones use
 * Lathe's seeded {@link Rng} (so the same seed gives the same folds on every machine and thread
 * count), not NumPy's generator: the folds have the same sizes and class balance as
 * scikit-learn's, but different rows.
 *
 * Every splitter returns an array of {@link Fold}s; indices are `Int32Array`s sorted ascending.
 *
 * @module
 */

import { show, ValidationError } from '../core/errors.ts';
import type { TargetInput } from '../core/labels.ts';
import { Rng } from '../core/rng.ts';
import { warn } from '../core/warnings.ts';
import { numpyArgsort } from './numpy-argsort.ts';
import { classCodes, groupCodes, rowCount, type SplitX } from './split-input.ts';

/** One train/test split: row indices, each sorted ascending. */
export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

/** A cross-validation strategy (the swap point for `cv`). */
export interface Splitter {
  /** A short description, e.g. "StratifiedKFold(nSplits=5)". */
  readonly name: string;
  /** Whether `split` needs `groups`. */
  readonly needsGroups?: boolean;
  /** The folds of `X` (a row count, Matrix, Table or array); `y` for stratification, `groups` for group splits. */
  split(X: SplitX, y?: TargetInput, groups?: ArrayLike<unknown>): Fold[];
  /** How many folds `split` returns. */
  getNSplits(X?: SplitX, y?: TargetInput, groups?: ArrayLike<unknown>): number;
}

function checkNSplits(who: string, nSplits: unknown, min = 2): number {
  if (!Number.isInteger(nSplits) || (nSplits as number) < min) {
    throw new ValidationError(`${who}: nSplits must be an integer ≥ ${min}; got ${show(nSplits)}.`, {
      field: 'nSplits',
      fix: 'use e.g. nSplits: 5',
    });
  }
  return nSplits as number;
}

function checkSeed(who: string, seed: unknown): number {
  if (!Number.isSafeInteger(seed) || (seed as number) < 0) {
    throw new ValidationError(`${who}: seed must be a non-negative integer; got ${show(seed)}.`, {
      field: 'seed',
    });
  }
  return seed as number;
}

/** Folds from a test-fold label per row (rows with label f are the test rows of fold f). */
export function foldsFromAssignment(testFold: Int32Array, nSplits: number): Fold[] {
  const n = testFold.length;
  const sizes = new Int32Array(nSplits);
  for (let i = 0; i < n; i++) if (testFold[i] >= 0) sizes[testFold[i]]++;
  const folds: Fold[] = [];
  for (let f = 0; f < nSplits; f++) {
    const test = new Int32Array(sizes[f]);
    const train = new Int32Array(n - sizes[f]);
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      if (testFold[i] === f) test[a++] = i;
      else train[b++] = i;
    }
    folds.push({ train, test });
  }
  return folds;
}

/** Options of {@link KFold}. */
export interface KFoldOptions {
  /** Number of folds, ≥ 2 (default 5). */
  nSplits?: number;
  /** Shuffle the rows before cutting them into folds (default false: contiguous folds). */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0); only used with `shuffle`. */
  seed?: number;
}

/**
 * K-fold: consecutive folds (the first `n mod k` one row larger), optionally after a seeded shuffle.
 *
 * @example
 * new KFold({ nSplits: 3 }).split(10); // tests: [0..3], [4..6], [7..9]
 */
export class KFold implements Splitter {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly seed: number;

  constructor(options: KFoldOptions = {}) {
    this.nSplits = checkNSplits('KFold', options.nSplits ?? 5);
    this.shuffle = options.shuffle ?? false;
    this.seed = checkSeed('KFold', options.seed ?? 0);
  }

  get name(): string {
    return `KFold(nSplits=${this.nSplits}${this.shuffle ? `, shuffle, seed=${this.seed}` : ''})`;
  }

  getNSplits(): number {
    return this.nSplits;
  }

  split(X: SplitX): Fold[] {
    return kFold(rowCount(X, 'KFold'), this.nSplits, this.shuffle ? new Rng(this.seed) : null, 'KFold');
  }
}

function kFold(n: number, k: number, rng: Rng | null, who: string): Fold[] {
  if (k > n) {
    throw new ValidationError(`${who}: cannot have nSplits=${k} greater than the number of rows (${n}).`, {
      field: 'nSplits',
      fix: `use nSplits ≤ ${n}`,
    });
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (rng) rng.shuffle(order);
  const testFold = new Int32Array(n);
  const base = Math.floor(n / k);
  const extra = n % k;
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = base + (f < extra ? 1 : 0);
    for (let r = start; r < start + size; r++) testFold[order[r]] = f;
    start += size;
  }
  return foldsFromAssignment(testFold, k);
}

/** Options of {@link StratifiedKFold}. */
export type StratifiedKFoldOptions = KFoldOptions;

/**
 * Stratified k-fold: each fold keeps the class proportions of `y` (scikit-learn 1.2's
 * `_make_test_folds`: classes renumbered by first appearance, rows dealt round-robin over the
 * sorted labels, each class's rows assigned to folds in blocks — shuffled within the class with
 * `shuffle`).
 */
export class StratifiedKFold implements Splitter {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly seed: number;

  constructor(options: StratifiedKFoldOptions = {}) {
    this.nSplits = checkNSplits('StratifiedKFold', options.nSplits ?? 5);
    this.shuffle = options.shuffle ?? false;
    this.seed = checkSeed('StratifiedKFold', options.seed ?? 0);
  }

  get name(): string {
    return `StratifiedKFold(nSplits=${this.nSplits}${this.shuffle ? `, shuffle, seed=${this.seed}` : ''})`;
  }

  getNSplits(): number {
    return this.nSplits;
  }

  split(X: SplitX, y?: TargetInput): Fold[] {
    const n = rowCount(X, 'StratifiedKFold');
    const testFold = stratifiedTestFolds(
      n,
      y,
      this.nSplits,
      this.shuffle ? new Rng(this.seed) : null,
      'StratifiedKFold',
    );
    return foldsFromAssignment(testFold, this.nSplits);
  }
}

function stratifiedTestFolds(
  n: number,
  y: TargetInput | undefined,
  k: number,
  rng: Rng | null,
  who: string,
): Int32Array {
  const { codes } = classCodes(y, n, who);
  // Renumber classes by order of first appearance.
  const perm = new Int32Array(n).fill(-1);
  const enc = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    if (perm[c] < 0) perm[c] = m++;
    enc[i] = perm[c];
  }
  const counts = new Int32Array(m);
  for (let i = 0; i < n; i++) counts[enc[i]]++;
  let minCount = n;
  let maxCount = 0;
  for (let c = 0; c < m; c++) {
    if (counts[c] < minCount) minCount = counts[c];
    if (counts[c] > maxCount) maxCount = counts[c];
  }
  if (k > maxCount) {
    throw new ValidationError(
      `${who}: nSplits=${k} cannot be greater than the number of members in each class (the largest class has ${maxCount}).`,
      { field: 'nSplits', fix: `use nSplits ≤ ${maxCount}` },
    );
  }
  if (k > minCount) {
    warn(
      'UserWarning',
      `${who}: the least populated class in y has only ${minCount} members, which is less than nSplits=${k}.`,
    );
  }
  // allocation[f * m + c]: rows of class c in test fold f (round robin over the sorted labels).
  const sorted = Int32Array.from(enc).sort();
  const allocation = new Int32Array(k * m);
  for (let i = 0; i < n; i++) allocation[(i % k) * m + sorted[i]]++;
  const start = new Int32Array(m + 1);
  for (let c = 0; c < m; c++) start[c + 1] = start[c] + counts[c];
  const forClass = new Int32Array(n);
  for (let c = 0; c < m; c++) {
    let r = start[c];
    for (let f = 0; f < k; f++) for (let a = 0; a < allocation[f * m + c]; a++) forClass[r++] = f;
    if (rng) rng.shuffle(forClass.subarray(start[c], start[c + 1]));
  }
  const cursor = start.slice(0, m);
  const testFold = new Int32Array(n);
  for (let i = 0; i < n; i++) testFold[i] = forClass[cursor[enc[i]]++];
  return testFold;
}

/** Options of {@link GroupKFold}. */
export interface GroupKFoldOptions {
  /** Number of folds, ≥ 2 (default 5). */
  nSplits?: number;
}

/**
 * Group k-fold: every group entirely in one test fold; groups are dealt largest first to the
 * fold with the fewest rows so far (scikit-learn 1.2's greedy balancing). Equally sized groups
 * are dealt in the order of NumPy's reversed `argsort` of the sizes — the group that sorts last
 * first for up to 16 groups; beyond that the order NumPy's introsort leaves ties in, which Lathe
 * reproduces — so the folds are scikit-learn's for every layout.
 */
export class GroupKFold implements Splitter {
  readonly nSplits: number;
  readonly needsGroups = true;

  constructor(options: GroupKFoldOptions = {}) {
    this.nSplits = checkNSplits('GroupKFold', options.nSplits ?? 5);
  }

  get name(): string {
    return `GroupKFold(nSplits=${this.nSplits})`;
  }

  getNSplits(): number {
    return this.nSplits;
  }

  split(X: SplitX, _y?: TargetInput, groups?: ArrayLike<unknown>): Fold[] {
    const n = rowCount(X, 'GroupKFold');
    const { codes, levels } = groupCodes(groups, n, 'GroupKFold');
    const g = levels.length;
    const k = this.nSplits;
    if (k > g) {
      throw new ValidationError(
        `GroupKFold: cannot have nSplits=${k} greater than the number of groups (${g}).`,
        { field: 'nSplits', fix: `use nSplits ≤ ${g}, or more groups` },
      );
    }
    const size = new Int32Array(g);
    for (let i = 0; i < n; i++) size[codes[i]]++;
    // np.argsort(sizes)[::-1]: descending by size; equal sizes in the reverse of the order NumPy's
    // (unstable beyond 16 groups) quicksort leaves them in.
    const order = numpyArgsort(size).reverse();
    const perFold = new Float64Array(k);
    const groupFold = new Int32Array(g);
    for (const gi of order) {
      let lightest = 0;
      for (let f = 1; f < k; f++) if (perFold[f] < perFold[lightest]) lightest = f;
      perFold[lightest] += size[gi];
      groupFold[gi] = lightest;
    }
    const testFold = new Int32Array(n);
    for (let i = 0; i < n; i++) testFold[i] = groupFold[codes[i]];
    return foldsFromAssignment(testFold, k);
  }
}

/** Options of {@link TimeSeriesSplit}. */
export interface TimeSeriesSplitOptions {
  /** Number of splits, ≥ 2 (default 5). */
  nSplits?: number;
  /** Cap on the training rows (the latest ones are kept); null for no cap. */
  maxTrainSize?: number | null;
  /** Rows per test fold (default `floor(n / (nSplits + 1))`). */
  testSize?: number | null;
  /** Rows left out between the end of training and the start of the test fold (default 0). */
  gap?: number;
}

/**
 * Time-ordered splits: each test fold follows its training rows; rows must already be in time
 * order. Test folds are the last `nSplits · testSize` rows, in `testSize` blocks.
 */
export class TimeSeriesSplit implements Splitter {
  readonly nSplits: number;
  readonly maxTrainSize: number | null;
  readonly testSize: number | null;
  readonly gap: number;

  constructor(options: TimeSeriesSplitOptions = {}) {
    this.nSplits = checkNSplits('TimeSeriesSplit', options.nSplits ?? 5);
    const pos = (name: string, v: unknown, min: number): void => {
      if (v !== null && v !== undefined && (!Number.isInteger(v) || (v as number) < min)) {
        throw new ValidationError(`TimeSeriesSplit: ${name} must be an integer ≥ ${min}; got ${show(v)}.`, {
          field: name,
        });
      }
    };
    pos('maxTrainSize', options.maxTrainSize, 1);
    pos('testSize', options.testSize, 1);
    pos('gap', options.gap, 0);
    this.maxTrainSize = options.maxTrainSize ?? null;
    this.testSize = options.testSize ?? null;
    this.gap = options.gap ?? 0;
  }

  get name(): string {
    return `TimeSeriesSplit(nSplits=${this.nSplits}${this.gap ? `, gap=${this.gap}` : ''})`;
  }

  getNSplits(): number {
    return this.nSplits;
  }

  split(X: SplitX): Fold[] {
    const n = rowCount(X, 'TimeSeriesSplit');
    const k = this.nSplits;
    const nFolds = k + 1;
    const gap = this.gap;
    const testSize = this.testSize ?? Math.floor(n / nFolds);
    if (nFolds > n) {
      throw new ValidationError(
        `TimeSeriesSplit: cannot have nSplits + 1 = ${nFolds} folds with only ${n} rows.`,
        { field: 'nSplits', fix: `use nSplits ≤ ${n - 1}` },
      );
    }
    if (n - gap - testSize * k <= 0) {
      throw new ValidationError(
        `TimeSeriesSplit: too many splits (${k}) for ${n} rows with testSize=${testSize} and gap=${gap}.`,
        { field: 'nSplits', fix: 'use fewer splits, a smaller testSize or gap' },
      );
    }
    const folds: Fold[] = [];
    for (let testStart = n - k * testSize; testStart < n; testStart += testSize) {
      const trainEnd = testStart - gap;
      const trainStart =
        this.maxTrainSize !== null && this.maxTrainSize < trainEnd ? trainEnd - this.maxTrainSize : 0;
      const testEnd = Math.min(testStart + testSize, n);
      folds.push({ train: range(trainStart, trainEnd), test: range(testStart, testEnd) });
    }
    return folds;
  }
}

function range(a: number, b: number): Int32Array {
  const out = new Int32Array(Math.max(0, b - a));
  for (let i = 0; i < out.length; i++) out[i] = a + i;
  return out;
}

/** Options of {@link RepeatedKFold} and {@link RepeatedStratifiedKFold}. */
export interface RepeatedKFoldOptions {
  /** Folds per repetition, ≥ 2 (default 5). */
  nSplits?: number;
  /** Repetitions, ≥ 1 (default 10). */
  nRepeats?: number;
  /** Seed (default 0); repetition r shuffles with the stream `seed.derive(r)`. */
  seed?: number;
}

function checkRepeats(who: string, v: unknown): number {
  if (!Number.isInteger(v) || (v as number) < 1) {
    throw new ValidationError(`${who}: nRepeats must be an integer ≥ 1; got ${show(v)}.`, {
      field: 'nRepeats',
    });
  }
  return v as number;
}

/** K-fold repeated `nRepeats` times with a different shuffle each time (folds of repetition r come r-th). */
export class RepeatedKFold implements Splitter {
  readonly nSplits: number;
  readonly nRepeats: number;
  readonly seed: number;

  constructor(options: RepeatedKFoldOptions = {}) {
    this.nSplits = checkNSplits('RepeatedKFold', options.nSplits ?? 5);
    this.nRepeats = checkRepeats('RepeatedKFold', options.nRepeats ?? 10);
    this.seed = checkSeed('RepeatedKFold', options.seed ?? 0);
  }

  get name(): string {
    return `RepeatedKFold(nSplits=${this.nSplits}, nRepeats=${this.nRepeats}, seed=${this.seed})`;
  }

  getNSplits(): number {
    return this.nSplits * this.nRepeats;
  }

  split(X: SplitX): Fold[] {
    const n = rowCount(X, 'RepeatedKFold');
    const root = new Rng(this.seed);
    const out: Fold[] = [];
    for (let r = 0; r < this.nRepeats; r++)
      out.push(...kFold(n, this.nSplits, root.derive(r), 'RepeatedKFold'));
    return out;
  }
}

/** Stratified k-fold repeated `nRepeats` times with a different shuffle each time. */
export class RepeatedStratifiedKFold implements Splitter {
  readonly nSplits: number;
  readonly nRepeats: number;
  readonly seed: number;

  constructor(options: RepeatedKFoldOptions = {}) {
    this.nSplits = checkNSplits('RepeatedStratifiedKFold', options.nSplits ?? 5);
    this.nRepeats = checkRepeats('RepeatedStratifiedKFold', options.nRepeats ?? 10);
    this.seed = checkSeed('RepeatedStratifiedKFold', options.seed ?? 0);
  }

  get name(): string {
    return `RepeatedStratifiedKFold(nSplits=${this.nSplits}, nRepeats=${this.nRepeats}, seed=${this.seed})`;
  }

  getNSplits(): number {
    return this.nSplits * this.nRepeats;
  }

  split(X: SplitX, y?: TargetInput): Fold[] {
    const n = rowCount(X, 'RepeatedStratifiedKFold');
    const root = new Rng(this.seed);
    const out: Fold[] = [];
    for (let r = 0; r < this.nRepeats; r++) {
      const tf = stratifiedTestFolds(n, y, this.nSplits, root.derive(r), 'RepeatedStratifiedKFold');
      out.push(...foldsFromAssignment(tf, this.nSplits));
    }
    return out;
  }
}

/** What `cv` options accept: a number of folds, a splitter, or explicit folds. */
export type CvInput = number | Splitter | readonly Fold[];

/**
 * Resolves a `cv` option as scikit-learn's `check_cv`: a number k means `StratifiedKFold(k)` for
 * a classifier (binary or multiclass target) and `KFold(k)` otherwise; undefined means 5.
 */
export function checkCv(cv: CvInput | undefined, classifier: boolean): Splitter {
  if (cv === undefined || typeof cv === 'number') {
    const k = cv ?? 5;
    return classifier ? new StratifiedKFold({ nSplits: k }) : new KFold({ nSplits: k });
  }
  if (Array.isArray(cv)) return new PredefinedFolds(cv as readonly Fold[]);
  if (typeof cv === 'object' && cv !== null && typeof (cv as Splitter).split === 'function')
    return cv as Splitter;
  throw new ValidationError(
    `cv must be a number of folds, a splitter or an array of folds; got ${show(cv)}.`,
    {
      field: 'cv',
      fix: 'pass e.g. cv: 5 or cv: new KFold({ nSplits: 5, shuffle: true })',
    },
  );
}

/** Folds given explicitly (each `{ train, test }`), checked against the number of rows. */
export class PredefinedFolds implements Splitter {
  readonly folds: readonly Fold[];

  constructor(folds: readonly Fold[]) {
    if (folds.length === 0) {
      throw new ValidationError('cv: the array of folds is empty.', { field: 'cv' });
    }
    this.folds = folds.map((f, i) => {
      if (!f?.train || !f.test) {
        throw new ValidationError(`cv: fold ${i} must be { train, test } arrays of row indices.`, {
          field: 'cv',
        });
      }
      return { train: Int32Array.from(f.train), test: Int32Array.from(f.test) };
    });
  }

  get name(): string {
    return `PredefinedFolds(${this.folds.length})`;
  }

  getNSplits(): number {
    return this.folds.length;
  }

  split(X: SplitX): Fold[] {
    const n = rowCount(X, 'cv');
    this.folds.forEach((f, i) => {
      for (const part of [f.train, f.test]) {
        for (let j = 0; j < part.length; j++) {
          if (!(part[j] >= 0 && part[j] < n)) {
            throw new ValidationError(`cv: fold ${i} names row ${part[j]}, outside 0..${n - 1}.`, {
              field: 'cv',
            });
          }
        }
      }
    });
    return this.folds.map((f) => ({ train: f.train.slice(), test: f.test.slice() }));
  }
}
