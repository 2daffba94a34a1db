import assert from 'node:assert/strict';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { modelDigest } from '../../src/automl/package.ts';
import { trainModel } from '../../src/automl/train.ts';
import { readTable } from '../../src/data/read/index.ts';
import { openStore } from '../../src/track/open.ts';
import { startRun } from '../../src/track/tracker.ts';
import { ROOT, runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'lathe-repro-'));
after(() => rmSync(dir, { recursive: true, force: true }));
copyFileSync(join(ROOT, 'examples/customers.csv'), join(dir, 'customers.csv'));

/** m is the month of d, written day-first (%d/%m/%Y: days past 12 tell the reader so). */
function monthsCsv(): string {
  const lines = ['d,z,m'];
  for (let i = 0; i < 112; i++) {
    const month = 5 + (i % 2);
    const day = String((Math.floor(i / 2) % 28) + 1).padStart(2, '0');
    lines.push(`${day}/0${month}/2023,${(i * 7) % 10},${month === 6 ? 'jun' : 'may'}`);
  }
  return `${lines.join('\n')}\n`;
}

async function train(model: string, threads: string): Promise<string> {
  const r = await runCli(
    [
      'train',
      'customers.csv',
      '--target',
      'churned',
      '--model',
      model,
      '--out',
      `m-${model}`,
      '--force',
      '--json',
    ],
    {
      cwd: dir,
      env: { LATHE_THREADS: threads },
    },
  );
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).runId;
}

describe('lathe reproduce', () => {
  for (const model of ['gbdt', 'random-forest']) {
    it(`re-runs a ${model} train run bit for bit, trained on 1 thread and reproduced on 2`, async () => {
      const id = await train(model, '1');
      const r = await runCli(['reproduce', id.slice(0, 8), '--json'], {
        cwd: dir,
        env: { LATHE_THREADS: '2' },
      });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const j = JSON.parse(r.stdout);
      assert.equal(j.identical, true);
      assert.ok(j.checks.some((c: { what: string }) => c.what === 'model sha256'));
      assert.ok(j.checks.length > 5);
    });
  }

  it('re-runs a tune run (search + refit) bit for bit on another thread count', async () => {
    const t = await runCli(
      [
        'tune',
        'customers.csv',
        '--target',
        'churned',
        '--model',
        'tree',
        '--trials',
        '4',
        '--cv',
        '2',
        '--out',
        'm-tuned',
        '--force',
        '--json',
      ],
      { cwd: dir, env: { LATHE_THREADS: '2' } },
    );
    assert.equal(t.code, 0, t.stderr);
    const id = JSON.parse(t.stdout).runId;
    const r = await runCli(['reproduce', id, '--json'], { cwd: dir, env: { LATHE_THREADS: '1' } });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const j = JSON.parse(r.stdout);
    assert.equal(j.command, 'tune');
    assert.equal(j.identical, true);
    const checked = j.checks.map((c: { what: string }) => c.what);
    assert.ok(checked.includes('best trial'));
    // Every metric the run recorded is checked, not only those a first version re-computed.
    const shown = await runCli(['runs', 'show', id, '--json'], { cwd: dir });
    for (const k of Object.keys(JSON.parse(shown.stdout).metrics))
      assert.ok(checked.includes(`metric ${k}`), k);
    assert.ok(checked.some((w: string) => w.startsWith('metric importance.')));
    assert.ok(checked.includes('metric gap'));
    // One of its trials is not reproduced on its own; the refusal used to be "has no recorded data
    // path (parameter 'data')", with no way forward.
    const trial = JSON.parse(t.stdout).trialRunIds[0];
    const one = await runCli(['reproduce', trial], { cwd: dir });
    assert.equal(one.code, 2, one.stderr);
    assert.match(
      one.stderr,
      new RegExp(
        `^error: Run ${trial} is trial \\d of the search ${id}: a trial is re-run only with its whole search\\. Fix: reproduce the search: lathe reproduce ${id}\\.\n$`,
      ),
    );
  });

  it('refuses when the data changed since the run', async () => {
    const id = await train('logistic', '1');
    appendFileSync(
      join(dir, 'customers.csv'),
      'C99999,2024-01-01,30,East,basic,20,1,20,0,true,mailed_check,no\n',
    );
    const r = await runCli(['reproduce', id], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no longer match run/);
  });

  it('re-runs a train run that quarantined an infinite feature value, leaving its rejects file alone', async () => {
    // The recorded run set the `inf` row aside (--on-bad-rows quarantine); reproduce used to call
    // trainModel without the policy, so it refused that row (exit 2) — and suggested the flag.
    const lines = ['a,b,y'];
    for (let i = 0; i < 80; i++)
      lines.push(`${i === 7 ? 'inf' : (i * 37) % 11},${(i * 13) % 7},${i % 3 ? 'no' : 'yes'}`);
    writeFileSync(join(dir, 'inf.csv'), `${lines.join('\n')}\n`);
    const t = await runCli(
      ['train', 'inf.csv', '--target', 'y', '--model', 'logistic', '--on-bad-rows', 'quarantine', '--json'],
      { cwd: dir },
    );
    assert.equal(t.code, 0, t.stderr);
    const rejects = readFileSync(join(dir, 'inf.csv.rejects.csv'), 'utf8');
    assert.match(rejects, /^9,/m);
    const r = await runCli(['reproduce', JSON.parse(t.stdout).runId, '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(JSON.parse(r.stdout).identical, true);
    assert.equal(readFileSync(join(dir, 'inf.csv.rejects.csv'), 'utf8'), rejects);
  });

  it("reads a relative --schema file from the run's directory, as it does the data", async () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub, { recursive: true });
    writeFileSync(
      join(sub, 'schema.json'),
      JSON.stringify({ version: 1, columns: [{ name: 'support_calls', type: 'categorical' }] }),
    );
    copyFileSync(join(ROOT, 'examples/customers.csv'), join(dir, 'customers-s.csv'));
    const t = await runCli(
      [
        'train',
        '../customers-s.csv',
        '--target',
        'churned',
        '--model',
        'tree',
        '--schema',
        'schema.json',
        '--json',
      ],
      { cwd: sub },
    );
    assert.equal(t.code, 0, t.stderr);
    // From another directory: the schema used to be looked up there ("schema.json: … does not exist").
    const r = await runCli(['reproduce', JSON.parse(t.stdout).runId, '--store', join(sub, '.lathe')], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /Reproduced bit for bit/);
    // A changed --schema file changes the table as read: the refusal used to blame the data alone,
    // whose restoring would not help.
    writeFileSync(
      join(sub, 'schema.json'),
      JSON.stringify({ version: 1, columns: [{ name: 'support_calls', type: 'numeric' }] }),
    );
    const changed = await runCli(['reproduce', JSON.parse(t.stdout).runId, '--store', join(sub, '.lathe')], {
      cwd: dir,
    });
    assert.equal(changed.code, 2, changed.stderr);
    assert.match(
      changed.stderr,
      /customers-s\.csv: the data \(read with the --schema file .*sub\/schema\.json\) no longer match run .*Fix: restore the data and the --schema file/,
    );
  });

  it("re-runs a train run on day-first dates bit for bit: the model's schema holds the file's %d/%m/%Y", async () => {
    writeFileSync(join(dir, 'months.csv'), monthsCsv());
    const t = await runCli(
      ['train', 'months.csv', '--target', 'm', '--model', 'tree', '--out', 'm-months', '--json'],
      {
        cwd: dir,
      },
    );
    assert.equal(t.code, 0, t.stderr);
    const manifest = JSON.parse(readFileSync(join(dir, 'm-months', 'manifest.json'), 'utf8'));
    assert.equal(
      manifest.inputSchema.columns.find((c: { name: string }) => c.name === 'd').format,
      '%d/%m/%Y',
    );
    const r = await runCli(['reproduce', JSON.parse(t.stdout).runId, '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(JSON.parse(r.stdout).identical, true);
  });

  it('a train run recorded before packages kept the reader schema is reproduced with the schema inferred, as it was', async () => {
    // Such a run has no readSchema parameter; its model was trained on inferSchema(table), with no formats.
    writeFileSync(join(dir, 'months-old.csv'), monthsCsv());
    const read = await readTable(join(dir, 'months-old.csv'));
    const old = trainModel(read.table, { family: 'tree', target: 'm', holdout: 0.2, seed: 0 });
    const store = await openStore(join(dir, '.lathe', 'lathe.db'));
    const run = await startRun({
      store,
      name: 'train tree',
      params: {
        data: join(dir, 'months-old.csv'),
        family: 'tree',
        target: 'm',
        requestedTask: 'auto',
        holdout: 0.2,
        cv: null,
        seed: 0,
        onBadRows: 'error',
        schemaFile: null,
        userParams: '{}',
      },
      tags: { command: 'train', modelSha256: modelDigest(old.model) },
    });
    await run.end();
    await store.close();
    const r = await runCli(['reproduce', run.id, '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(JSON.parse(r.stdout).identical, true);
  });

  it('refuses a run that did not finish, without re-running it', async () => {
    // An interrupted tune run used to be re-run with all its recorded --trials and then reported
    // "DIFFERENT model sha256: recorded null" (exit 1): there was nothing to compare with.
    const store = await openStore(join(dir, '.lathe', 'lathe.db'));
    const run = await startRun({
      store,
      name: 'tune gbdt',
      params: { data: 'customers.csv', family: 'gbdt', target: 'churned', trials: 500 },
      tags: { command: 'tune' },
    });
    await run.end('interrupted', 'received SIGINT');
    await store.close();
    const r = await runCli(['reproduce', run.id], { cwd: dir });
    assert.equal(r.code, 2, r.stderr + r.stdout);
    assert.match(r.stderr, new RegExp(`Run ${run.id} ended interrupted \\(received SIGINT\\)`));
    assert.match(r.stderr, /Fix: reproduce a finished run \(lathe runs list --status finished\)/);
    assert.equal(r.stdout, '');
  });

  it('creates no store where there is none', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'lathe-repro-empty-'));
    try {
      const r = await runCli(['reproduce', 'abcd1234'], { cwd: empty, env: { LATHE_STORE: '' } });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /\.lathe\/lathe\.db: there is no tracking store here yet/);
      assert.equal(existsSync(join(empty, '.lathe')), false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('says so for an unknown run', async () => {
    const r = await runCli(['reproduce', 'ffffffff'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ffffffff/);
  });
});
