// Keeps docs/metrics.md honest: its first example runs, and every value it claims in a
// `// comment` appears in what it prints.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('docs/metrics.md', () => {
  it('the quick-start example runs and prints the values it shows', () => {
    const md = readFileSync(join(root, 'docs/metrics.md'), 'utf8');
    const block = md.match(/```ts\n([\s\S]*?)```/)?.[1];
    assert.ok(block, 'an example block');
    const src = block.replace(/from 'lathe'/g, `from '${join(root, 'src/index.ts')}'`);
    const dir = mkdtempSync(join(tmpdir(), 'lathe-metrics-doc-'));
    try {
      const file = join(dir, 'example.ts');
      writeFileSync(file, src);
      const r = spawnSync(process.execPath, ['--import', 'tsx', file], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, LATHE_QUIET_WARNINGS: '1' },
      });
      assert.equal(r.status, 0, r.stderr);
      const claims = [...block.matchAll(/console\.log\(.*\/\/ (.+)$/gm)].map((m) => m[1].trim());
      assert.ok(claims.length >= 8);
      for (const claim of claims) {
        if (claim === 'the familiar table') {
          assert.match(r.stdout, /weighted avg/);
          continue;
        }
        assert.ok(r.stdout.includes(claim.replace(/…$/, '')), `output shows "${claim}":\n${r.stdout}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
