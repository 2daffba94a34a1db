/**
 * Permutation importance (scikit-learn's `permutation_importance`): how much a fitted model's score
 * drops when one column's values are shuffled, breaking its link with the target. Works with any
 * fitted estimator that has a `score(X, y)` method, or with a given scoring function (higher is
 * better), so that metrics from elsewhere can be plugged in.
 *
 * @module
 */

import { ValidationError } from '../../core/errors.ts';
import type { TargetInput } from '../../core/labels.ts';
import { asMatrix, type Matrix, type MatrixInput, matrix } from '../../core/matrix.ts';
import { Rng } from '../../core/rng.ts';

/** A fitted model that can be scored. */
export interface Scorable {
  score(X: MatrixInput, y: TargetInput): number;
}

/** Options of {@link permutationImportance}. */
export interface PermutationImportanceOptions<E> {
  /** Shuffles per column (default 5). */
  nRepeats?: number;
  /** Seed of the shuffles (default 0). Repeat r uses the same permutation for every column. */
  seed?: number;
  /** Score to use instead of `estimator.score` (higher is better). */
  scoring?: (estimator: E, X: Matrix, y: TargetInput) => number;
}

/** The result: one row per column of X. */
export interface PermutationImportanceResult {
  /** Column names. */
  columns: string[];
  /** Score of the unshuffled data. */
  baselineScore: number;
  /** Mean drop in score per column. */
  importancesMean: Float64Array;
  /** Standard deviation (population, as numpy's default) of the drops per column. */
  importancesStd: Float64Array;
  /** Every drop: one row per column, one column per repeat. */
  importances: Matrix;
}

/**
 * Permutation importance of every column of X for a fitted `estimator`.
 *
 * ```ts
 * const r = permutationImportance(model, Xtest, ytest, { nRepeats: 10, seed: 1 });
 * r.importancesMean; // one value per column
 * ```
 */
export function permutationImportance<E extends Partial<Scorable>>(
  estimator: E,
  X: MatrixInput,
  y: TargetInput,
  options: PermutationImportanceOptions<E> = {},
): PermutationImportanceResult {
  const nRepeats = options.nRepeats ?? 5;
  if (!Number.isInteger(nRepeats) || nRepeats < 1) {
    throw new ValidationError(`permutationImportance: nRepeats must be an integer ≥ 1; got ${nRepeats}.`, {
      field: 'nRepeats',
      fix: 'pass nRepeats such as 5',
    });
  }
  const scoring = options.scoring;
  if (!scoring && typeof estimator.score !== 'function') {
    throw new ValidationError(
      'permutationImportance: the estimator has no score() method and no scoring was given.',
      {
        field: 'scoring',
        fix: 'pass options.scoring = (estimator, X, y) => number (higher is better)',
      },
    );
  }
  const score = (m: Matrix): number => (scoring ? scoring(estimator, m, y) : estimator.score!(m, y));
  const m = asMatrix(X);
  const { rows: n, cols: d } = m;
  const baselineScore = score(m);
  const rng = new Rng(options.seed ?? 0);
  const perms = Array.from({ length: nRepeats }, (_, r) => rng.derive(r).permutation(n));
  const drops = new Float64Array(d * nRepeats);
  const work = matrix(m.data.slice(), n, d, m.columns);
  for (let j = 0; j < d; j++) {
    for (let r = 0; r < nRepeats; r++) {
      const p = perms[r];
      for (let i = 0; i < n; i++) work.data[i * d + j] = m.data[p[i] * d + j];
      drops[j * nRepeats + r] = baselineScore - score(work);
    }
    for (let i = 0; i < n; i++) work.data[i * d + j] = m.data[i * d + j];
  }
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let r = 0; r < nRepeats; r++) s += drops[j * nRepeats + r];
    mean[j] = s / nRepeats;
    let v = 0;
    for (let r = 0; r < nRepeats; r++) v += (drops[j * nRepeats + r] - mean[j]) ** 2;
    std[j] = Math.sqrt(v / nRepeats);
  }
  return {
    columns: [...m.columns],
    baselineScore,
    importancesMean: mean,
    importancesStd: std,
    importances: matrix(
      drops,
      d,
      nRepeats,
      Array.from({ length: nRepeats }, (_, r) => `repeat${r}`),
    ),
  };
}
