import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { readTable } from '../../src/data/read/index.ts';
import { describe as describeColumn } from '../../src/stats/descriptive.ts';
import { olsFit } from '../../src/stats/ols.ts';
import { tTestIndependent } from '../../src/stats/t-test.ts';
import { type CliResult, ROOT, runCli } from '../helpers/cli.ts';

const HOUSING = join(ROOT, 'examples', 'housing.csv');
const CUSTOMERS = join(ROOT, 'examples', 'customers.csv');
const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at .*:\d+:\d+/, 'no stack trace');

// Every invocation starts Node and tsx afresh; run them together once, then check each.
const runs = {
  // A relative path (the runs start in ROOT): --json reports it absolute (docs/cli-json.md).
  describe: ['stats', 'describe', 'examples/housing.csv', '--json'],
  welch: ['stats', 'test', 'welch', HOUSING, '--x', 'price', '--group', 'has_garage', '--json'],
  chi2: ['stats', 'test', 'chi2', CUSTOMERS, '--x', 'plan', '--y', 'churned'],
  corr: ['stats', 'corr', HOUSING, '--method', 'kendall', '--columns', 'price,sqft,year_built', '--json'],
  ols: [
    'stats',
    'ols',
    HOUSING,
    '--formula',
    'price ~ sqft + C(condition) + sqft:bedrooms',
    '--robust',
    'hc3',
    '--json',
  ],
  olsText: ['stats', 'ols', HOUSING, '--formula', 'np.log(price) ~ sqft + bathrooms'],
  logit: ['stats', 'logit', CUSTOMERS, '--formula', 'churned ~ tenure_months + C(plan)'],
  badFormula: ['stats', 'ols', HOUSING, '--formula', 'price ~ sqft + + bedrooms'],
  unknownColumn: ['stats', 'ols', HOUSING, '--formula', 'price ~ sqft + bedroms'],
  categoricalX: ['stats', 'test', 'ttest', HOUSING, '--x', 'neighborhood'],
  missingFlag: ['stats', 'test', 'paired', HOUSING, '--x', 'price'],
} as const;
const out = {} as Record<keyof typeof runs, CliResult>;

before(async () => {
  const keys = Object.keys(runs) as (keyof typeof runs)[];
  const results = await Promise.all(keys.map((k) => runCli([...runs[k]], { cwd: ROOT, timeoutMs: 240_000 })));
  keys.forEach((k, i) => (out[k] = results[i]));
});

describe('lathe stats', () => {
  it('describe --json: every numeric column, the same numbers as describe()', async () => {
    const r = out.describe;
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      data: string;
      rows: number;
      columns: ({ name: string } & Record<string, number>)[];
    };
    assert.equal(doc.data, HOUSING);
    const { table } = await readTable(HOUSING);
    assert.equal(doc.rows, table.nRows);
    assert.deepEqual(
      doc.columns.map((c) => c.name),
      table.columns.filter((c) => c.type === 'numeric').map((c) => c.name),
    );
    const price = doc.columns.find((c) => c.name === 'price')!;
    const want = describeColumn((table.column('price') as { values: Float64Array }).values);
    for (const k of ['count', 'mean', 'std', 'q1', 'median', 'skewness', 'kurtosis', 'mad'] as const)
      assert.equal(price[k], want[k], k);
  });

  it('test welch --group: the JSON of the library result, with the samples', async () => {
    const r = out.welch;
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(doc.samples, ['has_garage=false', 'has_garage=true']);
    const { table } = await readTable(HOUSING);
    const price = (table.column('price') as { values: Float64Array }).values;
    const g = table.column('has_garage') as { values: Int8Array };
    const want = tTestIndependent(
      price.filter((_, i) => g.values[i] === 0),
      price.filter((_, i) => g.values[i] === 1),
      { equalVariance: false },
    );
    assert.equal(doc.statistic, want.statistic);
    assert.equal(doc.pValue, want.pValue);
    assert.equal(doc.df, want.df);
    assert.deepEqual(doc.confidenceInterval, want.confidenceInterval);
    assert.equal(doc.effectSize.name, "Cohen's d");
  });

  it('test chi2 --x --y: independence of two categorical columns, as text', () => {
    const r = out.chi2;
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^Chi-square test of independence\n-+\nsamples +plan vs churned\nstatistic +chi2 = 75\.34/,
    );
    assert.match(r.stdout, /\ndf +2\n/);
    assert.match(r.stdout, /Cramér's V/);
  });

  it('corr --json: matrix, p-values and pairwise counts', () => {
    const r = out.corr;
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.method, 'kendall');
    assert.deepEqual(doc.columns, ['price', 'sqft', 'year_built']);
    assert.equal(doc.matrix[0][0], 1);
    assert.equal(doc.matrix[0][1], doc.matrix[1][0]);
    assert.ok(doc.matrix[0][1] > 0.5);
    assert.ok(doc.pValues[0][1] < 1e-10);
    assert.equal(doc.n[0][2], 1448, 'year_built has 52 missing values');
  });

  it('ols --json: the library result without the per-row arrays', async () => {
    const r = out.ols;
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.model, 'OLS');
    assert.equal(doc.covType, 'HC3');
    assert.equal(doc.useT, false);
    assert.equal(doc.fitted, undefined);
    assert.equal(doc.residuals, undefined);
    const { table } = await readTable(HOUSING);
    const frame = Object.fromEntries(
      table.columns.map((c) => [
        c.name,
        c.type === 'categorical'
          ? Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]))
          : (c as { values: Float64Array }).values,
      ]),
    );
    const want = olsFit(frame as never, 'price ~ sqft + C(condition) + sqft:bedrooms', { covType: 'HC3' });
    assert.deepEqual(
      doc.coefficients.map((c: { name: string }) => c.name),
      [
        'Intercept',
        'C(condition)[T.fair]',
        'C(condition)[T.good]',
        'C(condition)[T.poor]',
        'sqft',
        'sqft:bedrooms',
      ],
    );
    assert.deepEqual(doc.coefficients, want.coefficients);
    assert.equal(doc.rSquared, want.rSquared);
    assert.ok(doc.diagnostics.breuschPagan.lm > 0);
  });

  it('ols prints the statsmodels-style summary and the extra diagnostics', () => {
    const r = out.olsText;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /OLS Regression Results\n={78}\nDep\. Variable: +np\.log\(price\) +R-squared:/);
    assert.match(r.stdout, /\nbathrooms +-?\d/);
    assert.match(r.stdout, /Additional diagnostics\nBreusch-Pagan \(Koenker\): LM = /);
    assert.match(r.stdout, /VIF: sqft \d/);
  });

  it('logit prints coefficients and odds ratios, naming the level coded 1', () => {
    const r = out.logit;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Logit Regression Results/);
    assert.match(r.stdout, /\nC\(plan\)\[T\.premium\] +1\.\d{4}/);
    assert.match(r.stdout, /odds ratio/);
    assert.match(r.stdout, /Note: churned = 'yes' is coded as 1\./);
  });

  it('a formula syntax error exits 2 with the formula and a caret', () => {
    const r = out.badFormula;
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^error: Formula syntax error: unexpected '\+' where a term was expected\.\n {2}price ~ sqft \+ \+ bedrooms\n {17}\^\nAt character 16/,
    );
    noStack(r.stderr);
  });

  it('an unknown column exits 2 and suggests the nearest name', () => {
    const r = out.unknownColumn;
    assert.equal(r.code, 2);
    assert.match(r.stderr, /names a column 'bedroms' that is not in the data/);
    assert.match(r.stderr, /did you mean 'bedrooms'\?/);
    noStack(r.stderr);
  });

  it('bad usage exits 2 with a one-paragraph message', () => {
    assert.equal(out.categoricalX.code, 2);
    assert.match(
      out.categoricalX.stderr,
      /column 'neighborhood': --x neighborhood: the column is categorical, but this needs numbers/,
    );
    assert.equal(out.missingFlag.code, 2);
    assert.match(out.missingFlag.stderr, /lathe stats test paired needs --y COLUMN/);
    for (const k of ['categoricalX', 'missingFlag'] as const) noStack(out[k].stderr);
  });

  it('an infinite value names its file line and column (not its index in the sample); rank tests take it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lathe-stats-inf-'));
    try {
      // Line 5 holds -inf in a row of group 'b'; line 3 holds inf in a row without a group (not used).
      const data = join(dir, 'inf.csv');
      const rows = Array.from({ length: 20 }, (_, i) => `${i % 2 ? 'a' : 'b'},${i * 1.5},${20 - i}`);
      rows[1] = ',inf,19';
      rows[3] = 'b,-inf,17';
      writeFileSync(data, `g,v,w\n${rows.join('\n')}\n`);
      const [welch, pearson, mann] = await Promise.all([
        runCli(['stats', 'test', 'welch', data, '--x', 'v', '--group', 'g']),
        runCli(['stats', 'test', 'pearson', data, '--x', 'w', '--y', 'v']),
        runCli(['stats', 'test', 'mannwhitney', data, '--x', 'v', '--group', 'g']),
      ]);
      assert.equal(welch.code, 2, welch.stderr);
      assert.match(
        welch.stderr,
        /inf\.csv, line 5, column 'v': --x v holds -inf; test 'welch' needs finite values\. Fix: /,
      );
      assert.equal(pearson.code, 2, pearson.stderr);
      assert.match(
        pearson.stderr,
        /inf\.csv, line 3, column 'v': --y v holds inf; test 'pearson' needs finite values/,
      );
      for (const r of [welch, pearson]) noStack(r.stderr);
      assert.equal(mann.code, 0, mann.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
