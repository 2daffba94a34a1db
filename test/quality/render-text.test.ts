import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/core/rng.ts';
import { categoricalColumn, numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { profileTable } from '../../src/quality/profile.ts';
import { renderQualityText } from '../../src/quality/render-text.ts';

const rng = new Rng(11);
const n = 300;
const x = Array.from({ length: n }, () => rng.normal());
const table = new Table([
  numericColumn(
    'income',
    x.map((v, i) => (i % 9 === 0 ? null : 1000 + 100 * v)),
  ),
  numericColumn('const', new Array(n).fill(2)),
  categoricalColumn(
    'plan',
    x.map((v) => (v > 1 ? 'gold' : 'basic')),
  ),
  categoricalColumn(
    'churned',
    x.map((v) => (v + rng.normal(0, 0.5) > 1.5 ? 'yes' : 'no')),
  ),
]);

describe('renderQualityText', () => {
  const report = profileTable(table, { target: 'churned' });
  const text = renderQualityText(report, { width: 90 });

  it('starts with the table summary, then the findings, most serious first', () => {
    const lines = text.split('\n');
    assert.match(lines[0], /^Data quality report: table — 300 rows × 4 columns$/);
    assert.match(
      lines[1],
      /missing cells .* · duplicate rows \d+ \(.*\) · target 'churned' \(classification\)/,
    );
    const fi = lines.findIndex((l) => l.startsWith('Findings:'));
    assert.equal(fi, 3);
    assert.match(lines[fi], /^Findings: \d+ critical, \d+ warnings?, \d+ info$/);
    const tags = lines
      .filter((l) => /^ {2}(CRITICAL|WARNING|INFO) /.test(l))
      .map((l) => l.trim().split(/\s+/)[0]);
    assert.equal(tags.length, report.findings.length);
    assert.deepEqual(
      tags,
      report.findings.map((f) => f.severity.toUpperCase()),
    );
    assert.ok(text.indexOf('Findings:') < text.indexOf('\nColumns'));
  });

  it('gives every finding its evidence and fix, wrapped to the width', () => {
    for (const f of report.findings) assert.ok(text.includes(f.title), f.title);
    assert.equal((text.match(/^ {12}fix: /gm) ?? []).length, report.findings.length);
    for (const line of text.split('\n')) assert.ok(line.length <= 90, `too long: ${line}`);
  });

  it('lists every column with its type, missing share and a summary', () => {
    assert.match(text, /\n {2}income +numeric +11\.3% +\d+ +min \d+/);
    assert.match(text, /\n {2}plan +categorical +0% +2 +'basic' \d/);
    assert.match(text, /Target 'churned' \(classification\)\n {2}'no' \d+ \(\d+(\.\d)?%\), 'yes'/);
    assert.match(
      text,
      /strongest single columns \(0–1\): (plan|income) 0\.\d+, (plan|income) 0\.\d+, const 0\n/,
    );
  });

  it('names the file and the rows set aside while reading', () => {
    const withSource = profileTable(table, {
      source: {
        path: 'dirty.csv',
        format: 'csv',
        bytes: 1000,
        rowsRead: 305,
        accepted: 300,
        rejected: 5,
        rejectsPath: 'dirty.csv.rejects.csv',
      },
    });
    const lines = renderQualityText(withSource).split('\n');
    assert.match(lines[0], /^Data quality report: dirty\.csv — 300 rows × 4 columns$/);
    assert.match(lines[1], /^ {2}rejected rows 5 · missing cells/);
  });

  it('says so when there is nothing to report', () => {
    const clean = renderQualityText(profileTable(new Table([numericColumn('a', x)])));
    assert.match(clean, /Findings: none — no problems found\./);
  });
});
