/**
 * `cleanTable`: applies the fixes a data-quality report suggests, each one a named action tied
 * to the finding that asked for it, and says what it did — so that the cleaned table can be
 * explained, and the cleaning run again on next month's file.
 *
 * | action | finding | does |
 * |---|---|---|
 * | `disguised-missing` | `disguised-missing` | the column's missing-value tokens (`?`, `n/a`, `unknown`, …) become missing |
 * | `numbers-as-text` | `numbers-as-text` (not codes with leading zeros) | the column becomes numeric (`1,234.5` and `$12` read as numbers) |
 * | `dates-as-text` | `dates-as-text` | the column becomes a datetime, in the format most of its values have |
 * | `empty-columns`, `constant-columns` | `empty-column`, `constant-column` | the column is dropped (never the target) |
 * | `duplicates` | `duplicate-rows` | the later copies of a row are dropped (the first is kept) |
 * | `leaks` (not by default) | `leakage-suspect` | the column is dropped |
 *
 * Nothing is lost silently: a value that a conversion cannot read (a word in a column of numbers,
 * `12%` — 12 or 0.12? —, a date in no format) sets its row aside, named by row (and file line),
 * column, value and reason, for the caller to write out; every action reports how many values,
 * rows or columns it touched.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import {
  type Column,
  type ColumnType,
  categoricalColumn,
  columnValues,
  numericColumn,
  textColumn,
} from '../data/column.ts';
import {
  DATETIME_FORMATS,
  type DatetimeFormat,
  parseDatetimeOrIso,
  parseNumber,
} from '../data/read/values.ts';
import { Table } from '../data/table.ts';
import { findDuplicateRows } from './duplicates.ts';
import type { Finding, QualityReport } from './report.ts';
import { MISSING_LIKE_TOKENS } from './value-kinds.ts';

/** A cleaning action (see the module's table). */
export type CleanAction =
  | 'disguised-missing'
  | 'numbers-as-text'
  | 'dates-as-text'
  | 'empty-columns'
  | 'constant-columns'
  | 'duplicates'
  | 'leaks';

/** Every action, in the order they are applied. */
export const CLEAN_ACTIONS: readonly CleanAction[] = [
  'disguised-missing',
  'numbers-as-text',
  'dates-as-text',
  'empty-columns',
  'constant-columns',
  'leaks',
  'duplicates',
];

/** The actions taken unless told otherwise: all but dropping suspected leaks (a judgement call). */
export const DEFAULT_CLEAN_ACTIONS: readonly CleanAction[] = CLEAN_ACTIONS.filter((a) => a !== 'leaks');

/** Options of {@link cleanTable}. */
export interface CleanOptions {
  /** The actions to take (default {@link DEFAULT_CLEAN_ACTIONS}). */
  actions?: readonly CleanAction[];
  /** The target column: never dropped (its own values are still cleaned). Default: the report's. */
  target?: string | null;
  /** For each row, its 1-based line in the file (for the rows set aside). */
  rowLines?: ArrayLike<number>;
}

/** One thing {@link cleanTable} did. */
export interface CleanStep {
  action: CleanAction;
  /** The finding that asked for it. */
  finding: string;
  /** The column changed or dropped (null for dropped duplicate rows). */
  column: string | null;
  /** Values changed (conversions, tokens), rows dropped (duplicates) or 1 (a column dropped). */
  count: number;
  /** What was done, in words. */
  detail: string;
}

/** A row set aside because one of its values could not be converted. */
export interface SetAsideRow {
  /** 0-based row of the input table. */
  row: number;
  /** Its 1-based line in the file, when known. */
  line?: number;
  column: string;
  value: string;
  reason: string;
}

/** What {@link cleanTable} returns. */
export interface CleanResult {
  /** The cleaned table. */
  table: Table;
  /** What was done, in the order done. */
  steps: CleanStep[];
  /** Rows set aside (one entry per row: its first value that did not convert). */
  setAside: SetAsideRow[];
  /** For each row of the cleaned table, its row in the input table. */
  kept: Int32Array;
}

/** A column's values as strings (null for missing), whatever its storage. */
function stringValues(c: Column): (string | null)[] {
  return columnValues(c).map((v) => (v === null ? null : String(v)));
}

const TOKENS = new Set(MISSING_LIKE_TOKENS);
const isToken = (v: string) => TOKENS.has(v.trim().toLowerCase());

/** A column of strings rebuilt with the storage it had (categorical or text). */
function stringColumn(name: string, storage: ColumnType, values: (string | null)[]): Column {
  return storage === 'categorical' ? categoricalColumn(name, values) : textColumn(name, values);
}

/** `1,234.5`, `$12`, `€ 3.5` → the number; undefined when the text is not one (`12%` is not). */
function readNumber(s: string): number | undefined {
  const t = s.trim();
  const plain = parseNumber(t);
  if (plain !== undefined) return plain;
  const m = /^([+-]?)[$€£¥]?\s?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)$/.exec(t);
  return m ? parseNumber(`${m[1]}${m[2].replace(/,/g, '')}`) : undefined;
}

/**
 * Why a percentage (`49.5%`) is set aside, naming its two readings in its own number (49.5 or
 * 0.495); `undefined` when `s` is not a number followed by `%`.
 */
function percentageReason(s: string): string | undefined {
  const m = /^(.*?)\s*%\s*$/.exec(s.trim());
  const x = m ? readNumber(m[1]) : undefined;
  if (x === undefined) return undefined;
  // toPrecision(15) drops the binary noise of the division (0.7 / 100 = 0.006999999999999999).
  return `a percentage: whether it means ${x} or ${Number((x / 100).toPrecision(15))} is not guessed`;
}

/** Whether `read(i)` holds for more than half of the values present (null: missing). */
function mostRead(values: readonly (string | null)[], read: (i: number) => boolean): boolean {
  let present = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null) continue;
    present++;
    if (read(i)) n++;
  }
  return n * 2 > present;
}

/** The format most of `values` parse in (ties: the reader's order of preference). */
function likeliestFormat(values: readonly string[]): DatetimeFormat {
  let best: DatetimeFormat = DATETIME_FORMATS[0];
  let bestCount = -1;
  for (const f of DATETIME_FORMATS) {
    let n = 0;
    for (const v of values) {
      const t = parseDatetimeOrIso(v, f);
      if (t === t) n++;
    }
    if (n > bestCount) {
      best = f;
      bestCount = n;
    }
  }
  return best;
}

/**
 * The findings of `report` that {@link cleanTable} acts on with `actions` (default
 * {@link DEFAULT_CLEAN_ACTIONS}) and `target` (never dropped; default the report's): what
 * `lathe profile` points `lathe clean` at, and what `cleanTable` does.
 */
export function fixableFindings(
  report: QualityReport,
  actions: readonly CleanAction[] = DEFAULT_CLEAN_ACTIONS,
  target: string | null = report.target?.column ?? null,
): Finding[] {
  const on = new Set(actions);
  return report.findings.filter((f) => {
    switch (f.check) {
      case 'disguised-missing':
        return on.has('disguised-missing');
      case 'numbers-as-text':
        return on.has('numbers-as-text') && f.severity === 'warning';
      case 'dates-as-text':
        return on.has('dates-as-text');
      case 'empty-column':
        return on.has('empty-columns') && f.column !== target;
      case 'constant-column':
        return on.has('constant-columns') && f.column !== target;
      case 'leakage-suspect':
        return on.has('leaks') && f.column !== target;
      case 'duplicate-rows':
        return on.has('duplicates');
      default:
        return false;
    }
  });
}

/** The findings of one check, by column. */
function byColumn(findings: readonly Finding[], check: string): Map<string, Finding> {
  const m = new Map<string, Finding>();
  for (const f of findings) if (f.check === check && f.column !== undefined) m.set(f.column, f);
  return m;
}

/**
 * Cleans `table` by the findings of `report` (a profile of this very table: `profileTable` or
 * `lathe profile`). Returns the cleaned table, the steps taken and the rows set aside.
 *
 * @example
 * const { report, read } = await profileFile('examples/survey_messy.csv');
 * const { table, steps, setAside } = cleanTable(read.table, report, { rowLines: read.rowLines });
 */
export function cleanTable(table: Table, report: QualityReport, options: CleanOptions = {}): CleanResult {
  const actions = new Set(options.actions ?? DEFAULT_CLEAN_ACTIONS);
  for (const a of actions) {
    if (!CLEAN_ACTIONS.includes(a)) {
      throw new ValidationError(`'${a}' is not a cleaning action.`, {
        field: 'actions',
        fix: `use some of ${CLEAN_ACTIONS.join(', ')}`,
      });
    }
  }
  if (report.table.rows !== table.nRows || report.columns.length !== table.nCols) {
    throw new ValidationError(
      `The report is of a table of ${report.table.rows} rows × ${report.columns.length} columns, not of this one (${table.nRows} × ${table.nCols}).`,
      { field: 'report', fix: 'profile the table being cleaned, then clean it with that report' },
    );
  }
  const target = options.target === undefined ? (report.target?.column ?? null) : options.target;
  const steps: CleanStep[] = [];
  const bad = new Map<number, SetAsideRow>();
  const setAside = (row: number, column: string, value: string, reason: string) => {
    if (bad.has(row)) return;
    const line = options.rowLines?.[row];
    bad.set(row, { row, ...(line === undefined ? {} : { line }), column, value, reason });
  };

  const fix = fixableFindings(report, [...actions], target);
  // Every column's tokens, also when 'disguised-missing' is not asked for: a conversion needs them.
  const tokens = byColumn(report.findings, 'disguised-missing');
  const numbers = byColumn(fix, 'numbers-as-text');
  const dates = byColumn(fix, 'dates-as-text');
  let columns = table.columns.map((c) => {
    if (c.type !== 'categorical' && c.type !== 'text') return c;
    const asNumbers = numbers.has(c.name);
    const asDates = dates.has(c.name);
    const tokenFinding = tokens.get(c.name);
    if (!asNumbers && !asDates && !(tokenFinding && actions.has('disguised-missing'))) return c;
    const original = stringValues(c);
    // Tokens become missing when asked — and always before a conversion, which would otherwise
    // set aside every row holding one.
    let tokenStep: CleanStep | null = null;
    let values = original;
    if (tokenFinding && (actions.has('disguised-missing') || asNumbers || asDates)) {
      let n = 0;
      const seen = new Set<string>();
      values = original.map((v) => {
        if (v === null || !isToken(v)) return v;
        n++;
        seen.add(v);
        return null;
      });
      if (n > 0) {
        tokenStep = {
          action: 'disguised-missing',
          finding: tokenFinding.id,
          column: c.name,
          count: n,
          detail: `${n} value${n === 1 ? '' : 's'} ${[...seen].map((t) => JSON.stringify(t)).join(', ')} → missing`,
        };
      }
    }
    // A conversion that could read at most half of the column's values is not made: it would set
    // aside most rows (a column of percentages: every one), and its finding is left to the user.
    // Each value is read once: the conversion below uses these readings.
    const numbersRead = asNumbers ? values.map((v) => (v === null ? undefined : readNumber(v))) : null;
    const format = asDates ? likeliestFormat(values.filter((v): v is string => v !== null)) : null;
    const timesRead = format
      ? values.map((v) => (v === null ? Number.NaN : parseDatetimeOrIso(v, format)))
      : null;
    const converts =
      (numbersRead !== null && mostRead(values, (i) => numbersRead[i] !== undefined)) ||
      (timesRead !== null && mostRead(values, (i) => !Number.isNaN(timesRead[i])));
    if (!converts) {
      if (!(tokenFinding && actions.has('disguised-missing'))) return c;
      if (tokenStep) steps.push(tokenStep);
      return stringColumn(c.name, c.type, values);
    }
    if (tokenStep) steps.push(tokenStep);
    if (numbersRead) {
      const out = new Array<number | null>(values.length);
      let n = 0;
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v === null) {
          out[i] = null;
          continue;
        }
        const x = numbersRead[i];
        if (x === undefined) {
          setAside(i, c.name, v, percentageReason(v) ?? 'not a number, in a column of numbers');
          out[i] = null;
        } else {
          out[i] = x;
          n++;
        }
      }
      steps.push({
        action: 'numbers-as-text',
        finding: (numbers.get(c.name) as Finding).id,
        column: c.name,
        count: n,
        detail: `text → numbers (${n} value${n === 1 ? '' : 's'})`,
      });
      return numericColumn(c.name, out);
    }
    if (format && timesRead) {
      const out = new Float64Array(values.length);
      let n = 0;
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        const t = timesRead[i];
        if (v !== null && t !== t) setAside(i, c.name, v, `not a date in ${format} (or ISO 8601)`);
        else if (v !== null) n++;
        out[i] = t;
      }
      steps.push({
        action: 'dates-as-text',
        finding: (dates.get(c.name) as Finding).id,
        column: c.name,
        count: n,
        detail: `text → datetimes in ${format} (${n} value${n === 1 ? '' : 's'})`,
      });
      return { type: 'datetime' as const, name: c.name, values: out };
    }
    return c; // not reached: a column that converts is numbers or dates
  });

  // Columns to drop (never the target: fixableFindings leaves it out).
  const drops: [CleanAction, string, string][] = [
    ['empty-columns', 'empty-column', 'every value missing'],
    ['constant-columns', 'constant-column', 'one value in every row'],
    ['leaks', 'leakage-suspect', 'suspected of leaking the target'],
  ];
  const dropped = new Set<string>();
  for (const [action, check, why] of drops) {
    for (const f of fix) {
      if (f.check !== check || f.column === undefined || dropped.has(f.column)) continue;
      dropped.add(f.column);
      steps.push({ action, finding: f.id, column: f.column, count: 1, detail: `dropped: ${why}` });
    }
  }
  columns = columns.filter((c) => !dropped.has(c.name));
  let cleaned = new Table(columns);

  // Rows: those set aside, then the later copies of a row.
  let kept = Int32Array.from({ length: table.nRows }, (_, i) => i).filter((i) => !bad.has(i));
  if (kept.length < table.nRows) cleaned = cleaned.take(kept);
  if (fix.some((f) => f.check === 'duplicate-rows')) {
    const { count, marks } = findDuplicateRows(cleaned, [], undefined, true);
    if (count > 0 && marks) {
      const keep = Int32Array.from({ length: cleaned.nRows }, (_, i) => i).filter((i) => marks[i] === 0);
      cleaned = cleaned.take(keep);
      kept = keep.map((i) => kept[i]);
      steps.push({
        action: 'duplicates',
        finding: 'duplicate-rows',
        column: null,
        count,
        detail: `dropped ${count} row${count === 1 ? '' : 's'} equal to an earlier row (the first of each kept)`,
      });
    }
  }
  return { table: cleaned, steps, setAside: [...bad.values()].sort((a, b) => a.row - b.row), kept };
}
