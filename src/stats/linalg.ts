/**
 * The dense linear algebra behind OLS and logistic regression: Householder QR with column
 * pivoting (LAPACK's `dgeqp3`/`dlaqp2` strategy: partial column norms downdated), triangular
 * solves and inverses, and the singular values of a small square matrix by one-sided Jacobi
 * rotations (accurate to high relative precision, used for the condition number and the rank).
 *
 * Matrices are column-major `Float64Array`s: element (i, j) of an n×p matrix is `a[j * n + i]`,
 * so each Householder step works on contiguous columns.
 *
 * @module
 */

/** A pivoted QR factorisation A·P = Q·R of an n×p matrix (n ≥ p). */
export interface PivotedQR {
  n: number;
  p: number;
  /** The factored matrix, column-major: R on and above the diagonal, the Householder vectors below. */
  qr: Float64Array;
  /** The Householder scalars. */
  tau: Float64Array;
  /** `perm[k]` = the original index of the column in position k. */
  perm: Int32Array;
}

/** Householder QR with column pivoting (largest remaining column norm first). Does not modify `a`. */
export function pivotedQR(a: Float64Array, n: number, p: number, pivot = true): PivotedQR {
  const qr = a.slice();
  const tau = new Float64Array(p);
  const perm = new Int32Array(p);
  for (let j = 0; j < p; j++) perm[j] = j;
  const kmax = Math.min(n, p);
  // Partial column norms, downdated after each step and recomputed when cancellation threatens
  // them (LAPACK dlaqp2), so pivoting costs O(p) per step instead of a pass over the rows.
  const vn1 = new Float64Array(p);
  const vn2 = new Float64Array(p);
  if (pivot) {
    for (let j = 0; j < p; j++) {
      vn1[j] = columnNorm(qr, j * n, 0, n);
      vn2[j] = vn1[j];
    }
  }
  const tol3z = Math.sqrt(Number.EPSILON);
  for (let k = 0; k < kmax; k++) {
    if (pivot) {
      let best = k;
      for (let j = k + 1; j < p; j++) if (vn1[j] > vn1[best]) best = j;
      if (best !== k) {
        const ok = k * n;
        const ob = best * n;
        for (let i = 0; i < n; i++) {
          const t = qr[ok + i];
          qr[ok + i] = qr[ob + i];
          qr[ob + i] = t;
        }
        const t = perm[k];
        perm[k] = perm[best];
        perm[best] = t;
        vn1[best] = vn1[k];
        vn2[best] = vn2[k];
      }
    }
    // Householder vector for column k, rows k … n−1 (LAPACK dlarfg, with scaling against overflow).
    const off = k * n;
    const xnorm = columnNorm(qr, off, k + 1, n);
    const alpha = qr[off + k];
    if (xnorm === 0) {
      tau[k] = 0;
      continue;
    }
    const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
    tau[k] = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    for (let i = k + 1; i < n; i++) qr[off + i] *= inv;
    qr[off + k] = beta;
    // Apply H = I − τ v vᵀ (v₀ = 1) to the remaining columns.
    for (let j = k + 1; j < p; j++) {
      const oj = j * n;
      let s = qr[oj + k];
      for (let i = k + 1; i < n; i++) s += qr[off + i] * qr[oj + i];
      s *= tau[k];
      qr[oj + k] -= s;
      for (let i = k + 1; i < n; i++) qr[oj + i] -= s * qr[off + i];
    }
    if (pivot) {
      for (let j = k + 1; j < p; j++) {
        if (vn1[j] === 0) continue;
        let t = Math.abs(qr[j * n + k]) / vn1[j];
        t = Math.max(0, (1 + t) * (1 - t));
        const t2 = t * (vn1[j] / vn2[j]) ** 2;
        if (t2 <= tol3z) {
          vn1[j] = columnNorm(qr, j * n, k + 1, n);
          vn2[j] = vn1[j];
        } else vn1[j] *= Math.sqrt(t);
      }
    }
  }
  return { n, p, qr, tau, perm };
}

/** Euclidean norm of rows from … to−1 of the column starting at `off`, scaled against overflow. */
function columnNorm(a: Float64Array, off: number, from: number, to: number): number {
  let scale = 0;
  for (let i = from; i < to; i++) scale = Math.max(scale, Math.abs(a[off + i]));
  if (scale === 0) return 0;
  let s = 0;
  for (let i = from; i < to; i++) {
    const v = a[off + i] / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}

/** Qᵀ·b for a vector b of length n (in place). */
export function applyQt(f: PivotedQR, b: Float64Array): Float64Array {
  const { n, qr, tau } = f;
  const kmax = Math.min(n, f.p);
  for (let k = 0; k < kmax; k++) {
    if (tau[k] === 0) continue;
    const off = k * n;
    let s = b[k];
    for (let i = k + 1; i < n; i++) s += qr[off + i] * b[i];
    s *= tau[k];
    b[k] -= s;
    for (let i = k + 1; i < n; i++) b[i] -= s * qr[off + i];
  }
  return b;
}

/** Q·b for a vector b of length n (in place). */
export function applyQ(f: PivotedQR, b: Float64Array): Float64Array {
  const { n, qr, tau } = f;
  for (let k = Math.min(n, f.p) - 1; k >= 0; k--) {
    if (tau[k] === 0) continue;
    const off = k * n;
    let s = b[k];
    for (let i = k + 1; i < n; i++) s += qr[off + i] * b[i];
    s *= tau[k];
    b[k] -= s;
    for (let i = k + 1; i < n; i++) b[i] -= s * qr[off + i];
  }
  return b;
}

/** The leading r×r block of R, as a dense column-major r×r matrix. */
export function upperR(f: PivotedQR, r = f.p): Float64Array {
  const out = new Float64Array(r * r);
  for (let j = 0; j < r; j++) for (let i = 0; i <= j; i++) out[j * r + i] = f.qr[j * f.n + i];
  return out;
}

/** Solves the upper-triangular system R x = b (R r×r column-major), in place on b. */
export function solveUpper(R: Float64Array, r: number, b: Float64Array): Float64Array {
  for (let i = r - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < r; j++) s -= R[j * r + i] * b[j];
    b[i] = s / R[i * r + i];
  }
  return b;
}

/** The inverse of an upper-triangular r×r matrix (column-major), itself upper triangular. */
export function invertUpper(R: Float64Array, r: number): Float64Array {
  const inv = new Float64Array(r * r);
  for (let j = 0; j < r; j++) {
    const e = new Float64Array(r);
    e[j] = 1;
    solveUpper(R, r, e);
    inv.set(e, j * r);
  }
  return inv;
}

/**
 * The first `r` columns of Q (n×r, column-major): the orthonormal basis of the column space.
 */
export function thinQ(f: PivotedQR, r = Math.min(f.n, f.p)): Float64Array {
  const { n } = f;
  const out = new Float64Array(n * r);
  for (let j = 0; j < r; j++) {
    const col = new Float64Array(n);
    col[j] = 1;
    applyQ(f, col);
    out.set(col, j * n);
  }
  return out;
}

/**
 * Singular values (descending) of a square r×r column-major matrix by one-sided Jacobi
 * rotations; high relative accuracy, fine for the small matrices (R factors) used here.
 */
export function singularValues(A: Float64Array, r: number): Float64Array {
  const a = A.slice();
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < r - 1; p++) {
      for (let q = p + 1; q < r; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        const op = p * r;
        const oq = q * r;
        for (let i = 0; i < r; i++) {
          alpha += a[op + i] * a[op + i];
          beta += a[oq + i] * a[oq + i];
          gamma += a[op + i] * a[oq + i];
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        off = Math.max(off, Math.abs(gamma) / Math.sqrt(alpha * beta));
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < r; i++) {
          const x = a[op + i];
          const y = a[oq + i];
          a[op + i] = c * x - s * y;
          a[oq + i] = s * x + c * y;
        }
      }
    }
    if (off <= 1e-15) break;
  }
  const sv = new Float64Array(r);
  for (let j = 0; j < r; j++) {
    let s = 0;
    for (let i = 0; i < r; i++) s += a[j * r + i] * a[j * r + i];
    sv[j] = Math.sqrt(s);
  }
  return sv.sort().reverse();
}

/**
 * Numerical rank from singular values, NumPy's `matrix_rank` rule: σᵢ > σ_max · max(n, p) · ε.
 */
export function numericalRank(sv: Float64Array, n: number, p: number): number {
  const tol = (sv[0] ?? 0) * Math.max(n, p) * Number.EPSILON;
  let r = 0;
  for (const s of sv) if (s > tol) r++;
  return r;
}
