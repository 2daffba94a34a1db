import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.ts';

const MESSY = [
  'id,signup,age,income,plan,country,source,churned',
  ...Array.from({ length: 30 }, (_, i) => {
    const age = i % 7 === 3 ? '?' : String(20 + i);
    const income = i === 5 ? 'lots' : i % 3 === 0 ? `"${1 + (i % 4)},${100 + i}"` : String(40000 + i);
    return `U${i},2021-${String(1 + (i % 12)).padStart(2, '0')}-1${i % 10},${age},${income},${['basic', 'pro'][i % 2]},FR,,${i % 3 ? 'no' : 'yes'}`;
  }),
];
MESSY.push(MESSY[2]);

describe('lathe clean', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-clean-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'messy.csv'), `${MESSY.join('\n')}\n`);

  it('writes the cleaned table, the rows it could not convert to the rejects file, and says what it did (--json)', async () => {
    const r = await runCli(['clean', 'messy.csv', '--target', 'churned', '-o', 'clean.csv', '--json'], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.output, join(dir, 'clean.csv'));
    assert.deepEqual(j.rows, { read: 31, rejectedOnRead: 0, setAside: 1, duplicatesDropped: 1, cleaned: 29 });
    assert.deepEqual(j.columns, { read: 8, dropped: ['source', 'country'], cleaned: 6 });
    assert.deepEqual(
      j.steps.map((s: { action: string; column: string | null }) => [s.action, s.column]),
      [
        ['disguised-missing', 'age'],
        ['numbers-as-text', 'age'],
        ['numbers-as-text', 'income'],
        ['empty-columns', 'source'],
        ['constant-columns', 'country'],
        ['duplicates', null],
      ],
    );
    assert.deepEqual(j.setAside, [
      { line: 7, column: 'income', value: 'lots', reason: 'not a number, in a column of numbers' },
    ]);
    assert.ok(
      j.left.some((f: { id: string }) => f.id === 'id-like-column:id'),
      'the id is left to the user',
    );
    const out = readFileSync(join(dir, 'clean.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(out[0], 'id,signup,age,income,plan,churned');
    assert.equal(out.length, 1 + 29);
    assert.equal(out[1], 'U0,2021-01-10,20,1100,basic,yes');
    assert.equal(out[4], 'U3,2021-04-13,,4103,pro,yes', '\'?\' → missing, "4,103" → 4103');
    const rejects = readFileSync(join(dir, 'messy.csv.rejects.csv'), 'utf8');
    assert.match(
      rejects,
      /^line,reason,raw\n7,"column 'income': ""lots"" is not a number, in a column of numbers","U5,/,
    );
  });

  it('--dry-run says what it would do and writes nothing; text output names what is left to judge', async () => {
    rmSync(join(dir, 'messy.csv.rejects.csv'), { force: true });
    const r = await runCli(['clean', 'messy.csv', '--dry-run', '--skip', 'duplicates'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^would clean messy\.csv to 30 rows × 6 columns \(read 31 × 8\):\n/);
    assert.match(r.stdout, /\n {2}numbers-as-text +'income': text → numbers \(30 values\)\n/);
    assert.doesNotMatch(r.stdout, /\n {2}duplicates/);
    assert.match(r.stdout, /\n {2}WARNING {3}1 duplicate row \(3\.2%\)\n/, 'skipped: left to judge');
    assert.match(
      r.stdout,
      /1 row set aside: a value did not convert \(line 7, 'income' "lots": not a number/,
    );
    assert.match(r.stdout, /\nleft for you to judge \(lathe profile messy\.csv says more\):\n/);
    assert.match(r.stdout, /\n {2}WARNING {3}'id' looks like an identifier\n/);
    // Said of income's text, which is numbers now: not left to judge.
    assert.doesNotMatch(r.stdout, /'income' looks like an identifier/);
    assert.ok(!existsSync(join(dir, 'messy.csv.rejects.csv')));
  });

  it('with --on-bad-rows quarantine, unreadable rows and rows set aside share one rejects file, in line order', async () => {
    const broken = [...MESSY.slice(0, 3), 'U98,2021-01-01,1,2,3,4,5,6,7', ...MESSY.slice(3)];
    writeFileSync(join(dir, 'broken.csv'), `${broken.join('\n')}\n`);
    const dry = await runCli(['clean', 'broken.csv', '--on-bad-rows', 'quarantine', '--dry-run'], {
      cwd: dir,
    });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stdout,
      /\n {2}1 row could not be read and was set aside \(--on-bad-rows quarantine\)\n/,
    );
    assert.ok(!existsSync(join(dir, 'broken.csv.rejects.csv')), 'a dry run writes no rejects file');
    const r = await runCli(['clean', 'broken.csv', '--on-bad-rows', 'quarantine', '-o', 'b.csv', '--json'], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual([j.rows.read, j.rows.rejectedOnRead, j.rows.setAside, j.rows.cleaned], [32, 1, 1, 29]);
    const lines = readFileSync(join(dir, 'broken.csv.rejects.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[1], /^4,.*expected 8 fields/);
    assert.match(lines[2], /^8,"column 'income': ""lots"" is not a number/);
  });

  it('lathe profile points at lathe clean when it finds what lathe clean fixes (on stderr, not with --quiet)', async () => {
    const p = await runCli(['profile', 'messy.csv', '--target', 'churned'], { cwd: dir });
    assert.equal(p.code, 0, p.stderr);
    assert.match(
      p.stderr,
      /^lathe clean messy\.csv --target churned -o <file> fixes 6 of these findings \(duplicate-rows, empty-column:source, constant-column:country, numbers-as-text:age, numbers-as-text:income, disguised-missing:age\); see docs\/clean\.md\n$/,
    );
    const quiet = await runCli(['profile', 'messy.csv', '--quiet'], { cwd: dir });
    assert.equal(quiet.stderr, '');
  });

  it('lathe run puts lathe clean first among its next steps when the profile found what it fixes', async () => {
    const r = await runCli(
      [
        'run',
        'messy.csv',
        '--target',
        'churned',
        '--models',
        'logistic',
        '--trials',
        '0',
        '--resamples',
        '0',
      ],
      { cwd: dir, env: { LATHE_STORE: join(dir, 'run.db') } },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /\nNext:\n {2}lathe clean messy\.csv --target churned -o <clean file> {3}# fixes 6 findings of the profile \(duplicate-rows, .*\); then run again on it\n {2}lathe predict /,
    );
  });

  it('refuses, before any work, what cannot work (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['clean', 'messy.csv'], /pass -o <file> \(e\.g\. -o messy-clean\.csv\), or --dry-run/],
      [['clean', 'messy.csv', '-o', 'messy.csv'], /-o .*messy\.csv.*the data file/],
      [['clean', 'messy.csv', '-o', 'c.xlsx'], /-o c\.xlsx: Lathe cannot write that kind of file/],
      [
        ['clean', 'messy.csv', '--drop-leaks', '-o', 'c.csv'],
        /--drop-leaks .* needs to know the target: pass --target/,
      ],
      [['clean', 'messy.csv', '--skip', 'dupes', '-o', 'c.csv'], /--skip: 'dupes' is not a cleaning action/],
      [['clean', 'nope.csv', '-o', 'c.csv'], /nope\.csv/],
      [
        ['clean', 'messy.csv', '--target', 'churn', '-o', 'c.csv'],
        /no column named 'churn'.*did you mean 'churned'/,
      ],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(args, { cwd: dir });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re, args.join(' '));
      assert.ok(!existsSync(join(dir, 'c.csv')));
    }
  });
});
