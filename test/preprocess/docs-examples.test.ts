// The examples in docs/preprocess.md run: each ```ts block is written to a temporary module (with
// `from 'lathe'` pointing at Lathe's index) and imported; its console output is captured.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { importTypeScript, LIBRARY_INDEX } from '../helpers/module-url.ts';

const doc = readFileSync(new URL('../../docs/preprocess.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const dir = mkdtempSync(join(tmpdir(), 'lathe-docs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('docs/preprocess.md examples', () => {
  it('has examples', () => assert.ok(blocks.length >= 6, `found ${blocks.length} blocks`));
  blocks.forEach((code, k) => {
    const title = code.split('\n').find((l) => l && !l.startsWith('import')) ?? `block ${k}`;
    it(`runs example ${k + 1}: ${title.slice(0, 60)}`, async () => {
      const file = join(dir, `example-${k}.ts`);
      writeFileSync(file, code.replaceAll("from 'lathe'", `from ${JSON.stringify(LIBRARY_INDEX)}`));
      const lines: string[] = [];
      const log = console.log;
      console.log = (...a: unknown[]) => lines.push(a.map(String).join(' '));
      try {
        await importTypeScript(file);
      } finally {
        console.log = log;
      }
      assert.ok(lines.length > 0 || !code.includes('console.log'), 'the example printed nothing');
    });
  });
});
