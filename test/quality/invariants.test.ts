// Whatever the table — tiny, empty, all missing, infinite values, one row — profileTable returns
// a report whose numbers add up.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/core/rng.ts';
import {
  booleanColumn,
  type Column,
  categoricalColumn,
  datetimeColumn,
  numericColumn,
  textColumn,
} from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { profileTable } from '../../src/quality/profile.ts';

function randomColumn(rng: Rng, name: string, n: number): Column {
  const missing = [0, 0.1, 0.5, 1][rng.int(4)];
  const miss = () => rng.random() < missing;
  switch (rng.int(6)) {
    case 0:
      return numericColumn(
        name,
        Array.from({ length: n }, () => (miss() ? null : rng.normal(0, 10))),
      );
    case 1: {
      const pool = [0, -0, 1, 2, 999, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
      return numericColumn(
        name,
        Array.from({ length: n }, () => (miss() ? null : pool[rng.int(rng.int(2) ? 4 : pool.length)])),
      );
    }
    case 2:
      return categoricalColumn(
        name,
        Array.from({ length: n }, () => (miss() ? null : ['a', '1', '2024-01-01', '?', 'b c'][rng.int(5)])),
      );
    case 3:
      return booleanColumn(
        name,
        Array.from({ length: n }, () => (miss() ? null : rng.random() < 0.3)),
      );
    case 4:
      return datetimeColumn(
        name,
        Array.from({ length: n }, () => (miss() ? null : Date.UTC(2020, 0, 1) + rng.int(1000) * 3_600_000)),
      );
    default:
      return textColumn(
        name,
        Array.from({ length: n }, (_, i) => (miss() ? null : `t${i % (1 + rng.int(n + 1))}`)),
      );
  }
}

describe('profileTable invariants on random tables', () => {
  it('never throws, and counts, histograms, shares and ids are consistent', () => {
    const rng = new Rng(21);
    for (let trial = 0; trial < 60; trial++) {
      const n = [0, 1, 2, 3, 17, 120][rng.int(6)];
      const p = 1 + rng.int(6);
      const table = new Table(Array.from({ length: p }, (_, j) => randomColumn(rng, `c${j}`, n)));
      const target = rng.random() < 0.5 ? `c${rng.int(p)}` : undefined;
      const targetColumn = target === undefined ? undefined : table.column(target);
      const regressionOnStrings =
        targetColumn !== undefined && (targetColumn.type === 'categorical' || targetColumn.type === 'text');
      const report = profileTable(table, {
        target,
        ...(target !== undefined && !regressionOnStrings && rng.random() < 0.3
          ? { task: 'regression' as const }
          : {}),
        sample: rng.random() < 0.5 ? null : 10,
      });
      const what = `trial ${trial} (${n} rows × ${p})`;
      assert.equal(report.table.rows, n, what);
      let missing = 0;
      for (const c of report.columns) {
        assert.equal(c.count + c.missing, n, `${what} ${c.name}`);
        missing += c.missing;
        assert.ok(c.distinct <= c.count);
        assert.ok(c.top.length <= Math.min(10, c.distinct));
        for (let k = 1; k < c.top.length; k++) assert.ok(c.top[k - 1].count >= c.top[k].count);
        if (c.histogram) {
          const finite =
            c.numeric === null || (Number.isFinite(c.numeric.min) && Number.isFinite(c.numeric.max));
          const total = c.histogram.counts.reduce((s, x) => s + x, 0);
          if (finite) assert.equal(total, c.count, `${what} ${c.name} histogram`);
          assert.equal(
            c.histogram.edges.length,
            c.histogram.counts.length + (c.histogram.edges.length ? 1 : 0),
          );
        }
        if (c.numeric) {
          assert.ok(c.numeric.min <= c.numeric.median && c.numeric.median <= c.numeric.max);
          assert.ok(c.numeric.zeros + c.numeric.negatives <= c.count);
        }
      }
      assert.equal(report.table.missingCells, missing);
      assert.ok(report.table.duplicateRows <= Math.max(0, n - 1));
      assert.equal(new Set(report.findings.map((f) => f.id)).size, report.findings.length, `${what} ids`);
      const json = JSON.stringify(report);
      assert.doesNotMatch(json, /NaN|Infinity|undefined/);
      if (report.target) {
        assert.equal(report.target.column, target);
        for (const a of report.target.associations) assert.ok(a.score >= 0 && a.score <= 1, `${what} score`);
        if (report.target.classes) {
          const total = report.target.classes.reduce((s, c) => s + c.count, 0);
          assert.equal(total + report.target.missing, n);
        }
      }
      const cor = report.correlations;
      assert.equal(cor.pearson.length, cor.columns.length);
      for (const row of [...cor.pearson, ...cor.spearman]) {
        for (const r of row) assert.ok(r === null || (r >= -1 && r <= 1));
      }
    }
  });
});
