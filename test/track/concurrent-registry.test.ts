// Reliability: 20 concurrent registrations of one model name get versions 1..20 — no gap, no duplicate.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeModelPackage } from '../../src/track/package/write.ts';
import { fittedFake } from './fake-estimator.ts';
import { ADAPTERS, INPUT_SCHEMA, OUTPUT_SCHEMA, runTogether } from './helpers.ts';

const PROCESSES = 10;
const PER_PROCESS = 2;
const TOTAL = PROCESSES * PER_PROCESS;

for (const adapter of ADAPTERS) {
  describe(`concurrent registration (${adapter.kind})`, { skip: adapter.skip }, () => {
    it(`${TOTAL} registrations at once (${PROCESSES} processes × ${PER_PROCESS}) get versions 1..${TOTAL}`, {
      timeout: 600_000,
    }, async () => {
      const target = adapter.target();
      const work = mkdtempSync(join(tmpdir(), 'lathe-race-'));
      try {
        const pkg = join(work, 'model.lathe');
        await writeModelPackage(pkg, {
          model: fittedFake(),
          task: 'regression',
          inputSchema: INPUT_SCHEMA,
          outputSchema: OUTPUT_SCHEMA,
        });
        await (await target.open()).close();
        const children = await runTogether('register.ts', PROCESSES, (go) => [
          target.url,
          target.artifacts,
          go,
          pkg,
          String(PER_PROCESS),
        ]);
        const got = children.flatMap((c) => JSON.parse(/^versions (.*)$/m.exec(c.stdout())![1]) as number[]);
        assert.deepEqual(
          got.sort((a, b) => a - b),
          Array.from({ length: TOTAL }, (_, i) => i + 1),
        );
        const store = await target.open();
        try {
          const model = await store.getModel('race');
          assert.equal(model.latestVersion, TOTAL);
          assert.equal(model.versionCount, TOTAL);
          assert.deepEqual(
            model.versions.map((v) => v.version),
            Array.from({ length: TOTAL }, (_, i) => TOTAL - i),
          );
        } finally {
          await store.close();
        }
      } finally {
        await target.cleanup();
        rmSync(work, { recursive: true, force: true });
      }
    });
  });
}
