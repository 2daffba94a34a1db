/**
 * The profile of one column: counts, distinct values, top values, and the summary for its kind
 * (numeric, datetime, boolean, string). Works on the typed arrays directly; scratch buffers are
 * passed in so profiling a wide table allocates its work space once.
 *
 * @module
 */

import { codePointLength, compareCodePoints } from '../core/code-points.ts';
import type { Column, TextColumn } from '../data/column.ts';
import type { ColumnSchema, SemanticType } from '../data/schema.ts';
import { sortPresentInto } from '../stats/sort-kernels.ts';
import { summarizeSorted, TOP_VALUES } from './numeric-summary.ts';
import type { ColumnProfile, ProfileValueCount, StringProfile } from './report.ts';
import type { QualityThresholds } from './thresholds.ts';
import { emptyKinds, hasLeadingZeroDigits, type ValueKind, valueKind } from './value-kinds.ts';

/** Reusable work space: two Float64Arrays of at least the table's row count. */
export interface ProfileScratch {
  values: Float64Array;
  tmp: Float64Array;
}

/** Allocates scratch space for tables of `rows` rows. */
export function profileScratch(rows: number): ProfileScratch {
  return { values: new Float64Array(rows), tmp: new Float64Array(rows) };
}

/** A column's profile plus what later steps reuse. */
export interface ColumnWork {
  profile: ColumnProfile;
  /** Whether the column looks like an identifier (one distinct value per row). */
  idLike: boolean;
  /** For text columns: a code per row (-1 missing), so later steps never hash strings again. */
  codes: Int32Array | null;
  /** For string columns: details the checks report (leading zeros in numeric-looking values). */
  leadingZeros: number;
}

const pct = (a: number, b: number) => (b > 0 ? (100 * a) / b : 0);

/** Profiles `column` (position `index`); `schema` overrides the inferred semantic type. */
export function profileColumn(
  column: Column,
  index: number,
  th: QualityThresholds,
  scratch: ProfileScratch,
  schema?: ColumnSchema,
): ColumnWork {
  switch (column.type) {
    case 'numeric':
    case 'datetime':
      return numericLike(column.name, column.type, column.values, index, th, scratch, schema);
    case 'boolean':
      return booleanColumn(column.name, column.values, index, schema);
    case 'categorical':
      return categorical(column.name, column.codes, column.dictionary, index, th, schema);
    case 'text':
      return text(column, index, th, schema);
  }
}

function base(
  name: string,
  index: number,
  storage: Column['type'],
  rows: number,
  count: number,
  distinct: number,
  top: ProfileValueCount[],
  type: SemanticType,
  schema: ColumnSchema | undefined,
): ColumnProfile {
  return {
    name,
    index,
    storage,
    type: schema?.type ?? type,
    suggestedType: null,
    count,
    missing: rows - count,
    missingPct: pct(rows - count, rows),
    distinct,
    distinctPct: pct(distinct, count),
    top,
    numeric: null,
    datetime: null,
    strings: null,
    histogram: null,
  };
}

function numericLike(
  name: string,
  storage: 'numeric' | 'datetime',
  values: Float64Array,
  index: number,
  th: QualityThresholds,
  scratch: ProfileScratch,
  schema: ColumnSchema | undefined,
): ColumnWork {
  const n = values.length;
  // The non-missing values, sorted straight from the column into the scratch buffer.
  const m = sortPresentInto(values, scratch.values, scratch.tmp);
  if (m === 0) {
    const profile = base(name, index, storage, n, 0, 0, [], storage, schema);
    return { profile, idLike: false, codes: null, leadingZeros: 0 };
  }
  const s = summarizeSorted(scratch.values.subarray(0, m), th);
  const top: ProfileValueCount[] = s.top.map(({ value, count }) => ({
    value: storage === 'datetime' ? new Date(value).toISOString() : value,
    count,
    pct: pct(count, m),
  }));
  const idLike =
    storage === 'numeric' && s.summary.integers && s.distinct === m && m >= th.minRowsForCardinality;
  const profile = base(name, index, storage, n, m, s.distinct, top, idLike ? 'id' : storage, schema);
  profile.histogram = s.histogram;
  if (storage === 'numeric') profile.numeric = s.summary;
  else {
    profile.datetime = {
      min: new Date(s.summary.min).toISOString(),
      max: new Date(s.summary.max).toISOString(),
      spanDays: (s.summary.max - s.summary.min) / 86_400_000,
    };
  }
  return { profile, idLike, codes: null, leadingZeros: 0 };
}

function booleanColumn(
  name: string,
  values: Int8Array,
  index: number,
  schema: ColumnSchema | undefined,
): ColumnWork {
  let t = 0;
  let f = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === 1) t++;
    else if (v === 0) f++;
  }
  const m = t + f;
  const top: ProfileValueCount[] = [];
  const entries: [boolean, number][] =
    t > f
      ? [
          [true, t],
          [false, f],
        ]
      : [
          [false, f],
          [true, t],
        ];
  for (const [value, count] of entries) if (count > 0) top.push({ value, count, pct: pct(count, m) });
  const profile = base(name, index, 'boolean', values.length, m, top.length, top, 'boolean', schema);
  return { profile, idLike: false, codes: null, leadingZeros: 0 };
}

function categorical(
  name: string,
  codes: Int32Array,
  dictionary: readonly string[],
  index: number,
  th: QualityThresholds,
  schema: ColumnSchema | undefined,
): ColumnWork {
  const counts = new Float64Array(dictionary.length);
  let m = 0;
  for (let i = 0; i < codes.length; i++) {
    const k = codes[i];
    if (k >= 0) {
      counts[k]++;
      m++;
    }
  }
  return stringColumn(name, 'categorical', codes.length, m, dictionary, counts, index, th, schema, null);
}

function text(column: TextColumn, index: number, th: QualityThresholds, schema: ColumnSchema | undefined) {
  const ids = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(column.values.length);
  const countList: number[] = [];
  let m = 0;
  column.values.forEach((v, i) => {
    if (v === null) {
      codes[i] = -1;
      return;
    }
    let k = ids.get(v);
    if (k === undefined) {
      k = dictionary.length;
      ids.set(v, k);
      dictionary.push(v);
      countList.push(0);
    }
    codes[i] = k;
    countList[k]++;
    m++;
  });
  const counts = Float64Array.from(countList);
  return stringColumn(column.name, 'text', codes.length, m, dictionary, counts, index, th, schema, codes);
}

/** Shared by categorical and text columns: everything from the distinct values and their counts. */
function stringColumn(
  name: string,
  storage: 'categorical' | 'text',
  rows: number,
  m: number,
  dictionary: readonly string[],
  counts: Float64Array,
  index: number,
  th: QualityThresholds,
  schema: ColumnSchema | undefined,
  codes: Int32Array | null,
): ColumnWork {
  const kinds = emptyKinds();
  const used: number[] = [];
  let minLength = Number.POSITIVE_INFINITY;
  let maxLength = 0;
  let totalLength = 0;
  let leadingZeros = 0;
  let whitespace = 0;
  const kindOf: ValueKind[] = new Array(dictionary.length);
  for (let k = 0; k < dictionary.length; k++) {
    const c = counts[k];
    if (c === 0) continue;
    used.push(k);
    const s = dictionary[k];
    const kind = valueKind(s);
    kindOf[k] = kind;
    kinds[kind] += c;
    if (kind === 'number' && hasLeadingZeroDigits(s)) leadingZeros += c;
    if (/\s/.test(s.trim())) whitespace += c;
    const len = codePointLength(s);
    if (len < minLength) minLength = len;
    if (len > maxLength) maxLength = len;
    totalLength += len * c;
  }
  used.sort((a, b) => counts[b] - counts[a] || compareCodePoints(dictionary[a], dictionary[b]));
  const top: ProfileValueCount[] = used
    .slice(0, TOP_VALUES)
    .map((k) => ({ value: dictionary[k], count: counts[k], pct: pct(counts[k], m) }));
  const distinct = used.length;
  const meanLength = m > 0 ? totalLength / m : 0;
  // An identifier: (almost) one distinct value per row, short, without spaces (free text is not
  // one), and not just decimal numbers stored as text (once read as numbers, the numeric rule applies).
  const decimals =
    kinds.number > 0 && used.some((k) => kindOf[k] === 'number' && /[.eE]/.test(dictionary[k]));
  const idLike =
    !decimals &&
    m >= th.minRowsForCardinality &&
    distinct / m >= th.idDistinctShare &&
    whitespace / m < 0.5 &&
    meanLength <= 40;
  const inferred: SemanticType = idLike ? 'id' : storage;
  const profile = base(name, index, storage, rows, m, distinct, top, inferred, schema);
  const pick = (want: (kind: ValueKind) => boolean) => {
    const out: string[] = [];
    for (const k of used) {
      if (out.length >= 5) break;
      if (want(kindOf[k])) out.push(dictionary[k]);
    }
    return out;
  };
  // The odd ones out: values not of the column's dominant kind (missing-like tokens aside).
  const typed = m - kinds.missingLike;
  let dominant: ValueKind = 'text';
  for (const kind of ['number', 'date', 'boolean', 'text'] as const)
    if (kinds[kind] > kinds[dominant]) dominant = kind;
  const strings: StringProfile = {
    minLength: m > 0 ? minLength : 0,
    meanLength,
    maxLength,
    kinds,
    missingLikeValues: pick((k) => k === 'missingLike'),
    oddValues: typed > 0 ? pick((k) => k !== dominant && k !== 'missingLike') : [],
  };
  profile.strings = strings;
  // A schema that gives the column another meaning (an ID, say) stands; one that merely records
  // what was read (`profileFile` passes the reader's inferred schema for every column) does not
  // silence the suggestion, or `lathe profile` would never make one.
  if (typed > 0 && (!schema || schema.type === storage)) {
    if (kinds.number / typed >= th.typedTextShare && leadingZeros === 0) profile.suggestedType = 'numeric';
    else if (kinds.date / typed >= th.typedTextShare) profile.suggestedType = 'datetime';
  }
  return { profile, idLike, codes, leadingZeros };
}
