/**
 * Special functions of @stdlib, each loaded on its first call. An @stdlib package is a tree of
 * CommonJS modules (`gammaln` alone is ~150 files, ~0.1 s to load; the `stats-base-dists`
 * namespace, hundreds): importing one at the top of an estimator's module made every command
 * that loads the models pay for it, though only PCA's `mle` choice, the adjusted mutual
 * information and RobustScaler's `unitVariance` call them.
 *
 * @module
 */

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type Unary = (x: number) => number;
type Quantile = (p: number, mu: number, sigma: number) => number;
let gammalnFn: Unary | undefined;
let normalQuantileFn: Quantile | undefined;

/** The natural logarithm of the absolute value of the gamma function (@stdlib's `gammaln`). */
export function gammaln(x: number): number {
  gammalnFn ??= require('@stdlib/math-base-special-gammaln') as Unary;
  return gammalnFn(x);
}

/** The quantile function of the normal distribution N(`mu`, `sigma`²) at probability `p` (@stdlib's). */
export function normalQuantile(p: number, mu: number, sigma: number): number {
  normalQuantileFn ??= require('@stdlib/stats-base-dists-normal-quantile') as Quantile;
  return normalQuantileFn(p, mu, sigma);
}
