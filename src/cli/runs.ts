/**
 * `lathe runs list|show|compare`: the tracked runs in the store (`--store`, `LATHE_STORE`, or
 * `./.lathe/lathe.db`). See docs/tracking.md for the `--json` shapes.
 *
 * @module
 */

import type { Command } from 'commander';
import { openStore } from '../track/open.ts';
import { setOwn } from '../track/sql-store.ts';
import {
  type MetricPoint,
  type ParamValue,
  RUN_STATUSES,
  type RunDetail,
  type RunStatus,
  type RunSummary,
  type Store,
} from '../track/store.ts';
import {
  action,
  type CommonOptions,
  choiceFlag,
  intFlag,
  output,
  UsageError,
  withCommonOptions,
} from './common.ts';

/**
 * Opens the store named by `--store` (or the default), runs `fn`, and closes it. With
 * `create: false` (commands that only read) a missing SQLite store is an error, not a new store.
 */
export async function withStore<T>(
  opts: CommonOptions,
  fn: (store: Store) => Promise<T>,
  { create = true }: { create?: boolean } = {},
): Promise<T> {
  const store = await openStore(opts.store, { create });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** {@link withStore} for commands that need an existing store (a missing one is an error). */
export function withExistingStore<T>(opts: CommonOptions, fn: (store: Store) => Promise<T>): Promise<T> {
  return withStore(opts, fn, { create: false });
}

/** Lays rows out as aligned columns (first row: the header). */
export function textTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, j) => (widths[j] = Math.max(widths[j] ?? 0, [...c].length)));
  return rows
    .map((r) =>
      r
        .map((c, j) => (j === r.length - 1 ? c : c + ' '.repeat(widths[j] - [...c].length)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A number for a table cell: up to 6 significant digits; NaN as "NaN". */
export function fmtNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(6)));
}

/** A parameter value for a table cell. */
function fmtParam(v: ParamValue | undefined): string {
  if (v === undefined) return '—';
  if (typeof v === 'string') return v;
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** "2024-05-01 12:00:00" (UTC) from an ISO time. */
export function fmtTime(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : '—';
}

/** "1.2 s", "3 min 4 s", "2 h 5 min". */
export function fmtDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

interface ListOptions extends CommonOptions {
  experiment?: string;
  status?: RunStatus;
  parent?: string;
  limit: number;
}

interface ShowOptions extends CommonOptions {
  history?: string[];
}

interface CompareOptions extends CommonOptions {
  diffOnly?: boolean;
}

/** One row of `lathe runs compare`. */
export interface CompareRow {
  key: string;
  /** One value per run, in the order given (null: the run lacks it). */
  values: (ParamValue | number | null)[];
  /** True when not all runs have the same value. */
  differs: boolean;
}

/** The `--json` document of `lathe runs compare`. */
export interface RunComparison {
  runs: { id: string; name: string | null; experiment: string; status: RunStatus }[];
  params: CompareRow[];
  metrics: CompareRow[];
}

/** Side-by-side parameters and latest metrics of several runs. */
export function compareRuns(details: RunDetail[]): RunComparison {
  const keys = (pick: (d: RunDetail) => Record<string, unknown>) =>
    [...new Set(details.flatMap((d) => Object.keys(pick(d))))].sort();
  const row = (key: string, values: (ParamValue | number | null)[]): CompareRow => {
    const texts = values.map((v) => JSON.stringify(v));
    return { key, values, differs: texts.some((t) => t !== texts[0]) };
  };
  return {
    runs: details.map((d) => ({ id: d.id, name: d.name, experiment: d.experiment, status: d.status })),
    params: keys((d) => d.params).map((k) =>
      row(
        k,
        details.map((d) => (Object.hasOwn(d.params, k) ? d.params[k] : null)),
      ),
    ),
    metrics: keys((d) => d.metrics).map((k) =>
      row(
        k,
        details.map((d) => (Object.hasOwn(d.metrics, k) ? d.metrics[k].value : null)),
      ),
    ),
  };
}

/** Registers `lathe runs`. */
export function register(program: Command): void {
  const runs = program
    .command('runs')
    .description('tracked runs: list, show one, compare several (see docs/tracking.md)');

  withCommonOptions(
    runs
      .command('list')
      .description('list runs, newest first, with their latest metrics')
      .option('--experiment <name>', 'only runs of this experiment')
      .option(
        '--status <status>',
        `only runs with this status (${RUN_STATUSES.join(', ')})`,
        choiceFlag('--status', RUN_STATUSES),
      )
      .option('--parent <id>', 'only the trials of this parent run')
      .option('--limit <n>', 'at most this many runs', intFlag('--limit'), 20),
  ).action(
    action(async (opts: ListOptions) => {
      const list = await withExistingStore(opts, (store) =>
        store
          .listRuns({
            experiment: opts.experiment,
            status: opts.status,
            parentId: opts.parent,
            limit: opts.limit,
          })
          .then((r) => ({ store: store.location, runs: r })),
      );
      output(opts, list, () => listText(list.runs, list.store));
    }),
  );

  withCommonOptions(
    runs
      .command('show <id>')
      .description('everything about one run: params, metrics, tags, lineage, datasets, artifacts')
      .option('--history <key...>', 'also print the full history of these metrics'),
  ).action(
    action(async (id: string, opts: ShowOptions) => {
      const result = await withExistingStore(opts, async (store) => {
        const run = await store.getRun(id);
        const history: Record<string, MetricPoint[]> = {};
        for (const key of opts.history ?? []) {
          if (!Object.hasOwn(run.metrics, key)) {
            throw new UsageError(
              `Run ${run.id} has no metric '${key}'; its metrics are: ${Object.keys(run.metrics).join(', ') || 'none'}.`,
            );
          }
          setOwn(history, key, await store.metricHistory(run.id, key));
        }
        return { run, history };
      });
      output(opts, opts.history ? { ...result.run, history: result.history } : result.run, () =>
        showText(result.run, result.history),
      );
    }),
  );

  withCommonOptions(
    runs
      .command('compare <ids...>')
      .description('side-by-side parameters and latest metrics of two or more runs')
      .option('--diff-only', 'only the rows where the runs differ'),
  ).action(
    action(async (ids: string[], opts: CompareOptions) => {
      if (ids.length < 2) throw new UsageError('lathe runs compare needs at least two run ids.');
      const details = await withExistingStore(opts, async (store) => {
        const out: RunDetail[] = [];
        for (const id of ids) out.push(await store.getRun(id));
        return out;
      });
      const cmp = compareRuns(details);
      if (opts.diffOnly) {
        cmp.params = cmp.params.filter((r) => r.differs);
        cmp.metrics = cmp.metrics.filter((r) => r.differs);
      }
      output(opts, cmp, () => compareText(cmp));
    }),
  );
}

function listText(runs: RunSummary[], location: string): string {
  if (runs.length === 0) return `No runs in ${location}.`;
  const rows = [['ID', 'EXPERIMENT', 'NAME', 'STATUS', 'STARTED (UTC)', 'DURATION', 'METRICS']];
  for (const r of runs) {
    const metrics = Object.entries(r.metrics);
    rows.push([
      r.id.slice(0, 8),
      r.experiment,
      r.name ?? '',
      r.status,
      fmtTime(r.startedAt),
      r.status === 'running' ? 'running' : fmtDuration(r.durationMs),
      metrics
        .slice(0, 4)
        .map(([k, v]) => `${k}=${fmtNumber(v)}`)
        .join(' ') + (metrics.length > 4 ? ` (+${metrics.length - 4})` : ''),
    ]);
  }
  return textTable(rows);
}

function showText(r: RunDetail, history: Record<string, MetricPoint[]>): string {
  const lines: string[] = [];
  lines.push(`run ${r.id}${r.name ? ` (${r.name})` : ''}`);
  lines.push(`  experiment  ${r.experiment}`);
  lines.push(`  status      ${r.status}${r.failure ? ` — ${r.failure}` : ''}`);
  lines.push(`  started     ${fmtTime(r.startedAt)} UTC`);
  lines.push(`  ended       ${fmtTime(r.endedAt)}${r.endedAt ? ` UTC (${fmtDuration(r.durationMs)})` : ''}`);
  lines.push(`  host        ${r.host} (pid ${r.pid})`);
  if (r.parentId) lines.push(`  parent      ${r.parentId}`);
  if (r.children) lines.push(`  children    ${r.children} (lathe runs list --parent ${r.id.slice(0, 8)})`);
  if (r.notes) lines.push(`  notes       ${r.notes}`);
  const section = (title: string, rows: string[][]) => {
    if (rows.length === 0) return;
    lines.push('', title);
    lines.push(
      textTable(rows)
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  };
  section(
    'params',
    Object.entries(r.params).map(([k, v]) => [k, fmtParam(v)]),
  );
  section('metrics', [
    ...(Object.keys(r.metrics).length ? [['KEY', 'LATEST', 'STEP', 'POINTS']] : []),
    ...Object.entries(r.metrics).map(([k, m]) => [k, fmtNumber(m.value), String(m.step), String(m.count)]),
  ]);
  for (const [key, points] of Object.entries(history)) {
    section(`history of ${key}`, [
      ['STEP', 'VALUE', 'AT (UTC)'],
      ...points.map((p) => [String(p.step), fmtNumber(p.value), fmtTime(p.at)]),
    ]);
  }
  section(
    'tags',
    Object.entries(r.tags).map(([k, v]) => [k, v]),
  );
  if (r.lineage) {
    const l = r.lineage;
    section('lineage', [
      ['git', l.gitCommit ? `${l.gitCommit}${l.gitDirty ? ' (uncommitted changes)' : ''}` : '—'],
      ['package-lock', l.packageLockSha256 ?? '—'],
      ['node', l.node],
      ['lathe', l.lathe],
      ['os', `${l.os.platform} ${l.os.release} ${l.os.arch}`],
      ['cpu', `${l.cpu.model} × ${l.cpu.cores}`],
      ['seed', l.seed === null ? '—' : String(l.seed)],
      ['data', l.data.map((d) => `${d.fingerprint} (${d.role})`).join(', ') || '—'],
    ]);
  }
  section(
    'datasets',
    r.datasets.map((d) => [d.role, d.fingerprint, d.name ?? '', d.nRows === null ? '' : `${d.nRows} rows`]),
  );
  section(
    'artifacts',
    r.artifacts.map((a) => [a.name, `${a.size} bytes`, `sha256:${a.sha256.slice(0, 12)}`, a.mediaType ?? '']),
  );
  return lines.join('\n');
}

function compareText(cmp: RunComparison): string {
  const header = ['', ...cmp.runs.map((r) => r.id.slice(0, 8))];
  const rows: string[][] = [
    header,
    ['name', ...cmp.runs.map((r) => r.name ?? '')],
    ['status', ...cmp.runs.map((r) => r.status)],
  ];
  const cell = (v: ParamValue | number | null) =>
    v === null ? '—' : typeof v === 'number' ? fmtNumber(v) : fmtParam(v);
  if (cmp.params.length) {
    rows.push(['params', ...cmp.runs.map(() => '')]);
    for (const r of cmp.params) rows.push([`${r.differs ? '* ' : '  '}${r.key}`, ...r.values.map(cell)]);
  }
  if (cmp.metrics.length) {
    rows.push(['metrics (latest)', ...cmp.runs.map(() => '')]);
    for (const r of cmp.metrics) rows.push([`${r.differs ? '* ' : '  '}${r.key}`, ...r.values.map(cell)]);
  }
  return `${textTable(rows)}\n(* = differs)`;
}
