/**
 * The small ordering primitives behind scikit-learn's neighbour searches, ported so that Lathe
 * breaks ties exactly as scikit-learn 1.2 does:
 *
 * - {@link heapPush}: the fixed-size max-heap of (distance, index) of `sklearn.utils._heap`. A
 *   candidate is rejected when its distance is ≥ the current k-th (so among equal distances the
 *   one pushed first stays);
 * - {@link simultaneousSort}: the median-of-three quicksort of `sklearn.utils._sorting` that sorts
 *   the heap's distances and indices together (not stable: the order of tied distances follows
 *   from the heap layout, as in scikit-learn);
 * - {@link nthElement}: libstdc++'s `std::nth_element` (introselect), which scikit-learn's KD-tree
 *   uses with an index tie-breaking comparator to partition its nodes — so the tree, and the order
 *   in which a query meets tied points, are the same.
 *
 * @module
 */

/**
 * Pushes (val, idx) into the max-heap stored in `values[o .. o+size)` / `indices[o .. o+size)`
 * (scikit-learn's `heap_push`).
 */
export function heapPush(
  values: Float64Array,
  indices: Int32Array,
  o: number,
  size: number,
  val: number,
  idx: number,
): void {
  if (val >= values[o]) return;
  values[o] = val;
  indices[o] = idx;
  let current = 0;
  for (;;) {
    const left = 2 * current + 1;
    const right = left + 1;
    let swap: number;
    if (left >= size) break;
    if (right >= size) {
      if (values[o + left] > val) swap = left;
      else break;
    } else if (values[o + left] >= values[o + right]) {
      if (val < values[o + left]) swap = left;
      else break;
    } else if (val < values[o + right]) swap = right;
    else break;
    values[o + current] = values[o + swap];
    indices[o + current] = indices[o + swap];
    current = swap;
  }
  values[o + current] = val;
  indices[o + current] = idx;
}

function dualSwap(v: Float64Array, ix: Int32Array, a: number, b: number): void {
  const t = v[a];
  v[a] = v[b];
  v[b] = t;
  const u = ix[a];
  ix[a] = ix[b];
  ix[b] = u;
}

/** Sorts `values[o .. o+size)` ascending, applying the same swaps to `indices` (scikit-learn's `simultaneous_sort`). */
export function simultaneousSort(values: Float64Array, indices: Int32Array, o: number, size: number): void {
  if (size <= 1) return;
  if (size === 2) {
    if (values[o] > values[o + 1]) dualSwap(values, indices, o, o + 1);
    return;
  }
  if (size === 3) {
    if (values[o] > values[o + 1]) dualSwap(values, indices, o, o + 1);
    if (values[o + 1] > values[o + 2]) {
      dualSwap(values, indices, o + 1, o + 2);
      if (values[o] > values[o + 1]) dualSwap(values, indices, o, o + 1);
    }
    return;
  }
  // Median of three: smallest to the front, the pivot to the end, the largest to the middle.
  let pivotIdx = size >> 1;
  const last = o + size - 1;
  if (values[o] > values[last]) dualSwap(values, indices, o, last);
  if (values[last] > values[o + pivotIdx]) {
    dualSwap(values, indices, last, o + pivotIdx);
    if (values[o] > values[last]) dualSwap(values, indices, o, last);
  }
  const pivot = values[last];
  let store = 0;
  for (let i = 0; i < size - 1; i++) {
    if (values[o + i] < pivot) {
      dualSwap(values, indices, o + i, o + store);
      store++;
    }
  }
  dualSwap(values, indices, o + store, last);
  pivotIdx = store;
  if (pivotIdx > 1) simultaneousSort(values, indices, o, pivotIdx);
  if (pivotIdx + 2 < size) simultaneousSort(values, indices, o + pivotIdx + 1, size - pivotIdx - 1);
}

/** A strict weak order on the elements of an index array. */
export type Less = (a: number, b: number) => boolean;

/**
 * Rearranges `arr[first .. last)` so that the element at `nth` is the one a full sort would put
 * there, smaller ones before and larger ones after — libstdc++'s `std::nth_element` step for step
 * (introselect: median-of-three quickselect, heap-select past the depth limit, insertion sort
 * for the last ≤ 3 elements), so the resulting order is the same as in a C++ build.
 */
export function nthElement(arr: Int32Array, first: number, nth: number, last: number, less: Less): void {
  if (first === last || nth === last) return;
  introselect(arr, first, nth, last, 2 * (31 - Math.clz32(last - first)), less);
}

function swapAt(a: Int32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function introselect(
  a: Int32Array,
  first: number,
  nth: number,
  last: number,
  depthLimit: number,
  less: Less,
): void {
  while (last - first > 3) {
    if (depthLimit === 0) {
      heapSelect(a, first, nth + 1, last, less);
      swapAt(a, first, nth);
      return;
    }
    depthLimit--;
    const cut = unguardedPartitionPivot(a, first, last, less);
    if (cut <= nth) first = cut;
    else last = cut;
  }
  insertionSort(a, first, last, less);
}

function moveMedianToFirst(a: Int32Array, result: number, x: number, y: number, z: number, less: Less): void {
  if (less(a[x], a[y])) {
    if (less(a[y], a[z])) swapAt(a, result, y);
    else if (less(a[x], a[z])) swapAt(a, result, z);
    else swapAt(a, result, x);
  } else if (less(a[x], a[z])) swapAt(a, result, x);
  else if (less(a[y], a[z])) swapAt(a, result, z);
  else swapAt(a, result, y);
}

function unguardedPartition(a: Int32Array, first: number, last: number, pivot: number, less: Less): number {
  for (;;) {
    while (less(a[first], a[pivot])) first++;
    last--;
    while (less(a[pivot], a[last])) last--;
    if (!(first < last)) return first;
    swapAt(a, first, last);
    first++;
  }
}

function unguardedPartitionPivot(a: Int32Array, first: number, last: number, less: Less): number {
  const mid = first + ((last - first) >> 1);
  moveMedianToFirst(a, first, first + 1, mid, last - 1, less);
  return unguardedPartition(a, first + 1, last, first, less);
}

function insertionSort(a: Int32Array, first: number, last: number, less: Less): void {
  if (first === last) return;
  for (let i = first + 1; i !== last; i++) {
    const val = a[i];
    if (less(val, a[first])) {
      for (let k = i; k > first; k--) a[k] = a[k - 1];
      a[first] = val;
    } else {
      let hole = i;
      let next = i - 1;
      while (less(val, a[next])) {
        a[hole] = a[next];
        hole = next;
        next--;
      }
      a[hole] = val;
    }
  }
}

// libstdc++'s heap algorithms, used by heapSelect (only past the introselect depth limit).

function pushHeap(a: Int32Array, first: number, hole: number, top: number, value: number, less: Less): void {
  let parent = (hole - 1) >> 1;
  while (hole > top && less(a[first + parent], value)) {
    a[first + hole] = a[first + parent];
    hole = parent;
    parent = (hole - 1) >> 1;
  }
  a[first + hole] = value;
}

function adjustHeap(
  a: Int32Array,
  first: number,
  hole: number,
  len: number,
  value: number,
  less: Less,
): void {
  const top = hole;
  let child = hole;
  while (child < (len - 1) >> 1) {
    child = 2 * (child + 1);
    if (less(a[first + child], a[first + child - 1])) child--;
    a[first + hole] = a[first + child];
    hole = child;
  }
  if ((len & 1) === 0 && child === (len - 2) >> 1) {
    child = 2 * (child + 1);
    a[first + hole] = a[first + child - 1];
    hole = child - 1;
  }
  pushHeap(a, first, hole, top, value, less);
}

function makeHeap(a: Int32Array, first: number, last: number, less: Less): void {
  const len = last - first;
  if (len < 2) return;
  let parent = (len - 2) >> 1;
  for (;;) {
    adjustHeap(a, first, parent, len, a[first + parent], less);
    if (parent === 0) return;
    parent--;
  }
}

function heapSelect(a: Int32Array, first: number, middle: number, last: number, less: Less): void {
  makeHeap(a, first, middle, less);
  for (let i = middle; i < last; i++) {
    if (less(a[i], a[first])) {
      // __pop_heap(first, middle, i): the top goes to i, the old a[i] sifts down from the top.
      const value = a[i];
      a[i] = a[first];
      adjustHeap(a, first, 0, middle - first, value, less);
    }
  }
}
