// The report's statistics against pandas / NumPy / SciPy (scripts/oracles/quality_profile.py).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { booleanColumn, type Column, categoricalColumn, numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { profileTable } from '../../src/quality/profile.ts';

type Cell = number | string | boolean | null;
interface NumericOracle {
  count: number;
  missing: number;
  distinct: number;
  mean: number;
  std: number | null;
  min: number;
  max: number;
  sum: number;
  skew: number | null;
  describe: Record<string, number>;
  quantiles: number[];
  median: number;
  iqr: number;
  mad: number;
  zeros: number;
  negatives: number;
  integers: boolean;
  iqrCount: number;
  extremeCount: number;
  isolatedCount: number;
  robustZCount: number;
  robustZScale: string;
  histogram: { edges: number[]; counts: number[] };
  top: { value: number; count: number }[];
}
interface Fixture {
  rows: number;
  columns: Record<string, Cell[]>;
  types: Record<string, 'numeric' | 'categorical' | 'boolean'>;
  numeric: Record<string, NumericOracle>;
  categorical: Record<
    string,
    { count: number; missing: number; distinct: number; top: { value: Cell; count: number }[] }
  >;
  duplicates: { count: number; rows: number[] };
  missingCells: number;
  correlation: { columns: string[]; pearson: (number | null)[]; spearman: (number | null)[] };
}

const fx = JSON.parse(
  readFileSync(new URL('../fixtures/quality/profile.json', import.meta.url), 'utf8'),
) as Fixture;

function build(): Table {
  const cols: Column[] = Object.entries(fx.columns).map(([name, values]) => {
    const t = fx.types[name];
    if (t === 'numeric') return numericColumn(name, values as (number | null)[]);
    if (t === 'boolean') return booleanColumn(name, values as (boolean | null)[]);
    return categoricalColumn(name, values as (string | null)[]);
  });
  return new Table(cols);
}

/** Moments and correlations: pandas sums in another order, so agree to ~1e-12 relative. */
function near(actual: number | null | undefined, expected: number | null, what: string, rel = 1e-12): void {
  if (expected === null) {
    assert.ok(actual === null || Number.isNaN(actual), `${what}: expected undefined, got ${actual}`);
    return;
  }
  assert.ok(typeof actual === 'number', `${what}: expected ${expected}, got ${actual}`);
  const tol = rel * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected}`);
}

describe('profileTable against pandas/NumPy/SciPy', () => {
  const report = profileTable(build(), { sample: null });
  const byName = new Map(report.columns.map((c) => [c.name, c]));

  it('counts rows, missing cells and exact duplicate rows like pandas', () => {
    assert.equal(report.table.rows, fx.rows);
    assert.equal(report.table.missingCells, fx.missingCells);
    assert.equal(report.table.duplicateRows, fx.duplicates.count);
    assert.deepEqual(
      report.table.duplicateExamples.map((e) => e.row),
      fx.duplicates.rows.slice(0, 5),
    );
    const t = build();
    for (const e of report.table.duplicateExamples) {
      assert.deepEqual(t.slice(e.row, e.row + 1).toObjects(), t.slice(e.sameAs, e.sameAs + 1).toObjects());
      assert.ok(e.sameAs < e.row);
    }
  });

  for (const [name, o] of Object.entries(fx.numeric)) {
    it(`numeric column '${name}': describe(), nunique(), skew(), quantiles, MAD, outliers, histogram`, () => {
      const c = byName.get(name)!;
      const s = c.numeric!;
      assert.equal(c.count, o.count);
      assert.equal(c.missing, o.missing);
      assert.equal(c.distinct, o.distinct);
      near(s.mean, o.mean, `${name} mean`);
      near(s.std, o.std, `${name} std`);
      near(s.sum, o.sum, `${name} sum`);
      near(s.skewness, o.skew, `${name} skew`, 1e-9);
      assert.equal(s.min, o.min);
      assert.equal(s.max, o.max);
      // describe()'s quartiles are the same type-7 quantiles
      near(s.quantiles[2].value, o.describe['25%'], `${name} 25%`);
      near(s.quantiles[3].value, o.describe['50%'], `${name} 50%`);
      near(s.quantiles[4].value, o.describe['75%'], `${name} 75%`);
      s.quantiles.forEach((q, k) => near(q.value, o.quantiles[k], `${name} q${q.p}`, 1e-15));
      near(s.median, o.median, `${name} median`, 1e-15);
      near(s.iqr, o.iqr, `${name} iqr`, 1e-15);
      near(s.mad, o.mad, `${name} mad`, 1e-15);
      assert.equal(s.zeros, o.zeros);
      assert.equal(s.negatives, o.negatives);
      assert.equal(s.integers, o.integers);
      assert.equal(s.outliers.iqrCount, o.iqrCount, `${name} IQR outliers`);
      assert.equal(s.outliers.extremeCount, o.extremeCount, `${name} extreme outliers`);
      assert.equal(s.outliers.isolatedCount, o.isolatedCount, `${name} isolated outliers`);
      assert.equal(s.outliers.robustZCount, o.robustZCount, `${name} robust-z outliers`);
      assert.equal(s.outliers.robustZScale, o.robustZScale);
      assert.equal(c.histogram!.edges.length, o.histogram.edges.length, `${name} bins`);
      c.histogram!.edges.forEach((e, k) => near(e, o.histogram.edges[k], `${name} edge ${k}`, 1e-14));
      assert.deepEqual(c.histogram!.counts, o.histogram.counts, `${name} histogram counts`);
      assert.deepEqual(
        c.top.map((t) => ({ value: t.value, count: t.count })),
        o.top,
      );
    });
  }

  for (const [name, o] of Object.entries(fx.categorical)) {
    it(`column '${name}': count, missing, nunique and value_counts()`, () => {
      const c = byName.get(name)!;
      assert.equal(c.count, o.count);
      assert.equal(c.missing, o.missing);
      assert.equal(c.distinct, o.distinct);
      assert.deepEqual(
        c.top.map((t) => ({ value: t.value, count: t.count })),
        o.top,
      );
      for (const t of c.top) near(t.pct, (100 * t.count) / o.count, `${name} pct`);
    });
  }

  it('has the Pearson and Spearman matrices of DataFrame.corr() (booleans as 0/1; constant column left out)', () => {
    const cor = report.correlations;
    assert.deepEqual(cor.columns, fx.correlation.columns);
    assert.deepEqual(cor.excluded, [{ column: 'const', reason: 'constant' }]);
    assert.equal(cor.rows, fx.rows);
    assert.equal(cor.sampled, false);
    const p = cor.columns.length;
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) {
        const what = `${cor.columns[a]}×${cor.columns[b]}`;
        near(cor.pearson[a][b], fx.correlation.pearson[a * p + b], `pearson ${what}`, 1e-13);
        near(cor.spearman[a][b], fx.correlation.spearman[a * p + b], `spearman ${what}`, 1e-13);
      }
    }
  });
});
