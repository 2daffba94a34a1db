// lathe predict / evaluate reading a column the model learned as text categories, when the new
// file brings it as numbers (JSON numbers, a Parquet DOUBLE column, a CSV of codes only).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { numericColumn, Table, writeTable } from '../../src/data/index.ts';
import { runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'lathe-predict-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A training CSV whose column `c` is text: `codes` and 'x'; y is 'yes' exactly when c is `codes[0]`. */
function trainingCsv(name: string, codes: [string, string]): string {
  const lines = ['c,z,y'];
  for (let i = 0; i < 90; i++) {
    const c = [codes[0], codes[1], 'x'][i % 3];
    lines.push(`${c},${(i * 7) % 10},${c === codes[0] ? 'yes' : 'no'}`);
  }
  writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return name;
}

function predictions(stdout: string): string[] {
  return stdout.trim().split('\n').slice(1);
}

describe('lathe predict / evaluate: numbers in a column the model learned as text', () => {
  before(async () => {
    // Training wrote the codes '1.0' and '2.0' (a CSV keeps them as written: the column also holds
    // 'x') for model mdec, and '1' and '2' for model mint.
    const models: [file: string, codes: [string, string], out: string][] = [
      ['train-dec.csv', ['1.0', '2.0'], 'mdec'],
      ['train-int.csv', ['1', '2'], 'mint'],
    ];
    for (const [file, codes, out] of models) {
      const r = await runCli(
        ['train', trainingCsv(file, codes), '--target', 'y', '--model', 'logistic', '--out', out, '--quiet'],
        { cwd: dir },
      );
      assert.equal(r.code, 0, r.stderr);
    }
  });

  it('NDJSON numbers take the learned categories of the same value (predict and evaluate)', async () => {
    writeFileSync(
      join(dir, 'codes.ndjson'),
      '{"c":1,"z":3,"y":"yes"}\n{"c":2,"z":3,"y":"no"}\n{"c":1.0,"z":5,"y":"yes"}\n{"c":"x","z":1,"y":"no"}\n',
    );
    const p = await runCli(['predict', 'mdec', 'codes.ndjson'], { cwd: dir });
    assert.equal(p.code, 0, p.stderr);
    assert.deepEqual(predictions(p.stdout), ['yes', 'no', 'yes', 'no']);
    assert.doesNotMatch(p.stderr, /unknown categories/);
    const e = await runCli(['evaluate', 'mdec', 'codes.ndjson', '--resamples', '0', '--json'], { cwd: dir });
    assert.equal(e.code, 0, e.stderr);
    const metrics = JSON.parse(e.stdout).metrics as { key: string; value: number }[];
    assert.equal(metrics.find((m) => m.key === 'accuracy')?.value, 1);
  });

  it('a Parquet DOUBLE column takes the learned categories of the same value', async () => {
    await writeTable(
      new Table([numericColumn('c', [2, 1, 1]), numericColumn('z', [3, 3, 0])]),
      join(dir, 'codes.parquet'),
    );
    const p = await runCli(['predict', 'mdec', 'codes.parquet'], { cwd: dir });
    assert.equal(p.code, 0, p.stderr);
    assert.deepEqual(predictions(p.stdout), ['no', 'yes', 'yes']);
  });

  it('a CSV of codes only (read as numbers on its own) matches the categories as the training CSV wrote them', async () => {
    writeFileSync(join(dir, 'ints.csv'), 'c,z\n1,3\n2,3\n1,0\n');
    const p = await runCli(['predict', 'mint', 'ints.csv'], { cwd: dir });
    assert.equal(p.code, 0, p.stderr);
    assert.deepEqual(predictions(p.stdout), ['yes', 'no', 'yes']);
    assert.doesNotMatch(p.stderr, /unknown categories/);
  });

  it('says on stderr which values the training data did not have, and when one is a learned number written differently', async () => {
    writeFileSync(join(dir, 'other.csv'), 'c,z,y\n1,3,yes\n1.0,3,yes\nnew,0,no\n');
    const p = await runCli(['predict', 'mdec', 'other.csv'], { cwd: dir });
    assert.equal(p.code, 0, p.stderr);
    assert.equal(predictions(p.stdout)[1], 'yes');
    assert.match(
      p.stderr,
      /column 'c': 2 of 3 rows hold values the training data did not have \('1', 'new'\); the model treats them as unknown categories\. '1' is the same number as the category '1\.0' the model learned, written differently: write the column as the training file did/,
    );
    const quiet = await runCli(['predict', 'mdec', 'other.csv', '--quiet'], { cwd: dir });
    assert.equal(quiet.stderr, '');
    const e = await runCli(['evaluate', 'mdec', 'other.csv', '--resamples', '0'], {
      cwd: dir,
    });
    assert.equal(e.code, 0, e.stderr);
    assert.match(e.stderr, /column 'c': 2 of 3 rows hold values the training data did not have/);
  });

  it('a numeric column of the model given text stays an error naming file, line and column', async () => {
    writeFileSync(join(dir, 'badz.csv'), 'c,z\n1.0,3\n2.0,abc\n');
    const p = await runCli(['predict', 'mdec', 'badz.csv'], { cwd: dir });
    assert.equal(p.code, 2);
    assert.match(
      p.stderr,
      /^error: badz\.csv, line 3, column 'z': "abc" is not a number, but the column is numeric/,
    );
  });
});

describe('lathe train / tune / predict / evaluate: dates in the format of the training file', () => {
  // m is the month of d, written day-first (%d/%m/%Y: days past 12 tell the reader so).
  before(() => {
    const lines = ['d,z,m'];
    for (let i = 0; i < 112; i++) {
      const month = 5 + (i % 2);
      const day = String((Math.floor(i / 2) % 28) + 1).padStart(2, '0');
      lines.push(`${day}/0${month}/2023,${(i * 7) % 10},${month === 6 ? 'jun' : 'may'}`);
    }
    writeFileSync(join(dir, 'months.csv'), `${lines.join('\n')}\n`);
  });
  const formatOf = (pkg: string) => {
    const m = JSON.parse(readFileSync(join(dir, pkg, 'manifest.json'), 'utf8'));
    return m.inputSchema.columns.find((c: { name: string }) => c.name === 'd')?.format;
  };

  it('the package records %d/%m/%Y; a lone 05/06/2023 is read day-first, ISO dates as ISO', async () => {
    const t = await runCli(
      ['train', 'months.csv', '--target', 'm', '--model', 'tree', '--out', 'mdays', '--quiet'],
      {
        cwd: dir,
      },
    );
    assert.equal(t.code, 0, t.stderr);
    assert.equal(formatOf('mdays'), '%d/%m/%Y');
    // Alone, 05/06/2023 fits month-first too (sniffing its own file read it as 6 May).
    writeFileSync(join(dir, 'lone.csv'), 'd,z\n05/06/2023,1\n');
    const lone = await runCli(['predict', 'mdays', 'lone.csv', '--keep', 'd'], { cwd: dir });
    assert.equal(lone.code, 0, lone.stderr);
    assert.deepEqual(predictions(lone.stdout), ['2023-06-05,jun']);
    writeFileSync(
      join(dir, 'mixed.csv'),
      'd,z,m\n05/06/2023,1,jun\n2023-05-07,2,may\n2023-06-07T10:00:00Z,3,jun\n06/05/2023,4,may\n',
    );
    const mixed = await runCli(['predict', 'mdays', 'mixed.csv', '--keep', 'd'], { cwd: dir });
    assert.equal(mixed.code, 0, mixed.stderr);
    assert.deepEqual(predictions(mixed.stdout), [
      '2023-06-05T00:00:00.000Z,jun',
      '2023-05-07T00:00:00.000Z,may',
      '2023-06-07T10:00:00.000Z,jun',
      '2023-05-06T00:00:00.000Z,may',
    ]);
    const e = await runCli(
      ['evaluate', 'mdays', 'mixed.csv', '--target', 'm', '--resamples', '0', '--json'],
      {
        cwd: dir,
      },
    );
    assert.equal(e.code, 0, e.stderr);
    const metrics = JSON.parse(e.stdout).metrics as { key: string; value: number }[];
    assert.equal(metrics.find((m) => m.key === 'accuracy')?.value, 1);
    writeFileSync(join(dir, 'baddate.csv'), 'd,z\n2023-06-05,1\n13/13/2023,2\n');
    const bad = await runCli(['predict', 'mdays', 'baddate.csv'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /^error: baddate\.csv, line 3, column 'd': "13\/13\/2023" is not a date\/time in the format %d\/%m\/%Y or ISO 8601 \(YYYY-MM-DD\)/,
    );
  });

  it("lathe monitor reads a serve log's ISO dates (the server logs dates as read) against the day-first model", async () => {
    const line = {
      time: '2026-11-20T10:00:00.000Z',
      model: 'mdays',
      version: '1',
      id: 'r1',
      status: 200,
      rows: 2,
      latencyMs: 1,
      inputs: { d: ['2023-06-05T00:00:00.000Z', '2023-05-06T00:00:00.000Z'], z: [1, 2] },
      outputs: { prediction: ['jun', 'may'] },
    };
    writeFileSync(join(dir, 'served-days.ndjson'), `${JSON.stringify(line)}\n`);
    const m = await runCli(['monitor', 'mdays', 'served-days.ndjson', '--json'], { cwd: dir });
    assert.equal(m.code, 0, m.stderr);
    assert.equal(JSON.parse(m.stdout).current.rows, 2);
  });

  it('lathe tune records the format too', async () => {
    const t = await runCli(
      [
        'tune',
        'months.csv',
        '--target',
        'm',
        '--model',
        'tree',
        '--trials',
        '2',
        '--cv',
        '2',
        '--out',
        'mtuned',
        '--quiet',
      ],
      { cwd: dir },
    );
    assert.equal(t.code, 0, t.stderr);
    assert.equal(formatOf('mtuned'), '%d/%m/%Y');
    const lone = await runCli(['predict', 'mtuned', 'lone.csv'], { cwd: dir });
    assert.equal(lone.code, 0, lone.stderr);
    assert.deepEqual(predictions(lone.stdout), ['jun']);
  });
});
