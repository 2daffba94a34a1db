#!/usr/bin/env -S node --no-concurrent-recompilation
// Runs the compiled CLI (dist/, built by `npm ci` through the `prepare` script). With
// LATHE_DEV=1, or when dist/ is missing, runs the TypeScript sources through tsx instead.
//
// --no-concurrent-recompilation: Node 20-24 can deadlock when the process ends while V8 is
// optimising a function on a background thread that needs a garbage collection (the main thread
// waits for the task in NodePlatform::DrainTasks, the task waits for the main thread: nodejs/node
// #54918). Under load about one `lathe` run in 12 hung after printing its result; with the
// optimiser on the main thread, none in 72. The heavy loops are WebAssembly, compiled as before.
// (The flag must be on the command line: V8 reads it when the isolate starts.)
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1 and later keep V8's compiled code of the CLI's modules on disk between runs (in the
// system's temporary folder, or NODE_COMPILE_CACHE), so each `lathe` start parses less; Node 20
// has no such cache and this does nothing there.
module.enableCompileCache?.();

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
