/**
 * Drift monitoring: the rows a model has been scoring (a prediction log of `lathe serve`, or any
 * data file) against the reference sample of its training rows. Each input column gets the drift
 * test of `columnDrift` (Evidently's preset choice: KS or chi-square for references up to 1 000
 * values, Wasserstein or Jensen–Shannon distances beyond), the model's predictions too (its
 * predictions on the reference rows against those on the current ones), and the data set drifts
 * when at least `driftShare` (default half) of the tested input columns do — Evidently's dataset
 * drift rule. What `lathe monitor` runs.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import type { Estimator } from '../core/estimator.ts';
import type { Label } from '../core/labels.ts';
import type { PlainObject, PlainValue } from '../core/plain.ts';
import { booleanColumn, type Column, numericColumn, textColumn } from '../data/column.ts';
import type { Schema } from '../data/schema.ts';
import { applySchema } from '../data/schema-apply.ts';
import { Table } from '../data/table.ts';
import { columnDrift, type DriftOptions, type DriftTest, fewValued } from '../stats/drift.ts';
import type { Evaluation } from './evaluate.ts';
import { predictTable, scoringSchema, usedInputSchema } from './predict.ts';
import { driftValues, type ReferenceSample, type ReferenceValues } from './reference.ts';
import { defaultMetric } from './scores.ts';

/** Options of {@link monitorDrift}. */
export interface MonitorOptions extends DriftOptions {
  /** Share of tested input columns that must drift for the data set to (default 0.5). */
  driftShare?: number;
  /**
   * The model's predictions on every row of `current`, in order (`predictTable`'s `predictions`),
   * when the caller has them already (`lathe monitor --target` predicts once for drift and
   * decay): not predicted again.
   */
  currentPredictions?: Label[] | Float64Array | Int32Array;
}

/** A summary of one sample of a column. */
export interface SampleSummary {
  /** Rows in the sample. */
  rows: number;
  /** Share of them missing. */
  missingShare: number;
  /** The mean (numeric columns). */
  mean?: number;
  /** The most frequent value and its share among the present ones (other columns). */
  top?: { value: string; share: number };
}

/**
 * The two samples' distributions side by side: shares of the present values per bin (numbers
 * with more than 5 distinct values: 20 equal bins over both samples' range) or per level (the 12
 * most frequent in the reference, then those of the current rows; the rest as `(other)`).
 */
export type SampleDistribution =
  | { kind: 'bins'; edges: number[]; reference: number[]; current: number[] }
  | { kind: 'levels'; levels: string[]; reference: number[]; current: number[] };

/** Bins of {@link SampleDistribution}; levels shown at most. */
const DISTRIBUTION_BINS = 20;
const DISTRIBUTION_LEVELS = 12;

function presentNumbers(v: Float64Array): Float64Array {
  return v.filter((x) => x === x);
}

/** The distributions of a column's two samples (null when either has no value). */
export function sampleDistribution(ref: ReferenceValues, cur: ReferenceValues): SampleDistribution | null {
  if (ref instanceof Float64Array && cur instanceof Float64Array) {
    const a = presentNumbers(ref);
    const b = presentNumbers(cur);
    if (!a.length || !b.length) return null;
    // Binned exactly when columnDrift tests the numbers as numbers.
    if (!fewValued(a)) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const x of [a, b])
        for (const v of x) {
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      const k = hi > lo ? DISTRIBUTION_BINS : 1;
      const width = (hi - lo) / k || 1;
      const edges = Array.from({ length: k + 1 }, (_, i) =>
        i === k ? Math.max(hi, lo + width) : lo + i * width,
      );
      const shares = (x: Float64Array) => {
        const c = new Array<number>(k).fill(0);
        for (const v of x) c[Math.min(k - 1, Math.floor((v - lo) / width))]++;
        return c.map((n) => n / x.length);
      };
      return { kind: 'bins', edges, reference: shares(a), current: shares(b) };
    }
    return levelDistribution(Array.from(a, String), Array.from(b, String));
  }
  const strings = (v: ReferenceValues) =>
    v instanceof Float64Array
      ? Array.from(presentNumbers(v), String)
      : v.filter((x): x is string => x !== null);
  const a = strings(ref);
  const b = strings(cur);
  return a.length && b.length ? levelDistribution(a, b) : null;
}

function levelDistribution(a: readonly string[], b: readonly string[]): SampleDistribution {
  const count = (x: readonly string[]) => {
    const m = new Map<string, number>();
    for (const v of x) m.set(v, (m.get(v) ?? 0) + 1);
    return m;
  };
  const ca = count(a);
  const cb = count(b);
  const byCount = (m: Map<string, number>) =>
    [...m.entries()].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1)).map((e) => e[0]);
  const levels = [...new Set([...byCount(ca), ...byCount(cb)])];
  const shown = levels.slice(0, DISTRIBUTION_LEVELS);
  const other = levels.length > shown.length;
  const shares = (m: Map<string, number>, n: number) => {
    const out = shown.map((l) => (m.get(l) ?? 0) / n);
    // The rest; at least 0 (the shown shares can add up to a hair over 1 in floating point).
    if (other) out.push(Math.max(0, 1 - out.reduce((s, x) => s + x, 0)));
    return out;
  };
  return {
    kind: 'levels',
    levels: other ? [...shown, '(other)'] : shown,
    reference: shares(ca, a.length),
    current: shares(cb, b.length),
  };
}

/** The drift verdict on one column (or on the predictions). */
export interface ColumnDriftReport {
  column: string;
  /** The test, or null when the column was not tested (see `reason`). */
  test: DriftTest | null;
  statistic: number | null;
  pValue: number | null;
  threshold: number | null;
  /** Null when not tested. */
  drifted: boolean | null;
  /** Why the column was not tested. */
  reason: string | null;
  reference: SampleSummary;
  current: SampleSummary;
  /** Both samples' distributions (null for a column not tested). */
  distribution: SampleDistribution | null;
}

/** What {@link monitorDrift} found. */
export interface DriftReport {
  rows: { reference: number; referenceSampled: number; current: number };
  columns: ColumnDriftReport[];
  /** The predictions' drift (null for a transformer). */
  prediction: ColumnDriftReport | null;
  /** Input columns tested, and of those drifted. */
  tested: number;
  drifted: number;
  /** drifted / tested (0 when none was tested). */
  share: number;
  /** The threshold on `share`. */
  driftShare: number;
  datasetDrift: boolean;
  /** Cautions about the comparison (e.g. too few current rows to say much). */
  notes: string[];
}

/** Current rows below which a comparison is flagged as saying little. */
export const FEW_CURRENT_ROWS = 100;

function summary(v: ReferenceValues | null, rows: number): SampleSummary {
  if (!v) return { rows, missingShare: 0 };
  let missing = 0;
  if (v instanceof Float64Array) {
    let sum = 0;
    for (const x of v) {
      if (x !== x) missing++;
      else sum += x;
    }
    const present = v.length - missing;
    return {
      rows,
      missingShare: v.length ? missing / v.length : 0,
      ...(present ? { mean: sum / present } : {}),
    };
  }
  const counts = new Map<string, number>();
  for (const x of v) {
    if (x === null) missing++;
    else counts.set(x, (counts.get(x) ?? 0) + 1);
  }
  let top: { value: string; share: number } | undefined;
  const present = v.length - missing;
  for (const [value, c] of counts) if (!top || c / present > top.share) top = { value, share: c / present };
  return { rows, missingShare: v.length ? missing / v.length : 0, ...(top ? { top } : {}) };
}

/** The drift report of one column's reference and current values. */
function columnReport(
  column: string,
  ref: ReferenceValues | null,
  cur: ReferenceValues | null,
  why: string | null,
  options: DriftOptions,
): ColumnDriftReport {
  const base = {
    column,
    reference: summary(ref, ref?.length ?? 0),
    current: summary(cur, cur?.length ?? 0),
    distribution: null,
  };
  const untested = (reason: string): ColumnDriftReport => ({
    ...base,
    test: null,
    statistic: null,
    pValue: null,
    threshold: null,
    drifted: null,
    reason,
  });
  if (why) return untested(why);
  const present = (v: ReferenceValues | null) =>
    v ? (v instanceof Float64Array ? v.some((x) => x === x) : v.some((x) => x !== null)) : false;
  if (!present(ref)) return untested('no value in the reference sample');
  if (!present(cur)) return untested('no value in the current data');
  const r = columnDrift(ref!, cur!, options);
  return {
    ...base,
    distribution: sampleDistribution(ref!, cur!),
    test: r.test,
    statistic: r.statistic,
    pValue: r.pValue,
    threshold: r.threshold,
    drifted: r.drifted,
    reason: null,
  };
}

/** The reference sample as a table of the model's input columns, typed by its schema. */
function referenceTable(reference: ReferenceSample, used: Schema): Table | null {
  const cols: Column[] = [];
  for (const cs of used.columns) {
    const v = reference.columns[cs.name];
    if (!v) return null; // a column the sample lacks (given with --reference): no predictions
    cols.push(
      v instanceof Float64Array
        ? cs.storage === 'boolean'
          ? booleanColumn(
              cs.name,
              Array.from(v, (x) => (x !== x ? null : x === 1)),
            )
          : numericColumn(cs.name, v)
        : textColumn(cs.name, v),
    );
  }
  return applySchema(new Table(cols), scoringSchema(used));
}

/** A model's predictions as drift values (labels as strings, values as numbers), or null for a transformer. */
function predictionValues(
  model: Estimator,
  inputSchema: Schema,
  rows: Table,
  given?: Label[] | Float64Array | Int32Array,
): ReferenceValues | null {
  if (model.kind === 'transformer') return null;
  const predictions =
    given ?? predictTable(model, inputSchema, rows, { batchSize: Math.max(1, rows.nRows) }).predictions;
  if (model.kind === 'regressor') return Float64Array.from(predictions as ArrayLike<number>);
  return Array.from(predictions as ArrayLike<unknown>, (x) => String(x));
}

/**
 * Compares `current` (the model's input columns, typed by its schema — see `scoringSchema`) with
 * the training rows' `reference` sample. Throws a `ValidationError` when `current` has no rows or
 * lacks a column the model reads.
 */
export function monitorDrift(
  model: Estimator,
  inputSchema: Schema,
  reference: ReferenceSample,
  current: Table,
  options: MonitorOptions = {},
): DriftReport {
  const used = usedInputSchema(model, inputSchema);
  if (current.nRows === 0) {
    throw new ValidationError('There are no current rows to compare with the reference.', {
      field: 'data',
      fix: 'monitor a log or file that holds scored rows (check --since/--until)',
    });
  }
  const missing = used.columns.filter((c) => !current.has(c.name)).map((c) => c.name);
  if (missing.length) {
    throw new ValidationError(`The current data lacks columns the model reads: ${missing.join(', ')}.`, {
      field: 'data',
      fix: `give rows with every input of the model (${used.columns.map((c) => c.name).join(', ')})`,
    });
  }
  const sampled = Object.values(reference.columns)[0]?.length ?? 0;
  const columns = used.columns.map((cs) => {
    const cur = driftValues(current.column(cs.name));
    const ref = reference.columns[cs.name] ?? null;
    const why =
      cs.storage === 'datetime'
        ? 'a date column: time moves on, so it is not tested'
        : ref === null
          ? 'not in the reference sample'
          : null;
    return columnReport(cs.name, ref, cur, why, options);
  });
  const tested = columns.filter((c) => c.drifted !== null);
  const drifted = tested.filter((c) => c.drifted).length;
  const share = tested.length ? drifted / tested.length : 0;
  const driftShare = options.driftShare ?? 0.5;
  const refRows = referenceTable(reference, used);
  const prediction =
    model.kind === 'transformer'
      ? null
      : columnReport(
          'prediction',
          refRows ? predictionValues(model, inputSchema, refRows) : null,
          predictionValues(
            model,
            inputSchema,
            current.select(used.columns.map((c) => c.name)),
            options.currentPredictions,
          ),
          refRows ? null : 'the reference sample lacks columns the model reads',
          options,
        );
  return {
    rows: { reference: reference.rows, referenceSampled: sampled, current: current.nRows },
    columns,
    prediction,
    tested: tested.length,
    drifted,
    share,
    driftShare,
    datasetDrift: tested.length > 0 && share >= driftShare,
    notes:
      current.nRows < FEW_CURRENT_ROWS
        ? [
            `only ${current.nRows} current row${current.nRows === 1 ? '' : 's'}: the distributions of so few rows differ from the reference by chance (the distances above all), so a drift verdict says little; compare a few hundred rows or more`,
          ]
        : [],
  };
}

/** One metric now against its value at training. */
export interface MetricDecay {
  key: string;
  title: string;
  /** The package's value (on its training holdout), or null when it has none. */
  trained: number | null;
  /** On the current rows, with its bootstrap interval. */
  current: number | null;
  lower: number | null;
  upper: number | null;
  greaterIsBetter: boolean;
  /**
   * `worse`: the training value lies beyond the current interval on its better side (the model
   * does worse now); `better`: beyond it on the other side; `same`: inside it; null when either
   * value or the interval is missing.
   */
  verdict: 'worse' | 'better' | 'same' | null;
}

/** The model's performance on current rows with known outcomes, against its training holdout. */
export interface PerformanceReport {
  /** Rows evaluated (those with an outcome). */
  rows: number;
  confidenceLevel: number;
  metrics: MetricDecay[];
  /** The metric the verdict rests on (the task's default: ROC AUC, log loss, RMSE). */
  primary: string;
  /** Whether the primary metric is `worse`. */
  decayed: boolean;
  /**
   * What the training values were measured on: the holdout, the training rows themselves (no
   * holdout: optimistic, so decay is overstated), or not recorded (an older package).
   */
  baseline: 'holdout' | 'training' | 'unknown';
}

/**
 * Compares an evaluation of current rows (`evaluateModel`, with bootstrap intervals) with the
 * metrics a package recorded at training: a metric is `worse` when its training value lies
 * outside the current interval on the better side. The verdict rests on the task's default metric.
 */
export function performanceDecay(
  evaluation: Evaluation,
  trained: Readonly<Record<string, number>>,
  baseline: PerformanceReport['baseline'],
): PerformanceReport {
  const metrics = evaluation.metrics.map((m): MetricDecay => {
    const t = Number.isFinite(trained[m.key]) ? trained[m.key] : null;
    let verdict: MetricDecay['verdict'] = null;
    if (t !== null && m.lower !== null && m.upper !== null) {
      const above = t > m.upper;
      const below = t < m.lower;
      verdict = !above && !below ? 'same' : above === m.greaterIsBetter ? 'worse' : 'better';
    }
    return {
      key: m.key,
      title: m.title,
      trained: t,
      current: m.value,
      lower: m.lower,
      upper: m.upper,
      greaterIsBetter: m.greaterIsBetter,
      verdict,
    };
  });
  const primary = defaultMetric(evaluation.task);
  return {
    rows: evaluation.rows.evaluated,
    confidenceLevel: evaluation.confidenceLevel,
    metrics,
    primary,
    decayed: metrics.find((m) => m.key === primary)?.verdict === 'worse',
    baseline,
  };
}

/** What a package's recorded metrics were measured on (`extra.metricsOn`; older packages: unknown). */
export function metricsBaseline(extra: PlainValue | null): PerformanceReport['baseline'] {
  const on = (extra as PlainObject | null)?.metricsOn;
  return on === 'holdout' || on === 'training' ? on : 'unknown';
}
