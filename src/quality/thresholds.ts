/**
 * The thresholds of the data-quality checks, as one declared table (docs/profile.md lists each
 * with the check that uses it). Override any of them through `profileTable(t, { thresholds })`.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { closest } from '../core/params.ts';

/** Every threshold the checks use. Percentages are 0–100, shares 0–1. */
export interface QualityThresholds {
  /** `missing-values` is reported (info) from this missing percentage… */
  missingInfoPct: number;
  /** …and is a warning from this one. */
  missingWarningPct: number;
  /** `near-constant-column`: the most frequent value covers at least this share of non-missing values. */
  nearConstantShare: number;
  /** `id-like-column` (strings): distinct values per non-missing value at least this share. */
  idDistinctShare: number;
  /** `id-like-column`, `high-cardinality`: only for columns with at least this many non-missing values. */
  minRowsForCardinality: number;
  /** `high-cardinality`: a categorical column with more distinct values than this. */
  highCardinality: number;
  /** `numbers-as-text`, `dates-as-text`: share of a string column's values of that kind. */
  typedTextShare: number;
  /** `mixed-types`: each of at least two kinds has at least this share of the values. */
  mixedTypesMinShare: number;
  /** Tukey's fence multiplier for the IQR outlier rule. */
  iqrMultiplier: number;
  /** The "far out" multiplier of the IQR rule. */
  extremeIqrMultiplier: number;
  /** Far-out values are "isolated" when a gap of more than this many IQRs separates them from the rest; a few isolated values make `outliers` a warning. */
  isolationGapIqr: number;
  /** |robust z| above this is an outlier (Iglewicz & Hoaglin recommend 3.5). */
  robustZ: number;
  /** `outliers` (info) is reported when at least this share of the values are robust-z outliers… */
  outlierInfoShare: number;
  /** …and at least this many (one |z| > 3.5 in a few hundred normal values is chance). */
  minOutliers: number;
  /** `high-correlation`: |Pearson| or |Spearman| at least this. */
  highCorrelation: number;
  /** Correlations cover at most this many columns (the most complete first). */
  maxCorrelationColumns: number;
  /** `class-imbalance` warning: least frequent class below this share of the rows. */
  imbalanceWarningShare: number;
  /** `class-imbalance` critical: least frequent class below this share. */
  imbalanceCriticalShare: number;
  /**
   * `class-imbalance` only when the least frequent class also has fewer than this fraction of the
   * most frequent one's rows: twenty equal classes (5 % each) are many classes, not imbalanced ones.
   */
  imbalanceMaxRatio: number;
  /** A numeric target with whole-number values and at most this many distinct values is a classification target. */
  maxClassesForNumericTarget: number;
  /** `leakage-suspect`: a single column's association score with the target at least this. */
  leakage: number;
}

/** The defaults. */
export const DEFAULT_QUALITY_THRESHOLDS: Readonly<QualityThresholds> = Object.freeze({
  missingInfoPct: 5,
  missingWarningPct: 50,
  nearConstantShare: 0.99,
  idDistinctShare: 0.95,
  minRowsForCardinality: 20,
  highCardinality: 50,
  typedTextShare: 0.95,
  mixedTypesMinShare: 0.01,
  iqrMultiplier: 1.5,
  extremeIqrMultiplier: 3,
  isolationGapIqr: 2,
  robustZ: 3.5,
  outlierInfoShare: 0.001,
  minOutliers: 3,
  highCorrelation: 0.9,
  maxCorrelationColumns: 50,
  imbalanceWarningShare: 0.1,
  imbalanceCriticalShare: 0.01,
  imbalanceMaxRatio: 0.5,
  maxClassesForNumericTarget: 10,
  leakage: 0.95,
});

/** The defaults with `overrides` applied; unknown names and non-finite or negative values are errors. */
export function resolveThresholds(overrides: Partial<QualityThresholds> = {}): QualityThresholds {
  const known = Object.keys(DEFAULT_QUALITY_THRESHOLDS);
  for (const [k, v] of Object.entries(overrides)) {
    if (!known.includes(k)) {
      const near = closest(k, known);
      throw new ValidationError(`profileTable: unknown threshold '${k}'.`, {
        field: `thresholds.${k}`,
        fix: near ? `did you mean '${near}'? Known: ${known.join(', ')}` : `known: ${known.join(', ')}`,
      });
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new ValidationError(
        `profileTable: threshold '${k}' must be a finite number ≥ 0; got ${String(v)}.`,
        {
          field: `thresholds.${k}`,
          expected: 'a finite number ≥ 0',
          actual: v,
        },
      );
    }
  }
  return { ...DEFAULT_QUALITY_THRESHOLDS, ...overrides };
}
