// Reliability: 16 processes each log 1,000 metrics to one store at the same time. Exactly 16,000
// points are stored and no "database is locked" (or any other error) reaches the writers.
// SQLite, where writers share one file lock, gets the worst case: every point flushed on its own,
// 16,000 separate write transactions. PostgreSQL (row-level concurrency; each write a network round
// trip) flushes every 10 points: 1,600 concurrent multi-row inserts. (bench/track-writers.ts --each
// runs the per-point case against PostgreSQL too.) The timeout only guards against a hang.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADAPTERS, runTogether } from './helpers.ts';

const WRITERS = 16;
const POINTS = 1000;

for (const adapter of ADAPTERS) {
  describe(`concurrent metric logging (${adapter.kind})`, { skip: adapter.skip }, () => {
    it(`${WRITERS} processes × ${POINTS} metrics: exactly ${WRITERS * POINTS} stored`, {
      timeout: 600_000,
    }, async () => {
      const target = adapter.target();
      try {
        // Create the schema first so that the writers contend on metrics, not on migrations.
        await (await target.open()).close();
        const children = await runTogether('log-metrics.ts', WRITERS, (go) => [
          target.url,
          target.artifacts,
          go,
          String(POINTS),
          adapter.kind === 'sqlite' ? '1' : '10',
        ]);
        for (const c of children) {
          assert.doesNotMatch(c.stderr(), /locked|busy|error/i);
          assert.match(c.stdout(), /^done [0-9a-f]{32}$/m);
        }
        const store = await target.open();
        try {
          const runs = await store.listRuns({ experiment: 'load', limit: 1000 });
          assert.equal(runs.length, WRITERS);
          let total = 0;
          for (const r of runs) {
            assert.equal(r.status, 'finished');
            const history = await store.metricHistory(r.id, 'm');
            assert.deepEqual(
              history.map((p) => p.step),
              Array.from({ length: POINTS }, (_, i) => i),
            );
            assert.ok(history.every((p) => p.value === p.step));
            total += history.length;
          }
          assert.equal(total, WRITERS * POINTS);
        } finally {
          await store.close();
        }
      } finally {
        await target.cleanup();
      }
    });
  });
}
