// `lathe models register|list|show|alias|promote` against a temporary store.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ModelVersionView, ModelView } from '../../src/cli/models.ts';
import { writeModelPackage } from '../../src/track/package/write.ts';
import type { AliasChangeRecord, ModelVersionRecord, RegisteredModelRecord } from '../../src/track/store.ts';
import { runCli } from '../helpers/cli.ts';
import { fittedFake } from '../track/fake-estimator.ts';
import { INPUT_SCHEMA, OUTPUT_SCHEMA, type StoreTarget, sqliteTarget } from '../track/helpers.ts';

let target: StoreTarget;
let work: string;
let pkg: string;

before(async () => {
  target = sqliteTarget();
  work = mkdtempSync(join(tmpdir(), 'lathe-cli-models-'));
  pkg = join(work, 'model.lathe');
  await writeModelPackage(pkg, {
    model: fittedFake(),
    task: 'regression',
    target: 'y',
    inputSchema: INPUT_SCHEMA,
    outputSchema: OUTPUT_SCHEMA,
    metrics: { r2: 0.7 },
  });
});
after(async () => {
  await target.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const cli = (args: string[]) =>
  runCli([...args, '--store', target.url], { env: { LATHE_ACTOR: 'cli@test' } });
const json = <T>(stdout: string) => JSON.parse(stdout) as T;

describe('lathe models', () => {
  it('registers versions 1 and 2 (the second with an alias)', async () => {
    const a = await cli(['models', 'register', 'house', pkg, '--json']);
    assert.equal(a.code, 0, a.stderr);
    const v1 = json<ModelVersionRecord>(a.stdout);
    assert.deepEqual(
      [v1.name, v1.version, v1.task, v1.metrics, v1.createdBy],
      ['house', 1, 'regression', { r2: 0.7 }, 'cli@test'],
    );
    const b = await cli([
      'models',
      'register',
      'house',
      pkg,
      '--alias',
      'challenger',
      '--description',
      'again',
    ]);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stdout.trim(), 'Registered house/2 (@challenger).');
  });

  it('lists models with their latest version and aliases', async () => {
    const r = await cli(['models', 'list', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const { models } = json<{ models: RegisteredModelRecord[] }>(r.stdout);
    assert.deepEqual(
      models.map((m) => [m.name, m.latestVersion, m.versionCount, m.aliases]),
      [['house', 2, 2, { challenger: 2 }]],
    );
  });

  it('sets, promotes and removes aliases, and shows who moved them', async () => {
    const set = await cli(['models', 'alias', 'house/1', 'staging', '--reason', 'smoke test', '--json']);
    assert.equal(set.code, 0, set.stderr);
    const change = json<AliasChangeRecord>(set.stdout);
    assert.deepEqual(
      [change.alias, change.fromVersion, change.toVersion, change.action],
      ['staging', null, 1, 'set'],
    );
    assert.match(change.via!, /^lathe models alias house\/1 staging --reason smoke test --json/);
    const promote = await cli(['models', 'promote', 'house/2']);
    assert.equal(promote.code, 0, promote.stderr);
    assert.equal(promote.stdout.trim(), 'Promoted house@champion → version 2 (new alias).');
    const del = await cli(['models', 'alias', 'house@staging', '--delete']);
    assert.equal(del.code, 0, del.stderr);
    assert.equal(del.stdout.trim(), 'Removed house@staging (was version 1).');

    const show = await cli(['models', 'show', 'house', '--json']);
    assert.equal(show.code, 0, show.stderr);
    const view = json<ModelView>(show.stdout);
    assert.equal(view.kind, 'model');
    assert.deepEqual(view.model.aliases, { challenger: 2, champion: 2 });
    assert.deepEqual(
      view.history.map((h) => [h.alias, h.action, h.fromVersion, h.toVersion, h.actor]),
      [
        ['challenger', 'set', null, 2, 'cli@test'],
        ['staging', 'set', null, 1, 'cli@test'],
        ['champion', 'promote', null, 2, 'cli@test'],
        ['staging', 'remove', 1, null, 'cli@test'],
      ],
    );
  });

  it('removing an alias that does not exist lists the aliases that do (or the registered models)', async () => {
    const r = await cli(['models', 'alias', 'house@staging', '--delete']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(
      r.stderr,
      "error: Model 'house' has no alias 'staging' to remove. Fix: its aliases are: house@challenger, house@champion.\n",
    );
    const m = await cli(['models', 'alias', 'hose@staging', '--delete']);
    assert.equal(m.code, 2, m.stderr);
    assert.match(m.stderr, /No registered model named 'hose' .*Fix: registered models: house\./);
  });

  it('shows one version by alias, with what the package holds', async () => {
    const r = await cli(['models', 'show', 'house@champion', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const v = json<ModelVersionView>(r.stdout);
    assert.equal(v.kind, 'version');
    assert.equal(v.version.version, 2);
    assert.deepEqual(v.version.aliases.sort(), ['challenger', 'champion']);
    assert.equal(v.package.estimator, 'TestFakeLinear');
    assert.equal(v.package.target, 'y');
    assert.deepEqual(
      v.package.inputColumns.map((c) => c.name),
      ['x0', 'x1'],
    );
    const t = await cli(['models', 'show', 'house/1']);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /^house\/1\n\s+estimator\s+TestFakeLinear/);
  });

  it('exits 2 with a clear message for bad names, versions and usage', async () => {
    const cases: [string[], RegExp][] = [
      [['models', 'register', '../evil', pkg], /Model name "..\/evil" is refused/],
      [['models', 'promote', 'house/7'], /Model 'house' has no version 7\. Fix: its versions are 1–2/],
      [
        ['models', 'show', 'house/0'],
        /house\/0: versions of a model are numbered from 1 up .*0 is none of them\. Fix: lathe models show house lists its versions/,
      ],
      [['models', 'alias', 'house/1'], /Missing the alias/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
    }
  });
});
