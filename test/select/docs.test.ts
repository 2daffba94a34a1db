// Keeps docs/model-selection.md and docs/tuning.md honest: their first example runs, and every
// value claimed in a `// comment` after a console.log appears, in order, in what it prints.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function runExample(page: string): void {
  const md = readFileSync(join(root, page), 'utf8');
  const block = md.match(/```ts\n([\s\S]*?)```/)?.[1];
  assert.ok(block, `${page}: an example block`);
  const src = block.replace(/from 'lathe'/g, `from '${join(root, 'src/index.ts')}'`);
  const dir = mkdtempSync(join(tmpdir(), 'lathe-select-doc-'));
  try {
    const file = join(dir, 'example.mts');
    writeFileSync(file, src);
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, LATHE_QUIET_WARNINGS: '1', LATHE_THREADS: '2' },
      timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const claims = [...block.matchAll(/console\.log\(.*\/\/ (.+)$/gm)].map((m) => m[1].trim());
    const printed = r.stdout.trim().split('\n');
    assert.equal(printed.length, claims.length, `${page}: one printed line per claim:\n${r.stdout}`);
    claims.forEach((c, i) => assert.equal(printed[i], c, `${page}: line ${i + 1}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('docs', () => {
  it('docs/model-selection.md: the example prints what it claims', () =>
    runExample('docs/model-selection.md'));
  it('docs/tuning.md: the example prints what it claims', () => runExample('docs/tuning.md'));
});
