// The registry: registering packages, aliases and their history, and model references.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataError } from '../../src/core/errors.ts';
import { writeModelPackage } from '../../src/track/package/write.ts';
import {
  loadModelPackage,
  parseModelRef,
  promoteModel,
  registerModel,
  removeModelAlias,
  resolveModelRef,
  setModelAlias,
} from '../../src/track/registry.ts';
import type { Store } from '../../src/track/store.ts';
import { startRun } from '../../src/track/tracker.ts';
import { type FakeLinear, fittedFake } from './fake-estimator.ts';
import { ADAPTERS, INPUT_SCHEMA, OUTPUT_SCHEMA, type StoreTarget } from './helpers.ts';

/** Every file under `dir`, relative, sorted (to prove nothing was written). */
function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

describe('parseModelRef', () => {
  it('reads name/version and name@alias, with or without models:/', () => {
    assert.deepEqual(parseModelRef('churn/3'), { name: 'churn', version: 3 });
    assert.deepEqual(parseModelRef('churn-v2.1@champion'), { name: 'churn-v2.1', alias: 'champion' });
    assert.deepEqual(parseModelRef('models:/churn/12'), { name: 'churn', version: 12 });
    assert.deepEqual(parseModelRef('models:/churn@b_2'), { name: 'churn', alias: 'b_2' });
    for (const s of [
      'churn',
      'churn/0',
      'churn/03',
      'churn/x',
      '../churn/1',
      '/abs/1',
      'a/b/1',
      'churn@1x',
      'c%2fd@x',
      'a..b/1',
    ]) {
      assert.equal(parseModelRef(s), null, s);
    }
  });
});

for (const adapter of ADAPTERS) {
  describe(`registry (${adapter.kind})`, { skip: adapter.skip }, () => {
    let target: StoreTarget;
    let store: Store;
    let work: string;
    let pkgDir: string;
    let pkgFile: string;

    before(async () => {
      target = adapter.target();
      store = await target.open();
      work = mkdtempSync(join(tmpdir(), 'lathe-registry-'));
      pkgDir = join(work, 'model');
      pkgFile = join(work, 'model.lathe');
      const input = {
        model: fittedFake(),
        task: 'regression' as const,
        inputSchema: INPUT_SCHEMA,
        outputSchema: OUTPUT_SCHEMA,
        metrics: { r2: 0.5 },
      };
      await writeModelPackage(pkgDir, input);
      await writeModelPackage(pkgFile, { ...input, metrics: { r2: 0.6 } });
    });
    after(async () => {
      await store?.close();
      await target?.cleanup();
      rmSync(work, { recursive: true, force: true });
    });

    it('registers packages from a directory, an archive and a run artifact as versions 1, 2, 3', async () => {
      const v1 = await registerModel(store, 'house', pkgDir, { description: 'first' });
      const v2 = await registerModel(store, 'house', pkgFile, { alias: 'challenger' });
      const run = await startRun({ store, experiment: 'house' });
      await run.logModelPackage(pkgFile, 'best-model');
      await run.end();
      const v3 = await registerModel(store, 'house', { run: run.id, artifact: 'best-model' });
      assert.deepEqual([v1.version, v2.version, v3.version], [1, 2, 3]);
      assert.equal(v1.description, 'first');
      assert.deepEqual(v1.metrics, { r2: 0.5 });
      assert.equal(v1.task, 'regression');
      assert.equal(v1.runId, null);
      assert.deepEqual(v2.aliases, ['challenger']);
      assert.equal(v3.runId, run.id);
      assert.equal(v3.source, `run:${run.id}/best-model`);
      assert.equal(v3.packageSha256, v2.packageSha256, 'the same archive is stored once');
      assert.match(v1.createdBy, /.+@.+/);
      await assert.rejects(
        registerModel(store, 'house', { run: run.id, artifact: 'nope' }),
        /no artifact named 'nope'/,
      );
      await assert.rejects(
        registerModel(store, 'house', join(work, 'missing')),
        /missing: no model package here, and it is not a registry reference/,
      );
    });

    it('takes the run from the package lineage when that run is in the store', async () => {
      const run = await startRun({ store, experiment: 'house' });
      await run.end();
      const p = join(work, 'with-lineage');
      await writeModelPackage(p, {
        model: fittedFake(),
        task: 'regression',
        inputSchema: INPUT_SCHEMA,
        outputSchema: OUTPUT_SCHEMA,
        lineage: { runId: run.id },
      });
      assert.equal((await registerModel(store, 'lineaged', p)).runId, run.id);
    });

    it('moves aliases by set and promote, records who and what, and removes them', async () => {
      process.env.LATHE_ACTOR = 'tester@ci';
      try {
        const a = await setModelAlias(store, 'house/1', 'champion', { via: 'unit test' });
        assert.deepEqual(
          [a.fromVersion, a.toVersion, a.action, a.actor, a.via],
          [null, 1, 'set', 'tester@ci', 'unit test'],
        );
        const p = await promoteModel(store, 'house/3', { reason: 'higher r2' });
        assert.deepEqual(
          [p.alias, p.fromVersion, p.toVersion, p.action, p.reason],
          ['champion', 1, 3, 'promote', 'higher r2'],
        );
        const s = await promoteModel(store, { name: 'house', version: 2 }, { to: 'staging' });
        assert.equal(s.alias, 'staging');
        const r = await removeModelAlias(store, 'house@staging');
        assert.deepEqual([r.fromVersion, r.toVersion, r.action], [2, null, 'remove']);
        const history = await store.aliasHistory('house');
        assert.deepEqual(
          history.map((h) => `${h.alias}:${h.fromVersion}->${h.toVersion}:${h.action}`),
          [
            'challenger:null->2:set',
            'champion:null->1:set',
            'champion:1->3:promote',
            'staging:null->2:promote',
            'staging:2->null:remove',
          ],
        );
        assert.ok(history.slice(1).every((h) => h.actor === 'tester@ci'));
      } finally {
        delete process.env.LATHE_ACTOR;
      }
      await assert.rejects(
        setModelAlias(store, 'house@champion', 'x'),
        /not a model version reference.*NAME\/VERSION/,
      );
      await assert.rejects(removeModelAlias(store, 'house/1'), /not an alias reference/);
      await assert.rejects(promoteModel(store, 'house/99'), /has no version 99/);
    });

    it('resolves name/version, name@alias, models:/ and paths, and loads the model', async () => {
      const byVersion = await resolveModelRef('house/1', { store });
      assert.equal(byVersion.kind, 'registry');
      assert.equal(byVersion.version, 1);
      assert.equal(byVersion.path, store.artifacts.pathOf(byVersion.sha256!));
      const byAlias = await resolveModelRef('models:/house@champion', { store });
      assert.deepEqual([byAlias.name, byAlias.version, byAlias.alias], ['house', 3, 'champion']);
      const byPath = await resolveModelRef(pkgDir, { store });
      assert.deepEqual(byPath, { kind: 'path', path: pkgDir });
      const loaded = await loadModelPackage('house@champion', { store });
      assert.equal(loaded.pkg.form, 'archive');
      assert.equal(loaded.pkg.metrics.r2, 0.6);
      const expected = fittedFake().predict([[1, 2]]);
      assert.deepEqual((loaded.model as FakeLinear).predict([[1, 2]]), expected);
      await assert.rejects(
        resolveModelRef('house@nothing', { store }),
        /has no alias 'nothing'.*house@champion/,
      );
      await assert.rejects(resolveModelRef('nohouse/1', { store }), /No registered model named 'nohouse'/);
      await assert.rejects(resolveModelRef('models:/bad ref', { store }), /is not a registry reference/);
      await assert.rejects(resolveModelRef(join(work, 'nothing-here'), { store }), DataError);
      // A bare name (no version, no alias): the fix names the two ways to point at a version.
      await assert.rejects(
        resolveModelRef('house', { store }),
        /house: no model package here.*Fix: if 'house' is a registered model, name one of its versions: house\/VERSION or house@ALIAS \(lathe models show house lists them\)/,
      );
      await assert.rejects(
        resolveModelRef(join(work, 'nothing-here'), { store }),
        /Fix: check the path, or list/,
      );
      // NAME/0: a version out of range, wherever a model reference goes (not a missing path).
      await assert.rejects(
        resolveModelRef('house/0', { store }),
        /house\/0: versions of a model are numbered from 1 up/,
      );
    });

    it('takes registry references wherever a package path goes: registering and logging', async () => {
      const champion = await store.getModelVersionByAlias('house', 'champion');
      const copy = await registerModel(store, 'house-copy', 'house@champion');
      assert.deepEqual(
        [copy.version, copy.source, copy.packageSha256, copy.runId],
        [1, `house/${champion.version}`, champion.packageSha256, champion.runId],
      );
      const run = await startRun({ store, experiment: 'house' });
      const logged = await run.logModelPackage('models:/house/1', 'from-registry');
      await run.end();
      assert.equal(logged.sha256, (await store.getModelVersion('house', 1)).packageSha256);
      await assert.rejects(registerModel(store, 'house-copy', 'house@nothing'), /has no alias 'nothing'/);
    });

    it('prefers an existing path over a registry reference of the same spelling', async () => {
      const cwd = process.cwd();
      process.chdir(work);
      try {
        await writeModelPackage(join(work, 'house', '1'), {
          model: fittedFake(),
          task: 'regression',
          inputSchema: INPUT_SCHEMA,
          outputSchema: OUTPUT_SCHEMA,
        });
        assert.equal((await resolveModelRef('house/1', { store })).kind, 'path');
        assert.equal((await resolveModelRef('models:/house/1', { store })).kind, 'registry');
      } finally {
        process.chdir(cwd);
      }
    });

    it('reports a registered package that went missing or was damaged in the artifact store', async () => {
      const v = await registerModel(store, 'fragile', pkgDir);
      const path = store.artifacts.pathOf(v.packageSha256);
      const bytes = readFileSync(path);
      const damaged = Buffer.from(bytes);
      damaged[damaged.length - 1100] ^= 1;
      writeFileSync(path, damaged);
      await assert.rejects(
        loadModelPackage('fragile/1', { store }),
        /stored package of fragile\/1 is corrupt/,
      );
      rmSync(path);
      await assert.rejects(
        resolveModelRef('fragile/1', { store }),
        /package of fragile\/1 is missing from the artifact store/,
      );
      writeFileSync(path, bytes);
      assert.equal((await loadModelPackage('fragile/1', { store })).pkg.metrics.r2, 0.5);
    });

    it('refuses unsafe model and alias names and writes nothing for them', async () => {
      const beforeStore = listTree(target.dir);
      const beforeWork = listTree(work);
      const bad = [
        '../evil',
        '..',
        '/abs/path',
        'a/b',
        'a\\b',
        'a%2fb',
        '%2e%2e',
        'a\0b',
        'name with space',
        'x@y',
        '',
        'a'.repeat(101),
        '.hidden',
        'ａ',
      ];
      for (const name of bad) {
        await assert.rejects(
          registerModel(store, name, pkgDir),
          /Model name .* is refused|must be a non-empty string/,
          JSON.stringify(name),
        );
      }
      for (const alias of ['../x', '1st', 'a/b', 'a%2f', 'x\0']) {
        await assert.rejects(
          setModelAlias(store, 'house/1', alias),
          /not a valid alias name/,
          JSON.stringify(alias),
        );
      }
      const run = await startRun({ store, experiment: 'names' });
      const afterRun = listTree(target.dir);
      const badArtifacts = [
        '../x',
        '/etc/passwd',
        'a/../../b',
        '..%2f..%2fx',
        'a%00b',
        'a\\..\\b',
        'a\0b',
        'C:\\x',
        '~/x',
      ];
      for (const name of badArtifacts) {
        await assert.rejects(
          run.logArtifact(name, { text: 'payload' }),
          /Artifact name .* is refused/,
          JSON.stringify(name),
        );
        await assert.rejects(
          run.logArtifact(name, pkgFile),
          /Artifact name .* is refused/,
          JSON.stringify(name),
        );
      }
      await run.end();
      assert.deepEqual(listTree(work), beforeWork);
      assert.deepEqual(listTree(target.dir), afterRun, 'no artifact bytes were stored for refused names');
      assert.deepEqual(afterRun, beforeStore);
    });
  });
}
