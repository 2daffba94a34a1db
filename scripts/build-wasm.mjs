#!/usr/bin/env node
// Compiles every AssemblyScript module in assembly/ (each `assembly/<name>.ts`, not starting with
// `_`) to build/wasm/<name>.wasm with the `assemblyscript` npm package. Part of `npm run build`,
// so `npm ci` and `npm test` always have fresh binaries (a module whose inputs did not change is
// not compiled again: see below); no .wasm file is committed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'assembly');
const out = join(root, 'build', 'wasm');
if (!existsSync(src)) process.exit(0);
const files = readdirSync(src).filter((f) => f.endsWith('.ts') && !f.startsWith('_') && !f.endsWith('.d.ts'));
if (files.length === 0) process.exit(0);
mkdirSync(out, { recursive: true });
// A module is compiled again only when its inputs changed: every source in assembly/ (a module may
// import the shared `_` files), the compiler's version and the options below, hashed into
// build/wasm/<name>.wasm.inputs beside the binary. `npm test` builds after `npm ci` has built, and
// compiling all the modules costs ~25 s of CPU.
const options = [
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
];
const ascVersion = JSON.parse(
  readFileSync(join(root, 'node_modules', 'assemblyscript', 'package.json'), 'utf8'),
).version;
const sources = readdirSync(src)
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .map((f) => `${f}\n${readFileSync(join(src, f), 'utf8')}`)
  .join('\n');
let compiled = 0;
let asc;
for (const f of files) {
  const name = f.replace(/\.ts$/, '');
  const wasm = join(out, `${name}.wasm`);
  const stamp = `${wasm}.inputs`;
  const inputs = createHash('sha256')
    .update(JSON.stringify([f, ascVersion, options, sources]))
    .digest('hex');
  if (existsSync(wasm) && existsSync(stamp) && readFileSync(stamp, 'utf8') === inputs) continue;
  asc ??= await import('assemblyscript/asc');
  const { error, stderr } = await asc.main([join(src, f), '--outFile', wasm, ...options]);
  if (error) {
    console.error(`build-wasm: ${f} failed:\n${stderr.toString()}`);
    process.exit(1);
  }
  writeFileSync(stamp, inputs);
  compiled++;
}
console.error(
  `build-wasm: compiled ${compiled} module(s) to build/wasm/${compiled < files.length ? ` (${files.length - compiled} unchanged)` : ''}`,
);
