import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PredictionLog } from '../../src/serve/prediction-log.ts';
import { ROOT, runCli, trainExampleChurn } from '../helpers/cli.ts';

const customers = join(ROOT, 'examples', 'customers.csv');

/** The example's rows with the ages moved up 15 years and half the plans made 'premium'. */
function drifted(path: string, rows: number): void {
  const lines = readFileSync(customers, 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  const age = header.indexOf('age');
  const plan = header.indexOf('plan');
  const out = lines.slice(1, rows + 1).map((l, i) => {
    const f = l.split(',');
    if (f[age] !== '') f[age] = String(Number(f[age]) + 15);
    if (i % 2 === 0) f[plan] = 'premium';
    return f.join(',');
  });
  writeFileSync(path, `${lines[0]}\n${out.join('\n')}\n`);
}

/** The example's first `rows` rows with every third outcome flipped (the inputs unchanged). */
function relabelled(path: string, rows: number): void {
  const lines = readFileSync(customers, 'utf8').trimEnd().split('\n');
  const y = lines[0].split(',').indexOf('churned');
  const out = lines.slice(1, rows + 1).map((l, i) => {
    const f = l.split(',');
    if (i % 3 === 0) f[y] = f[y] === 'yes' ? 'no' : 'yes';
    return f.join(',');
  });
  writeFileSync(path, `${lines[0]}\n${out.join('\n')}\n`);
}

/** A prediction log of the example's rows [from, to), as lathe serve writes it, one request per 50 rows. */
function log(path: string, from: number, to: number, model = 'churn'): void {
  const lines = readFileSync(customers, 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  const rows = lines.slice(1 + from, 1 + to).map((l) => l.split(','));
  const w = PredictionLog.open(path);
  for (let s = 0; s < rows.length; s += 50) {
    const part = rows.slice(s, s + 50);
    const inputs: Record<string, unknown[]> = {};
    header.forEach((h, j) => {
      if (h === 'customer_id' || h === 'churned') return;
      inputs[h] = part.map((r) => {
        const v = r[j];
        if (v === '') return null;
        if (h === 'signup_date') return `${v}T00:00:00.000Z`;
        if (v === 'true' || v === 'false') return v === 'true';
        return Number.isFinite(Number(v)) ? Number(v) : v;
      });
    });
    w.write({
      time: new Date(Date.UTC(2026, 10, 1 + s / 50)).toISOString(),
      model,
      version: '1',
      id: `r${s}`,
      status: 200,
      rows: part.length,
      latencyMs: 1,
      inputs,
      outputs: { prediction: part.map(() => 'no') },
    });
  }
  w.close();
}

describe('lathe monitor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-monitor-'));
  const store = join(dir, 'lathe.db');
  before(async () => {
    await trainExampleChurn(dir, 'm', store);
    drifted(join(dir, 'drifted.csv'), 600);
    log(join(dir, 'served.ndjson'), 0, 1000);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds no drift in the training file itself, column by column, and the predictions', async () => {
    const r = await runCli(['monitor', 'churn/1', customers, '--store', store], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^drift of churn\/1 \(binary\): 2000 rows of .*customers\.csv against 1600 rows of its training rows\n/,
    );
    assert.match(r.stdout, /\nsignup_date +— +a date column: time moves on, so it is not tested\n/);
    assert.match(r.stdout, /\nage +Wasserstein +[\d.]+ +— +≥ 0\.1 +ok\n/);
    assert.match(r.stdout, /\nprediction +Jensen-Shannon +[\d.]+ +— +≥ 0\.1 +ok\n/);
    assert.match(
      r.stdout,
      /\n0 of 9 input columns drifted \(0 %\): no data drift \(the threshold is 50 %\)\.\n$/,
    );
    assert.equal(r.stderr, '');
  });

  it('finds the moved ages and plans of a data file (--json), and the data set drifting at a lower share', async () => {
    const r = await runCli(['monitor', 'm', 'drifted.csv', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.current.kind, 'file');
    assert.equal(j.current.path, join(dir, 'drifted.csv'));
    assert.equal(j.rows.current, 600);
    const by = Object.fromEntries(j.columns.map((c: { column: string }) => [c.column, c]));
    assert.equal(by.age.drifted, true);
    assert.equal(by.age.test, 'wasserstein');
    assert.equal(by.plan.drifted, true);
    assert.equal(by.region.drifted, false);
    assert.equal(j.drifted, 2);
    assert.equal(j.datasetDrift, false);
    const low = await runCli(['monitor', 'm', 'drifted.csv', '--drift-share', '0.2'], { cwd: dir });
    assert.match(
      low.stdout,
      /2 of 9 input columns drifted \(22 %\): the data set has DRIFTED \(the threshold is 20 %\)\./,
    );
    assert.match(low.stderr, /the data have drifted: check the columns marked DRIFT/);
  });

  it('reads a prediction log of lathe serve, within --since/--until', async () => {
    const r = await runCli(['monitor', 'm', 'served.ndjson', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(
      {
        kind: j.current.kind,
        rows: j.current.rows,
        requests: j.current.requests,
        servedAs: j.current.servedAs,
      },
      { kind: 'log', rows: 1000, requests: 20, servedAs: 'churn' },
    );
    assert.equal(j.datasetDrift, false);
    const part = await runCli(
      ['monitor', 'm', 'served.ndjson', '--since', '2026-11-11', '--until', '2026-11-13', '--json'],
      {
        cwd: dir,
      },
    );
    const p = JSON.parse(part.stdout);
    assert.equal(p.current.requests, 2);
    assert.equal(p.rows.current, 100);
    assert.equal(p.current.first, '2026-11-11T00:00:00.000Z');
    // A byte order mark and a blank line before the first entry (a log edited by hand, or
    // concatenated by a tool) leave it a log, read as before, not taken for a data file.
    writeFileSync(join(dir, 'bom.ndjson'), `\uFEFF\r\n${readFileSync(join(dir, 'served.ndjson'), 'utf8')}`);
    const bom = await runCli(['monitor', 'm', 'bom.ndjson', '--json'], { cwd: dir });
    assert.equal(bom.code, 0, bom.stderr);
    const b = JSON.parse(bom.stdout);
    assert.deepEqual(
      { ...b, current: { ...b.current, path: null } },
      { ...j, current: { ...j.current, path: null } },
    );
    assert.equal(b.current.kind, 'log');
    const few = await runCli(['monitor', 'm', 'served.ndjson', '--since', '2026-11-20'], { cwd: dir });
    assert.equal(few.code, 0);
    assert.match(few.stderr, /only 50 current rows: .*compare a few hundred rows or more/);
  });

  it('compares with --reference when given, and refuses what it cannot compare (exit 2)', async () => {
    const ref = await runCli(['monitor', 'm', 'drifted.csv', '--reference', customers, '--json'], {
      cwd: dir,
    });
    assert.equal(ref.code, 0, ref.stderr);
    const j = JSON.parse(ref.stdout);
    assert.equal(j.reference, customers);
    assert.equal(j.rows.reference, 2000);
    assert.equal(j.drifted, 2);
    log(join(dir, 'two.ndjson'), 0, 100);
    log(join(dir, 'two.ndjson'), 100, 200, 'other');
    writeFileSync(
      join(dir, 'broken.ndjson'),
      `${readFileSync(join(dir, 'served.ndjson'), 'utf8').split('\n')[0]}\nnot json\n`,
    );
    const cases: [string[], RegExp][] = [
      [['m', 'two.ndjson'], /holds the predictions of 2 models \(churn, other\).*--served-as NAME/],
      [['m', 'broken.ndjson'], /broken\.ndjson, line 2: this line is not JSON/],
      [
        ['m', 'served.ndjson', '--since', '2027-01-01'],
        /served\.ndjson: no answered request in that time span to compare.*widen --since\/--until/,
      ],
      [
        ['m', 'drifted.csv', '--since', '2026-11-01'],
        /--since, --until and --served-as select requests of a prediction log; drifted\.csv is a data file/,
      ],
      [['m', 'served.ndjson', '--since', 'yesterday'], /--since must be a time such as 2026-11-01/],
      [['m', 'nope.csv'], /nope\.csv/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['monitor', ...args], { cwd: dir });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
    }
    assert.equal(
      (await runCli(['monitor', 'm', 'two.ndjson', '--served-as', 'other'], { cwd: dir })).code,
      0,
    );
  });

  it('prints an infinite chi-square (a plan the reference never had) as ∞, not n/a', async () => {
    // A reference of 300 rows (chi-square, not Jensen–Shannon, for the plans), and rows of a new plan.
    const lines = readFileSync(customers, 'utf8').trimEnd().split('\n');
    writeFileSync(join(dir, 'small.csv'), `${lines.slice(0, 301).join('\n')}\n`);
    const plan = lines[0].split(',').indexOf('plan');
    const rows = lines.slice(1, 201).map((l, i) => {
      const f = l.split(',');
      if (i % 4 === 0) f[plan] = 'platinum';
      return f.join(',');
    });
    writeFileSync(join(dir, 'platinum.csv'), `${lines[0]}\n${rows.join('\n')}\n`);
    const r = await runCli(['monitor', 'm', 'platinum.csv', '--reference', 'small.csv'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\nplan +chi-square +∞ +0\.0e\+0 +p < 0\.05 +DRIFT\n/);
  });

  it('with --target, judges performance against the training holdout: decay without any input drifting', async () => {
    relabelled(join(dir, 'relabelled.csv'), 800);
    const r = await runCli(
      ['monitor', 'm', 'relabelled.csv', '--target', 'churned', '--resamples', '200', '--json'],
      {
        cwd: dir,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.datasetDrift, false);
    const p = j.performance;
    assert.equal(p.rows, 800);
    assert.equal(p.primary, 'rocAuc');
    assert.equal(p.baseline, 'holdout');
    assert.equal(p.decayed, true);
    const auc = p.metrics.find((m: { key: string }) => m.key === 'rocAuc');
    assert.equal(auc.verdict, 'worse');
    assert.ok(auc.trained > auc.upper && auc.lower <= auc.current && auc.current <= auc.upper);
    assert.match(
      r.stderr,
      /the model's ROC AUC has decayed \([\d.]+ at training, [\d.]+ now\): consider retraining/,
    );
    const t = await runCli(['monitor', 'm', 'relabelled.csv', '--target', 'churned', '--resamples', '200'], {
      cwd: dir,
    });
    assert.match(
      t.stdout,
      /\nperformance on the 800 rows with an outcome \('churned'\), 95 % intervals, against the training holdout:\n/,
    );
    assert.match(t.stdout, /\nROC AUC +[\d.]+ +[\d.]+ +\[[\d.]+, [\d.]+\] +WORSE {2}← the verdict\n/);
    assert.match(
      t.stdout,
      /\nthe model has DECAYED: its ROC AUC at training lies outside today's interval, on the better side\.\n$/,
    );
    for (const [args, message] of [
      [
        ['m', 'served.ndjson', '--target', 'churned'],
        /--target: served\.ndjson is a prediction log, which holds no outcomes/,
      ],
      [['m', 'relabelled.csv', '--target', 'churn'], /relabelled\.csv.*churn.*churned/],
    ] as [string[], RegExp][]) {
      const e = await runCli(['monitor', ...args], { cwd: dir });
      assert.equal(e.code, 2, e.stderr);
      assert.match(e.stderr, message);
    }
  });

  it('names the line of a value the model cannot take, or sets its row aside under --on-bad-rows quarantine', async () => {
    const lines = readFileSync(customers, 'utf8').trimEnd().split('\n').slice(0, 301);
    const charges = lines[0].split(',').indexOf('monthly_charges');
    const f = lines[4].split(',');
    f[charges] = 'inf';
    lines[4] = f.join(',');
    writeFileSync(join(dir, 'inf.csv'), `${lines.join('\n')}\n`);
    const refused = await runCli(['monitor', 'churn/1', 'inf.csv', '--store', store], { cwd: dir });
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /inf\.csv, line 5, column 'monthly_charges'.*Fix: .*--on-bad-rows quarantine/,
    );
    const q = await runCli(
      [
        'monitor',
        'churn/1',
        'inf.csv',
        '--target',
        'churned',
        '--on-bad-rows',
        'quarantine',
        '--json',
        '--store',
        store,
      ],
      { cwd: dir },
    );
    assert.equal(q.code, 0, q.stderr);
    const j = JSON.parse(q.stdout);
    assert.equal(j.rows.current, 299);
    assert.equal(j.performance.rows, 299);
    assert.match(q.stderr, /1 of 300 rows were rejected and not compared \(see inf\.csv\.rejects\.csv\)/);
    assert.match(readFileSync(join(dir, 'inf.csv.rejects.csv'), 'utf8'), /^line,reason,raw\n5,/);
  });

  it('--report writes one self-contained HTML page: verdicts, tests, a chart per tested column', async () => {
    const r = await runCli(['monitor', 'm', 'drifted.csv', '--report', 'drift.html'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /wrote the report to drift\.html/);
    const html = readFileSync(join(dir, 'drift.html'), 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<h1>Drift of m<\/h1>/);
    assert.match(html, /<div class="v">2 \/ 9<\/div><div class="k">input columns drifted<\/div>/);
    // Nine tested input columns and the predictions drawn; the date column only listed.
    assert.equal(html.match(/<svg/g)?.length, 10);
    assert.match(html, /<td>signup_date<\/td><td><span class="muted">a date column/);
    assert.doesNotMatch(html, /<script|https?:\/\//);
    const clash = await runCli(['monitor', 'm', 'drifted.csv', '--report', 'drifted.csv'], { cwd: dir });
    assert.equal(clash.code, 2);
    assert.match(clash.stderr, /--report drifted\.csv is the same file as the data file/);
    // Not an HTML name: refused before any work, an unrelated file of another kind left as it was.
    writeFileSync(join(dir, 'notes.csv'), 'a,b\n1,2\n');
    for (const name of ['notes.csv', 'report']) {
      const other = await runCli(['monitor', 'm', 'drifted.csv', '--report', name], { cwd: dir });
      assert.equal(other.code, 2, other.stderr);
      assert.match(
        other.stderr,
        new RegExp(`--report ${name}: the report is an HTML page and must be named \\*\\.html`),
      );
    }
    assert.equal(readFileSync(join(dir, 'notes.csv'), 'utf8'), 'a,b\n1,2\n');
  });

  it('asks for --reference when the package carries no sample of its training rows', async () => {
    // A package written before Lathe kept a reference: the manifest without extra.reference.
    const manifestPath = join(dir, 'm', 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const { manifestChecksum } = await import('../../src/track/package/format.ts');
    manifest.extra = null;
    const { checksum: _, ...rest } = manifest;
    manifest.checksum = { algorithm: 'sha256', value: manifestChecksum(rest) };
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const r = await runCli(['monitor', 'm', 'drifted.csv'], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /carries no sample of its training rows.*Fix: pass --reference with the training data file/,
    );
    const ok = await runCli(['monitor', 'm', 'drifted.csv', '--reference', customers], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
  });
});
