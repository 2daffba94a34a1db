// The run API (startRun / withRun / TrackedRun), against both adapters, plus signal handling.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import type { Store } from '../../src/track/store.ts';
import { MODEL_PACKAGE_MEDIA_TYPE, saveArtifact, startRun, withRun } from '../../src/track/tracker.ts';
import { ADAPTERS, type StoreTarget, sqliteTarget, startFixture } from './helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const adapter of ADAPTERS) {
  describe(`TrackedRun (${adapter.kind})`, { skip: adapter.skip }, () => {
    let target: StoreTarget;
    let store: Store;
    let work: string;

    before(async () => {
      target = adapter.target();
      store = await target.open();
      work = mkdtempSync(join(tmpdir(), 'lathe-tracker-'));
    });
    after(async () => {
      await store?.close();
      await target?.cleanup();
      rmSync(work, { recursive: true, force: true });
    });

    it('logs params, metrics with automatic steps, tags, notes and ends finished', async () => {
      const run = await startRun({
        store,
        experiment: 'api',
        name: 'one',
        params: { depth: 3 },
        tags: { kind: 'test' },
        seed: 11,
      });
      await run.logParam('lr', 0.5);
      await run.logMetric('loss', 3);
      await run.logMetric('loss', 2);
      await run.logMetric('loss', 1.5, 10);
      await run.logMetric('loss', 1);
      await run.logMetrics({ acc: 0.5, f1: 0.4 });
      await run.logMetrics({ acc: 0.6, f1: 0.5 });
      await run.setTag('stage', 'dev');
      await run.setNotes('first try');
      assert.equal(run.ended, false);
      await run.end();
      await run.end('failed'); // no effect: already ended
      assert.equal(run.ended, true);
      const d = await store.getRun(run.id);
      assert.equal(d.status, 'finished');
      assert.deepEqual(d.params, { depth: 3, lr: 0.5 });
      assert.deepEqual(d.tags, { kind: 'test', stage: 'dev' });
      assert.equal(d.notes, 'first try');
      assert.equal(d.lineage?.seed, 11);
      assert.deepEqual(
        (await store.metricHistory(run.id, 'loss')).map((p) => [p.step, p.value]),
        [
          [0, 3],
          [1, 2],
          [10, 1.5],
          [11, 1],
        ],
      );
      assert.deepEqual(
        (await store.metricHistory(run.id, 'acc')).map((p) => p.step),
        [0, 1],
      );
      await assert.rejects(run.logMetric('loss', 1, 1.5), /step must be an integer ≥ 0/);
    });

    it('writes metric points in the background in batches, and reports a failed write at the next call', async () => {
      const calls: number[] = [];
      let failNext = false;
      const counting: Store = Object.create(store);
      counting.logMetrics = async (runId, points) => {
        calls.push(points.length);
        if (failNext) {
          failNext = false;
          throw new Error('disk on fire');
        }
        return store.logMetrics(runId, points);
      };
      const run = await startRun({ store: counting, experiment: 'batching' });
      for (let i = 0; i < 1000; i++) await run.logMetric('loss', 1 / (i + 1));
      await run.flush();
      assert.equal(
        calls.reduce((a, b) => a + b, 0),
        1000,
      );
      assert.ok(calls.length <= 10, `1000 points in ${calls.length} writes`);
      const history = await store.metricHistory(run.id, 'loss');
      assert.deepEqual(
        history.map((p) => p.step),
        Array.from({ length: 1000 }, (_, i) => i),
      );
      failNext = true;
      await run.logMetric('loss', 0); // queued: resolves before the write fails
      await assert.rejects(run.flush(), /disk on fire/);
      await run.flush(); // reported once
      await run.logMetric('acc', 1);
      await run.end();
      assert.equal(
        (await store.getRun(run.id)).metrics.acc.value,
        1,
        'points logged before end() are stored',
      );
      await assert.rejects(run.logMetric('x', 'high' as never), /Metric 'x' must be a number/);
      await assert.rejects(run.logMetrics([1, 2] as never), /takes an object/);
    });

    it('stores artifacts from bytes, a path and text, content-addressed and verified', async () => {
      const run = await startRun({ store, experiment: 'api' });
      const file = join(work, 'report.html');
      writeFileSync(file, '<html>hi</html>');
      const a = await run.logArtifact('bytes.bin', new Uint8Array([1, 2, 3]));
      const b = await run.logArtifact('report/index.html', file, { mediaType: 'text/html' });
      const c = await run.logArtifact('note.txt', { text: 'héllo' });
      const same = await run.logArtifact('copy.html', { path: file });
      assert.equal(b.sha256, same.sha256, 'the same content has the same address');
      assert.equal(a.size, 3);
      assert.equal(b.mediaType, 'text/html');
      assert.equal((await store.artifacts.read(c.sha256)).toString('utf8'), 'héllo');
      await assert.rejects(run.logArtifact('x', 42 as never), /unsupported source/);
      await assert.rejects(run.logArtifact('../x', { text: 'no' }), /Artifact name "..\/x" is refused/);
      await assert.rejects(run.logArtifact('missing', join(work, 'nope')), /does not exist/);
      await assert.rejects(run.logArtifact('dir', work), /is a folder/);
      const out = join(work, 'out');
      const saved = await saveArtifact(store, run.id, 'report/index.html', out);
      assert.equal(saved, join(out, 'report', 'index.html'));
      assert.equal(readFileSync(saved, 'utf8'), '<html>hi</html>');
      await assert.rejects(saveArtifact(store, run.id, '../../escape', out), ValidationError);
      await run.end();
      const names = (await store.getRun(run.id)).artifacts.map((x) => x.name);
      assert.deepEqual(names, ['bytes.bin', 'copy.html', 'note.txt', 'report/index.html']);
    });

    it('withRun ends finished on success and failed (with the message) on error', async () => {
      let id = '';
      const value = await withRun({ store, experiment: 'wrap' }, async (run) => {
        id = run.id;
        await run.logMetric('m', 1);
        return 42;
      });
      assert.equal(value, 42);
      assert.equal((await store.getRun(id)).status, 'finished');
      await assert.rejects(
        withRun({ store, experiment: 'wrap' }, async (run) => {
          id = run.id;
          throw new Error('diverged');
        }),
        /diverged/,
      );
      const d = await store.getRun(id);
      assert.equal(d.status, 'failed');
      assert.equal(d.failure, 'diverged');
    });

    it('links trials to their parent, and records lineage unless told not to', async () => {
      const study = await startRun({
        store,
        experiment: 'tune',
        name: 'study',
        lineage: { gitCommit: 'deadbeef' },
      });
      const t1 = await startRun({ store, experiment: 'tune', parent: study, lineage: false });
      const t2 = await startRun({ store, experiment: 'tune', parent: study.id.slice(0, 8) });
      await t1.end();
      await t2.end('interrupted', 'pruned');
      await study.end();
      const s = await store.getRun(study.id);
      assert.equal(s.children, 2);
      assert.equal(s.lineage?.gitCommit, 'deadbeef');
      assert.equal((await store.getRun(t1.id)).lineage, null);
      const d2 = await store.getRun(t2.id);
      assert.equal(d2.parentId, study.id);
      assert.equal(d2.status, 'interrupted');
      assert.equal(d2.failure, 'pruned');
      await assert.rejects(startRun({ store, parent: 'ffff0000' }), /No run 'ffff0000'/);
      await assert.rejects(startRun({ store, heartbeatMs: 0 }), /heartbeatMs must be a number ≥ 10/);
    });

    it('sends heartbeats while open', async () => {
      const run = await startRun({ store, experiment: 'beat', heartbeatMs: 20 });
      const before = (await store.getRun(run.id)).heartbeatAt;
      await sleep(150);
      const during = (await store.getRun(run.id)).heartbeatAt;
      assert.ok(Date.parse(during) > Date.parse(before), `${during} > ${before}`);
      await run.end();
    });

    it('logs a model package as an artifact', async () => {
      const { writeModelPackage } = await import('../../src/track/package/write.ts');
      const { fittedFake } = await import('./fake-estimator.ts');
      const { INPUT_SCHEMA, OUTPUT_SCHEMA } = await import('./helpers.ts');
      const pkg = join(work, 'model');
      await writeModelPackage(pkg, {
        model: fittedFake(),
        task: 'regression',
        inputSchema: INPUT_SCHEMA,
        outputSchema: OUTPUT_SCHEMA,
      });
      const run = await startRun({ store, experiment: 'api' });
      const rec = await run.logModelPackage(pkg);
      assert.equal(rec.name, 'model');
      assert.equal(rec.mediaType, MODEL_PACKAGE_MEDIA_TYPE);
      await assert.rejects(run.logModelPackage(work), /no manifest.json/);
      await run.end();
    });
  });
}

describe('TrackedRun and signals', () => {
  it('ends the run as interrupted on SIGINT, then exits by the signal', async () => {
    const t = sqliteTarget();
    try {
      const child = await startFixture('sigint-run.ts', [t.url, t.artifacts]);
      const line = await child.waitFor(/^run [0-9a-f]{32}$/);
      child.kill('SIGINT');
      const end = await child.done;
      assert.equal(end.signal, 'SIGINT', `stderr: ${child.stderr()}`);
      const store = await t.open();
      try {
        const d = await store.getRun(line.slice(4));
        assert.equal(d.status, 'interrupted');
        assert.equal(d.failure, 'received SIGINT');
      } finally {
        await store.close();
      }
    } finally {
      await t.cleanup();
    }
  });

  it('opens and closes its own store when given a URL', async () => {
    const t = sqliteTarget();
    try {
      const run = await startRun({ store: t.url, experiment: 'own' });
      await run.logMetric('x', 1);
      await run.end();
      await assert.rejects(run.store.listRuns(), /closed/);
      const store = await t.open();
      try {
        assert.equal((await store.getRun(run.id)).status, 'finished');
      } finally {
        await store.close();
      }
    } finally {
      await t.cleanup();
    }
  });
});
