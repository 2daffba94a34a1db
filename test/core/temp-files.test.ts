// Temporary outputs are removed when the program is interrupted (SIGINT → 130, SIGTERM → 143),
// and the handlers exist only while something is tracked.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { removeTrackedTempPaths, trackedTempPaths, trackTempPath } from '../../src/core/temp-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'lathe-temp-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const MODULE = fileURLToPath(new URL('../../src/core/temp-files.ts', import.meta.url));

/** A child that tracks `file` (and a directory) and waits; resolves with its exit once signalled. */
function interrupted(
  file: string,
  signal: NodeJS.Signals,
  track = true,
): Promise<{ code: number | null; signal: string | null }> {
  const script = `
    import { mkdirSync, writeFileSync } from 'node:fs';
    import { removeTempPathsOnSignals, trackTempPath } from ${JSON.stringify(MODULE)};
    removeTempPathsOnSignals();
    writeFileSync(${JSON.stringify(file)}, 'half a file');
    mkdirSync(${JSON.stringify(`${file}.d`)});
    writeFileSync(${JSON.stringify(`${file}.d/blob`)}, 'x');
    if (${track}) { trackTempPath(${JSON.stringify(file)}); trackTempPath(${JSON.stringify(`${file}.d`)}); }
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (d.includes('ready')) child.kill(signal);
    });
    child.on('error', reject);
    child.on('exit', (code, sig) => resolve({ code, signal: sig }));
  });
}

describe('temporary paths', () => {
  it('SIGINT removes every tracked path and exits 130', async () => {
    const f = join(dir, '.out.csv.1.tmp');
    const r = await interrupted(f, 'SIGINT');
    assert.equal(r.code, 130);
    assert.ok(!existsSync(f), 'the temp file is gone');
    assert.ok(!existsSync(`${f}.d`), 'the temp directory is gone');
  });

  it('SIGTERM removes them and exits 143', async () => {
    const f = join(dir, '.out.csv.2.tmp');
    const r = await interrupted(f, 'SIGTERM');
    assert.equal(r.code, 143);
    assert.ok(!existsSync(f));
  });

  it('with nothing tracked, a signal keeps its default effect (the process ends at once)', async () => {
    const f = join(dir, '.untracked.tmp');
    const r = await interrupted(f, 'SIGINT', false);
    assert.equal(r.signal, 'SIGINT');
    assert.ok(existsSync(f), 'an untracked file is not ours to remove');
  });

  it('tracks until released; removeTrackedTempPaths removes and forgets', () => {
    const before = process.listenerCount('SIGINT');
    const release = trackTempPath(join(dir, 'a'));
    assert.deepEqual(trackedTempPaths(), [join(dir, 'a')]);
    assert.equal(process.listenerCount('SIGINT'), before, 'no handler unless a program asked for it');
    release();
    assert.deepEqual(trackedTempPaths(), []);
    trackTempPath(join(dir, 'b'));
    removeTrackedTempPaths();
    assert.deepEqual(trackedTempPaths(), []);
  });
});
