// Keeps docs/stats.md honest: its quick-start example runs, and every value it claims in a
// `// comment` appears in what it prints.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('docs/stats.md', () => {
  it('the quick-start example runs and prints the values it shows', () => {
    const md = readFileSync(join(root, 'docs/stats.md'), 'utf8');
    const block = md.match(/```ts\n([\s\S]*?)```/)?.[1];
    assert.ok(block, 'an example block');
    // the names are the package root's; import them from the stats folder to keep this fast
    const src = block.replace(/from 'lathe'/g, `from '${join(root, 'src/stats/index.ts')}'`);
    const dir = mkdtempSync(join(tmpdir(), 'lathe-stats-doc-'));
    try {
      const file = join(dir, 'example.ts');
      writeFileSync(file, src);
      const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const claims = [...block.matchAll(/console\.log\(.*\/\/ (.+)$/gm)].map((m) => m[1].trim());
      assert.ok(claims.length >= 12);
      for (const claim of claims)
        assert.ok(r.stdout.includes(claim), `output shows "${claim}":\n${r.stdout}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
