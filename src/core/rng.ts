/**
 * Seeded, splittable pseudo-random numbers.
 *
 * Algorithm: xoshiro128** (Blackman & Vigna, 2018) — 128 bits of state, period 2^128 − 1, four
 * 32-bit words so every operation stays in V8's fast 32-bit integer path (no BigInt). The state is
 * seeded by SplitMix32 (a murmur3-style finaliser over a Weyl sequence), which turns any seed —
 * including 0 and nearby integers — into well-mixed, non-zero state.
 *
 * Splitting: {@link Rng.derive} returns a child generator whose seed is a hash of the parent's
 * *seed* and a key (a number or string), not of its current state. A worker that derives
 * `rng.derive(taskIndex)` therefore gets the same stream whatever the number of workers and
 * whatever order tasks run in — which is what makes parallel results bit-identical to serial ones.
 *
 * Floats: {@link Rng.random} uses 53 random bits (two 32-bit draws), uniform on [0, 1).
 * Integers: {@link Rng.int} is unbiased (rejection sampling). Normals: Marsaglia's polar method.
 *
 * @module
 */

import { ValidationError } from './errors.ts';

const TWO_POW_31 = 2147483648;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** A seed: a non-negative safe integer, or a string (hashed). */
export type Seed = number | string;

/** The serialisable state of an {@link Rng}: enough to resume the exact stream. */
export interface RngState {
  seed: number[];
  s: number[];
  spare: number | null;
}

/** A seeded xoshiro128** generator. Not cryptographically secure. */
export class Rng {
  /** The 4-word seed this generator (or stream) started from; used by {@link Rng.derive}. */
  private readonly seedWords: Uint32Array;
  private readonly s = new Uint32Array(4);
  private spare: number | null = null;

  /** Creates a generator from a seed (default 0: Lathe is reproducible unless told otherwise). */
  constructor(seed: Seed = 0) {
    this.seedWords = seedToWords(seed);
    this.reset();
  }

  private static fromWords(words: Uint32Array): Rng {
    const r = Object.create(Rng.prototype) as Rng;
    (r as unknown as { seedWords: Uint32Array }).seedWords = words;
    (r as unknown as { s: Uint32Array }).s = new Uint32Array(4);
    (r as unknown as { spare: number | null }).spare = null;
    r.reset();
    return r;
  }

  private reset(): void {
    let x = mix32(this.seedWords[0] ^ 0x9e3779b9);
    x = mix32(x ^ this.seedWords[1]);
    x = mix32(x ^ this.seedWords[2]);
    x = mix32(x ^ this.seedWords[3]);
    // SplitMix32 expansion of the mixed seed into four state words.
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) | 0;
      this.s[i] = mix32(x);
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
    this.spare = null;
  }

  /** The next 32 random bits as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform float in [0, 1) with 53 bits of randomness. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / TWO_POW_53;
  }

  /** A uniform float in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.random();
  }

  /** An unbiased integer in [0, n), for 1 ≤ n ≤ 2^32. */
  int(n: number): number {
    if (!(n >= 1 && n <= TWO_POW_32) || !Number.isInteger(n)) {
      throw new ValidationError(`Rng.int(n) needs an integer n in [1, 2^32]; got ${n}.`);
    }
    if (n === 1) return 0;
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /**
   * Fills `out` with unbiased integers in [0, n): the same draws, in the same order, as calling
   * {@link Rng.int}(n) once per element (the generator ends in the same state), with the check
   * and the rejection limit worked out once and the state held in locals — a bootstrap draws
   * millions of row indices.
   */
  fillInts(out: Int32Array, n: number): Int32Array {
    if (!(n >= 1 && n <= TWO_POW_31) || !Number.isInteger(n)) {
      throw new ValidationError(`Rng.fillInts(out, n) needs an integer n in [1, 2^31]; got ${n}.`);
    }
    if (n === 1) return out.fill(0);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    const s = this.s;
    // nextUint32, inlined on int32 locals (the same bits as on the Uint32Array words).
    let s0 = s[0] | 0;
    let s1 = s[1] | 0;
    let s2 = s[2] | 0;
    let s3 = s[3] | 0;
    for (let i = 0; i < out.length; i++) {
      let x: number;
      do {
        const m = Math.imul(s1, 5);
        x = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
        const t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
      } while (x >= limit);
      // x % n without a floating-point remainder: the quotient may be off by one, never more.
      let r = x - Math.floor(x / n) * n;
      if (r < 0) r += n;
      else if (r >= n) r -= n;
      out[i] = r;
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    return out;
  }

  /** An integer in [low, high), both integers. */
  intBetween(low: number, high: number): number {
    return low + this.int(high - low);
  }

  /** A standard-normal draw (mean 0, sd 1) by Marsaglia's polar method, scaled to `mean`, `sd`. */
  normal(mean = 0, sd = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + sd * z;
    }
    let u: number;
    let v: number;
    let q: number;
    do {
      u = 2 * this.random() - 1;
      v = 2 * this.random() - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const f = Math.sqrt((-2 * Math.log(q)) / q);
    this.spare = v * f;
    return mean + sd * u * f;
  }

  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** `k` distinct indices from 0..n-1, in random order (partial Fisher–Yates; O(n) memory). */
  sample(n: number, k: number): Int32Array {
    if (k > n || k < 0) throw new ValidationError(`Rng.sample: cannot take ${k} distinct items from ${n}.`);
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const tmp = p[i];
      p[i] = p[j];
      p[j] = tmp;
    }
    return p.slice(0, k);
  }

  /** `k` indices drawn from 0..n-1 with replacement (a bootstrap sample). */
  choice(n: number, k: number): Int32Array {
    const out = new Int32Array(k);
    for (let i = 0; i < k; i++) out[i] = this.int(n);
    return out;
  }

  /**
   * A child generator that depends only on this generator's seed and `key` — not on how many
   * numbers were drawn. Use one key per task (e.g. the tree index) for thread-count-independent results.
   */
  derive(key: Seed): Rng {
    const k = seedToWords(key);
    const w = new Uint32Array(4);
    for (let i = 0; i < 4; i++) w[i] = mix32(this.seedWords[i] ^ mix32(k[i] + 0x632be5ab * (i + 1)));
    return Rng.fromWords(w);
  }

  /** A new independent seed (a non-negative 31-bit integer) drawn from this stream; advances it. */
  nextSeed(): number {
    return this.nextUint32() >>> 1;
  }

  /**
   * A copy of the four xoshiro128** state words: for a kernel that draws from this stream itself
   * (the WebAssembly tree grower) and hands the state back with {@link Rng.resumeStream}.
   */
  streamWords(): Uint32Array {
    return this.s.slice();
  }

  /** Continues this stream from state words a kernel advanced (see {@link Rng.streamWords}). */
  resumeStream(words: ArrayLike<number>): void {
    for (let i = 0; i < 4; i++) this.s[i] = words[i];
  }

  /** The exact state, to resume the stream later with {@link Rng.fromState}. */
  getState(): RngState {
    return { seed: Array.from(this.seedWords), s: Array.from(this.s), spare: this.spare };
  }

  /** Restores a generator saved with {@link Rng.getState}. */
  static fromState(state: RngState): Rng {
    const r = Rng.fromWords(Uint32Array.from(state.seed));
    r.s.set(state.s);
    r.spare = state.spare;
    return r;
  }
}

/** `seed` if it is already an {@link Rng}, else a new generator seeded with it. */
export function asRng(seed: Seed | Rng | undefined): Rng {
  return seed instanceof Rng ? seed : new Rng(seed ?? 0);
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The murmur3 32-bit finaliser: a bijective avalanche mix. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

function seedToWords(seed: Seed): Uint32Array {
  const w = new Uint32Array(4);
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new ValidationError(`A seed must be a non-negative integer (or a string); got ${seed}.`, {
        field: 'seed',
        fix: 'pass an integer such as --seed 42',
      });
    }
    w[0] = seed >>> 0;
    w[1] = Math.floor(seed / TWO_POW_32) >>> 0;
    w[2] = 0x5eed;
    return w;
  }
  // FNV-1a over UTF-16 code units, four lanes with different offsets.
  for (let lane = 0; lane < 4; lane++) {
    let h = (0x811c9dc5 ^ Math.imul(lane + 1, 0x9e3779b9)) >>> 0;
    for (let i = 0; i < seed.length; i++) {
      h ^= seed.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    w[lane] = mix32(h);
  }
  return w;
}
