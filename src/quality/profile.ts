/**
 * `profileTable`: the data-quality report of a table — a pure function over the table's typed
 * arrays. Each column is summarised in a few sequential passes over a sorted copy (one scratch
 * buffer reused for every column, no row objects); duplicate rows are found by hashing; the
 * correlation matrices and the target associations use at most `sample` rows.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import type { Schema, SemanticType } from '../data/schema.ts';
import { type Table, unknownColumn } from '../data/table.ts';
import { runChecks } from './checks.ts';
import { type ColumnWork, profileColumn, profileScratch } from './column-profile.ts';
import { correlationSection } from './correlations.ts';
import { findDuplicateRows } from './duplicates.ts';
import {
  FINDING_SEVERITIES,
  type FindingSeverity,
  type ProfileSource,
  QUALITY_REPORT_VERSION,
  type QualityReport,
  type TableProfile,
} from './report.ts';
import { SampleRankings, sampleRows } from './sample.ts';
import { targetSection } from './target.ts';
import { type QualityThresholds, resolveThresholds } from './thresholds.ts';

/** Rows used for correlations and target associations unless `sample` says otherwise. */
export const DEFAULT_PROFILE_SAMPLE = 100_000;

/** Options of {@link profileTable}. */
export interface ProfileOptions {
  /** The column to be predicted: adds class balance or its distribution, and the leakage check. */
  target?: string;
  /** Override the task the target implies (strings, booleans and few whole numbers are classes). */
  task?: 'classification' | 'regression';
  /** A schema whose column types override the inferred ones (columns it does not name are inferred). */
  schema?: Schema;
  /**
   * At most this many rows (a seeded random sample) for the correlation matrices and the target
   * associations; `null` for every row. Default {@link DEFAULT_PROFILE_SAMPLE}. Column statistics,
   * missing values and duplicates always use every row.
   */
  sample?: number | null;
  /** Seed of the sample and of the half/half split of the leakage check (default 0). */
  seed?: number;
  /** Thresholds of the checks (defaults in `DEFAULT_QUALITY_THRESHOLDS`). */
  thresholds?: Partial<QualityThresholds>;
  /** Where the table came from (a `ReadResult`'s source and summary), to report rejected rows. */
  source?: ProfileSource;
  /** For each row, the 1-based line of the file it came from (a `ReadResult`'s `rowLines`), for evidence. */
  rowLines?: ArrayLike<number>;
}

function checkOptions(table: Table, o: ProfileOptions): void {
  if (o.target !== undefined && !table.has(o.target)) throw unknownColumn(o.target, table.columnNames);
  if (o.task !== undefined && o.task !== 'classification' && o.task !== 'regression') {
    throw new ValidationError(
      `profileTable: task must be 'classification' or 'regression'; got '${String(o.task)}'.`,
      {
        field: 'task',
      },
    );
  }
  if (o.task !== undefined && o.target === undefined) {
    throw new ValidationError('profileTable: a task was given without a target.', {
      field: 'task',
      fix: 'pass target: "<column>" as well, or leave task out',
    });
  }
  if (o.sample !== undefined && o.sample !== null && !(Number.isInteger(o.sample) && o.sample >= 2)) {
    throw new ValidationError(
      `profileTable: sample must be an integer ≥ 2 or null; got ${String(o.sample)}.`,
      {
        field: 'sample',
        expected: 'an integer ≥ 2, or null for every row',
        actual: o.sample,
      },
    );
  }
  if (o.rowLines !== undefined && o.rowLines.length !== table.nRows) {
    throw new ValidationError(
      `profileTable: rowLines has ${o.rowLines.length} entries for ${table.nRows} rows.`,
      {
        field: 'rowLines',
        fix: "pass the ReadResult's rowLines of this very table",
      },
    );
  }
  if (o.seed !== undefined && !(Number.isSafeInteger(o.seed) && o.seed >= 0)) {
    throw new ValidationError(`profileTable: seed must be a non-negative integer; got ${String(o.seed)}.`, {
      field: 'seed',
    });
  }
}

/**
 * Profiles `table`: per-column statistics, table facts, correlations, the target analysis and
 * the findings of every check (docs/profile.md). Deterministic: the same table and options give
 * the same report.
 *
 * @example
 * const { table } = await readTable('customers.csv');
 * const report = profileTable(table, { target: 'churned' });
 * for (const f of report.findings) console.log(f.severity, f.title);
 */
export function profileTable(table: Table, options: ProfileOptions = {}): QualityReport {
  checkOptions(table, options);
  const th = resolveThresholds(options.thresholds);
  const seed = options.seed ?? 0;
  const schemaByName = new Map((options.schema?.columns ?? []).map((c) => [c.name, c]));

  const scratch = profileScratch(table.nRows);
  const works: ColumnWork[] = table.columns.map((c, j) =>
    profileColumn(c, j, th, scratch, schemaByName.get(c.name)),
  );

  const dups = findDuplicateRows(
    table,
    works.map((w) => w.codes),
  );
  let missingCells = 0;
  const types: Partial<Record<SemanticType, number>> = {};
  for (const w of works) {
    missingCells += w.profile.missing;
    types[w.profile.type] = (types[w.profile.type] ?? 0) + 1;
  }
  const cells = table.nRows * table.nCols;
  const summary: TableProfile = {
    rows: table.nRows,
    columns: table.nCols,
    cells,
    missingCells,
    missingPct: cells > 0 ? (100 * missingCells) / cells : 0,
    duplicateRows: dups.count,
    duplicatePct: table.nRows > 0 ? (100 * dups.count) / table.nRows : 0,
    duplicateExamples: options.rowLines
      ? dups.examples.map((e) => ({
          ...e,
          line: options.rowLines![e.row],
          sameAsLine: options.rowLines![e.sameAs],
        }))
      : dups.examples,
    types,
  };

  const rows = sampleRows(
    table.nRows,
    options.sample === undefined ? DEFAULT_PROFILE_SAMPLE : options.sample,
    seed,
  );
  const rankings = new SampleRankings(table.columns, rows);
  const correlations = correlationSection(table, works, rankings, th);
  const target =
    options.target === undefined
      ? null
      : targetSection(table, works, options.target, rankings, th, { task: options.task, seed });
  const source = options.source ?? null;
  const findings = runChecks({ table: summary, works, correlations, target, source, th });
  const counts = Object.fromEntries(FINDING_SEVERITIES.map((s) => [s, 0])) as Record<FindingSeverity, number>;
  for (const f of findings) counts[f.severity]++;
  return {
    version: QUALITY_REPORT_VERSION,
    source,
    table: summary,
    columns: works.map((w) => w.profile),
    findings,
    counts,
    correlations,
    target,
    thresholds: th,
  };
}
