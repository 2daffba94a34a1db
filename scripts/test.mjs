#!/usr/bin/env node
// Runs the test suite with Node's test runner. Node 20's runner does not expand globs, so this
// finds the files: every `*.test.ts` under test/, or those under the paths given as arguments
// (`node scripts/test.mjs test/core test/data/table.test.ts`).
//
// By default the tests run compiled to JavaScript: scripts/build-tests.mjs compiles src/ and test/
// to build/tests first (~3 s), and the runner takes the .test.js files there (source maps point
// failures at the .ts lines). `--ts` runs the TypeScript files themselves through tsx instead —
// no build step, slower to start: for a quick run of a few files while editing.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function find(path, out) {
  const st = statSync(path);
  if (st.isFile()) {
    if (path.endsWith('.test.ts')) out.push(path);
    return out;
  }
  for (const name of readdirSync(path).sort()) {
    if (name === 'node_modules' || name === 'fixtures' || name.startsWith('.')) continue;
    find(join(path, name), out);
  }
  return out;
}

const args = process.argv.slice(2);
const viaTsx = args.includes('--ts');
const flags = args.filter((a) => a.startsWith('--') && a !== '--ts');
const roots = args.filter((a) => !a.startsWith('--'));
const files = (roots.length ? roots : ['test']).flatMap((r) => find(r, []));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
let nodeArgs;
if (viaTsx) {
  nodeArgs = ['--import', 'tsx'];
} else {
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-tests.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  nodeArgs = ['--enable-source-maps'];
  for (let i = 0; i < files.length; i++) {
    files[i] = join(root, 'build', 'tests', relative(root, files[i])).replace(/\.ts$/, '.js');
  }
}
// Three test files at once on two cores: a file spends much of its time waiting — on the `lathe`
// processes it starts, on servers, on Redis and PostgreSQL — and a third keeps the cores busy
// meanwhile (measured on a fresh clone, 2 vCPUs: 581 s of tests with 3, about 630 s with 2).
const r = spawnSync(process.execPath, [...nodeArgs, '--test', '--test-concurrency=3', ...flags, ...files], {
  stdio: 'inherit',
  env: { ...process.env, LATHE_DEV: '1', LATHE_QUIET_WARNINGS: '1' },
});
process.exit(r.status ?? 1);
