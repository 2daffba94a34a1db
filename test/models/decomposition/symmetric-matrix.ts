// Random symmetric matrices for the eigendecomposition tests.
import { Rng } from '../../../src/core/rng.ts';

/** A random symmetric n × n matrix: a Gram matrix (PSD, as PCA's) or a plain symmetric one. */
export function symmetric(n: number, seed: number, gram: boolean): Float64Array {
  const rng = new Rng(seed);
  const A = new Float64Array(n * n);
  if (gram) {
    const m = n + 3;
    const X = Float64Array.from({ length: m * n }, () => rng.normal());
    for (let a = 0; a < n; a++)
      for (let b = a; b < n; b++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += X[i * n + a] * X[i * n + b];
        A[a * n + b] = s;
        A[b * n + a] = s;
      }
  } else {
    for (let a = 0; a < n; a++)
      for (let b = a; b < n; b++) {
        const v = rng.normal();
        A[a * n + b] = v;
        A[b * n + a] = v;
      }
  }
  return A;
}
