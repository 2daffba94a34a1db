// Module URLs and TypeScript snippets in either way the suite runs: compiled to JavaScript under
// build/tests (`npm test`: no TypeScript loader in the test processes or their worker threads) or
// from the TypeScript sources through tsx (`node scripts/test.mjs --ts`, `node --import tsx --test`).
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The extension of this suite's own modules: `.js` when it runs compiled, `.ts` through tsx. */
export const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/**
 * The URL of one of the suite's or Lathe's modules, `path` relative to `base` and without its
 * extension (`moduleUrl('../helpers/pool-tasks', import.meta.url)`): the file that exists in the
 * way the suite runs, for handing to worker threads or to Lathe's module keys.
 */
export function moduleUrl(path: string, base: string): string {
  return new URL(`${path}${EXT}`, base).href;
}

/** `from 'lathe'` in a docs example: Lathe's index, compiled or the TypeScript source. */
export const LIBRARY_INDEX = moduleUrl('../../src/index', import.meta.url);

/**
 * Imports a TypeScript file written by a test (a docs example): natively when tsx is registered;
 * compiled, its types stripped by esbuild (what tsx uses) into a `.mjs` beside it — its imports
 * (Lathe's index, packages) then load as the test's own do, the same module instances.
 */
export async function importTypeScript(file: string): Promise<unknown> {
  if (EXT === '.ts') return import(pathToFileURL(file).href);
  const { transformSync } = await import('esbuild');
  const js = `${file.replace(/\.[mc]?ts$/, '')}.mjs`;
  writeFileSync(js, transformSync(readFileSync(file, 'utf8'), { loader: 'ts', format: 'esm' }).code);
  return import(pathToFileURL(js).href);
}
