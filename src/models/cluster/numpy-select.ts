/**
 * NumPy's selection order, where scikit-learn's result depends on it (NumPy's summation order is
 * `core/pairwise-sum.ts`).
 *
 * `argpartition` is NumPy 1.24's `np.argpartition` for one `kth` (its introselect: selection by
 * repeated minimum for kth < 3, median-of-3 quickselect, median-of-medians after 2·⌊log₂ n⌋
 * rounds). Only the element at `kth` is in its sorted place; the order of the others — which
 * rows come out and in what order, ties included — is NumPy's, and scikit-learn's k-means uses
 * that order to re-seed empty clusters (`_relocate_empty_clusters_dense` takes
 * `np.argpartition(distances, -n_empty)[:-n_empty-1:-1]`, which is not the farthest rows in
 * order). Checked against NumPy 1.24.2 on 20 000 arrays with and without ties.
 *
 * @module
 */

/**
 * NumPy 1.24's `np.argpartition(v, kth)` (introselect, default kind): a permutation of
 * 0 … n−1 whose entry `kth` is the index of the kth smallest value, smaller-or-equal values
 * before it and larger-or-equal after it, in NumPy's order.
 */
export function argpartition(v: ArrayLike<number>, kth: number): Int32Array {
  const n = v.length;
  const t = new Int32Array(n);
  for (let i = 0; i < n; i++) t[i] = i;
  if (n > 0) introselect(v, t, 0, n, kth);
  return t;
}

function swap(t: Int32Array, i: number, j: number): void {
  const x = t[i];
  t[i] = t[j];
  t[j] = x;
}

/** Selects the kth of `num` entries of `t` starting at `o` (indices into v). */
function introselect(v: ArrayLike<number>, t: Int32Array, o: number, num: number, kth: number): void {
  let low = 0;
  let high = num - 1;
  if (kth - low < 3) {
    // O(n·kth) selection for very small kth.
    for (let i = 0; i <= kth; i++) {
      let mi = i;
      let mv = v[t[o + i]];
      for (let j = i + 1; j < num; j++) {
        if (v[t[o + j]] < mv) {
          mi = j;
          mv = v[t[o + j]];
        }
      }
      swap(t, o + i, o + mi);
    }
    return;
  }
  if (kth === num - 1) {
    // The maximum, the last of equal maxima.
    let maxIdx = low;
    let maxVal = v[t[o + low]];
    for (let j = low + 1; j < num; j++) {
      if (!(v[t[o + j]] < maxVal)) {
        maxIdx = j;
        maxVal = v[t[o + j]];
      }
    }
    swap(t, o + kth, o + maxIdx);
    return;
  }
  let depth = 2 * (31 - Math.clz32(num));
  while (low + 1 < high) {
    let ll = low + 1;
    let hh = high;
    if (depth > 0 || hh - ll < 5) {
      const mid = low + ((high - low) >> 1);
      // Median of three into `low`, the smallest of the three at low + 1, the largest at high.
      if (v[t[o + high]] < v[t[o + mid]]) swap(t, o + high, o + mid);
      if (v[t[o + high]] < v[t[o + low]]) swap(t, o + high, o + low);
      if (v[t[o + low]] < v[t[o + mid]]) swap(t, o + low, o + mid);
      swap(t, o + mid, o + low + 1);
    } else {
      const mid = ll + medianOfMedians5(v, t, o + ll, hh - ll);
      swap(t, o + mid, o + low);
      ll--;
      hh++;
    }
    depth--;
    const pivot = v[t[o + low]];
    for (;;) {
      do ll++;
      while (v[t[o + ll]] < pivot);
      do hh--;
      while (pivot < v[t[o + hh]]);
      if (hh < ll) break;
      swap(t, o + ll, o + hh);
    }
    swap(t, o + low, o + hh);
    if (hh >= kth) high = hh - 1;
    if (hh <= kth) low = ll;
  }
  if (high === low + 1 && v[t[o + high]] < v[t[o + low]]) swap(t, o + high, o + low);
}

/** Index (relative to o) of the median of five entries, after NumPy's swaps among them. */
function median5(v: ArrayLike<number>, t: Int32Array, o: number): number {
  if (v[t[o + 1]] < v[t[o]]) swap(t, o + 1, o);
  if (v[t[o + 4]] < v[t[o + 3]]) swap(t, o + 4, o + 3);
  if (v[t[o + 3]] < v[t[o]]) swap(t, o + 3, o);
  if (v[t[o + 4]] < v[t[o + 1]]) swap(t, o + 4, o + 1);
  if (v[t[o + 2]] < v[t[o + 1]]) swap(t, o + 2, o + 1);
  if (v[t[o + 3]] < v[t[o + 2]]) return v[t[o + 3]] < v[t[o + 1]] ? 1 : 3;
  return 2;
}

/** NumPy's median-of-medians pivot over `num` entries from o; returns its index relative to o. */
function medianOfMedians5(v: ArrayLike<number>, t: Int32Array, o: number, num: number): number {
  const nmed = Math.floor(num / 5);
  for (let i = 0, sub = 0; i < nmed; i++, sub += 5) {
    const m = median5(v, t, o + sub);
    swap(t, o + sub + m, o + i);
  }
  if (nmed > 2) introselect(v, t, o, nmed, nmed >> 1);
  return nmed >> 1;
}
