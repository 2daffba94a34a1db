#!/usr/bin/env node
// Compiles the sources and the tests to JavaScript under build/tests (tsconfig.test.json; no type
// check: `npm run typecheck` does that), so that `npm test` runs them without a TypeScript loader:
// through tsx every test process, and every worker thread it starts, spent 0.3–1 s more starting
// and loading modules (the whole suite, fresh clones: 555 s of tests through tsx; compiled, 424–524 s
// in four runs the same day, with 24 more tests in the last three).
//
// build/tests mirrors the repository: the compiled src/ and test/ beside symbolic links to
// everything else — the .ts files themselves (for the tests that run one through tsx in a child
// process), test/fixtures, docs/, examples/, package.json, build/wasm — so that paths relative to
// a module (`new URL('../../docs/x.md', import.meta.url)`) resolve as they do from the sources.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'build', 'tests');
const COMPILED = ['src', 'test'];
const NOT_MIRRORED = new Set([...COMPILED, 'node_modules', '.git', 'build']);

rmSync(out, { recursive: true, force: true });
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.test.json'), '--noCheck'], {
  stdio: 'inherit',
});
if (r.status !== 0) {
  console.error('build-tests: compiling the tests failed (see above)');
  process.exit(r.status ?? 1);
}

/** A relative symbolic link at `at` to `target`, unless something is there already. */
function link(target, at) {
  try {
    lstatSync(at);
    return;
  } catch {
    // nothing there yet
  }
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(relative(dirname(at), target), at);
}

/** Whether `dir` holds a .ts file the compiler writes into build/tests (test/fixtures: not compiled). */
function compiles(dir) {
  if (dir === join(root, 'test', 'fixtures')) return false;
  return readdirSync(dir).some((name) => {
    const path = join(dir, name);
    return lstatSync(path).isDirectory() ? compiles(path) : name.endsWith('.ts');
  });
}

/**
 * Links every file of `dir` (recursively) that the compiler did not write into build/tests; a
 * folder with nothing compiled in it (test/fixtures, a test's __snapshots__) is linked whole, so
 * that a file a test writes there (UPDATE_SNAPSHOTS=1) lands in the repository.
 */
function mirror(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const at = join(out, relative(root, path));
    if (lstatSync(path).isDirectory() && compiles(path)) mirror(path);
    else link(path, at);
  }
}

for (const name of readdirSync(root)) if (!NOT_MIRRORED.has(name)) link(join(root, name), join(out, name));
// build/wasm (the kernels), as ../../../build/wasm from a compiled src/ module finds it.
link(join(root, 'build'), join(out, 'build'));
for (const dir of COMPILED) mirror(join(root, dir));
