// The row loops of PCA (column sums, centring, the cross-product XᵀX, projections on the axes),
// compiled to WebAssembly (SIMD) by scripts/build-wasm.mjs. V8 compiles WebAssembly to machine code
// before the first call, so a first fit in a fresh process runs at full speed, and SIMD does two
// multiply-adds per instruction.
//
// src/models/decomposition/pca-kernels.ts holds the TypeScript twin of every exported function; the
// tests hold the two to the same bits. Every sum is taken over the rows (or the features) in order:
// the two lanes of a vector always hold two different sums (two columns, two entries of XᵀX, two
// components), never two halves of one.
//
// Everything works on byte offsets into one memory that the TypeScript side lays out; nothing here
// allocates. x is a block of rows (rows × d f64, row-major) copied there by the TypeScript side.

export { centerRows } from './_rows';

/** End of the module's static data: the TypeScript side lays its arrays out above it. */
export function heapBase(): usize {
  return __heap_base;
}

// @ts-ignore: decorator
@inline
function at(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

/**
 * 1 when every one of the `count` values at x is finite, else 0: x·0 is 0 for a finite x and NaN
 * otherwise, and a NaN, once added in, stays.
 */
export function allFinite(x: usize, count: i32): i32 {
  let acc = f64x2.splat(0);
  const zero = f64x2.splat(0);
  let i = 0;
  for (; i + 1 < count; i += 2) acc = f64x2.add(acc, f64x2.mul(v128.load(at(x, i)), zero));
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (i < count) s += load<f64>(at(x, i)) * 0;
  return <i32>(s == s);
}

/** out[j] += Σ_i x[i, j], rows in order (lanes = columns). */
export function addColumnSums(x: usize, rows: i32, d: i32, out: usize): void {
  const row = <usize>d << 3;
  const d2 = d & ~1;
  for (let i = 0; i < rows; i++) {
    const xo = x + <usize>i * row;
    let f = 0;
    for (; f < d2; f += 2) v128.store(at(out, f), f64x2.add(v128.load(at(out, f)), v128.load(at(xo, f))));
    if (f < d) store<f64>(at(out, f), load<f64>(at(out, f)) + load<f64>(at(xo, f)));
  }
}

/**
 * B[a, b] += Σ_i x[i, a]·x[i, b] for every b ≥ a (B: d × d, row-major), rows in order. Tiles of
 * 4 × 4 entries stay in registers while the rows stream past (eight vectors: four a's, two pairs
 * of b's); the entries left over at the right and bottom edges are done one at a time. Inside the
 * tiles on the diagonal a few entries below it (b < a) are accumulated too; they mean nothing.
 */
export function addCrossProduct(x: usize, rows: i32, d: i32, B: usize): void {
  const row = <usize>d << 3;
  const d4 = d & ~3;
  for (let a0 = 0; a0 < d4; a0 += 4) {
    let b0 = a0;
    for (; b0 + 4 <= d; b0 += 4) {
      const p0 = B + (<usize>(a0 * d + b0) << 3);
      const p1 = p0 + row;
      const p2 = p1 + row;
      const p3 = p2 + row;
      let s00 = v128.load(p0);
      let s01 = v128.load(p0, 16);
      let s10 = v128.load(p1);
      let s11 = v128.load(p1, 16);
      let s20 = v128.load(p2);
      let s21 = v128.load(p2, 16);
      let s30 = v128.load(p3);
      let s31 = v128.load(p3, 16);
      let xa = at(x, a0);
      let xb = at(x, b0);
      for (let i = 0; i < rows; i++) {
        const v0 = v128.load(xb);
        const v1 = v128.load(xb, 16);
        const u0 = v128.load64_splat(xa);
        const u1 = v128.load64_splat(xa, 8);
        const u2 = v128.load64_splat(xa, 16);
        const u3 = v128.load64_splat(xa, 24);
        s00 = f64x2.add(s00, f64x2.mul(u0, v0));
        s01 = f64x2.add(s01, f64x2.mul(u0, v1));
        s10 = f64x2.add(s10, f64x2.mul(u1, v0));
        s11 = f64x2.add(s11, f64x2.mul(u1, v1));
        s20 = f64x2.add(s20, f64x2.mul(u2, v0));
        s21 = f64x2.add(s21, f64x2.mul(u2, v1));
        s30 = f64x2.add(s30, f64x2.mul(u3, v0));
        s31 = f64x2.add(s31, f64x2.mul(u3, v1));
        xa += row;
        xb += row;
      }
      v128.store(p0, s00);
      v128.store(p0, s01, 16);
      v128.store(p1, s10);
      v128.store(p1, s11, 16);
      v128.store(p2, s20);
      v128.store(p2, s21, 16);
      v128.store(p3, s30);
      v128.store(p3, s31, 16);
    }
    // Right edge: columns b0 .. d − 1 of rows a0 .. a0 + 3 (all above the diagonal).
    for (let a = a0; a < a0 + 4; a++) for (let b = b0; b < d; b++) crossEntry(x, rows, d, a, b, B);
  }
  // Bottom edge: the last d mod 4 rows of B.
  for (let a = d4; a < d; a++) for (let b = a; b < d; b++) crossEntry(x, rows, d, a, b, B);
}

/** One entry of addCrossProduct. */
// @ts-ignore: decorator
@inline
function crossEntry(x: usize, rows: i32, d: i32, a: i32, b: i32, B: usize): void {
  const row = <usize>d << 3;
  const p = B + (<usize>(a * d + b) << 3);
  let s = load<f64>(p);
  let xa = at(x, a);
  let xb = at(x, b);
  for (let i = 0; i < rows; i++) {
    s += load<f64>(xa) * load<f64>(xb);
    xa += row;
    xb += row;
  }
  store<f64>(p, s);
}

/**
 * out[i, c] = (Σ_j x[i, j]·V[j, c]) · scale[c] for c < kc (out: rows × kc; V: d × kp, kp = kc
 * rounded up to even, the padding column zero), each sum over the features in order (lanes =
 * components). Two rows and eight components at a time.
 */
export function project(x: usize, rows: i32, d: i32, V: usize, kp: i32, kc: i32, scale: usize, out: usize): void {
  const row = <usize>d << 3;
  const vrow = <usize>kp << 3;
  const orow = <usize>kc << 3;
  let i = 0;
  for (; i + 1 < rows; i += 2) {
    const x0 = x + <usize>i * row;
    const x1 = x0 + row;
    const o0 = out + <usize>i * orow;
    const o1 = o0 + orow;
    let c = 0;
    for (; c + 8 <= kc; c += 8) {
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let b0 = f64x2.splat(0);
      let b1 = f64x2.splat(0);
      let b2 = f64x2.splat(0);
      let b3 = f64x2.splat(0);
      let v = at(V, c);
      for (let j = 0; j < d; j++) {
        const u = v128.load64_splat(at(x0, j));
        const w = v128.load64_splat(at(x1, j));
        const v0 = v128.load(v);
        const v1 = v128.load(v, 16);
        const v2 = v128.load(v, 32);
        const v3 = v128.load(v, 48);
        a0 = f64x2.add(a0, f64x2.mul(u, v0));
        a1 = f64x2.add(a1, f64x2.mul(u, v1));
        a2 = f64x2.add(a2, f64x2.mul(u, v2));
        a3 = f64x2.add(a3, f64x2.mul(u, v3));
        b0 = f64x2.add(b0, f64x2.mul(w, v0));
        b1 = f64x2.add(b1, f64x2.mul(w, v1));
        b2 = f64x2.add(b2, f64x2.mul(w, v2));
        b3 = f64x2.add(b3, f64x2.mul(w, v3));
        v += vrow;
      }
      const sc = at(scale, c);
      const q0 = v128.load(sc);
      const q1 = v128.load(sc, 16);
      const q2 = v128.load(sc, 32);
      const q3 = v128.load(sc, 48);
      const p0 = at(o0, c);
      v128.store(p0, f64x2.mul(a0, q0));
      v128.store(p0, f64x2.mul(a1, q1), 16);
      v128.store(p0, f64x2.mul(a2, q2), 32);
      v128.store(p0, f64x2.mul(a3, q3), 48);
      const p1 = at(o1, c);
      v128.store(p1, f64x2.mul(b0, q0));
      v128.store(p1, f64x2.mul(b1, q1), 16);
      v128.store(p1, f64x2.mul(b2, q2), 32);
      v128.store(p1, f64x2.mul(b3, q3), 48);
    }
    for (; c < kc; c += 2) {
      let a0 = f64x2.splat(0);
      let b0 = f64x2.splat(0);
      let v = at(V, c);
      for (let j = 0; j < d; j++) {
        const v0 = v128.load(v);
        a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(at(x0, j)), v0));
        b0 = f64x2.add(b0, f64x2.mul(v128.load64_splat(at(x1, j)), v0));
        v += vrow;
      }
      const q = v128.load(at(scale, c));
      storePair(at(o0, c), f64x2.mul(a0, q), c + 1 < kc);
      storePair(at(o1, c), f64x2.mul(b0, q), c + 1 < kc);
    }
  }
  if (i < rows) {
    const x0 = x + <usize>i * row;
    const o0 = out + <usize>i * orow;
    for (let c = 0; c < kc; c += 2) {
      let a0 = f64x2.splat(0);
      let v = at(V, c);
      for (let j = 0; j < d; j++) {
        a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(at(x0, j)), v128.load(v)));
        v += vrow;
      }
      storePair(at(o0, c), f64x2.mul(a0, v128.load(at(scale, c))), c + 1 < kc);
    }
  }
}

/** Stores both lanes, or only the first when the second is the padding component. */
// @ts-ignore: decorator
@inline
function storePair(p: usize, v: v128, both: bool): void {
  if (both) v128.store(p, v);
  else store<f64>(p, f64x2.extract_lane(v, 0));
}

/**
 * Per component c of the projections u (rows × kc): sq[c] += Σ_i u[i, c]² (rows in order), and
 * the projection of largest magnitude (the first on ties) in maxAbs[c] (its magnitude) and
 * signAt[c] (its value).
 */
export function projectionStats(u: usize, rows: i32, kc: i32, sq: usize, maxAbs: usize, signAt: usize): void {
  const urow = <usize>kc << 3;
  for (let i = 0; i < rows; i++) {
    const uo = u + <usize>i * urow;
    for (let c = 0; c < kc; c++) {
      const s = load<f64>(at(uo, c));
      store<f64>(at(sq, c), load<f64>(at(sq, c)) + s * s);
      const a = abs<f64>(s);
      if (a > load<f64>(at(maxAbs, c))) {
        store<f64>(at(maxAbs, c), a);
        store<f64>(at(signAt, c), s);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Symmetric eigendecomposition: tred2 + tql2 (JAMA / EISPACK), the loops of
// src/models/decomposition/symmetric-eigen.ts operation for operation. W (n × n) holds the matrix
// transposed on entry and the eigenvectors as rows on exit; d the eigenvalues (ascending); e is
// scratch (n values).

// @ts-ignore: decorator
@inline
function ld(p: usize, i: i32): f64 {
  return load<f64>(at(p, i));
}

// @ts-ignore: decorator
@inline
function st(p: usize, i: i32, v: f64): void {
  store<f64>(at(p, i), v);
}

function hypotenuse(a: f64, b: f64): f64 {
  if (abs<f64>(a) > abs<f64>(b)) {
    const r = b / a;
    return abs<f64>(a) * Math.sqrt(1 + r * r);
  }
  if (b != 0) {
    const r = a / b;
    return abs<f64>(b) * Math.sqrt(1 + r * r);
  }
  return 0;
}

function tred2(n: i32, e: usize, d: usize, W: usize): void {
  for (let j = 0; j < n; j++) st(d, j, ld(W, j * n + n - 1));
  for (let i = n - 1; i > 0; i--) {
    let scale: f64 = 0;
    let h: f64 = 0;
    for (let k = 0; k < i; k++) scale = scale + abs<f64>(ld(d, k));
    if (scale == 0) {
      st(e, i, ld(d, i - 1));
      for (let j = 0; j < i; j++) {
        st(d, j, ld(W, j * n + i - 1));
        st(W, j * n + i, 0);
        st(W, i * n + j, 0);
      }
    } else {
      for (let k = 0; k < i; k++) {
        const v = ld(d, k) / scale;
        st(d, k, v);
        h += v * v;
      }
      let f = ld(d, i - 1);
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      st(e, i, scale * g);
      h = h - f * g;
      st(d, i - 1, f - g);
      for (let j = 0; j < i; j++) st(e, j, 0);
      for (let j = 0; j < i; j++) {
        f = ld(d, j);
        st(W, i * n + j, f);
        const r = j * n;
        g = ld(e, j) + ld(W, r + j) * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const w = ld(W, r + k);
          g += w * ld(d, k);
          st(e, k, ld(e, k) + w * f);
        }
        st(e, j, g);
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        const v = ld(e, j) / h;
        st(e, j, v);
        f += v * ld(d, j);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) st(e, j, ld(e, j) - hh * ld(d, j));
      for (let j = 0; j < i; j++) {
        f = ld(d, j);
        g = ld(e, j);
        const r = j * n;
        for (let k = j; k <= i - 1; k++) st(W, r + k, ld(W, r + k) - (f * ld(e, k) + g * ld(d, k)));
        st(d, j, ld(W, r + i - 1));
        st(W, r + i, 0);
      }
    }
    st(d, i, h);
  }
  for (let i = 0; i < n - 1; i++) {
    st(W, i * n + n - 1, ld(W, i * n + i));
    st(W, i * n + i, 1);
    const h = ld(d, i + 1);
    const r1 = (i + 1) * n;
    if (h != 0) {
      for (let k = 0; k <= i; k++) st(d, k, ld(W, r1 + k) / h);
      for (let j = 0; j <= i; j++) {
        let g: f64 = 0;
        const r = j * n;
        for (let k = 0; k <= i; k++) g += ld(W, r1 + k) * ld(W, r + k);
        for (let k = 0; k <= i; k++) st(W, r + k, ld(W, r + k) - g * ld(d, k));
      }
    }
    for (let k = 0; k <= i; k++) st(W, r1 + k, 0);
  }
  for (let j = 0; j < n; j++) {
    st(d, j, ld(W, j * n + n - 1));
    st(W, j * n + n - 1, 0);
  }
  st(W, (n - 1) * n + n - 1, 1);
  st(e, 0, 0);
}

/** Rows a and b of W (n values each): b ← s·a + c·b, a ← c·a − s·b (every entry on its own). */
// @ts-ignore: decorator
@inline
function rotateRows(W: usize, a: i32, b: i32, n: i32, c: f64, s: f64): void {
  const pa = at(W, a * n);
  const pb = at(W, b * n);
  const cv = f64x2.splat(c);
  const sv = f64x2.splat(s);
  const n2 = n & ~1;
  let k = 0;
  for (; k < n2; k += 2) {
    const o = <usize>k << 3;
    const t = v128.load(pb + o);
    const u = v128.load(pa + o);
    v128.store(pb + o, f64x2.add(f64x2.mul(sv, u), f64x2.mul(cv, t)));
    v128.store(pa + o, f64x2.sub(f64x2.mul(cv, u), f64x2.mul(sv, t)));
  }
  if (k < n) {
    const t = ld(pb, k);
    const u = ld(pa, k);
    st(pb, k, s * u + c * t);
    st(pa, k, c * u - s * t);
  }
}

function tql2(n: i32, e: usize, d: usize, W: usize): void {
  for (let i = 1; i < n; i++) st(e, i - 1, ld(e, i));
  st(e, n - 1, 0);
  let f: f64 = 0;
  let tst1: f64 = 0;
  const eps = f64.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = max<f64>(tst1, abs<f64>(ld(d, l)) + abs<f64>(ld(e, l)));
    let m = l;
    while (m < n) {
      if (abs<f64>(ld(e, m)) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      do {
        let g = ld(d, l);
        let p = (ld(d, l + 1) - g) / (2 * ld(e, l));
        let r = hypotenuse(p, 1);
        if (p < 0) r = -r;
        st(d, l, ld(e, l) / (p + r));
        st(d, l + 1, ld(e, l) * (p + r));
        const dl1 = ld(d, l + 1);
        let h = g - ld(d, l);
        for (let i = l + 2; i < n; i++) st(d, i, ld(d, i) - h);
        f = f + h;
        p = ld(d, m);
        let c: f64 = 1;
        let c2 = c;
        let c3 = c;
        const el1 = ld(e, l + 1);
        let s: f64 = 0;
        let s2: f64 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = ld(e, i);
          g = c * ei;
          h = c * p;
          r = hypotenuse(p, ei);
          st(e, i + 1, s * r);
          s = ei / r;
          c = p / r;
          const di = ld(d, i);
          p = c * di - s * g;
          st(d, i + 1, h + s * (c * g + s * di));
          rotateRows(W, i, i + 1, n, c, s);
        }
        p = (-s * s2 * c3 * el1 * ld(e, l)) / dl1;
        st(e, l, s * p);
        st(d, l, c * p);
      } while (abs<f64>(ld(e, l)) > eps * tst1);
    }
    st(d, l, ld(d, l) + f);
    st(e, l, 0);
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = ld(d, i);
    for (let j = i + 1; j < n; j++) {
      if (ld(d, j) < p) {
        k = j;
        p = ld(d, j);
      }
    }
    if (k != i) {
      st(d, k, ld(d, i));
      st(d, i, p);
      for (let j = 0; j < n; j++) {
        const t = ld(W, i * n + j);
        st(W, i * n + j, ld(W, k * n + j));
        st(W, k * n + j, t);
      }
    }
  }
}

/**
 * Eigenvalues (ascending, into d) and eigenvectors (rows of W) of the symmetric n × n matrix that
 * W holds (transposed, which is the same); e is n values of scratch.
 */
export function symmetricEigen(W: usize, d: usize, e: usize, n: i32): void {
  tred2(n, e, d, W);
  tql2(n, e, d, W);
}
