/**
 * Eigendecomposition of a real symmetric matrix on flat typed arrays: Householder reduction to
 * tridiagonal form (`tred2`) followed by the implicit QL iteration (`tql2`), the algorithms of
 * JAMA / EISPACK as ml-matrix's `EigenvalueDecomposition({ assumeSymmetric: true })` runs them —
 * the same operations in the same order, so the same bits — without its `Matrix` objects.
 *
 * Why not ml-matrix itself: its accessors (`get`/`set` through a class hierarchy) keep a first
 * call in the interpreter for most of its run; PCA's first fit of a 64 × 64 cross-product spent
 * ~90 ms there, this loop over a `Float64Array` a few.
 *
 * @module
 */

/** |a| · √(1 + (b/a)²) or the same with a and b swapped: √(a² + b²) without overflow. */
function hypotenuse(a: number, b: number): number {
  if (Math.abs(a) > Math.abs(b)) {
    const r = b / a;
    return Math.abs(a) * Math.sqrt(1 + r * r);
  }
  if (b !== 0) {
    const r = a / b;
    return Math.abs(b) * Math.sqrt(1 + r * r);
  }
  return 0;
}

/**
 * Householder tridiagonalisation. `W` (n × n, row-major) holds the matrix transposed on entry
 * (the same for a symmetric one) and the accumulated transformations, transposed, on exit; d and
 * e receive the diagonal and the sub-diagonal.
 */
function tred2(n: number, e: Float64Array, d: Float64Array, W: Float64Array): void {
  // W[a * n + b] is ml-matrix's V.get(a, b) (it stores V transposed too).
  for (let j = 0; j < n; j++) d[j] = W[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale = scale + Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = W[j * n + i - 1];
        W[j * n + i] = 0;
        W[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h = h - f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        W[i * n + j] = f;
        const r = j * n;
        g = e[j] + W[r + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += W[r + k] * d[k];
          e[k] += W[r + k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const r = j * n;
        for (let k = j; k <= i - 1; k++) W[r + k] = W[r + k] - (f * e[k] + g * d[k]);
        d[j] = W[r + i - 1];
        W[r + i] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    W[i * n + n - 1] = W[i * n + i];
    W[i * n + i] = 1;
    const h = d[i + 1];
    const r1 = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = W[r1 + k] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        const r = j * n;
        for (let k = 0; k <= i; k++) g += W[r1 + k] * W[r + k];
        for (let k = 0; k <= i; k++) W[r + k] = W[r + k] - g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) W[r1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = W[j * n + n - 1];
    W[j * n + n - 1] = 0;
  }
  W[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal (d, e), rotating the rows of W; eigenvalues ascending in d. */
function tql2(n: number, e: Float64Array, d: Float64Array, W: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      do {
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypotenuse(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f = f + h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypotenuse(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          // Rotate rows i and i + 1 of W (hand-inlined: the O(n³) loop).
          const a = i * n;
          const b = a + n;
          for (let k = 0; k < n; k++) {
            const t = W[b + k];
            W[b + k] = s * W[a + k] + c * t;
            W[a + k] = c * W[a + k] - s * t;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] = d[l] + f;
    e[l] = 0;
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      const a = i * n;
      const b = k * n;
      for (let j = 0; j < n; j++) {
        p = W[a + j];
        W[a + j] = W[b + j];
        W[b + j] = p;
      }
    }
  }
}

/**
 * In place: W (n × n, row-major) holds a symmetric matrix (transposed, which is the same) on
 * entry and its eigenvectors as rows on exit (row k for `d[k]`); d receives the eigenvalues,
 * ascending; e is scratch of n values. The TypeScript twin of `symmetricEigen` in
 * `assembly/pca.ts`.
 */
export function symmetricEigenInPlace(W: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  if (n < 1) return;
  tred2(n, e, d, W);
  tql2(n, e, d, W);
}

/**
 * Eigenvalues (ascending) and eigenvectors of the symmetric n × n matrix A (row-major; only
 * symmetry is assumed, not checked). Returns `values` and `vectors`, n × n row-major with
 * eigenvector k in ROW k (the eigenvector of `values[k]`). A is not modified.
 */
export function symmetricEigenRaw(
  A: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  const W = new Float64Array(n * n);
  // W = Aᵀ (ml-matrix's transposed storage of V), the same as A when A is symmetric.
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) W[j * n + i] = A[i * n + j];
  const d = new Float64Array(n);
  symmetricEigenInPlace(W, d, new Float64Array(n), n);
  return { values: d, vectors: W };
}
