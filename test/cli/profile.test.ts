import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { QualityReport } from '../../src/quality/report.ts';
import { ROOT, runCli } from '../helpers/cli.ts';

const CUSTOMERS = join(ROOT, 'examples', 'customers.csv');
const DIRTY = join(ROOT, 'examples', 'transactions_dirty.csv');
const dir = mkdtempSync(join(tmpdir(), 'lathe-profile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Generous: the machine these run on is shared, and each run starts Node and tsx afresh.
const cli = (args: string[]) => runCli(args, { timeoutMs: 180_000 });
const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at .*:\d+:\d+/, 'no stack trace');

describe('lathe profile', () => {
  it('prints the text report, findings first, and exits 0', async () => {
    const r = await cli(['profile', CUSTOMERS, '--target', 'churned']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Data quality report: .*customers\.csv — 2,000 rows × 12 columns\n/);
    assert.match(r.stdout, /\nFindings: \d+ critical, \d+ warnings?, \d+ info\n/);
    assert.match(r.stdout, /'customer_id' looks like an identifier/);
    assert.match(
      r.stdout,
      /\nTarget 'churned' \(classification\)\n {2}'no' 1,596 \(79\.8%\), 'yes' 404 \(20\.2%\)/,
    );
    assert.ok(r.stdout.indexOf('Findings:') < r.stdout.indexOf('\nColumns\n'));
  });

  it('--json prints the report document (the stable shape of docs/profile.md); --out takes the format from its extension', async () => {
    const out = join(dir, 'report.json');
    const r = await cli(['profile', CUSTOMERS, '--target', 'churned', '--json', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as QualityReport;
    assert.equal(report.version, 1);
    assert.equal(report.table.rows, 2000);
    assert.equal(report.columns.length, 12);
    assert.equal(report.source!.format, 'csv');
    assert.equal(report.source!.rejected, 0);
    assert.equal(report.target!.column, 'churned');
    assert.equal(report.target!.task, 'classification');
    assert.deepEqual(
      report.target!.classes!.map((c) => [c.value, c.count]),
      [
        ['no', 1596],
        ['yes', 404],
      ],
    );
    const ids = report.findings.map((f) => f.id);
    assert.ok(ids.includes('id-like-column:customer_id'), ids.join(', '));
    for (const f of report.findings) {
      assert.ok(['info', 'warning', 'critical'].includes(f.severity));
      assert.ok(f.title && f.evidence && f.fix, f.id);
    }
    assert.equal(r.stdout, `${JSON.stringify(report, null, 2)}\n`, 'one JSON document, nothing else');
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), report, 'the .json file holds the same report');
  });

  it('--json gives source.path absolute for a relative data path (docs/cli-json.md)', async () => {
    const r = await runCli(['profile', 'examples/customers.csv', '--json'], {
      cwd: ROOT,
      timeoutMs: 180_000,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as QualityReport).source!.path, CUSTOMERS);
  });

  it('--format html --out writes one self-contained file, atomically', async () => {
    const out = join(dir, 'sub', 'report.html');
    const r = await cli(['profile', CUSTOMERS, '--target', 'churned', '--format', 'html', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^wrote the html report to .*report\.html: \d+ critical, \d+ warnings?, \d+ info\n$/,
    );
    const html = readFileSync(out, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<\/html>\n$/);
    assert.doesNotMatch(html, /https?:\/\//, 'no http(s) references anywhere');
    assert.doesNotMatch(html, /<script|<link /);
    assert.equal((html.match(/<section class="col"/g) ?? []).length, 12);
    assert.ok((html.match(/<svg /g) ?? []).length >= 12);
    assert.deepEqual(readdirSync(join(dir, 'sub')), ['report.html'], 'no temporary file left behind');
  });

  it('refuses an --out or --rejects that is the data file, and leaves it intact', async () => {
    const same = join(dir, 'same.csv');
    const text = readFileSync(CUSTOMERS, 'utf8').split('\n').slice(0, 11).join('\n');
    writeFileSync(same, text);
    for (const args of [
      ['--out', same],
      ['--out', join(dir, '.', 'same.csv'), '--format', 'json'],
      ['--on-bad-rows', 'quarantine', '--rejects', same],
    ]) {
      const r = await cli(['profile', same, ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /(--out|--rejects) .*same\.csv is the same file as the data file/);
      noStack(r.stderr);
      assert.equal(readFileSync(same, 'utf8'), text);
    }
  });

  it('--on-bad-rows quarantine profiles the accepted rows and reports accepted + rejected', async () => {
    const rejects = join(dir, 'rejects.csv');
    const r = await cli(['profile', DIRTY, '--on-bad-rows', 'quarantine', '--rejects', rejects, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as QualityReport;
    const s = report.source!;
    assert.ok(s.rejected > 0);
    assert.equal(s.accepted + s.rejected, s.rowsRead);
    assert.equal(report.table.rows, s.accepted);
    assert.equal(s.rejectsPath, rejects);
    assert.ok(existsSync(rejects));
    const f = report.findings.find((x) => x.check === 'rejected-rows')!;
    assert.equal(f.severity, 'warning');
    assert.equal(f.measures.rejected, s.rejected);
    assert.match(
      r.stderr,
      new RegExp(`quarantined ${s.rejected} of ${s.rowsRead} rows \\(accepted ${s.accepted}\\)`),
    );
  });

  it('without quarantine, a malformed line is exit 2 naming the file and line', async () => {
    const r = await cli(['profile', DIRTY]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: .*transactions_dirty\.csv, line \d+: .*quarantine/);
    noStack(r.stderr);
  });

  it('--schema overrides a column type', async () => {
    const schema = join(dir, 'schema.json');
    writeFileSync(
      schema,
      JSON.stringify({ version: 1, columns: [{ name: 'support_calls', type: 'categorical' }] }),
    );
    const r = await cli(['profile', CUSTOMERS, '--schema', schema, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const col = (JSON.parse(r.stdout) as QualityReport).columns.find((c) => c.name === 'support_calls')!;
    assert.equal(col.type, 'categorical');
    assert.equal(col.storage, 'categorical');
  });

  it('an unknown --target is exit 2 with a one-paragraph message and a did-you-mean', async () => {
    const r = await cli(['profile', CUSTOMERS, '--target', 'churn']);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^error: .*customers\.csv, column 'churn': no column named 'churn'\. Fix: did you mean 'churned'\?/,
    );
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one paragraph');
    assert.equal(r.stdout, '');
    noStack(r.stderr);
  });

  it("a --target the header writes with spaces around it ('a, b ,y') is the did-you-mean, not the nearest letter", async () => {
    const data = join(dir, 'spaced.csv');
    writeFileSync(data, 'a, b ,y\n1,2,x\n3,4,z\n5,6,x\n');
    const r = await cli(['profile', data, '--target', 'b']);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /column 'b': no column named 'b'\. Fix: did you mean ' b ' \(the file writes it with spaces around it\)\?/,
    );
    noStack(r.stderr);
  });

  it('a missing file is exit 2 naming it', async () => {
    const r = await cli(['profile', join(dir, 'nope.csv')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.csv/);
    noStack(r.stderr);
  });

  it('every bad input of the foundation issue is exit 2 with a one-paragraph message naming the file', async () => {
    const file = (name: string, content: string | Uint8Array) => {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    };
    const binary = new Uint8Array(300).map((_, i) => (i * 37) % 256);
    const cases: [string, RegExp][] = [
      [join(dir, 'nope.csv'), /no such file/],
      [dir, /this is a directory, not a data file/],
      [file('empty.csv', ''), /the file is empty/],
      [file('header.csv', 'a,b,c\n'), /line 2: the file has a header \(a, b, c\) but no data rows/],
      [file('binary.csv', binary), /looks binary, not text/],
      [file('latin1.csv', Buffer.from('name,city\nann,Paris\nbob,Z\xfcrich\n', 'latin1')), /not valid UTF-8/],
      [file('ragged.csv', 'a,b,c\n1,2,3\n4,5\n'), /line 3: expected 3 fields \(as in the header\), found 2/],
      [
        file('quote.csv', 'a,b\n1,x\n2,"never closed'),
        /line 3: a quoted field is never closed \(unterminated quote\)/,
      ],
      [
        file('huge.csv', `a,b\n1,"${'x'.repeat(10 * 1024 * 1024)}"\n`),
        /line 2: the record is longer than the limit/,
      ],
      [file('dupe.csv', 'a,b,a\n1,2,3\n'), /line 1, column 'a': the header names two columns 'a'/],
      [file('emptyname.csv', 'a,,c\n1,2,3\n'), /line 1: column 2 of the header has no name/],
    ];
    for (const [path, re] of cases) {
      const r = await cli(['profile', path]);
      assert.equal(r.code, 2, `${path}: ${r.stderr}`);
      assert.match(r.stderr, re, path);
      assert.ok(r.stderr.includes(path), `names ${path}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one paragraph: ${r.stderr}`);
      assert.equal(r.stdout, '');
      noStack(r.stderr);
    }
  });

  it('bad flags are exit 2', async () => {
    const fmt = await cli(['profile', CUSTOMERS, '--format', 'pdf']);
    assert.equal(fmt.code, 2);
    assert.match(fmt.stderr, /--format must be one of text, json, html; got 'pdf'/);
    const both = await cli(['profile', CUSTOMERS, '--json', '--format', 'html']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--json prints the JSON report on stdout.*--out report\.html/);
  });

  it('--task without --target is exit 2 saying, in flags, to add --target (not the library\'s "pass target:")', async () => {
    const r = await cli(['profile', CUSTOMERS, '--task', 'regression']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /--task regression .* no --target was given\. Add --target <column>/);
    assert.doesNotMatch(r.stderr, /pass target:/);
    noStack(r.stderr);
  });

  it('--help documents the options', async () => {
    const r = await cli(['profile', '--help']);
    assert.equal(r.code, 0);
    for (const flag of ['--target', '--format', '--out', '--on-bad-rows', '--schema', '--json', '--sample']) {
      assert.ok(r.stdout.includes(flag), flag);
    }
  });
});
