/**
 * A fast path for encoding numeric class labels (the common 0/1 or 0..k−1 target of large fits):
 * the same codes and sorted classes as core's `encodeLabels`, without a hash lookup per row.
 * Returns null whenever the input is not a plain array of numbers with few distinct values, so the
 * caller falls back to `encodeLabels` (which also produces the errors for bad labels).
 *
 * @module
 */

import type { EncodedLabels, TargetInput } from '../../core/labels.ts';

const MAX_FAST_CLASSES = 256;

/** Codes and classes of a numeric target, or null to use the general encoder. */
export function encodeNumericLabels(y: TargetInput, n: number): EncodedLabels | null {
  if (typeof (y as { toArray?: unknown }).toArray === 'function') return null;
  const v = y as ArrayLike<unknown>;
  if (v.length !== n) return null;
  const seen: number[] = [];
  const codes = new Int32Array(n);
  // Numeric typed arrays hold numbers only (not DataView or BigInt arrays).
  const typed = ArrayBuffer.isView(v) && !(v instanceof DataView) && typeof v[0] === 'number';
  let last = Number.NaN;
  let lastCode = -1;
  for (let i = 0; i < n; i++) {
    const x = v[i] as number;
    if (x === last) {
      codes[i] = lastCode; // the common case: same label as the previous row
      continue;
    }
    if ((!typed && typeof x !== 'number') || x !== x) return null;
    let code = -1;
    for (let c = 0; c < seen.length; c++) {
      if (seen[c] === x) {
        code = c;
        break;
      }
    }
    if (code < 0) {
      if (seen.length === MAX_FAST_CLASSES) return null;
      code = seen.length;
      seen.push(x);
    }
    codes[i] = code;
    last = x;
    lastCode = code;
  }
  const order = seen.map((_, i) => i).sort((a, b) => seen[a] - seen[b]);
  const remap = new Int32Array(seen.length);
  order.forEach((old, rank) => {
    remap[old] = rank;
  });
  for (let i = 0; i < n; i++) codes[i] = remap[codes[i]];
  return { codes, classes: order.map((i) => seen[i]) };
}
