/**
 * The `QualityReport`: what {@link profileTable} returns, what `lathe profile --json` prints and
 * what later stages (preparation, the model report, the drift monitor) read. Its JSON form is a
 * stable, documented contract (docs/profile.md): fields are only ever added, and
 * {@link QUALITY_REPORT_VERSION} changes if one is ever renamed or removed.
 *
 * Conventions: every number is finite or `null` (JSON has no NaN); percentages (`…Pct`) are
 * 0–100, shares (`…Share`) 0–1; row indices are 0-based positions in the table; datetimes are
 * ISO-8601 strings in the summaries and epoch milliseconds in histogram edges.
 *
 * @module
 */

import type { ColumnType } from '../data/column.ts';
import type { SemanticType } from '../data/schema.ts';
import type { QualityThresholds } from './thresholds.ts';

/** The version of the report's JSON shape. */
export const QUALITY_REPORT_VERSION = 1;

/** How serious a finding is: `critical` invalidates modelling, `warning` likely hurts, `info` is worth knowing. */
export type FindingSeverity = 'info' | 'warning' | 'critical';

/** Severities from most to least serious (the order findings are listed in). */
export const FINDING_SEVERITIES: readonly FindingSeverity[] = ['critical', 'warning', 'info'];

/** The kinds of check a finding can come from (the `check` field). */
export type QualityCheckId =
  | 'rejected-rows'
  | 'duplicate-rows'
  | 'empty-column'
  | 'constant-column'
  | 'near-constant-column'
  | 'missing-values'
  | 'id-like-column'
  | 'high-cardinality'
  | 'numbers-as-text'
  | 'dates-as-text'
  | 'mixed-types'
  | 'disguised-missing'
  | 'outliers'
  | 'infinite-values'
  | 'high-correlation'
  | 'target-missing'
  | 'target-constant'
  | 'class-imbalance'
  | 'leakage-suspect';

/** Machine-readable evidence of a finding (numbers, strings, short lists). */
export type FindingMeasures = Record<string, number | string | boolean | null | (number | string)[]>;

/** One problem (or noteworthy fact) found in the data. */
export interface Finding {
  /** Unique within the report and stable across runs: `<check>` or `<check>:<column>[:<column>]`. */
  id: string;
  /** The check that produced it. */
  check: QualityCheckId;
  severity: FindingSeverity;
  /** The column concerned, when there is one. */
  column?: string;
  /** Every column concerned (a correlated pair has two). */
  columns?: string[];
  /** One line saying what is wrong. */
  title: string;
  /** The evidence, in words and numbers. */
  evidence: string;
  /** What to do about it. */
  fix: string;
  /** The evidence as data, for programs. */
  measures: FindingMeasures;
}

/** A value and how often it occurs. */
export interface ProfileValueCount {
  /** The value (datetimes as ISO strings). */
  value: number | string | boolean;
  count: number;
  /** Share of the column's non-missing values, 0–100. */
  pct: number;
}

/** Bin edges (`counts.length + 1` of them) and counts; bins are `[e_k, e_k+1)`, the last one closed. */
export interface ProfileHistogram {
  edges: number[];
  counts: number[];
}

/** A quantile: `value` is the `p`-quantile (linear interpolation, NumPy's default). */
export interface QuantileValue {
  p: number;
  value: number;
}

/** Outlier counts for a numeric column under the two rules the report uses. */
export interface OutlierSummary {
  /** Tukey's fences: `Q1 − k·IQR` and `Q3 + k·IQR` (k = thresholds.iqrMultiplier). */
  iqrLower: number;
  iqrUpper: number;
  /** Values outside the fences. */
  iqrCount: number;
  /** Values beyond `extremeIqrMultiplier`·IQR from the quartiles ("far out"). */
  extremeCount: number;
  /**
   * Far-out values cut off from the rest: walking outwards from the last value inside the far
   * fence, those past the first gap wider than `isolationGapIqr`·IQR (per side) — the signature
   * of sentinel codes (999) and entry errors rather than of a long tail. For a positive column
   * with skewness > 1 this is measured on log values, where a multiplicative tail is compact.
   */
  isolatedCount: number;
  /** Values with |robust z| above the threshold: z = 0.6745·(x − median)/MAD (Iglewicz & Hoaglin). */
  robustZCount: number;
  robustZThreshold: number;
  /** `mad` or, when the MAD is 0, `meanad` (z = (x − median)/(1.253314·mean absolute deviation)); `none` when both are 0. */
  robustZScale: 'mad' | 'meanad' | 'none';
  /** Up to 5 of the most extreme values outside the IQR fences, furthest first. */
  examples: number[];
}

/** Summary statistics of a numeric column (`NaN`s excluded). */
export interface NumericProfile {
  min: number;
  max: number;
  mean: number;
  /** Sample standard deviation (n − 1 denominator, as pandas' `describe`); null for one value. */
  std: number | null;
  /** Adjusted Fisher–Pearson skewness (pandas' `skew()`); null below three values. */
  skewness: number | null;
  sum: number;
  zeros: number;
  negatives: number;
  /** True when every value is a whole number. */
  integers: boolean;
  /** At p = 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99. */
  quantiles: QuantileValue[];
  median: number;
  iqr: number;
  /** Median absolute deviation from the median (unscaled). */
  mad: number;
  outliers: OutlierSummary;
}

/** Summary of a datetime column. */
export interface DatetimeProfile {
  min: string;
  max: string;
  /** (max − min) in days. */
  spanDays: number;
}

/** What the values of a string column look like, counted over its non-missing values. */
export interface StringValueKinds {
  number: number;
  date: number;
  boolean: number;
  /** Tokens that usually mean "missing" but were not read as missing (`?`, `-`, `N/A`, `none`…). */
  missingLike: number;
  text: number;
}

/** Summary of a string (categorical or text) column. */
export interface StringProfile {
  /** Lengths in characters (Unicode code points, as pandas' `str.len()`), not UTF-16 units. */
  minLength: number;
  meanLength: number;
  maxLength: number;
  kinds: StringValueKinds;
  /** Up to 5 distinct values that look like missing-value tokens. */
  missingLikeValues: string[];
  /** Up to 5 distinct values of a minority kind (e.g. the non-numbers in a mostly-numeric column). */
  oddValues: string[];
}

/** The profile of one column. */
export interface ColumnProfile {
  name: string;
  /** Position in the table. */
  index: number;
  /** How the column is stored. */
  storage: ColumnType;
  /** What it means: from the schema when one was given, else inferred (`id` for ID-like columns). */
  type: SemanticType;
  /** A better type suggested by the checks (numbers or dates stored as text, IDs), else null. */
  suggestedType: SemanticType | null;
  /** Non-missing values. */
  count: number;
  missing: number;
  missingPct: number;
  /** Distinct non-missing values. */
  distinct: number;
  /** distinct / count, 0–100. */
  distinctPct: number;
  /** The 10 most frequent values, most frequent first (ties: smaller value first; strings by code point). */
  top: ProfileValueCount[];
  numeric: NumericProfile | null;
  datetime: DatetimeProfile | null;
  strings: StringProfile | null;
  /** Numeric and datetime columns (datetime edges in epoch ms). */
  histogram: ProfileHistogram | null;
}

/** One row that repeats an earlier one. */
export interface DuplicateExample {
  /** 0-based row of the table. */
  row: number;
  /** The earlier row it repeats. */
  sameAs: number;
  /** When the table was read from a file: the 1-based line where each row starts. */
  line?: number;
  sameAsLine?: number;
}

/** Table-level facts. */
export interface TableProfile {
  rows: number;
  columns: number;
  cells: number;
  missingCells: number;
  missingPct: number;
  /** Rows identical (in every column, missing equal to missing) to an earlier row: pandas' `duplicated().sum()`. */
  duplicateRows: number;
  duplicatePct: number;
  duplicateExamples: DuplicateExample[];
  /** Number of columns of each semantic type. */
  types: Partial<Record<SemanticType, number>>;
}

/** A pair of columns and their correlations. */
export interface CorrelatedPair {
  a: string;
  b: string;
  pearson: number | null;
  spearman: number | null;
}

/** The correlation matrices of the numeric (and boolean) columns. */
export interface CorrelationSection {
  /** The columns in the matrices, in order. */
  columns: string[];
  /** Columns left out and why (constant, ID-like, over the column limit). */
  excluded: { column: string; reason: string }[];
  /** Rows the matrices were computed on. */
  rows: number;
  /** True when `rows` is a seeded random sample of the table (see `sample`). */
  sampled: boolean;
  /** Row-major matrices, `null` where undefined (a constant column). */
  pearson: (number | null)[][];
  spearman: (number | null)[][];
  /** Pairs with |Pearson| or |Spearman| ≥ thresholds.highCorrelation, strongest first. */
  highPairs: CorrelatedPair[];
}

/** How strongly one column, alone, predicts the target (out of sample). */
export interface TargetAssociation {
  column: string;
  /** 0–1: the larger of the lookup score and, for a numeric feature and target, Spearman's ρ². */
  score: number;
  /**
   * The lookup score: a table from the feature's value (numbers in up to 256 quantile bins;
   * missing is a value of its own) to the target — class frequencies or mean — learned on a
   * random half of the rows and scored on the other half: the Brier skill score
   * 1 − Brier(lookup)/Brier(base rates) for classification, R² for regression (both clipped at 0).
   */
  lookup: number | null;
  /** Spearman's ρ² with the target (numeric feature and regression target only). */
  rankR2: number | null;
}

/** The target column's analysis. */
export interface TargetSection {
  column: string;
  task: 'classification' | 'regression';
  missing: number;
  /** Classification: every class with its count, most frequent first. */
  classes: ProfileValueCount[] | null;
  /** Classification: least frequent class count / most frequent class count. */
  imbalanceRatio: number | null;
  /** Regression: the target's summary and histogram. */
  distribution: { summary: NumericProfile; histogram: ProfileHistogram } | null;
  /** Every other column's association with the target, strongest first. */
  associations: TargetAssociation[];
  /** Rows the associations were computed on. */
  rows: number;
  /** Columns whose association score reaches thresholds.leakage. */
  leakageSuspects: string[];
}

/** Where the data came from (set by {@link profileFile} and the CLI). */
export interface ProfileSource {
  path: string;
  format: string;
  bytes: number;
  rowsRead: number;
  accepted: number;
  rejected: number;
  rejectsPath: string | null;
}

/** The data-quality report. */
export interface QualityReport {
  version: typeof QUALITY_REPORT_VERSION;
  source: ProfileSource | null;
  table: TableProfile;
  columns: ColumnProfile[];
  /** Most serious first; within a severity, in check order, then column order. */
  findings: Finding[];
  /** Count of findings per severity. */
  counts: Record<FindingSeverity, number>;
  correlations: CorrelationSection;
  target: TargetSection | null;
  /** The thresholds the checks used. */
  thresholds: QualityThresholds;
}
