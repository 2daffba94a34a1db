import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/core/rng.ts';
import {
  booleanColumn,
  categoricalColumn,
  datetimeColumn,
  numericColumn,
  textColumn,
} from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { renderQualityHtml } from '../../src/plots/quality-report.ts';
import { profileTable } from '../../src/quality/profile.ts';

const rng = new Rng(5);
const n = 200;
const x = Array.from({ length: n }, () => rng.normal(40, 10));
const table = new Table([
  numericColumn(
    'age',
    x.map((v, i) => (i % 11 === 0 ? null : Math.round(v))),
  ),
  numericColumn(
    'score',
    x.map((v) => v * 2 + rng.normal(0, 1)),
  ),
  categoricalColumn(
    '<b>city</b> & "co"',
    Array.from({ length: n }, () => ['Paris', 'Lyon'][rng.int(2)]),
  ),
  textColumn(
    'note',
    Array.from({ length: n }, (_, i) => `<script>alert(${i})</script>`),
  ),
  datetimeColumn(
    'day',
    Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * 3_600_000),
  ),
  booleanColumn(
    'churned',
    x.map((v) => v > 45),
  ),
]);

describe('renderQualityHtml', async () => {
  const report = profileTable(table, { target: 'churned' });
  const html = await renderQualityHtml(report);

  it('is one self-contained document: no http(s) URLs, scripts, external resources', () => {
    assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
    assert.doesNotMatch(html, /https?:\/\//);
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|url\((?!#)/i);
    assert.doesNotMatch(html, /\s(src|href)="(?!#)/, 'the only links are in-page anchors');
    assert.match(html, /<style>[\s\S]*\.finding[\s\S]*<\/style>/);
  });

  it('escapes every value taken from the data', () => {
    assert.ok(html.includes('&lt;b&gt;city&lt;/b&gt; &amp; &quot;co&quot;'));
    assert.ok(html.includes('&lt;script&gt;alert('));
    assert.ok(!html.includes('<b>city</b>'));
  });

  it('puts the findings first, then the target, correlations and a card per column with a chart', () => {
    const order = [
      '<h2>Findings</h2>',
      '<h2>Target: churned',
      '<h2>Correlations</h2>',
      '<h2>Columns</h2>',
    ].map((s) => html.indexOf(s));
    assert.ok(
      order.every((i) => i > 0),
      String(order),
    );
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
    );
    assert.equal((html.match(/<div class="finding /g) ?? []).length, report.findings.length);
    for (const f of report.findings)
      assert.ok(html.includes(`data-id="${f.id.replace(/"/g, '&quot;')}"`) || f.id.includes('<'));
    assert.equal((html.match(/<section class="col" id="col-\d+">/g) ?? []).length, table.nCols);
    // a chart per column, the class balance and two heatmaps
    assert.equal((html.match(/<svg /g) ?? []).length, table.nCols + 1 + 2);
    assert.match(html, /aria-label="histogram of age"/);
    assert.match(html, /aria-label="class balance of churned"/);
    assert.match(html, /aria-label="Pearson correlation heatmap"/);
  });

  it('links findings and columns both ways', () => {
    const f = report.findings.findIndex((x) => x.column === 'age');
    assert.ok(f >= 0, 'age has a finding (missing values)');
    assert.match(html, new RegExp(`id="finding-${f}"[\\s\\S]*?<a href="#col-0"`));
    assert.ok(html.includes(`href="#finding-${f}"`));
  });
});

describe('renderQualityHtml with infinite values', () => {
  it('renders a column and a regression target holding ±inf (no finite range, so no histogram bins)', async () => {
    // Their histograms have no edges; histogramSpec refused them and the whole report failed.
    const t = new Table([
      numericColumn('x', [1, 2, Number.POSITIVE_INFINITY, 4, Number.NEGATIVE_INFINITY, 6]),
      numericColumn('y', [0.5, 1.5, 2.5, Number.POSITIVE_INFINITY, 4.5, 5.5]),
    ]);
    const r = profileTable(t, { target: 'y', task: 'regression' });
    assert.deepEqual(r.columns[0].histogram, { edges: [], counts: [] });
    const out = await renderQualityHtml(r);
    assert.match(out, /aria-label="most frequent values of x"/);
    assert.doesNotMatch(out, /aria-label="histogram of x"/);
    assert.match(out, /<h2>Target: y/);
  });
});
