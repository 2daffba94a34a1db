/**
 * `profileTable`: the data-quality report of a table — a pure function over the table's typed
 * arrays. Each column is summarised in a few sequential passes over a sorted copy (one scratch
 * buffer reused for every column, no row objects); duplicate rows are found by hashing; the
 * correlation matrices and the target associations use at most `sample` rows.
 *
 * `profileTableAsync` gives the same report using worker threads as well as the calling thread:
 * the column summaries and the duplicate search are shared out (longest first) between this
 * thread and the pool's workers, then the two correlation matrices are computed side by side.
 * Every number comes from the same function on the same values, so the reports are identical.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { defaultThreadCount, sharedPool } from '../core/pool.ts';
import type { Column } from '../data/column.ts';
import type { ColumnSchema, Schema, SemanticType } from '../data/schema.ts';
import { type Table, unknownColumn } from '../data/table.ts';
import { correlationMatrix, type DenseRanking, spearmanMatrix } from '../stats/correlation.ts';
import { runChecks } from './checks.ts';
import { type ColumnWork, profileColumn, profileScratch } from './column-profile.ts';
import { assembleCorrelations, correlationColumns } from './correlations.ts';
import { type DuplicateRows, findDuplicateRows } from './duplicates.ts';
import { type ProfilePart, profilePartJob, runProfilePart } from './profile-tasks.ts';
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

/** `profileTableAsync` profiles tables with fewer rows on the calling thread only. */
export const PARALLEL_PROFILE_MIN_ROWS = 50_000;

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
  /**
   * `profileTableAsync` only: threads for tables of {@link PARALLEL_PROFILE_MIN_ROWS} rows or more,
   * this one included (default `LATHE_THREADS`, else all cores; 1 = this thread only). The report
   * is the same whatever the count.
   */
  threads?: number;
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
  if (o.threads !== undefined && !(Number.isInteger(o.threads) && o.threads >= 1)) {
    throw new ValidationError(`profileTable: threads must be a positive integer; got ${String(o.threads)}.`, {
      field: 'threads',
    });
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
 * the same report. Runs on the calling thread; {@link profileTableAsync} gives the same report
 * faster on several cores.
 *
 * @example
 * const { table } = await readTable('customers.csv');
 * const report = profileTable(table, { target: 'churned' });
 * for (const f of report.findings) console.log(f.severity, f.title);
 */
export function profileTable(table: Table, options: ProfileOptions = {}): QualityReport {
  checkOptions(table, options);
  const ctx = context(table, options);
  const scratch = profileScratch(table.nRows);
  const works = table.columns.map((c, j) =>
    profileColumn(c, j, ctx.th, scratch, ctx.schemaByName.get(c.name)),
  );
  const dups = findDuplicateRows(
    table,
    works.map((w) => w.codes),
  );
  const { chosen, excluded } = correlationColumns(works, ctx.th);
  const pearson = correlationMatrix(
    chosen.map((w) => ctx.rankings.values(w.profile.index)),
    { method: 'pearson' },
  );
  const spearman = spearmanMatrix(chosen.map((w) => ctx.rankings.get(w.profile.index)));
  return finishReport(table, options, ctx, works, dups, { chosen, excluded, pearson, spearman });
}

/**
 * {@link profileTable} on worker threads as well as this one (`options.threads`, default all
 * cores): the same report, sooner. Tables under {@link PARALLEL_PROFILE_MIN_ROWS} rows are
 * profiled here. Columns in shared memory (as `readTable` returns them) reach the workers
 * without a copy; others are copied per task.
 *
 * The work is shared out in one batch, longest first onto the least loaded thread: the
 * duplicate search and both correlation matrices (over every numeric and boolean column; the
 * report keeps the entries of the columns it then chooses, and each entry depends on its own
 * pair only) go to the workers, the numeric and datetime column summaries to whichever thread
 * has least to do, and this thread summarises the other columns and assembles the report.
 *
 * @example
 * const { table } = await readTable('big.csv');
 * const report = await profileTableAsync(table);
 */
export async function profileTableAsync(table: Table, options: ProfileOptions = {}): Promise<QualityReport> {
  checkOptions(table, options);
  const threads = options.threads ?? defaultThreadCount();
  if (threads < 2 || table.nRows < PARALLEL_PROFILE_MIN_ROWS) return profileTable(table, options);
  const ctx = context(table, options, true);
  const { th, schemaByName, rankings } = ctx;
  const pool = sharedPool(threads);
  // Both matrices over the numeric and boolean columns, when they are few enough to be kept.
  const numeric: number[] = [];
  table.columns.forEach((c, j) => {
    if (c.type === 'numeric' || c.type === 'boolean') numeric.push(j);
  });
  const speculate = numeric.length >= 2 && numeric.length <= th.maxCorrelationColumns;
  const plan = planParts(table, threads, speculate ? numeric.length : 0);
  const data = speculate ? numeric.map((j) => rankings.values(j)) : [];
  const task = (part: PartPlan) =>
    [
      part.columns.map((j) => table.columns[j]),
      part.columns,
      th,
      part.columns.map((j) => schemaByName.get(table.columns[j].name)),
      part.dups ? [...table.columns] : null,
      part.spearman ? data : null,
      part.pearson ? data : null,
    ] as const;
  const pending = pool
    .map<ProfilePart>(plan.parts.slice(1).map((part) => profilePartJob(...task(part))))
    .catch(() => null);
  // This thread's share, then the columns that are quick to summarise.
  const results: (ProfilePart | null)[] = [runProfilePart(...task(plan.parts[0]))];
  const works = new Array<ColumnWork>(table.nCols);
  table.columns.forEach((c, j) => {
    if (!plan.assigned.has(j))
      works[j] = profileColumn(c, j, th, profileScratch(0), schemaByName.get(c.name));
  });
  const theirs = await pending;
  plan.parts.slice(1).forEach((_, k) => {
    results.push(theirs?.[k] ?? null);
  });
  let dups: DuplicateRows | null = null;
  let pearsonAll: Float64Array | null = null;
  let spearmanAll: Float64Array | null = null;
  let scratch: ReturnType<typeof profileScratch> | null = null;
  plan.parts.forEach((part, k) => {
    const r = results[k];
    part.columns.forEach((j, q) => {
      // A failed worker costs time, not the result: its share is done here.
      scratch ??= r ? null : profileScratch(table.nRows);
      works[j] = r
        ? r.works[q]
        : profileColumn(
            table.columns[j],
            j,
            th,
            scratch as ReturnType<typeof profileScratch>,
            schemaByName.get(table.columns[j].name),
          );
    });
    if (part.dups && r?.dups) dups = r.dups;
    if (part.pearson && r?.pearson) pearsonAll = r.pearson;
    if (part.spearman && r?.spearman) {
      spearmanAll = r.spearman.matrix;
      // The target section ranks the same sampled values: reuse the rankings.
      numeric.forEach((j, q) => {
        rankings.seed(j, (r.spearman as { rankings: DenseRanking[] }).rankings[q]);
      });
    }
  });
  dups ??= findDuplicateRows(
    table,
    works.map((w) => w.codes),
  );
  const { chosen, excluded } = correlationColumns(works, th);
  const index = new Map(numeric.map((j, q) => [j, q] as [number, number]));
  const covered = speculate && chosen.every((w) => index.has(w.profile.index));
  const pearson =
    covered && pearsonAll
      ? subMatrix(pearsonAll, index, chosen)
      : correlationMatrix(
          chosen.map((w) => rankings.values(w.profile.index)),
          { method: 'pearson' },
        );
  const spearman =
    covered && spearmanAll
      ? subMatrix(spearmanAll, index, chosen)
      : spearmanMatrix(chosen.map((w) => rankings.get(w.profile.index)));
  return finishReport(table, options, ctx, works, dups, { chosen, excluded, pearson, spearman });
}

/** The entries of a square matrix over the columns `index` maps, for the columns of `chosen`. */
function subMatrix(
  m: Float64Array,
  index: ReadonlyMap<number, number>,
  chosen: readonly ColumnWork[],
): Float64Array {
  const big = Math.round(Math.sqrt(m.length));
  const at = chosen.map((w) => index.get(w.profile.index) as number);
  const p = at.length;
  const out = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) out[a * p + b] = m[at[a] * big + at[b]];
  return out;
}

/** What both ways of profiling share: resolved options and the row sample. */
interface ProfileContext {
  th: QualityThresholds;
  seed: number;
  schemaByName: Map<string, ColumnSchema>;
  rows: Int32Array | null;
  rankings: SampleRankings;
}

function context(table: Table, options: ProfileOptions, shared = false): ProfileContext {
  const seed = options.seed ?? 0;
  const rows = sampleRows(
    table.nRows,
    options.sample === undefined ? DEFAULT_PROFILE_SAMPLE : options.sample,
    seed,
  );
  return {
    th: resolveThresholds(options.thresholds),
    seed,
    schemaByName: new Map((options.schema?.columns ?? []).map((c) => [c.name, c])),
    rows,
    rankings: new SampleRankings(table.columns, rows, shared),
  };
}

/** What one thread does: column summaries, and maybe the duplicates and a correlation matrix. */
interface PartPlan {
  columns: number[];
  dups: boolean;
  spearman: boolean;
  pearson: boolean;
  cost: number;
}

/**
 * Who does what (part 0 is this thread's), longest first onto the least loaded part. Costs in
 * units of one column summary, as measured on a million rows: the duplicate search about five,
 * Spearman's matrix over p columns about p/3 (a sort of the sample per column, then the pairs),
 * Pearson's about p/6; this thread starts with two for the sample, the quick columns and the
 * report. The duplicate search goes to a worker only when no column needs copying for it.
 */
function planParts(table: Table, threads: number, matrixColumns: number) {
  const shared = (c: Column) =>
    (c.type === 'categorical' ? c.codes : c.type === 'text' ? null : c.values)?.buffer instanceof
    SharedArrayBuffer;
  const parts: PartPlan[] = Array.from({ length: threads }, () => ({
    columns: [],
    dups: false,
    spearman: false,
    pearson: false,
    cost: 0,
  }));
  parts[0].cost = 2;
  const workers = parts.slice(1);
  const lightest = (ps: PartPlan[]) => ps.reduce((a, b) => (b.cost < a.cost ? b : a));
  const jobs: { kind: 'dups' | 'spearman' | 'pearson'; cost: number }[] = [];
  if (table.nCols > 0 && table.columns.every(shared)) jobs.push({ kind: 'dups', cost: 5 });
  if (matrixColumns > 0) {
    jobs.push({ kind: 'spearman', cost: matrixColumns / 3 }, { kind: 'pearson', cost: matrixColumns / 6 });
  }
  jobs.sort((a, b) => b.cost - a.cost);
  for (const job of jobs) {
    const w = lightest(workers);
    w[job.kind] = true;
    w.cost += job.cost;
  }
  const assigned = new Set<number>();
  table.columns.forEach((c, j) => {
    if (c.type !== 'numeric' && c.type !== 'datetime') return;
    const p = lightest(parts);
    p.columns.push(j);
    p.cost += 1;
    assigned.add(j);
  });
  return { parts, assigned };
}

/** The table facts, the target section, the checks and the report, from the parts computed. */
function finishReport(
  table: Table,
  options: ProfileOptions,
  ctx: ProfileContext,
  works: ColumnWork[],
  dups: DuplicateRows,
  corr: {
    chosen: ColumnWork[];
    excluded: { column: string; reason: string }[];
    pearson: Float64Array;
    spearman: Float64Array;
  },
): QualityReport {
  const { th, seed, rankings } = ctx;
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
  const correlations = assembleCorrelations(
    table,
    ctx.rows,
    corr.chosen,
    corr.excluded,
    corr.pearson,
    corr.spearman,
    th,
  );
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
