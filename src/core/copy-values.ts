/**
 * Plain copies between typed arrays when either side is shared memory (a `SharedArrayBuffer` or a
 * shared WebAssembly memory, such as the kernels' memories and the worker pool's arenas).
 *
 * `TypedArray.prototype.set` copies into or out of shared memory with V8's relaxed-atomic copy,
 * which is about half the speed of `memcpy` (measured on the development VM: 160 MB from an
 * ordinary array took ~24 ms into a shared WebAssembly memory, ~10 ms into an ordinary array), and
 * the row loops of k-means and PCA copy every row into their kernel memory and often their outputs
 * back out. Node's `Buffer.prototype.fill` with a buffer as long as the range is a plain `memcpy`
 * whatever the memory. Nothing is lost by not copying atomically: shared memory is only written by
 * one thread at a time here, and handed to another thread after a sequentially consistent store.
 *
 * @module
 */

/**
 * Copies `count` values of `src` from index `from` to `dst` at index `to` (arrays of the same
 * element type, not overlapping).
 */
export function copyValues<T extends Float64Array | Int32Array>(
  dst: T,
  to: number,
  src: T,
  from: number,
  count: number,
): void {
  if (count <= 0) return;
  const B = dst.BYTES_PER_ELEMENT;
  if (from < 0 || to < 0 || from + count > src.length || to + count > dst.length) {
    throw new RangeError(
      `copyValues: ${count} values from ${from} (of ${src.length}) to ${to} (of ${dst.length}) are out of range`,
    );
  }
  const s = Buffer.from(src.buffer, src.byteOffset + from * B, count * B);
  Buffer.from(dst.buffer, dst.byteOffset + to * B, count * B).fill(s);
}
