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
import { correlationMatrix, spearmanMatrix } from '../stats/correlation.ts';
import { type InfiniteValues, runChecks } from './checks.ts';
import { type ColumnWork, type ProfileScratch, profileColumn, profileScratch } from './column-profile.ts';
import { assembleCorrelations, correlationColumns } from './correlations.ts';
import { type DuplicateRows, findDuplicateRows } from './duplicates.ts';
import {
  type ColumnQueue,
  type CorrelationJob,
  type CorrelationPart,
  type OwnColumns,
  ProfileArena,
  type ProfileShare,
  profileShareJob,
  runProfileShare,
} from './profile-tasks.ts';
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
  const th = resolveThresholds(options.thresholds);
  const schemaByName = schemas(options);
  // One work space for the sorts, the duplicate search, the sample draw and the rankings.
  const arena = new ProfileArena(ProfileArena.scratchBytes(table.nRows));
  const works = new Array<ColumnWork>(table.nCols);
  const own: OwnColumns = { columns: [], indices: [], schemas: [] };
  table.columns.forEach((c, j) => {
    if (c.type === 'numeric' || c.type === 'datetime') addOwn(own, c, j, schemaByName);
    else works[j] = profileColumn(c, j, th, profileScratch(0), schemaByName.get(c.name));
  });
  const textCodes = table.columns.map((_, j) => works[j]?.codes ?? null);
  const share = runProfileShare(th, own, null, { columns: [...table.columns], textCodes }, null, arena);
  own.indices.forEach((j, k) => {
    works[j] = share.own[k];
  });
  const ctx = context(table, options, { arena });
  const { chosen, excluded } = correlationColumns(works, th);
  const pearson = correlationMatrix(
    chosen.map((w) => ctx.rankings.values(w.profile.index)),
    { method: 'pearson' },
  );
  const spearman = spearmanMatrix(chosen.map((w) => ctx.rankings.get(w.profile.index)));
  return finishReport(table, options, ctx, works, share.dups as DuplicateRows, {
    chosen,
    excluded,
    pearson,
    spearman,
  });
}

/**
 * {@link profileTable} on worker threads as well as this one (`options.threads`, default all
 * cores): the same report, sooner. Tables under {@link PARALLEL_PROFILE_MIN_ROWS} rows are
 * profiled here. Columns in shared memory (as `readTable` returns them) reach the workers
 * without a copy.
 *
 * Each worker starts with one long job — both correlation matrices (over every numeric and
 * boolean column, when they are few enough to be kept: the report keeps the entries of the
 * columns it then chooses, and each entry depends on its own pair only), or the duplicate
 * search — and this thread with what is left of those and the quick columns (categorical,
 * boolean, text, and any column not in shared memory); then every thread takes numeric and
 * datetime column summaries from one shared queue until none is left, so they finish together.
 *
 * @example
 * const { table } = await readTable('big.csv');
 * const report = await profileTableAsync(table);
 */
export async function profileTableAsync(table: Table, options: ProfileOptions = {}): Promise<QualityReport> {
  checkOptions(table, options);
  const threads = options.threads ?? defaultThreadCount();
  if (threads < 2 || table.nRows < PARALLEL_PROFILE_MIN_ROWS) return profileTable(table, options);
  const th = resolveThresholds(options.thresholds);
  const schemaByName = schemas(options);
  const pool = sharedPool(threads);
  const inShared = (c: Column) =>
    (c.type === 'categorical' ? c.codes : c.type === 'text' ? null : c.values)?.buffer instanceof
    SharedArrayBuffer;
  // Both matrices over the numeric and boolean columns, when they are few enough to be kept.
  const numeric: number[] = [];
  table.columns.forEach((c, j) => {
    if (c.type === 'numeric' || c.type === 'boolean') numeric.push(j);
  });
  const speculate = numeric.length >= 2 && numeric.length <= th.maxCorrelationColumns;
  const keep = options.target !== undefined;
  let ctx: ProfileContext | null = null;
  let corrJob: CorrelationJob | null = null;
  if (speculate) {
    const sample = options.sample === undefined ? DEFAULT_PROFILE_SAMPLE : options.sample;
    const base = { tableRows: table.nRows, sample, seed: options.seed ?? 0, keep };
    if (numeric.every((j) => inShared(table.columns[j]))) {
      corrJob = { ...base, columns: numeric.map((j) => table.columns[j]), data: null };
    } else {
      // Columns a worker cannot share: their sampled values are gathered here, in shared memory.
      ctx = context(table, options, { shared: true });
      const rankings = ctx.rankings;
      corrJob = { ...base, columns: null, data: numeric.map((j) => rankings.values(j)), keep: false };
    }
  }
  // The summaries any thread may take, and those only this thread can reach.
  const queue: ColumnQueue = {
    next: new Int32Array(new SharedArrayBuffer(4)),
    columns: [],
    indices: [],
    schemas: [],
  };
  const own: OwnColumns = { columns: [], indices: [], schemas: [] };
  table.columns.forEach((c, j) => {
    if (c.type !== 'numeric' && c.type !== 'datetime') return;
    if (inShared(c)) addOwn(queue, c, j, schemaByName);
    else addOwn(own, c, j, schemaByName);
  });
  // The long jobs, longest first, one per worker; what is left is this thread's.
  const dupsShareable = table.nCols > 0 && table.columns.every(inShared);
  const long: ('corr' | 'dups')[] = [];
  if (corrJob) long.push('corr');
  if (dupsShareable) long.push('dups');
  const workerJobs = long.slice(0, threads - 1);
  const shares = Array.from({ length: threads - 1 }, (_, q) => workerJobs[q] ?? null);
  const allColumns = () => ({ columns: [...table.columns], textCodes: [] as (Int32Array | null)[] });
  const pending = pool
    .map<ProfileShare>(
      shares.map((job) =>
        profileShareJob(
          th,
          null,
          queue.columns.length > 0 ? queue : null,
          job === 'dups' ? allColumns() : null,
          job === 'corr' ? corrJob : null,
        ),
      ),
    )
    .catch(() => null);
  // This thread: the quick columns, then its share of the long jobs and of the queue.
  const works = new Array<ColumnWork>(table.nCols);
  table.columns.forEach((c, j) => {
    if (c.type !== 'numeric' && c.type !== 'datetime')
      works[j] = profileColumn(c, j, th, profileScratch(0), schemaByName.get(c.name));
  });
  const mineDups = !workerJobs.includes('dups');
  const mineCorr = corrJob !== null && !workerJobs.includes('corr');
  const textCodes = table.columns.map((_, j) => works[j]?.codes ?? null);
  const mine = runProfileShare(
    th,
    own,
    queue.columns.length > 0 ? queue : null,
    mineDups ? { columns: [...table.columns], textCodes } : null,
    mineCorr ? corrJob : null,
  );
  const theirs = (await pending) ?? [];
  own.indices.forEach((j, k) => {
    works[j] = mine.own[k];
  });
  const results = [mine, ...theirs];
  let dups: DuplicateRows | null = null;
  let corr: CorrelationPart | null = null;
  for (const r of results) {
    for (const { k, work } of r.taken) works[queue.indices[k]] = work;
    dups ??= r.dups;
    corr ??= r.corr;
  }
  // A failed worker costs time, not the result: what it was to do is done here.
  let scratch: ProfileScratch | null = null;
  queue.indices.forEach((j, k) => {
    if (works[j]) return;
    scratch ??= profileScratch(table.nRows);
    works[j] = profileColumn(table.columns[j], j, th, scratch, queue.schemas[k]);
  });
  dups ??= findDuplicateRows(table, textCodes);
  if (!ctx) ctx = context(table, options, corr && corrJob?.columns ? { rows: corr.rows } : {});
  if (corr?.values && corr.rankings) {
    // The target section ranks the same sampled values: reuse them.
    for (let q = 0; q < numeric.length; q++) {
      ctx.rankings.seedValues(numeric[q], corr.values[q]);
      ctx.rankings.seed(numeric[q], corr.rankings[q]);
    }
  }
  const { chosen, excluded } = correlationColumns(works, th);
  const index = new Map(numeric.map((j, q) => [j, q] as [number, number]));
  const covered = corr !== null && chosen.every((w) => index.has(w.profile.index));
  const rankings = ctx.rankings;
  const pearson = covered
    ? subMatrix((corr as CorrelationPart).pearson, index, chosen)
    : correlationMatrix(
        chosen.map((w) => rankings.values(w.profile.index)),
        { method: 'pearson' },
      );
  const spearman = covered
    ? subMatrix((corr as CorrelationPart).spearman, index, chosen)
    : spearmanMatrix(chosen.map((w) => rankings.get(w.profile.index)));
  return finishReport(table, options, ctx, works, dups, { chosen, excluded, pearson, spearman });
}

function schemas(options: ProfileOptions): Map<string, ColumnSchema> {
  return new Map((options.schema?.columns ?? []).map((c) => [c.name, c]));
}

function addOwn(list: OwnColumns, c: Column, j: number, schemaByName: Map<string, ColumnSchema>): void {
  list.columns.push(c);
  list.indices.push(j);
  list.schemas.push(schemaByName.get(c.name));
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
  rows: Int32Array | null;
  rankings: SampleRankings;
}

/**
 * The context, with the row sample drawn here unless `rows` gives it (null: every row). With
 * `shared`, sampled values are gathered into shared memory; `arena` lends the draw and the
 * rankings their work space.
 */
function context(
  table: Table,
  options: ProfileOptions,
  how: { shared?: boolean; rows?: Int32Array | null; arena?: ProfileArena },
): ProfileContext {
  const seed = options.seed ?? 0;
  const arena = how.arena;
  const draw = arena && arena.bytes >= 4 * table.nRows ? arena.i32(0, table.nRows) : undefined;
  const rows =
    how.rows !== undefined
      ? how.rows
      : sampleRows(
          table.nRows,
          options.sample === undefined ? DEFAULT_PROFILE_SAMPLE : options.sample,
          seed,
          draw,
        );
  const rankings = new SampleRankings(table.columns, rows, how.shared ?? false);
  const size = rows === null ? table.nRows : rows.length;
  if (arena && arena.bytes >= ProfileArena.rankBytes(size)) rankings.useScratch(arena.ranks(size));
  return { th: resolveThresholds(options.thresholds), seed, rows, rankings };
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
  const infinite = infiniteValues(table, options.rowLines);
  const findings = runChecks({ table: summary, works, correlations, target, source, th, infinite });
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

/** ±Infinity in the numeric columns (the profile's summaries cannot describe them). */
function infiniteValues(table: Table, rowLines?: ArrayLike<number>): Map<string, InfiniteValues> {
  const out = new Map<string, InfiniteValues>();
  for (const c of table.columns) {
    if (c.type !== 'numeric') continue;
    const v = c.values;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x === x && (x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY)) {
        const e = out.get(c.name);
        if (e) {
          e.count++;
          if (x > 0) e.positive++;
        } else {
          out.set(c.name, {
            count: 1,
            positive: x > 0 ? 1 : 0,
            first: rowLines ? rowLines[i] : i + 1,
            firstIsLine: rowLines !== undefined,
          });
        }
      }
    }
  }
  return out;
}
