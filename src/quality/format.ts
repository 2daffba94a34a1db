/**
 * Number and value formatting shared by the findings' evidence and the text renderer.
 *
 * @module
 */

/**
 * A number for people: integers as is, others to 4 significant digits. `group` adds thousands
 * separators (for counts; values in comma-separated lists go without).
 */
export function formatNumber(x: number | null | undefined, group = true): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const opts = { useGrouping: group, maximumFractionDigits: 20 };
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return x.toLocaleString('en-US', opts);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e15)) return x.toExponential(3);
  if (a >= 1e4) return Math.round(x).toLocaleString('en-US', opts);
  return Number(x.toPrecision(4)).toLocaleString('en-US', opts);
}

/** A percentage (0–100) with one decimal, or more when it would round to 0 or 100. */
export function formatPct(p: number): string {
  if (p > 0 && p < 0.1) return `${Number(p.toPrecision(2))}%`;
  if (p < 100 && p > 99.9) return `${Number(p.toPrecision(5))}%`;
  return `${p.toFixed(1).replace(/\.0$/, '')}%`;
}

/**
 * A percentage as {@link formatPct}, but never rounded onto one of `thresholds` (percentages) it
 * is not equal to: a finding that says "50% missing" beside "a warning from 50%" while being an
 * info (49.96 %) misleads, so such a value gets the significant digits that tell it apart
 * ("49.96%").
 */
export function formatPctAgainst(p: number, thresholds: readonly number[]): string {
  let s = formatPct(p);
  for (const t of thresholds) {
    const shown = formatPct(t);
    for (let digits = 3; p !== t && s === shown && digits <= 17; digits++) {
      s = `${Number(p.toPrecision(digits))}%`;
    }
  }
  return s;
}

/** A cell value for evidence text: strings quoted (and shortened), numbers formatted. */
export function formatValue(v: number | string | boolean | null): string {
  if (v === null) return 'missing';
  if (typeof v === 'number') return formatNumber(v, false);
  if (typeof v === 'boolean') return String(v);
  const s = v.length > 40 ? `${v.slice(0, 37)}…` : v;
  return `'${s}'`;
}

/** Up to `max` items joined with commas, then "and N more". */
export function listSome(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
