/**
 * Eigendecomposition of a small real symmetric matrix by cyclic Jacobi rotations, with the
 * stopping rule of Demmel and Veselić ("Jacobi's method is more accurate than QR", 1992): an
 * off-diagonal entry is left alone only when |a_pq| ≤ ε·√|a_pp·a_qq|. On a matrix that is nearly
 * diagonal with a diagonal spanning many orders of magnitude — the Gram matrix of data projected
 * on approximate principal axes, which is what `PCA` refines with it — this finds the small
 * eigenvalues and their vectors to relative accuracy, where Householder + QL (`symmetric-eigen.ts`)
 * is accurate only relative to the largest eigenvalue.
 *
 * @module
 */

const EPS = 2 ** -52;

/** Most sweeps before giving up (a nearly diagonal matrix needs two or three). */
const MAX_SWEEPS = 60;

/**
 * Eigenvalues (descending) and eigenvectors (columns of `vectors`, n × n row-major, in the same
 * order) of the symmetric n × n matrix A (row-major; only read). Ties keep their original order.
 */
export function jacobiEigen(A: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const app = a[p * n + p];
        const aqq = a[q * n + q];
        if (Math.abs(apq) <= EPS * Math.sqrt(Math.abs(app * aqq))) continue;
        rotated = true;
        rotate(a, v, n, p, q, app, aqq, apq);
      }
    }
    if (!rotated) break;
  }
  const diag = Float64Array.from({ length: n }, (_, i) => a[i * n + i]);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => diag[y] - diag[x] || x - y);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const src = order[k];
    values[k] = diag[src];
    for (let i = 0; i < n; i++) vectors[i * n + k] = v[i * n + src];
  }
  return { values, vectors };
}

/** One rotation in the (p, q) plane that zeroes a[p, q]; accumulates it into the columns of v. */
function rotate(
  a: Float64Array,
  v: Float64Array,
  n: number,
  p: number,
  q: number,
  app: number,
  aqq: number,
  apq: number,
): void {
  const theta = (aqq - app) / (2 * apq);
  // t = tan of the rotation angle, the smaller root (|angle| ≤ π/4); 1/(2θ) when θ² would overflow.
  const t =
    Math.abs(theta) > 1e150
      ? 1 / (2 * theta)
      : Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < n; k++) {
    if (k === p || k === q) continue;
    const akp = a[k * n + p];
    const akq = a[k * n + q];
    const np = c * akp - s * akq;
    const nq = s * akp + c * akq;
    a[k * n + p] = np;
    a[p * n + k] = np;
    a[k * n + q] = nq;
    a[q * n + k] = nq;
  }
  a[p * n + p] = app - t * apq;
  a[q * n + q] = aqq + t * apq;
  a[p * n + q] = 0;
  a[q * n + p] = 0;
  for (let k = 0; k < n; k++) {
    const vkp = v[k * n + p];
    const vkq = v[k * n + q];
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}
