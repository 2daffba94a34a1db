// The examples in docs/export.md run: each ```ts block is written to a temporary module (with
// `from 'lathe'` pointing at Lathe's index and onnxruntime-node resolved from this repository) and
// imported; its console output is captured and checked.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { importTypeScript, LIBRARY_INDEX } from '../helpers/module-url.ts';

const doc = readFileSync(new URL('../../docs/export.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const ortEntry = pathToFileURL(createRequire(import.meta.url).resolve('onnxruntime-node')).href;
const dir = mkdtempSync(join(tmpdir(), 'lathe-docs-export-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(code: string, k: number): Promise<string[]> {
  const file = join(dir, `example-${k}.mts`);
  writeFileSync(
    file,
    code
      .replaceAll("from 'lathe'", `from ${JSON.stringify(LIBRARY_INDEX)}`)
      .replaceAll("from 'onnxruntime-node'", `from ${JSON.stringify(ortEntry)}`),
  );
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => lines.push(a.map(String).join(' '));
  try {
    await importTypeScript(file);
  } finally {
    console.log = log;
  }
  return lines;
}

describe('docs/export.md examples', () => {
  it('has the two library examples', () => assert.equal(blocks.length, 2));

  it('runs the pipeline example: inputs listed, customer_id left out, one prediction', async () => {
    const lines = await run(blocks[0], 0);
    assert.match(lines[0], /^signup_date: double, age: double, region: string, plan: string/);
    assert.equal(lines[1], 'not inputs (the model does not read them): customer_id');
    const [label, ...proba] = lines[2].split(/[ ,]/);
    assert.ok(label === 'yes' || label === 'no', lines[2]);
    const p = proba.map(Number);
    assert.equal(p.length, 2);
    assert.ok(Math.abs(p[0] + p[1] - 1) < 1e-12);
  });

  it('runs the matrix example: the same numbers as predict, bit for bit', async () => {
    const lines = await run(blocks[1], 1);
    assert.equal(lines.length, 2);
    assert.equal(lines[0], lines[1]);
  });
});
