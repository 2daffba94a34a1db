/**
 * Dictionary encoding of a string column straight from UTF-8 bytes: an open-addressing hash
 * table keyed by the bytes themselves, so a value seen before costs a hash and a compare — no
 * string is created. New values are decoded once and appended to the dictionary (in order of
 * first appearance). Missing-value tokens are remembered as code -1, so `NA` is recognised from
 * its bytes after its first occurrence too.
 *
 * UTF-8 is canonical for valid text (the reader validates every byte), so equal strings have
 * equal bytes and the byte table gives exactly the codes a `Map<string, number>` would.
 *
 * @module
 */

/** The seed of {@link hashBytes}; the CSV reader's fused loops start from it too. */
export const HASH_SEED = 0x811c9dc5 | 0;

/** FNV-1a over `b[a, e)` (the CSV reader computes the same hash inline while it scans a field). */
export function hashBytes(b: Uint8Array, a: number, e: number): number {
  let h = HASH_SEED;
  for (let i = a; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h;
}

/** Slot index from a hash: a finaliser so that similar keys spread over the table. */
function slotOf(h: number, mask: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h & mask;
}

/** Not in the table. */
export const NOT_FOUND = -2;

const encoder = new TextEncoder();

/** Codes for strings given as bytes (or as strings), with the dictionary in order of first appearance. */
export class ByteDictionary {
  /** The distinct non-missing values, in order of first appearance. */
  readonly dictionary: string[] = [];
  private slots: Int32Array; // entry index + 1, 0 = empty
  private mask: number;
  private hashes = new Int32Array(64);
  private offs = new Int32Array(64);
  private lens = new Int32Array(64);
  private codes = new Int32Array(64);
  private entries = 0;
  private arena = new Uint8Array(4096);
  private used = 0;

  constructor() {
    this.slots = new Int32Array(256);
    this.mask = 255;
  }

  /** The code of the bytes `b[a, e)` with hash `h` (see {@link hashBytes}), or {@link NOT_FOUND}. */
  find(b: Uint8Array, a: number, e: number, h: number): number {
    const len = e - a;
    const slots = this.slots;
    const mask = this.mask;
    let s = slotOf(h, mask);
    for (;;) {
      const k = slots[s];
      if (k === 0) return NOT_FOUND;
      const x = k - 1;
      if (this.hashes[x] === h && this.lens[x] === len) {
        const arena = this.arena;
        let o = this.offs[x];
        let i = a;
        while (i < e && arena[o] === b[i]) {
          i++;
          o++;
        }
        if (i === e) return this.codes[x];
      }
      s = (s + 1) & mask;
    }
  }

  /**
   * Records the bytes `b[a, e)` (hash `h`, not in the table) as the string `value`: appended to
   * the dictionary, or as a missing token when `missing` (code -1). Returns the code.
   */
  insert(b: Uint8Array, a: number, e: number, h: number, value: string, missing: boolean): number {
    const code = missing ? -1 : this.dictionary.length;
    if (!missing) this.dictionary.push(value);
    if (this.entries === this.hashes.length) this.growEntries();
    const len = e - a;
    if (this.used + len > this.arena.length) {
      let size = this.arena.length * 2;
      while (size < this.used + len) size *= 2;
      const n = new Uint8Array(size);
      n.set(this.arena.subarray(0, this.used));
      this.arena = n;
    }
    // A byte loop: values are short, and a Buffer's subarray costs more than the copy.
    const arena = this.arena;
    for (let i = 0, o = this.used; i < len; i++) arena[o + i] = b[a + i];
    const x = this.entries++;
    this.hashes[x] = h;
    this.offs[x] = this.used;
    this.lens[x] = len;
    this.codes[x] = code;
    this.used += len;
    if (2 * this.entries > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(x);
    return code;
  }

  /** The code of string `value` (its bytes looked up, inserted if new). */
  codeOf(value: string, missing: boolean): number {
    // ASCII (the usual case): hash and compare the character codes, no encoding.
    let h = HASH_SEED;
    let ascii = true;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (ascii) {
      const k = this.findAscii(value, h);
      if (k !== NOT_FOUND) return k;
    }
    const bytes = encoder.encode(value);
    const hb = hashBytes(bytes, 0, bytes.length);
    const k = ascii ? NOT_FOUND : this.find(bytes, 0, bytes.length, hb);
    return k !== NOT_FOUND ? k : this.insert(bytes, 0, bytes.length, hb, value, missing);
  }

  private findAscii(value: string, h: number): number {
    const len = value.length;
    let s = slotOf(h, this.mask);
    for (;;) {
      const k = this.slots[s];
      if (k === 0) return NOT_FOUND;
      const x = k - 1;
      if (this.hashes[x] === h && this.lens[x] === len) {
        const o = this.offs[x];
        let i = 0;
        while (i < len && this.arena[o + i] === value.charCodeAt(i)) i++;
        if (i === len) return this.codes[x];
      }
      s = (s + 1) & this.mask;
    }
  }

  private place(x: number): void {
    let s = slotOf(this.hashes[x], this.mask);
    while (this.slots[s] !== 0) s = (s + 1) & this.mask;
    this.slots[s] = x + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let x = 0; x < this.entries; x++) this.place(x);
  }

  private growEntries(): void {
    const n = this.hashes.length * 2;
    const grow = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.hashes = grow(this.hashes);
    this.offs = grow(this.offs);
    this.lens = grow(this.lens);
    this.codes = grow(this.codes);
  }
}
