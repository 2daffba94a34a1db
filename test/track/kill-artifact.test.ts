// Reliability: a process killed (SIGKILL) while writing an artifact leaves no partial artifact
// visible, and its run is marked failed afterwards.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ADAPTERS, startFixture } from './helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

/** Every file under the content-addressed tree, with whether its bytes hash to its name. */
function contentFiles(root: string): { name: string; ok: boolean }[] {
  const base = join(root, 'sha256');
  if (!existsSync(base)) return [];
  return readdirSync(base).flatMap((ab) =>
    readdirSync(join(base, ab)).map((name) => ({
      name,
      ok:
        createHash('sha256')
          .update(readFileSync(join(base, ab, name)))
          .digest('hex') === name,
    })),
  );
}

/** Total bytes of the temporary files under `<root>/tmp`. */
function tempBytes(root: string): number {
  const dir = join(root, 'tmp');
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0);
}

for (const adapter of ADAPTERS) {
  describe(`killed while writing an artifact (${adapter.kind})`, {
    skip: adapter.skip || (!hasMkfifo && 'no mkfifo'),
  }, () => {
    it('never shows a partial artifact, and the run ends up failed', { timeout: 600_000 }, async () => {
      const target = adapter.target();
      try {
        const fifo = join(target.dir, 'slow-source');
        assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
        const child = await startFixture('kill-artifact.ts', [target.url, target.artifacts, fifo]);
        const runId = (await child.waitFor(/^run [0-9a-f]{32}$/)).slice(4);
        // Feed part of the artifact through the pipe, wait until it is on disk, then kill the writer.
        const fh = await open(fifo, 'w');
        const chunk = Buffer.alloc(64 * 1024, 0x5a);
        for (let i = 0; i < 16; i++) await fh.write(chunk);
        for (let i = 0; i < 500 && tempBytes(target.artifacts) === 0; i++) await sleep(10);
        assert.ok(tempBytes(target.artifacts) > 0, 'the writer had started writing');
        child.kill('SIGKILL');
        const end = await child.done;
        assert.equal(end.signal, 'SIGKILL');
        await fh.close().catch(() => {});

        // Only the complete artifact is in the content-addressed tree, and it is intact.
        const files = contentFiles(target.artifacts);
        assert.deepEqual(
          files.map((f) => f.ok),
          [true],
        );
        assert.equal(files[0].name, createHash('sha256').update('complete').digest('hex'));

        const store = await target.open(); // also clears the dead writer's temporary file
        try {
          assert.equal(tempBytes(target.artifacts), 0, 'the partial temporary file is removed');
          const run = await store.getRun(runId);
          assert.equal(run.status, 'failed');
          assert.match(run.failure!, new RegExp(`pid ${child.pid} .*ended without ending the run`));
          assert.deepEqual(
            run.artifacts.map((a) => a.name),
            ['small.txt'],
          );
          assert.equal((await store.artifacts.read(run.artifacts[0].sha256)).toString(), 'complete');
          await assert.rejects(store.getArtifact(runId, 'big.bin'), /no artifact named 'big.bin'/);
        } finally {
          await store.close();
        }
      } finally {
        await target.cleanup();
      }
    });
  });
}
