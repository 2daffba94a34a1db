/**
 * What a string value looks like — a number, a date, a boolean, a missing-value token, or text —
 * so the report can spot numbers or dates stored as text, mixed-type columns and missing values
 * in disguise. Classification is per distinct value, weighted by its count.
 *
 * @module
 */

import type { StringValueKinds } from './report.ts';

/** The kind of one string value. */
export type ValueKind = keyof StringValueKinds;

const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const GROUPED_NUMBER = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const DECORATED_NUMBER = /^[+-]?[$€£¥]?\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s?%?$/;
const ISO_DATE =
  /^\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const SLASH_DATE = /^(?:\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{4}\/\d{1,2}\/\d{1,2})$/;
const BOOLEAN = /^(?:true|false|yes|no)$/i;

/** Tokens that usually stand for a missing value (compared lower-cased and trimmed). */
export const MISSING_LIKE_TOKENS: readonly string[] = [
  '',
  'na',
  'n/a',
  '#n/a',
  'nan',
  'null',
  'none',
  'nil',
  'undefined',
  'missing',
  'unknown',
  '?',
  '-',
  '--',
  '.',
  '(blank)',
];
const MISSING_LIKE = new Set(MISSING_LIKE_TOKENS);

/** The kind of `s`: checked in the order missing-like, number, date, boolean; else text. */
export function valueKind(s: string): ValueKind {
  const t = s.trim();
  if (MISSING_LIKE.has(t.toLowerCase())) return 'missingLike';
  if (PLAIN_NUMBER.test(t) || GROUPED_NUMBER.test(t) || DECORATED_NUMBER.test(t)) return 'number';
  if (ISO_DATE.test(t) || SLASH_DATE.test(t)) return 'date';
  if (BOOLEAN.test(t)) return 'boolean';
  return 'text';
}

/** True for a number written with a leading zero (`007`, `02134`): usually a code, not a quantity. */
export function hasLeadingZeroDigits(s: string): boolean {
  const t = s.trim();
  return t.length > 1 && t[0] === '0' && t[1] >= '0' && t[1] <= '9';
}

/** An all-zero {@link StringValueKinds}. */
export function emptyKinds(): StringValueKinds {
  return { number: 0, date: 0, boolean: 0, missingLike: 0, text: 0 };
}
