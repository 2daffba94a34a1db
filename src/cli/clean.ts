/**
 * `lathe clean <data> -o <out>`: profiles a file as `lathe profile` does, applies the fixes its
 * findings suggest (missing-value tokens to missing, numbers and dates stored as text converted,
 * empty and constant columns dropped, duplicate rows dropped; suspected leaks with
 * `--drop-leaks`), writes the cleaned table, and says what it did — and which findings it left
 * for you to judge. Rows whose values a conversion cannot read go to the rejects file, never
 * lost.
 *
 *   lathe clean survey.csv -o survey-clean.csv --target churned
 *   lathe clean survey.csv --dry-run            # what it would do
 *
 * @module
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { BadRowPolicy } from '../data/read-types.ts';
import { WRITE_EXTENSIONS, type WriteFormat, writeFormatFor, writeTable } from '../data/write.ts';
import { CLEAN_ACTIONS, type CleanAction, cleanTable, DEFAULT_CLEAN_ACTIONS } from '../quality/clean.ts';
import { profileFile } from '../quality/profile-file.ts';
import {
  action,
  type CommonOptions,
  choiceFlag,
  note,
  output,
  UsageError,
  withCommonOptions,
} from './common.ts';
import { checkOutputs, rejectsOutput, storeInputs } from './paths.ts';
import { writeMoreRejects } from './rejects.ts';

/** The actions that drop a column. */
const COLUMN_DROPS: readonly CleanAction[] = ['empty-columns', 'constant-columns', 'leaks'];

interface CleanFlags extends CommonOptions {
  output?: string;
  target?: string;
  skip?: CleanAction[];
  dropLeaks?: boolean;
  dryRun?: boolean;
  onBadRows?: BadRowPolicy;
  schema?: string;
}

/** A comma-separated list of cleaning actions. */
function actionList(v: string): CleanAction[] {
  const names = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!CLEAN_ACTIONS.includes(n as CleanAction)) {
      throw new UsageError(
        `--skip: '${n}' is not a cleaning action. Use some of ${CLEAN_ACTIONS.filter((a) => a !== 'leaks').join(', ')}, comma-separated.`,
      );
    }
  }
  return names as CleanAction[];
}

/** Registers `lathe clean`. */
export function register(program: Command): void {
  withCommonOptions(
    program
      .command('clean')
      .description(
        "apply a data-quality report's fixes: missing-value tokens, numbers and dates stored as text, empty and constant columns, duplicate rows",
      )
      .argument('<data>', 'a CSV, TSV, Parquet, JSON, NDJSON or Arrow file')
      .option(
        '-o, --output <file>',
        `the cleaned table (${WRITE_EXTENSIONS.join(', ')}); needed unless --dry-run`,
      )
      .option('--target <column>', 'the column to predict: never dropped, and the leakage check runs')
      .option(
        '--skip <actions>',
        `actions not to take, comma-separated: ${DEFAULT_CLEAN_ACTIONS.join(', ')}`,
        actionList,
      )
      .option('--drop-leaks', 'also drop the columns suspected of leaking the target (needs --target)')
      .option('--dry-run', 'say what would be done, write nothing')
      .option(
        '--on-bad-rows <policy>',
        'error (stop at the first unreadable row) or quarantine (set unreadable rows aside and clean the rest)',
        choiceFlag('--on-bad-rows', ['error', 'quarantine'] as const),
      )
      .option('--schema <file.json>', 'a schema file whose column types override the inferred ones'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  lathe clean examples/transactions_dirty.csv --on-bad-rows quarantine -o transactions.csv\n  lathe clean data.csv --target churned --drop-leaks -o clean.parquet\n  lathe clean data.csv --dry-run --json',
    )
    .action(action(cleanCommand));
}

function outputFormat(path: string): WriteFormat {
  try {
    return writeFormatFor(path);
  } catch {
    throw new UsageError(
      `-o ${path}: Lathe cannot write that kind of file. Use one of ${WRITE_EXTENSIONS.join(', ')} (e.g. -o clean.csv).`,
    );
  }
}

async function cleanCommand(data: string, flags: CleanFlags): Promise<void> {
  // Before any work: what to write, and that nothing read is overwritten.
  if (!flags.output && !flags.dryRun) {
    throw new UsageError(
      `lathe clean writes the cleaned table to a file: pass -o <file> (e.g. -o ${data.replace(/\.[^./]+$/, '')}-clean.csv), or --dry-run to see what it would do.`,
    );
  }
  if (flags.dropLeaks && !flags.target) {
    throw new UsageError(
      '--drop-leaks drops the columns that give the target away, and needs to know the target: pass --target <column>.',
    );
  }
  if (flags.output) outputFormat(flags.output);
  const inputs = [
    { path: data, what: 'the data file' },
    ...(flags.schema ? [{ path: flags.schema, what: '--schema' }] : []),
    ...storeInputs(flags.store),
  ];
  checkOutputs(
    [
      ...(flags.output && !flags.dryRun ? [{ path: flags.output, what: '-o' }] : []),
      // Rows a conversion cannot read go to the rejects file, whatever --on-bad-rows says.
      ...rejectsOutput(data, 'quarantine'),
    ],
    inputs,
  );
  const skip = new Set(flags.skip ?? []);
  const actions = [
    ...DEFAULT_CLEAN_ACTIONS.filter((a) => !skip.has(a)),
    ...(flags.dropLeaks ? ['leaks' as const] : []),
  ];
  // A dry run writes nothing: the reader's rejects (under quarantine) go to a file thrown away.
  const scratch = flags.dryRun ? await mkdtemp(join(tmpdir(), 'lathe-clean-')) : null;
  const { report, read } = await profileFile(data, {
    target: flags.target,
    seed: flags.seed,
    read: {
      onBadRows: flags.onBadRows,
      ...(flags.schema ? { schema: flags.schema } : {}),
      ...(scratch ? { rejectsPath: join(scratch, 'rejects.csv') } : {}),
    },
  }).finally(() => (scratch ? rm(scratch, { recursive: true, force: true }) : undefined));
  const r = cleanTable(read.table, report, {
    actions,
    target: flags.target ?? null,
    rowLines: read.rowLines,
  });
  const addressed = new Set(r.steps.map((s) => s.finding));
  // Left for the user: what was not fixed — but not the read's own rejects (said apart), nor what
  // the profile said of a column's text that is now numbers or dates ("many categories", "an
  // identifier": of the text; the cleaned file's profile says what holds of the new column).
  const converted = new Set(
    r.steps
      .filter((s) => s.action === 'numbers-as-text' || s.action === 'dates-as-text')
      .map((s) => s.column),
  );
  const ofText = new Set(['id-like-column', 'high-cardinality', 'mixed-types']);
  const left = report.findings.filter(
    (f) =>
      !addressed.has(f.id) &&
      f.check !== 'rejected-rows' &&
      !(ofText.has(f.check) && converted.has(f.column ?? null)),
  );
  let rejectsPath = flags.dryRun ? null : (read.summary.rejectsPath ?? null);
  if (!flags.dryRun && r.setAside.length > 0) {
    rejectsPath = writeMoreRejects(
      data,
      read,
      r.setAside.map((s) => ({
        row: s.row,
        line: s.line,
        reason: `column '${s.column}': ${JSON.stringify(s.value)} is ${s.reason}`,
      })),
    );
  }
  let written: string | null = null;
  if (flags.output && !flags.dryRun) {
    const w = await writeTable(r.table, flags.output);
    written = resolve(w.path);
  }
  const json = {
    data: resolve(data),
    output: written,
    dryRun: Boolean(flags.dryRun),
    actions,
    rows: {
      read: read.summary.rowsRead,
      rejectedOnRead: read.summary.rejected,
      setAside: r.setAside.length,
      duplicatesDropped: r.steps.find((s) => s.action === 'duplicates')?.count ?? 0,
      cleaned: r.table.nRows,
    },
    columns: {
      read: read.table.nCols,
      dropped: r.steps.filter((s) => COLUMN_DROPS.includes(s.action)).map((s) => s.column),
      cleaned: r.table.nCols,
    },
    steps: r.steps,
    setAside: r.setAside.map((s) => ({
      line: s.line ?? null,
      column: s.column,
      value: s.value,
      reason: s.reason,
    })),
    rejectsPath: rejectsPath ? resolve(rejectsPath) : null,
    left: left.map((f) => ({ id: f.id, severity: f.severity, title: f.title, fix: f.fix })),
  };
  output(flags, json, () => textReport(data, flags, json));
  if (flags.json && r.setAside.length > 0 && !flags.dryRun) {
    note(flags, `${r.setAside.length} rows set aside (values that did not convert): see ${rejectsPath}`);
  }
}

function textReport(
  data: string,
  flags: CleanFlags,
  j: {
    rows: { read: number; rejectedOnRead: number; setAside: number; cleaned: number };
    columns: { read: number; cleaned: number };
    steps: { action: string; column: string | null; detail: string }[];
    setAside: { line: number | null; column: string; value: string; reason: string }[];
    rejectsPath: string | null;
    left: { severity: string; title: string }[];
  },
): string {
  const lines: string[] = [];
  const shape = `${j.rows.cleaned} rows × ${j.columns.cleaned} columns (read ${j.rows.read} × ${j.columns.read})`;
  lines.push(
    flags.dryRun ? `would clean ${data} to ${shape}:` : `cleaned ${data} → ${flags.output}: ${shape}`,
  );
  if (j.steps.length === 0) lines.push('  nothing to do: no finding this command fixes');
  const width = Math.max(0, ...j.steps.map((s) => s.action.length));
  for (const s of j.steps) {
    lines.push(`  ${s.action.padEnd(width)}  ${s.column === null ? '' : `'${s.column}': `}${s.detail}`);
  }
  if (j.rows.rejectedOnRead > 0) {
    const n = j.rows.rejectedOnRead;
    lines.push(
      `  ${n} row${n === 1 ? '' : 's'} could not be read and ${n === 1 ? 'was' : 'were'} set aside (--on-bad-rows quarantine)${flags.dryRun ? '' : ` — in ${j.rejectsPath}`}`,
    );
  }
  if (j.setAside.length > 0) {
    const first = j.setAside[0];
    lines.push(
      `  ${j.setAside.length} row${j.setAside.length === 1 ? '' : 's'} set aside: a value did not convert (${first.line === null ? '' : `line ${first.line}, `}'${first.column}' ${JSON.stringify(first.value)}: ${first.reason}${j.setAside.length > 1 ? '; …' : ''})${flags.dryRun ? '' : ` — in ${j.rejectsPath}`}`,
    );
  }
  if (j.left.length > 0) {
    lines.push(`left for you to judge (lathe profile ${data} says more):`);
    for (const f of j.left) lines.push(`  ${f.severity.toUpperCase().padEnd(8)}  ${f.title}`);
  }
  if (!flags.dryRun && j.steps.length > 0)
    lines.push(`next: lathe profile ${flags.output} (the cleaned table as it is now)`);
  return lines.join('\n');
}
