// `lathe run`: the main job end to end — the --json shape, report.html and profile.html, the model
// package, the tracked and registered run, reproducibility, replacing an earlier output, and errors.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultRunName } from '../../src/cli/run.ts';
import { readModelPackage } from '../../src/track/package/read.ts';
import { ROOT, runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'lathe-run-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const store = join(dir, 'lathe.db');
const customers = join(ROOT, 'examples', 'customers.csv');
const wine = join(ROOT, 'examples', 'wine.csv');
const quick = [
  '--models',
  'logistic,gaussian-nb',
  '--trials',
  '2',
  '--cv',
  '3',
  '--time',
  '10m',
  '--resamples',
  '100',
];

describe('lathe run', () => {
  const out = join(dir, 'churn');
  let runId = '';

  it('compares, tunes, evaluates, writes the report and the package, registers the model (--json)', async () => {
    const r = await runCli(
      ['run', customers, '--target', 'churned', ...quick, '--store', store, '--out', out, '--json'],
      { timeoutMs: 180_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    runId = j.runId;
    assert.equal(j.task, 'binary');
    assert.equal(j.target, 'churned');
    assert.deepEqual(j.metric, { key: 'rocAuc', greaterIsBetter: true });
    assert.deepEqual(
      j.candidates.map((c: { family: string; status: string }) => [c.family, c.status]),
      [
        ['logistic', 'ok'],
        ['gaussian-nb', 'ok'],
      ],
    );
    const scores = j.candidates.map((c: { score: number }) => c.score);
    assert.equal(j.best, j.candidates[scores.indexOf(Math.max(...scores))].family);
    assert.equal(j.tuning.trials, 2);
    assert.equal(j.model.family, j.best);
    assert.equal(j.holdout.rows, 400);
    assert.ok(j.holdout.metrics.some((m: { key: string }) => m.key === 'rocAuc'));
    assert.deepEqual(j.registered, { name: 'customers', version: 1 });
    assert.equal(j.importance.metric, 'rocAuc');
    assert.ok(j.importance.columns.some((c: { column: string }) => c.column === 'tenure_months'));
    assert.equal(j.report, join(out, 'report.html'));
    // The files: the package loads, the reports are self-contained HTML with charts.
    const pkg = await readModelPackage(join(out, 'model'));
    assert.equal(pkg.task, 'binary');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const section of [
      'Data',
      'Models compared',
      'Tuning',
      'Holdout evaluation',
      'What the model relies on',
      'Model',
      'Next',
    ])
      assert.match(html, new RegExp(`<h2>${section}</h2>`));
    assert.match(html, /<svg/);
    assert.match(html, /ROC curve/);
    assert.match(html, /href="profile.html"/);
    assert.doesNotMatch(html, /<script|https?:\/\/(?!www\.w3\.org)/);
    assert.match(readFileSync(join(out, 'profile.html'), 'utf8'), /<h2>Findings<\/h2>/);
  });

  it('records a run that lathe reproduce re-runs bit for bit, and the registered model scores rows', async () => {
    const rep = await runCli(['reproduce', runId, '--store', store, '--json'], { timeoutMs: 180_000 });
    assert.equal(rep.code, 0, rep.stderr);
    const j = JSON.parse(rep.stdout);
    assert.equal(j.identical, true, JSON.stringify(j.checks));
    assert.ok(j.checks.some((c: { what: string }) => c.what === 'metric cv_rocAuc'));
    const pred = join(dir, 'pred.csv');
    const p = await runCli(['predict', 'customers/1', customers, '-o', pred, '--store', store]);
    assert.equal(p.code, 0, p.stderr);
    assert.equal(readFileSync(pred, 'utf8').trim().split('\n').length, 2001);
  });

  let wineModel = '';

  it('clusters a table without a target, choosing k by silhouette', async () => {
    const r = await runCli(['run', wine, '--store', store, '--out', join(dir, 'wine'), '--json'], {
      timeoutMs: 180_000,
    });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.task, 'clustering');
    assert.equal(j.metric.key, 'silhouette');
    assert.deepEqual(
      j.candidates.map((c: { params: { nClusters: number } }) => c.params.nClusters),
      [2, 3, 4, 5, 6, 7, 8],
    );
    assert.equal(j.model.family, 'kmeans');
    wineModel = j.model.sha256;
    assert.equal(j.holdout, null);
    assert.ok(j.clustering.silhouette > 0);
    assert.match(readFileSync(join(dir, 'wine', 'report.html'), 'utf8'), /<h2>Clusters<\/h2>/);
  });

  it('refuses a --metric or --models that a clustering run would ignore (it used to run k-means anyway)', async () => {
    for (const [flags, re] of [
      [
        ['--metric', 'rocAuc'],
        /'rocAuc' is not a clustering metric: without a target, the run clusters the rows/,
      ],
      [['--models', 'logistic'], /Model family 'logistic' is not a candidate of a clustering run/],
      [['--models', 'kmeans,dbscan'], /Model family 'dbscan' is not a candidate of a clustering run/],
    ] as const) {
      const out = join(dir, 'wine-refused');
      const r = await runCli(['run', wine, ...flags, '--store', store, '--out', out, '--json']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, re);
      assert.equal(r.stdout, '');
      assert.ok(!existsSync(join(out, 'model')), 'nothing written');
    }
  });

  it('replaces an earlier output only with --force, and registers a new version', async () => {
    const again = await runCli(['run', wine, '--store', store, '--out', join(dir, 'wine')]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already holds a model package.*Fix: pass --force/s);
    // On one thread this time (--threads): the same model, bit for bit.
    const forced = await runCli(
      ['run', wine, '--store', store, '--out', join(dir, 'wine'), '--force', '--threads', '1'],
      { timeoutMs: 180_000 },
    );
    assert.equal(forced.code, 0, forced.stderr);
    const manifest = JSON.parse(readFileSync(join(dir, 'wine', 'model', 'manifest.json'), 'utf8'));
    assert.equal(manifest.lineage.modelSha256, wineModel);
    assert.match(forced.stderr, /replacing the earlier lathe run output/);
    assert.match(forced.stdout, /Registered: wine\/2/);
    // the printed next step is a command that works
    assert.match(forced.stdout, /\n {2}lathe models alias wine\/2 champion\n/);
    const alias = await runCli(['models', 'alias', 'wine/2', 'champion', '--store', store]);
    assert.equal(alias.code, 0, alias.stderr);
    assert.match(forced.stdout, /Report: +.*report\.html/);
  });

  it('exits 2 with a clear message for bad usage, before any work', async () => {
    const target = await runCli(
      ['run', customers, '--target', 'nope', '--store', store, '--out', join(dir, 'x')],
      {
        cwd: dir,
      },
    );
    assert.equal(target.code, 2);
    assert.match(target.stderr, /nope.*churned/s);
    assert.ok(!existsSync(join(dir, 'x', 'report.html')));

    const busy = join(dir, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    const intoBusy = await runCli(['run', customers, '--target', 'churned', '--store', store, '--out', busy]);
    assert.equal(intoBusy.code, 2);
    assert.match(
      intoBusy.stderr,
      /does not hold an earlier lathe run's output.*Fix: choose a new or empty directory/s,
    );
    assert.equal(readFileSync(join(busy, 'notes.txt'), 'utf8'), 'mine');

    const file = join(dir, 'file.txt');
    writeFileSync(file, 'x');
    const ontoFile = await runCli(['run', customers, '--target', 'churned', '--store', store, '--out', file]);
    assert.equal(ontoFile.code, 2);
    assert.match(ontoFile.stderr, /is a file; lathe run writes a directory there/);

    // an earlier run's output whose report.html is now a folder: refused before any work
    const odd = join(dir, 'odd');
    mkdirSync(join(odd, 'model'), { recursive: true });
    mkdirSync(join(odd, 'report.html'));
    const ontoFolder = await runCli([
      'run',
      customers,
      '--target',
      'churned',
      '--store',
      store,
      '--out',
      odd,
    ]);
    assert.equal(ontoFolder.code, 2);
    assert.match(ontoFolder.stderr, /--out report\.html .*report\.html is a folder, not a file/);

    const metric = await runCli(
      ['run', customers, '--target', 'churned', '--metric', 'rmse', '--store', store],
      {
        cwd: dir,
      },
    );
    assert.equal(metric.code, 2);
    assert.match(metric.stderr, /'rmse' is not a binary metric/);
    // A bad --name used to be found when registering, after the whole job: --out written, a failed run.
    const badName = join(dir, 'bad-name');
    const badStore = join(dir, 'bad-name.db');
    const named = await runCli([
      ...['run', customers, '--target', 'churned', ...quick],
      ...['--name', 'my model', '--store', badStore, '--out', badName],
    ]);
    assert.equal(named.code, 2, named.stderr);
    assert.match(named.stderr, /Model name "my model" is refused/);
    assert.ok(!existsSync(badName) && !existsSync(badStore), 'nothing written, no run recorded');
    for (const r of [target, intoBusy, ontoFile, ontoFolder, metric, named])
      assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
  });

  it('records a job that fails once the data is read as a failed run, with what it was asked', async () => {
    const d = mkdtempSync(join(dir, 'failed-'));
    writeFileSync(join(d, 'one.csv'), 'a,b,y\n1,2,yes\n2,3,yes\n3,1,yes\n4,5,yes\n');
    const r = await runCli(['run', 'one.csv', '--target', 'y', '--time', '5s'], { cwd: d });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /single value/);
    const list = await runCli(['runs', 'list', '--json'], { cwd: d });
    const runs = JSON.parse(list.stdout).runs as Array<Record<string, unknown>>;
    assert.equal(runs.length, 1);
    assert.equal(runs[0].experiment, 'one');
    assert.equal(runs[0].status, 'failed');
    assert.match(runs[0].failure as string, /single value/);
    const show = await runCli(['runs', 'show', runs[0].id as string, '--json'], { cwd: d });
    const params = (JSON.parse(show.stdout) as { params: Record<string, unknown> }).params;
    assert.equal(params.data, 'one.csv');
    assert.equal(params.timeBudget, 5);
    assert.equal(params.family, undefined, 'nothing was chosen');
    assert.equal(existsSync(join(d, 'runs')), false, 'no output folder for a job that failed');
  });

  it('names the registered model after the data file', () => {
    assert.equal(defaultRunName('data/customers.csv'), 'customers');
    assert.equal(defaultRunName('my data (2024).csv'), 'my-data-2024-');
    assert.equal(defaultRunName('__.csv'), 'model');
  });
});
