// Runs the ```ts blocks of a docs page: each is written to a temporary module (with `from 'lathe'`
// pointing at Lathe's index) and imported; its console output is captured. Shared by the linear,
// naive Bayes and neighbours docs tests.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { importTypeScript, LIBRARY_INDEX } from '../../helpers/module-url.ts';

/** Registers one test per ```ts block of `docs/<page>`; returns the output lines per block. */
export function docExamples(page: string, minBlocks: number): string[][] {
  const doc = readFileSync(new URL(`../../../docs/${page}`, import.meta.url), 'utf8');
  const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  const dir = mkdtempSync(join(tmpdir(), 'lathe-docs-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const outputs: string[][] = blocks.map(() => []);
  describe(`docs/${page} examples`, () => {
    it('has examples', () => assert.ok(blocks.length >= minBlocks, `found ${blocks.length} blocks`));
    blocks.forEach((code, k) => {
      it(`runs example ${k + 1}`, async () => {
        const file = join(dir, `example-${k}.ts`);
        writeFileSync(file, code.replaceAll("from 'lathe'", `from ${JSON.stringify(LIBRARY_INDEX)}`));
        const log = console.log;
        console.log = (...a: unknown[]) =>
          outputs[k].push(a.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' '));
        try {
          await importTypeScript(file);
        } finally {
          console.log = log;
        }
        assert.ok(outputs[k].length > 0, 'the example printed nothing');
      });
    });
  });
  return outputs;
}
