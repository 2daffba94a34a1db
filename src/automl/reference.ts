/**
 * The reference sample a model package carries for drift monitoring: up to
 * {@link REFERENCE_ROWS} of the training rows (drawn at random with the training seed, kept in
 * their order), every column the model reads — numbers (booleans as 0/1, dates as milliseconds)
 * as a Float64Array with NaN for missing, categories and text as strings with null for missing.
 * `lathe monitor` compares what a served model sees with it (stored in the package's
 * `extra.reference`), and runs the model on it for the drift of the predictions.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import type { PlainObject, PlainValue } from '../core/plain.ts';
import { Rng } from '../core/rng.ts';
import type { Column } from '../data/column.ts';
import type { Table } from '../data/table.ts';

/** Training rows kept at most in a reference sample. */
export const REFERENCE_ROWS = 5000;

/** A column's values as drift tests take them. */
export type ReferenceValues = Float64Array | (string | null)[];

/** The training data's reference sample (see the module docs). */
export interface ReferenceSample {
  /** Training rows it was drawn from. */
  rows: number;
  /** The sample's columns, by name (each of the same length, ≤ {@link REFERENCE_ROWS}). */
  columns: Record<string, ReferenceValues>;
}

/** A column's values for drift tests: numbers (booleans as 0/1, dates as ms; NaN missing) or strings (null missing). */
export function driftValues(c: Column): ReferenceValues {
  switch (c.type) {
    case 'numeric':
    case 'datetime':
      return c.values;
    case 'boolean':
      return Float64Array.from(c.values, (v) => (v < 0 ? Number.NaN : v));
    case 'categorical':
      return Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]));
    case 'text':
      return c.values.slice();
  }
}

/** The reference sample of `columns` of the training table X (at most {@link REFERENCE_ROWS} rows). */
export function referenceSample(X: Table, columns: readonly string[], seed: number): ReferenceSample {
  const n = X.nRows;
  const rows =
    n <= REFERENCE_ROWS ? null : new Rng(seed).derive('reference-sample').sample(n, REFERENCE_ROWS).sort();
  const sampled = rows ? X.take(rows) : X;
  const out: Record<string, ReferenceValues> = {};
  for (const name of columns) {
    const v = driftValues(sampled.column(name));
    out[name] = v instanceof Float64Array ? Float64Array.from(v) : v;
  }
  return { rows: n, columns: out };
}

/** A reference sample as the package's plain data. */
export function encodeReference(r: ReferenceSample): PlainObject {
  return { rows: r.rows, columns: r.columns as Record<string, PlainValue> };
}

/**
 * The reference sample of a package's `extra`, or null when it has none (a package written before
 * Lathe kept one). A malformed one is a `ValidationError`.
 */
export function packageReference(extra: PlainValue | null): ReferenceSample | null {
  const ref = (extra as PlainObject | null)?.reference as PlainObject | undefined;
  if (ref === undefined || ref === null) return null;
  const cols = ref.columns as PlainObject | undefined;
  const bad = () =>
    new ValidationError("The package's reference sample (extra.reference) is malformed.", {
      field: 'extra.reference',
      fix: 'retrain the model, or pass --reference with the training data',
    });
  if (typeof ref.rows !== 'number' || typeof cols !== 'object' || cols === null) throw bad();
  const columns: Record<string, ReferenceValues> = {};
  let length = -1;
  for (const [name, v] of Object.entries(cols)) {
    const ok =
      v instanceof Float64Array || (Array.isArray(v) && v.every((x) => x === null || typeof x === 'string'));
    if (!ok) throw bad();
    const values = v as ReferenceValues;
    if (length >= 0 && values.length !== length) throw bad();
    length = values.length;
    columns[name] = values;
  }
  return { rows: ref.rows, columns };
}
