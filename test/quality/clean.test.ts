import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cleanTable, fixableFindings } from '../../src/quality/clean.ts';
import { findDuplicateRows } from '../../src/quality/duplicates.ts';
import { profileFile } from '../../src/quality/profile-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'lathe-clean-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** 40 rows: numbers as text (with '?', thousands separators, a percentage and a word), day-first
 * dates as text (one not a date), a constant and an empty column, two duplicate rows. */
function messy(): string {
  const lines = ['id,signup,age,income,plan,country,source,churned'];
  for (let i = 0; i < 40; i++) {
    const age = i % 9 === 4 ? '?' : String(20 + ((i * 7) % 50));
    const income =
      i === 11
        ? '12%'
        : i === 13
          ? 'lots'
          : i % 4 === 0
            ? `"${1 + (i % 5)},${100 + i}"`
            : String(30000 + i * 1000);
    const signup =
      i === 21
        ? 'sometime'
        : `${String(1 + (i % 28)).padStart(2, '0')}/${String(1 + (i % 12)).padStart(2, '0')}/2021`;
    lines.push(
      `U${i},${signup},${age},${income},${['basic', 'pro'][i % 2]},FR,,${i % 3 === 0 ? 'yes' : 'no'}`,
    );
  }
  lines.push(lines[3], lines[8]); // two exact copies
  return `${lines.join('\n')}\n`;
}

describe('cleanTable', () => {
  const path = join(dir, 'messy.csv');
  writeFileSync(path, messy());

  it('applies the fixes of the findings, sets aside what does not convert, and says what it did', async () => {
    const { report, read } = await profileFile(path, { target: 'churned' });
    const r = cleanTable(read.table, report, { rowLines: read.rowLines });
    assert.deepEqual(
      r.steps.map((s) => [s.action, s.column, s.count]),
      [
        ['dates-as-text', 'signup', 41],
        ['disguised-missing', 'age', 4],
        ['numbers-as-text', 'age', 38],
        ['numbers-as-text', 'income', 40],
        ['empty-columns', 'source', 1],
        ['constant-columns', 'country', 1],
        ['duplicates', null, 2],
      ],
    );
    // Rows set aside: file lines (header = line 1), the column, the value and why.
    assert.deepEqual(
      r.setAside.map((s) => [s.line, s.column, s.value]),
      [
        [13, 'income', '12%'],
        [15, 'income', 'lots'],
        [23, 'signup', 'sometime'],
      ],
    );
    assert.match(r.setAside[0].reason, /percentage/);
    const t = r.table;
    assert.deepEqual(t.columnNames, ['id', 'signup', 'age', 'income', 'plan', 'churned']);
    assert.equal(t.nRows, 42 - 3 - 2);
    assert.equal(t.column('age').type, 'numeric');
    assert.equal(t.column('income').type, 'numeric');
    assert.equal(t.column('signup').type, 'datetime');
    // Row by row against the input: `kept` maps each cleaned row to its input row.
    const firstKept = r.kept[0];
    assert.equal(t.get(0, 'id'), read.table.get(firstKept, 'id'));
    const row4 = Array.from(r.kept).indexOf(4);
    assert.equal(t.get(row4, 'age'), null, "'?' became missing");
    assert.equal(t.get(row4, 'income'), 5104, '"5,104" is 5104');
    assert.equal((t.get(row4, 'signup') as Date).toISOString(), '2021-05-05T00:00:00.000Z');
    const row2 = Array.from(r.kept).indexOf(2);
    assert.equal((t.get(row2, 'signup') as Date).toISOString(), '2021-03-03T00:00:00.000Z');
    assert.equal(t.get(row2, 'income'), 32000);
    // The copies are gone, the originals kept; nothing else was dropped.
    assert.ok(r.kept.includes(3) && r.kept.includes(8));
    assert.ok(!r.kept.includes(40) && !r.kept.includes(41));
    assert.equal(findDuplicateRows(t).count, 0);
    assert.equal(r.kept.length + r.setAside.length + 2, read.table.nRows, 'every row accounted for');
  });

  it('fixableFindings names the findings cleanTable acts on (what lathe profile points lathe clean at)', async () => {
    const { report, read } = await profileFile(path, { target: 'churned' });
    const acted = new Set(cleanTable(read.table, report).steps.map((s) => s.finding));
    assert.deepEqual(new Set(fixableFindings(report).map((f) => f.id)), acted);
    assert.deepEqual(
      fixableFindings(report, ['duplicates']).map((f) => f.id),
      ['duplicate-rows'],
    );
  });

  it('takes only the actions asked for, and never drops the target', async () => {
    const { report, read } = await profileFile(path, { target: 'country' });
    const r = cleanTable(read.table, report, { actions: ['constant-columns', 'empty-columns'] });
    assert.deepEqual(
      r.steps.map((s) => [s.action, s.column]),
      [['empty-columns', 'source']],
      'the constant country is the target: kept',
    );
    assert.equal(r.table.nRows, read.table.nRows);
    assert.equal(r.table.column('age').type, read.table.column('age').type);
    assert.deepEqual(r.setAside, []);
  });

  it('a table without findings comes back as it was; a report of another table is refused', async () => {
    const clean = join(dir, 'clean.csv');
    writeFileSync(clean, 'a,b\n1,x\n2,y\n3,z\n');
    const { report, read } = await profileFile(clean);
    const r = cleanTable(read.table, report);
    assert.deepEqual(r.steps, []);
    assert.deepEqual(r.table.toObjects(), read.table.toObjects());
    const other = await profileFile(path);
    assert.throws(
      () => cleanTable(read.table, other.report),
      /The report is of a table of 42 rows × 8 columns, not of this one \(3 × 2\)/,
    );
    assert.throws(
      () => cleanTable(read.table, report, { actions: ['nope' as never] }),
      /'nope' is not a cleaning action/,
    );
  });

  it('a percentage set aside is named with its own two readings, not those of 12%', async () => {
    const pct = join(dir, 'pct.csv');
    const rows = Array.from(
      { length: 40 },
      (_, i) => `${i},${i === 5 ? '49.5%' : i === 9 ? '0.7 %' : String(100 + i)}`,
    );
    writeFileSync(pct, `id,share\n${rows.join('\n')}\n`);
    const { report, read } = await profileFile(pct);
    const r = cleanTable(read.table, report, { rowLines: read.rowLines });
    assert.deepEqual(
      r.setAside.map((s) => [s.line, s.value, s.reason]),
      [
        [7, '49.5%', 'a percentage: whether it means 49.5 or 0.495 is not guessed'],
        [11, '0.7 %', 'a percentage: whether it means 0.7 or 0.007 is not guessed'],
      ],
    );
  });

  it('leaves a column it could read at most half of as it was (a column of percentages), not every row set aside', async () => {
    const pct = join(dir, 'all-pct.csv');
    const rows = Array.from({ length: 30 }, (_, i) => `${i},${i}.5%,${i % 3 === 0 ? '?' : `${i}.5%`}`);
    writeFileSync(pct, `id,pct,share\n${rows.join('\n')}\n`);
    const { report, read } = await profileFile(pct);
    const asked = fixableFindings(report).filter((f) => f.check === 'numbers-as-text');
    assert.deepEqual(
      asked.map((f) => f.column).sort(),
      ['pct', 'share'],
      'the profile reads them as numbers',
    );
    const r = cleanTable(read.table, report, { rowLines: read.rowLines });
    assert.equal(r.table.nRows, 30, 'no row set aside');
    assert.deepEqual(r.setAside, []);
    assert.equal(r.table.column('pct').type, read.table.column('pct').type);
    assert.equal(r.table.get(4, 'pct'), '4.5%');
    // The tokens of a column left unconverted become missing only as their own fix, and are said.
    assert.equal(r.table.get(3, 'share'), null);
    assert.equal(r.table.get(4, 'share'), '4.5%');
    assert.deepEqual(
      r.steps.map((s) => [s.action, s.column]),
      [['disguised-missing', 'share']],
    );
    const tokensOnly = cleanTable(read.table, report, { actions: ['numbers-as-text'] });
    assert.deepEqual(tokensOnly.steps, [], 'nothing done: no token fix asked, no conversion made');
    assert.equal(tokensOnly.table.get(3, 'share'), '?');
  });
});
