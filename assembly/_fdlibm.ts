// fdlibm's functions as V8 runs them (src/base/ieee754.cc), shared by the modules whose TypeScript
// twins call Math.exp / Math.log (or, for the tree kernel, ports of them), so that both give the
// same bits. Not compiled on its own (the leading underscore): each module includes what it uses.

// __ieee754_exp, including V8's special case at exactly 1.

// @ts-ignore: decorator
@inline
export function fdlibmExp(x: f64): f64 {
  const ln2HI: f64 = 6.93147180369123816490e-1;
  const ln2LO: f64 = 1.90821492927058770002e-10;
  const invln2: f64 = 1.44269504088896338700e0;
  const P1: f64 = 1.66666666666666019037e-1;
  const P2: f64 = -2.77777777770155933842e-3;
  const P3: f64 = 6.61375632143793436117e-5;
  const P4: f64 = -1.65339022054652515390e-6;
  const P5: f64 = 4.13813679705723846039e-8;
  const bits = reinterpret<u64>(x);
  let hx = <u32>(bits >> 32);
  const xsb = <i32>(hx >> 31);
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | <u32>bits) != 0) return x + x;
      return xsb == 0 ? x : 0.0;
    }
    if (x > 7.09782712893383973096e2) return Infinity;
    if (x < -7.45133219101941108420e2) return 0.0;
  }
  let hi: f64 = 0;
  let lo: f64 = 0;
  let k: i32 = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      // V8 special-cases exp(1) (the reduction below gets its last bit wrong).
      if (x == 1.0) return 2.718281828459045;
      hi = xsb == 0 ? x - ln2HI : x + ln2HI;
      lo = xsb == 0 ? ln2LO : -ln2LO;
      k = 1 - xsb - xsb;
    } else {
      k = <i32>(invln2 * x + (xsb == 0 ? 0.5 : -0.5));
      const t = <f64>k;
      hi = x - t * ln2HI;
      lo = t * ln2LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1.0 + x;
  } else k = 0;
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  const yb = reinterpret<u64>(y);
  if (k >= -1021) return reinterpret<f64>(yb + (<u64>(<i64>k) << 52));
  return reinterpret<f64>(yb + (<u64>(<i64>(k + 1000)) << 52)) * 9.33263618503218878990e-302;
}

// fdlibm's __ieee754_log and FreeBSD's log2 (e_log2.c with k_log1p), as V8 11 (Node 20) runs them
// for Math.log and Math.log2 (src/base/ieee754.cc): the logistic loss (log of the softmax sum)
// and the tree kernel's entropy criterion. Negative arguments give NaN, as there.

// @ts-ignore: decorator
@inline
function highWord(x: f64): i32 {
  return <i32>(reinterpret<u64>(x) >> 32);
}

// @ts-ignore: decorator
@inline
function withHighWord(x: f64, hi: i32): f64 {
  return reinterpret<f64>((reinterpret<u64>(x) & 0xffffffff) | (<u64>(<u32>hi) << 32));
}

// @ts-ignore: decorator
@inline
export function fdlibmLog(x: f64): f64 {
  const ln2_hi: f64 = 6.93147180369123816490e-1;
  const ln2_lo: f64 = 1.90821492927058770002e-10;
  const two54: f64 = 1.80143985094819840000e16;
  const Lg1: f64 = 6.666666666666735130e-1;
  const Lg2: f64 = 3.999999999940941908e-1;
  const Lg3: f64 = 2.857142874366239149e-1;
  const Lg4: f64 = 2.222219843214978396e-1;
  const Lg5: f64 = 1.818357216161805012e-1;
  const Lg6: f64 = 1.531383769920937332e-1;
  const Lg7: f64 = 1.479819860511658591e-1;
  let hx = highWord(x);
  const lx = <u32>reinterpret<u64>(x);
  let k: i32 = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) == 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= two54;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000));
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f == 0) {
      if (k == 0) return 0;
      const dk = <f64>k;
      return dk * ln2_hi + dk * ln2_lo;
    }
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - R;
    const dk = <f64>k;
    return dk * ln2_hi - ((R - dk * ln2_lo) - f);
  }
  const s = f / (2.0 + f);
  const dk = <f64>k;
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + R));
    return dk * ln2_hi - ((hfsq - (s * (hfsq + R) + dk * ln2_lo)) - f);
  }
  if (k == 0) return f - s * (f - R);
  return dk * ln2_hi - ((s * (f - R) - dk * ln2_lo) - f);
}

export function fdlibmLog2(x: f64): f64 {
  const two54: f64 = 1.80143985094819840000e16;
  const ivln2hi: f64 = 1.44269504072144627571e0;
  const ivln2lo: f64 = 1.67517131648865118353e-10;
  const Lg1: f64 = 6.666666666666735130e-1;
  const Lg2: f64 = 3.999999999940941908e-1;
  const Lg3: f64 = 2.857142874366239149e-1;
  const Lg4: f64 = 2.222219843214978396e-1;
  const Lg5: f64 = 1.818357216161805012e-1;
  const Lg6: f64 = 1.531383769920937332e-1;
  const Lg7: f64 = 1.479819860511658591e-1;
  let hx = highWord(x);
  const lx = <u32>reinterpret<u64>(x);
  let k: i32 = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) == 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= two54;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  if (hx == 0x3ff00000 && lx == 0) return 0;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000));
  k += i >> 20;
  const y = <f64>k;
  const f = x - 1.0;
  const hfsq = 0.5 * f * f;
  // k_log1p(f)
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  const R = t2 + t1;
  const r = s * (hfsq + R);
  let hi = f - hfsq;
  hi = reinterpret<f64>(reinterpret<u64>(hi) & 0xffffffff00000000);
  const lo = f - hi - hfsq + r;
  let valHi = hi * ivln2hi;
  let valLo = (lo + hi) * ivln2lo + lo * ivln2hi;
  const ww = y + valHi;
  valLo += y - ww + valHi;
  valHi = ww;
  return valLo + valHi;
}
