/**
 * Space-filling designs over the unit cube, for the start-up trials of a sampler:
 *
 * - {@link SobolSequence}: Sobol' low-discrepancy points (Joe–Kuo direction numbers, 30 bits, Gray
 *   code order — SciPy's `scipy.stats.qmc.Sobol`), optionally scrambled by a random linear matrix
 *   scramble plus a digital shift (Matoušek's scramble, as SciPy's `scramble=True`). Unscrambled,
 *   point i is bit-identical to SciPy's; scrambled, the points keep the net structure (every
 *   2^m consecutive points from index 0 put one point in each of 2^m equal slices of every axis)
 *   while each point is uniformly distributed — an unbiased, seeded design.
 * - {@link latinHypercube}: n points with exactly one point in each of n equal slices of every
 *   axis, uniform within the slice.
 *
 * Both draw their randomness from a {@link Rng}, so a design is reproducible for a seed.
 *
 * @module
 */

import { show, ValidationError } from '../core/errors.ts';
import type { Rng } from '../core/rng.ts';
import { SOBOL_DIRECTIONS, SOBOL_MAX_DIM } from './sobol-directions.ts';

/** Binary digits per coordinate (SciPy's default `bits`). */
const BITS = 30;
/** 2^-30: the value of the lowest digit. */
const SCALE = 1 / 2 ** BITS;
/** The largest index a 30-bit sequence can reach (exclusive). */
const MAX_INDEX = 2 ** BITS;

/** Options of {@link SobolSequence}. */
export interface SobolOptions {
  /**
   * Scramble the sequence (default true) with random bits from `rng`: a random lower-triangular
   * binary matrix applied to each dimension's digits, then a random digital shift.
   */
  scramble?: boolean;
  /** The generator of the scramble (needed when `scramble` is true). */
  rng?: Rng;
}

/** The unscrambled direction numbers of dimensions 0..dim−1, as 30-bit integers (dim × BITS). */
function directionNumbers(dim: number): Uint32Array {
  const v = new Uint32Array(dim * BITS);
  for (let j = 0; j < BITS; j++) v[j] = 1;
  for (let d = 1; d < dim; d++) {
    const nums = SOBOL_DIRECTIONS[d].split(' ').map(Number);
    const p = nums[0];
    const m = 31 - Math.clz32(p); // the polynomial's degree
    const row = d * BITS;
    for (let j = 0; j < m; j++) v[row + j] = nums[1 + j];
    // Bratley & Fox's recurrence: m_j = m_{j−s} ⊕ 2^s m_{j−s} ⊕ Σ_k a_k 2^k m_{j−k}.
    for (let j = m; j < BITS; j++) {
      let nv = v[row + j - m];
      let pow2 = 1;
      for (let k = 0; k < m; k++) {
        pow2 *= 2;
        if ((p >>> (m - 1 - k)) & 1) nv ^= pow2 * v[row + j - k - 1];
      }
      v[row + j] = nv >>> 0;
    }
  }
  // Scale column j by 2^(BITS−1−j): direction number j becomes the digits below 2^−(j+1).
  for (let d = 0; d < dim; d++) for (let j = 0; j < BITS; j++) v[d * BITS + j] *= 2 ** (BITS - 1 - j);
  return v;
}

/** The parity of the set bits of a 32-bit integer. */
function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/** A Sobol' sequence in `dim` dimensions (1 ≤ dim ≤ 256). */
export class SobolSequence {
  /** The number of coordinates of each point. */
  readonly dim: number;
  /** Whether the sequence is scrambled. */
  readonly scrambled: boolean;
  /** Direction numbers (dim × 30), scrambled if the sequence is. */
  private readonly v: Uint32Array;
  /** The digital shift per dimension (0 unscrambled). */
  private readonly shift: Uint32Array;

  constructor(dim: number, options: SobolOptions = {}) {
    if (!Number.isInteger(dim) || dim < 1 || dim > SOBOL_MAX_DIM) {
      throw new ValidationError(
        `SobolSequence: dim must be an integer in [1, ${SOBOL_MAX_DIM}]; got ${show(dim)}.`,
        { field: 'dim', fix: `use at most ${SOBOL_MAX_DIM} dimensions` },
      );
    }
    this.dim = dim;
    this.scrambled = options.scramble ?? true;
    this.v = directionNumbers(dim);
    this.shift = new Uint32Array(dim);
    if (!this.scrambled) return;
    const rng = options.rng;
    if (!rng) {
      throw new ValidationError('SobolSequence: a scrambled sequence needs an rng.', {
        field: 'rng',
        fix: 'pass { rng: new Rng(seed) }, or scramble: false',
      });
    }
    const mask = MAX_INDEX - 1;
    for (let d = 0; d < dim; d++) {
      // Row p of the lower-triangular matrix acts on digits 0..p (digit 0 = the most significant):
      // its own digit (the diagonal, always 1) and random ones above it.
      const rows = new Uint32Array(BITS);
      for (let p = 0; p < BITS; p++) {
        const own = 2 ** (BITS - 1 - p);
        const above = (mask ^ (2 * own - 1)) >>> 0;
        rows[p] = (own | (rng.nextUint32() & above)) >>> 0;
      }
      for (let j = 0; j < BITS; j++) {
        const x = this.v[d * BITS + j];
        let out = 0;
        for (let p = 0; p < BITS; p++) if (parity(rows[p] & x)) out |= 2 ** (BITS - 1 - p);
        this.v[d * BITS + j] = out >>> 0;
      }
      this.shift[d] = rng.nextUint32() & mask;
    }
  }

  /**
   * Point `index` (0, 1, 2, … — any order, no state) of the sequence: `dim` coordinates in [0, 1),
   * written to `out` if given.
   */
  point(index: number, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    if (!Number.isInteger(index) || index < 0 || index >= MAX_INDEX) {
      throw new ValidationError(
        `SobolSequence.point: index must be an integer in [0, 2^${BITS}); got ${show(index)}.`,
        { field: 'index' },
      );
    }
    // Gray-code order: point i is the XOR of the direction numbers of the set bits of i ⊕ (i >> 1).
    const gray = (index ^ (index >>> 1)) >>> 0;
    for (let d = 0; d < this.dim; d++) {
      let x = this.shift[d];
      const row = d * BITS;
      for (let j = 0, g = gray; g !== 0; j++, g >>>= 1) if (g & 1) x ^= this.v[row + j];
      out[d] = (x >>> 0) * SCALE;
    }
    return out;
  }
}

/**
 * A Latin hypercube design of `n` points in `dim` dimensions (row-major n × dim): in every
 * dimension, point i lies in slice π(i) of n equal slices, π a random permutation, uniformly
 * within its slice.
 */
export function latinHypercube(n: number, dim: number, rng: Rng): Float64Array {
  for (const [name, v] of [
    ['n', n],
    ['dim', dim],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new ValidationError(`latinHypercube: ${name} must be an integer ≥ 1; got ${show(v)}.`, {
        field: name,
      });
    }
  }
  const out = new Float64Array(n * dim);
  for (let d = 0; d < dim; d++) {
    const perm = rng.permutation(n);
    for (let i = 0; i < n; i++) out[i * dim + d] = (perm[i] + rng.random()) / n;
  }
  return out;
}
