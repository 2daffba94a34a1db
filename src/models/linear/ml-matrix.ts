/**
 * `ml-matrix`, loaded on first use. It is one 150 KB CommonJS file: imported from an ES module,
 * Node first scans its whole source for the names it exports (`cjs-module-lexer`) and then runs
 * it — ~0.15 s here for every command that loads the models (train, run, tune, predict, serve),
 * though only LinearRegression's and Ridge's solvers use it. `require` skips the scan.
 *
 * @module
 */

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let loaded: typeof import('ml-matrix') | undefined;

/** The `ml-matrix` package (loaded on the first call). */
export function mlMatrix(): typeof import('ml-matrix') {
  loaded ??= require('ml-matrix') as typeof import('ml-matrix');
  return loaded;
}
