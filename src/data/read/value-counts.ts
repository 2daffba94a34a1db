/**
 * The distinct values of a sample column and how often each occurs, keyed by their UTF-8 bytes:
 * what type sniffing needs, without a string per value. A value's text is decoded only when a
 * check needs it (a number that is not a plain decimal, a boolean or date candidate), once per
 * distinct value.
 *
 * @module
 */

import { hashBytes } from './byte-dictionary.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function slotOf(h: number, mask: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h & mask;
}

/** Distinct byte strings with their counts, in order of first appearance. */
export class ValueCounts {
  /** Number of values added (with repeats). */
  total = 0;
  private slots = new Int32Array(256);
  private mask = 255;
  private hashes = new Int32Array(64);
  private offs = new Int32Array(64);
  private lens = new Int32Array(64);
  private counts = new Float64Array(64);
  private texts: (string | undefined)[] = [];
  private entries = 0;
  /** The bytes of every distinct value, end to end. */
  arena = new Uint8Array(4096);
  private used = 0;

  /** Number of distinct values. */
  get size(): number {
    return this.entries;
  }

  /** How often distinct value `k` occurs. */
  count(k: number): number {
    return this.counts[k];
  }

  /** Where distinct value `k`'s bytes start in {@link ValueCounts.arena}. */
  start(k: number): number {
    return this.offs[k];
  }

  /** Where distinct value `k`'s bytes end in {@link ValueCounts.arena}. */
  end(k: number): number {
    return this.offs[k] + this.lens[k];
  }

  /** Distinct value `k` as a string. */
  value(k: number): string {
    let s = this.texts[k];
    if (s === undefined) {
      s = decoder.decode(this.arena.subarray(this.offs[k], this.offs[k] + this.lens[k]));
      this.texts[k] = s;
    }
    return s;
  }

  /** Every distinct value as a string, in order of first appearance. */
  values(): string[] {
    return Array.from({ length: this.entries }, (_, k) => this.value(k));
  }

  /** Counts the value with UTF-8 bytes `b[a, e)`. */
  addBytes(b: Uint8Array, a: number, e: number): void {
    this.addHashed(b, a, e, hashBytes(b, a, e));
  }

  /** {@link ValueCounts.addBytes} given the bytes' hash (`hashBytes`). */
  addHashed(b: Uint8Array, a: number, e: number, h: number): void {
    const len = e - a;
    let s = slotOf(h, this.mask);
    for (;;) {
      const x = this.slots[s];
      if (x === 0) break;
      const k = x - 1;
      if (this.hashes[k] === h && this.lens[k] === len) {
        const o = this.offs[k];
        let i = 0;
        while (i < len && this.arena[o + i] === b[a + i]) i++;
        if (i === len) {
          this.counts[k]++;
          this.total++;
          return;
        }
      }
      s = (s + 1) & this.mask;
    }
    this.insert(b, a, e, h, undefined);
  }

  /** Counts the string `value`. */
  addString(value: string): void {
    const bytes = encoder.encode(value);
    const before = this.entries;
    this.addBytes(bytes, 0, bytes.length);
    if (this.entries > before) this.texts[before] = value;
  }

  private insert(b: Uint8Array, a: number, e: number, h: number, text: string | undefined): void {
    const len = e - a;
    if (this.entries === this.hashes.length) {
      const n = this.hashes.length * 2;
      const hashes = new Int32Array(n);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const offs = new Int32Array(n);
      offs.set(this.offs);
      this.offs = offs;
      const lens = new Int32Array(n);
      lens.set(this.lens);
      this.lens = lens;
      const counts = new Float64Array(n);
      counts.set(this.counts);
      this.counts = counts;
    }
    if (this.used + len > this.arena.length) {
      let size = this.arena.length * 2;
      while (size < this.used + len) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.arena.subarray(0, this.used));
      this.arena = grown;
    }
    // A byte loop: values are short, and a Buffer's subarray costs more than the copy.
    const arena = this.arena;
    const o = this.used;
    for (let i = 0; i < len; i++) arena[o + i] = b[a + i];
    const k = this.entries++;
    this.hashes[k] = h;
    this.offs[k] = o;
    this.lens[k] = len;
    this.counts[k] = 1;
    this.texts[k] = text;
    this.used += len;
    this.total++;
    if (2 * this.entries > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2);
      this.mask = this.slots.length - 1;
      for (let x = 0; x < this.entries; x++) this.place(x);
    } else this.place(k);
  }

  private place(k: number): void {
    let s = slotOf(this.hashes[k], this.mask);
    while (this.slots[s] !== 0) s = (s + 1) & this.mask;
    this.slots[s] = k + 1;
  }
}
