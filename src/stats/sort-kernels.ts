/**
 * The sorts behind the data-quality profile: the non-missing values of a column, sorted into a
 * caller's buffer (optionally with the row each came from), without a separate copy pass and
 * without allocating.
 *
 * **Method.** An LSD radix sort on a *linear* key `⌊(v − min)·scale⌋` of 2×`b` bits (`b` = 11
 * for a million values, fewer for small arrays): the key is monotone in `v` (a subtraction and a
 * multiplication by a positive constant, rounded to nearest, never reverse an order), so two
 * counting passes leave the values ordered up to ties of the key, and an insertion sweep
 * finishes them. Data spread evenly enough (most measured columns) thus costs a min/max pass, a
 * histogram pass, two scatter passes and one sweep; the first scatter pass reads the source
 * column itself and skips its `NaN`s. Data whose bulk the linear key cannot separate — heavy
 * tails, a far-off sentinel, infinite values — is recognised on a probe of ~1,000 evenly spaced
 * values and sorted on the IEEE-754 bits of its high word instead (three 11-bit digits, constant
 * digits skipped), or, when many values share even those (timestamps in milliseconds), by
 * {@link sortFloat64}'s full 64-bit sort; a sweep that still finds too much to do hands over to
 * that full sort as well.
 *
 * Any route gives the same result: the values in ascending order, `-0` as `0` (a sort has one
 * answer; only the order of equal values' rows may differ).
 *
 * @module
 */

import { sortFloat64, sortFloat64WithIndex } from './quantile.ts';

/** Below this many values the built-in sort is as fast and needs no histograms. */
const SMALL = 1024;

/** Histograms of the linear key (two digits of up to 11 bits) and of the high-word bits (three). */
const HIST = new Int32Array(3 * 2048);

/** Digit width of the linear key for `m` values: 2×b key bits give ≥ 4 keys per value. */
function linearBits(m: number): number {
  let b = 8;
  while (b < 11 && 1 << (2 * b) < 4 * m) b++;
  return b;
}

/**
 * Sorts the non-`NaN` values of `src` ascending into `out[0, m)` and returns `m`; `-0` becomes
 * `0`. With `rows` (and `tmpRows`), `rows[k]` receives the index in `src` of `out[k]` (the order
 * of equal values' rows is unspecified). `tmp`, `out`, `rows` and `tmpRows` must hold at least
 * as many elements as `src` has non-missing values and must not overlap `src` or each other.
 *
 * @example
 * const out = new Float64Array(4), tmp = new Float64Array(4);
 * const m = sortPresentInto(Float64Array.of(3, NaN, -0, 1), out, tmp); // m = 3, out = [0, 1, 3, …]
 */
export function sortPresentInto(
  src: Float64Array,
  out: Float64Array,
  tmp: Float64Array,
  rows: Int32Array | null = null,
  tmpRows: Int32Array | null = null,
): number {
  rangeOf(src);
  const m = RANGE[0];
  const lo = RANGE[1];
  const hi = RANGE[2];
  if (m === 0) return 0;
  if (
    out.length < m ||
    tmp.length < m ||
    (rows !== null && (rows.length < m || tmpRows === null || tmpRows.length < m))
  ) {
    throw new RangeError(`sortPresentInto: buffers hold fewer than the ${m} values to sort`);
  }
  if (lo === hi) {
    // One distinct value: already in order.
    compact(src, out, rows);
    return m;
  }
  if (m < SMALL) {
    compact(src, out, rows);
    if (rows === null) out.subarray(0, m).sort();
    else sortFloat64WithIndex(out.subarray(0, m), rows.subarray(0, m));
    return m;
  }
  const b = linearBits(m);
  const scale = ((1 << (2 * b)) - 1) / (hi - lo);
  const route = chooseRoute(src, lo, scale);
  if (route === LINEAR) linearSort(src, m, lo, scale, b, out, tmp, rows, tmpRows);
  else if (route === BITS) bitsSort(src, m, out, tmp, rows, tmpRows);
  else {
    compact(src, out, rows);
    fullSort(out, tmp, rows, m);
  }
  return m;
}

/** Count, min and max of the non-NaN values (set by {@link rangeOf}). */
const RANGE = new Float64Array(3);

/**
 * Hot loops live in small functions of one loop each: V8 optimises a loop while it runs (on-stack
 * replacement) with no type feedback yet for the code after it, so a function of several loops
 * is deoptimised and recompiled once per loop on its first, long call. For the same reason the
 * module runs this one on empty input when it loads (its stores after the loop).
 */
function rangeOf(src: Float64Array): void {
  const n = src.length;
  let m = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (v === v) {
      m++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  RANGE[0] = m;
  RANGE[1] = lo;
  RANGE[2] = hi;
}

const LINEAR = 0;
const BITS = 1;
const FULL = 2;
const PROBE = new Float64Array(1024);

/**
 * Which key separates these values: on up to 1,024 evenly spaced values, sorted, count the
 * neighbours that differ but share a key (each stands for a run of ~n/1,024 values that the
 * insertion sweep would have to order). The linear key when it leaves almost none, else the
 * high-word bits when they do, else the full 64-bit sort.
 */
function chooseRoute(src: Float64Array, lo: number, scale: number): number {
  const n = src.length;
  const step = Math.max(1, Math.floor(n / PROBE.length));
  let k = 0;
  for (let i = 0; i < n && k < PROBE.length; i += step) {
    const v = src[i];
    if (v === v) PROBE[k++] = v;
  }
  const probe = PROBE.subarray(0, k).sort();
  const limit = k >>> 6;
  const linearOk = Number.isFinite(scale) && scale > 0;
  let linear = linearOk ? 0 : limit + 1;
  let bits = 0;
  const words = new Uint32Array(PROBE.buffer, 0, 2 * k);
  for (let i = 1; i < k; i++) {
    if (probe[i] === probe[i - 1]) continue;
    if (linearOk && (((probe[i] - lo) * scale) | 0) === (((probe[i - 1] - lo) * scale) | 0)) linear++;
    if (words[2 * i + 1] === words[2 * i - 1]) bits++;
  }
  return linear <= limit ? LINEAR : bits <= limit ? BITS : FULL;
}

/** Copies the non-`NaN` values (−0 as 0) to the front of `out`, with their rows. */
function compact(src: Float64Array, out: Float64Array, rows: Int32Array | null): number {
  return rows === null ? compactValues(src, out) : compactRows(src, out, rows);
}

function compactValues(src: Float64Array, out: Float64Array): number {
  const n = src.length;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (v === v) out[k++] = v + 0;
  }
  return k;
}

function compactRows(src: Float64Array, out: Float64Array, rows: Int32Array): number {
  const n = src.length;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (v === v) {
      out[k] = v + 0;
      rows[k++] = i;
    }
  }
  return k;
}

/** Turns counts into start positions; false when one bucket holds everything (the pass is not needed). */
function prefix(h: Int32Array, off: number, radix: number, m: number): boolean {
  let sum = 0;
  let full = false;
  for (let k = off; k < off + radix; k++) {
    const c = h[k];
    if (c === m) full = true;
    h[k] = sum;
    sum += c;
  }
  return !full;
}

/** The linear-key sort (two counting passes, then the insertion sweep). */
function linearSort(
  src: Float64Array,
  m: number,
  lo: number,
  scale: number,
  b: number,
  out: Float64Array,
  tmp: Float64Array,
  rows: Int32Array | null,
  tmpRows: Int32Array | null,
): void {
  const radix = 1 << b;
  const h = HIST;
  h.fill(0, 0, 2 * radix);
  linearHistogram(src, lo, scale, b, h);
  const low = prefix(h, 0, radix, m);
  const high = prefix(h, radix, radix, m);
  // The first pass reads the column (skipping NaN) and writes where the last pass must end: `out`.
  const first = low && high ? tmp : out;
  const off = low ? 0 : radix;
  const shift = low ? 0 : b;
  if (rows === null) linearFirst(src, lo, scale, shift, radix - 1, h, off, first);
  else
    linearFirstRows(
      src,
      lo,
      scale,
      shift,
      radix - 1,
      h,
      off,
      first,
      (low && high ? tmpRows : rows) as Int32Array,
    );
  if (low && high) {
    if (rows === null) linearSecond(tmp, m, lo, scale, b, h, radix, out);
    else linearSecondRows(tmp, tmpRows as Int32Array, m, lo, scale, b, h, radix, out, rows);
  }
  if (!insertionFinish(out, rows, m, 4 * m)) fullSort(out, tmp, rows, m);
}

function linearHistogram(src: Float64Array, lo: number, scale: number, b: number, h: Int32Array): void {
  const n = src.length;
  const radix = 1 << b;
  const mask = radix - 1;
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (v === v) {
      const k = ((v - lo) * scale) | 0;
      h[k & mask]++;
      h[radix + (k >>> b)]++;
    }
  }
}

function linearFirst(
  src: Float64Array,
  lo: number,
  scale: number,
  shift: number,
  mask: number,
  h: Int32Array,
  off: number,
  to: Float64Array,
): void {
  const n = src.length;
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (v === v) to[h[off + (((((v - lo) * scale) | 0) >>> shift) & mask)]++] = v + 0;
  }
}

function linearFirstRows(
  src: Float64Array,
  lo: number,
  scale: number,
  shift: number,
  mask: number,
  h: Int32Array,
  off: number,
  to: Float64Array,
  toRows: Int32Array,
): void {
  const n = src.length;
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (v === v) {
      const t = h[off + (((((v - lo) * scale) | 0) >>> shift) & mask)]++;
      to[t] = v + 0;
      toRows[t] = i;
    }
  }
}

function linearSecond(
  from: Float64Array,
  m: number,
  lo: number,
  scale: number,
  b: number,
  h: Int32Array,
  off: number,
  to: Float64Array,
): void {
  for (let i = 0; i < m; i++) {
    const v = from[i];
    to[h[off + ((((v - lo) * scale) | 0) >>> b)]++] = v;
  }
}

function linearSecondRows(
  from: Float64Array,
  fromRows: Int32Array,
  m: number,
  lo: number,
  scale: number,
  b: number,
  h: Int32Array,
  off: number,
  to: Float64Array,
  toRows: Int32Array,
): void {
  for (let i = 0; i < m; i++) {
    const v = from[i];
    const t = h[off + ((((v - lo) * scale) | 0) >>> b)]++;
    to[t] = v;
    toRows[t] = fromRows[i];
  }
}

/** Monotone unsigned key of a high word: sign bit flipped for non-negatives, all bits for negatives. */
const monotone = (w: number) => (w ^ ((w >> 31) | 0x80000000)) >>> 0;

/**
 * Sort on the high 32 bits of the values (monotone unsigned keys; three digits of 11, 11 and
 * 10 bits, constant ones skipped), then an insertion sweep for values that share them.
 */
function bitsSort(
  src: Float64Array,
  m: number,
  out: Float64Array,
  tmp: Float64Array,
  rows: Int32Array | null,
  tmpRows: Int32Array | null,
): void {
  // Start from a compact copy with -0 as 0, so that every pass reads its keys from the values.
  compact(src, out, rows);
  const h = HIST;
  h.fill(0);
  bitsHistogram(new Uint32Array(out.buffer, out.byteOffset, 2 * m), m, h);
  const passes: number[] = [];
  for (let d = 0; d < 3; d++) if (prefix(h, d * 2048, 2048, m)) passes.push(d);
  let from = out;
  let to = tmp;
  let fromRows = rows;
  let toRows = tmpRows;
  for (const d of passes) {
    const fw = new Uint32Array(from.buffer, from.byteOffset, 2 * m);
    const off = d * 2048;
    const shift = 11 * d;
    if (rows === null) bitsPass(fw, from, m, h, off, shift, to);
    else bitsPassRows(fw, from, fromRows as Int32Array, m, h, off, shift, to, toRows as Int32Array);
    [from, to] = [to, from];
    [fromRows, toRows] = [toRows, fromRows];
  }
  if (from !== out) {
    out.set(from.subarray(0, m));
    if (rows !== null) rows.set((fromRows as Int32Array).subarray(0, m));
  }
  // Negative values came out by ascending magnitude only in their high words' order, which the
  // monotone key already reversed: the order is numeric up to ties of the high word.
  if (!insertionFinish(out, rows, m, 4 * m)) fullSort(out, tmp, rows, m);
}

function bitsHistogram(w: Uint32Array, m: number, h: Int32Array): void {
  for (let i = 0; i < m; i++) {
    const k = monotone(w[2 * i + 1]);
    h[k & 2047]++;
    h[2048 + ((k >>> 11) & 2047)]++;
    h[4096 + (k >>> 22)]++;
  }
}

function bitsPass(
  fw: Uint32Array,
  from: Float64Array,
  m: number,
  h: Int32Array,
  off: number,
  shift: number,
  to: Float64Array,
): void {
  for (let i = 0; i < m; i++) to[h[off + ((monotone(fw[2 * i + 1]) >>> shift) & 2047)]++] = from[i];
}

function bitsPassRows(
  fw: Uint32Array,
  from: Float64Array,
  fromRows: Int32Array,
  m: number,
  h: Int32Array,
  off: number,
  shift: number,
  to: Float64Array,
  toRows: Int32Array,
): void {
  for (let i = 0; i < m; i++) {
    const t = h[off + ((monotone(fw[2 * i + 1]) >>> shift) & 2047)]++;
    to[t] = from[i];
    toRows[t] = fromRows[i];
  }
}

/** The full 64-bit sort of `out[0, m)` (values already compact, no NaN). */
function fullSort(out: Float64Array, tmp: Float64Array, rows: Int32Array | null, m: number): void {
  if (rows === null) sortFloat64(out.subarray(0, m), tmp);
  else sortFloat64WithIndex(out.subarray(0, m), rows.subarray(0, m));
}

/** Insertion sort of a nearly sorted array; false (still a permutation) past `budget` moves. */
function insertionFinish(a: Float64Array, rows: Int32Array | null, m: number, budget: number): boolean {
  return rows === null ? insertionValues(a, m, budget) : insertionRows(a, rows, m, budget);
}

function insertionValues(a: Float64Array, m: number, budget: number): boolean {
  for (let i = 1; i < m; i++) {
    const v = a[i];
    if (a[i - 1] <= v) continue;
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
    budget -= i - j;
    if (budget < 0) return false;
  }
  return true;
}

function insertionRows(a: Float64Array, rows: Int32Array, m: number, budget: number): boolean {
  for (let i = 1; i < m; i++) {
    const v = a[i];
    if (a[i - 1] <= v) continue;
    const r = rows[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      rows[j + 1] = rows[j];
      j--;
    }
    a[j + 1] = v;
    rows[j + 1] = r;
    budget -= i - j;
    if (budget < 0) return false;
  }
  return true;
}

// The loops' trailing code gets type feedback before the first long call (see rangeOf; V8
// allocates feedback vectors lazily, after a few calls).
for (let k = 0; k < 32; k++) {
  rangeOf(new Float64Array(0));
  insertionValues(Float64Array.of(2, 1, 3), 3, 100);
  insertionRows(Float64Array.of(2, 1, 3), Int32Array.of(0, 1, 2), 3, 100);
}
