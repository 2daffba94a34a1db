/**
 * String order by Unicode code point — Python's order for `str`, and so the order in which
 * scikit-learn sorts categories (`sorted(set(values))`) and breaks ties (`min(...)`). JavaScript's
 * `<` compares UTF-16 code units, which differs for characters above U+FFFF (emoji, rare CJK
 * ideographs): their surrogate pairs (U+D800–U+DFFF) sort before U+E000–U+FFFF (e.g. the
 * full-width letters), although their code points are larger.
 *
 * @module
 */

/**
 * Compares two strings by code point: negative when `a` sorts first, 0 when equal, positive when
 * `b` sorts first. Usable as a `sort` comparator.
 *
 * @example
 * ```ts
 * ['😀', 'ｚ'].sort(compareCodePoints); // ['ｚ', '😀'] (U+FF5A before U+1F600)
 * ```
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // Code-unit order is code-point order except between a surrogate and a unit ≥ U+E000:
      // move the surrogates above U+FFFF and U+E000–U+FFFF down into the gap they leave.
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

/**
 * The length of `s` in characters (Unicode code points), as pandas' `str.len()` and Python's
 * `len`: an emoji or another character outside the Basic Multilingual Plane is one character,
 * not the two UTF-16 code units of `s.length`.
 */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) {
      const h = s.charCodeAt(i - 1);
      if (h >= 0xd800 && h <= 0xdbff) n--;
    }
  }
  return n;
}
