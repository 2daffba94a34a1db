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

/** x[i, j] −= mean[j], in place. */
export function centerRows(x: usize, rows: i32, d: i32, mean: usize): void {
  const row = <usize>d << 3;
  const d2 = d & ~1;
  for (let i = 0; i < rows; i++) {
    const xo = x + <usize>i * row;
    let f = 0;
    for (; f < d2; f += 2) v128.store(at(xo, f), f64x2.sub(v128.load(at(xo, f)), v128.load(at(mean, f))));
    if (f < d) store<f64>(at(xo, f), load<f64>(at(xo, f)) - load<f64>(at(mean, f)));
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
