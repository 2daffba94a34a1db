// fdlibm's __ieee754_exp as V8 runs it (src/base/ieee754.cc, including V8's special case at
// exactly 1), shared by the modules whose TypeScript twins call Math.exp, so that both give the
// same bits. Not compiled on its own (the leading underscore): each module inlines it.

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
