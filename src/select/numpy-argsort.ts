/**
 * `np.argsort(values)` with NumPy 1.24's default `kind="quicksort"` for integer keys, order of
 * equal keys included. That sort is an introsort — median-of-three quicksort down to partitions
 * of at most 16 entries, which get an insertion sort, with a heapsort fallback past a depth of
 * 2·⌊log2 n⌋ — so it is not stable beyond 16 entries, and scikit-learn's results that depend on
 * the order of ties (GroupKFold's equally sized groups) follow it. Internal to the splitters.
 *
 * @module
 */

/** Partitions of at most `SMALL + 1` entries are insertion-sorted. */
const SMALL = 15;

/** The permutation `np.argsort(keys)` (default kind) returns for integer (or any totally ordered) keys. */
export function numpyArgsort(keys: ArrayLike<number>): Int32Array {
  const n = keys.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  if (n < 2) return idx;
  const v = keys;
  const swap = (a: number, b: number): void => {
    const t = idx[a];
    idx[a] = idx[b];
    idx[b] = t;
  };
  // Explicit stack of [left, right, depth] (NumPy pushes the larger partition, loops on the smaller).
  const stack: number[] = [];
  let pl = 0;
  let pr = n - 1;
  let depth = 2 * msb(n);
  for (;;) {
    if (depth < 0) {
      heapArgsort(v, idx, pl, pr - pl + 1);
    } else {
      while (pr - pl > SMALL) {
        const pm = pl + ((pr - pl) >> 1);
        if (v[idx[pm]] < v[idx[pl]]) swap(pm, pl);
        if (v[idx[pr]] < v[idx[pm]]) swap(pr, pm);
        if (v[idx[pm]] < v[idx[pl]]) swap(pm, pl);
        const pivot = v[idx[pm]];
        let pi = pl;
        let pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do pi++;
          while (v[idx[pi]] < pivot);
          do pj--;
          while (pivot < v[idx[pj]]);
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        depth--;
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr, depth);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1, depth);
          pl = pi + 1;
        }
      }
      for (let i = pl + 1; i <= pr; i++) {
        const vi = idx[i];
        const key = v[vi];
        let j = i;
        while (j > pl && key < v[idx[j - 1]]) {
          idx[j] = idx[j - 1];
          j--;
        }
        idx[j] = vi;
      }
    }
    if (stack.length === 0) break;
    depth = stack.pop()!;
    pr = stack.pop()!;
    pl = stack.pop()!;
  }
  return idx;
}

/** Index of the highest set bit of `n` ≥ 1 (NumPy's `npy_get_msb`). */
function msb(n: number): number {
  let d = 0;
  while (n > 1) {
    n = Math.floor(n / 2);
    d++;
  }
  return d;
}

/** NumPy's `aheapsort` of `idx[start .. start + count)` by `v` (1-based heap indexing). */
function heapArgsort(v: ArrayLike<number>, idx: Int32Array, start: number, count: number): void {
  const a = (i: number): number => idx[start + i - 1];
  const set = (i: number, x: number): void => {
    idx[start + i - 1] = x;
  };
  let n = count;
  const siftDown = (l: number, tmp: number): void => {
    let i = l;
    let j = l << 1;
    while (j <= n) {
      if (j < n && v[a(j)] < v[a(j + 1)]) j++;
      if (v[tmp] < v[a(j)]) {
        set(i, a(j));
        i = j;
        j += j;
      } else break;
    }
    set(i, tmp);
  };
  for (let l = n >> 1; l > 0; l--) siftDown(l, a(l));
  while (n > 1) {
    const tmp = a(n);
    set(n, a(1));
    n--;
    siftDown(1, tmp);
  }
}
