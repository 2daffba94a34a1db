// Keys that name Object.prototype's accessors ('__proto__') or members ('constructor') are
// ordinary keys in a run: read back as own properties, never as a record's prototype.
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import type { Store } from '../../src/track/store.ts';
import { ADAPTERS, type StoreTarget } from './helpers.ts';

for (const adapter of ADAPTERS) {
  describe(`run keys named like prototype members (${adapter.kind})`, { skip: adapter.skip }, () => {
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

    it("keeps a parameter, metric and tag named '__proto__' as data", async () => {
      const run = await store.createRun({ experiment: 'keys', host: hostname(), pid: process.pid });
      // As a parsed JSON document (e.g. `lathe train --params`) holds it: an own property.
      await store.logParams(
        run.id,
        JSON.parse('{"__proto__": {"injected": 1}, "constructor": 2, "lr": 0.1}'),
      );
      await store.logMetrics(run.id, [
        { key: '__proto__', value: 5, step: 0 },
        { key: 'auc', value: 0.5, step: 0 },
      ]);
      await store.setTags(run.id, { __proto__x: 'a', constructor: 'b' });
      await store.setTags(run.id, JSON.parse('{"__proto__": "c"}'));

      const detail = await store.getRun(run.id);
      for (const [what, record] of [
        ['params', detail.params],
        ['metrics', detail.metrics],
        ['tags', detail.tags],
      ] as const) {
        assert.equal(Object.getPrototypeOf(record), Object.prototype, `${what} keeps its prototype`);
        assert.ok(Object.hasOwn(record, '__proto__'), `${what} has its '__proto__' key`);
      }
      assert.equal((detail.params as Record<string, unknown>).injected, undefined);
      assert.deepEqual(Object.keys(detail.params).sort(), ['__proto__', 'constructor', 'lr']);
      const own = (o: object) => Object.getOwnPropertyDescriptor(o, '__proto__')?.value;
      assert.deepEqual(own(JSON.parse(JSON.stringify(detail.params))), { injected: 1 });
      assert.equal(own(detail.metrics).value, 5);
      assert.equal(own(detail.tags), 'c');

      const [listed] = await store.listRuns({ experiment: 'keys' });
      assert.ok(Object.hasOwn(listed.metrics, '__proto__'));
      assert.equal(JSON.stringify(listed.metrics), '{"__proto__":5,"auc":0.5}');
    });
  });
}

for (const adapter of ADAPTERS) {
  describe(`text PostgreSQL cannot store (${adapter.kind})`, { skip: adapter.skip }, () => {
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
    const newRun = (extra: object = {}) =>
      store.createRun({ experiment: 'text', host: hostname(), pid: process.pid, ...extra });

    /** Both adapters refuse the same way: a ValidationError naming the field, not a driver error. */
    async function refused(p: Promise<unknown>, what: RegExp): Promise<void> {
      await assert.rejects(p, (e: unknown) => {
        assert.ok(e instanceof ValidationError, `expected a ValidationError, got ${(e as Error)?.stack}`);
        assert.match(e.message, what);
        return true;
      });
    }

    it('refuses NUL characters and unpaired surrogates in names, notes, tags and descriptions', async () => {
      const run = await newRun();
      await refused(newRun({ name: 'a\u0000b' }), /Run name .*NUL/);
      await refused(newRun({ notes: 'a\u0000b' }), /Notes .*NUL/);
      await refused(store.setNotes(run.id, 'n\u0000'), /Notes .*NUL/);
      await refused(store.setTags(run.id, { t: 'a\u0000b' }), /Tag 't' .*NUL/);
      await refused(store.setTags(run.id, { t: 'x\udc00' }), /Tag 't' .*unpaired surrogate/);
      await refused(store.logParams(run.id, { 'k\ud800': 1 }), /parameter name/);
      await refused(
        store.logDataset(run.id, { fingerprint: `sha256:${'a'.repeat(64)}`, name: 'd\u0000' }),
        /Dataset name .*NUL/,
      );
      const detail = await store.getRun(run.id);
      assert.deepEqual(detail.tags, {});
      assert.equal(detail.notes, null);
    });

    it('ends a run whose failure message holds a NUL, keeping the message readable', async () => {
      const run = await newRun();
      await store.endRun(run.id, 'failed', 'bad byte \u0000 in x\ud800');
      const detail = await store.getRun(run.id);
      assert.equal(detail.status, 'failed');
      assert.equal(detail.failure, 'bad byte \\u0000 in x\ufffd');
    });
  });
}
