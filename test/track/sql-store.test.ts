// Keys that name Object.prototype's accessors ('__proto__') or members ('constructor') are
// ordinary keys in a run: read back as own properties, never as a record's prototype.
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
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
