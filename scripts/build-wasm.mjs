#!/usr/bin/env node
// Compiles every AssemblyScript module in assembly/ (each `assembly/<name>.ts`, not starting with
// `_`) to build/wasm/<name>.wasm with the `assemblyscript` npm package. Part of `npm run build`,
// so `npm ci` and `npm test` always have fresh binaries; no .wasm file is committed.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'assembly');
const out = join(root, 'build', 'wasm');
if (!existsSync(src)) process.exit(0);
const files = readdirSync(src).filter((f) => f.endsWith('.ts') && !f.startsWith('_') && !f.endsWith('.d.ts'));
if (files.length === 0) process.exit(0);
mkdirSync(out, { recursive: true });
const asc = await import('assemblyscript/asc');
for (const f of files) {
  const name = f.replace(/\.ts$/, '');
  const { error, stderr } = await asc.main([
    join(src, f),
    '--outFile',
    join(out, `${name}.wasm`),
    '--optimizeLevel',
    '3',
    '--shrinkLevel',
    '0',
    '--runtime',
    'stub',
    '--noAssert',
    '--enable',
    'simd,threads',
    '--importMemory',
    '--sharedMemory',
    '--initialMemory',
    '1',
    '--maximumMemory',
    '65536',
  ]);
  if (error) {
    console.error(`build-wasm: ${f} failed:\n${stderr.toString()}`);
    process.exit(1);
  }
}
console.error(`build-wasm: compiled ${files.length} module(s) to build/wasm/`);
