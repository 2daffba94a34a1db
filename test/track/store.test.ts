// The Store suite: every test runs against SQLite and (with LATHE_TEST_PG) PostgreSQL.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { captureLineage } from '../../src/track/lineage.ts';
import type { Store } from '../../src/track/store.ts';
import { ADAPTERS, INPUT_SCHEMA, type StoreTarget } from './helpers.ts';

const HOST = (await import('node:os')).hostname();

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const adapter of ADAPTERS) {
  describe(`Store (${adapter.kind})`, { skip: adapter.skip }, () => {
    let target: StoreTarget;
    let store: Store;

    before(async () => {
      target = adapter.target();
      store = await target.open();
    });
    after(async () => {
      await store?.close();
      await target?.cleanup();
    });

    const newRun = (experiment = 'exp', extra: Partial<Parameters<Store['createRun']>[0]> = {}) =>
      store.createRun({ experiment, host: HOST, pid: process.pid, ...extra });

    it('applies the migrations on first open only', async () => {
      assert.deepEqual(store.migrationsApplied, [1]);
      assert.equal(store.kind, adapter.kind);
      const again = await target.open();
      try {
        assert.deepEqual(again.migrationsApplied, []);
      } finally {
        await again.close();
      }
    });

    it('creates experiments once and counts their runs', async () => {
      const a = await store.ensureExperiment('alpha');
      const b = await store.ensureExperiment('alpha');
      assert.equal(a.id, b.id);
      assert.equal(a.runs, 0);
      await newRun('alpha');
      await newRun('alpha');
      const list = await store.listExperiments();
      const alpha = list.find((e) => e.name === 'alpha')!;
      assert.equal(alpha.runs, 2);
      assert.ok(alpha.lastRunAt);
      await assert.rejects(store.ensureExperiment(''), ValidationError);
    });

    it('stores a run with params, tags, notes and lineage, found by id or prefix', async () => {
      const lineage = captureLineage({ seed: 7 });
      const r = await newRun('basics', {
        name: 'first',
        params: { maxDepth: 6, penalty: 'l2', grid: [1, 2], nested: { a: null, b: true } },
        tags: { team: 'ml' },
        lineage,
        notes: 'hello',
      });
      assert.match(r.id, /^[0-9a-f]{32}$/);
      assert.equal(r.status, 'running');
      assert.equal(r.experiment, 'basics');
      assert.equal(r.name, 'first');
      assert.equal(r.endedAt, null);
      const d = await store.getRun(r.id.slice(0, 10));
      assert.equal(d.id, r.id);
      assert.deepEqual(d.params, { maxDepth: 6, penalty: 'l2', grid: [1, 2], nested: { a: null, b: true } });
      assert.deepEqual(d.tags, { team: 'ml' });
      assert.equal(d.notes, 'hello');
      assert.equal(d.lineage?.seed, 7);
      assert.equal(d.lineage?.node, process.version);
      assert.deepEqual(d.lineage?.data, []);
      assert.equal(d.children, 0);
      await store.setNotes(r.id, 'changed');
      assert.equal((await store.getRun(r.id)).notes, 'changed');
    });

    it('refuses unknown, malformed and ambiguous run ids clearly', async () => {
      await assert.rejects(store.getRun('0123456789abcdef0123456789abcdef'), /No run '0123456789abcdef/);
      await assert.rejects(store.getRun('xyz'), /is not a run id/);
      await assert.rejects(store.getRun("1' OR 1=1 --"), /is not a run id/);
      // Find two runs sharing a first hex digit: a 1-digit prefix is refused, 4 digits may be ambiguous.
      await assert.rejects(store.getRun('abc'), /is not a run id/);
    });

    it('sets a parameter once: the same value again is fine, a different one is an error', async () => {
      const r = await newRun();
      await store.logParams(r.id, { lr: 0.1, name: 'x' });
      await store.logParams(r.id, { lr: 0.1 });
      await assert.rejects(
        store.logParams(r.id, { lr: 0.2 }),
        /Parameter 'lr' .* is already 0.1; it cannot become 0.2/,
      );
      await assert.rejects(store.logParams(r.id, { arr: new Float64Array(2) as never }), /typed array/);
      await assert.rejects(store.logParams(r.id, { f: (() => 1) as never }), /not plain JSON/);
      await assert.rejects(store.logParams(r.id, { '': 1 }), /Bad parameter name/);
      await assert.rejects(store.logParams('0'.repeat(32), { a: 1 }), /No run/);
      // Non-finite numbers are kept as strings (JSON has no NaN).
      await store.logParams(r.id, { inf: Number.POSITIVE_INFINITY });
      assert.equal((await store.getRun(r.id)).params.inf, 'Infinity');
    });

    it('keeps each metric history by step, with NaN and infinities intact', async () => {
      const r = await newRun();
      await store.logMetrics(r.id, [
        { key: 'loss', value: 0.9, step: 0 },
        { key: 'loss', value: 0.5, step: 1 },
        { key: 'loss', value: 0.7, step: 1 },
        { key: 'loss', value: 0.3, step: 2 },
        { key: 'odd', value: Number.NaN, step: 0 },
        { key: 'odd', value: Number.NEGATIVE_INFINITY, step: 1 },
      ]);
      const h = await store.metricHistory(r.id, 'loss');
      assert.deepEqual(
        h.map((p) => [p.step, p.value]),
        [
          [0, 0.9],
          [1, 0.5],
          [1, 0.7],
          [2, 0.3],
        ],
      );
      const odd = await store.metricHistory(r.id, 'odd');
      assert.ok(Number.isNaN(odd[0].value));
      assert.equal(odd[1].value, Number.NEGATIVE_INFINITY);
      const d = await store.getRun(r.id);
      assert.equal(d.metrics.loss.value, 0.3);
      assert.equal(d.metrics.loss.step, 2);
      assert.equal(d.metrics.loss.count, 4);
      assert.equal(d.metrics.odd.value, Number.NEGATIVE_INFINITY);
      await assert.rejects(
        store.logMetrics(r.id, [{ key: 'loss', value: 1, step: -1 }]),
        /step must be an integer ≥ 0/,
      );
      await assert.rejects(
        store.logMetrics(r.id, [{ key: 'loss', value: '1' as never, step: 3 }]),
        /must be a number/,
      );
      await assert.rejects(store.logMetrics(r.id, [{ key: 'a\nb', value: 1, step: 3 }]), /Bad metric key/);
      // A failed batch stores nothing.
      assert.equal((await store.metricHistory(r.id, 'loss')).length, 4);
    });

    it('stores a large batch of metrics in one call', async () => {
      const r = await newRun();
      const points = Array.from({ length: 1234 }, (_, i) => ({
        key: i % 2 ? 'a' : 'b',
        value: i / 7,
        step: i,
      }));
      await store.logMetrics(r.id, points);
      const a = await store.metricHistory(r.id, 'a');
      assert.equal(a.length, 617);
      assert.equal(a[616].value, 1233 / 7);
    });

    it('overwrites tags by key', async () => {
      const r = await newRun();
      await store.setTags(r.id, { a: '1', b: '2' });
      await store.setTags(r.id, { a: '3' });
      assert.deepEqual((await store.getRun(r.id)).tags, { a: '3', b: '2' });
      await assert.rejects(store.setTags(r.id, { c: 4 as never }), /Tag 'c' must be a string/);
    });

    it('ends runs with a status, a duration and a reason', async () => {
      const r = await newRun();
      await sleep(5);
      await store.endRun(r.id, 'failed', 'boom');
      const d = await store.getRun(r.id);
      assert.equal(d.status, 'failed');
      assert.equal(d.failure, 'boom');
      assert.ok(d.durationMs! >= 0);
      assert.ok(d.endedAt);
      await assert.rejects(store.endRun(r.id, 'running' as never), /finished, failed or interrupted/);
      await assert.rejects(store.endRun('f'.repeat(32), 'finished'), /No run/);
    });

    it('lists runs newest first, filtered by experiment, status and parent, with latest metrics', async () => {
      const parent = await newRun('listing');
      const kids = [];
      for (let i = 0; i < 3; i++) {
        await sleep(3);
        const k = await newRun('listing', { parentId: parent.id, name: `trial-${i}` });
        await store.logMetrics(k.id, [
          { key: 'score', value: i, step: 0 },
          { key: 'score', value: i + 10, step: 1 },
        ]);
        kids.push(k);
      }
      await store.endRun(kids[1].id, 'finished');
      const all = await store.listRuns({ experiment: 'listing' });
      assert.deepEqual(
        all.map((r) => r.id),
        [kids[2].id, kids[1].id, kids[0].id, parent.id],
      );
      assert.equal(all[0].metrics.score, 12);
      const children = await store.listRuns({ parentId: parent.id.slice(0, 8) });
      assert.equal(children.length, 3);
      assert.ok(children.every((c) => c.parentId === parent.id));
      const finished = await store.listRuns({ experiment: 'listing', status: 'finished' });
      assert.deepEqual(
        finished.map((r) => r.id),
        [kids[1].id],
      );
      assert.equal((await store.listRuns({ experiment: 'listing', limit: 2 })).length, 2);
      assert.equal((await store.getRun(parent.id)).children, 3);
      await assert.rejects(store.listRuns({ status: 'bogus' as never }), /Unknown run status 'bogus'/);
      await assert.rejects(store.listRuns({ limit: 0 }), /limit must be a positive integer/);
      await assert.rejects(newRun('listing', { parentId: 'a'.repeat(32) }), /Parent run a+ does not exist/);
    });

    it('marks runs whose process died as failed (this host: process gone; other hosts: heartbeat timeout)', async () => {
      const reaper = await target.open({ staleAfterMs: 300 });
      try {
        const dead = await newRun('reap', { pid: deadPid() });
        const alive = await newRun('reap');
        const remote = await newRun('reap', { host: 'elsewhere.invalid', pid: 4242 });
        const reaped1 = await reaper.reapStaleRuns();
        assert.ok(reaped1.includes(dead.id));
        assert.ok(!reaped1.includes(alive.id));
        assert.ok(!reaped1.includes(remote.id), 'a remote run with a fresh heartbeat stays running');
        await sleep(400);
        await reaper.heartbeat(alive.id);
        const reaped2 = await reaper.reapStaleRuns();
        assert.deepEqual(reaped2, [remote.id]);
        const d = await reaper.getRun(dead.id);
        assert.equal(d.status, 'failed');
        assert.match(d.failure!, /process \(pid \d+ on .*\) ended without ending the run/);
        const rm = await reaper.getRun(remote.id);
        assert.equal(rm.status, 'failed');
        assert.match(rm.failure!, /no heartbeat from pid 4242 on elsewhere.invalid/);
        assert.equal(rm.endedAt, rm.heartbeatAt, 'a reaped run ends at its last sign of life');
        assert.equal((await reaper.getRun(alive.id)).status, 'running');
        // The owner has the last word: a wrongly reaped run can still be ended by its process.
        await reaper.endRun(remote.id, 'finished');
        assert.equal((await reaper.getRun(remote.id)).status, 'finished');
      } finally {
        await reaper.close();
      }
    });

    it('records datasets once per fingerprint and links them to runs with a role', async () => {
      const r = await newRun();
      const ds = await store.logDataset(r.id, {
        fingerprint: 'sha256:0123456789abcdef',
        name: 'train.csv',
        schema: INPUT_SCHEMA,
        nRows: 100,
      });
      assert.equal(ds.nRows, 100);
      await store.logDataset(r.id, {
        fingerprint: 'sha256:0123456789abcdef',
        role: 'test',
        profileSummary: { rows: 100 },
      });
      const again = await store.getDataset('sha256:0123456789abcdef');
      assert.deepEqual(again?.schema, INPUT_SCHEMA);
      assert.deepEqual(again?.profileSummary, { rows: 100 }, 'a missing profile is filled in later');
      assert.equal(again?.name, 'train.csv', 'the first name stays');
      const d = await store.getRun(r.id);
      assert.deepEqual(
        d.datasets.map((x) => x.role),
        ['test', 'train'],
      );
      assert.deepEqual(d.lineage, null);
      assert.equal(await store.getDataset('nope-nope-nope'), null);
      await assert.rejects(
        store.logDataset(r.id, { fingerprint: '../x' }),
        /fingerprint "..\/x" is not valid/,
      );
    });

    it('records artifacts by name and refuses unsafe names', async () => {
      const r = await newRun();
      const blob = await store.artifacts.putBytes(Buffer.from('abc'));
      const rec = await store.recordArtifact(r.id, {
        name: 'plots/roc.svg',
        ...blob,
        mediaType: 'image/svg+xml',
      });
      assert.equal(rec.sha256, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      const got = await store.getArtifact(r.id, 'plots/roc.svg');
      assert.equal(got.size, 3);
      assert.equal(got.mediaType, 'image/svg+xml');
      assert.equal((await store.artifacts.read(got.sha256)).toString(), 'abc');
      await assert.rejects(
        store.getArtifact(r.id, 'nope.txt'),
        /has no artifact named 'nope.txt'.*plots\/roc.svg/,
      );
      for (const bad of [
        '../x',
        '/etc/passwd',
        'a/../../b',
        'a%2f..%2fb',
        'a\\b',
        'a\0b',
        '',
        'a//b',
        './a',
        'C:x',
      ]) {
        await assert.rejects(
          store.recordArtifact(r.id, { name: bad, ...blob }),
          ValidationError,
          JSON.stringify(bad),
        );
      }
    });

    it('numbers model versions 1, 2, 3 and moves aliases with a history', async () => {
      const sha = 'a'.repeat(64);
      const r = await newRun();
      const v1 = await store.createModelVersion({
        name: 'churn',
        packageSha256: sha,
        packageSize: 10,
        runId: r.id,
        task: 'binary',
        metrics: { auc: 0.8 },
        createdBy: 'me@here',
      });
      const v2 = await store.createModelVersion({
        name: 'churn',
        packageSha256: sha,
        packageSize: 10,
        createdBy: 'me@here',
      });
      const other = await store.createModelVersion({
        name: 'other',
        packageSha256: sha,
        packageSize: 1,
        createdBy: 'x',
      });
      assert.deepEqual([v1.version, v2.version, other.version], [1, 2, 1]);
      assert.deepEqual(v1.metrics, { auc: 0.8 });
      assert.equal(v1.runId, r.id);
      const set = await store.setAlias('churn', 'champion', 1, {
        action: 'set',
        actor: 'ann@h',
        via: 'test',
      });
      assert.deepEqual([set.fromVersion, set.toVersion], [null, 1]);
      const moved = await store.setAlias('churn', 'champion', 2, {
        action: 'promote',
        actor: 'bob@h',
        reason: 'better auc',
      });
      assert.deepEqual([moved.fromVersion, moved.toVersion], [1, 2]);
      await store.setAlias('churn', 'challenger', 1, { action: 'set', actor: 'ann@h' });
      assert.equal((await store.getModelVersionByAlias('churn', 'champion')).version, 2);
      const model = await store.getModel('churn');
      assert.deepEqual(model.aliases, { challenger: 1, champion: 2 });
      assert.deepEqual(
        model.versions.map((v) => [v.version, v.aliases]),
        [
          [2, ['champion']],
          [1, ['challenger']],
        ],
      );
      const removed = await store.removeAlias('churn', 'challenger', { action: 'remove', actor: 'cy@h' });
      assert.deepEqual([removed.fromVersion, removed.toVersion], [1, null]);
      const hist = await store.aliasHistory('churn');
      assert.deepEqual(
        hist.map((h) => [h.alias, h.action, h.fromVersion, h.toVersion, h.actor]),
        [
          ['champion', 'set', null, 1, 'ann@h'],
          ['champion', 'promote', 1, 2, 'bob@h'],
          ['challenger', 'set', null, 1, 'ann@h'],
          ['challenger', 'remove', 1, null, 'cy@h'],
        ],
      );
      assert.equal(hist[1].reason, 'better auc');
      assert.equal((await store.aliasHistory('churn', 'champion')).length, 2);
      const models = await store.listModels();
      assert.deepEqual(
        models.map((m) => [m.name, m.latestVersion, m.versionCount]),
        [
          ['churn', 2, 2],
          ['other', 1, 1],
        ],
      );
    });

    it('explains unknown models, versions and aliases', async () => {
      await assert.rejects(
        store.getModel('missing'),
        /No registered model named 'missing'.*registered models: churn, other/,
      );
      await assert.rejects(
        store.getModelVersion('churn', 9),
        /Model 'churn' has no version 9.*versions are 1–2/,
      );
      await assert.rejects(
        store.getModelVersionByAlias('churn', 'staging'),
        /has no alias 'staging'.*churn@champion/,
      );
      await assert.rejects(
        store.setAlias('churn', 'champion', 7, { action: 'set', actor: 'x' }),
        /Model 'churn' has no version 7/,
      );
      await assert.rejects(
        store.setAlias('churn', '1abc', 1, { action: 'set', actor: 'x' }),
        /not a valid alias name/,
      );
      await assert.rejects(
        store.removeAlias('churn', 'nothing', { action: 'remove', actor: 'x' }),
        /no alias 'nothing'/,
      );
      await assert.rejects(
        store.createModelVersion({
          name: '../evil',
          packageSha256: 'a'.repeat(64),
          packageSize: 1,
          createdBy: 'x',
        }),
        /Model name "..\/evil" is refused/,
      );
    });
  });
}
