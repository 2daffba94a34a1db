// The CSV reader's record kernel, compiled to WebAssembly by scripts/build-wasm.mjs: it reads as
// many plain records as it can from a block of bytes that src/data/read/csv-kernel.ts has copied
// into this instance's memory, and stops at the first record it does not handle, which the
// TypeScript fast path (`fastRecord` in src/data/read/csv-records.ts) or the general path then
// reads exactly as without the kernel.
//
// A record is taken here only when `fastRecord` would take it and give the same values:
// - a field of a numeric column (NUM) or a string column (STR) is read here; a field of any other
//   column (boolean, datetime) is only delimited — unquoted, or quoted without a doubled quote
//   or line break — and its text parsed by the caller, which takes the records before the first
//   whose text does not parse;
// - a numeric field is empty (NaN) or a plain decimal in `fastRecord`'s sense: an optional sign,
//   digits with an optional '.', at least one digit, at most 15 significant digits, an optional
//   exponent (e/E, optional sign, at least one digit, at most 400), then a delimiter or line break,
//   and a value that `fastRecord` computes without falling back: m, m * 10^s or m / 10^-s with
//   |s| <= 22 (or 0 when m = 0). The mantissa is summed here as an integer; it is the same number
//   as the double sum `fastRecord` takes (below 10^15 both are exact), its significant digits are
//   at most 15 exactly when it is below 10^15, and the scaling is the same IEEE multiply or divide
//   by the same power of ten, so the double is the same bit for bit. (More than 19 digits in
//   all, leading zeros included, are left to the TypeScript path, which reads them the same way:
//   the integer could overflow here.) A byte loop: with fields this short, summing the digits
//   eight at a time (SWAR) and indexing delimiters 64 bytes at a time (SIMD) both measured slower;
// - a string field is unquoted (up to the delimiter or line break) or quoted without a doubled
//   quote or line break inside and followed by the delimiter or a line break; its FNV-1a hash is
//   taken as `hashBytes` takes it, and it is looked up in the column's cache of dictionary codes
//   (which the caller fills: a value seen before costs no call back to TypeScript);
// - the record has exactly the columns' fields and ends with `\n`, `\r\n`, or a lone `\r` that
//   is not the last byte of the block, within the block, and is at most `maxRecord` bytes long;
// - it does not start with a line break (a blank line) and starts before `lim`.
//
// Layout (pointers into this memory, set by the caller):
// - inp: the bytes, positions relative to inp; inp[end] is a `\n` sentinel;
// - cols: i32 per column: s < OTHER_SLOT a numeric column writing to output slot s, -(s + 1) a
//   string column writing to string slot s, OTHER_SLOT + s another column writing to slot s;
// - num: f64, numeric slot s of record r at num + 8 (s * stride + r);
// - str: i32 codes, string slot s of record r at str + 4 (s * stride + r): the dictionary code
//   from the cache, -1 for an empty field, MISS when the cache does not have the value;
// - miss: for each MISS, in record order, 5 i32: string slot, record, start, end, hash;
// - dicts: per string slot 4 i32: slots (i32 table: entry + 1, 0 empty), mask, entries (4 i32
//   each: hash, offset of the bytes, length, code), unused;
// - oth: i32 pairs (start, end): the text of other slot s of record r at oth + 8 (s * stride + r);
// - lines: i32 per record, its line (`line` for the first: a record taken here is one line);
// - starts: i32 per record, where it starts;
// - state: i32 [position after the last record taken, why the kernel stopped, MISS entries].

/** End of the module's static data: the TypeScript side lays its buffers out above it. */
export function heapBase(): usize {
  return __heap_base;
}

/** Why {@link records} stopped. */
const STOP_FULL: i32 = 0; // maxRows records taken
const STOP_LIMIT: i32 = 1; // the next record starts at lim or later
const STOP_END: i32 = 2; // the next record runs past the end of the block
const STOP_OTHER: i32 = 3; // the next record is not one the kernel takes

/** A string field whose value is not in the cache. */
const MISS: i32 = -2;

/** Column codes from here up are other columns (boolean, datetime): slot = code - OTHER_SLOT. */
const OTHER_SLOT: i32 = 0x100000;

const POW10: StaticArray<f64> = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

/** MISS entries written by the current call. */
let misses: i32 = 0;

/**
 * Reads records from position p of inp[0, end) into the output blocks (stride records per
 * column), at most maxRows of them, each starting before lim. Returns how many; state[0] is
 * where the next record starts, state[1] why it stopped and state[2] the MISS entries.
 */
export function records(
  inp: usize,
  p: i32,
  end: i32,
  lim: i32,
  nf: i32,
  cols: usize,
  D: u32,
  Q: u32,
  maxRecord: i32,
  maxRows: i32,
  stride: i32,
  num: usize,
  str: usize,
  miss: usize,
  dicts: usize,
  oth: usize,
  lines: usize,
  starts: usize,
  line: i32,
  state: usize,
): i32 {
  let r: i32 = 0;
  let why = STOP_FULL;
  misses = 0;
  while (r < maxRows) {
    if (p >= lim) {
      why = p >= end ? STOP_END : STOP_LIMIT;
      break;
    }
    const before = misses;
    const next = record(inp, p, end, nf, cols, D, Q, maxRecord, <usize>stride, <usize>r, num, str, miss, dicts, oth);
    if (next < 0) {
      misses = before; // the record is not taken: neither are its misses
      why = -next - 1;
      break;
    }
    store<i32>(lines + (<usize>r << 2), line + r); // one line per record
    store<i32>(starts + (<usize>r << 2), p);
    p = next;
    r++;
  }
  store<i32>(state, p);
  store<i32>(state, why, 4);
  store<i32>(state, misses, 8);
  return r;
}

const END: i32 = -STOP_END - 1;
const OTHER: i32 = -STOP_OTHER - 1;

/** A record left to the TypeScript paths at i: END when i is the end of the block (the record may go on after it). */
// @ts-ignore: decorator
@inline
function other(i: i32, end: i32): i32 {
  return i >= end ? END : OTHER;
}

/** The slot of hash h in a table of mask + 1 slots (ByteDictionary's finaliser). */
// @ts-ignore: decorator
@inline
function slotOf(h: u32, mask: u32): u32 {
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  return h & mask;
}

/** The cached code of bytes inp[a, e) (hash h) in the cache at hdr, or MISS. */
// @ts-ignore: decorator
@inline
function lookup(hdr: usize, inp: usize, a: i32, e: i32, h: u32): i32 {
  const slots = <usize>load<u32>(hdr);
  const mask = load<u32>(hdr, 4);
  const entries = <usize>load<u32>(hdr, 8);
  const len = e - a;
  let x = slotOf(h, mask);
  for (;;) {
    const k = load<i32>(slots + (<usize>x << 2));
    if (k == 0) return MISS;
    const ent = entries + (<usize>(k - 1) << 4);
    if (load<u32>(ent) == h && load<i32>(ent, 8) == len) {
      const key = <usize>load<u32>(ent, 4);
      const src = inp + <usize>a;
      let o: i32 = 0;
      let same = true;
      for (; o + 8 <= len; o += 8) {
        if (load<u64>(key + <usize>o) != load<u64>(src + <usize>o)) {
          same = false;
          break;
        }
      }
      if (same && o < len) {
        const bits = <u64>(len - o) << 3;
        same = ((load<u64>(key + <usize>o) ^ load<u64>(src + <usize>o)) & ((<u64>1 << bits) - 1)) == 0;
      }
      if (same) return load<i32>(ent, 12);
    }
    x = (x + 1) & mask;
  }
  return MISS; // not reached: a cache always has empty slots
}

/** One record at p, written as record r: the position after it, or END / OTHER. */
// @ts-ignore: decorator
@inline
function record(
  inp: usize,
  p: i32,
  end: i32,
  nf: i32,
  cols: usize,
  D: u32,
  Q: u32,
  maxRecord: i32,
  rows: usize,
  r: usize,
  num: usize,
  str: usize,
  miss: usize,
  dicts: usize,
  oth: usize,
): i32 {
  const pow10 = changetype<usize>(POW10);
  let i = p;
  let c = <u32>load<u8>(inp + <usize>i);
  if (c == 10 || c == 13) return p >= end ? END : OTHER; // a blank line (or the end of the block)
  for (let j = 0; j < nf; j++) {
    const slot = load<i32>(cols + (<usize>j << 2));
    c = <u32>load<u8>(inp + <usize>i);
    if (slot >= OTHER_SLOT) {
      // Another column: only its text's bounds (the caller parses it).
      let a = i;
      let e = i;
      if (c == Q) {
        a = i + 1;
        e = a;
        c = <u32>load<u8>(inp + <usize>e);
        while (c != Q) {
          if (c == 10 || c == 13) return e >= end ? END : OTHER;
          c = <u32>load<u8>(inp + <usize>++e);
        }
        i = e + 1;
        c = <u32>load<u8>(inp + <usize>i);
        if (c != D && c != 10 && c != 13) return other(i, end); // a doubled quote, or text after the quote
      } else {
        while (c != D && c != 10 && c != 13) c = <u32>load<u8>(inp + <usize>++i);
        e = i;
      }
      const at = oth + ((<usize>(slot - OTHER_SLOT) * rows + r) << 3);
      store<i32>(at, a);
      store<i32>(at, e, 4);
    } else if (slot >= 0) {
      const at = num + ((<usize>slot * rows + r) << 3);
      if (c == Q) return other(i, end); // a quoted number: the TypeScript path parses its text
      if (c == D || c == 10 || c == 13) {
        store<f64>(at, NaN); // empty: missing
      } else {
        let neg = false;
        if (c == 45 || c == 43) {
          neg = c == 45;
          i++;
        }
        // m: the integer the digits write, leading zeros and all (exact: at most 19 digits).
        let m: u64 = 0;
        let total: i32 = 0;
        let scale: i32 = 0;
        c = <u32>load<u8>(inp + <usize>i);
        while (c - 48 < 10) {
          m = m * 10 + <u64>(c - 48);
          total++;
          c = <u32>load<u8>(inp + <usize>++i);
        }
        if (c == 46) {
          c = <u32>load<u8>(inp + <usize>++i);
          while (c - 48 < 10) {
            m = m * 10 + <u64>(c - 48);
            total++;
            scale--;
            c = <u32>load<u8>(inp + <usize>++i);
          }
        }
        // No digit, more than 19 (m may have overflowed), or more than 15 significant ones (m
        // has as many digits as that).
        if (total == 0 || total > 19 || m >= 1000000000000000) return other(i, end);
        if (c == 101 || c == 69) {
          c = <u32>load<u8>(inp + <usize>++i);
          let eneg = false;
          if (c == 45 || c == 43) {
            eneg = c == 45;
            c = <u32>load<u8>(inp + <usize>++i);
          }
          let x: i32 = 0;
          const es = i;
          while (c - 48 < 10) {
            if (x <= 400) x = x * 10 + <i32>(c - 48);
            c = <u32>load<u8>(inp + <usize>++i);
          }
          if (i == es || x > 400) return other(i, end);
          scale += eneg ? -x : x;
        }
        if (c != D && c != 10 && c != 13) return other(i, end);
        let v: f64 = 0;
        if (m != 0) {
          const fm = <f64><i64>m; // below 10^15: the signed conversion (one instruction) is exact
          if (scale == 0) v = fm;
          else if (scale > 0 && scale <= 22) v = fm * load<f64>(pow10 + (<usize>scale << 3));
          else if (scale < 0 && scale >= -22) v = fm / load<f64>(pow10 + (<usize>-scale << 3));
          else return OTHER;
        }
        store<f64>(at, neg ? -v : v);
      }
    } else {
      const s = <usize>(-slot - 1);
      let a = i;
      let e = i;
      let h: u32 = 0x811c9dc5;
      if (c == Q) {
        // Quoted: taken only without doubled quotes and line breaks.
        a = i + 1;
        e = a;
        c = <u32>load<u8>(inp + <usize>e);
        while (c != Q) {
          if (c == 10 || c == 13) return e >= end ? END : OTHER;
          h = (h ^ c) * 0x01000193;
          c = <u32>load<u8>(inp + <usize>++e);
        }
        i = e + 1;
        c = <u32>load<u8>(inp + <usize>i);
        if (c != D && c != 10 && c != 13) return other(i, end); // a doubled quote, or text after the quote
      } else {
        while (c != D && c != 10 && c != 13) {
          h = (h ^ c) * 0x01000193;
          c = <u32>load<u8>(inp + <usize>++i);
        }
        e = i;
      }
      let code: i32 = -1;
      if (a != e) {
        code = lookup(dicts + (s << 4), inp, a, e, h);
        if (code == MISS) {
          const at = miss + <usize>misses * 20;
          store<i32>(at, <i32>s);
          store<i32>(at, <i32>r, 4);
          store<i32>(at, a, 8);
          store<i32>(at, e, 12);
          store<u32>(at, h, 16);
          misses++;
        }
      }
      store<i32>(str + ((s * rows + r) << 2), code);
    }
    if (j < nf - 1) {
      if (c != D) return other(i, end); // too few fields
      i++;
    }
  }
  // The record ends here: a line break inside the block, at most maxRecord bytes in.
  if (i >= end) return END;
  let next: i32;
  if (c == 10) next = i + 1;
  else if (c == 13) {
    if (i + 1 >= end) return END; // a `\r` whose `\n` may be in the next block
    next = load<u8>(inp + <usize>(i + 1)) == 10 ? i + 2 : i + 1;
  } else return OTHER; // too many fields
  if (i - p > maxRecord) return OTHER;
  return next;
}

