/**
 * `lathe stats describe|test|corr|ols|logit`: statistical analysis of a table (see docs/stats.md
 * for every option and the `--json` shapes).
 *
 *   lathe stats describe examples/housing.csv
 *   lathe stats test welch examples/housing.csv --x price --group has_garage
 *   lathe stats test chi2 examples/customers.csv --x plan --y churned
 *   lathe stats corr examples/housing.csv --method spearman
 *   lathe stats ols examples/housing.csv --formula "price ~ sqft + C(condition) + sqft:bedrooms" --robust hc3
 *   lathe stats logit examples/customers.csv --formula "churned ~ tenure_months + C(plan)"
 *
 * @module
 */

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DataError } from '../core/errors.ts';
import type { Column } from '../data/column.ts';
import { readTable } from '../data/read/index.ts';
import type { Table } from '../data/table.ts';
import { leveneTest, oneWayAnova } from '../stats/anova.ts';
import { chiSquareGoodnessOfFit, chiSquareIndependence, fisherExact } from '../stats/contingency.ts';
import { kendallTau, pearsonTest, spearmanTest } from '../stats/correlation-test.ts';
import { type Description, describe } from '../stats/descriptive.ts';
import type { FormulaColumn, FormulaFrame } from '../stats/design.ts';
import { ksOneSample, ksTwoSample } from '../stats/ks.ts';
import { logitFit } from '../stats/logit.ts';
import { andersonDarling, shapiroWilk } from '../stats/normality.ts';
import { type OlsCovType, type OlsResult, olsFit } from '../stats/ols.ts';
import { formatLogitSummary, formatOlsSummary } from '../stats/ols-format.ts';
import { kruskalWallis, mannWhitneyU, wilcoxonSignedRank } from '../stats/rank-tests.ts';
import { tTestIndependent, tTestOneSample, tTestPaired } from '../stats/t-test.ts';
import { formatNumber, formatTestResult, type TestResult } from '../stats/test-result.ts';
import type { Alternative } from '../stats/validate.ts';
import {
  action,
  type CommonOptions,
  choiceFlag,
  numberFlag,
  output,
  UsageError,
  withCommonOptions,
} from './common.ts';

/** The tests `lathe stats test` knows. */
export const STAT_TESTS = [
  'ttest',
  'welch',
  'paired',
  'mannwhitney',
  'wilcoxon',
  'chi2',
  'fisher',
  'ks',
  'shapiro',
  'anderson',
  'anova',
  'kruskal',
  'levene',
  'pearson',
  'spearman',
  'kendall',
] as const;
type StatTest = (typeof STAT_TESTS)[number];

const ALTERNATIVES = ['two-sided', 'less', 'greater'] as const;

async function load(path: string): Promise<Table> {
  return (await readTable(path)).table;
}

/** The tests whose statistic needs finite values (the rank-based ones rank ±inf). */
const FINITE_TESTS: ReadonlySet<StatTest> = new Set<StatTest>([
  'ttest',
  'welch',
  'paired',
  'shapiro',
  'anderson',
  'anova',
  'levene',
  'pearson',
]);

/**
 * An infinite value of --x or --y in a row `test` uses (with --group, a row whose group is not
 * missing) is a bad value of the file, named by line and column — the library's own error can
 * only name its index in the sample (`x[11]`).
 */
function refuseInfinite(
  test: StatTest,
  table: Table,
  flags: TestFlags,
  file: string,
  lines: ArrayLike<number> | undefined,
): void {
  if (!FINITE_TESTS.has(test)) return;
  const group = flags.group && table.has(flags.group) ? labelValues(table.column(flags.group)) : null;
  for (const [flag, name] of [
    ['--x', flags.x],
    ['--y', flags.y],
  ] as const) {
    if (!name || !table.has(name)) continue;
    const c = table.column(name);
    if (c.type !== 'numeric') continue;
    for (let i = 0; i < c.values.length; i++) {
      const v = c.values[i];
      if ((v !== Number.POSITIVE_INFINITY && v !== Number.NEGATIVE_INFINITY) || group?.[i] === null) continue;
      throw new DataError(
        `${lines ? '' : `row ${i + 1}: `}${flag} ${name} holds ${v > 0 ? 'inf' : '-inf'}; test '${test}' needs finite values.`,
        {
          file,
          line: lines?.[i],
          column: name,
          fix: 'correct the value or empty the cell (missing values are left out), or use a rank-based test (mannwhitney, wilcoxon, kruskal, spearman, kendall), which ranks infinite values',
        },
      );
    }
  }
}

/** A column's values as numbers (booleans as 0/1, datetimes as epoch ms); categorical and text columns are an error. */
function numericValues(table: Table, name: string, flag: string, file: string): Float64Array {
  const c = table.column(name);
  if (c.type === 'numeric' || c.type === 'datetime') return c.values;
  if (c.type === 'boolean') return Float64Array.from(c.values, (v) => (v < 0 ? Number.NaN : v));
  throw new DataError(`${flag} ${name}: the column is ${c.type}, but this needs numbers.`, {
    file,
    column: name,
    fix: `pass a numeric column to ${flag}${flag === '--x' ? ', and use --group to split by a categorical column' : ''}`,
  });
}

/** A column's values as labels (null for missing), whatever its type. */
function labelValues(c: Column): (string | null)[] {
  const n = c.type === 'categorical' ? c.codes.length : c.values.length;
  const out = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    switch (c.type) {
      case 'categorical':
        out[i] = c.codes[i] < 0 ? null : c.dictionary[c.codes[i]];
        break;
      case 'boolean':
        out[i] = c.values[i] < 0 ? null : c.values[i] ? 'true' : 'false';
        break;
      case 'text':
        out[i] = c.values[i];
        break;
      case 'datetime':
        out[i] = Number.isNaN(c.values[i]) ? null : new Date(c.values[i]).toISOString();
        break;
      default:
        out[i] = Number.isNaN(c.values[i]) ? null : String(c.values[i]);
    }
  }
  return out;
}

function sortLevels(levels: string[], c: Column): string[] {
  if (c.type === 'numeric') return levels.sort((a, b) => Number(a) - Number(b));
  return levels.sort();
}

/** Splits `values` by the levels of the group column (rows with a missing group are dropped). */
function splitByGroup(
  values: Float64Array,
  table: Table,
  group: string,
): { names: string[]; groups: Float64Array[] } {
  const c = table.column(group);
  const labels = labelValues(c);
  const names = sortLevels([...new Set(labels.filter((l): l is string => l !== null))], c);
  const buckets = names.map(() => [] as number[]);
  const index = new Map(names.map((n, k) => [n, k]));
  labels.forEach((l, i) => {
    if (l !== null) buckets[index.get(l)!].push(values[i]);
  });
  return { names, groups: buckets.map((b) => Float64Array.from(b)) };
}

/** The contingency table of two label columns (rows with a missing value dropped). */
function crossTab(a: Column, b: Column): { rows: string[]; cols: string[]; table: number[][] } {
  const la = labelValues(a);
  const lb = labelValues(b);
  const rows = sortLevels([...new Set(la.filter((l): l is string => l !== null))], a);
  const cols = sortLevels([...new Set(lb.filter((l): l is string => l !== null))], b);
  const ri = new Map(rows.map((r, k) => [r, k]));
  const ci = new Map(cols.map((r, k) => [r, k]));
  const table = rows.map(() => new Array<number>(cols.length).fill(0));
  la.forEach((l, i) => {
    const m = lb[i];
    if (l !== null && m !== null) table[ri.get(l)!][ci.get(m)!]++;
  });
  return { rows, cols, table };
}

interface TestFlags extends CommonOptions {
  x?: string;
  y?: string;
  group?: string;
  alternative?: Alternative;
  mu?: number;
  level?: number;
  dist?: 'normal' | 'uniform' | 'exponential';
  loc?: number;
  scale?: number;
}

function need(flags: TestFlags, name: 'x' | 'y' | 'group', test: string): string {
  const v = flags[name];
  if (!v) throw new UsageError(`lathe stats test ${test} needs --${name} COLUMN.`);
  return v;
}

/** Two samples from --y (a second column) or --group (a column with exactly two levels). */
function twoSamples(
  table: Table,
  flags: TestFlags,
  test: string,
  file: string,
): { a: Float64Array; b: Float64Array; names: string[] } {
  const x = need(flags, 'x', test);
  const xs = numericValues(table, x, '--x', file);
  if (flags.y && flags.group)
    throw new UsageError(`lathe stats test ${test}: pass --y or --group, not both.`);
  if (flags.y) return { a: xs, b: numericValues(table, flags.y, '--y', file), names: [x, flags.y] };
  if (flags.group) {
    const { names, groups } = splitByGroup(xs, table, flags.group);
    if (groups.length !== 2) {
      throw new DataError(
        `--group ${flags.group} has ${groups.length} levels (${names.slice(0, 6).join(', ')}); test '${test}' compares two groups.`,
        {
          file,
          column: flags.group,
          fix: 'use a column with two levels, or anova/kruskal for more groups',
        },
      );
    }
    return { a: groups[0], b: groups[1], names: names.map((n) => `${flags.group}=${n}`) };
  }
  throw new UsageError(
    `lathe stats test ${test} needs --y COLUMN (a second sample) or --group COLUMN (two groups).`,
  );
}

/** Runs one named test on the table. */
function runTest(
  test: StatTest,
  table: Table,
  flags: TestFlags,
  file: string,
): { result: TestResult; samples: string[] } {
  const opts = { alternative: flags.alternative, confidenceLevel: flags.level };
  switch (test) {
    case 'ttest':
    case 'welch': {
      if (!flags.y && !flags.group) {
        if (test === 'welch')
          throw new UsageError('lathe stats test welch needs --y COLUMN or --group COLUMN.');
        const x = need(flags, 'x', test);
        return {
          result: tTestOneSample(numericValues(table, x, '--x', file), { ...opts, mu: flags.mu }),
          samples: [x],
        };
      }
      const s = twoSamples(table, flags, test, file);
      return {
        result: tTestIndependent(s.a, s.b, { ...opts, equalVariance: test === 'ttest' }),
        samples: s.names,
      };
    }
    case 'paired': {
      const x = need(flags, 'x', test);
      const y = need(flags, 'y', test);
      return {
        result: tTestPaired(numericValues(table, x, '--x', file), numericValues(table, y, '--y', file), opts),
        samples: [x, y],
      };
    }
    case 'mannwhitney': {
      const s = twoSamples(table, flags, test, file);
      return { result: mannWhitneyU(s.a, s.b, opts), samples: s.names };
    }
    case 'wilcoxon': {
      const x = need(flags, 'x', test);
      const xs = numericValues(table, x, '--x', file);
      if (flags.y)
        return {
          result: wilcoxonSignedRank(xs, numericValues(table, flags.y, '--y', file), opts),
          samples: [x, flags.y],
        };
      const mu = flags.mu ?? 0;
      return {
        result: wilcoxonSignedRank(
          xs.map((v) => v - mu),
          null,
          opts,
        ),
        samples: [mu ? `${x} − ${mu}` : x],
      };
    }
    case 'chi2': {
      const x = need(flags, 'x', test);
      if (flags.y) {
        const t = crossTab(table.column(x), table.column(flags.y));
        return { result: withTable(chiSquareIndependence(t.table), t), samples: [x, flags.y] };
      }
      const c = table.column(x);
      const labels = labelValues(c);
      const levels = sortLevels([...new Set(labels.filter((l): l is string => l !== null))], c);
      const counts = levels.map((l) => labels.filter((v) => v === l).length);
      const r = chiSquareGoodnessOfFit(counts);
      return {
        result: { ...r, details: { ...r.details, levels: levels.join(', '), observed: counts } },
        samples: [x],
      };
    }
    case 'fisher': {
      const x = need(flags, 'x', test);
      const y = need(flags, 'y', test);
      const t = crossTab(table.column(x), table.column(y));
      if (t.rows.length !== 2 || t.cols.length !== 2) {
        throw new DataError(
          `Fisher's exact test needs two columns with two levels each; ${x} has ${t.rows.length} and ${y} has ${t.cols.length}.`,
          {
            file,
            fix: 'use chi2 for larger tables',
          },
        );
      }
      return { result: withTable(fisherExact(t.table, opts), t), samples: [x, y] };
    }
    case 'ks': {
      if (flags.y || flags.group) {
        const s = twoSamples(table, flags, test, file);
        return { result: ksTwoSample(s.a, s.b, opts), samples: s.names };
      }
      const x = need(flags, 'x', test);
      return {
        result: ksOneSample(
          numericValues(table, x, '--x', file),
          { distribution: flags.dist ?? 'normal', loc: flags.loc, scale: flags.scale },
          opts,
        ),
        samples: [x],
      };
    }
    case 'shapiro': {
      const x = need(flags, 'x', test);
      return { result: shapiroWilk(numericValues(table, x, '--x', file)), samples: [x] };
    }
    case 'anderson': {
      const x = need(flags, 'x', test);
      const dist = flags.dist === 'exponential' ? 'exponential' : 'normal';
      return {
        result: andersonDarling(numericValues(table, x, '--x', file), { distribution: dist }),
        samples: [x],
      };
    }
    case 'anova':
    case 'kruskal':
    case 'levene': {
      const x = need(flags, 'x', test);
      const xs = numericValues(table, x, '--x', file);
      let groups: Float64Array[];
      let names: string[];
      if (flags.group) ({ groups, names } = splitByGroup(xs, table, flags.group));
      else if (flags.y) {
        groups = [xs, numericValues(table, flags.y, '--y', file)];
        names = [x, flags.y];
      } else
        throw new UsageError(
          `lathe stats test ${test} needs --group COLUMN (or --y COLUMN for two columns as groups).`,
        );
      if (flags.group) names = names.map((n) => `${flags.group}=${n}`);
      const result =
        test === 'anova'
          ? oneWayAnova(groups)
          : test === 'kruskal'
            ? kruskalWallis(groups)
            : leveneTest(groups);
      return { result, samples: names };
    }
    case 'pearson':
    case 'spearman':
    case 'kendall': {
      const x = need(flags, 'x', test);
      const y = need(flags, 'y', test);
      const a = numericValues(table, x, '--x', file);
      const b = numericValues(table, y, '--y', file);
      const f = test === 'pearson' ? pearsonTest : test === 'spearman' ? spearmanTest : kendallTau;
      return { result: f(a, b, opts), samples: [x, y] };
    }
  }
}

function withTable(r: TestResult, t: { rows: string[]; cols: string[] }): TestResult {
  return { ...r, details: { ...r.details, rows: t.rows.join(', '), columns: t.cols.join(', ') } };
}

const DESCRIBE_FIELDS: [keyof Description, string][] = [
  ['count', 'count'],
  ['missing', 'missing'],
  ['mean', 'mean'],
  ['std', 'std'],
  ['min', 'min'],
  ['q1', '25%'],
  ['median', '50%'],
  ['q3', '75%'],
  ['max', 'max'],
  ['skewness', 'skew'],
  ['kurtosis', 'kurtosis'],
  ['mad', 'MAD'],
  ['trimmedMean', 'trim 10%'],
  ['mode', 'mode'],
];

function alignedTable(rows: string[][]): string {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows
    .map((r) =>
      r
        .map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A table column's values for a formula frame (numbers, strings or booleans, null for missing). */
export function formulaColumn(c: Column): FormulaColumn {
  switch (c.type) {
    case 'numeric':
    case 'datetime':
      return c.values;
    case 'boolean':
      return Array.from(c.values, (v) => (v < 0 ? null : v === 1));
    case 'categorical':
      return Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]));
    case 'text':
      return c.values;
  }
}

function frameOf(table: Table): FormulaFrame {
  const out: Record<string, FormulaColumn> = {};
  for (const c of table.columns) out[c.name] = formulaColumn(c);
  return out;
}

/** The OLS result for `--json`: everything but the per-row arrays (fitted values, residuals, rows). */
function olsJson(r: OlsResult, file: string): Record<string, unknown> {
  const { fitted: _f, residuals: _r, rows: _rows, ...rest } = r;
  return { data: resolve(file), ...rest };
}

function extraDiagnostics(r: OlsResult): string {
  const d = r.diagnostics;
  const lines = ['', 'Additional diagnostics'];
  if (d.breuschPagan) {
    lines.push(
      `Breusch-Pagan (Koenker): LM = ${formatNumber(d.breuschPagan.lm, 5)}, p = ${formatNumber(d.breuschPagan.lmPValue, 4)}; F = ${formatNumber(d.breuschPagan.f, 5)}, p = ${formatNumber(d.breuschPagan.fPValue, 4)}`,
    );
  }
  const vifs = Object.entries(d.vif).filter(([, v]) => v !== null);
  if (vifs.length) lines.push(`VIF: ${vifs.map(([k, v]) => `${k} ${formatNumber(v!, 4)}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** Registers `lathe stats`. */
export function register(program: Command): void {
  const stats = program
    .command('stats')
    .description(
      'statistics of a table: describe, hypothesis tests, correlations, OLS and logistic regression inference',
    );

  withCommonOptions(
    stats
      .command('describe')
      .description('descriptive statistics of every numeric column (or --columns)')
      .argument('<data>', 'a CSV, TSV, Parquet, JSON, NDJSON or Arrow file')
      .option('--columns <names>', 'comma-separated columns (default: every numeric column)'),
  ).action(
    action(async (file: string, flags: CommonOptions & { columns?: string }) => {
      const table = await load(file);
      const names = flags.columns
        ? flags.columns.split(',').map((s) => s.trim())
        : table.columns.filter((c) => c.type === 'numeric').map((c) => c.name);
      if (names.length === 0)
        throw new DataError('the table has no numeric columns to describe.', {
          file,
          fix: 'pass --columns with numeric columns',
        });
      const columns = names.map((name) => ({
        name,
        ...describe(numericValues(table, name, '--columns', file)),
      }));
      output(flags, { data: resolve(file), rows: table.nRows, columns }, () => {
        const rows = [['column', ...DESCRIBE_FIELDS.map(([, h]) => h)]];
        for (const c of columns)
          rows.push([c.name, ...DESCRIBE_FIELDS.map(([k]) => formatNumber(c[k] as number))]);
        return `${file}: ${table.nRows} rows\n\n${alignedTable(rows)}\n`;
      });
    }),
  );

  withCommonOptions(
    stats
      .command('test')
      .description(`a hypothesis test: ${STAT_TESTS.join(', ')}`)
      .argument('<name>', `the test: ${STAT_TESTS.join(', ')}`, choiceFlag('<name>', STAT_TESTS))
      .argument('<data>', 'a CSV, TSV, Parquet, JSON, NDJSON or Arrow file')
      .option('--x <column>', 'the (first) variable')
      .option('--y <column>', 'the second variable (a second sample, the pair, or the other factor)')
      .option('--group <column>', 'split --x into groups by this column')
      .option(
        '--alternative <h1>',
        'two-sided (default), less or greater',
        choiceFlag('--alternative', ALTERNATIVES),
      )
      .option(
        '--mu <value>',
        'hypothesised mean (one-sample ttest) or location (wilcoxon)',
        numberFlag('--mu'),
      )
      .option('--level <p>', 'confidence level of the interval (default 0.95)', numberFlag('--level', 0, 1))
      .option(
        '--dist <name>',
        'ks / anderson: normal (default), uniform or exponential',
        choiceFlag('--dist', ['normal', 'uniform', 'exponential'] as const),
      )
      .option('--loc <value>', 'ks: location of --dist (default 0)', numberFlag('--loc'))
      .option('--scale <value>', 'ks: scale of --dist (default 1)', numberFlag('--scale', 0)),
  ).action(
    action(async (test: StatTest, file: string, flags: TestFlags) => {
      const read = await readTable(file);
      const table = read.table;
      refuseInfinite(test, table, flags, file, read.rowLines);
      const { result, samples } = runTest(test, table, flags, file);
      output(flags, { data: resolve(file), samples, ...result }, () =>
        formatTestResult(result, samples.join(' vs ')),
      );
    }),
  );

  withCommonOptions(
    stats
      .command('corr')
      .description('the correlation matrix of the numeric columns, with p-values')
      .argument('<data>', 'a CSV, TSV, Parquet, JSON, NDJSON or Arrow file')
      .option(
        '--method <m>',
        'pearson (default), spearman or kendall',
        choiceFlag('--method', ['pearson', 'spearman', 'kendall'] as const),
      )
      .option('--columns <names>', 'comma-separated columns (default: every numeric column)'),
  ).action(
    action(
      async (
        file: string,
        flags: CommonOptions & { method?: 'pearson' | 'spearman' | 'kendall'; columns?: string },
      ) => {
        const table = await load(file);
        const method = flags.method ?? 'pearson';
        const names = flags.columns
          ? flags.columns.split(',').map((s) => s.trim())
          : table.columns.filter((c) => c.type === 'numeric').map((c) => c.name);
        if (names.length < 2)
          throw new DataError(`correlations need at least two numeric columns; found ${names.length}.`, {
            file,
            fix: 'pass --columns',
          });
        const cols = names.map((n) => numericValues(table, n, '--columns', file));
        const p = names.length;
        const matrix = names.map(() => new Array<number | null>(p).fill(null));
        const pValues = names.map(() => new Array<number | null>(p).fill(null));
        const counts = names.map(() => new Array<number>(p).fill(0));
        const f = method === 'pearson' ? pearsonTest : method === 'spearman' ? spearmanTest : kendallTau;
        for (let a = 0; a < p; a++) {
          for (let b = a; b < p; b++) {
            let r: number | null = null;
            let pv: number | null = null;
            let n = 0;
            for (let i = 0; i < table.nRows; i++)
              if (cols[a][i] === cols[a][i] && cols[b][i] === cols[b][i]) n++;
            if (a === b) {
              r = 1;
              pv = 0;
            } else {
              try {
                const t = f(cols[a], cols[b]);
                r = t.statistic;
                pv = t.pValue;
              } catch {
                // a constant column or too few rows: undefined, reported as null
              }
            }
            matrix[a][b] = matrix[b][a] = r;
            pValues[a][b] = pValues[b][a] = pv;
            counts[a][b] = counts[b][a] = n;
          }
        }
        output(flags, { data: resolve(file), method, columns: names, matrix, pValues, n: counts }, () => {
          const head = ['', ...names];
          const rows = [
            head,
            ...names.map((n, a) => [n, ...matrix[a].map((v) => (v === null ? '—' : v.toFixed(3)))]),
          ];
          const prow = [
            head,
            ...names.map((n, a) => [
              n,
              ...pValues[a].map((v, b) => (a === b ? '' : v === null ? '—' : formatNumber(v, 3))),
            ]),
          ];
          return `${method} correlation (pairwise complete rows)\n\n${alignedTable(rows)}\n\np-values (H0: no correlation, two-sided)\n\n${alignedTable(prow)}\n`;
        });
      },
    ),
  );

  withCommonOptions(
    stats
      .command('ols')
      .description(
        'ordinary least squares with a formula: coefficients, (robust) standard errors, R², F, AIC/BIC, residual diagnostics',
      )
      .argument('<data>', 'a CSV, TSV, Parquet, JSON, NDJSON or Arrow file')
      .requiredOption('--formula <f>', 'e.g. "y ~ x1 + x2 + C(group) + x1:x2"')
      .option(
        '--robust <type>',
        'heteroscedasticity-robust standard errors: hc0, hc1, hc2 or hc3',
        choiceFlag('--robust', ['hc0', 'hc1', 'hc2', 'hc3'] as const),
      )
      .option('--level <p>', 'confidence level of the intervals (default 0.95)', numberFlag('--level', 0, 1)),
  ).action(
    action(
      async (file: string, flags: CommonOptions & { formula: string; robust?: string; level?: number }) => {
        const table = await load(file);
        const covType = (flags.robust ? flags.robust.toUpperCase() : 'nonrobust') as OlsCovType;
        const r = olsFit(frameOf(table), flags.formula, { covType, confidenceLevel: flags.level });
        output(flags, olsJson(r, file), () => formatOlsSummary(r) + extraDiagnostics(r));
      },
    ),
  );

  withCommonOptions(
    stats
      .command('logit')
      .description(
        'logistic regression inference with a formula: Wald standard errors, z, p, odds ratios with intervals',
      )
      .argument('<data>', 'a CSV, TSV, Parquet, JSON, NDJSON or Arrow file')
      .requiredOption('--formula <f>', 'e.g. "churned ~ tenure_months + C(plan)"')
      .option('--level <p>', 'confidence level of the intervals (default 0.95)', numberFlag('--level', 0, 1)),
  ).action(
    action(async (file: string, flags: CommonOptions & { formula: string; level?: number }) => {
      const table = await load(file);
      const r = logitFit(frameOf(table), flags.formula, { confidenceLevel: flags.level });
      const { fitted: _f, rows: _rows, ...rest } = r;
      output(flags, { data: resolve(file), ...rest }, () => formatLogitSummary(r));
    }),
  );
}
