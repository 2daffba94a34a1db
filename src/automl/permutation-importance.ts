/**
 * `tablePermutationImportance`: how much a fitted pipeline's score drops when one input column's values
 * are shuffled — scikit-learn's `sklearn.inspection.permutation_importance`, over the columns of the
 * table the pipeline takes (the columns a user knows, before preprocessing), scored by one of the
 * task's metrics.
 *
 * For each column, `nRepeats` times: the column's values are permuted across the rows (the other
 * columns untouched), the model predicts, and the importance is the baseline score minus the
 * permuted score — signed so that a positive importance always means the model did worse without
 * the column's information (for a loss such as `rmse` or `logLoss`, the loss went up). A column the
 * model does not read (dropped by the preprocessing) has an importance of exactly 0.
 *
 * Measured on held-out rows, it says what the model relies on for data it did not see; correlated
 * columns share their importance (shuffling one leaves the other), as scikit-learn's docs warn.
 *
 * `permutationImportance` (`src/models/inspection`) does the same for an estimator on a numeric
 * matrix; this one shuffles a table's columns of any type (categories, dates, text) and scores by
 * name with the metrics of `lathe train` — what `lathe run` reports. Both shuffle with the same
 * scheme: repeat r uses one permutation of the rows for every column.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import type { Label } from '../core/labels.ts';
import type { Matrix } from '../core/matrix.ts';
import { Rng } from '../core/rng.ts';
import { takeColumn } from '../data/column.ts';
import type { Table } from '../data/table.ts';
import type { LearningTask } from './families.ts';
import { computeMetric, metricSpec } from './scores.ts';

/** Options of {@link tablePermutationImportance}. */
export interface TablePermutationImportanceOptions {
  /** The task of the model (`binary`, `multiclass`, `regression`). */
  task: Exclude<LearningTask, 'clustering'>;
  /** The metric (a key of the task's metrics, e.g. `rocAuc`, `rmse`). */
  metric: string;
  /** Shuffles per column (default 5, as scikit-learn). */
  nRepeats?: number;
  /** Seed of the shuffles (default 0). */
  seed?: number;
  /** The columns to measure (default: every column of `X`). */
  columns?: readonly string[];
}

/** One column's importance. */
export interface ColumnImportance {
  column: string;
  /** Mean and standard deviation (ddof 0, as scikit-learn) over the repeats. */
  mean: number;
  std: number;
  /** One importance per repeat. */
  values: number[];
}

/** What {@link tablePermutationImportance} returns. */
export interface TablePermutationImportance {
  metric: string;
  /** The score on the rows as given. */
  baseline: number;
  /** In the order of the columns measured. */
  columns: ColumnImportance[];
}

/** The fitted pipeline's interface this needs (a Lathe `Pipeline` or estimator taking a Table). */
interface Scoreable {
  predict(X: Table): Label[] | Float64Array | Int32Array;
  predictProba?(X: Table): Matrix;
  classes_?: Label[] | null;
}

/**
 * Permutation importance of each column of `X` for `model`, scored against the truth `y`.
 *
 * @example
 * ```ts
 * const r = trainModel(table, { family: 'gbdt', target: 'churned' });
 * const holdout = table.take(r.holdoutRows);
 * const imp = tablePermutationImportance(r.model, holdout.drop(['churned']), holdout.values('churned'), {
 *   task: 'binary', metric: 'rocAuc',
 * });
 * imp.columns.sort((a, b) => b.mean - a.mean)[0]; // { column: 'tenure_months', mean: 0.12, … }
 * ```
 */
export function tablePermutationImportance(
  model: Scoreable,
  X: Table,
  y: Label[] | Float64Array,
  options: TablePermutationImportanceOptions,
): TablePermutationImportance {
  const spec = metricSpec(options.task, options.metric);
  if (!spec) {
    throw new ValidationError(
      `tablePermutationImportance: '${options.metric}' is not a ${options.task} metric.`,
      {
        field: 'metric',
        fix: `use a ${options.task} metric such as ${options.task === 'regression' ? 'rmse or r2' : 'accuracy or logLoss'}`,
      },
    );
  }
  if (y.length !== X.nRows || X.nRows < 2) {
    throw new ValidationError(
      `tablePermutationImportance: X has ${X.nRows} rows and y ${y.length} values; they must match, with at least 2 rows.`,
      { field: 'y', fix: 'pass one target value per row of X' },
    );
  }
  const nRepeats = options.nRepeats ?? 5;
  if (!Number.isInteger(nRepeats) || nRepeats < 1) {
    throw new ValidationError(
      `tablePermutationImportance: nRepeats must be an integer ≥ 1; got ${nRepeats}.`,
      {
        field: 'nRepeats',
        fix: 'use e.g. 5',
      },
    );
  }
  const names = options.columns ?? X.columnNames;
  for (const c of names) X.column(c); // an unknown name fails here, listing the columns
  const sign = spec.greaterIsBetter ? 1 : -1;
  const classifier = options.task !== 'regression';
  const score = (T: Table): number =>
    computeMetric(options.task, options.metric, {
      yTrue: y,
      yPred: model.predict(T) as Label[] | Float64Array,
      proba: classifier && spec.needsProba && model.predictProba ? model.predictProba(T) : null,
      classes: model.classes_ ?? undefined,
    });
  const baseline = score(X);
  const rng = new Rng(options.seed ?? 0);
  const perms = Array.from({ length: nRepeats }, (_, r) => rng.derive(r).permutation(X.nRows));
  const columns = names.map((name): ColumnImportance => {
    const col = X.column(name);
    const values: number[] = [];
    for (let r = 0; r < nRepeats; r++) {
      const shuffled = X.withColumn(takeColumn(col, perms[r]));
      values.push(sign * (baseline - score(shuffled)));
    }
    const mean = values.reduce((a, b) => a + b, 0) / nRepeats;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / nRepeats);
    return { column: name, mean, std, values };
  });
  return { metric: options.metric, baseline, columns };
}
