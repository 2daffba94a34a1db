/**
 * fdlibm's natural logarithm and FreeBSD's base-2 logarithm (`e_log2.c` with `k_log1p`) — what
 * V8 11 (Node 20) runs for `Math.log` and `Math.log2` — in TypeScript, the twins of the
 * WebAssembly kernels' (`assembly/_fdlibm.ts`). The TypeScript twins of those kernels (the tree
 * grower's entropy criterion, the multinomial logistic loss) use these rather than `Math.log`, so
 * both sides give the same bits on every engine (a later V8 may compute `Math.log` differently),
 * and the same results as before on Node 20.
 *
 * @module
 */

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
/** Index of the high word in `words` (little-endian hosts: 1). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

// fdlibm's constants, written as the shortest decimals that give the same doubles.
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const TWO54 = 18014398509481984;
const LG1 = 0.6666666666666735;
const LG2 = 0.3999999999940942;
const LG3 = 0.2857142874366239;
const LG4 = 0.22222198432149784;
const LG5 = 0.1818357216161805;
const LG6 = 0.15313837699209373;
const LG7 = 0.14798198605116586;
const IVLN2_HI = 1.4426950407214463;
const IVLN2_LO = 1.6751713164886512e-10;

/** The natural logarithm, as fdlibm's `__ieee754_log`. */
export function fdlibmLog(x: number): number {
  bits[0] = x;
  let hx = words[HI] | 0;
  const lx = words[LO];
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return Number.NEGATIVE_INFINITY;
    if (hx < 0) return Number.NaN;
    k -= 54;
    x *= TWO54;
    bits[0] = x;
    hx = words[HI] | 0;
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  words[HI] = hx | (i ^ 0x3ff00000);
  x = bits[0];
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f === 0) {
      if (k === 0) return 0;
      return k * LN2_HI + k * LN2_LO;
    }
    const R = f * f * (0.5 - 0.3333333333333333 * f);
    if (k === 0) return f - R;
    return k * LN2_HI - (R - k * LN2_LO - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + R));
    return k * LN2_HI - (hfsq - (s * (hfsq + R) + k * LN2_LO) - f);
  }
  if (k === 0) return f - s * (f - R);
  return k * LN2_HI - (s * (f - R) - k * LN2_LO - f);
}

/** The base-2 logarithm, as FreeBSD's `log2` (`e_log2.c`). */
export function fdlibmLog2(x: number): number {
  bits[0] = x;
  let hx = words[HI] | 0;
  const lx = words[LO];
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return Number.NEGATIVE_INFINITY;
    if (hx < 0) return Number.NaN;
    k -= 54;
    x *= TWO54;
    bits[0] = x;
    hx = words[HI] | 0;
  }
  if (hx >= 0x7ff00000) return x + x;
  if (hx === 0x3ff00000 && lx === 0) return 0;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  words[HI] = hx | (i ^ 0x3ff00000);
  x = bits[0];
  k += i >> 20;
  const y = k;
  const f = x - 1.0;
  const hfsq = 0.5 * f * f;
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = s * (hfsq + (t2 + t1));
  bits[0] = f - hfsq;
  words[LO] = 0;
  const hi = bits[0];
  const lo = f - hi - hfsq + r;
  let valHi = hi * IVLN2_HI;
  let valLo = (lo + hi) * IVLN2_LO + lo * IVLN2_HI;
  const ww = y + valHi;
  valLo += y - ww + valHi;
  valHi = ww;
  return valLo + valHi;
}
