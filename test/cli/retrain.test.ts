import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, runCli, trainExampleChurn } from '../helpers/cli.ts';

const customers = join(ROOT, 'examples', 'customers.csv');

/** The example's rows with `churned` set by a rule on support calls: the old model's world no longer holds. */
function shifted(path: string): void {
  const lines = readFileSync(customers, 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  const calls = header.indexOf('support_calls');
  const y = header.indexOf('churned');
  const out = lines.slice(1).map((l) => {
    const f = l.split(',');
    f[y] = f[calls] !== '' && Number(f[calls]) >= 3 ? 'yes' : 'no';
    return f.join(',');
  });
  writeFileSync(path, `${lines[0]}\n${out.join('\n')}\n`);
}

describe('lathe retrain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-retrain-'));
  const store = join(dir, 'lathe.db');
  const cli = (args: string[]) => runCli([...args, '--store', store], { cwd: dir });
  before(async () => {
    await trainExampleChurn(dir, 'm', store, ['--alias', 'production']);
    shifted(join(dir, 'march.csv'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the champion when the new model is no better, registering it beside (--json)', async () => {
    // The same rows, split and seed as the champion's training: the same model, a tie.
    const r = await cli(['retrain', 'churn@production', customers, '--promote', '--out', 'same', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.champion, { ref: 'churn/1', given: 'churn@production' });
    assert.equal(j.model.family, 'logistic');
    assert.equal(j.comparison.rows, 400);
    assert.equal(j.comparison.nResamples, 1000);
    assert.equal(j.decision.winner, 'champion');
    assert.equal(j.decision.metric, 'rocAuc');
    assert.equal(j.decision.improvement, 0);
    // Not new rows: said, since held-out rows the champion was fitted on favour it.
    assert.match(r.stderr, /note: .*customers\.csv holds the very rows churn\/1 was trained on/);
    assert.deepEqual(j.registered, { name: 'churn', version: 2 });
    assert.equal(j.promoted, null);
    const show = JSON.parse((await cli(['models', 'show', 'churn', '--json'])).stdout);
    assert.deepEqual(show.model.aliases, { production: 1 });
  });

  it('promotes the new model to the alias it was named by when it wins, and says why in the alias history', async () => {
    const r = await cli(['retrain', 'churn@production', 'march.csv', '--promote', '--out', 'new']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^Retrained logistic \(binary of 'churned'\) on 1600 rows of march\.csv in [\d.]+ s, with the hyperparameters of churn\/1\.\n/,
    );
    assert.match(
      r.stdout,
      /\nThe champion \(churn\/1\) and the challenger on the same 400 held-out rows of march\.csv:\n/,
    );
    assert.match(r.stdout, /\n {2}metric +champion +challenger +improvement \[95% interval\]\n/);
    assert.match(r.stdout, /\n {2}ROC AUC \* +0\.\d+ +1\.000 +\+0\.\d+ \[\+0\.\d+, \+0\.\d+\]\n/);
    assert.match(r.stdout, /\nThe challenger wins: the challenger improves ROC AUC by 0\.\d+\.\n/);
    assert.match(r.stdout, /\nRegistered: churn\/3\nPromoted: churn@production → version 3\n$/);
    const manifest = JSON.parse(readFileSync(join(dir, 'new', 'manifest.json'), 'utf8'));
    assert.equal(manifest.name, 'churn');
    assert.equal(manifest.lineage.retrainedFrom.ref, 'churn/1');
    assert.equal(manifest.lineage.dataPath, 'march.csv');
    const show = JSON.parse((await cli(['models', 'show', 'churn', '--json'])).stdout);
    assert.deepEqual(show.model.aliases, { production: 3 });
    const moved = show.history.find((h: { action: string }) => h.action === 'promote');
    assert.equal(moved.fromVersion, 1);
    assert.equal(moved.toVersion, 3);
    assert.equal(moved.via, 'lathe retrain');
    assert.match(moved.reason, /^retrained from churn\/1: the challenger improves ROC AUC by/);
  });

  it('records a run that lathe reproduce re-runs bit for bit', async () => {
    const runs = JSON.parse((await cli(['runs', 'list', '--json'])).stdout);
    const list = Array.isArray(runs) ? runs : runs.runs;
    const retrain = list.find((x: { name: string }) => x.name === 'retrain logistic');
    assert.ok(retrain, JSON.stringify(list.map((x: { name: string }) => x.name)));
    const r = await cli(['reproduce', retrain.id]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /identical +metric champion_rocAuc\n/);
    assert.match(r.stdout, /identical +winner\n/);
    assert.match(r.stdout, /Reproduced bit for bit\./);
  });

  it('refuses, before any work, what it cannot do', async () => {
    const path = await cli(['retrain', 'm', 'march.csv', '--promote', '--no-track']);
    assert.equal(path.code, 2);
    assert.match(path.stderr, /--register, --alias and --promote need the tracking store; drop --no-track/);
    const unregistered = await cli(['retrain', 'm', 'march.csv', '--alias', 'challenger']);
    assert.equal(unregistered.code, 2);
    assert.match(
      unregistered.stderr,
      /--alias needs the new model registered, and the old model is a package path.*Fix: pass --register NAME/,
    );
    const km = await cli(['train', customers, '--model', 'kmeans', '--out', 'km', '--no-track', '--quiet']);
    assert.equal(km.code, 0, km.stderr);
    const clusters = await cli(['retrain', 'km', 'march.csv', '--no-track']);
    assert.equal(clusters.code, 2);
    assert.match(clusters.stderr, /this is a clustering model, which has no truth to compare on/);
    const lines = readFileSync(join(dir, 'march.csv'), 'utf8').split('\n');
    writeFileSync(
      join(dir, 'unlabelled.csv'),
      lines.map((l) => l.split(',').slice(0, -1).join(',')).join('\n'),
    );
    const noTarget = await cli(['retrain', 'churn/1', 'unlabelled.csv', '--no-track']);
    assert.equal(noTarget.code, 2);
    assert.match(noTarget.stderr, /unlabelled\.csv, column 'churned': no column named 'churned'/);
    const metric = await cli(['retrain', 'churn/1', 'march.csv', '--metric', 'rmse', '--no-track']);
    assert.equal(metric.code, 2);
    assert.match(metric.stderr, /'rmse' is not a metric of a binary model\. Fix: use one of accuracy,/);
    // Bad names used to be found when registering: after the fit, with --out written and a failed run.
    for (const [flags, re] of [
      [['--register', 'a b'], /Model name "a b" is refused/],
      [['--alias', '2nd'], /Alias "2nd" is not a valid alias name/],
      [['--promote', 'prod/1'], /Alias "prod\/1" is not a valid alias name/],
    ] as const) {
      const before = (await cli(['runs', 'list', '--json'])).stdout;
      const bad = await cli(['retrain', 'churn/1', 'march.csv', '--out', 'bad-name', ...flags]);
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(bad.stderr, re);
      assert.ok(!existsSync(join(dir, 'bad-name')), 'no package written');
      assert.equal((await cli(['runs', 'list', '--json'])).stdout, before, 'no run recorded');
    }
    const onItself = await cli(['retrain', 'm', 'march.csv', '--out', 'm', '--force', '--no-track']);
    assert.equal(onItself.code, 2);
    assert.match(onItself.stderr, /--out m is the model being retrained/);
    assert.ok(existsSync(join(dir, 'm')));
  });

  it('records a retraining that fails once the rows are read as a failed run, with what it was asked', async () => {
    const lines = readFileSync(customers, 'utf8').trimEnd().split('\n');
    const yes = lines.filter((l) => l.endsWith(',yes')).slice(0, 30);
    writeFileSync(join(dir, 'all-yes.csv'), `${lines[0]}\n${yes.join('\n')}\n`);
    const r = await cli(['retrain', 'churn@production', 'all-yes.csv', '--seed', '3']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /single value/);
    const list = JSON.parse((await cli(['runs', 'list', '--status', 'failed', '--json'])).stdout)
      .runs as Array<Record<string, unknown>>;
    assert.equal(list.length, 1);
    assert.equal(list[0].name, 'retrain logistic');
    assert.match(list[0].failure as string, /single value/);
    const shown = JSON.parse((await cli(['runs', 'show', list[0].id as string, '--json'])).stdout) as {
      params: Record<string, unknown>;
      tags: Record<string, string>;
    };
    assert.equal(shown.params.data, 'all-yes.csv');
    assert.equal(shown.params.seed, 3);
    assert.match(String(shown.params.championRef), /^churn\/\d+$/, 'the version churn@production named');
    assert.equal(shown.tags.command, 'retrain');
    assert.equal(shown.tags.winner, undefined, 'no decision was made');
  });
});
