/**
 * Special functions of @stdlib, each loaded on its first call. An @stdlib package is a tree of
 * CommonJS modules (`gammaln` alone is ~150 files, ~0.1 s to load): importing it at the top of an
 * estimator's module made every command that loads the models pay for it, though only PCA's
 * `mle` choice and the adjusted mutual information call it.
 *
 * @module
 */

import { createRequire } from 'node:module';

type Unary = (x: number) => number;
let gammalnFn: Unary | undefined;

/** The natural logarithm of the absolute value of the gamma function (@stdlib's `gammaln`). */
export function gammaln(x: number): number {
  gammalnFn ??= createRequire(import.meta.url)('@stdlib/math-base-special-gammaln') as Unary;
  return gammalnFn(x);
}
