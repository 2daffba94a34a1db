#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm ci` through the `prepare` script). With
// LATHE_DEV=1, or when dist/ is missing, runs the TypeScript sources through tsx instead.
import { existsSync } from 'node:fs';

const dist = new URL('../dist/cli/main.js', import.meta.url);
if (process.env.LATHE_DEV !== '1' && existsSync(dist)) {
  const { main } = await import(dist.href);
  await main(process.argv);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import(new URL('../src/cli/main.ts', import.meta.url).href);
  await main(process.argv);
}
