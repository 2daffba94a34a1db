/**
 * Stable argsort of float64 keys, the one sort the curve metrics (ROC, precision–recall, average
 * precision, AUC) are built on.
 *
 * Large inputs use an LSD radix sort on the IEEE-754 bit patterns (four 16-bit digit passes,
 * skipping a pass when every key has the same digit), carrying the key words and the row index
 * through each pass so every pass reads sequentially. It is stable, like NumPy's
 * `argsort(kind="mergesort")`, which is what lets a curve built by walking the result backwards
 * visit tied scores in exactly scikit-learn's order (and so accumulate weights with the same
 * rounding). `-0` sorts as `0`; keys must hold no `NaN` (the callers reject them first).
 *
 * @module
 */

/** Below this size a comparison sort is as fast and needs no scratch buffers. */
const SMALL = 1024;
const RADIX = 1 << 16;

/**
 * The permutation that sorts `keys` ascending, stably (equal keys keep their index order).
 *
 * @param keys - the values to order; not modified. Must not contain `NaN`.
 * @returns `idx` with `keys[idx[0]] ≤ keys[idx[1]] ≤ …`.
 */
export function argsortStable(keys: ArrayLike<number>): Int32Array {
  const n = keys.length;
  if (n < SMALL) {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => keys[a] - keys[b] || a - b);
    return Int32Array.from(idx);
  }
  return radixArgsort(keys);
}

/**
 * LSD radix argsort. Keys become order-preserving unsigned 64-bit integers (flip every bit of a
 * negative number, only the sign bit of a non-negative one) held as two 32-bit words. Hand-inlined
 * hot loops: this is the cost of every ROC/PR curve on a large table.
 */
function radixArgsort(keys: ArrayLike<number>): Int32Array {
  const n = keys.length;
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = keys[i];
    f[i] = v === 0 ? 0 : v; // -0 → +0
  }
  const words = new Uint32Array(f.buffer);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  let idx = new Int32Array(n);
  const hist = new Int32Array(4 * RADIX);
  for (let i = 0; i < n; i++) {
    let l = words[2 * i];
    let h = words[2 * i + 1];
    if (h & 0x80000000) {
      l = ~l >>> 0;
      h = ~h >>> 0;
    } else {
      h = (h | 0x80000000) >>> 0;
    }
    lo[i] = l;
    hi[i] = h;
    idx[i] = i;
    hist[l & 0xffff]++;
    hist[RADIX + (l >>> 16)]++;
    hist[2 * RADIX + (h & 0xffff)]++;
    hist[3 * RADIX + (h >>> 16)]++;
  }
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  let idx2 = new Int32Array(n);
  for (let d = 0; d < 4; d++) {
    const off = d * RADIX;
    const shift = (d & 1) * 16;
    const src = d < 2 ? lo : hi;
    if (hist[off + ((src[0] >>> shift) & 0xffff)] === n) continue; // every key has this digit
    let sum = 0;
    for (let k = off; k < off + RADIX; k++) {
      const c = hist[k];
      hist[k] = sum;
      sum += c;
    }
    if (d < 2) {
      // The low word is still needed by the next pass: carry all three arrays.
      for (let i = 0; i < n; i++) {
        const l = lo[i];
        const pos = hist[off + ((l >>> shift) & 0xffff)]++;
        lo2[pos] = l;
        hi2[pos] = hi[i];
        idx2[pos] = idx[i];
      }
      let t = lo;
      lo = lo2;
      lo2 = t;
      t = hi;
      hi = hi2;
      hi2 = t;
    } else {
      for (let i = 0; i < n; i++) {
        const h = hi[i];
        const pos = hist[off + ((h >>> shift) & 0xffff)]++;
        hi2[pos] = h;
        idx2[pos] = idx[i];
      }
      const t = hi;
      hi = hi2;
      hi2 = t;
    }
    const ti = idx;
    idx = idx2;
    idx2 = ti;
  }
  return idx;
}
